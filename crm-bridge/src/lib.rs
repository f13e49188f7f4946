//! The `crm-bridge` crate will own escalation rules, the CRM task lifecycle
//! and the connectors to external CRMs (issue 4). It reacts to the forum's
//! outbox through its own consumer cursor.

/// The outbox consumer name this crate will drain.
pub const OUTBOX_CONSUMER: &str = "crm";
