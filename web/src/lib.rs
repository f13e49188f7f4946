//! The `web` crate is Hearth's thin HTTP layer: server-rendered HTML pages,
//! the JSON API under /api/v1 with its OpenAPI document, authentication
//! (sessions, bearer tokens, CSRF), health and Prometheus metrics, the
//! mapping of domain errors to HTTP, configuration, and the `hearth` binary.
//! Domain rules live in `forum`; this crate only parses, calls and renders.

pub mod admin_api;
pub mod admin_pages;
pub mod analytics_pages;
pub mod api;
pub mod assets;
pub mod avatar;
pub mod charts;
pub mod client_addr;
pub mod community_api;
pub mod community_pages;
pub mod config;
pub mod crm_api;
pub mod crm_pages;
pub mod error;
pub mod i18n;
pub mod ideas_api;
pub mod ideas_pages;
pub mod idempotency;
pub mod indexer;
pub mod input_guard;
pub mod layout;
pub mod live_settings;
pub mod mail;
pub mod metrics;
pub mod moderation_api;
pub mod moderation_pages;
pub mod notices;
pub mod notify_pages;
pub mod openapi;
pub mod page_cache;
pub mod pages;
pub mod rate_limits;
pub mod sd_notify;
pub mod search_routes;
pub mod session;
pub mod site_settings;
pub mod spam_check;
pub mod sso;
pub mod supervisor;
pub mod theme;
pub mod timefmt;
pub mod ttl_cache;
pub mod uploads;
pub mod workers;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{web, App, HttpResponse, HttpServer};
use forum::Forum;

pub use config::Config;
use error::WebError;
use metrics::Metrics;

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub forum: Forum,
    pub crm: crm_bridge::Crm,
    pub search: Arc<search::SearchIndex>,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// The background jobs of this process (started by `start_server`).
    pub workers: supervisor::Supervisor,
    /// The installation's signing key (CSRF tokens, unsubscribe links).
    pub secret: Arc<Vec<u8>>,
    /// The site settings in force: the file's with live overrides on top.
    pub live: Arc<live_settings::LiveSettings>,
    /// The home page's top contributors of the month, shared for a minute.
    pub contributors: Arc<ttl_cache::TtlCache<Vec<forum::reputation::LeaderboardEntry>>>,
    /// Whole pages for visitors who are not signed in (`page_cache`).
    pub pages: Arc<page_cache::PageCache>,
}

/// Why the application state could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Crm(#[from] crm_bridge::CrmError),
    #[error("the signing key could not be read or created: {0}")]
    Secret(#[from] std::io::Error),
}

impl AppState {
    /// Fails when the `[crm]` section is invalid or the signing key cannot
    /// be read or created in the data directory.
    pub fn new(
        forum: Forum,
        search: Arc<search::SearchIndex>,
        config: Config,
    ) -> Result<AppState, StartError> {
        let crm = crm_bridge::Crm::new(forum.clone(), config.crm.clone())?;
        forum::auth::limit_concurrent_hashes(config.max_concurrent_password_hashes);
        let workers = supervisor::Supervisor::new(supervisor::Policy {
            stuck_after: Duration::from_secs(config.worker_stuck_after_secs.max(1)),
            ..Default::default()
        });
        let secret = Arc::new(config.secret_bytes()?);
        let pages = Arc::new(page_cache::PageCache::new(config.page_cache.clone()));
        let config = Arc::new(config);
        let live = Arc::new(live_settings::LiveSettings::new(config.clone()));
        if live.due() {
            if let Err(e) = live.refresh(&forum) {
                tracing::warn!(error = %e, "site settings not read; the file's values apply");
            }
        }
        Ok(AppState {
            forum,
            crm,
            search,
            config,
            metrics: Arc::default(),
            workers,
            secret,
            live,
            contributors: Arc::new(ttl_cache::TtlCache::new(Duration::from_secs(60))),
            pages,
        })
    }

    /// What the mail sender and unsubscribe links need.
    pub fn mail_context(&self) -> mail::MailContext {
        let live = self.live.get();
        let mut config = self.config.mail.clone();
        config.from = live.mail_from.clone();
        mail::MailContext {
            config,
            site_name: live.site_name.clone(),
            base_url: self.config.public_url.clone(),
            secret: self.secret.clone(),
            live: Some(self.live.clone()),
        }
    }

    /// Run blocking CRM code on the worker pool.
    pub async fn crm<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&crm_bridge::Crm) -> crm_bridge::Result<T> + Send + 'static,
    {
        let crm = self.crm.clone();
        web::block(move || f(&crm))
            .await
            .map_err(|_| WebError::Blocking)?
            .map_err(WebError::from)
    }

    /// Open (or create) the search index in the data directory.
    pub fn open_search(config: &Config) -> Result<Arc<search::SearchIndex>, search::SearchError> {
        search::open_generational(&config.data_dir.join("search")).map(Arc::new)
    }

    /// Run blocking domain code on the worker pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Forum) -> forum::Result<T> + Send + 'static,
    {
        let forum = self.forum.clone();
        web::block(move || f(&forum))
            .await
            .map_err(|_| WebError::Blocking)?
            .map_err(WebError::from)
    }
}

