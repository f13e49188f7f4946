//! Password hashing and opaque tokens. Tokens are random; only their SHA-256
//! is stored, so a database leak does not leak sessions.

use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::error::ForumError;

/// Each Argon2 hash works in 19 MiB of memory. Without a bound, a burst of
/// anonymous registrations or sign-ins ran hundreds at once and the process
/// grew by gigabytes that the allocator kept. Here at most `max_hashes()`
/// run at once, each in a working buffer that is made once and reused, so
/// hashing holds at most permits × 19 MiB for the life of the process,
/// whatever the allocator does; the rest wait their turn (or get `Busy`, a
/// 503 with Retry-After).
struct HashPermits {
    state: Mutex<PermitState>,
    freed: Condvar,
}

#[derive(Default)]
struct PermitState {
    in_use: usize,
    /// Working memory of the default parameters, ready for reuse.
    buffers: Vec<Box<[Block]>>,
}

/// How long a hash waits for a permit before the request is refused as busy.
const HASH_WAIT: Duration = Duration::from_secs(5);

/// Hashes whose parameters ask for more memory than this are not checked
/// (no hash Hearth writes comes near it).
const MAX_BLOCKS: usize = 256 * 1024;

/// Configured bound; 0 means one per CPU.
static MAX_HASHES: AtomicUsize = AtomicUsize::new(0);

fn permits() -> &'static HashPermits {
    static PERMITS: OnceLock<HashPermits> = OnceLock::new();
    PERMITS.get_or_init(|| HashPermits {
        state: Mutex::default(),
        freed: Condvar::new(),
    })
}

fn lock(p: &HashPermits) -> MutexGuard<'_, PermitState> {
    p.state.lock().unwrap_or_else(|e| e.into_inner())
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

/// Run `f` holding a permit and a working buffer of `blocks` blocks.
fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> Result<T, ForumError> {
    let p = permits();
    let deadline = Instant::now() + HASH_WAIT;
    let mut state = lock(p);
    while state.in_use >= max_hashes() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ForumError::Busy);
        }
        state = p
            .freed
            .wait_timeout(state, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    state.in_use += 1;
    let reusable = blocks == Params::DEFAULT.block_count();
    let buffer = if reusable { state.buffers.pop() } else { None };
    drop(state);
    // Returned however `f` ends, unwinding included.
    struct Permit<'a> {
        permits: &'a HashPermits,
        buffer: Option<Box<[Block]>>,
        reusable: bool,
    }
    impl Drop for Permit<'_> {
        fn drop(&mut self) {
            let mut state = lock(self.permits);
            state.in_use -= 1;
            if let Some(b) = self.buffer.take().filter(|_| self.reusable) {
                state.buffers.push(b);
            }
            drop(state);
            self.permits.freed.notify_one();
        }
    }
    let mut permit = Permit {
        permits: p,
        buffer: Some(buffer.unwrap_or_else(|| vec![Block::new(); blocks].into_boxed_slice())),
        reusable,
    };
    let memory = permit.buffer.as_deref_mut().unwrap_or_default();
    Ok(f(memory))
}

fn internal(e: impl std::fmt::Display) -> ForumError {
    ForumError::Internal(format!("password hashing failed: {e}"))
}

/// A new Argon2id hash of `password` in PHC string form, with the crate's
/// default (OWASP) parameters.
pub fn hash_password(password: &str) -> Result<String, ForumError> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::DEFAULT;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(internal)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
    })?
    .map_err(internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash` (any Argon2 variant and
/// parameters); `Busy` when too many checks are already running.
pub fn check_password(password: &str, hash: &str) -> Result<bool, ForumError> {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return Ok(false);
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return Ok(false);
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return Ok(false),
    };
    if params.block_count() > MAX_BLOCKS {
        return Ok(false);
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return Ok(false);
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let computed = with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
    })?;
    // `Output` compares in constant time.
    Ok(computed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected))
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
                    with_memory(1, |_| {
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
    fn hashes_interoperate_with_the_standard_verifier() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_password("correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"wrong horse", &parsed)
            .is_err());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .unwrap()
            .to_string();
        assert!(check_password("battery staple", &theirs).unwrap());
        assert!(!check_password("battery stapler", &theirs).unwrap());
        // Other parameters (an older or imported hash) work too.
        let light = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 3, 1, None).unwrap(),
        )
        .hash_password(b"light", &salt)
        .unwrap()
        .to_string();
        assert!(check_password("light", &light).unwrap());
        assert!(
            !check_password("x", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA").unwrap()
        );
    }

    #[test]
    fn working_memory_is_reused_not_reallocated() {
        for _ in 0..5 {
            hash_password("reuse me").unwrap();
        }
        let state = lock(permits());
        assert!(
            state.buffers.len() <= max_hashes(),
            "{}",
            state.buffers.len()
        );
        assert!(!state.buffers.is_empty());
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
