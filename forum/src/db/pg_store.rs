//! PostgreSQL: the storage code in `store/` (one file per area),
//! compiled against PostgreSQL, with what differs on this backend (row locks
//! with SKIP LOCKED, the visibility bound of the outbox).

// The shared storage files are modules of both backends on purpose.
#![allow(clippy::duplicate_mod)]

use diesel::prelude::*;

// What every store file works with; they see it through `use super::*`.
#[allow(unused_imports)]
use crate::error::{ForumError, Result};
#[allow(unused_imports)]
use crate::events::{self, EventBody};
#[allow(unused_imports)]
use crate::import::{
    CategoryRecord, IdeaRecord, IdeaVoteRecord, ImportCounts, ReplyRecord, ThreadRecord, UserRecord,
};
#[allow(unused_imports)]
use crate::models::*;
#[allow(unused_imports)]
use crate::policy;
#[allow(unused_imports)]
use crate::rows::*;
#[allow(unused_imports)]
use crate::schema::*;

use diesel::sql_types::{BigInt, Text};

pub type Conn = diesel::PgConnection;

fn transaction<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    conn.transaction(f)
}

/// Dropping an index would lock readers out until the rebuild commits.
const REBUILD_DROPS_INDEXES: bool = false;

#[derive(QueryableByName)]
struct CursorRow {
    #[diesel(sql_type = BigInt)]
    last_tx_id: i64,
    #[diesel(sql_type = BigInt)]
    last_event_id: i64,
}

/// Another worker already draining this consumer holds the row; skip it
/// rather than wait, so workers on many nodes never block each other.
fn lock_cursor(conn: &mut Conn, consumer: &str) -> crate::error::Result<Option<(i64, i64)>> {
    let row: Option<CursorRow> = diesel::sql_query(
        "SELECT last_tx_id, last_event_id FROM outbox_cursors \
         WHERE consumer = $1 FOR UPDATE SKIP LOCKED",
    )
    .bind::<Text, _>(consumer)
    .get_result(conn)
    .optional()?;
    Ok(row.map(|r| (r.last_tx_id, r.last_event_id)))
}

/// Moderation on one post (flags, decisions) is serialised on the post's
/// row, so two flags cannot both open a review item and a decision cannot
/// miss a flag written beside it.
fn lock_post(conn: &mut Conn, post_id: i64) -> crate::error::Result<()> {
    diesel::sql_query("SELECT id FROM posts WHERE id = $1 FOR UPDATE")
        .bind::<diesel::sql_types::BigInt, _>(post_id)
        .execute(conn)?;
    Ok(())
}

/// This transaction's commit need not wait for the WAL flush (advisory
/// state such as rate-limit counts).
fn relax_durability(conn: &mut Conn) -> crate::error::Result<()> {
    diesel::sql_query("SET LOCAL synchronous_commit = off").execute(conn)?;
    Ok(())
}

/// Rate limits in one round trip (`hearth_rate_limit_hit`, migration
/// 000018) instead of BEGIN, SET LOCAL, one upsert per key and COMMIT:
/// Some(None) allowed, Some(Some(ms)) refused.
fn native_rate_limit_hit(
    conn: &mut Conn,
    now: i64,
    keys: &[(String, i64, i64)],
) -> crate::error::Result<Option<Option<i64>>> {
    #[derive(QueryableByName)]
    struct Wait {
        #[diesel(sql_type = BigInt)]
        wait: i64,
    }
    use diesel::sql_types::Array;
    let names: Vec<&str> = keys.iter().map(|(k, _, _)| k.as_str()).collect();
    let steps: Vec<i64> = keys.iter().map(|(_, step, _)| *step).collect();
    let periods: Vec<i64> = keys.iter().map(|(_, _, period)| *period).collect();
    let row: Wait = diesel::sql_query("SELECT hearth_rate_limit_hit($1, $2, $3, $4) AS wait")
        .bind::<Array<Text>, _>(names)
        .bind::<Array<BigInt>, _>(steps)
        .bind::<Array<BigInt>, _>(periods)
        .bind::<BigInt, _>(now)
        .get_result(conn)?;
    Ok(Some((row.wait > 0).then_some(row.wait)))
}

/// Pruning the outbox is one node's job at a time: a transaction-scoped
/// advisory lock, released at commit; the others skip their turn.
fn try_prune_lease(conn: &mut Conn) -> crate::error::Result<bool> {
    #[derive(QueryableByName)]
    struct Leased {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        leased: bool,
    }
    // Any constant works; this one reads "hearth" in ASCII.
    let row: Leased =
        diesel::sql_query("SELECT pg_try_advisory_xact_lock(114097117114116104) AS leased")
            .get_result(conn)?;
    Ok(row.leased)
}

/// Transactions below the oldest running xid are all finished, so no
/// event with a smaller tx_id can appear later: reading below it is gap-free.
fn visible_tx_bound(conn: &mut Conn) -> crate::error::Result<i64> {
    Ok(diesel::select(diesel::dsl::sql::<BigInt>(
        "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
    ))
    .get_result(conn)?)
}

// The storage code, by area.
#[path = "../store/outbox.rs"]
mod outbox;
pub use outbox::*;
#[path = "../store/accounts.rs"]
mod accounts;
pub use accounts::*;
#[path = "../store/review.rs"]
mod review;
pub use review::*;
#[path = "../store/spam.rs"]
mod spam;
pub use spam::*;
#[path = "../store/boards.rs"]
mod boards;
pub use boards::*;
#[path = "../store/threads_posts.rs"]
mod threads_posts;
pub use threads_posts::*;
#[path = "../store/import_export.rs"]
mod import_export;
pub use import_export::*;
#[path = "../store/search_documents.rs"]
mod search_documents;
pub use search_documents::*;
#[path = "../store/deflection.rs"]
mod deflection;
pub use deflection::*;
#[path = "../store/moderation.rs"]
mod moderation;
pub use moderation::*;

#[path = "../store/reputation.rs"]
pub mod reputation;

#[path = "../store/kb.rs"]
pub mod kb;

#[path = "../store/front.rs"]
pub mod front;

#[path = "../store/drafts.rs"]
pub mod draft_store;

#[path = "../store/ideas.rs"]
pub mod idea_store;

#[path = "../store/uploads.rs"]
pub mod upload_store;

#[path = "../store/analytics.rs"]
pub mod analytics_store;

#[path = "../store/analytics_rollups.rs"]
pub mod analytics_rollups;

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Items another worker is claiming right now are skipped, not waited
/// for: any number of workers on any number of nodes share a channel.
fn due_delivery_ids(
    conn: &mut Conn,
    now: i64,
    channel: &str,
    limit: i64,
) -> crate::error::Result<Vec<i64>> {
    let rows: Vec<IdRow> = diesel::sql_query(
        "SELECT id FROM delivery_queue WHERE channel = $1 AND status = 'pending' \
         AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED",
    )
    .bind::<Text, _>(channel)
    .bind::<BigInt, _>(now)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[path = "../store/delivery.rs"]
pub mod delivery;

#[path = "../store/members.rs"]
pub mod members;

#[path = "../store/idempotency.rs"]
pub mod idempotency;
#[path = "../store/rate_limit.rs"]
pub mod rate_limit;

#[path = "../store/notify.rs"]
pub mod notify;

#[path = "../store/sso.rs"]
pub mod sso;

#[path = "../store/email_confirm.rs"]
pub mod email_confirm;

#[path = "../store/settings.rs"]
pub mod settings;
