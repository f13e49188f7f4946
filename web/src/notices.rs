//! What notifications say, in the reader's language, from the one message
//! catalogue (`crate::i18n`): the names of the kinds members set mail
//! preferences for, the bell's lines, and every mail's subject and bodies
//! (text and HTML).
//!
//! The forum stores each notice with its `kind` and `params` (who, which
//! thread, which badge…) and an English `title`. Lines are written from
//! kind and params; the title is shown only for kinds (or rows from before
//! the params were stored) this module cannot write.

use forum::notify::OutgoingMail;
use serde_json::Value;

use crate::i18n::{message, t, Arg, Lang};

/// The catalogue id naming a kind of notification (`notify-kind-reply`),
/// with a `.description` attribute; None for kinds without one.
pub fn kind_key(kind: &str) -> Option<String> {
    forum::notify::KINDS
        .contains(&kind)
        .then(|| format!("notify-kind-{kind}"))
}

/// A kind's name ("Replies to your questions"); the kind itself if it has
/// none.
pub fn kind_label(lang: Lang, kind: &str) -> String {
    kind_key(kind).map_or_else(|| kind.to_string(), |k| t(lang, &k))
}

/// A value for a message's variable: user content (names, titles) or a
/// number.
#[derive(Debug, Clone)]
enum V {
    Text(String),
    Number(i64),
}

/// One piece of text: a catalogue message with its values, or text stored
/// as it is (a notice's English title).
#[derive(Debug, Clone)]
pub struct Line {
    key: &'static str,
    args: Vec<(&'static str, V)>,
    raw: Option<String>,
}

impl Line {
    fn msg(key: &'static str, args: Vec<(&'static str, V)>) -> Line {
        Line {
            key,
            args,
            raw: None,
        }
    }

    fn raw(text: &str) -> Line {
        Line {
            key: "",
            args: Vec::new(),
            raw: Some(text.to_string()),
        }
    }

    /// As plain text (the bell, mail subjects, mails' text part).
    pub fn plain(&self, lang: Lang) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(n, v)| {
                (
                    *n,
                    match v {
                        V::Text(s) => Arg::from(s),
                        V::Number(n) => Arg::Number(*n),
                    },
                )
            })
            .collect();
        message(lang, self.key, &args)
    }

    /// As HTML: the message escaped, each piece of user content escaped
    /// and in its own `dir="auto"` element, so a Persian title in an
    /// English mail (or the reverse) reads correctly.
    pub fn html(&self, lang: Lang) -> String {
        if let Some(raw) = &self.raw {
            return user_html(raw);
        }
        // Format with markers in place of the text values, escape, then put
        // each value back escaped and isolated.
        let marker = |i: usize| format!("\u{E000}{i}\u{E001}");
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .enumerate()
            .map(|(i, (n, v))| {
                (
                    *n,
                    match v {
                        V::Text(_) => Arg::from(marker(i)),
                        V::Number(n) => Arg::Number(*n),
                    },
                )
            })
            .collect();
        let mut out = escape(&message(lang, self.key, &args));
        for (i, (_, v)) in self.args.iter().enumerate() {
            if let V::Text(s) = v {
                out = out.replace(&marker(i), &user_html(s));
            }
        }
        out
    }
}

/// HTML escaping for mail bodies.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// User content in its own direction.
fn user_html(s: &str) -> String {
    format!("<span dir=\"auto\">{}</span>", escape(s))
}

