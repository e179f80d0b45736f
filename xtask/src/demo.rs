//! `cargo xtask demo`: builds, then shows the built extension in Chromium on one fixture per
//! error kind, replayed locally, and writes a PNG of the popup for each kind, light and dark,
//! into `dist/demo/` (`xtask/demo/demo.mjs`). In a window when a display exists, else headless.
//! `--locale de` starts Chromium in that UI language and writes into `dist/demo/de/`.

use std::process::Command;

use crate::build;
use crate::tools::{self, run};

pub fn demo(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("--store") {
        return store_pictures(&args[1..]);
    }
    let (locale, kinds) = split_locale(args)?;
    let root = tools::project_root();
    tools::ensure_browsers()?;
    if locale
        .as_deref()
        .is_some_and(|l| ["ja", "ko", "zh"].iter().any(|cjk| l.starts_with(cjk)))
    {
        tools::ensure_cjk_font()?;
    }
    // The tests' build: the demo serves OpenAI's status itself.
    build::build_flavour(build::Flavour::Test)?;
    run(Command::new("node")
        .current_dir(&root)
        .arg("xtask/demo/demo.mjs")
        .args(locale.map(|l| format!("--locale={l}")))
        .args(kinds))
}

/// `demo --store [--locale TAG …]`: the stores' pictures into `dist/store/`
/// (`xtask/demo/store.mjs`): a 1280×800 screenshot per language (English, German and
/// Spanish unless languages are named) and the 440×280 promo tile.
fn store_pictures(args: &[String]) -> Result<(), String> {
    let mut locales = Vec::new();
    let mut at = 0;
    while at < args.len() {
        let take = if args[at] == "--locale" { 2 } else { 1 };
        let one = &args[at..(at + take).min(args.len())];
        match split_locale(one)? {
            (Some(locale), others) if others.is_empty() => locales.push(locale),
            _ => return Err(format!("demo --store takes only --locale TAG, not {one:?}")),
        }
        at += take;
    }
    if locales
        .iter()
        .any(|l| ["ja", "ko", "zh"].iter().any(|cjk| l.starts_with(cjk)))
    {
        tools::ensure_cjk_font()?;
    }
    tools::ensure_browsers()?;
    build::build_flavour(build::Flavour::Test)?;
    run(Command::new("node")
        .current_dir(tools::project_root())
        .arg("xtask/demo/store.mjs")
        .args(locales.iter().map(|l| format!("--locale={l}"))))
}

/// `--locale TAG` (or `--locale=TAG`) out of the arguments; the rest are kinds.
fn split_locale(args: &[String]) -> Result<(Option<String>, Vec<String>), String> {
    let mut locale = None;
    let mut kinds = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = match arg.strip_prefix("--locale") {
            Some("") => rest.next().cloned(),
            Some(tail) if tail.starts_with('=') => Some(tail[1..].to_string()),
            _ => {
                kinds.push(arg.clone());
                continue;
            }
        };
        // A language tag as Chromium takes it: letters, digits and one dash or underscore.
        match value {
            Some(tag)
                if !tag.is_empty()
                    && tag
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
            {
                locale = Some(tag.replace('_', "-"))
            }
            other => {
                return Err(format!(
                    "--locale needs a language tag such as de or pt-BR, not {other:?}"
                ))
            }
        }
    }
    Ok((locale, kinds))
}
