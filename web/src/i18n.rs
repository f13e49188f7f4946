//! The interface's languages: one Fluent message catalogue
//! (`web/locales/<language>/*.ftl`, compiled in by `build.rs`) for every
//! page, error and mail, with CLDR plural rules; which language a request
//! gets (the member's setting, else `Accept-Language`, else the site
//! default); writing direction; numbers in the language's digits; relative
//! times.
//!
//! Message ids are `area-what` (`nav-kb`, `thread-replies`); an attribute
//! is addressed as `id.attr`. A missing message falls back to English and
//! then to the id itself, and is logged: `tests` in this module fail the
//! build's tests first.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_bundle::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

mod files {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// A language the interface is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Ru,
    Uk,
    Fa,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Uk, Lang::Fa];

    /// The BCP 47 code (`lang` attributes, cookies, the member's setting).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Uk => "uk",
            Lang::Fa => "fa",
        }
    }

    /// The language named in itself, for pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
            Lang::Uk => "Українська",
            Lang::Fa => "فارسی",
        }
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            _ => "ltr",
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Fa
    }

    /// The language of a code such as `ru`, `ru-RU` or `FA_ir`; None for
    /// languages the interface is not written in.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "uk" => Some(Lang::Uk),
            "fa" | "per" | "fas" => Some(Lang::Fa),
            _ => None,
        }
    }

    /// The best language of an `Accept-Language` header: the highest
    /// weight wins, earlier entries break ties, `q=0` means "not this".
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for entry in header.split(',').take(32) {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, |q| {
                    q.trim()
                        .parse::<f32>()
                        .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                });
            if weight == 0 {
                continue;
            }
            if let Some(lang) = Lang::parse(tag) {
                if best.is_none_or(|(w, _)| weight > w) {
                    best = Some((weight, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    /// Which language a page is shown in: the member's own setting, else
    /// the visitor's choice (`lang` cookie), else the browser's
    /// `Accept-Language`, else the site's default.
    pub fn negotiate(
        member: Option<&str>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
        site_default: Lang,
    ) -> Lang {
        member
            .and_then(Lang::parse)
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or(site_default)
    }

    /// Digits as readers of this language write them: Persian digits
    /// (۰–۹, the Persian decimal separator) in the Persian interface.
    pub fn digits(self, ascii: &str) -> String {
        if self != Lang::Fa {
            return ascii.to_string();
        }
        ascii
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                '.' => '٫',
                ',' => '٬',
                _ => c,
            })
            .collect()
    }

    /// A decimal written with a dot ("1.5"), with this language's digits
    /// and decimal separator (1.5 / 1,5 / ۱٫۵).
    pub fn decimal(self, ascii: &str) -> String {
        match self {
            Lang::En => ascii.to_string(),
            Lang::Ru | Lang::Uk => ascii.replace('.', ","),
            Lang::Fa => self.digits(ascii),
        }
    }

    /// A whole number in this language's digits and grouping (1,234 /
    /// 1 234 / ۱٬۲۳۴).
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self {
            Lang::En | Lang::Fa => ",",
            // CLDR groups Russian and Ukrainian with a no-break space.
            Lang::Ru | Lang::Uk => "\u{a0}",
        };
        let mut out = String::with_capacity(digits.len() + 4);
        if n < 0 {
            out.push('-');
        }
        // Four-digit numbers stay ungrouped in Russian and Ukrainian (CLDR
        // minimumGroupingDigits = 2).
        let group = digits.len() > 4 || (digits.len() == 4 && matches!(self, Lang::En | Lang::Fa));
        for (i, c) in digits.chars().enumerate() {
            if group && i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        self.digits(&out)
    }
}

/// A value for a message's `$variable`.
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s.as_str()))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Arg<'_> {
            fn from(n: &$t) -> Self {
                Arg::Number(i64::try_from(*n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(i64, i32, u32, u64, usize);

type Bundle = FluentBundle<FluentResource>;

struct Catalogue {
    bundles: Vec<(Lang, Bundle)>,
    /// Messages without variables, formatted once (most of a page's
    /// words), per language in `Lang::ALL`'s order.
    plain: Vec<HashMap<String, String>>,
}

/// A whole number a message was given (counts), if it is one.
fn whole(value: &FluentValue) -> Option<i64> {
    match value {
        FluentValue::Number(n)
            if n.value.fract() == 0.0 && n.options.minimum_fraction_digits.is_none() =>
        {
            Some(n.value as i64)
        }
        _ => None,
    }
}

// Numbers in each language's digits and grouping; everything else as
// Fluent writes it. (Plain `fn`s: the bundle takes a function pointer.)
fn format_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| Lang::En.number(n))
}

fn format_ru_uk<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| Lang::Ru.number(n))
}

