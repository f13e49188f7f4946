//! Single sign-on through OpenID Connect providers, the storage half: the
//! pending authorization flows (single use, 10 minutes), the identities that
//! tie a provider's subject to a Hearth user, offers to link an existing
//! account, and account creation for first-time sign-ins. The protocol itself
//! (discovery, tokens, ID-token checks) lives in `web`.

use crate::db::dispatch;
use crate::error::{ForumError, Result};
use crate::models::{Role, User};
use crate::{Forum, TokenKind};

/// How long a started sign-in or a link offer stays usable.
pub const SSO_FLOW_TTL_MS: i64 = 10 * 60 * 1000;

/// A sign-in to start: what the callback needs to finish it.
#[derive(Clone)]
pub struct NewSsoFlow {
    pub state: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (a same-site path).
    pub next: String,
    /// Ties the flow to the browser that started it (a cookie's value).
    pub browser_key: String,
}

/// A started sign-in, as taken back by the callback.
#[derive(Clone)]
pub struct SsoFlow {
    pub state: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    pub browser_key: String,
    pub created_at: i64,
}

impl SsoFlow {
    pub fn is_expired(&self, now: i64) -> bool {
        now - self.created_at > SSO_FLOW_TTL_MS
    }
}

/// The nonce and PKCE verifier stay out of logs.
impl std::fmt::Debug for SsoFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoFlow")
            .field("provider", &self.provider)
            .field("next", &self.next)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// What an identity provider vouched for, as the domain needs it to decide
/// which account a sign-in belongs to.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    /// The provider says the person proved they own `email`.
    pub email_verified: bool,
    /// The provider said outright that `email` is *not* verified (the
    /// claim is present and false). Without the claim the provider's word
    /// for the person is enough to post.
    pub email_unverified: bool,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    /// From the provider's role mapping.
    pub role: Role,
}

/// What to keep with a link offer so that the confirmation continues the
/// same sign-in in the same browser.
#[derive(Clone)]
pub struct LinkContext {
    pub next: String,
    pub id_token: String,
    pub browser_key: String,
}

/// Which account a provider sign-in belongs to.
#[derive(Debug)]
pub enum SsoOutcome {
    /// The identity was linked already.
    Known(User),
    /// First sign-in: a new password-less account.
    Created(User),
    /// A local account has the same verified email: the person is asked to
    /// confirm with this single-use token before anything is linked.
    OfferLink { local: User, token: String },
}

/// The local account a provider identity may be offered to link with: only
/// when the provider verified the email, and only an account whose *email*
/// is that address (a username that happens to equal it does not count).
/// Never links by itself: see `SsoOutcome::OfferLink`.
pub fn link_candidate(identity: &VerifiedIdentity, found: Option<User>) -> Option<User> {
    let email = identity
        .email
        .as_deref()
        .filter(|_| identity.email_verified)?;
    found.filter(|u| crate::validate::fold_key(&u.email) == crate::validate::fold_key(email))
}

/// A first-time sign-in that becomes a new account.
#[derive(Debug, Clone)]
pub struct NewSsoAccount {
    pub provider: String,
    pub subject: String,
    /// From `username_base`; made unique with a numeric suffix.
    pub username_base: String,
    /// Used when no other account has it; otherwise a placeholder.
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub role: Role,
    /// The account counts as having confirmed its email (the provider
    /// vouches for the person; false only when it said the address is not
    /// verified).
    pub email_confirmed: bool,
}

/// An offer to link a provider identity to the local account with the same
/// verified email, waiting for the person's confirmation.
#[derive(Clone)]
pub struct PendingLink {
    pub token: String,
    pub provider: String,
    pub subject: String,
    pub user_id: i64,
    pub role: Role,
    pub next: String,
    pub id_token: String,
    pub browser_key: String,
    pub created_at: i64,
}

impl PendingLink {
    pub fn is_expired(&self, now: i64) -> bool {
        now - self.created_at > SSO_FLOW_TTL_MS
    }
}

impl std::fmt::Debug for PendingLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLink")
            .field("provider", &self.provider)
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// The provider and ID token behind a session signed in through SSO.
#[derive(Clone)]
pub struct SsoSession {
    pub provider: String,
    pub id_token: String,
}

