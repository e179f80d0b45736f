//! The goals of issue 5, each checked against what `cargo xtask bench` measured: met, or
//! missed by how much. Checked by printing the verdict, never by failing.

use serde_json::{json, Value};

use crate::bench_report::Report;

/// Sizes are in bytes; "KB" in the table and the goals means 1,000 bytes.
const KB: f64 = 1000.0;
const CORE_GZIP_GOAL: f64 = 30.0 * KB;
const ZIP_GOAL: f64 = 120.0 * KB;
const CHROME_DETECTION_GOAL_MS: f64 = 50.0;
const FIREFOX_DETECTION_GOAL_MS: f64 = 100.0;
const LOAD_COST_GOAL_MS: f64 = 2.0;
const STREAMING_RATIO_GOAL: f64 = 100.0;

pub struct Goal {
    pub what: String,
    pub measured: String,
    pub met: Option<bool>,
    pub verdict: String,
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

    pub fn to_json(&self) -> Value {
        json!({ "goal": self.what, "measured": self.measured, "met": self.met, "verdict": self.verdict })
    }
}

fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / KB)
}

fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

/// Every goal, in the order of the issue.
pub fn goals(report: &Report) -> Vec<Goal> {
    let mut goals = vec![Goal::at_most(
        "core ≤ 30 KB gzipped".into(),
        Some(report.sizes.wasm_gzip as f64),
        CORE_GZIP_GOAL,
        kb,
    )];
    for zip in &report.sizes.zips {
        goals.push(Goal::at_most(
            format!("{} ≤ 120 KB", zip.file),
            Some(zip.bytes as f64),
            ZIP_GOAL,
            kb,
        ));
    }
    for d in &report.detection {
        let limit = if d.browser == "chrome" {
            CHROME_DETECTION_GOAL_MS
        } else {
            FIREFOX_DETECTION_GOAL_MS
        };
        let goal = Goal::at_most(
            format!("{} detection ≤ {limit} ms: {}", d.browser, d.case),
            d.ms.stats().map(|s| s.median),
            limit,
            ms,
        );
        goals.push(goal);
    }
    match &report.healthy {
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
                None => {
                    Goal::unmeasured("streaming cost ≥ 100× lower than the naive baseline".into())
                }
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

#[cfg(test)]
mod tests {
    use super::*;

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
