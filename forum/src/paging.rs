//! Pagination every listing shares: requests are validated once, with a
//! clear error instead of a clamp that hides the mistake, and the rows a
//! request may skip are bounded, so no page number can overflow an OFFSET,
//! make the database walk millions of rows, or size a buffer.

use crate::error::ForumError;

/// How one kind of listing may be paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    pub default_per_page: i64,
    pub max_per_page: i64,
    /// Rows before the end of the last page that may be asked for.
    pub max_window: i64,
}

impl PageLimits {
    /// Boards, threads, queues: database listings.
    pub const LISTING: PageLimits = PageLimits {
        default_per_page: 20,
        max_per_page: crate::MAX_PER_PAGE,
        max_window: 1_000_000,
    };
    /// Full-text search: the engine keeps `offset + per_page` candidates
    /// in memory, so the window is small (as in Elasticsearch's default).
    pub const SEARCH: PageLimits = PageLimits {
        default_per_page: 20,
        max_per_page: 100,
        max_window: 10_000,
    };

    pub const fn with_default(self, default_per_page: i64) -> PageLimits {
        PageLimits {
            default_per_page,
            ..self
        }
    }
}

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    /// `page` (1-based) and `per_page`, defaults when absent.
    pub fn pages(
        page: Option<i64>,
        per_page: Option<i64>,
        limits: PageLimits,
    ) -> Result<Paging, ForumError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(limits.default_per_page);
        if page < 1 {
            return Err(ForumError::invalid(
                "page",
                crate::Rule::FirstPage,
                "page numbers start at 1",
            ));
        }
        check_per_page("per_page", per_page, limits)?;
        // page * per_page cannot overflow: page is checked against the
        // window first, and the window is far below i64::MAX.
        let last_page = limits.max_window / per_page;
        if page > last_page {
            return Err(ForumError::invalid(
                "page", crate::Rule::PastLastPage { last: last_page },
                format!("page {page} is past the last page that can be listed ({last_page} at {per_page} per page); narrow the search or use filters"),
            ));
        }
        Ok(Paging { page, per_page })
    }

    /// `limit` and `offset` (rows to skip), defaults when absent.
    pub fn offset(
        limit: Option<i64>,
        offset: Option<i64>,
        limits: PageLimits,
    ) -> Result<(i64, i64), ForumError> {
        let limit = limit.unwrap_or(limits.default_per_page);
        let offset = offset.unwrap_or(0);
        check_per_page("limit", limit, limits)?;
        if offset < 0 {
            return Err(ForumError::validation(
                "offset",
                "offset cannot be negative",
            ));
        }
        if offset > limits.max_window - limit {
            return Err(ForumError::validation(
                "offset",
                format!(
                    "offset can be at most {} with limit {limit}",
                    limits.max_window - limit
                ),
            ));
        }
        Ok((limit, offset))
    }

    /// Rows before this page.
    pub fn skip(self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

fn check_per_page(field: &'static str, n: i64, limits: PageLimits) -> Result<(), ForumError> {
    if n < 1 || n > limits.max_per_page {
        return Err(ForumError::invalid(
            field,
            crate::Rule::Range {
                min: 1,
                max: limits.max_per_page,
            },
            format!("{field} must be between 1 and {}", limits.max_per_page),
        ));
    }
    Ok(())
}

/// For domain entry points called with raw numbers (CLI, other crates):
/// the same bounds, applied by clamping, so nothing can overflow whatever
/// the caller passed.
pub fn clamp(page: i64, per_page: i64, limits: PageLimits) -> Paging {
    let per_page = per_page.clamp(1, limits.max_per_page);
    let page = page.clamp(1, (limits.max_window / per_page).max(1));
    Paging { page, per_page }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_validated_not_clamped() {
        let l = PageLimits::LISTING;
        assert_eq!(
            Paging::pages(None, None, l).unwrap(),
            Paging {
                page: 1,
                per_page: 20
            }
        );
        assert_eq!(Paging::pages(Some(3), Some(50), l).unwrap().skip(), 100);
        assert!(Paging::pages(Some(0), None, l).is_err());
        assert!(Paging::pages(Some(-5), None, l).is_err());
        assert!(Paging::pages(None, Some(0), l).is_err());
        assert!(Paging::pages(None, Some(201), l).is_err());
        assert!(Paging::pages(Some(i64::MAX), Some(200), l).is_err());
        assert!(Paging::pages(Some(2_147_483_648), None, PageLimits::SEARCH).is_err());
        // The last page inside the window is fine, the next is not.
        assert!(Paging::pages(Some(5000), Some(200), l).is_ok());
        assert!(Paging::pages(Some(5001), Some(200), l).is_err());
        assert!(Paging::pages(Some(500), Some(20), PageLimits::SEARCH).is_ok());
        assert!(Paging::pages(Some(501), Some(20), PageLimits::SEARCH).is_err());
        match Paging::pages(Some(0), None, l) {
            Err(ForumError::Validation { field, .. }) => assert_eq!(field, "page"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn offsets_are_bounded() {
        let l = PageLimits::LISTING;
        assert_eq!(Paging::offset(None, None, l).unwrap(), (20, 0));
        assert!(Paging::offset(Some(50), Some(-1), l).is_err());
        assert!(Paging::offset(Some(50), Some(i64::MAX), l).is_err());
        assert!(Paging::offset(Some(1000), None, l).is_err());
        assert_eq!(
            Paging::offset(Some(50), Some(999_950), l).unwrap(),
            (50, 999_950)
        );
    }

    #[test]
    fn clamping_never_overflows() {
        let p = clamp(i64::MAX, i64::MAX, PageLimits::LISTING);
        assert_eq!(p.per_page, 200);
        assert_eq!(p.page, 5000);
        assert_eq!(p.skip(), 999_800);
        assert_eq!(clamp(i64::MIN, i64::MIN, PageLimits::LISTING).skip(), 0);
    }
}
