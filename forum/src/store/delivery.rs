//! The delivery queue shared by mail and the CRM connector (see
//! `crate::delivery`): enqueue, leased claims, outcomes, dead letters.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); the claim's row selection (`due_delivery_ids`) is the
//! backend's own.

#[allow(unused_imports)]
use super::*;

use crate::delivery::{NewDelivery, QueuedDelivery, Retry, Stamp};

pub fn enqueue(conn: &mut Conn, now: i64, item: NewDelivery<'_>) -> Result<()> {
    use delivery_queue as q;
    use diesel::upsert::excluded;
    let insert = diesel::insert_into(q::table).values((
        q::channel.eq(item.channel),
        q::kind.eq(item.kind),
        q::subject_id.eq(item.subject_id),
        q::ref_id.eq(item.ref_id),
        q::status.eq("pending"),
        q::attempts.eq(0),
        q::next_attempt_at.eq(now),
        q::created_at.eq(now),
        q::updated_at.eq(now),
    ));
    let key = (q::channel, q::kind, q::subject_id, q::ref_id);
    if item.coalesce {
        insert
            .on_conflict(key)
            .do_update()
            .set((
                q::status.eq("pending"),
                q::attempts.eq(0),
                q::next_attempt_at.eq(excluded(q::next_attempt_at)),
                q::last_error.eq(None::<String>),
                // Strictly newer than any version a worker may hold.
                q::updated_at.eq(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                    "CASE WHEN excluded.updated_at > delivery_queue.updated_at \
                     THEN excluded.updated_at ELSE delivery_queue.updated_at + 1 END",
                )),
            ))
            .execute(conn)?;
    } else {
        insert.on_conflict(key).do_nothing().execute(conn)?;
    }
    Ok(())
}

/// Due items of `channel`, leased until `now + lease_ms` so that other
/// workers pass them over, in the caller's transaction.
pub fn claim_in(
    conn: &mut Conn,
    now: i64,
    channel: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<QueuedDelivery>> {
    use delivery_queue as q;
    let ids = due_delivery_ids(conn, now, channel, limit)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(q::table.filter(q::id.eq_any(&ids)))
        .set(q::next_attempt_at.eq(now + lease_ms))
        .execute(conn)?;
    Ok(q::table
        .filter(q::id.eq_any(&ids))
        .order(q::id.asc())
        .select(QueuedDelivery::as_select())
        .load(conn)?)
}

pub fn claim(
    conn: &mut Conn,
    now: i64,
    channel: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<QueuedDelivery>> {
    transaction(conn, |conn| claim_in(conn, now, channel, lease_ms, limit))
}

/// Done, unless the item was re-queued after it was claimed.
pub fn finish(conn: &mut Conn, now: i64, stamp: Stamp) -> Result<bool> {
    use delivery_queue as q;
    let n = diesel::update(
        q::table
            .find(stamp.id)
            .filter(q::updated_at.eq(stamp.updated_at))
            .filter(q::status.eq("pending")),
    )
    .set((
        q::status.eq("done"),
        q::attempts.eq(q::attempts + 1),
        q::last_error.eq(None::<String>),
        q::next_attempt_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn fail(conn: &mut Conn, stamp: Stamp, retry: Retry, error: &str) -> Result<()> {
    use delivery_queue as q;
    let error: String = error.chars().take(2000).collect();
    let (status, next_at) = match retry.next_at {
        Some(at) => ("pending", at),
        None => ("dead", 0),
    };
    diesel::update(
        q::table
            .find(stamp.id)
            .filter(q::updated_at.eq(stamp.updated_at))
            .filter(q::status.eq("pending")),
    )
    .set((
        q::status.eq(status),
        q::attempts.eq(retry.attempts),
        q::next_attempt_at.eq(next_at),
        q::last_error.eq(error),
    ))
    .execute(conn)?;
    Ok(())
}

/// Back to waiting without counting an attempt.
pub fn defer(conn: &mut Conn, id: i64, until: i64) -> Result<()> {
    use delivery_queue as q;
    diesel::update(q::table.find(id).filter(q::status.eq("pending")))
        .set(q::next_attempt_at.eq(until))
        .execute(conn)?;
    Ok(())
}

pub fn is_pending(conn: &mut Conn, channel: &str, kind: &str, subject_id: i64) -> Result<bool> {
    use delivery_queue as q;
    Ok(diesel::select(diesel::dsl::exists(
        q::table
            .filter(q::channel.eq(channel))
            .filter(q::kind.eq(kind))
            .filter(q::subject_id.eq(subject_id))
            .filter(q::status.eq("pending")),
    ))
    .get_result(conn)?)
}

pub fn list(
    conn: &mut Conn,
    channel: &str,
    status: &str,
    limit: i64,
) -> Result<Vec<QueuedDelivery>> {
    use delivery_queue as q;
    Ok(q::table
        .filter(q::channel.eq(channel))
        .filter(q::status.eq(status))
        .order(q::id.asc())
        .limit(limit)
        .select(QueuedDelivery::as_select())
        .load(conn)?)
}

pub fn replay_dead(conn: &mut Conn, now: i64, channel: &str, id: Option<i64>) -> Result<usize> {
    use delivery_queue as q;
    let mut update = diesel::update(q::table)
        .filter(q::channel.eq(channel))
        .filter(q::status.eq("dead"))
        .into_boxed();
    if let Some(id) = id {
        update = update.filter(q::id.eq(id));
    }
    Ok(update
        .set((
            q::status.eq("pending"),
            q::attempts.eq(0),
            q::next_attempt_at.eq(now),
            q::updated_at.eq(now),
        ))
        .execute(conn)?)
}

pub fn counts(conn: &mut Conn, channel: &str) -> Result<(i64, i64, i64)> {
    use delivery_queue as q;
    let rows: Vec<(String, i64)> = q::table
        .filter(q::channel.eq(channel))
        .group_by(q::status)
        .select((q::status, diesel::dsl::count_star()))
        .load(conn)?;
    let of = |s: &str| rows.iter().find(|r| r.0 == s).map_or(0, |r| r.1);
    Ok((of("pending"), of("done"), of("dead")))
}
