//! Markdown to safe HTML. pulldown-cmark renders, bare URLs become links,
//! and ammonia strips anything executable. The result is cached in the row.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(Some("nofollow ugc noopener"))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            // Only table alignment survives.
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("td" | "th", "style") => match value {
                    "text-align: left" | "text-align: center" | "text-align: right" => {
                        Some(value.into())
                    }
                    _ => None,
                },
                _ => Some(value.into()),
            });
        b
    })
}

/// How deeply quotes, lists and emphasis may nest. Deeper levels are
/// flattened (their text is kept): a post of 45,000 `>` would otherwise be
/// a tree of nested blockquotes no browser lays out in reasonable time.
pub const MAX_NESTING: usize = 16;

/// Raw HTML tags a post may carry before all of its raw HTML is shown as
/// text: the sanitiser parses HTML into a tree, and thousands of nested
/// `<div>`s took seconds of CPU per post.
pub const MAX_RAW_HTML: usize = 256;

/// Tags that nest into each other and count against `MAX_NESTING`.
fn nests(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::FootnoteDefinition(_)
    )
}

fn nests_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::FootnoteDefinition
    )
}

/// Render user markdown to sanitised HTML.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let raw_html = Parser::new_ext(source, options)
        .filter(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => h.matches('<').count(),
            _ => 0,
        })
        .sum::<usize>();
    let escape_html = raw_html > MAX_RAW_HTML;
    let parser = Parser::new_ext(source, options);
    let mut in_link_or_code = 0usize;
    let mut events: Vec<Event> = Vec::new();
    // For each open nesting tag: whether it was kept (inside the limit).
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    for event in parser {
        match &event {
            Event::Start(tag) if nests(tag) => {
                let keep = depth < MAX_NESTING;
                open.push(keep);
                if keep {
                    depth += 1;
                    events.push(event);
                }
            }
            Event::End(tag) if nests_end(tag) => {
                if open.pop().unwrap_or(false) {
                    depth -= 1;
                    events.push(event);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if escape_html => {
                events.push(Event::Text(h.clone()));
            }
            // Checkboxes as characters: no form control in user content.
            Event::TaskListMarker(done) => {
                events.push(Event::Text(CowStr::from(if *done {
                    "☑ "
                } else {
                    "☐ "
                })));
            }
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_) | Tag::Image { .. }) => {
                in_link_or_code += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::CodeBlock | TagEnd::Image) => {
                in_link_or_code = in_link_or_code.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if in_link_or_code == 0 => linkify(text, &mut events),
            _ => events.push(event),
        }
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

/// Split text on bare http(s) URLs and emit them as links (GFM autolinks).
fn linkify<'a>(text: &CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let s: &str = text;
    let mut rest = s;
    let mut found = false;
    while let Some(start) = find_url_start(rest) {
        found = true;
        let (before, tail) = rest.split_at(start);
        let len = url_len(tail);
        let (url, after) = tail.split_at(len);
        if !before.is_empty() {
            out.push(Event::Text(CowStr::from(before.to_string())));
        }
        let url = url.to_string();
        out.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Autolink,
            dest_url: CowStr::from(url.clone()),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(url)));
        out.push(Event::End(TagEnd::Link));
        rest = after;
    }
    if !found {
        out.push(Event::Text(text.clone()));
    } else if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_string())));
    }
}

fn find_url_start(s: &str) -> Option<usize> {
    let http = s.find("http://");
    let https = s.find("https://");
    let start = match (http, https) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    // Require a word boundary so "xhttp://" is not linked.
    let boundary = s[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let tail = &s[start..];
    let scheme = if tail.starts_with("https://") { 8 } else { 7 };
    if boundary && url_len(tail) > scheme {
        Some(start)
    } else {
        let skip = start + scheme;
        find_url_start(&s[skip..]).map(|i| i + skip)
    }
}

fn url_len(s: &str) -> usize {
    let end = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
        .map_or(s.len(), |(i, _)| i);
    // Trailing punctuation belongs to the sentence, not the URL.
    s[..end]
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')'])
        .len()
}

/// A plain-text excerpt of markdown, for listings and meta descriptions.
pub fn excerpt(source: &str, max_chars: usize) -> String {
    let text = plain(source, max_chars);
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
    }
}

/// All the text a reader sees in markdown, as one line (what search
/// indexes and quotes).
pub fn plain_text(source: &str) -> String {
    plain(source, usize::MAX)
}

