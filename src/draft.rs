//! When a prompt the extension saved before a reload, clear or login is put back: on the
//! same conversation, or on a new chat (where the login or a cleared session lands), and
//! only while it is recent.

use crate::policy::POLICY;
use crate::snapshot::url_path;

pub fn draft_fits(saved_url: &str, saved_at_ms: f64, current_url: &str, now_ms: f64) -> bool {
    let age = now_ms - saved_at_ms;
    if !(0.0..=POLICY.draft_max_age_ms as f64).contains(&age) {
        return false;
    }
    let path_of = |url| url_path(url).trim_end_matches('/');
    let (saved, current) = (path_of(saved_url), path_of(current_url));
    saved == current || current.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_goes_back_to_its_conversation_or_a_new_chat_while_recent() {
        let c = "https://chatgpt.com/c/abc";
        assert!(draft_fits(c, 0.0, "https://chatgpt.com/c/abc?x=1", 1.0));
        assert!(draft_fits(c, 0.0, "https://chatgpt.com/", 1.0));
        assert!(!draft_fits(c, 0.0, "https://chatgpt.com/c/other", 1.0));
        assert!(!draft_fits(c, 0.0, "https://chatgpt.com/auth/login", 1.0));
        assert!(!draft_fits(c, 0.0, c, 2.0 * 86_400_000.0));
        assert!(!draft_fits(c, 10.0, c, 0.0));
        assert!(!draft_fits(c, f64::NAN, c, 0.0));
    }
}
