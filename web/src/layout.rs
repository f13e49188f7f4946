//! The frame around every page (`templates/base.html`): the site's name,
//! who is signed in, and the CSRF token its forms (sign out) carry.

use forum::User;

/// The fields every page shares, built once per request by
/// [`PageCtx::layout`](crate::session::PageCtx::layout) and held by each page
/// struct as `layout`; templates read `layout.site_name`, `layout.user` and
/// `layout.csrf`.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The configured `site_name`.
    pub site_name: String,
    pub user: Option<User>,
    /// The form token of this request (see `PageCtx::csrf`).
    pub csrf: String,
}

impl Layout {
    /// The same frame shown as to a visitor: pages answering a failed
    /// sign-in, registration or password reset show no member.
    pub fn signed_out(self) -> Layout {
        Layout { user: None, ..self }
    }
}
