//! Reputation storage, compiled per backend (`db/sqlite_store.rs`, `db/pg_store.rs`) as `…_store::reputation`.
//! An event names the scopes it touches (a voter–receiver pair, a thread, an
//! article); each scope's awards are recomputed from the facts with the rules
//! in `reputation.rs`, exactly as `rebuild` recomputes all of them. So the
//! incremental worker and a rebuild cannot drift apart, replays are harmless,
//! and abuse guards (self-votes, daily caps, withdrawn votes, deleted posts)
//! hold by construction.

#[allow(unused_imports)]
use super::*;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::reputation::{
    self as rules, Award, BadgeHolder, HeldBadge, IdeaVoteFact, LeaderboardEntry, Notification,
    RebuildSummary, ReputationConfig, Standing, Stats, ThreadFact, VoteFact, DAY_MS,
};

pub const CONSUMER: &str = crate::reputation::OUTBOX_CONSUMER;

/// Secondary indexes on awards (as in the migrations), rebuilt around a bulk load.
const AWARD_INDEXES: [(&str, &str); 4] = [
    (
        "reputation_awards_user",
        "reputation_awards(user_id, kind, amount)",
    ),
    ("reputation_awards_time", "reputation_awards(awarded_at)"),
    ("reputation_awards_thread", "reputation_awards(thread_id)"),
    (
        "reputation_awards_pair",
        "reputation_awards(voter_id, user_id)",
    ),
];

/// Scopes to recompute for a batch of events, each once.
#[derive(Default)]
struct Scopes {
    pairs: BTreeSet<(i64, i64)>,
    threads: BTreeSet<i64>,
    whole_threads: BTreeSet<i64>,
    articles: BTreeSet<i64>,
    active: BTreeSet<(i64, i64)>,
    users: BTreeSet<i64>,
    /// (voter, author) of idea votes cast or withdrawn.
    idea_pairs: BTreeSet<(i64, i64)>,
    /// Ideas whose status changed: the delivered award.
    idea_statuses: BTreeSet<i64>,
    /// Ideas whose votes moved wholesale (merges, deletions, imports).
    whole_ideas: BTreeSet<i64>,
}

fn insert_awards(conn: &mut Conn, awards: &[Award]) -> Result<()> {
    // 9 values a row; SQLite allows 32766 bound values per statement.
    for chunk in awards.chunks(3000) {
        let rows: Vec<NewAwardRow> = chunk.iter().map(NewAwardRow::from_award).collect();
        diesel::insert_into(reputation_awards::table)
            .values(&rows)
            .execute(conn)?;
    }
    Ok(())
}

fn recompute_pair(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    voter: i64,
    receiver: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    diesel::delete(
        reputation_awards::table
            .filter(reputation_awards::kind.eq("kudo"))
            .filter(reputation_awards::voter_id.eq(voter))
            .filter(reputation_awards::user_id.eq(receiver)),
    )
    .execute(conn)?;
    let facts: Vec<(i64, i64, i64, i64)> = votes::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(votes::user_id.eq(voter))
        .filter(posts::author_id.eq(receiver))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .select((
            posts::id,
            threads::id,
            threads::category_id,
            votes::created_at,
        ))
        .load(conn)?;
    let votes: Vec<VoteFact> = facts
        .into_iter()
        .map(|(post_id, thread_id, category_id, voted_at)| VoteFact {
            post_id,
            thread_id,
            category_id,
            voted_at,
        })
        .collect();
    insert_awards(conn, &rules::kudo_awards(cfg, voter, receiver, &votes))?;
    touched.insert(receiver);
    Ok(())
}

/// Recompute the idea-vote awards from one voter to one author, as a
/// rebuild would. The author is touched either way: their top idea's vote
/// count (a badge metric) moved.
fn recompute_idea_pair(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    voter: i64,
    author: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    diesel::delete(
        reputation_awards::table
            .filter(reputation_awards::kind.eq("idea_vote"))
            .filter(reputation_awards::voter_id.eq(voter))
            .filter(reputation_awards::user_id.eq(author)),
    )
    .execute(conn)?;
    let facts: Vec<(i64, i64, i64)> = idea_votes::table
        .inner_join(ideas::table.inner_join(threads::table))
        .filter(idea_votes::user_id.eq(voter))
        .filter(threads::author_id.eq(author))
        .filter(threads::deleted_at.is_null())
        .filter(ideas::merged_into.is_null())
        .select((ideas::thread_id, ideas::category_id, idea_votes::created_at))
        .load(conn)?;
    let votes: Vec<IdeaVoteFact> = facts
        .into_iter()
        .map(|(thread_id, category_id, voted_at)| IdeaVoteFact {
            thread_id,
            category_id,
            voted_at,
        })
        .collect();
    insert_awards(conn, &rules::idea_vote_awards(cfg, voter, author, &votes))?;
    touched.insert(author);
    Ok(())
}

/// An idea as the delivered award sees it: (author, board, deleted, merged
/// into, status kind, status since).
type IdeaHead = (i64, i64, Option<i64>, Option<i64>, String, i64);

fn delivered_award(cfg: &ReputationConfig, thread_id: i64, head: &IdeaHead) -> Option<Award> {
    let (author, category_id, deleted_at, merged_into, kind, since) = head;
    if deleted_at.is_some() || merged_into.is_some() || kind != "completed" {
        return None;
    }
    rules::idea_delivered_award(cfg, thread_id, *category_id, *author, *since)
}

