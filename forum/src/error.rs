use thiserror::Error;

/// Everything the forum domain can refuse or fail with. `web` maps each
/// variant to an HTTP status and a stable machine-readable code.
#[derive(Debug, Error)]
pub enum ForumError {
    /// Input refused: `field` names it, `rule` says why in a form an
    /// interface can put in the reader's language, `message` is the same
    /// in English (logs, the CLI and the JSON API).
    #[error("{message}")]
    Validation {
        field: &'static str,
        rule: Rule,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// A username or email address another account already has (`field`).
    #[error("{message}")]
    Taken {
        field: &'static str,
        message: String,
    },
    #[error("wrong username or password")]
    BadCredentials,
    #[error("database is busy, try again")]
    Busy,
    /// Too many requests of a kind; try again after `retry_after_ms`.
    #[error("too many requests; try again in {} s", (retry_after_ms + 999) / 1000)]
    RateLimited { retry_after_ms: i64 },
    /// The account may not sign in (until `until`, or for good).
    #[error("this account is suspended: {reason}")]
    Suspended { until: Option<i64>, reason: String },
    /// The account may read but not post (until `until`).
    #[error("you cannot post at the moment: {reason}")]
    Silenced { until: Option<i64>, reason: String },
    /// The member registered with a password and has not confirmed their
    /// email address yet; posting waits for it.
    #[error("confirm your email address before posting: open the link we mailed you, or ask for a new one")]
    EmailUnconfirmed,
    /// A service the request needs (the file store) failed; try again.
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ForumError {
    /// Input refused by a rule without an id of its own: interfaces in
    /// other languages can only name the field. Prefer `invalid`.
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        ForumError::Validation {
            field,
            rule: Rule::Unspecified,
            message: message.into(),
        }
    }

    /// Input refused by `rule`; `message` says it in English.
    pub fn invalid(field: &'static str, rule: Rule, message: impl Into<String>) -> Self {
        ForumError::Validation {
            field,
            rule,
            message: message.into(),
        }
    }

    /// Stable code for API clients; never change an existing one.
    pub fn code(&self) -> &'static str {
        match self {
            ForumError::Validation { .. } => "validation_failed",
            ForumError::NotFound(_) => "not_found",
            ForumError::Unauthenticated => "unauthenticated",
            ForumError::Forbidden(_) => "forbidden",
            ForumError::Conflict(_) | ForumError::Taken { .. } => "conflict",
            ForumError::BadCredentials => "bad_credentials",
            ForumError::Busy => "busy",
            ForumError::RateLimited { .. } => "rate_limited",
            ForumError::Suspended { .. } => "suspended",
            ForumError::Silenced { .. } => "silenced",
            ForumError::EmailUnconfirmed => "email_unconfirmed",
            ForumError::Unavailable(_) => "unavailable",
            ForumError::Database(_) => "database_error",
            ForumError::Internal(_) => "internal_error",
        }
    }
}

impl From<diesel::result::Error> for ForumError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ForumError::NotFound("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ForumError::Conflict(unique_violation_message(
                    info.constraint_name().unwrap_or_default(),
                    info.message(),
                ))
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => ForumError::Busy,
            Error::DatabaseError(_, info) if info.message().contains("database is locked") => {
                ForumError::Busy
            }
            other => ForumError::Database(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ForumError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ForumError::Database(format!("connection pool: {e}"))
    }
}

pub type Result<T, E = ForumError> = std::result::Result<T, E>;

