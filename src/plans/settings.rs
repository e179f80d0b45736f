//! The person's choices (the options page), with the defaults and the bounds the core
//! enforces whatever the storage holds.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Where OpenAI publishes its status (Statuspage's v2 JSON, still served by incident.io).
pub const OFFICIAL_STATUS_ENDPOINT: &str = "https://status.openai.com/api/v2/summary.json";
/// Where Cloudflare publishes its own status (the same Statuspage v2 JSON).
pub const CLOUDFLARE_STATUS_ENDPOINT: &str = "https://www.cloudflarestatus.com/api/v2/summary.json";

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Reload on its own, on the backoff schedule, after the person starts a retry.
    pub auto_retry: bool,
    /// Start that retry by itself on a full-page transient error (a 5xx page, "at
    /// capacity", a failed navigation, Cloudflare's rate limit), with no click.
    pub retry_by_itself: bool,
    /// Press ChatGPT's own Retry on a failed answer by itself: off by default, since each
    /// retry may count against the person's plan.
    pub retry_answers_by_itself: bool,
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
    /// Show a small card on ChatGPT's full-page error documents (the toolbar button is easy
    /// to miss when the person looks at the page).
    pub page_card: bool,
    /// Show that card on the running app's errors too (toasts, a failed answer): off by
    /// default, the app draws its own notice there.
    pub page_card_on_app: bool,
    /// Where Cloudflare's status is read from. Only Cloudflare's status host, or a local
    /// test server.
    pub cloudflare_status_endpoint: String,
    /// Empty: Cloudflare's trace is read from the tab's own ChatGPT host. In the tests'
    /// build only, a local test server.
    pub trace_endpoint: String,
}

pub const MAX_ATTEMPTS_RANGE: (u32, u32) = (1, 30);
pub const MAX_TOTAL_MINUTES_RANGE: (u32, u32) = (1, 24 * 60);

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            auto_retry: true,
            retry_by_itself: true,
            retry_answers_by_itself: false,
            // Chromium's schedule reaches its 30-minute step at the 7th reload; ten reloads
            // cover about an hour and a half of outage.
            max_attempts: 10,
            max_total_minutes: 120,
            notifications: true,
            status_checks: true,
            status_endpoint: OFFICIAL_STATUS_ENDPOINT.to_string(),
            page_card: true,
            page_card_on_app: false,
            cloudflare_status_endpoint: CLOUDFLARE_STATUS_ENDPOINT.to_string(),
            trace_endpoint: String::new(),
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
        if !cloudflare_status_endpoint_allowed(&self.cloudflare_status_endpoint) {
            self.cloudflare_status_endpoint = CLOUDFLARE_STATUS_ENDPOINT.to_string();
        }
        if !self.trace_endpoint.is_empty()
            && !loopback_allowed(&self.trace_endpoint, LOOPBACK_STATUS_ENDPOINTS)
        {
            self.trace_endpoint = String::new();
        }
        self
    }

    /// Settings from whatever storage holds: each field that has the right type is taken
    /// (numbers rounded and bounded), anything else keeps its default.
    pub fn from_stored(stored: &StoredSettings) -> Settings {
        let mut s = Settings::default();
        let flag = |v: &Loose, into: &mut bool| {
            if let Loose::Bool(v) = *v {
                *into = v;
            }
        };
        flag(&stored.auto_retry, &mut s.auto_retry);
        flag(&stored.retry_by_itself, &mut s.retry_by_itself);
        flag(
            &stored.retry_answers_by_itself,
            &mut s.retry_answers_by_itself,
        );
        flag(&stored.notifications, &mut s.notifications);
        flag(&stored.status_checks, &mut s.status_checks);
        flag(&stored.page_card, &mut s.page_card);
        flag(&stored.page_card_on_app, &mut s.page_card_on_app);
        let count = |v: &Loose, into: &mut u32| {
            if let Loose::Number(v) = *v {
                if v.is_finite() {
                    *into = v.round().clamp(0.0, u32::MAX as f64) as u32;
                }
            }
        };
        count(&stored.max_attempts, &mut s.max_attempts);
        count(&stored.max_total_minutes, &mut s.max_total_minutes);
        if let Loose::String(v) = &stored.status_endpoint {
            s.status_endpoint = v.clone();
        }
        if let Loose::String(v) = &stored.cloudflare_status_endpoint {
            s.cloudflare_status_endpoint = v.clone();
        }
        if let Loose::String(v) = &stored.trace_endpoint {
            s.trace_endpoint = v.clone();
        }
        s.sanitized()
    }

    pub fn max_total_ms(&self) -> f64 {
        self.max_total_minutes as f64 * 60_000.0
    }
}

