//! Glue between the forum's outbox and the search index: one task per
//! process owns the index writer, reads events after the position stored in
//! the index's own last commit, and re-indexes the threads they touch. The
//! index content and its position commit together, so a crash or restart
//! neither loses nor duplicates documents, and every web node can keep a
//! local index fed from the shared outbox.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use forum::kb::ArticleDocument;
use forum::{Event, EventBody, Forum, OutboxPosition, ThreadDocument, ThreadStatus};
use search::{DocKind, SearchDoc, SearchIndex};

use crate::supervisor::{Job, JobError};

#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Forum(#[from] forum::ForumError),
    #[error(transparent)]
    Search(#[from] search::SearchError),
}

/// Whether a thread is found by search itself: not deleted, not answered
/// by a KB article made from it (search shows the article, once), and not
/// an idea merged into another (found there).
pub fn is_searchable(d: &ThreadDocument) -> bool {
    !d.deleted && !d.answered_by_article && !d.idea.as_ref().is_some_and(|i| i.merged)
}

/// Search holds the words people read, not Markdown source: snippets then
/// show text, and `**` or link targets never match a query.
pub fn to_search_doc(d: &ThreadDocument) -> SearchDoc {
    use forum::markdown::plain_text;
    // An idea carries its own status (the board's, e.g. `planned`) and its
    // votes, and opens on the idea page.
    let (kind, status, votes, url) = match &d.idea {
        Some(i) => (
            DocKind::Idea,
            i.status_slug.clone(),
            i.vote_count,
            format!("/ideas/{}", d.id),
        ),
        None => (
            DocKind::Thread,
            d.status.as_str().to_string(),
            d.votes,
            format!("/t/{}", d.id),
        ),
    };
    SearchDoc {
        kind,
        id: d.id,
        title: d.title.clone(),
        body: plain_text(&d.question_md),
        answer: d.accepted_answer_md.as_deref().map(plain_text),
        replies: d.replies_md.iter().map(|r| plain_text(r)).collect(),
        tags: d.tags.clone(),
        category: d.category_slug.clone(),
        visible_to: d.visible_to.level(),
        status,
        solved: d.status == ThreadStatus::Solved,
        votes,
        created_at: d.created_at,
        updated_at: d.updated_at,
        url,
    }
}

/// A published article as a search document: ranked above threads, and
/// "solved" by nature.
pub fn article_search_doc(a: &ArticleDocument) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Article,
        id: a.id,
        title: a.title.clone(),
        body: forum::markdown::plain_text(&a.body_md),
        answer: None,
        replies: Vec::new(),
        tags: a.tags.clone(),
        category: a.category_slug.clone(),
        visible_to: a.visible_to.level(),
        status: "published".into(),
        solved: true,
        votes: a.helpful.max(0),
        created_at: a.created_at,
        updated_at: a.updated_at,
        url: format!("/kb/{}", a.slug),
    }
}

/// The article an event concerns, if it changes what search should hold.
fn article_of(event: &Event) -> Option<i64> {
    match &event.body {
        EventBody::KbPublished(p) | EventBody::KbArchived(p) | EventBody::KbUpdated(p) => {
            Some(p.article_id)
        }
        _ => None,
    }
}

/// The threads an event concerns, if it changes what search should hold.
fn threads_of(event: &Event) -> Vec<i64> {
    match &event.body {
        // Their name left the posts; the index must forget it too.
        EventBody::UserErased(p) => p.threads.clone(),
        // Who may see the board changed: its threads' visibility with it.
        EventBody::BoardChanged(p) => p.threads.clone(),
        // Merged ideas leave search, unmerged ones come back; the other
        // idea's votes moved.
        EventBody::IdeaMerged(p) | EventBody::IdeaUnmerged(p) => {
            vec![p.from_thread_id, p.into_thread_id]
        }
        _ => thread_of(event).into_iter().collect(),
    }
}

