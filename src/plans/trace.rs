//! Cloudflare's trace of this connection (`/cdn-cgi/trace` on the ChatGPT host the tab is
//! on): plain `key=value` lines (`fl`, `h`, `ip`, `ts`, `visit_scheme`, `uag`, `colo`,
//! `sliver`, `http`, `loc`, `tls`, `sni`, `warp`, `gateway`, `rbi`, `kex`). Only what the
//! verdict and the report need is kept; the IP address is never read into it, so it can
//! never be stored, shown or reported. Garbage gives an empty trace, never an error.

use serde::{Deserialize, Serialize};

use crate::page::kind::ErrorKind;
use crate::page::snapshot::{is_chatgpt_url, url_host};
use crate::plans::settings::Settings;

/// A real trace is about 300 bytes; anything much longer is not one.
const MAX_BODY_BYTES: usize = 4 * 1024;
/// A trace read this recently is reused, and counts for a tab's card and verdict; an older
/// one may describe a connection (a VPN, a network) the browser has left since.
pub const TRACE_FRESH_MS: f64 = 60_000.0;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Trace {
    /// The country Cloudflare places the connection in (ISO 3166 alpha-2; `T1` is Tor,
    /// `XX` unknown).
    pub loc: Option<String>,
    /// The Cloudflare data centre that answered (IATA code such as `FRA`).
    pub colo: Option<String>,
    /// Cloudflare's own VPN (WARP) carries the connection (`on` or `plus`).
    pub warp: bool,
    /// Cloudflare's Zero Trust gateway (an organisation's filter) carries it.
    pub gateway: bool,
    /// Cloudflare's remote browser isolation renders the page.
    pub rbi: bool,
    /// The user agent Cloudflare received.
    pub uag: Option<String>,
}

impl Trace {
    pub fn is_empty(&self) -> bool {
        self.loc.is_none() && self.colo.is_none()
    }
}

/// The errors whose verdict the trace can change: the ones Cloudflare or OpenAI decided on
/// the connection (its country, a VPN). Nothing else ever reads it.
pub fn wants_trace(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::CloudflareBlocked
            | ErrorKind::CloudflareRateLimited
            | ErrorKind::CloudflareChallenge
            | ErrorKind::UnusualActivity
    )
}

/// Where to read the trace of a tab showing `page_url`: `/cdn-cgi/trace` on the tab's own
/// ChatGPT host (that host's connection is the one in question), or in the tests' build
/// their local server; nothing for any other page.
pub fn trace_url(page_url: &str, settings: &Settings) -> Option<String> {
    let settings = settings.clone().sanitized();
    // The one switch for every request outside ChatGPT (both status pages and this one).
    if !is_chatgpt_url(page_url) || !settings.status_checks {
        return None;
    }
    if !settings.trace_endpoint.is_empty() {
        return Some(settings.trace_endpoint);
    }
    Some(format!("https://{}/cdn-cgi/trace", url_host(page_url)))
}

/// A stored reading of the trace: where it was read from, when, and what it said.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct TraceReading {
    pub url: String,
    pub at: f64,
    pub trace: Option<Trace>,
}

/// The stored trace, when it describes the connection of a tab showing `page_url` whose
/// document came with the `cf-ray` header `cf_ray`, at `now_ms`: read from that tab's host
/// (as `trace_url` says), within `TRACE_FRESH_MS`, and, when both tell, through the same
/// Cloudflare data centre as the document (another one is another path). Else none.
pub fn trace_for_tab(
    reading: &TraceReading,
    page_url: &str,
    cf_ray: Option<&str>,
    settings: &Settings,
    now_ms: f64,
) -> Option<Trace> {
    let trace = reading.trace.as_ref()?;
    if trace_url(page_url, settings).as_deref() != Some(reading.url.as_str()) {
        return None;
    }
    let age = now_ms - reading.at;
    if !(0.0..TRACE_FRESH_MS).contains(&age) {
        return None;
    }
    let ray_colo = cf_ray
        .and_then(|r| r.trim().rsplit_once('-'))
        .map(|(_, colo)| colo.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    match (ray_colo, trace.colo.as_deref()) {
        (Some(a), Some(b)) if a != b => None,
        _ => Some(trace.clone()),
    }
}

/// A short code of ASCII letters and digits, upper-cased; anything else is no value.
fn code(value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.len() <= max && v.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| v.to_ascii_uppercase())
}

fn flag(value: &str) -> bool {
    matches!(value.trim(), "on" | "plus")
}