/// Remove the award with `key`, marking whoever held it for a recount.
fn take_back(conn: &mut Conn, key: &str, touched: &mut BTreeSet<i64>) -> Result<()> {
    let old: Vec<i64> = reputation_awards::table
        .filter(reputation_awards::source_key.eq(key))
        .select(reputation_awards::user_id)
        .load(conn)?;
    touched.extend(old);
    diesel::delete(reputation_awards::table.filter(reputation_awards::source_key.eq(key)))
        .execute(conn)?;
    Ok(())
}

fn recompute_idea_delivered(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    thread_id: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    let key = format!("idea_delivered:{thread_id}");
    take_back(conn, &key, touched)?;
    let head: Option<IdeaHead> = ideas::table
        .inner_join(threads::table)
        .inner_join(idea_statuses::table)
        .filter(ideas::thread_id.eq(thread_id))
        .select((
            threads::author_id,
            ideas::category_id,
            threads::deleted_at,
            ideas::merged_into,
            idea_statuses::kind,
            ideas::status_changed_at,
        ))
        .first(conn)
        .optional()?;
    let Some(head) = head else {
        return Ok(());
    };
    // The author's delivered count (a badge metric) may have moved.
    touched.insert(head.0);
    if let Some(award) = delivered_award(cfg, thread_id, &head) {
        insert_awards(conn, &[award])?;
    }
    Ok(())
}

/// Every idea-vote award of one idea recomputed, by voter–author pair:
/// its current voters, and whoever held an award on it before.
fn recompute_whole_idea(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    thread_id: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    let author: Option<i64> = threads::table
        .find(thread_id)
        .select(threads::author_id)
        .first(conn)
        .optional()?;
    let mut pairs: BTreeSet<(i64, i64)> = BTreeSet::new();
    if let Some(author) = author {
        let voters: Vec<i64> = idea_votes::table
            .filter(idea_votes::thread_id.eq(thread_id))
            .select(idea_votes::user_id)
            .load(conn)?;
        pairs.extend(voters.into_iter().map(|v| (v, author)));
    }
    let held: Vec<(Option<i64>, i64)> = reputation_awards::table
        .filter(reputation_awards::thread_id.eq(thread_id))
        .filter(reputation_awards::kind.eq("idea_vote"))
        .select((reputation_awards::voter_id, reputation_awards::user_id))
        .load(conn)?;
    pairs.extend(held.into_iter().filter_map(|(v, u)| Some((v?, u))));
    for (voter, author) in pairs {
        recompute_idea_pair(conn, cfg, voter, author, touched)?;
    }
    recompute_idea_delivered(conn, cfg, thread_id, touched)
}

type ThreadHead = (i64, i64, i64, i64, Option<i64>, Option<i64>);

fn thread_fact(t: ThreadHead, replies: Vec<(i64, i64, i64)>) -> ThreadFact {
    let (thread_id, category_id, asker_id, created_at, accepted_post, accepted_at) = t;
    // Only a live accepted post counts; its time is when it was accepted.
    let accepted = accepted_post.and_then(|pid| {
        replies
            .iter()
            .find(|r| r.0 == pid)
            .map(|r| (pid, r.1, accepted_at.unwrap_or(r.2)))
    });
    ThreadFact {
        thread_id,
        category_id,
        asker_id,
        created_at,
        accepted,
        replies,
    }
}

fn recompute_thread(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    thread_id: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    let scope = reputation_awards::table
        .filter(reputation_awards::thread_id.eq(thread_id))
        .filter(reputation_awards::kind.eq_any(["accepted", "first_reply"]));
    let old: Vec<i64> = scope.select(reputation_awards::user_id).load(conn)?;
    touched.extend(old);
    diesel::delete(
        reputation_awards::table
            .filter(reputation_awards::thread_id.eq(thread_id))
            .filter(reputation_awards::kind.eq_any(["accepted", "first_reply"])),
    )
    .execute(conn)?;
    let head: Option<ThreadHead> = threads::table
        .find(thread_id)
        .filter(threads::deleted_at.is_null())
        .select((
            threads::id,
            threads::category_id,
            threads::author_id,
            threads::created_at,
            threads::accepted_post_id,
            threads::accepted_at,
        ))
        .first(conn)
        .optional()?;
    let Some(head) = head else {
        return Ok(());
    };
    // Only two replies decide a thread's awards: the earliest by someone
    // other than the asker, and the accepted one. Reading just those keeps
    // a reply to a thread with thousands of replies as cheap as any other.
    let (_, _, asker, _, accepted, _) = head;
    let live = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null());
    let mut replies: Vec<(i64, i64, i64)> = live
        .filter(posts::author_id.ne(asker))
        .order((posts::created_at.asc(), posts::id.asc()))
        .limit(1)
        .select((posts::id, posts::author_id, posts::created_at))
        .load(conn)?;
    if let Some(accepted) = accepted.filter(|a| !replies.iter().any(|r| r.0 == *a)) {
        replies.extend(
            live.filter(posts::id.eq(accepted))
                .select((posts::id, posts::author_id, posts::created_at))
                .load::<(i64, i64, i64)>(conn)?,
        );
    }
    let awards = rules::thread_awards(cfg, &thread_fact(head, replies));
    touched.extend(awards.iter().map(|a| a.user_id));
    insert_awards(conn, &awards)
}

