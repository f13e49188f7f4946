//! Email confirmation links: issued (with their mail, in the caller's
//! transaction), spent once, expiring, and confirmation by staff.
//! Compiled per backend as `email_confirm`.

#[allow(unused_imports)]
use super::*;

use crate::notify::Notice;

/// Remove every pending link of a member (confirmed, erased or linked).
pub fn forget_all(conn: &mut Conn, user_id: i64) -> Result<()> {
    diesel::delete(email_confirmations::table.filter(email_confirmations::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}

/// A new link for `user` and its mail (the system kind `email_confirm`,
/// sent by the delivery queue), in the caller's transaction. Spent links
/// of anyone that ran out are cleared on the way.
pub fn issue(
    conn: &mut Conn,
    now: i64,
    user: &User,
    (token, token_hash): (&str, &str),
) -> Result<()> {
    send_link(
        conn,
        now,
        user.id,
        &user.email,
        (token, token_hash),
        Notice {
            user_id: user.id,
            kind: "email_confirm".into(),
            title: "Confirm your email address".into(),
            link: String::new(),
            dedupe_key: format!("confirm:{}:{}", user.id, &token_hash[..16]),
            group_key: String::new(),
            params: serde_json::json!({}),
        },
    )
}

/// Keep a live link for `email` (spent links of anyone that ran out are
/// cleared on the way) and mail it: `notice` with the link filled in.
fn send_link(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    email: &str,
    (token, token_hash): (&str, &str),
    mut notice: Notice,
) -> Result<()> {
    diesel::delete(email_confirmations::table.filter(email_confirmations::expires_at.le(now)))
        .execute(conn)?;
    diesel::insert_into(email_confirmations::table)
        .values((
            email_confirmations::token_hash.eq(token_hash),
            email_confirmations::user_id.eq(user_id),
            email_confirmations::email.eq(email),
            email_confirmations::created_at.eq(now),
            email_confirmations::expires_at.eq(now + crate::CONFIRM_TOKEN_TTL_MS),
        ))
        .execute(conn)?;
    notice.link = format!("/confirm-email/{token}");
    super::notify::deliver(conn, now, &notice)?;
    Ok(())
}

/// Whether an account other than `user_id` has the address `key` (folded).
fn email_taken(conn: &mut Conn, user_id: i64, key: &str) -> Result<bool> {
    let n: i64 = users::table
        .filter(users::email_key.eq(key))
        .filter(users::id.ne(user_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn taken() -> ForumError {
    ForumError::Taken {
        field: "email",
        message: "an account with that email already exists".into(),
    }
}

/// A fresh link for an unconfirmed member; false (nothing sent) when they
/// are confirmed already.
pub fn resend(conn: &mut Conn, now: i64, user_id: i64, token: (&str, &str)) -> Result<bool> {
    transaction(conn, |conn| {
        let user = user_by_id(conn, user_id)?.ok_or(ForumError::NotFound("member"))?;
        if user.email_confirmed_at.is_some() {
            return Ok(false);
        }
        issue(conn, now, &user, token)?;
        Ok(true)
    })
}

/// A link for a member's *new* address and its mail to that address (the
/// system kind `email_change`): the account's address changes when the
/// link is spent, proving the member reads the new one.
pub fn issue_change(
    conn: &mut Conn,
    now: i64,
    user: &User,
    new_email: &str,
    (token, token_hash): (&str, &str),
) -> Result<()> {
    transaction(conn, |conn| {
        if email_taken(conn, user.id, &crate::validate::fold_key(new_email))? {
            return Err(taken());
        }
        send_link(
            conn,
            now,
            user.id,
            new_email,
            (token, token_hash),
            Notice {
                user_id: user.id,
                kind: "email_change".into(),
                title: "Confirm your new email address".into(),
                link: String::new(),
                dedupe_key: format!("email-change:{}:{}", user.id, &token_hash[..16]),
                group_key: String::new(),
                params: serde_json::json!({ "to": new_email }),
            },
        )
    })
}

/// The member a live link was mailed to, with the address it was mailed
/// to (theirs, or the new one they asked to change to).
fn holder(conn: &mut Conn, now: i64, token_hash: &str) -> Result<Option<(User, String)>> {
    let found: Option<(i64, String)> = email_confirmations::table
        .find(token_hash)
        .filter(email_confirmations::expires_at.gt(now))
        .select((email_confirmations::user_id, email_confirmations::email))
        .first(conn)
        .optional()?;
    let Some((user_id, email)) = found else {
        return Ok(None);
    };
    Ok(user_by_id(conn, user_id)?.map(|u| (u, email)))
}

/// Whom a link would confirm, without spending it (the confirm page).
pub fn peek(conn: &mut Conn, now: i64, token_hash: &str) -> Result<Option<User>> {
    Ok(holder(conn, now, token_hash)?.map(|(u, _)| u))
}

/// Spend a link: the member is confirmed and every link of theirs is
/// gone. None: unknown, used or expired.
pub fn confirm(conn: &mut Conn, now: i64, token_hash: &str) -> Result<Option<User>> {
    transaction(conn, |conn| {
        let Some((user, email)) = holder(conn, now, token_hash)? else {
            // An expired link is of no use to anyone.
            diesel::delete(email_confirmations::table.find(token_hash)).execute(conn)?;
            return Ok(None);
        };
        let key = crate::validate::fold_key(&email);
        if key == crate::validate::fold_key(&user.email) {
            diesel::update(users::table.find(user.id))
                .filter(users::email_confirmed_at.is_null())
                .set(users::email_confirmed_at.eq(now))
                .execute(conn)?;
        } else {
            // A change of address: it must still be free.
            if email_taken(conn, user.id, &key)? {
                return Err(taken());
            }
            diesel::update(users::table.find(user.id))
                .set((
                    users::email.eq(&email),
                    users::email_key.eq(&key),
                    users::email_confirmed_at.eq(now),
                ))
                .execute(conn)?;
            super::members::audit(
                conn,
                now,
                Some(user.actor()),
                "member.email_changed",
                ("user", user.id),
                &user.email,
                &email,
                "",
            )?;
            // The old address hears of it, whatever the member's mail
            // settings (a system kind), in this transaction: if it was not
            // them, whoever reads the old mailbox learns in time.
            super::notify::deliver(
                conn,
                now,
                &Notice {
                    user_id: user.id,
                    kind: "email_changed".into(),
                    title: "Your email address was changed".into(),
                    link: String::new(),
                    dedupe_key: format!(
                        "email-changed:{}:{}",
                        user.id,
                        token_hash.get(..16).unwrap_or(token_hash)
                    ),
                    group_key: String::new(),
                    params: serde_json::json!({
                        "to": user.email,
                        "new_masked": crate::notify::mask_email(&email),
                    }),
                },
            )?;
        }
        forget_all(conn, user.id)?;
        user_by_id(conn, user.id)
    })
}

/// An administrator (or the command line, `actor` None) confirms a
/// member's address by hand; audited. Returns the member.
pub fn staff_confirm(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    reason: &str,
) -> Result<User> {
    transaction(conn, |conn| {
        if actor.is_some_and(|a| a.role != Role::Admin) {
            return Err(ForumError::Forbidden(
                "only administrators confirm an address by hand",
            ));
        }
        let user = user_by_id(conn, user_id)?.ok_or(ForumError::NotFound("member"))?;
        if user.email_confirmed_at.is_some() {
            return Ok(user);
        }
        diesel::update(users::table.find(user_id))
            .set(users::email_confirmed_at.eq(now))
            .execute(conn)?;
        forget_all(conn, user_id)?;
        super::members::audit(
            conn,
            now,
            actor,
            "member.email_confirmed",
            ("user", user_id),
            "unconfirmed",
            "confirmed",
            reason,
        )?;
        user_by_id(conn, user_id)?.ok_or(ForumError::NotFound("member"))
    })
}
