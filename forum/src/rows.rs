//! Row types for diesel, shared by both backends.

use diesel::prelude::*;

use crate::error::ForumError;
use crate::members::{MemberStatus, Standing};
use crate::models::{Role, ThreadStatus, User, UserRef};
use crate::schema::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub language: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub status: String,
    pub status_until: Option<i64>,
    pub status_reason: String,
    pub email_confirmed_at: Option<i64>,
    pub time_zone: Option<String>,
}

impl UserRow {
    pub fn into_user(self) -> Result<User, ForumError> {
        Ok(User {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            email: self.email,
            role: parse_role(&self.role)?,
            language: self.language,
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            email_confirmed_at: self.email_confirmed_at,
            time_zone: self.time_zone,
            standing: Standing {
                status: MemberStatus::parse(&self.status).map_err(|_| {
                    ForumError::Internal(format!(
                        "stored member status {:?} is unknown",
                        self.status
                    ))
                })?,
                until: self.status_until,
                reason: self.status_reason,
            },
        })
    }
}

pub fn parse_role(s: &str) -> Result<Role, ForumError> {
    s.parse()
        .map_err(|_| ForumError::Internal(format!("stored role {s:?} is unknown")))
}

pub fn parse_status(s: &str) -> Result<ThreadStatus, ForumError> {
    ThreadStatus::parse(s)
        .map_err(|_| ForumError::Internal(format!("stored status {s:?} is unknown")))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRefRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
}

impl UserRefRow {
    pub fn into_ref(self) -> Result<UserRef, ForumError> {
        Ok(UserRef {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: parse_role(&self.role)?,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub is_private: bool,
    pub position: i32,
    pub see_min_role: String,
    pub start_threads: String,
    pub creates_crm_tasks: Option<bool>,
    pub premoderation: String,
    pub archived_at: Option<i64>,
    pub kind: String,
    /// Threads not deleted (kept by `store::boards`, never counted per page).
    pub thread_count: i64,
}

impl CategoryRow {
    /// The lowest role that sees the board; an unreadable value shows it
    /// to administrators only, never to everyone.
    pub fn see_role(&self) -> Role {
        self.see_min_role.parse().unwrap_or(Role::Admin)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = threads)]
pub struct ThreadRow {
    pub id: i64,
    pub category_id: i64,
    pub author_id: i64,
    pub title: String,
    pub status: String,
    pub accepted_post_id: Option<i64>,
    pub reply_count: i32,
    pub view_count: i64,
    pub created_at: i64,
    pub last_activity_at: i64,
    pub deleted_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub duplicate_of: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    pub is_question: bool,
    pub body_md: String,
    pub body_html: String,
    pub kudos: i32,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub review_state: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_events)]
pub struct EventRow {
    pub id: i64,
    pub tx_id: i64,
    pub kind: String,
    pub aggregate_id: i64,
    pub actor_id: Option<i64>,
    pub payload: String,
    pub created_at: i64,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub language: &'a str,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// None: the member has not confirmed their address yet.
    pub email_confirmed_at: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = threads)]
pub struct NewThreadRow<'a> {
    pub category_id: i64,
    pub author_id: i64,
    pub title: &'a str,
    pub status: &'a str,
    pub reply_count: i32,
    pub view_count: i64,
    pub created_at: i64,
    pub last_activity_at: i64,
}

#[derive(Insertable, Clone)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct NewPostRow<'a> {
    pub thread_id: i64,
    pub author_id: i64,
    pub is_question: bool,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub kudos: i32,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = outbox_events)]
pub struct NewEventRow<'a> {
    pub kind: &'a str,
    pub aggregate_id: i64,
    pub actor_id: Option<i64>,
    pub payload: &'a str,
    pub created_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = reputation_awards)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewAwardRow<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub source_key: &'a str,
    pub amount: i32,
    pub category_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub voter_id: Option<i64>,
    pub awarded_at: i64,
}

impl<'a> NewAwardRow<'a> {
    pub fn from_award(a: &'a crate::reputation::Award) -> Self {
        NewAwardRow {
            user_id: a.user_id,
            kind: a.kind,
            source_key: &a.source_key,
            amount: a.amount,
            category_id: a.category_id,
            thread_id: a.thread_id,
            post_id: a.post_id,
            voter_id: a.voter_id,
            awarded_at: a.awarded_at,
        }
    }
}

#[derive(Debug, Insertable, Queryable, Selectable, Clone)]
#[diesel(table_name = user_reputation)]
pub struct UserReputationRow {
    pub user_id: i64,
    pub points: i64,
    pub accepted: i32,
    pub kudos: i32,
    pub kb_articles: i32,
    pub posts: i32,
    pub answer_categories: i32,
    pub best_streak: i32,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = kb_articles)]
pub struct KbCoreRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub category_id: i64,
    pub tags: String,
    pub language: String,
    pub status: String,
    pub version: i32,
    pub helpful: i32,
    pub not_helpful: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = kb_article_sources)]
pub struct KbSourceRow {
    pub article_id: i64,
    pub thread_id: i64,
    pub post_id: i64,
    pub author_id: i64,
    pub question_md: String,
    pub answer_md: String,
    pub changed: bool,
    pub auto_promoted: bool,
}

/// An article with its provenance, as the KB code works with it.
#[derive(Debug, Clone)]
pub struct KbArticleRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub category_id: i64,
    pub tags: String,
    pub language: String,
    pub status: String,
    pub version: i32,
    pub source_thread_id: Option<i64>,
    pub source_post_id: Option<i64>,
    pub source_author_id: Option<i64>,
    pub source_question_md: String,
    pub source_answer_md: String,
    pub source_changed: bool,
    pub auto_promoted: bool,
    pub helpful: i32,
    pub not_helpful: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

impl From<(KbCoreRow, Option<KbSourceRow>)> for KbArticleRow {
    fn from((c, s): (KbCoreRow, Option<KbSourceRow>)) -> Self {
        KbArticleRow {
            id: c.id,
            slug: c.slug,
            title: c.title,
            body_md: c.body_md,
            body_html: c.body_html,
            category_id: c.category_id,
            tags: c.tags,
            language: c.language,
            status: c.status,
            version: c.version,
            source_thread_id: s.as_ref().map(|s| s.thread_id),
            source_post_id: s.as_ref().map(|s| s.post_id),
            source_author_id: s.as_ref().map(|s| s.author_id),
            source_question_md: s
                .as_ref()
                .map(|s| s.question_md.clone())
                .unwrap_or_default(),
            source_answer_md: s.as_ref().map(|s| s.answer_md.clone()).unwrap_or_default(),
            source_changed: s.as_ref().is_some_and(|s| s.changed),
            auto_promoted: s.as_ref().is_some_and(|s| s.auto_promoted),
            helpful: c.helpful,
            not_helpful: c.not_helpful,
            created_at: c.created_at,
            updated_at: c.updated_at,
            published_at: c.published_at,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = kb_articles)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewKbArticleRow<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub category_id: i64,
    pub tags: &'a str,
    pub language: &'a str,
    pub status: &'a str,
    pub version: i32,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}
