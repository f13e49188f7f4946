//! Members' standing and staff actions on members: roles, silence (can
//! read, cannot post), suspension (cannot sign in, for a period), bans,
//! and the staff audit log every such action writes in its own
//! transaction. Who may do what is decided here, not in handlers.

use serde::{Deserialize, Serialize};

use crate::error::ForumError;
use crate::models::{Actor, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    #[default]
    Active,
    /// Reads, cannot post, vote or flag.
    Silenced,
    /// Cannot sign in; sessions and tokens end.
    Suspended,
    /// Suspended with no end.
    Banned,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 4] = [
        MemberStatus::Active,
        MemberStatus::Silenced,
        MemberStatus::Suspended,
        MemberStatus::Banned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Silenced => "silenced",
            MemberStatus::Suspended => "suspended",
            MemberStatus::Banned => "banned",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ForumError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                ForumError::invalid(
                    "status",
                    crate::Rule::OneOf {
                        choices: "active, silenced, suspended, banned".into(),
                    },
                    "one of active, silenced, suspended, banned",
                )
            })
    }
}

/// A member's standing as stored: the status, until when (None: until
/// lifted), and the reason they were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Standing {
    pub status: MemberStatus,
    pub until: Option<i64>,
    pub reason: String,
}

impl Standing {
    /// The status in force at `now`: a period that ended is over without
    /// anyone lifting it.
    pub fn effective(&self, now: i64) -> MemberStatus {
        match (self.status, self.until) {
            (MemberStatus::Banned, _) => MemberStatus::Banned,
            (_, Some(until)) if until <= now => MemberStatus::Active,
            (status, _) => status,
        }
    }

    /// Refuse signing in while suspended or banned.
    pub fn check_sign_in(&self, now: i64) -> Result<(), ForumError> {
        match self.effective(now) {
            MemberStatus::Suspended | MemberStatus::Banned => Err(ForumError::Suspended {
                until: self.until.filter(|_| self.status != MemberStatus::Banned),
                reason: self.reason.clone(),
            }),
            MemberStatus::Active | MemberStatus::Silenced => Ok(()),
        }
    }

    /// Refuse posting, voting and flagging while silenced (or worse).
    pub fn check_post(&self, now: i64) -> Result<(), ForumError> {
        match self.effective(now) {
            MemberStatus::Active => Ok(()),
            MemberStatus::Silenced => Err(ForumError::Silenced {
                until: self.until,
                reason: self.reason.clone(),
            }),
            MemberStatus::Suspended | MemberStatus::Banned => self.check_sign_in(now),
        }
    }
}

/// The most characters a member's bio may have.
pub const BIO_MAX: usize = 1000;

/// A change of standing asked for by staff.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StandingChange {
    pub status: MemberStatus,
    /// How long, from now; None: until lifted. Ignored for `active` and
    /// `banned`.
    #[serde(default)]
    pub for_days: Option<u32>,
    /// Shown to the member; required except when reinstating.
    #[serde(default)]
    pub reason: String,
}

/// A rank as bounds on (points, accepted answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankBounds {
    pub at_least: Option<(i64, i64)>,
    /// Higher ranks' thresholds: a member who reaches one holds that rank.
    pub below: Vec<(i64, i64)>,
}

/// A client address a member used, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenAddress {
    pub address: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub times: i64,
    /// Other accounts seen at the same address.
    pub other_accounts: i64,
}

/// Longest silence or suspension with an end (ten years).
pub const MAX_DAYS: u32 = 3650;

/// Whether `actor` may give `target` (currently `target_role`) the
/// standing `to`. Moderators silence and reinstate customers; admins do
/// everything to anyone but themselves.
pub fn may_change_standing(
    actor: Actor,
    target_id: i64,
    target_role: Role,
    to: MemberStatus,
) -> Result<(), ForumError> {
    if actor.user_id == target_id {
        return Err(ForumError::Forbidden("you cannot change your own standing"));
    }
    match actor.role {
        Role::Admin => Ok(()),
        Role::Moderator
            if target_role == Role::Customer
                && matches!(to, MemberStatus::Silenced | MemberStatus::Active) =>
        {
            Ok(())
        }
        Role::Moderator => Err(ForumError::Forbidden(
            "moderators silence and reinstate customers; suspensions and bans are for administrators",
        )),
        _ => Err(ForumError::Forbidden("only staff change a member's standing")),
    }
}

