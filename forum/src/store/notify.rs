//! Notifications, subscriptions, preferences, the mail outbox, digests and
//! login throttling; compiled per backend (`db/sqlite_store.rs`, `db/pg_store.rs`) as `notify`.

#[allow(unused_imports)]
use super::*;

use crate::notify::{
    excerpt, mentions, Notice, OutgoingMail, Subscription, MAIL_ONLY_KINDS, SECRET_LINK_KINDS,
    SYSTEM_KINDS,
};

const CONSUMER: &str = crate::notify::OUTBOX_CONSUMER;

pub fn pref(conn: &mut Conn, user_id: i64, kind: &str) -> Result<Option<String>> {
    Ok(notification_prefs::table
        .find((user_id, kind))
        .select(notification_prefs::mode)
        .first(conn)
        .optional()?)
}

/// Record a notice: in the bell, and by mail now or in the digest, as the
/// member prefers. False when it was recorded before (a replay).
pub fn deliver(conn: &mut Conn, now: i64, n: &Notice) -> Result<bool> {
    let system = SYSTEM_KINDS.contains(&n.kind.as_str());
    let params = n.params.to_string();
    // A reset or confirmation link is a secret: it goes by mail only,
    // never to the bell; so does the word to an old address.
    if !MAIL_ONLY_KINDS.contains(&n.kind.as_str()) {
        let inserted = diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(n.user_id),
                notifications::kind.eq(&n.kind),
                notifications::title.eq(&n.title),
                notifications::link.eq(&n.link),
                notifications::dedupe_key.eq(&n.dedupe_key),
                notifications::created_at.eq(now),
                notifications::params.eq(&params),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if inserted == 0 {
            return Ok(false);
        }
    }
    let mode = if system {
        "instant".to_string()
    } else {
        pref(conn, n.user_id, &n.kind)?.unwrap_or_else(|| "instant".into())
    };
    let inserted = match mode.as_str() {
        "instant" => queue_mail(
            conn,
            now,
            &MailContent {
                user_id: n.user_id,
                kind: &n.kind,
                dedupe_key: &n.dedupe_key,
                title: &n.title,
                link: &n.link,
                group_key: &n.group_key,
                params: params.clone(),
            },
        )?,
        "digest" => diesel::insert_into(digest_items::table)
            .values((
                digest_items::user_id.eq(n.user_id),
                digest_items::kind.eq(&n.kind),
                digest_items::title.eq(&n.title),
                digest_items::link.eq(&n.link),
                digest_items::group_key.eq(&n.group_key),
                digest_items::dedupe_key.eq(&n.dedupe_key),
                digest_items::created_at.eq(now),
                digest_items::params.eq(&params),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?,
        _ => 1,
    };
    Ok(inserted > 0)
}

pub fn deliver_tx(conn: &mut Conn, now: i64, n: &Notice) -> Result<bool> {
    transaction(conn, |conn| deliver(conn, now, n))
}

fn display_name(conn: &mut Conn, user_id: i64) -> Result<String> {
    Ok(users::table
        .find(user_id)
        .select(users::display_name)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

fn watchers(conn: &mut Conn, kind: &str, id: i64) -> Result<Vec<i64>> {
    Ok(subscriptions::table
        .filter(subscriptions::target_kind.eq(kind))
        .filter(subscriptions::target_id.eq(id))
        .select(subscriptions::user_id)
        .load(conn)?)
}

/// Who hears about one new post or thread, each once, by precedence:
/// the asker (reply), people mentioned, then watchers.
fn post_notices(
    conn: &mut Conn,
    e: &Event,
    thread_id: i64,
    post_id: i64,
    author: i64,
    is_thread: bool,
) -> Result<Vec<Notice>> {
    let Some((title, category_id, asker)): Option<(String, i64, i64)> = threads::table
        .find(thread_id)
        .select((threads::title, threads::category_id, threads::author_id))
        .first(conn)
        .optional()?
    else {
        return Ok(Vec::new());
    };
    let see_min_role: Role = categories::table
        .find(category_id)
        .select(categories::see_min_role)
        .first::<String>(conn)
        .optional()?
        .map_or(Role::Customer, |r| r.parse().unwrap_or(Role::Admin));
    let body: String = posts::table
        .find(post_id)
        .select(posts::body_md)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let actor = display_name(conn, author)?;
    let params =
        serde_json::json!({ "actor": actor, "thread": title, "excerpt": excerpt(&body, 280) });
    let link = if is_thread {
        format!("/t/{thread_id}")
    } else {
        format!("/t/{thread_id}#p{post_id}")
    };
    let mut told: Vec<i64> = vec![author];
    let mut out = Vec::new();
    let mut push = |user_id: i64, kind: &str, title: String, told: &mut Vec<i64>| {
        if !told.contains(&user_id) {
            told.push(user_id);
            out.push(Notice {
                user_id,
                kind: kind.into(),
                title,
                link: link.clone(),
                dedupe_key: format!("n:{}:{user_id}", e.id),
                group_key: format!("thread:{thread_id}"),
                params: params.clone(),
            });
        }
    };
    if !is_thread {
        push(
            asker,
            "reply",
            format!("{actor} replied to “{title}”"),
            &mut told,
        );
    }
    for name in mentions(&body) {
        let found: Option<(i64, String)> = users::table
            .filter(users::username_key.eq(name.to_lowercase()))
            .select((users::id, users::role))
            .first(conn)
            .optional()?;
        if let Some((uid, role)) = found {
            // In a board not for everyone only those who can read it are told.
            let role: Role = role.parse().unwrap_or(Role::Customer);
            if role >= see_min_role {
                push(
                    uid,
                    "mention",
                    format!("{actor} mentioned you in “{title}”"),
                    &mut told,
                );
            }
        }
    }
    let mut watching = watchers(conn, "category", category_id)?;
    if !is_thread {
        watching.extend(watchers(conn, "thread", thread_id)?);
    }
    for uid in watching {
        push(
            uid,
            "watched",
            format!("New activity in “{title}”"),
            &mut told,
        );
    }
    Ok(out)
}

fn apply_events(conn: &mut Conn, now: i64, events: &[Event]) -> Result<()> {
    for e in events {
        let notices = match &e.body {
            EventBody::ThreadCreated(p) => {
                post_notices(conn, e, p.thread_id, p.post_id, p.author_id, true)?
            }
            EventBody::PostCreated(p) => {
                post_notices(conn, e, p.thread_id, p.post_id, p.author_id, false)?
            }
            EventBody::SolutionAccepted(p) => {
                let (t, p, author) = (p.thread_id, p.post_id, p.answer_author_id);
                if Some(author) == e.actor_id {
                    continue;
                }
                let title: String = threads::table
                    .find(t)
                    .select(threads::title)
                    .first(conn)
                    .optional()?
                    .unwrap_or_default();
                vec![Notice {
                    user_id: author,
                    kind: "accepted".into(),
                    title: format!("Your answer in “{title}” was accepted"),
                    link: format!("/t/{t}#p{p}"),
                    dedupe_key: format!("n:{}:{author}", e.id),
                    group_key: format!("thread:{t}"),
                    params: serde_json::json!({ "thread": title }),
                }]
            }
            EventBody::IdeaStatusChanged(p) => super::idea_store::status_notices(conn, e, p)?,
            _ => continue,
        };
        for n in &notices {
            deliver(conn, now, n)?;
        }
    }
    Ok(())
}

/// An event that tells more members than this (an idea's status change
/// to thousands of voters) is delivered ahead of the consumer's batch in
/// transactions of this many notices, so it never holds the write lock
/// (SQLite has one) for long. Dedupe keys make the batch's own pass over
/// the same notices a no-op, and a crash in between a replay.
const FAN_OUT_CHUNK: usize = 500;

pub fn process(conn: &mut Conn, now: i64, limit: i64) -> Result<usize> {
    deliver_large_fan_outs_ahead(conn, now, limit)?;
    poll_events_in_tx(conn, now, CONSUMER, limit, &mut |conn, events| {
        apply_events(conn, now, events)
    })
}

fn deliver_large_fan_outs_ahead(conn: &mut Conn, now: i64, limit: i64) -> Result<()> {
    let Some(from) = consumer_position(conn, CONSUMER)? else {
        return Ok(());
    };
    let (events, _) = read_events_after(conn, now, CONSUMER, from, limit)?;
    for e in &events {
        let EventBody::IdeaStatusChanged(p) = &e.body else {
            continue;
        };
        let notices = super::idea_store::status_notices(conn, e, p)?;
        if notices.len() <= FAN_OUT_CHUNK {
            continue;
        }
        for chunk in notices.chunks(FAN_OUT_CHUNK) {
            transaction(conn, |conn| {
                for n in chunk {
                    deliver(conn, now, n)?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- subscriptions and preferences

pub fn set_subscription(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    kind: &str,
    target: i64,
    on: bool,
) -> Result<()> {
    if on {
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::user_id.eq(user_id),
                subscriptions::target_kind.eq(kind),
                subscriptions::target_id.eq(target),
                subscriptions::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    } else {
        diesel::delete(subscriptions::table.find((user_id, kind, target))).execute(conn)?;
    }
    Ok(())
}

pub fn is_subscribed(conn: &mut Conn, user_id: i64, kind: &str, target: i64) -> Result<bool> {
    Ok(subscriptions::table
        .find((user_id, kind, target))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn subscriptions_of(conn: &mut Conn, user_id: i64) -> Result<Vec<Subscription>> {
    let rows: Vec<(String, i64)> = subscriptions::table
        .filter(subscriptions::user_id.eq(user_id))
        .order(subscriptions::created_at.desc())
        .select((subscriptions::target_kind, subscriptions::target_id))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (kind, id) in rows {
        let title: Option<String> = if kind == "thread" {
            threads::table
                .find(id)
                .select(threads::title)
                .first(conn)
                .optional()?
        } else {
            categories::table
                .find(id)
                .select(categories::name)
                .first(conn)
                .optional()?
        };
        out.push(Subscription {
            target_kind: kind,
            target_id: id,
            title: title.unwrap_or_default(),
        });
    }
    Ok(out)
}

pub fn prefs_of(conn: &mut Conn, user_id: i64) -> Result<Vec<(String, String)>> {
    Ok(notification_prefs::table
        .filter(notification_prefs::user_id.eq(user_id))
        .select((notification_prefs::kind, notification_prefs::mode))
        .load(conn)?)
}

pub fn set_pref(conn: &mut Conn, user_id: i64, kind: &str, mode: &str) -> Result<()> {
    diesel::insert_into(notification_prefs::table)
        .values((
            notification_prefs::user_id.eq(user_id),
            notification_prefs::kind.eq(kind),
            notification_prefs::mode.eq(mode),
        ))
        .on_conflict((notification_prefs::user_id, notification_prefs::kind))
        .do_update()
        .set(notification_prefs::mode.eq(mode))
        .execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------- the mail outbox

type MailRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// What a mail says; its sending state lives in the delivery queue.
struct MailContent<'a> {
    user_id: i64,
    kind: &'a str,
    dedupe_key: &'a str,
    title: &'a str,
    link: &'a str,
    group_key: &'a str,
    params: String,
}

/// Write a mail and queue it, unless its cause already did (the dedupe
/// key). Returns how many were queued (0 or 1).
fn queue_mail(conn: &mut Conn, now: i64, m: &MailContent<'_>) -> Result<usize> {
    let id: Option<i64> = diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::user_id.eq(m.user_id),
            mail_outbox::kind.eq(m.kind),
            mail_outbox::dedupe_key.eq(m.dedupe_key),
            mail_outbox::title.eq(m.title),
            mail_outbox::link.eq(m.link),
            mail_outbox::group_key.eq(m.group_key),
            mail_outbox::params.eq(&m.params),
            mail_outbox::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(mail_outbox::id)
        .get_result(conn)
        .optional()?;
    let Some(id) = id else { return Ok(0) };
    super::delivery::enqueue(
        conn,
        now,
        crate::delivery::NewDelivery {
            channel: crate::delivery::MAIL,
            kind: "mail",
            subject_id: id,
            ref_id: 0,
            coalesce: false,
        },
    )?;
    Ok(1)
}

/// Lease due mails from the delivery queue, with what each says and to
/// whom. A mail whose row is gone (its member was erased) is done.
pub fn claim(conn: &mut Conn, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<OutgoingMail>> {
    transaction(conn, |conn| {
        let items = super::delivery::claim_in(conn, now, crate::delivery::MAIL, lease_ms, limit)?;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = items.iter().map(|i| i.subject_id).collect();
        let rows: Vec<MailRow> = mail_outbox::table
            .inner_join(users::table.on(users::id.eq(mail_outbox::user_id)))
            .filter(mail_outbox::id.eq_any(&ids))
            .select((
                mail_outbox::id,
                mail_outbox::user_id,
                mail_outbox::kind,
                mail_outbox::title,
                mail_outbox::link,
                mail_outbox::group_key,
                mail_outbox::params,
                users::email,
                users::display_name,
                users::language,
            ))
            .load(conn)?;
        let mut rows: std::collections::HashMap<i64, MailRow> =
            rows.into_iter().map(|r| (r.0, r)).collect();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Some((
                id,
                user_id,
                kind,
                title,
                link,
                group_key,
                params,
                to_email,
                to_name,
                language,
            )) = rows.remove(&item.subject_id)
            else {
                super::delivery::finish(conn, now, item.stamp())?;
                continue;
            };
            let params: serde_json::Value = match serde_json::from_str(&params) {
                Ok(p) => p,
                Err(e) => {
                    // Written by us as JSON; if it is not, say so instead of
                    // sending a mail with empty blanks.
                    let retry = crate::delivery::Retry {
                        attempts: item.attempts + 1,
                        next_at: None,
                    };
                    super::delivery::fail(
                        conn,
                        item.stamp(),
                        retry,
                        &format!("unreadable params: {e}"),
                    )?;
                    continue;
                }
            };
            // A change of address is confirmed at the new address, and
            // the old one is told when it is done.
            let to_email = match (
                kind.as_str(),
                params.get("to").and_then(serde_json::Value::as_str),
            ) {
                ("email_change" | "email_changed", Some(to)) => to.to_string(),
                _ => to_email,
            };
            out.push(OutgoingMail {
                id,
                user_id,
                kind,
                title,
                link,
                group_key,
                params,
                attempts: item.attempts,
                to_email,
                to_name,
                language,
                delivery: item,
            });
        }
        Ok(out)
    })
}

/// Sent: the queue item is done and the mail stamped, together.
pub fn mark_sent(
    conn: &mut Conn,
    now: i64,
    mail_id: i64,
    stamp: crate::delivery::Stamp,
) -> Result<()> {
    transaction(conn, |conn| {
        super::delivery::finish(conn, now, stamp)?;
        diesel::update(mail_outbox::table.find(mail_id))
            .set(mail_outbox::sent_at.eq(now))
            .execute(conn)?;
        // A sent reset or confirmation link need not stay in the database.
        diesel::update(
            mail_outbox::table
                .find(mail_id)
                .filter(mail_outbox::kind.eq_any(SECRET_LINK_KINDS)),
        )
        .set(mail_outbox::link.eq(""))
        .execute(conn)?;
        Ok(())
    })
}

/// One digest mail per member whose oldest waiting item is `period_ms` old.
pub fn queue_digests(conn: &mut Conn, now: i64, period_ms: i64) -> Result<usize> {
    let due: Vec<i64> = digest_items::table
        .filter(digest_items::mailed_at.is_null())
        .group_by(digest_items::user_id)
        .having(diesel::dsl::min(digest_items::created_at).le(now - period_ms))
        .select(digest_items::user_id)
        .load(conn)?;
    let mut queued = 0;
    for user_id in due {
        queued += transaction(conn, |conn| {
            let items: Vec<(i64, String, String, String, String, String)> = digest_items::table
                .filter(digest_items::user_id.eq(user_id))
                .filter(digest_items::mailed_at.is_null())
                .order(digest_items::id.asc())
                .select((
                    digest_items::id,
                    digest_items::kind,
                    digest_items::title,
                    digest_items::link,
                    digest_items::group_key,
                    digest_items::params,
                ))
                .load(conn)?;
            let Some(last) = items.last().map(|i| i.0) else {
                return Ok(0);
            };
            let mut list = Vec::with_capacity(items.len());
            for (_, kind, title, link, group, params) in &items {
                // Each line is written in the reader's language when the mail
                // is rendered; the English title is its fallback.
                let params: serde_json::Value =
                    serde_json::from_str(params).unwrap_or_else(|_| serde_json::json!({}));
                let group_title: String = match group
                    .strip_prefix("thread:")
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(t) => threads::table
                        .find(t)
                        .select(threads::title)
                        .first(conn)
                        .optional()?
                        .unwrap_or_default(),
                    None => String::new(),
                };
                list.push(serde_json::json!({
                    "kind": kind, "title": title, "params": params, "link": link,
                    "group": group, "group_title": group_title,
                }));
            }
            let ids: Vec<i64> = items.iter().map(|i| i.0).collect();
            diesel::update(digest_items::table.filter(digest_items::id.eq_any(&ids)))
                .set(digest_items::mailed_at.eq(now))
                .execute(conn)?;
            queue_mail(
                conn,
                now,
                &MailContent {
                    user_id,
                    kind: "digest",
                    dedupe_key: &format!("digest:{user_id}:{last}"),
                    title: &format!("{} updates", items.len()),
                    link: "/notifications",
                    group_key: "",
                    params: serde_json::json!({ "items": list }).to_string(),
                },
            )?;
            Ok(1)
        })?;
    }
    Ok(queued)
}

// ---------------------------------------------------------------- password reset and throttling

/// Spend a reset token: new password, token gone, sessions ended.
pub fn reset_password(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    password_hash: &str,
) -> Result<Option<User>> {
    transaction(conn, |conn| {
        let Some(user) = user_by_token(conn, now, token_hash, "password_reset")? else {
            return Ok(None);
        };
        set_password_hash(conn, user.id, password_hash)?;
        diesel::delete(
            auth_tokens::table
                .filter(auth_tokens::user_id.eq(user.id))
                .filter(auth_tokens::kind.eq_any(["password_reset", "session"])),
        )
        .execute(conn)?;
        Ok(Some(user))
    })
}

/// Count one sign-in attempt on `key` before its password is checked,
/// atomically on both backends: the increment is a single UPDATE, so any
/// number of parallel attempts get distinct counts and at most `limit` of
/// them are let through per window. Returns the lock's end when this
/// attempt is refused.
pub fn count_attempt(
    conn: &mut Conn,
    now: i64,
    key: &str,
    limit: i32,
    window_ms: i64,
    lock_ms: i64,
) -> Result<Option<i64>> {
    use login_failures as l;
    diesel::insert_into(l::table)
        .values((
            l::key.eq(key),
            l::failures.eq(0),
            l::window_start.eq(now),
            l::locked_until.eq(None::<i64>),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    // A window that ran out, or a lock that did, starts a new count. The
    // condition makes the reset happen once however many race to do it.
    diesel::update(l::table.find(key))
        .filter(
            l::locked_until
                .is_null()
                .and(l::window_start.le(now - window_ms))
                .or(l::locked_until.le(now)),
        )
        .set((
            l::failures.eq(0),
            l::window_start.eq(now),
            l::locked_until.eq(None::<i64>),
        ))
        .execute(conn)?;
    let (count, locked): (i32, Option<i64>) = diesel::update(l::table.find(key))
        .set(l::failures.eq(l::failures + 1))
        .returning((l::failures, l::locked_until))
        .get_result(conn)?;
    if let Some(until) = locked.filter(|u| *u > now) {
        return Ok(Some(until));
    }
    if count > limit {
        let until = now + lock_ms;
        diesel::update(l::table.find(key))
            .filter(l::locked_until.is_null().or(l::locked_until.le(now)))
            .set(l::locked_until.eq(until))
            .execute(conn)?;
        return Ok(Some(until));
    }
    Ok(None)
}

/// A successful sign-in gives its attempt back to a shared key (an address).
pub fn refund_attempt(conn: &mut Conn, key: &str) -> Result<()> {
    use login_failures as l;
    diesel::update(l::table.find(key))
        .filter(l::failures.gt(0))
        .set(l::failures.eq(l::failures - 1))
        .execute(conn)?;
    Ok(())
}

pub fn clear_failures(conn: &mut Conn, key: &str) -> Result<()> {
    diesel::delete(login_failures::table.find(key)).execute(conn)?;
    Ok(())
}