/// Why input was refused, with the figures the reason names. The domain
/// stays free of wording: `web` keeps one sentence per rule and language
/// (`invalid-<id>` in its catalogue) and puts the field's label in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// No id of its own yet: the interface names the field only.
    Unspecified,
    /// The field is empty and must not be.
    Required,
    /// Fewer than `min` characters.
    TooShort { min: i64 },
    /// More than `max` characters (or bytes, for a few machine fields).
    TooLong { max: i64 },
    /// A control character (`U+xxxx`) where text belongs.
    ControlCharacter { code_point: String },
    /// Not one of the listed values.
    OneOf { choices: String },
    /// Names something that does not exist (a rank, a role, a board).
    Unknown { value: String },
    /// A whole number from `min` to `max`.
    Range { min: i64, max: i64 },
    /// Not a whole number.
    WholeNumber,
    /// Not an email address.
    Email,
    /// An address at a domain the site refuses.
    EmailDomainRefused,
    /// Not 3 to 32 letters, digits, dots, dashes or underscores.
    Username,
    /// Not 1 to 64 lower-case letters, digits and dashes.
    Slug,
    /// Another board already has this address.
    SlugTaken,
    /// A tag that is not up to 30 letters, digits or dashes.
    Tag { tag: String },
    /// More than `max` tags.
    TooManyTags { max: i64 },
    /// A link (confirmation, reset, unsubscribe) that is invalid, used or
    /// expired.
    LinkExpired,
    /// The same text posted again a moment ago.
    RepeatedPost,
    /// The board is archived and read-only.
    BoardArchived,
    /// Only a thread's question has a title.
    OnlyQuestionHasTitle,
    /// The question cannot be its own accepted answer.
    QuestionIsNotAnAnswer,
    /// Only a solved thread can become a KB article.
    NotSolved,
    /// The accepted answer was deleted.
    AnswerDeleted,
    /// Only published articles take feedback.
    NotPublished,
    /// A thread cannot duplicate itself, or one marked its duplicate.
    DuplicateLoop,
    /// Erasure needs the member's username typed as confirmation.
    ConfirmUsername,
    /// A time that must lie in the future.
    InThePast,
    /// Page numbers start at 1.
    FirstPage,
    /// Past the last page a listing reaches (`last`).
    PastLastPage { last: i64 },
    /// A CRM task goes to agents only.
    AgentsOnly,
    /// A form that changes nothing.
    NothingToChange,
    /// A colour that gives white text less than 4.5:1 contrast (`ratio`).
    LowContrast { ratio: String },
    /// Not a colour written `#rrggbb`.
    Colour,
    /// Not an `https://` address or a path on this site.
    LogoAddress,
    /// Not a mail address, or `Name <address>`.
    Mailbox,
    /// Neither true nor false.
    TrueOrFalse,
    /// Not a thread's number or address.
    ThreadReference,
    /// Not the member's current password.
    WrongPassword,
    /// A file larger than `megabytes` MB.
    FileTooLarge { megabytes: i64 },
    /// A file that is not an accepted image, PDF or plain text.
    FileType,
    /// A text file that is an HTML, SVG or XML document.
    FileMarkup,
    /// An image whose bytes do not decode.
    FileUnreadable,
    /// An image of more than `megapixels` million pixels.
    ImageTooLarge { megapixels: i64 },
    /// More than `files` files or `megabytes` MB uploaded in 24 hours.
    UploadQuota { files: i64, megabytes: i64 },
    /// Not a time zone of the bundled IANA database.
    TimeZone,
    /// An `Idempotency-Key` that is not 1 to 255 visible ASCII characters.
    IdempotencyKey,
    /// An `Idempotency-Key` already used for a different request.
    IdempotencyKeyReused,
}

/// A figure or word a rule's sentence names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleArg<'a> {
    Number(i64),
    Text(&'a str),
}

