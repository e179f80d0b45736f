//! `cargo xtask demo`: builds, then shows the built extension in Chromium on one fixture per
//! error kind, replayed locally, and writes a PNG of the popup for each kind, light and dark,
//! into `dist/demo/` (`xtask/demo/demo.mjs`). In a window when a display exists, else headless.

use std::process::Command;

use crate::build;
use crate::tools::{self, run};

pub fn demo(kinds: &[String]) -> Result<(), String> {
    let root = tools::project_root();
    tools::ensure_browsers()?;
    // The tests' build: the demo serves OpenAI's status itself.
    build::build_flavour(build::Flavour::Test)?;
    run(Command::new("node")
        .current_dir(&root)
        .arg("xtask/demo/demo.mjs")
        .args(kinds))
}
