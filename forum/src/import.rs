//! JSONL records for `hearth import` / `hearth export`. One object per line;
//! `"type"` is `user`, `category`, `thread` (the default, so corpora of
//! plain threads import as they are) or `audit` (the staff audit log, in
//! exports; an import counts those lines and does not write them, see
//! `AuditRecord`).

use serde::{Deserialize, Serialize};

use crate::error::ForumError;
use crate::models::Role;
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserRecord {
    pub username: String,
    pub email: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default = "default_role")]
    pub role: Role,
    /// An argon2 PHC string, so a migrated community keeps its logins.
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

fn default_role() -> Role {
    Role::Customer
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CategoryRecord {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub is_private: bool,
    #[serde(default)]
    pub position: i32,
    /// `ideas` for an ideas board (its default statuses come with it).
    #[serde(default)]
    pub kind: crate::boards::BoardKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReplyRecord {
    pub author: String,
    pub body: String,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub accepted: bool,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub kudos_from: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ThreadRecord {
    pub category: String,
    pub title: String,
    pub body: String,
    pub author: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub views: i64,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub kudos_from: Vec<String>,
    #[serde(default)]
    pub replies: Vec<ReplyRecord>,
    /// An idea's own fields, for a thread of an ideas board (a board
    /// created by this line is then an ideas board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea: Option<IdeaRecord>,
}

/// An idea's status, product area and votes, as another idea tool (or a
/// Hearth export) has them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IdeaRecord {
    /// The slug of one of the board's statuses; none: its first.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub product_area: String,
    #[serde(default)]
    pub votes: Vec<IdeaVoteRecord>,
}

/// One member's vote on an idea, and when it was cast.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IdeaVoteRecord {
    pub member: String,
    #[serde(default)]
    pub at: Option<i64>,
}

/// One entry of the staff audit log, exported oldest first. Members are
/// named by username as well as id, since ids mean nothing in another
/// database. Imports do not write these: the log records what was done on
/// the site it belongs to, by whom; replayed into another database it
/// would attribute actions to whoever has the same name there, and a log
/// that anyone can add entries to by import is no longer evidence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: i64,
    /// None: the command line or the system.
    #[serde(default)]
    pub actor_id: Option<i64>,
    #[serde(default)]
    pub actor: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    /// The target's username when the target is a member.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    pub reason: String,
}

/// Counts of what one import batch wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImportCounts {
    pub threads: u64,
    pub posts: u64,
    pub users_created: u64,
    pub categories_created: u64,
    pub votes: u64,
    pub idea_votes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    User(UserRecord),
    Category(CategoryRecord),
    Thread(ThreadRecord),
    Audit(AuditRecord),
}

/// Parse and validate one line. Errors name the field so the import summary
/// can say exactly what to fix.
pub fn parse_line(line: &str) -> Result<Record, ForumError> {
    let mut value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| ForumError::validation("line", format!("not valid JSON: {e}")))?;
    if let Some(obj) = value.as_object_mut() {
        obj.entry("type").or_insert_with(|| "thread".into());
    }
    let mut record: Record = serde_json::from_value(value)
        .map_err(|e| ForumError::validation("line", format!("not a valid record: {e}")))?;
    match &mut record {
        Record::User(u) => {
            u.username = validate::username(&u.username)?;
            u.email = validate::email(&u.email)?;
            u.display_name = Some(validate::display_name(
                u.display_name.as_deref(),
                &u.username,
            )?);
        }
        Record::Category(c) => {
            c.name = validate::line("name", &c.name, 100)?;
            if c.slug.is_empty() || !c.slug.chars().all(|ch| ch.is_alphanumeric() || ch == '-') {
                return Err(ForumError::validation(
                    "slug",
                    "a slug is letters, digits and dashes",
                ));
            }
        }
        Record::Thread(t) => {
            t.title = validate::title(&t.title)?;
            t.body = validate::body(&t.body)?;
            t.author = validate::username(&t.author)?;
            t.tags = validate::tags(&t.tags)?;
            for r in &mut t.replies {
                r.body = validate::body(&r.body)?;
                r.author = validate::username(&r.author)?;
            }
            if let Some(idea) = &mut t.idea {
                idea.product_area = crate::ideas::validate_product_area(&idea.product_area)?;
                for v in &mut idea.votes {
                    v.member = validate::username(&v.member)?;
                }
            }
        }
        Record::Audit(_) => {}
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_thread_lines_need_no_type() {
        let r = parse_line(r#"{"category":"support","title":"Printer is offline","body":"Help","author":"ann","replies":[{"author":"bob","body":"Restart it","accepted":true}]}"#).unwrap();
        match r {
            Record::Thread(t) => {
                assert_eq!(t.replies.len(), 1);
                assert!(t.replies[0].accepted);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn idea_lines_carry_status_area_and_votes() {
        let r = parse_line(r#"{"category":"ideas","title":"Dark mode please","body":"For the night","author":"ann","idea":{"status":"planned","product_area":" Mobile ","votes":[{"member":"bob","at":5},{"member":"cyd"}]}}"#).unwrap();
        let Record::Thread(t) = r else {
            panic!("{r:?}")
        };
        let idea = t.idea.unwrap();
        assert_eq!(idea.status.as_deref(), Some("planned"));
        assert_eq!(idea.product_area, "Mobile");
        assert_eq!(idea.votes[0].at, Some(5));
        assert_eq!(idea.votes[1].member, "cyd");
        let e = parse_line(r#"{"category":"ideas","title":"Dark mode please","body":"b","author":"ann","idea":{"votes":[{"member":"no one"}]}}"#).unwrap_err();
        assert!(e.to_string().contains("username"), "{e}");
        let Record::Category(c) =
            parse_line(r#"{"type":"category","slug":"ideas","name":"Ideas","kind":"ideas"}"#)
                .unwrap()
        else {
            panic!()
        };
        assert_eq!(c.kind, crate::boards::BoardKind::Ideas);
    }

    #[test]
    fn bad_lines_say_why() {
        let e = parse_line("{nope").unwrap_err();
        assert!(e.to_string().contains("not valid JSON"));
        let e =
            parse_line(r#"{"category":"x","title":"no","body":"b","author":"ann"}"#).unwrap_err();
        assert!(e.to_string().contains("title"), "{e}");
        let e = parse_line(r#"{"type":"user","username":"ann","email":"bad"}"#).unwrap_err();
        assert!(e.to_string().contains("email"), "{e}");
    }
}
