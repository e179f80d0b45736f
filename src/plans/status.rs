//! OpenAI's status page, as the popup needs it: one overall state for ChatGPT, the ChatGPT
//! components that are not operational, and the open incidents. Parsing never fails: a
//! time-out, an HTTP error or garbage gives `ServiceState::Unknown`.

use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;

/// How long a reading of the status page is reused, and how long a request may take.
pub const STATUS_CACHE_MS: f64 = 60_000.0;
pub const STATUS_TIMEOUT_MS: u32 = 5_000;
/// Bigger than any real summary.json (tens of KB); anything larger is not one.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
const MAX_COMPONENTS: usize = 12;
const MAX_INCIDENTS: usize = 5;
const MAX_TEXT_CHARS: usize = 200;

/// Ordered from good to bad, so the worst of several is the maximum.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ServiceState {
    #[default]
    Unknown,
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
}

serde_by_name!(ServiceState {
    Unknown = "unknown",
    Operational = "operational",
    Maintenance = "maintenance",
    Degraded = "degraded",
    PartialOutage = "partial_outage",
    MajorOutage = "major_outage",
});

impl ServiceState {
    pub const ALL: [ServiceState; 6] = [
        ServiceState::Unknown,
        ServiceState::Operational,
        ServiceState::Maintenance,
        ServiceState::Degraded,
        ServiceState::PartialOutage,
        ServiceState::MajorOutage,
    ];

    /// OpenAI says something is wrong right now.
    pub fn is_incident(self) -> bool {
        self >= ServiceState::Degraded
    }

    /// A provider-wide outage (Statuspage's `major` or `critical`): what Cloudflare's page
    /// says when it is down, where `minor` is its everyday regional re-routing.
    pub fn is_outage(self) -> bool {
        self >= ServiceState::PartialOutage
    }

    fn from_component(status: &str) -> ServiceState {
        match status {
            "operational" => ServiceState::Operational,
            "degraded_performance" => ServiceState::Degraded,
            "partial_outage" => ServiceState::PartialOutage,
            // incident.io's own feed says full_outage where the v2 JSON says major_outage.
            "major_outage" | "full_outage" => ServiceState::MajorOutage,
            "under_maintenance" => ServiceState::Maintenance,
            _ => ServiceState::Unknown,
        }
    }

    fn from_indicator(indicator: &str) -> ServiceState {
        match indicator {
            "none" => ServiceState::Operational,
            "minor" => ServiceState::Degraded,
            "major" => ServiceState::PartialOutage,
            "critical" => ServiceState::MajorOutage,
            "maintenance" => ServiceState::Maintenance,
            _ => ServiceState::Unknown,
        }
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentState {
    pub name: String,
    pub state: ServiceState,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub name: String,
    pub impact: String,
    /// Only ever an `https://` link.
    pub url: Option<String>,
}

/// What the status page says about ChatGPT.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct OpenAiStatus {
    pub state: ServiceState,
    /// The page's own headline ("All Systems Operational", "Partial System Outage").
    pub description: Option<String>,
    /// ChatGPT's components that are not operational.
    pub components: Vec<ComponentState>,
    /// Unresolved incidents.
    pub incidents: Vec<Incident>,
    /// When it was read (ms since the epoch), filled in by the glue.
    pub checked_at_ms: Option<f64>,
}

impl OpenAiStatus {
    pub fn unknown() -> OpenAiStatus {
        OpenAiStatus::default()
    }

    /// A reading taken at `checked_at_ms` is still good at `now_ms`.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        self.checked_at_ms
            .is_some_and(|at| now_ms >= at && now_ms - at < STATUS_CACHE_MS)
    }
}

