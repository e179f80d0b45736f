//! The numbers of a repeated measurement: its runs' values, and their median, min and max.

use serde_json::{json, Value};

/// One measurement's values over its runs, and why it stopped if a run kept failing.
#[derive(Clone, Debug, Default)]
pub struct Series {
    pub values: Vec<f64>,
    pub error: Option<String>,
}

#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Series {
    /// Reads `{"values": [..], "error"?: ".."}` (a missing or null value is skipped).
    pub fn from_json(v: &Value) -> Series {
        Series {
            values: v["values"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default(),
            error: v["error"].as_str().map(str::to_string),
        }
    }

    pub fn stats(&self) -> Option<Stats> {
        Stats::of(&self.values)
    }

    /// Statistics, raw values and the error if any, as they go into bench.json.
    pub fn to_json(&self) -> Value {
        let mut out = match self.stats() {
            Some(s) => s.to_json(),
            None => json!({}),
        };
        out["values"] = json!(self.values);
        if let Some(e) = &self.error {
            out["error"] = json!(e);
        }
        out
    }
}

impl Stats {
    pub fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
        })
    }

    pub fn to_json(self) -> Value {
        json!({ "median": self.median, "min": self.min, "max": self.max, "runs": self.runs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let s = Stats::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.runs), (2.0, 1.0, 3.0, 3));
        assert_eq!(Stats::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert!(Stats::of(&[]).is_none());
    }
}
