//! What `cargo xtask bench` measured, and how it goes into dist/bench.json.

use serde_json::{json, Value};

use crate::bench_stats::{Series, Stats};

pub struct ZipSize {
    pub file: String,
    pub bytes: u64,
}

pub struct Sizes {
    /// The core (the background's and the popup's module).
    pub wasm_raw: u64,
    pub wasm_gzip: u64,
    /// What a ChatGPT tab loads of the extension, gzipped: the WebAssembly its content
    /// scripts or web-accessible files name (none), and its content scripts.
    pub tab_wasm_gzip: u64,
    pub tab_scripts_gzip: u64,
    /// The zipped `_locales` catalogs' share of a zip (its compressed bytes).
    pub zip_locales: u64,
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
    /// Until the first badge (for a full-page error: from its status and headers).
    pub ms: Series,
    /// The part of `ms` after the page's load event ended (all of it for a toast; negative:
    /// before the load event).
    pub after_load_ms: Series,
    /// Until the badge of the page's own diagnosis (full-page cases).
    pub final_ms: Series,
    pub final_after_load_ms: Series,
}

pub struct Healthy {
    pub page: String,
    pub mutations: u64,
    pub sampling_interval_us: u64,
    /// [the extension, the naive baseline]
    pub load_ms: [Series; 2],
    pub streaming_ms: [Series; 2],
    /// The content script's own clock of its work at load (the tests' build), Chrome.
    pub self_timed_load_ms: Series,
}

/// A browser's healthy-page cost by the content script's own clock (Firefox).
pub struct SelfTimed {
    pub browser: String,
    pub load_ms: Series,
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
    pub self_timed: Vec<SelfTimed>,
    pub memory: Vec<Memory>,
}

impl Healthy {
    /// The naive baseline's median over the extension's, and the same ratio per round.
    pub fn streaming_ratio(&self) -> Option<(f64, Stats)> {
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
    pub fn label(&self) -> String {
        self.case.clone()
    }
}

impl Report {
    /// The measurements as `dist/bench.json` holds them (the goals' verdicts are added by
    /// `bench.rs`, which knows both: the goals read the report, never the other way round).
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
                "self_timed_load_ms": h.self_timed_load_ms.to_json(),
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
                "tab_wasm_gzip_bytes": self.sizes.tab_wasm_gzip,
                "tab_content_scripts_gzip_bytes": self.sizes.tab_scripts_gzip,
                "zip_locales_bytes": self.sizes.zip_locales,
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
                v["page_diagnosis"] = d.final_ms.to_json();
                v["page_diagnosis"]["after_page_load_event"] = d.final_after_load_ms.to_json();
                v["browser"] = json!(d.browser);
                v["case"] = json!(d.case);
                v
            }).collect::<Vec<_>>(),
            "healthy_page": healthy,
            "healthy_page_self_timed": self.self_timed.iter().map(|t| json!({
                "browser": t.browser,
                "measure": "the content script's own clock (performance.now) around its synchronous work at load; tests' build only",
                "load_ms": t.load_ms.to_json(),
            })).collect::<Vec<_>>(),
            "core_initial_memory_bytes": self.core_initial_bytes,
            "core_memory_bytes_per_tab": self.memory.iter().map(|m| {
                let mut v = m.bytes.to_json();
                v["page"] = json!(m.page);
                v["browser"] = json!("chrome");
                v
            }).collect::<Vec<_>>(),
        })
    }
}