fn thread_of(event: &Event) -> Option<i64> {
    match &event.body {
        EventBody::ThreadCreated(_)
        | EventBody::ThreadImported(_)
        | EventBody::PostCreated(_)
        | EventBody::PostEdited(_)
        | EventBody::PostDeleted(_)
        | EventBody::PostHidden(_)
        | EventBody::PostRestored(_)
        | EventBody::PostVoted(_)
        | EventBody::PostUnvoted(_)
        | EventBody::SolutionAccepted(_)
        | EventBody::SolutionUnaccepted(_)
        | EventBody::ThreadLocked(_)
        | EventBody::ThreadUnlocked(_)
        | EventBody::ThreadMoved(_)
        // An idea's status shows in search.
        | EventBody::IdeaStatusChanged(_) => event.body.thread_id(),
        // Not searchable state: no reindex.
        // A held post was never indexed; its approval publishes it.
        EventBody::ThreadDuplicate(_)
        | EventBody::PostHeld(_)
        | EventBody::UserRegistered(_)
        | EventBody::UserRoleChanged(_)
        | EventBody::UserErased(_)
        | EventBody::BoardChanged(_)
        // A vote only moves the count shown on the idea page; search
        // picks it up with the next change of the idea.
        | EventBody::IdeaVoted(_)
        | EventBody::IdeaUnvoted(_)
        // Names, ranks and article helpfulness are not searched.
        | EventBody::UserProfileChanged(_)
        | EventBody::MemberRankChanged(_)
        | EventBody::KbFeedback(_)
        | EventBody::IdeaMerged(_)
        | EventBody::IdeaUnmerged(_)
        | EventBody::KbCreated(_)
        | EventBody::KbUpdated(_)
        | EventBody::KbPublished(_)
        | EventBody::KbArchived(_)
        | EventBody::KbSourceChanged(_)
        | EventBody::SuggestionOpened(_) => None,
    }
}

pub fn current_position(index: &SearchIndex) -> Result<OutboxPosition, IndexerError> {
    Ok(index
        .committed_cursor()?
        .as_deref()
        .and_then(OutboxPosition::decode)
        .unwrap_or(OutboxPosition::START))
}

/// Apply the next batch of events. Returns how many events were consumed.
pub fn run_once(forum: &Forum, index: &SearchIndex, batch: i64) -> Result<usize, IndexerError> {
    let from = current_position(index)?;
    let (events, next) = forum.read_events_after(SEARCH_CONSUMER, from, batch)?;
    if next == from {
        return Ok(0);
    }
    let mut thread_ids: BTreeSet<i64> = events.iter().flat_map(threads_of).collect();
    let article_ids: Vec<i64> = events
        .iter()
        .filter_map(article_of)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !article_ids.is_empty() {
        let articles = forum.article_documents(&article_ids)?;
        for id in &article_ids {
            match articles.iter().find(|a| a.id == *id) {
                Some(a) if a.published => index.upsert(&article_search_doc(a))?,
                _ => index.delete(DocKind::Article, *id)?,
            }
        }
        // Publishing an article takes its source thread out of search;
        // archiving it brings the thread back.
        thread_ids.extend(articles.iter().filter_map(|a| a.source_thread_id));
    }
    let ids: Vec<i64> = thread_ids.into_iter().collect();
    let docs = forum.thread_documents(&ids)?;
    for id in &ids {
        match docs.iter().find(|d| d.id == *id) {
            Some(d) if is_searchable(d) => index.upsert(&to_search_doc(d))?,
            _ => index.delete(DocKind::Thread, *id)?,
        }
    }
    index.commit(Some(&next.encode()))?;
    tracing::debug!(events = events.len(), threads = ids.len(), position = %next.encode(), "indexed");
    // At least one: a batch of only undecodable (dead-lettered) events
    // still moved the position.
    Ok(events.len().max(1))
}

