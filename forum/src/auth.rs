//! Password hashing and opaque tokens. Tokens are random; only their SHA-256
//! is stored, so a database leak does not leak sessions.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::error::ForumError;

/// Each Argon2 hash holds 19 MiB while it runs. Without a bound, a burst
/// of anonymous registrations or sign-ins runs hundreds at once and the
/// process grows by gigabytes; with one, memory is permits × 19 MiB and
/// the rest wait their turn (or get `Busy`, a 503 with Retry-After).
struct HashPermits {
    in_use: Mutex<usize>,
    freed: Condvar,
}

/// How long a hash waits for a permit before the request is refused as busy.
const HASH_WAIT: Duration = Duration::from_secs(5);

/// Configured bound; 0 means one per CPU.
static MAX_HASHES: AtomicUsize = AtomicUsize::new(0);

fn permits() -> &'static HashPermits {
    static PERMITS: OnceLock<HashPermits> = OnceLock::new();
    PERMITS.get_or_init(|| HashPermits {
        in_use: Mutex::new(0),
        freed: Condvar::new(),
    })
}

/// Set how many password hashes may run at once in this process (0: one
/// per CPU).
pub fn limit_concurrent_hashes(max: usize) {
    MAX_HASHES.store(max, Ordering::Relaxed);
}

fn max_hashes() -> usize {
    match MAX_HASHES.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Run `f` holding a hashing permit.
fn with_permit<T>(f: impl FnOnce() -> T) -> Result<T, ForumError> {
    let p = permits();
    let max = max_hashes();
    let deadline = Instant::now() + HASH_WAIT;
    let mut in_use = p.in_use.lock().unwrap_or_else(|e| e.into_inner());
    while *in_use >= max {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ForumError::Busy);
        }
        in_use = p
            .freed
            .wait_timeout(in_use, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    *in_use += 1;
    drop(in_use);
    // Released however `f` ends, unwinding included.
    struct Release<'a>(&'a HashPermits);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            *self.0.in_use.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            self.0.freed.notify_one();
        }
    }
    let _release = Release(p);
    Ok(f())
}

pub fn hash_password(password: &str) -> Result<String, ForumError> {
    let salt = SaltString::generate(&mut OsRng);
    with_permit(|| {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })?
    .map_err(|e| ForumError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `hash`; `Busy` when too many checks are
/// already running.
pub fn check_password(password: &str, hash: &str) -> Result<bool, ForumError> {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return Ok(false);
    };
    with_permit(|| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    check_password(password, hash).unwrap_or(false)
}

/// Burn the same time as a real check, so unknown usernames are not
/// distinguishable by timing.
pub fn dummy_verify(password: &str) -> Result<(), ForumError> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(h) = DUMMY.get_or_init(|| hash_password("dummy password for timing").ok()) {
        check_password(password, h)?;
    }
    Ok(())
}

/// A new random token and the hash to store for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn hashes_run_at_most_permits_at_once() {
        let max = max_hashes();
        let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..(max * 3) {
                s.spawn(|| {
                    with_permit(|| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .unwrap();
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= max);
        assert!(peak.load(Ordering::SeqCst) >= 1);
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(a, ha);
    }
}
