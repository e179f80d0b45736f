//! What each "clear" tier removes, per browser, and which cookies it takes. The glue runs
//! the plan with `browsingData`, a `cookies` sweep and, for what Firefox cannot scope to a
//! host, the page itself. Nothing outside the listed hosts is ever touched: there is no
//! fallback to clearing the whole browser.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::named::serde_by_name;
use crate::page::snapshot::CHATGPT_HOSTS;

#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
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

#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
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

/// Which sites a `browsingData.remove` call covers: `{"origins": [...]}` (Chrome) or
/// `{"hostnames": [...]}` (Firefox).
#[derive(Debug, Clone, PartialEq)]
pub enum RemovalScope {
    Origins(Vec<String>),
    Hostnames(Vec<&'static str>),
}

/// A `browsingData.remove` call's `RemovalOptions`: its scope and, in Firefox, the cookie
/// store (container, private window) it is limited to: `{"hostnames": [...],
/// "cookieStoreId": "firefox-container-1"}`. Without one, Firefox clears the hosts' data in
/// every container.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(type = "({ origins: string[] } | { hostnames: string[] }) & { cookieStoreId?: string }")
)]
#[derive(Debug, Clone, PartialEq)]
pub struct RemovalOptions {
    pub scope: RemovalScope,
    pub cookie_store_id: Option<String>,
}

impl Serialize for RemovalOptions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.scope {
            RemovalScope::Origins(origins) => map.serialize_entry("origins", origins)?,
            RemovalScope::Hostnames(hosts) => map.serialize_entry("hostnames", hosts)?,
        }
        if let Some(store) = &self.cookie_store_id {
            map.serialize_entry("cookieStoreId", store)?;
        }
        map.end()
    }
}

/// One `browsingData.remove(options, dataToRemove)` call.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrowsingDataRemoval {
    pub options: RemovalOptions,
    /// The `DataTypeSet`: each type to clear, set to `true`.
    pub data_to_remove: BTreeMap<DataType, bool>,
}

impl BrowsingDataRemoval {
    fn new(scope: RemovalScope, cookie_store_id: Option<String>, types: &[DataType]) -> Self {
        BrowsingDataRemoval {
            options: RemovalOptions {
                scope,
                cookie_store_id,
            },
            // Inserted one by one: `collect` sorts the pairs first, which would cost the
            // module a second copy of the standard library's stable sort (4 KB).
            data_to_remove: {
                let mut set = BTreeMap::new();
                for t in types {
                    set.insert(*t, true);
                }
                set
            },
        }
    }

    pub fn data_types(&self) -> impl Iterator<Item = DataType> + '_ {
        self.data_to_remove.keys().copied()
    }

    pub fn hosts(&self) -> Vec<&str> {
        match &self.options.scope {
            RemovalScope::Origins(origins) => origins
                .iter()
                .map(|o| o.trim_start_matches("https://"))
                .collect(),
            RemovalScope::Hostnames(hosts) => hosts.clone(),
        }
    }
}

/// The tab a clear is for, as `tabs.get` tells it: the browser, whether the tab is in a
/// private (incognito) window, and its cookie store (Firefox: `cookieStoreId`, a container's,
/// `firefox-default` or `firefox-private`; Chrome gives none).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct TabContext {
    pub browser: Browser,
    pub incognito: bool,
    pub cookie_store_id: Option<String>,
}

