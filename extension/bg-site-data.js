// Clears one tier of site data as the core plans it: the page's own stores first (what the
// browser cannot clear for one site), then browsingData for the plan's hosts only, then a
// sweep of exactly the cookies the core picks (partitioned ones too), then a reload.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { saveDraft } from "./bg-drafts.js";

const api = globalThis.browser ?? globalThis.chrome;
const { BACKGROUND_TO_CONTENT_CLEAR_PAGE } = globalThis.PROTOCOL;

import { BROWSER } from "./browser-kind.js";

const running = new Map(); // `${tabId}:${tier}` → the clear in progress (a second click joins it)

export function clearSiteData(tabId, tier) {
  const key = `${tabId}:${tier}`;
  if (!running.has(key)) {
    running.set(key, clear(tabId, tier).finally(() => running.delete(key)));
  }
  return running.get(key);
}

async function cookiesOf(domain) {
  try {
    return await api.cookies.getAll({ domain, partitionKey: {} });
  } catch {
    return api.cookies.getAll({ domain }); // a browser without partitioned cookies
  }
}

async function clear(tabId, tier) {
  const core = await loadCore();
  const plan = core.clear_plan(tier, BROWSER);
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
  if (plan.data_types.length) {
    const types = Object.fromEntries(plan.data_types.map((type) => [type, true]));
    await api.browsingData.remove(BROWSER === "firefox" ? { hostnames: plan.hostnames } : { origins: plan.origins }, types);
  }
  const found = [];
  for (const domain of plan.cookie_queries) found.push(...(await cookiesOf(domain)));
  // The core sees names and domains, never values.
  const removals = core.cookies_to_remove(tier, found.map(({ value: _value, ...cookie }) => cookie));
  let removed = 0;
  for (const removal of removals) {
    if (await api.cookies.remove(removal).catch(() => null)) removed += 1;
  }
  await api.tabs.reload(tabId).catch(() => {});
  return { tier, cookies_removed: removed, page_cleared: pageCleared };
}
