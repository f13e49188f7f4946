//! The `forum` crate owns Hearth's community domain and its storage: users and
//! roles, sessions and API tokens, categories (boards, some private), threads,
//! posts, kudos, accepted solutions, revisions, moderation, the knowledge
//! base promoted from solved threads, reputation (points, ranks, badges,
//! leaderboards), in-app notifications, and the transactional event outbox
//! that search, CRM, notifications and gamification consume. It runs the same code on SQLite (the embedded
//! default) and PostgreSQL, and has no HTTP code.

pub mod analytics;
pub mod auth;
pub mod boards;
pub mod db;
pub mod delivery;
pub mod drafts;
pub mod error;
pub mod events;
pub mod front;
pub mod ideas;
pub mod idempotency;
pub mod import;
pub mod kb;
pub mod markdown;
pub mod members;
pub mod models;
pub mod notify;
pub mod paging;
pub mod policy;
pub mod rate_limit;
pub mod reputation;
pub mod review;
mod rows;
/// The diesel tables. Public so that `crm-bridge` joins against the same
/// definitions instead of copies.
pub mod schema;
pub mod secret;
pub mod settings;
pub mod spam;
pub mod sso;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod time_zone;
pub mod uploads;
pub mod validate;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use db::{Db, TxConn};
pub use error::{ForumError, Result, Rule, RuleArg};
pub use events::EventBody;
pub use members::{AccountEmail, EmailConfirmation};
pub use models::*;
pub use paging::{PageLimits, Paging};

use db::dispatch;
use import::{Record, ThreadRecord};

/// Milliseconds since the Unix epoch. Injectable so tests control time.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    })
}

pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
pub const API_TOKEN_TTL_MS: i64 = 90 * 24 * 3600 * 1000;
pub const RESET_TOKEN_TTL_MS: i64 = 3600 * 1000;
/// How long an email confirmation link works.
pub const CONFIRM_TOKEN_TTL_MS: i64 = 3 * 24 * 3600 * 1000;
pub const MAX_PER_PAGE: i64 = 200;

/// The community service. Cheap to clone; all methods are blocking and belong
/// on a worker thread in async code.
#[derive(Clone)]
pub struct Forum {
    db: Db,
    clock: Clock,
    views: Arc<Mutex<HashMap<i64, i64>>>,
    /// Searches waiting to be written (`analytics::log_search`).
    searches: Arc<Mutex<std::collections::VecDeque<analytics::LoggedSearch>>>,
    /// Page views waiting to be written (`analytics::record_page_view`).
    page_views: Arc<Mutex<std::collections::VecDeque<analytics::traffic::PendingView>>>,
    /// Deflection window, holdout and retention (`[analytics]`).
    analytics: Arc<analytics::AnalyticsConfig>,
    reputation: Arc<reputation::ReputationConfig>,
    kb: Arc<kb::KbConfig>,
    /// The configuration file's moderation rules…
    moderation_base: Arc<review::ModerationConfig>,
    /// …and those in force: the file's with the site settings changed live
    /// on top (`settings`), shared by every clone.
    moderation: Arc<std::sync::RwLock<Arc<review::ModerationConfig>>>,
    tokenize: spam::Tokenize,
    remote_checker: Option<Arc<dyn spam::RemoteSpamChecker>>,
    /// Members who registered with a password confirm their address
    /// before posting (off unless the site turns it on).
    email_confirmation: bool,
    /// Upload rules and the file store (none until configured).
    uploads: uploads::Uploads,
}

/// What a bulk import wrote and skipped.
#[derive(Debug, Default, Clone)]
pub struct ImportSummary {
    pub threads: u64,
    pub posts: u64,
    pub votes: u64,
    /// Votes on imported ideas.
    pub idea_votes: u64,
    pub users_created: u64,
    pub categories_created: u64,
    /// (line number, reason) for each line that was not imported.
    pub skipped: Vec<(u64, String)>,
    /// Staff audit entries read and, by design, not written
    /// (`import::AuditRecord`).
    pub audit_entries_not_imported: u64,
}

impl Forum {
    pub fn new(db: Db) -> Forum {
        Forum::with_clock(db, system_clock())
    }

