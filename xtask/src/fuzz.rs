//! `cargo xtask fuzz`: the fuzz targets of `tests/fuzzing/` for a set time (a million inputs
//! and more), optimised, from a new seed each run. `cargo test` runs the same targets
//! briefly from a fixed seed (`tests/fuzz.rs`).
//!
//!   cargo xtask fuzz [--seconds N] [--seed S] [--target NAME] [--bound-ms MS]
//!   cargo xtask fuzz --target NAME --replay SEED    one input: shown, run, its panic reported

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::tools::{self, run};

#[allow(dead_code)] // shared with tests/fuzz.rs, which uses other parts of it
#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

use fuzzing::driver::{self, Fuzz, Plan, Stop};

/// Spread evenly over the targets: about two million inputs on a busy two-core machine.
const DEFAULT_SECONDS: u64 = 60;
const ENOUGH_INPUTS: u64 = 1_000_000;
/// The longest one input may take (unless `--bound-ms` says otherwise); only this fails a
/// run, never the total. The slowest inputs (tens of MB of JSON) take a fifth of it.
const DEFAULT_BOUND_MS: u64 = 1000;
/// Tells the optimised re-run of xtask that it is the one to fuzz.
const OPTIMISED: &str = "--optimised";

struct Options {
    seconds: u64,
    bound_ms: u64,
    seed: Option<u64>,
    target: Option<String>,
    replay: Option<u64>,
    optimised: bool,
}

fn parse_number(flag: &str, value: Option<&String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    parsed.map_err(|_| format!("{flag} {value}: not a number"))
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options {
            seconds: DEFAULT_SECONDS,
            bound_ms: DEFAULT_BOUND_MS,
            seed: None,
            target: None,
            replay: None,
            optimised: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--seconds" => o.seconds = parse_number(arg, args.next())?,
                "--bound-ms" => o.bound_ms = parse_number(arg, args.next())?,
                "--seed" => o.seed = Some(parse_number(arg, args.next())?),
                "--replay" => o.replay = Some(parse_number(arg, args.next())?),
                "--target" => o.target = Some(args.next().ok_or("--target needs a name")?.clone()),
                OPTIMISED => o.optimised = true,
                other => return Err(format!("fuzz: unknown argument {other}")),
            }
        }
        if o.replay.is_some() && o.target.is_none() {
            return Err("--replay needs --target".into());
        }
        Ok(o)
    }
}

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    if !options.optimised {
        // `cargo xtask` is a debug build; the `fuzz` profile is optimised, with overflow
        // checks on and panics that unwind (so the driver can catch them).
        return run(tools::cargo()
            .current_dir(tools::project_root())
            .args([
                "run",
                "--locked",
                "--quiet",
                "--profile",
                "fuzz",
                "--package",
                "xtask",
                "--",
                "fuzz",
                OPTIMISED,
            ])
            .args(args));
    }
    let targets: Vec<Box<dyn Fuzz>> = fuzzing::targets::all()
        .into_iter()
        .filter(|t| {
            options
                .target
                .as_deref()
                .is_none_or(|name| name == t.name())
        })
        .collect();
    if targets.is_empty() {
        let names: Vec<_> = fuzzing::targets::all().iter().map(|t| t.name()).collect();
        return Err(format!(
            "no target named {:?}; the targets are {}",
            options.target,
            names.join(", ")
        ));
    }
    if let Some(seed) = options.replay {
        return replay(targets[0].as_ref(), seed);
    }
    let seed = options.seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let per_target = Duration::from_secs(options.seconds) / targets.len() as u32;
    println!(
        "fuzz: {} targets, {:.0} s each, seed {seed:#x} (repeat this run with --seed {seed:#x})",
        targets.len(),
        per_target.as_secs_f64()
    );
    let plan = Plan {
        seed,
        stop: Stop::AfterTime(per_target),
        bound: Duration::from_millis(options.bound_ms),
    };
    let mut reports = Vec::new();
    for t in &targets {
        let report = driver::run(t.as_ref(), &plan);
        println!("  {}", report.summary());
        reports.push((t.as_ref(), report));
    }
    summarise(&reports)
}

fn summarise(reports: &[(&dyn Fuzz, driver::Report)]) -> Result<(), String> {
    let inputs: u64 = reports.iter().map(|(_, r)| r.inputs).sum();
    let time: Duration = reports.iter().map(|(_, r)| r.time).sum();
    println!(
        "fuzz: {inputs} inputs in {:.1} s, {:.0} inputs/s",
        time.as_secs_f64(),
        inputs as f64 / time.as_secs_f64().max(1e-9)
    );
    if let Some((t, slowest)) = reports.iter().max_by_key(|(_, r)| r.slowest) {
        let input = t.describe(slowest.slowest_seed);
        let shown: String = input.chars().take(400).collect();
        println!(
            "fuzz: slowest input {:.3} ms, {} seed {:#018x}:\n{shown}{}",
            slowest.slowest.as_secs_f64() * 1e3,
            t.name(),
            slowest.slowest_seed,
            if shown.len() < input.len() { "…" } else { "" }
        );
    }
    let mut failed = 0;
    for (_, r) in reports {
        for f in &r.failures {
            failed += 1;
            eprintln!(
                "\nfuzz: {} FAILED on input {:#018x}: {}\n  replay: cargo xtask fuzz --target {} --replay {:#018x}\n  input: {}",
                r.target, f.seed, f.what, r.target, f.seed, f.input
            );
        }
    }
    if inputs < ENOUGH_INPUTS {
        println!("fuzz: fewer than {ENOUGH_INPUTS} inputs; give it more --seconds");
    }
    if failed > 0 {
        return Err(format!("{failed} fuzz inputs failed"));
    }
    Ok(())
}

/// One input: shown, run, and its panic (with where it happened) reported.
fn replay(target: &dyn Fuzz, seed: u64) -> Result<(), String> {
    println!(
        "{} input {seed:#018x}:\n{}",
        target.name(),
        target.describe(seed)
    );
    let outcome = target.run_one(seed);
    match outcome.panic {
        Some(panic) => Err(format!("{} panicked: {panic}", target.name())),
        None => {
            println!(
                "ran in {:.3} ms without a panic",
                outcome.time.as_secs_f64() * 1e3
            );
            Ok(())
        }
    }
}
