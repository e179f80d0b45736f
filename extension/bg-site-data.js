// Clears one tier of site data as the core plans it for the tab that was clicked: the page's
// own stores first (what the browser cannot clear for one site, or for that tab's container
// or private window alone), then browsingData for the plan's hosts (and store) only, then a
// sweep of exactly the cookies the core picks (partitioned ones too) in the tab's cookie
// store, then a reload.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { saveDraft } from "./bg-drafts.js";
import { BROWSER } from "./browser-kind.js";

const api = globalThis.browser ?? globalThis.chrome;
const { BACKGROUND_TO_CONTENT_CLEAR_PAGE } = globalThis.PROTOCOL;

const running = new Map(); // `${tabId}:${tier}` → the clear in progress (a second click joins it)

export function clearSiteData(tabId, tier) {
  const key = `${tabId}:${tier}`;
  if (!running.has(key)) {
    running.set(key, clear(tabId, tier).finally(() => running.delete(key)));
  }
  return running.get(key);
}

// The cookie store the tab uses (an incognito window's, a Firefox container's), so the sweep
// clears the cookies that tab sends.
async function storeOf(tabId) {
  const stores = await api.cookies.getAllCookieStores().catch(() => []);
  return stores.find((store) => store.tabIds?.includes(tabId))?.id;
}

// The tab the clear is for, as the core wants it: `incognito` and `cookieStoreId` come with
// `tabs.get` for any tab, without the `tabs` permission.
async function tabContext(tabId) {
  const tab = await api.tabs.get(tabId).catch(() => null);
  return { browser: BROWSER, incognito: tab?.incognito === true, cookie_store_id: tab?.cookieStoreId ?? null };
}

async function cookiesOf(query) {
  try {
    return await api.cookies.getAll(query);
  } catch {
    const { partitionKey: _all, ...unpartitioned } = query;
    return api.cookies.getAll(unpartitioned); // a browser without partitioned cookies
  }
}

async function clear(tabId, tier) {
  const core = await loadCore();
  const plan = core.clear_plan(tier, await tabContext(tabId));
  await saveDraft(tabId);
  let pageCleared = [];
  if (plan.page_stores.length) {
    try {
      const reply = await api.tabs.sendMessage(tabId, { type: BACKGROUND_TO_CONTENT_CLEAR_PAGE, stores: plan.page_stores }, { frameId: 0 });
      pageCleared = reply?.cleared ?? [];
    } catch {
      // The tab shows the browser's own error page: no page stores are reachable from it.
    }
  }
  for (const { options, data_to_remove } of plan.browsing_data) await api.browsingData.remove(options, data_to_remove);
  const storeId = await storeOf(tabId);
  const found = [];
  for (const query of plan.cookie_queries) found.push(...(await cookiesOf(storeId ? { ...query, storeId } : query)));
  // The core sees names and domains, never values.
  const removals = core.cookies_to_remove(tier, found.map(({ value: _value, ...cookie }) => cookie));
  let removed = 0;
  for (const removal of removals) {
    if (await api.cookies.remove(removal).catch(() => null)) removed += 1;
  }
  await api.tabs.reload(tabId).catch(() => {});
  return { tier, cookies_removed: removed, page_cleared: pageCleared };
}
