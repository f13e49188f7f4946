//! Every word a page shows comes from the message catalogue: a template
//! with text outside `layout.t(…)` (or in a `placeholder`, `title`, `alt`
//! or `aria-label`), or a message id used in a template or in the Rust
//! sources that English does not define, fails here. (That every language
//! defines every English message is `i18n::tests`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use web::i18n::{keys, Lang};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable source directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids passed as string literals to the catalogue's functions.
fn used_keys(text: &str) -> Vec<String> {
    const CALLS: [&str; 8] = [
        "t(\"",
        "t1(\"",
        "t2(\"",
        "count(\"",
        "message(lang, \"",
        "t(lang, \"",
        "message(self.lang, \"",
        "t(self.lang, \"",
    ];
    let mut out = Vec::new();
    for call in CALLS {
        let mut rest = text;
        while let Some(i) = rest.find(call) {
            // `layout.t("…")`, `i18n::t(lang, "…")`, not `…_t("…")`.
            let before = rest[..i].chars().last();
            rest = &rest[i + call.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if !key.is_empty() && !key.contains('{') && !key.ends_with('-') {
                    out.push(key.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn every_message_a_template_or_handler_uses_exists() {
    let english = keys(Lang::En);
    let mut sources = Vec::new();
    files(&crate_dir().join("templates"), "html", &mut sources);
    files(&crate_dir().join("src"), "rs", &mut sources);
    let mut missing = BTreeSet::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("readable source");
        for key in used_keys(&text) {
            if !english.contains(&key) {
                missing.insert(format!(
                    "{} uses {key}",
                    path.strip_prefix(crate_dir()).unwrap_or(path).display()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages missing from web/locales/en: {missing:#?}"
    );
}

/// `s` without askama's `{{ … }}`, `{% … %}` and `{# … #}`.
fn without_template_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, *open)))
            .min();
        let Some((i, open)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        out.push(' ');
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        match rest[i + 2..].find(close) {
            Some(j) => rest = &rest[i + 2 + j + 2..],
            None => return out,
        }
    }
}

/// Text a reader sees that is not from the catalogue: words between tags,
/// and the readable attributes.
fn stray_text(template: &str) -> Vec<String> {
    let plain = without_template_code(template);
    let mut found = Vec::new();
    let mut rest = plain.as_str();
    // Script and style bodies are not text.
    let mut cleaned = String::new();
    while let Some(i) = rest.find("<script") {
        cleaned.push_str(&rest[..i]);
        rest = rest[i..]
            .find("</script>")
            .map_or("", |j| &rest[i + j + 9..]);
    }
    cleaned.push_str(rest);
    let mut rest = cleaned.as_str();
    while !rest.is_empty() {
        let (text, after) = match rest.find('<') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if text.chars().any(char::is_alphabetic) {
            found.push(text.trim().to_string());
        }
        let Some(end) = after.find('>') else { break };
        let tag = &after[..end];
        for attr in [
            "placeholder=\"",
            "title=\"",
            "alt=\"",
            "aria-label=\"",
            "label=\"",
        ] {
            let mut t = tag;
            while let Some(i) = t.find(attr) {
                let preceded = t[..i].chars().last();
                t = &t[i + attr.len()..];
                if preceded.is_some_and(|c| c != ' ' && c != '\n') {
                    continue;
                }
                let value = t.split('"').next().unwrap_or("");
                if value.chars().any(char::is_alphabetic) {
                    found.push(format!("{attr}{value}\""));
                }
            }
        }
        rest = &after[end + 1..];
    }
    found
}

#[test]
fn templates_have_no_text_outside_the_catalogue() {
    let mut templates = Vec::new();
    files(&crate_dir().join("templates"), "html", &mut templates);
    assert!(templates.len() > 30, "templates found");
    let mut stray = Vec::new();
    for path in &templates {
        let text = std::fs::read_to_string(path).expect("readable template");
        for s in stray_text(&text) {
            stray.push(format!(
                "{}: {s}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
        }
    }
    assert!(stray.is_empty(), "text outside the catalogue: {stray:#?}");
}

#[test]
fn the_checker_sees_stray_text() {
    let found = stray_text(
        "<p>{{ layout.t(\"a\") }}</p><p>Hello {{ x }}</p><input placeholder=\"Type\"><b>{% if a %}·{% endif %}</b>",
    );
    assert_eq!(
        found,
        vec!["Hello".to_string(), "placeholder=\"Type\"".to_string()]
    );
    assert_eq!(
        used_keys("layout.t(\"nav-kb\") x.count(\"count-replies\", n) my_t(\"no\")"),
        vec!["nav-kb".to_string(), "count-replies".to_string()]
    );
}

/// Field names given to the domain's refusals (`ForumError::invalid(…)`,
/// `validation(…)`, `validate::line(…)`, `no_controls(…)`) as literals.
fn refused_fields(text: &str) -> Vec<String> {
    const CALLS: [&str; 4] = ["invalid(", "validation(", "line(", "no_controls("];
    let mut out = Vec::new();
    for call in CALLS {
        let mut rest = text;
        while let Some(i) = rest.find(call) {
            let before = rest[..i].chars().last();
            rest = &rest[i + call.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let arg = rest.trim_start();
            if let Some(literal) = arg.strip_prefix('"') {
                if let Some(end) = literal.find('"') {
                    let field = &literal[..end];
                    if !field.is_empty()
                        && field
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                    {
                        out.push(field.to_string());
                    }
                }
            }
        }
    }
    out
}

/// A refusal in any language names its field in words (`field-<name>`)
/// and states its rule (`invalid-<rule>`): every field the domain, the CRM
/// and the handlers refuse has a label, and every rule a sentence.
#[test]
fn every_refused_field_has_a_label_and_every_rule_a_sentence() {
    let english = keys(Lang::En);
    let workspace = crate_dir().parent().expect("the workspace");
    let mut sources = Vec::new();
    for dir in ["forum/src", "crm-bridge/src", "web/src"] {
        files(&workspace.join(dir), "rs", &mut sources);
    }
    let mut fields = BTreeSet::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("readable source");
        // Unit tests name made-up fields.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        fields.extend(refused_fields(code));
    }
    assert!(
        fields.contains("title") && fields.contains("start_threads"),
        "the scan finds the domain's fields: {fields:?}"
    );
    let unlabelled: Vec<_> = fields
        .iter()
        .filter(|f| !english.contains(&format!("field-{}", f.replace('.', "-"))))
        .collect();
    assert!(
        unlabelled.is_empty(),
        "fields without a label: {unlabelled:?}"
    );

    let sentenceless: Vec<_> = forum::Rule::examples()
        .into_iter()
        .filter(|r| *r != forum::Rule::Unspecified)
        .map(|r| format!("invalid-{}", r.id()))
        .filter(|id| !english.contains(id))
        .collect();
    assert!(
        sentenceless.is_empty(),
        "rules without a sentence: {sentenceless:?}"
    );
}
