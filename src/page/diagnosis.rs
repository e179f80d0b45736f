use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;
use crate::page::kind::ErrorKind;

/// How sure the core is. `High`: structure (Cloudflare markup, a challenge header, an HTTP
/// status) agrees with the words. `Medium`: the app's own error container says it. `Low`: a
/// status code alone, with nothing on the page to confirm it.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Confidence {
    #[default]
    Low,
    Medium,
    High,
}

serde_by_name!(Confidence {
    Low = "low",
    Medium = "medium",
    High = "high",
});

/// Where a piece of evidence came from, so the popup can label it.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceSource {
    /// The words the page shows.
    Message,
    /// The document's title.
    Title,
    /// The HTTP status of the document.
    Status,
    /// A response header.
    Header,
    /// Recognisable markup (Cloudflare's box, a login button, a retry button).
    Markup,
    /// The browser's own navigation error.
    Navigation,
}

serde_by_name!(EvidenceSource {
    Message = "message",
    Title = "title",
    Status = "status",
    Header = "header",
    Markup = "markup",
    Navigation = "navigation",
});

impl EvidenceSource {
    pub const ALL: [EvidenceSource; 6] = [
        EvidenceSource::Message,
        EvidenceSource::Title,
        EvidenceSource::Status,
        EvidenceSource::Header,
        EvidenceSource::Markup,
        EvidenceSource::Navigation,
    ];
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: EvidenceSource,
    pub text: String,
}

/// The core's answer for one page: which error, and what it saw that says so.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Diagnosis {
    pub kind: ErrorKind,
    /// The id of the signature that matched (see `signatures::SIGNATURES`).
    pub signature: Option<String>,
    /// The error's own code: Cloudflare's 1020 / 1015 / 522, the HTTP status, or the app's
    /// code such as `token_expired`, or the browser's navigation error.
    pub code: Option<String>,
    /// Cloudflare's Ray ID (16 hex digits), from the page or the `cf-ray` header.
    pub ray_id: Option<String>,
    /// Seconds to wait before retrying, when the server said so (`Retry-After`, `clears_in`).
    pub retry_after_secs: Option<u32>,
    /// When a stated limit resets (ms since the epoch), from "try again after 3:27 PM".
    pub reset_at_ms: Option<f64>,
    /// The sentence the page shows, quoted.
    pub message: Option<String>,
    pub evidence: Vec<Evidence>,
    pub confidence: Confidence,
    pub http_status: Option<u16>,
    /// ChatGPT's own retry button for the failed answer is on the page.
    #[serde(default)]
    pub retry_button: bool,
    /// The app is there, but a conversation page without the structures the in-chat reading
    /// leans on (turns, message authors, the composer): ChatGPT's page has changed, errors in
    /// the chat may be missed. Said in the popup and the report; never an error by itself.
    #[serde(default)]
    pub page_changed: bool,
}

impl Diagnosis {
    pub fn healthy() -> Diagnosis {
        Diagnosis::default()
    }
}
