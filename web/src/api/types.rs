//! The JSON API's wire format, owned by `web`: request bodies, response
//! bodies and the enums in them, each with its OpenAPI schema
//! (`utoipa::ToSchema`). Handlers convert domain values into these with
//! `From`, so a change in `forum`, `crm-bridge` or `search` cannot change
//! what clients see without a change here: a field renamed or removed
//! there stops the build, a field added there stays out of the API until
//! it is added here (and so to the document).
//!
//! Schema names are the type names: every type is re-exported here, flat,
//! so two schemas cannot share a name. Fields that are always present but
//! may be null are marked `required` (utoipa leaves an `Option` out of
//! `required` otherwise).

mod admin;
mod analytics;
mod community;
mod crm;
mod discussion;
mod ideas;
mod moderation;
mod notify;
mod search;

pub use admin::*;
pub use analytics::*;
pub use community::*;
pub use crm::*;
pub use discussion::*;
pub use ideas::*;
pub use moderation::*;
pub use notify::*;
pub use search::*;