/// The v2 summary.json, only the parts we read. Every field is optional and typed loosely
/// enough that an unexpected shape elsewhere does not spoil the rest. Natively it is read
/// with serde_json (`parse_summary`); in the browser from `JSON.parse`'s value, so the
/// module carries no JSON parser of its own.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Summary {
    status: Option<SummaryStatus>,
    components: Vec<Component>,
    incidents: Vec<SummaryIncident>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SummaryStatus {
    indicator: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Component {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    group: Option<bool>,
    group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SummaryIncident {
    name: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    shortlink: Option<String>,
}

/// Components that are ChatGPT when the page has no "ChatGPT" group (older pages had one
/// component called "ChatGPT"; the incident.io page groups "Conversations", "Login", …).
const CHATGPT_COMPONENT_NAMES: &[&str] = &["chatgpt", "conversations", "login"];

fn short(s: &str) -> String {
    let trimmed = s.trim();
    match trimmed.char_indices().nth(MAX_TEXT_CHARS) {
        Some((i, _)) => format!("{}…", &trimmed[..i]),
        None => trimmed.to_string(),
    }
}

/// `summary.json`'s text → what it says about ChatGPT.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_summary(body: &str) -> OpenAiStatus {
    parse_summary_with(body, |body| serde_json::from_str(body).ok())
}

/// `summary.json`'s text → what it says about ChatGPT, read by `parse` (`None` for anything
/// that is not a summary): a body too big to be one is not even read.
pub fn parse_summary_with(body: &str, parse: impl FnOnce(&str) -> Option<Summary>) -> OpenAiStatus {
    if body.len() > MAX_BODY_BYTES {
        return OpenAiStatus::unknown();
    }
    parse(body).map_or_else(OpenAiStatus::unknown, |summary| summarize(&summary))
}

/// `summary.json`'s text → what a whole provider's page says (Cloudflare's): its overall
/// indicator and open incidents, no component picked out.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_provider_summary(body: &str) -> OpenAiStatus {
    parse_provider_summary_with(body, |body| serde_json::from_str(body).ok())
}

/// As [`parse_provider_summary`], read by `parse`.
pub fn parse_provider_summary_with(
    body: &str,
    parse: impl FnOnce(&str) -> Option<Summary>,
) -> OpenAiStatus {
    if body.len() > MAX_BODY_BYTES {
        return OpenAiStatus::unknown();
    }
    parse(body).map_or_else(OpenAiStatus::unknown, |summary| {
        summarize_provider(&summary)
    })
}

/// What a Statuspage summary says about the whole provider. Cloudflare's page lists some
/// 300 data centres and products, a few of them re-routed or in maintenance on any day:
/// its overall indicator, not one of them, is what says "Cloudflare is down".
pub fn summarize_provider(summary: &Summary) -> OpenAiStatus {
    OpenAiStatus {
        state: overall_state(summary),
        components: Vec::new(),
        ..summarize(summary)
    }
}

fn overall_state(summary: &Summary) -> ServiceState {
    summary
        .status
        .as_ref()
        .and_then(|s| s.indicator.as_deref())
        .map_or(ServiceState::Unknown, ServiceState::from_indicator)
}