impl std::fmt::Debug for SsoSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSession")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

const USERNAME_MAX: usize = 32;

fn username_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// A valid username to start from, taken from the provider's
/// `preferred_username`, else the email's local part, else `user`: other
/// characters become `_`, runs of separators collapse, and it is cut so a
/// `-N` suffix still fits.
pub fn username_base(preferred_username: Option<&str>, email: Option<&str>) -> String {
    let from_email = email.and_then(|e| e.split('@').next());
    for source in [preferred_username, from_email].into_iter().flatten() {
        let cleaned = clean_username(source);
        if !cleaned.is_empty() {
            return cleaned;
        }
    }
    "user".to_string()
}

fn clean_username(raw: &str) -> String {
    let mut out = String::new();
    let mut last_sep = true;
    for c in raw.trim().chars() {
        let c = if username_char(c) { c } else { '_' };
        let sep = matches!(c, '_' | '-' | '.');
        if sep && last_sep {
            continue;
        }
        out.push(c);
        last_sep = sep;
    }
    let mut out: String = out.chars().take(USERNAME_MAX - 4).collect();
    while out.ends_with(['_', '-', '.']) {
        out.pop();
    }
    match out.chars().count() {
        0 => String::new(),
        1 | 2 => format!("{out}_user"),
        _ => out,
    }
}

/// The `n`th candidate: the base itself, then `base-2`, `base-3`, …, never
/// longer than a username may be.
pub fn username_with_suffix(base: &str, n: u32) -> String {
    if n <= 1 {
        return base.chars().take(USERNAME_MAX).collect();
    }
    let suffix = format!("-{n}");
    let keep = USERNAME_MAX.saturating_sub(suffix.len());
    let head: String = base.chars().take(keep).collect();
    format!("{head}{suffix}")
}

/// For an account whose provider gave no email, or one another account has.
pub fn placeholder_email(provider: &str, subject: &str) -> String {
    let digest = crate::auth::token_hash(&format!("{provider}\n{subject}"));
    let provider: String = provider
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    format!("sso-{provider}-{}@users.invalid", &digest[..16])
}

impl Forum {
    /// Remember a started sign-in (and forget expired ones).
    pub fn sso_start_flow(&self, flow: &NewSsoFlow) -> Result<()> {
        dispatch!(&self.db, sso::insert_flow(self.now(), flow))
    }

    /// Take back a started sign-in: it is gone afterwards, whatever happens
    /// next. Check `is_expired` on what comes back.
    pub fn sso_take_flow(&self, state: &str) -> Result<Option<SsoFlow>> {
        if state.is_empty() || state.len() > 200 {
            return Ok(None);
        }
        dispatch!(&self.db, sso::take_flow(state))
    }

    /// The user linked to this identity, if any, given `role`.
    pub fn sso_sign_in(&self, provider: &str, subject: &str, role: Role) -> Result<Option<User>> {
        dispatch!(
            &self.db,
            sso::sign_in_identity(self.now(), provider, subject, role)
        )
    }

    /// Decide which account a completed provider sign-in belongs to: the
    /// linked one; else, when the provider verified an email that a local
    /// account has, an offer to link (the person confirms first); else a new
    /// password-less account.
    pub fn sso_resolve(&self, id: &VerifiedIdentity, link: LinkContext) -> Result<SsoOutcome> {
        if let Some(user) = self.sso_sign_in(&id.provider, &id.subject, id.role)? {
            return Ok(SsoOutcome::Known(user));
        }
        let found = match id.email.as_deref().filter(|_| id.email_verified) {
            Some(email) => self.find_user(email)?,
            None => None,
        };
        if let Some(local) = link_candidate(id, found) {
            let (token, _) = crate::auth::new_token();
            self.sso_offer_link(&PendingLink {
                token: token.clone(),
                provider: id.provider.clone(),
                subject: id.subject.clone(),
                user_id: local.id,
                role: id.role,
                next: link.next,
                id_token: link.id_token,
                browser_key: link.browser_key,
                created_at: 0,
            })?;
            return Ok(SsoOutcome::OfferLink { local, token });
        }
        let user = self.sso_create_account(&NewSsoAccount {
            username_base: username_base(id.preferred_username.as_deref(), id.email.as_deref()),
            provider: id.provider.clone(),
            subject: id.subject.clone(),
            email: id.email.clone(),
            display_name: id.name.clone(),
            role: id.role,
            email_confirmed: !id.email_unverified,
        })?;
        Ok(SsoOutcome::Created(user))
    }

