//! The core's input types, built from adversarial text: page snapshots as the sensor sends
//! them and as no sensor would, diagnoses as the popup reads them back from storage, and the
//! JSON bytes the WebAssembly boundary deserializes both from.

use std::sync::OnceLock;

use error_doctor::page::diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
use error_doctor::page::kind::ErrorKind;
use error_doctor::page::snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
use error_doctor::recognise::sensor_spec::SENSOR_SPEC;
use error_doctor::recognise::signatures::{CodeFrom, Cond, SIGNATURES};

use super::json::Bytes;
use super::strings::Gen;

/// Every phrase and token of the core's table: the words most worth nearly matching.
pub fn table_phrases() -> &'static [&'static str] {
    static PHRASES: OnceLock<Vec<&'static str>> = OnceLock::new();
    fn collect(conds: &'static [Cond], into: &mut Vec<&'static str>) {
        for cond in conds {
            match cond {
                Cond::Says(_, phrases) => into.extend_from_slice(phrases),
                Cond::AnyOf(inner) => collect(inner, into),
                _ => {}
            }
        }
    }
    PHRASES.get_or_init(|| {
        let mut phrases = Vec::new();
        for s in SIGNATURES {
            collect(s.when, &mut phrases);
            if let CodeFrom::Token(tokens) = s.code {
                phrases.extend_from_slice(tokens);
            }
        }
        phrases.sort_unstable();
        phrases.dedup();
        phrases
    })
}

/// The generator for one input, seeded, knowing the table's phrases.
pub fn gen(seed: u64) -> Gen {
    Gen::new(seed, table_phrases())
}

const STATUSES: &[u16] = &[
    0, 1, 99, 100, 200, 204, 301, 399, 400, 401, 403, 404, 418, 429, 499, 500, 501, 502, 503, 504,
    520, 521, 522, 523, 524, 525, 526, 527, 530, 599, 600, 999, 1015, 1020, 65535,
];

const REGION_KINDS: &[RegionKind] = &[
    RegionKind::CloudflareBox,
    RegionKind::ErrorPage,
    RegionKind::Alert,
    RegionKind::TurnError,
    RegionKind::ErrorBox,
    RegionKind::Unknown,
];

const EVIDENCE_SOURCES: &[EvidenceSource] = &EvidenceSource::ALL;

const CONFIDENCES: &[Confidence] = &[Confidence::Low, Confidence::Medium, Confidence::High];

impl Gen {
    pub fn snapshot(&mut self) -> PageSnapshot {
        PageSnapshot {
            url: self.url(),
            title: self.text(),
            response: ResponseInfo {
                status: self.status(),
                cf_ray: self.rng.one_in(2).then(|| self.header(Gen::ray_id_value)),
                cf_mitigated: self.rng.one_in(3).then(|| {
                    self.one_of_or_text(&[
                        "challenge",
                        " Challenge ",
                        "CHALLENGE",
                        "challenge\0",
                        "chal",
                        "block",
                    ])
                }),
                retry_after: self.rng.one_in(3).then(|| self.header(Gen::clock_or_date)),
                server: self.rng.one_in(2).then(|| {
                    self.one_of_or_text(&[
                        "cloudflare",
                        "Cloudflare ",
                        "cloudflare-nginx",
                        "nginx",
                        "",
                    ])
                }),
                content_type: self.maybe_text(),
            },
            markers: self.markers(),
            regions: self.regions(),
            page_text_len: self
                .rng
                .one_in(2)
                .then(|| self.edge_or_any(&[0, 1, 1499, 1500, 1501, u32::MAX], |r| r as u32)),
            navigation_error: self.rng.one_in(4).then(|| self.navigation_error()),
            now_ms: self.rng.one_in(2).then(|| self.float()),
            utc_offset_minutes: self.rng.one_in(2).then(|| {
                self.edge_or_any(
                    &[0, 60, -300, 840, -840, 841, -841, i32::MAX, i32::MIN],
                    |r| r as i32,
                )
            }),
            // The provisional reading's rows are fuzzed too, with whatever else there is.
            body_unread: self.rng.one_in(4),
        }
    }

