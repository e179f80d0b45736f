// The background: remembers what the network said about each tab's document, keeps each
// tab's latest diagnosis (in storage.session, so it survives the service worker stopping),
// sets the badge, and carries out the popup's actions. Every decision is the core's; these
// files only carry things around.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { sessionValue } from "./session-store.js";
import { loadSettings } from "./settings-store.js";
import { fromExtensionPage, runAction } from "./bg-actions.js";
import { openAiStatus } from "./bg-status.js";
import { retryEvent, retryRun, carriedDueAt } from "./bg-retry.js";
import { takeDraft, draftRestored, draftText } from "./bg-drafts.js";
import { notify } from "./bg-notify.js";

const api = globalThis.browser ?? globalThis.chrome;
const P = globalThis.PROTOCOL;
const { tabKey, responseKey, retryKey, draftKey } = P;
const HOSTS = ["https://chatgpt.com/*", "https://chat.openai.com/*"];
const LIMIT_ALARM = "limit:";

function headerValue(headers, name) {
  const h = (headers || []).find((x) => x.name.toLowerCase() === name);
  return h ? h.value ?? null : null;
}

// Reports are written one after another, in the order they came: a slow earlier write must
// not land on top of a later one.
let writes = Promise.resolve();
function record(...args) {
  writes = writes.then(() => write(...args)).catch(() => {});
  return writes;
}

async function write(tabId, diagnosis, engine, url) {
  const core = await loadCore();
  await api.storage.session.set({ [tabKey(tabId)]: { diagnosis, engine, url, at: Date.now() } });
  await applyBadge(tabId, core.badge(diagnosis));
  retryEvent(tabId, "seen");
  if (diagnosis.kind !== "none") {
    openAiStatus().catch(() => {}); // ready by the time the popup opens
    const resetsAt = core.limit_resets_at(diagnosis, Date.now());
    if (resetsAt !== null && resetsAt !== undefined && (await loadSettings()).notifications) {
      api.alarms.create(`${LIMIT_ALARM}${tabId}`, { when: resetsAt });
    }
  }
}

async function applyBadge(tabId, badge) {
  try {
    await api.action.setBadgeText({ tabId, text: badge.text });
    if (badge.text) await api.action.setBadgeBackgroundColor({ tabId, color: badge.color });
  } catch {
    // The tab closed meanwhile: nothing to show it on.
  }
}

async function forget(tabId) {
  await retryEvent(tabId, "cancel");
  api.alarms.clear(`${LIMIT_ALARM}${tabId}`).catch(() => {});
  await api.storage.session.remove([tabKey(tabId), responseKey(tabId), retryKey(tabId), draftKey(tabId)]);
}

// Firefox may deliver webRequest events after the document has loaded and the content
// script has asked: such a question waits for the answer, within reason.
const RESPONSE_WAIT_MS = 3000;
const waiting = new Map(); // tabId → callbacks waiting for that tab's next response

const sameDocument = (a, b) => typeof a === "string" && typeof b === "string" && a.split("#")[0] === b.split("#")[0];

// The response for the document fetched from `url` in this tab, once it is known.
async function responseFor(tabId, url) {
  const stored = await sessionValue(responseKey(tabId));
  if (stored && sameDocument(stored.url, url)) return stored;
  return new Promise((resolve) => {
    const done = (seen) => {
      if (seen !== null && !sameDocument(seen.url, url)) return; // a redirect hop: keep waiting
      clearTimeout(timer);
      waiting.set(tabId, (waiting.get(tabId) ?? []).filter((f) => f !== done));
      resolve(seen);
    };
    const timer = setTimeout(() => done(null), RESPONSE_WAIT_MS);
    waiting.set(tabId, [...(waiting.get(tabId) ?? []), done]);
  });
}

// The document's own status and headers, which the page cannot show the content script.
api.webRequest.onHeadersReceived.addListener(
  (details) => {
    if (details.tabId < 0) return;
    const h = details.responseHeaders;
    const seen = {
      url: details.url,
      response: {
        status: details.statusCode,
        cf_ray: headerValue(h, "cf-ray"),
        cf_mitigated: headerValue(h, "cf-mitigated"),
        retry_after: headerValue(h, "retry-after"),
        server: headerValue(h, "server"),
        content_type: headerValue(h, "content-type"),
      },
    };
    api.storage.session.set({ [responseKey(details.tabId)]: seen });
    for (const done of waiting.get(details.tabId) ?? []) done(seen);
  },
  { urls: HOSTS, types: ["main_frame"] },
  ["responseHeaders"],
);

const hostFilter = { url: [{ hostEquals: "chatgpt.com" }, { hostEquals: "chat.openai.com" }] };