    /// A new password-less account with its identity, in one transaction.
    pub fn sso_create_account(&self, acct: &NewSsoAccount) -> Result<User> {
        if acct.subject.is_empty() || acct.provider.is_empty() {
            return Err(ForumError::validation(
                "subject",
                "the provider gave no subject",
            ));
        }
        let user = dispatch!(&self.db, sso::create_account(self.now(), acct))?;
        tracing::info!(
            user_id = user.id,
            provider = %acct.provider,
            role = user.role.as_str(),
            "account created through single sign-on"
        );
        Ok(user)
    }

    /// Link an identity to an existing account (after the person confirmed).
    pub fn sso_link(
        &self,
        provider: &str,
        subject: &str,
        user_id: i64,
        role: Role,
    ) -> Result<User> {
        let user = dispatch!(
            &self.db,
            sso::link_identity(self.now(), provider, subject, user_id, role)
        )?;
        tracing::info!(user_id, provider, "provider identity linked to an account");
        Ok(user)
    }

    pub fn sso_offer_link(&self, link: &PendingLink) -> Result<()> {
        dispatch!(&self.db, sso::insert_pending_link(self.now(), link))
    }

    /// Take back a link offer: single use. Check `is_expired`.
    pub fn sso_take_link(&self, token: &str) -> Result<Option<PendingLink>> {
        if token.is_empty() || token.len() > 200 {
            return Ok(None);
        }
        dispatch!(&self.db, sso::take_pending_link(token))
    }

    /// Start a browser session for a user who signed in through a provider:
    /// revoke `old_session` (rotation), issue a new one, and keep the ID
    /// token for logout at the provider. Returns the session secret.
    pub fn sso_start_session(
        &self,
        user_id: i64,
        old_session: Option<&str>,
        provider: &str,
        id_token: Option<&str>,
    ) -> Result<String> {
        if let Some(old) = old_session {
            self.revoke_token(old)?;
        }
        let token = self.issue_token(user_id, TokenKind::Session)?;
        if let Some(id_token) = id_token {
            let hash = crate::auth::token_hash(&token);
            dispatch!(
                &self.db,
                sso::insert_session(self.now(), &hash, provider, id_token)
            )?;
        }
        Ok(token)
    }

    /// The provider session behind a browser session, if it has one.
    pub fn sso_session(&self, session_token: &str) -> Result<Option<SsoSession>> {
        if session_token.len() != 64 {
            return Ok(None);
        }
        let hash = crate::auth::token_hash(session_token);
        dispatch!(&self.db, sso::session(&hash))
    }

    /// (provider, subject) pairs linked to a user.
    pub fn sso_identities(&self, user_id: i64) -> Result<Vec<(String, String)>> {
        dispatch!(&self.db, sso::identities_of(user_id))
    }

    /// How many accounts exist.
    pub fn user_count(&self) -> Result<i64> {
        dispatch!(&self.db, sso::user_count())
    }
}

#[cfg(test)]
mod tests {
    fn person(id: i64, username: &str, email: &str) -> User {
        User {
            id,
            username: username.into(),
            email: email.into(),
            display_name: username.into(),
            role: Role::Customer,
            language: "en".into(),
            created_at: 0,
            last_seen_at: 0,
            email_confirmed_at: Some(0),
            time_zone: None,
            standing: Default::default(),
        }
    }

    fn identity(email: Option<&str>, verified: bool) -> VerifiedIdentity {
        VerifiedIdentity {
            provider: "corp".into(),
            subject: "s-1".into(),
            email: email.map(String::from),
            email_verified: verified,
            email_unverified: false,
            preferred_username: None,
            name: None,
            role: Role::Customer,
        }
    }

