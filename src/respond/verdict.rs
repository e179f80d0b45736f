//! Whose problem is it: this computer's connection, the network or IP address it goes out
//! through, the browser, Cloudflare, OpenAI, or not sure yet. Decided from the diagnosis
//! (what the page itself proves), both status pages, the browser's online state and, for
//! blocks and challenges, Cloudflare's trace of this connection. Each source may be missing:
//! a source that timed out, failed or said nothing readable adds nothing, and when what is
//! left does not point at anyone the verdict is "not sure yet".

use serde::{Deserialize, Serialize};

use crate::named::named;
use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind as K;
use crate::plans::status::{OpenAiStatus, ServiceState};
use crate::plans::trace::Trace;

/// Whose problem it is. The names are the popup's `data-verdict` and the report's: never
/// rename them.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Party {
    /// This computer's connection (offline, no name resolution).
    You,
    /// The network or IP address: a VPN, a proxy, a shared network, a region.
    Network,
    /// The browser: cookies, an extension, a user-agent switcher, blocked cookies.
    Browser,
    /// The person's plan: its usage limit, until it resets.
    Plan,
    Cloudflare,
    #[cfg_attr(feature = "typescript", ts(rename = "openai"))]
    OpenAi,
    #[default]
    Unknown,
}

named!(Party {
    You = "you",
    Network = "network",
    Browser = "browser",
    Plan = "plan",
    Cloudflare = "cloudflare",
    OpenAi = "openai",
    Unknown = "unknown",
});

impl Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Countries and territories where OpenAI does not offer ChatGPT, as ISO 3166 codes: the
/// ones absent from OpenAI's "Supported countries and territories" list
/// (https://help.openai.com/en/articles/7947663-chatgpt-and-openai-api-supported-countries-and-territories,
/// an allow-list: what it does not name is not offered). Re-read on 2026-12-02 from a stored
/// copy of that page and of the API's list (article 5347006): Belarus, China, Cuba, Hong Kong,
/// Iran, North Korea, Macau and Russia are absent; the part of the copy that would hold Syria
/// was cut, so `SY` stands on sanctions alone. Only countries known to be absent are named:
/// any other country gives no region evidence rather than a wrong one. Check the live page
/// before changing the list. Regions inside a country (Crimea, …) cannot be told from a
/// country code and are left out. `T1` is Cloudflare's code for Tor, which counts as a network, not a country.
pub const CHATGPT_NOT_OFFERED: &[&str] = &["BY", "CN", "CU", "HK", "IR", "KP", "MO", "RU", "SY"];

/// Cloudflare's `loc` for connections arriving over Tor.
const TOR: &str = "T1";

/// Navigation errors that happen on this computer or its own link, before any server.
const LOCAL_NAVIGATION_ERRORS: &[&str] = &[
    "ERR_INTERNET_DISCONNECTED",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_NETWORK_CHANGED",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_NETWORK_IO_SUSPENDED",
    "NS_ERROR_OFFLINE",
    "NS_ERROR_UNKNOWN_HOST",
];

/// Navigation errors that name a proxy in between.
const PROXY_NAVIGATION_ERRORS: &[&str] = &[
    "ERR_PROXY_CONNECTION_FAILED",
    "ERR_TUNNEL_CONNECTION_FAILED",
    "NS_ERROR_PROXY_CONNECTION_REFUSED",
    "NS_ERROR_UNKNOWN_PROXY_HOST",
];

/// Everything the verdict is decided from; every source but the diagnosis may be missing.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VerdictInput {
    pub diagnosis: Diagnosis,
    /// OpenAI's status (per ChatGPT component); `None` or unknown when it could not be read.
    pub openai: Option<OpenAiStatus>,
    /// Cloudflare's status page, read as a whole.
    pub cloudflare: Option<OpenAiStatus>,
    /// `navigator.onLine` as the background sees it.
    pub online: Option<bool>,
    /// Cloudflare's trace of this connection (only read for blocks and challenges).
    pub trace: Option<Trace>,
    /// `navigator.userAgent`, to compare with the one Cloudflare received.
    pub user_agent: Option<String>,
    /// The tab met Cloudflare's challenge again (`plans::challenge::repeated`): once is normal.
    pub challenge_repeated: bool,
    /// The person turned the outside checks off (both status pages and the trace): their
    /// silence is that, not a page that could not be read.
    pub checks_off: bool,
}

