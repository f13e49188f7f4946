//! Notifications beyond the in-app bell: who hears about what (replies,
//! accepted answers, mentions, watched threads and boards, badges,
//! escalations, SLA warnings, articles to review), each member's mail
//! preference per kind (instant, daily digest, off), subscriptions, the mail
//! outbox that a worker delivers, and the localised text of every mail.
//!
//! A mail row is written in the same transaction as its cause and rendered
//! only when it is sent; the sender (in `web`) owns the transport.

use serde::{Deserialize, Serialize};

use crate::db::dispatch;
use crate::error::{ForumError, Result};
use crate::{Actor, Forum, TxConn};

/// Every kind a member can set a preference for.
pub const KINDS: [&str; 8] = [
    "reply",
    "accepted",
    "mention",
    "watched",
    "badge",
    "escalated",
    "sla",
    "kb_review",
];

/// Mailed whatever the member's settings, with no unsubscribe link: a
/// reset link, an email confirmation link, and a change to their account
/// (role, silence, suspension).
pub const SYSTEM_KINDS: [&str; 3] = ["password_reset", "email_confirm", "account"];

/// Mails whose link is a secret: by mail only (never in the bell), and the
/// link is blanked once the mail is sent.
pub const SECRET_LINK_KINDS: [&str; 2] = ["password_reset", "email_confirm"];

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
    /// Shown in the bell (English; mails are rendered per language).
    pub title: String,
    /// A path on the site, e.g. `/t/12#p40`.
    pub link: String,
    /// Makes a replay a no-op.
    pub dedupe_key: String,
    /// Mails about one thread share this (`thread:12`), so mail clients
    /// thread them and digests group them.
    pub group_key: String,
    /// What the mail text needs (`thread_title`, `actor`, `excerpt`, …).
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

// ---------------------------------------------------------------- mail text

/// Languages mails are written in; add one by adding a variant and its
/// strings in `Strings::for_lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    /// The member's language, or English when there is no translation.
    pub fn of(code: &str) -> Lang {
        match code.split(['-', '_']).next().unwrap_or("") {
            "ru" => Lang::Ru,
            _ => Lang::En,
        }
    }
}

struct Strings {
    greeting: &'static str,
    reply: &'static str,
    accepted: &'static str,
    mention: &'static str,
    watched: &'static str,
    badge: &'static str,
    escalated: &'static str,
    sla: &'static str,
    kb_review: &'static str,
    password_reset: &'static str,
    reset_body: &'static str,
    email_confirm: &'static str,
    confirm_body: &'static str,
    digest: &'static str,
    open: &'static str,
    why: &'static str,
    unsubscribe: &'static str,
}

impl Strings {
    fn for_lang(lang: Lang) -> &'static Strings {
        match lang {
            Lang::En => &Strings {
                greeting: "Hello {name},",
                reply: "{actor} replied to your question “{thread}”",
                accepted: "Your answer in “{thread}” was accepted as the solution",
                mention: "{actor} mentioned you in “{thread}”",
                watched: "New activity in “{thread}”",
                badge: "{title}",
                escalated: "Escalated to you: “{thread}”",
                sla: "SLA about to breach: “{thread}”",
                kb_review: "{title}",
                password_reset: "Reset your password",
                reset_body: "Someone (hopefully you) asked to reset your password. The link works once, for one hour. If it was not you, ignore this mail.",
                email_confirm: "Confirm your email address",
                confirm_body: "Welcome! Open the link and press “Confirm” to start posting. The link works once, for three days. If you did not create this account, ignore this mail.",
                digest: "Your daily digest: {count} updates",
                open: "Open",
                why: "You get this mail because of your notification settings for “{kind}”.",
                unsubscribe: "Unsubscribe from these mails",
            },
            Lang::Ru => &Strings {
                greeting: "Здравствуйте, {name}!",
                reply: "{actor} ответил(а) на ваш вопрос «{thread}»",
                accepted: "Ваш ответ в теме «{thread}» принят как решение",
                mention: "{actor} упомянул(а) вас в теме «{thread}»",
                watched: "Новое в теме «{thread}»",
                badge: "Новый значок — {title}",
                escalated: "Передано вам: «{thread}»",
                sla: "Скоро нарушение SLA: «{thread}»",
                kb_review: "База знаний — {title}",
                password_reset: "Сброс пароля",
                reset_body: "Кто-то (надеемся, вы) попросил сбросить пароль. Ссылка сработает один раз в течение часа. Если это были не вы, просто проигнорируйте письмо.",
                email_confirm: "Подтвердите адрес электронной почты",
                confirm_body: "Добро пожаловать! Откройте ссылку и нажмите «Подтвердить», чтобы начать писать. Ссылка сработает один раз в течение трёх дней. Если вы не создавали эту учётную запись, просто проигнорируйте письмо.",
                digest: "Ваша ежедневная сводка: обновлений — {count}",
                open: "Открыть",
                why: "Вы получили это письмо из-за настроек уведомлений «{kind}».",
                unsubscribe: "Отписаться от таких писем",
            },
        }
    }
}

