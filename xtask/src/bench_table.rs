//! The table `cargo xtask bench` prints: every measurement, then each goal's verdict.

use crate::bench_goals::goals;
use crate::bench_report::{FixtureTiming, Report};
use crate::bench_stats::Series;

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

impl Report {
    pub fn print_table(&self) {
        let m = &self.machine;
        println!(
            "Error Doctor benchmark, {} — {}, {} × {} CPU(s) {}; {}, {}",
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
        let row = |label: &str, bytes: u64| println!("  {label:<40} {:>12}", grouped(bytes));
        row("core .wasm, raw", self.sizes.wasm_raw);
        row("core .wasm, gzipped (-9)", self.sizes.wasm_gzip);
        row(
            "WebAssembly a ChatGPT tab loads, gzipped",
            self.sizes.tab_wasm_gzip,
        );
        row(
            "content scripts a tab loads, gzipped",
            self.sizes.tab_scripts_gzip,
        );
        for z in &self.sizes.zips {
            row(&z.file, z.bytes);
        }
        row("  of which the _locales catalogs", self.sizes.zip_locales);

        self.print_classify();
        self.print_detection();
        self.print_healthy();
        self.print_memory();

        println!("\nGoals");
        for g in goals(self) {
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
            "\nDetection latency, ms: error's start → badge set, median (min – max); \
             \"load\": of it, after the page's load event (negative: before)"
        );
        for d in &self.detection {
            println!(
                "  {:<8} {:<20} first badge {:<23} load {}",
                d.browser,
                d.label(),
                spread(&d.ms, 1),
                spread(&d.after_load_ms, 1)
            );
            if !d.final_ms.values.is_empty() || d.final_ms.error.is_some() {
                println!(
                    "  {:<8} {:<20} page's own   {:<23} load {}",
                    "",
                    "",
                    spread(&d.final_ms, 1),
                    spread(&d.final_after_load_ms, 1)
                );
            }
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
            "  {:<34} {:<26}",
            "at load, the script's own clock",
            spread(&h.self_timed_load_ms, 2)
        );
        println!(
            "  {:<34} {:<26} {:<26} {}",
            format!("{} streaming mutations", grouped(h.mutations)),
            spread(&h.streaming_ms[0], 2),
            spread(&h.streaming_ms[1], 0),
            streaming_ratio
        );
    }

    fn print_memory(&self) {
        for t in &self.self_timed {
            println!(
                "\nHealthy page, {}: the content script's own clock at load, ms   {}",
                t.browser,
                spread(&t.load_ms, 2)
            );
        }
        println!("\nWebAssembly memory in a tab, Chrome, bytes                 median (min – max)");
        if let Some(initial) = self.core_initial_bytes {
            println!(
                "  {:<56} {}",
                "(the background's one instance, at start)",
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
}