impl Rule {
    /// The stable id (`invalid-<id>` in `web`'s catalogue).
    pub fn id(&self) -> &'static str {
        match self {
            Rule::Unspecified => "unspecified",
            Rule::Required => "required",
            Rule::TooShort { .. } => "too-short",
            Rule::TooLong { .. } => "too-long",
            Rule::ControlCharacter { .. } => "control-character",
            Rule::OneOf { .. } => "one-of",
            Rule::Unknown { .. } => "unknown",
            Rule::Range { .. } => "range",
            Rule::WholeNumber => "whole-number",
            Rule::Email => "email",
            Rule::EmailDomainRefused => "email-domain-refused",
            Rule::Username => "username",
            Rule::Slug => "slug",
            Rule::SlugTaken => "slug-taken",
            Rule::Tag { .. } => "tag",
            Rule::TooManyTags { .. } => "too-many-tags",
            Rule::LinkExpired => "link-expired",
            Rule::RepeatedPost => "repeated-post",
            Rule::BoardArchived => "board-archived",
            Rule::OnlyQuestionHasTitle => "only-question-has-title",
            Rule::QuestionIsNotAnAnswer => "question-is-not-an-answer",
            Rule::NotSolved => "not-solved",
            Rule::AnswerDeleted => "answer-deleted",
            Rule::NotPublished => "not-published",
            Rule::DuplicateLoop => "duplicate-loop",
            Rule::ConfirmUsername => "confirm-username",
            Rule::InThePast => "in-the-past",
            Rule::FirstPage => "first-page",
            Rule::PastLastPage { .. } => "past-last-page",
            Rule::AgentsOnly => "agents-only",
            Rule::NothingToChange => "nothing-to-change",
            Rule::LowContrast { .. } => "low-contrast",
            Rule::Colour => "colour",
            Rule::LogoAddress => "logo-address",
            Rule::Mailbox => "mailbox",
            Rule::TrueOrFalse => "true-or-false",
            Rule::ThreadReference => "thread-reference",
            Rule::WrongPassword => "wrong-password",
            Rule::FileTooLarge { .. } => "file-too-large",
            Rule::FileType => "file-type",
            Rule::FileMarkup => "file-markup",
            Rule::FileUnreadable => "file-unreadable",
            Rule::ImageTooLarge { .. } => "image-too-large",
            Rule::UploadQuota { .. } => "upload-quota",
            Rule::TimeZone => "time-zone",
            Rule::IdempotencyKey => "idempotency-key",
            Rule::IdempotencyKeyReused => "idempotency-key-reused",
        }
    }

    /// The figures and words the sentence names, by argument name.
    pub fn args(&self) -> Vec<(&'static str, RuleArg<'_>)> {
        match self {
            Rule::TooShort { min } => vec![("min", RuleArg::Number(*min))],
            Rule::TooLong { max } | Rule::TooManyTags { max } => {
                vec![("max", RuleArg::Number(*max))]
            }
            Rule::Range { min, max } => vec![
                ("min", RuleArg::Number(*min)),
                ("max", RuleArg::Number(*max)),
            ],
            Rule::PastLastPage { last } => vec![("last", RuleArg::Number(*last))],
            Rule::ControlCharacter { code_point } => {
                vec![("code_point", RuleArg::Text(code_point))]
            }
            Rule::OneOf { choices } => vec![("choices", RuleArg::Text(choices))],
            Rule::Unknown { value } => vec![("value", RuleArg::Text(value))],
            Rule::Tag { tag } => vec![("tag", RuleArg::Text(tag))],
            Rule::LowContrast { ratio } => vec![("ratio", RuleArg::Text(ratio))],
            Rule::FileTooLarge { megabytes } => vec![("megabytes", RuleArg::Number(*megabytes))],
            Rule::ImageTooLarge { megapixels } => {
                vec![("megapixels", RuleArg::Number(*megapixels))]
            }
            Rule::UploadQuota { files, megabytes } => vec![
                ("files", RuleArg::Number(*files)),
                ("megabytes", RuleArg::Number(*megabytes)),
            ],
            _ => Vec::new(),
        }
    }

    /// One of each rule, for tests that every rule has its sentences (a new
    /// variant belongs here as well as in `id`).
    pub fn examples() -> Vec<Rule> {
        let text = || "x".to_string();
        vec![
            Rule::Unspecified,
            Rule::Required,
            Rule::TooShort { min: 5 },
            Rule::TooLong { max: 200 },
            Rule::ControlCharacter { code_point: text() },
            Rule::OneOf { choices: text() },
            Rule::Unknown { value: text() },
            Rule::Range { min: 1, max: 100 },
            Rule::WholeNumber,
            Rule::Email,
            Rule::EmailDomainRefused,
            Rule::Username,
            Rule::Slug,
            Rule::SlugTaken,
            Rule::Tag { tag: text() },
            Rule::TooManyTags { max: 5 },
            Rule::LinkExpired,
            Rule::RepeatedPost,
            Rule::BoardArchived,
            Rule::OnlyQuestionHasTitle,
            Rule::QuestionIsNotAnAnswer,
            Rule::NotSolved,
            Rule::AnswerDeleted,
            Rule::NotPublished,
            Rule::DuplicateLoop,
            Rule::ConfirmUsername,
            Rule::InThePast,
            Rule::FirstPage,
            Rule::PastLastPage { last: 200 },
            Rule::AgentsOnly,
            Rule::NothingToChange,
            Rule::LowContrast { ratio: text() },
            Rule::Colour,
            Rule::LogoAddress,
            Rule::Mailbox,
            Rule::TrueOrFalse,
            Rule::ThreadReference,
            Rule::WrongPassword,
            Rule::FileTooLarge { megabytes: 8 },
            Rule::FileType,
            Rule::FileMarkup,
            Rule::FileUnreadable,
            Rule::ImageTooLarge { megapixels: 24 },
            Rule::UploadQuota {
                files: 100,
                megabytes: 200,
            },
            Rule::TimeZone,
            Rule::IdempotencyKey,
            Rule::IdempotencyKeyReused,
        ]
    }
}

/// What a person reads when a write lost a race for a unique value. The
/// database's own message names constraints, tables and columns: it goes
/// to the log, not to the member.
fn unique_violation_message(constraint: &str, detail: &str) -> String {
    tracing::debug!(constraint, detail, "unique constraint refused a write");
    let about = format!("{constraint} {detail}");
    if about.contains("username") {
        "that username is taken".into()
    } else if about.contains("email") {
        "an account with that email already exists".into()
    } else if about.contains("slug") {
        "that address is already used; choose another".into()
    } else {
        "this already exists".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_an_example_and_its_own_id() {
        let examples = Rule::examples();
        let mut ids: Vec<&str> = examples.iter().map(Rule::id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), examples.len(), "two examples share an id");
        assert!(!ids.contains(&""));
    }

    #[test]
    fn unique_violations_never_name_the_schema() {
        for (constraint, detail) in [
            ("", "UNIQUE constraint failed: users.username_key"),
            (
                "users_username_key_key",
                "duplicate key value violates unique constraint \"users_username_key_key\"",
            ),
            ("", "UNIQUE constraint failed: users.email_key"),
            ("", "UNIQUE constraint failed: categories.slug"),
            (
                "crm_canned_title_key",
                "duplicate key value violates unique constraint \"crm_canned_title_key\"",
            ),
        ] {
            let m = unique_violation_message(constraint, detail);
            for internal in ["users", "constraint", "UNIQUE", "_key", "categories"] {
                assert!(!m.contains(internal), "{m}");
            }
        }
        assert_eq!(
            unique_violation_message("", "UNIQUE constraint failed: users.username_key"),
            "that username is taken"
        );
    }
}
