//! Request Tracker 5 tickets over REST2 (being written).
use super::{Connector, ConnectorError, ExternalComment, ExternalTask};
use crate::config::Secret;
use std::time::Duration;

pub struct RtConnector;

impl RtConnector {
    pub fn new(_url: String, _token: Secret, _queue: String, _timeout: Duration) -> RtConnector {
        RtConnector
    }
}

impl Connector for RtConnector {
    fn name(&self) -> &'static str {
        "rt"
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
