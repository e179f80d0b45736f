// What the background may know of a tab: whether it still shows ChatGPT, and what its
// content script answers. Without the `tabs` permission the browser gives a tab's URL only
// for the hosts the extension may read, so a tab without one has left ChatGPT (another
// site, `about:home`, the browser's own pages) and nothing may reload or clear it.
import "../shared/platform.js";
import { loadCore } from "../shared/core-loader.js";
import { within } from "../shared/time-limit.js";

const { api } = globalThis.PLATFORM;

// The tab (id, url, incognito, cookieStoreId…) if it exists, else null.
export async function tabInfo(tabId) {
  const core = await loadCore();
  return within(api.tabs.get(tabId), core.policy().message_timeout_ms, null);
}

// The tab's URL if it shows a ChatGPT page now, else null.
export async function chatgptUrl(tabId) {
  const core = await loadCore();
  const tab = await tabInfo(tabId);
  return tab && typeof tab.url === "string" && core.is_chatgpt_url(tab.url) ? tab.url : null;
}

// A message to the tab's content script (top frame), answered within the policy's bound;
// null when there is none (the browser's own error page), it never answers, or the tab is gone.
/**
 * @param {number} tabId
 * @param {BackgroundToContentMessage} message
 * @returns {Promise<any>} the handler's reply (protocol.js: `BackgroundToContent…Reply`), or null
 */
export async function askTab(tabId, message) {
  const core = await loadCore();
  return within(api.tabs.sendMessage(tabId, message, { frameId: 0 }), core.policy().message_timeout_ms, null);
}
