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
use crate::bench_report::{
    Detection, FixtureTiming, Healthy, Memory, Report, SelfTimed, Sizes, ZipSize,
};
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
    let (_, dir) = built
        .dirs
        .first()
        .ok_or("the build made no extension directory")?;
    let (tab_wasm_gzip, tab_scripts_gzip) = loaded_by_a_tab(dir)?;
    let zip_locales = match built.zips.first() {
        Some(zip) => compressed_under(zip, "_locales/")?,
        None => 0,
    };
    Ok(Sizes {
        wasm_raw: file_size(&built.wasm)?,
        wasm_gzip: gzipped_size(&built.wasm)?,
        tab_wasm_gzip,
        tab_scripts_gzip,
        zip_locales,
        zips,
    })
}

/// What a ChatGPT tab loads of the built extension in `dir`, gzipped: (the WebAssembly its
/// manifest lets a tab load — content scripts or web-accessible files —, its content scripts).
fn loaded_by_a_tab(dir: &Path) -> Result<(u64, u64), String> {
    let manifest: Value = read_json(&dir.join("manifest.json"))?;
    let mut files: Vec<String> = Vec::new();
    for group in manifest["content_scripts"].as_array().into_iter().flatten() {
        for js in group["js"].as_array().into_iter().flatten() {
            files.extend(js.as_str().map(str::to_string));
        }
    }
    for war in manifest["web_accessible_resources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for r in war["resources"].as_array().into_iter().flatten() {
            files.extend(r.as_str().map(str::to_string));
        }
    }
    // The tests' clock scripts are not in the store build this measures.
    files.retain(|f| !f.starts_with("bench/"));
    let (mut wasm, mut scripts) = (0, 0);
    for f in files {
        let size = gzipped_size(&dir.join(&f))?;
        if f.ends_with(".wasm") {
            wasm += size;
        } else {
            scripts += size;
        }
    }
    Ok((wasm, scripts))
}

/// The compressed bytes of a zip's entries under `prefix`.
fn compressed_under(zip: &Path, prefix: &str) -> Result<u64, String> {
    let file = fs::File::open(zip).map_err(|e| format!("{}: {e}", zip.display()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let mut total = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        if entry.name().starts_with(prefix) {
            total += entry.compressed_size();
        }
    }
    Ok(total)
}

/// `cargo bench --bench classify` (benches/classify.rs), its samples read back from `out`.
fn native_classify(root: &Path, out: &Path) -> Result<Vec<FixtureTiming>, String> {
    run(Command::new("cargo")
        .current_dir(root)
        .args([
            "bench",
            "--locked",
            "--package",
            "error-doctor",
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
            ms: Series::from_json(&d["ms"]),
            after_load_ms: Series::from_json(&d["after_load_ms"]),
            final_ms: Series::from_json(&d["final_ms"]),
            final_after_load_ms: Series::from_json(&d["final_after_load_ms"]),
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
        self_timed_load_ms: Series::from_json(&h["self_timed_load_ms"]),
    });
    let self_timed = browser["healthy_self_timed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| SelfTimed {
            browser: t["browser"].as_str().unwrap_or("?").to_string(),
            load_ms: Series::from_json(&t["self_timed_load_ms"]),
        })
        .collect();
    // WebAssembly in a tab (Chrome), read in the tabs of two measurements: the error page's
    // and the big healthy page's.
    let mut memory = Vec::new();
    if let Some(d) = browser["detection"].as_array().and_then(|all| {
        all.iter()
            .find(|d| d["browser"] == "chrome" && d["case"] == "full-page 1020")
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
        self_timed,
        memory,
    }
}
