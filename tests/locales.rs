//! Every text the extension shows comes from `_locales/`: each key the core hands out and
//! each key the glue asks for must exist in every locale, with a non-empty message.

use error_doctor::page::diagnosis::EvidenceSource;
use error_doctor::plans::site_data::{clear_plan, Browser, ClearTier, TabContext};
use error_doctor::plans::status::ServiceState;
use error_doctor::recognise::sensor_spec::SENSOR_SPEC;
use error_doctor::respond::presentation::all_message_keys;
use error_doctor::{plans::retry, respond::advice};
use std::collections::BTreeSet;
use std::path::Path;

fn extension() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("extension")
}

fn locales() -> Vec<(String, serde_json::Map<String, serde_json::Value>)> {
    let dir = extension().join("_locales");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let folder = entry.unwrap().path();
        if !folder.is_dir() {
            continue; // GLOSSARY.md, glossary.json
        }
        let path = folder.join("messages.json");
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
    // The popup names each markup marker the core quotes as evidence.
    for marker in SENSOR_SPEC.markers {
        wanted.insert(format!("marker_{}", marker.id));
    }
    wanted.extend(
        error_doctor::respond::verdict::all_message_keys()
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
    let notify_all = error_doctor::plans::settings::Settings::default();
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

/// The English catalog, the one every other locale translates.
fn english() -> serde_json::Map<String, serde_json::Value> {
    let path = extension().join("_locales/en/messages.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn message_of<'a>(messages: &'a serde_json::Map<String, serde_json::Value>, key: &str) -> &'a str {
    messages
        .get(key)
        .and_then(|m| m.get("message"))
        .and_then(|m| m.as_str())
        .unwrap_or_default()
}

/// The `$NAME$` placeholders a message uses, in order of appearance.
fn placeholders_in(message: &str) -> Vec<String> {
    message
        .split('$')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The browsers' own names for the UI languages they can choose a `_locales` folder by
/// (Chrome refuses an extension with a folder it does not know).
const BROWSER_LOCALES: &[&str] = &[
    "ar", "am", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "en_GB", "en_US", "es", "es_419",
    "et", "fa", "fi", "fil", "fr", "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko",
    "lt", "lv", "ml", "mr", "ms", "nl", "no", "pl", "pt_BR", "pt_PT", "ro", "ru", "sk", "sl", "sr",
    "sv", "sw", "ta", "te", "th", "tr", "uk", "vi", "zh_CN", "zh_TW",
];

/// Shipped UI languages (besides English), as the README lists them. A folder going missing
/// fails here.
const SHIPPED: &[&str] = &[
    "de", "es", "fr", "id", "it", "ja", "ko", "nl", "pl", "pt_BR", "ru", "tr", "zh_CN", "zh_TW",
];

#[test]
fn every_shipped_locale_is_a_folder_the_browsers_know() {
    let names: BTreeSet<String> = std::fs::read_dir(extension().join("_locales"))
        .unwrap()
        .map(|e| e.unwrap())
        // The translators' glossary files sit beside the folders; the browsers read folders.
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        assert!(
            BROWSER_LOCALES.contains(&name.as_str()),
            "_locales/{name} is not a locale the browsers choose"
        );
    }
    for wanted in SHIPPED.iter().chain(&["en"]) {
        assert!(names.contains(*wanted), "_locales/{wanted} is missing");
    }
}

/// Each locale holds only English's keys (none left over from a removed text), with the same
/// placeholders (used, and declared in the same `placeholders` block): a missing or misspelt
/// `$REMAINING$` would show as text. Keys missing from a locale fail the test above.
#[test]
fn every_locale_has_the_english_keys_and_placeholders() {
    let en = english();
    for (path, messages) in locales() {
        for key in messages.keys() {
            assert!(en.contains_key(key), "{path}: {key} is not an English key");
        }
        for key in en.keys().filter(|k| messages.contains_key(*k)) {
            let mut used = placeholders_in(message_of(&messages, key));
            let mut english_used = placeholders_in(message_of(&en, key));
            used.sort();
            english_used.sort();
            assert_eq!(
                used, english_used,
                "{path}: {key} uses other placeholders than English"
            );
            assert_eq!(
                messages[key].get("placeholders"),
                en[key].get("placeholders"),
                "{path}: {key} declares other placeholders than English"
            );
        }
    }
}

/// English strings that are right in every language: brand names and codes.
const SAME_IN_EVERY_LANGUAGE: &[&str] = &["ext_name", "fact_ray_id"];

/// A message of more than two words that reads exactly as English was not translated.
#[test]
fn no_locale_leaves_a_sentence_in_english() {
    let en = english();
    let mut untranslated = Vec::new();
    for (path, messages) in locales() {
        if path.contains(&format!(
            "{}en{}",
            std::path::MAIN_SEPARATOR,
            std::path::MAIN_SEPARATOR
        )) {
            continue;
        }
        for key in en.keys() {
            let english = message_of(&en, key);
            let words = english
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count();
            if words > 2
                && !SAME_IN_EVERY_LANGUAGE.contains(&key.as_str())
                && message_of(&messages, key) == english
            {
                untranslated.push(format!("{path}: {key}"));
            }
        }
    }
    assert!(
        untranslated.is_empty(),
        "left in English:\n{}",
        untranslated.join("\n")
    );
}

/// `catalog_language` names each catalog's own language: numbers and times fall back to it
/// (extension/shared/locale-format.js) when the browser's UI language has no catalog.
#[test]
fn every_locale_names_its_language() {
    for (path, messages) in locales() {
        let folder = Path::new(&path)
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        assert_eq!(
            message_of(&messages, "catalog_language"),
            folder.replace('_', "-"),
            "{path}"
        );
    }
}