    pub fn diagnosis(&mut self) -> Diagnosis {
        Diagnosis {
            kind: self.rng.pick(&ErrorKind::ALL),
            signature: self.maybe_text(),
            code: self
                .rng
                .one_in(4)
                .then(|| self.header(Gen::code_like))
                .or_else(|| self.maybe_text()),
            ray_id: self.rng.one_in(2).then(|| self.header(Gen::ray_id_value)),
            retry_after_secs: self
                .rng
                .one_in(2)
                .then(|| self.edge_or_any(&[0, 1, 3600, u32::MAX], |r| r as u32)),
            reset_at_ms: self.rng.one_in(2).then(|| self.float()),
            message: self.maybe_text(),
            evidence: (0..self.rng.skewed(40))
                .map(|_| Evidence {
                    source: self.rng.pick(EVIDENCE_SOURCES),
                    text: self.text(),
                })
                .collect(),
            confidence: self.rng.pick(CONFIDENCES),
            http_status: self.status(),
            retry_button: self.rng.one_in(2),
            page_changed: self.rng.one_in(2),
        }
    }

    /// What the boundary would get for a snapshot: random bytes, a real snapshot's JSON
    /// (often damaged), or an object with the right keys and wrong values.
    pub fn snapshot_json(&mut self) -> Bytes {
        const KEYS: &[&str] = &[
            "url",
            "title",
            "response",
            "markers",
            "regions",
            "page_text_len",
            "navigation_error",
            "now_ms",
            "utc_offset_minutes",
            "status",
            "cf_ray",
            "kind",
            "text",
            "unknown",
        ];
        Bytes(match self.rng.below(5) {
            0 => self.bytes(),
            1 | 2 => {
                let snapshot = self.snapshot();
                let mut json = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
                if !self.rng.one_in(4) {
                    self.mutate(&mut json);
                }
                json
            }
            _ => self.shaped_json(KEYS),
        })
    }

    /// The same for a diagnosis, which the popup and the badge read back from storage.
    pub fn diagnosis_json(&mut self) -> Bytes {
        const KEYS: &[&str] = &[
            "kind",
            "signature",
            "code",
            "ray_id",
            "retry_after_secs",
            "reset_at_ms",
            "message",
            "evidence",
            "source",
            "text",
            "confidence",
            "http_status",
        ];
        Bytes(match self.rng.below(5) {
            0 => self.bytes(),
            1 | 2 => {
                let diagnosis = self.diagnosis();
                let mut json = serde_json::to_vec(&diagnosis).expect("a diagnosis serializes");
                if !self.rng.one_in(4) {
                    self.mutate(&mut json);
                }
                json
            }
            _ => self.shaped_json(KEYS),
        })
    }

    /// An object whose keys are the type's and whose values are anything, sometimes nested
    /// in the places the type has objects and arrays.
    fn shaped_json(&mut self, keys: &[&str]) -> Vec<u8> {
        let mut s = String::from("{");
        for i in 0..self.rng.skewed(12) {
            if i > 0 {
                s.push(',');
            }
            s.push('"');
            s.push_str(self.rng.pick(keys));
            s.push_str("\":");
            match self.rng.below(4) {
                0 => {
                    s.push_str("[{\"kind\":\"");
                    s.push_str(self.rng.pick(&[
                        "cloudflare_box",
                        "error_page",
                        "alert",
                        "turn_error",
                        "error_box",
                        "martian",
                        "CLOUDFLARE_BOX",
                        "",
                        "message",
                        "cloudflare_blocked",
                        "none",
                    ]));
                    s.push_str("\",\"text\":");
                    self.json_ish(&mut s, 0);
                    s.push_str("}]");
                }
                1 => {
                    s.push('{');
                    s.push('"');
                    s.push_str(self.rng.pick(keys));
                    s.push_str("\":");
                    self.json_ish(&mut s, 0);
                    s.push('}');
                }
                _ => self.json_ish(&mut s, 0),
            }
        }
        s.push('}');
        let mut bytes = s.into_bytes();
        if self.rng.one_in(4) {
            self.mutate(&mut bytes);
        }
        bytes
    }

