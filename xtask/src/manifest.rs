//! One manifest template (`manifest.json` at the root), rendered per browser: the common
//! keys, plus the `__chrome__` or `__firefox__` block merged in, and the version from
//! `Cargo.toml`.

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    pub const ALL: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

pub fn render(template: &str, browser: Browser, version: &str) -> Result<String, String> {
    let Value::Object(mut common) =
        serde_json::from_str(template).map_err(|e| format!("manifest.json: {e}"))?
    else {
        return Err("manifest.json: not an object".into());
    };
    let mut specific = None;
    for b in Browser::ALL {
        let block = common.remove(&format!("__{}__", b.name()));
        if b == browser {
            specific = block;
        }
    }
    match specific {
        Some(Value::Object(block)) => merge(&mut common, block),
        Some(_) => {
            return Err(format!(
                "manifest.json: __{}__ is not an object",
                browser.name()
            ))
        }
        None => {}
    }
    if common.get("version").and_then(Value::as_str) != Some("{{version}}") {
        return Err(
            "manifest.json: the version must be \"{{version}}\" (it comes from Cargo.toml)".into(),
        );
    }
    common.insert("version".into(), Value::String(version.into()));
    let mut text =
        serde_json::to_string_pretty(&Value::Object(common)).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = include_str!("../../manifest.json");

    fn rendered(b: Browser) -> Value {
        serde_json::from_str(&render(TEMPLATE, b, "1.2.3").unwrap()).unwrap()
    }

    #[test]
    fn each_browser_gets_its_own_background() {
        let chrome = rendered(Browser::Chrome);
        assert_eq!(
            chrome["background"]["service_worker"],
            "background/index.js"
        );
        assert_eq!(chrome["background"]["type"], "module");
        assert!(chrome.get("browser_specific_settings").is_none());
        let firefox = rendered(Browser::Firefox);
        assert_eq!(firefox["background"]["scripts"][0], "background/index.js");
        assert!(firefox["background"].get("service_worker").is_none());
        assert!(firefox["browser_specific_settings"]["gecko"]["id"].is_string());
        for m in [chrome, firefox] {
            assert_eq!(m["version"], "1.2.3");
            assert!(m.as_object().unwrap().keys().all(|k| !k.starts_with("__")));
        }
    }

    #[test]
    fn firefox_puts_the_button_on_the_toolbar_and_both_keep_the_popup() {
        let firefox = rendered(Browser::Firefox);
        assert_eq!(firefox["action"]["default_area"], "navbar");
        // Merged into the common action, not replacing it.
        assert_eq!(firefox["action"]["default_popup"], "popup/popup.html");
        let chrome = rendered(Browser::Chrome);
        assert!(chrome["action"].get("default_area").is_none());
        assert_eq!(chrome["action"]["default_popup"], "popup/popup.html");
    }

    /// The content scripts in the order the browser runs them: document_start's group first.
    fn content_scripts(m: &Value) -> Vec<String> {
        let groups = m["content_scripts"].as_array().unwrap();
        let mut out = Vec::new();
        for when in ["document_start", "document_idle"] {
            for g in groups.iter().filter(|g| g["run_at"] == when) {
                let js = g["js"].as_array().unwrap().iter().filter_map(Value::as_str);
                out.extend(js.map(str::to_string));
            }
        }
        out
    }

    #[test]
    fn what_each_content_script_needs_is_loaded_before_it() {
        for b in Browser::ALL {
            let m = rendered(b);
            let js = content_scripts(&m);
            let at = |file: &str| js.iter().position(|f| f == file);
            // Each file once: a second copy would run again in the same world.
            let mut unique = js.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), js.len(), "{js:?}");
            for (before, after) in [
                ("shared/platform.js", "content/early.js"),
                ("shared/protocol.js", "content/early.js"),
                ("content/early.js", "content/index.js"),
                ("generated/core-data.js", "content/index.js"),
                ("content/card.js", "content/index.js"),
            ] {
                assert!(
                    at(before).is_some() && at(before) < at(after),
                    "{before} before {after}: {js:?}"
                );
            }
            // The hello goes out before the page is parsed.
            assert!(early_js_runs_at_document_start(&m), "{js:?}");
        }
    }

    fn early_js_runs_at_document_start(m: &Value) -> bool {
        m["content_scripts"].as_array().unwrap().iter().any(|g| {
            g["run_at"] == "document_start"
                && g["js"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "content/early.js")
        })
    }
}
