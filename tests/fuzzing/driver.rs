//! Runs a fuzz target: every input from its own seed, the call alone timed and any panic in
//! it caught and reported with the input; a watchdog ends the process if an input hangs.
//! Only a per-input bound fails a run, never the total time: the machine may be busy.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Once};
use std::thread;
use std::time::{Duration, Instant};

use super::inputs;
use super::rng::input_seed;
use super::strings::Gen;

/// A named call and the input it takes.
pub struct Target<I> {
    name: &'static str,
    input: fn(&mut Gen) -> I,
    check: fn(&I),
}

/// `target("classify", Gen::snapshot, |s| ...)`: `check` calls the code under test and
/// asserts what must hold; a panic anywhere in it is a failure.
pub fn target<I: Debug + 'static>(
    name: &'static str,
    input: fn(&mut Gen) -> I,
    check: fn(&I),
) -> Box<dyn Fuzz> {
    Box::new(Target { name, input, check })
}

/// A target with its input type erased, so targets of different inputs share one list.
pub trait Fuzz: Send + Sync {
    fn name(&self) -> &'static str;
    /// Makes the input of `seed` and runs the target on it; only the run is timed.
    fn run_one(&self, seed: u64) -> Outcome;
    /// The input of `seed`, readable and cut to a few thousand characters.
    fn describe(&self, seed: u64) -> String;
}

pub struct Outcome {
    pub time: Duration,
    pub panic: Option<String>,
}

impl<I: Debug> Fuzz for Target<I> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run_one(&self, seed: u64) -> Outcome {
        let input = (self.input)(&mut inputs::gen(seed));
        let started = Instant::now();
        let panic = catch_quietly(|| (self.check)(&input)).err();
        let time = started.elapsed();
        drop(input);
        Outcome { time, panic }
    }

    fn describe(&self, seed: u64) -> String {
        let input = (self.input)(&mut inputs::gen(seed));
        let text = format!("{input:#?}");
        const SHOWN: usize = 3000;
        match text.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], text.len()),
            None => text,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Stop {
    AfterInputs(u64),
    AfterTime(Duration),
}

#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub seed: u64,
    pub stop: Stop,
    /// The longest one input may take.
    pub bound: Duration,
}

/// A run stops at this many failures: the first ones say it all.
const MAX_FAILURES: usize = 3;

pub struct Failure {
    pub seed: u64,
    pub what: String,
    pub input: String,
}

pub struct Report {
    pub target: &'static str,
    pub inputs: u64,
    /// Wall time of the whole run, making inputs included.
    pub time: Duration,
    pub slowest: Duration,
    pub slowest_seed: u64,
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn inputs_per_second(&self) -> f64 {
        self.inputs as f64 / self.time.as_secs_f64().max(1e-9)
    }

    pub fn summary(&self) -> String {
        format!(
            "{:<16} {:>10} inputs in {:>6.1} s ({:>8.0}/s), slowest {:>9.3} ms (seed {:#018x}){}",
            self.target,
            self.inputs,
            self.time.as_secs_f64(),
            self.inputs_per_second(),
            self.slowest.as_secs_f64() * 1e3,
            self.slowest_seed,
            if self.failures.is_empty() {
                String::new()
            } else {
                format!(", {} FAILED", self.failures.len())
            }
        )
    }
}

pub fn run(target: &dyn Fuzz, plan: &Plan) -> Report {
    let started = Instant::now();
    let watchdog = Watchdog::start(
        target.name(),
        (plan.bound * 10).max(Duration::from_secs(10)),
    );
    let mut report = Report {
        target: target.name(),
        inputs: 0,
        time: Duration::ZERO,
        slowest: Duration::ZERO,
        slowest_seed: 0,
        failures: Vec::new(),
    };
    loop {
        let done = match plan.stop {
            Stop::AfterInputs(n) => report.inputs >= n,
            Stop::AfterTime(t) => started.elapsed() >= t,
        };
        if done || report.failures.len() >= MAX_FAILURES {
            break;
        }
        let seed = input_seed(plan.seed, target.name(), report.inputs);
        watchdog.begin(seed);
        let outcome = target.run_one(seed);
        watchdog.end();
        report.inputs += 1;
        if outcome.time > report.slowest {
            report.slowest = outcome.time;
            report.slowest_seed = seed;
        }
        let what = match outcome.panic {
            Some(panic) => Some(panic),
            None if outcome.time > plan.bound => Some(format!(
                "took {:?}, more than the {:?} one input may take",
                outcome.time, plan.bound
            )),
            None => None,
        };
        if let Some(what) = what {
            report.failures.push(Failure {
                seed,
                what,
                input: target.describe(seed),
            });
        }
    }
    report.time = started.elapsed();
    report
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into its message (with its location) instead of printing it:
/// a run may catch thousands. Panics elsewhere still print as usual.
fn catch_quietly(f: impl FnOnce()) -> Result<(), String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.get() {
                LAST_PANIC.set(Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
    QUIET.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.set(false);
    result.map_err(|payload| {
        LAST_PANIC.take().unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into())
        })
    })
}

/// Ends the process when one input runs far past the bound: a hang never returns, so
/// neither a panic nor the bound would ever report it.
struct Watchdog {
    state: Arc<WatchState>,
    thread: Option<thread::JoinHandle<()>>,
}

struct WatchState {
    origin: Instant,
    /// Milliseconds since `origin` when the current input started, plus one; 0 when idle.
    started: AtomicU64,
    seed: AtomicU64,
    finished: AtomicBool,
}

impl Watchdog {
    fn start(target: &'static str, limit: Duration) -> Watchdog {
        let state = Arc::new(WatchState {
            origin: Instant::now(),
            started: AtomicU64::new(0),
            seed: AtomicU64::new(0),
            finished: AtomicBool::new(false),
        });
        let watched = Arc::clone(&state);
        let thread = thread::spawn(move || {
            while !watched.finished.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(100));
                let started = watched.started.load(Ordering::Relaxed);
                let now = watched.origin.elapsed().as_millis() as u64 + 1;
                if started != 0 && now.saturating_sub(started) > limit.as_millis() as u64 {
                    let seed = watched.seed.load(Ordering::Relaxed);
                    eprintln!(
                        "\nfuzz: {target}: input {seed:#018x} has run for more than {limit:?}: \
                         it hangs. Replay it: cargo xtask fuzz --target {target} --replay {seed:#018x}"
                    );
                    std::process::exit(3);
                }
            }
        });
        Watchdog {
            state,
            thread: Some(thread),
        }
    }

    fn begin(&self, seed: u64) {
        self.state.seed.store(seed, Ordering::Relaxed);
        let now = self.state.origin.elapsed().as_millis() as u64 + 1;
        self.state.started.store(now, Ordering::Relaxed);
    }

    fn end(&self) {
        self.state.started.store(0, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.state.finished.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