/// Healthy when the database answers and every background worker is
/// running and making progress; otherwise 503, so an orchestrator (systemd's
/// watchdog script, a container healthcheck) restarts the process.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let database = state.call(|f| f.ping()).await;
    if let Err(e) = &database {
        tracing::warn!(error = %e, "health check: database unavailable");
    }
    let workers = state.workers.report();
    let unhealthy: Vec<&str> = workers
        .iter()
        .filter(|w| !w.healthy)
        .map(|w| w.name)
        .collect();
    for w in workers.iter().filter(|w| !w.healthy) {
        tracing::warn!(
            worker = w.name,
            status = w.status,
            error = state.workers.last_error(w.name).unwrap_or_default(),
            "health check: worker unhealthy"
        );
    }
    let ok = database.is_ok() && unhealthy.is_empty();
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "unavailable" },
        "database": if database.is_ok() { state.forum.db().backend() } else { "unavailable" },
        "workers": workers.iter().map(|w| serde_json::json!({ "name": w.name, "status": w.status })).collect::<Vec<_>>(),
    });
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "10"))
            .json(body)
    }
}

async fn metrics_endpoint(state: web::Data<AppState>) -> HttpResponse {
    // The index keeps its own position (its last commit), not a cursor.
    let search = state.search.clone();
    let pending = state
        .call(move |f| {
            indexer::lag(f, &search).map_err(|e| forum::ForumError::Internal(e.to_string()))
        })
        .await
        .map_or(-1.0, |n| n as f64);
    let lags = state.call(|f| f.consumer_lags()).await.unwrap_or_default();
    let dead = state
        .call(|f| f.dead_letter_counts())
        .await
        .unwrap_or_default();
    let outbox_size = state
        .call(|f| f.outbox_size())
        .await
        .map_or(-1.0, |n| n as f64);
    let crm_pending = state
        .call(|f| f.pending_events(crm_bridge::OUTBOX_CONSUMER))
        .await
        .map_or(-1.0, |n| n as f64);
    let (crm_queued, crm_dead) = state
        .crm(|c| c.delivery_backlog())
        .await
        .map_or((-1.0, -1.0), |(p, d)| (p as f64, d as f64));
    let page_cache = state.pages.stats();
    let mut body = state.metrics.render(&[
        ("hearth_up", "1 while the server runs.", 1.0),
        (
            "hearth_outbox_events",
            "Events in the outbox (handled ones are pruned after outbox_retention_days; -1: unknown).",
            outbox_size,
        ),
        (
            "hearth_outbox_undecodable_events",
            "Outbox events this process could not read (unknown kind, malformed or newer payload) and dead-lettered, since it started.",
            forum::events::undecodable_events_seen() as f64,
        ),
        (
            "hearth_outbox_pending_search",
            "Outbox events not yet consumed by search (-1: unknown).",
            pending,
        ),
        (
            "hearth_outbox_pending_crm",
            "Outbox events not yet consumed by the CRM bridge (-1: unknown).",
            crm_pending,
        ),
        (
            "hearth_crm_deliveries_pending",
            "Changes waiting to be sent to the external CRM (-1: unknown).",
            crm_queued,
        ),
        (
            "hearth_page_cache_hits",
            "Anonymous page views answered from this node's page cache, since it started.",
            page_cache.hits as f64,
        ),
        (
            "hearth_page_cache_misses",
            "Anonymous page views this node rendered (not in its page cache), since it started.",
            page_cache.misses as f64,
        ),
        (
            "hearth_page_cache_entries",
            "Pages in this node's page cache.",
            page_cache.entries as f64,
        ),
        (
            "hearth_page_cache_bytes",
            "Bytes of pages in this node's page cache.",
            page_cache.bytes as f64,
        ),
        (
            "hearth_page_cache_invalidated",
            "Cached pages dropped because a change reached them, since it started.",
            page_cache.invalidated as f64,
        ),
        (
            "hearth_crm_dead_letters",
            "Deliveries to the external CRM that exhausted their retries (-1: unknown).",
            crm_dead,
        ),
    ]);
    {
        use std::fmt::Write;
        body.push_str("# HELP hearth_outbox_pending Outbox events a consumer has not handled yet.\n# TYPE hearth_outbox_pending gauge\n");
        let _ = writeln!(
            body,
            "hearth_outbox_pending{{consumer=\"{}\"}} {pending}",
            indexer::SEARCH_CONSUMER
        );
        for (consumer, n) in &lags {
            let _ = writeln!(body, "hearth_outbox_pending{{consumer=\"{consumer}\"}} {n}");
        }
        body.push_str("# HELP hearth_outbox_dead_letters Outbox events a consumer gave up on (kept for review).\n# TYPE hearth_outbox_dead_letters gauge\n");
        for (consumer, n) in &dead {
            let _ = writeln!(
                body,
                "hearth_outbox_dead_letters{{consumer=\"{consumer}\"}} {n}"
            );
        }
        state.workers.render_metrics(&mut body);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}

/// Register all routes on an actix `App`. Shared by the server and tests.
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let limit = state.config.max_body_bytes;
        let json = web::JsonConfig::default()
            .limit(limit)
            .error_handler(move |err, _| error::json_error(err, limit).into());
        let form = web::FormConfig::default()
            .limit(limit)
            .error_handler(move |err, _| {
                use actix_web::error::UrlencodedError as U;
                let e = match err {
                    U::Overflow { .. } => WebError::PayloadTooLarge(limit),
                    U::ContentType => {
                        WebError::UnsupportedMediaType("application/x-www-form-urlencoded")
                    }
                    other => WebError::BadRequest(format!("the form could not be read: {other}")),
                };
                pages::PageError(e).into()
            });
        let api_path = web::PathConfig::default().error_handler(|_, _| api::not_found_err().into());
        let api_query = web::QueryConfig::default().error_handler(|err, _| {
            WebError::BadRequest(format!("bad query string: {err}")).into()
        });
        let page_path = web::PathConfig::default()
            .error_handler(|_, _| pages::PageError(WebError::NoRoute).into());
        let page_query = web::QueryConfig::default().error_handler(|err, _| {
            pages::PageError(WebError::BadRequest(format!("bad query string: {err}"))).into()
        });
        cfg.app_data(web::Data::new(state))
            .app_data(json)
            .app_data(form)
            .route("/healthz", web::get().to(healthz))
            .route("/metrics", web::get().to(metrics_endpoint))
            // Hearth's stylesheet, scripts and theme (`assets`), and every
            // member's avatar: no session, no page frame.
            .route("/static/{file}", web::get().to(assets::serve))
            .route("/u/{id}/avatar", web::get().to(avatar::serve))
            // Pages cached before uploaded avatars name this one.
            .route("/u/{id}/avatar.svg", web::get().to(avatar::serve))
            // Browsers ask for it on every site; answer without a 404.
            .route(
                "/favicon.ico",
                web::get().to(|| async {
                    HttpResponse::NoContent()
                        .insert_header(("Cache-Control", "public, max-age=86400"))
                        .finish()
                }),
            )
            .service(
                web::scope("/api/v1")
                    .wrap(actix_web::middleware::from_fn(idempotency::guard))
                    // Raw bodies (the CRM webhook) have the same limit as JSON.
                    .app_data(web::PayloadConfig::new(limit))
                    .app_data(api_path)
                    .app_data(api_query)
                    .configure(openapi::register)
                    .default_service(web::to(api::not_found)),
            )
            .service(
                web::scope("")
                    .wrap(actix_web::middleware::from_fn(layout::error_pages))
                    .app_data(page_path)
                    .app_data(page_query)
                    .configure(pages::routes)
                    .configure(admin_pages::routes)
                    .configure(site_settings::page_routes)
                    .configure(moderation_pages::routes)
                    .configure(sso::routes)
                    .configure(community_pages::routes)
                    .configure(crm_pages::routes)
                    .configure(notify_pages::page_routes)
                    .configure(search_routes::page_routes)
                    .configure(uploads::routes)
                    .configure(analytics_pages::routes)
                    .configure(ideas_pages::routes)
                    .default_service(web::to(pages::not_found)),
            );
    }
}

