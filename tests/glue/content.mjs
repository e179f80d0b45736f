// The other ends of the background's messages: a fake content script per tab (instead of
// running content.js, which needs a DOM) and a fake popup, each sending with the `sender`
// the browser would attach. Diagnoses come from the REAL core: this module loads the built
// core/error_doctor.js with its wasm, once, with the real globals (before any world).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "./load-background.mjs";
import { P } from "./protocol.mjs";

const coreDir = join(distDir("chrome"), "core");
const glue = await import(pathToFileURL(join(coreDir, "error_doctor.js")).href);
await glue.default({ module_or_path: readFileSync(join(coreDir, "error_doctor_bg.wasm")) });

/** The core, as the test sees it (a separate instance from the background's). */
export const core = glue;

/** The core's numbers; absent ones are undefined (a test names its own fallback). */
export const policy = () => core.policy();

// The protocol's names (extension/protocol.js, read from the build).
export { P };

// Page snapshots, as content.js takes them, of a few pages (checked against the core in
// harness.test.mjs: each gives the kind its name says).
export const snapshots = {
  healthy: (url = "https://chatgpt.com/", now = Date.now()) => ({
    url,
    title: "ChatGPT",
    response: { status: 200, server: "cloudflare", content_type: "text/html; charset=utf-8" },
    markers: ["app"],
    regions: [],
    now_ms: now,
    utc_offset_minutes: 0,
  }),
  networkError: (url = "https://chatgpt.com/", now = Date.now()) => ({
    url,
    title: "ChatGPT",
    response: { status: 200, server: "cloudflare", content_type: "text/html; charset=utf-8" },
    markers: ["app"],
    regions: [{ kind: "alert", text: "A network error occurred. Please try again." }],
    now_ms: now,
    utc_offset_minutes: 0,
  }),
  serverError: (url = "https://chatgpt.com/", now = Date.now()) => ({
    url,
    title: "500 Internal Server Error",
    response: { status: 500, content_type: "text/html" },
    markers: [],
    regions: [{ kind: "error_page", text: "Internal Server Error" }],
    page_text_len: 21,
    now_ms: now,
    utc_offset_minutes: 0,
  }),
  // The app's failed answer with its own Retry (the real card's words and its button).
  failedAnswer: (url = "https://chatgpt.com/c/abc", now = Date.now()) => ({
    url,
    title: "ChatGPT",
    response: { status: 200, server: "cloudflare", content_type: "text/html; charset=utf-8" },
    markers: ["app_shell", "turn_retry_button"],
    regions: [{ kind: "turn_error", text: "Something went wrong while generating the response. If this issue persists please contact us through our help center at help.openai.com." }],
    now_ms: now,
    utc_offset_minutes: 0,
  }),
  cloudflareChallenge: (url = "https://chatgpt.com/", now = Date.now()) => ({
    url,
    title: "Just a moment...",
    response: { status: 403, server: "cloudflare", cf_mitigated: "challenge", content_type: "text/html" },
    markers: ["cf_challenge"],
    regions: [{ kind: "error_page", text: "Verify you are human by completing the action below." }],
    page_text_len: 60,
    now_ms: now,
    utc_offset_minutes: 0,
  }),
  cloudflareBlocked: (url = "https://chatgpt.com/", now = Date.now()) => ({
    url,
    title: "Access denied | chatgpt.com used Cloudflare to restrict access",
    response: { status: 403, server: "cloudflare", cf_ray: "8a1b2c3d4e5f6789-AMS", content_type: "text/html" },
    markers: ["cf-error-details"],
    regions: [{ kind: "cloudflare_box", text: "Access denied Error code 1020 You do not have access to chatgpt.com. The site owner may have set restrictions that prevent you from accessing the site. Ray ID: 8a1b2c3d4e5f6789" }],
    page_text_len: 200,
    now_ms: now,
    utc_offset_minutes: 0,
  }),
};

