//! `tests/wasm_boundary.rs` in a real browser: cargo builds the test for wasm32 and hands it
//! to wasm-bindgen-test-runner, which serves it and drives the browser over WebDriver.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Capabilities merged into the runner's WebDriver session. The runner adds its own
/// headless flags; these make Chromium start as root in a container (no sandbox, a small
/// /dev/shm) and pin the binary, so a Chrome elsewhere on PATH is never picked up instead.
const CHROME_CAPABILITIES: &str = r#"{
  "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"]
  }
}
"#;

const FIREFOX_CAPABILITIES: &str = r#"{
  "moz:firefoxOptions": { "binary": "/usr/bin/firefox-esr" }
}
"#;

/// Writes a capabilities file under `target/` (generated, so a fresh clone needs nothing).
fn write_capabilities(name: &str, json: &str) -> Result<PathBuf, String> {
    let dir = tools::project_root().join("target/wasm-tests");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn cargo_test(runner: &Path, capabilities: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args([
        "test",
        "--locked",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "wasm_boundary",
    ])
    .current_dir(tools::project_root())
    .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
    // The runner would look for `webdriver.json` in the directory cargo runs tests in,
    // which cargo sets to the package root; this names the generated file instead.
    .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", capabilities)
    // The runner tries drivers named in the environment in a fixed order (geckodriver
    // first), so only the one wanted may be set.
    .env_remove("GECKODRIVER")
    .env_remove("CHROMEDRIVER");
    cmd
}

pub fn run_wasm_tests() -> Result<(), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_browsers()?;
    let runner = tools::ensure_wasm_bindgen_cli()?.with_file_name("wasm-bindgen-test-runner");

    let chrome = write_capabilities("webdriver-chrome.json", CHROME_CAPABILITIES)?;
    tools::run(cargo_test(&runner, &chrome).env("CHROMEDRIVER", CHROMEDRIVER))?;

    // Firefox needs geckodriver, which Debian does not package (it comes from Mozilla's
    // GitHub releases or `cargo install geckodriver`). Where it is installed, run there too;
    // otherwise Firefox is covered by the end-to-end tests only.
    match which("geckodriver") {
        Some(geckodriver) => {
            let firefox = write_capabilities("webdriver-firefox.json", FIREFOX_CAPABILITIES)?;
            tools::run(cargo_test(&runner, &firefox).env("GECKODRIVER", geckodriver))
        }
        None => {
            eprintln!("geckodriver not found: wasm boundary tests skipped in Firefox");
            Ok(())
        }
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
