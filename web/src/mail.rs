//! Mail delivery: a worker that takes due rows from the forum's mail
//! outbox, renders them in the member's language (text and HTML, written
//! by `crate::notices` from the message catalogue), and sends them over
//! SMTP with lettre (plain, STARTTLS or TLS), or writes them to files or
//! stdout in development. Failures back off and retry; a row is
//! marked sent only after the server accepted it. Also the signed one-click
//! unsubscribe tokens every mail carries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use forum::notify::{OutgoingMail, SYSTEM_KINDS};
use forum::Forum;
use hmac::{Hmac, Mac};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MailConfig {
    /// `smtp`, `file` (one .eml per mail in `dir`), `stdout`, or `none`
    /// (mails stay queued).
    pub transport: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    /// From `HEARTH_SMTP_PASSWORD`; prints as `[redacted]`.
    pub password: crm_bridge::Secret,
    pub from: String,
    pub dir: String,
    pub timeout_ms: u64,
    pub max_attempts: i32,
    pub backoff_base_ms: i64,
    pub backoff_cap_ms: i64,
    /// A digest goes out once its oldest item is this old.
    pub digest_after_secs: i64,
}

impl MailConfig {
    pub fn retry_policy(&self) -> forum::delivery::RetryPolicy {
        forum::delivery::RetryPolicy {
            max_attempts: self.max_attempts,
            backoff_base_ms: self.backoff_base_ms,
            backoff_cap_ms: self.backoff_cap_ms,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: "none".into(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 25,
            security: "starttls".into(),
            username: String::new(),
            password: crm_bridge::Secret::default(),
            from: "Hearth <noreply@localhost>".into(),
            dir: String::new(),
            timeout_ms: 10_000,
            max_attempts: 20,
            backoff_base_ms: 2_000,
            backoff_cap_ms: 15 * 60_000,
            digest_after_secs: 24 * 3600,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// `s` for the unsubscribe link of (member, kind).
pub fn unsubscribe_signature(secret: &[u8], user_id: i64, kind: &str) -> String {
    let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(format!("unsubscribe:{user_id}:{kind}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn verify_unsubscribe(secret: &[u8], user_id: i64, kind: &str, signature: &str) -> bool {
    let Ok(sig) = hex::decode(signature) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
        return false;
    };
    mac.update(format!("unsubscribe:{user_id}:{kind}").as_bytes());
    mac.verify_slice(&sig).is_ok()
}

pub fn unsubscribe_url(base: &str, secret: &[u8], user_id: i64, kind: &str) -> String {
    format!(
        "{}/unsubscribe?u={user_id}&k={kind}&s={}",
        base.trim_end_matches('/'),
        unsubscribe_signature(secret, user_id, kind)
    )
}

enum Sender {
    Smtp(Box<SmtpTransport>),
    File(std::path::PathBuf),
    Stdout,
}

impl Sender {
    fn from_config(c: &MailConfig) -> Result<Option<Sender>, String> {
        let timeout = Some(Duration::from_millis(c.timeout_ms.max(100)));
        Ok(Some(match c.transport.as_str() {
            "none" | "" => return Ok(None),
            "stdout" => Sender::Stdout,
            "file" => {
                if c.dir.is_empty() {
                    return Err("mail.dir is required for the file transport".into());
                }
                Sender::File(c.dir.clone().into())
            }
            "smtp" => {
                let builder = match c.security.as_str() {
                    "none" => SmtpTransport::builder_dangerous(&c.smtp_host),
                    "starttls" => SmtpTransport::starttls_relay(&c.smtp_host)
                        .map_err(|e| format!("mail: {e}"))?,
                    "tls" => {
                        SmtpTransport::relay(&c.smtp_host).map_err(|e| format!("mail: {e}"))?
                    }
                    other => {
                        return Err(format!(
                            "mail.security must be none, starttls or tls, not {other:?}"
                        ))
                    }
                };
                let mut builder = builder.port(c.smtp_port).timeout(timeout);
                if !c.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        c.username.clone(),
                        c.password.expose().to_string(),
                    ));
                }
                Sender::Smtp(Box::new(builder.build()))
            }
            other => {
                return Err(format!(
                    "mail.transport must be smtp, file, stdout or none, not {other:?}"
                ))
            }
        }))
    }

    fn send(&self, id: i64, message: &Message) -> Result<(), String> {
        match self {
            Sender::Smtp(t) => t.send(message).map(|_| ()).map_err(|e| e.to_string()),
            Sender::File(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                std::fs::write(dir.join(format!("{id:08}.eml")), message.formatted())
                    .map_err(|e| e.to_string())
            }
            Sender::Stdout => {
                println!("{}", String::from_utf8_lossy(&message.formatted()));
                Ok(())
            }
        }
    }
}

/// Everything the sender needs besides the forum.
#[derive(Clone)]
pub struct MailContext {
    pub config: MailConfig,
    pub site_name: String,
    pub base_url: String,
    pub secret: Arc<Vec<u8>>,
    /// The live site settings: `mail.from` and `site_name` are read from
    /// them before each pass (None: the values above stay).
    pub live: Option<Arc<crate::live_settings::LiveSettings>>,
}

impl MailContext {
    fn host(&self) -> String {
        let rest = self.base_url.split("://").nth(1).unwrap_or(&self.base_url);
        rest.split(['/', ':'])
            .next()
            .unwrap_or("localhost")
            .to_string()
    }

    /// The message for one outbox row: multipart text/HTML, threaded
    /// headers, List-Unsubscribe with one-click POST.
    pub fn build(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let system = SYSTEM_KINDS.contains(&mail.kind.as_str());
        let unsub = (!system)
            .then(|| unsubscribe_url(&self.base_url, &self.secret, mail.user_id, &mail.kind));
        // Members whose language the interface is not written in read the
        // site's default.
        let fallback = self
            .live
            .as_ref()
            .map_or(crate::i18n::Lang::En, |l| l.get().default_language);
        let r = crate::notices::render_mail(
            mail,
            &self.site_name,
            &self.base_url,
            unsub.as_deref(),
            fallback,
        );
        let host = self.host();
        let from: Mailbox = self
            .config
            .from
            .parse()
            .map_err(|e| format!("mail.from: {e}"))?;
        let to = Mailbox::new(
            Some(header_safe(&mail.to_name)),
            mail.to_email
                .parse()
                .map_err(|e| format!("recipient address: {e}"))?,
        );
        let mut b = Message::builder()
            .from(from)
            .to(to)
            .subject(header_safe(&r.subject))
            .message_id(Some(format!("<hearth.{}.{}@{host}>", mail.kind, mail.id)));
        if !mail.group_key.is_empty() {
            // Every mail about a thread refers to the same root, so mail
            // clients show them as one conversation.
            let root = format!("<hearth.{}@{host}>", mail.group_key.replace(':', "."));
            b = b.in_reply_to(root.clone()).references(root);
        }
        let mut m = b
            .multipart(MultiPart::alternative_plain_html(r.text, r.html))
            .map_err(|e| e.to_string())?;
        // Lets members (and tests) filter mails by what they are about.
        m.headers_mut().insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Hearth-Kind"),
            mail.kind.clone(),
        ));
        if let Some(u) = unsub {
            m.headers_mut().insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{u}>"),
            ));
            m.headers_mut().insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
        }
        Ok(m)
    }
}

