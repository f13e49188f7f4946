//! Storage and domain transactions, written once and compiled per backend:
//! `db/sqlite_store.rs` and `db/pg_store.rs` each declare this file as a
//! module, after defining `Conn`, `transaction`, `lock_cursor` and
//! `visible_tx_bound`. Keep everything here portable diesel; backend
//! differences live in those two files.

use diesel::prelude::*;

use super::{lock_cursor, transaction, try_prune_lease, visible_tx_bound, Conn};

use crate::error::{ForumError, Result};
use crate::import::{CategoryRecord, ImportCounts, ReplyRecord, ThreadRecord, UserRecord};
use crate::models::*;
use crate::policy;
use crate::rows::*;
use crate::schema::*;

// ---------------------------------------------------------------- events

pub fn emit(
    conn: &mut Conn,
    now: i64,
    kind: &str,
    aggregate_id: i64,
    actor: Option<i64>,
    payload: serde_json::Value,
) -> Result<()> {
    let payload = payload.to_string();
    diesel::insert_into(outbox_events::table)
        .values(NewEventRow {
            kind,
            aggregate_id,
            actor_id: actor,
            payload: &payload,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

fn events_after(
    conn: &mut Conn,
    bound: i64,
    from: OutboxPosition,
    limit: i64,
) -> Result<Vec<(Event, i64)>> {
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
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                Event {
                    id: r.id,
                    kind: r.kind,
                    aggregate_id: r.aggregate_id,
                    actor_id: r.actor_id,
                    payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
                    created_at: r.created_at,
                },
                r.tx_id,
            )
        })
        .collect())
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
        let Some((last, last_tx)) = rows.last() else {
            return Ok(0);
        };
        let (new_tx, new_id) = (*last_tx, last.id);
        let events: Vec<Event> = rows.into_iter().map(|(e, _)| e).collect();
        handler(conn, &events)?;
        diesel::update(outbox_cursors::table.find(consumer))
            .set((
                outbox_cursors::last_tx_id.eq(new_tx),
                outbox_cursors::last_event_id.eq(new_id),
                outbox_cursors::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(events.len())
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
/// Returns the events and the position after the last of them.
pub fn read_events_after(
    conn: &mut Conn,
    from: OutboxPosition,
    limit: i64,
) -> Result<(Vec<Event>, OutboxPosition)> {
    let bound = visible_tx_bound(conn)?;
    let rows = events_after(conn, bound, from, limit)?;
    let next = rows.last().map_or(from, |(e, tx)| OutboxPosition {
        tx_id: *tx,
        event_id: e.id,
    });
    Ok((rows.into_iter().map(|(e, _)| e).collect(), next))
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
        let Some((event, tx)) = rows.into_iter().next() else {
            return Ok(None);
        };
        insert_dead_letter(conn, now, consumer, &event, tx, error)?;
        diesel::update(outbox_cursors::table.find(consumer))
            .set((
                outbox_cursors::last_tx_id.eq(tx),
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
    event: &Event,
    tx_id: i64,
    error: &str,
) -> Result<()> {
    let error: String = error.chars().take(2000).collect();
    diesel::insert_into(outbox_dead_letters::table)
        .values((
            outbox_dead_letters::consumer.eq(consumer),
            outbox_dead_letters::event_id.eq(event.id),
            outbox_dead_letters::tx_id.eq(tx_id),
            outbox_dead_letters::kind.eq(&event.kind),
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

// ---------------------------------------------------------------- users

pub fn insert_user(
    conn: &mut Conn,
    now: i64,
    username: &str,
    email: &str,
    display_name: &str,
    password_hash: Option<&str>,
    role: Role,
) -> Result<User> {
    transaction(conn, |conn| {
        let username_key = crate::validate::fold_key(username);
        let email_key = crate::validate::fold_key(email);
        let taken: i64 = users::table
            .filter(users::username_key.eq(&username_key))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::Conflict(format!(
                "the username {username:?} is taken"
            )));
        }
        let taken: i64 = users::table
            .filter(users::email_key.eq(&email_key))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::Conflict(
                "an account with that email already exists".into(),
            ));
        }
        let row: UserRow = diesel::insert_into(users::table)
            .values(NewUserRow {
                username,
                username_key: &username_key,
                email,
                email_key: &email_key,
                display_name,
                password_hash,
                role: role.as_str(),
                language: "en",
                created_at: now,
                last_seen_at: now,
            })
            .returning(UserRow::as_returning())
            .get_result(conn)?;
        emit(
            conn,
            now,
            "user.registered",
            row.id,
            Some(row.id),
            serde_json::json!({ "user_id": row.id, "username": row.username, "role": row.role }),
        )?;
        row.into_user()
    })
}

pub fn user_by_id(conn: &mut Conn, id: i64) -> Result<Option<User>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(UserRow::into_user)
        .transpose()
}

/// The user and password hash for a username or email.
pub fn user_for_login(conn: &mut Conn, login: &str) -> Result<Option<(User, Option<String>)>> {
    let key = crate::validate::fold_key(login);
    let row: Option<UserRow> = users::table
        .filter(users::username_key.eq(&key).or(users::email_key.eq(&key)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.password_hash.clone();
        r.into_user().map(|u| (u, hash))
    })
    .transpose()
}

pub fn set_password_hash(conn: &mut Conn, user_id: i64, hash: &str) -> Result<()> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

pub fn insert_token(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    user_id: i64,
    kind: &str,
    expires_at: i64,
) -> Result<()> {
    diesel::insert_into(auth_tokens::table)
        .values((
            auth_tokens::token_hash.eq(token_hash),
            auth_tokens::user_id.eq(user_id),
            auth_tokens::kind.eq(kind),
            auth_tokens::created_at.eq(now),
            auth_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    diesel::update(users::table.find(user_id))
        .set(users::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn user_by_token(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    kind: &str,
) -> Result<Option<User>> {
    let row: Option<UserRow> = auth_tokens::table
        .inner_join(users::table)
        .filter(auth_tokens::token_hash.eq(token_hash))
        .filter(auth_tokens::kind.eq(kind))
        .filter(auth_tokens::expires_at.gt(now))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(UserRow::into_user).transpose()
}

pub fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<()> {
    diesel::delete(auth_tokens::table.find(token_hash)).execute(conn)?;
    Ok(())
}

pub fn user_profile(conn: &mut Conn, user_id: i64, viewer: Option<Actor>) -> Result<UserProfile> {
    let user = user_by_id(conn, user_id)?.ok_or(ForumError::NotFound("user"))?;
    let visible = visible_category_ids(conn, viewer)?;
    let thread_count: i64 = threads::table
        .filter(threads::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .count()
        .get_result(conn)?;
    let reply_count: i64 = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .count()
        .get_result(conn)?;
    let accepted_answers: i64 = threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let kudos: Option<i64> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .select(diesel::dsl::sum(posts::kudos))
        .first(conn)?;
    let rows = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .order(threads::created_at.desc())
        .limit(10)
        .select((
            ThreadRow::as_select(),
            UserRefRow::as_select(),
            categories::slug,
        ))
        .load::<(ThreadRow, UserRefRow, String)>(conn)?;
    Ok(UserProfile {
        user,
        thread_count,
        reply_count,
        accepted_answers,
        kudos_received: kudos.unwrap_or(0),
        recent_threads: summaries(conn, rows)?,
    })
}

// ---------------------------------------------------------------- categories

fn category_row_to_model(r: CategoryRow, thread_count: i64) -> Category {
    Category {
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        is_private: r.is_private,
        position: r.position,
        thread_count,
    }
}

pub(super) fn visible_category_ids(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<i64>> {
    let mut q = categories::table.select(categories::id).into_boxed();
    if !policy::can_see_category(viewer, true) {
        q = q.filter(categories::is_private.eq(false));
    }
    Ok(q.load(conn)?)
}

pub fn list_categories(conn: &mut Conn, viewer: Option<Actor>) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = categories::table
        .order((categories::position.asc(), categories::name.asc()))
        .select(CategoryRow::as_select())
        .load(conn)?;
    let counts: Vec<(i64, i64)> = threads::table
        .filter(threads::deleted_at.is_null())
        .group_by(threads::category_id)
        .select((threads::category_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|c| policy::can_see_category(viewer, c.is_private))
        .map(|c| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, n)| *n);
            category_row_to_model(c, n)
        })
        .collect())
}

pub fn category_by_slug(conn: &mut Conn, slug: &str, viewer: Option<Actor>) -> Result<Category> {
    let row: CategoryRow = categories::table
        .filter(categories::slug.eq(slug))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("category"))?;
    if !policy::can_see_category(viewer, row.is_private) {
        return Err(ForumError::NotFound("category"));
    }
    let n: i64 = threads::table
        .filter(threads::category_id.eq(row.id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(category_row_to_model(row, n))
}

pub fn insert_category(conn: &mut Conn, now: i64, rec: &CategoryRecord) -> Result<Category> {
    let row: CategoryRow = diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&rec.slug),
            categories::name.eq(&rec.name),
            categories::description.eq(&rec.description),
            categories::is_private.eq(rec.is_private),
            categories::position.eq(rec.position),
            categories::created_at.eq(now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)?;
    Ok(category_row_to_model(row, 0))
}

// ---------------------------------------------------------------- threads

fn summaries(
    conn: &mut Conn,
    rows: Vec<(ThreadRow, UserRefRow, String)>,
) -> Result<Vec<ThreadSummary>> {
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let tags: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    rows.into_iter()
        .map(|(t, author, slug)| {
            Ok(ThreadSummary {
                id: t.id,
                category_id: t.category_id,
                category_slug: slug,
                title: t.title,
                status: parse_status(&t.status)?,
                author: author.into_ref()?,
                tags: tags
                    .iter()
                    .filter(|(id, _)| *id == t.id)
                    .map(|(_, tag)| tag.clone())
                    .collect(),
                reply_count: t.reply_count,
                view_count: t.view_count,
                accepted_post_id: t.accepted_post_id,
                created_at: t.created_at,
                last_activity_at: t.last_activity_at,
            })
        })
        .collect()
}

pub(super) fn load_category_for(conn: &mut Conn, category_id: i64) -> Result<CategoryRow> {
    Ok(categories::table
        .find(category_id)
        .select(CategoryRow::as_select())
        .first(conn)?)
}

/// A live (not deleted) thread the viewer may see, with its category.
pub(super) fn visible_thread(
    conn: &mut Conn,
    thread_id: i64,
    viewer: Option<Actor>,
) -> Result<(ThreadRow, CategoryRow)> {
    let thread: ThreadRow = threads::table
        .find(thread_id)
        .select(ThreadRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("thread"))?;
    let deleted_visible = viewer.is_some_and(|a| a.role.can_moderate());
    if thread.deleted_at.is_some() && !deleted_visible {
        return Err(ForumError::NotFound("thread"));
    }
    let category = load_category_for(conn, thread.category_id)?;
    policy::ensure_can_see(viewer, category.is_private)?;
    Ok((thread, category))
}

#[allow(clippy::too_many_arguments)]
pub fn insert_thread(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    category_slug: &str,
    title: &str,
    body_md: &str,
    body_html: &str,
    tags: &[String],
) -> Result<(i64, i64)> {
    transaction(conn, |conn| {
        let category: CategoryRow = categories::table
            .filter(categories::slug.eq(category_slug))
            .select(CategoryRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                ForumError::validation("category", format!("no category {category_slug:?}"))
            })?;
        if !policy::can_see_category(Some(actor), category.is_private) {
            return Err(ForumError::validation(
                "category",
                format!("no category {category_slug:?}"),
            ));
        }
        let thread_id: i64 = diesel::insert_into(threads::table)
            .values(NewThreadRow {
                category_id: category.id,
                author_id: actor.user_id,
                title,
                status: ThreadStatus::Open.as_str(),
                reply_count: 0,
                view_count: 0,
                created_at: now,
                last_activity_at: now,
            })
            .returning(threads::id)
            .get_result(conn)?;
        let post_id: i64 = diesel::insert_into(posts::table)
            .values(NewPostRow {
                thread_id,
                author_id: actor.user_id,
                is_question: true,
                body_md,
                body_html,
                kudos: 0,
                created_at: now,
                edited_at: None,
                deleted_at: None,
            })
            .returning(posts::id)
            .get_result(conn)?;
        insert_tags(conn, thread_id, tags)?;
        emit(
            conn,
            now,
            "thread.created",
            thread_id,
            Some(actor.user_id),
            serde_json::json!({
                "thread_id": thread_id, "post_id": post_id, "category_id": category.id,
                "category": category.slug, "author_id": actor.user_id, "title": title, "tags": tags,
                "private": category.is_private,
            }),
        )?;
        Ok((thread_id, post_id))
    })
}

fn insert_tags(conn: &mut Conn, thread_id: i64, tags: &[String]) -> Result<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = tags
        .iter()
        .map(|t| (thread_tags::thread_id.eq(thread_id), thread_tags::tag.eq(t)))
        .collect();
    diesel::insert_into(thread_tags::table)
        .values(&values)
        .execute(conn)?;
    Ok(())
}

pub fn list_threads(
    conn: &mut Conn,
    category_slug: &str,
    viewer: Option<Actor>,
    sort: ThreadSort,
    page: i64,
    per_page: i64,
) -> Result<(Category, Paged<ThreadSummary>)> {
    let category = category_by_slug(conn, category_slug, viewer)?;
    let base = || {
        let mut q = threads::table
            .filter(threads::category_id.eq(category.id))
            .filter(threads::deleted_at.is_null())
            .into_boxed();
        match sort {
            ThreadSort::Unanswered => {
                q = q
                    .filter(threads::reply_count.eq(0))
                    .filter(threads::status.ne(ThreadStatus::Locked.as_str()))
            }
            ThreadSort::Solved => q = q.filter(threads::status.eq(ThreadStatus::Solved.as_str())),
            ThreadSort::Latest | ThreadSort::Top => {}
        }
        q
    };
    let total: i64 = base().count().get_result(conn)?;
    let ids_query = base().select(threads::id);
    let ids_query = match sort {
        ThreadSort::Top => ids_query.order((threads::view_count.desc(), threads::id.desc())),
        ThreadSort::Unanswered => ids_query
            .order(threads::created_at.desc())
            .then_order_by(threads::id.desc()),
        _ => ids_query
            .order(threads::last_activity_at.desc())
            .then_order_by(threads::id.desc()),
    };
    let ids: Vec<i64> = ids_query
        .limit(per_page)
        .offset((page - 1) * per_page)
        .load(conn)?;
    let mut rows = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::id.eq_any(&ids))
        .select((
            ThreadRow::as_select(),
            UserRefRow::as_select(),
            categories::slug,
        ))
        .load::<(ThreadRow, UserRefRow, String)>(conn)?;
    rows.sort_by_key(|(t, _, _)| ids.iter().position(|id| *id == t.id));
    let items = summaries(conn, rows)?;
    Ok((
        category,
        Paged {
            items,
            page,
            per_page,
            total,
        },
    ))
}

fn post_models(
    conn: &mut Conn,
    rows: Vec<(PostRow, UserRefRow)>,
    accepted: Option<i64>,
    viewer: Option<Actor>,
) -> Result<Vec<Post>> {
    let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
    let voted: Vec<i64> = match viewer {
        Some(a) => votes::table
            .filter(votes::user_id.eq(a.user_id))
            .filter(votes::post_id.eq_any(&ids))
            .select(votes::post_id)
            .load(conn)?,
        None => Vec::new(),
    };
    let moderator = viewer.is_some_and(|a| a.role.can_moderate());
    rows.into_iter()
        .map(|(p, author)| {
            let deleted = p.deleted_at.is_some();
            let hide = deleted && !moderator;
            Ok(Post {
                id: p.id,
                thread_id: p.thread_id,
                author: author.into_ref()?,
                is_question: p.is_question,
                body_md: if hide { String::new() } else { p.body_md },
                body_html: if hide { String::new() } else { p.body_html },
                kudos: p.kudos,
                is_accepted: accepted == Some(p.id),
                deleted,
                created_at: p.created_at,
                edited_at: p.edited_at,
                viewer_voted: voted.contains(&p.id),
            })
        })
        .collect()
}

pub fn thread_page(
    conn: &mut Conn,
    thread_id: i64,
    viewer: Option<Actor>,
    page: i64,
    per_page: i64,
) -> Result<ThreadPage> {
    let (thread, category) = visible_thread(conn, thread_id, viewer)?;
    let author: UserRefRow = users::table
        .find(thread.author_id)
        .select(UserRefRow::as_select())
        .first(conn)?;
    let question_row: (PostRow, UserRefRow) = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(true))
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .first(conn)?;
    let moderator = viewer.is_some_and(|a| a.role.can_moderate());
    let mut replies_q = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .into_boxed();
    let mut count_q = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::is_question.eq(false))
        .into_boxed();
    if !moderator {
        replies_q = replies_q.filter(posts::deleted_at.is_null());
        count_q = count_q.filter(posts::deleted_at.is_null());
    }
    let total_replies: i64 = count_q.count().get_result(conn)?;
    let reply_rows: Vec<(PostRow, UserRefRow)> = replies_q
        .order(posts::id.asc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .load(conn)?;
    let mut all = vec![question_row];
    all.extend(reply_rows);
    let mut posts = post_models(conn, all, thread.accepted_post_id, viewer)?;
    let question = posts.remove(0);
    let tags: Vec<String> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread_id))
        .order(thread_tags::tag)
        .select(thread_tags::tag)
        .load(conn)?;
    let n = threads::table
        .filter(threads::category_id.eq(category.id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let slug = category.slug.clone();
    Ok(ThreadPage {
        thread: ThreadSummary {
            id: thread.id,
            category_id: thread.category_id,
            category_slug: slug,
            title: thread.title,
            status: parse_status(&thread.status)?,
            author: author.into_ref()?,
            tags,
            reply_count: thread.reply_count,
            view_count: thread.view_count,
            accepted_post_id: thread.accepted_post_id,
            created_at: thread.created_at,
            last_activity_at: thread.last_activity_at,
        },
        category: category_row_to_model(category, n),
        question,
        replies: posts,
        total_replies,
        page,
        per_page,
    })
}

/// Status implied by a thread's state; `locked` wins until unlocked.
fn recompute_status(conn: &mut Conn, thread: &ThreadRow) -> Result<ThreadStatus> {
    if thread.status == ThreadStatus::Locked.as_str() {
        return Ok(ThreadStatus::Locked);
    }
    if thread.accepted_post_id.is_some() {
        return Ok(ThreadStatus::Solved);
    }
    // Whether one live reply by someone else exists: the first found ends
    // the search (a count walked every reply of a long thread).
    let answered = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::author_id.ne(thread.author_id))
        .select(posts::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    Ok(if answered {
        ThreadStatus::Answered
    } else {
        ThreadStatus::Open
    })
}

fn load_thread(conn: &mut Conn, thread_id: i64) -> Result<ThreadRow> {
    Ok(threads::table
        .find(thread_id)
        .select(ThreadRow::as_select())
        .first(conn)?)
}

pub fn insert_reply(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    body_md: &str,
    body_html: &str,
    same_tx: &mut dyn FnMut(&mut Conn, i64) -> Result<()>,
) -> Result<i64> {
    transaction(conn, |conn| {
        let (thread, category) = visible_thread(conn, thread_id, Some(actor))?;
        if thread.deleted_at.is_some() {
            return Err(ForumError::NotFound("thread"));
        }
        policy::ensure_can_reply(actor, parse_status(&thread.status)?)?;
        let post_id: i64 = diesel::insert_into(posts::table)
            .values(NewPostRow {
                thread_id,
                author_id: actor.user_id,
                is_question: false,
                body_md,
                body_html,
                kudos: 0,
                created_at: now,
                edited_at: None,
                deleted_at: None,
            })
            .returning(posts::id)
            .get_result(conn)?;
        // A reply by someone other than the asker answers an open thread;
        // nothing else about the status changes, so no need to look at the
        // other replies.
        let status = match parse_status(&thread.status)? {
            ThreadStatus::Open if actor.user_id != thread.author_id => ThreadStatus::Answered,
            unchanged => unchanged,
        };
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::reply_count.eq(threads::reply_count + 1),
                threads::last_activity_at.eq(now),
                threads::status.eq(status.as_str()),
            ))
            .execute(conn)?;
        emit(
            conn,
            now,
            "post.created",
            post_id,
            Some(actor.user_id),
            serde_json::json!({
                "post_id": post_id, "thread_id": thread_id, "category_id": category.id,
                "author_id": actor.user_id, "thread_author_id": thread.author_id,
                "private": category.is_private,
            }),
        )?;
        same_tx(conn, post_id)?;
        Ok(post_id)
    })
}

