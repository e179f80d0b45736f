//! What is fuzzed, and what must hold for every input whatever a page held.
//!
//! One line per target: its name, the input it takes (a `Gen` method) and the call with its
//! checks. A new entry point of the core is one more line in `all()`.

use std::sync::OnceLock;

use error_doctor::page::diagnosis::{Diagnosis, EvidenceSource};
use error_doctor::page::snapshot::PageSnapshot;
use error_doctor::plans::retry::{self, RetryCommand, RetryInput};
use error_doctor::plans::retry_budget::{self, WaitingRun};
use error_doctor::plans::site_data::cookies_to_remove;
use error_doctor::plans::status::{parse_summary, ServiceState};
use error_doctor::recognise::classify::classify;
use error_doctor::respond::advice::advise;
use error_doctor::respond::presentation::{all_message_keys, badge, explain};
use error_doctor::respond::report::support_report;

use super::driver::{target, Fuzz};
use super::strings::Gen;

pub fn all() -> Vec<Box<dyn Fuzz>> {
    vec![
        target("classify", Gen::snapshot, |s| {
            check_diagnosis(s, &classify(s))
        }),
        target("snapshot_json", Gen::snapshot_json, |bytes| {
            // What the WebAssembly boundary does with what the content script sends.
            if let Ok(s) = serde_json::from_slice::<PageSnapshot>(&bytes.0) {
                check_diagnosis(&s, &classify(&s));
            }
        }),
        target("badge_explain", Gen::diagnosis, check_presentation),
        target("diagnosis_json", Gen::diagnosis_json, |bytes| {
            // What the badge and the popup do with a diagnosis read back from storage.
            if let Ok(d) = serde_json::from_slice::<Diagnosis>(&bytes.0) {
                check_presentation(&d);
            }
        }),
        target("status_summary", Gen::status_summary, |text| {
            let s = parse_summary(text);
            assert!(s.components.len() <= 12 && s.incidents.len() <= 5);
            assert!(s
                .components
                .iter()
                .all(|c| c.state != ServiceState::Operational));
            for i in &s.incidents {
                assert!(i.url.as_deref().is_none_or(|u| u.starts_with("https://")));
            }
        }),
        target("advise", Gen::advice_input, |(d, ctx)| {
            let a = advise(d, ctx);
            // A healthy page offers only what is left over: a saved prompt, a stale retry.
            let nothing_left = !ctx.draft_saved && ctx.retry.is_none();
            assert_eq!(a.actions.is_empty(), !d.kind.is_error() && nothing_left);
            assert!(a.actions.first().is_none_or(|first| !first.more));
            let known = advice_keys();
            for key in a
                .actions
                .iter()
                .flat_map(|x| [x.label, x.reason])
                .chain(a.hints)
            {
                assert!(
                    known.contains(&key),
                    "advise gave {key:?}, which no locale defines"
                );
            }
        }),
        target("retry_walk", Gen::retry_walk, |walk| {
            let mut run = None;
            for input in &walk.steps {
                let command = retry::step(&RetryInput {
                    run: run.clone(),
                    ..input.clone()
                });
                if let (RetryCommand::Reload { .. }, Some(before)) = (&command, &run) {
                    // A reload keeps the shared budget: this tab's slot had come.
                    let mut waiting: Vec<WaitingRun> = retry::waiting_runs(&input.other_runs)
                        .into_iter()
                        .filter(|w| w.tab_id != input.tab_id)
                        .collect();
                    waiting.push(WaitingRun {
                        tab_id: input.tab_id,
                        due_at_ms: before.due_at_ms,
                    });
                    let slot = retry_budget::plan(&waiting, &input.recent_reloads_ms, input.now_ms)
                        .into_iter()
                        .find(|p| p.tab_id == input.tab_id)
                        .map_or(input.now_ms, |p| p.at_ms);
                    assert!(
                        slot <= input.now_ms + retry::EARLY_TOLERANCE_MS
                            || !input.now_ms.is_finite(),
                        "reload at {} before its slot {slot}",
                        input.now_ms
                    );
                }
                match command {
                    RetryCommand::Schedule { run: next } | RetryCommand::Reload { run: next } => {
                        assert!(next.attempt <= walk.settings.max_attempts, "{next:?}");
                        assert!(
                            next.due_at_ms.is_finite() && next.wait_ms >= 0.0,
                            "{next:?}"
                        );
                        run = Some(next);
                    }
                    RetryCommand::Stop { .. } => run = None,
                    RetryCommand::Keep | RetryCommand::ReloadOnce => {}
                }
            }
        }),
        target("support_report", Gen::report_input, |(d, ctx)| {
            let r = support_report(d, ctx);
            // 16 lines of the page and the browser, 6 of the verdict and Cloudflare's trace.
            assert!(r.starts_with("ChatGPT error report") && r.lines().count() <= 22);
            // The trace's IP address never reaches the report.
            assert!(!r.contains("203.0.113.9"), "{r}");
        }),
        target("settings", Gen::stored_settings, |stored| {
            let s = error_doctor::plans::settings::Settings::from_stored(stored);
            assert!((1..=30).contains(&s.max_attempts), "{s:?}");
            assert!(error_doctor::plans::settings::status_endpoint_allowed(
                &s.status_endpoint
            ));
        }),
        target("cookies", Gen::cookie_jar, |(tier, jar)| {
            for r in cookies_to_remove(*tier, jar) {
                let host = r
                    .url
                    .trim_start_matches("https://")
                    .split('/')
                    .next()
                    .unwrap_or("");
                assert!(
                    ["chatgpt.com", "openai.com"]
                        .iter()
                        .any(|d| host == *d || host.ends_with(&format!(".{d}"))),
                    "{tier:?} would remove a cookie of {host:?}"
                );
            }
        }),
    ]
}

