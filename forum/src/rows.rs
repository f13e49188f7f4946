//! Row types for diesel, shared by both backends.

use diesel::prelude::*;

use crate::error::ForumError;
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
