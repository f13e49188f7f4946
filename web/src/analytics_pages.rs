//! `/analytics`: the community's figures for staff (`forum::analytics`,
//! defined in `docs/analytics.md`): a window (the last 7, 30 or 90 days,
//! or chosen dates), a board, the previous period beside each figure,
//! charts drawn on the server with their numbers in tables, and every
//! table as CSV (`/analytics/{table}.csv` with the same query).

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use forum::analytics::{Distribution, Report, Share, Window, DAY_MS};

use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::{render, PageResult};
use crate::session::PageCtx;
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/analytics", web::get().to(page))
        .route("/analytics/kb-draft", web::post().to(kb_draft))
        .route("/analytics/{table}.csv", web::get().to(csv));
}

/// The API operation (`/api/v1/analytics/{metric}`).
pub fn api_routes(r: &mut crate::openapi::ApiRoutes) {
    r.add(__path_api_metric, api_metric);
}

#[derive(Deserialize, Default, Clone)]
pub struct AnalyticsQuery {
    /// `7`, `30`, `90` (days up to now) or `custom` (`from`, `to`).
    #[serde(default)]
    range: String,
    /// `YYYY-MM-DD`, the first day (custom range).
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, the last day, included (custom range).
    #[serde(default)]
    to: String,
    /// A board's slug; empty: every board.
    #[serde(default)]
    board: String,
    /// A customer segment; empty: every member.
    #[serde(default)]
    segment: String,
    #[serde(default)]
    solved_days: Option<i64>,
    /// `day` (default), `week` or `month` (the API's series).
    #[serde(default)]
    bucket: String,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn refused(field: &'static str, message: &str) -> WebError {
    WebError::Forum(forum::ForumError::invalid(
        field,
        forum::Rule::Unspecified,
        message.to_string(),
    ))
}

/// The window a query asks for, at `now`, with its range's name.
fn window_of(
    q: &AnalyticsQuery,
    now: i64,
    category_id: Option<i64>,
) -> Result<(Window, String), WebError> {
    let segment = q.segment.trim();
    if segment.chars().count() > 100 {
        return Err(refused("segment", "a segment is at most 100 characters"));
    }
    let range = if q.range.is_empty() {
        "30"
    } else {
        q.range.as_str()
    };
    let (from, to) = match range {
        "7" | "30" | "90" => {
            let days: i64 = range.parse().unwrap_or(30);
            // Whole days up to the end of today (UTC).
            let end = forum::analytics::day_of(now) + DAY_MS;
            (end - days * DAY_MS, end)
        }
        "custom" => {
            let from = parse_day(&q.from)
                .ok_or_else(|| refused("from", "the first day is written YYYY-MM-DD"))?;
            let to = parse_day(&q.to)
                .ok_or_else(|| refused("to", "the last day is written YYYY-MM-DD"))?;
            (from * DAY_MS, (to + 1) * DAY_MS)
        }
        _ => return Err(refused("range", "the range is 7, 30, 90 or custom")),
    };
    Ok((
        Window {
            from,
            to,
            category_id,
            segment: (!segment.is_empty()).then(|| segment.to_string()),
            bucket: forum::analytics::Bucket::parse(&q.bucket)
                .ok_or_else(|| refused("bucket", "the bucket is day, week or month"))?,
        },
        range.to_string(),
    ))
}

/// A figure with the previous period's beside it.
pub struct Tile {
    pub label: String,
    pub value: String,
    pub previous: String,
    /// "+12 %", "−3 %", or empty when there is nothing to compare.
    pub change: String,
}

/// A summarised duration as a table row.
pub struct DurationRow {
    pub label: String,
    pub count: String,
    pub mean: String,
    pub median: String,
    pub p90: String,
}

#[derive(Template)]
#[template(path = "analytics.html")]
struct AnalyticsPage {
    layout: Layout,
    range: String,
    from: String,
    to: String,
    board: String,
    boards: Vec<(String, String)>,
    segment: String,
    segments: Vec<String>,
    community: bool,
    period: String,
    tiles: Vec<Tile>,
    activity_chart: String,
    series_labels: Vec<String>,
    day_rows: Vec<Vec<String>>,
    durations: Vec<DurationRow>,
    shares: Vec<(String, String, String)>,
    support_tiles: Vec<Tile>,
    sla_chart: String,
    resolution_chart: String,
    sla_rows: Vec<Vec<String>>,
    backlog_chart: String,
    backlog_rows: Vec<(String, String)>,
    funnel_chart: String,
    funnel_rows: Vec<(String, String)>,
    query: String,
    value_tiles: Vec<Tile>,
    assumptions: String,
    contributors: Vec<(i64, String, String, String)>,
    superusers: Vec<(String, String)>,
    at_risk: Vec<(i64, String, String, i64)>,
    quiet_days: i64,
    search_tiles: Vec<(String, String, String)>,
    /// (language, query, searches, without results, query for a link).
    top_queries: Vec<(String, String, String, String, String)>,
    gap_queries: Vec<(String, String, String, String, String)>,
    traffic_tiles: Vec<Tile>,
    traffic_chart: String,
    traffic_rows: Vec<Vec<String>>,
    board_traffic: Vec<Vec<String>>,
    kind_traffic: Vec<(String, String)>,
    deflection_tiles: Vec<(String, String, String)>,
    deflection_note: String,
    deflection_rows: Vec<Vec<String>>,
    /// (shown, held out, lift) when a holdout has data; else a sentence.
    holdout: Result<(String, String, String), String>,
    /// (slug, title, views, helpful, not helpful, helpful share).
    articles: Vec<(String, String, String, String, String, String)>,
}

/// What the page and the CSV show: the window's report, the one before,
/// the window, its range's name, the boards (id, slug, name) and the
/// customer segments.
type Reports = (
    Report,
    Report,
    Window,
    String,
    Vec<(i64, String, String)>,
    Vec<String>,
);

fn date(ms: i64) -> String {
    crate::timefmt::iso8601(ms)[..10].to_string()
}

fn staff(ctx: &PageCtx) -> Result<forum::Actor, WebError> {
    let actor = ctx.require_actor()?;
    if !actor.role.is_staff() {
        return Err(WebError::Forum(forum::ForumError::Forbidden(
            "analytics are for staff",
        )));
    }
    Ok(actor)
}

/// The report of the query's window and of the one before it.
async fn reports(
    state: &web::Data<AppState>,
    actor: forum::Actor,
    q: &AnalyticsQuery,
) -> Result<Reports, WebError> {
    let q = q.clone();
    let (window, range, days, boards, segments) = state
        .call(move |f| {
            let boards = f.board_names(Some(actor))?;
            let segments = f.customer_segments()?;
            let category_id = if q.board.is_empty() {
                None
            } else {
                Some(f.category(&q.board, Some(actor))?.id)
            };
            let (window, range) = window_of(&q, f.now(), category_id).map_err(|e| match e {
                WebError::Forum(e) => e,
                other => forum::ForumError::Internal(other.to_string()),
            })?;
            Ok((window, range, q.solved_days.unwrap_or(7), boards, segments))
        })
        .await?;
    // The two periods side by side on the worker pool: the page waits for
    // the longer of them, not for both.
    let (current, previous) = (window.clone(), window.previous());
    let (now, before) = futures_util::future::join(
        state.call(move |f| f.analytics(actor, current, days)),
        state.call(move |f| f.analytics_headline(actor, previous, days)),
    )
    .await;
    Ok((now?, before?, window, range, boards, segments))
}

fn change(now: f64, before: f64) -> String {
    if before == 0.0 {
        return String::new();
    }
    let pct = ((now - before) * 100.0 / before).round() as i64;
    if pct > 0 {
        format!("+{pct} %")
    } else if pct < 0 {
        format!("\u{2212}{} %", -pct)
    } else {
        "0 %".into()
    }
}

/// `GET /analytics`.
pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    q: web::Query<AnalyticsQuery>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let q = q.into_inner();
    let (now, before, window, range, boards, segments) = reports(&state, actor, &q).await?;
    let layout = ctx.layout();
    let (community, _) = forum::analytics::may_see(actor.role);
    let n = |v: i64| layout.num(v);
    let tile = |key: &str, a: i64, b: i64| Tile {
        label: layout.t(key),
        value: n(a),
        previous: n(b),
        change: change(a as f64, b as f64),
    };
    let (a, p) = (&now.activity, &before.activity);
    let tiles = vec![
        tile("analytics-threads", a.threads, p.threads),
        tile("analytics-replies", a.replies, p.replies),
        tile("analytics-kudos", a.kudos, p.kudos),
        tile(
            "analytics-active-members",
            a.active_members,
            p.active_members,
        ),
        tile("analytics-new-members", a.new_members, p.new_members),
        tile(
            "analytics-new-contributors",
            a.new_contributors,
            p.new_contributors,
        ),
    ];
    let day_label = |ms: i64| layout.num(date(ms).as_str());
    let series_labels = vec![
        layout.t("analytics-threads"),
        layout.t("analytics-replies"),
        layout.t("analytics-active-members"),
    ];
    let series = vec![
        (
            series_labels[0].clone(),
            a.days.iter().map(|d| d.threads).collect(),
        ),
        (
            series_labels[1].clone(),
            a.days.iter().map(|d| d.replies).collect(),
        ),
        (
            series_labels[2].clone(),
            a.days.iter().map(|d| d.active_members).collect(),
        ),
    ];
    let x_labels: Vec<String> = a.days.iter().map(|d| day_label(d.day)).collect();
    let activity_chart = crate::charts::lines(&series, &x_labels, &n);
    let day_rows = a
        .days
        .iter()
        .map(|d| {
            vec![
                day_label(d.day),
                n(d.threads),
                n(d.replies),
                n(d.active_members),
                n(d.kudos),
                n(d.new_members),
            ]
        })
        .collect();
    let dur = |ms: Option<i64>| ms.map_or_else(|| "—".to_string(), |ms| layout.duration(ms));
    let row = |key: &str, d: &Distribution| DurationRow {
        label: layout.t(key),
        count: n(d.count),
        mean: dur(d.mean_ms),
        median: dur(d.median_ms),
        p90: dur(d.p90_ms),
    };
    let w = &now.answering;
    let durations = vec![
        row("analytics-first-reply", &w.first_reply),
        row("analytics-first-community-reply", &w.first_community_reply),
        row("analytics-first-staff-reply", &w.first_staff_reply),
        row("analytics-time-to-solution", &w.time_to_solution),
    ];
    let share = |s: &Share| {
        s.percent().map_or_else(
            || "—".to_string(),
            |p| layout.num(format!("{p} %").as_str()),
        )
    };
    let shares = vec![
        (
            layout.t("analytics-unanswered-24h"),
            share(&w.unanswered_after_24h),
            share(&before.answering.unanswered_after_24h),
        ),
        (
            layout.t1("analytics-solved-within", "days", w.solved_within_days),
            share(&w.solved_within),
            share(&before.answering.solved_within),
        ),
    ];
    let (s, sp) = (&now.support, &before.support);
    let support_tiles = vec![
        tile("analytics-tasks-created", s.tasks_created, sp.tasks_created),
        tile("analytics-tasks-escalated", s.escalated, sp.escalated),
        tile(
            "analytics-tasks-resolved-community",
            s.resolved_by_community,
            sp.resolved_by_community,
        ),
        tile(
            "analytics-tasks-resolved-agents",
            s.resolved_by_agents,
            sp.resolved_by_agents,
        ),
    ];
    let priority = |p: &str| layout.t(&format!("agent-priority-{p}"));
    let sla_parts = |pick: fn(&forum::analytics::PrioritySla) -> &forum::analytics::SlaCount| {
        s.by_priority
            .iter()
            .map(|p| {
                let c = pick(p);
                (priority(&p.priority), vec![c.met, c.breached, c.open])
            })
            .collect::<Vec<_>>()
    };
    let sla_chart = crate::charts::stacked(&sla_parts(|p| &p.first_response), &n);
    let resolution_chart = crate::charts::stacked(&sla_parts(|p| &p.resolution), &n);
    let sla_rows = s
        .by_priority
        .iter()
        .map(|p| {
            vec![
                priority(&p.priority),
                n(p.first_response.met),
                n(p.first_response.breached),
                n(p.first_response.open),
                n(p.resolution.met),
                n(p.resolution.breached),
                n(p.resolution.open),
            ]
        })
        .collect();
    let backlog_chart = crate::charts::lines(
        &[(
            layout.t("analytics-backlog"),
            s.backlog.iter().map(|b| b.1).collect(),
        )],
        &s.backlog.iter().map(|b| day_label(b.0)).collect::<Vec<_>>(),
        &n,
    );
    let backlog_rows = s
        .backlog
        .iter()
        .map(|(d, v)| (day_label(*d), n(*v)))
        .collect();
    let dfl = &now.deflection.all;
    let funnel: Vec<(String, i64)> = vec![
        (layout.t("analytics-ask-sessions"), dfl.ask_sessions),
        (
            layout.t("analytics-opened-suggestion"),
            dfl.opened_suggestion,
        ),
        (
            layout.t("analytics-opened-not-posted"),
            dfl.opened_not_posted,
        ),
        (layout.t("analytics-deflected"), dfl.deflected),
    ];
    let window_days = now.deflection.window_days;
    let deflection_tiles = vec![
        (
            layout.t("analytics-deflection-rate"),
            share(&dfl.rate),
            share(&before.deflection.all.rate),
        ),
        (
            layout.t1("analytics-deflection-pending", "days", window_days),
            n(dfl.pending),
            n(before.deflection.all.pending),
        ),
        (
            layout.t("analytics-posted"),
            n(dfl.posted),
            n(before.deflection.all.posted),
        ),
    ];
    let deflection_note = layout.t1("analytics-deflection-window", "days", window_days);
    let board_name = |id: Option<i64>| {
        id.and_then(|id| boards.iter().find(|b| b.0 == id))
            .map_or_else(|| layout.t("analytics-no-board"), |b| b.2.clone())
    };
    let group_row = |label: String, g: &forum::analytics::deflection::DeflectionGroup| {
        vec![
            label,
            n(g.ask_sessions),
            n(g.opened_suggestion),
            n(g.deflected),
            n(g.pending),
            share(&g.rate),
        ]
    };
    let mut deflection_rows: Vec<Vec<String>> = now
        .deflection
        .by_board
        .iter()
        .map(|(b, g)| {
            group_row(
                layout.t1("analytics-group-board", "board", board_name(*b)),
                g,
            )
        })
        .collect();
    deflection_rows.extend(now.deflection.by_segment.iter().map(|(seg, g)| {
        let name = if seg.is_empty() {
            layout.t("analytics-no-segment")
        } else {
            seg.clone()
        };
        group_row(layout.t1("analytics-group-segment", "name", name), g)
    }));
    let h = &now.deflection.holdout;
    let holdout = match h.lift_points {
        Some((lift, low, high)) => {
            let points = |v: f64| layout.num(format!("{:+.1}", v).as_str());
            Ok((
                share(&h.shown),
                share(&h.held_out),
                crate::i18n::message(
                    layout.lang,
                    "analytics-holdout-lift",
                    &[
                        ("value", points(lift).as_str().into()),
                        ("from", points(low).as_str().into()),
                        ("to", points(high).as_str().into()),
                    ],
                ),
            ))
        }
        None if state.forum.analytics_rules().holdout_percent == 0 => {
            Err(layout.t("analytics-holdout-off"))
        }
        None => Err(layout.t("analytics-holdout-too-few")),
    };
    let tr = &now.traffic;
    let traffic_tiles = vec![
        tile(
            "analytics-page-views",
            tr.page_views,
            before.traffic.page_views,
        ),
        tile("analytics-visits", tr.visits, before.traffic.visits),
        Tile {
            label: layout.t("analytics-single-page-visits"),
            value: share(&tr.single_page_visits),
            previous: share(&before.traffic.single_page_visits),
            change: String::new(),
        },
    ];
    let traffic_chart = crate::charts::lines(
        &[
            (
                layout.t("analytics-page-views"),
                tr.by_bucket.iter().map(|b| b.1).collect(),
            ),
            (
                layout.t("analytics-visits"),
                tr.by_bucket.iter().map(|b| b.2).collect(),
            ),
        ],
        &tr.by_bucket
            .iter()
            .map(|b| day_label(b.0))
            .collect::<Vec<_>>(),
        &n,
    );
    let traffic_rows = tr
        .by_bucket
        .iter()
        .map(|(d, v, s)| vec![day_label(*d), n(*v), n(*s)])
        .collect();
    let board_traffic = tr
        .by_board
        .iter()
        .map(|(b, v, s)| vec![board_name(Some(*b)), n(*v), n(*s)])
        .collect();
    let kind_traffic = tr
        .by_kind
        .iter()
        .map(|(k, v)| (layout.t(&format!("analytics-page-{}", k.as_str())), n(*v)))
        .collect();
    let articles = now
        .articles
        .iter()
        .map(|a| {
            (
                a.slug.clone(),
                a.title.clone(),
                n(a.views),
                n(a.helpful),
                n(a.not_helpful),
                share(&a.helpful_share()),
            )
        })
        .collect();
    let funnel_chart = crate::charts::bars(&funnel, &n);
    let funnel_rows = funnel.iter().map(|(l, v)| (l.clone(), n(*v))).collect();
    let cost = &state.config.analytics;
    let (v, vp) = (
        forum::analytics::value(&now, cost.cost_per_contact_cents),
        forum::analytics::value(&before, cost.cost_per_contact_cents),
    );
    let money = |cents: i64| {
        layout.num(
            format!(
                "{}.{:02} {}",
                layout.num(cents / 100),
                cents % 100,
                cost.currency
            )
            .as_str(),
        )
    };
    let value_tiles = vec![
        tile(
            "analytics-contacts-saved",
            v.contacts_saved,
            vp.contacts_saved,
        ),
        Tile {
            label: layout.t("analytics-money-saved"),
            value: money(v.saved_cents),
            previous: money(vp.saved_cents),
            change: change(v.saved_cents as f64, vp.saved_cents as f64),
        },
        Tile {
            label: layout.t("analytics-community-share"),
            value: share(&v.community_share),
            previous: share(&vp.community_share),
            change: String::new(),
        },
    ];
    let assumptions = crate::i18n::message(
        layout.lang,
        "analytics-value-assumptions",
        &[
            ("cost", money(cost.cost_per_contact_cents).as_str().into()),
            ("count", v.deflected_sessions.into()),
            ("days", window_days.into()),
        ],
    );
    let people = &now.people;
    let contributors = people
        .top_contributors
        .iter()
        .map(|c| {
            (
                c.user_id,
                c.display_name.clone(),
                n(c.accepted_answers),
                n(c.replies),
            )
        })
        .collect();
    let superusers = vec![
        (
            layout.t("analytics-top-1"),
            share(&people.top_1_percent_share),
        ),
        (
            layout.t("analytics-top-5"),
            share(&people.top_5_percent_share),
        ),
    ];
    let at_risk = people
        .at_risk
        .iter()
        .map(|m| {
            (
                m.user_id,
                m.display_name.clone(),
                n(m.posts_before),
                m.last_post_at,
            )
        })
        .collect();
    let sr = &now.searching;
    let search_tiles = vec![
        (
            layout.t("analytics-searches"),
            n(sr.searches),
            n(before.searching.searches),
        ),
        (
            layout.t("analytics-zero-result-rate"),
            share(&sr.zero_results),
            share(&before.searching.zero_results),
        ),
        (
            layout.t("analytics-click-through"),
            share(&sr.click_through),
            share(&before.searching.click_through),
        ),
    ];
    let rows_of = |rows: &[(String, String, i64, i64)]| {
        rows.iter()
            .map(|(l, q, all, zero)| {
                (
                    l.clone(),
                    q.clone(),
                    n(*all),
                    n(*zero),
                    serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    let top_queries = rows_of(&sr.top_queries);
    let gap_queries = rows_of(&sr.top_zero_result_queries);
    let query = serde_urlencoded::to_string([
        ("range", range.as_str()),
        ("from", date(window.from).as_str()),
        ("to", date(window.to - 1).as_str()),
        ("board", q.board.as_str()),
        ("segment", q.segment.as_str()),
    ])
    .unwrap_or_default();
    let period = layout.t2(
        "analytics-period",
        "from",
        layout.num(date(window.from).as_str()),
        "to",
        layout.num(date(window.to - 1).as_str()),
    );
    render(
        &ctx,
        &AnalyticsPage {
            range,
            from: date(window.from),
            to: date(window.to - 1),
            board: q.board.clone(),
            boards: boards.iter().map(|b| (b.1.clone(), b.2.clone())).collect(),
            segment: q.segment.clone(),
            segments,
            community,
            period,
            tiles,
            activity_chart,
            series_labels,
            day_rows,
            durations,
            shares,
            support_tiles,
            sla_chart,
            resolution_chart,
            sla_rows,
            backlog_chart,
            backlog_rows,
            funnel_chart,
            funnel_rows,
            query,
            value_tiles,
            assumptions,
            contributors,
            superusers,
            at_risk,
            quiet_days: people.quiet_days,
            search_tiles,
            top_queries,
            gap_queries,
            traffic_tiles,
            traffic_chart,
            traffic_rows,
            board_traffic,
            kind_traffic,
            deflection_tiles,
            deflection_note,
            deflection_rows,
            holdout,
            articles,
            layout,
        },
    )
}

#[derive(Deserialize)]
pub struct DraftForm {
    csrf: String,
    title: String,
    /// The board's slug; empty: the first board the member sees.
    #[serde(default)]
    board: String,
}

/// `POST /analytics/kb-draft`: a blank KB draft titled with a query the
/// search did not answer, opened for editing.
pub async fn kb_draft(
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<DraftForm>,
) -> PageResult {
    ctx.verify_csrf(&form.csrf)?;
    let actor = staff(&ctx)?;
    let form = form.into_inner();
    let slug = state
        .call(move |f| {
            let board = if form.board.is_empty() {
                f.board_names(Some(actor))?
                    .into_iter()
                    .next()
                    .map(|(_, slug, _)| slug)
                    .ok_or(forum::ForumError::NotFound("category"))?
            } else {
                form.board
            };
            f.create_article_draft(actor, &board, &form.title)
        })
        .await?;
    Ok(ctx.redirect(&format!("/kb/{slug}/edit")))
}

/// One CSV field, quoted when it must be (RFC 4180); a leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so a spreadsheet never runs it.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_of(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// `GET /analytics/{table}.csv`: `days`, `answering`, `sla` or `backlog`
/// of the same window, machine-readable (ISO dates, milliseconds).
pub async fn csv(
    state: web::Data<AppState>,
    ctx: PageCtx,
    table: web::Path<String>,
    q: web::Query<AnalyticsQuery>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let (now, _, window, _, boards, _) = reports(&state, actor, &q.into_inner()).await?;
    let slug = |id: Option<i64>| {
        id.and_then(|id| boards.iter().find(|b| b.0 == id))
            .map_or(String::new(), |b| b.1.clone())
    };
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let body = match table.as_str() {
        "days" => csv_of(
            &[
                "day",
                "threads",
                "replies",
                "active_members",
                "kudos",
                "new_members",
            ],
            now.activity
                .days
                .iter()
                .map(|d| {
                    vec![
                        date(d.day),
                        d.threads.to_string(),
                        d.replies.to_string(),
                        d.active_members.to_string(),
                        d.kudos.to_string(),
                        d.new_members.to_string(),
                    ]
                })
                .collect(),
        ),
        "answering" => {
            let w = &now.answering;
            csv_of(
                &["measure", "count", "mean_ms", "median_ms", "p90_ms"],
                [
                    ("first_reply", &w.first_reply),
                    ("first_community_reply", &w.first_community_reply),
                    ("first_staff_reply", &w.first_staff_reply),
                    ("time_to_solution", &w.time_to_solution),
                ]
                .into_iter()
                .map(|(name, d)| {
                    vec![
                        name.to_string(),
                        d.count.to_string(),
                        opt(d.mean_ms),
                        opt(d.median_ms),
                        opt(d.p90_ms),
                    ]
                })
                .collect(),
            )
        }
        "sla" => csv_of(
            &[
                "priority",
                "first_response_met",
                "first_response_breached",
                "first_response_open",
                "resolution_met",
                "resolution_breached",
                "resolution_open",
            ],
            now.support
                .by_priority
                .iter()
                .map(|p| {
                    vec![
                        p.priority.clone(),
                        p.first_response.met.to_string(),
                        p.first_response.breached.to_string(),
                        p.first_response.open.to_string(),
                        p.resolution.met.to_string(),
                        p.resolution.breached.to_string(),
                        p.resolution.open.to_string(),
                    ]
                })
                .collect(),
        ),
        "backlog" => csv_of(
            &["day", "open_tasks"],
            now.support
                .backlog
                .iter()
                .map(|(d, v)| vec![date(*d), v.to_string()])
                .collect(),
        ),
        "traffic" => csv_of(
            &["day", "page_views", "visits"],
            now.traffic
                .by_bucket
                .iter()
                .map(|(d, v, s)| vec![date(*d), v.to_string(), s.to_string()])
                .collect(),
        ),
        "deflection" => {
            let d = &now.deflection;
            let row =
                |kind: &str, key: String, g: &forum::analytics::deflection::DeflectionGroup| {
                    vec![
                        kind.to_string(),
                        key,
                        g.ask_sessions.to_string(),
                        g.opened_suggestion.to_string(),
                        g.posted.to_string(),
                        g.opened_not_posted.to_string(),
                        g.deflected.to_string(),
                        g.pending.to_string(),
                    ]
                };
            let mut rows = vec![row("all", String::new(), &d.all)];
            rows.extend(d.by_board.iter().map(|(b, g)| row("board", slug(*b), g)));
            rows.extend(
                d.by_segment
                    .iter()
                    .map(|(s, g)| row("segment", s.clone(), g)),
            );
            csv_of(
                &[
                    "group",
                    "name",
                    "ask_sessions",
                    "opened_suggestion",
                    "posted",
                    "opened_not_posted",
                    "deflected",
                    "pending",
                ],
                rows,
            )
        }
        "boards" => csv_of(
            &["board", "page_views", "visits"],
            now.traffic
                .by_board
                .iter()
                .map(|(b, v, s)| vec![slug(Some(*b)), v.to_string(), s.to_string()])
                .filter(|r| !r[0].is_empty())
                .collect(),
        ),
        "searches" => {
            let sr = &now.searching;
            let row = |list: &str, (lang, q, all, zero): &(String, String, i64, i64)| {
                vec![
                    list.to_string(),
                    lang.clone(),
                    q.clone(),
                    all.to_string(),
                    zero.to_string(),
                ]
            };
            let mut rows: Vec<Vec<String>> = sr.top_queries.iter().map(|q| row("top", q)).collect();
            rows.extend(
                sr.top_zero_result_queries
                    .iter()
                    .map(|q| row("not_found", q)),
            );
            csv_of(
                &["list", "language", "query", "searches", "without_results"],
                rows,
            )
        }
        "people" => {
            let p = &now.people;
            let mut rows: Vec<Vec<String>> = p
                .top_contributors
                .iter()
                .map(|c| {
                    vec![
                        "top_contributor".into(),
                        c.username.clone(),
                        c.accepted_answers.to_string(),
                        c.replies.to_string(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect();
            rows.extend(p.at_risk.iter().map(|m| {
                vec![
                    "at_risk".into(),
                    m.username.clone(),
                    String::new(),
                    String::new(),
                    m.posts_before.to_string(),
                    crate::timefmt::iso8601(m.last_post_at),
                ]
            }));
            csv_of(
                &[
                    "list",
                    "member",
                    "accepted_answers",
                    "replies",
                    "posts_before",
                    "last_post",
                ],
                rows,
            )
        }
        "articles" => csv_of(
            &["slug", "title", "views", "helpful", "not_helpful"],
            now.articles
                .iter()
                .map(|a| {
                    vec![
                        a.slug.clone(),
                        a.title.clone(),
                        a.views.to_string(),
                        a.helpful.to_string(),
                        a.not_helpful.to_string(),
                    ]
                })
                .collect(),
        ),
        _ => return Err(WebError::NoRoute.into()),
    };
    let name = format!(
        "hearth-{}-{}-{}.csv",
        table.as_str(),
        date(window.from),
        date(window.to - 1)
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[derive(Deserialize)]
pub struct ApiQuery {
    /// `YYYY-MM-DD`, the first day; default 29 days before `to`.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, the last day (included); default today.
    #[serde(default)]
    to: String,
    /// A board's slug.
    #[serde(default)]
    category: String,
    /// A customer segment.
    #[serde(default)]
    segment: String,
    #[serde(default)]
    bucket: String,
    #[serde(default)]
    solved_days: Option<i64>,
}

/// `GET /api/v1/analytics/{metric}`: one metric's figures over a window.
#[utoipa::path(
    get,
    path = "/analytics/{metric}",
    summary = "Analytics figures over a window, as defined in docs/analytics.md (staff; agents: support only)",
    params(
        ("metric" = String, Path, description = "activity, traffic, answering, support or deflection"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (default: 29 days before `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD, included (default: today, UTC)"),
        ("category" = Option<String>, Query, description = "A board's slug: only its threads"),
        ("segment" = Option<String>, Query, description = "A customer segment: only its members (traffic is not split by segment)"),
        ("bucket" = Option<String>, Query, description = "Series cut by day (default), week or month"),
        ("solved_days" = Option<i64>, Query, minimum = 1, maximum = 90, description = "N of \"solved within N days\" (default 7)"),
    ),
    security(("bearer" = [])),
    responses(crate::openapi::Common, crate::openapi::Auth, (status = 200, description = "The figures", body = crate::api::types::AnalyticsFigures))
)]
async fn api_metric(
    state: web::Data<AppState>,
    caller: crate::session::ApiCaller,
    metric: web::Path<String>,
    q: web::Query<ApiQuery>,
) -> Result<web::Json<crate::api::types::AnalyticsFigures>, WebError> {
    use crate::api::types as t;
    let actor = caller.require()?.actor();
    let metric = metric.into_inner();
    if !["activity", "traffic", "answering", "support", "deflection"].contains(&metric.as_str()) {
        return Err(WebError::Forum(forum::ForumError::NotFound("metric")));
    }
    let (community, support) = forum::analytics::may_see(actor.role);
    let allowed = if metric == "support" {
        support
    } else {
        community
    };
    if !allowed {
        return Err(WebError::Forum(forum::ForumError::Forbidden(
            "these figures are for moderators and admins; agents see support",
        )));
    }
    let q = q.into_inner();
    let today = forum::analytics::day_of(state.forum.now());
    let day = |s: &str, field: &'static str, default: i64| {
        if s.is_empty() {
            Ok(default)
        } else {
            parse_day(s)
                .map(|d| d * DAY_MS)
                .ok_or_else(|| refused(field, "a day is written YYYY-MM-DD"))
        }
    };
    let to = day(&q.to, "to", today)? + DAY_MS;
    let from = day(&q.from, "from", to - 30 * DAY_MS)?;
    let page_query = AnalyticsQuery {
        range: "custom".into(),
        from: date(from),
        to: date(to - DAY_MS),
        board: q.category.clone(),
        segment: q.segment.clone(),
        solved_days: q.solved_days,
        bucket: q.bucket.clone(),
    };
    let (report, _, window, _, boards, _) = reports(&state, actor, &page_query).await?;
    let slug = |id: Option<i64>| {
        id.and_then(|id| boards.iter().find(|b| b.0 == id))
            .map(|b| b.1.clone())
    };
    let bucket = match window.bucket {
        forum::analytics::Bucket::Day => "day",
        forum::analytics::Bucket::Week => "week",
        forum::analytics::Bucket::Month => "month",
    };
    let d = &report.deflection;
    Ok(web::Json(t::AnalyticsFigures {
        from: window.from,
        to: window.to,
        category: (!q.category.is_empty()).then_some(q.category),
        segment: window.segment.clone(),
        bucket: bucket.into(),
        activity: (metric == "activity").then(|| (&report.activity).into()),
        traffic: (metric == "traffic").then(|| t::TrafficFigures::of(&report.traffic, &slug)),
        answering: (metric == "answering").then(|| (&report.answering).into()),
        support: (metric == "support").then(|| (&report.support).into()),
        deflection: (metric == "deflection").then(|| t::DeflectionFigures::of(d, &slug)),
        metric,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_windows() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-11-30"), Some(20_787));
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("yesterday"), None);
        let q = AnalyticsQuery {
            range: "custom".into(),
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            ..Default::default()
        };
        let (w, _) = window_of(&q, 0, None).unwrap();
        assert_eq!(w.days(), 30);
        assert_eq!(date(w.to - 1), "2026-11-30");
        let today = 20_787 * DAY_MS;
        let (w, r) = window_of(&AnalyticsQuery::default(), today + 5, None).unwrap();
        assert_eq!((w.days(), r.as_str()), (30, "30"));
        assert_eq!(w.to, today + DAY_MS, "up to the end of today");
        assert!(window_of(
            &AnalyticsQuery {
                range: "9".into(),
                ..Default::default()
            },
            0,
            None
        )
        .is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(
            csv_of(&["a", "b"], vec![vec!["1".into(), "2".into()]]),
            "a,b\r\n1,2\r\n"
        );
    }

    #[test]
    fn changes_are_signed_percentages() {
        assert_eq!(change(12.0, 10.0), "+20 %");
        assert_eq!(change(9.0, 10.0), "\u{2212}10 %");
        assert_eq!(change(5.0, 0.0), "");
    }
}
