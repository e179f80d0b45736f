//! The badge a response's status and headers alone earn, as a table the build writes for the
//! background. A service worker woken by a page's response must not wait for the core to be
//! compiled before it lights the badge (that wait put a cold worker's first badge after the
//! page's load event): it looks the response up here instead, and the core, once ready, reads
//! the page itself. The table is the core's own answer (`classify::provisional`, then
//! `presentation::badge`) for every response that can be told apart before the body arrives;
//! nothing in it is decided anywhere else.

use serde::Serialize;

use crate::page::snapshot::ResponseInfo;
use crate::recognise::classify::provisional;
use crate::respond::presentation::{badge, Badge};

/// What of a response the table tells apart: the status, and the three things the table of
/// known errors reads in the headers before the body (`cf-mitigated: challenge`; Cloudflare
/// answered, by `server: cloudflare` or a `cf-ray`; an HTML body).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResponseTraits {
    pub challenge: bool,
    pub cloudflare: bool,
    pub html: bool,
}

/// Statuses `from..=to` with these traits light this badge. `text: null`: the status itself.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlyBadgeRule {
    pub from: u16,
    pub to: u16,
    #[serde(flatten)]
    pub traits: ResponseTraits,
    pub text: Option<String>,
    pub color: &'static str,
}

/// Every status a response can have (HTTP's three digits); none outside is looked up.
const STATUSES: std::ops::RangeInclusive<u16> = 100..=599;

/// A response with exactly these traits (the plainest headers that have them).
fn response_with(status: u16, t: ResponseTraits) -> ResponseInfo {
    ResponseInfo {
        status: Some(status),
        cf_mitigated: t.challenge.then(|| "challenge".into()),
        server: t.cloudflare.then(|| "cloudflare".into()),
        content_type: t.html.then(|| "text/html; charset=UTF-8".into()),
        ..ResponseInfo::default()
    }
}

fn all_traits() -> impl Iterator<Item = ResponseTraits> {
    (0..8u8).map(|bits| ResponseTraits {
        challenge: bits & 1 != 0,
        cloudflare: bits & 2 != 0,
        html: bits & 4 != 0,
    })
}

/// The badge the core gives a response at `url` with only its status and headers known.
pub fn early_badge_of(url: &str, response: &ResponseInfo) -> Option<Badge> {
    let b = badge(&provisional(url, response, None));
    (!b.text.is_empty()).then_some(b)
}

/// The table: consecutive statuses with the same traits and badge share a rule.
pub fn early_badge_rules() -> Vec<EarlyBadgeRule> {
    let mut rules: Vec<EarlyBadgeRule> = Vec::new();
    for traits in all_traits() {
        for status in STATUSES {
            let Some(b) = early_badge_of("https://chatgpt.com/", &response_with(status, traits))
            else {
                continue;
            };
            let text = (b.text != status.to_string()).then_some(b.text);
            match rules.last_mut() {
                Some(r)
                    if r.traits == traits
                        && r.to + 1 == status
                        && r.text == text
                        && r.color == b.color =>
                {
                    r.to = status
                }
                _ => rules.push(EarlyBadgeRule {
                    from: status,
                    to: status,
                    traits,
                    text,
                    color: b.color,
                }),
            }
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the background does with the table (`earlyBadgeOf` in background/index.js).
    fn look_up(rules: &[EarlyBadgeRule], status: u16, traits: ResponseTraits) -> Option<Badge> {
        rules
            .iter()
            .find(|r| r.traits == traits && (r.from..=r.to).contains(&status))
            .map(|r| Badge {
                text: r.text.clone().unwrap_or_else(|| status.to_string()),
                color: r.color,
            })
    }

    /// The same traits written the ways real responses write them.
    fn spellings(status: u16, t: ResponseTraits) -> Vec<ResponseInfo> {
        let mut out = vec![response_with(status, t)];
        let mut r = response_with(status, t);
        if t.challenge {
            r.cf_mitigated = Some(" Challenge ".into());
        } else {
            r.cf_mitigated = Some("block".into()); // another value is no challenge
        }
        if t.cloudflare {
            r.server = None;
            r.cf_ray = Some("8a1b2c3d4e5f6789-AMS".into());
        } else {
            r.server = Some("nginx".into());
            r.cf_ray = Some("  ".into()); // an empty cf-ray says nothing
        }
        r.content_type = if t.html {
            Some("TEXT/HTML".into())
        } else {
            Some("application/json; charset=utf-8".into())
        };
        r.retry_after = Some("30".into());
        out.push(r);
        out
    }

    #[test]
    fn the_table_is_the_cores_answer_for_every_status_traits_spelling_and_page() {
        let rules = early_badge_rules();
        for traits in all_traits() {
            for status in STATUSES {
                let expected = look_up(&rules, status, traits);
                for response in spellings(status, traits) {
                    for url in [
                        "https://chatgpt.com/",
                        "https://chatgpt.com/c/0e1d2c3b-4a59-8687-b6c5-d4e3f2a1b0c9",
                        "https://chatgpt.com/g/g-abc/c/1",
                    ] {
                        assert_eq!(
                            early_badge_of(url, &response),
                            expected,
                            "{status} {traits:?} {response:?} at {url}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_table_names_what_the_headers_can_tell_and_is_small() {
        let rules = early_badge_rules();
        let plain = ResponseTraits {
            challenge: false,
            cloudflare: false,
            html: false,
        };
        let cf_html = ResponseTraits {
            cloudflare: true,
            html: true,
            ..plain
        };
        let challenge = ResponseTraits {
            challenge: true,
            ..plain
        };
        // Cloudflare's HTML 403: its block page, named before the body says 1020.
        assert!(look_up(&rules, 403, cf_html).is_some());
        assert!(look_up(&rules, 403, challenge).is_some());
        assert_eq!(
            look_up(&rules, 502, plain).map(|b| b.text),
            Some("502".into())
        );
        assert_eq!(look_up(&rules, 200, plain), None);
        assert_eq!(look_up(&rules, 404, plain), None);
        // A handful of ranges, not a row per status: the background reads it at every wake.
        assert!(rules.len() < 64, "{} rules", rules.len());
    }
}