fn recompute_article(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    article_id: i64,
    touched: &mut BTreeSet<i64>,
) -> Result<()> {
    let key = format!("kb:{article_id}");
    take_back(conn, &key, touched)?;
    let row: Option<KbArticleRow> = kb_articles::table
        .left_join(kb_article_sources::table)
        .filter(kb_articles::id.eq(article_id))
        .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
        .first::<(KbCoreRow, Option<KbSourceRow>)>(conn)
        .optional()?
        .map(KbArticleRow::from);
    if let Some(award) = row.and_then(|a| article_award(cfg, &a)) {
        touched.insert(award.user_id);
        insert_awards(conn, &[award])?;
    }
    Ok(())
}

/// Published (and later archived) articles credit the answer's author.
fn article_award(cfg: &ReputationConfig, a: &KbArticleRow) -> Option<Award> {
    if a.status != "published" && a.status != "archived" {
        return None;
    }
    rules::article_award(
        cfg,
        a.id,
        a.source_author_id,
        a.published_at,
        a.category_id,
        (a.source_thread_id, a.source_post_id),
    )
}

fn post_left_or_came_back(
    conn: &mut Conn,
    s: &mut Scopes,
    post_id: i64,
    thread_id: i64,
    author_id: i64,
    is_question: bool,
) -> Result<()> {
    if is_question {
        s.whole_threads.insert(thread_id);
    } else {
        s.threads.insert(thread_id);
        s.users.insert(author_id);
        let voters: Vec<i64> = votes::table
            .filter(votes::post_id.eq(post_id))
            .select(votes::user_id)
            .load(conn)?;
        s.pairs.extend(voters.into_iter().map(|v| (v, author_id)));
    }
    Ok(())
}

fn scopes_of(conn: &mut Conn, events: &[Event]) -> Result<Scopes> {
    let mut s = Scopes::default();
    for e in events {
        match &e.body {
            EventBody::ThreadCreated(p) => {
                s.active
                    .insert((p.author_id, e.created_at.div_euclid(DAY_MS)));
                s.users.insert(p.author_id);
            }
            EventBody::PostCreated(p) => {
                s.active
                    .insert((p.author_id, e.created_at.div_euclid(DAY_MS)));
                s.users.insert(p.author_id);
                s.threads.insert(p.thread_id);
            }
            EventBody::PostVoted(p) | EventBody::PostUnvoted(p) => {
                s.pairs.insert((p.voter_id, p.author_id));
            }
            EventBody::PostDeleted(p) => post_left_or_came_back(
                conn,
                &mut s,
                p.post_id,
                p.thread_id,
                p.author_id,
                p.is_question,
            )?,
            // Hidden posts earn nothing while hidden, and earn again when
            // shown: both recount like a deletion does.
            EventBody::PostHidden(p) | EventBody::PostRestored(p) => post_left_or_came_back(
                conn,
                &mut s,
                p.post_id,
                p.thread_id,
                p.author_id,
                p.is_question,
            )?,
            EventBody::SolutionAccepted(p) => {
                s.threads.insert(p.thread_id);
            }
            EventBody::SolutionUnaccepted(p) => {
                s.threads.insert(p.thread_id);
            }
            EventBody::ThreadImported(p) => {
                s.whole_threads.insert(p.thread_id);
            }
            EventBody::ThreadMoved(p) => {
                s.whole_threads.insert(p.thread_id);
            }
            EventBody::KbPublished(p) | EventBody::KbArchived(p) | EventBody::KbUpdated(p) => {
                s.articles.insert(p.article_id);
            }
            EventBody::IdeaVoted(p) | EventBody::IdeaUnvoted(p) => {
                s.idea_pairs.insert((p.voter_id, p.author_id));
            }
            EventBody::IdeaStatusChanged(p) => {
                s.idea_statuses.insert(p.thread_id);
            }
            EventBody::IdeaMerged(p) | EventBody::IdeaUnmerged(p) => {
                s.whole_ideas.insert(p.from_thread_id);
                s.whole_ideas.insert(p.into_thread_id);
            }
            _ => {}
        }
    }
    Ok(s)
}

