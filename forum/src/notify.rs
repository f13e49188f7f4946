//! Notifications beyond the in-app bell: who hears about what (replies,
//! accepted answers, mentions, watched threads and boards, badges,
//! escalations, SLA warnings, articles to review), each member's mail
//! preference per kind (instant, daily digest, off), subscriptions, and the
//! mail outbox that a worker delivers.
//!
//! A mail row is written in the same transaction as its cause, with its
//! kind and parameters; the sender (in `web`) writes its text in the
//! member's language from the interface's message catalogue when it is
//! sent, and owns the transport.

use serde::{Deserialize, Serialize};

use crate::db::dispatch;
use crate::error::{ForumError, Result};
use crate::{Actor, Forum, TxConn};

/// Every kind a member can set a preference for.
pub const KINDS: [&str; 10] = [
    "reply",
    "accepted",
    "mention",
    "watched",
    "badge",
    "escalated",
    "sla",
    "kb_review",
    "analytics",
    "idea_status",
];

/// Mailed whatever the member's settings, with no unsubscribe link: a
/// reset link, an email confirmation link, the word to the old address
/// that the account's address changed, and a change to their account
/// (role, silence, suspension).
pub const SYSTEM_KINDS: [&str; 5] = [
    "password_reset",
    "email_confirm",
    "email_change",
    "email_changed",
    "account",
];

/// Mails whose link is a secret: by mail only (never in the bell), and the
/// link is blanked once the mail is sent.
pub const SECRET_LINK_KINDS: [&str; 3] = ["password_reset", "email_confirm", "email_change"];

/// Mails that never go to the bell: the secret links, and the word to an
/// old address (meant for whoever reads that mailbox, not for whoever is
/// signed in to the account now).
pub const MAIL_ONLY_KINDS: [&str; 4] = [
    "password_reset",
    "email_confirm",
    "email_change",
    "email_changed",
];

/// An address with most of its mailbox name hidden, for telling the old
/// address where the account's mail goes now without handing the new
/// address to whoever reads the old one: `olga.k@example.com` →
/// `o***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

pub const OUTBOX_CONSUMER: &str = "notify";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailMode {
    Instant,
    Digest,
    Off,
}

impl MailMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MailMode::Instant => "instant",
            MailMode::Digest => "digest",
            MailMode::Off => "off",
        }
    }
    pub fn parse(s: &str) -> Option<MailMode> {
        match s {
            "instant" => Some(MailMode::Instant),
            "digest" => Some(MailMode::Digest),
            "off" => Some(MailMode::Off),
            _ => None,
        }
    }
}

/// One thing to tell one member.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub user_id: i64,
    pub kind: String,
    /// In English: what the API lists, and the bell's and mail's text for
    /// a kind the interface does not write from `params`.
    pub title: String,
    /// A path on the site, e.g. `/t/12#p40`.
    pub link: String,
    /// Makes a replay a no-op.
    pub dedupe_key: String,
    /// Mails about one thread share this (`thread:12`), so mail clients
    /// thread them and digests group them.
    pub group_key: String,
    /// What the text is written from, per kind: `actor`, `thread`,
    /// `excerpt` (replies, mentions, watched); `badge`, `name`, `level`
    /// (badges); `reason`, `article` (articles to review); `thread`, `task`
    /// (escalations, SLA); `change`, `role`, `review`, `reason`… (account).
    pub params: serde_json::Value,
}

/// A mail due for sending, with what rendering needs.
#[derive(Debug, Clone, Serialize)]
pub struct OutgoingMail {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub group_key: String,
    pub params: serde_json::Value,
    pub attempts: i32,
    pub to_email: String,
    pub to_name: String,
    pub language: String,
    /// Its place in the delivery queue.
    pub delivery: crate::delivery::QueuedDelivery,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Subscription {
    pub target_kind: String,
    pub target_id: i64,
    pub title: String,
}

/// Usernames mentioned as `@name` in Markdown text, without duplicates.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | '-' | '.'))
            {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            let name = name.trim_end_matches(['.', '-']).to_string();
            if name.chars().count() >= 3 && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                out.push(name);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// A short plain-text excerpt of Markdown for mails.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let flat: String = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        flat
    } else {
        let cut: String = flat.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    }
}