    pub fn with_clock(db: Db, clock: Clock) -> Forum {
        Forum {
            db,
            clock,
            views: Arc::default(),
            searches: Arc::default(),
            page_views: Arc::default(),
            analytics: Arc::default(),
            reputation: Arc::default(),
            kb: Arc::default(),
            // The library holds nothing back unless configured; the
            // product's configuration turns the new-member limits on.
            moderation_base: Arc::new(review::ModerationConfig::off()),
            moderation: Arc::new(std::sync::RwLock::new(Arc::new(
                review::ModerationConfig::off(),
            ))),
            tokenize: Arc::new(spam::plain_tokens),
            remote_checker: None,
            email_confirmation: false,
            uploads: uploads::Uploads {
                config: Arc::default(),
                store: Arc::new(uploads::blobs::NoStore),
            },
        }
    }

    /// Accept uploads by these rules, keeping the bytes in `store`.
    pub fn with_uploads(
        mut self,
        config: uploads::UploadConfig,
        store: Box<dyn uploads::blobs::BlobStore>,
    ) -> Forum {
        tracing::info!(store = %store.describe(), "uploads kept in");
        self.uploads = uploads::Uploads {
            config: Arc::new(config),
            store: Arc::from(store),
        };
        self
    }

    /// Judge deflection, hold sessions out and keep logs by these rules.
    pub fn with_analytics(mut self, config: analytics::AnalyticsConfig) -> Forum {
        self.analytics = Arc::new(config);
        self
    }

    pub fn analytics_rules(&self) -> &analytics::AnalyticsConfig {
        &self.analytics
    }

    /// Ask members who register with a password to confirm their email
    /// address (a mailed link) before they post, reply, vote or accept.
    pub fn with_email_confirmation(mut self, required: bool) -> Forum {
        self.email_confirmation = required;
        self
    }

    /// Whether members must confirm their address before posting.
    pub fn requires_email_confirmation(&self) -> bool {
        self.email_confirmation
    }

    /// Use these reputation and knowledge-base rules instead of the defaults.
    pub fn with_rules(
        mut self,
        reputation: reputation::ReputationConfig,
        kb: kb::KbConfig,
    ) -> Result<Forum> {
        reputation
            .validate()
            .map_err(|m| ForumError::validation("reputation", m))?;
        self.reputation = Arc::new(reputation);
        self.kb = Arc::new(kb);
        Ok(self)
    }

    /// Open the database at `url` and apply migrations.
    pub fn open(url: &str, pool_size: u32) -> Result<Forum> {
        let db = Db::open(url, pool_size)?;
        let applied = db.migrate()?;
        tracing::info!(backend = db.backend(), applied, "database ready");
        Ok(Forum::new(db))
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    pub fn ping(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(p) => p.get().map(|_| ()),
            Db::Pg(p) => p.get().map(|_| ()),
        }
        .map_err(ForumError::from)
    }

    // ------------------------------------------------------------ users

    /// Self-service registration: an account with a password is asked to
    /// confirm its address (when the site requires it; the link is mailed
    /// in the same transaction); one without (login-less) needs not.
    pub fn register(&self, input: NewUser) -> Result<User> {
        let email = if input.password.is_some() {
            AccountEmail::Unconfirmed
        } else {
            AccountEmail::Confirmed
        };
        self.register_with(input, email)
    }

    /// As `register`, saying whether the address counts as confirmed
    /// already (an operator created the account, for example).
    pub fn register_with(&self, input: NewUser, email_state: AccountEmail) -> Result<User> {
        let username = validate::username(&input.username)?;
        let email = validate::email(&input.email)?;
        // Everything cheap is checked before the expensive hash, so an
        // invalid request never costs a password hash.
        let display = validate::display_name(input.display_name.as_deref(), &username)?;
        let language = validate::language(input.language.as_deref().unwrap_or("en"))?;
        let hash = match &input.password {
            Some(p) => {
                validate::password(p)?;
                Some(auth::hash_password(p)?)
            }
            None => None,
        };
        let (token, token_hash) = auth::new_token();
        let confirmation = match email_state {
            AccountEmail::Confirmed => EmailConfirmation::Confirmed,
            AccountEmail::Unconfirmed if self.email_confirmation => {
                EmailConfirmation::MailLink(&token, &token_hash)
            }
            // Not asked; should the site turn confirmation on later, the
            // member asks for a link then.
            AccountEmail::Unconfirmed => EmailConfirmation::Unconfirmed,
        };
        dispatch!(
            &self.db,
            insert_user(
                self.now(),
                &username,
                &email,
                &display,
                hash.as_deref(),
                input.role,
                language,
                confirmation
            )
        )
    }