/// Text for a mail header: names and subjects are validated as one line
/// when they are written, but rows written before that rule (or by an
/// import) may hold line breaks, which lettre refuses by panicking.
fn header_safe(s: &str) -> String {
    forum::validate::one_line(s)
}

/// Build and send one mail. A panic anywhere in building or sending (a
/// library refusing a header, say) is this mail's failure, retried and
/// finally dead-lettered like any other, never the end of the sender.
fn send_one(ctx: &MailContext, sender: &Sender, mail: &OutgoingMail) -> Result<(), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ctx.build(mail).and_then(|m| sender.send(mail.id, &m))
    }))
    .unwrap_or_else(|panic| {
        Err(format!(
            "panicked: {}",
            crate::supervisor::panic_message(&panic)
        ))
    })
}

/// Deliver what is due; returns how many were sent.
pub fn send_due(forum: &Forum, ctx: &MailContext, sender: &SenderHandle) -> forum::Result<usize> {
    let Some(sender) = &sender.0 else {
        return Ok(0);
    };
    let mails = forum.claim_mails(120_000, 20)?;
    let policy = ctx.config.retry_policy();
    let mut sent = 0;
    for mail in mails {
        match send_one(ctx, sender, &mail) {
            Ok(()) => {
                forum.mail_sent(&mail)?;
                sent += 1;
                tracing::info!(mail_id = mail.id, kind = %mail.kind, user_id = mail.user_id, "mail sent");
            }
            Err(e) => {
                // SMTP gives no Retry-After; every failure is worth a retry
                // until the budget runs out (a bad address is the server's
                // to bounce).
                let failure = forum::delivery::Failure::Retryable {
                    error: &e,
                    retry_after_ms: None,
                };
                forum.mail_failed(&mail, &policy, failure)?;
            }
        }
    }
    Ok(sent)
}

