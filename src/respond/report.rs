//! The support report the person copies, and the addresses the actions open. The report
//! says what support asks for (kind, code, Ray ID, status, time, page, browser, versions,
//! OpenAI's status) and nothing private: no cookies, tokens, conversation text or ids.

use serde::{Deserialize, Serialize};

use crate::page::diagnosis::{Diagnosis, EvidenceSource};
use crate::page::snapshot::{url_host, url_path};
use crate::plans::retry::{RetryOutcome, RetryResult};
use crate::plans::status::{OpenAiStatus, ServiceState};
use crate::plans::trace::Trace;
use crate::respond::verdict::{self, VerdictInput};

pub const STATUS_PAGE_URL: &str = "https://status.openai.com/";
pub const HELP_CENTER_URL: &str = "https://help.openai.com/";

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportContext {
    pub page_url: String,
    pub user_agent: String,
    pub extension_version: String,
    pub status: Option<OpenAiStatus>,
    pub now_ms: f64,
    /// Reloads the extension has made for this error so far.
    pub retry_attempts: Option<u32>,
    /// How the tab's last retry run ended (its reloads, and whether it started by itself).
    pub retry_result: Option<RetryResult>,
    /// Cloudflare's status, the browser's online state and Cloudflare's trace, for the
    /// verdict (the trace's country and data centre are reported, its IP never read).
    pub cloudflare: Option<OpenAiStatus>,
    pub online: Option<bool>,
    pub trace: Option<Trace>,
    /// As the verdict takes them (`VerdictInput`).
    pub challenge_repeated: bool,
    pub checks_off: bool,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Links {
    /// The login page on the tab's own host.
    pub login: String,
    /// A new chat on the tab's own host.
    pub new_chat: String,
    pub status_page: &'static str,
    pub help_center: &'static str,
}

pub fn links(page_url: &str) -> Links {
    let host = match url_host(page_url) {
        "chat.openai.com" => "chat.openai.com",
        _ => "chatgpt.com",
    };
    Links {
        login: format!("https://{host}/auth/login"),
        new_chat: format!("https://{host}/"),
        status_page: STATUS_PAGE_URL,
        help_center: HELP_CENTER_URL,
    }
}

/// "Chrome 156.0.8078.73", "Firefox 153.0", from the user agent.
pub fn browser_name(user_agent: &str) -> String {
    // A real user agent is a few hundred characters: whatever a stored value holds beyond
    // that is not read (a huge one would only cost time).
    const UA_CHARS: usize = 1024;
    let user_agent = match user_agent.char_indices().nth(UA_CHARS) {
        Some((cut, _)) => &user_agent[..cut],
        None => user_agent,
    };
    let version_after = |token: &str| {
        user_agent.split_whitespace().find_map(|part| {
            let v = part.strip_prefix(token)?;
            let v: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            (!v.is_empty()).then_some(v)
        })
    };
    for (token, name) in [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Chrome/", "Chrome"),
    ] {
        if let Some(v) = version_after(token) {
            return format!("{name} {v}");
        }
    }
    "unknown browser".to_string()
}

/// The page's host and path, with anything that names a conversation, a GPT or a share link
/// replaced: support needs to know the kind of page, not which one.
pub fn redacted_page(url: &str) -> String {
    let host = url_host(url);
    let segments: Vec<String> = url_path(url)
        .split('/')
        .map(|seg| {
            let idish = seg.len() >= 12
                && seg.chars().any(|c| c.is_ascii_digit())
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if idish {
                "…".to_string()
            } else {
                seg.chars().take(40).collect()
            }
        })
        .collect();
    format!("{host}{}", segments.join("/"))
}

/// Text quoted from the page, without anything shaped like a secret.
fn scrubbed(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            let long_token = w.len() >= 24
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.=+/".contains(c));
            let email = w.contains('@') && w.contains('.');
            if long_token || email {
                "[removed]".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &joined[..i]),
        None => joined,
    }
}

