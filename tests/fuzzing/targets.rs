//! What is fuzzed, and what must hold for every input whatever a page held.
//!
//! One line per target: its name, the input it takes (a `Gen` method) and the call with its
//! checks. A new entry point of the core is one more line in `all()`.

use std::sync::OnceLock;

use chatgpt_doctor::classify::classify;
use chatgpt_doctor::diagnosis::{Diagnosis, EvidenceSource};
use chatgpt_doctor::presentation::{all_message_keys, badge, explain};
use chatgpt_doctor::snapshot::PageSnapshot;

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
        // Issue 4's entry points, once they exist (`Gen::status_summary` is ready for it):
        // target("status_summary", Gen::status_summary, |text| { parse_summary(text); }),
        // target("advise", |g| (g.diagnosis(), /* an AdviceContext from g */), |(d, c)| { advise(d, c); }),
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

fn message_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(all_message_keys)
}
