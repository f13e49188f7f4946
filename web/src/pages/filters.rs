//! Askama filters used by the templates, and the templates' HTML escaper
//! (named in `web/askama.toml`).

use std::fmt::Write;

#[askama::filter_fn]
pub fn iso(ms: &i64, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(crate::timefmt::iso8601(*ms))
}

/// HTML escaping with the entities askama wrote before 0.13 (`&lt;`,
/// `&gt;`, `&amp;`, `&quot;`, `&#x27;`) rather than its numeric ones
/// (`&#60;`…): just as safe, and pages stay byte-for-byte what they were
/// for anything that reads them (tests, scrapers, caches).
#[derive(Clone, Copy, Debug, Default)]
pub struct HtmlEscaper;

impl askama::filters::Escaper for HtmlEscaper {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> std::fmt::Result {
        let mut plain = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'&' => "&amp;",
                b'"' => "&quot;",
                b'\'' => "&#x27;",
                _ => continue,
            };
            // `i` is at an ASCII byte, so both slices end on char boundaries.
            dest.write_str(&s[plain..i])?;
            dest.write_str(entity)?;
            plain = i + 1;
        }
        dest.write_str(&s[plain..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::filters::Escaper;

    #[test]
    fn escapes_like_askama_0_12() {
        let mut out = String::new();
        HtmlEscaper
            .write_escaped_str(&mut out, "a<b>&\"c\" 'd' é/€")
            .unwrap();
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot; &#x27;d&#x27; é/€");
    }
}
