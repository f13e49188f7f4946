//! Single sign-on storage, compiled per backend (`db/sqlite_store.rs`, `db/pg_store.rs`) as `…_store::sso`:
//! pending authorization flows, linked provider identities, offers to link
//! an existing account, and the ID tokens behind SSO sessions.

#[allow(unused_imports)]
use super::*;

use crate::sso::{NewSsoAccount, NewSsoFlow, PendingLink, SsoFlow, SsoSession, SSO_FLOW_TTL_MS};

type FlowRow = (String, String, String, String, String, String, i64);

fn flow_from_row(r: FlowRow) -> SsoFlow {
    SsoFlow {
        state: r.0,
        provider: r.1,
        nonce: r.2,
        pkce_verifier: r.3,
        next: r.4,
        browser_key: r.5,
        created_at: r.6,
    }
}

const FLOW_COLUMNS: (
    sso_flows::state,
    sso_flows::provider,
    sso_flows::nonce,
    sso_flows::pkce_verifier,
    sso_flows::next,
    sso_flows::browser_key,
    sso_flows::created_at,
) = (
    sso_flows::state,
    sso_flows::provider,
    sso_flows::nonce,
    sso_flows::pkce_verifier,
    sso_flows::next,
    sso_flows::browser_key,
    sso_flows::created_at,
);