    #[test]
    fn only_a_verified_email_of_the_account_itself_offers_a_link() {
        let ann = person(1, "ann", "Ann@Example.com");
        let offered = link_candidate(&identity(Some("ann@example.com"), true), Some(ann.clone()));
        assert_eq!(
            offered.map(|u| u.id),
            Some(1),
            "case-insensitive email match"
        );
        assert!(
            link_candidate(&identity(Some("ann@example.com"), false), Some(ann.clone())).is_none(),
            "an unverified email never links"
        );
        assert!(link_candidate(&identity(None, true), Some(ann)).is_none());
        // Someone registered the address as a *username*: not their email.
        let squatter = person(2, "bob@example.com", "bob@elsewhere.example");
        assert!(link_candidate(&identity(Some("bob@example.com"), true), Some(squatter)).is_none());
        assert!(link_candidate(&identity(Some("x@example.com"), true), None).is_none());
    }

    use super::*;

    #[test]
    fn usernames_come_from_the_provider() {
        assert_eq!(username_base(Some("alice"), Some("x@example.com")), "alice");
        assert_eq!(
            username_base(None, Some("bob.smith@example.com")),
            "bob.smith"
        );
        assert_eq!(
            username_base(Some("  "), Some("carol@example.com")),
            "carol"
        );
        assert_eq!(username_base(Some("Jane Doe"), None), "Jane_Doe");
        assert_eq!(username_base(Some("a+b@@c"), None), "a_b_c");
        assert_eq!(username_base(Some("ольга"), None), "ольга");
        assert_eq!(username_base(Some("__x__"), None), "x_user");
        assert_eq!(username_base(Some("!!!"), Some("@example.com")), "user");
        assert_eq!(username_base(None, None), "user");
        let long = username_base(Some(&"z".repeat(80)), None);
        assert_eq!(long.chars().count(), 28);
        for base in ["alice", "Jane_Doe", "x_user", "user", long.as_str()] {
            for n in [1, 2, 99, 1000] {
                let u = username_with_suffix(base, n);
                assert!(crate::validate::username(&u).is_ok(), "{u} is valid");
            }
        }
        assert_eq!(username_with_suffix("alice", 1), "alice");
        assert_eq!(username_with_suffix("alice", 2), "alice-2");
        assert_eq!(
            username_with_suffix(&"y".repeat(32), 12),
            format!("{}-12", "y".repeat(29))
        );
    }

    #[test]
    fn placeholder_emails_are_valid_and_distinct() {
        let a = placeholder_email("corp", "u1");
        let b = placeholder_email("corp", "u2");
        assert_ne!(a, b);
        assert!(crate::validate::email(&a).is_ok());
        assert!(a.starts_with("sso-corp-") && a.ends_with("@users.invalid"));
        assert_eq!(a, placeholder_email("corp", "u1"));
    }

