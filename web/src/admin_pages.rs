//! Administration pages: the dashboard, members (search, filters, a member
//! page with role, silence, suspension, ban and password reset), boards
//! (create, settings, archive, order) and the staff audit log. Every decision (who may do what) is the domain's;
//! these handlers only translate forms.

use actix_web::web;
use askama::Template;
use forum::members::{
    AuditEntry, AuditFilter, MemberQuery, MemberStatus, MemberSummary, StandingChange,
};
use forum::{Actor, ForumError, PageLimits, Paging, Role, User};
use serde::Deserialize;

use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::Layout;
use crate::moderation_pages::trust_label;
use crate::pages::{filters, render, url_encode, PageError, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(dashboard))
        .route("/admin/users", web::get().to(members))
        .route("/admin/users/{id}", web::get().to(member))
        .route("/admin/users/{id}/role", web::post().to(set_role))
        .route("/admin/users/{id}/standing", web::post().to(set_standing))
        .route(
            "/admin/users/{id}/reset-password",
            web::post().to(reset_password),
        )
        .route("/admin/users/{id}/erase", web::post().to(erase))
        .route("/admin/audit", web::get().to(audit))
        .route("/admin/boards", web::get().to(boards))
        .route("/admin/boards", web::post().to(create_board))
        .route("/admin/boards/{slug}", web::get().to(board))
        .route("/admin/boards/{slug}", web::post().to(update_board))
        .route(
            "/admin/boards/{slug}/archive",
            web::post().to(archive_board),
        )
        .route(
            "/admin/boards/{slug}/unarchive",
            web::post().to(unarchive_board),
        )
        .route("/admin/boards/{slug}/move", web::post().to(move_board))
        .route(
            "/admin/users/{id}/confirm-email",
            web::post().to(confirm_email),
        );
}

/// Staff (moderators and admins) only; others get 403, visitors sign in.
fn staff(ctx: &PageCtx) -> Result<Actor, PageError> {
    let actor = ctx.require_actor()?;
    if !actor.role.can_moderate() {
        return Err(PageError(WebError::Forum(ForumError::Forbidden(
            "staff only",
        ))));
    }
    Ok(actor)
}

/// Every role, lowest first (the role and visibility pickers).
const ROLES: [Role; 4] = [Role::Customer, Role::Agent, Role::Moderator, Role::Admin];

// ------------------------------------------------------------ labels
//
// The words the staff pages show for the domain's values. Each arm names
// its message literally, so the catalogue test checks every id.

/// A member's standing ("silenced").
pub(crate) fn status_label(layout: &Layout, status: &MemberStatus) -> String {
    match status {
        MemberStatus::Active => layout.t("admin-status-active"),
        MemberStatus::Silenced => layout.t("admin-status-silenced"),
        MemberStatus::Suspended => layout.t("admin-status-suspended"),
        MemberStatus::Banned => layout.t("admin-status-banned"),
    }
}

/// "3 silenced", for the dashboard's links.
fn status_count(layout: &Layout, status: &MemberStatus, n: &i64) -> String {
    match status {
        MemberStatus::Active => layout.count("admin-dash-status-active", n),
        MemberStatus::Silenced => layout.count("admin-dash-status-silenced", n),
        MemberStatus::Suspended => layout.count("admin-dash-status-suspended", n),
        MemberStatus::Banned => layout.count("admin-dash-status-banned", n),
    }
}

/// Who sees a board whose lowest role is `role`.
fn board_audience(layout: &Layout, role: &Role) -> String {
    match role {
        Role::Customer => layout.t("admin-board-see-customer"),
        Role::Agent => layout.t("admin-board-see-agent"),
        Role::Moderator => layout.t("admin-board-see-moderator"),
        Role::Admin => layout.t("admin-board-see-admin"),
    }
}

/// Who starts threads on a board.
fn board_starters(layout: &Layout, start: &forum::boards::StartThreads) -> String {
    use forum::boards::StartThreads;
    match start {
        StartThreads::Everyone => layout.t("admin-board-start-everyone"),
        StartThreads::Staff => layout.t("admin-board-start-staff"),
        StartThreads::Rank(rank) => layout.t1("admin-board-start-rank-of", "rank", rank),
    }
}

