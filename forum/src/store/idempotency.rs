//! Idempotency keys: one row per (member, key) holding the request's hash
//! and, once answered, the response. Compiled per backend.

#[allow(unused_imports)]
use super::*;

use crate::idempotency::{Begin, StoredResponse};

/// A key's row: request hash, then the answer (status, content type,
/// location, body) once there is one.
type KeyRow = (
    String,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
);

/// Claim `key` for a request, or say what became of an earlier one.
pub fn begin(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    key: &str,
    request_hash: &str,
    keep_ms: i64,
) -> Result<Begin> {
    use crate::schema::idempotency_keys as k;
    transaction(conn, |conn| {
        // An expired key is free again.
        diesel::delete(
            k::table
                .filter(k::user_id.eq(user_id))
                .filter(k::key.eq(key))
                .filter(k::created_at.lt(now - keep_ms)),
        )
        .execute(conn)?;
        let claimed = diesel::insert_into(k::table)
            .values((
                k::user_id.eq(user_id),
                k::key.eq(key),
                k::request_hash.eq(request_hash),
                k::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if claimed == 1 {
            return Ok(Begin::Proceed);
        }
        let (hash, status, content_type, location, body): KeyRow = k::table
            .find((user_id, key))
            .select((
                k::request_hash,
                k::status,
                k::content_type,
                k::location,
                k::body,
            ))
            .first(conn)?;
        Ok(match status {
            _ if hash != request_hash => Begin::Mismatch,
            None => Begin::InProgress,
            Some(status) => Begin::Replay(StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                content_type,
                location,
                body: body.unwrap_or_default(),
            }),
        })
    })
}

/// Keep the response of the request that claimed `key`.
pub fn finish(conn: &mut Conn, user_id: i64, key: &str, response: &StoredResponse) -> Result<()> {
    use crate::schema::idempotency_keys as k;
    diesel::update(k::table.find((user_id, key)))
        .set((
            k::status.eq(Some(i32::from(response.status))),
            k::content_type.eq(response.content_type.as_deref()),
            k::location.eq(response.location.as_deref()),
            k::body.eq(Some(response.body.as_slice())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Free `key` (the request failed in a way worth retrying).
pub fn abandon(conn: &mut Conn, user_id: i64, key: &str) -> Result<()> {
    use crate::schema::idempotency_keys as k;
    diesel::delete(
        k::table
            .filter(k::user_id.eq(user_id))
            .filter(k::key.eq(key))
            .filter(k::status.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Delete keys older than `cutoff`, up to `limit` of them.
pub fn prune(conn: &mut Conn, cutoff: i64, limit: i64) -> Result<u64> {
    use crate::schema::idempotency_keys as k;
    let old: Vec<(i64, String)> = k::table
        .filter(k::created_at.lt(cutoff))
        .select((k::user_id, k::key))
        .limit(limit)
        .load(conn)?;
    let mut n = 0;
    for (user_id, key) in old {
        n += diesel::delete(k::table.find((user_id, key))).execute(conn)? as u64;
    }
    Ok(n)
}
