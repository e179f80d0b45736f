//! Every text the extension shows comes from `_locales/`: each key the core hands out and
//! each key the glue asks for must exist in every locale, with a non-empty message.

use chatgpt_doctor::page::diagnosis::EvidenceSource;
use chatgpt_doctor::plans::site_data::{clear_plan, Browser, ClearTier, TabContext};
use chatgpt_doctor::plans::status::ServiceState;
use chatgpt_doctor::respond::presentation::all_message_keys;
use chatgpt_doctor::{plans::retry, respond::advice};
use std::collections::BTreeSet;
use std::path::Path;

fn extension() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("extension")
}

fn locales() -> Vec<(String, serde_json::Map<String, serde_json::Value>)> {
    let dir = extension().join("_locales");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path().join("messages.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        out.push((
            path.display().to_string(),
            json.as_object().unwrap().clone(),
        ));
    }
    assert!(!out.is_empty());
    out
}

/// Keys the glue asks for literally: `t("key")`, `data-i18n="key"`, `__MSG_key__`.
fn keys_used_by_glue() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("manifest.json")];
    // Every context's folder (background/, content/, popup/, …), all the way down.
    let mut dirs = vec![extension()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "js" || e == "html") {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("popup/popup.js")),
        "the popup's script is among the files read"
    );
    for file in files.iter().filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (open, close) in [
            ("t(\"", "\""),
            ("data-i18n=\"", "\""),
            ("data-i18n-label=\"", "\""),
            ("__MSG_", "__"),
            ("fact(facts, \"", "\""),
            ("say(\"", "\""),
            ("notify(tabId, \"", "\""),
            ("\"result_", "\""),
        ] {
            let mut pieces = text.split(open);
            let mut before = pieces.next().unwrap_or_default();
            for piece in pieces {
                // `t("…")` is the translation helper; `get("…")` is not.
                let standalone = before
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '.');
                before = piece;
                if open == "t(\"" && !standalone {
                    continue;
                }
                let key = piece.split(close).next().unwrap();
                // Keys named by their prefix, such as the popup's `"result_…"` messages.
                let key = match open.strip_prefix('"') {
                    Some(prefix) => format!("{prefix}{key}"),
                    None => key.to_string(),
                };
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    keys.insert(key);
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_is_translated_in_every_locale() {
    let mut wanted: BTreeSet<String> = all_message_keys().into_iter().map(str::to_string).collect();
    wanted.extend(keys_used_by_glue());
    for source in EvidenceSource::ALL {
        let id = serde_json::to_value(source).unwrap();
        wanted.insert(format!("evidence_{}", id.as_str().unwrap()));
    }
    wanted.extend(advice::all_message_keys().into_iter().map(str::to_string));
    wanted.extend(
        chatgpt_doctor::respond::verdict::all_message_keys()
            .into_iter()
            .map(str::to_string),
    );
    for browser in [Browser::Chrome, Browser::Firefox] {
        for tier in ClearTier::ALL {
            let plan = clear_plan(tier, &TabContext::of(browser));
            wanted.extend(
                plan.removes
                    .iter()
                    .chain(&plan.keeps)
                    .map(|k| k.to_string()),
            );
            wanted.insert(plan.cost.to_string());
        }
    }
    let notify_all = chatgpt_doctor::plans::settings::Settings::default();
    for outcome in [
        retry::RetryOutcome::Recovered,
        retry::RetryOutcome::GaveUp,
        retry::RetryOutcome::Cancelled,
    ] {
        wanted.extend(retry::notification_for(outcome, false, &notify_all).map(str::to_string));
    }
    for state in ServiceState::ALL {
        let id = serde_json::to_value(state).unwrap();
        wanted.insert(format!("state_{}", id.as_str().unwrap()));
    }
    assert!(
        wanted.contains("kind_cloudflare_blocked_title")
            && wanted.contains("popup_seen_heading")
            && wanted.contains("action_log_in")
            && wanted.contains("notify_recovered")
    );
    for (path, messages) in locales() {
        for key in &wanted {
            let message = messages
                .get(key)
                .and_then(|m| m.get("message"))
                .and_then(|m| m.as_str());
            assert!(
                message.is_some_and(|m| !m.trim().is_empty()),
                "{path} lacks {key}"
            );
        }
    }
}
