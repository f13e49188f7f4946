//! The facts the analytics figures are computed from (`crate::analytics`):
//! visible posts and kudos, accounts, questions with their replies, and
//! CRM tasks, for one window and optionally one board.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;
use crate::analytics::deflection::AskFact;
use crate::analytics::traffic::{
    rank_articles, visitor_hash, ArticleReach, PageKind, PendingView, ViewFact, TOP_ARTICLES,
};
use crate::analytics::{
    day_of, AtRisk, CommunityFacts, Contribution, ContributionKind, Contributor, PeopleFacts,
    QueryCount, QuestionFacts, Share, TaskFacts, TaskSpan, Window, DAY_MS,
};

/// The members of a customer segment, as a subquery.
pub fn segment_members(
    segment: &str,
) -> crm_contacts::BoxedQuery<'_, <Conn as diesel::Connection>::Backend, diesel::sql_types::BigInt>
{
    crm_contacts::table
        .filter(crm_contacts::segment.eq(segment))
        .select(crm_contacts::user_id)
        .into_boxed()
}

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
    if let Some(seg) = &w.segment {
        q = q.filter(posts::author_id.eq_any(segment_members(seg)));
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
    if let Some(seg) = &w.segment {
        q = q.filter(votes::user_id.eq_any(segment_members(seg)));
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

/// When the accounts of the window (of the segment, when filtered) were
/// created.
pub fn joined(conn: &mut Conn, w: &Window) -> Result<Vec<i64>> {
    let mut joined = users::table
        .filter(users::created_at.ge(w.from))
        .filter(users::created_at.lt(w.to))
        .select(users::created_at)
        .into_boxed();
    if let Some(seg) = &w.segment {
        joined = joined.filter(users::id.eq_any(segment_members(seg)));
    }
    Ok(joined.load(conn)?)
}

pub fn community_facts(conn: &mut Conn, w: &Window) -> Result<CommunityFacts> {
    let contributions_in = contributions(conn, w, w.from, w.to)?;
    let last_30_days = contributions(conn, w, w.to - 30 * DAY_MS, w.to)?;
    let joined = joined(conn, w)?;
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
    if let Some(seg) = &w.segment {
        q = q.filter(threads::author_id.eq_any(segment_members(seg)));
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
    if let Some(seg) = &w.segment {
        q = q.filter(crm_tasks::contact_id.eq_any(segment_members(seg)));
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
    if let Some(seg) = &w.segment {
        q = q.filter(crm_tasks::contact_id.eq_any(segment_members(seg)));
    }
    Ok((tasks, q.load(conn)?))
}

/// The author of each answer accepted in the window (board and segment):
/// a visible answer to a visible question.
pub fn accepted_authors(conn: &mut Conn, w: &Window) -> Result<Vec<i64>> {
    let question = diesel::alias!(posts as question);
    let mut q = threads::table
        .inner_join(posts::table.on(posts::id.nullable().eq(threads::accepted_post_id)))
        .inner_join(
            question.on(question
                .field(posts::thread_id)
                .eq(threads::id)
                .and(question.field(posts::is_question).eq(true))
                .and(question.field(posts::deleted_at).is_null())
                .and(question.field(posts::review_state).is_null())),
        )
        .filter(threads::accepted_at.ge(w.from))
        .filter(threads::accepted_at.lt(w.to))
        .filter(threads::deleted_at.is_null())
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .select(posts::author_id)
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    if let Some(seg) = &w.segment {
        q = q.filter(posts::author_id.eq_any(segment_members(seg)));
    }
    Ok(q.load(conn)?)
}

/// Contributors with their names (figures left at zero).
pub fn contributors(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Contributor>> {
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
    Ok(names)
}

/// Members gone quiet: from `(member, posts before)`, the names and the
/// time of their last visible post before `quiet_from` (board and segment
/// of the window).
pub fn at_risk(
    conn: &mut Conn,
    w: &Window,
    quiet: &[(i64, i64)],
    quiet_from: i64,
) -> Result<Vec<AtRisk>> {
    let mut out = Vec::new();
    for (user_id, posts_before) in quiet {
        let (username, display_name): (String, String) = users::table
            .find(user_id)
            .select((users::username, users::display_name))
            .first(conn)?;
        let mut last = posts::table
            .inner_join(threads::table)
            .filter(posts::author_id.eq(user_id))
            .filter(posts::created_at.ge(quiet_from - 90 * DAY_MS))
            .filter(posts::created_at.lt(quiet_from))
            .filter(posts::deleted_at.is_null())
            .filter(posts::review_state.is_null())
            .filter(threads::deleted_at.is_null())
            .select(diesel::dsl::max(posts::created_at))
            .into_boxed();
        if let Some(c) = w.category_id {
            last = last.filter(threads::category_id.eq(c));
        }
        let last_post_at: Option<i64> = last.first(conn)?;
        out.push(AtRisk {
            user_id: *user_id,
            username,
            display_name,
            posts_before: *posts_before,
            last_post_at: last_post_at.unwrap_or(quiet_from),
        });
    }
    Ok(out)
}

pub fn people_facts(conn: &mut Conn, w: &Window, quiet_days: i64) -> Result<PeopleFacts> {
    let accepted = accepted_authors(conn, w)?;
    let mut ids: Vec<i64> = posts_between(conn, w, w.from, w.to)?
        .into_iter()
        .filter(|(_, _, question)| !question)
        .map(|(u, _, _)| u)
        .chain(accepted.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = contributors(conn, &ids)?;
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
                        search_log::search_id.eq(s.search_id.as_deref()),
                    )
                })
                .collect();
            diesel::insert_into(search_log::table)
                .values(rows)
                .execute(conn)?;
        }
        diesel::delete(search_log::table.filter(search_log::at.lt(cutoff))).execute(conn)?;
        diesel::delete(search_clicks::table.filter(search_clicks::at.lt(cutoff))).execute(conn)?;
        Ok(())
    })
}

