//! A small blocking HTTP client for connectors: every call has a timeout,
//! and failures are classified once, here, as retryable or permanent.

use std::time::Duration;

use super::ConnectorError;

#[derive(Clone)]
pub struct Http {
    agent: ureq::Agent,
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: String,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error a non-success status stands for: 408, 425, 429 and 5xx are
    /// worth retrying (429 with the server's Retry-After), the rest are not.
    pub fn error(&self, what: &str) -> ConnectorError {
        let snippet: String = self.body.chars().take(300).collect();
        let message = format!("{what}: HTTP {} {snippet}", self.status);
        match self.status {
            408 | 425 | 429 | 500..=599 => ConnectorError::Retryable {
                message,
                retry_after: self.retry_after,
            },
            _ => ConnectorError::Permanent(message),
        }
    }

    pub fn json(&self, what: &str) -> Result<serde_json::Value, ConnectorError> {
        serde_json::from_str(&self.body)
            .map_err(|e| ConnectorError::Permanent(format!("{what}: response is not JSON: {e}")))
    }
}

/// Retry-After is either delay-seconds or an HTTP date; a date is rare from
/// APIs and is treated as "no hint" (the backoff then decides).
fn parse_retry_after(v: Option<&str>) -> Option<Duration> {
    v.and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(3600)))
}

impl Http {
    pub fn new(timeout: Duration) -> Http {
        Http {
            agent: ureq::AgentBuilder::new()
                .timeout_connect(timeout.min(Duration::from_secs(10)))
                .timeout(timeout)
                .redirects(0)
                .build(),
        }
    }

    /// Send a request. Any HTTP status comes back as a response; only
    /// transport failures (refused, reset, timed out) are errors, and those
    /// are always retryable. Header values are never logged: they carry
    /// credentials.
    pub fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<HttpResponse, ConnectorError> {
        let mut req = self.agent.request(method, url);
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let result = match body {
            Some(b) => req.send_string(b),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => {
                tracing::debug!(method, url, error = %t, "connector request failed");
                return Err(ConnectorError::retryable(format!("{method} {url}: {t}")));
            }
        };
        let status = resp.status();
        let retry_after = parse_retry_after(resp.header("retry-after"));
        let body = resp
            .into_string()
            .map_err(|e| ConnectorError::retryable(format!("{method} {url}: reading body: {e}")))?;
        Ok(HttpResponse {
            status,
            retry_after,
            body,
        })
    }

    pub fn send_json(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Result<HttpResponse, ConnectorError> {
        let mut h: Vec<(&str, &str)> = vec![
            ("content-type", "application/json"),
            ("accept", "application/json"),
        ];
        h.extend_from_slice(headers);
        self.send(method, url, &h, Some(&body.to_string()))
    }

    /// The adapter the `oauth2` crate needs for its token requests.
    pub fn oauth2_request(
        &self,
        request: oauth2::HttpRequest,
    ) -> Result<oauth2::HttpResponse, ConnectorError> {
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let body = String::from_utf8_lossy(request.body()).into_owned();
        let resp = self.send(
            request.method().as_str(),
            &request.uri().to_string(),
            &h,
            Some(&body),
        )?;
        let mut out = oauth2::http::Response::builder()
            .status(resp.status)
            .header("content-type", "application/json");
        if let Some(ra) = resp.retry_after {
            out = out.header("retry-after", ra.as_secs().to_string());
        }
        out.body(resp.body.into_bytes())
            .map_err(|e| ConnectorError::Permanent(format!("token response: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_only() {
        assert_eq!(parse_retry_after(Some("7")), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn statuses_are_classified() {
        let r = |status| HttpResponse {
            status,
            retry_after: Some(Duration::from_secs(3)),
            body: "x".into(),
        };
        assert!(matches!(
            r(429).error("t"),
            ConnectorError::Retryable { retry_after: Some(d), .. } if d == Duration::from_secs(3)
        ));
        assert!(matches!(
            r(503).error("t"),
            ConnectorError::Retryable { .. }
        ));
        assert!(matches!(r(400).error("t"), ConnectorError::Permanent(_)));
        assert!(matches!(r(404).error("t"), ConnectorError::Permanent(_)));
    }
}