/// The text of `source`, whitespace collapsed, stopping once more than
/// `max_chars` characters were read.
fn plain(source: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut chars = 0usize;
    // Words are apart where blocks or lines end, not where inline markup
    // does: "**router**, then" reads "router, then".
    let mut gap = false;
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if gap && !text.is_empty() {
                    text.push(' ');
                    chars += 1;
                }
                gap = false;
                text.push_str(&t);
                chars += t.chars().count();
            }
            Event::SoftBreak | Event::HardBreak => gap = true,
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(_) => gap = true,
            _ => {}
        }
        if chars > max_chars {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_what_a_reader_sees() {
        assert_eq!(
            plain_text("## Reset\n\nHold **power** for [ten seconds](https://x.test/a), then `reboot`.\n\n- one\n- two"),
            "Reset Hold power for ten seconds, then reboot. one two"
        );
        let long = "word ".repeat(20_000);
        assert_eq!(plain_text(&long).split(' ').count(), 20_000);
    }

    #[test]
    fn renders_gfm_features() {
        let html = render("| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("☑ done") && html.contains("☐ todo"), "{html}");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("text-align: center"), "{html}");
    }

    #[test]
    fn nesting_is_bounded_and_text_kept() {
        let quotes = format!("{}deep", ">".repeat(45_000));
        let html = render(&quotes);
        assert_eq!(
            html.matches("<blockquote>").count(),
            MAX_NESTING,
            "{}",
            html.len()
        );
        assert!(html.contains("deep"));
        assert!(html.len() < 1_000, "{}", html.len());
        let lists: String = (0..500)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect();
        let html = render(&lists);
        assert!(html.matches("<ul>").count() <= MAX_NESTING, "{html}");
        assert!(html.contains("item 499"));
        let stars = format!("{}x{}", "*".repeat(20_000), "*".repeat(20_000));
        let html = render(&stars);
        assert!(html.matches("<em>").count() + html.matches("<strong>").count() <= MAX_NESTING);
        // Balanced output: every kept tag is closed.
        for tag in ["blockquote", "ul", "li", "em", "strong"] {
            let h = render(&format!("{quotes}\n\n{lists}\n\n{stars}"));
            assert_eq!(
                h.matches(&format!("<{tag}>")).count(),
                h.matches(&format!("</{tag}>")).count(),
                "{tag}"
            );
        }
    }

    #[test]
    fn floods_of_raw_html_are_shown_as_text() {
        let divs = format!("{}x{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let started = std::time::Instant::now();
        let html = render(&divs);
        assert!(!html.contains("<div>"), "shown as text");
        assert!(html.contains("&lt;div&gt;"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A few tags are still HTML.
        assert!(render("<div>a</div>").contains("<div>a</div>"));
    }

    #[test]
    fn bare_inputs_never_survive() {
        for attack in [
            "<input>",
            "<input name=password>",
            "<INPUT type=checkbox checked>",
            "<form><input></form>",
        ] {
            let html = render(attack).to_lowercase();
            assert!(!html.contains("<input"), "{attack} -> {html}");
        }
    }

    #[test]
    fn bare_urls_become_safe_links() {
        let html = render("see https://example.com/a?b=1. or <https://x.org>");
        assert!(
            html.contains("<a href=\"https://example.com/a?b=1\" rel=\"nofollow ugc noopener\">"),
            "{html}"
        );
        assert!(html.contains("href=\"https://x.org\""), "{html}");
        let code = render("`https://in-code.example`");
        assert!(!code.contains("<a "), "{code}");
    }

    #[test]
    fn scripts_and_handlers_never_survive() {
        let attacks = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil\"></iframe>",
            "[x](JaVaScRiPt:alert(1))",
            "<input type=\"text\" onfocus=alert(1) autofocus>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "![x](javascript:alert(1))",
        ];
        for attack in attacks {
            let html = render(attack).to_lowercase();
            assert!(!html.contains("<script"), "{attack} -> {html}");
            assert!(!html.contains("javascript:"), "{attack} -> {html}");
            assert!(!html.contains("onerror"), "{attack} -> {html}");
            assert!(!html.contains("onload"), "{attack} -> {html}");
            assert!(!html.contains("onfocus"), "{attack} -> {html}");
            assert!(!html.contains("<iframe"), "{attack} -> {html}");
            assert!(!html.contains("type=\"text\""), "{attack} -> {html}");
            assert!(!html.contains("style=\"background"), "{attack} -> {html}");
        }
    }

    #[test]
    fn excerpt_is_plain_and_bounded() {
        assert_eq!(excerpt("**Привет** мир", 50), "Привет мир");
        assert_eq!(
            excerpt(
                "Restart the **router**, then [look](https://x.example).\n\n- one\n- two",
                80
            ),
            "Restart the router, then look. one two"
        );
        let long = "слово ".repeat(100);
        let e = excerpt(&long, 20);
        assert!(e.chars().count() <= 21 && e.ends_with('…'), "{e}");
    }
}
