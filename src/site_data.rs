//! What each "clear" tier removes, per browser, and which cookies it takes. The glue runs
//! the plan with `browsingData`, a `cookies` sweep and, for what Firefox cannot scope to a
//! host, the page itself. Nothing outside the listed hosts is ever touched: there is no
//! fallback to clearing the whole browser.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

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

impl ClearTier {
    pub const ALL: [ClearTier; 3] = [
        ClearTier::CloudflareCookies,
        ClearTier::SiteData,
        ClearTier::FullReset,
    ];
}

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
/// Hosts whose subdomains are not all in any tier (openai.com has platform.openai.com,
/// help.openai.com…): never given to a removal that also takes subdomains.
const HOSTS_WITH_FOREIGN_SUBDOMAINS: &[&str] = &["openai.com"];
/// What the sweep asks `cookies.getAll` for: every cookie of these domains and their
/// subdomains (chat.openai.com's and the login's come with openai.com); the core then picks.
const COOKIE_DOMAINS: &[&str] = &["chatgpt.com", "openai.com"];

/// A data type `browsingData.remove` is asked to clear (its `DataTypeSet` key).
pub type DataType = &'static str;

/// Which sites a `browsingData.remove` call covers: its `RemovalOptions`, serialized as
/// `{"origins": [...]}` (Chrome) or `{"hostnames": [...]}` (Firefox).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RemovalScope {
    Origins(Vec<String>),
    Hostnames(Vec<&'static str>),
}

/// One `browsingData.remove(options, dataToRemove)` call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrowsingDataRemoval {
    pub options: RemovalScope,
    /// The `DataTypeSet`: each type to clear, set to `true`.
    pub data_to_remove: BTreeMap<DataType, bool>,
}

impl BrowsingDataRemoval {
    fn new(options: RemovalScope, types: &[DataType]) -> Self {
        BrowsingDataRemoval {
            options,
            data_to_remove: types.iter().map(|t| (*t, true)).collect(),
        }
    }

    pub fn data_types(&self) -> impl Iterator<Item = DataType> + '_ {
        self.data_to_remove.keys().copied()
    }

    pub fn hosts(&self) -> Vec<&str> {
        match &self.options {
            RemovalScope::Origins(origins) => origins
                .iter()
                .map(|o| o.trim_start_matches("https://"))
                .collect(),
            RemovalScope::Hostnames(hosts) => hosts.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClearPlan {
    pub tier: ClearTier,
    /// The hosts whose stored data goes (cookies aside: see `cookies_to_remove`).
    pub hosts: Vec<&'static str>,
    /// `cookies.getAll` queries, less the tab's `storeId`: the sweep's candidates (the core
    /// then picks with `cookies_to_remove`).
    pub cookie_queries: Vec<CookieQuery>,
    /// The `browsingData.remove` calls, in order. Never `cookies`: the sweep does those,
    /// because Chrome's origin filter takes a cookie's whole registrable domain (and
    /// chat.openai.com's is openai.com, the login), and Firefox's misses partitioned ones.
    pub browsing_data: Vec<BrowsingDataRemoval>,
    /// What the content script clears from the page itself (`PAGE_STORES` in content.js):
    /// the stores the browser cannot clear for one site.
    pub page_stores: Vec<&'static str>,
    /// `_locales` keys: what will go, and what it costs, for the confirmation.
    pub removes: Vec<&'static str>,
    pub keeps: Vec<&'static str>,
    pub cost: &'static str,
}

/// One `cookies.getAll` query: `{domain, partitionKey: {}}` (partitioned cookies too), and
/// in Firefox `firstPartyDomain: null` (every first party: with first-party isolation on,
/// Firefox refuses a query without it).
#[derive(Debug, Clone, PartialEq)]
pub struct CookieQuery {
    pub domain: &'static str,
    pub any_first_party: bool,
}

impl Serialize for CookieQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct EmptyObject;
        impl Serialize for EmptyObject {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_map(Some(0))?.end()
            }
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("domain", self.domain)?;
        map.serialize_entry("partitionKey", &EmptyObject)?;
        if self.any_first_party {
            map.serialize_entry("firstPartyDomain", &Option::<()>::None)?;
        }
        map.end()
    }
}

/// Chrome scopes all of these to an origin (`cache` is the HTTP cache, entries whose URL is
/// on the origin). Its `localStorage` takes the origin's sessionStorage too, in every tab.
const CHROME_TYPES: &[DataType] = &[
    "cache",
    "cacheStorage",
    "fileSystems",
    "indexedDB",
    "localStorage",
    "serviceWorkers",
    "webSQL",
];
/// Firefox clears these for exactly the hosts named (every partition and container of
/// them); its `localStorage` also purges the hosts' sessionStorage, in every tab.
const FIREFOX_EXACT_HOST_TYPES: &[DataType] = &["indexedDB", "localStorage"];
/// Firefox unregisters the service workers of each host and all its subdomains.
const FIREFOX_SUBDOMAIN_TYPES: &[DataType] = &["serviceWorkers"];
// Not asked of Firefox: `cache` with hostnames clears every site's CORS preflight cache (its
// cleaner cannot clear one host, and browsingData then clears all), and Cache Storage, which
// none of its types clears for a host: the page does that (`cache_storage`).