/// Whether `actor` may give `target_id` the role `to`: administrators
/// only, and never their own role (so a site cannot lose its last admin
/// by accident).
pub fn may_change_role(actor: Actor, target_id: i64) -> Result<(), ForumError> {
    if actor.role != Role::Admin {
        return Err(ForumError::Forbidden("only administrators change roles"));
    }
    if actor.user_id == target_id {
        return Err(ForumError::Forbidden("you cannot change your own role"));
    }
    Ok(())
}

/// One line of the staff audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// None: the command line or the system.
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub before: String,
    pub after: String,
    pub reason: String,
}

/// What to look for in the audit log.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    /// Entries with an id below this (the next page).
    pub before_id: Option<i64>,
}

/// A member in the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub status: MemberStatus,
    pub status_until: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub posts: i64,
    /// Their rank from reputation.
    pub rank: String,
}

/// Which members to list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberQuery {
    /// Part of the username, display name or email.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub status: Option<MemberStatus>,
    /// A rank's name (`[reputation]` ranks): members at that rank now.
    #[serde(default)]
    pub rank: Option<String>,
    /// `joined` (default, newest first), `seen` or `posts`.
    #[serde(default)]
    pub sort: Option<String>,
}

/// Whether a new account's email address counts as confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountEmail {
    /// Someone vouched: an operator, an identity provider, an import.
    Confirmed,
    /// The member confirms it by the mailed link (when the site asks).
    Unconfirmed,
}

/// What storage does about a new account's address: mark it confirmed,
/// leave it unconfirmed, or also write the link (token, its hash) and its
/// mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailConfirmation<'a> {
    Confirmed,
    Unconfirmed,
    MailLink(&'a str, &'a str),
}

/// Refuse posting until the address is confirmed, when the site asks for
/// confirmation.
pub fn check_email_confirmed(user: &crate::User, required: bool) -> Result<(), ForumError> {
    if required && user.email_confirmed_at.is_none() {
        Err(ForumError::EmailUnconfirmed)
    } else {
        Ok(())
    }
}

impl crate::Forum {
    /// Refuse a write from a silenced, suspended or banned member, or from
    /// one who has not confirmed their email address yet (when the site
    /// asks for it).
    pub fn ensure_may_post(&self, actor: Actor) -> crate::Result<()> {
        let user = crate::db::dispatch!(self.db(), user_by_id(actor.user_id))?
            .ok_or(ForumError::NotFound("member"))?;
        user.standing.check_post(self.now())?;
        check_email_confirmed(&user, self.requires_email_confirmation())
    }

    /// Whether this member still has to confirm their address before
    /// posting.
    pub fn must_confirm_email(&self, user: &crate::User) -> bool {
        check_email_confirmed(user, self.requires_email_confirmation()).is_err()
    }

    /// Mail a fresh confirmation link to an unconfirmed member. False (and
    /// nothing sent) when they are confirmed already or the site does not
    /// ask for confirmation.
    pub fn resend_email_confirmation(&self, user_id: i64) -> crate::Result<bool> {
        if !self.requires_email_confirmation() {
            return Ok(false);
        }
        let (token, hash) = crate::auth::new_token();
        let sent = crate::db::dispatch!(
            self.db(),
            email_confirm::resend(self.now(), user_id, (&token, &hash))
        )?;
        if sent {
            tracing::info!(user_id, "email confirmation link mailed again");
        }
        Ok(sent)
    }

    /// The member a confirmation link belongs to, if it is live; the link
    /// is not spent.
    pub fn email_confirmation_holder(&self, token: &str) -> crate::Result<Option<crate::User>> {
        if token.len() != 64 {
            return Ok(None);
        }
        let hash = crate::auth::token_hash(token);
        crate::db::dispatch!(self.db(), email_confirm::peek(self.now(), &hash))
    }

    /// Spend a confirmation link: the member's address is confirmed. A
    /// link works once, until it expires (`CONFIRM_TOKEN_TTL_MS`).
    pub fn confirm_email(&self, token: &str) -> crate::Result<crate::User> {
        let invalid = || {
            ForumError::invalid(
                "token", crate::Rule::LinkExpired,
                "this confirmation link has expired or was used already; sign in and ask for a new one",
            )
        };
        if token.len() != 64 {
            return Err(invalid());
        }
        let hash = crate::auth::token_hash(token);
        let user = crate::db::dispatch!(self.db(), email_confirm::confirm(self.now(), &hash))?
            .ok_or_else(invalid)?;
        tracing::info!(user_id = user.id, "email address confirmed");
        Ok(user)
    }

