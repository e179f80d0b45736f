//! What happens when the extension arrives: its welcome page opens once, on a fresh install,
//! and never when it is updated, reloaded or the browser updates. No other page ever opens
//! by itself.

/// Does `runtime.onInstalled`'s `reason` call for the welcome page?
pub fn opens_welcome(reason: &str) -> bool {
    reason == "install"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fresh_install_opens_the_welcome_page() {
        assert!(opens_welcome("install"));
        for other in [
            "update",
            "chrome_update",
            "browser_update",
            "shared_module_update",
            "",
            "INSTALL",
        ] {
            assert!(!opens_welcome(other), "{other}");
        }
    }
}
