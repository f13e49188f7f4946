//! What the search index is fed: thread documents, one at a time
//! (after a change) or in bulk (a rebuild).
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

/// What a search document is made of, however it was loaded.
pub(super) struct DocumentParts {
    question_md: Option<String>,
    accepted_answer_md: Option<String>,
    best_replies_md: Vec<String>,
    votes: i64,
    tags: Vec<String>,
}

pub(super) fn thread_document(
    t: ThreadRow,
    category_slug: String,
    (private, visible_to): (bool, String),
    parts: DocumentParts,
    answered_by_article: bool,
    idea: Option<IdeaDocument>,
) -> Result<ThreadDocument> {
    Ok(ThreadDocument {
        answered_by_article,
        idea,
        id: t.id,
        title: t.title,
        deleted: t.deleted_at.is_some() || parts.question_md.is_none(),
        question_md: parts.question_md.unwrap_or_default(),
        accepted_answer_md: parts.accepted_answer_md,
        replies_md: parts.best_replies_md,
        tags: parts.tags,
        category_slug,
        private,
        visible_to: visible_to.parse().unwrap_or(Role::Admin),
        status: parse_status(&t.status)?,
        votes: parts.votes,
        created_at: t.created_at,
        updated_at: t.last_activity_at,
    })
}

/// Threads among `rows` a published KB article was made from, where the
/// article's board is at least as visible as the thread's (a reader who
/// finds the thread must find the article instead).
fn answered_by_articles(
    conn: &mut Conn,
    rows: &[(ThreadRow, String, (bool, String))],
) -> Result<std::collections::BTreeSet<i64>> {
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let sources: Vec<(i64, String)> = kb_article_sources::table
        .inner_join(kb_articles::table.inner_join(categories::table))
        .filter(kb_article_sources::thread_id.eq_any(&ids))
        .filter(kb_articles::status.eq("published"))
        .select((kb_article_sources::thread_id, categories::see_min_role))
        .load(conn)?;
    let level = |role: &str| role.parse::<Role>().map_or(u8::MAX, Role::level);
    Ok(rows
        .iter()
        .filter(|(t, _, (_, thread_role))| {
            sources
                .iter()
                .any(|(id, article_role)| *id == t.id && level(article_role) <= level(thread_role))
        })
        .map(|(t, _, _)| t.id)
        .collect())
}

/// The ideas among `ids`, with their status and votes.
fn idea_documents(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, IdeaDocument>> {
    let rows: Vec<(i64, String, String, i32, Option<i64>)> = ideas::table
        .inner_join(idea_statuses::table)
        .filter(ideas::thread_id.eq_any(ids))
        .select((
            ideas::thread_id,
            idea_statuses::slug,
            idea_statuses::kind,
            ideas::vote_count,
            ideas::merged_into,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, status_slug, status_kind, votes, merged_into)| {
            (
                id,
                IdeaDocument {
                    status_slug,
                    status_kind,
                    vote_count: i64::from(votes),
                    merged: merged_into.is_some(),
                },
            )
        })
        .collect())
}

/// The most-kudoed other replies a document carries.
pub(super) const BEST_REPLIES: usize = 5;

