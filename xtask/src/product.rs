//! The product's name, from one place: the English catalog's `ext_name` (the manifest reads
//! each locale's own through `__MSG_ext_name__`). The zips, the source archive, the listing
//! and the store pictures take it from here, so a rename touches the catalogs only.

use std::fs;
use std::path::Path;

/// The token the listing's texts (`store/`) hold where the locale's name goes.
pub const NAME_TOKEN: &str = "{{name}}";

/// The token the listing's texts hold where the privacy policy's address goes.
pub const PRIVACY_URL_TOKEN: &str = "{{privacy_url}}";
/// Where PRIVACY.md is published: the repository's address once it has one (the stores ask
/// for a privacy policy URL; the listing's texts link it).
pub const PRIVACY_URL: &str = "https://github.com/OWNER/REPOSITORY/blob/main/PRIVACY.md";

/// `ext_name` of one locale's catalog under `root`.
pub fn name_in(root: &Path, locale: &str) -> Result<String, String> {
    let path = root.join(format!("extension/_locales/{locale}/messages.json"));
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json["ext_name"]["message"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no ext_name", path.display()))
}

/// The English name as a file name: lower case, words joined by dashes
/// ("Error Doctor" → "error-doctor").
pub fn slug_at(root: &Path) -> Result<String, String> {
    Ok(slug(&name_in(root, "en")?))
}

pub fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn slug_is_a_plain_file_name() {
        assert_eq!(super::slug("Error Doctor"), "error-doctor");
        assert_eq!(super::slug("Mend — for ChatGPT!"), "mend-for-chatgpt");
    }
}
