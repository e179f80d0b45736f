//! When to reload a failing tab, and when to stop: a small state machine the glue drives
//! with events (the person clicked, a timer fired, a new diagnosis arrived, the browser went
//! offline or came back) and whose commands it carries out. The glue keeps the `RetryRun`
//! in `storage.session` between events, so a run outlives the popup and the service worker.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::named::{named, serde_by_name};
use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind::{
    self, AppError, AtCapacity, CloudflareRateLimited, NetworkError, RateLimited, ServerError,
    ServerUnreachable,
};
use crate::plans::hands_free::{self, HandsFree, HandsFreeFacts};
use crate::plans::retry_budget::{self, WaitingRun};
use crate::plans::settings::Settings;

/// Chromium's own auto-reload schedule for network-error pages: the anchor of ours.
pub const SCHEDULE_MS: [f64; 7] = [
    1_000.0,
    5_000.0,
    30_000.0,
    60_000.0,
    300_000.0,
    600_000.0,
    1_800_000.0,
];
/// Each wait is spread by ±20% so that many tabs (or many people) failing at the same
/// moment do not come back in lockstep.
pub const JITTER: f64 = 0.2;
/// A stated wait (`Retry-After`, a reset time) is waited out with this much to spare:
/// arriving a moment early would only earn another refusal.
pub const STATED_MARGIN_MS: f64 = 2_000.0;
/// Timers and alarms are not exact: one that fires this much early still counts.
pub const EARLY_TOLERANCE_MS: f64 = 250.0;
/// No stated wait is taken longer than a day: a `Retry-After` of years, or a reset time
/// computed from a clock gone wrong, is not believed.
pub const MAX_STATED_WAIT_MS: f64 = 24.0 * 3_600_000.0;
/// A page a retry loaded counts as healthy only once it has stayed healthy this long:
/// ChatGPT draws its toasts, limit notices and "Unable to load conversation" a few seconds
/// after the document is ready, and stopping at the first healthy report would tell a
/// background tab "works again" while it is still broken.
pub const RECOVERY_SETTLE_MS: f64 = 8_000.0;
/// Back online with nothing left to wait: reload after this, not at once (the network
/// often needs a moment after the `online` event).
pub const RESUME_DELAY_MS: f64 = 1_000.0;

/// Why the current wait is as long as it is.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitBasis {
    Schedule,
    RetryAfter,
    ResetTime,
    /// Other tabs reload first: the shared budget ([`retry_budget`]) put this one later.
    SharedBudget,
    /// The reloaded page looks healthy; the run ends once it has stayed so.
    Settle,
}

serde_by_name!(WaitBasis {
    Schedule = "schedule",
    RetryAfter = "retry_after",
    ResetTime = "reset_time",
    SharedBudget = "shared_budget",
    Settle = "settle",
});

/// A tab's run, as the glue finds it in storage.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabRun {
    pub tab_id: f64,
    pub run: RetryRun,
}

/// The runs that wait for a reload, and so take a place in the budget every tab shares: not
/// one paused while offline, one whose reloaded page is settling, or one that reloads no more.
pub fn waiting_runs(runs: &[TabRun]) -> Vec<WaitingRun> {
    runs.iter()
        .filter(|t| {
            t.run.paused_remaining_ms.is_none() && !t.run.last && t.run.healthy_since_ms.is_none()
        })
        .map(|t| WaitingRun {
            tab_id: t.tab_id,
            due_at_ms: t.run.due_at_ms,
        })
        .collect()
}

/// A retry in progress for one tab.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryRun {
    pub kind: ErrorKind,
    /// Reloads done so far.
    pub attempt: u32,
    pub max_attempts: u32,
    pub started_at_ms: f64,
    /// When the next reload is due (while not paused).
    pub due_at_ms: f64,
    /// The whole wait that ends at `due_at_ms`.
    pub wait_ms: f64,
    pub basis: WaitBasis,
    /// While the browser is offline: how much of the wait was left when it went.
    pub paused_remaining_ms: Option<f64>,
    /// This run reloads no more: attempts or time are used up, the result is awaited.
    pub last: bool,
    /// Since when the page a retry loaded has looked healthy (the run ends after
    /// [`RECOVERY_SETTLE_MS`] of it).
    #[serde(default)]
    pub healthy_since_ms: Option<f64>,
    /// The run started by itself (no click): the options can stop it, and it never reloads
    /// a page whose prompt could not be saved.
    #[serde(default)]
    pub hands_free: bool,
}

/// `{ "type": "start" }` and so on.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RetryEvent {
    /// The person asked for a retry.
    Start,
    /// A timer or alarm fired (possibly early, late, or twice).
    Due,
    /// A new diagnosis was recorded for the tab.
    Seen,
    Offline,
    Online,
    Cancel,
}

named!(RetryEvent {
    Start = "start",
    Due = "due",
    Seen = "seen",
    Offline = "offline",
    Online = "online",
    Cancel = "cancel",
});