    /// An administrator (or the command line, `actor` None) confirms a
    /// member's address by hand; audited.
    pub fn staff_confirm_email(
        &self,
        actor: Option<Actor>,
        user_id: i64,
        reason: &str,
    ) -> crate::Result<crate::User> {
        let reason = if reason.trim().is_empty() {
            String::new()
        } else {
            crate::validate::line("reason", reason, 500)?
        };
        crate::db::dispatch!(
            self.db(),
            email_confirm::staff_confirm(self.now(), actor, user_id, &reason)
        )
    }

    /// The language a member reads the interface and mails in (one of
    /// `validate::LANGUAGES`); members set their own.
    /// A member changes their own display name and bio (blank display
    /// name: their username).
    pub fn update_profile(
        &self,
        actor: Actor,
        display_name: &str,
        bio: &str,
    ) -> crate::Result<crate::User> {
        let user = self.user(actor.user_id)?;
        let name = crate::validate::display_name(Some(display_name), &user.username)?;
        crate::validate::no_controls("bio", bio, true)?;
        let bio = bio.trim().replace("\r\n", "\n");
        if bio.chars().count() > BIO_MAX {
            return Err(ForumError::invalid(
                "bio",
                crate::Rule::TooLong {
                    max: BIO_MAX as i64,
                },
                format!("a bio can have at most {BIO_MAX} characters"),
            ));
        }
        crate::db::dispatch!(
            self.db(),
            update_profile(self.now(), actor.user_id, &name, &bio)
        )?;
        self.user(actor.user_id)
    }

    /// What a member wrote about themselves (empty if nothing).
    pub fn bio(&self, user_id: i64) -> crate::Result<String> {
        crate::db::dispatch!(self.db(), bio_of(user_id))
    }

    /// Refuse unless `password` is `user`'s current password (a refusal of
    /// the `current_password` field, not a failed sign-in).
    fn check_current_password(&self, user: &crate::User, password: &str) -> crate::Result<()> {
        match self.authenticate(&user.username, password) {
            Ok(_) => Ok(()),
            Err(ForumError::BadCredentials) => Err(ForumError::invalid(
                "current_password",
                crate::Rule::WrongPassword,
                "that is not your current password",
            )),
            Err(e) => Err(e),
        }
    }

    /// A member asks to change their address: a link goes to the new one,
    /// and the account's address changes when it is opened. Accounts with
    /// a password prove it first.
    pub fn request_email_change(
        &self,
        actor: Actor,
        password: &str,
        new_email: &str,
    ) -> crate::Result<()> {
        let user = self.user(actor.user_id)?;
        let email = crate::validate::email(new_email)?;
        if crate::validate::fold_key(&email) == crate::validate::fold_key(&user.email) {
            return Err(ForumError::invalid(
                "new_email",
                crate::Rule::NothingToChange,
                "that is already your address",
            ));
        }
        let has_password = crate::db::dispatch!(self.db(), user_for_login(&user.username))?
            .is_some_and(|(_, hash)| hash.is_some());
        if has_password {
            self.check_current_password(&user, password)?;
        }
        let (token, hash) = crate::auth::new_token();
        let now = self.now();
        crate::db::dispatch!(
            self.db(),
            email_confirm::issue_change(now, &user, &email, (&token, &hash))
        )
    }

    /// A member changes their password, proving the current one; every
    /// other session and API token of theirs ends (`keep_session`, the
    /// secret of the session doing it, stays signed in).
    pub fn change_password(
        &self,
        actor: Actor,
        current: &str,
        new: &str,
        keep_session: Option<&str>,
    ) -> crate::Result<()> {
        let user = self.user(actor.user_id)?;
        self.check_current_password(&user, current)?;
        crate::validate::password(new)?;
        let hash = crate::auth::hash_password(new)?;
        let keep = keep_session.map(crate::auth::token_hash);
        crate::db::dispatch!(
            self.db(),
            replace_password(actor.user_id, &hash, keep.as_deref())
        )
    }