fn set_status(conn: &mut Conn, thread_id: i64, status: ThreadStatus) -> Result<()> {
    diesel::update(threads::table.find(thread_id))
        .set(threads::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

pub(super) fn load_post(conn: &mut Conn, post_id: i64) -> Result<PostRow> {
    posts::table
        .find(post_id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("post"))
}

/// Render the stored Markdown of posts after `after_id` again (up to
/// `limit` of them) and write back the HTML that changed. Returns the last
/// id seen, how many were read and how many changed.
pub fn rerender_posts(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
    render: &dyn Fn(&str) -> String,
) -> Result<(Option<i64>, u64, u64)> {
    let rows: Vec<(i64, String, String)> = posts::table
        .filter(posts::id.gt(after_id))
        .order(posts::id.asc())
        .limit(limit)
        .select((posts::id, posts::body_md, posts::body_html))
        .load(conn)?;
    let last = rows.last().map(|r| r.0);
    let read = rows.len() as u64;
    let changed: Vec<(i64, String)> = rows
        .into_iter()
        .filter_map(|(id, md, html)| {
            let fresh = render(&md);
            (fresh != html).then_some((id, fresh))
        })
        .collect();
    let n = changed.len() as u64;
    transaction(conn, |conn| {
        for (id, html) in &changed {
            diesel::update(posts::table.find(id))
                .set(posts::body_html.eq(html))
                .execute(conn)?;
        }
        Ok(())
    })?;
    Ok((last, read, n))
}

/// One post as `viewer` sees it on the thread page (a deleted one hidden
/// from non-moderators, as there).
pub fn post_view(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<Post> {
    let post = load_post(conn, post_id)?;
    let (thread, _) = visible_thread(conn, post.thread_id, viewer)?;
    let row: (PostRow, UserRefRow) = posts::table
        .inner_join(users::table)
        .filter(posts::id.eq(post_id))
        .select((PostRow::as_select(), UserRefRow::as_select()))
        .first(conn)?;
    post_models(conn, vec![row], thread.accepted_post_id, viewer)?
        .pop()
        .ok_or(ForumError::NotFound("post"))
}

pub fn thread_id_of_post(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<i64> {
    let post = load_post(conn, post_id)?;
    visible_thread(conn, post.thread_id, viewer)?;
    Ok(post.thread_id)
}

/// Edit a post (and, for the question, optionally the title). The first edit
/// also records the original, so the history is complete.
#[allow(clippy::too_many_arguments)]
pub fn update_post(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    post_id: i64,
    new_title: Option<&str>,
    body_md: &str,
    body_html: &str,
    may_edit_others: bool,
) -> Result<()> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, _) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_edit(
            actor,
            post.author_id,
            post.deleted_at.is_some(),
            may_edit_others,
        )?;
        if new_title.is_some() && !post.is_question {
            return Err(ForumError::validation(
                "title",
                "only the question has a title",
            ));
        }
        let has_history: i64 = post_revisions::table
            .filter(post_revisions::post_id.eq(post_id))
            .count()
            .get_result(conn)?;
        let title_of = |t: &str| {
            if post.is_question {
                Some(t.to_string())
            } else {
                None
            }
        };
        if has_history == 0 {
            diesel::insert_into(post_revisions::table)
                .values((
                    post_revisions::post_id.eq(post_id),
                    post_revisions::editor_id.eq(post.author_id),
                    post_revisions::title.eq(title_of(&thread.title)),
                    post_revisions::body_md.eq(&post.body_md),
                    post_revisions::created_at.eq(post.created_at),
                ))
                .execute(conn)?;
        }
        let title = new_title.unwrap_or(&thread.title);
        diesel::insert_into(post_revisions::table)
            .values((
                post_revisions::post_id.eq(post_id),
                post_revisions::editor_id.eq(actor.user_id),
                post_revisions::title.eq(title_of(title)),
                post_revisions::body_md.eq(body_md),
                post_revisions::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(posts::table.find(post_id))
            .set((
                posts::body_md.eq(body_md),
                posts::body_html.eq(body_html),
                posts::edited_at.eq(Some(now)),
            ))
            .execute(conn)?;
        if let Some(t) = new_title {
            diesel::update(threads::table.find(thread.id))
                .set(threads::title.eq(t))
                .execute(conn)?;
        }
        emit(
            conn,
            now,
            "post.edited",
            post_id,
            Some(actor.user_id),
            serde_json::json!({
                "post_id": post_id, "thread_id": thread.id, "is_question": post.is_question,
                "editor_id": actor.user_id, "title_changed": new_title.is_some(),
            }),
        )?;
        Ok(())
    })
}

pub fn revisions(conn: &mut Conn, post_id: i64, viewer: Option<Actor>) -> Result<Vec<Revision>> {
    let post = load_post(conn, post_id)?;
    visible_thread(conn, post.thread_id, viewer)?;
    if post.deleted_at.is_some() && !viewer.is_some_and(|a| a.role.can_moderate()) {
        return Err(ForumError::NotFound("post"));
    }
    let rows: Vec<(i64, Option<String>, String, i64, UserRefRow)> = post_revisions::table
        .inner_join(users::table.on(users::id.eq(post_revisions::editor_id)))
        .filter(post_revisions::post_id.eq(post_id))
        .order(post_revisions::id.asc())
        .select((
            post_revisions::id,
            post_revisions::title,
            post_revisions::body_md,
            post_revisions::created_at,
            UserRefRow::as_select(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, title, body_md, created_at, editor)| {
            Ok(Revision {
                id,
                post_id,
                editor: editor.into_ref()?,
                title,
                body_md,
                created_at,
            })
        })
        .collect()
}

/// Soft delete by a moderator. Deleting the question removes the thread.
pub fn soft_delete_post(conn: &mut Conn, now: i64, actor: Actor, post_id: i64) -> Result<()> {
    policy::ensure_can_moderate(actor)?;
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        if post.deleted_at.is_some() {
            return Ok(());
        }
        let thread = load_thread(conn, post.thread_id)?;
        diesel::update(posts::table.find(post_id))
            .set((
                posts::deleted_at.eq(Some(now)),
                posts::deleted_by.eq(Some(actor.user_id)),
            ))
            .execute(conn)?;
        if post.is_question {
            diesel::update(threads::table.find(thread.id))
                .set(threads::deleted_at.eq(Some(now)))
                .execute(conn)?;
        } else {
            let accepted = thread.accepted_post_id == Some(post_id);
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::reply_count.eq(threads::reply_count - 1),
                    threads::accepted_post_id.eq(if accepted {
                        None
                    } else {
                        thread.accepted_post_id
                    }),
                    threads::accepted_at.eq(if accepted { None } else { thread.accepted_at }),
                ))
                .execute(conn)?;
            let fresh = load_thread(conn, thread.id)?;
            let status = recompute_status(conn, &fresh)?;
            set_status(conn, thread.id, status)?;
        }
        emit(
            conn,
            now,
            "post.deleted",
            post_id,
            Some(actor.user_id),
            serde_json::json!({
                "post_id": post_id, "thread_id": thread.id, "author_id": post.author_id,
                "is_question": post.is_question, "kudos": post.kudos,
                "was_accepted": thread.accepted_post_id == Some(post_id),
            }),
        )?;
        Ok(())
    })
}

