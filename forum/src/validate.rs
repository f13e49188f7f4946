//! Input validation with messages written for the person who typed it.

use crate::error::ForumError;

pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 50_000;
pub const TAGS_MAX: usize = 5;

pub fn title(raw: &str) -> Result<String, ForumError> {
    let t = collapse_spaces(raw);
    let n = t.chars().count();
    if n < TITLE_MIN {
        return Err(ForumError::validation(
            "title",
            format!("the title needs at least {TITLE_MIN} characters"),
        ));
    }
    if n > TITLE_MAX {
        return Err(ForumError::validation(
            "title",
            format!("the title can have at most {TITLE_MAX} characters"),
        ));
    }
    Ok(t)
}

pub fn body(raw: &str) -> Result<String, ForumError> {
    let b = raw.trim().replace("\r\n", "\n");
    if b.is_empty() {
        return Err(ForumError::validation("body", "the text cannot be empty"));
    }
    if b.chars().count() > BODY_MAX {
        return Err(ForumError::validation(
            "body",
            format!("the text can have at most {BODY_MAX} characters"),
        ));
    }
    if b.contains('\0') {
        return Err(ForumError::validation(
            "body",
            "the text contains a NUL character",
        ));
    }
    Ok(b)
}

/// Tags are lower-cased words of letters, digits and dashes, in any script.
pub fn tags(raw: &[String]) -> Result<Vec<String>, ForumError> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.iter().flat_map(|t| t.split([',', ' '])) {
        let t = t.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 30
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ForumError::validation(
                "tags",
                format!("tag {t:?} must be up to 30 letters, digits or dashes"),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > TAGS_MAX {
        return Err(ForumError::validation(
            "tags",
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
        return Err(ForumError::validation(
            "username",
            "a username has 3 to 32 letters, digits, dots, dashes or underscores",
        ));
    }
    Ok(u.to_string())
}

pub fn email(raw: &str) -> Result<String, ForumError> {
    let e = raw.trim();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
        });
    if !valid {
        return Err(ForumError::validation(
            "email",
            "enter a valid email address",
        ));
    }
    Ok(e.to_string())
}

pub fn password(raw: &str) -> Result<(), ForumError> {
    let n = raw.chars().count();
    if n < 8 {
        return Err(ForumError::validation(
            "password",
            "a password needs at least 8 characters",
        ));
    }
    if raw.len() > 1024 {
        return Err(ForumError::validation(
            "password",
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
    }
}
