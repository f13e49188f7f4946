//! Idempotency keys for API writes (the `Idempotency-Key` header): a
//! client that retries a request after a dropped connection, with the same
//! key, gets the first response again instead of a second write. Keys are
//! per member and kept [`KEEP_MS`]. A key sent with a different request is
//! refused; a key whose first request is still running (or whose server
//! died mid-request) answers "in progress" rather than risk a second
//! write.

use crate::db::dispatch;
use crate::error::{ForumError, Result, Rule};

/// How long a key and its response are kept.
pub const KEEP_MS: i64 = 24 * 3_600_000;
/// The longest key accepted.
pub const KEY_MAX: usize = 255;

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key is new: run the request, then `finish` (or `abandon`).
    Proceed,
    /// Answered before: send this again.
    Replay(StoredResponse),
    /// The key belongs to a different request.
    Mismatch,
    /// The first request with this key has not been answered.
    InProgress,
}

/// 1 to 255 visible ASCII characters.
pub fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > KEY_MAX || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ForumError::invalid(
            "idempotency_key",
            Rule::IdempotencyKey,
            "an Idempotency-Key is 1 to 255 visible ASCII characters",
        ));
    }
    Ok(())
}

/// The refusal of a key already used for a different request.
pub fn key_reused() -> ForumError {
    ForumError::invalid(
        "idempotency_key",
        Rule::IdempotencyKeyReused,
        "this Idempotency-Key was used for a different request",
    )
}

impl crate::Forum {
    /// Claim `key` for `user_id`'s request (identified by `request_hash`).
    pub fn idempotency_begin(&self, user_id: i64, key: &str, request_hash: &str) -> Result<Begin> {
        check_key(key)?;
        let begin = dispatch!(
            self.db(),
            idempotency::begin(self.now(), user_id, key, request_hash, KEEP_MS)
        )?;
        if begin == Begin::Mismatch {
            return Err(key_reused());
        }
        Ok(begin)
    }

    /// Keep the response of the request that claimed `key`.
    pub fn idempotency_finish(
        &self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        dispatch!(self.db(), idempotency::finish(user_id, key, response))
    }

    /// Free `key` for a retry (the request failed on our side).
    pub fn idempotency_abandon(&self, user_id: i64, key: &str) -> Result<()> {
        dispatch!(self.db(), idempotency::abandon(user_id, key))
    }

    /// Delete expired keys (up to `limit`); how many went.
    pub fn prune_idempotency_keys(&self, limit: i64) -> Result<u64> {
        dispatch!(self.db(), idempotency::prune(self.now() - KEEP_MS, limit))
    }
}
