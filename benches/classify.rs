//! How long `classify` takes natively, per page fixture: `cargo bench --bench classify`.
//!
//! Each fixture goes through the same native sensor as `cargo test` (tests/common), once,
//! untimed; then `classify` on that snapshot is timed in SAMPLES samples, each a batch of
//! calls long enough (≈ SAMPLE_TARGET) for the clock's resolution not to matter. A sample's
//! value is its batch time divided by the calls in it. Built with the bench profile, which
//! inherits the release profile's optimisation settings (the ones the shipped WebAssembly
//! is built with).
//!
//! `-- --json PATH` writes every sample there instead of printing a table, for
//! `cargo xtask bench`:
//! `{"fixtures": [{"name", "calls_per_sample", "ns_per_call": [..]}]}`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use error_doctor::{classify, PageSnapshot};

// Many short samples: on a shared machine some land between other processes' time slices.
const SAMPLES: usize = 31;
const SAMPLE_TARGET: Duration = Duration::from_millis(1);

struct Measured {
    name: String,
    calls_per_sample: u32,
    ns_per_call: Vec<f64>,
}

/// Doubles the batch until one batch takes SAMPLE_TARGET (this also warms caches up).
fn calls_per_sample(snapshot: &PageSnapshot) -> u32 {
    let mut calls = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..calls {
            black_box(classify(black_box(snapshot)));
        }
        if start.elapsed() >= SAMPLE_TARGET || calls >= 1 << 20 {
            return calls;
        }
        calls *= 2;
    }
}

fn measure(name: String, snapshot: &PageSnapshot) -> Measured {
    let calls = calls_per_sample(snapshot);
    let ns_per_call = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                black_box(classify(black_box(snapshot)));
            }
            start.elapsed().as_nanos() as f64 / f64::from(calls)
        })
        .collect();
    Measured {
        name,
        calls_per_sample: calls,
        ns_per_call,
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn to_json(results: &[Measured]) -> String {
    let fixtures: Vec<serde_json::Value> = results
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name,
                "calls_per_sample": m.calls_per_sample,
                "ns_per_call": m.ns_per_call,
            })
        })
        .collect();
    serde_json::json!({ "fixtures": fixtures }).to_string()
}

fn main() {
    // cargo passes `--bench` to every bench binary; only `--json PATH` is ours.
    let args: Vec<String> = std::env::args().collect();
    let json_path = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1));

    let results: Vec<Measured> = common::load_fixtures()
        .iter()
        .map(|f| measure(f.name.clone(), &common::snapshot_of(f)))
        .collect();

    if let Some(path) = json_path {
        std::fs::write(path, to_json(&results)).unwrap_or_else(|e| panic!("{path}: {e}"));
        println!(
            "classify: {} fixtures timed, samples in {path}",
            results.len()
        );
        return;
    }
    for m in &results {
        let (min, max) = m
            .ns_per_call
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        println!(
            "{:<60} median {:>8.2} µs  (min {:.2}, max {:.2})",
            m.name,
            median(&m.ns_per_call) / 1e3,
            min / 1e3,
            max / 1e3
        );
    }
}