/// "2026-11-23 14:03:12 UTC".
pub fn utc_time(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "unknown".to_string();
    }
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn state_name(s: ServiceState) -> &'static str {
    match s {
        ServiceState::Unknown => "unknown",
        ServiceState::Operational => "operational",
        ServiceState::Maintenance => "under maintenance",
        ServiceState::Degraded => "degraded performance",
        ServiceState::PartialOutage => "partial outage",
        ServiceState::MajorOutage => "major outage",
    }
}

/// The report, in English (support reads English), one fact per line.
pub fn support_report(d: &Diagnosis, ctx: &ReportContext) -> String {
    let mut lines = vec!["ChatGPT error report (Error Doctor for ChatGPT)".to_string()];
    // One fact per line whatever a stored value holds: no line breaks get through.
    let mut line = |label: &str, value: Option<String>| {
        let value = value.map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "));
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    };
    line("Error", Some(d.kind.id().to_string()));
    line("Error code", d.code.as_deref().map(scrubbed));
    line("Ray ID", d.ray_id.as_deref().map(scrubbed));
    line("HTTP status", d.http_status.map(|s| s.to_string()));
    line(
        "Page changed",
        d.page_changed.then(|| {
            "ChatGPT's page has changed: errors in the chat may be missed; full-page errors are \
             still recognised"
                .to_string()
        }),
    );
    let message = d.message.clone().or_else(|| {
        d.evidence
            .iter()
            .find(|e| e.source == EvidenceSource::Message)
            .map(|e| e.text.clone())
    });
    line("Message", message.map(|m| format!("\"{}\"", scrubbed(&m))));
    line("Time", Some(utc_time(ctx.now_ms)));
    line("Page", Some(scrubbed(&redacted_page(&ctx.page_url))));
    line("Browser", Some(browser_name(&ctx.user_agent)));
    line(
        "Extension",
        Some(format!("Error Doctor {}", scrubbed(&ctx.extension_version))),
    );
    line(
        "OpenAI status",
        Some(match &ctx.status {
            Some(s) if s.state != ServiceState::Unknown => {
                let mut v = state_name(s.state).to_string();
                if let Some(i) = s.incidents.first() {
                    v.push_str(&format!(" (\"{}\")", scrubbed(&i.name)));
                }
                v
            }
            _ => "unknown".to_string(),
        }),
    );
    let v = verdict::decide(&VerdictInput {
        diagnosis: d.clone(),
        openai: ctx.status.clone(),
        cloudflare: ctx.cloudflare.clone(),
        online: ctx.online,
        trace: ctx.trace.clone(),
        user_agent: Some(ctx.user_agent.clone()),
        challenge_repeated: ctx.challenge_repeated,
        checks_off: ctx.checks_off,
    });
    if d.kind.is_error() {
        line("Whose problem", Some(v.party.id().to_string()));
        line(
            "Evidence",
            Some(
                v.evidence
                    .iter()
                    .map(|e| {
                        let what = e.key.trim_start_matches("verdict_ev_").replace('_', " ");
                        match &e.value {
                            Some(value) => format!("{what} ({})", scrubbed(value)),
                            None => what,
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        );
    }
    line(
        "Cloudflare status",
        ctx.cloudflare
            .as_ref()
            .map(|s| state_name(s.state).to_string()),
    );
    if let Some(t) = &ctx.trace {
        // The country and data centre support asks for; never the IP address.
        line("Country (Cloudflare)", t.loc.clone());
        line("Data center (Cloudflare)", t.colo.clone());
        line("Cloudflare WARP", t.warp.then(|| "on".to_string()));
    }
    line(
        "Automatic retries",
        ctx.retry_attempts.filter(|n| *n > 0).map(|n| n.to_string()),
    );
    line(
        "Last retry run",
        ctx.retry_result.as_ref().map(|r| {
            let how = match r.outcome {
                RetryOutcome::Recovered => "recovered",
                RetryOutcome::GaveUp => "gave up",
                RetryOutcome::Cancelled => "cancelled",
                RetryOutcome::NotRetryable => "stopped (not retryable)",
                RetryOutcome::PromptUnsaved => "stopped (the unsent prompt could not be saved)",
            };
            let by_itself = if r.hands_free { " by itself" } else { "" };
            format!("{} reloads{by_itself}, {how}", r.reloads)
        }),
    );
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::diagnosis::Evidence;
    use crate::page::kind::ErrorKind;

    #[test]
    fn the_report_has_what_support_asks_for_and_nothing_private() {
        let d = Diagnosis {
            kind: ErrorKind::CloudflareBlocked,
            code: Some("1020".into()),
            ray_id: Some("098bbee16ca5e960".into()),
            http_status: Some(403),
            message: Some(
                "Access denied. Token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig me@example.com"
                    .into(),
            ),
            evidence: vec![Evidence {
                source: EvidenceSource::Message,
                text: "Access denied".into(),
            }],
            ..Diagnosis::default()
        };
        let ctx = ReportContext {
            page_url: "https://chatgpt.com/c/6790a1b2-0c3d-8000-9e4f-123456789abc?model=gpt-4o#x".into(),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36".into(),
            extension_version: "0.1.0".into(),
            status: None,
            now_ms: 1_795_442_592_000.0,
            retry_attempts: Some(2),
            retry_result: Some(RetryResult {
                outcome: RetryOutcome::Recovered,
                reloads: 3,
                hands_free: true,
                at_ms: 0.0,
            }),
            cloudflare: Some(OpenAiStatus {
                state: ServiceState::Operational,
                ..OpenAiStatus::default()
            }),
            online: Some(true),
            trace: Some(crate::plans::trace::parse_trace(
                "fl=1\nip=198.51.100.23\nloc=DE\ncolo=FRA\nwarp=on\n",
            )),
            ..ReportContext::default()
        };
        let r = support_report(&d, &ctx);
        for want in [
            "Error: cloudflare_blocked",
            "Error code: 1020",
            "Ray ID: 098bbee16ca5e960",
            "HTTP status: 403",
            "Time: 2026-11-23 ",
            "Page: chatgpt.com/c/…",
            "Browser: Chrome 156.0.8078.73",
            "Extension: Error Doctor 0.1.0",
            "OpenAI status: unknown",
            "Automatic retries: 2",
            "Last retry run: 3 reloads by itself, recovered",
            "Whose problem: network",
            "Evidence: block on ip (1020); warp; openai silent; cloudflare calm",
            "Cloudflare status: operational",
            "Country (Cloudflare): DE",
            "Data center (Cloudflare): FRA",
            "Cloudflare WARP: on",
        ] {
            assert!(r.contains(want), "{want} not in\n{r}");
        }
        for secret in [
            "eyJhbGci",
            "me@example.com",
            "6790a1b2",
            "gpt-4o",
            "198.51.100.23",
        ] {
            assert!(!r.contains(secret), "{secret} leaked into\n{r}");
        }
    }

    #[test]
    fn only_the_start_of_a_user_agent_is_read() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.8078.73 Safari/537.36";
        let padded = format!("{chrome} {}", "x".repeat(2_000_000));
        assert_eq!(browser_name(&padded), "Chrome 156.0.8078.73");
        // A token past what a real user agent holds is not looked for.
        let late = format!("{} Firefox/153.0", "y ".repeat(600));
        assert_eq!(browser_name(&late), "unknown browser");
    }

    #[test]
    fn utc_times_and_browsers() {
        assert_eq!(utc_time(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_time(951_782_400_000.0), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_time(f64::NAN), "unknown");
        assert_eq!(
            browser_name("Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"),
            "Firefox 153.0"
        );
        assert_eq!(browser_name(""), "unknown browser");
    }

    #[test]
    fn login_stays_on_the_tab_s_host() {
        assert_eq!(
            links("https://chat.openai.com/c/x").login,
            "https://chat.openai.com/auth/login"
        );
        assert_eq!(
            links("https://chatgpt.com/").login,
            "https://chatgpt.com/auth/login"
        );
        assert_eq!(links("garbage").login, "https://chatgpt.com/auth/login");
        assert_eq!(redacted_page("https://chatgpt.com"), "chatgpt.com/");
    }
}