/// Searches of the window grouped by (language, query): (language, query,
/// searches, without results).
pub fn search_groups(conn: &mut Conn, w: &Window) -> Result<(Vec<QueryCount>, Share)> {
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
    let page_searches: i64 = search_log::table
        .filter(search_log::at.ge(w.from))
        .filter(search_log::at.lt(w.to))
        .filter(search_log::search_id.is_not_null())
        .count()
        .get_result(conn)?;
    let clicked: i64 = search_log::table
        .filter(search_log::at.ge(w.from))
        .filter(search_log::at.lt(w.to))
        .filter(diesel::dsl::exists(
            search_clicks::table.filter(
                search_clicks::search_id
                    .nullable()
                    .eq(search_log::search_id),
            ),
        ))
        .count()
        .get_result(conn)?;
    let groups = all
        .into_iter()
        .map(|(l, q, n)| {
            let z = zero.get(&(l.clone(), q.clone())).copied().unwrap_or(0);
            (l, q, n, z)
        })
        .collect();
    Ok((
        groups,
        Share {
            part: clicked,
            whole: page_searches,
        },
    ))
}

/// A result opened from a logged search (the search may still sit in some
/// node's buffer: the click is kept on its own and joined when counted).
/// Clicks of searches no longer logged are pruned with them.
pub fn record_search_click(conn: &mut Conn, search_id: &str, at: i64, rank: i32) -> Result<()> {
    diesel::insert_into(search_clicks::table)
        .values((
            search_clicks::search_id.eq(search_id),
            search_clicks::at.eq(at),
            search_clicks::rank.eq(rank),
        ))
        .execute(conn)?;
    Ok(())
}