/// Longest text the core may quote from a page: evidence is quoted, never dumped.
const MAX_QUOTE_CHARS: usize = 1000;

/// What a diagnosis of any snapshot satisfies.
fn check_diagnosis(s: &PageSnapshot, d: &Diagnosis) {
    for e in &d.evidence {
        let n = e.text.chars().count();
        assert!(n <= MAX_QUOTE_CHARS, "evidence of {n} chars");
    }
    if let Some(m) = &d.message {
        let n = m.chars().count();
        assert!(n <= MAX_QUOTE_CHARS, "message of {n} chars");
    }
    // The popup shows these as facts: they must be what they claim to be, never page text.
    if let Some(ray) = &d.ray_id {
        assert!(
            ray.len() == 16
                && ray
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "Ray ID {ray:?} is not 16 lower-case hex digits"
        );
    }
    if let Some(code) = &d.code {
        assert!(code.chars().count() <= 64, "code {code:?} is long");
        // A page's own code is digits or a token of the table; only the browser's navigation
        // error (which no page writes) is passed on as the browser said it.
        let browser_said = d
            .evidence
            .iter()
            .any(|e| e.source == EvidenceSource::Navigation);
        assert!(
            browser_said || code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "code {code:?} is neither a number nor a token"
        );
    }
    assert_eq!(
        d.http_status, s.response.status,
        "the status is passed on as it came"
    );
    if d.kind.is_error() {
        assert!(d.signature.is_some(), "an error names the row that matched");
    } else {
        assert!(
            d.evidence.is_empty() && d.code.is_none() && d.ray_id.is_none(),
            "a healthy page has nothing to show: {d:?}"
        );
    }
    // A real clock gives a real reset time.
    if s.now_ms
        .is_some_and(|now| now.is_finite() && now.abs() <= 8.64e15)
    {
        assert!(
            d.reset_at_ms.is_none_or(f64::is_finite),
            "reset time {:?} from now {:?}",
            d.reset_at_ms,
            s.now_ms
        );
    }
    // The background stores it and the popup reads it back.
    let json = serde_json::to_string(d).expect("a diagnosis serializes");
    let back: Diagnosis = serde_json::from_str(&json).expect("a stored diagnosis reads back");
    assert_eq!(back.kind, d.kind);
    check_presentation(d);
}

/// What the badge and the popup make of any diagnosis, even one no core would make.
fn check_presentation(d: &Diagnosis) {
    let b = badge(d);
    assert!(
        b.text.chars().count() <= 4,
        "badge {:?} is too long",
        b.text
    );
    assert!(
        b.text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '!'),
        "badge {:?} shows something other than a code or a word of ours",
        b.text
    );
    assert_eq!(b.text.is_empty(), !d.kind.is_error(), "badge {:?}", b.text);
    assert!(
        b.color.len() == 7
            && b.color.starts_with('#')
            && b.color[1..].bytes().all(|c| c.is_ascii_hexdigit()),
        "badge colour {:?}",
        b.color
    );
    let e = explain(d);
    let known = message_keys();
    for key in [e.title, e.summary].into_iter().chain(e.causes) {
        assert!(
            known.contains(&key),
            "explain gave {key:?}, which no locale defines"
        );
    }
}

fn advice_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(error_doctor::respond::advice::all_message_keys)
}

fn message_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(all_message_keys)
}
