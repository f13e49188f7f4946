//! The facts the analytics figures are computed from (`crate::analytics`):
//! visible posts and kudos, accounts, questions with their replies, and
//! CRM tasks, for one window and optionally one board.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;
use crate::analytics::{
    AtRisk, CommunityFacts, Contribution, ContributionKind, Contributor, PeopleFacts, QueryCount,
    QuestionFacts, TaskFacts, TaskSpan, Window, DAY_MS,
};

/// How many ids go in one `IN (…)` (SQLite's variable limit is far above).
const CHUNK: usize = 5_000;

/// Visible posts (not deleted, not held, in a thread not deleted) created
/// in `[from, to)`, in the window's board if it has one: (author, when,
/// is the question).
fn posts_between(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<Vec<(i64, i64, bool)>> {
    let mut q = posts::table
        .inner_join(threads::table)
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .select((posts::author_id, posts::created_at, posts::is_question))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.load(conn)?)
}

/// Kudos given in `[from, to)` on visible posts: (giver, when).
fn kudos_between(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
    let mut q = votes::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(votes::created_at.ge(from))
        .filter(votes::created_at.lt(to))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .select((votes::user_id, votes::created_at))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.load(conn)?)
}

fn contributions(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<Vec<Contribution>> {
    let mut out: Vec<Contribution> = posts_between(conn, w, from, to)?
        .into_iter()
        .map(|(user_id, at, question)| Contribution {
            user_id,
            at,
            kind: if question {
                ContributionKind::Question
            } else {
                ContributionKind::Reply
            },
        })
        .collect();
    out.extend(
        kudos_between(conn, w, from, to)?
            .into_iter()
            .map(|(user_id, at)| Contribution {
                user_id,
                at,
                kind: ContributionKind::Kudo,
            }),
    );
    Ok(out)
}

pub fn community_facts(conn: &mut Conn, w: &Window) -> Result<CommunityFacts> {
    let contributions_in = contributions(conn, w, w.from, w.to)?;
    let last_30_days = contributions(conn, w, w.to - 30 * DAY_MS, w.to)?;
    let joined: Vec<i64> = users::table
        .filter(users::created_at.ge(w.from))
        .filter(users::created_at.lt(w.to))
        .select(users::created_at)
        .load(conn)?;
    // Each contributing member's first visible post ever (in the board).
    let mut authors: Vec<i64> = contributions_in
        .iter()
        .filter(|c| c.kind != ContributionKind::Kudo)
        .map(|c| c.user_id)
        .collect();
    authors.sort_unstable();
    authors.dedup();
    let mut first_posts = Vec::new();
    for chunk in authors.chunks(CHUNK) {
        let mut q = posts::table
            .inner_join(threads::table)
            .filter(posts::author_id.eq_any(chunk))
            .filter(posts::deleted_at.is_null())
            .filter(posts::review_state.is_null())
            .filter(threads::deleted_at.is_null())
            .group_by(posts::author_id)
            .select((posts::author_id, diesel::dsl::min(posts::created_at)))
            .into_boxed();
        if let Some(c) = w.category_id {
            q = q.filter(threads::category_id.eq(c));
        }
        let rows: Vec<(i64, Option<i64>)> = q.load(conn)?;
        first_posts.extend(rows.into_iter().filter_map(|(u, at)| at.map(|at| (u, at))));
    }
    // Questions asked in the window, and the replies others gave them.
    let mut q = posts::table
        .inner_join(threads::table)
        .filter(posts::is_question.eq(true))
        .filter(threads::created_at.ge(w.from))
        .filter(threads::created_at.lt(w.to))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .select((
            threads::id,
            threads::author_id,
            threads::created_at,
            threads::accepted_at,
        ))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    let rows: Vec<(i64, i64, i64, Option<i64>)> = q.load(conn)?;
    let mut questions: Vec<QuestionFacts> = rows
        .into_iter()
        .map(
            |(thread_id, asker_id, created_at, accepted_at)| QuestionFacts {
                thread_id,
                asker_id,
                created_at,
                accepted_at,
                replies: Vec::new(),
            },
        )
        .collect();
    let index: std::collections::HashMap<i64, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.thread_id, i))
        .collect();
    let ids: Vec<i64> = questions.iter().map(|q| q.thread_id).collect();
    for chunk in ids.chunks(CHUNK) {
        let replies: Vec<(i64, i64, i64, String)> = posts::table
            .inner_join(users::table.on(users::id.eq(posts::author_id)))
            .filter(posts::thread_id.eq_any(chunk))
            .filter(posts::is_question.eq(false))
            .filter(posts::deleted_at.is_null())
            .filter(posts::review_state.is_null())
            .select((
                posts::thread_id,
                posts::author_id,
                posts::created_at,
                users::role,
            ))
            .load(conn)?;
        for (thread_id, author, at, role) in replies {
            if let Some(q) = index.get(&thread_id).map(|i| &mut questions[*i]) {
                if author != q.asker_id {
                    q.replies.push((at, parse_role(&role)?));
                }
            }
        }
    }
    Ok(CommunityFacts {
        contributions: contributions_in,
        joined,
        first_posts,
        last_30_days,
        questions,
    })
}

