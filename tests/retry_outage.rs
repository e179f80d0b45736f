//! A long outage, driven through the retry machine with a fake clock: no more reloads than
//! Chromium's own schedule would make, recovery seen within one interval of the outage's
//! end, and many tabs failing together that do not come back in lockstep.

use error_doctor::plans::retry::{
    step, RetryCommand, RetryEvent, RetryInput, RetryOutcome, RetryRun, RECOVERY_SETTLE_MS,
    SCHEDULE_MS,
};
use error_doctor::{Diagnosis, ErrorKind};

const MINUTE: f64 = 60_000.0;

/// A small deterministic generator, so every run of the test sees the same jitter.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn diagnosis(kind: ErrorKind) -> Diagnosis {
    Diagnosis {
        kind,
        ..Diagnosis::default()
    }
}

fn input(
    run: Option<RetryRun>,
    event: RetryEvent,
    kind: ErrorKind,
    now: f64,
    r: f64,
) -> RetryInput {
    RetryInput {
        run,
        event: Some(event),
        diagnosis: Some(diagnosis(kind)),
        settings: None,
        now_ms: now,
        random: r,
        online: Some(true),
        ..RetryInput::default()
    }
}

/// Runs one tab through an outage of `outage_ms`, page loads taking `load_ms`. Returns the
/// reload times and when recovery was seen (and the wait that was running at the outage's
/// end). A healthy page ends the run only after the settle time, and only if it stays
/// healthy.
fn simulate(
    kind: ErrorKind,
    outage_ms: f64,
    load_ms: f64,
    rng: &mut Lcg,
) -> (Vec<f64>, Option<f64>, f64) {
    let mut run = match step(&input(None, RetryEvent::Start, kind, 0.0, rng.next())) {
        RetryCommand::Schedule { run } => run,
        other => panic!("start: {other:?}"),
    };
    let mut reloads = Vec::new();
    let mut wait_at_end = 0.0;
    let mut page = kind;
    let mut healthy_seen = None;
    loop {
        let now = run.due_at_ms;
        if now >= outage_ms && wait_at_end == 0.0 {
            wait_at_end = run.wait_ms;
        }
        match step(&input(
            Some(run.clone()),
            RetryEvent::Due,
            page,
            now,
            rng.next(),
        )) {
            RetryCommand::Reload { run: next } => {
                reloads.push(now);
                let loaded = now + load_ms;
                page = if loaded >= outage_ms {
                    ErrorKind::None
                } else {
                    kind
                };
                match step(&input(
                    Some(next.clone()),
                    RetryEvent::Seen,
                    page,
                    loaded,
                    rng.next(),
                )) {
                    RetryCommand::Stop { .. } => return (reloads, None, wait_at_end),
                    RetryCommand::Keep => run = next,
                    RetryCommand::Schedule { run: moved } => {
                        if page == ErrorKind::None {
                            assert_eq!(moved.due_at_ms, loaded + RECOVERY_SETTLE_MS);
                            healthy_seen = Some(loaded);
                        }
                        run = moved;
                    }
                    other => panic!("seen: {other:?}"),
                }
            }
            RetryCommand::Stop {
                outcome: RetryOutcome::Recovered,
            } => {
                let seen = healthy_seen.expect("recovered without a healthy page");
                assert!(now >= seen + RECOVERY_SETTLE_MS);
                return (reloads, healthy_seen, wait_at_end);
            }
            RetryCommand::Stop { .. } => return (reloads, None, wait_at_end),
            other => panic!("due: {other:?}"),
        }
    }
}

#[test]
fn a_thirty_minute_outage_costs_no_more_reloads_than_chromium_would_make() {
    // Chromium reloads a failed page after 1 s, 5 s, 30 s, 1 min, 5 min, 10 min, 30 min…:
    // within 30 minutes that is six reloads; ±20% jitter cannot fit a seventh.
    let mut elapsed = 0.0;
    let chromium_in_30_min = SCHEDULE_MS
        .iter()
        .take_while(|d| {
            elapsed += **d;
            elapsed <= 30.0 * MINUTE
        })
        .count();
    assert_eq!(chromium_in_30_min, 6);
    let mut rng = Lcg(7);
    for trial in 0..200 {
        let (reloads, recovered, wait_at_end) =
            simulate(ErrorKind::NetworkError, 30.0 * MINUTE, 800.0, &mut rng);
        let during = reloads.iter().filter(|t| **t < 30.0 * MINUTE).count();
        assert!(
            during <= chromium_in_30_min,
            "trial {trial}: {during} reloads during the outage"
        );
        // Recovery is seen at the first reload after the end: within one interval of it.
        let recovered = recovered.unwrap_or_else(|| panic!("trial {trial}: never recovered"));
        assert!(recovered >= 30.0 * MINUTE);
        assert!(
            recovered - 30.0 * MINUTE <= wait_at_end + 800.0,
            "trial {trial}: recovery seen {} s after the end",
            (recovered - 30.0 * MINUTE) / 1000.0
        );
    }
}

#[test]
fn a_server_side_outage_starts_slower_still() {
    let mut rng = Lcg(11);
    let (reloads, recovered, _) = simulate(ErrorKind::ServerError, 30.0 * MINUTE, 800.0, &mut rng);
    assert!(
        reloads[0] >= 4_000.0,
        "first reload after {} ms",
        reloads[0]
    );
    assert!(reloads.iter().filter(|t| **t < 30.0 * MINUTE).count() <= 5);
    assert!(recovered.is_some());
}

#[test]
fn many_tabs_failing_together_do_not_reload_in_lockstep() {
    let mut rng = Lcg(3);
    let tabs: Vec<Vec<f64>> = (0..50)
        .map(|_| simulate(ErrorKind::ServerUnreachable, 20.0 * MINUTE, 500.0, &mut rng).0)
        .collect();
    for attempt in 0..4 {
        let mut at: Vec<f64> = tabs
            .iter()
            .filter_map(|r| r.get(attempt).copied())
            .collect();
        at.sort_by(f64::total_cmp);
        let spread = at[at.len() - 1] - at[0];
        let base: f64 = SCHEDULE_MS[1..=attempt + 1].iter().sum();
        // ±20% jitter on each wait: the 50 tabs spread over a good part of that window.
        assert!(
            spread > 0.2 * base,
            "attempt {attempt}: spread {spread} ms of {base}"
        );
        let same_ms = at.windows(2).filter(|w| (w[1] - w[0]).abs() < 1.0).count();
        assert!(
            same_ms <= 1,
            "attempt {attempt}: {same_ms} tabs reload in the same ms"
        );
    }
}