/// Give (`on`) or withdraw a kudo. Repeats are no-ops. Returns the new count.
pub fn set_vote(conn: &mut Conn, now: i64, actor: Actor, post_id: i64, on: bool) -> Result<i32> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, _) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_vote(actor, post.author_id, post.deleted_at.is_some())?;
        let changed = if on {
            diesel::insert_into(votes::table)
                .values((
                    votes::post_id.eq(post_id),
                    votes::user_id.eq(actor.user_id),
                    votes::created_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?
        } else {
            diesel::delete(votes::table.find((post_id, actor.user_id))).execute(conn)?
        };
        if changed > 0 {
            let delta = if on { 1 } else { -1 };
            diesel::update(posts::table.find(post_id))
                .set(posts::kudos.eq(posts::kudos + delta))
                .execute(conn)?;
            emit(
                conn,
                now,
                if on { "post.voted" } else { "post.unvoted" },
                post_id,
                Some(actor.user_id),
                serde_json::json!({
                    "post_id": post_id, "thread_id": thread.id, "voter_id": actor.user_id,
                    "author_id": post.author_id,
                }),
            )?;
        }
        Ok(post.kudos
            + if changed > 0 {
                if on {
                    1
                } else {
                    -1
                }
            } else {
                0
            })
    })
}

