// Clears one tier of site data as the core plans it for the tab that was clicked: the page's
// own stores first (what the browser cannot clear for one site, or for that tab's container
// or private window alone), then browsingData for the plan's hosts (and store) only, then a
// sweep of exactly the cookies the core picks (partitioned ones too) in the tab's cookie
// store, then a reload.
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { saveDraft } from "./drafts.js";
import { tabInfo, askTab } from "./tabs.js";
import { within } from "../shared/time-limit.js";

const { api } = globalThis.PLATFORM;
const { BACKGROUND_TO_CONTENT_CLEAR_PAGE } = globalThis.PROTOCOL;

const running = new Map(); // `${tabId}:${tier}` → the clear in progress (a second click joins it)

export function clearSiteData(tabId, tier) {
  const key = `${tabId}:${tier}`;
  if (!running.has(key)) {
    running.set(key, clear(tabId, tier).finally(() => running.delete(key)));
  }
  return running.get(key);
}

// The cookie store the tab uses (an incognito window's, a Firefox container's or private
// window's), so the sweep clears the cookies that tab sends; null when it cannot be told.
async function storeOf(tab) {
  if (typeof tab.cookieStoreId === "string") return tab.cookieStoreId; // Firefox
  const stores = await api.cookies.getAllCookieStores().catch(() => []);
  return stores.find((store) => store.tabIds?.includes(tab.id))?.id ?? null;
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
  const { message_timeout_ms: bound, step_timeout_ms: longBound } = core.policy();
  await saveDraft(tabId);
  // Right before anything goes: the tab must still show ChatGPT (saving the prompt took a
  // moment), and its cookie store must be known — never a fallback to another store.
  const onChatGpt = (t) => t && typeof t.url === "string" && core.is_chatgpt_url(t.url);
  const tab = await tabInfo(tabId);
  if (!onChatGpt(tab)) return { error: "tab_left_chatgpt" };
  const storeId = await storeOf(tab);
  if (!storeId) return { error: "cookie_store_unknown" };
  // `incognito` and `cookieStoreId` come with `tabs.get` for any tab, without the `tabs`
  // permission.
  const plan = core.clear_plan(tier, { browser: globalThis.PLATFORM.browser, incognito: tab.incognito === true, cookie_store_id: tab.cookieStoreId ?? null });
  let pageCleared = [];
  if (plan.page_stores.length) {
    // Unanswered (the browser's own error page, a frozen page): no page stores reachable.
    const reply = await askTab(tabId, { type: BACKGROUND_TO_CONTENT_CLEAR_PAGE, stores: plan.page_stores });
    pageCleared = Array.isArray(reply?.cleared) ? reply.cleared : [];
    // A page that never answered held us up to the bound: the tab may have closed (a private
    // window's last tab takes its store with it) or left meanwhile. Checked again.
    if (!onChatGpt(await tabInfo(tabId))) return { error: "tab_left_chatgpt" };
  }
  for (const { options, data_to_remove } of plan.browsing_data) {
    // The core's plan names at least one origin or host (Chrome's type wants a non-empty list).
    const scope = /** @type {chrome.browsingData.RemovalOptions} */ (options);
    await within(api.browsingData.remove(scope, data_to_remove), longBound);
  }
  const found = [];
  for (const query of plan.cookie_queries) {
    found.push(...((await within(cookiesOf({ ...query, storeId }), bound, [])) ?? []));
  }
  // The core sees names and domains, never values.
  const removals = core.cookies_to_remove(tier, found.map(({ value: _value, ...cookie }) => cookie));
  let removed = 0;
  for (const removal of removals) {
    if (await within(api.cookies.remove(removal), bound)) removed += 1;
  }
  await within(api.tabs.reload(tabId), bound);
  return { tier, cookies_removed: removed, page_cleared: pageCleared };
}
