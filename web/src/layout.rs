//! The frame around every page (`templates/base.html`): the site's name,
//! who is signed in, and the CSRF token its forms (sign out) carry; and the
//! middleware that puts error pages in the same frame.

use std::sync::{Arc, LazyLock};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, ResponseError};
use forum::User;

use crate::i18n::{self, Arg, Lang};
use crate::theme::Theme;

use crate::pages::PageError;
use crate::session::PageCtx;
use crate::AppState;

/// The fields every page shares, built once per request by
/// [`PageCtx::layout`](crate::session::PageCtx::layout) and held by each page
/// struct as `layout`; templates read `layout.site_name`, `layout.user` and
/// `layout.csrf`, and write every word through `layout.t(…)` and its kin
/// (the message catalogue, `crate::i18n`).
#[derive(Clone, Debug)]
pub struct Layout {
    /// The site name in force (`site_name`, a live setting).
    pub site_name: String,
    pub user: Option<User>,
    /// The form token of this request (see `PageCtx::csrf`).
    pub csrf: String,
    /// The interface language of this page.
    pub lang: Lang,
    /// When the page is rendered (unix ms), for relative times.
    pub now_ms: i64,
    /// The signed-in member's unread notifications (0 for visitors).
    pub unread: i64,
    /// This page's path and query, to come back to (language picker).
    pub path: String,
    /// The brand theme in force (its stylesheet's address, the logo).
    pub theme: Arc<Theme>,
    /// The largest file a member may attach, in bytes; 0: no uploads.
    pub upload_max: usize,
    /// The time zone absolute times are written in: the member's own
    /// (`users.time_zone`), UTC for visitors and members who chose none.
    pub tz: jiff::tz::TimeZone,
}

