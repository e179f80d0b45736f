//! How a diagnosis is shown: the toolbar badge and the popup's explanation. Texts live in
//! the extension's `_locales/`; the core picks the message keys and their order.

use serde::Serialize;

use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind::{self, *};

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    /// At most four characters; empty clears the badge.
    pub text: String,
    /// `#rrggbb`.
    pub color: &'static str,
}

const RED: &str = "#c62828";
const ORANGE: &str = "#e65100";
const BLUE: &str = "#1565c0";
const GREY: &str = "#546e7a";

/// The badge for a tab: the error's own code where it is short (1020, 502, 429), a short
/// word otherwise; red when only waiting or OpenAI can fix it, orange when the person can.
pub fn badge(d: &Diagnosis) -> Badge {
    if !d.kind.is_error() {
        return Badge {
            text: String::new(),
            color: GREY,
        };
    }
    let numeric = d
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 4 && c.chars().all(|ch| ch.is_ascii_digit()));
    let text = numeric.map(str::to_string).unwrap_or_else(|| {
        match d.kind {
            CloudflareBlocked => "DENY",
            CloudflareRateLimited | RateLimited => "WAIT",
            CloudflareChallenge => "CF",
            ServerUnreachable | ServerError => "5xx",
            AtCapacity => "FULL",
            SessionExpired => "AUTH",
            UnusualActivity => "!",
            NetworkError => "NET",
            ResponsePending => "WAIT",
            ConversationTooLong => "LONG",
            AppError => "ERR",
            None => "",
        }
        .to_string()
    });
    let color = match d.kind {
        ServerUnreachable | ServerError | AtCapacity => RED,
        CloudflareBlocked | CloudflareChallenge | UnusualActivity | NetworkError
        | ConversationTooLong => ORANGE,
        CloudflareRateLimited | RateLimited | SessionExpired | ResponsePending => BLUE,
        AppError | None => GREY,
    };
    Badge { text, color }
}

/// A likely cause, as a `_locales` message key, most likely first.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub title: &'static str,
    pub summary: &'static str,
    pub causes: Vec<&'static str>,
}

/// What the popup says about a diagnosis. Causes are ranked honestly: for a Cloudflare block
/// the network the person is on comes first, cookies last, because that is what it is.
pub fn explain(d: &Diagnosis) -> Explanation {
    let code = d.code.as_deref().and_then(|c| c.parse::<u32>().ok());
    let country = d.code.as_deref() == Some("unsupported_country");
    let causes: Vec<&'static str> = match (d.kind, code) {
        (CloudflareBlocked, Some(1009)) => vec!["cause_country_blocked", "cause_vpn_ip"],
        (CloudflareBlocked, _) if country => vec!["cause_country_blocked", "cause_vpn_ip"],
        (CloudflareBlocked, Some(1010)) => {
            vec![
                "cause_browser_signature",
                "cause_vpn_ip",
                "cause_shared_network",
            ]
        }
        (CloudflareBlocked, _) => {
            vec![
                "cause_vpn_ip",
                "cause_shared_network",
                "cause_browser_signature",
                "cause_cookies_rarely",
            ]
        }
        (CloudflareRateLimited, _) => vec!["cause_ip_too_many_requests", "cause_shared_network"],
        (CloudflareChallenge, _) => vec![
            "cause_challenge_normal",
            "cause_third_party_cookies",
            "cause_fingerprinting",
            "cause_other_extensions",
            "cause_vpn_ip",
            "cause_timezone_mismatch",
        ],
        (ServerUnreachable, _) => vec!["cause_openai_outage", "cause_edge_to_origin"],
        (ServerError, _) => vec!["cause_openai_outage", "cause_app_bug"],
        (AtCapacity, _) => vec!["cause_high_demand"],
        (RateLimited, _) => vec!["cause_message_cap", "cause_too_fast"],
        (SessionExpired, _) => vec!["cause_session_expired", "cause_cookies_cleared"],
        (UnusualActivity, _) => vec!["cause_vpn_ip", "cause_automation", "cause_shared_network"],
        (NetworkError, _) => vec![
            "cause_connection_dropped",
            "cause_vpn_proxy",
            "cause_openai_outage",
        ],
        (ResponsePending, _) => vec!["cause_answer_still_coming", "cause_connection_dropped"],
        (ConversationTooLong, _) => vec!["cause_conversation_too_long"],
        (AppError, _) => vec![
            "cause_app_bug",
            "cause_openai_outage",
            "cause_long_conversation",
        ],
        (ErrorKind::None, _) => vec![],
    };
    let id = d.kind.id();
    Explanation {
        title: kind_key(id, "title"),
        summary: kind_key(id, "summary"),
        causes,
    }
}

