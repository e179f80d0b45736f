//! What `cargo xtask bench` measured, as bench.json and as the table it prints, with each
//! goal of issue 5 marked met or missed by how much.

use chatgpt_doctor::sensor_spec::SENSOR_SPEC;
use serde_json::{json, Value};

use crate::bench_stats::{Series, Stats};

/// Sizes are in bytes; "KB" in the table and the goals means 1,000 bytes.
const KB: f64 = 1000.0;
const CORE_GZIP_GOAL: f64 = 30.0 * KB;
const ZIP_GOAL: f64 = 120.0 * KB;
const CHROME_DETECTION_GOAL_MS: f64 = 50.0;
const FIREFOX_DETECTION_GOAL_MS: f64 = 100.0;
const LOAD_COST_GOAL_MS: f64 = 2.0;
const STREAMING_RATIO_GOAL: f64 = 100.0;

pub struct ZipSize {
    pub file: String,
    pub bytes: u64,
}

pub struct Sizes {
    pub wasm_raw: u64,
    pub wasm_gzip: u64,
    pub zips: Vec<ZipSize>,
}

pub struct FixtureTiming {
    pub name: String,
    pub calls_per_sample: u64,
    /// µs per call, one value per sample.
    pub us: Vec<f64>,
    pub stats: Stats,
}

pub struct Detection {
    pub browser: String,
    pub case: String,
    /// Where the core ran: "content" (the content script) or "background".
    pub engine: String,
    pub ms: Series,
    /// The part of `ms` after the page's load event ended (all of it for a toast).
    pub after_load_ms: Series,
}

pub struct Healthy {
    pub page: String,
    pub mutations: u64,
    pub sampling_interval_us: u64,
    /// [the extension, the naive baseline]
    pub load_ms: [Series; 2],
    pub streaming_ms: [Series; 2],
}

pub struct Memory {
    pub page: String,
    pub bytes: Series,
}

pub struct Report {
    pub date: String,
    pub machine: Value,
    pub versions: Value,
    pub runs: u64,
    /// The module's linear memory when instantiated, before any classify (in Node).
    pub core_initial_bytes: Option<u64>,
    pub sizes: Sizes,
    pub classify: Vec<FixtureTiming>,
    pub detection: Vec<Detection>,
    pub healthy: Option<Healthy>,
    pub memory: Vec<Memory>,
}

struct Goal {
    what: String,
    measured: String,
    met: Option<bool>,
    verdict: String,
}

impl Goal {
    /// `value` must be at most `limit` (None: not measured).
    fn at_most(what: String, value: Option<f64>, limit: f64, show: impl Fn(f64) -> String) -> Goal {
        let Some(v) = value else {
            return Goal::unmeasured(what);
        };
        let met = v <= limit;
        Goal {
            what,
            measured: show(v),
            met: Some(met),
            verdict: if met {
                "met".into()
            } else {
                format!("missed by {}", show(v - limit))
            },
        }
    }

    fn unmeasured(what: String) -> Goal {
        Goal {
            what,
            measured: "—".into(),
            met: None,
            verdict: "not measured (see the errors above)".into(),
        }
    }

    fn to_json(&self) -> Value {
        json!({ "goal": self.what, "measured": self.measured, "met": self.met, "verdict": self.verdict })
    }
}

fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / KB)
}

fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

/// 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "12.3 (10.1 – 15.0)", or why there is no value.
fn spread(series: &Series, decimals: usize) -> String {
    match series.stats() {
        Some(s) => format!(
            "{:.d$} ({:.d$} – {:.d$})",
            s.median,
            s.min,
            s.max,
            d = decimals
        ),
        None => format!("failed: {}", series.error.as_deref().unwrap_or("no values")),
    }
}

impl Healthy {
    /// The naive baseline's median over the extension's, and the same ratio per round.
    fn streaming_ratio(&self) -> Option<(f64, Stats)> {
        let [ours, naive] = &self.streaming_ms;
        let of_medians = naive.stats()?.median / ours.stats()?.median;
        let per_round: Vec<f64> = ours
            .values
            .iter()
            .zip(&naive.values)
            .map(|(o, n)| n / o)
            .collect();
        Some((of_medians, Stats::of(&per_round)?))
    }
}