/// Record each request in the metrics, labelled by route pattern.
async fn observe(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let res = next.call(req).await?;
    if let Some(m) = metrics {
        m.record(&method, &route, res.status().as_u16(), started.elapsed());
    }
    Ok(res)
}

/// A started server and the background work that lives as long as it.
pub struct Running {
    pub server: Server,
    /// Stop these after the server: `workers.stop()`.
    pub workers: supervisor::Supervisor,
}

/// Bind and start the HTTP server (it runs until stopped) and every
/// background job (`workers::spawn_all`).
pub fn start_server(state: AppState, listener: TcpListener) -> std::io::Result<Running> {
    workers::spawn_all(&state).map_err(std::io::Error::other)?;
    let background = state.workers.clone();
    let workers = match state.config.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(input_guard::guard))
            // Outside the input guard: a flood is refused before bodies are read.
            .wrap(actix_web::middleware::from_fn(rate_limits::limit))
            // Outside the rate limits: they read the live settings.
            .wrap(actix_web::middleware::from_fn(live_settings::refresh))
            .wrap(actix_web::middleware::from_fn(observe))
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "same-origin"))
                    .add((
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
                    )),
            )
            .configure(configure(state.clone()))
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(Running {
        server,
        workers: background,
    })
}

/// Set up `tracing` once; `json` selects JSON lines.
pub fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("HEARTH_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
