//! The home page's reads, compiled per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`) as `…_store::front`: ten queries on one connection
//! (boards and their counts, three thread lists by id, their rows, the
//! accepted answers, the featured articles, the contributors and their
//! names), none per item.

#[allow(unused_imports)]
use super::*;

use crate::front::{
    AnswerSummary, FeaturedArticle, FrontLimits, FrontPage, SolvedThread, ANSWER_EXCERPT_CHARS,
};

/// Which of the home page's thread lists.
#[derive(Clone, Copy)]
enum List {
    Latest,
    Unanswered,
    Solved,
}

/// The ids of one list's threads in `boards`, in the list's order.
fn list_ids(conn: &mut Conn, boards: &[i64], list: List, limit: i64) -> Result<Vec<i64>> {
    if limit <= 0 || boards.is_empty() {
        return Ok(Vec::new());
    }
    // `+category_id`: not the board index (which would fetch every thread
    // of every visible board and sort them) but the time index, read
    // newest first until the list is full (0.1 ms instead of 100 ms at
    // 200,000 threads on SQLite). The unary plus is the same number on
    // both backends.
    let board = diesel::dsl::sql::<diesel::sql_types::BigInt>("+threads.category_id");
    let mut q = threads::table
        .filter(board.eq_any(boards))
        .filter(threads::deleted_at.is_null())
        .select(threads::id)
        .into_boxed();
    q = match list {
        List::Latest => q.order((threads::last_activity_at.desc(), threads::id.desc())),
        // A thread without replies was last active when it was asked.
        List::Unanswered => q
            .filter(threads::reply_count.eq(0))
            .filter(threads::status.ne(ThreadStatus::Locked.as_str()))
            .order((threads::last_activity_at.desc(), threads::id.desc())),
        // Solved threads have an acceptance time. Saying so lets
        // PostgreSQL skip the index's NULLs, which it sorts first when
        // reading newest first (SQLite sorts them last).
        List::Solved => q
            .filter(threads::status.eq(ThreadStatus::Solved.as_str()))
            .filter(threads::accepted_at.is_not_null())
            .order((threads::accepted_at.desc(), threads::id.desc())),
    };
    Ok(q.limit(limit).load(conn)?)
}

fn summary(t: ThreadRow, author: UserRefRow, slug: String) -> Result<ThreadSummary> {
    Ok(ThreadSummary {
        id: t.id,
        category_id: t.category_id,
        category_slug: slug,
        title: t.title,
        status: parse_status(&t.status)?,
        author: author.into_ref()?,
        tags: Vec::new(),
        reply_count: t.reply_count,
        view_count: t.view_count,
        accepted_post_id: t.accepted_post_id,
        created_at: t.created_at,
        last_activity_at: t.last_activity_at,
    })
}

pub fn front_page(
    conn: &mut Conn,
    viewer: Option<Actor>,
    limits: FrontLimits,
    contributors_since: i64,
) -> Result<FrontPage> {
    // Visible and not archived: an archived board is off the home page,
    // and so are its threads and articles.
    let categories = list_categories(conn, viewer)?;
    let boards: Vec<i64> = categories.iter().map(|c| c.id).collect();

    let latest = list_ids(conn, &boards, List::Latest, limits.latest)?;
    let unanswered = list_ids(conn, &boards, List::Unanswered, limits.unanswered)?;
    let solved = list_ids(conn, &boards, List::Solved, limits.solved)?;
    let mut all: Vec<i64> = latest
        .iter()
        .chain(&unanswered)
        .chain(&solved)
        .copied()
        .collect();
    all.sort_unstable();
    all.dedup();
    let rows: Vec<(ThreadRow, UserRefRow, String)> = if all.is_empty() {
        Vec::new()
    } else {
        threads::table
            .inner_join(users::table)
            .inner_join(categories::table)
            .filter(threads::id.eq_any(&all))
            .select((
                ThreadRow::as_select(),
                UserRefRow::as_select(),
                categories::slug,
            ))
            .load(conn)?
    };
    let mut by_id = std::collections::HashMap::with_capacity(rows.len());
    for (t, author, slug) in rows {
        by_id.insert(t.id, summary(t, author, slug)?);
    }
    let pick = |ids: &[i64]| -> Vec<ThreadSummary> {
        ids.iter().filter_map(|id| by_id.get(id).cloned()).collect()
    };
    let latest = pick(&latest);
    let unanswered = pick(&unanswered);
    let solved = pick(&solved);

    let accepted: Vec<i64> = solved.iter().filter_map(|t| t.accepted_post_id).collect();
    let answers: Vec<(i64, String, UserRefRow)> = if accepted.is_empty() {
        Vec::new()
    } else {
        posts::table
            .inner_join(users::table)
            .filter(posts::id.eq_any(&accepted))
            .filter(posts::deleted_at.is_null())
            .select((posts::id, posts::body_md, UserRefRow::as_select()))
            .load(conn)?
    };
    let mut answers: std::collections::HashMap<i64, AnswerSummary> = answers
        .into_iter()
        .map(|(id, body, author)| {
            Ok((
                id,
                AnswerSummary {
                    post_id: id,
                    author: author.into_ref()?,
                    excerpt: crate::markdown::excerpt(&body, ANSWER_EXCERPT_CHARS),
                },
            ))
        })
        .collect::<Result<_>>()?;
    let solved = solved
        .into_iter()
        .map(|thread| SolvedThread {
            answer: thread.accepted_post_id.and_then(|id| answers.remove(&id)),
            thread,
        })
        .collect();

    let articles = if boards.is_empty() || limits.articles <= 0 {
        Vec::new()
    } else {
        let rows: Vec<(String, String, String, i64, i32)> = kb_articles::table
            .filter(kb_articles::status.eq("published"))
            .filter(kb_articles::category_id.eq_any(&boards))
            .filter(kb_articles::not_helpful.le(kb_articles::helpful))
            .order((
                (kb_articles::helpful - kb_articles::not_helpful).desc(),
                kb_articles::helpful.desc(),
                kb_articles::published_at.desc(),
                kb_articles::id.desc(),
            ))
            .limit(limits.articles)
            .select((
                kb_articles::slug,
                kb_articles::title,
                kb_articles::language,
                kb_articles::category_id,
                kb_articles::helpful,
            ))
            .load(conn)?;
        rows.into_iter()
            .map(
                |(slug, title, language, category_id, helpful)| FeaturedArticle {
                    slug,
                    title,
                    language,
                    category_name: categories
                        .iter()
                        .find(|c| c.id == category_id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    helpful,
                },
            )
            .collect()
    };

    let contributors = if limits.contributors == 0 {
        Vec::new()
    } else {
        reputation::leaderboard(conn, contributors_since, None, limits.contributors)?
    };

    Ok(FrontPage {
        categories,
        latest,
        unanswered,
        solved,
        articles,
        contributors,
    })
}