/// One stored value, as whatever it is: nothing is refused, so one bad value spoils nothing
/// else.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Loose {
    Bool(bool),
    Number(f64),
    String(String),
    /// Absent, null, an array, an object.
    #[default]
    Other,
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose, E> {
                Ok(Loose::String(v))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// What storage holds under the settings' key, each known field as whatever it is. Only an
/// object's fields are read (as a struct, so in the browser only these fields are looked up):
/// anything else is refused or has none of them, and reads as all defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredSettings {
    pub auto_retry: Loose,
    pub retry_by_itself: Loose,
    pub retry_answers_by_itself: Loose,
    pub max_attempts: Loose,
    pub max_total_minutes: Loose,
    pub notifications: Loose,
    pub status_checks: Loose,
    pub status_endpoint: Loose,
    pub page_card: Loose,
    pub page_card_on_app: Loose,
    pub cloudflare_status_endpoint: Loose,
    pub trace_endpoint: Loose,
}

impl<'de> Deserialize<'de> for StoredSettings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StoredSettings, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StoredSettings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StoredSettings, A::Error> {
                let mut s = StoredSettings::default();
                while let Some(key) = map.next_key::<String>()? {
                    let field = match key.as_str() {
                        "auto_retry" => &mut s.auto_retry,
                        "retry_by_itself" => &mut s.retry_by_itself,
                        "retry_answers_by_itself" => &mut s.retry_answers_by_itself,
                        "max_attempts" => &mut s.max_attempts,
                        "max_total_minutes" => &mut s.max_total_minutes,
                        "notifications" => &mut s.notifications,
                        "status_checks" => &mut s.status_checks,
                        "status_endpoint" => &mut s.status_endpoint,
                        "page_card" => &mut s.page_card,
                        "page_card_on_app" => &mut s.page_card_on_app,
                        "cloudflare_status_endpoint" => &mut s.cloudflare_status_endpoint,
                        "trace_endpoint" => &mut s.trace_endpoint,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *field = map.next_value()?;
                }
                Ok(s)
            }
        }
        const FIELDS: &[&str] = &[
            "auto_retry",
            "retry_by_itself",
            "retry_answers_by_itself",
            "max_attempts",
            "max_total_minutes",
            "notifications",
            "status_checks",
            "status_endpoint",
            "page_card",
            "page_card_on_app",
            "cloudflare_status_endpoint",
            "trace_endpoint",
        ];
        d.deserialize_struct("StoredSettings", FIELDS, V)
    }
}

/// Loopback status endpoints exist only in the build the tests run (`--features
/// test-hooks`, made by `cargo xtask test`): the store build reads OpenAI's status host alone.
pub const LOOPBACK_STATUS_ENDPOINTS: bool = cfg!(feature = "test-hooks");

/// `https://status.openai.com/…`, or in the tests' build `http://127.0.0.1:<port>/…` /
/// `http://localhost:<port>/…` (their own server).
pub fn status_endpoint_allowed(url: &str) -> bool {
    endpoint_allowed(url, LOOPBACK_STATUS_ENDPOINTS)
}

/// `https://www.cloudflarestatus.com/…`, or in the tests' build a loopback address.
pub fn cloudflare_status_endpoint_allowed(url: &str) -> bool {
    host_endpoint_allowed(
        url,
        "https://www.cloudflarestatus.com/",
        LOOPBACK_STATUS_ENDPOINTS,
    )
}

fn endpoint_allowed(url: &str, loopback: bool) -> bool {
    host_endpoint_allowed(url, "https://status.openai.com/", loopback)
}

fn host_endpoint_allowed(url: &str, origin: &str, loopback: bool) -> bool {
    if let Some(rest) = url.strip_prefix(origin) {
        return !rest.contains(['@', '\\']);
    }
    loopback_allowed(url, loopback)
}