/// Tasks created in the window, and (created, resolved) of every task
/// open at some point of it, for the backlog.
pub fn support_facts(conn: &mut Conn, w: &Window) -> Result<(Vec<TaskFacts>, Vec<TaskSpan>)> {
    type Row = (
        String,
        i64,
        Option<String>,
        i64,
        Option<i64>,
        i64,
        Option<i64>,
        Option<i64>,
    );
    let mut q = crm_tasks::table
        .inner_join(threads::table)
        .filter(crm_tasks::created_at.ge(w.from))
        .filter(crm_tasks::created_at.lt(w.to))
        .select((
            crm_tasks::priority,
            crm_tasks::created_at,
            crm_tasks::escalation,
            crm_tasks::first_response_due,
            crm_tasks::first_response_at,
            crm_tasks::resolution_due,
            crm_tasks::resolved_at,
            threads::accepted_post_id,
        ))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    let rows: Vec<Row> = q.load(conn)?;
    let accepted: Vec<i64> = rows.iter().filter_map(|r| r.7).collect();
    let mut community_answers = std::collections::HashSet::new();
    for chunk in accepted.chunks(CHUNK) {
        let found: Vec<i64> = posts::table
            .inner_join(users::table.on(users::id.eq(posts::author_id)))
            .filter(posts::id.eq_any(chunk))
            .filter(users::role.eq(Role::Customer.as_str()))
            .select(posts::id)
            .load(conn)?;
        community_answers.extend(found);
    }
    let tasks = rows
        .into_iter()
        .map(
            |(priority, created_at, escalation, fr_due, fr_at, res_due, res_at, answer)| {
                TaskFacts {
                    priority,
                    created_at,
                    escalated: escalation.is_some(),
                    first_response_due: fr_due,
                    first_response_at: fr_at,
                    resolution_due: res_due,
                    resolved_at: res_at,
                    answer_by_community: answer.is_some_and(|a| community_answers.contains(&a)),
                }
            },
        )
        .collect();
    let mut q = crm_tasks::table
        .inner_join(threads::table)
        .filter(crm_tasks::created_at.lt(w.to))
        .filter(
            crm_tasks::resolved_at
                .is_null()
                .or(crm_tasks::resolved_at.ge(w.from)),
        )
        .select((crm_tasks::created_at, crm_tasks::resolved_at))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok((tasks, q.load(conn)?))
}