    fn forum() -> (
        Forum,
        tempfile::TempDir,
        std::sync::Arc<std::sync::atomic::AtomicI64>,
    ) {
        use std::sync::atomic::{AtomicI64, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = crate::Db::open(&url, 2).unwrap();
        db.migrate().unwrap();
        let now = std::sync::Arc::new(AtomicI64::new(1_000_000));
        let clock = now.clone();
        let f = Forum::with_clock(
            db,
            std::sync::Arc::new(move || clock.load(Ordering::SeqCst)),
        );
        (f, dir, now)
    }

    fn flow(state: &str) -> NewSsoFlow {
        NewSsoFlow {
            state: state.into(),
            provider: "corp".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            next: "/".into(),
            browser_key: "b".into(),
        }
    }

    #[test]
    fn flows_are_single_use_and_expire() {
        use std::sync::atomic::Ordering;
        let (f, _dir, now) = forum();
        f.sso_start_flow(&flow("s1")).unwrap();
        let taken = f.sso_take_flow("s1").unwrap().expect("flow");
        assert!(!taken.is_expired(f.now()));
        assert_eq!(
            (taken.nonce.as_str(), taken.provider.as_str()),
            ("n", "corp")
        );
        assert!(f.sso_take_flow("s1").unwrap().is_none(), "single use");
        assert!(f.sso_take_flow("nope").unwrap().is_none());
        f.sso_start_flow(&flow("s2")).unwrap();
        now.fetch_add(SSO_FLOW_TTL_MS + 1, Ordering::SeqCst);
        assert!(f
            .sso_take_flow("s2")
            .unwrap()
            .expect("still stored")
            .is_expired(f.now()));
        f.sso_start_flow(&flow("s3")).unwrap();
        now.fetch_add(SSO_FLOW_TTL_MS + 1, Ordering::SeqCst);
        f.sso_start_flow(&flow("s4")).unwrap();
        assert!(
            f.sso_take_flow("s3").unwrap().is_none(),
            "expired flows are purged"
        );
    }

    #[test]
    fn accounts_are_created_whole_or_not_at_all() {
        let (f, _dir, _) = forum();
        f.register(crate::NewUser {
            language: None,
            username: "alice".into(),
            email: "alice@example.com".into(),
            password: Some("password123".into()),
            role: Role::Customer,
            display_name: None,
        })
        .unwrap();
        let acct = NewSsoAccount {
            provider: "corp".into(),
            subject: "sub-1".into(),
            username_base: "alice".into(),
            email: Some("alice@example.com".into()),
            display_name: Some("Alice A".into()),
            role: Role::Agent,
            email_confirmed: true,
        };
        let u = f.sso_create_account(&acct).unwrap();
        assert_eq!(u.username, "alice-2", "a taken username gets a suffix");
        assert_eq!(u.role, Role::Agent);
        assert_eq!(
            u.email,
            placeholder_email("corp", "sub-1"),
            "a taken email is not reused"
        );
        assert_eq!(
            f.sso_identities(u.id).unwrap(),
            vec![("corp".into(), "sub-1".into())]
        );
        assert_eq!(f.user_count().unwrap(), 2);
        // The same identity again: refused, and no second account is left behind.
        let again = f.sso_create_account(&NewSsoAccount {
            username_base: "zed".into(),
            email: Some("zed@example.com".into()),
            ..acct.clone()
        });
        assert!(matches!(again, Err(ForumError::Conflict(_))), "{again:?}");
        assert_eq!(f.user_count().unwrap(), 2);
        assert!(f.find_user("zed").unwrap().is_none());
        // Signing in re-applies the role.
        let back = f
            .sso_sign_in("corp", "sub-1", Role::Customer)
            .unwrap()
            .unwrap();
        assert_eq!((back.id, back.role), (u.id, Role::Customer));
        assert!(f
            .sso_sign_in("corp", "other", Role::Customer)
            .unwrap()
            .is_none());
        // Sessions remember their ID token until revoked.
        let token = f
            .sso_start_session(u.id, None, "corp", Some("jwt"))
            .unwrap();
        assert_eq!(f.sso_session(&token).unwrap().unwrap().id_token, "jwt");
        f.revoke_token(&token).unwrap();
        assert!(f.sso_session(&token).unwrap().is_none());
    }

    #[test]
    fn links_are_single_use() {
        let (f, _dir, _) = forum();
        let alice = f
            .register(crate::NewUser {
                language: None,
                username: "alice".into(),
                email: "alice@example.com".into(),
                password: Some("password123".into()),
                role: Role::Customer,
                display_name: None,
            })
            .unwrap();
        let link = PendingLink {
            token: "t".repeat(64),
            provider: "corp".into(),
            subject: "s".into(),
            user_id: alice.id,
            role: Role::Agent,
            next: "/".into(),
            id_token: "jwt".into(),
            browser_key: "b".into(),
            created_at: 0,
        };
        f.sso_offer_link(&link).unwrap();
        let taken = f.sso_take_link(&link.token).unwrap().unwrap();
        assert_eq!((taken.user_id, taken.role), (alice.id, Role::Agent));
        assert!(f.sso_take_link(&link.token).unwrap().is_none());
        let linked = f.sso_link("corp", "s", alice.id, Role::Agent).unwrap();
        assert_eq!(linked.role, Role::Agent);
        assert!(matches!(
            f.sso_link("corp", "s", alice.id, Role::Agent),
            Err(ForumError::Conflict(_))
        ));
        assert_eq!(
            f.sso_sign_in("corp", "s", Role::Agent).unwrap().unwrap().id,
            alice.id
        );
    }
}