fn format_fa<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(match whole(value) {
            Some(w) => Lang::Fa.number(w),
            None => Lang::Fa.digits(&n.as_string()),
        }),
        _ => None,
    }
}

impl Catalogue {
    fn load() -> Catalogue {
        let bundles = Lang::ALL
            .iter()
            .map(|&lang| {
                let id = lang.code().parse().unwrap_or_default();
                let mut bundle = Bundle::new(vec![id]);
                // Interpolated values are isolated in the markup (`<bdi>`,
                // `dir="auto"`) where they are user content; Unicode
                // isolation marks inside attributes and mails would only
                // surprise readers copying text.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(match lang {
                    Lang::Fa => format_fa,
                    Lang::Ru | Lang::Uk => format_ru_uk,
                    Lang::En => format_en,
                }));
                for (code, name, text) in files::FILES {
                    if Lang::parse(code) != Some(lang) {
                        continue;
                    }
                    let resource = match FluentResource::try_new((*text).to_string()) {
                        Ok(r) => r,
                        Err((r, errors)) => {
                            tracing::error!(
                                language = code,
                                file = name,
                                ?errors,
                                "catalogue file has syntax errors"
                            );
                            r
                        }
                    };
                    if let Err(errors) = bundle.add_resource(resource) {
                        tracing::error!(
                            language = code,
                            file = name,
                            ?errors,
                            "catalogue file redefines messages"
                        );
                    }
                }
                (lang, bundle)
            })
            .collect();
        let mut catalogue = Catalogue {
            bundles,
            plain: Vec::new(),
        };
        catalogue.plain = Lang::ALL
            .iter()
            .map(|&lang| {
                keys(lang)
                    .into_iter()
                    .filter_map(|key| {
                        let text = catalogue.format_quietly(lang, &key, None)?;
                        Some((key, text))
                    })
                    .collect()
            })
            .collect();
        catalogue
    }

    /// The message formatted, with Fluent's complaints (a missing
    /// variable, say); None when `key` is not defined.
    fn format_with_errors(
        &self,
        lang: Lang,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Option<(String, Vec<fluent_bundle::FluentError>)> {
        let bundle = self.bundle(lang);
        let (id, attr) = match key.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (key, None),
        };
        let message = bundle.get_message(id)?;
        let pattern = match attr {
            Some(a) => message.get_attribute(a)?.value(),
            None => message.value()?,
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        Some((text, errors))
    }

    /// As `format`, None also when the message needs variables.
    fn format_quietly(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (text, errors) = self.format_with_errors(lang, key, args)?;
        errors.is_empty().then_some(text)
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        // ALL's order; En is first and always present.
        let i = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
        &self.bundles[i].1
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (text, errors) = self.format_with_errors(lang, key, args)?;
        if !errors.is_empty() {
            tracing::warn!(
                language = lang.code(),
                key,
                ?errors,
                "message formatted with errors"
            );
        }
        Some(text)
    }
}

// One catalogue per thread: Fluent's plural-rule memoizer then needs no
// lock (the shared one is a mutex every counted message took), and each
// worker thread parses the embedded files once (a few ms).
thread_local! {
    static CATALOGUE: Catalogue = Catalogue::load();
}

/// The message `key` in `lang`, with `args` for its variables.
pub fn message(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let fluent_args = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(s) => a.set(*name, FluentValue::from(s.as_ref())),
                Arg::Number(n) => a.set(*name, FluentValue::from(*n)),
            }
        }
        a
    });
    CATALOGUE.with(|catalogue| {
        if fluent_args.is_none() {
            let i = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
            if let Some(text) = catalogue.plain.get(i).and_then(|m| m.get(key)) {
                return text.clone();
            }
        }
        catalogue
            .format(lang, key, fluent_args.as_ref())
            .or_else(|| {
                tracing::warn!(
                    language = lang.code(),
                    key,
                    "message missing from the catalogue"
                );
                catalogue.format(Lang::En, key, fluent_args.as_ref())
            })
            .unwrap_or_else(|| key.to_string())
    })
}

