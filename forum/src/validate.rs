//! Input validation with messages written for the person who typed it.

use crate::error::{ForumError, Rule};

pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 50_000;
pub const TAGS_MAX: usize = 5;

/// A character no text field may hold: C0 and C1 controls and DEL, except
/// the line breaks and tabs multi-line text needs. One rule for every field
/// on both backends, so data stays portable (PostgreSQL refuses NUL in text,
/// SQLite would store it) and nothing control-like reaches a mail header,
/// a log line or a terminal.
pub fn is_forbidden_control(c: char, multi_line: bool) -> bool {
    c.is_control() && !(multi_line && matches!(c, '\n' | '\r' | '\t'))
}

/// Refuse control characters in `raw` (see `is_forbidden_control`).
pub fn no_controls(field: &'static str, raw: &str, multi_line: bool) -> Result<(), ForumError> {
    match raw.chars().find(|c| is_forbidden_control(*c, multi_line)) {
        Some(c) => Err(ForumError::invalid(
            field,
            Rule::ControlCharacter {
                code_point: format!("U+{:04X}", c as u32),
            },
            format!(
                "{field} contains a control character (U+{:04X}), which is not allowed",
                c as u32
            ),
        )),
        None => Ok(()),
    }
}

/// For text from another system that must not be refused (a comment from
/// an external CRM): forbidden control characters become spaces; line
/// breaks and tabs stay.
pub fn strip_controls(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if is_forbidden_control(c, true) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A one-line name shown to people and put in mail headers: trimmed,
/// inner whitespace collapsed, no control characters, at most 64 characters.
/// `None` or blank means `fallback` (the username).
pub fn display_name(raw: Option<&str>, fallback: &str) -> Result<String, ForumError> {
    let Some(raw) = raw else {
        return Ok(fallback.to_string());
    };
    no_controls("display_name", raw, false)?;
    let name = collapse_spaces(raw);
    if name.is_empty() {
        return Ok(fallback.to_string());
    }
    if name.chars().count() > 64 {
        return Err(ForumError::invalid(
            "display_name",
            Rule::TooLong { max: 64 },
            "a display name can have at most 64 characters",
        ));
    }
    Ok(name)
}

/// The languages Hearth's interface and mails are written in.
pub const LANGUAGES: [&str; 4] = ["en", "ru", "uk", "fa"];

/// A member's language setting: one of `LANGUAGES`.
pub fn language(raw: &str) -> Result<&'static str, ForumError> {
    let code = raw.trim().to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| **l == code)
        .copied()
        .ok_or_else(|| {
            ForumError::invalid(
                "language",
                Rule::OneOf {
                    choices: LANGUAGES.join(", "),
                },
                "choose one of: en, ru, uk, fa",
            )
        })
}