/** The fake content script of one tab, sending content → background messages. */
export function contentOf(world, tabId, { frameId = 0 } = {}) {
  const b = world.browser;
  const sender = () => {
    const tab = b.tab(tabId);
    const url = tab.url;
    let origin = "null";
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL: the origin stays "null", as a browser reports it
    }
    return {
      id: b.id,
      url,
      origin,
      frameId,
      documentId: `doc-${tabId}-${frameId}`,
      documentLifecycle: "active",
      tab: { ...b.tabView(tab), url, title: "ChatGPT" },
      ...(b.flavour === "firefox" ? { envType: "content_child", contextId: tabId * 1000 + frameId } : {}),
    };
  };
  const send = (message) => {
    b.record("content.sendMessage", [tabId, message]);
    return b.dispatchRuntimeMessage(message, sender());
  };
  return {
    send,
    sender,
    hello: (url = b.tab(tabId).url) => send({ type: P.CONTENT_TO_BACKGROUND_HELLO, url }),
    /**
     * A report of `snapshot`, as the content script sends it; `extra` fields ride along (what
     * a compromised page process might add, such as a diagnosis of its own).
     */
    report: (snapshot, extra = {}) => send({ type: P.CONTENT_TO_BACKGROUND_REPORT, snapshot, ...extra }),
    retryDue: () => send({ type: P.CONTENT_TO_BACKGROUND_RETRY_DUE }),
    connectivity: (online) => send({ type: P.CONTENT_TO_BACKGROUND_CONNECTIVITY, online }),
    draftTake: (url = b.tab(tabId).url) => send({ type: P.CONTENT_TO_BACKGROUND_DRAFT_TAKE, url }),
    draftRestored: () => send({ type: P.CONTENT_TO_BACKGROUND_DRAFT_RESTORED }),
    /** The person sends a message: one more of theirs on the page (its composer empty again). */
    sendsMessage() {
      const content = b.tab(tabId).content;
      content.userTurns = (content.userTurns ?? 1) + 1;
      content.draft = "";
    },
    /** The person types in the composer now (`text`: what it holds after). */
    types(text) {
      const content = b.tab(tabId).content;
      content.typedAt = b.clock.now;
      content.draft = text;
    },
    /** How this tab's content script answers the background (see FakeBrowser.contentAnswer). */
    set draft(text) {
      b.tab(tabId).content.draft = text;
    },
    /** "answer" (default), "silent" (never answers), "absent" (no content script). */
    set mode(mode) {
      b.tab(tabId).content.mode = mode;
    },
    on(type, handler) {
      b.tab(tabId).content.handlers[type] = handler;
    },
    get received() {
      return b.tab(tabId).received;
    },
    get carriedDueAt() {
      return b.tab(tabId).content.retryDueAt;
    },
  };
}

/**
 * The tab's page, each time it loads: says hello and reports `snapshotOf(url, now)` (null:
 * no report) `reportAfterMs` after the load, as content.js does.
 */
export function pageReports(world, tabId, snapshotOf, { reportAfterMs = 200, status, headers } = {}) {
  const content = contentOf(world, tabId);
  world.browser.setPage(tabId, {
    status,
    headers,
    reportAfterMs,
    onLoad: async (_id, url) => {
      await content.hello(url).catch(() => null);
      const snap = snapshotOf(url, Date.now());
      if (snap) await content.report(snap).catch(() => null);
    },
  });
  return content;
}

/** The fake popup (an extension page): its sender has the extension's popup URL, no tab. */
export function popupOf(world, { page = "popup/popup.html" } = {}) {
  const b = world.browser;
  const sender = () => ({
    id: b.id,
    url: `${b.base}${page}`,
    origin: b.base.replace(/\/$/, ""),
    ...(b.flavour === "firefox" ? { envType: "addon_child" } : {}),
  });
  const send = (message) => {
    b.record("popup.sendMessage", [message]);
    return b.dispatchRuntimeMessage(message, sender());
  };
  return {
    send,
    sender,
    action: (tabId, action) => send({ type: P.POPUP_TO_BACKGROUND_ACTION, tabId, action }),
    status: () => send({ type: P.POPUP_TO_BACKGROUND_STATUS }),
    draft: (tabId) => send({ type: P.POPUP_TO_BACKGROUND_DRAFT, tabId }),
  };
}

/** What storage.session holds for a tab, under the keys the popup reads (protocol.js). */
export function tabState(world, tabId) {
  const s = world.browser.storage.session;
  return {
    record: s.value(P.tabKey(tabId)) ?? null,
    retry: s.value(P.retryKey(tabId)) ?? null,
    draft: s.value(P.draftKey(tabId)) ?? null,
    response: s.value(P.responseKey(tabId)) ?? null,
  };
}

/** A ChatGPT tab that has loaded `snapshot`'s page and reported it (webRequest included). */
export async function failingTab(world, { url = "https://chatgpt.com/c/abc", snapshot = snapshots.networkError, ...tabOptions } = {}) {
  const tabId = world.browser.openTab({ url, ...tabOptions });
  const content = pageReports(world, tabId, snapshot);
  world.browser.navigate(tabId, url);
  await world.clock.advance(500); // the page loads, says hello and reports
  return { tabId, content };
}