/// The scaffold of a KB draft promoted from a thread, in `lang` (the
/// site's default language: an article is written for the whole site).
pub fn draft_words(lang: Lang) -> forum::kb::DraftWords {
    forum::kb::DraftWords {
        question: t(lang, "kb-draft-question"),
        answer: t(lang, "kb-draft-answer"),
        answer_by: t(lang, "kb-draft-answer-by"),
        thread_link: t(lang, "kb-draft-thread-link"),
        also_useful: t(lang, "kb-draft-also-useful"),
        reply_by: t(lang, "kb-draft-reply-by"),
        reply_link: t(lang, "kb-draft-reply-link"),
    }
}

/// The message `key` in `lang`, without variables.
pub fn t(lang: Lang, key: &str) -> String {
    message(lang, key, &[])
}

/// "3 hours ago" for an instant `then_ms` seen at `now_ms` (both unix
/// ms); "just now" within a minute; future instants read as "just now".
pub fn relative_time(lang: Lang, then_ms: i64, now_ms: i64) -> String {
    let secs = (now_ms - then_ms).max(0) / 1000;
    let (key, count) = match secs {
        s if s < 60 => return t(lang, "time-just-now"),
        s if s < 3600 => ("time-minutes-ago", s / 60),
        s if s < 86_400 => ("time-hours-ago", s / 3600),
        s if s < 30 * 86_400 => ("time-days-ago", s / 86_400),
        s if s < 365 * 86_400 => ("time-months-ago", s / (30 * 86_400)),
        s => ("time-years-ago", s / (365 * 86_400)),
    };
    message(lang, key, &[("count", Arg::Number(count))])
}

