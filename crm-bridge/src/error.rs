use thiserror::Error;

use crate::connector::webhook::InboundError;
use crate::connector::ConnectorError;

/// Everything the CRM bridge can refuse or fail with. `web` maps each
/// variant to an HTTP status and a stable code.
#[derive(Debug, Error)]
pub enum CrmError {
    #[error(transparent)]
    Forum(#[from] forum::ForumError),
    #[error(transparent)]
    Inbound(#[from] InboundError),
    #[error("external CRM: {0}")]
    Connector(#[from] ConnectorError),
    #[error("{0}")]
    NotConfigured(&'static str),
}

impl CrmError {
    pub fn code(&self) -> &'static str {
        match self {
            CrmError::Forum(e) => e.code(),
            CrmError::Inbound(e) => e.code(),
            CrmError::Connector(_) => "connector_failed",
            CrmError::NotConfigured(_) => "not_configured",
        }
    }
}

pub type Result<T, E = CrmError> = std::result::Result<T, E>;
