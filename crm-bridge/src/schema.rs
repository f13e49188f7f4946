//! The database's diesel tables, defined once in `forum::schema` (the CRM's
//! own `crm_*` tables and the forum tables it reads).

pub use forum::schema::*;
