//! A ChatGPT tab the extension has not read: Chrome runs no content script in tabs that were
//! open before an install or update (and an update empties `storage.session`), so "no record"
//! is not "no error". The popup says "Not checked yet" and offers one reload, which lets the
//! sensor read the page; it never turns the absence of a reading into a clean bill of health.

use crate::page::snapshot::is_chatgpt_url;

/// The tab shows a ChatGPT page (`tab_url`, as the browser gives it) and the extension holds
/// nothing it read there.
pub fn unchecked(tab_url: Option<&str>, has_record: bool) -> bool {
    !has_record && tab_url.is_some_and(is_chatgpt_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chatgpt_tab_without_a_reading_is_not_checked_yet() {
        assert!(unchecked(Some("https://chatgpt.com/c/1"), false));
        assert!(!unchecked(Some("https://chatgpt.com/c/1"), true));
        // Another site (or a tab the browser shows no URL of) is simply not ChatGPT.
        assert!(!unchecked(Some("https://example.com/"), false));
        assert!(!unchecked(None, false));
    }
}