impl TabContext {
    pub fn of(browser: Browser) -> TabContext {
        TabContext {
            browser,
            ..TabContext::default()
        }
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
    /// the stores the browser cannot clear for one site, or for this tab's store alone. Only
    /// the tab's own origin is reachable from there.
    pub page_stores: Vec<&'static str>,
    /// `_locales` keys: what will go, and what it costs, for the confirmation.
    pub removes: Vec<&'static str>,
    pub keeps: Vec<&'static str>,
    pub cost: &'static str,
}

/// One `cookies.getAll` query: `{domain, partitionKey: {}}` (partitioned cookies too), and
/// in Firefox `firstPartyDomain: null` (every first party: with first-party isolation on,
/// Firefox refuses a query without it).
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(type = "{ domain: string, partitionKey: Record<string, never>, firstPartyDomain?: null }")
)]
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
/// Firefox clears these for exactly the hosts named, and (given a `cookieStoreId`) in that
/// store only: they are the types it can limit to a store (with cookies, which the sweep
/// does). Its `localStorage` also purges the hosts' sessionStorage.
const FIREFOX_STORE_TYPES: &[DataType] = &["indexedDB", "localStorage"];
// Not asked of Firefox: `serviceWorkers`, which it refuses to limit to a store (and clears
// for a host and all its subdomains, in every container): the page unregisters its own.
// `cache` with hostnames clears every site's CORS preflight cache (its cleaner cannot clear
// one host, and browsingData then clears all), and Cache Storage, which none of its types
// clears for a host: the page does that (`cache_storage`).

/// What the page clears of itself when the browser cannot clear the tab's store alone.
pub const CACHE_STORAGE: &str = "cache_storage";
pub const LOCAL_STORAGE: &str = "local_storage";
pub const SESSION_STORAGE: &str = "session_storage";
pub const INDEXED_DB: &str = "indexed_db";
pub const SERVICE_WORKERS: &str = "service_workers";
/// Everything a page holds of its own (cookies aside: the sweep takes those, in the tab's
/// cookie store).
const ALL_PAGE_STORES: &[&str] = &[
    LOCAL_STORAGE,
    SESSION_STORAGE,
    INDEXED_DB,
    CACHE_STORAGE,
    SERVICE_WORKERS,
];