    /// Check a username-or-email and password.
    pub fn authenticate(&self, login: &str, password: &str) -> Result<User> {
        let found = dispatch!(&self.db, user_for_login(login))?;
        match found {
            Some((user, Some(hash))) => {
                if auth::check_password(password, &hash)? {
                    user.standing.check_sign_in(self.now())?;
                    Ok(user)
                } else {
                    Err(ForumError::BadCredentials)
                }
            }
            Some(_) => Err(ForumError::BadCredentials),
            None => {
                auth::dummy_verify(password)?;
                Err(ForumError::BadCredentials)
            }
        }
    }

    pub fn set_password(&self, user_id: i64, password: &str) -> Result<()> {
        validate::password(password)?;
        let hash = auth::hash_password(password)?;
        dispatch!(&self.db, set_password_hash(user_id, &hash))
    }

    /// Start a browser session or issue an API token; returns the secret.
    pub fn issue_token(&self, user_id: i64, kind: TokenKind) -> Result<String> {
        let now = self.now();
        if kind != TokenKind::PasswordReset {
            dispatch!(&self.db, members::standing(user_id))?.check_sign_in(now)?;
        }
        let (token, hash) = auth::new_token();
        let ttl = match kind {
            TokenKind::Session => SESSION_TTL_MS,
            TokenKind::Api => API_TOKEN_TTL_MS,
            TokenKind::PasswordReset => RESET_TOKEN_TTL_MS,
        };
        dispatch!(
            &self.db,
            insert_token(now, &hash, user_id, kind.as_str(), now + ttl)
        )?;
        Ok(token)
    }

    pub fn user_for_token(&self, token: &str, kind: TokenKind) -> Result<Option<User>> {
        if token.len() != 64 {
            return Ok(None);
        }
        let hash = auth::token_hash(token);
        let now = self.now();
        // A suspension ends sessions when it is set; one that began some
        // other way (a restored backup) still does not sign anyone in.
        Ok(
            dispatch!(&self.db, user_by_token(now, &hash, kind.as_str()))?.filter(|u| {
                kind == TokenKind::PasswordReset || u.standing.check_sign_in(now).is_ok()
            }),
        )
    }

    pub fn revoke_token(&self, token: &str) -> Result<()> {
        dispatch!(&self.db, delete_token(&auth::token_hash(token)))
    }

    /// A user by username or email, if there is one.
    /// Up to `limit` members an `@prefix` may mean, by username prefix,
    /// most recently seen first: (username, display name).
    pub fn mention_candidates(&self, prefix: &str, limit: i64) -> Result<Vec<(String, String)>> {
        let prefix = validate::fold_key(prefix);
        if prefix.is_empty() || prefix.chars().count() > 32 {
            return Ok(Vec::new());
        }
        dispatch!(&self.db, mention_candidates(&prefix, limit.clamp(1, 20)))
    }

    pub fn find_user(&self, login: &str) -> Result<Option<User>> {
        Ok(dispatch!(&self.db, user_for_login(login))?.map(|(u, _)| u))
    }

    pub fn user(&self, id: i64) -> Result<User> {
        dispatch!(&self.db, user_by_id(id))?.ok_or(ForumError::NotFound("user"))
    }

    pub fn profile(&self, id: i64, viewer: Option<Actor>) -> Result<UserProfile> {
        dispatch!(&self.db, user_profile(id, viewer))
    }

    // ------------------------------------------------------------ categories

    pub fn categories(&self, viewer: Option<Actor>) -> Result<Vec<Category>> {
        dispatch!(&self.db, list_categories(viewer))
    }

    /// The boards `viewer` may see as (id, slug, name), in order, without
    /// counting their threads (for pickers and filters).
    pub fn board_names(&self, viewer: Option<Actor>) -> Result<Vec<(i64, String, String)>> {
        dispatch!(&self.db, board_names(viewer))
    }

    pub fn category(&self, slug: &str, viewer: Option<Actor>) -> Result<Category> {
        dispatch!(&self.db, category_by_slug(slug, viewer))
    }

    /// A board from the older API shape (`is_private`: staff only),
    /// created, audited and announced as `create_board` does.
    pub fn create_category(&self, actor: Actor, rec: import::CategoryRecord) -> Result<Category> {
        self.create_board(
            Some(actor),
            boards::NewBoard {
                slug: rec.slug,
                name: rec.name,
                description: rec.description,
                see_min_role: Some(if rec.is_private {
                    Role::Agent
                } else {
                    Role::Customer
                }),
                position: Some(rec.position),
                ..Default::default()
            },
        )
    }

    // ------------------------------------------------------------ threads

    pub fn create_thread(&self, actor: Actor, input: NewThread) -> Result<i64> {
        Ok(self.submit_thread(actor, input)?.thread_id)
    }

