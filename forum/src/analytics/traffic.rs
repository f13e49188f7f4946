//! Page views and visits counted by the server (`docs/analytics.md`,
//! "Traffic"), and KB article views with their helpfulness.
//!
//! A view is buffered in memory with its raw visitor key (the member, or a
//! visitor's address and browser) and hashed with the day's salt when it is
//! written, so the key itself never reaches the database. Staff, bots and
//! API calls are never buffered at all.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{day_of, Share, Window};

/// Views further apart than this start a new visit.
pub const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// What kind of page was viewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    Home,
    Board,
    Thread,
    Kb,
    Search,
    Ask,
    Profile,
    Other,
}

impl PageKind {
    pub const ALL: [PageKind; 8] = [
        PageKind::Home,
        PageKind::Board,
        PageKind::Thread,
        PageKind::Kb,
        PageKind::Search,
        PageKind::Ask,
        PageKind::Profile,
        PageKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Board => "board",
            PageKind::Thread => "thread",
            PageKind::Kb => "kb",
            PageKind::Search => "search",
            PageKind::Ask => "ask",
            PageKind::Profile => "profile",
            PageKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> PageKind {
        PageKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(PageKind::Other)
    }

    /// The kind of a page from its path (without the query).
    pub fn of_path(path: &str) -> PageKind {
        let first = path
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or("");
        match first {
            "" => PageKind::Home,
            "c" => PageKind::Board,
            "t" => PageKind::Thread,
            "kb" => PageKind::Kb,
            "search" => PageKind::Search,
            "ask" => PageKind::Ask,
            "u" => PageKind::Profile,
            _ => PageKind::Other,
        }
    }
}

/// Fragments of the user agents of crawlers, monitors, link previews and
/// scripted clients (lower case). A browser's agent contains none of them.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "headless",
    "lighthouse",
    "pingdom",
    "monitor",
    "preview",
    "facebookexternalhit",
    "embedly",
    "curl/",
    "wget/",
    "python-",
    "python/",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "node-fetch",
    "axios/",
    "reqwest",
    "scrapy",
    "phantomjs",
];

/// Whether a request with this user agent is a robot rather than a person:
/// no agent at all, one that does not claim to be a browser (`Mozilla/` or
/// `Opera/`), or one naming a crawler or a scripted client.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim().to_ascii_lowercase();
    if !(ua.starts_with("mozilla/") || ua.starts_with("opera/")) {
        return true;
    }
    BOT_MARKERS.iter().any(|m| ua.contains(m))
}

/// A view waiting in a node's buffer. `key` is raw (see the module) and is
/// hashed when written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingView {
    pub at: i64,
    pub key: String,
    pub kind: PageKind,
    pub category_id: Option<i64>,
    pub target_id: Option<i64>,
}

/// A view as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewFact {
    pub at: i64,
    pub visitor: String,
    pub kind: PageKind,
    pub category_id: Option<i64>,
    pub target_id: Option<i64>,
}