/// Store a started flow, dropping flows and link offers that have expired.
pub fn insert_flow(conn: &mut Conn, now: i64, flow: &NewSsoFlow) -> Result<()> {
    let cutoff = now - SSO_FLOW_TTL_MS;
    diesel::delete(sso_flows::table.filter(sso_flows::created_at.lt(cutoff))).execute(conn)?;
    diesel::delete(sso_pending_links::table.filter(sso_pending_links::created_at.lt(cutoff)))
        .execute(conn)?;
    diesel::insert_into(sso_flows::table)
        .values((
            sso_flows::state.eq(&flow.state),
            sso_flows::provider.eq(&flow.provider),
            sso_flows::nonce.eq(&flow.nonce),
            sso_flows::pkce_verifier.eq(&flow.pkce_verifier),
            sso_flows::next.eq(&flow.next),
            sso_flows::browser_key.eq(&flow.browser_key),
            sso_flows::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Remove and return the flow for `state`: one statement, so two callbacks
/// with the same state can never both get it.
pub fn take_flow(conn: &mut Conn, state: &str) -> Result<Option<SsoFlow>> {
    let row: Option<FlowRow> = diesel::delete(sso_flows::table.find(state))
        .returning(FLOW_COLUMNS)
        .get_result(conn)
        .optional()?;
    Ok(row.map(flow_from_row))
}

fn user_row(conn: &mut Conn, user_id: i64) -> Result<User> {
    users::table
        .find(user_id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ForumError::NotFound("user"))?
        .into_user()
}

/// Give the user `role` if they have another one; records the change.
fn apply_role(conn: &mut Conn, now: i64, user: User, role: Role, provider: &str) -> Result<User> {
    if user.role == role {
        return Ok(user);
    }
    diesel::update(users::table.find(user.id))
        .set(users::role.eq(role.as_str()))
        .execute(conn)?;
    emit(
        conn,
        now,
        None,
        EventBody::UserRoleChanged(events::UserRoleChanged {
            user_id: user.id,
            from: user.role.as_str().into(),
            to: role.as_str().into(),
            via: provider.into(),
        }),
    )?;
    Ok(User { role, ..user })
}

/// The user a provider identity belongs to, with `role` applied.
pub fn sign_in_identity(
    conn: &mut Conn,
    now: i64,
    provider: &str,
    subject: &str,
    role: Role,
) -> Result<Option<User>> {
    transaction(conn, |conn| {
        let user_id: Option<i64> = user_identities::table
            .find((provider, subject))
            .select(user_identities::user_id)
            .first(conn)
            .optional()?;
        let Some(user_id) = user_id else {
            return Ok(None);
        };
        let user = user_row(conn, user_id)?;
        apply_role(conn, now, user, role, provider).map(Some)
    })
}

fn insert_identity(
    conn: &mut Conn,
    now: i64,
    provider: &str,
    subject: &str,
    user_id: i64,
) -> Result<()> {
    let taken: i64 = user_identities::table
        .find((provider, subject))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ForumError::Conflict(format!(
            "this {provider} account is already linked to a Hearth account"
        )));
    }
    diesel::insert_into(user_identities::table)
        .values((
            user_identities::provider.eq(provider),
            user_identities::subject.eq(subject),
            user_identities::user_id.eq(user_id),
            user_identities::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn username_free(conn: &mut Conn, candidate: &str) -> Result<bool> {
    let key = crate::validate::fold_key(candidate);
    let n: i64 = users::table
        .filter(users::username_key.eq(&key))
        .count()
        .get_result(conn)?;
    Ok(n == 0)
}

fn email_free(conn: &mut Conn, email: &str) -> Result<bool> {
    let key = crate::validate::fold_key(email);
    let n: i64 = users::table
        .filter(users::email_key.eq(&key))
        .count()
        .get_result(conn)?;
    Ok(n == 0)
}

/// Create a password-less account and its identity in one transaction:
/// either both exist afterwards or neither does.
pub fn create_account(conn: &mut Conn, now: i64, acct: &NewSsoAccount) -> Result<User> {
    transaction(conn, |conn| {
        let mut username = None;
        for n in 1..=100 {
            let candidate = crate::sso::username_with_suffix(&acct.username_base, n);
            if username_free(conn, &candidate)? {
                username = Some(candidate);
                break;
            }
        }
        let username = match username {
            Some(u) => u,
            None => {
                let (random, _) = crate::auth::new_token();
                let candidate = crate::sso::username_with_suffix(
                    &format!("{}-{}", acct.username_base, &random[..8]),
                    1,
                );
                if !username_free(conn, &candidate)? {
                    return Err(ForumError::Conflict("no free username was found".into()));
                }
                candidate
            }
        };
        let email = match acct.email.as_deref() {
            Some(e) if crate::validate::email(e).is_ok() && email_free(conn, e)? => e.to_string(),
            _ => crate::sso::placeholder_email(&acct.provider, &acct.subject),
        };
        // Claims come from the identity provider: cleaned, never refused.
        let display =
            crate::validate::display_name_lenient(acct.display_name.as_deref(), &username);
        let username_key = crate::validate::fold_key(&username);
        let email_key = crate::validate::fold_key(&email);
        let row: UserRow = diesel::insert_into(users::table)
            .values(NewUserRow {
                username: &username,
                username_key: &username_key,
                email: &email,
                email_key: &email_key,
                display_name: &display,
                password_hash: None,
                role: acct.role.as_str(),
                language: "en",
                created_at: now,
                last_seen_at: now,
                // The provider vouches, unless it said the address is not
                // verified.
                email_confirmed_at: acct.email_confirmed.then_some(now),
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
                via: Some(acct.provider.to_string()),
            }),
        )?;
        insert_identity(conn, now, &acct.provider, &acct.subject, row.id)?;
        row.into_user()
    })
}

/// Link a provider identity to an existing user and apply `role`.
pub fn link_identity(
    conn: &mut Conn,
    now: i64,
    provider: &str,
    subject: &str,
    user_id: i64,
    role: Role,
) -> Result<User> {
    transaction(conn, |conn| {
        let user = user_row(conn, user_id)?;
        insert_identity(conn, now, provider, subject, user_id)?;
        // Links are only offered when the provider verified this very
        // address (`sso::link_candidate`): that confirms it.
        diesel::update(users::table.find(user_id))
            .filter(users::email_confirmed_at.is_null())
            .set(users::email_confirmed_at.eq(now))
            .execute(conn)?;
        super::email_confirm::forget_all(conn, user_id)?;
        apply_role(conn, now, user, role, provider)
    })
}

pub fn insert_pending_link(conn: &mut Conn, now: i64, link: &PendingLink) -> Result<()> {
    diesel::insert_into(sso_pending_links::table)
        .values((
            sso_pending_links::token.eq(&link.token),
            sso_pending_links::provider.eq(&link.provider),
            sso_pending_links::subject.eq(&link.subject),
            sso_pending_links::user_id.eq(link.user_id),
            sso_pending_links::role.eq(link.role.as_str()),
            sso_pending_links::next.eq(&link.next),
            sso_pending_links::id_token.eq(&link.id_token),
            sso_pending_links::browser_key.eq(&link.browser_key),
            sso_pending_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

type LinkRow = (
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    i64,
);

pub fn take_pending_link(conn: &mut Conn, token: &str) -> Result<Option<PendingLink>> {
    let row: Option<LinkRow> = diesel::delete(sso_pending_links::table.find(token))
        .returning((
            sso_pending_links::token,
            sso_pending_links::provider,
            sso_pending_links::subject,
            sso_pending_links::user_id,
            sso_pending_links::role,
            sso_pending_links::next,
            sso_pending_links::id_token,
            sso_pending_links::browser_key,
            sso_pending_links::created_at,
        ))
        .get_result(conn)
        .optional()?;
    row.map(|r| {
        Ok(PendingLink {
            token: r.0,
            provider: r.1,
            subject: r.2,
            user_id: r.3,
            role: parse_role(&r.4)?,
            next: r.5,
            id_token: r.6,
            browser_key: r.7,
            created_at: r.8,
        })
    })
    .transpose()
}

pub fn insert_session(
    conn: &mut Conn,
    now: i64,
    token_hash: &str,
    provider: &str,
    id_token: &str,
) -> Result<()> {
    diesel::insert_into(sso_sessions::table)
        .values((
            sso_sessions::token_hash.eq(token_hash),
            sso_sessions::provider.eq(provider),
            sso_sessions::id_token.eq(id_token),
            sso_sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn session(conn: &mut Conn, token_hash: &str) -> Result<Option<SsoSession>> {
    let row: Option<(String, String)> = sso_sessions::table
        .find(token_hash)
        .select((sso_sessions::provider, sso_sessions::id_token))
        .first(conn)
        .optional()?;
    Ok(row.map(|(provider, id_token)| SsoSession { provider, id_token }))
}

pub fn identities_of(conn: &mut Conn, user_id: i64) -> Result<Vec<(String, String)>> {
    Ok(user_identities::table
        .filter(user_identities::user_id.eq(user_id))
        .order((
            user_identities::provider.asc(),
            user_identities::subject.asc(),
        ))
        .select((user_identities::provider, user_identities::subject))
        .load(conn)?)
}

pub fn user_count(conn: &mut Conn) -> Result<i64> {
    Ok(users::table.count().get_result(conn)?)
}