pub fn accept(conn: &mut Conn, now: i64, actor: Actor, post_id: i64) -> Result<()> {
    transaction(conn, |conn| {
        let post = load_post(conn, post_id)?;
        let (thread, category) = visible_thread(conn, post.thread_id, Some(actor))?;
        policy::ensure_can_accept(
            actor,
            thread.author_id,
            parse_status(&thread.status)?,
            post.is_question,
            post.deleted_at.is_some(),
        )?;
        if thread.accepted_post_id == Some(post_id) {
            return Ok(());
        }
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::accepted_post_id.eq(Some(post_id)),
                threads::accepted_at.eq(Some(now)),
                threads::last_activity_at.eq(now),
            ))
            .execute(conn)?;
        if thread.status != ThreadStatus::Locked.as_str() {
            set_status(conn, thread.id, ThreadStatus::Solved)?;
        }
        emit(
            conn,
            now,
            "solution.accepted",
            thread.id,
            Some(actor.user_id),
            serde_json::json!({
                "thread_id": thread.id, "post_id": post_id, "answer_author_id": post.author_id,
                "asker_id": thread.author_id, "previous_post_id": thread.accepted_post_id,
                "category_id": category.id,
            }),
        )?;
        Ok(())
    })
}

pub fn unaccept(conn: &mut Conn, now: i64, actor: Actor, thread_id: i64) -> Result<()> {
    transaction(conn, |conn| {
        let (thread, _) = visible_thread(conn, thread_id, Some(actor))?;
        let Some(post_id) = thread.accepted_post_id else {
            return Ok(());
        };
        if actor.user_id != thread.author_id && !actor.role.can_moderate() {
            return Err(ForumError::Forbidden(
                "only the asker or a moderator can do this",
            ));
        }
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::accepted_post_id.eq(None::<i64>),
                threads::accepted_at.eq(None::<i64>),
            ))
            .execute(conn)?;
        let fresh = load_thread(conn, thread_id)?;
        let status = recompute_status(conn, &fresh)?;
        set_status(conn, thread_id, status)?;
        emit(
            conn,
            now,
            "solution.unaccepted",
            thread_id,
            Some(actor.user_id),
            serde_json::json!({ "thread_id": thread_id, "post_id": post_id }),
        )?;
        Ok(())
    })
}

