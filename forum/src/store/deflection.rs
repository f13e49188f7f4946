//! Ask-page sessions and suggestion clicks: the deflection figures.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

pub fn start_ask_session(
    conn: &mut Conn,
    now: i64,
    ask_id: &str,
    user_id: Option<i64>,
    category_id: Option<i64>,
    holdout: bool,
) -> Result<()> {
    diesel::insert_into(ask_sessions::table)
        .values((
            ask_sessions::ask_id.eq(ask_id),
            ask_sessions::user_id.eq(user_id),
            ask_sessions::started_at.eq(now),
            ask_sessions::category_id.eq(category_id),
            ask_sessions::holdout.eq(holdout),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

pub fn record_suggestion_open(
    conn: &mut Conn,
    now: i64,
    ask_id: &str,
    user_id: Option<i64>,
    kind: &str,
    doc_id: i64,
) -> Result<()> {
    transaction(conn, |conn| {
        start_ask_session(conn, now, ask_id, user_id, None, false)?;
        diesel::update(ask_sessions::table.find(ask_id))
            .set((
                ask_sessions::opened_kind.eq(Some(kind)),
                ask_sessions::opened_id.eq(Some(doc_id)),
                ask_sessions::opened_at.eq(Some(now)),
                ask_sessions::opened_count.eq(ask_sessions::opened_count + 1),
            ))
            .execute(conn)?;
        emit(
            conn,
            now,
            user_id,
            EventBody::SuggestionOpened(events::SuggestionOpened {
                ask_id: ask_id.to_owned(),
                kind: kind.to_owned(),
                doc_id,
            }),
        )
    })
}

/// The session ended in a thread: the board is the one posted to.
pub fn mark_ask_posted(conn: &mut Conn, ask_id: &str, thread_id: i64) -> Result<()> {
    let board: Option<i64> = threads::table
        .find(thread_id)
        .select(threads::category_id)
        .first(conn)
        .optional()?;
    diesel::update(ask_sessions::table.find(ask_id))
        .set((
            ask_sessions::posted_thread_id.eq(Some(thread_id)),
            ask_sessions::category_id.eq(board),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sessions started in [since, until). A session still in progress is not a
/// deflection yet, so callers pass an `until` some minutes in the past.
pub fn deflection_stats(conn: &mut Conn, since: i64, until: i64) -> Result<DeflectionStats> {
    let base = || {
        ask_sessions::table
            .filter(ask_sessions::started_at.ge(since))
            .filter(ask_sessions::started_at.lt(until))
    };
    let ask_sessions: i64 = base().count().get_result(conn)?;
    let opened_suggestion: i64 = base()
        .filter(ask_sessions::opened_id.is_not_null())
        .count()
        .get_result(conn)?;
    let posted: i64 = base()
        .filter(ask_sessions::posted_thread_id.is_not_null())
        .count()
        .get_result(conn)?;
    let deflected: i64 = base()
        .filter(ask_sessions::opened_id.is_not_null())
        .filter(ask_sessions::posted_thread_id.is_null())
        .count()
        .get_result(conn)?;
    Ok(DeflectionStats {
        ask_sessions,
        opened_suggestion,
        posted,
        deflected,
    })
}