/// The stored visitor of a raw key on a day: 32 hex digits of
/// SHA-256(salt, key). Without the day's salt it cannot be recomputed.
pub fn visitor_hash(salt: &str, key: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(key.as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Page views and visits of a window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Traffic {
    pub page_views: i64,
    pub visits: i64,
    /// Visits of a single page view, of all visits.
    pub single_page_visits: Share,
    /// (bucket start, views, visits); a visit counts in the bucket of its
    /// first view.
    pub by_bucket: Vec<(i64, i64, i64)>,
    /// (board, views, visits); a visit counts for every board it viewed.
    /// Pages of no board (home, search…) are left out.
    pub by_board: Vec<(i64, i64, i64)>,
    /// (kind, views), every kind in a fixed order.
    pub by_kind: Vec<(PageKind, i64)>,
}

/// Split a visitor's views into visits: a view more than `VISIT_GAP_MS`
/// after the previous one starts a new visit. `views` must be sorted by
/// (visitor, time). Returns the index ranges of the visits.
fn visits(views: &[ViewFact]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=views.len() {
        let ends = i == views.len()
            || views[i].visitor != views[i - 1].visitor
            || views[i].at - views[i - 1].at > VISIT_GAP_MS;
        if ends {
            if start < i {
                out.push(start..i);
            }
            start = i;
        }
    }
    out
}

/// Traffic of `window` from every stored view inside it (all boards: a
/// visit is made of views anywhere). With a board in the window, only that
/// board's views count, and the visits that viewed it.
pub fn traffic(window: &Window, views: &[ViewFact]) -> Traffic {
    let mut views: Vec<&ViewFact> = views.iter().filter(|v| window.contains(v.at)).collect();
    views.sort_by(|a, b| (&a.visitor, a.at).cmp(&(&b.visitor, b.at)));
    let owned: Vec<ViewFact> = views.into_iter().cloned().collect();
    let in_board =
        |v: &ViewFact| window.category_id.is_none() || v.category_id == window.category_id;
    let starts = window.bucket.starts(window);
    let mut by_bucket: Vec<(i64, i64, i64)> = starts.iter().map(|s| (*s, 0, 0)).collect();
    let slot = |at: i64| {
        let s = window.bucket.start(window, at);
        starts.iter().position(|x| *x == s)
    };
    let mut boards: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    let mut kinds: std::collections::BTreeMap<PageKind, i64> = Default::default();
    let (mut page_views, mut visit_count, mut single) = (0i64, 0i64, 0i64);
    for visit in visits(&owned) {
        let views = &owned[visit];
        let counted: Vec<&ViewFact> = views.iter().filter(|v| in_board(v)).collect();
        if counted.is_empty() {
            continue;
        }
        visit_count += 1;
        if counted.len() == 1 {
            single += 1;
        }
        page_views += counted.len() as i64;
        if let Some(i) = slot(views[0].at) {
            by_bucket[i].2 += 1;
        }
        let mut seen_boards = std::collections::BTreeSet::new();
        for v in &counted {
            if let Some(i) = slot(v.at) {
                by_bucket[i].1 += 1;
            }
            *kinds.entry(v.kind).or_default() += 1;
            if let Some(b) = v.category_id {
                boards.entry(b).or_default().0 += 1;
                seen_boards.insert(b);
            }
        }
        for b in seen_boards {
            boards.entry(b).or_default().1 += 1;
        }
    }
    let mut by_board: Vec<(i64, i64, i64)> =
        boards.into_iter().map(|(b, (v, s))| (b, v, s)).collect();
    by_board.sort_by(|a, b| (b.1, a.0).cmp(&(a.1, b.0)));
    Traffic {
        page_views,
        visits: visit_count,
        single_page_visits: Share {
            part: single,
            whole: visit_count,
        },
        by_bucket,
        by_board,
        by_kind: PageKind::ALL
            .into_iter()
            .map(|k| (k, kinds.get(&k).copied().unwrap_or(0)))
            .collect(),
    }
}

/// One day's traffic of a scope, as `analytics_traffic_days` keeps it: the
/// site (`category_id` 0) or one board; all pages (`kind` None: views,
/// visits, single-page visits) or one kind of page (views only). For a
/// board, a visit is one that viewed it and its views are those in it.
///
/// Exact because a visit never crosses a UTC day: the visitor is hashed
/// with the day's salt, so the same person is another visitor tomorrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TrafficDay {
    pub day: i64,
    pub category_id: i64,
    pub kind: Option<PageKind>,
    pub views: i64,
    pub visits: i64,
    pub single_visits: i64,
}

/// The site-wide scope of `TrafficDay` and of the article day rows.
pub const SITE: i64 = 0;

/// Day rows of `views` (any order; each day's views make their own
/// visits). Sorted by (day, scope, kind).
pub fn day_rows(views: &[ViewFact]) -> Vec<TrafficDay> {
    use std::collections::BTreeMap;
    let mut sorted: Vec<&ViewFact> = views.iter().collect();
    sorted.sort_by(|a, b| (day_of(a.at), &a.visitor, a.at).cmp(&(day_of(b.at), &b.visitor, b.at)));
    let owned: Vec<ViewFact> = sorted.into_iter().cloned().collect();
    // (day, scope, kind) -> (views, visits, single-page visits)
    type Key = (i64, i64, Option<PageKind>);
    let mut rows: BTreeMap<Key, (i64, i64, i64)> = BTreeMap::new();
    let mut start = 0;
    for i in 1..=owned.len() {
        let ends = i == owned.len() || day_of(owned[i].at) != day_of(owned[i - 1].at);
        if !ends {
            continue;
        }
        let day_views = &owned[start..i];
        start = i;
        let day = day_of(day_views[0].at);
        for visit in visits(day_views) {
            let views = &day_views[visit];
            let mut scopes: BTreeMap<i64, i64> = BTreeMap::new();
            for v in views {
                *scopes.entry(SITE).or_default() += 1;
                rows.entry((day, SITE, Some(v.kind))).or_default().0 += 1;
                if let Some(b) = v.category_id {
                    *scopes.entry(b).or_default() += 1;
                    rows.entry((day, b, Some(v.kind))).or_default().0 += 1;
                }
            }
            for (scope, n) in scopes {
                let r = rows.entry((day, scope, None)).or_default();
                r.0 += n;
                r.1 += 1;
                r.2 += i64::from(n == 1);
            }
        }
    }
    rows.into_iter()
        .map(
            |((day, category_id, kind), (views, visits, single_visits))| TrafficDay {
                day,
                category_id,
                kind,
                views,
                visits,
                single_visits,
            },
        )
        .collect()
}

/// Traffic of a whole-day `window` from its day rows: equal to `traffic`
/// over the views the rows were made from (the storage suite checks it on
/// every window).
pub fn traffic_from_days(window: &Window, rows: &[TrafficDay]) -> Traffic {
    let scope = window.category_id.unwrap_or(SITE);
    let starts = window.bucket.starts(window);
    let mut by_bucket: Vec<(i64, i64, i64)> = starts.iter().map(|s| (*s, 0, 0)).collect();
    let mut boards: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    let mut kinds: std::collections::BTreeMap<PageKind, i64> = Default::default();
    let (mut page_views, mut visits, mut single) = (0i64, 0i64, 0i64);
    for r in rows.iter().filter(|r| window.contains(r.day)) {
        match r.kind {
            Some(kind) if r.category_id == scope => *kinds.entry(kind).or_default() += r.views,
            Some(_) => {}
            None => {
                if r.category_id != SITE && (scope == SITE || r.category_id == scope) {
                    let b = boards.entry(r.category_id).or_default();
                    b.0 += r.views;
                    b.1 += r.visits;
                }
                if r.category_id == scope {
                    page_views += r.views;
                    visits += r.visits;
                    single += r.single_visits;
                    let s = window.bucket.start(window, r.day);
                    if let Some(slot) = by_bucket.iter_mut().find(|b| b.0 == s) {
                        slot.1 += r.views;
                        slot.2 += r.visits;
                    }
                }
            }
        }
    }
    let mut by_board: Vec<(i64, i64, i64)> =
        boards.into_iter().map(|(b, (v, s))| (b, v, s)).collect();
    by_board.sort_by(|a, b| (b.1, a.0).cmp(&(a.1, b.0)));
    Traffic {
        page_views,
        visits,
        single_page_visits: Share {
            part: single,
            whole: visits,
        },
        by_bucket,
        by_board,
        by_kind: PageKind::ALL
            .into_iter()
            .map(|k| (k, kinds.get(&k).copied().unwrap_or(0)))
            .collect(),
    }
}

/// KB article views per (day, scope, article), the scope being the site
/// (`SITE`) and the article's board, from views of kind `Kb`.
pub fn article_day_rows(views: &[ViewFact]) -> Vec<(i64, i64, i64, i64)> {
    let mut rows: std::collections::BTreeMap<(i64, i64, i64), i64> = Default::default();
    for v in views.iter().filter(|v| v.kind == PageKind::Kb) {
        let Some(article) = v.target_id else { continue };
        let day = day_of(v.at);
        *rows.entry((day, SITE, article)).or_default() += 1;
        if let Some(b) = v.category_id {
            *rows.entry((day, b, article)).or_default() += 1;
        }
    }
    rows.into_iter()
        .map(|((d, s, a), n)| (d, s, a, n))
        .collect()
}

/// One KB article's readership in a window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleReach {
    pub article_id: i64,
    pub slug: String,
    pub title: String,
    pub views: i64,
    /// "Was this helpful?" answers given in the window.
    pub helpful: i64,
    pub not_helpful: i64,
}