/// `kind_<id>_<part>`, as a static key (message keys are looked up by the glue).
fn kind_key(id: &str, part: &str) -> &'static str {
    KIND_KEYS
        .iter()
        .find(|(k, p, _)| *k == id && *p == part)
        .map_or("kind_none_title", |(_, _, key)| key)
}

macro_rules! kind_keys {
    ($($id:literal),*) => {
        &[$(($id, "title", concat!("kind_", $id, "_title")), ($id, "summary", concat!("kind_", $id, "_summary"))),*]
    };
}

const KIND_KEYS: &[(&str, &str, &str)] = kind_keys!(
    "cloudflare_blocked",
    "cloudflare_rate_limited",
    "cloudflare_challenge",
    "server_unreachable",
    "server_error",
    "at_capacity",
    "rate_limited",
    "session_expired",
    "unusual_activity",
    "network_error",
    "response_pending",
    "conversation_too_long",
    "app_error",
    "none"
);

/// Every message key the core can hand to the glue: the locale files must define them all.
pub fn all_message_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = KIND_KEYS.iter().map(|(_, _, k)| *k).collect();
    for kind in ErrorKind::ALL {
        for code in [Option::None, Some("1009"), Some("1010")] {
            let d = Diagnosis {
                kind,
                code: code.map(str::to_string),
                ..Diagnosis::default()
            };
            keys.extend(explain(&d).causes);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(kind: ErrorKind, code: Option<&str>) -> Diagnosis {
        Diagnosis {
            kind,
            code: code.map(str::to_string),
            ..Diagnosis::default()
        }
    }

    #[test]
    fn badge_shows_short_codes_and_clears_when_healthy() {
        assert_eq!(badge(&d(CloudflareBlocked, Some("1020"))).text, "1020");
        assert_eq!(badge(&d(ServerUnreachable, Some("522"))).text, "522");
        assert_eq!(
            badge(&d(SessionExpired, Some("token_expired"))).text,
            "AUTH"
        );
        assert_eq!(
            badge(&d(NetworkError, Some("ERR_CONNECTION_RESET"))).text,
            "NET"
        );
        assert_eq!(badge(&d(ErrorKind::None, Some("200"))).text, "");
        for kind in ErrorKind::ALL {
            assert!(badge(&d(kind, Option::None)).text.chars().count() <= 4);
            assert_eq!(
                badge(&d(kind, Option::None)).text.is_empty(),
                kind == ErrorKind::None
            );
        }
    }

    #[test]
    fn a_block_blames_the_network_before_the_cookies() {
        let causes = explain(&d(CloudflareBlocked, Some("1020"))).causes;
        assert_eq!(causes[0], "cause_vpn_ip");
        assert_eq!(causes.last(), Some(&"cause_cookies_rarely"));
        assert_eq!(
            explain(&d(CloudflareBlocked, Some("1009"))).causes[0],
            "cause_country_blocked"
        );
    }

    #[test]
    fn every_kind_has_its_own_title() {
        for kind in ErrorKind::ALL {
            let e = explain(&d(kind, Option::None));
            assert_eq!(e.title, format!("kind_{}_title", kind.id()));
            assert_eq!(e.summary, format!("kind_{}_summary", kind.id()));
            assert_eq!(e.causes.is_empty(), kind == ErrorKind::None);
        }
    }
}