/// As `display_name`, for names that come from elsewhere (an identity
/// provider's claims, an import) and must not fail the whole operation:
/// control characters become spaces and the name is cut to 64 characters.
pub fn display_name_lenient(raw: Option<&str>, fallback: &str) -> String {
    let name: String = one_line(raw.unwrap_or_default()).chars().take(64).collect();
    if name.is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// Any text as one line: control characters (line breaks included) become
/// spaces and runs of whitespace one space. For text that must not be
/// refused, such as a mail header built from stored data.
pub fn one_line(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    collapse_spaces(&cleaned)
}

/// A short single-line text (a name, a label, a canned response's title):
/// trimmed, no control characters, 1 to `max` characters.
pub fn line(field: &'static str, raw: &str, max: usize) -> Result<String, ForumError> {
    no_controls(field, raw, false)?;
    let t = raw.trim();
    if t.is_empty() {
        return Err(ForumError::invalid(
            field,
            Rule::Required,
            format!("{field} cannot be empty"),
        ));
    }
    if t.chars().count() > max {
        return Err(ForumError::invalid(
            field,
            Rule::TooLong { max: max as i64 },
            format!("{field} can have at most {max} characters"),
        ));
    }
    Ok(t.to_string())
}

pub fn title(raw: &str) -> Result<String, ForumError> {
    no_controls("title", raw, true)?;
    let t = collapse_spaces(raw);
    let n = t.chars().count();
    if n < TITLE_MIN {
        return Err(ForumError::invalid(
            "title",
            Rule::TooShort {
                min: TITLE_MIN as i64,
            },
            format!("the title needs at least {TITLE_MIN} characters"),
        ));
    }
    if n > TITLE_MAX {
        return Err(ForumError::invalid(
            "title",
            Rule::TooLong {
                max: TITLE_MAX as i64,
            },
            format!("the title can have at most {TITLE_MAX} characters"),
        ));
    }
    Ok(t)
}

pub fn body(raw: &str) -> Result<String, ForumError> {
    let b = raw.trim().replace("\r\n", "\n");
    if b.is_empty() {
        return Err(ForumError::invalid(
            "body",
            Rule::Required,
            "the text cannot be empty",
        ));
    }
    if b.chars().count() > BODY_MAX {
        return Err(ForumError::invalid(
            "body",
            Rule::TooLong {
                max: BODY_MAX as i64,
            },
            format!("the text can have at most {BODY_MAX} characters"),
        ));
    }
    no_controls("body", &b, true)?;
    Ok(b)
}

/// Tags are lower-cased words of letters, digits and dashes, in any script,
/// separated by spaces or commas (Latin or Persian).
pub fn tags(raw: &[String]) -> Result<Vec<String>, ForumError> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.iter().flat_map(|t| t.split([',', ' ', '،'])) {
        let t = t.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 30
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ForumError::invalid(
                "tags",
                Rule::Tag { tag: t.clone() },
                format!("tag {t:?} must be up to 30 letters, digits or dashes"),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > TAGS_MAX {
        return Err(ForumError::invalid(
            "tags",
            Rule::TooManyTags {
                max: TAGS_MAX as i64,
            },
            format!("a thread can have at most {TAGS_MAX} tags"),
        ));
    }
    Ok(out)
}

pub fn username(raw: &str) -> Result<String, ForumError> {
    let u = raw.trim();
    let n = u.chars().count();
    if !(3..=32).contains(&n)
        || !u
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(ForumError::invalid(
            "username",
            Rule::Username,
            "a username has 3 to 32 letters, digits, dots, dashes or underscores",
        ));
    }
    Ok(u.to_string())
}

/// Refuse an address at a domain (or a subdomain of one) in `refused`,
/// e.g. disposable-mail providers a site does not want accounts from.
pub fn email_domain_allowed(email: &str, refused: &[String]) -> Result<(), ForumError> {
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().trim_end_matches('.').to_lowercase())
        .unwrap_or_default();
    let blocked = refused.iter().any(|r| {
        let r = r
            .trim()
            .trim_start_matches('@')
            .trim_end_matches('.')
            .to_lowercase();
        !r.is_empty() && (domain == r || domain.ends_with(&format!(".{r}")))
    });
    if blocked {
        return Err(ForumError::invalid(
            "email",
            Rule::EmailDomainRefused,
            "addresses at this domain cannot register here; use another address",
        ));
    }
    Ok(())
}

pub fn email(raw: &str) -> Result<String, ForumError> {
    let e = raw.trim();
    let valid = e.len() <= 254
        && !e.chars().any(char::is_control)
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
        });
    if !valid {
        return Err(ForumError::invalid(
            "email",
            Rule::Email,
            "enter a valid email address",
        ));
    }
    Ok(e.to_string())
}

pub fn password(raw: &str) -> Result<(), ForumError> {
    no_controls("password", raw, false)?;
    let n = raw.chars().count();
    if n < 8 {
        return Err(ForumError::invalid(
            "password",
            Rule::TooShort { min: 8 },
            "a password needs at least 8 characters",
        ));
    }
    if raw.len() > 1024 {
        return Err(ForumError::invalid(
            "password",
            Rule::TooLong { max: 1024 },
            "that password is too long",
        ));
    }
    Ok(())
}