impl Detection {
    fn label(&self) -> String {
        let path = if self.engine == "content" {
            "core in content script"
        } else {
            "core in background"
        };
        format!("{} ({path})", self.case)
    }

    /// The toast case includes the sensor's deliberate wait for the page to settle.
    fn settle_note(&self) -> Option<String> {
        self.case.contains("toast").then(|| {
            format!(
                "includes the sensor's {} ms settle wait",
                SENSOR_SPEC.settle_ms
            )
        })
    }
}

impl Report {
    fn goals(&self) -> Vec<Goal> {
        let mut goals = vec![Goal::at_most(
            "core ≤ 30 KB gzipped".into(),
            Some(self.sizes.wasm_gzip as f64),
            CORE_GZIP_GOAL,
            kb,
        )];
        for zip in &self.sizes.zips {
            goals.push(Goal::at_most(
                format!("{} ≤ 120 KB", zip.file),
                Some(zip.bytes as f64),
                ZIP_GOAL,
                kb,
            ));
        }
        for d in &self.detection {
            let limit = if d.browser == "chrome" {
                CHROME_DETECTION_GOAL_MS
            } else {
                FIREFOX_DETECTION_GOAL_MS
            };
            let mut goal = Goal::at_most(
                format!("{} detection ≤ {limit} ms: {}", d.browser, d.case),
                d.ms.stats().map(|s| s.median),
                limit,
                ms,
            );
            if let (Some(false), Some(note)) = (goal.met, d.settle_note()) {
                goal.verdict = format!("{} ({note})", goal.verdict);
            }
            goals.push(goal);
        }
        match &self.healthy {
            Some(h) => {
                goals.push(Goal::at_most(
                    "load-time cost on the 500-turn page ≤ 2 ms".into(),
                    h.load_ms[0].stats().map(|s| s.median),
                    LOAD_COST_GOAL_MS,
                    ms,
                ));
                goals.push(match h.streaming_ratio() {
                    Some((ratio, _)) if ratio >= STREAMING_RATIO_GOAL => Goal {
                        what: "streaming cost ≥ 100× lower than the naive baseline".into(),
                        measured: format!("{ratio:.0}× lower"),
                        met: Some(true),
                        verdict: "met".into(),
                    },
                    Some((ratio, _)) => Goal {
                        what: "streaming cost ≥ 100× lower than the naive baseline".into(),
                        measured: format!("{ratio:.0}× lower"),
                        met: Some(false),
                        verdict: format!("missed by {:.1}×", STREAMING_RATIO_GOAL / ratio),
                    },
                    None => Goal::unmeasured(
                        "streaming cost ≥ 100× lower than the naive baseline".into(),
                    ),
                });
            }
            None => {
                goals.push(Goal::unmeasured(
                    "load-time cost on the 500-turn page ≤ 2 ms".into(),
                ));
                goals.push(Goal::unmeasured(
                    "streaming cost ≥ 100× lower than the naive baseline".into(),
                ));
            }
        }
        goals
    }

