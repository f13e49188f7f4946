//! Rate limits shared by every node (the state lives in the database, so
//! two web nodes behind one balancer count together): `limit` requests per
//! `period` per key, with bursts up to `limit`. Keys name the action and
//! who is counted, e.g. `register:ip:203.0.113.7` or `post:user:42`.

use serde::{Deserialize, Serialize};

use crate::error::{ForumError, Result};

/// `limit` per `period_secs`; `limit` 0 turns the limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub limit: u32,
    pub period_secs: u64,
}

impl RateLimit {
    pub const fn per_minute(limit: u32) -> RateLimit {
        RateLimit {
            limit,
            period_secs: 60,
        }
    }

    pub const fn per_hour(limit: u32) -> RateLimit {
        RateLimit {
            limit,
            period_secs: 3600,
        }
    }

    pub const fn per_day(limit: u32) -> RateLimit {
        RateLimit {
            limit,
            period_secs: 86_400,
        }
    }
}

impl crate::Forum {
    /// Count one request against `key`; `Err(RateLimited)` with how long
    /// to wait once it is over `rule`.
    pub fn rate_limit(&self, key: &str, rule: RateLimit) -> Result<()> {
        if rule.limit == 0 {
            return Ok(());
        }
        let period_ms = i64::try_from(rule.period_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        // Keys carry addresses and names; bound them so a hostile value
        // cannot grow the table's rows.
        let key: String = key.chars().take(200).collect();
        match crate::db::dispatch!(
            self.db(),
            rate_limit::hit(self.now(), &key, rule.limit, period_ms)
        )? {
            None => Ok(()),
            Some(retry_after_ms) => {
                tracing::info!(key = %key, retry_after_ms, "rate limited");
                Err(ForumError::RateLimited { retry_after_ms })
            }
        }
    }

    /// Count one request against every `(key, rule)` at once (one
    /// transaction): refused if any refuses, and then nothing is counted.
    pub fn rate_limit_all(&self, checks: &[(String, RateLimit)]) -> Result<()> {
        let keys: Vec<(String, u32, i64)> = checks
            .iter()
            .filter(|(_, rule)| rule.limit > 0)
            .map(|(key, rule)| {
                (
                    key.chars().take(200).collect(),
                    rule.limit,
                    i64::try_from(rule.period_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
                )
            })
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        match crate::db::dispatch!(self.db(), rate_limit::hit_all(self.now(), &keys))? {
            None => Ok(()),
            Some(retry_after_ms) => {
                tracing::info!(keys = keys.len(), retry_after_ms, "rate limited");
                Err(ForumError::RateLimited { retry_after_ms })
            }
        }
    }

    /// Forget rate-limit state that has run out; returns how many keys.
    pub fn prune_rate_limits(&self) -> Result<usize> {
        crate::db::dispatch!(self.db(), rate_limit::prune(self.now(), 10_000))
    }
}