fn loopback_allowed(url: &str, loopback: bool) -> bool {
    if !loopback {
        return false;
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
        let status_endpoint_allowed = |url| endpoint_allowed(url, true);
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
    fn the_store_build_knows_no_loopback_endpoint() {
        for url in [
            "http://127.0.0.1:8123/operational.json",
            "http://localhost:9/x",
        ] {
            assert!(!endpoint_allowed(url, false), "{url}");
            assert_eq!(status_endpoint_allowed(url), LOOPBACK_STATUS_ENDPOINTS);
        }
        assert!(endpoint_allowed(OFFICIAL_STATUS_ENDPOINT, false));
        let stored = StoredSettings {
            status_endpoint: Loose::String("http://127.0.0.1:8123/x".into()),
            ..StoredSettings::default()
        };
        if !LOOPBACK_STATUS_ENDPOINTS {
            assert_eq!(
                Settings::from_stored(&stored).status_endpoint,
                OFFICIAL_STATUS_ENDPOINT
            );
        }
    }

    #[test]
    fn cloudflare_s_status_and_the_trace_stay_on_their_hosts() {
        let s = Settings {
            cloudflare_status_endpoint: "https://www.cloudflarestatus.com.evil.example/x".into(),
            trace_endpoint: "https://evil.example/cdn-cgi/trace".into(),
            ..Settings::default()
        }
        .sanitized();
        assert_eq!(s.cloudflare_status_endpoint, CLOUDFLARE_STATUS_ENDPOINT);
        assert_eq!(s.trace_endpoint, "");
        assert!(host_endpoint_allowed(
            CLOUDFLARE_STATUS_ENDPOINT,
            "https://www.cloudflarestatus.com/",
            false
        ));
        let local = Settings {
            cloudflare_status_endpoint: "http://127.0.0.1:8123/cloudflare-incident.json".into(),
            trace_endpoint: "http://127.0.0.1:8123/trace".into(),
            ..Settings::default()
        }
        .sanitized();
        assert_eq!(
            local.trace_endpoint.is_empty(),
            !LOOPBACK_STATUS_ENDPOINTS,
            "the store build reads the trace from the tab's host only"
        );
        assert_eq!(
            local.cloudflare_status_endpoint == CLOUDFLARE_STATUS_ENDPOINT,
            !LOOPBACK_STATUS_ENDPOINTS
        );
    }

    #[test]
    fn a_bad_field_keeps_its_default_and_spoils_nothing_else() {
        let stored = |v: serde_json::Value| {
            Settings::from_stored(&serde_json::from_value(v).unwrap_or_default())
        };
        let s = stored(serde_json::json!({
            "auto_retry": false, "max_attempts": -5, "max_total_minutes": "lots",
            "notifications": "yes", "status_endpoint": 42, "status_checks": {"x": [1]}
        }));
        assert!(!s.auto_retry);
        assert_eq!(s.max_attempts, 1);
        assert_eq!(s.max_total_minutes, Settings::default().max_total_minutes);
        assert!(s.notifications);
        assert!(s.status_checks);
        assert_eq!(s.status_endpoint, OFFICIAL_STATUS_ENDPOINT);
        for nothing in [
            serde_json::json!(null),
            serde_json::json!([true, 5]),
            serde_json::json!("auto_retry"),
        ] {
            assert_eq!(stored(nothing), Settings::default());
        }
        assert_eq!(
            stored(serde_json::json!({"max_attempts": 7.6})).max_attempts,
            8
        );
        assert_eq!(
            stored(serde_json::json!({"max_attempts": 1e300})).max_attempts,
            30
        );
    }

    #[test]
    fn the_page_card_is_on_for_error_documents_and_off_on_the_app_by_default() {
        let s = Settings::default();
        assert!(s.page_card);
        assert!(!s.page_card_on_app);
        let stored = StoredSettings {
            page_card: Loose::Bool(false),
            page_card_on_app: Loose::String("yes".into()),
            ..StoredSettings::default()
        };
        let s = Settings::from_stored(&stored);
        assert!(!s.page_card);
        assert!(!s.page_card_on_app);
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let s: Settings = serde_json::from_str(r#"{"auto_retry":false}"#).unwrap();
        assert!(!s.auto_retry);
        assert_eq!(s.max_attempts, Settings::default().max_attempts);
    }
}