    fn bytes(&mut self) -> Vec<u8> {
        (0..self.rng.skewed(4096))
            .map(|_| self.rng.byte())
            .collect()
    }

    /// A header-like value: one fragment of a kind, else any text.
    fn header(&mut self, fragment: fn(&mut Gen, &mut String)) -> String {
        if self.rng.one_in(4) {
            return self.text();
        }
        let mut s = String::new();
        fragment(self, &mut s);
        s
    }

    fn one_of_or_text(&mut self, values: &[&str]) -> String {
        if self.rng.one_in(3) {
            self.text()
        } else {
            self.rng.pick(values).to_string()
        }
    }

    /// One of the edge values, or sometimes any value of the type.
    fn edge_or_any<T: Copy>(&mut self, edges: &[T], any: fn(u64) -> T) -> T {
        if self.rng.one_in(edges.len() + 1) {
            any(self.rng.next_u64())
        } else {
            self.rng.pick(edges)
        }
    }

    fn status(&mut self) -> Option<u16> {
        match self.rng.below(4) {
            0 => None,
            1 => Some(self.rng.next_u64() as u16),
            _ => Some(self.rng.pick(STATUSES)),
        }
    }

    fn url(&mut self) -> String {
        let base = self.rng.pick(&[
            "https://chatgpt.com/",
            "https://chat.openai.com/",
            "https://chatgpt.com/c/",
            "https://chat.openai.com/auth/login?next=",
            "https://chatgpt.com/?model=x#",
            "javascript:",
            "",
            "chatgpt.com",
            "https://",
            "//",
        ]);
        let rest = if self.rng.one_in(2) {
            self.text()
        } else {
            String::new()
        };
        format!("{base}{rest}")
    }

    fn markers(&mut self) -> Vec<String> {
        let known: Vec<&str> = SENSOR_SPEC
            .markers
            .iter()
            .map(|m| m.id)
            .chain(SENSOR_SPEC.script_probes.iter().map(|p| p.id))
            .collect();
        let count = if self.rng.one_in(200) {
            self.rng.skewed(10_000)
        } else {
            self.rng.skewed(12)
        };
        (0..count)
            .map(|_| match self.rng.below(6) {
                0 => self.text(),
                1 => "".to_string(),
                _ => self.rng.pick(&known).to_string(),
            })
            .collect()
    }

    /// Regions: usually as many as the sensor sends (it stops at `max_regions`), sometimes
    /// far more, as a snapshot that did not come from the sensor could hold.
    fn regions(&mut self) -> Vec<Region> {
        let count = if self.rng.one_in(100) {
            self.rng.skewed(2_000)
        } else {
            self.rng.skewed(SENSOR_SPEC.max_regions + 4)
        };
        (0..count)
            .map(|_| Region {
                kind: self.rng.pick(REGION_KINDS),
                text: self.text(),
            })
            .collect()
    }

    fn navigation_error(&mut self) -> String {
        match self.rng.below(4) {
            0 => self.text(),
            1 => format!("Error code {}", self.rng.next_u64() as u32),
            2 => {
                let mut s = "net::".to_string();
                self.near_miss(&mut s);
                s
            }
            _ => self
                .rng
                .pick(&[
                    "net::ERR_CONNECTION_RESET",
                    "Error code 2152398868",
                    "0x804B0014",
                    "0x",
                    "NS_ERROR_NET_RESET",
                    "net::ERR_ABORTED",
                    "net::",
                    "Error code -1",
                    "Error code 0xFFFFFFFFFFFFFFFFFF",
                ])
                .to_string(),
        }
    }

    /// Milliseconds as a page could report them, and every float that is not a time.
    pub(super) fn float(&mut self) -> f64 {
        match self.rng.below(4) {
            0 => self.rng.pick(&[
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
                0.0,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
                8.64e15,
                -8.64e15,
                1e300,
            ]),
            1 => f64::from_bits(self.rng.next_u64()),
            _ => 1.7e12 + (self.rng.next_u64() % 100_000_000_000) as f64,
        }
    }
}