/// Apply a batch of outbox events: recompute the scopes they touch, then
/// refresh the totals, ranks and badges of everyone affected.
pub fn apply_events(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    now: i64,
    events: &[Event],
) -> Result<()> {
    let scopes = scopes_of(conn, events)?;
    // Members whose posts or activity changed get every stat recounted;
    // members whose awards alone changed (most kudos) only their awards.
    let mut full = scopes.users.clone();
    let mut touched = BTreeSet::new();
    for &(user_id, day) in &scopes.active {
        mark_active(conn, user_id, day)?;
    }
    for &thread_id in &scopes.whole_threads {
        // Imported threads bring their posts' days of activity with them.
        let days: Vec<(i64, i64)> = posts::table
            .filter(posts::thread_id.eq(thread_id))
            .select((posts::author_id, posts::created_at))
            .load(conn)?;
        for (author, at) in days {
            mark_active(conn, author, at.div_euclid(DAY_MS))?;
            full.insert(author);
        }
        let pairs: Vec<(i64, i64)> = votes::table
            .inner_join(posts::table)
            .filter(posts::thread_id.eq(thread_id))
            .select((votes::user_id, posts::author_id))
            .distinct()
            .load(conn)?;
        for (voter, receiver) in pairs {
            recompute_pair(conn, cfg, voter, receiver, &mut touched)?;
        }
        recompute_thread(conn, cfg, thread_id, &mut touched)?;
    }
    for &(voter, receiver) in &scopes.pairs {
        recompute_pair(conn, cfg, voter, receiver, &mut touched)?;
    }
    for &thread_id in scopes.threads.difference(&scopes.whole_threads) {
        recompute_thread(conn, cfg, thread_id, &mut touched)?;
    }
    for &article_id in &scopes.articles {
        recompute_article(conn, cfg, article_id, &mut touched)?;
    }
    // A deleted, restored, moved or imported idea counts (or stops
    // counting) with all its votes.
    let whole_ideas: BTreeSet<i64> = scopes
        .whole_ideas
        .union(&scopes.whole_threads)
        .copied()
        .collect();
    for &thread_id in &whole_ideas {
        recompute_whole_idea(conn, cfg, thread_id, &mut touched)?;
    }
    for &(voter, author) in &scopes.idea_pairs {
        recompute_idea_pair(conn, cfg, voter, author, &mut touched)?;
    }
    for &thread_id in scopes.idea_statuses.difference(&whole_ideas) {
        recompute_idea_delivered(conn, cfg, thread_id, &mut touched)?;
    }
    for &user_id in full.union(&touched) {
        refresh_user(conn, cfg, now, user_id, full.contains(&user_id))?;
    }
    Ok(())
}

