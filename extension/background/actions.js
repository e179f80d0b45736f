// The popup's buttons, carried out. Only the extension's own pages may ask (a page can never
// start a clear or a reload), and a second click while the first is running joins it. Every
// action that reloads, clears or navigates first checks that the tab still shows ChatGPT.
import "../generated/core-data.js";
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { saveDraft } from "./drafts.js";
import { retryEvent, forgetTab } from "./retry.js";
import { clearSiteData } from "./site-data.js";
import { chatgptUrl, askTab } from "./tabs.js";
import { within } from "../shared/time-limit.js";
import { sessionValue } from "../shared/session-store.js";
import { fixTried } from "./fix-memory.js";

const { api } = globalThis.PLATFORM;
const { BACKGROUND_TO_CONTENT_PRESS_RETRY, tabKey } = globalThis.PROTOCOL;
const { CORE } = globalThis;
const { ACTION, CLEAR_TIER: TIER } = CORE;

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
  ACTION.RETRY_TURN,
  ACTION.RETRY_RELOAD,
  ACTION.RELOAD_NOW,
  ACTION.CLEAR_CLOUDFLARE_COOKIES,
  ACTION.CLEAR_SITE_DATA,
  ACTION.FULL_RESET,
  ACTION.LOG_IN,
  ACTION.NEW_CHAT,
]);

const LEFT = { error: "tab_left_chatgpt" };
const CLEAR_TIERS = {
  [ACTION.CLEAR_CLOUDFLARE_COOKIES]: TIER.CLOUDFLARE_COOKIES,
  [ACTION.CLEAR_SITE_DATA]: TIER.SITE_DATA,
  [ACTION.FULL_RESET]: TIER.FULL_RESET,
};

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
  // Remembered as tried before it runs (a reload may bring the healthy page back at once),
  // inside the one run a double click joins, so it counts once.
  if (ON_THE_TAB.has(action)) {
    const record = await within(sessionValue(tabKey(tabId)), bound, null);
    await within(fixTried(tabId, record?.diagnosis, action), bound, null);
  }
  switch (action) {
    case ACTION.RETRY_TURN: {
      const reply = await askTab(tabId, { type: BACKGROUND_TO_CONTENT_PRESS_RETRY });
      return { pressed: reply?.pressed === true };
    }
    case ACTION.RETRY_RELOAD:
      return retryEvent(tabId, CORE.RETRY_EVENT.START);
    case ACTION.CANCEL_RETRY:
      return retryEvent(tabId, CORE.RETRY_EVENT.CANCEL);
    case ACTION.RELOAD_NOW: {
      const draft = await saveDraft(tabId);
      if (!(await stillOnChatGpt(tabId))) return LEFT;
      const reloaded = await within(api.tabs.reload(tabId).then(() => true), bound, false);
      return { reloaded, draft };
    }
    case ACTION.CLEAR_CLOUDFLARE_COOKIES:
    case ACTION.CLEAR_SITE_DATA:
    case ACTION.FULL_RESET: {
      const result = await clearSiteData(tabId, CLEAR_TIERS[action]);
      if (result?.error === LEFT.error) await forgetTab(tabId);
      return result;
    }
    case ACTION.LOG_IN: {
      const draft = await saveDraft(tabId);
      if (!(await stillOnChatGpt(tabId))) return LEFT;
      const opened = await within(api.tabs.update(tabId, { url: core.links(url).login }).then(() => true), bound, false);
      return { opened, draft };
    }
    case ACTION.NEW_CHAT: {
      // The conversation is at its maximum length: a new chat on the same host, where the
      // saved prompt goes back into the composer (plans/draft.rs lets a new chat take it).
      const draft = await saveDraft(tabId);
      if (!(await stillOnChatGpt(tabId))) return LEFT;
      const opened = await within(api.tabs.update(tabId, { url: core.links(url).new_chat }).then(() => true), bound, false);
      return { opened, draft };
    }
    case ACTION.OPEN_STATUS:
      await api.tabs.create({ url: core.links("").status_page });
      return { opened: true };
    case ACTION.OPEN_HELP:
      await api.tabs.create({ url: core.links("").help_center });
      return { opened: true };
    default:
      return { error: `unknown action ${String(action).slice(0, 40)}` };
  }
}
