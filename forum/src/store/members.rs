//! Members as staff see them: roles and standing changes (each with its
//! audit entry and the member's notice in the same transaction), the member
//! list, and the audit log. Compiled per backend as `members`.

#[allow(unused_imports)]
use super::*;

use crate::members::{
    AuditEntry, AuditFilter, MemberQuery, MemberStatus, MemberSummary, StandingChange, MAX_DAYS,
};
use crate::notify::Notice;

const DAY_MS: i64 = 86_400_000;

/// One audit line, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn audit(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    action: &str,
    target: (&str, i64),
    before: &str,
    after: &str,
    reason: &str,
) -> Result<()> {
    diesel::insert_into(staff_audit::table)
        .values((
            staff_audit::at.eq(now),
            staff_audit::actor_id.eq(actor.map(|a| a.user_id)),
            staff_audit::action.eq(action),
            staff_audit::target_kind.eq(target.0),
            staff_audit::target_id.eq(target.1),
            staff_audit::before_value.eq(before),
            staff_audit::after_value.eq(after),
            staff_audit::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

fn member(conn: &mut Conn, user_id: i64) -> Result<User> {
    users::table
        .find(user_id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("member"))?
        .into_user()
}

fn tell(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    title: String,
    params: serde_json::Value,
) -> Result<()> {
    super::notify::deliver(
        conn,
        now,
        &Notice {
            user_id,
            kind: "account".into(),
            title,
            link: "/notifications".into(),
            dedupe_key: format!("account:{user_id}:{now}:{}", params),
            group_key: String::new(),
            params,
        },
    )?;
    Ok(())
}

/// Give `user_id` the role `role`. `actor` None: the command line.
/// A member's own language setting (validated by the caller).
pub fn set_language(conn: &mut Conn, user_id: i64, language: &str) -> Result<User> {
    transaction(conn, |conn| {
        let found = diesel::update(users::table.find(user_id))
            .set(users::language.eq(language))
            .execute(conn)?;
        if found == 0 {
            return Err(ForumError::NotFound("member"));
        }
        member(conn, user_id)
    })
}

/// A member's own time zone (validated by the caller; None: UTC).
pub fn set_time_zone(conn: &mut Conn, user_id: i64, time_zone: Option<&str>) -> Result<User> {
    transaction(conn, |conn| {
        let found = diesel::update(users::table.find(user_id))
            .set(users::time_zone.eq(time_zone))
            .execute(conn)?;
        if found == 0 {
            return Err(ForumError::NotFound("member"));
        }
        member(conn, user_id)
    })
}

pub fn set_role(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    role: Role,
    reason: &str,
) -> Result<User> {
    transaction(conn, |conn| {
        let user = member(conn, user_id)?;
        if let Some(a) = actor {
            crate::members::may_change_role(a, user_id)?;
        }
        if user.role == role {
            return Ok(user);
        }
        diesel::update(users::table.find(user_id))
            .set(users::role.eq(role.as_str()))
            .execute(conn)?;
        audit(
            conn,
            now,
            actor,
            "member.role",
            ("user", user_id),
            user.role.as_str(),
            role.as_str(),
            reason,
        )?;
        emit(
            conn,
            now,
            actor.map(|a| a.user_id),
            EventBody::UserRoleChanged(events::UserRoleChanged {
                user_id,
                from: user.role.as_str().into(),
                to: role.as_str().into(),
                via: if actor.is_some() { "admin" } else { "cli" }.into(),
            }),
        )?;
        tell(
            conn,
            now,
            user_id,
            format!("Your role is now {}", role.as_str()),
            serde_json::json!({ "change": "role", "role": role.as_str(), "reason": reason }),
        )?;
        member(conn, user_id)
    })
}

/// Change `user_id`'s standing. Suspension and bans end every session and
/// token at once. `actor` None: the command line.
pub fn set_standing(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    change: &StandingChange,
) -> Result<User> {
    transaction(conn, |conn| {
        standing_in_tx(conn, now, actor, user_id, change, true)
    })
}

/// `set_standing` inside the caller's transaction. `check_policy` false:
/// the caller has decided who may do this (a moderator suspending a
/// spammer from the review queue).
pub(super) fn standing_in_tx(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    change: &StandingChange,
    check_policy: bool,
) -> Result<User> {
    let reason = if change.reason.trim().is_empty() {
        String::new()
    } else {
        crate::validate::line("reason", &change.reason, 500)?
    };
    if reason.is_empty() && change.status != MemberStatus::Active {
        return Err(ForumError::invalid(
            "reason",
            crate::Rule::Required,
            "give a reason: the member is told why",
        ));
    }
    if change.for_days.is_some_and(|d| d == 0 || d > MAX_DAYS) {
        return Err(ForumError::invalid(
            "for_days",
            crate::Rule::Range {
                min: 1,
                max: i64::from(MAX_DAYS),
            },
            format!("between 1 and {MAX_DAYS} days"),
        ));
    }
    let until = match change.status {
        MemberStatus::Silenced | MemberStatus::Suspended => {
            change.for_days.map(|d| now + i64::from(d) * DAY_MS)
        }
        MemberStatus::Active | MemberStatus::Banned => None,
    };
    {
        let user = member(conn, user_id)?;
        if let Some(a) = actor.filter(|_| check_policy) {
            crate::members::may_change_standing(a, user_id, user.role, change.status)?;
        }
        let before = user.standing.effective(now);
        diesel::update(users::table.find(user_id))
            .set((
                users::status.eq(change.status.as_str()),
                users::status_until.eq(until),
                users::status_reason.eq(&reason),
            ))
            .execute(conn)?;
        if matches!(
            change.status,
            MemberStatus::Suspended | MemberStatus::Banned
        ) {
            diesel::delete(auth_tokens::table.filter(auth_tokens::user_id.eq(user_id)))
                .execute(conn)?;
        }
        let after = match until {
            Some(u) => format!("{} until {u}", change.status.as_str()),
            None => change.status.as_str().to_owned(),
        };
        audit(
            conn,
            now,
            actor,
            "member.standing",
            ("user", user_id),
            before.as_str(),
            &after,
            &reason,
        )?;
        let title = match change.status {
            MemberStatus::Active => "Your account is active again".to_owned(),
            MemberStatus::Silenced => format!("You cannot post for now: {reason}"),
            MemberStatus::Suspended => format!("Your account is suspended: {reason}"),
            MemberStatus::Banned => format!("Your account is closed: {reason}"),
        };
        tell(
            conn,
            now,
            user_id,
            title,
            serde_json::json!({
                "change": change.status.as_str(), "reason": reason, "until": until,
            }),
        )?;
        member(conn, user_id)
    }
}

pub fn standing(conn: &mut Conn, user_id: i64) -> Result<crate::members::Standing> {
    Ok(member(conn, user_id)?.standing)
}

/// Members matching `q`, a page of them and how many there are.
pub fn list_members(
    conn: &mut Conn,
    q: &MemberQuery,
    rank: Option<&crate::members::RankBounds>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<MemberSummary>, i64)> {
    // The bounds are numbers from the configuration, never user text.
    let rank_sql = rank.map(|b| {
        let points =
            "COALESCE((SELECT r.points FROM user_reputation r WHERE r.user_id = users.id), 0)";
        let accepted =
            "COALESCE((SELECT r.accepted FROM user_reputation r WHERE r.user_id = users.id), 0)";
        let reaches = |(p, a): (i64, i64)| format!("({points} >= {p} AND {accepted} >= {a})");
        let mut parts = vec!["1 = 1".to_string()];
        if let Some(own) = b.at_least {
            parts.push(reaches(own));
        }
        for higher in &b.below {
            parts.push(format!("NOT {}", reaches(*higher)));
        }
        parts.join(" AND ")
    });
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let like = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
            query = query.filter(
                users::username_key
                    .like(like.clone())
                    .or(users::email_key.like(like.clone()))
                    .or(users::display_name.like(format!("%{}%", text.replace(['%', '_'], "")))),
            );
        }
        if let Some(role) = q.role {
            query = query.filter(users::role.eq(role.as_str()));
        }
        if let Some(status) = q.status {
            query = query.filter(users::status.eq(status.as_str()));
        }
        if let Some(sql) = &rank_sql {
            query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(sql));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let posts = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM posts WHERE posts.author_id = users.id AND posts.deleted_at IS NULL)",
    );
    let query = filtered();
    let query = match q.sort.as_deref() {
        Some("seen") => query.order((users::last_seen_at.desc(), users::id.desc())),
        Some("posts") => query.order((posts.clone().desc(), users::id.desc())),
        _ => query.order((users::created_at.desc(), users::id.desc())),
    };
    let rows: Vec<(UserRow, i64)> = query
        .select((UserRow::as_select(), posts))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    let members = rows
        .into_iter()
        .map(|(row, posts)| {
            let user = row.into_user()?;
            Ok(MemberSummary {
                id: user.id,
                username: user.username,
                display_name: user.display_name,
                email: user.email,
                role: user.role,
                status: user.standing.status,
                status_until: user.standing.until,
                created_at: user.created_at,
                last_seen_at: user.last_seen_at,
                posts,
                rank: String::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((members, total))
}

/// Audit entries matching `f`, newest first.
pub fn audit_log(conn: &mut Conn, f: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>> {
    let mut query = staff_audit::table
        .left_join(users::table.on(users::id.nullable().eq(staff_audit::actor_id)))
        .into_boxed();
    if let Some(a) = f.actor_id {
        query = query.filter(staff_audit::actor_id.eq(a));
    }
    if let Some(action) = &f.action {
        query = query.filter(staff_audit::action.eq(action));
    }
    if let Some(kind) = &f.target_kind {
        query = query.filter(staff_audit::target_kind.eq(kind));
    }
    if let Some(id) = f.target_id {
        query = query.filter(staff_audit::target_id.eq(id));
    }
    if let Some(before) = f.before_id {
        query = query.filter(staff_audit::id.lt(before));
    }
    type Row = (
        i64,
        i64,
        Option<i64>,
        Option<String>,
        String,
        String,
        i64,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = query
        .order(staff_audit::id.desc())
        .limit(limit)
        .select((
            staff_audit::id,
            staff_audit::at,
            staff_audit::actor_id,
            users::username.nullable(),
            staff_audit::action,
            staff_audit::target_kind,
            staff_audit::target_id,
            staff_audit::before_value,
            staff_audit::after_value,
            staff_audit::reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                at,
                actor_id,
                actor_name,
                action,
                target_kind,
                target_id,
                before,
                after,
                reason,
            )| {
                AuditEntry {
                    id,
                    at,
                    actor_id,
                    actor_name,
                    action,
                    target_kind,
                    target_id,
                    before,
                    after,
                    reason,
                }
            },
        )
        .collect())
}

/// A single-use reset link for `user_id`, issued by staff (or the command
/// line): the token, the audit entry and, with `by_mail`, the mail, in one
/// transaction.
pub fn staff_password_reset(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    (token, token_hash): (&str, &str),
    by_mail: bool,
) -> Result<()> {
    transaction(conn, |conn| {
        let user = member(conn, user_id)?;
        if actor.is_some_and(|a| a.role != Role::Admin) {
            return Err(ForumError::Forbidden("only administrators reset passwords"));
        }
        super::insert_token(
            conn,
            now,
            token_hash,
            user.id,
            "password_reset",
            now + crate::RESET_TOKEN_TTL_MS,
        )?;
        audit(
            conn,
            now,
            actor,
            "member.password_reset",
            ("user", user.id),
            "",
            if by_mail { "mailed" } else { "link shown" },
            "",
        )?;
        if by_mail {
            super::notify::deliver(
                conn,
                now,
                &Notice {
                    user_id: user.id,
                    kind: "password_reset".into(),
                    title: "Reset your password".into(),
                    link: format!("/password/reset?token={token}"),
                    dedupe_key: format!("reset:{}:{}", user.id, &token_hash[..16]),
                    group_key: String::new(),
                    params: serde_json::json!({}),
                },
            )?;
        }
        Ok(())
    })
}

/// Replace `from` with `to` in `column` of `table` where the text holds it
/// as written by Hearth (a whole JSON string value, or a leading name).
fn scrub(conn: &mut Conn, table: &str, column: &str, from: &str, to: &str) -> Result<()> {
    if from.is_empty() {
        return Ok(());
    }
    diesel::sql_query(format!(
        "UPDATE {table} SET {column} = REPLACE({column}, $1, $2) WHERE {column} LIKE $3 ESCAPE '\\'"
    ))
    .bind::<diesel::sql_types::Text, _>(from)
    .bind::<diesel::sql_types::Text, _>(to)
    .bind::<diesel::sql_types::Text, _>(format!(
        "%{}%",
        from.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    ))
    .execute(conn)?;
    Ok(())
}

/// Replace a leading `name ` in `column` of `table` with `to`.
fn scrub_leading(conn: &mut Conn, table: &str, column: &str, name: &str, to: &str) -> Result<()> {
    if name.is_empty() {
        return Ok(());
    }
    diesel::sql_query(format!(
        "UPDATE {table} SET {column} = $1 || SUBSTR({column}, LENGTH($2) + 1) \
         WHERE SUBSTR({column}, 1, LENGTH($2) + 1) = $2 || ' '"
    ))
    .bind::<diesel::sql_types::Text, _>(to)
    .bind::<diesel::sql_types::Text, _>(name)
    .execute(conn)?;
    Ok(())
}

/// Erase a member's personal data (GDPR): the account keeps its id, so
/// posts, kudos and reputation stay attributed to "Deleted member", while
/// names, addresses, password, identities, sessions, preferences, mail,
/// notifications and the CRM contact's details are removed or replaced,
/// and where other members' notices and mails name them, the name is
/// replaced too. One transaction; audited without personal data.
pub fn erase(
    conn: &mut Conn,
    now: i64,
    actor: Option<Actor>,
    user_id: i64,
    confirm: &str,
) -> Result<Vec<String>> {
    let mut avatars = Vec::new();
    transaction(conn, |conn| {
        let user = member(conn, user_id)?;
        if let Some(a) = actor {
            if a.role != Role::Admin {
                return Err(ForumError::Forbidden("only administrators erase members"));
            }
            if a.user_id == user_id {
                return Err(ForumError::Forbidden(
                    "you cannot erase your own account here",
                ));
            }
        }
        if confirm.trim() != user.username {
            return Err(ForumError::invalid(
                "confirm",
                crate::Rule::ConfirmUsername,
                "type the member's username to confirm the erasure",
            ));
        }
        let placeholder = format!("deleted-{user_id}");
        const DELETED: &str = "Deleted member";
        // Others' notices and mails that name them (titles start with the
        // actor's name: "Ann replied to …"), and staff notes.
        for table in ["notifications", "mail_outbox", "digest_items"] {
            scrub_leading(conn, table, "title", &user.display_name, DELETED)?;
        }
        scrub(conn, "crm_reminders", "note", &user.display_name, DELETED)?;
        // Mentions of them in anyone's posts follow the new name, as a
        // username change would.
        let (mention, renamed) = (format!("@{}", user.username), format!("@{placeholder}"));
        // Threads that show them, for the search index.
        let mut threads: Vec<i64> = posts::table
            .filter(
                posts::author_id.eq(user_id).or(posts::body_md
                    .like(format!(
                        "%{}%",
                        mention.replace('_', "\\_").replace('%', "\\%")
                    ))
                    .escape('\\')),
            )
            .select(posts::thread_id)
            .distinct()
            .load(conn)?;
        threads.sort_unstable();
        for (table, column) in [
            ("posts", "body_md"),
            ("posts", "body_html"),
            ("post_revisions", "body_md"),
        ] {
            scrub(conn, table, column, &mention, &renamed)?;
        }
        for (from, to) in [
            (
                format!("\"actor\":\"{}\"", json_text(&user.display_name)),
                format!("\"actor\":\"{DELETED}\""),
            ),
            (
                format!("\"username\":\"{}\"", json_text(&user.username)),
                format!("\"username\":\"{placeholder}\""),
            ),
        ] {
            for table in ["mail_outbox", "notifications", "digest_items"] {
                scrub(conn, table, "params", &from, &to)?;
            }
            scrub(conn, "outbox_events", "payload", &from, &to)?;
        }
        // Their own.
        let mails: Vec<i64> = mail_outbox::table
            .filter(mail_outbox::user_id.eq(user_id))
            .select(mail_outbox::id)
            .load(conn)?;
        diesel::delete(
            delivery_queue::table
                .filter(delivery_queue::channel.eq(crate::delivery::MAIL))
                .filter(delivery_queue::subject_id.eq_any(&mails)),
        )
        .execute(conn)?;
        diesel::delete(mail_outbox::table.filter(mail_outbox::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(digest_items::table.filter(digest_items::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(notifications::table.filter(notifications::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(subscriptions::table.filter(subscriptions::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(notification_prefs::table.filter(notification_prefs::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(member_addresses::table.filter(member_addresses::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(drafts::table.filter(drafts::user_id.eq(user_id))).execute(conn)?;
        // Their avatars (photos of them); files attached to posts stay with
        // the posts, as the posts' text does.
        avatars = uploads::table
            .filter(uploads::user_id.eq(user_id))
            .filter(uploads::purpose.eq("avatar"))
            .select(uploads::storage_key)
            .load(conn)?;
        diesel::delete(member_avatars::table.find(user_id)).execute(conn)?;
        diesel::delete(uploads::table.filter(uploads::storage_key.eq_any(&avatars)))
            .execute(conn)?;
        // Their reports stay (they weighed in decisions); what they typed goes.
        diesel::update(flags::table.filter(flags::flagger_id.eq(user_id)))
            .set(flags::note.eq(""))
            .execute(conn)?;
        let tokens: Vec<String> = auth_tokens::table
            .filter(auth_tokens::user_id.eq(user_id))
            .select(auth_tokens::token_hash)
            .load(conn)?;
        diesel::delete(sso_sessions::table.filter(sso_sessions::token_hash.eq_any(&tokens)))
            .execute(conn)?;
        diesel::delete(auth_tokens::table.filter(auth_tokens::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(user_identities::table.filter(user_identities::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::delete(sso_pending_links::table.filter(sso_pending_links::user_id.eq(user_id)))
            .execute(conn)?;
        super::email_confirm::forget_all(conn, user_id)?;
        diesel::delete(login_failures::table.filter(login_failures::key.eq_any([
            format!("acct:{}", user.username.to_lowercase()),
            format!("acct:{}", user.email.to_lowercase()),
        ])))
        .execute(conn)?;
        diesel::update(ask_sessions::table.filter(ask_sessions::user_id.eq(user_id)))
            .set(ask_sessions::user_id.eq(None::<i64>))
            .execute(conn)?;
        diesel::update(crm_contacts::table.find(user_id))
            .set((
                crm_contacts::company.eq(""),
                crm_contacts::tags.eq(""),
                crm_contacts::notes.eq(""),
                crm_contacts::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(users::table.find(user_id))
            .set((
                users::username.eq(&placeholder),
                users::username_key.eq(&placeholder),
                users::email.eq(format!("{placeholder}@erased.invalid")),
                users::email_key.eq(format!("{placeholder}@erased.invalid")),
                users::display_name.eq(DELETED),
                users::bio.eq(""),
                users::time_zone.eq(None::<String>),
                users::password_hash.eq(None::<String>),
                users::status.eq("banned"),
                users::status_until.eq(None::<i64>),
                users::status_reason.eq("erased"),
            ))
            .execute(conn)?;
        audit(
            conn,
            now,
            actor,
            "member.erased",
            ("user", user_id),
            "",
            "erased",
            "",
        )?;
        emit(
            conn,
            now,
            actor.map(|a| a.user_id),
            EventBody::UserErased(events::UserErased { user_id, threads }),
        )?;
        Ok(())
    })?;
    Ok(avatars)
}

/// `s` as it appears inside a JSON string written by serde_json.
fn json_text(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Remember that `user_id` signed in or registered from `address`.
pub fn record_address(conn: &mut Conn, now: i64, user_id: i64, address: &str) -> Result<()> {
    if address.is_empty() {
        return Ok(());
    }
    diesel::insert_into(member_addresses::table)
        .values((
            member_addresses::user_id.eq(user_id),
            member_addresses::address.eq(address),
            member_addresses::first_seen.eq(now),
            member_addresses::last_seen.eq(now),
            member_addresses::times.eq(1),
        ))
        .on_conflict((member_addresses::user_id, member_addresses::address))
        .do_update()
        .set((
            member_addresses::last_seen.eq(now),
            member_addresses::times.eq(member_addresses::times + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// A member's addresses, most recent first, each with how many other
/// accounts were seen at it.
pub fn addresses_of(conn: &mut Conn, user_id: i64) -> Result<Vec<crate::members::SeenAddress>> {
    let rows: Vec<(String, i64, i64, i32)> = member_addresses::table
        .filter(member_addresses::user_id.eq(user_id))
        .order(member_addresses::last_seen.desc())
        .limit(50)
        .select((
            member_addresses::address,
            member_addresses::first_seen,
            member_addresses::last_seen,
            member_addresses::times,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (address, first_seen, last_seen, times) in rows {
        let others: i64 = member_addresses::table
            .filter(member_addresses::address.eq(&address))
            .filter(member_addresses::user_id.ne(user_id))
            .count()
            .get_result(conn)?;
        out.push(crate::members::SeenAddress {
            address,
            first_seen,
            last_seen,
            times: i64::from(times),
            other_accounts: others,
        });
    }
    Ok(out)
}

/// Members who joined and posts written since `since`.
pub fn activity_since(conn: &mut Conn, since: i64) -> Result<(i64, i64)> {
    let joined: i64 = users::table
        .filter(users::created_at.ge(since))
        .count()
        .get_result(conn)?;
    let posts: i64 = posts::table
        .filter(posts::created_at.ge(since))
        .count()
        .get_result(conn)?;
    Ok((joined, posts))
}
