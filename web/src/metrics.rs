//! Prometheus metrics, kept by hand: a request counter by route and status,
//! and a latency histogram by route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS_MS: [f64; 12] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 10000.0,
];

#[derive(Default)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS_MS.len()],
    count: u64,
    sum_ms: f64,
}

#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), RouteStats>>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let ms = elapsed.as_secs_f64() * 1000.0;
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        let s = routes
            .entry((method.to_string(), route.to_string()))
            .or_default();
        *s.by_status.entry(status).or_default() += 1;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                s.buckets[i] += 1;
            }
        }
        s.count += 1;
        s.sum_ms += ms;
    }

    /// Prometheus text exposition; `extra` holds gauges computed at scrape time.
    pub fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP hearth_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE hearth_http_requests_total counter\n");
        let Ok(routes) = self.routes.lock() else {
            return out;
        };
        for ((method, route), s) in routes.iter() {
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "hearth_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP hearth_http_request_duration_seconds Request latency.\n");
        out.push_str("# TYPE hearth_http_request_duration_seconds histogram\n");
        for ((method, route), s) in routes.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (i, b) in BUCKETS_MS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "hearth_http_request_duration_seconds_bucket{{{labels},le=\"{}\"}} {}",
                    b / 1000.0,
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "hearth_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "hearth_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_ms / 1000.0
            );
            let _ = writeln!(
                out,
                "hearth_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        for (name, help, value) in extra {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.record("GET", "/t/{id}", 200, Duration::from_millis(3));
        m.record("GET", "/t/{id}", 404, Duration::from_millis(30));
        let text = m.render(&[("hearth_up", "Always 1.", 1.0)]);
        assert!(text.contains(
            "hearth_http_requests_total{method=\"GET\",route=\"/t/{id}\",status=\"404\"} 1"
        ));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("_count{method=\"GET\",route=\"/t/{id}\"} 2"));
        assert!(text.contains("hearth_up 1"));
    }
}
