//! Zendesk tickets (being written).
use super::{Connector, ConnectorError, ExternalComment, ExternalTask};
use crate::config::Secret;
use std::time::Duration;

pub struct ZendeskConnector;

impl ZendeskConnector {
    pub fn new(
        _base_url: String,
        _email: String,
        _api_token: Secret,
        _timeout: Duration,
    ) -> ZendeskConnector {
        ZendeskConnector
    }
}

impl Connector for ZendeskConnector {
    fn name(&self) -> &'static str {
        "zendesk"
    }
    fn push_task(&self, _t: &ExternalTask, _e: Option<&str>) -> Result<String, ConnectorError> {
        Err(ConnectorError::Permanent("not built".into()))
    }
    fn push_comment(
        &self,
        _t: &ExternalTask,
        _e: &str,
        _c: &ExternalComment,
    ) -> Result<(), ConnectorError> {
        Err(ConnectorError::Permanent("not built".into()))
    }
}
