//! The analytics rollups (`crate::analytics::rollups`): kept by the
//! `analytics` outbox consumer, one recomputed row at a time, and rebuilt
//! from the facts in bulk. Both paths aggregate the same rows with the
//! same functions (`rollups::MemberDays`, `rollups::question_row`), so a
//! rebuild equals the incremental result.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

use super::analytics_store::segment_members;
#[allow(unused_imports)]
use super::*;
use crate::analytics::rollups::{
    self, week_of, DayTotals, MemberDayRow, MemberDays, MemberSums, QuestionRow, QuestionThread,
    RebuildSummary, ReplyFact, Touched, OUTBOX_CONSUMER as CONSUMER,
};
use crate::analytics::{day_of, Window, DAY_MS};

/// Rows written per INSERT.
const BATCH: usize = 1_000;

/// How many visible posts `author` created in `[from, to)`, by (board, is
/// the question).
fn member_posts(conn: &mut Conn, author: i64, from: i64, to: i64) -> Result<Vec<(i64, bool, i64)>> {
    // Counted by the database: a prolific member's day is many rows.
    Ok(posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(author))
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .group_by((threads::category_id, posts::is_question))
        .select((
            threads::category_id,
            posts::is_question,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// Kudos `voter` gave in `[from, to)` on visible posts: (board, when).
fn member_kudos(conn: &mut Conn, voter: i64, from: i64, to: i64) -> Result<Vec<(i64, i64, i64)>> {
    let rows: Vec<(i64, i64)> = votes::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(votes::user_id.eq(voter))
        .filter(votes::created_at.ge(from))
        .filter(votes::created_at.lt(to))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .select((threads::category_id, votes::created_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(c, at)| (voter, c, at)).collect())
}

/// Insert member rows in batches: days and weeks have the same columns,
/// the time under another name.
macro_rules! insert_member_rows {
    ($conn:expr, $rows:expr, $table:ident, $time:ident) => {{
        for chunk in $rows.chunks(BATCH) {
            let values: Vec<_> = chunk
                .iter()
                .map(|r| {
                    (
                        $table::$time.eq(r.day),
                        $table::category_id.eq(r.category_id),
                        $table::user_id.eq(r.user_id),
                        $table::questions.eq(r.questions),
                        $table::replies.eq(r.replies),
                        $table::kudos.eq(r.kudos),
                    )
                })
                .collect();
            diesel::insert_into($table::table)
                .values(values)
                .execute($conn)?;
        }
        Ok(())
    }};
}

fn write_member_days(conn: &mut Conn, rows: &[MemberDayRow]) -> Result<()> {
    insert_member_rows!(conn, rows, analytics_member_days, day)
}

/// Week rows carry their week's Monday in `day`.
fn write_member_weeks(conn: &mut Conn, rows: &[MemberDayRow]) -> Result<()> {
    insert_member_rows!(conn, rows, analytics_member_weeks, week)
}

fn write_day_totals(conn: &mut Conn, rows: &[(i64, DayTotals)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(c, t)| {
                (
                    analytics_days::category_id.eq(c),
                    analytics_days::day.eq(t.day),
                    analytics_days::questions.eq(t.questions),
                    analytics_days::replies.eq(t.replies),
                    analytics_days::kudos.eq(t.kudos),
                    analytics_days::members.eq(t.members),
                )
            })
            .collect();
        diesel::insert_into(analytics_days::table)
            .values(values)
            .execute(conn)?;
    }
    Ok(())
}

type DayRow = (i64, i64, i64, i32, i32, i32);

/// The columns of a `DayRow`, as every member-day read selects them.
const DAY_COLUMNS: (
    analytics_member_days::category_id,
    analytics_member_days::day,
    analytics_member_days::user_id,
    analytics_member_days::questions,
    analytics_member_days::replies,
    analytics_member_days::kudos,
) = (
    analytics_member_days::category_id,
    analytics_member_days::day,
    analytics_member_days::user_id,
    analytics_member_days::questions,
    analytics_member_days::replies,
    analytics_member_days::kudos,
);

fn day_row((category_id, day, user_id, questions, replies, kudos): DayRow) -> MemberDayRow {
    MemberDayRow {
        day,
        category_id,
        user_id,
        questions,
        replies,
        kudos,
    }
}

/// Recompute a member's week rows from their day rows.
fn recompute_member_week(conn: &mut Conn, user: i64, week: i64) -> Result<()> {
    let days: Vec<DayRow> = analytics_member_days::table
        .filter(analytics_member_days::user_id.eq(user))
        .filter(analytics_member_days::day.ge(week))
        .filter(analytics_member_days::day.lt(week + 7 * DAY_MS))
        .select(DAY_COLUMNS)
        .load(conn)?;
    let days: Vec<MemberDayRow> = days.into_iter().map(day_row).collect();
    diesel::delete(
        analytics_member_weeks::table
            .filter(analytics_member_weeks::user_id.eq(user))
            .filter(analytics_member_weeks::week.eq(week)),
    )
    .execute(conn)?;
    write_member_weeks(conn, &rollups::week_rows(&days))
}

/// Recompute a day's totals (every board and the site) from its day rows.
fn recompute_day_totals(conn: &mut Conn, day: i64) -> Result<()> {
    // The key starts with the board: one range per board (and the site).
    let mut boards: Vec<i64> = categories::table.select(categories::id).load(conn)?;
    boards.push(0);
    let mut days: Vec<MemberDayRow> = Vec::new();
    for chunk in boards.chunks(BATCH) {
        let rows: Vec<DayRow> = analytics_member_days::table
            .filter(analytics_member_days::category_id.eq_any(chunk))
            .filter(analytics_member_days::day.eq(day))
            .select(DAY_COLUMNS)
            .load(conn)?;
        days.extend(rows.into_iter().map(day_row));
    }
    diesel::delete(analytics_days::table.filter(analytics_days::day.eq(day))).execute(conn)?;
    write_day_totals(conn, &rollups::day_total_rows(&days))
}

/// Recompute one member's rows of one day (every board: a moved thread
/// leaves nothing behind in its old board).
fn recompute_member_day(conn: &mut Conn, user: i64, day: i64) -> Result<()> {
    let mut days = MemberDays::default();
    for (c, q, n) in member_posts(conn, user, day, day + DAY_MS)? {
        days.add_posts(user, c, day, q, i32::try_from(n).unwrap_or(i32::MAX));
    }
    for (u, c, at) in member_kudos(conn, user, day, day + DAY_MS)? {
        days.add_kudo(u, c, at);
    }
    diesel::delete(
        analytics_member_days::table
            .filter(analytics_member_days::user_id.eq(user))
            .filter(analytics_member_days::day.eq(day)),
    )
    .execute(conn)?;
    write_member_days(conn, &days.rows())
}

/// Recompute a member's first visible post, per board and site-wide.
fn recompute_first_posts(conn: &mut Conn, user: i64) -> Result<()> {
    let firsts: Vec<(i64, Option<i64>)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .group_by(threads::category_id)
        .select((threads::category_id, diesel::dsl::min(posts::created_at)))
        .load(conn)?;
    diesel::delete(analytics_first_posts::table.filter(analytics_first_posts::user_id.eq(user)))
        .execute(conn)?;
    let rows = rollups::first_post_rows(
        firsts
            .into_iter()
            .filter_map(|(c, at)| at.map(|at| (user, c, at))),
    );
    write_first_posts(conn, &rows)
}

fn write_first_posts(conn: &mut Conn, rows: &[(i64, i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(u, c, at)| {
                (
                    analytics_first_posts::user_id.eq(u),
                    analytics_first_posts::category_id.eq(c),
                    analytics_first_posts::first_at.eq(at),
                )
            })
            .collect();
        diesel::insert_into(analytics_first_posts::table)
            .values(values)
            .execute(conn)?;
    }
    Ok(())
}

/// `(thread, board, asker, created, accepted at, accepted post)`.
type QuestionThreadRow = (i64, i64, i64, i64, Option<i64>, Option<i64>);

/// Visible questions among `ids`.
fn question_threads(conn: &mut Conn, ids: &[i64]) -> Result<Vec<QuestionThread>> {
    let rows: Vec<QuestionThreadRow> = threads::table
        .inner_join(posts::table)
        .filter(threads::id.eq_any(ids))
        .filter(posts::is_question.eq(true))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .filter(threads::deleted_at.is_null())
        .select((
            threads::id,
            threads::category_id,
            threads::author_id,
            threads::created_at,
            threads::accepted_at,
            threads::accepted_post_id,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(question_thread).collect())
}

fn question_thread(
    (thread_id, category_id, asker_id, created_at, accepted_at, accepted_post_id): QuestionThreadRow,
) -> QuestionThread {
    QuestionThread {
        thread_id,
        category_id,
        asker_id,
        created_at,
        accepted_at,
        accepted_post_id,
    }
}

/// Visible replies in `ids`.
fn replies_of(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ReplyFact>> {
    let rows: Vec<(i64, i64, i64, i64, String)> = posts::table
        .inner_join(users::table.on(users::id.eq(posts::author_id)))
        .filter(posts::thread_id.eq_any(ids))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::review_state.is_null())
        .select((
            posts::id,
            posts::thread_id,
            posts::author_id,
            posts::created_at,
            users::role,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(post_id, thread_id, author_id, at, role)| {
            Ok(ReplyFact {
                post_id,
                thread_id,
                author_id,
                at,
                role: parse_role(&role)?,
            })
        })
        .collect()
}

fn questions_of(conn: &mut Conn, ids: &[i64]) -> Result<Vec<QuestionRow>> {
    let threads = question_threads(conn, ids)?;
    let replies = replies_of(conn, ids)?;
    Ok(rollups::question_rows(&threads, &replies))
}

fn write_questions(conn: &mut Conn, rows: &[QuestionRow]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|q| {
                (
                    analytics_questions::thread_id.eq(q.thread_id),
                    analytics_questions::category_id.eq(q.category_id),
                    analytics_questions::asker_id.eq(q.asker_id),
                    analytics_questions::created_at.eq(q.created_at),
                    analytics_questions::accepted_at.eq(q.accepted_at),
                    analytics_questions::first_community_at.eq(q.first_community_at),
                    analytics_questions::first_staff_at.eq(q.first_staff_at),
                    analytics_questions::accepted_author_id.eq(q.accepted_author_id),
                )
            })
            .collect();
        diesel::insert_into(analytics_questions::table)
            .values(values)
            .execute(conn)?;
    }
    Ok(())
}

/// Recompute the question rows of these threads (gone when a thread is no
/// longer a visible question).
fn recompute_questions(conn: &mut Conn, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(BATCH) {
        let rows = questions_of(conn, chunk)?;
        diesel::delete(
            analytics_questions::table.filter(analytics_questions::thread_id.eq_any(chunk)),
        )
        .execute(conn)?;
        write_questions(conn, &rows)?;
    }
    Ok(())
}

/// The (member, day) pairs and members of every post of these threads and
/// every kudo on them, visible or not: a thread that moved, was deleted
/// or came back changes all of them.
fn touch_threads(conn: &mut Conn, ids: &[i64], t: &mut Touched) -> Result<()> {
    for chunk in ids.chunks(BATCH) {
        let posted: Vec<(i64, i64)> = posts::table
            .filter(posts::thread_id.eq_any(chunk))
            .select((posts::author_id, posts::created_at))
            .load(conn)?;
        for (u, at) in posted {
            t.member_day(u, day_of(at));
            t.members.insert(u);
        }
        let voted: Vec<(i64, i64)> = votes::table
            .inner_join(posts::table)
            .filter(posts::thread_id.eq_any(chunk))
            .select((votes::user_id, votes::created_at))
            .load(conn)?;
        for (u, at) in voted {
            t.member_day(u, day_of(at));
        }
        t.questions.extend(chunk.iter().copied());
    }
    Ok(())
}

/// One post's author and day, and its kudos' voters and days.
fn touch_post(conn: &mut Conn, post_id: i64, t: &mut Touched) -> Result<()> {
    let post: Option<(i64, i64, i64)> = posts::table
        .find(post_id)
        .select((posts::author_id, posts::created_at, posts::thread_id))
        .first(conn)
        .optional()?;
    if let Some((u, at, thread)) = post {
        t.member_day(u, day_of(at));
        t.members.insert(u);
        t.questions.insert(thread);
    }
    let voted: Vec<(i64, i64)> = votes::table
        .filter(votes::post_id.eq(post_id))
        .select((votes::user_id, votes::created_at))
        .load(conn)?;
    for (u, at) in voted {
        t.member_day(u, day_of(at));
    }
    Ok(())
}

/// A post just created: its member's day is recomputed; its first-post
/// and first-reply effects are minimum updates (`Touched::created_posts`).
/// It has no kudos yet.
fn touch_created_post(conn: &mut Conn, post_id: i64, t: &mut Touched) -> Result<()> {
    let post: Option<(i64, i64)> = posts::table
        .find(post_id)
        .select((posts::author_id, posts::created_at))
        .first(conn)
        .optional()?;
    if let Some((u, at)) = post {
        t.member_day(u, day_of(at));
        t.created_posts.insert(post_id);
    }
    Ok(())
}

/// The minimum updates of `Touched::created_posts`, skipping the members
/// and threads recomputed whole in the same batch.
fn apply_created_posts(conn: &mut Conn, t: &Touched) -> Result<()> {
    for post_id in &t.created_posts {
        type Row = (i64, i64, i64, bool, i64, String);
        let post: Option<Row> = posts::table
            .inner_join(threads::table)
            .inner_join(users::table.on(users::id.eq(posts::author_id)))
            .filter(posts::id.eq(post_id))
            .filter(posts::deleted_at.is_null())
            .filter(posts::review_state.is_null())
            .filter(threads::deleted_at.is_null())
            .select((
                posts::author_id,
                posts::thread_id,
                posts::created_at,
                posts::is_question,
                threads::category_id,
                users::role,
            ))
            .first(conn)
            .optional()?;
        // Not visible: it counts nowhere (a later restore recomputes).
        let Some((author, thread, at, is_question, category, role)) = post else {
            continue;
        };
        if !t.members.contains(&author) {
            for board in [category, 0] {
                let first: Option<i64> = analytics_first_posts::table
                    .find((author, board))
                    .select(analytics_first_posts::first_at)
                    .first(conn)
                    .optional()?;
                match first {
                    None => write_first_posts(conn, &[(author, board, at)])?,
                    Some(first) if at < first => {
                        diesel::update(analytics_first_posts::table.find((author, board)))
                            .set(analytics_first_posts::first_at.eq(at))
                            .execute(conn)?;
                    }
                    Some(_) => {}
                }
            }
        }
        if is_question || t.questions.contains(&thread) {
            continue;
        }
        let row: Option<(i64, Option<i64>, Option<i64>)> = analytics_questions::table
            .find(thread)
            .select((
                analytics_questions::asker_id,
                analytics_questions::first_community_at,
                analytics_questions::first_staff_at,
            ))
            .first(conn)
            .optional()?;
        // No row: not a visible question. The asker's replies never count.
        let Some((asker, community, staff)) = row else {
            continue;
        };
        if author == asker {
            continue;
        }
        if parse_role(&role)?.is_staff() {
            if staff.is_none_or(|s| at < s) {
                diesel::update(analytics_questions::table.find(thread))
                    .set(analytics_questions::first_staff_at.eq(at))
                    .execute(conn)?;
            }
        } else if community.is_none_or(|c| at < c) {
            diesel::update(analytics_questions::table.find(thread))
                .set(analytics_questions::first_community_at.eq(at))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// What each event changes (see `rollups::Touched`).
fn touched_by(conn: &mut Conn, events: &[Event]) -> Result<Touched> {
    let mut t = Touched::default();
    let mut whole: Vec<i64> = Vec::new();
    for e in events {
        match &e.body {
            // A new thread's question row is made whole (one post).
            EventBody::ThreadCreated(x) => {
                touch_created_post(conn, x.post_id, &mut t)?;
                t.questions.insert(x.thread_id);
            }
            EventBody::PostCreated(x) => touch_created_post(conn, x.post_id, &mut t)?,
            EventBody::PostDeleted(x) if x.is_question => whole.push(x.thread_id),
            EventBody::PostDeleted(x) => touch_post(conn, x.post_id, &mut t)?,
            EventBody::PostHeld(x) | EventBody::PostHidden(x) | EventBody::PostRestored(x) => {
                if x.is_question {
                    whole.push(x.thread_id);
                } else {
                    touch_post(conn, x.post_id, &mut t)?;
                }
            }
            EventBody::PostVoted(x) => {
                let at: Option<i64> = votes::table
                    .find((x.post_id, x.voter_id))
                    .select(votes::created_at)
                    .first(conn)
                    .optional()?;
                if let Some(at) = at {
                    t.member_day(x.voter_id, day_of(at));
                }
            }
            // The kudo is gone with its time: every day the voter has
            // kudos on record is recomputed.
            EventBody::PostUnvoted(x) => {
                let days: Vec<i64> = analytics_member_days::table
                    .filter(analytics_member_days::user_id.eq(x.voter_id))
                    .filter(analytics_member_days::kudos.gt(0))
                    .select(analytics_member_days::day)
                    .distinct()
                    .load(conn)?;
                for d in days {
                    t.member_day(x.voter_id, d);
                }
            }
            EventBody::SolutionAccepted(x) => {
                t.questions.insert(x.thread_id);
            }
            EventBody::SolutionUnaccepted(x) => {
                t.questions.insert(x.thread_id);
            }
            EventBody::ThreadMoved(x) => whole.push(x.thread_id),
            EventBody::ThreadImported(x) => whole.push(x.thread_id),
            // Community or staff is the role now: the questions the member
            // replied to are judged again.
            EventBody::UserRoleChanged(x) => {
                let threads: Vec<i64> = posts::table
                    .filter(posts::author_id.eq(x.user_id))
                    .filter(posts::is_question.eq(false))
                    .select(posts::thread_id)
                    .distinct()
                    .load(conn)?;
                t.questions.extend(threads);
            }
            EventBody::UserErased(x) => {
                whole.extend(x.threads.iter().copied());
                let days: Vec<i64> = analytics_member_days::table
                    .filter(analytics_member_days::user_id.eq(x.user_id))
                    .select(analytics_member_days::day)
                    .distinct()
                    .load(conn)?;
                for d in days {
                    t.member_day(x.user_id, d);
                }
                t.members.insert(x.user_id);
            }
            _ => {}
        }
    }
    whole.sort_unstable();
    whole.dedup();
    touch_threads(conn, &whole, &mut t)?;
    Ok(t)
}

fn apply(conn: &mut Conn, t: &Touched) -> Result<()> {
    let mut weeks = std::collections::BTreeSet::new();
    let mut days = std::collections::BTreeSet::new();
    for (user, day) in &t.member_days {
        recompute_member_day(conn, *user, *day)?;
        weeks.insert((*user, week_of(*day)));
        days.insert(*day);
    }
    for (user, week) in weeks {
        recompute_member_week(conn, user, week)?;
    }
    for day in days {
        recompute_day_totals(conn, day)?;
    }
    for user in &t.members {
        recompute_first_posts(conn, *user)?;
    }
    let ids: Vec<i64> = t.questions.iter().copied().collect();
    recompute_questions(conn, &ids)?;
    apply_created_posts(conn, t)
}

/// Handle a batch of events (the consumer). A consumer that never ran
/// starts with a rebuild: the outbox may no longer hold the history.
pub fn process(conn: &mut Conn, now: i64, limit: i64) -> Result<usize> {
    let started: bool = diesel::select(diesel::dsl::exists(
        outbox_cursors::table.filter(outbox_cursors::consumer.eq(CONSUMER)),
    ))
    .get_result(conn)?;
    if !started {
        rebuild(conn, now)?;
    }
    poll_events_in_tx(conn, now, CONSUMER, limit, &mut |conn, events| {
        let touched = touched_by(conn, events)?;
        apply(conn, &touched)
    })
}

/// Recompute every rollup from the facts, in one transaction, and move
/// the consumer past the events they already reflect.
pub fn rebuild(conn: &mut Conn, now: i64) -> Result<RebuildSummary> {
    ensure_cursor(conn, now, CONSUMER)?;
    transaction(conn, |conn| {
        let Some((cursor_tx, cursor_id)) = lock_cursor(conn, CONSUMER)? else {
            return Err(ForumError::Busy);
        };
        let head = outbox_head(conn)?;
        diesel::delete(analytics_member_days::table).execute(conn)?;
        diesel::delete(analytics_member_weeks::table).execute(conn)?;
        diesel::delete(analytics_days::table).execute(conn)?;
        diesel::delete(analytics_first_posts::table).execute(conn)?;
        diesel::delete(analytics_questions::table).execute(conn)?;
        let mut days = MemberDays::default();
        let mut firsts: std::collections::HashMap<(i64, i64), i64> = Default::default();
        let mut questions: Vec<QuestionThread> = Vec::new();
        let mut replies: Vec<ReplyFact> = Vec::new();
        let mut summary = RebuildSummary::default();
        // Every visible post, in id order and in pages.
        let mut after = 0i64;
        loop {
            type Row = (
                i64,
                i64,
                i64,
                i64,
                bool,
                i64,
                i64,
                i64,
                Option<i64>,
                Option<i64>,
                String,
            );
            let page: Vec<Row> = posts::table
                .inner_join(threads::table)
                .inner_join(users::table.on(users::id.eq(posts::author_id)))
                .filter(posts::id.gt(after))
                .filter(posts::deleted_at.is_null())
                .filter(posts::review_state.is_null())
                .filter(threads::deleted_at.is_null())
                .order(posts::id)
                .limit(20_000)
                .select((
                    posts::id,
                    posts::author_id,
                    threads::category_id,
                    posts::created_at,
                    posts::is_question,
                    threads::id,
                    threads::author_id,
                    threads::created_at,
                    threads::accepted_at,
                    threads::accepted_post_id,
                    users::role,
                ))
                .load(conn)?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.0;
            for (
                post,
                author,
                cat,
                at,
                is_q,
                thread,
                asker,
                created,
                accepted,
                accepted_post,
                role,
            ) in page
            {
                summary.posts += 1;
                days.add_post(author, cat, at, is_q);
                for key in [(author, cat), (author, 0)] {
                    let e = firsts.entry(key).or_insert(at);
                    *e = (*e).min(at);
                }
                if is_q {
                    questions.push(question_thread((
                        thread,
                        cat,
                        asker,
                        created,
                        accepted,
                        accepted_post,
                    )));
                } else {
                    replies.push(ReplyFact {
                        post_id: post,
                        thread_id: thread,
                        author_id: author,
                        at,
                        role: parse_role(&role)?,
                    });
                }
            }
        }
        // Kudos on visible posts, by ranges of post ids.
        let last_post: Option<i64> = posts::table
            .select(diesel::dsl::max(posts::id))
            .first(conn)?;
        let mut from = 0i64;
        while from <= last_post.unwrap_or(0) {
            let page: Vec<(i64, i64, i64)> = votes::table
                .inner_join(posts::table.inner_join(threads::table))
                .filter(votes::post_id.gt(from))
                .filter(votes::post_id.le(from + 20_000))
                .filter(posts::deleted_at.is_null())
                .filter(posts::review_state.is_null())
                .filter(threads::deleted_at.is_null())
                .select((votes::user_id, threads::category_id, votes::created_at))
                .load(conn)?;
            for (voter, cat, at) in page {
                summary.kudos += 1;
                days.add_kudo(voter, cat, at);
            }
            from += 20_000;
        }
        let rows = days.rows();
        summary.member_days = rows.len() as i64;
        write_member_days(conn, &rows)?;
        write_member_weeks(conn, &rollups::week_rows(&rows))?;
        write_day_totals(conn, &rollups::day_total_rows(&rows))?;
        let mut first_rows: Vec<(i64, i64, i64)> =
            firsts.into_iter().map(|((u, c), at)| (u, c, at)).collect();
        first_rows.sort_unstable();
        write_first_posts(conn, &first_rows)?;
        let question_rows = rollups::question_rows(&questions, &replies);
        summary.questions = question_rows.len() as i64;
        write_questions(conn, &question_rows)?;
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

/// Per day of `[from, to)`: (day, questions, replies, kudos, distinct
/// members), in the window's board and segment. Without a segment, the
/// day totals; with one, the segment's day rows.
pub fn day_totals(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<Vec<DayTotals>> {
    let board = w.category_id.unwrap_or(0);
    let Some(seg) = &w.segment else {
        let rows: Vec<(i64, i64, i64, i64, i64)> = analytics_days::table
            .filter(analytics_days::category_id.eq(board))
            .filter(analytics_days::day.ge(day_of(from)))
            .filter(analytics_days::day.lt(to))
            .order(analytics_days::day)
            .select((
                analytics_days::day,
                analytics_days::questions,
                analytics_days::replies,
                analytics_days::kudos,
                analytics_days::members,
            ))
            .load(conn)?;
        return Ok(rows
            .into_iter()
            .map(|(day, questions, replies, kudos, members)| DayTotals {
                day,
                questions,
                replies,
                kudos,
                members,
            })
            .collect());
    };
    let rows: Vec<DayRow> = analytics_member_days::table
        .filter(analytics_member_days::category_id.eq(board))
        .filter(analytics_member_days::day.ge(day_of(from)))
        .filter(analytics_member_days::day.lt(to))
        .filter(analytics_member_days::user_id.eq_any(segment_members(seg)))
        .select(DAY_COLUMNS)
        .load(conn)?;
    let days: Vec<MemberDayRow> = rows.into_iter().map(day_row).collect();
    Ok(rollups::day_total_rows(&days)
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// Load `select` from the member rows (`analytics_member_days` or
/// `analytics_member_weeks`, whose time column is `time`) of the window's
/// board and segment in `[from, to)`; `distinct = true` has the database
/// drop repeated rows.
macro_rules! load_member_rows {
    ($conn:expr, $w:expr, $table:ident, $time:ident, $from:expr, $to:expr, $select:expr) => {
        load_member_rows!(
            $conn,
            $w,
            $table,
            $time,
            $from,
            $to,
            $select,
            distinct = false
        )
    };
    ($conn:expr, $w:expr, $table:ident, $time:ident, $from:expr, $to:expr, $select:expr, distinct = $distinct:expr) => {{
        let mut q = $table::table
            .filter($table::category_id.eq($w.category_id.unwrap_or(0)))
            .filter($table::$time.ge($from))
            .filter($table::$time.lt($to))
            .select($select)
            .into_boxed();
        if $distinct {
            q = q.distinct();
        }
        if let Some(seg) = &$w.segment {
            q = q.filter($table::user_id.eq_any(segment_members(seg)));
        }
        q.load($conn)?
    }};
}

/// What each member of the window's board and segment did in `[from, to)`
/// (whole days): whole weeks from the week rows, the days at either end
/// from the day rows. Members with no row are absent.
pub fn member_sums(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<MemberSums> {
    use analytics_member_days as d;
    use analytics_member_weeks as wk;
    let (edges, weeks) = rollups::split_weeks(day_of(from), to);
    type Row = (i64, i32, i32, i32);
    let mut rows: Vec<Row> = Vec::new();
    if let Some((first, end)) = weeks {
        let select = (wk::user_id, wk::questions, wk::replies, wk::kudos);
        let loaded: Vec<Row> = load_member_rows!(conn, w, wk, week, first, end, select);
        rows.extend(loaded);
    }
    for (a, b) in edges {
        let select = (d::user_id, d::questions, d::replies, d::kudos);
        let loaded: Vec<Row> = load_member_rows!(conn, w, d, day, a, b, select);
        rows.extend(loaded);
    }
    let mut sums = MemberSums::with_capacity(rows.len().min(1 << 16));
    for (user, q, r, k) in rows {
        let e = sums.entry(user).or_default();
        e.0 += i64::from(q);
        e.1 += i64::from(r);
        e.2 += i64::from(k);
    }
    Ok(sums)
}

/// How many members were active in `[from, to)` (in the window's board
/// and segment): the distinct members of its whole weeks and edge days,
/// deduplicated by the database (no per-member sums are loaded).
pub fn member_count(conn: &mut Conn, w: &Window, from: i64, to: i64) -> Result<i64> {
    use analytics_member_days as d;
    use analytics_member_weeks as wk;
    let (edges, weeks) = rollups::split_weeks(day_of(from), to);
    let mut members: std::collections::HashSet<i64> = Default::default();
    if let Some((first, end)) = weeks {
        let ids: Vec<i64> =
            load_member_rows!(conn, w, wk, week, first, end, wk::user_id, distinct = true);
        members.extend(ids);
    }
    for (a, b) in edges {
        let ids: Vec<i64> = load_member_rows!(conn, w, d, day, a, b, d::user_id, distinct = true);
        members.extend(ids);
    }
    Ok(members.len() as i64)
}

/// Members whose first visible post (in the board, or site-wide) falls in
/// the window.
pub fn new_contributors(conn: &mut Conn, w: &Window) -> Result<i64> {
    let mut q = analytics_first_posts::table
        .filter(analytics_first_posts::category_id.eq(w.category_id.unwrap_or(0)))
        .filter(analytics_first_posts::first_at.ge(w.from))
        .filter(analytics_first_posts::first_at.lt(w.to))
        .count()
        .into_boxed();
    if let Some(seg) = &w.segment {
        q = q.filter(analytics_first_posts::user_id.eq_any(segment_members(seg)));
    }
    Ok(q.get_result(conn)?)
}

/// The author of each answer accepted in the window (board and segment
/// of the answer's author), as `analytics_store::accepted_authors` reads
/// it from the facts.
pub fn accepted_authors(conn: &mut Conn, w: &Window) -> Result<Vec<i64>> {
    let mut q = analytics_questions::table
        .filter(analytics_questions::accepted_at.ge(w.from))
        .filter(analytics_questions::accepted_at.lt(w.to))
        .filter(analytics_questions::accepted_author_id.is_not_null())
        .select(analytics_questions::accepted_author_id)
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(analytics_questions::category_id.eq(c));
    }
    if let Some(seg) = &w.segment {
        q = q.filter(
            analytics_questions::accepted_author_id
                .assume_not_null()
                .eq_any(segment_members(seg)),
        );
    }
    let authors: Vec<Option<i64>> = q.load(conn)?;
    Ok(authors.into_iter().flatten().collect())
}

/// The question rows of the window (created in it).
pub fn window_questions(conn: &mut Conn, w: &Window) -> Result<Vec<QuestionRow>> {
    type Row = (
        i64,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let mut q = analytics_questions::table
        .filter(analytics_questions::created_at.ge(w.from))
        .filter(analytics_questions::created_at.lt(w.to))
        .select((
            analytics_questions::thread_id,
            analytics_questions::category_id,
            analytics_questions::asker_id,
            analytics_questions::created_at,
            analytics_questions::accepted_at,
            analytics_questions::first_community_at,
            analytics_questions::first_staff_at,
            analytics_questions::accepted_author_id,
        ))
        .into_boxed();
    if let Some(c) = w.category_id {
        q = q.filter(analytics_questions::category_id.eq(c));
    }
    if let Some(seg) = &w.segment {
        q = q.filter(analytics_questions::asker_id.eq_any(segment_members(seg)));
    }
    let rows: Vec<Row> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(thread_id, category_id, asker_id, created_at, accepted_at, c, s, a)| QuestionRow {
                thread_id,
                category_id,
                asker_id,
                created_at,
                accepted_at,
                first_community_at: c,
                first_staff_at: s,
                accepted_author_id: a,
            },
        )
        .collect())
}