/// Read as a struct with one `type` field: serde's derive for an internally tagged enum
/// would buffer the whole value in its generic `Content` first, several KB of WebAssembly
/// for six names.
impl<'de> Deserialize<'de> for RetryEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RetryEvent, D::Error> {
        #[derive(Deserialize)]
        struct Tagged {
            #[serde(rename = "type")]
            id: String,
        }
        let Tagged { id } = Tagged::deserialize(d)?;
        RetryEvent::from_id(&id).ok_or_else(|| D::Error::unknown_variant(&id, RetryEvent::IDS))
    }
}

#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryOutcome {
    /// The page is healthy again.
    Recovered,
    Cancelled,
    /// Attempts or time ran out.
    GaveUp,
    /// Reloading does not fix this error (a block, an expired session, a challenge loop).
    NotRetryable,
    /// A run that started by itself stopped rather than reload away an unsent prompt it
    /// could not save (the person's words come before a retry nobody asked for).
    PromptUnsaved,
}

serde_by_name!(RetryOutcome {
    Recovered = "recovered",
    Cancelled = "cancelled",
    GaveUp = "gave_up",
    NotRetryable = "not_retryable",
    PromptUnsaved = "prompt_unsaved",
});

/// How a tab's last run ended, kept for the popup ("Reloaded 3 times by itself · works
/// again since 14:02") and the support report.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryResult {
    pub outcome: RetryOutcome,
    /// Reloads the run made.
    pub reloads: u32,
    /// The run started by itself.
    pub hands_free: bool,
    /// When it ended (ms since the epoch).
    pub at_ms: f64,
}

/// The popup's line for a finished run: its message key (the count and time are its
/// substitutions).
pub fn result_message(result: &RetryResult) -> &'static str {
    match (result.outcome, result.hands_free) {
        (RetryOutcome::Recovered, true) => "retry_result_recovered_by_itself",
        (RetryOutcome::Recovered, false) => "retry_result_recovered",
        (RetryOutcome::GaveUp, _) => "retry_result_gave_up",
        (RetryOutcome::Cancelled, _) => "retry_result_cancelled",
        (RetryOutcome::NotRetryable, _) => "retry_result_not_retryable",
        (RetryOutcome::PromptUnsaved, _) => "retry_result_prompt_unsaved",
    }
}

/// What the glue must do next.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum RetryCommand {
    /// Nothing changes.
    Keep,
    /// Store the run and arm its timers for `due_at_ms` (none while paused).
    Schedule { run: RetryRun },
    /// Store the run (its `due_at_ms` is the backstop should the page never report), then
    /// reload the tab now.
    Reload { run: RetryRun },
    /// Auto-retry is off: reload once now, keep no run.
    ReloadOnce,
    /// Forget the run.
    Stop { outcome: RetryOutcome },
}

impl RetryCommand {
    /// The `command` tags the glue switches on (a test checks them against serde's).
    pub const COMMANDS: &'static [&'static str] =
        &["keep", "schedule", "reload", "reload_once", "stop"];
}

/// Everything one step needs. `random` is in [0, 1): the glue's `Math.random()`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RetryInput {
    pub run: Option<RetryRun>,
    pub event: Option<RetryEvent>,
    /// The tab's latest diagnosis.
    pub diagnosis: Option<Diagnosis>,
    pub settings: Option<Settings>,
    pub now_ms: f64,
    pub random: f64,
    /// `navigator.onLine`; absent means online.
    pub online: Option<bool>,
    /// This tab, and the other tabs' runs: those waiting for a reload share one budget.
    pub tab_id: f64,
    pub other_runs: Vec<TabRun>,
    /// When the extension last reloaded a tab by itself (any tab), newest last.
    pub recent_reloads_ms: Vec<f64>,
    /// Given with a `seen` event while the tab has no run: what decides whether a run
    /// starts by itself ([`hands_free::decide`]).
    pub hands_free: Option<HandsFreeFacts>,
}

/// Does reloading (eventually) fix this kind of error?
pub fn retryable(kind: ErrorKind) -> bool {
    matches!(
        kind,
        NetworkError
            | ServerUnreachable
            | ServerError
            | AtCapacity
            | AppError
            | RateLimited
            | CloudflareRateLimited
    )
}

/// Where in the schedule a run starts. A dropped connection is worth trying again at once,
/// as Chromium does; a server that is failing or full is given longer; a limit longer still.
fn first_step(kind: ErrorKind) -> usize {
    match kind {
        NetworkError => 0,
        ServerError | ServerUnreachable | AppError => 1,
        AtCapacity => 2,
        RateLimited | CloudflareRateLimited => 3,
        _ => 1,
    }
}