fn board_crm(layout: &Layout, crm: &forum::boards::CrmTasks) -> String {
    use forum::boards::CrmTasks;
    match crm {
        CrmTasks::Rules => layout.t("admin-board-crm-rules"),
        CrmTasks::On => layout.t("admin-board-crm-on"),
        CrmTasks::Off => layout.t("admin-board-crm-off"),
    }
}

fn board_premoderation(layout: &Layout, p: &forum::boards::Premoderation) -> String {
    use forum::boards::Premoderation;
    match p {
        Premoderation::None => layout.t("admin-board-premod-none"),
        Premoderation::NewMembers => layout.t("admin-board-premod-new_members"),
        Premoderation::All => layout.t("admin-board-premod-all"),
    }
}

/// An id (member #12) in the page's digits, ungrouped.
pub(crate) fn id_text(layout: &Layout, id: &i64) -> String {
    layout.lang.digits(&id.to_string())
}

/// What an audit entry records, in words; None for an action this page
/// has no words for (shown as its code alone).
fn audit_action(layout: &Layout, action: &str) -> Option<String> {
    Some(match action {
        "member.role" => layout.t("admin-audit-action-member-role"),
        "member.standing" => layout.t("admin-audit-action-member-standing"),
        "member.password_reset" => layout.t("admin-audit-action-member-password_reset"),
        "member.erased" => layout.t("admin-audit-action-member-erased"),
        "member.email_confirmed" => layout.t("admin-audit-action-member-email_confirmed"),
        "member.email_changed" => layout.t("admin-audit-action-member-email_changed"),
        "board.create" => layout.t("admin-audit-action-board-create"),
        "board.update" => layout.t("admin-audit-action-board-update"),
        "board.move" => layout.t("admin-audit-action-board-move"),
        "board.archive" => layout.t("admin-audit-action-board-archive"),
        "board.unarchive" => layout.t("admin-audit-action-board-unarchive"),
        "setting.set" => layout.t("admin-audit-action-setting-set"),
        "setting.clear" => layout.t("admin-audit-action-setting-clear"),
        "review.approve" => layout.t("admin-audit-action-review-approve"),
        "review.reject" => layout.t("admin-audit-action-review-reject"),
        "review.reject_and_silence" => layout.t("admin-audit-action-review-reject_and_silence"),
        "review.delete_spam" => layout.t("admin-audit-action-review-delete_spam"),
        _ => return None,
    })
}

/// A recorded before or after value in words where the page knows its
/// vocabulary (roles, standings, review states, how a reset link went);
/// other values (a board's or a setting's `key=value` lines) as recorded.
fn audit_value(layout: &Layout, action: &str, value: &str) -> String {
    let known = match (action, value) {
        ("member.role", v) => v.parse::<Role>().ok().map(|r| layout.role(&r)),
        ("member.standing", v) => {
            let (status, until) = match v.split_once(" until ") {
                Some((s, u)) => (s, u.trim().parse::<i64>().ok()),
                None => (v, None),
            };
            MemberStatus::parse(status).ok().map(|s| {
                let label = status_label(layout, &s);
                match until {
                    Some(ms) => format!(
                        "{label} {} {}",
                        layout.t("admin-member-until"),
                        layout.when(&ms)
                    ),
                    None => label,
                }
            })
        }
        ("member.password_reset", "mailed") => Some(layout.t("admin-audit-value-mailed")),
        ("member.password_reset", "link shown") => Some(layout.t("admin-audit-value-link-shown")),
        ("member.email_confirmed", "confirmed") => Some(layout.t("admin-audit-value-confirmed")),
        ("member.email_confirmed", "unconfirmed") => {
            Some(layout.t("admin-audit-value-unconfirmed"))
        }
        ("member.erased", "erased") => Some(layout.t("admin-audit-value-erased")),
        (a, "visible") if a.starts_with("review.") => Some(layout.t("mod-post-shown")),
        (a, "held") if a.starts_with("review.") => Some(layout.t("mod-post-held")),
        (a, "hidden") if a.starts_with("review.") => Some(layout.t("mod-post-hidden")),
        (a, "rejected") if a.starts_with("review.") => Some(layout.t("mod-post-rejected")),
        (a, "approved") if a.starts_with("review.") => Some(layout.t("admin-audit-value-approved")),
        _ => None,
    };
    known.unwrap_or_else(|| value.to_string())
}