pub fn set_locked(
    conn: &mut Conn,
    now: i64,
    actor: Actor,
    thread_id: i64,
    locked: bool,
) -> Result<()> {
    policy::ensure_can_moderate(actor)?;
    transaction(conn, |conn| {
        let (thread, _) = visible_thread(conn, thread_id, Some(actor))?;
        let is_locked = thread.status == ThreadStatus::Locked.as_str();
        if is_locked == locked {
            return Ok(());
        }
        if locked {
            set_status(conn, thread_id, ThreadStatus::Locked)?;
        } else {
            let mut unlocked = thread.clone();
            unlocked.status = ThreadStatus::Open.as_str().into();
            let status = recompute_status(conn, &unlocked)?;
            set_status(conn, thread_id, status)?;
        }
        emit(
            conn,
            now,
            if locked {
                "thread.locked"
            } else {
                "thread.unlocked"
            },
            thread_id,
            Some(actor.user_id),
            serde_json::json!({ "thread_id": thread_id }),
        )?;
        Ok(())
    })
}

pub fn add_views(conn: &mut Conn, counts: &[(i64, i64)]) -> Result<()> {
    transaction(conn, |conn| {
        for (thread_id, n) in counts {
            diesel::update(threads::table.find(thread_id))
                .set(threads::view_count.eq(threads::view_count + n))
                .execute(conn)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------- import / export

/// Resolve a username, creating a login-less customer when an import names
/// someone new.
fn import_user_id(
    conn: &mut Conn,
    now: i64,
    username: &str,
    cache: &mut std::collections::HashMap<String, i64>,
    created: &mut u64,
) -> Result<i64> {
    let key = crate::validate::fold_key(username);
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let existing: Option<i64> = users::table
        .filter(users::username_key.eq(&key))
        .select(users::id)
        .first(conn)
        .optional()?;
    let id = match existing {
        Some(id) => id,
        None => {
            let email = format!("{key}@import.invalid");
            let id: i64 = diesel::insert_into(users::table)
                .values(NewUserRow {
                    username,
                    username_key: &key,
                    email: &email,
                    email_key: &email,
                    display_name: username,
                    password_hash: None,
                    role: Role::Customer.as_str(),
                    language: "en",
                    created_at: now,
                    last_seen_at: now,
                })
                .returning(users::id)
                .get_result(conn)?;
            *created += 1;
            id
        }
    };
    cache.insert(key, id);
    Ok(id)
}

pub fn import_user(conn: &mut Conn, now: i64, rec: &UserRecord) -> Result<bool> {
    let key = crate::validate::fold_key(&rec.username);
    let exists: i64 = users::table
        .filter(users::username_key.eq(&key))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let email_key = crate::validate::fold_key(&rec.email);
    diesel::insert_into(users::table)
        .values(NewUserRow {
            username: &rec.username,
            username_key: &key,
            email: &rec.email,
            email_key: &email_key,
            display_name: rec.display_name.as_deref().unwrap_or(&rec.username),
            password_hash: rec.password_hash.as_deref(),
            role: rec.role.as_str(),
            language: rec.language.as_deref().unwrap_or("en"),
            created_at: rec.created_at.unwrap_or(now),
            last_seen_at: rec.created_at.unwrap_or(now),
        })
        .execute(conn)?;
    Ok(true)
}

pub fn import_category(conn: &mut Conn, now: i64, rec: &CategoryRecord) -> Result<bool> {
    let exists: i64 = categories::table
        .filter(categories::slug.eq(&rec.slug))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    insert_category(conn, now, rec)?;
    Ok(true)
}

/// Write already-validated thread records in one transaction.
pub fn import_threads(conn: &mut Conn, now: i64, records: &[ThreadRecord]) -> Result<ImportCounts> {
    transaction(conn, |conn| {
        let mut counts = ImportCounts::default();
        let mut users_cache = std::collections::HashMap::new();
        let mut category_cache: std::collections::HashMap<String, (i64, bool)> = Default::default();
        for rec in records {
            let (category_id, private) = match category_cache.get(&rec.category) {
                Some(c) => *c,
                None => {
                    let found: Option<(i64, bool)> = categories::table
                        .filter(categories::slug.eq(&rec.category))
                        .select((categories::id, categories::is_private))
                        .first(conn)
                        .optional()?;
                    let c = match found {
                        Some(c) => c,
                        None => {
                            let cat = insert_category(
                                conn,
                                now,
                                &CategoryRecord {
                                    slug: rec.category.clone(),
                                    name: rec.category.clone(),
                                    description: String::new(),
                                    is_private: false,
                                    position: 5,
                                },
                            )?;
                            counts.categories_created += 1;
                            (cat.id, false)
                        }
                    };
                    category_cache.insert(rec.category.clone(), c);
                    c
                }
            };
            let author_id = import_user_id(
                conn,
                now,
                &rec.author,
                &mut users_cache,
                &mut counts.users_created,
            )?;
            let created_at = rec.created_at.unwrap_or(now);
            let last_activity = rec
                .replies
                .iter()
                .filter_map(|r| r.created_at)
                .max()
                .unwrap_or(created_at)
                .max(created_at);
            // Resolve everyone and work out kudos and status in memory, so a
            // thread costs a handful of statements however many replies it has.
            let mut authors = vec![author_id];
            for r in &rec.replies {
                authors.push(import_user_id(
                    conn,
                    now,
                    &r.author,
                    &mut users_cache,
                    &mut counts.users_created,
                )?);
            }
            let mut votes_by_index: Vec<(usize, i64)> = Vec::new();
            let mut voter_lists: Vec<&Vec<String>> = vec![&rec.kudos_from];
            voter_lists.extend(rec.replies.iter().map(|r| &r.kudos_from));
            for (idx, voters) in voter_lists.into_iter().enumerate() {
                for v in voters {
                    let voter =
                        import_user_id(conn, now, v, &mut users_cache, &mut counts.users_created)?;
                    if voter != authors[idx] && !votes_by_index.contains(&(idx, voter)) {
                        votes_by_index.push((idx, voter));
                    }
                }
            }
            let kudos_of =
                |idx: usize| votes_by_index.iter().filter(|(i, _)| *i == idx).count() as i32;
            let live_replies = rec.replies.iter().filter(|r| !r.deleted).count() as i32;
            let accepted_index = rec
                .replies
                .iter()
                .position(|r| r.accepted && !r.deleted)
                .map(|i| i + 1);
            let answered = rec
                .replies
                .iter()
                .zip(&authors[1..])
                .any(|(r, a)| !r.deleted && *a != author_id);
            let status = if rec.locked {
                ThreadStatus::Locked
            } else if accepted_index.is_some() {
                ThreadStatus::Solved
            } else if answered {
                ThreadStatus::Answered
            } else {
                ThreadStatus::Open
            };
            let thread_id: i64 = diesel::insert_into(threads::table)
                .values(NewThreadRow {
                    category_id,
                    author_id,
                    title: &rec.title,
                    status: status.as_str(),
                    reply_count: live_replies,
                    view_count: rec.views,
                    created_at,
                    last_activity_at: last_activity,
                })
                .returning(threads::id)
                .get_result(conn)?;
            insert_tags(conn, thread_id, &rec.tags)?;
            let question_html = crate::markdown::render(&rec.body);
            let reply_html: Vec<String> = rec
                .replies
                .iter()
                .map(|r| crate::markdown::render(&r.body))
                .collect();
            let mut new_posts = Vec::with_capacity(rec.replies.len() + 1);
            new_posts.push(NewPostRow {
                thread_id,
                author_id,
                is_question: true,
                body_md: &rec.body,
                body_html: &question_html,
                kudos: kudos_of(0),
                created_at,
                edited_at: None,
                deleted_at: None,
            });
            for (i, r) in rec.replies.iter().enumerate() {
                let at = r.created_at.unwrap_or(created_at);
                new_posts.push(NewPostRow {
                    thread_id,
                    author_id: authors[i + 1],
                    is_question: false,
                    body_md: &r.body,
                    body_html: &reply_html[i],
                    kudos: kudos_of(i + 1),
                    created_at: at,
                    edited_at: None,
                    deleted_at: r.deleted.then_some(at),
                });
            }
            let post_ids: Vec<i64> = diesel::insert_into(posts::table)
                .values(&new_posts)
                .returning(posts::id)
                .get_results(conn)?;
            counts.threads += 1;
            counts.posts += post_ids.len() as u64;
            if !votes_by_index.is_empty() {
                let values: Vec<_> = votes_by_index
                    .iter()
                    .map(|(idx, u)| {
                        (
                            votes::post_id.eq(post_ids[*idx]),
                            votes::user_id.eq(*u),
                            votes::created_at.eq(created_at),
                        )
                    })
                    .collect();
                counts.votes += diesel::insert_into(votes::table)
                    .values(&values)
                    .execute(conn)? as u64;
            }
            if let Some(idx) = accepted_index {
                diesel::update(threads::table.find(thread_id))
                    .set((
                        threads::accepted_post_id.eq(Some(post_ids[idx])),
                        threads::accepted_at.eq(Some(created_at)),
                    ))
                    .execute(conn)?;
            }
            emit(
                conn,
                now,
                "thread.imported",
                thread_id,
                None,
                serde_json::json!({
                    "thread_id": thread_id, "category_id": category_id, "private": private,
                    "posts": post_ids.len(),
                }),
            )?;
        }
        Ok(counts)
    })
}

pub fn export_users(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<(i64, UserRecord)>> {
    let rows: Vec<UserRow> = users::table
        .filter(users::id.gt(after_id))
        .order(users::id.asc())
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.id,
                UserRecord {
                    username: r.username.clone(),
                    email: r.email.clone(),
                    display_name: Some(r.display_name.clone()),
                    role: parse_role(&r.role)?,
                    password_hash: r.password_hash.clone(),
                    language: Some(r.language.clone()),
                    created_at: Some(r.created_at),
                },
            ))
        })
        .collect()
}

pub fn export_categories(conn: &mut Conn) -> Result<Vec<CategoryRecord>> {
    let rows: Vec<CategoryRow> = categories::table
        .order(categories::id.asc())
        .select(CategoryRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|c| CategoryRecord {
            slug: c.slug,
            name: c.name,
            description: c.description,
            is_private: c.is_private,
            position: c.position,
        })
        .collect())
}