// ---------------------------------------------------------------- service

impl Forum {
    /// Turn the next outbox events into notifications and mails (replies,
    /// accepted answers, mentions, watched threads and boards); the writes
    /// commit with the consumer's cursor.
    pub fn process_notify_events(&self, limit: i64) -> Result<usize> {
        dispatch!(
            &self.db,
            notify::process(self.now(), limit.clamp(1, 10_000))
        )
    }

    /// Notify inside another crate's transaction (the CRM's escalations and
    /// SLA warnings). Returns false for a replay.
    pub fn notify_in_tx(conn: TxConn<'_>, now: i64, notice: &Notice) -> Result<bool> {
        match conn {
            TxConn::Sqlite(c) => crate::db::sqlite_store::notify::deliver(c, now, notice),
            TxConn::Pg(c) => crate::db::pg_store::notify::deliver(c, now, notice),
        }
    }

    /// Notify now, in its own transaction.
    pub fn notify(&self, notice: &Notice) -> Result<bool> {
        dispatch!(&self.db, notify::deliver_tx(self.now(), notice))
    }

    pub fn subscribe(
        &self,
        actor: Actor,
        target_kind: &str,
        target_id: i64,
        on: bool,
    ) -> Result<()> {
        if !matches!(target_kind, "thread" | "category") {
            return Err(ForumError::validation(
                "target",
                "watch a thread or a category",
            ));
        }
        // Only what the member can see can be watched.
        if target_kind == "thread" {
            self.thread(target_id, Some(actor), 1, 1, false)?;
        } else {
            let cats = self.categories(Some(actor))?;
            if !cats.iter().any(|c| c.id == target_id) {
                return Err(ForumError::NotFound("category"));
            }
        }
        dispatch!(
            &self.db,
            notify::set_subscription(self.now(), actor.user_id, target_kind, target_id, on)
        )
    }

    pub fn is_subscribed(&self, user_id: i64, target_kind: &str, target_id: i64) -> Result<bool> {
        dispatch!(
            &self.db,
            notify::is_subscribed(user_id, target_kind, target_id)
        )
    }

    pub fn subscriptions(&self, user_id: i64) -> Result<Vec<Subscription>> {
        dispatch!(&self.db, notify::subscriptions_of(user_id))
    }

    /// Each kind's mode for this member (defaults filled in).
    pub fn mail_prefs(&self, user_id: i64) -> Result<Vec<(String, MailMode)>> {
        let set = dispatch!(&self.db, notify::prefs_of(user_id))?;
        Ok(KINDS
            .iter()
            .map(|k| {
                let mode = set
                    .iter()
                    .find(|(kind, _)| kind == k)
                    .and_then(|(_, m)| MailMode::parse(m))
                    .unwrap_or(MailMode::Instant);
                (k.to_string(), mode)
            })
            .collect())
    }

    pub fn set_mail_pref(&self, user_id: i64, kind: &str, mode: MailMode) -> Result<()> {
        if !KINDS.contains(&kind) {
            return Err(ForumError::invalid(
                "kind",
                crate::Rule::OneOf {
                    choices: KINDS.join(", "),
                },
                format!("one of {}", KINDS.join(", ")),
            ));
        }
        dispatch!(&self.db, notify::set_pref(user_id, kind, mode.as_str()))
    }

    /// Lease up to `limit` due mails to this sender for `lease_ms`.
    pub fn claim_mails(&self, lease_ms: i64, limit: i64) -> Result<Vec<OutgoingMail>> {
        dispatch!(
            &self.db,
            notify::claim(self.now(), lease_ms, limit.clamp(1, 1_000))
        )
    }

    pub fn mail_sent(&self, mail: &OutgoingMail) -> Result<()> {
        dispatch!(
            &self.db,
            notify::mark_sent(self.now(), mail.id, mail.delivery.stamp())
        )
    }

