// The popup's buttons, carried out. Only the extension's own pages may ask (a page can never
// start a clear or a reload), and a second click while the first is running joins it.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { sessionValue } from "./session-store.js";
import { saveDraft } from "./bg-drafts.js";
import { retryEvent } from "./bg-retry.js";
import { clearSiteData } from "./bg-site-data.js";

const api = globalThis.browser ?? globalThis.chrome;
const { tabKey, BACKGROUND_TO_CONTENT_PRESS_RETRY } = globalThis.PROTOCOL;

export function fromExtensionPage(sender) {
  return sender.id === api.runtime.id && typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""));
}

const running = new Map(); // `${tabId}:${action}` → promise

export function runAction(tabId, action) {
  const key = `${tabId}:${action}`;
  if (!running.has(key)) running.set(key, perform(tabId, action).finally(() => running.delete(key)));
  return running.get(key);
}

async function tabUrl(tabId) {
  const record = await sessionValue(tabKey(tabId));
  if (record?.url) return record.url;
  return (await api.tabs.get(tabId)).url ?? "";
}

async function perform(tabId, action) {
  const core = await loadCore();
  switch (action) {
    case "retry_turn": {
      const reply = await api.tabs.sendMessage(tabId, { type: BACKGROUND_TO_CONTENT_PRESS_RETRY }, { frameId: 0 }).catch(() => null);
      return { pressed: reply?.pressed === true };
    }
    case "retry_reload":
      return retryEvent(tabId, "start");
    case "cancel_retry":
      return retryEvent(tabId, "cancel");
    case "reload_now":
      await saveDraft(tabId);
      await api.tabs.reload(tabId);
      return { reloaded: true };
    case "clear_cloudflare_cookies":
      return clearSiteData(tabId, "cloudflare_cookies");
    case "clear_site_data":
      return clearSiteData(tabId, "site_data");
    case "full_reset":
      return clearSiteData(tabId, "full_reset");
    case "log_in":
      await saveDraft(tabId);
      await api.tabs.update(tabId, { url: core.links(await tabUrl(tabId)).login });
      return { opened: true };
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