/// What a summary says about ChatGPT.
pub fn summarize(summary: &Summary) -> OpenAiStatus {
    let overall = overall_state(summary);
    let description = summary
        .status
        .as_ref()
        .and_then(|s| s.description.as_deref())
        .map(short)
        .filter(|d| !d.is_empty());

    let group_ids: Vec<&str> = summary
        .components
        .iter()
        .filter(|c| c.group == Some(true))
        .filter(|c| {
            c.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("chatgpt"))
        })
        .filter_map(|c| c.id.as_deref())
        .collect();
    let is_chatgpt = |c: &Component| {
        if c.group == Some(true) {
            return false;
        }
        if !group_ids.is_empty() {
            return c
                .group_id
                .as_deref()
                .is_some_and(|g| group_ids.contains(&g));
        }
        let name = c.name.as_deref().unwrap_or("").trim().to_ascii_lowercase();
        CHATGPT_COMPONENT_NAMES.iter().any(|n| name == *n)
    };
    let chatgpt: Vec<ComponentState> = summary
        .components
        .iter()
        .filter(|c| is_chatgpt(c))
        .map(|c| ComponentState {
            name: short(c.name.as_deref().unwrap_or("")),
            state: ServiceState::from_component(c.status.as_deref().unwrap_or("")),
        })
        .collect();

    // ChatGPT's own components decide when the page lists them; the overall indicator
    // (which also covers the API, Sora, …) only when it does not.
    let state = if chatgpt.iter().any(|c| c.state != ServiceState::Unknown) {
        chatgpt
            .iter()
            .map(|c| c.state)
            .max()
            .unwrap_or(ServiceState::Unknown)
    } else {
        overall
    };
    let components = chatgpt
        .into_iter()
        .filter(|c| c.state != ServiceState::Operational)
        .take(MAX_COMPONENTS)
        .collect();
    let incidents = summary
        .incidents
        .iter()
        .filter(|i| {
            !matches!(
                i.status.as_deref(),
                Some("resolved" | "postmortem" | "completed")
            )
        })
        .filter_map(|i| {
            let name = short(i.name.as_deref()?);
            (!name.is_empty()).then(|| Incident {
                name,
                impact: short(i.impact.as_deref().unwrap_or("")),
                url: i
                    .shortlink
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| u.starts_with("https://") && u.len() <= 300)
                    .map(str::to_string),
            })
        })
        .take(MAX_INCIDENTS)
        .collect();
    OpenAiStatus {
        state,
        description,
        components,
        incidents,
        checked_at_ms: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INCIDENT: &str = r#"{
      "page": {"id": "01JMYB4", "name": "OpenAI", "url": "https://status.openai.com"},
      "status": {"indicator": "major", "description": "Partial System Outage"},
      "components": [
        {"id": "G1", "name": "ChatGPT", "status": "partial_outage", "group": true, "group_id": null},
        {"id": "C1", "name": "Conversations", "status": "partial_outage", "group": false, "group_id": "G1"},
        {"id": "C2", "name": "Login", "status": "operational", "group": false, "group_id": "G1"},
        {"id": "A1", "name": "Chat Completions", "status": "major_outage", "group": false, "group_id": "G2"}
      ],
      "incidents": [
        {"name": "Elevated errors on ChatGPT", "status": "investigating", "impact": "major",
         "shortlink": "https://stspg.io/abc"},
        {"name": "Old one", "status": "resolved", "impact": "minor", "shortlink": "https://stspg.io/old"}
      ]
    }"#;

    #[test]
    fn an_incident_on_chatgpt_is_reported_by_its_components() {
        let s = parse_summary(INCIDENT);
        assert_eq!(s.state, ServiceState::PartialOutage);
        assert_eq!(s.description.as_deref(), Some("Partial System Outage"));
        assert_eq!(
            s.components,
            vec![ComponentState {
                name: "Conversations".into(),
                state: ServiceState::PartialOutage
            }]
        );
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].url.as_deref(), Some("https://stspg.io/abc"));
        assert!(s.state.is_incident());
    }

    #[test]
    fn an_outage_elsewhere_does_not_count_against_chatgpt() {
        let body = INCIDENT
            .replace(
                r#""partial_outage", "group": true"#,
                r#""operational", "group": true"#,
            )
            .replace(
                r#""Conversations", "status": "partial_outage""#,
                r#""Conversations", "status": "operational""#,
            );
        assert_eq!(parse_summary(&body).state, ServiceState::Operational);
    }

    #[test]
    fn without_components_the_indicator_decides() {
        let s = parse_summary(
            r#"{"status":{"indicator":"none","description":"All Systems Operational"}}"#,
        );
        assert_eq!(s.state, ServiceState::Operational);
        assert!(!s.state.is_incident());
        let old = parse_summary(
            r#"{"status":{"indicator":"minor"},"components":[{"name":"ChatGPT","status":"full_outage"}]}"#,
        );
        assert_eq!(old.state, ServiceState::MajorOutage);
    }

    #[test]
    fn garbage_is_unknown_never_a_panic() {
        for body in [
            "",
            "<html>502 Bad Gateway</html>",
            "{",
            "null",
            "[]",
            r#"{"status": 5}"#,
            r#"{"components": "many"}"#,
            r#"{"incidents":[{"name":"x","shortlink":"javascript:alert(1)"}]}"#,
        ] {
            let s = parse_summary(body);
            assert!(!s.state.is_incident(), "{body}");
            assert!(s.incidents.iter().all(|i| i.url.is_none()));
        }
        assert_eq!(parse_summary(&"x".repeat(3 << 20)), OpenAiStatus::unknown());
    }

    #[test]
    fn a_provider_is_read_by_its_overall_indicator() {
        let cf = parse_provider_summary(
            r#"{"status":{"indicator":"critical","description":"Major Service Outage"},
               "components":[{"name":"Frankfurt, Germany - (FRA)","status":"operational"}],
               "incidents":[{"name":"Cloudflare Global Network experiencing issues","status":"identified","impact":"critical"}]}"#,
        );
        assert_eq!(cf.state, ServiceState::MajorOutage);
        assert!(cf.state.is_outage());
        assert_eq!(cf.incidents.len(), 1);
        let everyday = parse_provider_summary(
            r#"{"status":{"indicator":"minor"},"components":[{"name":"ChatGPT","status":"major_outage"}]}"#,
        );
        assert_eq!(everyday.state, ServiceState::Degraded);
        assert!(!everyday.state.is_outage());
        assert_eq!(parse_provider_summary("<html>"), OpenAiStatus::unknown());
    }

    #[test]
    fn a_reading_is_reused_for_a_minute() {
        let s = OpenAiStatus {
            checked_at_ms: Some(1_000.0),
            ..OpenAiStatus::unknown()
        };
        assert!(s.is_fresh(60_999.0));
        assert!(!s.is_fresh(61_000.0));
        assert!(!s.is_fresh(500.0));
        assert!(!OpenAiStatus::unknown().is_fresh(0.0));
    }
}
