//! The anonymous page cache: whole rendered pages (home, board lists,
//! threads, the knowledge base) kept in this node's memory for visitors who
//! are not signed in, who all see the same page. Most of a brand
//! community's traffic is such readers arriving from web search.
//!
//! Every node tails the outbox itself ([`PageCacheJob`]), so a change made
//! through any node drops the pages that show it on every node within a
//! poll (`POLL`). A page is only stored, and only served, while that tail
//! is live; a render that raced a change is not stored. Entries also age
//! out (`max_age_secs`: relative times such as "5 minutes ago" stay
//! honest) and the whole cache has a byte budget (oldest out first).
//! Responses carry `ETag`, `Last-Modified` and `Cache-Control: public,
//! no-cache`, so a CDN or reverse proxy in front may keep them and
//! revalidate cheaply. Members' pages (votes, permissions, form tokens)
//! are never cached.

use std::collections::{HashMap, VecDeque};
use std::io::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime};

use actix_web::http::header::{self, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use forum::events::EventBody;
use forum::Forum;
use serde::Deserialize;
use sha2::Digest;

use crate::supervisor::{Job, JobError};

/// How often each node reads the outbox for changes to drop.
pub const POLL: Duration = Duration::from_millis(200);
/// Without a successful outbox read for this long, the cache neither
/// serves nor stores: it could be missing changes.
const LIVE_FOR: Duration = Duration::from_secs(3);
/// Invalidation batches remembered to refuse renders that raced them.
const RECENT_BATCHES: usize = 512;

/// `[page_cache]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageCacheConfig {
    pub enabled: bool,
    /// Memory for cached pages (bodies, plus their gzip copies).
    pub max_bytes: usize,
    /// The oldest a cached page may be served.
    pub max_age_secs: u64,
}

impl Default for PageCacheConfig {
    fn default() -> Self {
        PageCacheConfig {
            enabled: true,
            max_bytes: 64 * 1024 * 1024,
            max_age_secs: 60,
        }
    }
}

/// What kind of page an entry is, for invalidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Board,
    Thread,
    Kb,
}

/// What a cached page shows, so that a change can find it.
#[derive(Debug, Clone)]
pub struct Tags {
    pub kind: PageKind,
    pub board: Option<i64>,
    pub thread: Option<i64>,
    /// Members whose names, ranks or roles the page prints.
    pub authors: Vec<i64>,
}

impl Tags {
    pub fn of(kind: PageKind) -> Tags {
        Tags {
            kind,
            board: None,
            thread: None,
            authors: Vec::new(),
        }
    }

    fn shown_by(&self, scope: &Scope) -> bool {
        match *scope {
            Scope::All => true,
            Scope::Thread(t) => self.thread == Some(t),
            Scope::Board(b) => self.kind == PageKind::Board && self.board == Some(b),
            Scope::AnyBoard => self.kind == PageKind::Board,
            Scope::Home => self.kind == PageKind::Home,
            Scope::Kb => self.kind == PageKind::Kb,
            // Lists print authors' names too; they are cheap to redraw.
            Scope::Author(u) => {
                self.authors.contains(&u) || matches!(self.kind, PageKind::Home | PageKind::Board)
            }
        }
    }
}

/// What one outbox event may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Thread(i64),
    Board(i64),
    AnyBoard,
    Home,
    Kb,
    Author(i64),
}