/// The wait before reload number `attempt + 1`.
pub fn wait_before(
    kind: ErrorKind,
    attempt: u32,
    diagnosis: Option<&Diagnosis>,
    now_ms: f64,
    random: f64,
) -> (f64, WaitBasis) {
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let step = (first_step(kind) + attempt as usize).min(SCHEDULE_MS.len() - 1);
    let scheduled = SCHEDULE_MS[step] * (1.0 - JITTER + 2.0 * JITTER * random);
    let mut wait = (scheduled, WaitBasis::Schedule);
    // A wait the server stated is a floor: jitter only ever adds to it.
    let stretch =
        |ms: f64| (ms.min(MAX_STATED_WAIT_MS) + STATED_MARGIN_MS) * (1.0 + JITTER * random);
    if let Some(d) = diagnosis {
        if let Some(secs) = d.retry_after_secs {
            let stated = stretch(secs as f64 * 1000.0);
            if stated > wait.0 {
                wait = (stated, WaitBasis::RetryAfter);
            }
        }
        if let Some(reset) = d.reset_at_ms.filter(|r| r.is_finite() && *r > now_ms) {
            let stated = stretch(reset - now_ms);
            if stated > wait.0 {
                wait = (stated, WaitBasis::ResetTime);
            }
        }
    }
    wait
}

/// One step of the machine.
pub fn step(input: &RetryInput) -> RetryCommand {
    let settings = input.settings.clone().unwrap_or_default().sanitized();
    let now = if input.now_ms.is_finite() {
        input.now_ms
    } else {
        0.0
    };
    let online = input.online.unwrap_or(true);
    let diagnosis = input.diagnosis.as_ref();
    let Some(event) = input.event else {
        return RetryCommand::Keep;
    };
    let Some(run) = input.run.clone() else {
        return match event {
            RetryEvent::Start => start(diagnosis, &settings, now, input.random, online),
            RetryEvent::Seen => start_by_itself(input, &settings, now, online),
            _ => RetryCommand::Keep,
        };
    };
    match event {
        // Clicking again while a run is in progress changes nothing.
        RetryEvent::Start => RetryCommand::Keep,
        RetryEvent::Cancel => RetryCommand::Stop {
            outcome: RetryOutcome::Cancelled,
        },
        RetryEvent::Offline => pause(run, now),
        RetryEvent::Online => resume(run, now),
        RetryEvent::Due => due(run, input, &settings, now, online),
        RetryEvent::Seen => seen(run, diagnosis, now, input.random),
    }
}

/// A new diagnosis and no run: one starts by itself where [`hands_free::decide`] says so,
/// as a click would start it, marked as started by itself.
fn start_by_itself(
    input: &RetryInput,
    settings: &Settings,
    now: f64,
    online: bool,
) -> RetryCommand {
    let (Some(facts), Some(d)) = (input.hands_free.as_ref(), input.diagnosis.as_ref()) else {
        return RetryCommand::Keep;
    };
    if !settings.auto_retry
        || hands_free::decide(d, facts, settings, input.tab_id, &input.other_runs)
            != HandsFree::Starts
    {
        return RetryCommand::Keep;
    }
    match start(Some(d), settings, now, input.random, online) {
        RetryCommand::Schedule { mut run } => {
            run.hands_free = true;
            RetryCommand::Schedule { run }
        }
        _ => RetryCommand::Keep,
    }
}

fn start(
    diagnosis: Option<&Diagnosis>,
    settings: &Settings,
    now: f64,
    random: f64,
    online: bool,
) -> RetryCommand {
    let Some(d) = diagnosis.filter(|d| retryable(d.kind)) else {
        return RetryCommand::Stop {
            outcome: RetryOutcome::NotRetryable,
        };
    };
    if !settings.auto_retry {
        return RetryCommand::ReloadOnce;
    }
    let (wait_ms, basis) = wait_before(d.kind, 0, Some(d), now, random);
    let run = RetryRun {
        kind: d.kind,
        attempt: 0,
        max_attempts: settings.max_attempts,
        started_at_ms: now,
        due_at_ms: now + wait_ms,
        wait_ms,
        basis,
        paused_remaining_ms: None,
        last: false,
        healthy_since_ms: None,
        hands_free: false,
    };
    if online {
        RetryCommand::Schedule { run }
    } else {
        pause(run, now)
    }
}

fn pause(mut run: RetryRun, now: f64) -> RetryCommand {
    if run.paused_remaining_ms.is_some() {
        return RetryCommand::Keep;
    }
    run.paused_remaining_ms = Some((run.due_at_ms - now).max(0.0));
    RetryCommand::Schedule { run }
}

fn resume(mut run: RetryRun, now: f64) -> RetryCommand {
    let Some(remaining) = run.paused_remaining_ms.take() else {
        return RetryCommand::Keep;
    };
    run.due_at_ms = now + remaining.max(RESUME_DELAY_MS);
    RetryCommand::Schedule { run }
}