    pub fn set_language(&self, user_id: i64, language: &str) -> crate::Result<crate::User> {
        let language = crate::validate::language(language)?;
        crate::db::dispatch!(self.db(), members::set_language(user_id, language))
    }

    /// A member's time zone, for the times pages show them: an IANA name
    /// the bundled database knows (`time_zone::parse`), blank for none
    /// (UTC).
    pub fn set_time_zone(&self, user_id: i64, time_zone: &str) -> crate::Result<crate::User> {
        let zone = crate::time_zone::parse(time_zone)?;
        crate::db::dispatch!(self.db(), members::set_time_zone(user_id, zone.as_deref()))
    }

    /// Give a member a role (`actor` None: the command line). Audited, and
    /// the member is told.
    pub fn set_role(
        &self,
        actor: Option<Actor>,
        user_id: i64,
        role: Role,
        reason: &str,
    ) -> crate::Result<crate::User> {
        let user = crate::db::dispatch!(
            self.db(),
            members::set_role(self.now(), actor, user_id, role, reason.trim())
        )?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), user_id, role = role.as_str(), "role changed");
        Ok(user)
    }

    /// Silence, suspend, ban or reinstate a member (`actor` None: the
    /// command line). Audited, and the member is told why.
    pub fn set_standing(
        &self,
        actor: Option<Actor>,
        user_id: i64,
        change: &StandingChange,
    ) -> crate::Result<crate::User> {
        let user = crate::db::dispatch!(
            self.db(),
            members::set_standing(self.now(), actor, user_id, change)
        )?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), user_id, status = change.status.as_str(), "standing changed");
        Ok(user)
    }

    /// A single-use password reset link (valid one hour) for a member,
    /// mailed, or returned as a path (`/password/reset?token=…`) for the
    /// operator to hand over when mail is off. Administrators (or the
    /// command line, `actor` None) only; audited.
    pub fn staff_password_reset(
        &self,
        actor: Option<Actor>,
        user_id: i64,
        by_mail: bool,
    ) -> crate::Result<Option<String>> {
        let (token, hash) = crate::auth::new_token();
        crate::db::dispatch!(
            self.db(),
            members::staff_password_reset(self.now(), actor, user_id, (&token, &hash), by_mail)
        )?;
        Ok((!by_mail).then(|| format!("/password/reset?token={token}")))
    }

    /// Erase a member's personal data for good (administrators, or the
    /// command line with `actor` None). `confirm` must be their username.
    /// Their posts stay, as "Deleted member".
    pub fn erase_member(
        &self,
        actor: Option<Actor>,
        user_id: i64,
        confirm: &str,
    ) -> crate::Result<()> {
        let avatars = crate::db::dispatch!(
            self.db(),
            members::erase(self.now(), actor, user_id, confirm)
        )?;
        tracing::info!(actor = ?actor.map(|a| a.user_id), user_id, "member erased");
        // After the commit: a store that fails now leaves files no row
        // names, never a row without its file.
        for key in avatars {
            if let Err(e) = self.delete_upload_bytes(&key) {
                tracing::warn!(error = %e, key = %key, "an erased member's avatar file stays in the store");
            }
        }
        Ok(())
    }

    /// Members for staff: a page of those matching `q`, and how many match.
    pub fn members(
        &self,
        actor: Option<Actor>,
        q: &MemberQuery,
        paging: crate::Paging,
    ) -> crate::Result<(Vec<MemberSummary>, i64)> {
        if actor.is_some_and(|a| !a.role.can_moderate()) {
            return Err(ForumError::Forbidden("only staff see the member list"));
        }
        let rank = q
            .rank
            .as_deref()
            .map(|name| self.rank_bounds(name))
            .transpose()?;
        let (mut members, total) = crate::db::dispatch!(
            self.db(),
            members::list_members(q, rank.as_ref(), paging.skip(), paging.per_page)
        )?;
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let ranks = self.ranks_for(&ids)?;
        for m in &mut members {
            m.rank = ranks.get(&m.id).cloned().unwrap_or_default();
        }
        Ok((members, total))
    }

    /// Who holds rank `name` now, as bounds on (points, accepted answers):
    /// its own thresholds (none for the first rank, everyone's fallback)
    /// and every higher rank's, which they must not reach.
    fn rank_bounds(&self, name: &str) -> crate::Result<RankBounds> {
        let ranks = &self.reputation_rules().ranks;
        let rule = ranks
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                ForumError::invalid(
                    "rank",
                    crate::Rule::Unknown {
                        value: name.trim().to_string(),
                    },
                    "no rank of that name",
                )
            })?;
        let key = (rule.min_points, rule.min_accepted);
        let is_first = ranks.first().is_some_and(|f| f.name == rule.name);
        Ok(RankBounds {
            at_least: (!is_first).then_some(key),
            below: ranks
                .iter()
                .map(|r| (r.min_points, r.min_accepted))
                .filter(|k| *k > key)
                .collect(),
        })
    }

    /// The staff audit log, newest first (staff only; `actor` None: the
    /// command line or an export).
    /// Members who joined and posts written in the last 24 hours.
    pub fn activity_today(&self) -> crate::Result<(i64, i64)> {
        let since = self.now() - 86_400_000;
        crate::db::dispatch!(self.db(), members::activity_since(since))
    }

    /// Remember the address a member signed in or registered from.
    pub fn record_member_address(&self, user_id: i64, address: &str) -> crate::Result<()> {
        let now = self.now();
        crate::db::dispatch!(self.db(), members::record_address(now, user_id, address))
    }

    /// The addresses a member used (staff only), most recent first.
    pub fn member_addresses(
        &self,
        actor: Option<Actor>,
        user_id: i64,
    ) -> crate::Result<Vec<SeenAddress>> {
        if actor.is_some_and(|a| !a.role.can_moderate()) {
            return Err(ForumError::Forbidden("only staff see members' addresses"));
        }
        crate::db::dispatch!(self.db(), members::addresses_of(user_id))
    }

    pub fn audit_log(
        &self,
        actor: Option<Actor>,
        filter: &AuditFilter,
        limit: i64,
    ) -> crate::Result<Vec<AuditEntry>> {
        if actor.is_some_and(|a| !a.role.can_moderate()) {
            return Err(ForumError::Forbidden("only staff read the audit log"));
        }
        crate::db::dispatch!(self.db(), members::audit_log(filter, limit.clamp(1, 1_000)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, role: Role) -> Actor {
        Actor { user_id: id, role }
    }

    #[test]
    fn periods_end_by_themselves_but_bans_do_not() {
        let s = Standing {
            status: MemberStatus::Suspended,
            until: Some(100),
            reason: "spam".into(),
        };
        assert_eq!(s.effective(99), MemberStatus::Suspended);
        assert_eq!(s.effective(100), MemberStatus::Active);
        assert!(s.check_sign_in(99).is_err());
        assert!(s.check_sign_in(100).is_ok());
        let ban = Standing {
            status: MemberStatus::Banned,
            until: Some(1),
            reason: "fraud".into(),
        };
        assert_eq!(ban.effective(i64::MAX), MemberStatus::Banned);
        assert!(matches!(
            ban.check_post(5),
            Err(ForumError::Suspended { until: None, .. })
        ));
    }

    #[test]
    fn silenced_members_sign_in_but_do_not_post() {
        let s = Standing {
            status: MemberStatus::Silenced,
            until: None,
            reason: "cool down".into(),
        };
        assert!(s.check_sign_in(0).is_ok());
        assert!(matches!(s.check_post(0), Err(ForumError::Silenced { .. })));
        assert!(Standing::default().check_post(0).is_ok());
    }

    #[test]
    fn who_may_change_what() {
        let admin = actor(1, Role::Admin);
        let moderator = actor(2, Role::Moderator);
        let agent = actor(3, Role::Agent);
        assert!(may_change_standing(admin, 9, Role::Moderator, MemberStatus::Banned).is_ok());
        assert!(may_change_standing(admin, 1, Role::Admin, MemberStatus::Banned).is_err());
        assert!(may_change_standing(moderator, 9, Role::Customer, MemberStatus::Silenced).is_ok());
        assert!(
            may_change_standing(moderator, 9, Role::Customer, MemberStatus::Suspended).is_err()
        );
        assert!(may_change_standing(moderator, 9, Role::Agent, MemberStatus::Silenced).is_err());
        assert!(may_change_standing(agent, 9, Role::Customer, MemberStatus::Silenced).is_err());
        assert!(may_change_role(admin, 9).is_ok());
        assert!(may_change_role(admin, 1).is_err());
        assert!(may_change_role(moderator, 9).is_err());
    }
}