    pub fn to_json(&self) -> Value {
        let fixtures: serde_json::Map<String, Value> = self
            .classify
            .iter()
            .map(|f| {
                let mut v = f.stats.to_json();
                v["calls_per_sample"] = json!(f.calls_per_sample);
                v["samples"] = json!(f.us);
                (f.name.clone(), v)
            })
            .collect();
        let medians: Vec<f64> = self.classify.iter().map(|f| f.stats.median).collect();
        let slowest = self
            .classify
            .iter()
            .max_by(|a, b| a.stats.median.total_cmp(&b.stats.median));
        let healthy = self.healthy.as_ref().map(|h| {
            json!({
                "browser": "chrome",
                "page": h.page,
                "mutations": h.mutations,
                "measure": "main-thread time under the extension's script frames, CDP sampling CPU profiler",
                "sampling_interval_us": h.sampling_interval_us,
                "load_ms": { "extension": h.load_ms[0].to_json(), "naive": h.load_ms[1].to_json() },
                "streaming_ms": { "extension": h.streaming_ms[0].to_json(), "naive": h.streaming_ms[1].to_json() },
                "streaming_naive_over_extension": h.streaming_ratio().map(|(r, per_round)| json!({
                    "of_medians": r,
                    "per_round": per_round.to_json(),
                })),
            })
        });
        json!({
            "date": self.date,
            "machine": self.machine,
            "versions": self.versions,
            "runs": self.runs,
            "sizes": {
                "core_wasm_bytes": self.sizes.wasm_raw,
                "core_wasm_gzip_bytes": self.sizes.wasm_gzip,
                "zips": self.sizes.zips.iter().map(|z| json!({ "file": z.file, "bytes": z.bytes })).collect::<Vec<_>>(),
            },
            "classify_native_us_per_call": {
                "fixtures": fixtures,
                "median_of_fixture_medians": Stats::of(&medians).map(|s| s.median),
                "slowest_fixture": slowest.map(|f| &f.name),
            },
            "detection_ms": self.detection.iter().map(|d| {
                let mut v = d.ms.to_json();
                v["after_page_load_event"] = d.after_load_ms.to_json();
                v["browser"] = json!(d.browser);
                v["case"] = json!(d.case);
                v["core_ran_in"] = json!(d.engine);
                v
            }).collect::<Vec<_>>(),
            "healthy_page": healthy,
            "core_initial_memory_bytes": self.core_initial_bytes,
            "core_memory_bytes_per_tab": self.memory.iter().map(|m| {
                let mut v = m.bytes.to_json();
                v["page"] = json!(m.page);
                v["browser"] = json!("chrome");
                v
            }).collect::<Vec<_>>(),
            "goals": self.goals().iter().map(Goal::to_json).collect::<Vec<_>>(),
        })
    }

    pub fn print_table(&self) {
        let m = &self.machine;
        println!(
            "ChatGPT Doctor benchmark, {} — {}, {} × {} CPU(s) {}; {}, {}",
            self.date.get(..10).unwrap_or(&self.date),
            m["os"].as_str().unwrap_or("?"),
            m["arch"].as_str().unwrap_or("?"),
            m["cpus"],
            m["cpu_model"].as_str().unwrap_or(""),
            self.versions["chrome"].as_str().unwrap_or("no Chrome"),
            self.versions["firefox"].as_str().unwrap_or("no Firefox"),
        );
        println!(
            "Timings: median (min – max) over {} runs, after one discarded warm-up run. \
             Load average (1 min) during the browser runs: {:.2} at start, {:.2} at end.",
            self.runs,
            m["load_average_1min_at_start"].as_f64().unwrap_or(f64::NAN),
            m["load_average_1min_at_end"].as_f64().unwrap_or(f64::NAN),
        );

        println!("\nSize                                              bytes");
        println!(
            "  {:<40} {:>12}",
            "core .wasm, raw",
            grouped(self.sizes.wasm_raw)
        );
        println!(
            "  {:<40} {:>12}",
            "core .wasm, gzipped (-9)",
            grouped(self.sizes.wasm_gzip)
        );
        for z in &self.sizes.zips {
            println!("  {:<40} {:>12}", z.file, grouped(z.bytes));
        }

        self.print_classify();
        self.print_detection();
        self.print_healthy();
        self.print_memory();

        println!("\nGoals");
        for g in self.goals() {
            let mark = match g.met {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "?",
            };
            println!("  {mark} {:<62} {:>12}  {}", g.what, g.measured, g.verdict);
        }
    }

