//! `cargo xtask <command>`: the project's build, test and measurement tasks, in Rust so they
//! run the same on any machine with cargo.

mod bench;
mod bench_goals;
mod bench_report;
mod bench_stats;
mod bench_table;
mod build;
mod demo;
mod fuzz;
mod generate;
mod manifest;
mod product;
// A test only: it checks the manifests `build` renders against README.md.
#[cfg(test)]
mod permission_audit;
mod release;
mod test;
mod tools;
#[cfg(test)]
mod ts_check;
mod wasm_tests;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <build|release|test|demo|fuzz|bench>
  build   the extension for Chrome and Firefox into dist/ (unpacked folders and store zips);
          --for-tests: the tests' build into dist/test/ (may read a loopback status server)
  release the store zips, the source archive with BUILDING.md, the listing and SHA256SUMS
          into dist/release/ (HEAD, so commit first); --check: a clone of HEAD in another
          folder builds byte-identical zips
  test    installs what is missing, builds, then runs every test
  demo [--locale TAG] [kind…]
          builds, then opens each error kind's page in Chromium with the extension (in a
          window when a display exists) and writes a PNG of its popup into dist/demo/;
          --locale de (fr, ja, pt-BR, …): Chromium in that UI language, the PNGs into
          dist/demo/<TAG>/, and a popup showing an English sentence fails
  demo --store [--locale TAG …]
          the stores' pictures into dist/store/: <locale>/screenshot-1280x800.png (the
          error page with the card, its popup beside it; en, de, es unless named) and
          promo-440x280.png
  fuzz    feeds the core adversarial inputs for a while (optimised, ≥ 10⁶ inputs):
          [--seconds N] [--seed S] [--target NAME] [--bound-ms MS]
          [--target NAME --replay SEED]
  bench   builds, then measures sizes, classify time, detection latency, healthy-page cost
          and memory; prints a table and writes dist/bench.json (BENCH_RUNS=n, default 15;
          BENCH_ONLY=text: only the detection cases whose name has it, e.g. 'worker cold')";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") if args.get(1).map(String::as_str) == Some("--for-tests") => {
            build::build_flavour(build::Flavour::Test).map(|_| ())
        }
        Some("build") => build::build().map(|b| build::print_where(&b)),
        Some("release") => release::release(&args[1..]),
        Some("test") => test::test(),
        Some("demo") => demo::demo(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("bench") => bench::bench(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
