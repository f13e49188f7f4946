//! Moderation by rank: moving threads and marking duplicates.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

/// Move a thread to another board. `by_rank`: the actor's rank grants it.
pub fn move_thread(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    by_rank: bool,
    thread_id: i64,
    category_slug: &str,
) -> Result<()> {
    if !actor.role.can_moderate() && !by_rank {
        return Err(ForumError::Forbidden(
            "only moderators and community leaders can move threads",
        ));
    }
    transaction(conn, |conn| {
        let (thread, from) = visible_thread(conn, thread_id, Some(actor))?;
        let to = category_by_slug(conn, category_slug, Some(actor))?;
        if to.id == thread.category_id {
            return Ok(());
        }
        diesel::update(threads::table.find(thread_id))
            .set(threads::category_id.eq(to.id))
            .execute(conn)?;
        super::boards::recount_board_threads(conn, thread.category_id)?;
        super::boards::recount_board_threads(conn, to.id)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::ThreadMoved(events::ThreadMoved {
                thread_id,
                from: from.slug.clone(),
                to: to.slug.clone(),
                category_id: to.id,
                private: to.is_private,
            }),
        )
    })
}

/// Mark a thread as a duplicate of another (or clear it with `None`).
pub fn mark_duplicate(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    by_rank: bool,
    thread_id: i64,
    of: Option<i64>,
) -> Result<()> {
    if !actor.role.can_moderate() && !by_rank {
        return Err(ForumError::Forbidden(
            "only moderators and community leaders can mark duplicates",
        ));
    }
    transaction(conn, |conn| {
        visible_thread(conn, thread_id, Some(actor))?;
        if let Some(original) = of {
            if original == thread_id {
                return Err(ForumError::invalid(
                    "duplicate_of",
                    crate::Rule::DuplicateLoop,
                    "a thread cannot duplicate itself",
                ));
            }
            let (target, _) = visible_thread(conn, original, Some(actor))?;
            if target.duplicate_of == Some(thread_id) {
                return Err(ForumError::invalid(
                    "duplicate_of",
                    crate::Rule::DuplicateLoop,
                    "that thread is marked a duplicate of this one",
                ));
            }
        }
        diesel::update(threads::table.find(thread_id))
            .set(threads::duplicate_of.eq(of))
            .execute(conn)?;
        emit(
            conn,
            now,
            Some(actor.user_id),
            EventBody::ThreadDuplicate(events::ThreadDuplicate {
                thread_id,
                duplicate_of: of,
            }),
        )
    })
}

pub fn duplicate_of(conn: &mut Conn, thread_id: i64) -> Result<Option<(i64, String)>> {
    let of: Option<i64> = threads::table
        .find(thread_id)
        .select(threads::duplicate_of)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten();
    let Some(of) = of else { return Ok(None) };
    Ok(threads::table
        .find(of)
        .filter(threads::deleted_at.is_null())
        .select((threads::id, threads::title))
        .first(conn)
        .optional()?)
}

/// Threads `user_id`'s answer solved that `viewer` may read, newest
/// solution first, one page: (thread, title).
pub fn accepted_answers(
    conn: &mut Conn,
    user_id: i64,
    viewer: Option<Actor>,
    paging: crate::Paging,
) -> Result<Paged<(i64, String)>> {
    let visible = visible_category_ids(conn, viewer)?;
    let solved = || {
        threads::table
            .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
            .filter(posts::author_id.eq(user_id))
            .filter(posts::deleted_at.is_null())
            .filter(threads::deleted_at.is_null())
            .filter(threads::category_id.eq_any(visible.clone()))
    };
    let total: i64 = solved().count().get_result(conn)?;
    let items = solved()
        .order((threads::accepted_at.desc(), threads::id.desc()))
        .limit(paging.per_page)
        .offset(paging.skip())
        .select((threads::id, threads::title))
        .load(conn)?;
    Ok(Paged {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    })
}

/// `user_id`'s replies `viewer` may read (not deleted, not held or
/// hidden), newest first, one page.
pub fn recent_replies(
    conn: &mut Conn,
    user_id: i64,
    viewer: Option<Actor>,
    paging: crate::Paging,
) -> Result<Paged<RecentReply>> {
    let visible = visible_category_ids(conn, viewer)?;
    let replies = || {
        posts::table
            .inner_join(threads::table)
            .filter(posts::author_id.eq(user_id))
            .filter(posts::is_question.eq(false))
            .filter(posts::deleted_at.is_null())
            .filter(posts::review_state.is_null())
            .filter(threads::deleted_at.is_null())
            .filter(threads::category_id.eq_any(visible.clone()))
    };
    let total: i64 = replies().count().get_result(conn)?;
    let rows: Vec<(i64, i64, String, i64, String)> = replies()
        .order(posts::id.desc())
        .limit(paging.per_page)
        .offset(paging.skip())
        .select((
            posts::id,
            threads::id,
            threads::title,
            posts::created_at,
            posts::body_md,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(
            |(post_id, thread_id, thread_title, created_at, body_md)| RecentReply {
                post_id,
                thread_id,
                thread_title,
                created_at,
                body_md,
            },
        )
        .collect();
    Ok(Paged {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    })
}