pub fn clear_plan(tier: ClearTier, browser: Browser) -> ClearPlan {
    let hosts: Vec<&'static str> = match tier {
        ClearTier::CloudflareCookies => vec![],
        ClearTier::SiteData => CHATGPT_HOSTS.to_vec(),
        ClearTier::FullReset => CHATGPT_HOSTS.iter().chain(LOGIN_HOSTS).copied().collect(),
    };
    let cookie_queries = COOKIE_DOMAINS
        .iter()
        .map(|domain| CookieQuery {
            domain,
            any_first_party: browser == Browser::Firefox,
        })
        .collect();
    let (browsing_data, page_stores) = if hosts.is_empty() {
        (vec![], vec![])
    } else {
        match browser {
            Browser::Chrome => (
                vec![BrowsingDataRemoval::new(
                    RemovalScope::Origins(hosts.iter().map(|h| format!("https://{h}")).collect()),
                    CHROME_TYPES,
                )],
                vec![],
            ),
            Browser::Firefox => {
                let whole: Vec<&'static str> = hosts
                    .iter()
                    .copied()
                    .filter(|h| !HOSTS_WITH_FOREIGN_SUBDOMAINS.contains(h))
                    .collect();
                (
                    vec![
                        BrowsingDataRemoval::new(
                            RemovalScope::Hostnames(hosts.clone()),
                            FIREFOX_EXACT_HOST_TYPES,
                        ),
                        BrowsingDataRemoval::new(
                            RemovalScope::Hostnames(whole),
                            FIREFOX_SUBDOMAIN_TYPES,
                        ),
                    ],
                    vec!["cache_storage"],
                )
            }
        }
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
        hosts,
        cookie_queries,
        browsing_data,
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
    /// Opaque: handed back to `cookies.remove` as it came.
    pub partition_key: Option<PartitionKey>,
    /// Firefox only (`""` unless first-party isolation set one); `cookies.remove` needs it
    /// back when isolation is on.
    pub first_party_domain: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_party_domain: Option<String>,
}

