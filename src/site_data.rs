//! What each "clear" tier removes, per browser, and which cookies it takes. The glue runs
//! the plan with `browsingData`, a `cookies` sweep and, for what Firefox cannot scope to a
//! host, the page itself. Nothing outside the listed hosts is ever touched: there is no
//! fallback to clearing the whole browser.

use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClearTier {
    /// Cloudflare's cookies on the ChatGPT hosts: keeps the login.
    CloudflareCookies,
    /// Everything chatgpt.com and chat.openai.com store: logs out of ChatGPT.
    SiteData,
    /// The same, plus OpenAI's login hosts: logs out everywhere at OpenAI.
    FullReset,
}

serde_by_name!(ClearTier {
    CloudflareCookies = "cloudflare_cookies",
    SiteData = "site_data",
    FullReset = "full_reset",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Browser {
    #[default]
    Chrome,
    Firefox,
}

serde_by_name!(Browser {
    Chrome = "chrome",
    Firefox = "firefox",
});

/// Cookie names Cloudflare sets (bot management, challenges, load balancing).
const CLOUDFLARE_COOKIES: &[&str] = &[
    "cf_clearance",
    "__cf_bm",
    "_cfuvid",
    "__cflb",
    "__cfruid",
    "__cfwaitingroom",
];
const CLOUDFLARE_COOKIE_PREFIXES: &[&str] = &["cf_chl_", "__cf_chl_", "cf_ob_"];

pub fn is_cloudflare_cookie(name: &str) -> bool {
    CLOUDFLARE_COOKIES.contains(&name)
        || CLOUDFLARE_COOKIE_PREFIXES
            .iter()
            .any(|p| name.starts_with(p))
}

/// The ChatGPT hosts: the app lives here, with everything under chatgpt.com.
const CHATGPT_HOSTS: &[&str] = &["chatgpt.com", "chat.openai.com"];
/// OpenAI's login hosts, and openai.com itself, whose domain-wide cookies the login sets.
const LOGIN_HOSTS: &[&str] = &["openai.com", "auth.openai.com", "auth0.openai.com"];

/// A data type `browsingData.remove` is asked to clear (its `DataTypeSet` key).
pub type DataType = &'static str;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClearPlan {
    pub tier: ClearTier,
    /// `cookies.getAll({domain})` for each: the sweep's candidates (the core then picks).
    pub cookie_queries: Vec<&'static str>,
    /// Chrome: `browsingData.remove({origins}, types)`.
    pub origins: Vec<String>,
    /// Firefox: `browsingData.remove({hostnames}, types)`.
    pub hostnames: Vec<&'static str>,
    /// The data types given to `browsingData.remove` (never `cookies`: the sweep does
    /// those, because Chrome's origin filter would take a whole registrable domain, and
    /// chat.openai.com's is openai.com, the login).
    pub data_types: Vec<DataType>,
    /// What the content script clears from the page itself: the stores the browser cannot
    /// clear for one site.
    pub page_stores: Vec<&'static str>,
    /// `_locales` keys: what will go, and what it costs, for the confirmation.
    pub removes: Vec<&'static str>,
    pub keeps: Vec<&'static str>,
    pub cost: &'static str,
}

pub fn clear_plan(tier: ClearTier, browser: Browser) -> ClearPlan {
    let hosts: Vec<&'static str> = match tier {
        ClearTier::CloudflareCookies => vec![],
        ClearTier::SiteData => CHATGPT_HOSTS.to_vec(),
        ClearTier::FullReset => CHATGPT_HOSTS.iter().chain(LOGIN_HOSTS).copied().collect(),
    };
    let cookie_queries = match tier {
        // chat.openai.com's Cloudflare cookies are set for its zone, openai.com.
        ClearTier::CloudflareCookies | ClearTier::FullReset => vec!["chatgpt.com", "openai.com"],
        ClearTier::SiteData => vec!["chatgpt.com", "chat.openai.com"],
    };
    let (data_types, page_stores): (Vec<DataType>, Vec<&'static str>) = match (tier, browser) {
        (ClearTier::CloudflareCookies, _) => (vec![], vec![]),
        (_, Browser::Chrome) => (
            vec![
                "cache",
                "cacheStorage",
                "fileSystems",
                "indexedDB",
                "localStorage",
                "serviceWorkers",
                "webSQL",
            ],
            vec!["session_storage"],
        ),
        // Firefox scopes these to hosts; Cache Storage it cannot, and its HTTP cache only
        // all at once, which we never do.
        (_, Browser::Firefox) => (
            vec!["indexedDB", "localStorage", "serviceWorkers"],
            vec!["cache_storage", "session_storage"],
        ),
    };
    let (removes, keeps, cost) = match tier {
        ClearTier::CloudflareCookies => (
            vec!["clear_removes_cloudflare_cookies"],
            vec!["clear_keeps_login", "clear_keeps_other_sites"],
            "clear_cost_none",
        ),
        ClearTier::SiteData => (
            vec![
                "clear_removes_chatgpt_cookies",
                "clear_removes_chatgpt_storage",
            ],
            vec!["clear_keeps_conversations", "clear_keeps_other_sites"],
            "clear_cost_logout_chatgpt",
        ),
        ClearTier::FullReset => (
            vec![
                "clear_removes_chatgpt_cookies",
                "clear_removes_chatgpt_storage",
                "clear_removes_openai_login",
            ],
            vec!["clear_keeps_conversations", "clear_keeps_other_sites"],
            "clear_cost_logout_openai",
        ),
    };
    ClearPlan {
        tier,
        cookie_queries,
        origins: hosts.iter().map(|h| format!("https://{h}")).collect(),
        hostnames: hosts,
        data_types,
        page_stores,
        removes,
        keeps,
        cost,
    }
}