/// The salt of `day`, made (once, whichever node comes first) when missing.
fn salt_of(conn: &mut Conn, day: i64) -> Result<String> {
    use rand::Rng;
    let fresh: [u8; 32] = rand::thread_rng().gen();
    let fresh: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
    diesel::insert_into(analytics_salts::table)
        .values((
            analytics_salts::day.eq(day),
            analytics_salts::salt.eq(&fresh),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(analytics_salts::table
        .find(day)
        .select(analytics_salts::salt)
        .first(conn)?)
}

/// Write buffered page views (visitors hashed with their day's salt),
/// delete views before `cutoff` and salts of days before `keep_salts_from`.
pub fn write_page_views(
    conn: &mut Conn,
    views: &[PendingView],
    cutoff: i64,
    keep_salts_from: i64,
) -> Result<()> {
    transaction(conn, |conn| {
        let rolled_to = lock_traffic_state(conn)?;
        let mut salts: std::collections::HashMap<i64, String> = Default::default();
        for chunk in views.chunks(1000) {
            let mut rows = Vec::with_capacity(chunk.len());
            for v in chunk {
                let day = day_of(v.at);
                let salt = match salts.get(&day) {
                    Some(s) => s.clone(),
                    None => {
                        let s = salt_of(conn, day)?;
                        salts.insert(day, s.clone());
                        s
                    }
                };
                rows.push((
                    page_views::at.eq(v.at),
                    page_views::visitor.eq(visitor_hash(&salt, &v.key)),
                    page_views::kind.eq(v.kind.as_str()),
                    page_views::category_id.eq(v.category_id),
                    page_views::target_id.eq(v.target_id),
                ));
            }
            diesel::insert_into(page_views::table)
                .values(rows)
                .execute(conn)?;
        }
        // A node may flush views of a day already rolled up (written just
        // before midnight, flushed after): that day is rolled again.
        let late: std::collections::BTreeSet<i64> = views
            .iter()
            .map(|v| day_of(v.at))
            .filter(|d| *d < rolled_to)
            .collect();
        for day in late {
            roll_traffic_day(conn, day)?;
        }
        // `keep_salts_from` is yesterday: every day before it is over.
        roll_traffic_until(conn, rolled_to, keep_salts_from + DAY_MS)?;
        // Whole days, so a day's rollup always covers all of its views; the
        // day rollups themselves are kept (they name no one).
        diesel::delete(page_views::table.filter(page_views::at.lt(day_of(cutoff))))
            .execute(conn)?;
        diesel::delete(analytics_salts::table.filter(analytics_salts::day.lt(keep_salts_from)))
            .execute(conn)?;
        Ok(())
    })
}

/// Lock the traffic roll-up state (every flush and roll-up takes it first,
/// so they run one at a time on every backend) and return the first day
/// not rolled up.
fn lock_traffic_state(conn: &mut Conn) -> Result<i64> {
    use crate::schema::analytics_traffic_state as s;
    diesel::update(s::table.find(1))
        .set(s::rolled_to.eq(s::rolled_to))
        .execute(conn)?;
    Ok(s::table.find(1).select(s::rolled_to).first(conn)?)
}

/// The first day whose views are not rolled up yet.
pub fn traffic_rolled_to(conn: &mut Conn) -> Result<i64> {
    use crate::schema::analytics_traffic_state as s;
    Ok(s::table
        .find(1)
        .select(s::rolled_to)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// The first day of a stored view at or after `from`, if any.
fn first_view_day(conn: &mut Conn, from: i64) -> Result<Option<i64>> {
    let first: Option<i64> = page_views::table
        .filter(page_views::at.ge(from))
        .select(diesel::dsl::min(page_views::at))
        .first(conn)?;
    Ok(first.map(day_of))
}

/// Roll up the days from `rolled_to` to `today` (exclusive): days with
/// views from the first of them. Call with the state locked.
fn roll_traffic_until(conn: &mut Conn, rolled_to: i64, today: i64) -> Result<()> {
    use crate::schema::analytics_traffic_state as s;
    if rolled_to >= today {
        return Ok(());
    }
    if let Some(first) = first_view_day(conn, rolled_to)? {
        let mut day = first.max(rolled_to);
        while day < today {
            roll_traffic_day(conn, day)?;
            day += DAY_MS;
        }
    }
    diesel::update(s::table.find(1))
        .set(s::rolled_to.eq(today))
        .execute(conn)?;
    Ok(())
}

/// Recompute one day's traffic and article rows from its stored views.
fn roll_traffic_day(conn: &mut Conn, day: i64) -> Result<()> {
    use crate::analytics::traffic::{article_day_rows, day_rows};
    use crate::schema::{analytics_article_days as a, analytics_traffic_days as t};
    let views = views_between(conn, day, day + DAY_MS)?;
    diesel::delete(t::table.filter(t::day.eq(day))).execute(conn)?;
    diesel::delete(a::table.filter(a::day.eq(day))).execute(conn)?;
    let rows: Vec<_> = day_rows(&views)
        .into_iter()
        .map(|r| {
            (
                t::day.eq(r.day),
                t::category_id.eq(r.category_id),
                t::kind.eq(r.kind.map_or("", PageKind::as_str)),
                t::views.eq(r.views),
                t::visits.eq(r.visits),
                t::single_visits.eq(r.single_visits),
            )
        })
        .collect();
    for chunk in rows.chunks(1000) {
        diesel::insert_into(t::table).values(chunk).execute(conn)?;
    }
    let rows: Vec<_> = article_day_rows(&views)
        .into_iter()
        .map(|(d, c, id, n)| {
            (
                a::day.eq(d),
                a::category_id.eq(c),
                a::article_id.eq(id),
                a::views.eq(n),
            )
        })
        .collect();
    for chunk in rows.chunks(1000) {
        diesel::insert_into(a::table).values(chunk).execute(conn)?;
    }
    Ok(())
}

/// Roll up again every day that still has stored views, and every day
/// over by `today` (`hearth analytics rebuild`). Returns the days rolled.
pub fn rebuild_traffic(conn: &mut Conn, today: i64) -> Result<i64> {
    use crate::schema::analytics_traffic_state as s;
    transaction(conn, |conn| {
        let rolled_to = lock_traffic_state(conn)?;
        let mut n = 0;
        if let Some(first) = first_view_day(conn, 0)? {
            let mut day = first;
            while day < rolled_to.max(today) {
                roll_traffic_day(conn, day)?;
                day += DAY_MS;
                n += 1;
            }
        }
        diesel::update(s::table.find(1))
            .set(s::rolled_to.eq(rolled_to.max(today)))
            .execute(conn)?;
        Ok(n)
    })
}

/// The day rows of a whole-day window: rolled-up days from the rollup,
/// the rest (today) aggregated from the stored views. For a board, its own
/// rows; for the site, the site's rows and every board's totals.
pub fn traffic_day_facts(
    conn: &mut Conn,
    w: &Window,
) -> Result<Vec<crate::analytics::traffic::TrafficDay>> {
    use crate::analytics::traffic::{day_rows, TrafficDay, SITE};
    use crate::schema::analytics_traffic_days as t;
    let rolled_to = traffic_rolled_to(conn)?.clamp(w.from, w.to);
    let mut q = t::table
        .filter(t::day.ge(w.from))
        .filter(t::day.lt(rolled_to))
        .select((
            t::day,
            t::category_id,
            t::kind,
            t::views,
            t::visits,
            t::single_visits,
        ))
        .into_boxed();
    q = match w.category_id {
        Some(b) => q.filter(t::category_id.eq(b)),
        None => q.filter(t::category_id.eq(SITE).or(t::kind.eq(""))),
    };
    let rows: Vec<(i64, i64, String, i64, i64, i64)> = q.load(conn)?;
    let mut out: Vec<TrafficDay> = rows
        .into_iter()
        .map(
            |(day, category_id, kind, views, visits, single_visits)| TrafficDay {
                day,
                category_id,
                kind: (!kind.is_empty()).then(|| PageKind::parse(&kind)),
                views,
                visits,
                single_visits,
            },
        )
        .collect();
    if rolled_to < w.to {
        out.extend(day_rows(&views_between(conn, rolled_to, w.to)?));
    }
    Ok(out)
}

/// Every page view of the window, all boards (visits span boards).
pub fn view_facts(conn: &mut Conn, w: &Window) -> Result<Vec<ViewFact>> {
    views_between(conn, w.from, w.to)
}

/// Every page view in `[from, to)`.
fn views_between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<ViewFact>> {
    type Row = (i64, String, String, Option<i64>, Option<i64>);
    let rows: Vec<Row> = page_views::table
        .filter(page_views::at.ge(from))
        .filter(page_views::at.lt(to))
        .select((
            page_views::at,
            page_views::visitor,
            page_views::kind,
            page_views::category_id,
            page_views::target_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, visitor, kind, category_id, target_id)| ViewFact {
            at,
            visitor,
            kind: PageKind::parse(&kind),
            category_id,
            target_id,
        })
        .collect())
}

/// Each KB article's views and feedback in the window (in the board, when
/// filtered); published or not, as readers met them.
pub fn article_facts(conn: &mut Conn, w: &Window, rolled: bool) -> Result<Vec<ArticleReach>> {
    use crate::analytics::traffic::SITE;
    use crate::schema::analytics_article_days as a;
    // Whole rolled-up days from the day rows, the rest from the views.
    let raw_from = if rolled {
        traffic_rolled_to(conn)?.clamp(w.from, w.to)
    } else {
        w.from
    };
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back.
    let total = diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(SUM(views) AS BIGINT)");
    let rolled_views: Vec<(i64, i64)> = a::table
        .filter(a::day.ge(w.from))
        .filter(a::day.lt(raw_from))
        .filter(a::category_id.eq(w.category_id.unwrap_or(SITE)))
        .group_by(a::article_id)
        .select((a::article_id, total))
        .load(conn)?;
    let mut views = page_views::table
        .filter(page_views::at.ge(raw_from))
        .filter(page_views::at.lt(w.to))
        .filter(page_views::kind.eq(PageKind::Kb.as_str()))
        .filter(page_views::target_id.is_not_null())
        .group_by(page_views::target_id)
        .select((page_views::target_id, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(c) = w.category_id {
        views = views.filter(page_views::category_id.eq(c));
    }
    let views: Vec<(Option<i64>, i64)> = views.load(conn)?;
    let feedback: Vec<(i64, bool, i64)> = kb_feedback::table
        .filter(kb_feedback::created_at.ge(w.from))
        .filter(kb_feedback::created_at.lt(w.to))
        .group_by((kb_feedback::article_id, kb_feedback::helpful))
        .select((
            kb_feedback::article_id,
            kb_feedback::helpful,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut reach: std::collections::HashMap<i64, ArticleReach> = Default::default();
    for (id, n) in rolled_views {
        reach.entry(id).or_default().views += n;
    }
    for (id, n) in views {
        if let Some(id) = id {
            reach.entry(id).or_default().views += n;
        }
    }
    for (id, helpful, n) in feedback {
        let r = reach.entry(id).or_default();
        if helpful {
            r.helpful += n;
        } else {
            r.not_helpful += n;
        }
    }
    // Names for the best-read articles that still exist (in the board),
    // in the page's order, until the page has its twenty.
    let ranked = rank_articles(
        reach
            .into_iter()
            .map(|(article_id, r)| ArticleReach { article_id, ..r })
            .collect(),
    );
    let mut out = Vec::new();
    for chunk in ranked.chunks(100) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.article_id).collect();
        let mut q = kb_articles::table
            .filter(kb_articles::id.eq_any(&ids))
            .select((kb_articles::id, (kb_articles::slug, kb_articles::title)))
            .into_boxed();
        if let Some(c) = w.category_id {
            q = q.filter(kb_articles::category_id.eq(c));
        }
        let names: std::collections::HashMap<i64, (String, String)> = q
            .load::<(i64, (String, String))>(conn)?
            .into_iter()
            .collect();
        for r in chunk {
            if let Some((slug, title)) = names.get(&r.article_id) {
                out.push(ArticleReach {
                    slug: slug.clone(),
                    title: title.clone(),
                    ..r.clone()
                });
            }
        }
        if out.len() >= TOP_ARTICLES {
            break;
        }
    }
    Ok(out)
}

/// Ask-page sessions started in the window (of the segment's members, when
/// filtered), each with its member's segment and the first CRM task the
/// member opened at or after the session's start and before `window_ms`
/// after it.
pub fn ask_facts(conn: &mut Conn, w: &Window, window_ms: i64) -> Result<Vec<AskFact>> {
    type Row = (
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        bool,
        Option<String>,
    );
    let mut q = ask_sessions::table
        .left_join(
            crm_contacts::table.on(crm_contacts::user_id.nullable().eq(ask_sessions::user_id)),
        )
        .filter(ask_sessions::started_at.ge(w.from))
        .filter(ask_sessions::started_at.lt(w.to))
        .select((
            ask_sessions::started_at,
            ask_sessions::user_id,
            ask_sessions::category_id,
            ask_sessions::opened_id,
            ask_sessions::posted_thread_id,
            ask_sessions::holdout,
            crm_contacts::segment.nullable(),
        ))
        .into_boxed();
    if let Some(seg) = &w.segment {
        q = q.filter(crm_contacts::segment.eq(seg));
    }
    let rows: Vec<Row> = q.load(conn)?;
    let mut members: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    members.sort_unstable();
    members.dedup();
    // Each member's task times from the window's start on, to find the
    // first at or after each session.
    let mut tasks: std::collections::HashMap<i64, Vec<i64>> = Default::default();
    for chunk in members.chunks(CHUNK) {
        let found: Vec<(i64, i64)> = crm_tasks::table
            .filter(crm_tasks::contact_id.eq_any(chunk))
            .filter(crm_tasks::created_at.ge(w.from))
            .filter(crm_tasks::created_at.lt(w.to + window_ms))
            .select((crm_tasks::contact_id, crm_tasks::created_at))
            .load(conn)?;
        for (member, at) in found {
            tasks.entry(member).or_default().push(at);
        }
    }
    for times in tasks.values_mut() {
        times.sort_unstable();
    }
    Ok(rows
        .into_iter()
        .map(
            |(started_at, user, category_id, opened, posted, holdout, segment)| {
                let next_task_at = user.and_then(|u| tasks.get(&u)).and_then(|times| {
                    let i = times.partition_point(|t| *t < started_at);
                    times.get(i).copied()
                });
                AskFact {
                    started_at,
                    category_id,
                    segment: segment.unwrap_or_default(),
                    opened_suggestion: opened.is_some(),
                    posted: posted.is_some(),
                    holdout,
                    next_task_at,
                }
            },
        )
        .collect())
}

/// The customer segments recorded on CRM contacts, in order.
pub fn segments(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(crm_contacts::table
        .filter(crm_contacts::segment.ne(""))
        .select(crm_contacts::segment)
        .distinct()
        .order(crm_contacts::segment)
        .limit(200)
        .load(conn)?)
}

/// Admins who can sign in and have no notice with `dedupe_prefix` plus
/// their id yet: whom this week's digest still goes to.
pub fn digest_recipients(conn: &mut Conn, dedupe_prefix: &str) -> Result<Vec<i64>> {
    let admins: Vec<i64> = users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::status.eq_any(["active", "silenced"]))
        .select(users::id)
        .order(users::id)
        .load(conn)?;
    let keys: Vec<String> = admins
        .iter()
        .map(|id| format!("{dedupe_prefix}:{id}"))
        .collect();
    let mut sent: std::collections::HashSet<String> = Default::default();
    for chunk in keys.chunks(CHUNK) {
        let found: Vec<String> = notifications::table
            .filter(notifications::dedupe_key.eq_any(chunk))
            .select(notifications::dedupe_key)
            .load(conn)?;
        sent.extend(found);
    }
    Ok(admins
        .into_iter()
        .zip(keys)
        .filter(|(_, k)| !sent.contains(k))
        .map(|(id, _)| id)
        .collect())
}
