//! The home page at a glance: the boards, the latest threads, the
//! unanswered ones, the recently solved ones with their accepted answer,
//! the featured knowledge-base articles and the month's top contributors,
//! all as the viewer may see them, read on one connection.

use serde::Serialize;

use crate::db::dispatch;
use crate::models::{Actor, Category, ThreadSummary, UserRef};
use crate::reputation::LeaderboardEntry;

/// How many of each the home page shows.
#[derive(Debug, Clone, Copy)]
pub struct FrontLimits {
    pub latest: i64,
    pub unanswered: i64,
    pub solved: i64,
    pub articles: i64,
    pub contributors: usize,
}

impl Default for FrontLimits {
    fn default() -> Self {
        FrontLimits {
            latest: 8,
            unanswered: 5,
            solved: 5,
            articles: 5,
            contributors: 5,
        }
    }
}

/// Everything the home page shows. Thread summaries here carry no tags
/// (the page does not show them, and it saves a query).
#[derive(Debug, Clone, Serialize)]
pub struct FrontPage {
    /// The boards the viewer sees, in their order (archived ones left out).
    pub categories: Vec<Category>,
    /// Latest activity first.
    pub latest: Vec<ThreadSummary>,
    /// Threads nobody has replied to yet (not locked), latest first.
    pub unanswered: Vec<ThreadSummary>,
    /// Solved threads, the most recently accepted answer first.
    pub solved: Vec<SolvedThread>,
    pub articles: Vec<FeaturedArticle>,
    /// The last 30 days' top earners of reputation.
    pub contributors: Vec<LeaderboardEntry>,
}

/// A solved thread and a summary of its accepted answer.
#[derive(Debug, Clone, Serialize)]
pub struct SolvedThread {
    pub thread: ThreadSummary,
    /// None when the answer is no longer shown (deleted since).
    pub answer: Option<AnswerSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerSummary {
    pub post_id: i64,
    pub author: UserRef,
    /// The answer's beginning as plain text.
    pub excerpt: String,
}

/// A knowledge-base article the home page features.
///
/// The rule: published articles in boards the viewer sees that readers
/// found helpful on balance, ranked by net helpful votes (helpful minus not
/// helpful), then by helpful votes, then newest first; so a young site
/// without feedback features its newest articles, and an article most
/// readers found unhelpful (which waits for review) is never featured.
#[derive(Debug, Clone, Serialize)]
pub struct FeaturedArticle {
    pub slug: String,
    pub title: String,
    /// The article's language (`en`, `ru`, …), for `lang` on its link.
    pub language: String,
    pub category_name: String,
    pub helpful: i32,
}

/// Characters of an accepted answer the home page quotes.
pub const ANSWER_EXCERPT_CHARS: usize = 160;

impl crate::Forum {
    /// The home page for `viewer` (None: a visitor).
    pub fn front_page(
        &self,
        viewer: Option<Actor>,
        limits: FrontLimits,
    ) -> crate::Result<FrontPage> {
        let since = crate::reputation::period_start("month", self.now()).unwrap_or(i64::MIN);
        dispatch!(&self.db, front::front_page(viewer, limits, since))
    }
}