/// A figure with one decimal in the page's language (1.5, 1,5, ۱٫۵).
fn decimal(layout: &Layout, value: &f64) -> String {
    let text = format!("{value:.1}");
    match layout.lang {
        Lang::Ru | Lang::Uk => text.replace('.', ","),
        lang => lang.digits(&text),
    }
}

/// What an audit entry is about ("board #3"), without the member link
/// the template makes itself.
fn audit_target(layout: &Layout, kind: &str, id: &i64) -> String {
    let id = id_text(layout, id);
    match kind {
        "user" => layout.t1("admin-audit-target-user", "id", id),
        "board" => layout.t1("admin-audit-target-board", "id", id),
        "post" => layout.t1("admin-audit-target-post", "id", id),
        "setting" => layout.t("admin-audit-target-setting"),
        other => format!("{other} #{id}"),
    }
}

#[derive(Template)]
#[template(path = "admin_dashboard.html")]
struct DashboardPage {
    layout: Layout,
    /// (status, how many members).
    by_status: Vec<(MemberStatus, i64)>,
    members: i64,
    mail: (i64, i64, i64),
    crm_dead: i64,
    crm_breaches: i64,
    is_admin: bool,
    review: forum::review::ReviewStats,
    /// Members who joined and posts written in the last 24 hours.
    today: (i64, i64),
}

async fn dashboard(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = staff(&ctx)?;
    let (by_status, members, mail) = state
        .call(move |f| {
            let one = Paging {
                page: 1,
                per_page: 1,
            };
            let mut by_status = Vec::new();
            for status in MemberStatus::ALL {
                let q = MemberQuery {
                    status: Some(status),
                    ..Default::default()
                };
                by_status.push((status, f.members(Some(actor), &q, one)?.1));
            }
            let total = f.members(Some(actor), &MemberQuery::default(), one)?.1;
            Ok((
                by_status,
                total,
                (
                    f.mail_counts()?,
                    f.moderation_stats(actor, 30)?,
                    f.activity_today()?,
                ),
            ))
        })
        .await?;
    let (mail, review, today) = mail;
    let (crm_dead, crm_breaches) = if actor.role == Role::Admin {
        state
            .crm(move |c| {
                let s = c.stats(actor)?;
                Ok((
                    s.dead_letters,
                    s.first_response_breaches + s.resolution_breaches,
                ))
            })
            .await?
    } else {
        (0, 0)
    };
    render(
        &ctx,
        &DashboardPage {
            layout: ctx.layout(),
            by_status,
            members,
            mail,
            crm_dead,
            crm_breaches,
            is_admin: actor.role == Role::Admin,
            review,
            today,
        },
    )
}

#[derive(Deserialize, Default)]
struct MembersQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    rank: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin_members.html")]
struct MembersPage {
    layout: Layout,
    members: Vec<MemberSummary>,
    total: i64,
    page: i64,
    pages: i64,
    q: String,
    role: String,
    status: String,
    rank: String,
    sort: String,
    roles: Vec<Role>,
    statuses: Vec<MemberStatus>,
    /// The community's ranks, lowest first.
    ranks: Vec<String>,
    /// The query string without `page`, for the pager's links.
    query: String,
}

