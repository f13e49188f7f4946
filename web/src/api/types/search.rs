//! Knowledge search and suggestions while asking.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Thread,
    Article,
    /// A thread of an ideas board.
    Idea,
}

impl From<search::DocKind> for DocKind {
    fn from(k: search::DocKind) -> Self {
        match k {
            search::DocKind::Thread => DocKind::Thread,
            search::DocKind::Article => DocKind::Article,
            search::DocKind::Idea => DocKind::Idea,
        }
    }
}

/// A thread (question and accepted answer), an idea or a KB article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: DocKind,
    pub id: i64,
    pub title: String,
    /// Escaped text with the matches in `<b>`.
    pub snippet_html: String,
    pub score: f32,
    /// The thread's or article's page.
    pub url: String,
    /// The board's slug.
    pub category: String,
    pub status: String,
    pub solved: bool,
    pub language: String,
    /// For an article made from a community thread the reader may open:
    /// that thread's page (the thread itself is not listed separately).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_url: Option<String>,
    /// For an idea: its status on its board (`status` holds the slug).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idea_status: Option<super::IdeaStatus>,
}

impl From<search::SearchHit> for SearchHit {
    fn from(h: search::SearchHit) -> Self {
        SearchHit {
            origin_url: None,
            idea_status: None,
            kind: h.kind.into(),
            id: h.id,
            title: h.title,
            snippet_html: h.snippet_html,
            score: h.score,
            url: h.url,
            category: h.category,
            status: h.status,
            solved: h.solved,
            language: h.language,
        }
    }
}

/// Counts of all matches (not only this page) by value, as `[value,
/// count]` pairs; empty with `facets=false`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub categories: Vec<(String, u64)>,
    pub tags: Vec<(String, u64)>,
    /// Thread statuses, and ideas' status slugs.
    pub statuses: Vec<(String, u64)>,
    /// `thread`, `idea`, `article`.
    pub kinds: Vec<(String, u64)>,
}

impl From<search::Facets> for Facets {
    fn from(f: search::Facets) -> Self {
        Facets {
            categories: f.categories,
            tags: f.tags,
            statuses: f.statuses,
            kinds: f.kinds,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// Matches in all pages.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// `all_words` normally; `any_word` or `near_words` when nothing had
    /// every word and the search was widened.
    pub matched: Matched,
}

/// How the words of a search matched its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    AllWords,
    AnyWord,
    NearWords,
}

impl From<search::Matched> for Matched {
    fn from(m: search::Matched) -> Self {
        match m {
            search::Matched::AllWords => Matched::AllWords,
            search::Matched::AnyWord => Matched::AnyWord,
            search::Matched::NearWords => Matched::NearWords,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<SearchHit>,
}
