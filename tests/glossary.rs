//! The translators' glossary (`extension/_locales/glossary.json`, explained in GLOSSARY.md):
//! each locale names each fixed thing (ChatGPT's Retry button, Cloudflare's check, a block,
//! cookies, iCloud Private Relay…) with one term, ChatGPT's, Chrome's or Apple's own, and
//! never with the words the glossary forbids for it.

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn locales_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("extension/_locales")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn glossary() -> Value {
    read_json(&locales_dir().join("glossary.json"))
}

/// Each shipped locale's messages, by folder name.
fn catalogs() -> Vec<(String, Map<String, Value>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(locales_dir()).unwrap() {
        let folder = entry.unwrap().path();
        if folder.is_dir() {
            let name = folder.file_name().unwrap().to_string_lossy().into_owned();
            let json = read_json(&folder.join("messages.json"));
            out.push((name, json.as_object().unwrap().clone()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() > 1);
    out
}

fn message<'a>(messages: &'a Map<String, Value>, key: &str) -> &'a str {
    messages
        .get(key)
        .and_then(|m| m.get("message"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no message {key}"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The keys a term's texts live in.
fn term_keys(glossary: &Value, term: &str) -> Vec<String> {
    let terms = glossary["terms"].as_array().unwrap();
    let found = terms
        .iter()
        .find(|t| t["id"] == term)
        .unwrap_or_else(|| panic!("glossary names no term {term}"));
    strings(&found["keys"])
}

/// `text` occurs in `message`: case-insensitively unless `match_case`; a text that starts with
/// a letter of a spaced script only where a word starts ("tu " is not the end of "statu "; in
/// Chinese, Japanese and Korean any position counts).
fn occurs(message: &str, text: &str, match_case: bool) -> bool {
    let (haystack, needle) = if match_case {
        (message.to_string(), text.to_string())
    } else {
        (message.to_lowercase(), text.to_lowercase())
    };
    let word_start = needle
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && u32::from(c) < 0x2E80);
    haystack.match_indices(&needle).any(|(at, _)| {
        !word_start
            || haystack[..at]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

#[test]
fn every_locale_has_a_glossary_entry_for_every_term() {
    let glossary = glossary();
    let terms: Vec<String> = glossary["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    for (locale, _) in catalogs() {
        let entry = &glossary["locales"][&locale];
        assert!(entry.is_object(), "glossary.json has no entry for {locale}");
        assert!(
            entry["register"].as_str().is_some_and(|r| !r.is_empty()),
            "{locale}: the glossary names no register"
        );
        for term in &terms {
            assert!(
                !strings(&entry["terms"][term]).is_empty(),
                "{locale}: the glossary has no term for {term}"
            );
        }
    }
}

/// A message that names a fixed thing names it with the locale's term, never left in English.
#[test]
fn every_message_uses_the_glossary_terms() {
    let glossary = glossary();
    let mut wrong = Vec::new();
    for (locale, messages) in catalogs() {
        let entry = &glossary["locales"][&locale];
        for term in glossary["terms"].as_array().unwrap() {
            let id = term["id"].as_str().unwrap();
            let exact = term["exact"].as_bool().unwrap_or(false);
            let forms = strings(&entry["terms"][id]);
            for key in strings(&term["keys"]) {
                let text = message(&messages, &key);
                if !forms.iter().any(|form| occurs(text, form, exact)) {
                    wrong.push(format!(
                        "{locale} {key}: lacks {id} ({}): {text}",
                        forms.join(" / ")
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "glossary terms missing:\n{}",
        wrong.join("\n")
    );
}

/// No message uses a word the glossary forbids for its locale (within the keys or term it
/// names, else in every message but the name and description, which the store listing owns).
#[test]
fn no_message_uses_a_forbidden_word() {
    let glossary = glossary();
    let owned_elsewhere: BTreeSet<&str> = ["ext_name", "ext_description"].into();
    let mut wrong = Vec::new();
    for (locale, messages) in catalogs() {
        let entry = &glossary["locales"][&locale];
        for forbidden in entry["forbidden"].as_array().unwrap() {
            let text = forbidden["text"].as_str().unwrap();
            let match_case = forbidden["match_case"].as_bool().unwrap_or(false);
            let keys: Vec<String> = match &forbidden["within"] {
                Value::String(term) => term_keys(&glossary, term),
                Value::Array(_) => strings(&forbidden["within"])
                    .into_iter()
                    .flat_map(|k| {
                        if messages.contains_key(&k) {
                            vec![k]
                        } else {
                            term_keys(&glossary, &k)
                        }
                    })
                    .collect(),
                _ => messages
                    .keys()
                    .filter(|k| !owned_elsewhere.contains(k.as_str()))
                    .cloned()
                    .collect(),
            };
            for key in keys {
                let said = message(&messages, &key);
                if occurs(said, text, match_case) {
                    let instead = forbidden["instead"].as_str().unwrap_or("-");
                    wrong.push(format!(
                        "{locale} {key}: \"{text}\" (instead: {instead}): {said}"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "forbidden words:\n{}", wrong.join("\n"));
}

/// GLOSSARY.md, the page translators read, shows every term the test holds them to.
#[test]
fn the_glossary_page_lists_every_term() {
    let glossary = glossary();
    let page = std::fs::read_to_string(locales_dir().join("GLOSSARY.md")).unwrap();
    for (locale, entry) in glossary["locales"].as_object().unwrap() {
        for forms in entry["terms"].as_object().unwrap().values() {
            let first = &strings(forms)[0];
            assert!(
                page.contains(first.as_str()),
                "GLOSSARY.md lacks {locale}'s {first}"
            );
        }
    }
}

#[test]
fn occurs_respects_word_starts_and_case() {
    assert!(occurs("Réessayez plus tard", "réessay", false));
    assert!(!occurs("statu quo", "tu ", false));
    assert!(occurs("Si tu veux", "tu ", true));
    assert!(!occurs("Wenn sie kommt", "Sie ", true));
    assert!(occurs(
        "OpenAI のステータスページ",
        "ステータスページ",
        false
    ));
}
