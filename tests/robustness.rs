//! The core is total: whatever a page contains, `classify`, `badge` and `explain` answer,
//! without panicking and in bounded time. Seeded, so a failure reproduces.

use chatgpt_doctor::classify::classify;
use chatgpt_doctor::kind::ErrorKind;
use chatgpt_doctor::presentation::{badge, explain};
use chatgpt_doctor::snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Text made of pieces that matter (phrases, codes, separators) and pieces that hurt
    /// (combining marks, zero-width and bidi controls, surrogate-free oddities, huge runs).
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "Error code",
            "error code: ",
            "1020",
            "1015",
            "522",
            "Ray ID: ",
            "7b9d776a8e02f1b8",
            "Access denied",
            "Just a moment",
            "...",
            "\u{2026}",
            "Too many requests",
            "try again after ",
            "3:27 PM",
            "25:99 PM",
            "in 5 minutes",
            "Retry-After",
            "\u{200b}",
            "\u{202e}",
            "\u{0301}",
            "\u{fffd}",
            "\u{1f600}",
            "İ",
            "ß",
            "\u{feff}",
            " ",
            "\n\t",
            "<script>",
            "</div>",
            "&amp;",
            "network error",
            "unusual activity",
            "session has expired",
            "\0",
            "9999999999999999999999",
            "error",
            "error error error",
            ":",
            "#",
            "Error 00001020",
            "\u{2019}",
            "\u{201c}",
        ];
        let mut s = String::new();
        for _ in 0..self.below(40) {
            let piece: &str = PIECES[self.below(PIECES.len() as u64) as usize];
            s.push_str(piece);
            if self.below(20) == 0 {
                let c = char::from_u32(self.below(0x11_0000) as u32).unwrap_or('x');
                s.push(c);
            }
        }
        if self.below(50) == 0 {
            s.push_str(&"a".repeat(200_000));
        }
        s
    }
    fn maybe_text(&mut self) -> Option<String> {
        (self.below(2) == 0).then(|| self.text())
    }
}

fn snapshot(rng: &mut Rng) -> PageSnapshot {
    const MARKERS: &[&str] = &[
        "cf_error_box",
        "cf_status_diagram",
        "cf_challenge",
        "cf_challenge_script",
        "openai_error_page",
        "app_shell",
        "login_button",
        "turn_retry_button",
        "",
        "bogus",
    ];
    const KINDS: &[RegionKind] = &[
        RegionKind::CloudflareBox,
        RegionKind::ErrorPage,
        RegionKind::Alert,
        RegionKind::TurnError,
        RegionKind::Unknown,
    ];
    PageSnapshot {
        url: rng.text(),
        title: rng.text(),
        response: ResponseInfo {
            status: (rng.below(2) == 0).then(|| rng.below(65_536) as u16),
            cf_ray: rng.maybe_text(),
            cf_mitigated: rng.maybe_text(),
            retry_after: rng.maybe_text(),
            server: rng.maybe_text(),
            content_type: rng.maybe_text(),
        },
        markers: (0..rng.below(6))
            .map(|_| rng.pick(MARKERS).to_string())
            .collect(),
        regions: (0..rng.below(30))
            .map(|_| Region {
                kind: *rng.pick(KINDS),
                text: rng.text(),
            })
            .collect(),
        page_text_len: (rng.below(2) == 0).then(|| rng.next() as u32),
        navigation_error: rng.maybe_text(),
        now_ms: (rng.below(2) == 0).then(|| match rng.below(4) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => -1e300,
            _ => rng.below(4_000_000_000_000) as f64,
        }),
        utc_offset_minutes: (rng.below(2) == 0).then(|| rng.next() as i32),
    }
}

#[test]
fn any_snapshot_gets_an_answer() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for _ in 0..3_000 {
        let s = snapshot(&mut rng);
        let t = Instant::now();
        let d = classify(&s);
        slowest = slowest.max(t.elapsed());
        assert!(ErrorKind::ALL.contains(&d.kind));
        assert!(
            d.evidence.iter().all(|e| e.text.chars().count() <= 1_000),
            "evidence is quoted, not dumped"
        );
        assert!(d
            .message
            .as_ref()
            .is_none_or(|m| m.chars().count() <= 1_000));
        let b = badge(&d);
        assert!(b.text.chars().count() <= 4, "badge {:?}", b.text);
        let _ = explain(&d);
    }
    // Generous bounds: this guards against runaway scans, not a performance goal.
    assert!(
        slowest < Duration::from_secs(2),
        "one snapshot took {slowest:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(120));
}

#[test]
fn an_empty_snapshot_is_healthy() {
    assert_eq!(classify(&PageSnapshot::default()).kind, ErrorKind::None);
}