/// The pages an event changes. Lists show titles, statuses, counts and
/// last activity, so a change to a thread also drops the lists (home and
/// boards); board settings and erasures reach too far to track: all.
pub fn scopes_of(event: &EventBody) -> Vec<Scope> {
    use EventBody as E;
    use Scope::*;
    match event {
        E::ThreadCreated(p) => vec![Board(p.category_id), Home],
        E::ThreadImported(p) => vec![Thread(p.thread_id), Board(p.category_id), Home],
        E::PostCreated(p) => vec![Thread(p.thread_id), Board(p.category_id), Home],
        E::SolutionAccepted(p) => vec![Thread(p.thread_id), Board(p.category_id), Home],
        E::ThreadMoved(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::ThreadDuplicate(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::ThreadLocked(p) | E::ThreadUnlocked(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::PostEdited(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::PostDeleted(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::PostHeld(p) | E::PostHidden(p) | E::PostRestored(p) => {
            vec![Thread(p.thread_id), AnyBoard, Home]
        }
        E::PostVoted(p) | E::PostUnvoted(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::SolutionUnaccepted(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::IdeaStatusChanged(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::IdeaVoted(p) | E::IdeaUnvoted(p) => vec![Thread(p.thread_id), AnyBoard, Home],
        E::IdeaMerged(p) | E::IdeaUnmerged(p) => vec![
            Thread(p.from_thread_id),
            Thread(p.into_thread_id),
            AnyBoard,
            Home,
        ],
        E::KbCreated(p) => match p.thread_id {
            Some(t) => vec![Kb, Home, Thread(t)],
            None => vec![Kb, Home],
        },
        E::KbSourceChanged(p) => vec![Kb, Thread(p.thread_id)],
        E::KbUpdated(_) | E::KbPublished(_) | E::KbArchived(_) | E::KbFeedback(_) => {
            vec![Kb, Home]
        }
        E::UserRoleChanged(p) => vec![Author(p.user_id)],
        E::UserProfileChanged(p) => vec![Author(p.user_id)],
        E::MemberRankChanged(p) => vec![Author(p.user_id)],
        E::BoardChanged(_) | E::UserErased(_) => vec![All],
        E::UserRegistered(_) | E::SuggestionOpened(_) => Vec::new(),
    }
}

/// The page (a canonical form of its address, so that stray query
/// parameters share one entry) in one interface language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    page: String,
    lang: &'static str,
}

/// One stored page.
pub struct Entry {
    body: Bytes,
    gzip: OnceLock<Bytes>,
    etag: String,
    modified: SystemTime,
    stored_at: Instant,
    tags: Tags,
    /// The (board, thread or article) a view of it counts for.
    counts_as: (Option<i64>, Option<i64>),
    /// The live site settings' version it was drawn with (name, theme).
    settings: i64,
    /// Told apart from a later entry under the same key when evicting.
    serial: u64,
}

impl Entry {
    fn size(&self) -> usize {
        self.body.len() + self.gzip.get().map_or(0, Bytes::len) + 256
    }

    fn gzipped(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let mut enc = flate2::write::GzEncoder::new(
                Vec::with_capacity(self.body.len() / 4),
                flate2::Compression::default(),
            );
            // Writing to a Vec cannot fail; an error leaves the plain body.
            match enc.write_all(&self.body).and_then(|()| enc.finish()) {
                Ok(z) => Bytes::from(z),
                Err(_) => self.body.clone(),
            }
        })
    }
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Arc<Entry>>,
    /// Keys in the order they were stored (with the entry's serial).
    order: VecDeque<(Key, u64)>,
    bytes: usize,
    /// The last invalidation batches: (sequence number, scopes).
    recent: VecDeque<(u64, Vec<Scope>)>,
}

/// Counters for `/metrics`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub bytes: usize,
    pub invalidated: u64,
}

/// One node's cache of anonymous pages.
pub struct PageCache {
    config: PageCacheConfig,
    inner: RwLock<Inner>,
    /// Bumped by every applied invalidation batch.
    seq: AtomicU64,
    serial: AtomicU64,
    /// When the outbox tail last read successfully (ms since `epoch`).
    live_at: AtomicI64,
    epoch: Instant,
    hits: AtomicU64,
    misses: AtomicU64,
    invalidated: AtomicU64,
}

/// Taken before a page's rows are read; a change applied after it keeps
/// the page out of the cache.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl PageCache {
    pub fn new(config: PageCacheConfig) -> PageCache {
        PageCache {
            config,
            inner: RwLock::default(),
            seq: AtomicU64::new(0),
            serial: AtomicU64::new(0),
            live_at: AtomicI64::new(i64::MIN / 2),
            epoch: Instant::now(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            invalidated: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.config.enabled && self.config.max_bytes > 0
    }

    fn now_ms(&self) -> i64 {
        i64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    /// The outbox tail has just read everything up to now.
    pub fn mark_live(&self) {
        self.live_at.store(self.now_ms(), Ordering::Release);
    }

    fn live(&self) -> bool {
        let age = self.now_ms() - self.live_at.load(Ordering::Acquire);
        age >= 0 && age < i64::try_from(LIVE_FOR.as_millis()).unwrap_or(i64::MAX)
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.seq.load(Ordering::Acquire))
    }

    pub fn stats(&self) -> CacheStats {
        let (entries, bytes) = self
            .inner
            .read()
            .map_or((0, 0), |i| (i.entries.len(), i.bytes));
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries,
            bytes,
            invalidated: self.invalidated.load(Ordering::Relaxed),
        }
    }

    /// The stored page, when it is fresh and the feed of changes is live.
    fn get(&self, key: &Key, settings: i64) -> Option<Arc<Entry>> {
        if !self.live() {
            return None;
        }
        let inner = self.inner.read().ok()?;
        let e = inner.entries.get(key)?;
        let fresh = e.stored_at.elapsed() < Duration::from_secs(self.config.max_age_secs)
            && e.settings == settings;
        fresh.then(|| e.clone())
    }

    /// Keep a rendered page unless a change was applied since `ticket`
    /// that could touch it (or the feed of changes is not live). Returns
    /// the entry either way, to answer with.
    fn put(
        &self,
        ticket: Ticket,
        key: Key,
        body: String,
        tags: Tags,
        counts_as: (Option<i64>, Option<i64>),
        settings: i64,
    ) -> Arc<Entry> {
        let body = Bytes::from(body);
        let etag = {
            let digest = sha2::Sha256::digest(&body);
            format!("\"{}\"", hex::encode(&digest[..12]))
        };
        let entry = Arc::new(Entry {
            body,
            gzip: OnceLock::new(),
            etag,
            modified: SystemTime::now(),
            stored_at: Instant::now(),
            tags,
            counts_as,
            settings,
            serial: self.serial.fetch_add(1, Ordering::Relaxed),
        });
        if !self.live() || entry.size() > self.config.max_bytes / 8 {
            return entry;
        }
        let Ok(mut inner) = self.inner.write() else {
            return entry;
        };
        // Every batch after the ticket must be known and miss this page.
        let oldest_known = inner.recent.front().map_or(u64::MAX, |(s, _)| *s);
        let current = self.seq.load(Ordering::Acquire);
        if current > ticket.0 {
            if oldest_known > ticket.0 + 1 {
                return entry;
            }
            let raced = inner
                .recent
                .iter()
                .filter(|(s, _)| *s > ticket.0)
                .any(|(_, scopes)| scopes.iter().any(|sc| entry.tags.shown_by(sc)));
            if raced {
                return entry;
            }
        }
        let size = entry.size();
        if let Some(old) = inner.entries.insert(key.clone(), entry.clone()) {
            inner.bytes = inner.bytes.saturating_sub(old.size());
        }
        inner.bytes += size;
        inner.order.push_back((key, entry.serial));
        self.evict(&mut inner);
        entry
    }

    fn evict(&self, inner: &mut Inner) {
        while inner.bytes > self.config.max_bytes {
            let Some((key, serial)) = inner.order.pop_front() else {
                break;
            };
            if inner.entries.get(&key).is_some_and(|e| e.serial == serial) {
                if let Some(e) = inner.entries.remove(&key) {
                    inner.bytes = inner.bytes.saturating_sub(e.size());
                }
            }
        }
        // Keys of replaced or dropped entries pile up otherwise.
        if inner.order.len() > 2 * inner.entries.len() + 64 {
            let entries = &inner.entries;
            let order: VecDeque<(Key, u64)> = inner
                .order
                .drain(..)
                .filter(|(k, s)| entries.get(k).is_some_and(|e| e.serial == *s))
                .collect();
            inner.order = order;
        }
    }

    /// Drop every page one of `scopes` reaches.
    pub fn invalidate(&self, scopes: &[Scope]) {
        if scopes.is_empty() {
            return;
        }
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        let seq = self.seq.fetch_add(1, Ordering::AcqRel) + 1;
        inner.recent.push_back((seq, scopes.to_vec()));
        while inner.recent.len() > RECENT_BATCHES {
            inner.recent.pop_front();
        }
        let before = inner.entries.len();
        let mut freed = 0;
        inner.entries.retain(|_, e| {
            let keep = !scopes.iter().any(|s| e.tags.shown_by(s));
            if !keep {
                freed += e.size();
            }
            keep
        });
        inner.bytes = inner.bytes.saturating_sub(freed);
        let dropped = before - inner.entries.len();
        self.invalidated
            .fetch_add(dropped as u64, Ordering::Relaxed);
        if dropped > 0 {
            tracing::debug!(dropped, scopes = ?scopes, "cached pages dropped");
        }
    }
}

/// A cacheable page being answered for a visitor: either served from the
/// cache, or rendered and then stored with [`VisitorPage::store`].
pub struct VisitorPage {
    cache: Arc<PageCache>,
    key: Key,
    ticket: Ticket,
    settings: i64,
}

/// How a visitor's cacheable page is answered.
pub enum Lookup {
    /// From the cache; what a view of it counts for (board, thread or
    /// article).
    Hit(HttpResponse, (Option<i64>, Option<i64>)),
    /// Render it (without the visitor's own form token), then `store`.
    Miss(VisitorPage),
    /// A member, or the cache is off: render as usual.
    Member,
}

/// Look `page` (the canonical address) up for this request.
pub fn lookup(
    cache: &Arc<PageCache>,
    req: &HttpRequest,
    visitor: bool,
    lang: &'static str,
    settings: i64,
    page: String,
) -> Lookup {
    if !visitor || !cache.enabled() || req.method() != actix_web::http::Method::GET {
        return Lookup::Member;
    }
    let key = Key { page, lang };
    if let Some(e) = cache.get(&key, settings) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return Lookup::Hit(respond(req, &e, true), e.counts_as);
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    Lookup::Miss(VisitorPage {
        ticket: cache.ticket(),
        cache: cache.clone(),
        key,
        settings,
    })
}

impl VisitorPage {
    /// Keep the rendered page (when nothing raced it) and answer with it.
    pub fn store(
        self,
        req: &HttpRequest,
        body: String,
        tags: Tags,
        counts_as: (Option<i64>, Option<i64>),
    ) -> HttpResponse {
        let e = self
            .cache
            .put(self.ticket, self.key, body, tags, counts_as, self.settings);
        respond(req, &e, false)
    }
}

/// The response for a stored page: 304 when the client's copy is current,
/// else the page, gzipped when the client takes it.
fn respond(req: &HttpRequest, e: &Entry, hit: bool) -> HttpResponse {
    let modified = HttpDate::from(e.modified);
    let mut res = if not_modified(req, e) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, e.etag.clone()))
        .insert_header((header::LAST_MODIFIED, modified.to_string()))
        .insert_header((header::CACHE_CONTROL, "public, no-cache"))
        .insert_header((header::VARY, "Cookie, Accept-Language, Accept-Encoding"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("X-Hearth-Cache", if hit { "hit" } else { "miss" }));
    if not_modified(req, e) {
        return res.finish();
    }
    res.content_type("text/html; charset=utf-8");
    if accepts_gzip(req) {
        res.insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(e.gzipped().clone())
    } else {
        res.body(e.body.clone())
    }
}

fn not_modified(req: &HttpRequest, e: &Entry) -> bool {
    let headers = req.headers();
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let tags = tags.to_str().unwrap_or("");
        return tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == e.etag);
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
        .map(SystemTime::from);
    // HTTP dates have whole seconds.
    let stored_secs = e
        .modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    since
        .and_then(|s| s.duration_since(SystemTime::UNIX_EPOCH).ok())
        .is_some_and(|s| s.as_secs() >= stored_secs)
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|part| {
                let mut it = part.split(';');
                let coding = it.next().unwrap_or("").trim();
                let refused = it.any(|p| {
                    let p = p.trim();
                    p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
                });
                coding.eq_ignore_ascii_case("gzip") && !refused
            })
        })
}