async fn members(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<MembersQuery>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let query = query.into_inner();
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let q = MemberQuery {
        q: blank(&query.q),
        role: blank(&query.role)
            .map(|r| r.parse::<Role>())
            .transpose()
            .map_err(WebError::Forum)?,
        status: blank(&query.status)
            .map(|s| MemberStatus::parse(&s))
            .transpose()?,
        rank: blank(&query.rank),
        sort: blank(&query.sort),
    };
    let paging = Paging::pages(query.page, Some(50), PageLimits::LISTING)?;
    let page = paging.page;
    let q2 = q.clone();
    let (members, total) = state
        .call(move |f| f.members(Some(actor), &q2, paging))
        .await?;
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let query_string = [
        ("q", text(&q.q)),
        (
            "role",
            q.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "status",
            q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        ),
        ("rank", text(&q.rank)),
        ("sort", text(&q.sort)),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", url_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    render(
        &ctx,
        &MembersPage {
            layout: ctx.layout(),
            members,
            total,
            page,
            pages: ((total + 49) / 50).max(1),
            q: text(&q.q),
            role: q.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            status: q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            rank: text(&q.rank),
            sort: q.sort.unwrap_or_else(|| "joined".into()),
            ranks: state
                .forum
                .reputation_rules()
                .ranks
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            roles: ROLES.to_vec(),
            statuses: MemberStatus::ALL.to_vec(),
            query: query_string,
        },
    )
}

#[derive(Template)]
#[template(path = "admin_member.html")]
struct MemberPage {
    layout: Layout,
    member: User,
    status: MemberStatus,
    history: Vec<AuditEntry>,
    roles: Vec<Role>,
    is_admin: bool,
    /// A reset link to hand over, right after one was made with mail off.
    reset_link: Option<String>,
    /// The site asks for confirmation and this member has not given it.
    email_pending: bool,
    /// Reports members made on this member's posts, and reports they made.
    reports_received: i64,
    reports_given: i64,
    trust: forum::review::TrustLevel,
    /// The CRM keeps a contact record for them (shown to admins, who may
    /// read it).
    crm_contact: bool,
    /// Addresses they signed in or registered from.
    addresses: Vec<forum::members::SeenAddress>,
}

async fn member_page(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    id: i64,
    reset_link: Option<String>,
) -> PageResult {
    let actor = staff(ctx)?;
    let (member, history, now, (reports_received, reports_given), (trust, addresses)) = state
        .call(move |f| {
            let member = f.user(id)?;
            let history = f.audit_log(
                Some(actor),
                &AuditFilter {
                    target_kind: Some("user".into()),
                    target_id: Some(id),
                    ..Default::default()
                },
                50,
            )?;
            Ok((
                member,
                history,
                f.now(),
                f.flag_counts(id)?,
                (f.trust_level(id)?, f.member_addresses(Some(actor), id)?),
            ))
        })
        .await?;
    let crm_contact =
        actor.role == Role::Admin && state.crm(move |c| c.has_contact(actor, id)).await?;
    render(
        ctx,
        &MemberPage {
            layout: ctx.layout(),
            status: member.standing.effective(now),
            email_pending: state.forum.must_confirm_email(&member),
            member,
            history,
            roles: ROLES.to_vec(),
            is_admin: actor.role == Role::Admin,
            reset_link,
            reports_received,
            reports_given,
            trust,
            crm_contact,
            addresses,
        },
    )
}

async fn member(state: web::Data<AppState>, ctx: PageCtx, id: web::Path<i64>) -> PageResult {
    member_page(&state, &ctx, id.into_inner(), None).await
}

#[derive(Deserialize)]
struct RoleForm {
    csrf: String,
    role: String,
    #[serde(default)]
    reason: String,
}

async fn set_role(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<RoleForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let id = id.into_inner();
    let role: Role = form.role.parse().map_err(WebError::Forum)?;
    let reason = form.reason.clone();
    state
        .call(move |f| f.set_role(Some(actor), id, role, &reason))
        .await?;
    Ok(ctx.redirect(&format!("/admin/users/{id}")))
}

#[derive(Deserialize)]
struct StandingForm {
    csrf: String,
    status: String,
    /// Blank: until lifted.
    #[serde(default)]
    days: String,
    #[serde(default)]
    reason: String,
}

