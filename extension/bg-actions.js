// The popup's buttons, carried out. Only the extension's own pages may ask (a page can never
// start a clear or a reload), and a second click while the first is running joins it. Every
// action that reloads, clears or navigates first checks that the tab still shows ChatGPT.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { saveDraft } from "./bg-drafts.js";
import { retryEvent, forgetTab } from "./bg-retry.js";
import { clearSiteData } from "./bg-site-data.js";
import { chatgptUrl, askTab } from "./bg-tabs.js";
import { within } from "./time-limit.js";

const api = globalThis.browser ?? globalThis.chrome;
const { BACKGROUND_TO_CONTENT_PRESS_RETRY } = globalThis.PROTOCOL;

export function fromExtensionPage(sender) {
  return sender.id === api.runtime.id && typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""));
}

const running = new Map(); // `${tabId}:${action}` → promise

export function runAction(tabId, action) {
  const key = `${tabId}:${action}`;
  if (!running.has(key)) running.set(key, perform(tabId, action).finally(() => running.delete(key)));
  return running.get(key);
}

// Actions that act on the tab itself: refused once it no longer shows ChatGPT.
const ON_THE_TAB = new Set([
  "retry_turn",
  "retry_reload",
  "reload_now",
  "clear_cloudflare_cookies",
  "clear_site_data",
  "full_reset",
  "log_in",
]);

const LEFT = { error: "tab_left_chatgpt" };
const CLEAR_TIERS = { clear_cloudflare_cookies: "cloudflare_cookies", clear_site_data: "site_data", full_reset: "full_reset" };

// Checked when the click arrives, and again right before the tab is acted on (saving the
// prompt may take a moment, in which the tab may close or go elsewhere). A tab that left has
// its diagnosis, retry and prompt dropped.
async function stillOnChatGpt(tabId, url = undefined) {
  if (url === undefined) url = await chatgptUrl(tabId);
  if (url) return true;
  await forgetTab(tabId);
  return false;
}

async function perform(tabId, action) {
  const core = await loadCore();
  const bound = core.policy().message_timeout_ms;
  const url = ON_THE_TAB.has(action) ? await chatgptUrl(tabId) : null;
  if (ON_THE_TAB.has(action) && !(await stillOnChatGpt(tabId, url))) return LEFT;
  switch (action) {
    case "retry_turn": {
      const reply = await askTab(tabId, { type: BACKGROUND_TO_CONTENT_PRESS_RETRY });
      return { pressed: reply?.pressed === true };
    }
    case "retry_reload":
      return retryEvent(tabId, "start");
    case "cancel_retry":
      return retryEvent(tabId, "cancel");
    case "reload_now": {
      const draft = await saveDraft(tabId);
      if (!(await stillOnChatGpt(tabId))) return LEFT;
      const reloaded = await within(api.tabs.reload(tabId).then(() => true), bound, false);
      return { reloaded, draft };
    }
    case "clear_cloudflare_cookies":
    case "clear_site_data":
    case "full_reset": {
      const result = await clearSiteData(tabId, CLEAR_TIERS[action]);
      if (result?.error === LEFT.error) await forgetTab(tabId);
      return result;
    }
    case "log_in": {
      const draft = await saveDraft(tabId);
      if (!(await stillOnChatGpt(tabId))) return LEFT;
      const opened = await within(api.tabs.update(tabId, { url: core.links(url).login }).then(() => true), bound, false);
      return { opened, draft };
    }
    case "open_status":
      await api.tabs.create({ url: core.links("").status_page });
      return { opened: true };
    case "open_help":
      await api.tabs.create({ url: core.links("").help_center });
      return { opened: true };
    default:
      return { error: `unknown action ${String(action).slice(0, 40)}` };
  }
}