/// A cookie's partition key: opaque, handed back to `cookies.remove` as it came. In the
/// browser it is the JavaScript value itself, never converted; natively (tests) any JSON.
#[cfg(target_arch = "wasm32")]
pub type PartitionKey = crate::wasm::Opaque;
#[cfg(not(target_arch = "wasm32"))]
pub type PartitionKey = serde_json::Value;

/// A cookie as `cookies.getAll` gives it (the value is never sent to the core).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct CookieInfo {
    pub name: String,
    pub domain: String,
    pub path: String,
    pub secure: bool,
    pub store_id: Option<String>,
    pub partition_key: Option<PartitionKey>,
}

/// What `cookies.remove` needs for one cookie.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CookieRemoval {
    pub url: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<PartitionKey>,
}

/// `host` is `domain` or one of its subdomains.
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

fn in_scope(tier: ClearTier, cookie: &CookieInfo) -> bool {
    let host = cookie.domain.trim_start_matches('.').to_ascii_lowercase();
    let chatgpt = within(&host, "chatgpt.com") || within(&host, "chat.openai.com");
    match tier {
        ClearTier::CloudflareCookies => {
            (chatgpt || host == "openai.com") && is_cloudflare_cookie(&cookie.name)
        }
        ClearTier::SiteData => chatgpt,
        ClearTier::FullReset => {
            chatgpt
                || host == "openai.com"
                || within(&host, "auth.openai.com")
                || within(&host, "auth0.openai.com")
        }
    }
}

