//! Mail notification settings, watching, and the password reset.

use std::collections::BTreeMap;

use forum::notify;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a kind of notification is mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MailMode {
    /// At once.
    Instant,
    /// In the daily digest.
    Digest,
    Off,
}

impl From<notify::MailMode> for MailMode {
    fn from(m: notify::MailMode) -> Self {
        match m {
            notify::MailMode::Instant => MailMode::Instant,
            notify::MailMode::Digest => MailMode::Digest,
            notify::MailMode::Off => MailMode::Off,
        }
    }
}

impl From<MailMode> for notify::MailMode {
    fn from(m: MailMode) -> Self {
        match m {
            MailMode::Instant => notify::MailMode::Instant,
            MailMode::Digest => notify::MailMode::Digest,
            MailMode::Off => notify::MailMode::Off,
        }
    }
}

/// Mail mode by kind of notification: reply, accepted, mention, watched,
/// badge, escalated, sla, kb_review. In a `PUT`, only the kinds given
/// change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MailModes {
    pub modes: BTreeMap<String, MailMode>,
}

/// A thread or board the caller watches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subscription {
    /// thread or category.
    pub target_kind: String,
    pub target_id: i64,
    pub title: String,
}

impl From<notify::Subscription> for Subscription {
    fn from(s: notify::Subscription) -> Self {
        Subscription {
            target_kind: s.target_kind,
            target_id: s.target_id,
            title: s.title,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Watch {
    /// `true` watches, `false` stops watching.
    pub watch: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// The same answer whether or not the address has an account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasswordResetAccepted {
    pub status: String,
}