async fn set_standing(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<StandingForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let id = id.into_inner();
    let days = match form.days.trim() {
        "" => None,
        d => Some(d.parse::<u32>().map_err(|_| {
            WebError::Forum(ForumError::invalid(
                "for_days",
                forum::Rule::WholeNumber,
                "a number of days",
            ))
        })?),
    };
    let change = StandingChange {
        status: MemberStatus::parse(&form.status)?,
        for_days: days,
        reason: form.reason.clone(),
    };
    state
        .call(move |f| f.set_standing(Some(actor), id, &change))
        .await?;
    Ok(ctx.redirect(&format!("/admin/users/{id}")))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

#[derive(Deserialize)]
struct ConfirmEmailForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// An administrator confirms a member's address by hand (audited).
async fn confirm_email(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<ConfirmEmailForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let id = id.into_inner();
    let reason = form.into_inner().reason;
    state
        .call(move |f| f.staff_confirm_email(Some(actor), id, &reason))
        .await?;
    Ok(ctx.redirect(&format!("/admin/users/{id}")))
}

async fn reset_password(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let id = id.into_inner();
    let by_mail = state.config.mail.transport != "none";
    let link = state
        .call(move |f| f.staff_password_reset(Some(actor), id, by_mail))
        .await?;
    match link {
        // Shown once, on this page; never put in a redirect's URL.
        Some(path) => {
            let link = format!("{}{path}", state.config.public_url.trim_end_matches('/'));
            member_page(&state, &ctx, id, Some(link)).await
        }
        None => Ok(ctx.redirect(&format!("/admin/users/{id}"))),
    }
}

#[derive(Deserialize)]
struct EraseForm {
    csrf: String,
    #[serde(default)]
    confirm: String,
}

async fn erase(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<EraseForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let id = id.into_inner();
    let confirm = form.confirm.clone();
    state
        .call(move |f| f.erase_member(Some(actor), id, &confirm))
        .await?;
    Ok(ctx.redirect(&format!("/admin/users/{id}")))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    action: Option<String>,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    action: String,
    next: Option<i64>,
}

async fn audit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<AuditQuery>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let query = query.into_inner();
    let action = query.action.filter(|a| !a.trim().is_empty());
    let filter = AuditFilter {
        action: action.clone(),
        before_id: query.before,
        ..Default::default()
    };
    let entries = state
        .call(move |f| f.audit_log(Some(actor), &filter, 100))
        .await?;
    let next = (entries.len() == 100)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    render(
        &ctx,
        &AuditPage {
            layout: ctx.layout(),
            entries,
            action: action.unwrap_or_default(),
            next,
        },
    )
}

// ------------------------------------------------------------ boards

#[derive(Template)]
#[template(path = "admin_boards.html")]
struct BoardsPage {
    layout: Layout,
    boards: Vec<forum::Category>,
    ranks: Vec<String>,
    roles: Vec<Role>,
    is_admin: bool,
}

async fn boards(state: web::Data<AppState>, ctx: PageCtx) -> PageResult {
    let actor = staff(&ctx)?;
    let (boards, ranks) = state
        .call(move |f| Ok((f.boards_for_staff(Some(actor))?, f.rank_names())))
        .await?;
    render(
        &ctx,
        &BoardsPage {
            layout: ctx.layout(),
            boards,
            ranks,
            roles: ROLES.to_vec(),
            is_admin: actor.role == Role::Admin,
        },
    )
}

/// The settings fields shared by the create and edit forms.
#[derive(Deserialize)]
struct BoardForm {
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    see_min_role: String,
    #[serde(default)]
    start_threads: String,
    /// With `start_threads = rank`: which rank.
    #[serde(default)]
    rank: String,
    #[serde(default)]
    crm_tasks: String,
    #[serde(default)]
    premoderation: String,
    /// At creation: `discussion` (default) or `ideas`.
    #[serde(default)]
    kind: String,
}

impl BoardForm {
    fn start_threads(&self) -> String {
        if self.start_threads == "rank" {
            format!("rank:{}", self.rank)
        } else {
            self.start_threads.clone()
        }
    }

