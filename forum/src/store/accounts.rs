//! Users, sessions and tokens, profiles.
//!
//! Storage code compiled once per backend (`db/sqlite_store.rs`,
//! `db/pg_store.rs`); portable diesel only.

#[allow(unused_imports)]
use super::*;

/// A new account. `email` says whether its address counts as confirmed,
/// or the confirmation link to mail (in this transaction) when it does not.
#[allow(clippy::too_many_arguments)]
pub fn insert_user(
    conn: &mut Conn,
    now: i64,
    username: &str,
    email: &str,
    display_name: &str,
    password_hash: Option<&str>,
    role: Role,
    language: &str,
    confirmation: crate::EmailConfirmation<'_>,
) -> Result<User> {
    transaction(conn, |conn| {
        let username_key = crate::validate::fold_key(username);
        let email_key = crate::validate::fold_key(email);
        let taken: i64 = users::table
            .filter(users::username_key.eq(&username_key))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::Taken {
                field: "username",
                message: format!("the username {username:?} is taken"),
            });
        }
        let taken: i64 = users::table
            .filter(users::email_key.eq(&email_key))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ForumError::Taken {
                field: "email",
                message: "an account with that email already exists".into(),
            });
        }
        let row: UserRow = diesel::insert_into(users::table)
            .values(NewUserRow {
                username,
                username_key: &username_key,
                email,
                email_key: &email_key,
                display_name,
                password_hash,
                role: role.as_str(),
                language,
                created_at: now,
                last_seen_at: now,
                email_confirmed_at: matches!(confirmation, crate::EmailConfirmation::Confirmed)
                    .then_some(now),
            })
            .returning(UserRow::as_returning())
            .get_result(conn)?;
        emit(
            conn,
            now,
            Some(row.id),
            EventBody::UserRegistered(events::UserRegistered {
                user_id: row.id,
                username: row.username.clone(),
                role: row.role.clone(),
                via: None,
            }),
        )?;
        let user = row.into_user()?;
        if let crate::EmailConfirmation::MailLink(token, hash) = confirmation {
            super::email_confirm::issue(conn, now, &user, (token, hash))?;
        }
        Ok(user)
    })
}

pub fn user_by_id(conn: &mut Conn, id: i64) -> Result<Option<User>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(UserRow::into_user)
        .transpose()
}

/// The user and password hash for a username or email.
pub fn user_for_login(conn: &mut Conn, login: &str) -> Result<Option<(User, Option<String>)>> {
    let key = crate::validate::fold_key(login);
    let row: Option<UserRow> = users::table
        .filter(users::username_key.eq(&key).or(users::email_key.eq(&key)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.password_hash.clone();
        r.into_user().map(|u| (u, hash))
    })
    .transpose()
}

pub fn set_password_hash(conn: &mut Conn, user_id: i64, hash: &str) -> Result<()> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

