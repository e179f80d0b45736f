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
    if !is_chatgpt_url(page_url) {
        return None;
    }
    let settings = settings.clone().sanitized();
    if !settings.trace_endpoint.is_empty() {
        return Some(settings.trace_endpoint);
    }
    Some(format!("https://{}/cdn-cgi/trace", url_host(page_url)))
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
}
