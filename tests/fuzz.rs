//! The fuzz targets, briefly: a fixed seed and a fixed number of inputs per target, so every
//! `cargo test` runs the same inputs and a failure reproduces. `cargo xtask fuzz` runs the
//! same targets for minutes, optimised, from a new seed each time.

#[allow(dead_code)] // shared with `cargo xtask fuzz`, which uses other parts of it
mod fuzzing;

use std::time::Duration;

use error_doctor::page::kind::ErrorKind;
use error_doctor::page::snapshot::PageSnapshot;
use error_doctor::recognise::classify::classify;
use fuzzing::driver::{self, target, Plan, Stop};
use fuzzing::inputs::gen;
use fuzzing::strings::{Gen, HUGE_MAX_BYTES};
use fuzzing::targets;

const SEED: u64 = 0x00C0_FFEE_D0C7_0125;
/// 4 × 2 500 inputs: a few seconds unoptimised on an idle two-core machine.
const INPUTS_PER_TARGET: u64 = 2_500;
/// Generous: unoptimised, with the targets side by side on a shared machine, an input that
/// takes 40 ms alone was seen taking 1 s. A runaway scan of a multi-MB input takes far longer.
/// (`cargo xtask fuzz`, optimised, holds each input to 1 s.)
const BOUND: Duration = Duration::from_secs(10);

fn plan(inputs: u64) -> Plan {
    Plan {
        seed: SEED,
        stop: Stop::AfterInputs(inputs),
        bound: BOUND,
    }
}

#[test]
fn every_target_survives_adversarial_inputs() {
    // One thread per target: debug builds are slow, and the targets are independent.
    let reports: Vec<driver::Report> = std::thread::scope(|scope| {
        let runs: Vec<_> = targets::all()
            .into_iter()
            .map(|t| scope.spawn(move || driver::run(t.as_ref(), &plan(INPUTS_PER_TARGET))))
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("the driver catches panics"))
            .collect()
    });
    let mut failures = Vec::new();
    for report in &reports {
        println!("{}", report.summary());
        for f in &report.failures {
            failures.push(format!(
                "{}: input {:#018x}: {}\nreplay: cargo xtask fuzz --target {} --replay {:#018x}\ninput: {}",
                report.target, f.seed, f.what, report.target, f.seed, f.input
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn an_empty_snapshot_is_healthy() {
    assert_eq!(classify(&PageSnapshot::default()).kind, ErrorKind::None);
}

// The fuzzer itself: it must be able to fail, and to make what it claims to make.

#[test]
fn a_panicking_target_is_reported_with_its_input() {
    let t = target("panics", Gen::snapshot, |s| {
        assert!(s.regions.len() < 3, "too many regions");
    });
    let report = driver::run(t.as_ref(), &plan(200));
    let failure = report.failures.first().expect("the panic is reported");
    assert!(
        failure.what.contains("too many regions"),
        "{}",
        failure.what
    );
    // The input is the snapshot itself (long ones are cut, so its regions may be past the
    // cut: the table's phrases make long titles).
    assert!(
        failure.input.starts_with("PageSnapshot {"),
        "{}",
        failure.input
    );
    assert_eq!(
        t.describe(failure.seed),
        failure.input,
        "an input replays from its seed"
    );
}

#[test]
fn a_slow_input_fails_the_bound() {
    let t = target("slow", Gen::snapshot, |_| {
        std::thread::sleep(Duration::from_millis(20))
    });
    let report = driver::run(
        t.as_ref(),
        &Plan {
            bound: Duration::from_millis(5),
            ..plan(3)
        },
    );
    assert!(!report.failures.is_empty());
    assert!(report.failures[0].what.contains("took"));
    assert!(report.slowest >= Duration::from_millis(20));
}

#[test]
fn the_same_seed_makes_the_same_input() {
    for seed in 0..50 {
        let a = format!("{:?}", gen(seed).snapshot());
        let b = format!("{:?}", gen(seed).snapshot());
        assert_eq!(a, b);
    }
    assert_ne!(
        format!("{:?}", gen(1).snapshot()),
        format!("{:?}", gen(2).snapshot())
    );
}

#[test]
fn the_generator_makes_every_kind_of_trouble() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..3_000 {
        let text = gen(seed).text();
        let mut has = |what: &'static str, yes: bool| {
            if yes {
                seen.insert(what);
            }
        };
        has("empty", text.is_empty());
        has("U+FFFD from bad bytes", text.contains('\u{fffd}'));
        has("NUL", text.contains('\0'));
        has("right-to-left override", text.contains('\u{202e}'));
        has("zero-width space", text.contains('\u{200b}'));
        has("combining mark", text.contains('\u{0301}'));
        has("full-width digit", text.contains('１'));
        has("Arabic-Indic digit", text.contains('٣'));
        has("astral char", text.chars().any(|c| c as u32 > 0xFFFF));
        has("deep nesting", text.contains(&"<div>".repeat(1000)));
        has("script tag", text.contains("<script>"));
        has("Ray-ID-like", text.contains("Ray ID"));
        has("code-like", text.contains("Error code"));
        has("JSON-like", text.contains("{\""));
        has("clock time", text.contains("try again after"));
        has("look-alike letter", text.contains('а'));
    }
    assert_eq!(
        seen.len(),
        16,
        "only {seen:?} among 3 000 texts: a generator change lost a kind"
    );
    // Huge strings are rare (each costs), so look for one among more texts.
    assert!(
        (3_000..30_000).any(|seed| gen(seed).text().len() > HUGE_MAX_BYTES / 4),
        "no huge text among 27 000"
    );
}

#[test]
fn status_summaries_are_mostly_json() {
    let parsed = (0..500)
        .filter(|&seed| {
            serde_json::from_str::<serde_json::Value>(&gen(seed).status_summary()).is_ok()
        })
        .count();
    assert!(
        parsed > 100,
        "{parsed} of 500 parse: too few reach a parser's depths"
    );
}