/// A non-empty text parameter.
fn text(params: &Value, name: &str) -> Option<String> {
    params
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// A number written as an identifier ("task #1234"): digits in the
/// language's script, never grouped.
fn ident(lang: Lang, params: &Value, name: &str) -> Option<V> {
    params
        .get(name)
        .and_then(Value::as_i64)
        .map(|n| V::Text(lang.digits(&n.to_string())))
}

/// The bell's line for a notice (also a digest's line, and the subject of
/// the mails that say the same): written from kind and params, or the
/// stored English title when they are not enough.
pub fn notice_line(lang: Lang, kind: &str, title: &str, params: &Value) -> Line {
    written(lang, kind, params).unwrap_or_else(|| Line::raw(title))
}

fn written(lang: Lang, kind: &str, p: &Value) -> Option<Line> {
    let thread = || text(p, "thread").map(V::Text);
    let actor = || text(p, "actor").map(V::Text);
    Some(match kind {
        "reply" => Line::msg(
            "notify-line-reply",
            vec![("poster", actor()?), ("title", thread()?)],
        ),
        "mention" => Line::msg(
            "notify-line-mention",
            vec![("mentioner", actor()?), ("title", thread()?)],
        ),
        "watched" => Line::msg("notify-line-watched", vec![("title", thread()?)]),
        "accepted" => Line::msg("notify-line-accepted", vec![("title", thread()?)]),
        "badge" => {
            // Badge names are the site owner's words, shown as written.
            let name = V::Text(text(p, "name")?);
            match p.get("level").and_then(Value::as_i64)? {
                level if level > 1 => Line::msg(
                    "notify-line-badge-level",
                    vec![("badge", name), ("level", V::Number(level))],
                ),
                _ => Line::msg("notify-line-badge", vec![("badge", name)]),
            }
        }
        "kb_review" => {
            let key = match text(p, "reason")?.as_str() {
                "awaiting" => "notify-line-kb-awaiting",
                "unhelpful" => "notify-line-kb-unhelpful",
                "source_changed" => "notify-line-kb-source_changed",
                _ => return None,
            };
            Line::msg(key, vec![("article", V::Text(text(p, "article")?))])
        }
        "escalated" => Line::msg(
            "notify-line-escalated",
            vec![("id", ident(lang, p, "task")?), ("title", thread()?)],
        ),
        "sla" => Line::msg(
            "notify-line-sla",
            vec![("id", ident(lang, p, "task")?), ("title", thread()?)],
        ),
        "account" => account_line(lang, p)?,
        "analytics" => Line::msg(
            "notify-line-analytics",
            vec![
                ("from", V::Text(day(lang, p.get("from")?.as_i64()?))),
                ("to", V::Text(day(lang, p.get("to")?.as_i64()?))),
            ],
        ),
        "idea_status" => Line::msg(
            if p.get("returned").and_then(Value::as_bool) == Some(true) {
                "notify-line-idea-status-returned"
            } else {
                "notify-line-idea-status"
            },
            vec![("title", thread()?), ("to", V::Text(text(p, "to")?))],
        ),
        _ => return None,
    })
}

/// A day (`YYYY-MM-DD`, UTC) in the language's digits.
fn day(lang: Lang, ms: i64) -> String {
    lang.digits(crate::timefmt::iso8601(ms).get(..10).unwrap_or(""))
}

/// The weekly digest's figures, one line each: this week, and the week
/// before (`forum::analytics::digest_params`).
fn analytics_blocks(lang: Lang, p: &Value) -> Vec<Block> {
    let number = |v: &Value| v.as_i64().map(|n| lang.number(n));
    let percent = |v: &Value| {
        v.as_f64()
            .map(|x| lang.digits(&format!("{} %", (x * 10.0).round() / 10.0)))
    };
    let duration = |v: &Value| v.as_i64().map(|ms| crate::layout::duration_in(lang, ms));
    let money = |v: &Value| {
        v.as_i64().map(|c| {
            let currency = p.get("currency").and_then(Value::as_str).unwrap_or("");
            format!(
                "{}.{} {currency}",
                lang.number(c / 100),
                lang.digits(&format!("{:02}", c % 100))
            )
        })
    };
    type Format<'a> = &'a dyn Fn(&Value) -> Option<String>;
    let rows: [(&str, &str, Format<'_>); 12] = [
        ("questions", "analytics-threads", &number),
        ("replies", "analytics-replies", &number),
        ("active_members", "analytics-active-members", &number),
        ("page_views", "analytics-page-views", &number),
        ("visits", "analytics-visits", &number),
        (
            "first_reply_median_ms",
            "analytics-digest-first-reply",
            &duration,
        ),
        (
            "unanswered_24h_percent",
            "analytics-unanswered-24h",
            &percent,
        ),
        ("deflected", "analytics-digest-deflected", &number),
        ("tasks_created", "analytics-tasks-created", &number),
        (
            "resolved_by_community",
            "analytics-tasks-resolved-community",
            &number,
        ),
        ("contacts_saved", "analytics-contacts-saved", &number),
        ("saved_cents", "analytics-money-saved", &money),
    ];
    rows.iter()
        .map(|(field, label, format)| {
            let pair = p.get(*field);
            let at = |i: usize| {
                pair.and_then(|v| v.get(i))
                    .and_then(format)
                    .unwrap_or_else(|| "—".into())
            };
            Block::Para(Line::msg(
                "mail-analytics-figure",
                vec![
                    ("name", V::Text(t(lang, label))),
                    ("value", V::Text(at(0))),
                    ("last", V::Text(at(1))),
                ],
            ))
        })
        .collect()
}

/// A change to the member's own account: role, standing, or a moderator's
/// decision on one of their posts.
fn account_line(lang: Lang, p: &Value) -> Option<Line> {
    let with_reason = |key: &'static str, bare: &'static str| match text(p, "reason") {
        Some(r) => Line::msg(key, vec![("reason", V::Text(r))]),
        None => Line::msg(bare, Vec::new()),
    };
    if let Some(review) = text(p, "review") {
        let title = V::Text(text(p, "thread")?);
        let reason = text(p, "reason");
        return Some(match (review.as_str(), reason) {
            ("hidden", _) => Line::msg("notify-line-post-hidden", vec![("title", title)]),
            ("approved", _) if text(p, "was").as_deref() == Some("hidden") => {
                Line::msg("notify-line-post-restored", vec![("title", title)])
            }
            ("approved", _) => Line::msg("notify-line-post-approved", vec![("title", title)]),
            ("rejected", Some(r)) => Line::msg(
                "notify-line-post-removed",
                vec![("title", title), ("reason", V::Text(r))],
            ),
            ("rejected", None) => {
                Line::msg("notify-line-post-removed-bare", vec![("title", title)])
            }
            _ => return None,
        });
    }
    Some(match text(p, "change")?.as_str() {
        "role" => {
            let role: forum::Role = text(p, "role")?.parse().ok()?;
            Line::msg(
                "notify-line-role",
                vec![("role", V::Text(t(lang, &format!("role-{}", role.as_str()))))],
            )
        }
        "active" => Line::msg("notify-line-active", Vec::new()),
        "silenced" => with_reason("notify-line-silenced", "notify-line-silenced-bare"),
        "suspended" => with_reason("notify-line-suspended", "notify-line-suspended-bare"),
        "banned" => with_reason("notify-line-banned", "notify-line-banned-bare"),
        _ => return None,
    })
}

/// What a mail is made of before it becomes text and HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

enum Block {
    /// A digest's section heading (a thread's title).
    Heading(String),
    Para(Line),
    /// A quoted excerpt of what someone wrote.
    Quote(String),
    Link(Line, String),
}

/// The subject of a mail about one notice.
fn subject_line(lang: Lang, mail: &OutgoingMail) -> Line {
    let p = &mail.params;
    let thread = || text(p, "thread").map(V::Text);
    let fixed = |key: &'static str| Some(Line::msg(key, Vec::new()));
    let own = match mail.kind.as_str() {
        "reply" => text(p, "actor").and_then(|a| {
            Some(Line::msg(
                "mail-subject-reply",
                vec![("poster", V::Text(a)), ("title", thread()?)],
            ))
        }),
        "mention" => text(p, "actor").and_then(|a| {
            Some(Line::msg(
                "mail-subject-mention",
                vec![("mentioner", V::Text(a)), ("title", thread()?)],
            ))
        }),
        "accepted" => thread().map(|t| Line::msg("mail-subject-accepted", vec![("title", t)])),
        "watched" => thread().map(|t| Line::msg("mail-subject-watched", vec![("title", t)])),
        "escalated" => thread().map(|t| Line::msg("mail-subject-escalated", vec![("title", t)])),
        "sla" => thread().map(|t| Line::msg("mail-subject-sla", vec![("title", t)])),
        "password_reset" => fixed("mail-subject-password_reset"),
        "email_confirm" => fixed("mail-subject-email_confirm"),
        "email_change" => fixed("mail-subject-email_change"),
        "email_changed" => fixed("mail-subject-email_changed"),
        _ => None,
    };
    own.unwrap_or_else(|| notice_line(lang, &mail.kind, &mail.title, p))
}

/// The subject and both bodies of one mail, in the member's language
/// (`fallback` when theirs is not one the interface is written in).
/// `base_url` makes links absolute; `unsubscribe_url` is None for mails
/// that cannot be turned off.
pub fn render_mail(
    mail: &OutgoingMail,
    site_name: &str,
    base_url: &str,
    unsubscribe_url: Option<&str>,
    fallback: Lang,
) -> RenderedMail {
    let lang = Lang::parse(&mail.language).unwrap_or(fallback);
    let base = base_url.trim_end_matches('/');
    let absolute = |link: &str| {
        if link.starts_with("http") {
            link.to_string()
        } else {
            format!("{base}{link}")
        }
    };
    let greeting = Line::msg(
        "mail-greeting",
        vec![("name", V::Text(mail.to_name.clone()))],
    );
    let (subject, blocks) = if mail.kind == "digest" {
        let items = mail
            .params
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let subject = Line::msg(
            "mail-subject-digest",
            vec![(
                "count",
                V::Number(i64::try_from(items.len()).unwrap_or(i64::MAX)),
            )],
        );
        // One section per thread (group), in first-seen order.
        let mut groups: Vec<(String, Vec<Block>)> = Vec::new();
        for it in &items {
            let g = it["group"].as_str().unwrap_or("").to_string();
            let heading = it["group_title"].as_str().unwrap_or("").to_string();
            let line = notice_line(
                lang,
                it["kind"].as_str().unwrap_or(""),
                it["title"].as_str().unwrap_or(""),
                &it["params"],
            );
            let block = Block::Link(line, absolute(it["link"].as_str().unwrap_or("/")));
            match groups.iter_mut().find(|(k, _)| *k == g) {
                Some((_, v)) => v.push(block),
                None => groups.push((g, vec![Block::Heading(heading), block])),
            }
        }
        (subject, groups.into_iter().flat_map(|(_, v)| v).collect())
    } else {
        let mut blocks = Vec::new();
        match mail.kind.as_str() {
            "password_reset" => blocks.push(Block::Para(Line::msg("mail-reset-body", Vec::new()))),
            "email_confirm" => blocks.push(Block::Para(Line::msg("mail-confirm-body", Vec::new()))),
            "email_change" => blocks.push(Block::Para(Line::msg("mail-change-body", Vec::new()))),
            "analytics" => blocks.extend(analytics_blocks(lang, &mail.params)),
            "email_changed" => blocks.push(Block::Para(Line::msg(
                "mail-changed-body",
                vec![(
                    "address",
                    V::Text(text(&mail.params, "new_masked").unwrap_or_default()),
                )],
            ))),
            _ => {}
        }
        if let Some(ex) = text(&mail.params, "excerpt") {
            blocks.push(Block::Quote(ex));
        }
        // A mail with nothing to open (the word to an old address) has no
        // link.
        if !mail.link.is_empty() {
            blocks.push(Block::Link(
                Line::msg("mail-open", Vec::new()),
                absolute(&mail.link),
            ));
        }
        (subject_line(lang, mail), blocks)
    };
    let subject_text = subject.plain(lang);
    let mut text = format!("{}\n\n{subject_text}\n\n", greeting.plain(lang));
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><body><p>{}</p><h2>{}</h2>",
        lang.code(),
        lang.dir(),
        greeting.html(lang),
        subject.html(lang)
    );
    for block in &blocks {
        match block {
            Block::Heading(h) => {
                text.push_str(&format!("\n{h}\n"));
                html.push_str(&format!("<h3>{}</h3>", user_html(h)));
            }
            Block::Para(line) => {
                text.push_str(&format!("{}\n", line.plain(lang)));
                html.push_str(&format!("<p>{}</p>", line.html(lang)));
            }
            Block::Quote(q) => {
                text.push_str(&format!("> {q}\n"));
                html.push_str(&format!(
                    "<blockquote dir=\"auto\">{}</blockquote>",
                    escape(q)
                ));
            }
            Block::Link(line, link) => {
                text.push_str(&format!("{}: {link}\n", line.plain(lang)));
                html.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(link),
                    line.html(lang)
                ));
            }
        }
    }
    if let Some(u) = unsubscribe_url {
        let why = Line::msg(
            "mail-why",
            vec![("kind", V::Text(kind_label(lang, &mail.kind)))],
        );
        let unsubscribe = t(lang, "mail-unsubscribe");
        text.push_str(&format!("\n--\n{}\n{unsubscribe}: {u}\n", why.plain(lang)));
        html.push_str(&format!(
            "<hr><p style=\"color:#666\">{} <a href=\"{}\">{}</a></p>",
            why.html(lang),
            escape(u),
            escape(&unsubscribe)
        ));
    }
    html.push_str("</body></html>");
    RenderedMail {
        subject: format!("[{site_name}] {subject_text}"),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mail(kind: &str, lang: &str, params: Value) -> OutgoingMail {
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
            delivery: forum::delivery::QueuedDelivery {
                id: 1,
                channel: forum::delivery::MAIL.into(),
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

    fn render(m: &OutgoingMail, unsubscribe: Option<&str>) -> RenderedMail {
        render_mail(m, "Acme", "https://c.example/", unsubscribe, Lang::En)
    }

    /// One mail of every kind, with the params the forum and the CRM
    /// write for it.
    fn every_kind(lang: &str) -> Vec<OutgoingMail> {
        let thread = json!({ "actor": "Bob", "thread": "Wi-Fi drops", "excerpt": "Try channel 6" });
        vec![
            mail("reply", lang, thread.clone()),
            mail("accepted", lang, json!({ "thread": "Wi-Fi drops" })),
            mail("mention", lang, thread.clone()),
            mail("watched", lang, thread),
            mail(
                "badge",
                lang,
                json!({ "badge": "first-solution", "name": "Problem solver", "level": 1 }),
            ),
            mail(
                "escalated",
                lang,
                json!({ "thread": "Wi-Fi drops", "task": 12 }),
            ),
            mail("sla", lang, json!({ "thread": "Wi-Fi drops", "task": 12 })),
            mail(
                "kb_review",
                lang,
                json!({ "reason": "awaiting", "article": "Pairing a headset" }),
            ),
            mail(
                "account",
                lang,
                json!({ "change": "silenced", "reason": "heated replies", "until": null }),
            ),
            mail("password_reset", lang, json!({})),
            mail("email_confirm", lang, json!({})),
            mail("email_change", lang, json!({ "to": "new@example.com" })),
            mail(
                "email_changed",
                lang,
                json!({ "to": "old@example.com", "new_masked": "n***@example.com" }),
            ),
            mail(
                "digest",
                lang,
                json!({ "items": [{ "kind": "reply", "title": "Bob replied to “Printer”",
                    "params": { "actor": "Bob", "thread": "Printer" },
                    "link": "/t/1#p2", "group": "thread:1", "group_title": "Printer" }] }),
            ),
        ]
    }

    /// A message id in the output means the catalogue lacks it.
    fn assert_no_ids(text: &str) {
        for prefix in ["notify-", "mail-", "role-", "community-"] {
            assert!(!text.contains(prefix), "raw message id in {text}");
        }
    }

    #[test]
    fn every_kind_is_written_in_persian_and_russian() {
        for (lang, expected) in [
            (
                "fa",
                [
                    "[Acme] Bob به پرسش شما «Wi-Fi drops» پاسخ داد",
                    "[Acme] پاسخ شما در «Wi-Fi drops» به\u{200c}عنوان راه\u{200c}حل پذیرفته شد",
                    "[Acme] Bob در «Wi-Fi drops» به شما اشاره کرد",
                    "[Acme] فعالیت تازه در «Wi-Fi drops»",
                    "[Acme] نشان «Problem solver» را به دست آوردید",
                    "[Acme] به شما ارجاع شد: «Wi-Fi drops»",
                    "[Acme] مهلت SLA رو به پایان است: «Wi-Fi drops»",
                    "[Acme] مقالهٔ در انتظار بازبینی: Pairing a headset",
                    "[Acme] فعلاً نمی\u{200c}توانید چیزی بنویسید: heated replies",
                    "[Acme] بازنشانی گذرواژه",
                    "[Acme] نشانی ایمیل خود را تأیید کنید",
                    "[Acme] نشانی ایمیل تازهٔ خود را تأیید کنید",
                    "[Acme] نشانی ایمیل شما عوض شد",
                    "[Acme] خلاصهٔ روزانهٔ شما: ۱ به\u{200c}روزرسانی",
                ],
            ),
            (
                "ru",
                [
                    "[Acme] Bob ответил(а) на ваш вопрос «Wi-Fi drops»",
                    "[Acme] Ваш ответ в теме «Wi-Fi drops» принят как решение",
                    "[Acme] Bob упомянул(а) вас в теме «Wi-Fi drops»",
                    "[Acme] Новое в теме «Wi-Fi drops»",
                    "[Acme] Вы получили значок «Problem solver»",
                    "[Acme] Эскалировано вам: «Wi-Fi drops»",
                    "[Acme] Скоро нарушение SLA: «Wi-Fi drops»",
                    "[Acme] Статья ждёт проверки: Pairing a headset",
                    "[Acme] Вы временно не можете писать: heated replies",
                    "[Acme] Сброс пароля",
                    "[Acme] Подтвердите адрес электронной почты",
                    "[Acme] Подтвердите новый адрес электронной почты",
                    "[Acme] Адрес электронной почты изменён",
                    "[Acme] Ваша ежедневная сводка: 1 обновление",
                ],
            ),
        ] {
            for (m, subject) in every_kind(lang).iter().zip(expected) {
                let system = forum::notify::SYSTEM_KINDS.contains(&m.kind.as_str());
                let r = render(m, (!system).then_some("https://c.example/u?x=1"));
                assert_eq!(r.subject, subject, "{lang} {}", m.kind);
                let dir = if lang == "fa" { "rtl" } else { "ltr" };
                assert!(
                    r.html.starts_with(&format!(
                        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\">"
                    )),
                    "{}",
                    r.html
                );
                assert_no_ids(&r.text);
                assert_no_ids(&r.html);
            }
        }
        // The footer names the kind in the reader's words.
        let r = render(&every_kind("fa")[0], Some("https://c.example/u?x=1"));
        assert!(
            r.text.contains("«پاسخ به پرسش\u{200c}های شما»"),
            "{}",
            r.text
        );
        assert!(r.html.contains("لغو اشتراک این ایمیل\u{200c}ها"));
    }

    #[test]
    fn the_old_address_is_told_of_a_change_with_the_new_one_masked() {
        let params = json!({ "to": "old@example.com", "new_masked": "n***@example.net" });
        let mut m = mail("email_changed", "uk", params.clone());
        m.link = String::new();
        let uk = render(&m, None);
        assert_eq!(uk.subject, "[Acme] Адресу електронної пошти змінено");
        assert!(
            uk.text.contains("змінено на n***@example.net"),
            "{}",
            uk.text
        );
        assert!(uk.text.contains("службою підтримки"), "{}", uk.text);
        // Nothing to open, and no unsubscribing from it.
        assert!(!uk.text.contains("https://c.example"), "{}", uk.text);
        assert!(!uk.html.contains("<a "), "{}", uk.html);
        let mut m = mail("email_changed", "en", params);
        m.link = String::new();
        let en = render(&m, None);
        assert!(
            en.text
                .contains("was changed to n***@example.net, and mail for the account goes there"),
            "{}",
            en.text
        );
        assert!(en.text.contains("If you did not"), "{}", en.text);
    }

    #[test]
    fn mails_are_localised_with_links_and_unsubscribe() {
        let params = json!({ "actor": "Bob", "thread": "Wi-Fi drops", "excerpt": "Try channel 6" });
        let en = render(
            &mail("reply", "en", params.clone()),
            Some("https://c.example/unsubscribe?x=1"),
        );
        assert_eq!(
            en.subject,
            "[Acme] Bob replied to your question “Wi-Fi drops”"
        );
        assert!(en.text.contains("Hello Ann,") && en.text.contains("https://c.example/t/5#p9"));
        assert!(en.text.contains("> Try channel 6"));
        assert!(en.text.contains("https://c.example/unsubscribe?x=1"));
        assert!(en.text.contains("“Replies to your questions”"));
        assert!(en.html.contains("<a href=\"https://c.example/t/5#p9\">"));
        // User content keeps its own direction.
        assert!(en
            .html
            .contains("<span dir=\"auto\">Bob</span> replied to your question “<span dir=\"auto\">Wi-Fi drops</span>”"));
        let ru = render(&mail("reply", "ru", params.clone()), None);
        assert_eq!(
            ru.subject,
            "[Acme] Bob ответил(а) на ваш вопрос «Wi-Fi drops»"
        );
        assert!(!ru.text.contains("unsubscribe"));
        // Languages the interface is not written in read the fallback.
        let de = render_mail(
            &mail("reply", "de", params.clone()),
            "Acme",
            "https://c.example",
            None,
            Lang::Uk,
        );
        assert_eq!(
            de.subject,
            "[Acme] Bob відповів(-ла) на ваше запитання «Wi-Fi drops»"
        );
        let ru_ru = render(&mail("reply", "ru-RU", params), None);
        assert_eq!(ru_ru.subject, ru.subject);
    }

    #[test]
    fn unknown_kinds_and_old_rows_show_their_title() {
        let mut m = mail(
            "badge",
            "ru",
            json!({ "badge": "You earned the badge “X”" }),
        );
        m.title = "You earned the badge “X”".into();
        assert_eq!(render(&m, None).subject, "[Acme] You earned the badge “X”");
        let mut m = mail("something_new", "fa", json!({}));
        m.title = "Something happened".into();
        let r = render(&m, None);
        assert_eq!(r.subject, "[Acme] Something happened");
        assert!(r
            .html
            .contains("<h2><span dir=\"auto\">Something happened</span></h2>"));
    }

    #[test]
    fn digests_group_items_by_thread_in_the_readers_language() {
        let item = |who: &str, link: &str, group: &str, title: &str| {
            json!({ "kind": "reply", "title": format!("{who} replied to “{title}”"),
                "params": { "actor": who, "thread": title },
                "link": link, "group": group, "group_title": title })
        };
        let params = json!({ "items": [
            item("Bob", "/t/1#p2", "thread:1", "Printer"),
            item("Eve", "/t/2#p5", "thread:2", "Router"),
            item("Dan", "/t/1#p7", "thread:1", "Printer"),
            // Written before items carried their kind: the title.
            { "title": "Old line", "link": "/t/2#p9", "group": "thread:2", "group_title": "Router" },
        ]});
        let m = render(&mail("digest", "en", params.clone()), Some("http://x/u"));
        assert_eq!(m.subject, "[Acme] Your daily digest: 4 updates");
        let printer = m.text.find("Printer").unwrap();
        let router = m.text.find("Router").unwrap();
        let dan = m.text.find("Dan replied to “Printer”").unwrap();
        assert!(printer < dan && dan < router, "{}", m.text);
        assert!(m.text.contains("Old line: https://c.example/t/2#p9"));
        assert_eq!(m.html.matches("<h3>").count(), 2);
        let ru = render(&mail("digest", "ru", params), None);
        assert_eq!(ru.subject, "[Acme] Ваша ежедневная сводка: 4 обновления");
        assert!(
            ru.text.contains("Dan ответил(а) в теме «Printer»"),
            "{}",
            ru.text
        );
    }

    #[test]
    fn html_is_escaped() {
        let m = render(
            &mail("watched", "en", json!({ "thread": "<script>" })),
            None,
        );
        assert!(!m.html.contains("<script>") && m.html.contains("&lt;script&gt;"));
        let mut m = mail("other", "en", json!({}));
        m.title = "<b>".into();
        m.to_name = "<i>".into();
        let r = render(&m, None);
        assert!(
            !r.html.contains("<b>") && !r.html.contains("<i>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn bell_lines_match_the_forums_english_titles() {
        let line =
            |kind: &str, params: Value| notice_line(Lang::En, kind, "-", &params).plain(Lang::En);
        assert_eq!(
            line("reply", json!({ "actor": "Bob", "thread": "Printer" })),
            "Bob replied to “Printer”"
        );
        assert_eq!(
            line("badge", json!({ "badge": "k", "name": "Guru", "level": 3 })),
            "You earned the badge “Guru” (×3)"
        );
        assert_eq!(
            line(
                "account",
                json!({ "review": "rejected", "reason": "personal attack", "thread": "Printer" })
            ),
            "Your post in “Printer” was removed by a moderator: personal attack"
        );
        assert_eq!(
            line(
                "account",
                json!({ "review": "approved", "was": "hidden", "thread": "P" })
            ),
            "Your post in “P” is visible again"
        );
        assert_eq!(
            line("account", json!({ "change": "silenced", "reason": "" })),
            "You cannot post for now"
        );
        assert_eq!(
            line("account", json!({ "change": "role", "role": "moderator" })),
            "Your role is now: Moderator"
        );
        assert_eq!(
            line("escalated", json!({ "thread": "Printer", "task": 1234 })),
            "Task #1234 escalated: “Printer”"
        );
        // Persian digits, never grouped, in identifiers.
        assert_eq!(
            notice_line(
                Lang::Fa,
                "sla",
                "-",
                &json!({ "thread": "P", "task": 1234 })
            )
            .plain(Lang::Fa),
            "کار شمارهٔ ۱۲۳۴: مهلت SLA رو به پایان است («P»)"
        );
        // Not enough to write it: the stored title.
        assert_eq!(line("reply", json!({ "thread": "Printer" })), "-");
    }

    #[test]
    fn the_weekly_figures_are_written_in_the_admins_language() {
        let figures = json!({
            "from": 1_799_020_800_000i64, "to": 1_799_625_599_999i64,
            "questions": [1200, 980], "replies": [3, 0], "active_members": [2, 1],
            "page_views": [15000, 12000], "visits": [900, 700],
            "first_reply_median_ms": [3 * 3_600_000, null],
            "unanswered_24h_percent": [12.5, null], "deflected": [4, 2],
            "tasks_created": [7, 9], "resolved_by_community": [3, 1],
            "contacts_saved": [7, 3], "saved_cents": [150_050, 4_500], "currency": "USD",
        });
        let mut m = mail("analytics", "en", figures.clone());
        m.link = "/analytics?range=custom&from=2027-01-04&to=2027-01-10".into();
        let r = render(&m, Some("https://c.example/u"));
        assert_eq!(
            r.subject,
            "[Acme] Your community’s week in figures: 2027-01-04 to 2027-01-10"
        );
        for line in [
            "Questions: 1,200 (the week before: 980)",
            "Page views: 15,000 (the week before: 12,000)",
            "Median time to the first reply: 3 hours (the week before: —)",
            "No reply within 24 hours: 12.5 % (the week before: —)",
            "Saved: 1,500.50 USD (the week before: 45.00 USD)",
        ] {
            assert!(r.text.contains(line), "{line} in {}", r.text);
        }
        assert!(
            r.text.contains("/analytics?range=custom&from=2027-01-04"),
            "{}",
            r.text
        );
        let fa = render(
            &mail("analytics", "fa", figures),
            Some("https://c.example/u"),
        );
        assert!(fa.subject.contains("۲۰۲۷-۰۱-۰۴"), "{}", fa.subject);
        assert!(fa.text.contains("پرسش‌ها: ۱٬۲۰۰"), "{}", fa.text);
        assert!(fa.html.contains("dir=\"rtl\""));
        assert_no_ids(&fa.text);
        assert_no_ids(&r.text);
    }

    #[test]
    fn every_kind_has_a_name_and_a_description_in_every_language() {
        let english = crate::i18n::keys(Lang::En);
        for kind in forum::notify::KINDS {
            let key = kind_key(kind).unwrap_or_default();
            assert!(english.contains(&key), "{key}");
            assert!(english.contains(&format!("{key}.description")), "{key}");
        }
        for lang in Lang::ALL {
            for kind in forum::notify::KINDS {
                assert_no_ids(&kind_label(lang, kind));
            }
        }
    }
}