/// Of the cookies the sweep found, the ones this tier removes, ready for `cookies.remove`.
pub fn cookies_to_remove(tier: ClearTier, cookies: &[CookieInfo]) -> Vec<CookieRemoval> {
    cookies
        .iter()
        .filter(|c| !c.name.is_empty() || !c.domain.is_empty())
        .filter(|c| in_scope(tier, c))
        .map(|c| {
            let host = c.domain.trim_start_matches('.');
            let path = if c.path.starts_with('/') {
                c.path.as_str()
            } else {
                "/"
            };
            CookieRemoval {
                url: format!("https://{host}{path}"),
                name: c.name.clone(),
                store_id: c.store_id.clone(),
                partition_key: c.partition_key.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(name: &str, domain: &str) -> CookieInfo {
        CookieInfo {
            name: name.into(),
            domain: domain.into(),
            path: "/".into(),
            ..CookieInfo::default()
        }
    }

    fn removed(tier: ClearTier, jar: &[CookieInfo]) -> Vec<String> {
        cookies_to_remove(tier, jar)
            .into_iter()
            .map(|r| format!("{} {}", r.url, r.name))
            .collect()
    }

    fn jar() -> Vec<CookieInfo> {
        vec![
            cookie("cf_clearance", ".chatgpt.com"),
            cookie("__cf_bm", ".chatgpt.com"),
            cookie("__Secure-next-auth.session-token", "chatgpt.com"),
            cookie("oai-did", ".chatgpt.com"),
            cookie("__cf_bm", ".openai.com"),
            cookie("cf_clearance", "chat.openai.com"),
            cookie("auth0", "auth.openai.com"),
            cookie("_ga", ".openai.com"),
            cookie("session", "platform.openai.com"),
            cookie("cf_clearance", ".notchatgpt.com"),
            cookie("cf_clearance", ".example.com"),
        ]
    }

    #[test]
    fn cloudflare_tier_keeps_the_login() {
        assert_eq!(
            removed(ClearTier::CloudflareCookies, &jar()),
            [
                "https://chatgpt.com/ cf_clearance",
                "https://chatgpt.com/ __cf_bm",
                "https://openai.com/ __cf_bm",
                "https://chat.openai.com/ cf_clearance",
            ]
        );
    }

    #[test]
    fn site_tier_takes_chatgpt_only() {
        assert_eq!(
            removed(ClearTier::SiteData, &jar()),
            [
                "https://chatgpt.com/ cf_clearance",
                "https://chatgpt.com/ __cf_bm",
                "https://chatgpt.com/ __Secure-next-auth.session-token",
                "https://chatgpt.com/ oai-did",
                "https://chat.openai.com/ cf_clearance",
            ]
        );
    }

    #[test]
    fn full_reset_adds_the_login_hosts_but_not_other_openai_sites() {
        let gone = removed(ClearTier::FullReset, &jar());
        assert!(gone.contains(&"https://auth.openai.com/ auth0".to_string()));
        assert!(gone.contains(&"https://openai.com/ _ga".to_string()));
        assert!(!gone.iter().any(|g| g.contains("platform.openai.com")));
        assert!(!gone
            .iter()
            .any(|g| g.contains("example.com") || g.contains("notchatgpt")));
    }

    #[test]
    fn partitioned_cookies_are_removed_from_their_partition() {
        let mut c = cookie("__cf_bm", ".chatgpt.com");
        c.path = "/backend-api".into();
        c.partition_key = Some(serde_json::json!({"topLevelSite": "https://example.com"}));
        let r = &cookies_to_remove(ClearTier::CloudflareCookies, &[c])[0];
        assert_eq!(r.url, "https://chatgpt.com/backend-api");
        assert!(r.partition_key.is_some());
    }

    #[test]
    fn no_plan_reaches_beyond_its_hosts_or_clears_cookies_by_origin() {
        for browser in [Browser::Chrome, Browser::Firefox] {
            for tier in [
                ClearTier::CloudflareCookies,
                ClearTier::SiteData,
                ClearTier::FullReset,
            ] {
                let plan = clear_plan(tier, browser);
                assert!(!plan.data_types.contains(&"cookies"));
                for h in &plan.hostnames {
                    assert!(CHATGPT_HOSTS.contains(h) || LOGIN_HOSTS.contains(h));
                }
                if browser == Browser::Firefox {
                    // Firefox clears the HTTP cache of every site at once: never asked.
                    assert!(!plan.data_types.contains(&"cache"));
                }
            }
        }
        assert!(clear_plan(ClearTier::CloudflareCookies, Browser::Chrome)
            .origins
            .is_empty());
        assert_eq!(
            clear_plan(ClearTier::SiteData, Browser::Firefox).hostnames,
            ["chatgpt.com", "chat.openai.com"]
        );
    }
}
