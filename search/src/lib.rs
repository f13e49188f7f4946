//! The `search` crate will own Hearth's knowledge search: the tantivy schema,
//! multilingual analyzers, indexing from the outbox and queries (issue 3). It
//! must never depend on diesel; it receives documents, not rows.
