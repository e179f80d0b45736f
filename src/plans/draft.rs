//! When a prompt the extension saved before a reload, clear or login is put back: in the
//! same tab, on the same ChatGPT host, in the same conversation or a new chat (where the
//! login or a cleared session lands), for the same account, only while it is recent, and
//! only once: a restore skipped because the composer was not empty is not tried again.

use serde::{Deserialize, Serialize};

use crate::page::snapshot::{is_chatgpt_url, url_host, url_path};
use crate::plans::policy::POLICY;

/// A saved prompt, as the glue keeps it (without its text, which the core never needs).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedDraft {
    pub url: String,
    pub saved_at_ms: f64,
    /// Who was signed in when it was saved (an opaque key the page derives, never the
    /// account's id itself), or none when nobody was or it could not be told.
    pub account: Option<String>,
    /// A restore was tried and skipped (the person had typed something new): it is only
    /// offered for copying from now on.
    pub restore_skipped: bool,
}

/// Is this prompt short enough to keep? A longer one is offered for copying while the
/// background lives, never written to storage (it could fill it and block the fix).
pub fn draft_storable(chars: u32) -> bool {
    chars <= POLICY.draft_max_chars
}

pub fn draft_fits(
    saved: &SavedDraft,
    current_url: &str,
    current_account: Option<&str>,
    now_ms: f64,
) -> bool {
    let age = now_ms - saved.saved_at_ms;
    if !(0.0..=POLICY.draft_max_age_ms as f64).contains(&age) || saved.restore_skipped {
        return false;
    }
    if !is_chatgpt_url(current_url) || url_host(&saved.url) != url_host(current_url) {
        return false;
    }
    // A different account, or one signed in where nobody was known: not theirs to see.
    if saved.account.as_deref() != current_account {
        return false;
    }
    let path_of = |url| url_path(url).trim_end_matches('/');
    let (saved, current) = (path_of(&saved.url), path_of(current_url));
    saved == current || current.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(url: &str, at: f64) -> SavedDraft {
        SavedDraft {
            url: url.into(),
            saved_at_ms: at,
            ..SavedDraft::default()
        }
    }

    #[test]
    fn a_draft_goes_back_to_its_conversation_or_a_new_chat_while_recent() {
        let c = saved("https://chatgpt.com/c/abc", 0.0);
        assert!(draft_fits(&c, "https://chatgpt.com/c/abc?x=1", None, 1.0));
        assert!(draft_fits(&c, "https://chatgpt.com/", None, 1.0));
        assert!(!draft_fits(&c, "https://chatgpt.com/c/other", None, 1.0));
        assert!(!draft_fits(&c, "https://chatgpt.com/auth/login", None, 1.0));
        assert!(!draft_fits(&c, &c.url, None, 2.0 * 86_400_000.0));
        assert!(!draft_fits(&saved(&c.url, 10.0), &c.url, None, 0.0));
        assert!(!draft_fits(&saved(&c.url, f64::NAN), &c.url, None, 0.0));
    }

    #[test]
    fn a_draft_stays_on_its_host_and_never_leaves_chatgpt() {
        let c = saved("https://chatgpt.com/c/abc", 0.0);
        assert!(!draft_fits(&c, "https://chat.openai.com/", None, 1.0));
        assert!(!draft_fits(&c, "https://example.com/", None, 1.0));
        assert!(!draft_fits(&c, "about:home", None, 1.0));
        assert!(!draft_fits(&c, "", None, 1.0));
    }

    #[test]
    fn a_draft_is_only_given_back_to_the_account_that_wrote_it() {
        let mut c = saved("https://chatgpt.com/", 0.0);
        c.account = Some("a1".into());
        assert!(draft_fits(&c, "https://chatgpt.com/", Some("a1"), 1.0));
        assert!(!draft_fits(&c, "https://chatgpt.com/", Some("b2"), 1.0));
        assert!(!draft_fits(&c, "https://chatgpt.com/", None, 1.0));
        // Saved while nobody was known to be signed in: not put into someone's composer.
        c.account = None;
        assert!(!draft_fits(&c, "https://chatgpt.com/", Some("b2"), 1.0));
    }

    #[test]
    fn a_skipped_restore_is_not_tried_again() {
        let mut c = saved("https://chatgpt.com/c/abc", 0.0);
        c.restore_skipped = true;
        assert!(!draft_fits(&c, &c.url.clone(), None, 1.0));
    }

    #[test]
    fn huge_drafts_are_not_stored() {
        assert!(draft_storable(10_000));
        assert!(!draft_storable(POLICY.draft_max_chars + 1));
    }
}