/// `host` is `domain` or one of its subdomains.
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Each tier takes what the one before takes, and more.
fn in_scope(tier: ClearTier, cookie: &CookieInfo) -> bool {
    let host = cookie.domain.trim_start_matches('.').to_ascii_lowercase();
    // A browser only ever gives host names; anything else is no cookie of ours.
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return false;
    }
    let chatgpt = CHATGPT_HOSTS.iter().any(|h| within(&host, h));
    match tier {
        // chat.openai.com's Cloudflare cookies may be set for its zone, openai.com.
        ClearTier::CloudflareCookies => {
            (chatgpt || host == "openai.com") && is_cloudflare_cookie(&cookie.name)
        }
        ClearTier::SiteData => chatgpt || in_scope(ClearTier::CloudflareCookies, cookie),
        ClearTier::FullReset => {
            in_scope(ClearTier::SiteData, cookie)
                || host == "openai.com"
                || LOGIN_HOSTS
                    .iter()
                    .filter(|h| !HOSTS_WITH_FOREIGN_SUBDOMAINS.contains(h))
                    .any(|h| within(&host, h))
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
            let host = c.domain.trim_start_matches('.').to_ascii_lowercase();
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
                first_party_domain: c.first_party_domain.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn site_tier_takes_chatgpt_and_what_the_cloudflare_tier_takes() {
        assert_eq!(
            removed(ClearTier::SiteData, &jar()),
            [
                "https://chatgpt.com/ cf_clearance",
                "https://chatgpt.com/ __cf_bm",
                "https://chatgpt.com/ __Secure-next-auth.session-token",
                "https://chatgpt.com/ oai-did",
                "https://openai.com/ __cf_bm",
                "https://chat.openai.com/ cf_clearance",
            ]
        );
    }

    #[test]
    fn each_tier_takes_what_the_one_before_takes() {
        let tiers = [
            ClearTier::CloudflareCookies,
            ClearTier::SiteData,
            ClearTier::FullReset,
        ];
        for pair in tiers.windows(2) {
            let (smaller, larger) = (removed(pair[0], &jar()), removed(pair[1], &jar()));
            for gone in &smaller {
                assert!(larger.contains(gone), "{:?} keeps {gone}", pair[1]);
            }
            assert!(larger.len() > smaller.len());
        }
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
    fn firefox_isolation_and_partitions_go_back_to_cookies_remove() {
        let mut c = cookie("cf_clearance", ".chatgpt.com");
        c.first_party_domain = Some("chatgpt.com".into());
        c.store_id = Some("firefox-container-1".into());
        let r = serde_json::to_value(&cookies_to_remove(ClearTier::CloudflareCookies, &[c])[0])
            .unwrap();
        assert_eq!(r["firstPartyDomain"], "chatgpt.com");
        assert_eq!(r["storeId"], "firefox-container-1");
        // Chrome has no such field, and rejects one it does not know.
        let r = serde_json::to_value(
            &cookies_to_remove(
                ClearTier::CloudflareCookies,
                &[cookie("cf_clearance", ".chatgpt.com")],
            )[0],
        )
        .unwrap();
        assert!(r.get("firstPartyDomain").is_none() && r.get("partitionKey").is_none());
    }

    #[test]
    fn the_sweep_asks_for_every_partition_and_under_first_party_isolation() {
        let chrome = clear_plan(ClearTier::CloudflareCookies, Browser::Chrome).cookie_queries;
        let firefox = clear_plan(ClearTier::CloudflareCookies, Browser::Firefox).cookie_queries;
        assert_eq!(
            serde_json::to_value(&chrome[0]).unwrap(),
            json!({"domain": "chatgpt.com", "partitionKey": {}})
        );
        assert_eq!(
            serde_json::to_value(&firefox[1]).unwrap(),
            json!({"domain": "openai.com", "partitionKey": {}, "firstPartyDomain": null})
        );
        for tier in [ClearTier::SiteData, ClearTier::FullReset] {
            assert_eq!(clear_plan(tier, Browser::Chrome).cookie_queries, chrome);
            assert_eq!(clear_plan(tier, Browser::Firefox).cookie_queries, firefox);
        }
    }

    #[test]
    fn browsing_data_calls_are_ready_for_the_api() {
        let plan = serde_json::to_value(clear_plan(ClearTier::SiteData, Browser::Firefox)).unwrap();
        assert_eq!(
            plan["browsing_data"][0],
            json!({
                "options": {"hostnames": ["chatgpt.com", "chat.openai.com"]},
                "data_to_remove": {"indexedDB": true, "localStorage": true},
            })
        );
        let plan = serde_json::to_value(clear_plan(ClearTier::FullReset, Browser::Chrome)).unwrap();
        assert_eq!(
            plan["browsing_data"][0]["options"],
            json!({"origins": [
                "https://chatgpt.com",
                "https://chat.openai.com",
                "https://openai.com",
                "https://auth.openai.com",
                "https://auth0.openai.com",
            ]})
        );
    }

    #[test]
    fn no_plan_reaches_beyond_its_hosts_or_clears_cookies_by_origin() {
        for browser in [Browser::Chrome, Browser::Firefox] {
            for tier in ClearTier::ALL {
                let plan = clear_plan(tier, browser);
                for call in &plan.browsing_data {
                    assert!(!call.data_to_remove.contains_key("cookies"));
                    assert!(call.data_to_remove.values().all(|v| *v));
                    for h in call.hosts() {
                        assert!(plan.hosts.contains(&h), "{h} beyond {:?}", plan.hosts);
                    }
                    assert_eq!(
                        matches!(call.options, RemovalScope::Origins(_)),
                        browser == Browser::Chrome
                    );
                    if let RemovalScope::Origins(origins) = &call.options {
                        assert!(origins.iter().all(|o| o.starts_with("https://")));
                    }
                    if browser == Browser::Firefox {
                        // Firefox would clear every site's preflight cache with it.
                        assert!(!call.data_to_remove.contains_key("cache"));
                        // It takes subdomains: never openai.com's (platform.openai.com…).
                        if call.data_to_remove.contains_key("serviceWorkers") {
                            assert!(!call.hosts().contains(&"openai.com"));
                        }
                    }
                }
                for h in &plan.hosts {
                    assert!(CHATGPT_HOSTS.contains(h) || LOGIN_HOSTS.contains(h));
                }
            }
        }
        for browser in [Browser::Chrome, Browser::Firefox] {
            let plan = clear_plan(ClearTier::CloudflareCookies, browser);
            assert!(plan.browsing_data.is_empty() && plan.page_stores.is_empty());
        }
        assert_eq!(
            clear_plan(ClearTier::SiteData, Browser::Firefox).hosts,
            ["chatgpt.com", "chat.openai.com"]
        );
    }

    #[test]
    fn every_store_is_cleared_by_someone_in_each_browser() {
        for tier in [ClearTier::SiteData, ClearTier::FullReset] {
            let types = |browser| -> Vec<DataType> {
                clear_plan(tier, browser)
                    .browsing_data
                    .iter()
                    .flat_map(|c| c.data_types().collect::<Vec<_>>())
                    .collect()
            };
            for wanted in ["indexedDB", "localStorage", "serviceWorkers"] {
                assert!(types(Browser::Chrome).contains(&wanted));
                assert!(types(Browser::Firefox).contains(&wanted));
            }
            assert!(types(Browser::Chrome).contains(&"cacheStorage"));
            assert!(types(Browser::Chrome).contains(&"cache"));
            // Firefox's browsingData has no Cache Storage type: the page clears it.
            assert_eq!(
                clear_plan(tier, Browser::Firefox).page_stores,
                ["cache_storage"]
            );
            // Chrome clears it all itself (sessionStorage with localStorage).
            assert!(clear_plan(tier, Browser::Chrome).page_stores.is_empty());
        }
    }
}