/// Reads the outbox after where it last was and drops the pages the
/// events change; one per node (each node has its own cache).
pub struct PageCacheJob {
    forum: Forum,
    cache: Arc<PageCache>,
    position: Option<forum::OutboxPosition>,
    undecodable_seen: u64,
}

/// Dead letters of events this build cannot read are kept under this name.
pub const CONSUMER: &str = "page-cache";

impl PageCacheJob {
    pub fn new(forum: Forum, cache: Arc<PageCache>) -> PageCacheJob {
        PageCacheJob {
            forum,
            cache,
            position: None,
            undecodable_seen: forum::events::undecodable_events_seen(),
        }
    }
}

impl Job for PageCacheJob {
    fn name(&self) -> &'static str {
        "page-cache"
    }

    fn run(&mut self, _isolate: bool) -> Result<usize, JobError> {
        let Some(from) = self.position else {
            // Nothing before now matters: nothing was stored before this.
            self.position = Some(self.forum.outbox_head()?);
            self.cache.invalidate(&[Scope::All]);
            self.cache.mark_live();
            return Ok(0);
        };
        let (events, next) = self.forum.read_events_after(CONSUMER, from, 1000)?;
        let mut scopes: Vec<Scope> = Vec::new();
        for e in &events {
            for s in scopes_of(&e.body) {
                if !scopes.contains(&s) {
                    scopes.push(s);
                }
            }
        }
        // An event this build cannot read may have changed anything.
        let undecodable = forum::events::undecodable_events_seen();
        if undecodable != self.undecodable_seen {
            self.undecodable_seen = undecodable;
            scopes = vec![Scope::All];
        }
        if scopes.contains(&Scope::All) {
            scopes = vec![Scope::All];
        }
        self.cache.invalidate(&scopes);
        self.position = Some(next);
        self.cache.mark_live();
        Ok(events.len())
    }

    fn idle(&self) -> Duration {
        POLL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOWHERE: (Option<i64>, Option<i64>) = (None, None);

    fn cache() -> PageCache {
        let c = PageCache::new(PageCacheConfig::default());
        c.mark_live();
        c
    }

    fn key(page: &str) -> Key {
        Key {
            page: page.into(),
            lang: "en",
        }
    }

    fn thread_tags(thread: i64, board: i64, authors: &[i64]) -> Tags {
        Tags {
            kind: PageKind::Thread,
            board: Some(board),
            thread: Some(thread),
            authors: authors.to_vec(),
        }
    }

    #[test]
    fn a_change_drops_exactly_the_pages_that_show_it() {
        let c = cache();
        let t = c.ticket();
        c.put(
            t,
            key("t/1"),
            "one".into(),
            thread_tags(1, 7, &[3]),
            NOWHERE,
            0,
        );
        c.put(
            t,
            key("t/2"),
            "two".into(),
            thread_tags(2, 7, &[4]),
            NOWHERE,
            0,
        );
        c.put(
            t,
            key("c/7"),
            "board".into(),
            Tags {
                board: Some(7),
                ..Tags::of(PageKind::Board)
            },
            NOWHERE,
            0,
        );
        c.put(
            t,
            key("kb/x"),
            "kb".into(),
            Tags::of(PageKind::Kb),
            NOWHERE,
            0,
        );
        c.put(
            t,
            key("home"),
            "home".into(),
            Tags::of(PageKind::Home),
            NOWHERE,
            0,
        );
        assert_eq!(c.stats().entries, 5);
        c.invalidate(&[Scope::Thread(1)]);
        assert!(c.get(&key("t/1"), 0).is_none());
        assert!(c.get(&key("t/2"), 0).is_some(), "another thread stays");
        c.invalidate(&[Scope::Author(4)]);
        assert!(
            c.get(&key("t/2"), 0).is_none(),
            "a page printing the member"
        );
        assert!(
            c.get(&key("c/7"), 0).is_none() && c.get(&key("home"), 0).is_none(),
            "lists print names too"
        );
        assert!(c.get(&key("kb/x"), 0).is_some());
        let t = c.ticket();
        let board = Tags {
            board: Some(7),
            ..Tags::of(PageKind::Board)
        };
        c.put(t, key("c/7"), "board".into(), board, NOWHERE, 0);
        c.put(
            t,
            key("home"),
            "home".into(),
            Tags::of(PageKind::Home),
            NOWHERE,
            0,
        );
        c.invalidate(&[Scope::Board(8)]);
        assert!(
            c.get(&key("c/7"), 0).is_some(),
            "another board's list stays"
        );
        c.invalidate(&[Scope::AnyBoard]);
        assert!(c.get(&key("c/7"), 0).is_none());
        assert!(c.get(&key("kb/x"), 0).is_some() && c.get(&key("home"), 0).is_some());
        c.invalidate(&[Scope::All]);
        assert_eq!(c.stats().entries, 0);
        assert_eq!(c.stats().bytes, 0);
    }

    #[test]
    fn a_render_that_raced_a_change_is_not_kept() {
        let c = cache();
        let before = c.ticket();
        c.invalidate(&[Scope::Thread(1)]);
        c.put(
            before,
            key("t/1"),
            "stale".into(),
            thread_tags(1, 7, &[]),
            NOWHERE,
            0,
        );
        assert!(
            c.get(&key("t/1"), 0).is_none(),
            "rendered before the change"
        );
        c.put(
            before,
            key("t/2"),
            "fine".into(),
            thread_tags(2, 7, &[]),
            NOWHERE,
            0,
        );
        assert!(c.get(&key("t/2"), 0).is_some(), "the change was elsewhere");
        // Too many changes since to tell: not kept.
        for i in 0..(RECENT_BATCHES as i64 + 2) {
            c.invalidate(&[Scope::Thread(1000 + i)]);
        }
        c.put(
            before,
            key("t/3"),
            "unknown".into(),
            thread_tags(3, 7, &[]),
            NOWHERE,
            0,
        );
        assert!(c.get(&key("t/3"), 0).is_none());
    }

    #[test]
    fn nothing_is_served_or_kept_without_a_live_feed_of_changes() {
        let c = PageCache::new(PageCacheConfig::default());
        let t = c.ticket();
        c.put(
            t,
            key("t/1"),
            "x".into(),
            thread_tags(1, 7, &[]),
            NOWHERE,
            0,
        );
        assert_eq!(c.stats().entries, 0, "never read the outbox");
        c.mark_live();
        c.put(
            t,
            key("t/1"),
            "x".into(),
            thread_tags(1, 7, &[]),
            NOWHERE,
            0,
        );
        assert!(c.get(&key("t/1"), 0).is_some());
        c.live_at.store(c.now_ms() - 10_000, Ordering::Release);
        assert!(c.get(&key("t/1"), 0).is_none(), "the feed went quiet");
    }

    #[test]
    fn old_entries_and_other_settings_miss_and_the_budget_holds() {
        let c = PageCache::new(PageCacheConfig {
            max_age_secs: 0,
            ..Default::default()
        });
        c.mark_live();
        c.put(
            c.ticket(),
            key("t/1"),
            "x".into(),
            thread_tags(1, 7, &[]),
            NOWHERE,
            0,
        );
        assert!(c.get(&key("t/1"), 0).is_none(), "aged out");
        let c = PageCache::new(PageCacheConfig {
            max_bytes: 8 * 1024,
            ..Default::default()
        });
        c.mark_live();
        c.put(
            c.ticket(),
            key("t/1"),
            "x".into(),
            thread_tags(1, 7, &[]),
            NOWHERE,
            5,
        );
        assert!(c.get(&key("t/1"), 6).is_none(), "site settings changed");
        for i in 0..100 {
            c.put(
                c.ticket(),
                key(&format!("t/{i}")),
                "y".repeat(500),
                thread_tags(i, 7, &[]),
                NOWHERE,
                5,
            );
        }
        assert!(c.stats().bytes <= 8 * 1024, "{:?}", c.stats());
        assert!(c.get(&key("t/99"), 5).is_some(), "the newest stays");
        assert!(c.get(&key("t/0"), 5).is_none(), "the oldest went first");
    }

    #[test]
    fn events_reach_the_pages_they_change() {
        use forum::events::*;
        let reply = EventBody::PostCreated(PostCreated {
            post_id: 9,
            thread_id: 1,
            category_id: 7,
            author_id: 3,
            thread_author_id: 4,
            private: false,
        });
        assert_eq!(
            scopes_of(&reply),
            vec![Scope::Thread(1), Scope::Board(7), Scope::Home]
        );
        let rank = EventBody::MemberRankChanged(RankChanged {
            user_id: 3,
            from: "a".into(),
            to: "b".into(),
        });
        assert_eq!(scopes_of(&rank), vec![Scope::Author(3)]);
        let board = EventBody::BoardChanged(BoardChanged {
            category_id: 7,
            slug: "s".into(),
            action: "update".into(),
            private: true,
            see_min_role: "customer".into(),
            archived: false,
            threads: vec![],
        });
        assert_eq!(scopes_of(&board), vec![Scope::All]);
    }

    #[test]
    fn gzip_is_offered_only_to_clients_that_take_it() {
        let req = |v: &str| {
            actix_web::test::TestRequest::get()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request()
        };
        assert!(accepts_gzip(&req("gzip, deflate, br")));
        assert!(accepts_gzip(&req("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&req("gzip;q=0, br")));
        assert!(!accepts_gzip(&req("identity")));
    }
}
