//! JSON and bytes: JSON-like text (the app's error bodies, status-page summaries, nesting
//! deep enough to hit any parser's limit) and random edits of serialized bytes.

use super::strings::Gen;

/// Bytes that show as (lossy) text in a report, not as a list of numbers.
pub struct Bytes(pub Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} bytes: {:?}",
            self.0.len(),
            String::from_utf8_lossy(&self.0)
        )
    }
}

impl Gen {
    /// JSON and JSON-like text: the app's error bodies, status-page summaries, nested deep.
    pub fn json_ish(&mut self, s: &mut String, depth: usize) {
        if depth > 6 || self.rng.one_in(12) {
            match self.rng.below(3) {
                0 => s.push_str(&"[".repeat(self.rng.skewed(100_000))),
                1 => {
                    let n = self.rng.skewed(2_000);
                    s.push_str(&"{\"a\":".repeat(n));
                    s.push('1');
                    s.push_str(&"}".repeat(n));
                }
                _ => self.json_scalar(s),
            }
            return;
        }
        match self.rng.below(4) {
            0 => {
                s.push('{');
                for i in 0..self.rng.skewed(6) {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push('"');
                    s.push_str(self.rng.pick(&[
                        "detail",
                        "code",
                        "message",
                        "clears_in",
                        "status",
                        "indicator",
                        "description",
                        "components",
                        "incidents",
                        "name",
                        "updated_at",
                        "",
                    ]));
                    s.push_str("\":");
                    self.json_ish(s, depth + 1);
                }
                if !self.rng.one_in(10) {
                    s.push('}');
                }
            }
            1 => {
                s.push('[');
                for i in 0..self.rng.skewed(6) {
                    if i > 0 {
                        s.push(',');
                    }
                    self.json_ish(s, depth + 1);
                }
                s.push(']');
            }
            _ => self.json_scalar(s),
        }
    }

    pub fn json_scalar(&mut self, s: &mut String) {
        match self.rng.below(6) {
            0 => s.push_str(self.rng.pick(&[
                "null", "true", "false", "-0", "1e999", "-1e-999", "NaN", "Infinity", "00", "1.",
                ".5",
            ])),
            1 => self.number(s),
            2 => {
                s.push('"');
                s.push_str(self.rng.pick(&[
                    "none",
                    "minor",
                    "major",
                    "critical",
                    "operational",
                    "degraded_performance",
                    "partial_outage",
                    "major_outage",
                    "under_maintenance",
                    "token_expired",
                    "\\ud800",
                    "\\u0000",
                    "\\",
                    "\\\"",
                    "\\x41",
                ]));
                s.push('"');
            }
            _ => {
                s.push('"');
                let text = self.text_no_huge();
                s.push_str(&text.replace('\\', "\\\\").replace('"', "\\\""));
                s.push('"');
            }
        }
    }

    /// A few random edits of serialized bytes: bit flips, insertions, deletions, repeats,
    /// JSON tokens out of place, truncation. Mostly still JSON, rarely valid.
    pub fn mutate(&mut self, bytes: &mut Vec<u8>) {
        const TOKENS: &[&str] = &[
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "null",
            "1e999",
            "-0",
            "\\u0000",
            "\\ud800",
            "\\uDFFF\\uD800",
            "\u{feff}",
            "\u{fffd}",
            "\"kind\":",
            "\"text\":",
            "\"status\":70000",
            "[[[[[[[[[[[[[[[[",
        ];
        for _ in 0..=self.rng.skewed(8) {
            if bytes.is_empty() {
                bytes.push(self.rng.byte());
                continue;
            }
            let i = self.rng.below(bytes.len());
            let end = (i + 1 + self.rng.skewed(32)).min(bytes.len());
            match self.rng.below(7) {
                0 => bytes[i] ^= 1 << self.rng.below(8),
                1 => bytes.insert(i, self.rng.byte()),
                2 => {
                    bytes.drain(i..end);
                }
                3 => {
                    let copy = bytes[i..end].to_vec();
                    bytes.splice(i..i, copy);
                }
                4 => {
                    let token = self.rng.pick(TOKENS).as_bytes();
                    bytes.splice(i..i, token.iter().copied());
                }
                5 => bytes.truncate(i),
                _ => bytes[i] = self.rng.pick(b"\"\\{}[],:0-e. "),
            }
        }
    }

    /// A status page's summary (Statuspage's `summary.json` shape) with adversarial values,
    /// often damaged, or any JSON-ish text.
    pub fn status_summary(&mut self) -> String {
        const INDICATORS: &[&str] = &[
            "none",
            "minor",
            "major",
            "critical",
            "maintenance",
            "",
            "NONE",
        ];
        const STATUSES: &[&str] = &[
            "operational",
            "degraded_performance",
            "partial_outage",
            "major_outage",
            "under_maintenance",
            "investigating",
            "identified",
            "monitoring",
            "resolved",
            "",
        ];
        if self.rng.one_in(4) {
            let mut s = String::new();
            self.json_ish(&mut s, 0);
            return s;
        }
        let mut s = String::from("{\"page\":{\"name\":\"OpenAI\",\"updated_at\":\"");
        self.http_date(&mut s);
        s.push_str("\"},\"status\":{\"indicator\":\"");
        s.push_str(self.rng.pick(INDICATORS));
        s.push_str("\",\"description\":");
        self.json_scalar(&mut s);
        s.push_str("},\"components\":[");
        for i in 0..self.rng.skewed(40) {
            if i > 0 {
                s.push(',');
            }
            s.push_str("{\"name\":");
            if self.rng.one_in(2) {
                s.push_str(self.rng.pick(&[
                    "\"ChatGPT\"",
                    "\"API\"",
                    "\"Login\"",
                    "\"Sora\"",
                    "null",
                ]));
            } else {
                self.json_scalar(&mut s);
            }
            s.push_str(",\"status\":\"");
            s.push_str(self.rng.pick(STATUSES));
            s.push_str("\"}");
        }
        s.push_str("],\"incidents\":[");
        for i in 0..self.rng.skewed(10) {
            if i > 0 {
                s.push(',');
            }
            s.push_str("{\"name\":");
            self.json_scalar(&mut s);
            s.push_str(",\"status\":\"");
            s.push_str(self.rng.pick(STATUSES));
            s.push_str("\",\"impact\":\"");
            s.push_str(self.rng.pick(INDICATORS));
            s.push_str("\"}");
        }
        s.push_str("]}");
        if self.rng.one_in(3) {
            let mut bytes = s.into_bytes();
            self.mutate(&mut bytes);
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        s
    }
}