/// Key for case-insensitive uniqueness of usernames and emails.
pub fn fold_key(s: &str) -> String {
    s.trim().to_lowercase()
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(title("  How   do I  reset? ").unwrap(), "How do I reset?");
        assert!(title("abc").is_err());
        assert!(title(&"x".repeat(201)).is_err());
        assert_eq!(title("Как сбросить пароль").unwrap(), "Как сбросить пароль");
    }

    #[test]
    fn tags_accept_any_script_and_dedupe() {
        assert_eq!(
            tags(&["Billing, #billing".into(), "оплата".into(), "پرداخت".into()]).unwrap(),
            vec!["billing", "оплата", "پرداخت"]
        );
        assert!(tags(&["<script>".into()]).is_err());
        assert!(tags(&["a b c d e f".into()]).is_err());
        // The Persian comma separates tags as the Latin one does.
        assert_eq!(
            tags(&["پرداخت،صورتحساب".into()]).unwrap(),
            vec!["پرداخت", "صورتحساب"]
        );
    }

    #[test]
    fn users_and_emails() {
        assert!(username("ab").is_err());
        assert!(username("ольга_k").is_ok());
        assert!(username("bad name").is_err());
        assert!(email("a@b.co").is_ok());
        assert!(email("no-at.example").is_err());
        assert!(email("a@b").is_err());
        assert!(password("short").is_err());
        assert!(password("long enough").is_ok());
        assert!(body("   ").is_err());
        assert!(body("x\0y").is_err());
        assert!(email("a\0@b.co").is_err());
    }

    #[test]
    fn control_characters_are_refused_everywhere_but_line_breaks_in_text() {
        assert!(title("Wi-Fi\0 drops").is_err());
        assert!(title("Wi-Fi\u{85}drops").is_err(), "C1 controls too");
        assert_eq!(title("Wi-Fi\n drops\t now").unwrap(), "Wi-Fi drops now");
        assert_eq!(
            body("line one\r\n\tline two").unwrap(),
            "line one\n\tline two"
        );
        assert!(body("bell\u{7}").is_err());
        assert!(line("name", "a\nb", 10).is_err());
        assert!(line("name", "  ", 10).is_err());
        assert_eq!(line("name", " Acme ", 10).unwrap(), "Acme");
        assert!(password("eight chars\0").is_err());
        assert_eq!(strip_controls("a\0b\nc\u{1b}[0m"), "a b\nc [0m");
    }

    #[test]
    fn display_names_are_one_header_safe_line() {
        assert!(display_name(Some("Eve\nX"), "eve").is_err());
        assert!(display_name(Some("Eve\rBcc: x@y.z"), "eve").is_err());
        assert_eq!(
            display_name(Some("  Ева   Петрова "), "eve").unwrap(),
            "Ева Петрова"
        );
        assert_eq!(display_name(Some("   "), "eve").unwrap(), "eve");
        assert_eq!(display_name(None, "eve").unwrap(), "eve");
        assert!(display_name(Some(&"x".repeat(65)), "eve").is_err());
        assert_eq!(display_name_lenient(Some("Eve\nX"), "eve"), "Eve X");
        assert_eq!(display_name_lenient(Some("\0\0"), "eve"), "eve");
        assert_eq!(
            display_name_lenient(Some(&"я".repeat(70)), "eve")
                .chars()
                .count(),
            64
        );
    }

    #[test]
    fn refused_domains_and_their_subdomains() {
        let refused = vec!["Mailinator.com".to_string(), "@spam.example".to_string()];
        assert!(email_domain_allowed("a@mailinator.com", &refused).is_err());
        assert!(email_domain_allowed("a@X.MAILINATOR.COM", &refused).is_err());
        assert!(email_domain_allowed("a@spam.example.", &refused).is_err());
        assert!(email_domain_allowed("a@notmailinator.com", &refused).is_ok());
        assert!(email_domain_allowed("a@example.com", &refused).is_ok());
        assert!(email_domain_allowed("a@example.com", &[]).is_ok());
    }
}