fn due(
    mut run: RetryRun,
    input: &RetryInput,
    settings: &Settings,
    now: f64,
    online: bool,
) -> RetryCommand {
    let diagnosis = input.diagnosis.as_ref();
    if run.paused_remaining_ms.is_some() {
        return RetryCommand::Keep;
    }
    if run.hands_free && !(settings.retry_by_itself && settings.auto_retry) {
        // The person turned retrying by itself off while this run waited.
        return RetryCommand::Stop {
            outcome: RetryOutcome::Cancelled,
        };
    }
    if now + EARLY_TOLERANCE_MS < run.due_at_ms {
        // Early: arm again for the real time.
        return RetryCommand::Schedule { run };
    }
    if diagnosis.is_some_and(|d| d.kind == ErrorKind::ResponsePending) {
        // The page now waits for an answer that may still arrive: a reload would cut it off.
        return RetryCommand::Stop {
            outcome: RetryOutcome::NotRetryable,
        };
    }
    if run.healthy_since_ms.is_some() {
        // The settle time is over and no error came: the retry worked.
        if diagnosis.is_none_or(|d| !d.kind.is_error()) {
            return RetryCommand::Stop {
                outcome: RetryOutcome::Recovered,
            };
        }
        run.healthy_since_ms = None;
    }
    if run.last {
        return RetryCommand::Stop {
            outcome: RetryOutcome::GaveUp,
        };
    }
    if !online {
        return pause(run, now);
    }
    // Other tabs may be owed a reload first: wait for this tab's slot in the shared plan.
    let mut waiting: Vec<WaitingRun> = waiting_runs(&input.other_runs)
        .into_iter()
        .filter(|w| w.tab_id != input.tab_id)
        .collect();
    waiting.push(WaitingRun {
        tab_id: input.tab_id,
        due_at_ms: run.due_at_ms,
    });
    let slot = retry_budget::plan(&waiting, &input.recent_reloads_ms, now)
        .into_iter()
        .find(|p| p.tab_id == input.tab_id)
        .map_or(now, |p| p.at_ms);
    // No tolerance here: a reload a moment early would break the budget's spacing.
    if now < slot {
        run.due_at_ms = slot;
        run.basis = WaitBasis::SharedBudget;
        return RetryCommand::Schedule { run };
    }
    run.attempt += 1;
    let (wait_ms, basis) = wait_before(run.kind, run.attempt, diagnosis, now, input.random);
    run.wait_ms = wait_ms;
    run.basis = basis;
    run.due_at_ms = now + wait_ms;
    run.last = run.attempt >= run.max_attempts.min(settings.max_attempts)
        || run.due_at_ms - run.started_at_ms > settings.max_total_ms();
    RetryCommand::Reload { run }
}

fn seen(mut run: RetryRun, diagnosis: Option<&Diagnosis>, now: f64, random: f64) -> RetryCommand {
    let Some(d) = diagnosis else {
        return RetryCommand::Keep;
    };
    if !d.kind.is_error() {
        if run.attempt == 0 {
            // Healthy before any reload of ours: nothing of this page was loaded by a retry.
            return RetryCommand::Stop {
                outcome: RetryOutcome::Recovered,
            };
        }
        if run.healthy_since_ms.is_some() {
            return RetryCommand::Keep;
        }
        // A page a retry loaded: healthy only once it has stayed so for the settle time.
        run.healthy_since_ms = Some(now);
        run.due_at_ms = now + RECOVERY_SETTLE_MS;
        run.wait_ms = RECOVERY_SETTLE_MS;
        run.basis = WaitBasis::Settle;
        return RetryCommand::Schedule { run };
    }
    if run.healthy_since_ms.take().is_some() {
        // The reloaded page showed its error after all: back to the schedule, from now.
        let (wait_ms, basis) = wait_before(d.kind, run.attempt, Some(d), now, random);
        run.kind = d.kind;
        run.due_at_ms = now + wait_ms;
        run.wait_ms = wait_ms;
        run.basis = basis;
        if !retryable(d.kind) {
            return RetryCommand::Stop {
                outcome: RetryOutcome::NotRetryable,
            };
        }
        if run.last {
            return RetryCommand::Stop {
                outcome: RetryOutcome::GaveUp,
            };
        }
        return RetryCommand::Schedule { run };
    }
    if !retryable(d.kind) {
        return RetryCommand::Stop {
            outcome: RetryOutcome::NotRetryable,
        };
    }
    if run.last && run.attempt > 0 {
        // The final reload's page failed too.
        return RetryCommand::Stop {
            outcome: RetryOutcome::GaveUp,
        };
    }
    // The server may have said how long to wait, or the error became one that deserves a
    // longer wait: never come back sooner than that.
    let (wait_ms, basis) = wait_before(d.kind, run.attempt, Some(d), now, random);
    let changed_kind = run.kind != d.kind;
    run.kind = d.kind;
    if (changed_kind || basis != WaitBasis::Schedule) && now + wait_ms > run.due_at_ms {
        run.due_at_ms = now + wait_ms;
        run.wait_ms = wait_ms;
        run.basis = basis;
        if let Some(left) = run.paused_remaining_ms.as_mut() {
            *left = left.max(wait_ms);
        }
        return RetryCommand::Schedule { run };
    }
    if changed_kind {
        return RetryCommand::Schedule { run };
    }
    RetryCommand::Keep
}

/// When a usage limit this diagnosis states will have reset: the moment to tell the person.
pub fn limit_resets_at(d: &Diagnosis, now_ms: f64) -> Option<f64> {
    if !matches!(d.kind, RateLimited | CloudflareRateLimited) {
        return None;
    }
    d.reset_at_ms
        .filter(|r| r.is_finite() && *r > now_ms)
        .or_else(|| d.retry_after_secs.map(|s| now_ms + s as f64 * 1000.0))
}

