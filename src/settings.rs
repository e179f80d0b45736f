//! The person's choices (the options page), with the defaults and the bounds the core
//! enforces whatever the storage holds.

use serde::{Deserialize, Serialize};

/// Where OpenAI publishes its status (Statuspage's v2 JSON, still served by incident.io).
pub const OFFICIAL_STATUS_ENDPOINT: &str = "https://status.openai.com/api/v2/summary.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Reload on its own, on the backoff schedule, after the person starts a retry.
    pub auto_retry: bool,
    /// Reloads per retry run, at most.
    pub max_attempts: u32,
    /// How long a retry run may last, in minutes, at most.
    pub max_total_minutes: u32,
    /// Tell the person when a retry in a background tab succeeded, or a limit has reset.
    pub notifications: bool,
    /// Read OpenAI's status page when an error is shown or the popup opens.
    pub status_checks: bool,
    /// Where the status is read from. Only OpenAI's status host, or a local test server.
    pub status_endpoint: String,
}

pub const MAX_ATTEMPTS_RANGE: (u32, u32) = (1, 30);
pub const MAX_TOTAL_MINUTES_RANGE: (u32, u32) = (1, 24 * 60);

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            auto_retry: true,
            // Chromium's schedule reaches its 30-minute step at the 7th reload; ten reloads
            // cover about an hour and a half of outage.
            max_attempts: 10,
            max_total_minutes: 120,
            notifications: true,
            status_checks: true,
            status_endpoint: OFFICIAL_STATUS_ENDPOINT.to_string(),
        }
    }
}

impl Settings {
    /// The settings with every value inside its bounds; an endpoint that is neither
    /// OpenAI's status host nor loopback is replaced by the official one, so a stored value
    /// can never make the extension talk to a third party.
    pub fn sanitized(mut self) -> Settings {
        let clamp = |v: u32, (lo, hi): (u32, u32)| v.clamp(lo, hi);
        self.max_attempts = clamp(self.max_attempts, MAX_ATTEMPTS_RANGE);
        self.max_total_minutes = clamp(self.max_total_minutes, MAX_TOTAL_MINUTES_RANGE);
        if !status_endpoint_allowed(&self.status_endpoint) {
            self.status_endpoint = OFFICIAL_STATUS_ENDPOINT.to_string();
        }
        self
    }

    /// Settings from whatever storage holds: each field that has the right type is taken
    /// (numbers rounded and bounded), anything else keeps its default.
    pub fn from_stored(stored: &serde_json::Value) -> Settings {
        let mut s = Settings::default();
        let Some(map) = stored.as_object() else {
            return s;
        };
        let flag = |name: &str, into: &mut bool| {
            if let Some(v) = map.get(name).and_then(|v| v.as_bool()) {
                *into = v;
            }
        };
        flag("auto_retry", &mut s.auto_retry);
        flag("notifications", &mut s.notifications);
        flag("status_checks", &mut s.status_checks);
        let count = |name: &str, into: &mut u32| {
            if let Some(v) = map
                .get(name)
                .and_then(|v| v.as_f64())
                .filter(|v| v.is_finite())
            {
                *into = v.round().clamp(0.0, u32::MAX as f64) as u32;
            }
        };
        count("max_attempts", &mut s.max_attempts);
        count("max_total_minutes", &mut s.max_total_minutes);
        if let Some(v) = map.get("status_endpoint").and_then(|v| v.as_str()) {
            s.status_endpoint = v.to_string();
        }
        s.sanitized()
    }

    pub fn max_total_ms(&self) -> f64 {
        self.max_total_minutes as f64 * 60_000.0
    }
}

/// `https://status.openai.com/…`, or `http://127.0.0.1:<port>/…` / `http://localhost:<port>/…`
/// (the tests' own server).
pub fn status_endpoint_allowed(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://status.openai.com/") {
        return !rest.contains(['@', '\\']);
    }
    for host in ["http://127.0.0.1:", "http://localhost:"] {
        if let Some(rest) = url.strip_prefix(host) {
            let port_end = rest.find('/').unwrap_or(rest.len());
            let port = &rest[..port_end];
            return !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && !rest.contains(['@', '\\']);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_are_brought_within_bounds() {
        let s = Settings {
            max_attempts: 0,
            max_total_minutes: 1_000_000,
            status_endpoint: "https://evil.example/summary.json".into(),
            ..Settings::default()
        }
        .sanitized();
        assert_eq!(s.max_attempts, 1);
        assert_eq!(s.max_total_minutes, 24 * 60);
        assert_eq!(s.status_endpoint, OFFICIAL_STATUS_ENDPOINT);
    }

    #[test]
    fn only_the_status_host_and_loopback_are_endpoints() {
        assert!(status_endpoint_allowed(OFFICIAL_STATUS_ENDPOINT));
        assert!(status_endpoint_allowed(
            "http://127.0.0.1:8123/operational.json"
        ));
        assert!(status_endpoint_allowed("http://localhost:9/x"));
        for bad in [
            "http://status.openai.com/api/v2/summary.json",
            "https://status.openai.com.evil.example/x",
            "https://status.openai.com@evil.example/",
            "http://127.0.0.1.evil.example:80/x",
            "http://127.0.0.1:/x",
            "http://127.0.0.1:80@evil.example/x",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!status_endpoint_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn a_bad_field_keeps_its_default_and_spoils_nothing_else() {
        let s = Settings::from_stored(&serde_json::json!({
            "auto_retry": false, "max_attempts": -5, "max_total_minutes": "lots",
            "notifications": "yes", "status_endpoint": 42
        }));
        assert!(!s.auto_retry);
        assert_eq!(s.max_attempts, 1);
        assert_eq!(s.max_total_minutes, Settings::default().max_total_minutes);
        assert!(s.notifications);
        assert_eq!(s.status_endpoint, OFFICIAL_STATUS_ENDPOINT);
        assert_eq!(
            Settings::from_stored(&serde_json::json!(null)),
            Settings::default()
        );
        assert_eq!(
            Settings::from_stored(&serde_json::json!({"max_attempts": 7.6})).max_attempts,
            8
        );
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let s: Settings = serde_json::from_str(r#"{"auto_retry":false}"#).unwrap();
        assert!(!s.auto_retry);
        assert_eq!(s.max_attempts, Settings::default().max_attempts);
    }
}