    /// A mail was not sent: retried after the policy's backoff, or
    /// dead-lettered. Returns what was decided.
    pub fn mail_failed(
        &self,
        mail: &OutgoingMail,
        policy: &crate::delivery::RetryPolicy,
        failure: crate::delivery::Failure<'_>,
    ) -> Result<crate::delivery::Retry> {
        self.delivery_failed(&mail.delivery, policy, failure)
    }

    /// (pending, sent, dead) mail counts.
    pub fn mail_counts(&self) -> Result<(i64, i64, i64)> {
        self.delivery_counts(crate::delivery::MAIL)
    }

    /// One digest mail per member whose oldest waiting item is at least
    /// `period_ms` old. Returns how many digests were queued.
    pub fn queue_digests(&self, period_ms: i64) -> Result<usize> {
        dispatch!(&self.db, notify::queue_digests(self.now(), period_ms))
    }

    /// Mail a single-use reset link (valid one hour) to the account with
    /// this email, if there is one. Says nothing about whether it exists.
    pub fn request_password_reset(&self, email: &str) -> Result<()> {
        let Some(user) = self.find_user(email.trim())? else {
            tracing::info!("password reset asked for an unknown address");
            return Ok(());
        };
        let token = self.issue_token(user.id, crate::TokenKind::PasswordReset)?;
        let key = format!("reset:{}:{}", user.id, &token[..16]);
        self.notify(&Notice {
            user_id: user.id,
            kind: "password_reset".into(),
            title: "Reset your password".into(),
            link: format!("/password/reset?token={token}"),
            dedupe_key: key,
            group_key: String::new(),
            params: serde_json::json!({}),
        })?;
        Ok(())
    }

    /// Set a new password with a reset token; the token is spent and every
    /// session of the account ends, in one transaction.
    pub fn reset_password(&self, token: &str, new_password: &str) -> Result<crate::User> {
        crate::validate::password(new_password)?;
        let hash = crate::auth::hash_password(new_password)?;
        if token.len() != 64 {
            return Err(ForumError::invalid(
                "token",
                crate::Rule::LinkExpired,
                "this reset link is invalid or has expired",
            ));
        }
        let token_hash = crate::auth::token_hash(token);
        dispatch!(
            &self.db,
            notify::reset_password(self.now(), &token_hash, &hash)
        )?
        .ok_or_else(|| {
            ForumError::invalid(
                "token",
                crate::Rule::LinkExpired,
                "this reset link is invalid, used or expired",
            )
        })
    }

    /// Count one sign-in attempt against each `(key, limit)` (`acct:…`,
    /// `ip:…`) *before* the password is checked. Returns the time until
    /// which the attempt is refused, if any key is over its limit or
    /// locked. Counting first makes the limit hold under parallel guesses:
    /// each attempt gets its own count, so no more than `limit` password
    /// checks happen per window whatever the concurrency.
    pub fn begin_login_attempt(
        &self,
        keys: &[(&str, i32)],
        window_ms: i64,
        lock_ms: i64,
    ) -> Result<Option<i64>> {
        let now = self.now();
        let mut refused = None;
        for (key, limit) in keys {
            if let Some(until) = dispatch!(
                &self.db,
                notify::count_attempt(now, key, *limit, window_ms, lock_ms)
            )? {
                refused = Some(refused.map_or(until, |r: i64| r.max(until)));
            }
        }
        Ok(refused)
    }

    /// After a successful sign-in: the account's count is cleared and each
    /// shared key (an address) gets this attempt back.
    pub fn finish_login_success(&self, account_key: &str, shared_keys: &[&str]) -> Result<()> {
        dispatch!(&self.db, notify::clear_failures(account_key))?;
        for key in shared_keys {
            dispatch!(&self.db, notify::refund_attempt(key))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_once_and_not_in_emails() {
        assert_eq!(
            mentions("Thanks @bob and @Olha_K! cc @bob"),
            vec!["bob", "Olha_K"]
        );
        assert_eq!(
            mentions("mail ann@example.com, @ab is too short"),
            Vec::<String>::new()
        );
        assert_eq!(mentions("спасибо @марина."), vec!["марина"]);
    }
}