pub fn insert_token(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    user_id: i64,
    kind: &str,
    expires_at: i64,
) -> Result<()> {
    diesel::insert_into(auth_tokens::table)
        .values((
            auth_tokens::token_hash.eq(token_hash),
            auth_tokens::user_id.eq(user_id),
            auth_tokens::kind.eq(kind),
            auth_tokens::created_at.eq(now),
            auth_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    diesel::update(users::table.find(user_id))
        .set(users::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn user_by_token(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    kind: &str,
) -> Result<Option<User>> {
    let row: Option<UserRow> = auth_tokens::table
        .inner_join(users::table)
        .filter(auth_tokens::token_hash.eq(token_hash))
        .filter(auth_tokens::kind.eq(kind))
        .filter(auth_tokens::expires_at.gt(now))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(UserRow::into_user).transpose()
}

pub fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<()> {
    diesel::delete(auth_tokens::table.find(token_hash)).execute(conn)?;
    Ok(())
}

pub fn user_profile(conn: &mut Conn, user_id: i64, viewer: Option<Actor>) -> Result<UserProfile> {
    let user = user_by_id(conn, user_id)?.ok_or(ForumError::NotFound("user"))?;
    let visible = visible_category_ids(conn, viewer)?;
    let thread_count: i64 = threads::table
        .filter(threads::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .count()
        .get_result(conn)?;
    let reply_count: i64 = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .count()
        .get_result(conn)?;
    let accepted_answers: i64 = threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let kudos: Option<i64> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .select(diesel::dsl::sum(posts::kudos))
        .first(conn)?;
    let rows = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::author_id.eq(user_id))
        .filter(threads::deleted_at.is_null())
        .filter(threads::category_id.eq_any(&visible))
        .order(threads::created_at.desc())
        .limit(10)
        .select((
            ThreadRow::as_select(),
            UserRefRow::as_select(),
            categories::slug,
        ))
        .load::<(ThreadRow, UserRefRow, String)>(conn)?;
    Ok(UserProfile {
        user,
        thread_count,
        reply_count,
        accepted_answers,
        kudos_received: kudos.unwrap_or(0),
        recent_threads: summaries(conn, rows)?,
    })
}

/// The threads `user_id` asked that `viewer` may read, newest first, one
/// page (their profile's questions tab).
pub fn threads_by_author(
    conn: &mut Conn,
    user_id: i64,
    viewer: Option<Actor>,
    paging: crate::Paging,
) -> Result<Paged<ThreadSummary>> {
    let visible = visible_category_ids(conn, viewer)?;
    let theirs = || {
        threads::table
            .filter(threads::author_id.eq(user_id))
            .filter(threads::deleted_at.is_null())
            .filter(threads::category_id.eq_any(visible.clone()))
    };
    let total: i64 = theirs().count().get_result(conn)?;
    let rows = theirs()
        .inner_join(users::table)
        .inner_join(categories::table)
        .order((threads::created_at.desc(), threads::id.desc()))
        .limit(paging.per_page)
        .offset(paging.skip())
        .select((
            ThreadRow::as_select(),
            UserRefRow::as_select(),
            categories::slug,
        ))
        .load::<(ThreadRow, UserRefRow, String)>(conn)?;
    Ok(Paged {
        items: summaries(conn, rows)?,
        page: paging.page,
        per_page: paging.per_page,
        total,
    })
}

/// Members whose username starts with `prefix` (folded as usernames are),
/// most recently seen first: (username, display name). Banned and erased
/// accounts are left out.
pub fn mention_candidates(
    conn: &mut Conn,
    prefix: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    // `_` is common in usernames and a LIKE wildcard: escape it.
    let escaped: String = prefix
        .chars()
        .flat_map(|c| {
            let wild = matches!(c, '%' | '_' | '\\');
            wild.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect();
    Ok(users::table
        .filter(users::username_key.like(format!("{escaped}%")).escape('\\'))
        .filter(users::status.ne("banned"))
        .filter(users::username.not_like("deleted-%"))
        .order((users::last_seen_at.desc(), users::id.asc()))
        .limit(limit)
        .select((users::username, users::display_name))
        .load(conn)?)
}

/// A member's own words: display name and bio.
pub fn update_profile(
    conn: &mut Conn,
    now: i64,
    user_id: i64,
    display_name: &str,
    bio: &str,
) -> Result<()> {
    transaction(conn, |conn| {
        let n = diesel::update(users::table.find(user_id))
            .set((users::display_name.eq(display_name), users::bio.eq(bio)))
            .execute(conn)?;
        if n == 0 {
            return Err(ForumError::NotFound("user"));
        }
        emit(
            conn,
            now,
            Some(user_id),
            EventBody::UserProfileChanged(crate::events::MemberRef { user_id }),
        )
    })
}

pub fn bio_of(conn: &mut Conn, user_id: i64) -> Result<String> {
    Ok(users::table
        .find(user_id)
        .select(users::bio)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// A new password hash, and every other session and API token of the
/// member ended (all but `keep`, the session that changed it), together.
pub fn replace_password(
    conn: &mut Conn,
    user_id: i64,
    hash: &str,
    keep: Option<&str>,
) -> Result<()> {
    transaction(conn, |conn| {
        set_password_hash(conn, user_id, hash)?;
        let mut others = auth_tokens::table
            .filter(auth_tokens::user_id.eq(user_id))
            .into_boxed();
        if let Some(k) = keep {
            others = others.filter(auth_tokens::token_hash.ne(k));
        }
        let ended: Vec<String> = others.select(auth_tokens::token_hash).load(conn)?;
        diesel::delete(auth_tokens::table.filter(auth_tokens::token_hash.eq_any(&ended)))
            .execute(conn)?;
        Ok(())
    })
}