pub struct SenderHandle(Option<Sender>);

impl SenderHandle {
    pub fn new(config: &MailConfig) -> Result<SenderHandle, String> {
        Sender::from_config(config).map(SenderHandle)
    }
}

/// Mail as a job of the runner: queues digests when due, then sends what
/// is due. Each mail is its own item (see `send_one`), so the job itself
/// only fails when the database does.
pub struct MailJob {
    forum: Forum,
    ctx: MailContext,
    sender: SenderHandle,
    idle: Duration,
    digests_at: Option<Instant>,
}

impl MailJob {
    pub fn new(forum: Forum, ctx: MailContext, idle: Duration) -> Result<MailJob, String> {
        let sender = SenderHandle::new(&ctx.config)?;
        Ok(MailJob {
            forum,
            ctx,
            sender,
            idle,
            digests_at: None,
        })
    }
}

impl crate::supervisor::Job for MailJob {
    fn name(&self) -> &'static str {
        "mail"
    }

    fn run(&mut self, _isolate: bool) -> Result<usize, crate::supervisor::JobError> {
        if let Some(live) = &self.ctx.live {
            if live.due() {
                if let Err(e) = live.refresh(&self.forum) {
                    tracing::warn!(error = %e, "site settings not refreshed");
                }
            }
            let now = live.get();
            if self.ctx.config.from != now.mail_from || self.ctx.site_name != now.site_name {
                self.ctx.config.from = now.mail_from.clone();
                self.ctx.site_name = now.site_name.clone();
            }
        }
        let every =
            Duration::from_secs((self.ctx.config.digest_after_secs / 60).clamp(1, 60) as u64);
        if self.digests_at.is_none_or(|at| at.elapsed() >= every) {
            self.digests_at = Some(Instant::now());
            let n = self
                .forum
                .queue_digests(self.ctx.config.digest_after_secs * 1000)?;
            if n > 0 {
                tracing::info!(digests = n, "digests queued");
            }
        }
        Ok(send_due(&self.forum, &self.ctx, &self.sender)?)
    }

    fn idle(&self) -> Duration {
        self.idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued() -> forum::delivery::QueuedDelivery {
        forum::delivery::QueuedDelivery {
            id: 1,
            channel: forum::delivery::MAIL.into(),
            kind: "mail".into(),
            subject_id: 42,
            ref_id: 0,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: 0,
            last_error: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn unsubscribe_tokens_are_bound_to_member_and_kind() {
        let s = unsubscribe_signature(b"k", 7, "reply");
        assert!(verify_unsubscribe(b"k", 7, "reply", &s));
        assert!(!verify_unsubscribe(b"k", 8, "reply", &s));
        assert!(!verify_unsubscribe(b"k", 7, "mention", &s));
        assert!(!verify_unsubscribe(b"other", 7, "reply", &s));
        assert!(!verify_unsubscribe(b"k", 7, "reply", "zz"));
    }

    #[test]
    fn the_file_transport_writes_one_eml_per_mail() {
        let dir = tempfile::tempdir().unwrap();
        let config = MailConfig {
            transport: "file".into(),
            dir: dir.path().display().to_string(),
            ..MailConfig::default()
        };
        let ctx = MailContext {
            config: config.clone(),
            site_name: "Acme".into(),
            base_url: "http://localhost:8080".into(),
            secret: Arc::new(b"k".to_vec()),
            live: None,
        };
        let mail = OutgoingMail {
            id: 42,
            user_id: 7,
            kind: "mention".into(),
            title: "t".into(),
            link: "/t/1".into(),
            group_key: String::new(),
            params: serde_json::json!({ "actor": "Bob", "thread": "Hi" }),
            attempts: 0,
            to_email: "ann@example.com".into(),
            to_name: "Ann".into(),
            language: "ru".into(),
            delivery: queued(),
        };
        let sender = Sender::from_config(&config).unwrap().expect("a sender");
        sender.send(mail.id, &ctx.build(&mail).unwrap()).unwrap();
        let raw = std::fs::read_to_string(dir.path().join("00000042.eml")).unwrap();
        assert!(
            raw.contains("To: \"Ann\" <ann@example.com>")
                || raw.contains("To: Ann <ann@example.com>"),
            "{raw}"
        );
        assert!(raw.contains("X-Hearth-Kind: mention"));
        assert!(Sender::from_config(&MailConfig {
            transport: "none".into(),
            ..MailConfig::default()
        })
        .unwrap()
        .is_none());
        assert!(Sender::from_config(&MailConfig {
            transport: "pigeon".into(),
            ..MailConfig::default()
        })
        .is_err());
        assert!(
            Sender::from_config(&MailConfig {
                transport: "file".into(),
                ..MailConfig::default()
            })
            .is_err(),
            "file needs a dir"
        );
    }

    fn community_ctx() -> MailContext {
        MailContext {
            config: MailConfig::default(),
            site_name: "Acme".into(),
            base_url: "https://community.example".into(),
            secret: Arc::new(b"k".to_vec()),
            live: None,
        }
    }

    #[test]
    fn line_breaks_in_names_and_subjects_cannot_reach_a_header() {
        let ctx = community_ctx();
        let mail = OutgoingMail {
            id: 4,
            user_id: 7,
            kind: "reply".into(),
            title: "t".into(),
            link: "/t/5#p9".into(),
            group_key: "thread:5".into(),
            params: serde_json::json!({ "actor": "Eve\nBcc: all@example.com", "thread": "Wi-Fi\r\nX-Evil: 1" }),
            attempts: 0,
            to_email: "ann@example.com".into(),
            to_name: "Ann\nBcc: all@example.com".into(),
            language: "en".into(),
            delivery: queued(),
        };
        let raw = String::from_utf8(ctx.build(&mail).unwrap().formatted()).unwrap();
        let headers = raw.split("\r\n\r\n").next().unwrap();
        let names: Vec<&str> = headers
            .lines()
            .filter(|l| !l.starts_with([' ', '\t']))
            .filter_map(|l| l.split(':').next())
            .collect();
        assert!(
            !names.contains(&"Bcc") && !names.contains(&"X-Evil"),
            "{headers}"
        );
        assert_eq!(header_safe("Eve\nX\t\u{0}Y"), "Eve X Y");
        // A panic while building is this mail's failure, not the sender's.
        let dir = tempfile::tempdir().unwrap();
        let sender = Sender::File(dir.path().join("x"));
        assert!(send_one(&ctx, &sender, &mail).is_ok());
    }

    #[test]
    fn messages_are_multipart_threaded_and_unsubscribable() {
        let ctx = community_ctx();
        let mail = OutgoingMail {
            id: 3,
            user_id: 7,
            kind: "reply".into(),
            title: "t".into(),
            link: "/t/5#p9".into(),
            group_key: "thread:5".into(),
            params: serde_json::json!({ "actor": "Bob", "thread": "Wi-Fi" }),
            attempts: 0,
            to_email: "ann@example.com".into(),
            to_name: "Ann".into(),
            language: "en".into(),
            delivery: queued(),
        };
        let raw = String::from_utf8(ctx.build(&mail).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("In-Reply-To: <hearth.thread.5@community.example>"),
            "{raw}"
        );
        assert!(raw.contains("References: <hearth.thread.5@community.example>"));
        assert!(
            raw.contains("List-Unsubscribe: <https://community.example/unsubscribe?u=7&k=reply&s=")
        );
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(
            raw.contains("multipart/alternative")
                && raw.contains("text/html")
                && raw.contains("text/plain")
        );
        assert!(
            raw.contains("Message-ID: <hearth.reply.3@community.example>"),
            "{raw}"
        );
    }
}
