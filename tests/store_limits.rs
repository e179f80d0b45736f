//! The stores' length limits, so that an upload is never rejected for a long text: each
//! locale's name (AMO allows 50 characters, the Chrome Web Store 75), `short_name` (12) and
//! description (the Web Store rejects a manifest description over 132), and the listing's
//! texts in `store/<locale>/` (the summary is the Web Store's 132 and AMO's 250; the long
//! description the Web Store's 16,000). Limits count characters, not bytes.

use std::path::{Path, PathBuf};

const NAME: usize = 50;
const SHORT_NAME: usize = 12;
const DESCRIPTION: usize = 132;
const SUMMARY: usize = 132;
const LONG_DESCRIPTION: usize = 16_000;
/// The token the listing's texts hold where the product's name goes; the release puts each
/// locale's `ext_name` there, so the name lives in the catalogs only.
const NAME_TOKEN: &str = "{{name}}";
/// Where the privacy policy's address goes, measured as a long one.
const PRIVACY_URL_TOKEN: &str = "{{privacy_url}}";
const PRIVACY_URL_LONGEST: &str =
    "https://github.com/a-fairly-long-owner-name/a-fairly-long-repository-name/blob/main/PRIVACY.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalogs() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("extension/_locales")).unwrap() {
        let dir = entry.unwrap().path();
        // A locale is a folder; the glossary beside them is not one.
        if !dir.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("messages.json")).unwrap();
        let locale = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((locale, serde_json::from_str(&text).unwrap()));
    }
    assert!(out.len() >= 15, "every catalog is read");
    out
}

fn message(catalog: &serde_json::Value, key: &str) -> Option<String> {
    catalog[key]["message"].as_str().map(str::to_owned)
}

fn over(what: &str, text: &str, limit: usize) -> Option<String> {
    let n = text.chars().count();
    (n > limit).then(|| format!("{what}: {n} characters, the limit is {limit}: {text:?}"))
}

/// The manifest's field, through the catalog when it is `__MSG_key__`.
fn manifest_text(field: &str, catalog: &serde_json::Value) -> Option<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("manifest.json")).unwrap())
            .unwrap();
    let raw = manifest[field].as_str()?;
    match raw
        .strip_prefix("__MSG_")
        .and_then(|k| k.strip_suffix("__"))
    {
        Some(key) => message(catalog, key),
        None => Some(raw.to_owned()),
    }
}

#[test]
fn every_locale_fits_the_stores_limits() {
    let mut problems = Vec::new();
    for (locale, catalog) in catalogs() {
        let name = manifest_text("name", &catalog).expect("the manifest has a name");
        let description = manifest_text("description", &catalog).expect("and a description");
        problems.extend(over(&format!("{locale} name"), &name, NAME));
        problems.extend(over(
            &format!("{locale} description"),
            &description,
            DESCRIPTION,
        ));
        if let Some(short) = manifest_text("short_name", &catalog) {
            problems.extend(over(&format!("{locale} short_name"), &short, SHORT_NAME));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `store/<locale>/summary.txt` and `description.txt` with the locale's name put in.
fn listing_texts() -> Vec<(String, &'static str, String)> {
    let store = root().join("store");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&store) else {
        return out;
    };
    let names: std::collections::BTreeMap<String, String> = catalogs()
        .into_iter()
        .map(|(l, c)| (l, message(&c, "ext_name").unwrap()))
        .collect();
    for entry in entries {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let locale = dir.file_name().unwrap().to_string_lossy().into_owned();
        let name = names
            .get(&locale)
            .unwrap_or_else(|| panic!("store/{locale}/ is a locale the extension ships"));
        for file in ["summary.txt", "description.txt"] {
            let text = read(&dir.join(file));
            out.push((
                locale.clone(),
                file,
                text.replace(NAME_TOKEN, name)
                    .replace(PRIVACY_URL_TOKEN, PRIVACY_URL_LONGEST),
            ));
        }
    }
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .to_owned()
}

#[test]
fn every_listing_fits_the_stores_limits() {
    let mut problems = Vec::new();
    for (locale, file, text) in listing_texts() {
        let limit = if file == "summary.txt" {
            SUMMARY
        } else {
            LONG_DESCRIPTION
        };
        problems.extend(over(&format!("store/{locale}/{file}"), &text, limit));
        if text.is_empty() {
            problems.push(format!("store/{locale}/{file} is empty"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The eight largest UI languages have a listing, and each says, in its language, that the
/// extension is not affiliated with OpenAI (the stores' impersonation rules ask for it).
#[test]
fn the_largest_languages_have_a_listing_saying_it_is_not_openais() {
    let affiliation: &[(&str, &str)] = &[
        ("en", "is not affiliated with OpenAI"),
        ("es", "no está afiliado a OpenAI"),
        ("pt_BR", "não é afiliado à OpenAI"),
        ("de", "steht in keiner Verbindung zu OpenAI"),
        ("fr", "n'a aucun lien avec OpenAI"),
        ("ja", "OpenAI とは提携していません"),
        ("ru", "не связано с OpenAI"),
        ("zh_CN", "与 OpenAI 没有任何关联"),
    ];
    let texts = listing_texts();
    for (locale, line) in affiliation {
        let description = texts
            .iter()
            .find(|(l, f, _)| l == locale && *f == "description.txt")
            .unwrap_or_else(|| panic!("store/{locale}/description.txt is missing"));
        assert!(
            description.2.contains(line),
            "store/{locale}/description.txt does not say {line:?}"
        );
    }
}
