//! The `crm-bridge` crate owns Hearth's CRM side: the built-in CRM (contacts,
//! their timeline, tasks, canned responses, reminders), the escalation rules
//! and SLA clock, the outbox consumer that turns events into tasks (run by
//! `web`'s worker runner), and the
//! connectors that mirror tasks to an external CRM (generic webhook,
//! Salesforce, Zendesk, Request Tracker) and bring changes made there back
//! into the thread. Its tables live beside the forum's in the same database,
//! and it reads the outbox through its own consumer cursor.

pub mod config;
pub mod connector;
mod db;
pub mod error;
pub mod model;
pub mod rules;
mod schema;
mod service;

pub use config::{ConnectorConfig, CrmConfig, Secret};
pub use error::{CrmError, Result};
pub use model::*;
pub use service::{Crm, DeliveryReport, TimerReport};

/// The outbox consumer name this crate drains.
pub const OUTBOX_CONSUMER: &str = "crm";