/// One thing that led to the verdict: a `_locales` key, and the value it quotes (a code, a
/// country, an incident's name), if any.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictEvidence {
    pub key: &'static str,
    pub value: Option<String>,
    /// A time the line quotes instead (ms since the epoch), written in the reader's clock.
    pub at_ms: Option<f64>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub party: Party,
    /// The verdict line's `_locales` key.
    pub key: &'static str,
    pub evidence: Vec<VerdictEvidence>,
}

fn ev(key: &'static str, value: Option<String>) -> VerdictEvidence {
    VerdictEvidence {
        key,
        value,
        at_ms: None,
    }
}

fn line_key(party: Party) -> &'static str {
    match party {
        Party::You => "verdict_you",
        Party::Network => "verdict_network",
        Party::Browser => "verdict_browser",
        Party::Plan => "verdict_plan",
        Party::Cloudflare => "verdict_cloudflare",
        Party::OpenAi => "verdict_openai",
        Party::Unknown => "verdict_unknown",
    }
}

/// What a status page says, as the verdict reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Could not be read, or said nothing readable.
    Silent,
    /// Read, and no incident that counts.
    Calm,
    /// Read, and an incident that counts.
    Incident,
}

fn reading(status: Option<&OpenAiStatus>, counts: fn(ServiceState) -> bool) -> Reading {
    match status.map(|s| s.state) {
        None | Some(ServiceState::Unknown) => Reading::Silent,
        Some(s) if counts(s) => Reading::Incident,
        Some(_) => Reading::Calm,
    }
}