/// Documents for many threads at once (a rebuild): every live post of
/// these threads in one query.
pub(super) fn load_thread_documents(
    conn: &mut Conn,
    rows: Vec<(ThreadRow, String, (bool, String))>,
) -> Result<Vec<ThreadDocument>> {
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let superseded = answered_by_articles(conn, &rows)?;
    let mut ideas = idea_documents(conn, &ids)?;
    let post_rows: Vec<PostRow> = posts::table
        .filter(posts::thread_id.eq_any(&ids))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .load(conn)?;
    let tags: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    rows.into_iter()
        .map(|(t, slug, private)| {
            let mine: Vec<&PostRow> = post_rows.iter().filter(|p| p.thread_id == t.id).collect();
            let mut others: Vec<&&PostRow> = mine
                .iter()
                .filter(|p| !p.is_question && Some(p.id) != t.accepted_post_id)
                .collect();
            others.sort_by_key(|p| (-p.kudos, p.id));
            let parts = DocumentParts {
                question_md: mine
                    .iter()
                    .find(|p| p.is_question)
                    .map(|p| p.body_md.clone()),
                accepted_answer_md: t
                    .accepted_post_id
                    .and_then(|a| mine.iter().find(|p| p.id == a))
                    .map(|p| p.body_md.clone()),
                best_replies_md: others
                    .iter()
                    .take(BEST_REPLIES)
                    .map(|p| p.body_md.clone())
                    .collect(),
                votes: mine.iter().map(|p| i64::from(p.kudos)).sum(),
                tags: tags
                    .iter()
                    .filter(|(id, _)| *id == t.id)
                    .map(|(_, g)| g.clone())
                    .collect(),
            };
            let by_article = superseded.contains(&t.id);
            let idea = ideas.remove(&t.id);
            thread_document(t, slug, private, parts, by_article, idea)
        })
        .collect()
}

/// Documents for the given threads (deleted ones flagged), in id order.
/// Ids that do not exist at all are simply absent. Each thread costs a few
/// indexed queries, not a read of all its replies: the indexer calls this
/// after every reply, and a thread may have thousands.
pub fn thread_documents(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ThreadDocument>> {
    let rows: Vec<(ThreadRow, String, (bool, String))> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(ids))
        .order(threads::id.asc())
        .select((
            ThreadRow::as_select(),
            categories::slug,
            (categories::is_private, categories::see_min_role),
        ))
        .load(conn)?;
    let superseded = answered_by_articles(conn, &rows)?;
    let mut ideas = idea_documents(conn, ids)?;
    rows.into_iter()
        .map(|(t, slug, private)| {
            let live = posts::table
                .filter(posts::thread_id.eq(t.id))
                .filter(posts::deleted_at.is_null());
            let accepted = t.accepted_post_id.unwrap_or(-1);
            let heads: Vec<(i64, bool, String)> = live
                .filter(posts::is_question.eq(true).or(posts::id.eq(accepted)))
                .select((posts::id, posts::is_question, posts::body_md))
                .load(conn)?;
            let best_replies_md: Vec<String> = live
                .filter(posts::is_question.eq(false))
                .filter(posts::id.ne(accepted))
                .order((posts::kudos.desc(), posts::id.asc()))
                .limit(BEST_REPLIES as i64)
                .select(posts::body_md)
                .load(conn)?;
            let votes: Option<i64> = live.select(diesel::dsl::sum(posts::kudos)).first(conn)?;
            let tags: Vec<String> = thread_tags::table
                .filter(thread_tags::thread_id.eq(t.id))
                .order(thread_tags::tag)
                .select(thread_tags::tag)
                .load(conn)?;
            let head = |question: bool| {
                heads
                    .iter()
                    .find(|h| h.1 == question && (question || h.0 == accepted))
                    .map(|h| h.2.clone())
            };
            let parts = DocumentParts {
                question_md: head(true),
                accepted_answer_md: head(false),
                best_replies_md,
                votes: votes.unwrap_or(0),
                tags,
            };
            let by_article = superseded.contains(&t.id);
            let idea = ideas.remove(&t.id);
            thread_document(t, slug, private, parts, by_article, idea)
        })
        .collect()
}

/// Live thread documents after `after_id`, for a full rebuild.
pub fn thread_documents_after(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
) -> Result<Vec<ThreadDocument>> {
    let rows: Vec<(ThreadRow, String, (bool, String))> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.gt(after_id))
        .filter(threads::deleted_at.is_null())
        .order(threads::id.asc())
        .limit(limit)
        .select((
            ThreadRow::as_select(),
            categories::slug,
            (categories::is_private, categories::see_min_role),
        ))
        .load(conn)?;
    load_thread_documents(conn, rows)
}
