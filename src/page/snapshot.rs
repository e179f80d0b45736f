use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;

/// Where on the page a piece of text was read. The sensor only reads these places: text
/// anywhere else (the conversation, the composer) is never evidence.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// Cloudflare's error, block or challenge box, wherever it is embedded.
    CloudflareBox,
    /// The visible text of a document that is not the ChatGPT app (an error page, a JSON body).
    ErrorPage,
    /// A toast, alert or modal of the app.
    Alert,
    /// The error area of a conversation turn that failed.
    TurnError,
    /// One of the app's own error containers (an error-styled toast, the notice strip above
    /// the composer, the limit dialog): whatever its words, in any language, an error.
    ErrorBox,
    /// Anything the sensor does not know: read, never matched.
    Unknown,
}

serde_by_name!(RegionKind {
    CloudflareBox = "cloudflare_box",
    ErrorPage = "error_page",
    Alert = "alert",
    TurnError = "turn_error",
    ErrorBox = "error_box",
    Unknown = "unknown",
} else Unknown);

/// One bounded piece of text from one of the places errors show.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub kind: RegionKind,
    #[serde(default)]
    pub text: String,
}

/// What the background learnt from the document's HTTP response (`webRequest`).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseInfo {
    pub status: Option<u16>,
    pub cf_ray: Option<String>,
    pub cf_mitigated: Option<String>,
    pub retry_after: Option<String>,
    pub server: Option<String>,
    pub content_type: Option<String>,
}

/// Everything the sensor observed about one page, at one moment. Every field may be absent:
/// the core must give an answer for any snapshot, including an empty one.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageSnapshot {
    pub url: String,
    pub title: String,
    pub response: ResponseInfo,
    /// Ids of the markup markers present (see `sensor_spec`). Unknown ids are ignored.
    pub markers: Vec<String>,
    pub regions: Vec<Region>,
    /// Total length of the page's visible text, when the document is not the app.
    pub page_text_len: Option<u32>,
    /// The browser's navigation error, when no page arrived (`webNavigation.onErrorOccurred`).
    pub navigation_error: Option<String>,
    /// Milliseconds since the epoch when the snapshot was taken, and the local time zone's
    /// offset east of UTC in minutes (`-Date.getTimezoneOffset()`): needed to turn
    /// "try again after 3:27 PM" into an instant.
    pub now_ms: Option<f64>,
    pub utc_offset_minutes: Option<i32>,
    /// Only the response's status line and headers are known: its body has not been read
    /// yet (a provisional reading, see `classify::provisional`). Never taken from a page.
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    pub body_unread: bool,
}

impl PageSnapshot {
    pub fn has_marker(&self, id: &str) -> bool {
        self.markers.iter().any(|m| m == id)
    }

    /// The URL's path, without query or fragment ("/" when unknown).
    pub fn path(&self) -> &str {
        url_path(&self.url)
    }
}

/// The URL without its scheme, split where the host ends.
fn split_host(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()))
}

/// A URL's host as written (no parsing beyond finding where it ends).
pub fn url_host(url: &str) -> &str {
    split_host(url).0
}

/// The two hosts the app lives on: the extension acts on pages of these only.
pub const CHATGPT_HOSTS: [&str; 2] = ["chatgpt.com", "chat.openai.com"];

/// Is this an https page of ChatGPT? Anything else (another site, `about:`, a URL the
/// browser would not show the extension, nothing at all) is not, and no reload, clear or
/// restore may reach it.
pub fn is_chatgpt_url(url: &str) -> bool {
    url.starts_with("https://") && CHATGPT_HOSTS.contains(&url_host(url))
}

/// A URL's path, without query or fragment ("/" when it has none).
pub fn url_path(url: &str) -> &str {
    let path = split_host(url).1.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_pages_of_the_two_hosts_are_chatgpt() {
        assert!(is_chatgpt_url("https://chatgpt.com/c/abc"));
        assert!(is_chatgpt_url("https://chat.openai.com"));
        for other in [
            "about:home",
            "about:blank",
            "",
            "http://chatgpt.com/",
            "https://chatgpt.com.evil.example/",
            "https://evil.example/?https://chatgpt.com/",
            "https://platform.openai.com/",
            "chrome://newtab/",
            "moz-extension://x/popup.html",
        ] {
            assert!(!is_chatgpt_url(other), "{other}");
        }
    }

    #[test]
    fn path_ignores_host_query_and_fragment() {
        let mut s = PageSnapshot {
            url: "https://chatgpt.com/c/abc?model=x#top".into(),
            ..Default::default()
        };
        assert_eq!(s.path(), "/c/abc");
        s.url = "https://chat.openai.com".into();
        assert_eq!(s.path(), "/");
        s.url = "not a url".into();
        assert_eq!(s.path(), "/");
        s.url = "https://chatgpt.com?next=/c/abc".into();
        assert_eq!(s.path(), "/");
        assert_eq!(url_host("https://chat.openai.com/c/x?y"), "chat.openai.com");
    }

    #[test]
    fn unknown_region_kinds_and_missing_fields_deserialize() {
        let s: PageSnapshot = serde_json::from_str(
            r#"{"regions":[{"kind":"martian","text":"x"}],"response":{"status":403}}"#,
        )
        .unwrap();
        assert_eq!(s.regions[0].kind, RegionKind::Unknown);
        assert_eq!(s.response.status, Some(403));
    }
}
