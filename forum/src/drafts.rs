//! Drafts kept on the server: what a member is writing in a composer, per
//! member and place, so it survives a reload, a closed browser and a
//! change of device, and goes when it is posted.

use crate::db::dispatch;
use crate::validate::{self, BODY_MAX, TITLE_MAX};
use crate::{Actor, Forum, ForumError, Result, Rule};

/// Where a draft belongs: the ask form, or the reply form of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKey {
    Ask,
    Reply { thread_id: i64 },
}

impl DraftKey {
    /// `ask` or `thread:<id>`.
    pub fn parse(raw: &str) -> Result<DraftKey> {
        if raw == "ask" {
            return Ok(DraftKey::Ask);
        }
        raw.strip_prefix("thread:")
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(|thread_id| DraftKey::Reply { thread_id })
            .ok_or_else(|| {
                ForumError::invalid(
                    "key",
                    Rule::OneOf {
                        choices: "ask, thread:<id>".into(),
                    },
                    "a draft belongs to `ask` or `thread:<id>`",
                )
            })
    }

    pub fn as_string(&self) -> String {
        match self {
            DraftKey::Ask => "ask".into(),
            DraftKey::Reply { thread_id } => format!("thread:{thread_id}"),
        }
    }
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub updated_at: i64,
}

/// A draft may hold more than a post may (twice the limit), so that text
/// over the limit is kept while its writer shortens it; beyond that it is
/// refused, which bounds what one member can store.
pub const DRAFT_MAX_CHARS: usize = 2 * BODY_MAX;

impl Forum {
    /// Keep what `actor` is writing at `key`. Empty title and body discard
    /// the draft instead. A reply draft needs a thread the member can see.
    pub fn save_draft(&self, actor: Actor, key: DraftKey, title: &str, body: &str) -> Result<()> {
        validate::no_controls("title", title, true)?;
        validate::no_controls("body", body, true)?;
        if title.chars().count() > 2 * TITLE_MAX {
            return Err(ForumError::invalid(
                "title",
                Rule::TooLong {
                    max: 2 * TITLE_MAX as i64,
                },
                format!(
                    "a draft's title can have at most {} characters",
                    2 * TITLE_MAX
                ),
            ));
        }
        if body.chars().count() > DRAFT_MAX_CHARS {
            return Err(ForumError::invalid(
                "body",
                Rule::TooLong {
                    max: DRAFT_MAX_CHARS as i64,
                },
                format!("a draft can have at most {DRAFT_MAX_CHARS} characters"),
            ));
        }
        if let DraftKey::Reply { thread_id } = key {
            // Not found for a thread the member may not see.
            dispatch!(&self.db, ensure_thread_visible(thread_id, Some(actor)))?;
        }
        let k = key.as_string();
        if title.trim().is_empty() && body.trim().is_empty() {
            return dispatch!(&self.db, draft_store::discard(actor.user_id, &k));
        }
        let now = self.now();
        dispatch!(
            &self.db,
            draft_store::save(now, actor.user_id, &k, title, body)
        )
    }

    /// `user_id`'s draft at `key`, if there is one.
    pub fn draft(&self, user_id: i64, key: DraftKey) -> Result<Option<Draft>> {
        let k = key.as_string();
        Ok(
            dispatch!(&self.db, draft_store::load(user_id, &k))?.map(
                |(title, body, updated_at)| Draft {
                    title,
                    body,
                    updated_at,
                },
            ),
        )
    }

    /// Forget `user_id`'s draft at `key` (it was posted, or thrown away).
    pub fn discard_draft(&self, user_id: i64, key: DraftKey) -> Result<()> {
        let k = key.as_string();
        dispatch!(&self.db, draft_store::discard(user_id, &k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        assert_eq!(DraftKey::parse("ask").unwrap(), DraftKey::Ask);
        assert_eq!(
            DraftKey::parse("thread:42").unwrap(),
            DraftKey::Reply { thread_id: 42 }
        );
        assert_eq!(DraftKey::Reply { thread_id: 42 }.as_string(), "thread:42");
        for bad in ["", "thread:", "thread:-1", "thread:x", "post:3", "ASK"] {
            assert!(DraftKey::parse(bad).is_err(), "{bad}");
        }
    }
}