// The tab left ChatGPT: its diagnosis no longer holds, and a retry must not reload the page
// the person went to. (Within ChatGPT, the new page reports for itself, and a failed
// navigation is recorded below.) A new tab's initial about:blank is no departure, and its
// event may arrive after the real page's.
api.webNavigation.onCommitted.addListener(async (d) => {
  if (d.frameId !== 0 || d.url.startsWith("about:")) return;
  if (/^https:\/\/(chatgpt\.com|chat\.openai\.com)\//.test(d.url)) return;
  await retryEvent(d.tabId, "cancel");
  await api.storage.session.remove(tabKey(d.tabId));
});

// The browser shows its own error page, where content scripts do not run: when no page
// arrived at all, and (Chrome) when an error status came with an empty body. What the
// network said is all there is to go on.
api.webNavigation.onErrorOccurred.addListener(async (d) => {
  if (d.frameId !== 0) return;
  const core = await loadCore();
  const seen = await sessionValue(responseKey(d.tabId));
  const snapshot = { url: d.url, navigation_error: d.error, now_ms: Date.now() };
  if (seen && sameDocument(seen.url, d.url)) snapshot.response = seen.response;
  const diagnosis = core.classify(snapshot);
  if (diagnosis.kind !== "none") await record(d.tabId, diagnosis, "background", d.url);
}, hostFilter);

// The browser clears a tab's badge when the tab navigates, including to its own error
// page: put the tab's diagnosis back once the tab has settled.
api.tabs.onUpdated.addListener(async (tabId, change) => {
  if (change.status !== "complete") return;
  const stored = await sessionValue(tabKey(tabId));
  if (stored) await applyBadge(tabId, (await loadCore()).badge(stored.diagnosis));
});

api.tabs.onRemoved.addListener((tabId) => forget(tabId));

// A usage limit's stated reset time has come.
api.alarms.onAlarm.addListener(async (alarm) => {
  if (!alarm.name.startsWith(LIMIT_ALARM)) return;
  const tabId = Number(alarm.name.slice(LIMIT_ALARM.length));
  const stored = await sessionValue(tabKey(tabId));
  if (stored && stored.diagnosis.kind !== "none" && (await loadSettings()).notifications) {
    await notify(tabId, "notify_limit_reset");
  }
});

// What the content script of a tab may ask.
const fromContent = {
  [P.CONTENT_TO_BACKGROUND_HELLO]: async (tabId, m) => ({
    ...((await responseFor(tabId, m.url)) ?? { response: null }),
    retry_due_at_ms: carriedDueAt(await retryRun(tabId)),
  }),
  [P.CONTENT_TO_BACKGROUND_REPORT]: (tabId, m, sender) => report(tabId, m, sender.tab.url),
  [P.CONTENT_TO_BACKGROUND_RETRY_DUE]: (tabId) => retryEvent(tabId, "due").then(() => ({})),
  [P.CONTENT_TO_BACKGROUND_CONNECTIVITY]: (tabId, m) => retryEvent(tabId, m.online ? "online" : "offline").then(() => ({})),
  [P.CONTENT_TO_BACKGROUND_DRAFT_TAKE]: (tabId, m) => takeDraft(tabId, m.url),
  [P.CONTENT_TO_BACKGROUND_DRAFT_RESTORED]: (tabId) => draftRestored(tabId).then(() => ({})),
};

// What the extension's own pages (the popup) may ask.
const fromPopup = {
  [P.POPUP_TO_BACKGROUND_ACTION]: (m) => runAction(m.tabId, m.action),
  [P.POPUP_TO_BACKGROUND_STATUS]: () => openAiStatus(),
  [P.POPUP_TO_BACKGROUND_DRAFT]: (m) => draftText(m.tabId),
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !message || typeof message.type !== "string") return false;
  let handled = null;
  if (fromExtensionPage(sender) && Object.hasOwn(fromPopup, message.type)) {
    if (!Number.isInteger(message.tabId) && message.type !== P.POPUP_TO_BACKGROUND_STATUS) return false;
    handled = fromPopup[message.type](message);
  } else if (sender.tab?.id !== undefined && !fromExtensionPage(sender) && Object.hasOwn(fromContent, message.type)) {
    handled = fromContent[message.type](sender.tab.id, message, sender);
  }
  if (!handled) return false;
  Promise.resolve(handled).then(
    (value) => sendResponse(value ?? null),
    (e) => sendResponse({ error: String(e) }),
  );
  return true;
});

async function report(tabId, message, url) {
  let { diagnosis, engine } = message;
  if (!diagnosis) {
    // The page's CSP kept WebAssembly out of the content script: same input, same core.
    diagnosis = (await loadCore()).classify(message.snapshot);
    engine = "background";
  }
  await record(tabId, diagnosis, engine === "content" ? "content" : "background", url);
  return { diagnosis };
}
