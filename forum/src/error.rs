use thiserror::Error;

/// Everything the forum domain can refuse or fail with. `web` maps each
/// variant to an HTTP status and a stable machine-readable code.
#[derive(Debug, Error)]
pub enum ForumError {
    #[error("{message}")]
    Validation {
        field: &'static str,
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
    #[error("database error: {0}")]
    Database(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ForumError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        ForumError::Validation {
            field,
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
            ForumError::Conflict(_) => "conflict",
            ForumError::BadCredentials => "bad_credentials",
            ForumError::Busy => "busy",
            ForumError::RateLimited { .. } => "rate_limited",
            ForumError::Suspended { .. } => "suspended",
            ForumError::Silenced { .. } => "silenced",
            ForumError::EmailUnconfirmed => "email_unconfirmed",
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
