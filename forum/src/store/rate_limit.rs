//! Rate limits shared by every node, as a generic cell rate algorithm
//! (GCRA) over one row per key: the row holds the key's theoretical
//! arrival time (`tat`); a request is allowed when the new `tat` lies at
//! most one period ahead. One atomic upsert decides and records, so nodes
//! need no coordination beyond the database. Compiled per backend.

#[allow(unused_imports)]
use super::*;

use diesel::sql_types::{BigInt, Text};

/// The upsert's RETURNING row: whether one came back is the answer.
#[derive(QueryableByName)]
#[allow(dead_code)]
struct Tat {
    #[diesel(sql_type = BigInt)]
    tat: i64,
}

/// Count one request against `key` allowing `limit` per `period_ms`
/// (bursts up to `limit`). Ok(None): allowed; Ok(Some(ms)): refused, try
/// again after `ms`.
pub fn hit(
    conn: &mut Conn,
    now: i64,
    key: &str,
    limit: u32,
    period_ms: i64,
) -> Result<Option<i64>> {
    let limit = i64::from(limit.max(1));
    let period_ms = period_ms.max(1);
    let interval = (period_ms / limit).max(1);
    let allowed: Option<Tat> = diesel::sql_query(
        "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
         ON CONFLICT (key) DO UPDATE SET \
           tat = (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 \
         WHERE (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 - $4 <= $2 \
         RETURNING tat",
    )
    .bind::<Text, _>(key)
    .bind::<BigInt, _>(now)
    .bind::<BigInt, _>(interval)
    .bind::<BigInt, _>(period_ms)
    .get_result(conn)
    .optional()?;
    if allowed.is_some() {
        return Ok(None);
    }
    let tat: i64 = rate_limits::table
        .find(key)
        .select(rate_limits::tat)
        .first(conn)
        .optional()?
        .unwrap_or(now);
    Ok(Some((tat.max(now) + interval - period_ms - now).max(1)))
}

/// Count one request against several keys at once, in one transaction
/// that does not wait for the disk: the state is advisory, and losing the
/// last milliseconds of counts in a crash is harmless, while a durable
/// commit per key cost PostgreSQL 2.6–3.9 ms each (`docs/notes/posting-bench.md`).
/// A refusal by any key leaves every count as it was. Ok(None): allowed.
pub fn hit_all(conn: &mut Conn, now: i64, keys: &[(String, u32, i64)]) -> Result<Option<i64>> {
    // (key, step between requests, period), as `hit` derives them.
    let gcra: Vec<(String, i64, i64)> = keys
        .iter()
        .map(|(key, limit, period_ms)| {
            let period = (*period_ms).max(1);
            let step = (period / i64::from((*limit).max(1))).max(1);
            (key.clone(), step, period)
        })
        .collect();
    if let Some(outcome) = native_rate_limit_hit(conn, now, &gcra)? {
        return Ok(outcome);
    }
    let outcome = transaction(conn, |conn| {
        relax_durability(conn)?;
        for (key, limit, period_ms) in keys {
            if let Some(wait) = hit(conn, now, key, *limit, *period_ms)? {
                return Err(ForumError::RateLimited {
                    retry_after_ms: wait,
                });
            }
        }
        Ok(())
    });
    match outcome {
        Ok(()) => Ok(None),
        Err(ForumError::RateLimited { retry_after_ms }) => Ok(Some(retry_after_ms)),
        Err(e) => Err(e),
    }
}

/// Forget keys whose time has passed (they are as good as new).
pub fn prune(conn: &mut Conn, now: i64, limit: i64) -> Result<usize> {
    let keys: Vec<String> = rate_limits::table
        .filter(rate_limits::tat.lt(now))
        .order(rate_limits::tat.asc())
        .limit(limit)
        .select(rate_limits::key)
        .load(conn)?;
    if keys.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(
        rate_limits::table
            .filter(rate_limits::key.eq_any(&keys))
            .filter(rate_limits::tat.lt(now)),
    )
    .execute(conn)?)
}