impl ArticleReach {
    pub fn helpful_share(&self) -> Share {
        Share {
            part: self.helpful,
            whole: self.helpful + self.not_helpful,
        }
    }
}

/// How many articles the page lists.
pub const TOP_ARTICLES: usize = 20;

/// Articles with views or answers in the window, by views, then answers,
/// then id.
pub fn rank_articles(mut articles: Vec<ArticleReach>) -> Vec<ArticleReach> {
    articles.retain(|a| a.views + a.helpful + a.not_helpful > 0);
    articles.sort_by(|a, b| {
        (b.views, b.helpful + b.not_helpful, a.article_id).cmp(&(
            a.views,
            a.helpful + a.not_helpful,
            b.article_id,
        ))
    });
    articles
}

/// KB articles by views in the window (then by answers), twenty at most,
/// from each article's views and its feedback in the window.
pub fn article_reach(articles: Vec<ArticleReach>) -> Vec<ArticleReach> {
    let mut articles = rank_articles(articles);
    articles.truncate(TOP_ARTICLES);
    articles
}

/// The UTC day (its first millisecond) a view at `at` belongs to, which
/// picks its salt.
pub fn salt_day(at: i64) -> i64 {
    day_of(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{Bucket, DAY_MS};

    const MIN: i64 = 60 * 1000;

    fn view(visitor: &str, at: i64, kind: PageKind, board: Option<i64>) -> ViewFact {
        ViewFact {
            at,
            visitor: visitor.into(),
            kind,
            category_id: board,
            target_id: None,
        }
    }

    fn window(days: i64, board: Option<i64>) -> Window {
        Window {
            from: 0,
            to: days * DAY_MS,
            category_id: board,
            segment: None,
            bucket: crate::analytics::Bucket::Day,
        }
    }

    #[test]
    fn robots_and_scripts_are_not_people() {
        for ua in [
            "",
            "curl/8.4.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "facebookexternalhit/1.1",
            "python-requests/2.31",
            "Go-http-client/1.1",
        ] {
            assert!(is_bot(ua), "{ua}");
        }
        for ua in [
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Opera/9.80 (Windows NT 6.1) Presto/2.12.388 Version/12.16",
        ] {
            assert!(!is_bot(ua), "{ua}");
        }
    }

    #[test]
    fn page_kinds_come_from_the_path() {
        assert_eq!(PageKind::of_path("/"), PageKind::Home);
        assert_eq!(PageKind::of_path("/t/5"), PageKind::Thread);
        assert_eq!(PageKind::of_path("/c/general?page=2"), PageKind::Board);
        assert_eq!(PageKind::of_path("/kb/reset-password"), PageKind::Kb);
        assert_eq!(PageKind::of_path("/search?q=x"), PageKind::Search);
        assert_eq!(PageKind::of_path("/u/3"), PageKind::Profile);
        assert_eq!(PageKind::of_path("/leaderboard"), PageKind::Other);
        for k in PageKind::ALL {
            assert_eq!(PageKind::parse(k.as_str()), k);
        }
    }

    #[test]
    fn hashes_depend_on_the_salt_and_hide_the_key() {
        let a = visitor_hash("salt-1", "v:10.0.0.1|Firefox");
        assert_eq!(a.len(), 32);
        assert_eq!(a, visitor_hash("salt-1", "v:10.0.0.1|Firefox"));
        assert_ne!(a, visitor_hash("salt-2", "v:10.0.0.1|Firefox"));
        assert_ne!(a, visitor_hash("salt-1", "v:10.0.0.2|Firefox"));
        assert!(!a.contains("10.0.0.1"));
    }

    #[test]
    fn thirty_minutes_of_silence_ends_a_visit() {
        let views = vec![
            view("a", 0, PageKind::Home, None),
            view("a", 10 * MIN, PageKind::Thread, Some(1)),
            // Exactly 30 minutes later: the same visit.
            view("a", 40 * MIN, PageKind::Thread, Some(1)),
            // 30 minutes and a millisecond: a new visit.
            view("a", 70 * MIN + 1, PageKind::Board, Some(2)),
            view("b", 5 * MIN, PageKind::Kb, Some(2)),
            // Next day: a new visit (and a new bucket).
            view("b", DAY_MS + 5 * MIN, PageKind::Thread, Some(1)),
        ];
        let t = traffic(&window(2, None), &views);
        assert_eq!(t.page_views, 6);
        assert_eq!(t.visits, 4);
        assert_eq!(t.single_page_visits, Share { part: 3, whole: 4 });
        assert_eq!(t.by_bucket, vec![(0, 5, 3), (DAY_MS, 1, 1)]);
        // Board 1: three views in two visits; board 2: two in two.
        assert_eq!(t.by_board, vec![(1, 3, 2), (2, 2, 2)]);
        let kind = |k| t.by_kind.iter().find(|(x, _)| *x == k).map(|x| x.1);
        assert_eq!(kind(PageKind::Thread), Some(3));
        assert_eq!(kind(PageKind::Ask), Some(0));

        // One board: its views, and the visits that saw it.
        let t = traffic(&window(2, Some(1)), &views);
        assert_eq!((t.page_views, t.visits), (3, 2));
        assert_eq!(t.single_page_visits, Share { part: 1, whole: 2 });
        // Views outside the window are not counted.
        let t = traffic(&window(1, None), &views);
        assert_eq!((t.page_views, t.visits), (5, 3));
    }

    #[test]
    fn day_rows_give_the_same_traffic_as_the_views() {
        // Visitors as stored: a day's salt makes each day's names new.
        let views = vec![
            view("a", 0, PageKind::Home, None),
            view("a", 10 * MIN, PageKind::Thread, Some(1)),
            view("a", 40 * MIN, PageKind::Thread, Some(1)),
            view("a", 70 * MIN + 1, PageKind::Board, Some(2)),
            view("b", 5 * MIN, PageKind::Kb, Some(2)),
            view("c", 6 * MIN, PageKind::Thread, Some(2)),
            view("c", 7 * MIN, PageKind::Thread, Some(1)),
            view("d", DAY_MS + 5 * MIN, PageKind::Thread, Some(1)),
            view("e", 8 * DAY_MS + 5 * MIN, PageKind::Search, None),
        ];
        let rows = day_rows(&views);
        let site = rows
            .iter()
            .find(|r| r.day == 0 && r.category_id == SITE && r.kind.is_none())
            .unwrap();
        assert_eq!((site.views, site.visits, site.single_visits), (7, 4, 2));
        for board in [None, Some(1), Some(2), Some(3)] {
            for bucket in [Bucket::Day, Bucket::Week, Bucket::Month] {
                for days in [1, 2, 9] {
                    let w = Window {
                        bucket,
                        ..window(days, board)
                    };
                    assert_eq!(traffic_from_days(&w, &rows), traffic(&w, &views), "{w:?}");
                }
            }
        }
    }

    #[test]
    fn article_days_count_site_wide_and_per_board() {
        let mut kb = view("a", 5, PageKind::Kb, Some(2));
        kb.target_id = Some(9);
        let mut other = kb.clone();
        other.at = DAY_MS + 1;
        let rows = article_day_rows(&[
            kb.clone(),
            kb,
            other,
            view("b", 1, PageKind::Thread, Some(2)),
        ]);
        assert_eq!(
            rows,
            vec![
                (0, SITE, 9, 2),
                (0, 2, 9, 2),
                (DAY_MS, SITE, 9, 1),
                (DAY_MS, 2, 9, 1)
            ]
        );
    }

    #[test]
    fn articles_rank_by_views_then_answers() {
        let a = |id, views, helpful, not_helpful| ArticleReach {
            article_id: id,
            slug: format!("a{id}"),
            title: String::new(),
            views,
            helpful,
            not_helpful,
        };
        let ranked = article_reach(vec![
            a(1, 5, 0, 0),
            a(2, 9, 1, 1),
            a(3, 0, 0, 0),
            a(4, 5, 2, 0),
        ]);
        let ids: Vec<i64> = ranked.iter().map(|a| a.article_id).collect();
        assert_eq!(ids, vec![2, 4, 1]);
        assert_eq!(ranked[0].helpful_share(), Share { part: 1, whole: 2 });
    }
}