/// Live threads after `after_id`, with their replies and voters, by id.
pub fn export_threads(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, ThreadRecord)>> {
    let rows: Vec<(ThreadRow, String, String)> = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::id.gt(after_id))
        .filter(threads::deleted_at.is_null())
        .order(threads::id.asc())
        .limit(limit)
        .select((ThreadRow::as_select(), users::username, categories::slug))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
    let post_rows: Vec<(PostRow, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq_any(&ids))
        .order(posts::id.asc())
        .select((PostRow::as_select(), users::username))
        .load(conn)?;
    let post_ids: Vec<i64> = post_rows.iter().map(|(p, _)| p.id).collect();
    let vote_rows: Vec<(i64, String)> = votes::table
        .inner_join(users::table.on(users::id.eq(votes::user_id)))
        .filter(votes::post_id.eq_any(&post_ids))
        .order((votes::post_id, users::username))
        .select((votes::post_id, users::username))
        .load(conn)?;
    let tags: Vec<(i64, String)> = thread_tags::table
        .filter(thread_tags::thread_id.eq_any(&ids))
        .order((thread_tags::thread_id, thread_tags::tag))
        .load(conn)?;
    let voters = |post_id: i64| -> Vec<String> {
        vote_rows
            .iter()
            .filter(|(p, _)| *p == post_id)
            .map(|(_, u)| u.clone())
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|(t, author, category)| {
            let mine = post_rows.iter().filter(|(p, _)| p.thread_id == t.id);
            let mut body = String::new();
            let mut kudos_from = Vec::new();
            let mut replies = Vec::new();
            for (p, username) in mine {
                if p.is_question {
                    body = p.body_md.clone();
                    kudos_from = voters(p.id);
                } else {
                    replies.push(ReplyRecord {
                        author: username.clone(),
                        body: p.body_md.clone(),
                        created_at: Some(p.created_at),
                        accepted: t.accepted_post_id == Some(p.id),
                        deleted: p.deleted_at.is_some(),
                        kudos_from: voters(p.id),
                    });
                }
            }
            (
                t.id,
                ThreadRecord {
                    category,
                    title: t.title,
                    body,
                    author,
                    tags: tags
                        .iter()
                        .filter(|(id, _)| *id == t.id)
                        .map(|(_, tag)| tag.clone())
                        .collect(),
                    created_at: Some(t.created_at),
                    views: t.view_count,
                    locked: t.status == ThreadStatus::Locked.as_str(),
                    kudos_from,
                    replies,
                },
            )
        })
        .collect())
}

