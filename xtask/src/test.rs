//! `cargo xtask test`: installs what a fresh machine lacks, builds, then runs every suite:
//! native unit and fixture tests (with clippy and rustfmt; `cargo test` includes the short
//! fuzz run, `tests/fuzz.rs`, and the permission audit), the WebAssembly boundary in a real
//! browser, the glue's type check (`tsc`) and lint (ESLint), the background's glue in Node against a fake browser (`tests/glue/`), the
//! end-to-end suite of the built extension in Chromium and Firefox, `web-ext lint`, and that
//! a clone of HEAD in another folder builds byte-identical store zips.
//! Every suite runs even when an earlier one failed, so one run shows all. The long fuzz run
//! is `cargo xtask fuzz`.

use std::process::Command;

use crate::tools::{self, run};
use crate::{build, release, wasm_tests};

pub fn test() -> Result<(), String> {
    let root = tools::project_root();
    tools::ensure_browsers()?;
    let built = build::build()?;
    build::print_where(&built);
    // What the glue, boundary and end-to-end tests drive: the same extension, but able to
    // read OpenAI's status from the tests' own loopback server.
    build::build_flavour(build::Flavour::Test)?;

    let cargo = |args: &[&str]| {
        let mut c = Command::new("cargo");
        c.current_dir(&root).args(args);
        c
    };
    let mut failed = Vec::new();
    let mut step = |name: &str, result: Result<(), String>| {
        if let Err(e) = result {
            eprintln!("\nxtask: {name} failed: {e}");
            failed.push(name.to_string());
        }
    };
    step("rustfmt", run(&mut cargo(&["fmt", "--all", "--check"])));
    step(
        "clippy",
        run(&mut cargo(&[
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    step(
        "cargo test",
        run(&mut cargo(&["test", "--locked", "--workspace"])),
    );
    step("wasm-bindgen-test", wasm_tests::run_wasm_tests());
    // The glue's types (tsconfig.json: checkJs against the declarations the build generated
    // from the core) and its lint (eslint.config.mjs: extension/ and the JS tests).
    step(
        "tsc",
        run(Command::new(tools::node_bin("tsc"))
            .current_dir(&root)
            .args(["--noEmit", "-p", "tsconfig.json"])),
    );
    step(
        "eslint",
        run(Command::new(tools::node_bin("eslint"))
            .current_dir(&root)
            .args(["--max-warnings", "0", "."])),
    );
    step(
        "web-ext lint",
        run(Command::new(tools::node_bin("web-ext"))
            .current_dir(&root)
            .args([
                "lint",
                "--source-dir",
                "dist/firefox",
                "--warnings-as-errors",
                "--no-input",
            ])),
    );
    // The background's glue against a fake browser API and clock (Node, no browser): the
    // built dist/chrome and dist/firefox, loaded fresh per test.
    step(
        "glue",
        run(Command::new("node")
            .current_dir(&root)
            .args(["--test", "--test-reporter=spec"])
            .arg("tests/glue/")),
    );
    step(
        "e2e",
        run(Command::new("node")
            .current_dir(&root)
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .arg("tests/e2e/")),
    );
    // Two folders, one commit, the same bytes: what addons.mozilla.org's reviewer checks.
    step("reproducible", release::check_reproducible(&root));
    if failed.is_empty() {
        println!("\nxtask: every suite passed");
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}