/// What one tier removes, for the tab that was clicked, and nothing of any other store:
///
/// - Chrome, normal window: `browsingData` by origin (it clears the normal profile).
/// - Chrome, incognito: no `browsingData` at all (from the extension it would clear the
///   normal profile's data and leave the incognito tab's); the page clears its own stores.
///   (Its HTTP cache lives in memory and goes with the window.)
/// - Firefox: `browsingData` limited to the tab's `cookieStoreId` (its container, or the
///   private window's) for the types Firefox can limit; the page clears the rest of its own.
///   With no store known, no `browsingData` (it would clear every container): the page
///   clears its own stores.
pub fn clear_plan(tier: ClearTier, tab: &TabContext) -> ClearPlan {
    let browser = tab.browser;
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
    let store = tab
        .cookie_store_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (browsing_data, page_stores) = if hosts.is_empty() {
        (vec![], vec![])
    } else {
        match (browser, store) {
            (Browser::Chrome, _) if tab.incognito => (vec![], ALL_PAGE_STORES.to_vec()),
            (Browser::Chrome, _) => (
                vec![BrowsingDataRemoval::new(
                    RemovalScope::Origins(hosts.iter().map(|h| format!("https://{h}")).collect()),
                    None,
                    CHROME_TYPES,
                )],
                vec![],
            ),
            (Browser::Firefox, Some(store)) => (
                vec![BrowsingDataRemoval::new(
                    RemovalScope::Hostnames(hosts.clone()),
                    Some(store.to_string()),
                    FIREFOX_STORE_TYPES,
                )],
                vec![SESSION_STORAGE, CACHE_STORAGE, SERVICE_WORKERS],
            ),
            (Browser::Firefox, None) => (vec![], ALL_PAGE_STORES.to_vec()),
        }
    };
    let (removes, keeps, cost) = match tier {
        ClearTier::CloudflareCookies => (
            vec![
                "clear_removes_cloudflare_cookies",
                "clear_removes_shared_openai_cloudflare_cookies",
            ],
            vec!["clear_keeps_login", "clear_keeps_other_sites"],
            "clear_cost_cloudflare_check",
        ),
        ClearTier::SiteData => (
            vec![
                "clear_removes_chatgpt_cookies",
                "clear_removes_chatgpt_storage",
                "clear_removes_shared_openai_cloudflare_cookies",
            ],
            vec!["clear_keeps_conversations", "clear_keeps_other_sites"],
            "clear_cost_logout_chatgpt",
        ),
        ClearTier::FullReset => (
            vec![
                "clear_removes_chatgpt_cookies",
                "clear_removes_chatgpt_storage",
                "clear_removes_openai_login",
                "clear_removes_shared_openai_cloudflare_cookies",
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

/// A cookie's partition key (CHIPS), handed back to `cookies.remove` as it came: Chrome gives
/// `{topLevelSite, hasCrossSiteAncestor}`, Firefox `{topLevelSite}`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PartitionKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub top_level_site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub has_cross_site_ancestor: Option<bool>,
}

/// A cookie as `cookies.getAll` gives it (the value is never sent to the core).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct CookieInfo {
    pub name: String,
    pub domain: String,
    pub path: String,
    pub secure: bool,
    pub store_id: Option<String>,
    /// Handed back to `cookies.remove` as it came.
    pub partition_key: Option<PartitionKey>,
    /// Firefox only (`""` unless first-party isolation set one); `cookies.remove` needs it
    /// back when isolation is on.
    pub first_party_domain: Option<String>,
}

/// What `cookies.remove` needs for one cookie.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CookieRemoval {
    pub url: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub store_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub partition_key: Option<PartitionKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
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
        c.partition_key = Some(PartitionKey {
            top_level_site: Some("https://example.com".into()),
            has_cross_site_ancestor: Some(false),
        });
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

    fn tab(browser: Browser, incognito: bool, store: Option<&str>) -> TabContext {
        TabContext {
            browser,
            incognito,
            cookie_store_id: store.map(str::to_string),
        }
    }

    /// The tabs a clear may come from: a normal window, a private one, a container.
    fn tabs() -> Vec<TabContext> {
        vec![
            tab(Browser::Chrome, false, None),
            tab(Browser::Chrome, true, None),
            tab(Browser::Firefox, false, Some("firefox-default")),
            tab(Browser::Firefox, false, Some("firefox-container-3")),
            tab(Browser::Firefox, true, Some("firefox-private")),
            tab(Browser::Firefox, false, None),
        ]
    }

    #[test]
    fn the_sweep_asks_for_every_partition_and_under_first_party_isolation() {
        let plan = |tier, browser| clear_plan(tier, &TabContext::of(browser)).cookie_queries;
        let chrome = plan(ClearTier::CloudflareCookies, Browser::Chrome);
        let firefox = plan(ClearTier::CloudflareCookies, Browser::Firefox);
        assert_eq!(
            serde_json::to_value(&chrome[0]).unwrap(),
            json!({"domain": "chatgpt.com", "partitionKey": {}})
        );
        assert_eq!(
            serde_json::to_value(&firefox[1]).unwrap(),
            json!({"domain": "openai.com", "partitionKey": {}, "firstPartyDomain": null})
        );
        for tier in [ClearTier::SiteData, ClearTier::FullReset] {
            assert_eq!(plan(tier, Browser::Chrome), chrome);
            assert_eq!(plan(tier, Browser::Firefox), firefox);
        }
    }

    #[test]
    fn browsing_data_calls_are_ready_for_the_api() {
        let plan = serde_json::to_value(clear_plan(
            ClearTier::SiteData,
            &tab(Browser::Firefox, false, Some("firefox-container-3")),
        ))
        .unwrap();
        assert_eq!(
            plan["browsing_data"][0],
            json!({
                "options": {
                    "hostnames": ["chatgpt.com", "chat.openai.com"],
                    "cookieStoreId": "firefox-container-3",
                },
                "data_to_remove": {"indexedDB": true, "localStorage": true},
            })
        );
        let plan = serde_json::to_value(clear_plan(
            ClearTier::FullReset,
            &TabContext::of(Browser::Chrome),
        ))
        .unwrap();
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
        for tab in tabs() {
            let browser = tab.browser;
            for tier in ClearTier::ALL {
                let plan = clear_plan(tier, &tab);
                for call in &plan.browsing_data {
                    assert!(!call.data_to_remove.contains_key("cookies"));
                    assert!(call.data_to_remove.values().all(|v| *v));
                    for h in call.hosts() {
                        assert!(plan.hosts.contains(&h), "{h} beyond {:?}", plan.hosts);
                    }
                    assert_eq!(
                        matches!(call.options.scope, RemovalScope::Origins(_)),
                        browser == Browser::Chrome
                    );
                    if let RemovalScope::Origins(origins) = &call.options.scope {
                        assert!(origins.iter().all(|o| o.starts_with("https://")));
                    }
                    if browser == Browser::Firefox {
                        // Firefox would clear every site's preflight cache with it.
                        assert!(!call.data_to_remove.contains_key("cache"));
                    }
                }
                for h in &plan.hosts {
                    assert!(CHATGPT_HOSTS.contains(h) || LOGIN_HOSTS.contains(h));
                }
            }
            let plan = clear_plan(ClearTier::CloudflareCookies, &tab);
            assert!(plan.browsing_data.is_empty() && plan.page_stores.is_empty());
        }
        assert_eq!(
            clear_plan(ClearTier::SiteData, &TabContext::of(Browser::Firefox)).hosts,
            ["chatgpt.com", "chat.openai.com"]
        );
    }

    #[test]
    fn firefox_clears_only_the_store_of_the_tab() {
        for store in ["firefox-container-3", "firefox-default", "firefox-private"] {
            for tier in [ClearTier::SiteData, ClearTier::FullReset] {
                let plan = clear_plan(tier, &tab(Browser::Firefox, false, Some(store)));
                assert!(!plan.browsing_data.is_empty());
                for call in &plan.browsing_data {
                    // Without it, Firefox clears the hosts' data in every container.
                    assert_eq!(call.options.cookie_store_id.as_deref(), Some(store));
                    let json = serde_json::to_value(call).unwrap();
                    assert_eq!(json["options"]["cookieStoreId"], store);
                    // Only the types Firefox limits to a store; it refuses the others.
                    for t in call.data_types() {
                        assert!(["cookies", "indexedDB", "localStorage"].contains(&t), "{t}");
                    }
                }
            }
        }
        // No store known: never a call that would take every container's data.
        for tier in ClearTier::ALL {
            let plan = clear_plan(tier, &TabContext::of(Browser::Firefox));
            assert!(plan.browsing_data.is_empty(), "{tier:?}");
        }
        // A blank store is no store.
        let blank = tab(Browser::Firefox, false, Some("  "));
        assert!(clear_plan(ClearTier::SiteData, &blank)
            .browsing_data
            .is_empty());
    }

    #[test]
    fn chrome_incognito_never_calls_browsing_data() {
        for tier in ClearTier::ALL {
            for store in [None, Some("1")] {
                let plan = clear_plan(tier, &tab(Browser::Chrome, true, store));
                // From the extension it would clear the normal profile, not this tab's.
                assert!(plan.browsing_data.is_empty(), "{tier:?}");
                // Cookies still go, from the tab's own store (the glue adds its `storeId`).
                assert_eq!(
                    plan.cookie_queries,
                    clear_plan(tier, &TabContext::of(Browser::Chrome)).cookie_queries
                );
            }
        }
        // A normal window's tab still clears by origin.
        assert!(
            !clear_plan(ClearTier::SiteData, &TabContext::of(Browser::Chrome))
                .browsing_data
                .is_empty()
        );
    }

    /// The page store that clears what a `browsingData` type clears, for the page's origin;
    /// `None` for what a page cannot reach.
    fn page_store_for(data_type: DataType) -> Option<&'static [&'static str]> {
        match data_type {
            "cacheStorage" => Some(&[CACHE_STORAGE]),
            "indexedDB" => Some(&[INDEXED_DB]),
            // Both browsers' localStorage type takes sessionStorage too.
            "localStorage" => Some(&[LOCAL_STORAGE, SESSION_STORAGE]),
            "serviceWorkers" => Some(&[SERVICE_WORKERS]),
            _ => None,
        }
    }

    #[test]
    fn every_store_is_cleared_by_someone_in_each_browser() {
        for tier in [ClearTier::SiteData, ClearTier::FullReset] {
            let normal = clear_plan(tier, &TabContext::of(Browser::Chrome));
            let types: Vec<DataType> = normal
                .browsing_data
                .iter()
                .flat_map(|c| c.data_types().collect::<Vec<_>>())
                .collect();
            for wanted in [
                "indexedDB",
                "localStorage",
                "serviceWorkers",
                "cacheStorage",
                "cache",
            ] {
                assert!(types.contains(&wanted));
            }
            // Chrome clears it all itself (sessionStorage with localStorage).
            assert!(normal.page_stores.is_empty());
            // Every other tab: what Chrome's browsingData clears in a normal window is
            // cleared there too, by browsingData limited to its store or by the page. Not
            // by the page: the HTTP cache (an incognito window's lives in memory and goes
            // with it; Firefox's is never asked for), file systems and Web SQL (gone from
            // current browsers).
            for tab in tabs().into_iter().skip(1) {
                let plan = clear_plan(tier, &tab);
                let by_browser: Vec<DataType> = plan
                    .browsing_data
                    .iter()
                    .flat_map(|c| c.data_types().collect::<Vec<_>>())
                    .collect();
                for t in &types {
                    let Some(stores) = page_store_for(t) else {
                        assert!(["cache", "fileSystems", "webSQL"].contains(t), "{t}");
                        continue;
                    };
                    let by_page = stores.iter().all(|s| plan.page_stores.contains(s));
                    assert!(
                        by_browser.contains(t) || by_page,
                        "{tab:?}: nobody clears {t}"
                    );
                }
                // The page is asked only for stores it knows.
                for s in &plan.page_stores {
                    assert!(ALL_PAGE_STORES.contains(s));
                }
            }
            // Firefox's browsingData has no Cache Storage type and cannot limit service
            // workers to a store: the page does both.
            let firefox = clear_plan(tier, &tab(Browser::Firefox, false, Some("firefox-default")));
            assert!(firefox.page_stores.contains(&CACHE_STORAGE));
            assert!(firefox.page_stores.contains(&SERVICE_WORKERS));
            // Chrome incognito: the page clears all of its own.
            assert_eq!(
                clear_plan(tier, &tab(Browser::Chrome, true, None)).page_stores,
                ALL_PAGE_STORES
            );
        }
    }

    #[test]
    fn the_confirmation_names_the_cloudflare_cookies_shared_across_openai() {
        // Each tier takes `.openai.com`'s Cloudflare cookies (chat.openai.com's zone), which
        // OpenAI's other sites send too: the confirmation says so.
        let shared = cookie("__cf_bm", ".openai.com");
        for tier in ClearTier::ALL {
            assert!(!cookies_to_remove(tier, std::slice::from_ref(&shared)).is_empty());
            let plan = clear_plan(tier, &TabContext::of(Browser::Chrome));
            assert!(
                plan.removes
                    .contains(&"clear_removes_shared_openai_cloudflare_cookies"),
                "{tier:?}"
            );
        }
        assert_eq!(
            clear_plan(
                ClearTier::CloudflareCookies,
                &TabContext::of(Browser::Firefox)
            )
            .cost,
            "clear_cost_cloudflare_check"
        );
    }

    #[test]
    fn the_tab_context_reads_as_the_glue_writes_it() {
        let t: TabContext = serde_json::from_value(json!({
            "browser": "firefox", "incognito": false, "cookie_store_id": "firefox-container-2"
        }))
        .unwrap();
        assert_eq!(t, tab(Browser::Firefox, false, Some("firefox-container-2")));
        let t: TabContext = serde_json::from_value(
            json!({"browser": "chrome", "incognito": true, "cookie_store_id": null}),
        )
        .unwrap();
        assert_eq!(t, tab(Browser::Chrome, true, None));
        let t: TabContext = serde_json::from_value(json!({"browser": "chrome"})).unwrap();
        assert_eq!(t, TabContext::of(Browser::Chrome));
    }
}
