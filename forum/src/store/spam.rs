//! Spam scoring's storage: the facts a new member's post is scored on
//! (link hosts, the same text from other accounts, the classifier's token
//! counts) and the classifier's training from moderators' decisions, each
//! in the caller's transaction. Compiled per backend as `spam`.

#[allow(unused_imports)]
use super::*;

use crate::spam::{self as rules, SpamFacts, Tokenize};

/// What the post says about itself and what the community has seen of it.
pub(super) fn spam_facts(
    conn: &mut Conn,
    now: i64,
    author_id: i64,
    body_md: &str,
    tokenize: &Tokenize,
    min_training_docs: i64,
) -> Result<SpamFacts> {
    let hosts = rules::link_hosts(body_md);
    let mut facts = SpamFacts {
        links: crate::review::count_links(body_md),
        ..Default::default()
    };
    if !hosts.is_empty() {
        let known: Vec<(String, i32, i32)> = link_hosts::table
            .filter(link_hosts::host.eq_any(&hosts))
            .select((link_hosts::host, link_hosts::published, link_hosts::spam))
            .load(conn)?;
        for host in &hosts {
            match known.iter().find(|(h, _, _)| h == host) {
                Some((_, published, spam)) if spam > published => facts.spam_hosts += 1,
                Some((_, published, _)) if *published > 0 => {}
                _ => facts.unseen_hosts += 1,
            }
        }
    }
    let others: Vec<i64> = post_fingerprints::table
        .filter(post_fingerprints::fingerprint.eq(rules::fingerprint(body_md)))
        .filter(post_fingerprints::created_at.gt(now - crate::review::DAY_MS))
        .filter(post_fingerprints::author_id.ne(author_id))
        .select(post_fingerprints::author_id)
        .distinct()
        .limit(10)
        .load(conn)?;
    facts.other_accounts_same_text = others.len() as i64;
    let docs: Vec<(String, i64)> = spam_training::table
        .group_by(spam_training::label)
        .select((spam_training::label, diesel::dsl::count_star()))
        .load(conn)?;
    let count_of = |label: &str| docs.iter().find(|(l, _)| l == label).map_or(0, |(_, n)| *n);
    let (spam_docs, ham_docs) = (count_of("spam"), count_of("ham"));
    if spam_docs >= min_training_docs && ham_docs >= min_training_docs {
        let tokens = rules::distinct_tokens(tokenize, body_md);
        let counts: Vec<(i32, i32)> = spam_tokens::table
            .filter(spam_tokens::token.eq_any(&tokens))
            .select((spam_tokens::spam, spam_tokens::ham))
            .load(conn)?;
        let counts: Vec<(i64, i64)> = counts
            .into_iter()
            .map(|(s, h)| (i64::from(s), i64::from(h)))
            .collect();
        facts.bayes = Some(rules::bayes(&counts, spam_docs, ham_docs));
    }
    Ok(facts)
}

/// Remember a member's post: its fingerprint, and (when it is shown) the
/// hosts it links to as published here.
pub(super) fn record_post(
    conn: &mut Conn,
    now: i64,
    post_id: i64,
    author_id: i64,
    body_md: &str,
    published: bool,
) -> Result<()> {
    diesel::insert_into(post_fingerprints::table)
        .values((
            post_fingerprints::post_id.eq(post_id),
            post_fingerprints::author_id.eq(author_id),
            post_fingerprints::fingerprint.eq(rules::fingerprint(body_md)),
            post_fingerprints::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if published {
        count_hosts(conn, body_md, 1, 0)?;
    }
    Ok(())
}

fn count_hosts(conn: &mut Conn, body_md: &str, published: i32, spam: i32) -> Result<()> {
    use diesel::upsert::excluded;
    for host in rules::link_hosts(body_md) {
        diesel::insert_into(link_hosts::table)
            .values((
                link_hosts::host.eq(&host),
                link_hosts::published.eq(published),
                link_hosts::spam.eq(spam),
            ))
            .on_conflict(link_hosts::host)
            .do_update()
            .set((
                link_hosts::published.eq(link_hosts::published + excluded(link_hosts::published)),
                link_hosts::spam.eq(link_hosts::spam + excluded(link_hosts::spam)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Teach the classifier that `post_id` is spam (or not), once per post: a
/// changed verdict moves the post's counts from one side to the other.
pub(super) fn train(
    conn: &mut Conn,
    now: i64,
    post_id: i64,
    spam: bool,
    tokenize: &Tokenize,
) -> Result<()> {
    use diesel::upsert::excluded;
    let label = if spam { "spam" } else { "ham" };
    let before: Option<String> = spam_training::table
        .find(post_id)
        .select(spam_training::label)
        .first(conn)
        .optional()?;
    if before.as_deref() == Some(label) {
        return Ok(());
    }
    let body: String = posts::table
        .find(post_id)
        .select(posts::body_md)
        .first(conn)?;
    let moved = i32::from(before.is_some());
    let (spam_delta, ham_delta) = if spam { (1, -moved) } else { (-moved, 1) };
    for token in rules::distinct_tokens(tokenize, &body) {
        diesel::insert_into(spam_tokens::table)
            .values((
                spam_tokens::token.eq(&token),
                spam_tokens::spam.eq(spam_delta.max(0)),
                spam_tokens::ham.eq(ham_delta.max(0)),
            ))
            .on_conflict(spam_tokens::token)
            .do_update()
            .set((
                spam_tokens::spam.eq(spam_tokens::spam + spam_delta),
                spam_tokens::ham.eq(spam_tokens::ham + ham_delta),
            ))
            .execute(conn)?;
    }
    if spam {
        count_hosts(conn, &body, 0, 1)?;
    }
    diesel::insert_into(spam_training::table)
        .values((
            spam_training::post_id.eq(post_id),
            spam_training::label.eq(label),
            spam_training::at.eq(now),
        ))
        .on_conflict(spam_training::post_id)
        .do_update()
        .set((
            spam_training::label.eq(excluded(spam_training::label)),
            spam_training::at.eq(excluded(spam_training::at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Published hosts of a post that was held and is now shown.
pub(super) fn hosts_published(conn: &mut Conn, body_md: &str) -> Result<()> {
    count_hosts(conn, body_md, 1, 0)
}

/// How much the classifier has learnt: (spam posts, not-spam posts).
pub fn spam_training_counts(conn: &mut Conn) -> Result<(i64, i64)> {
    let spam: i64 = spam_training::table
        .filter(spam_training::label.eq("spam"))
        .count()
        .get_result(conn)?;
    let ham: i64 = spam_training::table
        .filter(spam_training::label.eq("ham"))
        .count()
        .get_result(conn)?;
    Ok((spam, ham))
}