/// The incident's name, or the components that are down, or the page's headline.
fn incident_detail(s: &OpenAiStatus) -> Option<String> {
    s.incidents
        .first()
        .map(|i| i.name.clone())
        .or_else(|| {
            (!s.components.is_empty()).then(|| {
                s.components
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
        .or_else(|| s.description.clone())
}

/// What the trace says about the path this connection takes, strongest first.
fn trace_evidence(trace: Option<&Trace>) -> Option<VerdictEvidence> {
    let t = trace?;
    let loc = t.loc.as_deref()?;
    if loc == TOR {
        return Some(ev("verdict_ev_tor", None));
    }
    if CHATGPT_NOT_OFFERED.contains(&loc) {
        return Some(ev("verdict_ev_country_not_offered", Some(loc.to_string())));
    }
    if t.warp {
        return Some(ev("verdict_ev_warp", None));
    }
    if t.gateway || t.rbi {
        return Some(ev("verdict_ev_gateway", None));
    }
    None
}

/// Cloudflare received another user agent than the browser says it sends: something
/// rewrites it (a user-agent switcher, a privacy extension, a proxy).
fn user_agent_rewritten(input: &VerdictInput) -> bool {
    match (
        input.trace.as_ref().and_then(|t| t.uag.as_deref()),
        input.user_agent.as_deref(),
    ) {
        (Some(seen), Some(sent)) if !seen.trim().is_empty() && !sent.trim().is_empty() => {
            seen.trim() != sent.trim()
        }
        _ => false,
    }
}

pub fn decide(input: &VerdictInput) -> Verdict {
    let d = &input.diagnosis;
    let mut evidence = Vec::new();
    let party = if d.kind.is_error() {
        decide_party(input, &mut evidence)
    } else {
        Party::Unknown
    };
    if d.kind.is_error() && input.checks_off {
        // Nothing was asked outside: one line says so, instead of "could not be read".
        evidence.retain(|e| e.key != "verdict_ev_sources_silent");
        evidence.push(ev("verdict_ev_checks_off", None));
    } else if d.kind.is_error() {
        // What the status pages said, whatever the verdict: the disclosure shows it all.
        evidence.push(status_evidence(
            input.openai.as_ref(),
            ServiceState::is_incident,
            [
                "verdict_ev_openai_incident",
                "verdict_ev_openai_calm",
                "verdict_ev_openai_silent",
            ],
        ));
        evidence.push(status_evidence(
            input.cloudflare.as_ref(),
            ServiceState::is_outage,
            [
                "verdict_ev_cloudflare_incident",
                "verdict_ev_cloudflare_calm",
                "verdict_ev_cloudflare_silent",
            ],
        ));
        evidence.dedup();
    }
    Verdict {
        party,
        key: line_key(party),
        evidence,
    }
}

fn status_evidence(
    status: Option<&OpenAiStatus>,
    counts: fn(ServiceState) -> bool,
    [incident, calm, silent]: [&'static str; 3],
) -> VerdictEvidence {
    match reading(status, counts) {
        Reading::Incident => ev(incident, status.and_then(incident_detail)),
        Reading::Calm => ev(calm, None),
        Reading::Silent => ev(silent, None),
    }
}

fn decide_party(input: &VerdictInput, evidence: &mut Vec<VerdictEvidence>) -> Party {
    let d = &input.diagnosis;
    let openai = reading(input.openai.as_ref(), ServiceState::is_incident);
    let cloudflare = reading(input.cloudflare.as_ref(), ServiceState::is_outage);

    // Nothing past this computer can be judged while it is offline.
    if input.online == Some(false) {
        evidence.push(ev("verdict_ev_offline", None));
        return Party::You;
    }
    let code = d.code.as_deref().unwrap_or("");
    let path = trace_evidence(input.trace.as_ref());
    // For an error either provider could cause: an incident names it (OpenAI's first: it is
    // the origin behind Cloudflare); both calm leave it to `own`; else not sure yet.
    let providers = |evidence: &mut Vec<VerdictEvidence>, own: Party| {
        if openai == Reading::Incident {
            Party::OpenAi
        } else if cloudflare == Reading::Incident {
            Party::Cloudflare
        } else if openai == Reading::Calm && cloudflare == Reading::Calm {
            own
        } else {
            evidence.push(ev("verdict_ev_sources_silent", None));
            Party::Unknown
        }
    };
    match d.kind {
        K::NetworkError => {
            if LOCAL_NAVIGATION_ERRORS.contains(&code) {
                evidence.push(ev("verdict_ev_navigation_local", Some(code.to_string())));
                return Party::You;
            }
            if PROXY_NAVIGATION_ERRORS.contains(&code) {
                evidence.push(ev("verdict_ev_navigation_proxy", Some(code.to_string())));
                return Party::Network;
            }
            // Both providers fine and a connection error still: the way here.
            providers(evidence, Party::You)
        }
        K::CloudflareBlocked => {
            match code {
                "1010" => {
                    evidence.push(ev(
                        "verdict_ev_block_browser_signature",
                        Some(code.to_string()),
                    ));
                    return Party::Browser;
                }
                "1009" => evidence.push(ev("verdict_ev_block_country", Some(code.to_string()))),
                _ => evidence.push(ev("verdict_ev_block_on_ip", d.code.clone())),
            }
            if let Some(p) = path {
                evidence.push(p);
            }
            Party::Network
        }
        K::CloudflareRateLimited => {
            evidence.push(ev("verdict_ev_rate_limit_on_ip", d.code.clone()));
            if let Some(p) = path {
                evidence.push(p);
            }
            Party::Network
        }
        K::CloudflareChallenge => {
            let again = input.challenge_repeated;
            evidence.push(ev(
                if again {
                    "verdict_ev_challenge"
                } else {
                    "verdict_ev_challenge_once"
                },
                None,
            ));
            if cloudflare == Reading::Incident {
                return Party::Cloudflare;
            }
            // Met once, it is Cloudflare's everyday check: nobody's fault yet, whatever else
            // is seen (the lines below still show it).
            let blame = |party: Party| if again { party } else { Party::Unknown };
            if let Some(p) = path {
                evidence.push(p);
                return blame(Party::Network);
            }
            if user_agent_rewritten(input) {
                evidence.push(ev("verdict_ev_user_agent_rewritten", None));
                return blame(Party::Browser);
            }
            // Cloudflare is fine and the challenge still does not pass: something in this
            // browser keeps it from passing (cookies, an extension, a spoofed agent).
            if !again {
                Party::Unknown
            } else if cloudflare == Reading::Calm {
                Party::Browser
            } else {
                evidence.push(ev("verdict_ev_sources_silent", None));
                Party::Unknown
            }
        }
        K::UnusualActivity => {
            evidence.push(ev("verdict_ev_unusual_activity", None));
            if let Some(p) = path {
                evidence.push(p);
            }
            Party::Network
        }
        K::ServerUnreachable => {
            evidence.push(ev("verdict_ev_origin_unreachable", d.code.clone()));
            providers(evidence, Party::OpenAi)
        }
        K::ServerError => {
            evidence.push(ev("verdict_ev_server_error", d.code.clone()));
            providers(evidence, Party::OpenAi)
        }
        K::AtCapacity => {
            // OpenAI's own words about its own capacity.
            evidence.push(ev("verdict_ev_at_capacity", None));
            Party::OpenAi
        }
        K::SessionExpired => {
            if openai == Reading::Incident {
                return Party::OpenAi;
            }
            evidence.push(ev("verdict_ev_session", None));
            Party::Browser
        }
        K::RateLimited => {
            if openai == Reading::Incident {
                return Party::OpenAi;
            }
            // The plan's own limit: nobody's fault, waiting until it resets is the fix.
            evidence.push(ev("verdict_ev_usage_limit", None));
            if let Some(at) = d.reset_at_ms.filter(|t| t.is_finite()) {
                evidence.push(VerdictEvidence {
                    at_ms: Some(at),
                    ..ev("verdict_ev_usage_limit_resets", None)
                });
            }
            Party::Plan
        }
        K::AppError => providers(evidence, Party::Unknown),
        // The stream dropped while the answer was being written: an incident says whose; with
        // both providers calm, the connection on the way here is the likelier cause.
        K::ResponsePending => providers(evidence, Party::You),
        // The conversation's own length: nobody's fault, a new chat is the way on.
        K::ConversationTooLong => {
            evidence.push(ev("verdict_ev_conversation_limit", None));
            Party::Unknown
        }
        K::None => Party::Unknown,
    }
}

/// Every `_locales` key a verdict can carry.
pub fn all_message_keys() -> Vec<&'static str> {
    let mut keys = vec![
        "verdict_you",
        "verdict_network",
        "verdict_browser",
        "verdict_plan",
        "verdict_cloudflare",
        "verdict_openai",
        "verdict_unknown",
        "verdict_ev_offline",
        "verdict_ev_navigation_local",
        "verdict_ev_navigation_proxy",
        "verdict_ev_block_browser_signature",
        "verdict_ev_block_country",
        "verdict_ev_block_on_ip",
        "verdict_ev_rate_limit_on_ip",
        "verdict_ev_challenge",
        "verdict_ev_challenge_once",
        "verdict_ev_user_agent_rewritten",
        "verdict_ev_unusual_activity",
        "verdict_ev_origin_unreachable",
        "verdict_ev_server_error",
        "verdict_ev_at_capacity",
        "verdict_ev_session",
        "verdict_ev_usage_limit",
        "verdict_ev_conversation_limit",
        "verdict_ev_usage_limit_resets",
        "verdict_ev_sources_silent",
        "verdict_ev_checks_off",
        "verdict_ev_tor",
        "verdict_ev_country_not_offered",
        "verdict_ev_warp",
        "verdict_ev_gateway",
        "verdict_ev_openai_incident",
        "verdict_ev_openai_calm",
        "verdict_ev_openai_silent",
        "verdict_ev_cloudflare_incident",
        "verdict_ev_cloudflare_calm",
        "verdict_ev_cloudflare_silent",
    ];
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::kind::ErrorKind;
    use crate::plans::status::Incident;
    use Party::*;

    #[derive(Clone, Copy, Debug)]
    enum World {
        OpenAiIncident,
        CloudflareIncident,
        BothGreen,
        SourcesFailing,
        Offline,
    }

    fn status(state: ServiceState, incident: &str) -> OpenAiStatus {
        OpenAiStatus {
            state,
            incidents: (!incident.is_empty())
                .then(|| Incident {
                    name: incident.into(),
                    impact: "major".into(),
                    url: None,
                })
                .into_iter()
                .collect(),
            ..OpenAiStatus::default()
        }
    }

    /// The page each kind is most often seen with.
    fn page(kind: ErrorKind) -> Diagnosis {
        let code = match kind {
            K::CloudflareBlocked => Some("1020"),
            K::CloudflareRateLimited => Some("1015"),
            K::ServerUnreachable => Some("522"),
            K::ServerError => Some("500"),
            K::NetworkError => Some("ERR_CONNECTION_RESET"),
            _ => Option::None,
        };
        Diagnosis {
            kind,
            code: code.map(str::to_string),
            ..Diagnosis::default()
        }
    }

    fn input(kind: ErrorKind, world: World) -> VerdictInput {
        let green = || Some(status(ServiceState::Operational, ""));
        let (openai, cloudflare, online) = match world {
            World::OpenAiIncident => (
                Some(status(
                    ServiceState::PartialOutage,
                    "Elevated errors on ChatGPT",
                )),
                green(),
                Some(true),
            ),
            World::CloudflareIncident => (
                green(),
                Some(status(
                    ServiceState::MajorOutage,
                    "Cloudflare Global Network experiencing issues",
                )),
                Some(true),
            ),
            World::BothGreen => (green(), green(), Some(true)),
            // A time-out leaves no reading; garbage leaves an unknown one.
            World::SourcesFailing => (Option::None, Some(OpenAiStatus::unknown()), Option::None),
            World::Offline => (Option::None, Option::None, Some(false)),
        };
        VerdictInput {
            diagnosis: page(kind),
            openai,
            cloudflare,
            online,
            // The challenge met again: the first one is its own test below.
            challenge_repeated: true,
            ..VerdictInput::default()
        }
    }

    #[test]
    fn every_kind_in_every_world() {
        use World::*;
        let worlds = [
            OpenAiIncident,
            CloudflareIncident,
            BothGreen,
            SourcesFailing,
            Offline,
        ];
        let want: [(ErrorKind, [Party; 5]); 14] = [
            (
                K::CloudflareBlocked,
                [Network, Network, Network, Network, You],
            ),
            (
                K::CloudflareRateLimited,
                [Network, Network, Network, Network, You],
            ),
            (
                K::CloudflareChallenge,
                [Browser, Cloudflare, Browser, Unknown, You],
            ),
            (
                K::ServerUnreachable,
                [OpenAi, Cloudflare, OpenAi, Unknown, You],
            ),
            (K::ServerError, [OpenAi, Cloudflare, OpenAi, Unknown, You]),
            (K::AtCapacity, [OpenAi, OpenAi, OpenAi, OpenAi, You]),
            (K::RateLimited, [OpenAi, Plan, Plan, Plan, You]),
            (K::SessionExpired, [OpenAi, Browser, Browser, Browser, You]),
            (
                K::UnusualActivity,
                [Network, Network, Network, Network, You],
            ),
            (K::NetworkError, [OpenAi, Cloudflare, You, Unknown, You]),
            (K::ResponsePending, [OpenAi, Cloudflare, You, Unknown, You]),
            (
                K::ConversationTooLong,
                [Unknown, Unknown, Unknown, Unknown, You],
            ),
            (K::AppError, [OpenAi, Cloudflare, Unknown, Unknown, You]),
            (K::None, [Unknown, Unknown, Unknown, Unknown, Unknown]),
        ];
        assert_eq!(want.map(|(k, _)| k), ErrorKind::ALL);
        for (kind, parties) in want {
            for (world, party) in worlds.into_iter().zip(parties) {
                let v = decide(&input(kind, world));
                assert_eq!(v.party, party, "{kind:?} in {world:?}: {v:?}");
                assert_eq!(v.key, line_key(party));
                if kind.is_error() {
                    assert!(!v.evidence.is_empty(), "{kind:?} in {world:?}");
                } else {
                    assert!(v.evidence.is_empty());
                }
            }
        }
    }

    #[test]
    fn the_evidence_names_the_incident_and_the_silent_sources() {
        let v = decide(&input(K::ServerUnreachable, World::OpenAiIncident));
        assert!(v.evidence.contains(&ev(
            "verdict_ev_openai_incident",
            Some("Elevated errors on ChatGPT".into())
        )));
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_cloudflare_calm", Option::None)));
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_origin_unreachable", Some("522".into()))));
        let v = decide(&input(K::ServerUnreachable, World::SourcesFailing));
        for key in [
            "verdict_ev_openai_silent",
            "verdict_ev_cloudflare_silent",
            "verdict_ev_sources_silent",
        ] {
            assert!(v.evidence.iter().any(|e| e.key == key), "{key}: {v:?}");
        }
        for key in all_message_keys() {
            assert!(key.starts_with("verdict_"));
        }
    }

    #[test]
    fn a_usage_limit_is_the_plan_s_with_its_reset_time() {
        let mut i = input(K::RateLimited, World::BothGreen);
        i.diagnosis.reset_at_ms = Some(1_765_000_000_000.0);
        let v = decide(&i);
        assert_eq!(v.party, Plan);
        assert_eq!(v.key, "verdict_plan");
        assert!(v
            .evidence
            .iter()
            .any(|e| e.key == "verdict_ev_usage_limit_resets"
                && e.at_ms == Some(1_765_000_000_000.0)));
        assert!(!v
            .evidence
            .iter()
            .any(|e| e.key == "verdict_ev_sources_silent"));
    }

    #[test]
    fn checks_off_is_its_own_line_not_a_page_that_could_not_be_read() {
        let mut i = input(K::ServerError, World::SourcesFailing);
        i.openai = Option::None;
        i.cloudflare = Option::None;
        i.checks_off = true;
        let v = decide(&i);
        assert_eq!(v.party, Unknown);
        let keys: Vec<_> = v.evidence.iter().map(|e| e.key).collect();
        assert!(keys.contains(&"verdict_ev_checks_off"), "{keys:?}");
        for silent in [
            "verdict_ev_sources_silent",
            "verdict_ev_openai_silent",
            "verdict_ev_cloudflare_silent",
        ] {
            assert!(!keys.contains(&silent), "{keys:?}");
        }
    }

    #[test]
    fn a_first_challenge_is_not_blamed_on_the_browser() {
        let mut i = input(K::CloudflareChallenge, World::BothGreen);
        i.challenge_repeated = false;
        let v = decide(&i);
        assert_eq!(v.party, Unknown, "{v:?}");
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_challenge_once", Option::None)));
        assert!(!v
            .evidence
            .contains(&ev("verdict_ev_challenge", Option::None)));
        // Whatever the trace or the agent shows, once is nobody's fault yet (the lines stay).
        i.trace = trace("RU", false);
        let v = decide(&i);
        assert_eq!(v.party, Unknown);
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_country_not_offered", Some("RU".into()))));
        i.challenge_repeated = true;
        i.trace = Option::None;
        assert_eq!(decide(&i).party, Browser);
    }

    #[test]
    fn cloudflare_s_everyday_minor_incident_is_not_an_outage() {
        let mut i = input(K::CloudflareChallenge, World::BothGreen);
        i.cloudflare = Some(status(ServiceState::Degraded, "Re-routing in FRA"));
        assert_eq!(decide(&i).party, Browser);
    }

    fn trace(loc: &str, warp: bool) -> Option<Trace> {
        Some(Trace {
            loc: Some(loc.into()),
            colo: Some("FRA".into()),
            warp,
            ..Trace::default()
        })
    }

    #[test]
    fn the_trace_names_the_region_the_vpn_or_the_rewritten_agent() {
        let mut i = input(K::CloudflareChallenge, World::BothGreen);
        i.trace = trace("RU", false);
        let v = decide(&i);
        assert_eq!(v.party, Network);
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_country_not_offered", Some("RU".into()))));
        i.trace = trace("DE", true);
        assert_eq!(decide(&i).party, Network);
        assert!(decide(&i)
            .evidence
            .contains(&ev("verdict_ev_warp", Option::None)));
        i.trace = trace("T1", false);
        assert!(decide(&i)
            .evidence
            .contains(&ev("verdict_ev_tor", Option::None)));
        // A trace that says nothing special leaves the browser.
        i.trace = trace("DE", false);
        assert_eq!(decide(&i).party, Browser);
        // Cloudflare got another agent than the browser sends.
        i.trace = Some(Trace {
            uag: Some("Mozilla/5.0 (iPhone) Safari".into()),
            ..trace("DE", false).unwrap()
        });
        i.user_agent = Some("Mozilla/5.0 (X11; Linux x86_64) Chrome/156".into());
        i.cloudflare = Option::None;
        let v = decide(&i);
        assert_eq!(v.party, Browser);
        assert!(v
            .evidence
            .contains(&ev("verdict_ev_user_agent_rewritten", Option::None)));
        // The region shows on a block too.
        let mut b = input(K::CloudflareBlocked, World::SourcesFailing);
        b.trace = trace("CN", false);
        assert!(decide(&b)
            .evidence
            .contains(&ev("verdict_ev_country_not_offered", Some("CN".into()))));
    }

    #[test]
    fn a_block_s_code_says_whose_it_is() {
        let mut i = input(K::CloudflareBlocked, World::BothGreen);
        i.diagnosis.code = Some("1010".into());
        assert_eq!(decide(&i).party, Browser);
        i.diagnosis.code = Some("1009".into());
        assert_eq!(decide(&i).party, Network);
        let mut n = input(K::NetworkError, World::SourcesFailing);
        n.diagnosis.code = Some("ERR_INTERNET_DISCONNECTED".into());
        assert_eq!(decide(&n).party, You);
        n.diagnosis.code = Some("NS_ERROR_PROXY_CONNECTION_REFUSED".into());
        assert_eq!(decide(&n).party, Network);
    }

    #[test]
    fn the_verdict_never_carries_the_ip() {
        let mut i = input(K::CloudflareChallenge, World::BothGreen);
        i.trace = Some(crate::plans::trace::parse_trace(
            "ip=203.0.113.7\nloc=IR\ncolo=IST\nwarp=off\n",
        ));
        let json = serde_json::to_string(&decide(&i)).unwrap();
        assert!(
            json.contains("IR") && !json.contains("203.0.113.7"),
            "{json}"
        );
    }
}
