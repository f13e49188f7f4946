//! The transactional outbox: emitting events, consumer cursors, polling,
//! lag, dead letters and pruning.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

/// Publish `body` in the caller's transaction.
pub fn emit(conn: &mut Conn, now: i64, actor: Option<i64>, body: EventBody) -> Result<()> {
    let (kind, payload) = body.encode();
    diesel::insert_into(outbox_events::table)
        .values(NewEventRow {
            kind,
            aggregate_id: body.aggregate_id(),
            actor_id: actor,
            payload: &payload,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

pub(super) fn events_after(
    conn: &mut Conn,
    bound: i64,
    from: OutboxPosition,
    limit: i64,
) -> Result<Vec<EventRow>> {
    // Two index range scans on (tx_id, id): the rest of the current
    // transaction id, then later ones. One query with an OR made SQLite walk
    // the index from the start, so every poll cost O(outbox size).
    let mut rows: Vec<EventRow> = if from.tx_id < bound {
        outbox_events::table
            .filter(outbox_events::tx_id.eq(from.tx_id))
            .filter(outbox_events::id.gt(from.event_id))
            .order(outbox_events::id.asc())
            .limit(limit)
            .select(EventRow::as_select())
            .load(conn)?
    } else {
        Vec::new()
    };
    let room = limit - rows.len() as i64;
    if room > 0 {
        rows.extend(
            outbox_events::table
                .filter(outbox_events::tx_id.gt(from.tx_id))
                .filter(outbox_events::tx_id.lt(bound))
                .order((outbox_events::tx_id.asc(), outbox_events::id.asc()))
                .limit(room)
                .select(EventRow::as_select())
                .load::<EventRow>(conn)?,
        );
    }
    Ok(rows)
}

/// Typed events from stored rows. A row this build cannot read (unknown
/// kind, malformed payload, newer version) is logged, counted and recorded
/// as `consumer`'s dead letter in the caller's transaction, then passed
/// over: a consumer never sees it as an empty payload.
pub(super) fn decode_rows(
    conn: &mut Conn,
    now: i64,
    consumer: &str,
    rows: Vec<EventRow>,
) -> Result<Vec<Event>> {
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        match EventBody::decode(&r.kind, &r.payload) {
            Ok(body) => events.push(Event {
                id: r.id,
                aggregate_id: r.aggregate_id,
                actor_id: r.actor_id,
                created_at: r.created_at,
                body,
            }),
            Err(e) => {
                crate::events::count_undecodable();
                let error = format!("undecodable event: {e}");
                tracing::error!(consumer, event_id = r.id, kind = %r.kind, %error, "outbox event dead-lettered");
                insert_dead_letter(conn, now, consumer, (r.id, &r.kind), r.tx_id, &error)?;
            }
        }
    }
    Ok(events)
}

/// Deliver the next batch after `consumer`'s cursor to `handler`, and move the
/// cursor only if the handler succeeds. Returns how many events were handled;
/// 0 when nothing is pending or another worker holds this consumer's cursor.
pub fn poll_events(
    conn: &mut Conn,
    now: i64,
    consumer: &str,
    limit: i64,
    handler: &mut dyn FnMut(&[Event]) -> Result<()>,
) -> Result<usize> {
    poll_events_in_tx(conn, now, consumer, limit, &mut |_conn, events| {
        handler(events)
    })
}

/// As `poll_events`, but the handler writes through the same transaction
/// that moves the cursor, so its effects and the cursor commit together.
pub fn poll_events_in_tx(
    conn: &mut Conn,
    now: i64,
    consumer: &str,
    limit: i64,
    handler: &mut dyn FnMut(&mut Conn, &[Event]) -> Result<()>,
) -> Result<usize> {
    // Taken before anything else so it bounds what this poll can see safely.
    let bound = visible_tx_bound(conn)?;
    ensure_cursor(conn, now, consumer)?;
    transaction(conn, |conn| {
        let Some((last_tx, last_id)) = lock_cursor(conn, consumer)? else {
            return Ok(0);
        };
        let from = OutboxPosition {
            tx_id: last_tx,
            event_id: last_id,
        };
        let rows = events_after(conn, bound, from, limit)?;
        let Some(last) = rows.last() else {
            return Ok(0);
        };
        let (new_tx, new_id) = (last.tx_id, last.id);
        let handled = rows.len();
        let events = decode_rows(conn, now, consumer, rows)?;
        if !events.is_empty() {
            handler(conn, &events)?;
        }
        diesel::update(outbox_cursors::table.find(consumer))
            .set((
                outbox_cursors::last_tx_id.eq(new_tx),
                outbox_cursors::last_event_id.eq(new_id),
                outbox_cursors::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(handled)
    })
}

pub(super) fn ensure_cursor(conn: &mut Conn, now: i64, consumer: &str) -> Result<()> {
    diesel::insert_into(outbox_cursors::table)
        .values((
            outbox_cursors::consumer.eq(consumer),
            outbox_cursors::last_tx_id.eq(-1i64),
            outbox_cursors::last_event_id.eq(0i64),
            outbox_cursors::updated_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// Read events after `from` without any cursor bookkeeping, for consumers
/// that keep their own position durably (a search index's commit payload).
/// Returns the events and the position after the last of them (past any
/// undecodable ones, which are dead-lettered under `consumer`).
pub fn read_events_after(
    conn: &mut Conn,
    now: i64,
    consumer: &str,
    from: OutboxPosition,
    limit: i64,
) -> Result<(Vec<Event>, OutboxPosition)> {
    let bound = visible_tx_bound(conn)?;
    let rows = events_after(conn, bound, from, limit)?;
    let next = rows.last().map_or(from, |r| OutboxPosition {
        tx_id: r.tx_id,
        event_id: r.id,
    });
    Ok((decode_rows(conn, now, consumer, rows)?, next))
}

/// The position of the newest event that is safe to read now; a full
/// rebuild that starts from the database after this reflects everything up to it.
pub fn outbox_head(conn: &mut Conn) -> Result<OutboxPosition> {
    let bound = visible_tx_bound(conn)?;
    let last: Option<(i64, i64)> = outbox_events::table
        .filter(outbox_events::tx_id.lt(bound))
        .order((outbox_events::tx_id.desc(), outbox_events::id.desc()))
        .select((outbox_events::tx_id, outbox_events::id))
        .first(conn)
        .optional()?;
    Ok(
        last.map_or(OutboxPosition::START, |(tx_id, event_id)| OutboxPosition {
            tx_id,
            event_id,
        }),
    )
}

/// Where `consumer` is in the outbox (None before its first poll).
pub fn consumer_position(conn: &mut Conn, consumer: &str) -> Result<Option<OutboxPosition>> {
    let cursor: Option<(i64, i64)> = outbox_cursors::table
        .find(consumer)
        .select((outbox_cursors::last_tx_id, outbox_cursors::last_event_id))
        .first(conn)
        .optional()?;
    Ok(cursor.map(|(tx_id, event_id)| OutboxPosition { tx_id, event_id }))
}

/// Events not yet delivered to `consumer` (its lag), for metrics.
pub fn pending_events(conn: &mut Conn, consumer: &str) -> Result<i64> {
    let cursor: Option<(i64, i64)> = outbox_cursors::table
        .find(consumer)
        .select((outbox_cursors::last_tx_id, outbox_cursors::last_event_id))
        .first(conn)
        .optional()?;
    let (tx_id, event_id) = cursor.unwrap_or((-1, 0));
    events_after_count(conn, OutboxPosition { tx_id, event_id })
}

/// Delete up to `limit` outbox events that every consumer with a cursor has
/// handled and that are older than `cutoff` (ms), oldest first, and record
/// the pruned position. One node at a time (a lease on PostgreSQL); the
/// others get 0. Returns how many were deleted.
pub fn prune_outbox(conn: &mut Conn, now: i64, cutoff: i64, limit: i64) -> Result<u64> {
    use outbox_events as e;
    transaction(conn, |conn| {
        if !try_prune_lease(conn)? {
            return Ok(0);
        }
        let cursors: Vec<(i64, i64)> = outbox_cursors::table
            .select((outbox_cursors::last_tx_id, outbox_cursors::last_event_id))
            .load(conn)?;
        // Nobody has read anything yet: nothing is safe to drop.
        let Some((tx, id)) = cursors.into_iter().min() else {
            return Ok(0);
        };
        let doomed: Vec<(i64, i64)> = e::table
            .filter(e::tx_id.lt(tx).or(e::tx_id.eq(tx).and(e::id.le(id))))
            .filter(e::created_at.lt(cutoff))
            .order((e::tx_id.asc(), e::id.asc()))
            .limit(limit)
            .select((e::tx_id, e::id))
            .load(conn)?;
        let Some(&(last_tx, last_id)) = doomed.last() else {
            return Ok(0);
        };
        let ids: Vec<i64> = doomed.iter().map(|(_, id)| *id).collect();
        let n = diesel::delete(e::table.filter(e::id.eq_any(&ids))).execute(conn)?;
        diesel::insert_into(outbox_retention::table)
            .values((
                outbox_retention::id.eq(1),
                outbox_retention::pruned_tx_id.eq(last_tx),
                outbox_retention::pruned_event_id.eq(last_id),
                outbox_retention::pruned_at.eq(now),
            ))
            .on_conflict(outbox_retention::id)
            .do_update()
            .set((
                outbox_retention::pruned_tx_id.eq(last_tx),
                outbox_retention::pruned_event_id.eq(last_id),
                outbox_retention::pruned_at.eq(now),
            ))
            .execute(conn)?;
        Ok(n as u64)
    })
}

/// The position at or below which events have been pruned, if any were.
pub fn outbox_pruned_through(conn: &mut Conn) -> Result<Option<OutboxPosition>> {
    Ok(outbox_retention::table
        .select((
            outbox_retention::pruned_tx_id,
            outbox_retention::pruned_event_id,
        ))
        .first::<(i64, i64)>(conn)
        .optional()?
        .map(|(tx_id, event_id)| OutboxPosition { tx_id, event_id }))
}

/// How many events the outbox holds.
pub fn outbox_size(conn: &mut Conn) -> Result<i64> {
    Ok(outbox_events::table.count().get_result(conn)?)
}

/// Every consumer with a cursor and its lag.
pub fn consumer_lags(conn: &mut Conn) -> Result<Vec<(String, i64)>> {
    let cursors: Vec<(String, i64, i64)> = outbox_cursors::table
        .order(outbox_cursors::consumer)
        .select((
            outbox_cursors::consumer,
            outbox_cursors::last_tx_id,
            outbox_cursors::last_event_id,
        ))
        .load(conn)?;
    cursors
        .into_iter()
        .map(|(consumer, tx_id, event_id)| {
            Ok((
                consumer,
                events_after_count(conn, OutboxPosition { tx_id, event_id })?,
            ))
        })
        .collect()
}

/// Give up on the event right after `consumer`'s cursor: record it as a
/// dead letter with `error` and move the cursor past it, in one
/// transaction. `None` when nothing is pending or another worker holds
/// the cursor.
pub fn skip_event(conn: &mut Conn, now: i64, consumer: &str, error: &str) -> Result<Option<i64>> {
    let bound = visible_tx_bound(conn)?;
    ensure_cursor(conn, now, consumer)?;
    transaction(conn, |conn| {
        let Some((tx_id, event_id)) = lock_cursor(conn, consumer)? else {
            return Ok(None);
        };
        let rows = events_after(conn, bound, OutboxPosition { tx_id, event_id }, 1)?;
        let Some(event) = rows.into_iter().next() else {
            return Ok(None);
        };
        insert_dead_letter(
            conn,
            now,
            consumer,
            (event.id, &event.kind),
            event.tx_id,
            error,
        )?;
        diesel::update(outbox_cursors::table.find(consumer))
            .set((
                outbox_cursors::last_tx_id.eq(event.tx_id),
                outbox_cursors::last_event_id.eq(event.id),
                outbox_cursors::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Some(event.id))
    })
}

/// Record that `consumer`, which keeps its own position, gave up on `event`.
pub fn insert_dead_letter(
    conn: &mut Conn,
    now: i64,
    consumer: &str,
    (event_id, kind): (i64, &str),
    tx_id: i64,
    error: &str,
) -> Result<()> {
    let error: String = error.chars().take(2000).collect();
    diesel::insert_into(outbox_dead_letters::table)
        .values((
            outbox_dead_letters::consumer.eq(consumer),
            outbox_dead_letters::event_id.eq(event_id),
            outbox_dead_letters::tx_id.eq(tx_id),
            outbox_dead_letters::kind.eq(kind),
            outbox_dead_letters::error.eq(&error),
            outbox_dead_letters::failed_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// Dead letters by consumer.
pub fn dead_letter_counts(conn: &mut Conn) -> Result<Vec<(String, i64)>> {
    use diesel::dsl::count_star;
    Ok(outbox_dead_letters::table
        .group_by(outbox_dead_letters::consumer)
        .order(outbox_dead_letters::consumer)
        .select((outbox_dead_letters::consumer, count_star()))
        .load(conn)?)
}

/// Dead letters of one consumer, newest first: (event id, kind, error, when).
pub fn dead_letters(
    conn: &mut Conn,
    consumer: &str,
    limit: i64,
) -> Result<Vec<(i64, String, String, i64)>> {
    Ok(outbox_dead_letters::table
        .filter(outbox_dead_letters::consumer.eq(consumer))
        .order(outbox_dead_letters::event_id.desc())
        .limit(limit)
        .select((
            outbox_dead_letters::event_id,
            outbox_dead_letters::kind,
            outbox_dead_letters::error,
            outbox_dead_letters::failed_at,
        ))
        .load(conn)?)
}

/// Events after `from` (a consumer's lag from its position).
pub fn events_after_count(conn: &mut Conn, from: OutboxPosition) -> Result<i64> {
    let (last_tx, last_id) = (from.tx_id, from.event_id);
    // Two range counts, so each uses the (tx_id, id) index.
    let same: i64 = outbox_events::table
        .filter(outbox_events::tx_id.eq(last_tx))
        .filter(outbox_events::id.gt(last_id))
        .count()
        .get_result(conn)?;
    let later: i64 = outbox_events::table
        .filter(outbox_events::tx_id.gt(last_tx))
        .count()
        .get_result(conn)?;
    Ok(same + later)
}
