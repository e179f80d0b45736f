//! `cargo xtask bench`: builds, then measures the extension and prints a table (also
//! written to dist/bench.json): the core's and the zips' sizes, native `classify` time per
//! fixture, detection latency in Chromium and Firefox, the content script's cost on a big
//! healthy page against a naive baseline, and the core's memory per tab. Each timing is a
//! median over repeated runs with min and max; the goals are checked here by printing
//! numbers, never by a test that could fail on a busy machine.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;

use crate::bench_goals::{goals, Goal};
use crate::bench_report::{Detection, FixtureTiming, Healthy, Memory, Report, Sizes, ZipSize};
use crate::bench_stats::{Series, Stats};
use crate::build::{self, Built};
use crate::tools::{self, run};

pub fn bench() -> Result<(), String> {
    let root = tools::project_root();
    tools::ensure_browsers()?;
    let built = build::build()?;
    // The browser half drives the tests' build (sizes are the store build's).
    build::build_flavour(build::Flavour::Test)?;
    let work = root.join("target/bench");
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let sizes = sizes(&built)?;
    let classify = native_classify(&root, &work.join("classify.json"))?;
    let browser = in_browsers(&root, &work.join("browser.json"))?;
    let report = report(sizes, classify, &browser);

    let out = root.join("dist/bench.json");
    let mut measured = report.to_json();
    measured["goals"] = goals(&report).iter().map(Goal::to_json).collect();
    let json = serde_json::to_string_pretty(&measured).map_err(|e| e.to_string())?;
    fs::write(&out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    println!();
    report.print_table();
    println!("\n(every run's values: {})", out.display());
    Ok(())
}

fn file_size(path: &Path) -> Result<u64, String> {
    fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Gzip at the best level, as a server or a store would serve the file.
fn gzipped_size(path: &Path) -> Result<u64, String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(gz.finish().map_err(|e| e.to_string())?.len() as u64)
}

fn sizes(built: &Built) -> Result<Sizes, String> {
    let zips = built
        .zips
        .iter()
        .map(|zip| {
            Ok(ZipSize {
                file: zip.file_name().unwrap().to_string_lossy().into_owned(),
                bytes: file_size(zip)?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Sizes {
        wasm_raw: file_size(&built.wasm)?,
        wasm_gzip: gzipped_size(&built.wasm)?,
        zips,
    })
}

/// `cargo bench --bench classify` (benches/classify.rs), its samples read back from `out`.
fn native_classify(root: &Path, out: &Path) -> Result<Vec<FixtureTiming>, String> {
    run(Command::new("cargo")
        .current_dir(root)
        .args([
            "bench",
            "--package",
            "chatgpt-doctor",
            "--bench",
            "classify",
            "--",
            "--json",
        ])
        .arg(out))?;
    let json = read_json(out)?;
    let fixtures = json["fixtures"]
        .as_array()
        .ok_or_else(|| format!("{}: no fixtures", out.display()))?;
    Ok(fixtures
        .iter()
        .filter_map(|f| {
            let us: Vec<f64> = f["ns_per_call"]
                .as_array()?
                .iter()
                .filter_map(|v| Some(v.as_f64()? / 1e3))
                .collect();
            Some(FixtureTiming {
                name: f["name"].as_str()?.to_string(),
                calls_per_sample: f["calls_per_sample"].as_u64()?,
                stats: Stats::of(&us)?,
                us,
            })
        })
        .collect())
}

/// xtask/bench/browser.mjs: detection latency, healthy-page cost and memory, in the browsers.
fn in_browsers(root: &Path, out: &Path) -> Result<Value, String> {
    let _ = fs::remove_file(out);
    run(Command::new("node")
        .current_dir(root)
        .arg("xtask/bench/browser.mjs")
        .arg("--out")
        .arg(out))?;
    read_json(out)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn report(sizes: Sizes, classify: Vec<FixtureTiming>, browser: &Value) -> Report {
    let detection: Vec<Detection> = browser["detection"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| Detection {
            browser: d["browser"].as_str().unwrap_or("?").to_string(),
            case: d["case"].as_str().unwrap_or("?").to_string(),
            engine: d["engine"].as_str().unwrap_or("?").to_string(),
            ms: Series::from_json(&d["ms"]),
            after_load_ms: Series::from_json(&d["after_load_ms"]),
        })
        .collect();
    let h = &browser["healthy"];
    let healthy = h.is_object().then(|| Healthy {
        page: h["page"].as_str().unwrap_or("?").to_string(),
        mutations: h["mutations"].as_u64().unwrap_or(0),
        sampling_interval_us: h["sampling_interval_us"].as_u64().unwrap_or(0),
        load_ms: [
            Series::from_json(&h["load_ms"]["extension"]),
            Series::from_json(&h["load_ms"]["naive"]),
        ],
        streaming_ms: [
            Series::from_json(&h["streaming_ms"]["extension"]),
            Series::from_json(&h["streaming_ms"]["naive"]),
        ],
    });
    // The core's memory was read in the tabs of two measurements: the error page's (Chrome,
    // core in the content script) and the big healthy page's.
    let mut memory = Vec::new();
    if let Some(d) = browser["detection"].as_array().and_then(|all| {
        all.iter().find(|d| {
            d["browser"] == "chrome" && d["engine"] == "content" && d["case"] == "full-page 1020"
        })
    }) {
        memory.push(Memory {
            page: "cf-1020-openai-custom-page".into(),
            bytes: Series::from_json(&d["core_bytes"]),
        });
    }
    if let Some(h) = &healthy {
        memory.push(Memory {
            page: h.page.clone(),
            bytes: Series::from_json(&browser["healthy"]["core_bytes"]),
        });
    }
    Report {
        date: browser["date"].as_str().unwrap_or("").to_string(),
        machine: browser["machine"].clone(),
        versions: browser["versions"].clone(),
        runs: browser["runs"].as_u64().unwrap_or(0),
        core_initial_bytes: browser["core_initial_bytes"].as_u64(),
        sizes,
        classify,
        detection,
        healthy,
        memory,
    }
}
