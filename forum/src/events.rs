//! The outbox's event catalogue: every kind of event a transaction can
//! publish, with its typed payload. Producers build an [`EventBody`] and
//! consumers `match` on it, so a misspelt kind or payload key is a compile
//! error instead of an event that silently does nothing.
//!
//! On disk an event is its kind (`"thread.created"`) and a JSON payload
//! carrying `"v": PAYLOAD_VERSION`. Payload changes are additive within a
//! version (new fields get `#[serde(default)]`); a breaking change bumps the
//! version, and a node that reads a version it does not know (a newer node
//! wrote it during a rolling deploy) treats the event as undecodable rather
//! than guessing. Undecodable events are logged, counted and dead-lettered
//! per consumer by the outbox reader; they never reach a consumer as `null`.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The payload version this build writes and understands.
pub const PAYLOAD_VERSION: u64 = 1;

/// What happened. The serde tag is the stored kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum EventBody {
    #[serde(rename = "user.registered")]
    UserRegistered(UserRegistered),
    #[serde(rename = "user.role_changed")]
    UserRoleChanged(UserRoleChanged),
    #[serde(rename = "user.erased")]
    UserErased(UserErased),
    #[serde(rename = "thread.created")]
    ThreadCreated(ThreadCreated),
    #[serde(rename = "thread.imported")]
    ThreadImported(ThreadImported),
    #[serde(rename = "thread.moved")]
    ThreadMoved(ThreadMoved),
    #[serde(rename = "thread.duplicate")]
    ThreadDuplicate(ThreadDuplicate),
    #[serde(rename = "thread.locked")]
    ThreadLocked(ThreadRef),
    #[serde(rename = "thread.unlocked")]
    ThreadUnlocked(ThreadRef),
    #[serde(rename = "post.created")]
    PostCreated(PostCreated),
    #[serde(rename = "post.edited")]
    PostEdited(PostEdited),
    #[serde(rename = "post.deleted")]
    PostDeleted(PostDeleted),
    /// Written but held for review: nobody else sees it until approved
    /// (approval then publishes `thread.created` / `post.created`).
    #[serde(rename = "post.held")]
    PostHeld(PostModerated),
    /// A shown post hidden pending review (members' flags).
    #[serde(rename = "post.hidden")]
    PostHidden(PostModerated),
    /// A hidden post shown again after review.
    #[serde(rename = "post.restored")]
    PostRestored(PostModerated),
    #[serde(rename = "post.voted")]
    PostVoted(PostVote),
    #[serde(rename = "post.unvoted")]
    PostUnvoted(PostVote),
    #[serde(rename = "solution.accepted")]
    SolutionAccepted(SolutionAccepted),
    #[serde(rename = "solution.unaccepted")]
    SolutionUnaccepted(SolutionUnaccepted),
    #[serde(rename = "kb.created")]
    KbCreated(KbCreated),
    #[serde(rename = "kb.updated")]
    KbUpdated(KbChanged),
    #[serde(rename = "kb.published")]
    KbPublished(KbChanged),
    #[serde(rename = "kb.archived")]
    KbArchived(KbChanged),
    #[serde(rename = "kb.source_changed")]
    KbSourceChanged(KbSourceChanged),
    #[serde(rename = "suggestion.opened")]
    SuggestionOpened(SuggestionOpened),
    #[serde(rename = "board.changed")]
    BoardChanged(BoardChanged),
    /// Staff moved an idea to another status (`crate::ideas`).
    #[serde(rename = "idea.status_changed")]
    IdeaStatusChanged(IdeaStatusChanged),
    /// A member voted for an idea (reputation credits its author).
    #[serde(rename = "idea.voted")]
    IdeaVoted(IdeaVote),
    /// A member withdrew a vote for an idea.
    #[serde(rename = "idea.unvoted")]
    IdeaUnvoted(IdeaVote),
    /// An idea was merged into another: votes moved.
    #[serde(rename = "idea.merged")]
    IdeaMerged(IdeaMerge),
    /// A merge was undone: the votes went back.
    #[serde(rename = "idea.unmerged")]
    IdeaUnmerged(IdeaMerge),
    /// A member's public face changed (display name): every page that
    /// shows their posts reads differently.
    #[serde(rename = "user.profile_changed")]
    UserProfileChanged(MemberRef),
    /// A member's rank (shown beside each of their posts) changed, as the
    /// reputation consumer recounted their points.
    #[serde(rename = "member.rank_changed")]
    MemberRankChanged(RankChanged),
    /// A reader said whether an article helped (its counts changed).
    #[serde(rename = "kb.feedback")]
    KbFeedback(KbChanged),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRef {
    pub user_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankChanged {
    pub user_id: i64,
    pub from: String,
    pub to: String,
}

/// A vote cast or withdrawn on an idea, by `voter_id` on `author_id`'s idea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaVote {
    pub thread_id: i64,
    pub category_id: i64,
    pub voter_id: i64,
    pub author_id: i64,
}