    fn change(&self) -> Result<forum::boards::BoardChange, WebError> {
        let role: Role = self.see_min_role.parse().map_err(|e| match e {
            ForumError::Validation { rule, message, .. } => {
                WebError::Forum(ForumError::invalid("see_min_role", rule, message))
            }
            other => WebError::Forum(other),
        })?;
        Ok(forum::boards::BoardChange {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            see_min_role: Some(role),
            start_threads: Some(self.start_threads()),
            crm_tasks: Some(forum::boards::CrmTasks::parse(&self.crm_tasks)?),
            premoderation: Some(forum::boards::Premoderation::parse(&self.premoderation)?),
            position: None,
        })
    }
}

async fn create_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<BoardForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let change = form.change()?;
    let new = forum::boards::NewBoard {
        slug: form.slug.clone(),
        name: form.name.clone(),
        description: form.description.clone(),
        see_min_role: change.see_min_role,
        start_threads: change.start_threads,
        crm_tasks: change.crm_tasks,
        premoderation: change.premoderation,
        position: None,
        kind: match form.kind.as_str() {
            "" => None,
            k => Some(forum::boards::BoardKind::parse(k)?),
        },
    };
    let board = state
        .call(move |f| f.create_board(Some(actor), new))
        .await?;
    Ok(ctx.redirect(&format!("/admin/boards/{}", url_encode(&board.slug))))
}

#[derive(Template)]
#[template(path = "admin_board.html")]
struct BoardPage {
    layout: Layout,
    board: forum::Category,
    start: String,
    rank: String,
    ranks: Vec<String>,
    roles: Vec<Role>,
    history: Vec<AuditEntry>,
    is_admin: bool,
}

async fn board(state: web::Data<AppState>, ctx: PageCtx, slug: web::Path<String>) -> PageResult {
    let actor = staff(&ctx)?;
    let slug = slug.into_inner();
    let (board, ranks, history) = state
        .call(move |f| {
            let board = f.board_for_staff(Some(actor), &slug)?;
            let history = f.audit_log(
                Some(actor),
                &AuditFilter {
                    target_kind: Some("board".into()),
                    target_id: Some(board.id),
                    ..Default::default()
                },
                50,
            )?;
            Ok((board, f.rank_names(), history))
        })
        .await?;
    let (start, rank) = match &board.start_threads {
        forum::boards::StartThreads::Everyone => ("everyone", String::new()),
        forum::boards::StartThreads::Staff => ("staff", String::new()),
        forum::boards::StartThreads::Rank(r) => ("rank", r.clone()),
    };
    render(
        &ctx,
        &BoardPage {
            layout: ctx.layout(),
            start: start.to_owned(),
            rank,
            board,
            ranks,
            roles: ROLES.to_vec(),
            history,
            is_admin: actor.role == Role::Admin,
        },
    )
}

async fn update_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<BoardForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let slug = slug.into_inner();
    let change = form.change()?;
    let board = state
        .call(move |f| f.update_board(Some(actor), &slug, change))
        .await?;
    Ok(ctx.redirect(&format!("/admin/boards/{}", url_encode(&board.slug))))
}

async fn set_archived(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: String,
    csrf: &str,
    archived: bool,
) -> PageResult {
    ctx.verify_csrf(csrf)?;
    let actor = staff(&ctx)?;
    let board = state
        .call(move |f| f.set_board_archived(Some(actor), &slug, archived))
        .await?;
    Ok(ctx.redirect(&format!("/admin/boards/{}", url_encode(&board.slug))))
}

async fn archive_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    set_archived(state, ctx, slug.into_inner(), &form.csrf, true).await
}

async fn unarchive_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    set_archived(state, ctx, slug.into_inner(), &form.csrf, false).await
}

#[derive(Deserialize)]
struct MoveForm {
    csrf: String,
    direction: forum::boards::Direction,
}

async fn move_board(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<MoveForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let slug = slug.into_inner();
    let direction = form.direction;
    state
        .call(move |f| f.move_board(Some(actor), &slug, direction))
        .await?;
    Ok(ctx.redirect("/admin/boards"))
}
