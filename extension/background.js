// The background: remembers what the network said about each tab's document, keeps each
// tab's latest diagnosis (in storage.session, so it survives the service worker stopping)
// and sets the badge. Every decision is the core's; this file only carries things around.
import "./protocol.js";
import { loadCore } from "./core-loader.js";

const api = globalThis.browser ?? globalThis.chrome;
const { tabKey, responseKey } = globalThis.PROTOCOL;
const HOSTS = ["https://chatgpt.com/*", "https://chat.openai.com/*"];

function headerValue(headers, name) {
  const h = (headers || []).find((x) => x.name.toLowerCase() === name);
  return h ? h.value ?? null : null;
}

async function record(tabId, diagnosis, engine, url) {
  const core = await loadCore();
  await api.storage.session.set({ [tabKey(tabId)]: { diagnosis, engine, url, at: Date.now() } });
  await applyBadge(tabId, core.badge(diagnosis));
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
  await api.storage.session.remove([tabKey(tabId), responseKey(tabId)]);
}

// Firefox may deliver webRequest events after the document has loaded and the content
// script has asked: such a question waits for the answer, within reason.
const RESPONSE_WAIT_MS = 3000;
const waiting = new Map(); // tabId → callbacks waiting for that tab's response

// `since`: when the asking document's navigation started; anything older is another page's.
async function responseFor(tabId, since) {
  const stored = (await api.storage.session.get(responseKey(tabId)))[responseKey(tabId)];
  if (stored && stored.at >= since) return stored;
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      waiting.set(tabId, (waiting.get(tabId) ?? []).filter((f) => f !== done));
      resolve(value);
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
      at: details.timeStamp,
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

// A new document: the old one's diagnosis no longer holds. Firefox may repeat this event
// late, after the new page reported: only what is older than the navigation goes.
api.webNavigation.onBeforeNavigate.addListener(async (d) => {
  if (d.frameId !== 0) return;
  const stored = (await api.storage.session.get(tabKey(d.tabId)))[tabKey(d.tabId)];
  if (stored && stored.at < d.timeStamp) await api.storage.session.remove(tabKey(d.tabId));
}, hostFilter);

// The browser shows its own error page, where content scripts do not run: when no page
// arrived at all, and (Chrome) when an error status came with an empty body. What the
// network said is all there is to go on.
api.webNavigation.onErrorOccurred.addListener(async (d) => {
  if (d.frameId !== 0) return;
  const core = await loadCore();
  const seen = (await api.storage.session.get(responseKey(d.tabId)))[responseKey(d.tabId)];
  const snapshot = { url: d.url, navigation_error: d.error, now_ms: Date.now() };
  if (seen && seen.url === d.url && seen.at <= d.timeStamp) snapshot.response = seen.response;
  const diagnosis = core.classify(snapshot);
  if (diagnosis.kind !== "none") await record(d.tabId, diagnosis, "background", d.url);
}, hostFilter);

// The browser clears a tab's badge when the tab navigates, including to its own error
// page: put the tab's diagnosis back once the tab has settled.
api.tabs.onUpdated.addListener(async (tabId, change) => {
  if (change.status !== "complete") return;
  const stored = (await api.storage.session.get(tabKey(tabId)))[tabKey(tabId)];
  if (stored) await applyBadge(tabId, (await loadCore()).badge(stored.diagnosis));
});

api.tabs.onRemoved.addListener((tabId) => forget(tabId));

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const tabId = sender.tab?.id;
  if (sender.id !== api.runtime.id || tabId === undefined || !message) return false;
  if (message.type === globalThis.PROTOCOL.CONTENT_TO_BACKGROUND_HELLO) {
    responseFor(tabId, Number(message.since) || 0).then(sendResponse);
    return true;
  }
  if (message.type === globalThis.PROTOCOL.CONTENT_TO_BACKGROUND_REPORT) {
    report(tabId, message, sender.tab.url).then(sendResponse, (e) => sendResponse({ error: String(e) }));
    return true;
  }
  return false;
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