// ---------------------------------------------------------------- search documents

/// What a search document is made of, however it was loaded.
struct DocumentParts {
    question_md: Option<String>,
    accepted_answer_md: Option<String>,
    best_replies_md: Vec<String>,
    votes: i64,
    tags: Vec<String>,
}

fn thread_document(
    t: ThreadRow,
    category_slug: String,
    private: bool,
    parts: DocumentParts,
) -> Result<ThreadDocument> {
    Ok(ThreadDocument {
        id: t.id,
        title: t.title,
        deleted: t.deleted_at.is_some() || parts.question_md.is_none(),
        question_md: parts.question_md.unwrap_or_default(),
        accepted_answer_md: parts.accepted_answer_md,
        replies_md: parts.best_replies_md,
        tags: parts.tags,
        category_slug,
        private,
        status: parse_status(&t.status)?,
        votes: parts.votes,
        created_at: t.created_at,
        updated_at: t.last_activity_at,
    })
}

/// The most-kudoed other replies a document carries.
const BEST_REPLIES: usize = 5;

/// Documents for many threads at once (a rebuild): every live post of
/// these threads in one query.
fn load_thread_documents(
    conn: &mut Conn,
    rows: Vec<(ThreadRow, String, bool)>,
) -> Result<Vec<ThreadDocument>> {
    let ids: Vec<i64> = rows.iter().map(|(t, _, _)| t.id).collect();
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
            thread_document(t, slug, private, parts)
        })
        .collect()
}