/// The trace's text → what it says; anything that is not a trace gives an empty one.
pub fn parse_trace(body: &str) -> Trace {
    let mut t = Trace::default();
    if body.len() > MAX_BODY_BYTES {
        return t;
    }
    for line in body.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match key.trim() {
            "loc" => t.loc = code(value, 2),
            "colo" => t.colo = code(value, 4),
            "warp" => t.warp = flag(value),
            "gateway" => t.gateway = flag(value),
            "rbi" => t.rbi = flag(value),
            "uag" => {
                let v = value.trim();
                t.uag = (!v.is_empty() && v.len() <= 512).then(|| v.to_string());
            }
            // `ip` above all is never read.
            _ => {}
        }
    }
    if t.is_empty() {
        // Without a country or a data centre it was not Cloudflare's trace: the flags of
        // some other text mean nothing.
        return Trace::default();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "fl=29f98\nh=chatgpt.com\nip=203.0.113.7\nts=1795442592.123\nvisit_scheme=https\nuag=Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0\ncolo=FRA\nsliver=none\nhttp=http/2\nloc=DE\ntls=TLSv1.3\nsni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n";

    #[test]
    fn a_real_trace_gives_country_colo_and_flags_never_the_ip() {
        let t = parse_trace(REAL);
        assert_eq!(t.loc.as_deref(), Some("DE"));
        assert_eq!(t.colo.as_deref(), Some("FRA"));
        assert!(!t.warp && !t.gateway && !t.rbi);
        assert_eq!(
            t.uag.as_deref(),
            Some("Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
        );
        let json = serde_json::to_string(&t).unwrap();
        assert!(!json.contains("203.0.113.7"), "{json}");
        let warp = parse_trace(&REAL.replace("warp=off", "warp=plus"));
        assert!(warp.warp);
        assert!(parse_trace(&REAL.replace("gateway=off", "gateway=on")).gateway);
        assert!(parse_trace("loc=cn\r\ncolo=hkg\r\n").loc.as_deref() == Some("CN"));
    }

    #[test]
    fn the_trace_is_read_from_the_tab_s_host_for_blocks_and_challenges_only() {
        let s = Settings::default();
        assert_eq!(
            trace_url("https://chat.openai.com/c/abc", &s).as_deref(),
            Some("https://chat.openai.com/cdn-cgi/trace")
        );
        assert_eq!(
            trace_url("https://chatgpt.com/", &s).as_deref(),
            Some("https://chatgpt.com/cdn-cgi/trace")
        );
        for page in [
            "https://evil.example/",
            "http://chatgpt.com/",
            "about:blank",
            "",
        ] {
            assert_eq!(trace_url(page, &s), None, "{page}");
        }
        assert!(wants_trace(ErrorKind::CloudflareChallenge));
        assert!(wants_trace(ErrorKind::CloudflareBlocked));
        assert!(!wants_trace(ErrorKind::ServerError));
        assert!(!wants_trace(ErrorKind::None));
    }

    #[test]
    fn garbage_is_an_empty_trace() {
        for body in [
            "",
            "<html>403 Forbidden</html>",
            "warp=on\ngateway=on",
            "loc=<script>\ncolo=../../",
            "loc=DEU\ncolo=FRANKFURT",
            "=\n==\nloc",
        ] {
            assert_eq!(parse_trace(body), Trace::default(), "{body}");
        }
        assert_eq!(parse_trace(&"loc=DE\n".repeat(2_000)), Trace::default());
    }

    #[test]
    fn only_a_fresh_trace_of_the_tab_s_own_connection_counts() {
        let settings = Settings::default();
        let page = "https://chatgpt.com/c/1";
        let reading = TraceReading {
            url: "https://chatgpt.com/cdn-cgi/trace".into(),
            at: 1_000.0,
            trace: Some(parse_trace("loc=DE\ncolo=FRA\nwarp=on\n")),
        };
        let ray = Some("8a1b2c3d4e5f6789-FRA");
        assert!(trace_for_tab(&reading, page, ray, &settings, 2_000.0).is_some());
        assert!(trace_for_tab(&reading, page, None, &settings, 2_000.0).is_some());
        // Stale, from the future, from another host, through another data centre.
        assert!(trace_for_tab(&reading, page, ray, &settings, 1_000.0 + TRACE_FRESH_MS).is_none());
        assert!(trace_for_tab(&reading, page, ray, &settings, 0.0).is_none());
        assert!(trace_for_tab(
            &reading,
            "https://chat.openai.com/",
            ray,
            &settings,
            2_000.0
        )
        .is_none());
        assert!(trace_for_tab(
            &reading,
            page,
            Some("8a1b2c3d4e5f6789-AMS"),
            &settings,
            2_000.0
        )
        .is_none());
        assert!(trace_for_tab(&TraceReading::default(), page, ray, &settings, 2_000.0).is_none());
    }

    #[test]
    fn the_checks_switch_governs_the_trace_too() {
        let off = Settings {
            status_checks: false,
            ..Settings::default()
        };
        assert_eq!(trace_url("https://chatgpt.com/c/1", &off), None);
        assert!(trace_url("https://chatgpt.com/c/1", &Settings::default()).is_some());
        let reading = TraceReading {
            url: "https://chatgpt.com/cdn-cgi/trace".into(),
            at: 0.0,
            trace: Some(parse_trace("loc=DE\ncolo=FRA\n")),
        };
        assert!(trace_for_tab(&reading, "https://chatgpt.com/", None, &off, 1.0).is_none());
    }
}