    fn print_classify(&self) {
        let samples = self.classify.first().map_or(0, |f| f.us.len());
        println!(
            "\nNative classify, µs per call ({} fixtures × {samples} samples)   median (min – max)",
            self.classify.len()
        );
        let mut by_median: Vec<&FixtureTiming> = self.classify.iter().collect();
        by_median.sort_by(|a, b| a.stats.median.total_cmp(&b.stats.median));
        let row = |label: String, f: &FixtureTiming| {
            println!(
                "  {:<58} {:.1} ({:.1} – {:.1})",
                label, f.stats.median, f.stats.min, f.stats.max
            );
        };
        if let Some(f) = by_median.get(by_median.len() / 2) {
            row(format!("median fixture: {}", f.name), f);
        }
        if let Some(f) = by_median.last() {
            row(format!("slowest fixture: {}", f.name), f);
        }
        for name in [
            "cf-1020-openai-custom-page",
            "ok-long-conversation-500-turns",
        ] {
            if let Some(f) = self.classify.iter().find(|f| f.name == name) {
                row(name.to_string(), f);
            }
        }
    }

    fn print_detection(&self) {
        println!(
            "\nDetection latency, ms: error's start → badge set        median (min – max)      \
             of which after the page's load event"
        );
        for d in &self.detection {
            let note = d
                .settle_note()
                .map(|n| format!("  [{n}]"))
                .unwrap_or_default();
            println!(
                "  {:<8} {:<48} {:<23} {}{note}",
                d.browser,
                d.label(),
                spread(&d.ms, 1),
                spread(&d.after_load_ms, 1)
            );
        }
    }

    fn print_healthy(&self) {
        let Some(h) = &self.healthy else {
            println!("\nHealthy-page cost: not measured (Chrome did not run)");
            return;
        };
        println!(
            "\nHealthy page, Chrome, {}: main-thread ms of the content script",
            h.page
        );
        println!(
            "  {:<34} {:<26} {:<26} naive ÷ extension",
            "", "extension", "naive baseline"
        );
        let ratio = |pair: &[Series; 2]| match (pair[0].stats(), pair[1].stats()) {
            (Some(o), Some(n)) => format!("{:.2}×", n.median / o.median),
            _ => "—".into(),
        };
        println!(
            "  {:<34} {:<26} {:<26} {}",
            "at load",
            spread(&h.load_ms[0], 2),
            spread(&h.load_ms[1], 2),
            ratio(&h.load_ms)
        );
        let streaming_ratio = match h.streaming_ratio() {
            Some((r, per_round)) => format!(
                "{r:.0}× (per round {:.0}× – {:.0}×)",
                per_round.min, per_round.max
            ),
            None => "—".into(),
        };
        println!(
            "  {:<34} {:<26} {:<26} {}",
            format!("{} streaming mutations", grouped(h.mutations)),
            spread(&h.streaming_ms[0], 2),
            spread(&h.streaming_ms[1], 0),
            streaming_ratio
        );
    }

    fn print_memory(&self) {
        println!("\nCore's WebAssembly linear memory per tab, Chrome, bytes    median (min – max)");
        if let Some(initial) = self.core_initial_bytes {
            println!(
                "  {:<56} {}",
                "(the module's initial memory, before any classify)",
                grouped(initial)
            );
        }
        for m in &self.memory {
            let text = match m.bytes.stats() {
                Some(s) => format!(
                    "{} ({} – {})",
                    grouped(s.median as u64),
                    grouped(s.min as u64),
                    grouped(s.max as u64)
                ),
                None => format!(
                    "failed: {}",
                    m.bytes.error.as_deref().unwrap_or("no values")
                ),
            };
            println!("  {:<56} {text}", m.page);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn a_goal_says_by_how_much_it_is_missed() {
        let g = Goal::at_most("x".into(), Some(62_000.0), CORE_GZIP_GOAL, kb);
        assert_eq!(
            (g.met, g.verdict.as_str()),
            (Some(false), "missed by 32.0 KB")
        );
        let g = Goal::at_most("x".into(), Some(40.0), 50.0, ms);
        assert_eq!((g.met, g.verdict.as_str()), (Some(true), "met"));
    }
}