/// Documents for the given threads (deleted ones flagged), in id order.
/// Ids that do not exist at all are simply absent. Each thread costs a few
/// indexed queries, not a read of all its replies: the indexer calls this
/// after every reply, and a thread may have thousands.
pub fn thread_documents(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ThreadDocument>> {
    let rows: Vec<(ThreadRow, String, bool)> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(ids))
        .order(threads::id.asc())
        .select((
            ThreadRow::as_select(),
            categories::slug,
            categories::is_private,
        ))
        .load(conn)?;
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
            thread_document(t, slug, private, parts)
        })
        .collect()
}

/// Live thread documents after `after_id`, for a full rebuild.
pub fn thread_documents_after(
    conn: &mut Conn,
    after_id: i64,
    limit: i64,
) -> Result<Vec<ThreadDocument>> {
    let rows: Vec<(ThreadRow, String, bool)> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.gt(after_id))
        .filter(threads::deleted_at.is_null())
        .order(threads::id.asc())
        .limit(limit)
        .select((
            ThreadRow::as_select(),
            categories::slug,
            categories::is_private,
        ))
        .load(conn)?;
    load_thread_documents(conn, rows)
}

// ---------------------------------------------------------------- deflection

pub fn start_ask_session(
    conn: &mut Conn,
    now: i64,
    ask_id: &str,
    user_id: Option<i64>,
) -> Result<()> {
    diesel::insert_into(ask_sessions::table)
        .values((
            ask_sessions::ask_id.eq(ask_id),
            ask_sessions::user_id.eq(user_id),
            ask_sessions::started_at.eq(now),
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
        start_ask_session(conn, now, ask_id, user_id)?;
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
            "suggestion.opened",
            doc_id,
            user_id,
            serde_json::json!({ "ask_id": ask_id, "kind": kind, "doc_id": doc_id }),
        )
    })
}

pub fn mark_ask_posted(conn: &mut Conn, ask_id: &str, thread_id: i64) -> Result<()> {
    diesel::update(ask_sessions::table.find(ask_id))
        .set(ask_sessions::posted_thread_id.eq(Some(thread_id)))
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

// ---------------------------------------------------------------- moderation by rank

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
        emit(
            conn,
            now,
            "thread.moved",
            thread_id,
            Some(actor.user_id),
            serde_json::json!({
                "thread_id": thread_id, "from": from.slug, "to": to.slug, "category_id": to.id,
                "private": to.is_private,
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
                return Err(ForumError::validation(
                    "duplicate_of",
                    "a thread cannot duplicate itself",
                ));
            }
            let (target, _) = visible_thread(conn, original, Some(actor))?;
            if target.duplicate_of == Some(thread_id) {
                return Err(ForumError::validation(
                    "duplicate_of",
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
            "thread.duplicate",
            thread_id,
            Some(actor.user_id),
            serde_json::json!({ "thread_id": thread_id, "duplicate_of": of }),
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

/// Threads where `user_id`'s answer is the accepted solution, newest first,
/// in boards the viewer may see: (thread id, title).
pub fn accepted_answers(
    conn: &mut Conn,
    user_id: i64,
    viewer: Option<Actor>,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let visible = visible_category_ids(conn, viewer)?;
    Ok(threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .filter(threads::category_id.eq_any(visible))
        .order(threads::accepted_at.desc())
        .limit(limit)
        .select((threads::id, threads::title))
        .load(conn)?)
}