/// Every message id (with `.attr` for attributes) defined for `lang`.
pub fn keys(lang: Lang) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for (code, _, text) in files::FILES {
        if Lang::parse(code) != Some(lang) {
            continue;
        }
        let Ok(resource) = FluentResource::try_new((*text).to_string()) else {
            continue;
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                out.insert(m.id.name.to_string());
                for a in &m.attributes {
                    out.insert(format!("{}.{}", m.id.name, a.id.name));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The draft scaffold in every language keeps the placeholders the
    /// promotion fills in, and English is the domain's own default.
    #[test]
    fn draft_words_keep_their_placeholders() {
        assert_eq!(draft_words(Lang::En), forum::kb::DraftWords::default());
        for lang in Lang::ALL {
            let w = draft_words(lang);
            for (text, names) in [
                (&w.answer_by, &["{author}", "{link}"][..]),
                (&w.reply_by, &["{author}", "{link}", "{kudos}"][..]),
            ] {
                for name in names {
                    assert!(text.contains(name), "{lang:?}: {text} lacks {name}");
                }
            }
        }
    }

    #[test]
    fn languages_parse_and_negotiate() {
        assert_eq!(Lang::parse("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::parse("FA_ir"), Some(Lang::Fa));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,uk;q=0.8,en;q=0.7"),
            Some(Lang::Uk)
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5, fa"), Some(Lang::Fa));
        assert_eq!(
            Lang::from_accept_language("ru;q=0, en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de, *"), None);
        assert_eq!(
            Lang::negotiate(Some("fa"), Some("ru"), Some("uk"), Lang::En),
            Lang::Fa
        );
        assert_eq!(
            Lang::negotiate(None, Some("ru"), Some("uk"), Lang::En),
            Lang::Ru
        );
        assert_eq!(Lang::negotiate(None, None, Some("uk"), Lang::En), Lang::Uk);
        assert_eq!(Lang::negotiate(Some("xx"), None, None, Lang::Fa), Lang::Fa);
    }

    #[test]
    fn numbers_use_the_languages_digits_and_grouping() {
        assert_eq!(Lang::En.number(1234567), "1,234,567");
        assert_eq!(Lang::Ru.number(1234), "1234");
        assert_eq!(Lang::Ru.number(12345), "12\u{a0}345");
        assert_eq!(Lang::Fa.number(1205), "۱٬۲۰۵");
        assert_eq!(Lang::Fa.number(-7), "-۷");
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let replies = |lang, n: i64| message(lang, "count-replies", &[("count", Arg::Number(n))]);
        assert_eq!(replies(Lang::En, 1), "1 reply");
        assert_eq!(replies(Lang::En, 3), "3 replies");
        assert_eq!(replies(Lang::Ru, 1), "1 ответ");
        assert_eq!(replies(Lang::Ru, 3), "3 ответа");
        assert_eq!(replies(Lang::Ru, 5), "5 ответов");
        assert_eq!(replies(Lang::Ru, 21), "21 ответ");
        assert_eq!(replies(Lang::Uk, 2), "2 відповіді");
        assert_eq!(replies(Lang::Uk, 11), "11 відповідей");
        assert_eq!(replies(Lang::Fa, 3), "۳ پاسخ");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = 1_800_000_000_000;
        assert_eq!(relative_time(Lang::En, now - 5_000, now), "just now");
        assert_eq!(
            relative_time(Lang::En, now - 3 * 3_600_000, now),
            "3 hours ago"
        );
        assert_eq!(relative_time(Lang::En, now - 60_000, now), "1 minute ago");
        assert_eq!(
            relative_time(Lang::Ru, now - 2 * 86_400_000, now),
            "2 дня назад"
        );
        assert_eq!(
            relative_time(Lang::Fa, now - 5 * 60_000, now),
            "۵ دقیقه پیش"
        );
    }

    #[test]
    fn missing_messages_fall_back_to_the_id() {
        assert_eq!(
            t(Lang::Ru, "no-such-message-anywhere"),
            "no-such-message-anywhere"
        );
    }

    /// Every language defines exactly the messages English defines: a key
    /// added in one language only, or left out of one, fails here.
    #[test]
    fn every_language_has_every_message() {
        let english = keys(Lang::En);
        assert!(english.len() > 50, "the English catalogue is loaded");
        for lang in Lang::ALL {
            let these = keys(lang);
            let missing: Vec<_> = english.difference(&these).collect();
            let extra: Vec<_> = these.difference(&english).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang:?} has keys English lacks: {extra:?}"
            );
        }
    }

    /// Every file parses and every message formats without errors in every
    /// language (a misspelt variable or selector shows up here).
    #[test]
    fn every_message_parses_and_formats() {
        for (code, name, text) in files::FILES {
            if let Err((_, errors)) = FluentResource::try_new((*text).to_string()) {
                panic!("{code}/{name}: {errors:?}");
            }
        }
        CATALOGUE.with(|catalogue| {
            for lang in Lang::ALL {
                let bundle = catalogue.bundle(lang);
                for key in keys(lang) {
                    let (id, attr) = match key.split_once('.') {
                        Some((i, a)) => (i, Some(a)),
                        None => (key.as_str(), None),
                    };
                    let Some(message) = bundle.get_message(id) else {
                        panic!("{lang:?} {key} not in the bundle (defined twice?)");
                    };
                    let pattern = match attr {
                        Some(a) => message.get_attribute(a).map(|a| a.value()),
                        None => message.value(),
                    };
                    let Some(pattern) = pattern else { continue };
                    // Every variable a message may use, as the numbers 1, 2
                    // and 5 (the plural forms of all four languages; text
                    // variables print them).
                    for n in [1_i64, 2, 5] {
                        let mut args = FluentArgs::new();
                        for var in VARIABLE_NAMES {
                            args.set(*var, FluentValue::from(n));
                        }
                        let mut errors = Vec::new();
                        let _ = bundle.format_pattern(pattern, Some(&args), &mut errors);
                        assert!(errors.is_empty(), "{lang:?} {key}: {errors:?}");
                    }
                }
            }
        });
    }

    /// The variable names messages may use; a message using another fails
    /// `every_message_parses_and_formats` (so a misspelt `$cuont` is caught).
    const VARIABLE_NAMES: &[&str] = &[
        "count",
        "code_point",
        "duration",
        "thread",
        "task",
        "priority",
        "from",
        "to",
        "what",
        "changes",
        "keyword",
        "by",
        "choices",
        "last",
        "ratio",
        "name",
        "title",
        "site",
        "board",
        "when",
        "role",
        "level",
        "user",
        "badge",
        "rank",
        "points",
        "query",
        "language",
        "code",
        "limit",
        "seconds",
        "minutes",
        "hours",
        "days",
        "size",
        "max",
        "min",
        "kind",
        "reason",
        "status",
        "email",
        "address",
        "url",
        "n",
        "total",
        "page",
        "pages",
        "score",
        "author",
        "state",
        "provider",
        "value",
        "key",
        "field",
        "number",
        "date",
        "time",
        "tag",
        "votes",
        "views",
        "answers",
        "solved",
        "open",
        "held",
        "flags",
        "members",
        "posts",
        "threads",
        "link",
        "excerpt",
        "group",
        "from",
        "to",
        "version",
        "id",
        "agent",
        "customer",
        "priority",
        "due",
        "percent",
        "words",
        "chars",
        "length",
        "bytes",
        "seen",
        "other",
        "mentioner",
        "poster",
        "question",
        "answer",
        "article",
        "hits",
        "results",
        "category",
        "megabytes",
        "megapixels",
        "files",
        "cost",
    ];
}