/// Rebuild the whole index from the database into a fresh generation and
/// swap it in. Events after the captured head are replayed afterwards, which
/// is harmless: upserts replace by key.
pub fn rebuild(
    forum: &Forum,
    index: &SearchIndex,
    mut progress: impl FnMut(u64),
) -> Result<u64, IndexerError> {
    let head = forum.outbox_head()?;
    let mut docs: Vec<SearchDoc> = Vec::new();
    let mut after = 0i64;
    loop {
        let page = forum.thread_documents_after(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        docs.extend(page.iter().filter(|d| is_searchable(d)).map(to_search_doc));
        progress(docs.len() as u64);
    }
    let mut after = 0i64;
    loop {
        let page = forum.published_articles_after(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        docs.extend(page.iter().map(article_search_doc));
        progress(docs.len() as u64);
    }
    let n = index.rebuild(docs, Some(&head.encode()), |_| {})?;
    Ok(n)
}

/// The indexer as a job of the runner: one per process, since it owns the
/// local index writer. Idle polling is every `idle` (a new post is
/// searchable within about that).
pub struct IndexerJob {
    forum: Forum,
    index: Arc<SearchIndex>,
    idle: Duration,
}

impl IndexerJob {
    pub fn new(forum: Forum, index: Arc<SearchIndex>, idle: Duration) -> IndexerJob {
        IndexerJob { forum, index, idle }
    }
}

impl Job for IndexerJob {
    fn name(&self) -> &'static str {
        "search-indexer"
    }

    fn run(&mut self, isolate: bool) -> Result<usize, JobError> {
        let started = Instant::now();
        // `hearth reindex` in another process swaps generations.
        match self.index.refresh_generation() {
            Ok(true) => tracing::info!("search index generation swapped in"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "could not check for a new index generation"),
        }
        // An index written by an older analyzer holds terms queries no
        // longer produce: build it again from the tables (once).
        if self.index.analyzer_outdated().map_err(IndexerError::from)? {
            tracing::warn!(
                version = search::ANALYZER_VERSION,
                "the search index was built by an older analyzer; rebuilding it from the database"
            );
            let docs = rebuild(&self.forum, &self.index, |_| {})?;
            tracing::info!(docs, "search index rebuilt");
            return Ok(usize::try_from(docs).unwrap_or(usize::MAX).max(1));
        }
        // Events this index never saw were pruned from the outbox: replaying
        // cannot catch up, so build the index again from the tables.
        let position = current_position(&self.index)?;
        if let Some(pruned) = self.forum.outbox_pruned_through()? {
            if position < pruned {
                tracing::warn!(position = %position.encode(), pruned = %pruned.encode(), "the search index is behind the pruned outbox; rebuilding it from the database");
                let docs = rebuild(&self.forum, &self.index, |_| {})?;
                tracing::info!(docs, "search index rebuilt");
                return Ok(usize::try_from(docs).unwrap_or(usize::MAX).max(1));
            }
        }
        let n = run_once(&self.forum, &self.index, if isolate { 1 } else { 1000 })?;
        if n > 0 {
            tracing::debug!(
                events = n,
                ms = started.elapsed().as_millis() as u64,
                "index batch"
            );
        }
        Ok(n)
    }

    /// Move the index's position past the event that keeps failing, and
    /// record it.
    fn dead_letter(&mut self, error: &str) -> Result<bool, JobError> {
        let from = current_position(&self.index)?;
        let (events, next) = self.forum.read_events_after(SEARCH_CONSUMER, from, 1)?;
        if next == from {
            return Ok(false);
        }
        // An undecodable event was dead-lettered by the read itself.
        if let Some(event) = events.first() {
            self.forum
                .record_dead_letter(SEARCH_CONSUMER, event, next.tx_id, error)?;
        }
        self.index
            .commit(Some(&next.encode()))
            .map_err(IndexerError::from)?;
        Ok(true)
    }

    fn idle(&self) -> Duration {
        self.idle
    }
}

/// The search index's name in dead letters and lag metrics. Its position
/// is the index's own last commit, not an outbox cursor.
pub const SEARCH_CONSUMER: &str = "search";

/// How far the local index is behind the outbox.
pub fn lag(forum: &Forum, index: &SearchIndex) -> Result<i64, IndexerError> {
    Ok(forum.events_after_count(current_position(index)?)?)
}