    /// Ask a question: published, or held for review with the reasons
    /// (new-member limits, the board's pre-moderation).
    pub fn submit_thread(&self, actor: Actor, input: NewThread) -> Result<review::Submitted> {
        self.submit_thread_from(actor, input, &spam::PostOrigin::default())
    }

    /// As `submit_thread`, telling the spam checks where the post came from.
    pub fn submit_thread_from(
        &self,
        actor: Actor,
        input: NewThread,
        origin: &spam::PostOrigin,
    ) -> Result<review::Submitted> {
        self.submit_thread_with(actor, input, origin, None)
    }

    /// As `submit_thread_from`; `product_area` is an idea's (a thread of an
    /// ideas board becomes an idea in the same transaction whatever it is).
    pub(crate) fn submit_thread_with(
        &self,
        actor: Actor,
        input: NewThread,
        origin: &spam::PostOrigin,
        product_area: Option<&str>,
    ) -> Result<review::Submitted> {
        self.ensure_may_post(actor)?;
        let title = validate::title(&input.title)?;
        let body = validate::body(&input.body)?;
        let tags = validate::tags(&input.tags)?;
        let html = markdown::render(&body);
        let reached = if actor.role.is_staff() {
            Vec::new()
        } else {
            self.reached_ranks(actor)?
        };
        let rules = self.moderation_rules();
        let mut screening = self.screening(&rules);
        screening.remote_says_spam =
            self.remote_verdict(actor, &format!("{title}\n\n{body}"), origin);
        screening.typed_ms = origin.typed_ms;
        let submitted = dispatch!(
            &self.db,
            insert_thread(
                self.now(),
                actor,
                input.category.trim(),
                &title,
                &body,
                &html,
                &tags,
                &reached,
                &screening,
                product_area.unwrap_or("")
            )
        )?;
        tracing::info!(
            thread_id = submitted.thread_id,
            user_id = actor.user_id,
            held = !submitted.held.is_empty(),
            "thread created"
        );
        Ok(submitted)
    }

    pub fn threads(
        &self,
        category_slug: &str,
        viewer: Option<Actor>,
        sort: ThreadSort,
        page: i64,
        per_page: i64,
    ) -> Result<(Category, Paged<ThreadSummary>)> {
        let (page, per_page) = clamp_page(page, per_page);
        dispatch!(
            &self.db,
            list_threads(category_slug, viewer, sort, page, per_page)
        )
    }

    /// A thread with one page of replies. Counts a view when `count_view`.
    pub fn thread(
        &self,
        id: i64,
        viewer: Option<Actor>,
        page: i64,
        per_page: i64,
        count_view: bool,
    ) -> Result<ThreadPage> {
        let (page, per_page) = clamp_page(page, per_page);
        let mut t = dispatch!(&self.db, thread_page(id, viewer, page, per_page))?;
        if count_view {
            if let Ok(mut views) = self.views.lock() {
                *views.entry(id).or_default() += 1;
            }
            t.thread.view_count += 1;
        }
        Ok(t)
    }

    /// Write buffered view counts. Views are counted in memory so a page view
    /// costs no write; increments are additive, so many nodes may flush.
    pub fn flush_views(&self) -> Result<usize> {
        let pending: Vec<(i64, i64)> = match self.views.lock() {
            Ok(mut v) => v.drain().collect(),
            Err(_) => return Ok(0),
        };
        if pending.is_empty() {
            return Ok(0);
        }
        let n = pending.len();
        if let Err(e) = dispatch!(&self.db, add_views(&pending)) {
            // Put them back for the next flush rather than lose them.
            if let Ok(mut v) = self.views.lock() {
                for (id, c) in pending {
                    *v.entry(id).or_default() += c;
                }
            }
            return Err(e);
        }
        Ok(n)
    }

    pub fn reply(&self, actor: Actor, thread_id: i64, body: &str) -> Result<i64> {
        self.reply_with(actor, thread_id, body, |_, _| Ok(()))
    }