fn mark_active(conn: &mut Conn, user_id: i64, day: i64) -> Result<()> {
    diesel::insert_into(user_active_days::table)
        .values((
            user_active_days::user_id.eq(user_id),
            user_active_days::day.eq(day),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// Points and the counts that come from awards.
fn award_stats(conn: &mut Conn, user_id: i64, stats: &mut Stats) -> Result<()> {
    let sums: Vec<(String, i64, Option<i64>)> = reputation_awards::table
        .filter(reputation_awards::user_id.eq(user_id))
        .group_by(reputation_awards::kind)
        .select((
            reputation_awards::kind,
            diesel::dsl::count_star(),
            diesel::dsl::sum(reputation_awards::amount),
        ))
        .load(conn)?;
    stats.points = 0;
    stats.accepted = 0;
    stats.kudos = 0;
    stats.kb_articles = 0;
    for (kind, n, sum) in sums {
        stats.points += sum.unwrap_or(0);
        match kind.as_str() {
            "accepted" => stats.accepted = n,
            "kudo" => stats.kudos = n,
            "kb" => stats.kb_articles = n,
            _ => {}
        }
    }
    idea_stats(conn, user_id, stats)
}

/// The idea badge metrics, from the ideas themselves (so they hold even
/// where idea votes earn no points): the top live idea's vote count, and
/// how many live ideas are delivered.
fn idea_stats(conn: &mut Conn, user_id: i64, stats: &mut Stats) -> Result<()> {
    let live = || {
        ideas::table
            .inner_join(threads::table)
            .filter(threads::author_id.eq(user_id))
            .filter(threads::deleted_at.is_null())
            .filter(ideas::merged_into.is_null())
    };
    let top: Option<i32> = live()
        .select(diesel::dsl::max(ideas::vote_count))
        .first(conn)?;
    stats.idea_top_votes = top.unwrap_or(0).max(0) as i64;
    stats.ideas_delivered = ideas::table
        .inner_join(threads::table)
        .inner_join(idea_statuses::table)
        .filter(threads::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .filter(ideas::merged_into.is_null())
        .filter(idea_statuses::kind.eq("completed"))
        .count()
        .get_result(conn)?;
    Ok(())
}

fn user_stats(conn: &mut Conn, user_id: i64) -> Result<Stats> {
    let mut stats = Stats::default();
    award_stats(conn, user_id, &mut stats)?;
    stats.posts = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let categories: Vec<i64> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .select(threads::category_id)
        .distinct()
        .load(conn)?;
    stats.answer_categories = categories.len() as i64;
    let days: Vec<i64> = user_active_days::table
        .filter(user_active_days::user_id.eq(user_id))
        .order(user_active_days::day.asc())
        .select(user_active_days::day)
        .load(conn)?;
    stats.best_streak = rules::best_streak(&days);
    Ok(stats)
}

fn reputation_row(user_id: i64, s: &Stats, now: i64) -> UserReputationRow {
    let small = |v: i64| v.clamp(0, i32::MAX as i64) as i32;
    UserReputationRow {
        user_id,
        points: s.points,
        accepted: small(s.accepted),
        kudos: small(s.kudos),
        kb_articles: small(s.kb_articles),
        posts: small(s.posts),
        answer_categories: small(s.answer_categories),
        best_streak: small(s.best_streak),
        updated_at: now,
    }
}

fn stored_stats(conn: &mut Conn, user_id: i64) -> Result<Option<Stats>> {
    let row: Option<UserReputationRow> = user_reputation::table
        .find(user_id)
        .select(UserReputationRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|r| Stats {
        points: r.points,
        posts: r.posts as i64,
        accepted: r.accepted as i64,
        kudos: r.kudos as i64,
        kb_articles: r.kb_articles as i64,
        answer_categories: r.answer_categories as i64,
        best_streak: r.best_streak as i64,
        // Not stored: `idea_stats` reads them afresh.
        ..Stats::default()
    }))
}

/// Recount a member's stats (all of them, or only those from awards when
/// `full` is false and a row exists), then sync their badges.
fn refresh_user(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    now: i64,
    user_id: i64,
    full: bool,
) -> Result<()> {
    let stored = stored_stats(conn, user_id)?;
    let rank_before = stored.as_ref().map_or_else(
        || cfg.rank_name(0, 0),
        |s| cfg.rank_name(s.points, s.accepted),
    );
    let stats = match (full, stored) {
        (false, Some(mut s)) => {
            award_stats(conn, user_id, &mut s)?;
            s
        }
        _ => user_stats(conn, user_id)?,
    };
    diesel::delete(user_reputation::table.find(user_id)).execute(conn)?;
    diesel::insert_into(user_reputation::table)
        .values(reputation_row(user_id, &stats, now))
        .execute(conn)?;
    // The rank is printed beside every post of theirs: pages cached
    // elsewhere (the anonymous page cache on every node) must hear of it.
    let rank_after = cfg.rank_name(stats.points, stats.accepted);
    if rank_after != rank_before {
        emit(
            conn,
            now,
            None,
            EventBody::MemberRankChanged(crate::events::RankChanged {
                user_id,
                from: rank_before,
                to: rank_after,
            }),
        )?;
    }
    let held: Vec<(String, i32)> = user_badges::table
        .filter(user_badges::user_id.eq(user_id))
        .select((user_badges::badge, user_badges::level))
        .load(conn)?;
    sync_badges(conn, cfg, now, user_id, &held.into_iter().collect(), &stats).map(|_| ())
}

/// Make the user's badges those the stats earn: new ones are recorded and
/// notified once (a replay or rebuild never notifies twice); ones no longer
/// earned (say, after deleted posts) are taken back. Returns (added, removed).
fn sync_badges(
    conn: &mut Conn,
    cfg: &ReputationConfig,
    now: i64,
    user_id: i64,
    held: &BTreeSet<(String, i32)>,
    stats: &Stats,
) -> Result<(u64, u64)> {
    let want: BTreeSet<(String, i32)> = cfg.badges_for(stats).into_iter().collect();
    let mut removed = 0;
    for (badge, level) in held.difference(&want) {
        removed += diesel::delete(
            user_badges::table
                .filter(user_badges::user_id.eq(user_id))
                .filter(user_badges::badge.eq(badge))
                .filter(user_badges::level.eq(level)),
        )
        .execute(conn)? as u64;
    }
    let mut added = 0;
    for (badge, level) in want.difference(held) {
        added += diesel::insert_into(user_badges::table)
            .values((
                user_badges::user_id.eq(user_id),
                user_badges::badge.eq(badge),
                user_badges::level.eq(level),
                user_badges::awarded_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)? as u64;
        let name = cfg.badge(badge).map_or(badge.as_str(), |b| b.name.as_str());
        let title = if *level > 1 {
            format!("You earned the badge “{name}” (×{level})")
        } else {
            format!("You earned the badge “{name}”")
        };
        notify(
            conn,
            now,
            user_id,
            "badge",
            (&title, &format!("/badges/{badge}")),
            &format!("badge:{user_id}:{badge}:{level}"),
            serde_json::json!({ "badge": badge, "name": name, "level": level }),
        )?;
    }
    Ok((added, removed))
}

/// An in-app notification, at most once per `dedupe_key`: its English
/// `title` and `link`, and the `params` its text is written from in the
/// reader's language.
pub fn notify(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    kind: &str,
    (title, link): (&str, &str),
    dedupe_key: &str,
    params: serde_json::Value,
) -> Result<()> {
    // The bell, and a mail or digest entry as the member prefers.
    super::notify::deliver(
        conn,
        now,
        &crate::notify::Notice {
            user_id,
            kind: kind.into(),
            title: title.into(),
            link: link.into(),
            dedupe_key: dedupe_key.into(),
            group_key: String::new(),
            params,
        },
    )?;
    Ok(())
}

/// Take the next batch of events for the reputation consumer.
pub fn process(conn: &mut Conn, cfg: &ReputationConfig, now: i64, limit: i64) -> Result<usize> {
    poll_events_in_tx(conn, now, CONSUMER, limit, &mut |conn, events| {
        apply_events(conn, cfg, now, events)
    })
}

/// Recompute every award, total and badge from the facts, in one transaction.
pub fn rebuild(conn: &mut Conn, cfg: &ReputationConfig, now: i64) -> Result<RebuildSummary> {
    ensure_cursor(conn, now, CONSUMER)?;
    transaction(conn, |conn| {
        // Hold the worker's cursor so no batch interleaves with the rebuild.
        let Some((cursor_tx, cursor_id)) = lock_cursor(conn, CONSUMER)? else {
            return Err(ForumError::Busy);
        };
        // Everything up to here is in the facts read below, so the worker
        // may skip to it; replaying later events is harmless either way.
        let head = outbox_head(conn)?;
        let mut phases: Vec<(&'static str, u64)> = Vec::new();
        let mut clock = std::time::Instant::now();
        let mut phase = |name: &'static str| {
            phases.push((name, clock.elapsed().as_millis() as u64));
            clock = std::time::Instant::now();
        };
        if REBUILD_DROPS_INDEXES {
            for (name, _) in AWARD_INDEXES {
                diesel::sql_query(format!("DROP INDEX IF EXISTS {name}")).execute(conn)?;
            }
        }
        diesel::delete(reputation_awards::table).execute(conn)?;
        diesel::delete(user_active_days::table).execute(conn)?;
        // In key order, so the primary key grows at its end.
        diesel::sql_query(
            "INSERT INTO user_active_days (user_id, day) \
             SELECT DISTINCT author_id, created_at / 86400000 FROM posts ORDER BY 1, 2",
        )
        .execute(conn)?;
        phase("clear and active days");

        let mut awards: Vec<Award> = Vec::new();
        // Kudos, grouped by voter and receiver.
        let votes: Vec<(i64, i64, i64, i64, i64, i64)> = votes::table
            .inner_join(posts::table.inner_join(threads::table))
            .filter(posts::deleted_at.is_null())
            .filter(threads::deleted_at.is_null())
            .select((
                votes::user_id,
                posts::author_id,
                posts::id,
                threads::id,
                threads::category_id,
                votes::created_at,
            ))
            .load(conn)?;
        let mut pairs: HashMap<(i64, i64), Vec<VoteFact>> = HashMap::new();
        for (voter, receiver, post_id, thread_id, category_id, voted_at) in votes {
            pairs.entry((voter, receiver)).or_default().push(VoteFact {
                post_id,
                thread_id,
                category_id,
                voted_at,
            });
        }
        for ((voter, receiver), facts) in &pairs {
            awards.extend(rules::kudo_awards(cfg, *voter, *receiver, facts));
        }
        drop(pairs);
        phase("kudos");

        // Accepted answers and fast first replies, thread by thread.
        let heads: Vec<ThreadHead> = threads::table
            .filter(threads::deleted_at.is_null())
            .select((
                threads::id,
                threads::category_id,
                threads::author_id,
                threads::created_at,
                threads::accepted_post_id,
                threads::accepted_at,
            ))
            .load(conn)?;
        let replies: Vec<(i64, i64, i64, i64)> = posts::table
            .filter(posts::is_question.eq(false))
            .filter(posts::deleted_at.is_null())
            .select((
                posts::thread_id,
                posts::id,
                posts::author_id,
                posts::created_at,
            ))
            .load(conn)?;
        let mut by_thread: HashMap<i64, Vec<(i64, i64, i64)>> = HashMap::with_capacity(heads.len());
        for (thread_id, post_id, author, at) in replies {
            by_thread
                .entry(thread_id)
                .or_default()
                .push((post_id, author, at));
        }
        // Posts and boards answered in, counted as `user_stats` counts them:
        // live posts in live threads.
        let mut post_counts: HashMap<i64, i64> = HashMap::new();
        let mut answered: HashSet<(i64, i64)> = HashSet::new();
        for head in heads {
            let replies = by_thread.remove(&head.0).unwrap_or_default();
            *post_counts.entry(head.2).or_default() += 1;
            for r in &replies {
                *post_counts.entry(r.1).or_default() += 1;
                answered.insert((r.1, head.1));
            }
            awards.extend(rules::thread_awards(cfg, &thread_fact(head, replies)));
        }
        drop(by_thread);
        phase("threads");

        let articles: Vec<KbArticleRow> = kb_articles::table
            .left_join(kb_article_sources::table)
            .select((KbCoreRow::as_select(), Option::<KbSourceRow>::as_select()))
            .load::<(KbCoreRow, Option<KbSourceRow>)>(conn)?
            .into_iter()
            .map(KbArticleRow::from)
            .collect();
        awards.extend(articles.iter().filter_map(|a| article_award(cfg, a)));
        phase("articles");

        // Idea votes, grouped by voter and author, and delivered ideas;
        // with each author's idea metrics, counted as `idea_stats` does.
        let idea_vote_rows: Vec<(i64, i64, i64, i64, i64)> = idea_votes::table
            .inner_join(ideas::table.inner_join(threads::table))
            .filter(threads::deleted_at.is_null())
            .filter(ideas::merged_into.is_null())
            .select((
                idea_votes::user_id,
                threads::author_id,
                ideas::thread_id,
                ideas::category_id,
                idea_votes::created_at,
            ))
            .load(conn)?;
        let mut idea_pairs: HashMap<(i64, i64), Vec<IdeaVoteFact>> = HashMap::new();
        for (voter, author, thread_id, category_id, voted_at) in idea_vote_rows {
            idea_pairs
                .entry((voter, author))
                .or_default()
                .push(IdeaVoteFact {
                    thread_id,
                    category_id,
                    voted_at,
                });
        }
        for ((voter, author), facts) in &idea_pairs {
            awards.extend(rules::idea_vote_awards(cfg, *voter, *author, facts));
        }
        drop(idea_pairs);
        let idea_heads: Vec<(i64, i32, IdeaHead)> = ideas::table
            .inner_join(threads::table)
            .inner_join(idea_statuses::table)
            .select((
                ideas::thread_id,
                ideas::vote_count,
                (
                    threads::author_id,
                    ideas::category_id,
                    threads::deleted_at,
                    ideas::merged_into,
                    idea_statuses::kind,
                    ideas::status_changed_at,
                ),
            ))
            .load(conn)?;
        // author → (top votes, delivered)
        let mut idea_metrics: HashMap<i64, (i64, i64)> = HashMap::new();
        for (thread_id, votes, head) in &idea_heads {
            if head.2.is_some() || head.3.is_some() {
                continue;
            }
            let m = idea_metrics.entry(head.0).or_default();
            m.0 = m.0.max((*votes).max(0) as i64);
            m.1 += i64::from(head.4 == "completed");
            awards.extend(delivered_award(cfg, *thread_id, head));
        }
        drop(idea_heads);
        // In key order, so the unique index grows at its end.
        awards.sort_unstable_by(|a, b| a.source_key.cmp(&b.source_key));
        insert_awards(conn, &awards)?;
        if REBUILD_DROPS_INDEXES {
            for (name, on) in AWARD_INDEXES {
                diesel::sql_query(format!("CREATE INDEX IF NOT EXISTS {name} ON {on}"))
                    .execute(conn)?;
            }
        }
        phase("write awards");

        // Totals for everyone, then badges.
        let mut stats: HashMap<i64, Stats> = HashMap::new();
        for a in &awards {
            let s = stats.entry(a.user_id).or_default();
            s.points += a.amount as i64;
            match a.kind {
                "accepted" => s.accepted += 1,
                "kudo" => s.kudos += 1,
                "kb" => s.kb_articles += 1,
                _ => {}
            }
        }
        let summary_awards = awards.len() as u64;
        drop(awards);
        for (user_id, n) in post_counts {
            stats.entry(user_id).or_default().posts = n;
        }
        for (user_id, _) in answered {
            stats.entry(user_id).or_default().answer_categories += 1;
        }
        for (user_id, (top, delivered)) in idea_metrics {
            let s = stats.entry(user_id).or_default();
            s.idea_top_votes = top;
            s.ideas_delivered = delivered;
        }
        let days: Vec<(i64, i64)> = user_active_days::table
            .order((user_active_days::user_id.asc(), user_active_days::day.asc()))
            .select((user_active_days::user_id, user_active_days::day))
            .load(conn)?;
        for run in days.chunk_by(|a, b| a.0 == b.0) {
            let list: Vec<i64> = run.iter().map(|d| d.1).collect();
            stats.entry(run[0].0).or_default().best_streak = rules::best_streak(&list);
        }

        phase("stats");
        diesel::delete(user_reputation::table).execute(conn)?;
        let mut users: Vec<i64> = stats.keys().copied().collect();
        users.sort_unstable();
        let rows: Vec<UserReputationRow> = users
            .iter()
            .map(|u| reputation_row(*u, &stats[u], now))
            .collect();
        for chunk in rows.chunks(500) {
            diesel::insert_into(user_reputation::table)
                .values(chunk)
                .execute(conn)?;
        }

        let held_rows: Vec<(i64, String, i32)> = user_badges::table
            .select((user_badges::user_id, user_badges::badge, user_badges::level))
            .load(conn)?;
        let mut held: HashMap<i64, BTreeSet<(String, i32)>> = HashMap::new();
        for (user_id, badge, level) in held_rows {
            held.entry(user_id).or_default().insert((badge, level));
        }
        let everyone: HashSet<i64> = users.iter().copied().chain(held.keys().copied()).collect();
        let mut summary = RebuildSummary {
            awards: summary_awards,
            users: users.len() as u64,
            points: stats.values().map(|s| s.points).sum(),
            ..RebuildSummary::default()
        };
        phase("totals");
        let empty = BTreeSet::new();
        let mut everyone: Vec<i64> = everyone.into_iter().collect();
        everyone.sort_unstable();
        for user_id in everyone {
            let s = stats.get(&user_id).copied().unwrap_or_default();
            let (added, removed) = sync_badges(
                conn,
                cfg,
                now,
                user_id,
                held.get(&user_id).unwrap_or(&empty),
                &s,
            )?;
            summary.badges_added += added;
            summary.badges_removed += removed;
        }
        phase("badges");
        summary.phases = phases;
        if (head.tx_id, head.event_id) > (cursor_tx, cursor_id) {
            diesel::update(outbox_cursors::table.find(CONSUMER))
                .set((
                    outbox_cursors::last_tx_id.eq(head.tx_id),
                    outbox_cursors::last_event_id.eq(head.event_id),
                    outbox_cursors::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(summary)
    })
}

pub fn stats_of(conn: &mut Conn, user_ids: &[i64]) -> Result<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i32)> = user_reputation::table
        .filter(user_reputation::user_id.eq_any(user_ids))
        .select((
            user_reputation::user_id,
            user_reputation::points,
            user_reputation::accepted,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(u, p, a)| (u, (p, a as i64)))
        .collect())
}

pub fn standing(conn: &mut Conn, cfg: &ReputationConfig, user_id: i64) -> Result<Standing> {
    let mut stats = stored_stats(conn, user_id)?.unwrap_or_default();
    // Not stored: read from the ideas, as the badges count them.
    idea_stats(conn, user_id, &mut stats)?;
    let held: Vec<(String, i32, i64)> = user_badges::table
        .filter(user_badges::user_id.eq(user_id))
        .order((
            user_badges::awarded_at.asc(),
            user_badges::badge.asc(),
            user_badges::level.asc(),
        ))
        .select((
            user_badges::badge,
            user_badges::level,
            user_badges::awarded_at,
        ))
        .load(conn)?;
    let badges = held
        .into_iter()
        .map(|(key, level, awarded_at)| {
            let rule = cfg.badge(&key);
            HeldBadge {
                name: rule.map_or_else(|| key.clone(), |r| r.name.clone()),
                description: rule.map_or_else(String::new, |r| r.description.clone()),
                key,
                level,
                awarded_at,
            }
        })
        .collect();
    Ok(Standing {
        user_id,
        rank: cfg.rank_name(stats.points, stats.accepted),
        stats,
        badges,
    })
}

/// Top members by points earned since `since`, optionally in one category.
pub fn leaderboard(
    conn: &mut Conn,
    since: i64,
    category_id: Option<i64>,
    limit: usize,
) -> Result<Vec<LeaderboardEntry>> {
    let base = reputation_awards::table.filter(reputation_awards::awarded_at.ge(since));
    let sums: Vec<(i64, Option<i64>)> = match category_id {
        Some(c) => base
            .filter(reputation_awards::category_id.eq(c))
            .group_by(reputation_awards::user_id)
            .select((
                reputation_awards::user_id,
                diesel::dsl::sum(reputation_awards::amount),
            ))
            .load(conn)?,
        None => base
            .group_by(reputation_awards::user_id)
            .select((
                reputation_awards::user_id,
                diesel::dsl::sum(reputation_awards::amount),
            ))
            .load(conn)?,
    };
    let mut sums: Vec<(i64, i64)> = sums
        .into_iter()
        .map(|(u, s)| (u, s.unwrap_or(0)))
        .filter(|(_, s)| *s > 0)
        .collect();
    sums.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sums.truncate(limit);
    let ids: Vec<i64> = sums.iter().map(|s| s.0).collect();
    let names: HashMap<i64, (String, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username, users::display_name))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, u, d)| (id, (u, d)))
        .collect();
    Ok(sums
        .into_iter()
        .filter_map(|(user_id, points)| {
            names
                .get(&user_id)
                .map(|(username, display_name)| LeaderboardEntry {
                    user_id,
                    username: username.clone(),
                    display_name: display_name.clone(),
                    points,
                })
        })
        .collect())
}

pub fn badge_counts(conn: &mut Conn) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = user_badges::table
        .filter(user_badges::level.eq(1))
        .group_by(user_badges::badge)
        .select((user_badges::badge, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn badge_holders(conn: &mut Conn, badge: &str, limit: i64) -> Result<Vec<BadgeHolder>> {
    let rows: Vec<(i64, String, i32, i64)> = user_badges::table
        .inner_join(users::table)
        .filter(user_badges::badge.eq(badge))
        .order((
            user_badges::awarded_at.asc(),
            user_badges::user_id.asc(),
            user_badges::level.desc(),
        ))
        .select((
            user_badges::user_id,
            users::username,
            user_badges::level,
            user_badges::awarded_at,
        ))
        .limit(limit)
        .load(conn)?;
    // One line per member, at their highest level.
    let mut best: Vec<BadgeHolder> = Vec::new();
    for (user_id, username, level, awarded_at) in rows {
        match best.iter_mut().find(|h| h.user_id == user_id) {
            Some(h) => h.level = h.level.max(level),
            None => best.push(BadgeHolder {
                user_id,
                username,
                level,
                awarded_at,
            }),
        }
    }
    Ok(best)
}

pub fn notifications_for(conn: &mut Conn, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
    type Row = (i64, String, String, String, i64, Option<i64>, String);
    let rows: Vec<Row> = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order(notifications::id.desc())
        .limit(limit)
        .select((
            notifications::id,
            notifications::kind,
            notifications::title,
            notifications::link,
            notifications::created_at,
            notifications::read_at,
            notifications::params,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, title, link, created_at, read_at, params)| Notification {
                id,
                kind,
                title,
                link,
                created_at,
                read: read_at.is_some(),
                // Written by us as JSON; anything else reads as "no
                // parameters", and the title is shown.
                params: serde_json::from_str(&params).unwrap_or_else(|_| serde_json::json!({})),
            },
        )
        .collect())
}

pub fn unread_count(conn: &mut Conn, user_id: i64) -> Result<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

pub fn mark_notifications_read(conn: &mut Conn, now: i64, user_id: i64) -> Result<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now)))
    .execute(conn)?)
}

/// Every award, for comparing an incremental result with a rebuild.
pub fn all_awards(conn: &mut Conn) -> Result<Vec<(String, i64, i32, i64)>> {
    Ok(reputation_awards::table
        .order(reputation_awards::source_key.asc())
        .select((
            reputation_awards::source_key,
            reputation_awards::user_id,
            reputation_awards::amount,
            reputation_awards::awarded_at,
        ))
        .load(conn)?)
}

pub fn all_badges(conn: &mut Conn) -> Result<Vec<(i64, String, i32)>> {
    Ok(user_badges::table
        .order((
            user_badges::user_id.asc(),
            user_badges::badge.asc(),
            user_badges::level.asc(),
        ))
        .select((user_badges::user_id, user_badges::badge, user_badges::level))
        .load(conn)?)
}
