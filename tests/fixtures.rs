//! Every page fixture through the core, natively: the kind, code, Ray ID, retry delay and
//! quoted evidence each fixture's sidecar expects.

mod common;

use common::{load_fixtures, snapshot_of};
use error_doctor::page::kind::ErrorKind;
use error_doctor::recognise::classify::{classify, provisional};
use error_doctor::recognise::signatures::SIGNATURES;
use std::collections::BTreeSet;

#[test]
fn every_fixture_gives_its_expected_diagnosis() {
    let fixtures = load_fixtures();
    assert!(
        fixtures.len() >= 90,
        "fixtures went missing: {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        let d = classify(&snapshot_of(f));
        let e = &f.meta.expect;
        let mut wrong = Vec::new();
        if d.kind.id() != e.kind {
            wrong.push(format!(
                "kind {} (signature {:?}), want {}",
                d.kind.id(),
                d.signature,
                e.kind
            ));
        }
        if let Some(code) = &e.code {
            if d.code.as_deref() != Some(code.as_str()) {
                wrong.push(format!("code {:?}, want {code}", d.code));
            }
        }
        if let Some(ray) = &e.ray_id {
            if d.ray_id.as_deref() != Some(ray.as_str()) {
                wrong.push(format!("ray {:?}, want {ray}", d.ray_id));
            }
        }
        if let Some(secs) = e.retry_after_secs {
            if d.retry_after_secs != Some(secs) {
                wrong.push(format!("retry_after {:?}, want {secs}", d.retry_after_secs));
            }
        }
        if let Some(quote) = &e.evidence_contains {
            let folded = |s: &str| s.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
            let said = d
                .evidence
                .iter()
                .any(|ev| folded(&ev.text).contains(&folded(quote)))
                || d.message
                    .as_deref()
                    .is_some_and(|m| folded(m).contains(&folded(quote)));
            if !said {
                wrong.push(format!(
                    "evidence {:?} / message {:?} lacks {quote:?}",
                    d.evidence, d.message
                ));
            }
        }
        if d.page_changed != e.page_changed {
            wrong.push(format!(
                "page_changed {}, want {}",
                d.page_changed, e.page_changed
            ));
        }
        if e.kind == "none" && (d.code.is_some() || !d.evidence.is_empty()) {
            wrong.push(format!(
                "healthy page carries code {:?} evidence {:?}",
                d.code, d.evidence
            ));
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", f.name, wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) misread:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_signature_is_exercised_by_a_fixture() {
    // A row may match on the page, or (the rows for a body not yet read) on its response.
    let matched: BTreeSet<String> = load_fixtures()
        .iter()
        .flat_map(|f| {
            let page = snapshot_of(f);
            let early = provisional(&page.url, &page.response, None);
            [classify(&page).signature, early.signature]
        })
        .flatten()
        .collect();
    let unmatched: Vec<&str> = SIGNATURES
        .iter()
        .map(|s| s.id)
        .filter(|id| !matched.contains(*id))
        .collect();
    assert!(
        unmatched.is_empty(),
        "signatures no fixture matches: {unmatched:?}"
    );
}

/// The badge may light from the response's status and headers alone, before the page's body
/// is read; the page's own reading then refines it. Where that early reading names an error,
/// it is the page's error, but for the refinements listed here, each a page whose body alone
/// tells it apart from what its headers suggest.
#[test]
fn the_reading_from_headers_alone_names_the_pages_error_or_a_listed_refinement() {
    // (from headers, from the page): why the body is needed.
    const REFINED: &[(&str, &str, &str)] = &[
        // Cloudflare's challenges before 2023 came without `cf-mitigated: challenge`, as a 503
        // or a 403 like its block and gateway pages.
        (
            "server_unreachable",
            "cloudflare_challenge",
            "a 503 challenge of 2021-2022",
        ),
        (
            "cloudflare_blocked",
            "cloudflare_challenge",
            "a 403 challenge of 2022",
        ),
        // A plain-text 429 from Cloudflare is its 1015 only if the body says so.
        (
            "rate_limited",
            "cloudflare_rate_limited",
            "a plain-text 1015",
        ),
    ];
    let mut named = 0;
    let mut wrong = Vec::new();
    for f in load_fixtures() {
        let page = snapshot_of(&f);
        let early = provisional(&page.url, &page.response, None);
        if early.kind == ErrorKind::None {
            continue;
        }
        named += 1;
        let (from, to) = (early.kind.id(), f.meta.expect.kind.as_str());
        if from != to && !REFINED.iter().any(|(a, b, _)| (*a, *b) == (from, to)) {
            wrong.push(format!(
                "{}: headers say {from} ({:?}), the page {to}",
                f.name, early.signature
            ));
        }
    }
    assert!(
        named >= 30,
        "the headers named only {named} fixtures' errors"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_kind_has_a_fixture() {
    let kinds: BTreeSet<String> = load_fixtures()
        .iter()
        .map(|f| f.meta.expect.kind.clone())
        .collect();
    for kind in ErrorKind::ALL {
        assert!(
            kinds.contains(kind.id()),
            "no fixture expects {}",
            kind.id()
        );
    }
    for kind in &kinds {
        assert!(
            ErrorKind::from_id(kind).is_some(),
            "fixture expects unknown kind {kind}"
        );
    }
}

#[test]
fn both_domains_are_covered() {
    let fixtures = load_fixtures();
    for host in ["https://chatgpt.com/", "https://chat.openai.com/"] {
        assert!(
            fixtures.iter().any(|f| f.meta.url.starts_with(host)),
            "no fixture on {host}"
        );
    }
}

/// A limit notice in any language gives the same reset instant its English form would, so
/// the retry waits for it and the reset notification fires.
#[test]
fn localized_limit_notices_give_the_english_reset_time() {
    // 2026-11-23 12:00 UTC; the page's clock is UTC+1, so "15:27" is 147 minutes away.
    let now = 1_795_435_200_000.0;
    let english = error_doctor::PageSnapshot {
        now_ms: Some(now),
        utc_offset_minutes: Some(60),
        regions: vec![error_doctor::Region {
            kind: error_doctor::RegionKind::Alert,
            text: "You've reached the current usage cap for GPT-4, please try again after 3:27 PM."
                .into(),
        }],
        ..Default::default()
    };
    let want = classify(&english)
        .reset_at_ms
        .expect("the English reset time");
    assert_eq!((want - now) / 60_000.0, 147.0);
    let localized: Vec<_> = load_fixtures()
        .into_iter()
        .filter(|f| f.name.ends_with("-reset-time-inject"))
        .collect();
    assert!(
        localized.len() >= 15,
        "{} localized limit notices",
        localized.len()
    );
    for f in localized {
        let mut s = snapshot_of(&f);
        s.now_ms = Some(now);
        s.utc_offset_minutes = Some(60);
        let d = classify(&s);
        assert_eq!(d.reset_at_ms, Some(want), "{}: {:?}", f.name, d.message);
    }
}