/// Idea `from_thread_id` merged into `into_thread_id` (or the merge undone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaMerge {
    pub merge_id: i64,
    pub from_thread_id: i64,
    pub into_thread_id: i64,
}

/// An idea's status changed: `change_id` is its history entry, which the
/// notifier reads (who to tell, and what).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaStatusChanged {
    pub change_id: i64,
    pub thread_id: i64,
    pub category_id: i64,
    pub to_kind: String,
}

/// A board was created or its settings changed (`action`: `create`,
/// `update`, `archive`, `unarchive`, `move`). When who may see it changed,
/// `threads` lists its threads, which search must index again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardChanged {
    pub category_id: i64,
    pub slug: String,
    pub action: String,
    /// Not for everyone.
    pub private: bool,
    /// The lowest role that sees it.
    pub see_min_role: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub threads: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRegistered {
    pub user_id: i64,
    pub username: String,
    pub role: String,
    /// The single sign-on provider, for accounts created by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRoleChanged {
    pub user_id: i64,
    pub from: String,
    pub to: String,
    /// What changed it: a single sign-on provider's name.
    pub via: String,
}

/// A member's personal data was erased; `threads` show their name (as
/// author or in a mention) and must be indexed again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserErased {
    pub user_id: i64,
    #[serde(default)]
    pub threads: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadCreated {
    pub thread_id: i64,
    /// The question (first post).
    pub post_id: i64,
    pub category_id: i64,
    /// The board's slug at the time.
    pub category: String,
    pub author_id: i64,
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadImported {
    pub thread_id: i64,
    pub category_id: i64,
    #[serde(default)]
    pub private: bool,
    /// How many posts came with it, question included.
    pub posts: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadMoved {
    pub thread_id: i64,
    /// Board slugs.
    pub from: String,
    pub to: String,
    /// The board it moved to.
    pub category_id: i64,
    /// Whether the board it moved to is private.
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadDuplicate {
    pub thread_id: i64,
    /// `None` when the mark was cleared.
    pub duplicate_of: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadRef {
    pub thread_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostCreated {
    pub post_id: i64,
    pub thread_id: i64,
    pub category_id: i64,
    pub author_id: i64,
    pub thread_author_id: i64,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostEdited {
    pub post_id: i64,
    pub thread_id: i64,
    pub is_question: bool,
    pub editor_id: i64,
    #[serde(default)]
    pub title_changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostDeleted {
    pub post_id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub is_question: bool,
    /// Kudos it had when deleted.
    #[serde(default)]
    pub kudos: i64,
    #[serde(default)]
    pub was_accepted: bool,
}

/// A post whose visibility moderation changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostModerated {
    pub post_id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub is_question: bool,
    /// Codes of the reasons (`too_many_links`, `flagged`, …).
    #[serde(default)]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostVote {
    pub post_id: i64,
    pub thread_id: i64,
    pub voter_id: i64,
    /// The post's author, who gains or loses the kudo.
    pub author_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionAccepted {
    pub thread_id: i64,
    pub post_id: i64,
    pub answer_author_id: i64,
    pub asker_id: i64,
    /// The answer it replaced, if another was accepted before.
    #[serde(default)]
    pub previous_post_id: Option<i64>,
    pub category_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionUnaccepted {
    pub thread_id: i64,
    pub post_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbCreated {
    pub article_id: i64,
    pub slug: String,
    /// The solved thread it was promoted from, if any.
    #[serde(default)]
    pub thread_id: Option<i64>,
    pub status: String,
    /// Promoted automatically (kudos threshold) rather than by a curator.
    #[serde(default)]
    pub auto: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbChanged {
    pub article_id: i64,
    pub slug: String,
    /// The new status, when the status changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbSourceChanged {
    pub article_id: i64,
    pub slug: String,
    pub thread_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionOpened {
    pub ask_id: String,
    /// What was opened: `thread` or `kb`.
    pub kind: String,
    pub doc_id: i64,
}

/// Why a stored event could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("payload is not JSON: {0}")]
    NotJson(String),
    #[error("payload version {0} is newer than this build understands ({PAYLOAD_VERSION})")]
    NewerVersion(u64),
    #[error("unknown kind or malformed payload: {0}")]
    Malformed(String),
}

static UNDECODABLE: AtomicU64 = AtomicU64::new(0);

/// Undecodable events this process has met since it started (a metric).
pub fn undecodable_events_seen() -> u64 {
    UNDECODABLE.load(Ordering::Relaxed)
}

pub(crate) fn count_undecodable() {
    UNDECODABLE.fetch_add(1, Ordering::Relaxed);
}

impl EventBody {
    /// The stored kind, e.g. `"thread.created"`.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::UserRegistered(_) => "user.registered",
            EventBody::UserRoleChanged(_) => "user.role_changed",
            EventBody::UserErased(_) => "user.erased",
            EventBody::ThreadCreated(_) => "thread.created",
            EventBody::ThreadImported(_) => "thread.imported",
            EventBody::ThreadMoved(_) => "thread.moved",
            EventBody::ThreadDuplicate(_) => "thread.duplicate",
            EventBody::ThreadLocked(_) => "thread.locked",
            EventBody::ThreadUnlocked(_) => "thread.unlocked",
            EventBody::PostCreated(_) => "post.created",
            EventBody::PostEdited(_) => "post.edited",
            EventBody::PostDeleted(_) => "post.deleted",
            EventBody::PostHeld(_) => "post.held",
            EventBody::PostHidden(_) => "post.hidden",
            EventBody::PostRestored(_) => "post.restored",
            EventBody::PostVoted(_) => "post.voted",
            EventBody::PostUnvoted(_) => "post.unvoted",
            EventBody::SolutionAccepted(_) => "solution.accepted",
            EventBody::SolutionUnaccepted(_) => "solution.unaccepted",
            EventBody::KbCreated(_) => "kb.created",
            EventBody::KbUpdated(_) => "kb.updated",
            EventBody::KbPublished(_) => "kb.published",
            EventBody::KbArchived(_) => "kb.archived",
            EventBody::KbSourceChanged(_) => "kb.source_changed",
            EventBody::SuggestionOpened(_) => "suggestion.opened",
            EventBody::BoardChanged(_) => "board.changed",
            EventBody::IdeaStatusChanged(_) => "idea.status_changed",
            EventBody::IdeaVoted(_) => "idea.voted",
            EventBody::IdeaUnvoted(_) => "idea.unvoted",
            EventBody::IdeaMerged(_) => "idea.merged",
            EventBody::IdeaUnmerged(_) => "idea.unmerged",
            EventBody::UserProfileChanged(_) => "user.profile_changed",
            EventBody::MemberRankChanged(_) => "member.rank_changed",
            EventBody::KbFeedback(_) => "kb.feedback",
        }
    }

    /// The row the event is about (stored as `aggregate_id`).
    pub fn aggregate_id(&self) -> i64 {
        match self {
            EventBody::UserRegistered(p) => p.user_id,
            EventBody::UserRoleChanged(p) => p.user_id,
            EventBody::UserErased(p) => p.user_id,
            EventBody::ThreadCreated(p) => p.thread_id,
            EventBody::ThreadImported(p) => p.thread_id,
            EventBody::ThreadMoved(p) => p.thread_id,
            EventBody::ThreadDuplicate(p) => p.thread_id,
            EventBody::ThreadLocked(p) | EventBody::ThreadUnlocked(p) => p.thread_id,
            EventBody::PostCreated(p) => p.post_id,
            EventBody::PostEdited(p) => p.post_id,
            EventBody::PostDeleted(p) => p.post_id,
            EventBody::PostHeld(p) | EventBody::PostHidden(p) | EventBody::PostRestored(p) => {
                p.post_id
            }
            EventBody::PostVoted(p) | EventBody::PostUnvoted(p) => p.post_id,
            EventBody::SolutionAccepted(p) => p.thread_id,
            EventBody::SolutionUnaccepted(p) => p.thread_id,
            EventBody::KbCreated(p) => p.article_id,
            EventBody::KbUpdated(p) | EventBody::KbPublished(p) | EventBody::KbArchived(p) => {
                p.article_id
            }
            EventBody::KbSourceChanged(p) => p.article_id,
            EventBody::SuggestionOpened(p) => p.doc_id,
            EventBody::BoardChanged(p) => p.category_id,
            EventBody::IdeaStatusChanged(p) => p.change_id,
            EventBody::IdeaVoted(p) | EventBody::IdeaUnvoted(p) => p.thread_id,
            EventBody::IdeaMerged(p) | EventBody::IdeaUnmerged(p) => p.merge_id,
            EventBody::UserProfileChanged(p) => p.user_id,
            EventBody::MemberRankChanged(p) => p.user_id,
            EventBody::KbFeedback(p) => p.article_id,
        }
    }

    /// The thread the event concerns, if any.
    pub fn thread_id(&self) -> Option<i64> {
        match self {
            EventBody::ThreadCreated(p) => Some(p.thread_id),
            EventBody::ThreadImported(p) => Some(p.thread_id),
            EventBody::ThreadMoved(p) => Some(p.thread_id),
            EventBody::ThreadDuplicate(p) => Some(p.thread_id),
            EventBody::ThreadLocked(p) | EventBody::ThreadUnlocked(p) => Some(p.thread_id),
            EventBody::PostCreated(p) => Some(p.thread_id),
            EventBody::PostEdited(p) => Some(p.thread_id),
            EventBody::PostDeleted(p) => Some(p.thread_id),
            EventBody::PostHeld(p) | EventBody::PostHidden(p) | EventBody::PostRestored(p) => {
                Some(p.thread_id)
            }
            EventBody::PostVoted(p) | EventBody::PostUnvoted(p) => Some(p.thread_id),
            EventBody::SolutionAccepted(p) => Some(p.thread_id),
            EventBody::SolutionUnaccepted(p) => Some(p.thread_id),
            EventBody::KbCreated(p) => p.thread_id,
            EventBody::KbSourceChanged(p) => Some(p.thread_id),
            EventBody::IdeaStatusChanged(p) => Some(p.thread_id),
            EventBody::IdeaVoted(p) | EventBody::IdeaUnvoted(p) => Some(p.thread_id),
            EventBody::IdeaMerged(p) | EventBody::IdeaUnmerged(p) => Some(p.from_thread_id),
            EventBody::UserRegistered(_)
            | EventBody::UserRoleChanged(_)
            | EventBody::UserErased(_)
            | EventBody::KbUpdated(_)
            | EventBody::KbPublished(_)
            | EventBody::KbArchived(_)
            | EventBody::SuggestionOpened(_)
            | EventBody::BoardChanged(_)
            | EventBody::UserProfileChanged(_)
            | EventBody::MemberRankChanged(_)
            | EventBody::KbFeedback(_) => None,
        }
    }

    /// The stored form: (kind, payload JSON with its version).
    pub fn encode(&self) -> (&'static str, String) {
        let mut payload = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut tagged)) => tagged
                .remove("payload")
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
            // Every variant is a struct of plain fields, which serialises.
            _ => serde_json::Value::Object(Default::default()),
        };
        if let Some(fields) = payload.as_object_mut() {
            fields.insert("v".into(), PAYLOAD_VERSION.into());
        }
        (self.kind(), payload.to_string())
    }

    /// Read a stored event back. A payload without `v` predates versioning
    /// and is version 1.
    pub fn decode(kind: &str, payload: &str) -> Result<EventBody, DecodeError> {
        let payload: serde_json::Value =
            serde_json::from_str(payload).map_err(|e| DecodeError::NotJson(e.to_string()))?;
        let version = payload
            .get("v")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(1);
        if version > PAYLOAD_VERSION {
            return Err(DecodeError::NewerVersion(version));
        }
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(|e| DecodeError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created() -> EventBody {
        EventBody::ThreadCreated(ThreadCreated {
            thread_id: 7,
            post_id: 9,
            category_id: 2,
            category: "help".into(),
            author_id: 3,
            title: "Wi‑Fi drops".into(),
            tags: vec!["wifi".into()],
            private: false,
        })
    }

    #[test]
    fn round_trips_with_its_kind_and_version() {
        let body = created();
        let (kind, payload) = body.encode();
        assert_eq!(kind, "thread.created");
        let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(json["v"], 1);
        assert_eq!(json["thread_id"], 7);
        assert!(json.get("kind").is_none(), "the kind is its own column");
        assert_eq!(EventBody::decode(kind, &payload).unwrap(), body);
        assert_eq!(body.aggregate_id(), 7);
        assert_eq!(body.thread_id(), Some(7));
    }

    #[test]
    fn reads_payloads_written_before_versioning() {
        let old = r#"{"thread_id":1,"post_id":2,"voter_id":3,"author_id":4}"#;
        assert_eq!(
            EventBody::decode("post.voted", old).unwrap(),
            EventBody::PostVoted(PostVote {
                post_id: 2,
                thread_id: 1,
                voter_id: 3,
                author_id: 4
            })
        );
    }

    #[test]
    fn unknown_malformed_and_newer_events_are_errors_not_nulls() {
        assert!(matches!(
            EventBody::decode("post.exploded", r#"{"post_id":1}"#),
            Err(DecodeError::Malformed(_))
        ));
        // A misspelt key is a missing field, not a silent None.
        assert!(matches!(
            EventBody::decode("solution.unaccepted", r#"{"thread_id":1,"postid":2}"#),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            EventBody::decode("thread.locked", "{not json"),
            Err(DecodeError::NotJson(_))
        ));
        assert_eq!(
            EventBody::decode("thread.locked", r#"{"v":2,"thread_id":1}"#),
            Err(DecodeError::NewerVersion(2))
        );
    }

    #[test]
    fn every_kind_round_trips() {
        let ref_ = ThreadRef { thread_id: 1 };
        let kb = KbChanged {
            article_id: 1,
            slug: "a".into(),
            status: Some("published".into()),
        };
        let vote = PostVote {
            post_id: 1,
            thread_id: 2,
            voter_id: 3,
            author_id: 4,
        };
        let moderated = PostModerated {
            post_id: 1,
            thread_id: 2,
            author_id: 3,
            is_question: true,
            reasons: vec!["too_many_links".into()],
        };
        let all = vec![
            EventBody::UserRegistered(UserRegistered {
                user_id: 1,
                username: "u".into(),
                role: "customer".into(),
                via: None,
            }),
            EventBody::UserRoleChanged(UserRoleChanged {
                user_id: 1,
                from: "customer".into(),
                to: "agent".into(),
                via: "corp".into(),
            }),
            created(),
            EventBody::ThreadImported(ThreadImported {
                thread_id: 1,
                category_id: 2,
                private: true,
                posts: 3,
            }),
            EventBody::ThreadMoved(ThreadMoved {
                thread_id: 1,
                from: "a".into(),
                to: "b".into(),
                category_id: 2,
                private: false,
            }),
            EventBody::ThreadDuplicate(ThreadDuplicate {
                thread_id: 1,
                duplicate_of: None,
            }),
            EventBody::ThreadLocked(ref_.clone()),
            EventBody::ThreadUnlocked(ref_),
            EventBody::PostCreated(PostCreated {
                post_id: 1,
                thread_id: 2,
                category_id: 3,
                author_id: 4,
                thread_author_id: 5,
                private: false,
            }),
            EventBody::PostEdited(PostEdited {
                post_id: 1,
                thread_id: 2,
                is_question: true,
                editor_id: 3,
                title_changed: true,
            }),
            EventBody::PostDeleted(PostDeleted {
                post_id: 1,
                thread_id: 2,
                author_id: 3,
                is_question: false,
                kudos: 4,
                was_accepted: true,
            }),
            EventBody::PostHeld(moderated.clone()),
            EventBody::PostHidden(moderated.clone()),
            EventBody::PostRestored(moderated),
            EventBody::PostVoted(vote.clone()),
            EventBody::PostUnvoted(vote),
            EventBody::SolutionAccepted(SolutionAccepted {
                thread_id: 1,
                post_id: 2,
                answer_author_id: 3,
                asker_id: 4,
                previous_post_id: Some(5),
                category_id: 6,
            }),
            EventBody::SolutionUnaccepted(SolutionUnaccepted {
                thread_id: 1,
                post_id: 2,
            }),
            EventBody::KbCreated(KbCreated {
                article_id: 1,
                slug: "a".into(),
                thread_id: Some(2),
                status: "review".into(),
                auto: true,
            }),
            EventBody::KbUpdated(KbChanged {
                status: None,
                ..kb.clone()
            }),
            EventBody::KbPublished(kb.clone()),
            EventBody::KbArchived(kb),
            EventBody::KbSourceChanged(KbSourceChanged {
                article_id: 1,
                slug: "a".into(),
                thread_id: 2,
            }),
            EventBody::SuggestionOpened(SuggestionOpened {
                ask_id: "x".into(),
                kind: "kb".into(),
                doc_id: 1,
            }),
            EventBody::UserErased(UserErased {
                user_id: 1,
                threads: vec![2, 3],
            }),
            EventBody::BoardChanged(BoardChanged {
                category_id: 4,
                slug: "staff".into(),
                action: "update".into(),
                private: true,
                see_min_role: "moderator".into(),
                archived: false,
                threads: vec![5],
            }),
            EventBody::IdeaStatusChanged(IdeaStatusChanged {
                change_id: 1,
                thread_id: 2,
                category_id: 3,
                to_kind: "active".into(),
            }),
            EventBody::IdeaVoted(IdeaVote {
                thread_id: 2,
                category_id: 3,
                voter_id: 4,
                author_id: 5,
            }),
            EventBody::IdeaUnvoted(IdeaVote {
                thread_id: 2,
                category_id: 3,
                voter_id: 4,
                author_id: 5,
            }),
            EventBody::IdeaMerged(IdeaMerge {
                merge_id: 1,
                from_thread_id: 2,
                into_thread_id: 3,
            }),
            EventBody::IdeaUnmerged(IdeaMerge {
                merge_id: 1,
                from_thread_id: 2,
                into_thread_id: 3,
            }),
            EventBody::UserProfileChanged(MemberRef { user_id: 1 }),
            EventBody::MemberRankChanged(RankChanged {
                user_id: 1,
                from: "Newcomer".into(),
                to: "Regular".into(),
            }),
            EventBody::KbFeedback(KbChanged {
                article_id: 1,
                slug: "a".into(),
                status: None,
            }),
        ];
        for body in all {
            let (kind, payload) = body.encode();
            assert_eq!(
                EventBody::decode(kind, &payload).as_ref(),
                Ok(&body),
                "{kind}"
            );
        }
    }
}