    /// As `reply`, and `same_tx` runs inside the reply's transaction with
    /// the new post's id: an error from it rolls the reply back. The CRM
    /// bridge records an inbound comment's id this way, so a redelivered
    /// comment can never be posted twice.
    pub fn reply_with(
        &self,
        actor: Actor,
        thread_id: i64,
        body: &str,
        same_tx: impl FnMut(TxConn<'_>, i64) -> Result<()>,
    ) -> Result<i64> {
        let origin = spam::PostOrigin::default();
        Ok(self
            .submit_reply_with(actor, thread_id, body, &origin, same_tx)?
            .post_id)
    }

    /// Reply: published, or held for review with the reasons.
    pub fn submit_reply(
        &self,
        actor: Actor,
        thread_id: i64,
        body: &str,
    ) -> Result<review::Submitted> {
        self.submit_reply_from(actor, thread_id, body, &spam::PostOrigin::default())
    }

    /// As `submit_reply`, telling the spam checks where the post came from.
    pub fn submit_reply_from(
        &self,
        actor: Actor,
        thread_id: i64,
        body: &str,
        origin: &spam::PostOrigin,
    ) -> Result<review::Submitted> {
        self.submit_reply_with(actor, thread_id, body, origin, |_, _| Ok(()))
    }

    fn submit_reply_with(
        &self,
        actor: Actor,
        thread_id: i64,
        body: &str,
        origin: &spam::PostOrigin,
        mut same_tx: impl FnMut(TxConn<'_>, i64) -> Result<()>,
    ) -> Result<review::Submitted> {
        self.ensure_may_post(actor)?;
        let body = validate::body(body)?;
        let html = markdown::render(&body);
        let now = self.now();
        let rules = self.moderation_rules();
        let mut screening = self.screening(&rules);
        screening.remote_says_spam = self.remote_verdict(actor, &body, origin);
        let submitted = match &self.db {
            Db::Sqlite(pool) => db::sqlite_store::insert_reply(
                &mut *pool.get()?,
                now,
                actor,
                thread_id,
                &body,
                &html,
                &screening,
                &mut |conn, id| same_tx(TxConn::Sqlite(conn), id),
            ),
            Db::Pg(pool) => db::pg_store::insert_reply(
                &mut *pool.get()?,
                now,
                actor,
                thread_id,
                &body,
                &html,
                &screening,
                &mut |conn, id| same_tx(TxConn::Pg(conn), id),
            ),
        }?;
        tracing::info!(
            thread_id,
            post_id = submitted.post_id,
            user_id = actor.user_id,
            held = !submitted.held.is_empty(),
            "reply posted"
        );
        Ok(submitted)
    }

    pub fn edit_post(
        &self,
        actor: Actor,
        post_id: i64,
        title: Option<&str>,
        body: &str,
    ) -> Result<()> {
        self.ensure_may_post(actor)?;
        let title = title.map(validate::title).transpose()?;
        let body = validate::body(body)?;
        let html = markdown::render(&body);
        let by_rank = self.has_privilege(actor, reputation::Privilege::EditPosts)?;
        dispatch!(
            &self.db,
            update_post(
                self.now(),
                actor,
                post_id,
                title.as_deref(),
                &body,
                &html,
                by_rank
            )
        )
    }

    pub fn revisions(&self, post_id: i64, viewer: Option<Actor>) -> Result<Vec<Revision>> {
        dispatch!(&self.db, revisions(post_id, viewer))
    }

    pub fn delete_post(&self, actor: Actor, post_id: i64) -> Result<()> {
        dispatch!(&self.db, soft_delete_post(self.now(), actor, post_id))
    }

    /// Give a kudo (`on`) or withdraw it; returns the post's new kudo count.
    pub fn vote(&self, actor: Actor, post_id: i64, on: bool) -> Result<i32> {
        self.ensure_may_post(actor)?;
        dispatch!(&self.db, set_vote(self.now(), actor, post_id, on))
    }

    pub fn accept(&self, actor: Actor, post_id: i64) -> Result<()> {
        self.ensure_may_post(actor)?;
        dispatch!(&self.db, accept(self.now(), actor, post_id))
    }

    pub fn unaccept(&self, actor: Actor, thread_id: i64) -> Result<()> {
        dispatch!(&self.db, unaccept(self.now(), actor, thread_id))
    }

    pub fn set_locked(&self, actor: Actor, thread_id: i64, locked: bool) -> Result<()> {
        dispatch!(&self.db, set_locked(self.now(), actor, thread_id, locked))
    }

    /// Render every post's Markdown again with today's renderer and store
    /// the HTML where it changed: after a sanitiser or nesting rule changes,
    /// posts written before it are brought in line. Safe while the server
    /// runs. `progress` gets the posts read so far; returns how many changed.
    pub fn rerender_posts(&self, mut progress: impl FnMut(u64)) -> Result<u64> {
        let (mut after, mut read, mut changed) = (0i64, 0u64, 0u64);
        loop {
            let (last, n_read, n) =
                dispatch!(&self.db, rerender_posts(after, 500, &markdown::render))?;
            let Some(last) = last else { break };
            read += n_read;
            after = last;
            changed += n;
            progress(read);
        }
        if changed > 0 {
            tracing::info!(changed, "posts re-rendered");
        }
        Ok(changed)
    }

    /// One post, if the viewer may see its thread: what a reply returns,
    /// and what an edit form starts from, however long the thread is.
    pub fn post(&self, post_id: i64, viewer: Option<Actor>) -> Result<Post> {
        dispatch!(&self.db, post_view(post_id, viewer))
    }

    /// (thread, page) where `viewer` finds the post, with `per_page`
    /// replies a page: what a post's permanent link resolves to.
    pub fn post_location(
        &self,
        post_id: i64,
        viewer: Option<Actor>,
        per_page: i64,
    ) -> Result<(i64, i64)> {
        dispatch!(&self.db, post_location(post_id, viewer, per_page))
    }

    /// Whether a staff member's reply is visible in the thread (what "the
    /// support team answered" rests on, with the accepted answer's author).
    pub fn staff_replied(&self, thread_id: i64) -> Result<bool> {
        dispatch!(&self.db, staff_replied(thread_id))
    }

    /// The thread a post belongs to, if the viewer may see it.
    pub fn thread_of_post(&self, post_id: i64, viewer: Option<Actor>) -> Result<i64> {
        dispatch!(&self.db, thread_id_of_post(post_id, viewer))
    }

    // ------------------------------------------------------------ outbox

    /// Hand the next events after `consumer`'s cursor to `handler`; the cursor
    /// moves only when the handler returns Ok. Safe to call from many
    /// processes at once: one of them gets the batch, the others get 0.
    pub fn poll_events(
        &self,
        consumer: &str,
        limit: i64,
        mut handler: impl FnMut(&[Event]) -> Result<()>,
    ) -> Result<usize> {
        dispatch!(
            &self.db,
            poll_events(self.now(), consumer, limit.clamp(1, 10_000), &mut handler)
        )
    }

    /// As `poll_events`, but the handler also gets the connection of the
    /// transaction that moves the cursor, so a consumer in another crate
    /// (the CRM bridge) commits its writes together with its place in the
    /// outbox: a crash can neither lose nor repeat a batch.
    pub fn poll_events_with(
        &self,
        consumer: &str,
        limit: i64,
        mut handler: impl FnMut(TxConn<'_>, &[Event]) -> Result<()>,
    ) -> Result<usize> {
        let limit = limit.clamp(1, 10_000);
        let now = self.now();
        match &self.db {
            Db::Sqlite(pool) => db::sqlite_store::poll_events_in_tx(
                &mut *pool.get()?,
                now,
                consumer,
                limit,
                &mut |conn, events| handler(TxConn::Sqlite(conn), events),
            ),
            Db::Pg(pool) => db::pg_store::poll_events_in_tx(
                &mut *pool.get()?,
                now,
                consumer,
                limit,
                &mut |conn, events| handler(TxConn::Pg(conn), events),
            ),
        }
    }

    /// Events after `from`, for consumers that store their own position;
    /// events this build cannot read are dead-lettered under `consumer`.
    pub fn read_events_after(
        &self,
        consumer: &str,
        from: OutboxPosition,
        limit: i64,
    ) -> Result<(Vec<Event>, OutboxPosition)> {
        dispatch!(
            &self.db,
            read_events_after(self.now(), consumer, from, limit.clamp(1, 10_000))
        )
    }

    /// Where `consumer` is in the outbox (None before its first poll).
    pub fn consumer_position(&self, consumer: &str) -> Result<Option<OutboxPosition>> {
        dispatch!(&self.db, consumer_position(consumer))
    }

    pub fn outbox_head(&self) -> Result<OutboxPosition> {
        dispatch!(&self.db, outbox_head())
    }

    // ------------------------------------------------------------ search documents

    pub fn thread_documents(&self, ids: &[i64]) -> Result<Vec<ThreadDocument>> {
        dispatch!(&self.db, thread_documents(ids))
    }

    pub fn thread_documents_after(&self, after_id: i64, limit: i64) -> Result<Vec<ThreadDocument>> {
        dispatch!(&self.db, thread_documents_after(after_id, limit))
    }

    // ------------------------------------------------------------ deflection

    /// Ask-page session ids are 32 hex characters made by the page.
    fn check_ask_id(ask_id: &str) -> Result<()> {
        if ask_id.len() == 32 && ask_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(())
        } else {
            Err(ForumError::validation(
                "ask_id",
                "not a valid ask session id",
            ))
        }
    }

    /// Start an ask-page session (opened for a board, or none). Returns
    /// whether it is held out: shown no suggestions, so their effect can be
    /// measured (`[analytics] holdout_percent`; the same answer for every
    /// call with the id).
    pub fn start_ask_session(
        &self,
        ask_id: &str,
        user_id: Option<i64>,
        category_id: Option<i64>,
    ) -> Result<bool> {
        Self::check_ask_id(ask_id)?;
        let holdout =
            analytics::deflection::in_holdout(ask_id, self.analytics.holdout_percent.min(50));
        dispatch!(
            &self.db,
            start_ask_session(self.now(), ask_id, user_id, category_id, holdout)
        )?;
        Ok(holdout)
    }

    /// Whether the ask-page session `ask_id` is held out of suggestions.
    pub fn ask_session_held_out(&self, ask_id: &str) -> bool {
        Self::check_ask_id(ask_id).is_ok()
            && analytics::deflection::in_holdout(ask_id, self.analytics.holdout_percent.min(50))
    }

    /// The customer opened a suggested thread or article while asking.
    pub fn record_suggestion_open(
        &self,
        ask_id: &str,
        user_id: Option<i64>,
        kind: &str,
        doc_id: i64,
    ) -> Result<()> {
        Self::check_ask_id(ask_id)?;
        if !matches!(kind, "thread" | "article") {
            return Err(ForumError::invalid(
                "kind",
                crate::Rule::OneOf {
                    choices: "thread, article".into(),
                },
                "kind is thread or article",
            ));
        }
        dispatch!(
            &self.db,
            record_suggestion_open(self.now(), ask_id, user_id, kind, doc_id)
        )
    }

    pub fn mark_ask_posted(&self, ask_id: &str, thread_id: i64) -> Result<()> {
        Self::check_ask_id(ask_id)?;
        dispatch!(&self.db, mark_ask_posted(ask_id, thread_id))
    }

    pub fn deflection_stats(&self, since: i64, until: i64) -> Result<DeflectionStats> {
        dispatch!(&self.db, deflection_stats(since, until))
    }

    pub fn pending_events(&self, consumer: &str) -> Result<i64> {
        dispatch!(&self.db, pending_events(consumer))
    }

    /// Events after `from`: the lag of a consumer that keeps its own
    /// position (a search index).
    pub fn events_after_count(&self, from: OutboxPosition) -> Result<i64> {
        dispatch!(&self.db, events_after_count(from))
    }

    /// Delete up to `limit` outbox events older than `min_age_ms` that every
    /// consumer with a cursor has handled; one node at a time. Returns how
    /// many went. A consumer that keeps its own position and is left below
    /// `outbox_pruned_through` must rebuild from the tables.
    pub fn prune_outbox(&self, min_age_ms: i64, limit: i64) -> Result<u64> {
        let now = self.now();
        dispatch!(
            &self.db,
            prune_outbox(now, now.saturating_sub(min_age_ms), limit.clamp(1, 100_000))
        )
    }

    /// Events at or below this position have been pruned.
    pub fn outbox_pruned_through(&self) -> Result<Option<OutboxPosition>> {
        dispatch!(&self.db, outbox_pruned_through())
    }

    /// How many events the outbox holds, for metrics.
    pub fn outbox_size(&self) -> Result<i64> {
        dispatch!(&self.db, outbox_size())
    }

    /// Every outbox consumer with a cursor, and how far behind it is.
    pub fn consumer_lags(&self) -> Result<Vec<(String, i64)>> {
        dispatch!(&self.db, consumer_lags())
    }

    /// Give up on the event at the head of `consumer`'s queue after its
    /// handler kept failing on it: it is recorded as a dead letter with
    /// `error` and the cursor moves past it, in one transaction. Returns
    /// the event's id (`None`: nothing pending, or another node is on it).
    pub fn skip_event(&self, consumer: &str, error: &str) -> Result<Option<i64>> {
        let skipped = dispatch!(&self.db, skip_event(self.now(), consumer, error))?;
        if let Some(event_id) = skipped {
            tracing::error!(consumer, event_id, error, "outbox event dead-lettered");
        }
        Ok(skipped)
    }

    /// For consumers that keep their own position: record that `event`
    /// was given up on.
    pub fn record_dead_letter(
        &self,
        consumer: &str,
        event: &Event,
        tx_id: i64,
        error: &str,
    ) -> Result<()> {
        tracing::error!(
            consumer,
            event_id = event.id,
            error,
            "outbox event dead-lettered"
        );
        dispatch!(
            &self.db,
            insert_dead_letter(self.now(), consumer, (event.id, event.kind()), tx_id, error)
        )
    }

    /// Dead letters by consumer, for metrics.
    pub fn dead_letter_counts(&self) -> Result<Vec<(String, i64)>> {
        dispatch!(&self.db, dead_letter_counts())
    }

    /// One consumer's dead letters, newest first: (event id, kind, error, at).
    pub fn dead_letters(
        &self,
        consumer: &str,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, i64)>> {
        dispatch!(&self.db, dead_letters(consumer, limit.clamp(1, 1000)))
    }

    // ------------------------------------------------------------ import / export

    /// Import JSONL lines (see `import`). Thread lines are written in
    /// transactions of up to `batch` threads; `progress` gets the number of
    /// lines handled so far.
    pub fn import_lines<I>(
        &self,
        lines: I,
        batch: usize,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportSummary>
    where
        I: IntoIterator<Item = std::io::Result<String>>,
    {
        let mut summary = ImportSummary::default();
        let mut pending: Vec<ThreadRecord> = Vec::with_capacity(batch);
        let mut line_no = 0u64;
        for line in lines {
            line_no += 1;
            let line =
                line.map_err(|e| ForumError::Internal(format!("reading line {line_no}: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            match import::parse_line(&line) {
                Ok(Record::Thread(t)) => pending.push(t),
                Ok(Record::User(u)) => {
                    if dispatch!(&self.db, import_user(self.now(), &u))? {
                        summary.users_created += 1;
                    }
                }
                Ok(Record::Category(c)) => {
                    if dispatch!(&self.db, import_category(self.now(), &c))? {
                        summary.categories_created += 1;
                    }
                }
                Ok(Record::Audit(_)) => summary.audit_entries_not_imported += 1,
                Err(e) => summary.skipped.push((line_no, e.to_string())),
            }
            if pending.len() >= batch {
                self.flush_import(&mut pending, &mut summary)?;
                progress(line_no);
            }
        }
        self.flush_import(&mut pending, &mut summary)?;
        // The planner has never seen the imported rows: without this the
        // workers' first queries after a large import pick scans.
        if summary.threads > 0 || summary.users_created > 0 {
            self.db.refresh_statistics(&[
                "users",
                "categories",
                "threads",
                "posts",
                "votes",
                "thread_tags",
                "ideas",
                "idea_votes",
                "outbox_events",
            ])?;
        }
        progress(line_no);
        Ok(summary)
    }

    fn flush_import(
        &self,
        pending: &mut Vec<ThreadRecord>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let counts = dispatch!(&self.db, import_threads(self.now(), pending))?;
        summary.threads += counts.threads;
        summary.posts += counts.posts;
        summary.votes += counts.votes;
        summary.idea_votes += counts.idea_votes;
        summary.users_created += counts.users_created;
        summary.categories_created += counts.categories_created;
        pending.clear();
        Ok(())
    }

    /// Write every user, category and live thread, then the staff audit
    /// log (oldest first), as JSONL records.
    pub fn export(&self, mut write: impl FnMut(&Record) -> Result<()>) -> Result<u64> {
        let mut n = 0u64;
        let mut after = 0i64;
        loop {
            let users = dispatch!(&self.db, export_users(after, 500))?;
            let Some((last, _)) = users.last() else { break };
            after = *last;
            for (_, u) in users {
                write(&Record::User(u))?;
                n += 1;
            }
        }
        for c in dispatch!(&self.db, export_categories())? {
            write(&Record::Category(c))?;
            n += 1;
        }
        let mut after = 0i64;
        loop {
            let threads = dispatch!(&self.db, export_threads(after, 200))?;
            let Some((last, _)) = threads.last() else {
                break;
            };
            after = *last;
            for (_, t) in threads {
                write(&Record::Thread(t))?;
                n += 1;
            }
        }
        let mut after = 0i64;
        loop {
            let entries = dispatch!(&self.db, export_audit(after, 500))?;
            let Some(last) = entries.last() else { break };
            after = last.id;
            for a in entries {
                write(&Record::Audit(a))?;
                n += 1;
            }
        }
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Session,
    Api,
    /// A single-use password-reset link, valid for `RESET_TOKEN_TTL_MS`.
    PasswordReset,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Session => "session",
            TokenKind::Api => "api",
            TokenKind::PasswordReset => "password_reset",
        }
    }
}

fn clamp_page(page: i64, per_page: i64) -> (i64, i64) {
    let p = paging::clamp(page, per_page, PageLimits::LISTING);
    (p.page, p.per_page)
}