/// Which notification, if any, a finished run deserves: only news the person cannot see
/// already (the tab is in the background), and only if they want notifications at all.
pub fn notification_for(
    outcome: RetryOutcome,
    tab_visible: bool,
    settings: &Settings,
) -> Option<&'static str> {
    if !settings.notifications || tab_visible {
        return None;
    }
    match outcome {
        RetryOutcome::Recovered => Some("notify_recovered"),
        RetryOutcome::GaveUp => Some("notify_gave_up"),
        RetryOutcome::Cancelled | RetryOutcome::NotRetryable | RetryOutcome::PromptUnsaved => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_a_run_ends_has_its_own_line() {
        let ended = |outcome, hands_free| RetryResult {
            outcome,
            reloads: 2,
            hands_free,
            at_ms: 0.0,
        };
        let lines: Vec<&str> = RetryOutcome::VARIANTS
            .iter()
            .map(|o| result_message(&ended(*o, false)))
            .collect();
        for (i, line) in lines.iter().enumerate() {
            assert!(!lines[..i].contains(line), "{line} says two endings");
        }
        assert_eq!(
            result_message(&ended(RetryOutcome::PromptUnsaved, true)),
            "retry_result_prompt_unsaved"
        );
    }
    use crate::page::kind::ErrorKind::{CloudflareBlocked, CloudflareChallenge, SessionExpired};
    use crate::plans::hands_free::HandsFreeFacts;

    fn diag(kind: ErrorKind) -> Diagnosis {
        Diagnosis {
            kind,
            ..Diagnosis::default()
        }
    }

    fn input(run: Option<RetryRun>, event: RetryEvent, d: Diagnosis, now: f64) -> RetryInput {
        RetryInput {
            run,
            event: Some(event),
            diagnosis: Some(d),
            settings: None,
            now_ms: now,
            random: 0.5,
            online: Some(true),
            ..RetryInput::default()
        }
    }

    #[test]
    fn events_read_as_the_glue_writes_them() {
        for &e in RetryEvent::VARIANTS {
            let json = serde_json::to_value(e).unwrap();
            assert_eq!(json, serde_json::json!({ "type": e.id() }));
            assert_eq!(serde_json::from_value::<RetryEvent>(json).unwrap(), e);
        }
        let extra = serde_json::json!({"type": "due", "at": 5});
        assert_eq!(
            serde_json::from_value::<RetryEvent>(extra).unwrap(),
            RetryEvent::Due
        );
        for bad in [
            serde_json::json!({"type": "explode"}),
            serde_json::json!({}),
            serde_json::json!("start"),
            serde_json::json!({"type": 5}),
        ] {
            assert!(serde_json::from_value::<RetryEvent>(bad).is_err());
        }
    }

    fn scheduled(c: RetryCommand) -> RetryRun {
        match c {
            RetryCommand::Schedule { run } | RetryCommand::Reload { run } => run,
            other => panic!("expected a run, got {other:?}"),
        }
    }

    #[test]
    fn a_network_error_starts_at_one_second_a_server_error_later() {
        let net = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        assert_eq!(net.due_at_ms, 1_000.0);
        let server = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(ServerError),
            0.0,
        )));
        assert_eq!(server.due_at_ms, 5_000.0);
        let full = scheduled(step(&input(None, RetryEvent::Start, diag(AtCapacity), 0.0)));
        assert_eq!(full.due_at_ms, 30_000.0);
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for (i, r) in [0.0, 0.25, 0.999, 1.0, f64::NAN, -3.0]
            .into_iter()
            .enumerate()
        {
            for attempt in 0..10 {
                let (w, _) = wait_before(NetworkError, attempt, None, 0.0, r);
                let base = SCHEDULE_MS[(attempt as usize).min(6)];
                assert!(
                    (base * 0.8 - 1e-6..=base * 1.2 + 1e-6).contains(&w),
                    "{i} {w}"
                );
            }
        }
    }

    #[test]
    fn retry_after_is_a_floor_jitter_only_adds() {
        let d = Diagnosis {
            kind: ServerUnreachable,
            retry_after_secs: Some(120),
            ..Diagnosis::default()
        };
        for r in [0.0, 0.5, 0.99] {
            let (w, basis) = wait_before(d.kind, 0, Some(&d), 0.0, r);
            assert_eq!(basis, WaitBasis::RetryAfter);
            assert!((122_000.0..=122_000.0 * 1.2).contains(&w), "{w}");
        }
    }

    #[test]
    fn an_unbelievable_stated_wait_is_capped_at_a_day() {
        let d = Diagnosis {
            kind: RateLimited,
            retry_after_secs: Some(u32::MAX),
            reset_at_ms: Some(1e300),
            ..Diagnosis::default()
        };
        let (w, _) = wait_before(d.kind, 0, Some(&d), -1e300, 0.99);
        assert!(w.is_finite() && w <= (MAX_STATED_WAIT_MS + STATED_MARGIN_MS) * 1.2);
    }

    #[test]
    fn a_stated_reset_time_is_waited_for() {
        let d = Diagnosis {
            kind: RateLimited,
            reset_at_ms: Some(3_600_000.0),
            ..Diagnosis::default()
        };
        let run = scheduled(step(&input(None, RetryEvent::Start, d, 0.0)));
        assert_eq!(run.basis, WaitBasis::ResetTime);
        assert!(run.due_at_ms >= 3_602_000.0);
    }

    #[test]
    fn a_second_click_does_not_schedule_a_second_reload() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        assert_eq!(
            step(&input(
                Some(run.clone()),
                RetryEvent::Start,
                diag(NetworkError),
                10.0
            )),
            RetryCommand::Keep
        );
        // The same timer firing twice reloads once: the second sees a later due time.
        let after = scheduled(step(&input(
            Some(run),
            RetryEvent::Due,
            diag(NetworkError),
            1_000.0,
        )));
        assert_eq!(after.attempt, 1);
        assert!(matches!(
            step(&input(
                Some(after),
                RetryEvent::Due,
                diag(NetworkError),
                1_001.0
            )),
            RetryCommand::Schedule { .. }
        ));
    }

    #[test]
    fn healthy_stops_cancel_stops_blocks_are_refused() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(ServerError),
            0.0,
        )));
        assert_eq!(
            step(&input(
                Some(run.clone()),
                RetryEvent::Seen,
                diag(ErrorKind::None),
                1.0
            )),
            RetryCommand::Stop {
                outcome: RetryOutcome::Recovered
            }
        );
        assert_eq!(
            step(&input(
                Some(run),
                RetryEvent::Cancel,
                diag(ServerError),
                1.0
            )),
            RetryCommand::Stop {
                outcome: RetryOutcome::Cancelled
            }
        );
        for kind in [CloudflareBlocked, CloudflareChallenge, SessionExpired] {
            assert_eq!(
                step(&input(None, RetryEvent::Start, diag(kind), 0.0)),
                RetryCommand::Stop {
                    outcome: RetryOutcome::NotRetryable
                }
            );
        }
    }

    #[test]
    fn offline_pauses_the_countdown_and_online_resumes_it() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(ServerError),
            0.0,
        )));
        let paused = scheduled(step(&input(
            Some(run),
            RetryEvent::Offline,
            diag(ServerError),
            2_000.0,
        )));
        assert_eq!(paused.paused_remaining_ms, Some(3_000.0));
        // A timer firing while paused reloads nothing.
        assert_eq!(
            step(&input(
                Some(paused.clone()),
                RetryEvent::Due,
                diag(ServerError),
                60_000.0
            )),
            RetryCommand::Keep
        );
        let resumed = scheduled(step(&input(
            Some(paused),
            RetryEvent::Online,
            diag(ServerError),
            100_000.0,
        )));
        assert_eq!(resumed.paused_remaining_ms, None);
        assert_eq!(resumed.due_at_ms, 103_000.0);
        // Due while the browser says it is offline: pause instead of reloading.
        let mut offline = input(Some(resumed), RetryEvent::Due, diag(ServerError), 103_000.0);
        offline.online = Some(false);
        assert_eq!(scheduled(step(&offline)).paused_remaining_ms, Some(0.0));
    }

    #[test]
    fn attempts_are_capped() {
        let settings = Settings {
            max_attempts: 3,
            ..Settings::default()
        };
        let mut i = input(None, RetryEvent::Start, diag(NetworkError), 0.0);
        i.settings = Some(settings.clone());
        let mut run = scheduled(step(&i));
        let mut reloads = 0;
        loop {
            let mut i = input(
                Some(run.clone()),
                RetryEvent::Due,
                diag(NetworkError),
                run.due_at_ms,
            );
            i.settings = Some(settings.clone());
            match step(&i) {
                RetryCommand::Reload { run: next } => {
                    reloads += 1;
                    run = next;
                }
                RetryCommand::Stop { outcome } => {
                    assert_eq!(outcome, RetryOutcome::GaveUp);
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(reloads, 3);
    }

    #[test]
    fn a_longer_stated_wait_pushes_the_next_reload_back() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(ServerUnreachable),
            0.0,
        )));
        let d = Diagnosis {
            kind: CloudflareRateLimited,
            retry_after_secs: Some(30),
            ..Diagnosis::default()
        };
        let later = scheduled(step(&input(Some(run), RetryEvent::Seen, d, 100.0)));
        assert_eq!(later.kind, CloudflareRateLimited);
        assert!(later.due_at_ms >= 32_100.0);
    }

    fn reloaded(kind: ErrorKind) -> RetryRun {
        let run = scheduled(step(&input(None, RetryEvent::Start, diag(kind), 0.0)));
        let due = run.due_at_ms;
        match step(&input(Some(run), RetryEvent::Due, diag(kind), due)) {
            RetryCommand::Reload { run } => run,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_reloaded_page_is_recovered_only_once_it_stays_healthy() {
        let run = reloaded(ServerError);
        // The first report of the reloaded page is healthy: not yet.
        let settling = scheduled(step(&input(
            Some(run),
            RetryEvent::Seen,
            diag(ErrorKind::None),
            6_000.0,
        )));
        assert_eq!(settling.healthy_since_ms, Some(6_000.0));
        assert_eq!(settling.due_at_ms, 6_000.0 + RECOVERY_SETTLE_MS);
        assert_eq!(settling.basis, WaitBasis::Settle);
        // Another healthy report changes nothing; the settle time ending does.
        assert_eq!(
            step(&input(
                Some(settling.clone()),
                RetryEvent::Seen,
                diag(ErrorKind::None),
                7_000.0
            )),
            RetryCommand::Keep
        );
        assert!(matches!(
            step(&input(
                Some(settling.clone()),
                RetryEvent::Due,
                diag(ErrorKind::None),
                7_000.0
            )),
            RetryCommand::Schedule { .. }
        ));
        assert_eq!(
            step(&input(
                Some(settling),
                RetryEvent::Due,
                diag(ErrorKind::None),
                6_000.0 + RECOVERY_SETTLE_MS
            )),
            RetryCommand::Stop {
                outcome: RetryOutcome::Recovered
            }
        );
    }

    #[test]
    fn an_error_drawn_late_keeps_the_run_going() {
        let run = reloaded(ServerError);
        let settling = scheduled(step(&input(
            Some(run),
            RetryEvent::Seen,
            diag(ErrorKind::None),
            6_000.0,
        )));
        // ChatGPT draws "Unable to load conversation" two seconds later.
        let going = scheduled(step(&input(
            Some(settling),
            RetryEvent::Seen,
            diag(AppError),
            8_000.0,
        )));
        assert_eq!(going.healthy_since_ms, None);
        assert_eq!(going.kind, AppError);
        assert!(going.due_at_ms > 8_000.0 && going.basis == WaitBasis::Schedule);
        assert_eq!(going.attempt, 1);
    }

    #[test]
    fn a_run_stops_when_the_answer_may_still_arrive() {
        // A network error was being retried; now the app says it waits for the rest of the
        // answer: no reload may cut it off, when due or when seen.
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        for event in [RetryEvent::Seen, RetryEvent::Due] {
            let command = step(&input(
                Some(run.clone()),
                event,
                diag(ErrorKind::ResponsePending),
                2_000.0,
            ));
            assert!(
                matches!(
                    command,
                    RetryCommand::Stop {
                        outcome: RetryOutcome::NotRetryable
                    }
                ),
                "{event:?}: {command:?}"
            );
        }
        // Nor does one start.
        assert!(matches!(
            step(&input(
                None,
                RetryEvent::Start,
                diag(ErrorKind::ResponsePending),
                0.0
            )),
            RetryCommand::Stop { .. }
        ));
    }

    #[test]
    fn tabs_due_together_take_turns_within_the_shared_budget() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        let mut due = input(
            Some(run.clone()),
            RetryEvent::Due,
            diag(NetworkError),
            1_000.0,
        );
        due.tab_id = 9.0;
        // Another tab is due earlier and was reloaded just now: this one waits its slot.
        let mut other = run.clone();
        other.due_at_ms = 900.0;
        due.other_runs = vec![TabRun {
            tab_id: 3.0,
            run: other.clone(),
        }];
        due.recent_reloads_ms = vec![0.0];
        let held = scheduled(step(&due));
        assert_eq!(held.basis, WaitBasis::SharedBudget);
        assert_eq!(held.attempt, 0);
        assert_eq!(held.due_at_ms, 10_000.0);
        // At its slot it reloads.
        let mut at_slot = input(Some(held), RetryEvent::Due, diag(NetworkError), 10_000.0);
        at_slot.tab_id = 9.0;
        at_slot.recent_reloads_ms = vec![0.0, 5_000.0];
        assert!(matches!(step(&at_slot), RetryCommand::Reload { .. }));
    }

    fn seen_without_run(
        kind: ErrorKind,
        facts: HandsFreeFacts,
        settings: Settings,
    ) -> RetryCommand {
        let mut i = input(None, RetryEvent::Seen, diag(kind), 0.0);
        i.hands_free = Some(facts);
        i.settings = Some(settings);
        step(&i)
    }

    fn error_document() -> HandsFreeFacts {
        HandsFreeFacts {
            app_document: Some(false),
            visible: true,
            ..HandsFreeFacts::default()
        }
    }

    #[test]
    fn a_transient_error_page_starts_its_own_run_on_the_same_schedule() {
        let run = scheduled(seen_without_run(
            ServerUnreachable,
            error_document(),
            Settings::default(),
        ));
        assert!(run.hands_free);
        assert_eq!((run.attempt, run.due_at_ms), (0, 5_000.0));
        // Without the facts (an older glue), or for a block, nothing starts.
        assert_eq!(
            step(&input(None, RetryEvent::Seen, diag(ServerUnreachable), 0.0)),
            RetryCommand::Keep
        );
        assert_eq!(
            seen_without_run(CloudflareBlocked, error_document(), Settings::default()),
            RetryCommand::Keep
        );
        // Offline, it starts paused (as a click's run would).
        let mut offline = input(None, RetryEvent::Seen, diag(ServerError), 0.0);
        offline.hands_free = Some(error_document());
        offline.online = Some(false);
        assert!(scheduled(step(&offline)).paused_remaining_ms.is_some());
        // With the schedule off ("retry" reloads once) nothing reloads by itself.
        let no_schedule = Settings {
            auto_retry: false,
            ..Settings::default()
        };
        assert_eq!(
            seen_without_run(ServerUnreachable, error_document(), no_schedule),
            RetryCommand::Keep
        );
    }

    #[test]
    fn turning_it_off_stops_a_run_that_started_by_itself_but_not_a_clicked_one() {
        let by_itself = scheduled(seen_without_run(
            ServerError,
            error_document(),
            Settings::default(),
        ));
        let off = Settings {
            retry_by_itself: false,
            ..Settings::default()
        };
        let mut due = input(Some(by_itself), RetryEvent::Due, diag(ServerError), 5_000.0);
        due.settings = Some(off.clone());
        assert_eq!(
            step(&due),
            RetryCommand::Stop {
                outcome: RetryOutcome::Cancelled
            }
        );
        let clicked = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(ServerError),
            0.0,
        )));
        let mut due = input(Some(clicked), RetryEvent::Due, diag(ServerError), 5_000.0);
        due.settings = Some(off);
        assert!(matches!(step(&due), RetryCommand::Reload { .. }));
    }

    #[test]
    fn ten_tabs_starting_by_themselves_reload_within_the_one_budget() {
        // An outage: ten visible tabs start by themselves at once; the glue steps every due
        // tab in turn on a fake clock. No 60 s window ever holds more than the budget.
        let mut runs: Vec<TabRun> = (0..10)
            .map(|t| {
                let mut i = input(None, RetryEvent::Seen, diag(ServerUnreachable), t as f64);
                i.hands_free = Some(error_document());
                i.tab_id = t as f64;
                TabRun {
                    tab_id: t as f64,
                    run: scheduled(step(&i)),
                }
            })
            .collect();
        let mut reloads: Vec<f64> = Vec::new();
        let mut order: Vec<f64> = Vec::new();
        let mut now = 0.0;
        while now < 600_000.0 {
            for t in 0..runs.len() {
                if runs[t].run.due_at_ms > now {
                    continue;
                }
                let mut i = input(
                    Some(runs[t].run.clone()),
                    RetryEvent::Due,
                    diag(ServerUnreachable),
                    now,
                );
                i.tab_id = runs[t].tab_id;
                i.other_runs = runs
                    .iter()
                    .filter(|r| r.tab_id != runs[t].tab_id)
                    .cloned()
                    .collect();
                i.recent_reloads_ms = reloads.clone();
                match step(&i) {
                    RetryCommand::Reload { run } => {
                        reloads.push(now);
                        order.push(runs[t].tab_id);
                        runs[t].run = run;
                    }
                    RetryCommand::Schedule { run } => runs[t].run = run,
                    other => panic!("{other:?}"),
                }
            }
            now += 100.0;
        }
        assert!(reloads.len() >= 10);
        for &r in &reloads {
            let in_window = reloads
                .iter()
                .filter(|&&x| x > r - 60_000.0 && x <= r)
                .count();
            assert!(in_window <= retry_budget::PER_MINUTE, "{in_window} at {r}");
        }
        // Earliest due first: the tabs that failed first reload first.
        assert_eq!(&order[..4], &[0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn the_command_tags_are_the_ones_the_glue_is_given() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        let every = [
            RetryCommand::Keep,
            RetryCommand::Schedule { run: run.clone() },
            RetryCommand::Reload { run },
            RetryCommand::ReloadOnce,
            RetryCommand::Stop {
                outcome: RetryOutcome::Cancelled,
            },
        ];
        let tags: Vec<String> = every
            .iter()
            .map(|c| {
                serde_json::to_value(c).unwrap()["command"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(tags, RetryCommand::COMMANDS);
    }

    #[test]
    fn only_runs_that_wait_for_a_reload_take_a_place_in_the_budget() {
        let run = scheduled(step(&input(
            None,
            RetryEvent::Start,
            diag(NetworkError),
            0.0,
        )));
        let with = |f: fn(&mut RetryRun)| {
            let mut r = run.clone();
            f(&mut r);
            r
        };
        let runs = [
            (1.0, run.clone()),
            (2.0, with(|r| r.paused_remaining_ms = Some(5.0))),
            (3.0, with(|r| r.last = true)),
            (4.0, with(|r| r.healthy_since_ms = Some(1.0))),
        ]
        .map(|(tab_id, run)| TabRun { tab_id, run });
        let waiting: Vec<f64> = waiting_runs(&runs).iter().map(|w| w.tab_id).collect();
        assert_eq!(waiting, vec![1.0]);
    }
}
