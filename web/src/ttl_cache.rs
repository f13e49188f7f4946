//! A value computed now and then and shared by every request meanwhile
//! (the home page's top contributors: the same for every viewer, and a
//! month's reputation awards to add up).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct TtlCache<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> TtlCache<T> {
    pub fn new(ttl: Duration) -> TtlCache<T> {
        TtlCache {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The value, while it is younger than the cache's lifetime.
    pub fn fresh(&self) -> Option<Arc<T>> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Keep `value` from now on.
    pub fn put(&self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), value.clone()));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire() {
        let c = TtlCache::new(Duration::from_millis(30));
        assert!(c.fresh().is_none());
        c.put(7);
        assert_eq!(c.fresh().as_deref(), Some(&7));
        std::thread::sleep(Duration::from_millis(40));
        assert!(c.fresh().is_none());
        let never = TtlCache::new(Duration::ZERO);
        never.put(1);
        assert!(never.fresh().is_none());
    }
}
