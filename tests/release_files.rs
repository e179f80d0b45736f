//! The files a release ships beside the code agree with `Cargo.toml`, where the version and
//! the licence are set once: the changelog names the current version and keeps an
//! Unreleased section (Keep a Changelog), the licence is the one Cargo.toml states, the
//! manifest takes the version from the build, and package.json states none of its own.

use std::path::PathBuf;

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn package_field(field: &str) -> String {
    read("Cargo.toml")
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| {
            let rest = l
                .trim()
                .strip_prefix(field)?
                .trim_start()
                .strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("no [package] {field} in Cargo.toml"))
}

#[test]
fn the_changelog_names_the_current_version() {
    let changelog = read("CHANGELOG.md");
    let version = package_field("version");
    let releases: Vec<&str> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .collect();
    assert_eq!(
        releases.first().map(|r| r.starts_with("Unreleased]")),
        Some(true),
        "CHANGELOG.md starts with ## [Unreleased]"
    );
    assert!(
        releases
            .iter()
            .any(|r| r.starts_with(&format!("{version}]"))),
        "CHANGELOG.md has no ## [{version}] section for Cargo.toml's version"
    );
}

#[test]
fn the_version_and_licence_are_stated_once() {
    assert!(
        read("manifest.json").contains("\"version\": \"{{version}}\""),
        "manifest.json takes the version from Cargo.toml at build time"
    );
    let package: serde_json::Value = serde_json::from_str(&read("package.json")).unwrap();
    assert!(
        package.get("version").is_none(),
        "package.json states no version of its own (it is tooling, never published)"
    );
    assert_eq!(package_field("license"), "MIT");
    assert!(read("LICENSE").starts_with("MIT License"));
}