fn fill(template: &str, params: &serde_json::Value, extra: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in extra {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    if let Some(map) = params.as_object() {
        for (k, v) in map {
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            out = out.replace(&format!("{{{k}}}"), &text);
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Debug, Clone, PartialEq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The subject and both bodies of one mail in the member's language.
/// `base_url` makes links absolute; `unsubscribe_url` is None for mails
/// that cannot be turned off.
pub fn render(
    mail: &OutgoingMail,
    site_name: &str,
    base_url: &str,
    unsubscribe_url: Option<&str>,
) -> RenderedMail {
    let lang = Lang::of(&mail.language);
    let s = Strings::for_lang(lang);
    let base = base_url.trim_end_matches('/');
    let name = [("name", mail.to_name.clone())];
    let greeting = fill(s.greeting, &mail.params, &name);
    let (subject, lines): (String, Vec<(String, String)>) = if mail.kind == "digest" {
        let items = mail
            .params
            .get("items")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        let subject = fill(
            s.digest,
            &serde_json::Value::Null,
            &[("count", items.len().to_string())],
        );
        // One section per thread (group), in first-seen order.
        let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for it in &items {
            let g = it["group"].as_str().unwrap_or("").to_string();
            let heading = it["group_title"].as_str().unwrap_or("").to_string();
            let line = (
                it["title"].as_str().unwrap_or("").to_string(),
                format!("{base}{}", it["link"].as_str().unwrap_or("/")),
            );
            match groups.iter_mut().find(|(k, _)| *k == g) {
                Some((_, v)) => v.push(line),
                None => groups.push((g, vec![(format!("## {heading}"), String::new()), line])),
            }
        }
        (subject, groups.into_iter().flat_map(|(_, v)| v).collect())
    } else {
        let template = match mail.kind.as_str() {
            "reply" => s.reply,
            "accepted" => s.accepted,
            "mention" => s.mention,
            "watched" => s.watched,
            "badge" => s.badge,
            "escalated" => s.escalated,
            "sla" => s.sla,
            "kb_review" => s.kb_review,
            "password_reset" => s.password_reset,
            "email_confirm" => s.email_confirm,
            _ => "{title}",
        };
        let subject = fill(template, &mail.params, &[("title", mail.title.clone())]);
        let mut lines = Vec::new();
        if mail.kind == "password_reset" {
            lines.push((s.reset_body.to_string(), String::new()));
        }
        if mail.kind == "email_confirm" {
            lines.push((s.confirm_body.to_string(), String::new()));
        }
        if let Some(ex) = mail
            .params
            .get("excerpt")
            .and_then(|v| v.as_str())
            .filter(|e| !e.is_empty())
        {
            lines.push((format!("> {ex}"), String::new()));
        }
        let link = if mail.link.starts_with("http") {
            mail.link.clone()
        } else {
            format!("{base}{}", mail.link)
        };
        lines.push((s.open.to_string(), link));
        (subject, lines)
    };
    let mut text = format!("{greeting}\n\n{subject}\n\n");
    let mut html = format!(
        "<!doctype html><html><body><p>{}</p><h2>{}</h2>",
        html_escape(&greeting),
        html_escape(&subject)
    );
    let subject = format!("[{site_name}] {subject}");
    for (line, link) in &lines {
        if let Some(h) = line.strip_prefix("## ") {
            text.push_str(&format!("\n{h}\n"));
            html.push_str(&format!("<h3>{}</h3>", html_escape(h)));
        } else if link.is_empty() {
            text.push_str(&format!("{line}\n"));
            html.push_str(&format!("<p>{}</p>", html_escape(line)));
        } else {
            text.push_str(&format!("{line}: {link}\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                html_escape(link),
                html_escape(line)
            ));
        }
    }
    if let Some(u) = unsubscribe_url {
        let why = fill(
            s.why,
            &serde_json::Value::Null,
            &[("kind", mail.kind.clone())],
        );
        text.push_str(&format!("\n--\n{why}\n{}: {u}\n", s.unsubscribe));
        html.push_str(&format!(
            "<hr><p style=\"color:#666\">{} <a href=\"{}\">{}</a></p>",
            html_escape(&why),
            html_escape(u),
            s.unsubscribe
        ));
    }
    html.push_str("</body></html>");
    RenderedMail {
        subject,
        text,
        html,
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
            return Err(ForumError::validation(
                "kind",
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
            return Err(ForumError::validation(
                "token",
                "this reset link is invalid or has expired",
            ));
        }
        let token_hash = crate::auth::token_hash(token);
        dispatch!(
            &self.db,
            notify::reset_password(self.now(), &token_hash, &hash)
        )?
        .ok_or_else(|| {
            ForumError::validation("token", "this reset link is invalid, used or expired")
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

    fn mail(kind: &str, lang: &str, params: serde_json::Value) -> OutgoingMail {
        OutgoingMail {
            id: 1,
            user_id: 2,
            kind: kind.into(),
            title: "t".into(),
            link: "/t/5#p9".into(),
            group_key: "thread:5".into(),
            params,
            attempts: 0,
            to_email: "ann@example.com".into(),
            to_name: "Ann".into(),
            language: lang.into(),
            delivery: crate::delivery::QueuedDelivery {
                id: 1,
                channel: crate::delivery::MAIL.into(),
                kind: "mail".into(),
                subject_id: 1,
                ref_id: 0,
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: 0,
                last_error: None,
                created_at: 0,
                updated_at: 0,
            },
        }
    }

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

    #[test]
    fn mails_are_localised_with_links_and_unsubscribe() {
        let params = serde_json::json!({ "actor": "Bob", "thread": "Wi-Fi drops", "excerpt": "Try channel 6" });
        let en = render(
            &mail("reply", "en", params.clone()),
            "Acme",
            "https://c.example/",
            Some("https://c.example/unsubscribe?x=1"),
        );
        assert_eq!(
            en.subject,
            "[Acme] Bob replied to your question “Wi-Fi drops”"
        );
        assert!(en.text.contains("Hello Ann,") && en.text.contains("https://c.example/t/5#p9"));
        assert!(en.text.contains("https://c.example/unsubscribe?x=1"));
        assert!(en.html.contains("<a href=\"https://c.example/t/5#p9\">"));
        let ru = render(
            &mail("reply", "ru", params),
            "Acme",
            "https://c.example",
            None,
        );
        assert_eq!(
            ru.subject,
            "[Acme] Bob ответил(а) на ваш вопрос «Wi-Fi drops»"
        );
        assert!(!ru.text.contains("unsubscribe"));
        // Unknown languages fall back to English.
        assert_eq!(Lang::of("fa"), Lang::En);
        assert_eq!(Lang::of("ru-RU"), Lang::Ru);
    }

    #[test]
    fn digests_group_items_by_thread() {
        let params = serde_json::json!({ "items": [
            { "title": "Bob replied", "link": "/t/1#p2", "group": "thread:1", "group_title": "Printer" },
            { "title": "Eve replied", "link": "/t/2#p5", "group": "thread:2", "group_title": "Router" },
            { "title": "Dan replied", "link": "/t/1#p7", "group": "thread:1", "group_title": "Printer" },
        ]});
        let m = render(
            &mail("digest", "en", params),
            "Acme",
            "http://x",
            Some("http://x/u"),
        );
        assert_eq!(m.subject, "[Acme] Your daily digest: 3 updates");
        let printer = m.text.find("Printer").unwrap();
        let router = m.text.find("Router").unwrap();
        let dan = m.text.find("Dan replied").unwrap();
        assert!(printer < dan && dan < router, "{}", m.text);
        assert_eq!(m.html.matches("<h3>").count(), 2);
    }

    #[test]
    fn html_is_escaped() {
        let m = render(
            &mail("watched", "en", serde_json::json!({ "thread": "<script>" })),
            "A",
            "http://x",
            None,
        );
        assert!(!m.html.contains("<script>") && m.html.contains("&lt;script&gt;"));
    }
}