/// Accepted answers of the window, the contributors' names, and members
/// gone quiet for `quiet_days` before the window's end.
pub fn people_facts(conn: &mut Conn, w: &Window, quiet_days: i64) -> Result<PeopleFacts> {
    let mut q = threads::table
        .inner_join(posts::table.on(posts::id.nullable().eq(threads::accepted_post_id)))
        .filter(threads::accepted_at.ge(w.from))
        .filter(threads::accepted_at.lt(w.to))
        .filter(threads::deleted_at.is_null())
        .filter(posts::deleted_at.is_null())
        .select(posts::author_id)
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    let accepted: Vec<i64> = q.load(conn)?;
    let mut ids: Vec<i64> = posts_between(conn, w, w.from, w.to)?
        .into_iter()
        .filter(|(_, _, question)| !question)
        .map(|(u, _, _)| u)
        .chain(accepted.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, String, String)> = users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::username, users::display_name))
            .load(conn)?;
        names.extend(
            rows.into_iter()
                .map(|(user_id, username, display_name)| Contributor {
                    user_id,
                    username,
                    display_name,
                    accepted_answers: 0,
                    replies: 0,
                }),
        );
    }
    // Quiet: ≥ 3 posts in the 90 days before the quiet stretch, none in it.
    let quiet_from = w.to - quiet_days * DAY_MS;
    let before = posts_between(conn, w, quiet_from - 90 * DAY_MS, quiet_from)?;
    let recent: std::collections::HashSet<i64> = posts_between(conn, w, quiet_from, w.to)?
        .into_iter()
        .map(|(u, _, _)| u)
        .collect();
    let mut tally: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for (u, at, _) in before {
        let e = tally.entry(u).or_insert((0, at));
        e.0 += 1;
        e.1 = e.1.max(at);
    }
    let mut quiet: Vec<(i64, i64, i64)> = tally
        .into_iter()
        .filter(|(u, (n, _))| *n >= 3 && !recent.contains(u))
        .map(|(u, (n, last))| (u, n, last))
        .collect();
    quiet.sort_by(|a, b| (b.1, a.0).cmp(&(a.1, b.0)));
    quiet.truncate(20);
    let mut at_risk = Vec::new();
    for (user_id, posts_before, last_post_at) in quiet {
        let (username, display_name): (String, String) = users::table
            .find(user_id)
            .select((users::username, users::display_name))
            .first(conn)?;
        at_risk.push(AtRisk {
            user_id,
            username,
            display_name,
            posts_before,
            last_post_at,
        });
    }
    Ok(PeopleFacts {
        accepted,
        names,
        at_risk,
    })
}

/// Write logged searches and delete those before `cutoff`.
pub fn write_searches(
    conn: &mut Conn,
    searches: &[crate::analytics::LoggedSearch],
    cutoff: i64,
) -> Result<()> {
    transaction(conn, |conn| {
        for chunk in searches.chunks(1000) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|s| {
                    (
                        search_log::at.eq(s.at),
                        search_log::lang.eq(&s.lang),
                        search_log::query.eq(&s.query),
                        search_log::results.eq(s.results),
                    )
                })
                .collect();
            diesel::insert_into(search_log::table)
                .values(rows)
                .execute(conn)?;
        }
        diesel::delete(search_log::table.filter(search_log::at.lt(cutoff))).execute(conn)?;
        Ok(())
    })
}

/// Searches of the window grouped by (language, query): (language, query,
/// searches, without results).
pub fn search_groups(conn: &mut Conn, w: &Window) -> Result<Vec<QueryCount>> {
    let all: Vec<(String, String, i64)> = search_log::table
        .filter(search_log::at.ge(w.from))
        .filter(search_log::at.lt(w.to))
        .group_by((search_log::lang, search_log::query))
        .select((
            search_log::lang,
            search_log::query,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let zero: std::collections::HashMap<(String, String), i64> = search_log::table
        .filter(search_log::at.ge(w.from))
        .filter(search_log::at.lt(w.to))
        .filter(search_log::results.eq(0))
        .group_by((search_log::lang, search_log::query))
        .select((
            search_log::lang,
            search_log::query,
            diesel::dsl::count_star(),
        ))
        .load::<(String, String, i64)>(conn)?
        .into_iter()
        .map(|(l, q, n)| ((l, q), n))
        .collect();
    Ok(all
        .into_iter()
        .map(|(l, q, n)| {
            let z = zero.get(&(l.clone(), q.clone())).copied().unwrap_or(0);
            (l, q, n, z)
        })
        .collect())
}