/// A whole number as a template hands it over (by value or by reference).
pub trait Whole {
    fn whole(self) -> i64;
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            fn whole(self) -> i64 {
                i64::try_from(self).unwrap_or(i64::MAX)
            }
        }
        impl Whole for &$t {
            fn whole(self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
whole!(i64, i32, u32, usize);

impl Layout {
    /// The frame as a visitor sees it: nobody signed in, no form token.
    pub fn visitor(site_name: &str, lang: Lang) -> Layout {
        Layout {
            site_name: site_name.to_string(),
            user: None,
            csrf: String::new(),
            lang,
            now_ms: now_ms(),
            unread: 0,
            path: "/".into(),
            theme: default_theme(),
            upload_max: 0,
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// The same frame shown as to a visitor: pages answering a failed
    /// sign-in, registration or password reset show no member.
    pub fn signed_out(self) -> Layout {
        Layout {
            user: None,
            unread: 0,
            upload_max: 0,
            tz: jiff::tz::TimeZone::UTC,
            ..self
        }
    }

    /// A composer's upload attributes, as HTML attributes (`|safe`), for
    /// `hearth.js`: the button's label, the limit and its sentence, and
    /// what a failed upload says. Nothing for visitors or with uploads off.
    pub fn upload_attrs(&self) -> String {
        if self.upload_max == 0 || self.user.is_none() {
            return String::new();
        }
        let megabytes = ((self.upload_max as i64 + (1 << 19)) >> 20).max(1);
        let attr = |key: &str| crate::avatar::escape(&self.t(key));
        format!(
            " data-upload=\"{}\" data-upload-max=\"{}\" data-upload-too-large=\"{}\" data-uploading=\"{}\" data-upload-failed=\"{}\"",
            attr("compose-attach"),
            self.upload_max,
            crate::avatar::escape(&i18n::message(
                self.lang,
                "invalid-file-too-large",
                &[("megabytes", megabytes.into())]
            )),
            attr("compose-uploading"),
            attr("compose-upload-failed"),
        )
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// The message `key` with one variable.
    pub fn t1<'a>(&self, key: &str, name: &str, value: impl Into<Arg<'a>>) -> String {
        i18n::message(self.lang, key, &[(name, value.into())])
    }

    /// The message `key` with two variables.
    pub fn t2<'a, 'b>(
        &self,
        key: &str,
        name: &str,
        value: impl Into<Arg<'a>>,
        name2: &str,
        value2: impl Into<Arg<'b>>,
    ) -> String {
        i18n::message(
            self.lang,
            key,
            &[(name, value.into()), (name2, value2.into())],
        )
    }

    /// A counted message (`$count`, with the language's plural forms).
    pub fn count<'a>(&self, key: &str, n: impl Into<Arg<'a>>) -> String {
        self.t1(key, "count", n)
    }

    /// A number in the page language's digits and grouping.
    pub fn num<'a>(&self, n: impl Into<Arg<'a>>) -> String {
        match n.into() {
            Arg::Number(n) => self.lang.number(n),
            Arg::Text(s) => self.lang.digits(&s),
        }
    }

    /// "3 hours ago".
    pub fn ago(&self, ms: &i64) -> String {
        i18n::relative_time(self.lang, *ms, self.now_ms)
    }

    /// A span of time in words, at most to the minute ("3 hours",
    /// "2 days"), rounded up to a whole minute.
    pub fn duration(&self, ms: i64) -> String {
        duration_in(self.lang, ms)
    }

    /// Time left until `due` ("due in 3 hours"), or past it ("2 days
    /// overdue"), for deadlines such as a task's SLA.
    pub fn countdown(&self, due: &i64) -> String {
        let left = *due - self.now_ms;
        let duration = self.duration(left);
        let key = if left >= 0 {
            "agent-due-in"
        } else {
            "agent-overdue-by"
        };
        i18n::message(self.lang, key, &[("duration", duration.into())])
    }

    /// The absolute time in the reader's time zone, with its offset, in
    /// the language's digits ("2026-11-22 15:45 UTC+02:00"; "… UTC" for
    /// visitors).
    pub fn when(&self, ms: &i64) -> String {
        self.lang.digits(&crate::timefmt::human_in(*ms, &self.tz))
    }

    /// A `<time>` element: the relative time, the absolute one (in the
    /// reader's zone) on hover, and ISO UTC for machines. Only our own text goes in, so it is safe as HTML.
    pub fn time(&self, ms: &i64) -> String {
        format!(
            "<time datetime=\"{}\" title=\"{}\">{}</time>",
            crate::timefmt::iso8601(*ms),
            self.when(ms),
            self.ago(ms)
        )
    }

    /// `ltr` or `rtl`: the interface language's direction.
    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    /// The languages a visitor may pick, as (code, name, selected).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.lang))
            .collect()
    }

    /// A role's name in the page's language.
    pub fn role(&self, role: &forum::Role) -> String {
        self.t(&format!("role-{}", role.as_str()))
    }

    /// The address of one of Hearth's static files (`hearth.css`,
    /// `hearth.js`, `ask.js`) under its content-hashed name, cached by
    /// browsers for a year: `<script src="{{ layout.asset("ask.js") }}">`.
    pub fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    /// A member's avatar, `size` pixels square, as HTML (`|safe`):
    /// `{{ layout.avatar(post.author.id, post.author.display_name, 32)|safe }}`.
    /// Decorative (`alt=""`): put the member's name next to it.
    pub fn avatar(&self, user_id: impl Whole, name: impl AsRef<str>, size: impl Whole) -> String {
        crate::avatar::img(user_id.whole(), name.as_ref(), size.whole())
    }
}

/// The default theme, shared by frames built without the live settings.
fn default_theme() -> Arc<Theme> {
    static DEFAULT: LazyLock<Arc<Theme>> = LazyLock::new(|| Arc::new(Theme::default()));
    DEFAULT.clone()
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The site name in force (the file's, or the live setting), and the
/// language a visitor's frame is in.
fn visitor_frame(req: &HttpRequest) -> Layout {
    let (site_name, default, theme) = req.app_data::<web::Data<AppState>>().map_or_else(
        || {
            (
                crate::config::DEFAULT_SITE_NAME.to_string(),
                Lang::En,
                default_theme(),
            )
        },
        |s| {
            let live = s.live.get();
            (
                live.site_name.clone(),
                live.default_language,
                live.theme.clone(),
            )
        },
    );
    Layout {
        theme,
        ..Layout::visitor(
            &site_name,
            crate::session::request_language(req, None, default),
        )
    }
}

/// Wraps the page routes: an error page is rendered again in the request's
/// frame, since `PageError::error_response` gets no request and so knows
/// neither who is signed in nor the site's name. The `PageCtx` is the one
/// the handler extracted (kept in the request's extensions, so no second
/// session lookup) or, for errors before a handler ran (no such route, a bad
/// path), a new one; if even that fails (the database is down), a visitor's
/// frame with the configured name.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(error) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
    else {
        return Ok(res);
    };
    // Bound first: the extensions must not stay borrowed while a new
    // PageCtx stores itself in them.
    let cached = res.request().extensions().get::<PageCtx>().cloned();
    let ctx = match cached {
        Some(ctx) => Some(ctx),
        None => PageCtx::extract(res.request()).await.ok(),
    };
    let layout = match &ctx {
        Some(ctx) => ctx.layout(),
        None => visitor_frame(res.request()),
    };
    let body = error.render_page(layout);
    let (req, resp) = res.into_parts();
    // Same status, headers and attached error; only the body changes.
    let resp = resp.set_body(BoxBody::new(body));
    // A new CSRF cookie, if the frame's sign-out form needs one.
    let resp = match ctx {
        Some(ctx) => ctx.finish(resp),
        None => resp,
    };
    Ok(ServiceResponse::new(req, resp))
}

/// The error page for a request refused before routing (`input_guard`: a
/// body too large, a control character), in the request's frame: the
/// signed-in member if the session cookie names one (no lookup without a
/// cookie), else a visitor's frame with the configured name.
pub async fn refused_page(req: &HttpRequest, e: crate::error::WebError) -> actix_web::HttpResponse {
    let error = PageError(e);
    match PageCtx::extract(req).await {
        Ok(ctx) => {
            error.0.log();
            let mut resp = actix_web::HttpResponse::build(error.status_code());
            if let Some(secs) = error.0.retry_after() {
                resp.insert_header(("Retry-After", secs.to_string()));
            }
            let resp = resp
                .content_type("text/html; charset=utf-8")
                .body(error.render_page(ctx.layout()));
            ctx.finish(resp)
        }
        Err(_) => error.visitor_response(visitor_frame(req)),
    }
}

/// A span of time in words in `lang`, at most to the minute ("3 hours",
/// "2 days"), rounded up to a whole minute.
pub fn duration_in(lang: i18n::Lang, ms: i64) -> String {
    let minutes = (ms.abs() + 59_999) / 60_000;
    match minutes {
        m if m < 60 => i18n::message(lang, "duration-minutes", &[("count", m.into())]),
        m if m < 48 * 60 => i18n::message(lang, "duration-hours", &[("count", (m / 60).into())]),
        m => i18n::message(lang, "duration-days", &[("count", (m / 1440).into())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_say_time_left_or_overdue() {
        let en = Layout::visitor("Hearth", Lang::En);
        let hour = 3_600_000;
        assert_eq!(en.countdown(&(en.now_ms + 3 * hour)), "due in 3 hours");
        assert_eq!(
            en.countdown(&(en.now_ms + 30 * 60_000)),
            "due in 30 minutes"
        );
        assert_eq!(en.countdown(&(en.now_ms - 72 * hour)), "3 days overdue");
        let ru = Layout::visitor("Hearth", Lang::Ru);
        assert_eq!(
            ru.countdown(&(ru.now_ms - 2 * 24 * hour - 1)),
            "просрочено на 2 дня"
        );
        assert_eq!(ru.countdown(&(ru.now_ms + hour)), "срок через 1 час");
        let fa = Layout::visitor("Hearth", Lang::Fa);
        assert_eq!(fa.countdown(&(fa.now_ms + 5 * hour)), "مهلت: ۵ ساعت دیگر");
    }

    #[test]
    fn absolute_times_are_in_the_readers_zone_and_digits() {
        let at = 1_795_355_130_000; // 2026-11-22 13:45 UTC
        let visitor = Layout::visitor("Hearth", Lang::En);
        assert_eq!(visitor.when(&at), "2026-11-22 13:45 UTC");
        let kyiv = Layout {
            tz: forum::time_zone::zone(Some("Europe/Kyiv")),
            ..Layout::visitor("Hearth", Lang::Uk)
        };
        assert_eq!(kyiv.when(&at), "2026-11-22 15:45 UTC+02:00");
        let html = kyiv.time(&at);
        assert!(
            html.starts_with(
                "<time datetime=\"2026-11-22T13:45:30Z\" title=\"2026-11-22 15:45 UTC+02:00\">"
            ),
            "{html}"
        );
        let tehran = Layout {
            tz: forum::time_zone::zone(Some("Asia/Tehran")),
            ..Layout::visitor("Hearth", Lang::Fa)
        };
        assert_eq!(tehran.when(&at), "۲۰۲۶-۱۱-۲۲ ۱۷:۱۵ UTC+۰۳:۳۰");
        // Signing out (a failed sign-in page) drops the member's zone too.
        assert_eq!(tehran.signed_out().when(&at), "۲۰۲۶-۱۱-۲۲ ۱۳:۴۵ UTC");
    }
}
