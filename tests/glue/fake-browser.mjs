// A fake WebExtension API, promise-based as in Manifest V3, shared by every background
// instance of one test ("world"): storage, tabs, alarms, cookies, badges and notifications
// live in the world; each loaded background instance gets its own facade (`apiFor`) whose
// listeners are detached and whose calls go nowhere once that instance is stopped, as when
// the browser stops a service worker.
//
// Every call through a facade, every listener run and every event fired is recorded in
// `world.log` ({ api, args, at, instance }), for tests to inspect.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { P } from "./protocol.mjs";

export const CHROME_ID = "kfbnlkfbnlkfbnlkfbnlkfbnlkfbnlkf";
export const FIREFOX_UUID = "4b1c3f5e-0000-4000-8000-00000000c0de";

const NEVER = () => new Promise(() => {});
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** A match pattern (`https://chatgpt.com/*`, `*://*.openai.com/*`, `<all_urls>`) against a URL. */
export function matchesPattern(pattern, url) {
  if (pattern === "<all_urls>") return /^(https?|wss?|file|ftp):/.test(url);
  const m = /^(\*|https?|wss?|file|ftp):\/\/([^/]*)(\/.*)$/.exec(pattern);
  if (!m) return false;
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const [, scheme, host, path] = m;
  const uScheme = u.protocol.slice(0, -1);
  if (scheme === "*" ? !["http", "https", "ws", "wss"].includes(uScheme) : scheme !== uScheme) return false;
  if (host !== "*") {
    if (host.startsWith("*.")) {
      const base = host.slice(2);
      if (u.hostname !== base && !u.hostname.endsWith(`.${base}`)) return false;
    } else if (u.hostname !== host) return false;
  }
  const re = new RegExp(`^${path.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(u.pathname + u.search);
}

/** A webNavigation / events UrlFilter list against a URL. */
function matchesUrlFilters(filters, url) {
  if (!filters) return true;
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return filters.some((f) =>
    Object.entries(f).every(([k, v]) => {
      switch (k) {
        case "hostEquals":
          return u.hostname === v;
        case "hostSuffix":
          return u.hostname.endsWith(v);
        case "hostContains":
          return u.hostname.includes(v);
        case "schemes":
          return v.includes(u.protocol.slice(0, -1));
        case "urlPrefix":
          return url.startsWith(v);
        case "urlMatches":
          return new RegExp(v).test(url);
        default:
          return true;
      }
    }),
  );
}

const CONTENT_TYPES = { ".wasm": "application/wasm", ".js": "text/javascript", ".json": "application/json", ".html": "text/html" };

/**
 * The world: one browser profile. `flavour` is "chrome" or "firefox"; `dir` is the built
 * extension (dist/chrome or dist/firefox), read for its manifest and messages; `clock` the
 * FakeClock driving timers and alarms.
 */
export class FakeBrowser {
  constructor({ flavour = "chrome", dir, clock }) {
    this.flavour = flavour;
    this.dir = dir;
    this.clock = clock;
    this.manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    this.messages = JSON.parse(readFileSync(join(dir, "_locales/en/messages.json"), "utf8"));
    this.id = flavour === "firefox" ? this.manifest.browser_specific_settings?.gecko?.id ?? "ext@test" : CHROME_ID;
    this.base = flavour === "firefox" ? `moz-extension://${FIREFOX_UUID}/` : `chrome-extension://${CHROME_ID}/`;
    this.hostPermissions = this.manifest.host_permissions ?? [];
    this.log = [];
    this.listeners = new Map(); // event name → [{ fn, filter, extra, owner }]
    this.live = new Set(); // instance ids whose listeners still run
    this.storage = {
      session: new StorageArea(this, "session", 10 * 1024 * 1024),
      local: new StorageArea(this, "local", 10 * 1024 * 1024),
      sync: new StorageArea(this, "sync", 100 * 1024),
    };
    this.tabs = new Map();
    this.nextTabId = 1;
    this.windows = new Map([[1, { id: 1, focused: true, state: "normal", type: "normal", incognito: false }]]);
    this.alarms = new Map();
    this.cookies = [];
    this.browsingDataCalls = [];
    this.badges = new Map(); // tabId → { text, color }
    this.notifications = new Map();
    this.status = { mode: "ok" }; // the status endpoint's behaviour, see fetch()
    // The extension's files whose reading waits until releaseFiles() (e.g. /\.wasm$/: a
    // worker that has only just woken up and is still compiling the core).
    this.holdFiles = null;
    this.heldFiles = [];
    clock.alarmSource = () =>
      [...this.alarms.values()].map((alarm) => ({ at: alarm.scheduledTime, fire: () => this.fireAlarm(alarm.name) }));
  }

  // ---- recording and events ----

  record(api, args, instance = null) {
    const entry = { api, args: clone(args), at: this.clock.now, instance };
    this.log.push(entry);
    return entry;
  }

  /** Entries whose api starts with `prefix` (a string) or matches a RegExp, since `from`. */
  calls(prefix, { from = 0, instance } = {}) {
    return this.log
      .slice(from)
      .filter((e) => (prefix instanceof RegExp ? prefix.test(e.api) : e.api === prefix || e.api.startsWith(`${prefix}`)))
      .filter((e) => instance === undefined || e.instance === instance);
  }

  mark() {
    return this.log.length;
  }

  addListener(name, owner, fn, filter, extra) {
    if (typeof fn !== "function") throw new TypeError(`${name}.addListener needs a function`);
    const list = this.listeners.get(name) ?? [];
    list.push({ fn, filter, extra, owner });
    this.listeners.set(name, list);
  }

  removeListener(name, owner, fn) {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((l) => !(l.fn === fn && l.owner === owner)),
    );
  }

  liveListeners(name) {
    return (this.listeners.get(name) ?? []).filter((l) => this.live.has(l.owner));
  }

  /** Detaches every listener of a stopped instance. */
  detach(owner) {
    this.live.delete(owner);
    for (const [name, list] of this.listeners) this.listeners.set(name, list.filter((l) => l.owner !== owner));
  }

  /**
   * Fires an event at the live background's listeners. `url` (and `details` for webRequest)
   * decide which filtered listeners run. Returns what the listeners returned.
   */
  emit(name, args, { url = null, details = null } = {}) {
    this.record(`event:${name}`, args);
    const results = [];
    for (const l of this.liveListeners(name)) {
      if (!this.passesFilter(name, l.filter, url, details)) continue;
      this.record(`listener:${name}`, { url }, l.owner);
      try {
        results.push(l.fn(...clone(args)));
      } catch (e) {
        this.record(`listener-threw:${name}`, String(e), l.owner);
      }
    }
    for (const r of results) if (r && typeof r.catch === "function") r.catch((e) => this.record(`listener-rejected:${name}`, String(e)));
    return results;
  }

  passesFilter(name, filter, url, details) {
    if (!filter) return true;
    if (name.startsWith("webRequest.")) {
      if (filter.urls && !filter.urls.some((p) => matchesPattern(p, url))) return false;
      if (filter.types && details && !filter.types.includes(details.type)) return false;
      if (filter.tabId !== undefined && details && filter.tabId !== details.tabId) return false;
      return true;
    }
    if (name.startsWith("webNavigation.")) return matchesUrlFilters(filter.url, url);
    if (name === "tabs.onUpdated" && filter.urls) return url !== null && filter.urls.some((p) => matchesPattern(p, url));
    return true;
  }

  // ---- tabs ----

  canSeeUrl(url) {
    return typeof url === "string" && this.hostPermissions.some((p) => matchesPattern(p, url));
  }

  /** Opens a tab (no events fired): { url, incognito, cookieStoreId, active, windowId }. */
  openTab({ url = "https://chatgpt.com/", incognito = false, cookieStoreId, active = true, windowId = 1, draft = "" } = {}) {
    const id = this.nextTabId++;
    if (!this.windows.has(windowId)) this.windows.set(windowId, { id: windowId, focused: false, state: "normal", type: "normal", incognito });
    if (active) for (const t of this.tabs.values()) if (t.windowId === windowId) t.active = false;
    const store = cookieStoreId ?? (this.flavour === "firefox" ? (incognito ? "firefox-private" : "firefox-default") : incognito ? "1" : "0");
    const tab = {
      id,
      url,
      incognito,
      cookieStoreId: store,
      active,
      windowId,
      status: "complete",
      closed: false,
      reloads: 0,
      reloadBehaviour: "reload", // or "close": the tab closes as the reload is asked for
      content: { mode: "answer", draft, retryButton: false, handlers: {}, retryDueAt: null },
      received: [],
      page: null, // what the tab's page does when (re)loaded, see setPage()
    };
    this.tabs.set(id, tab);
    return id;
  }

  tab(tabId) {
    return this.tabs.get(tabId);
  }

  /** What tabs.get returns: no `url` outside host permissions, as without the `tabs` permission. */
  tabView(tab) {
    const view = {
      id: tab.id,
      index: [...this.tabs.values()].filter((t) => t.windowId === tab.windowId && !t.closed).indexOf(tab),
      windowId: tab.windowId,
      active: tab.active,
      highlighted: tab.active,
      pinned: false,
      discarded: false,
      incognito: tab.incognito,
      status: tab.status,
    };
    if (this.canSeeUrl(tab.url)) {
      view.url = tab.url;
      view.title = "ChatGPT";
    }
    if (this.flavour === "firefox") view.cookieStoreId = tab.cookieStoreId;
    return view;
  }

  liveTab(tabId) {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.closed) throw new Error(`No tab with id: ${tabId}.`);
    return tab;
  }

  closeTab(tabId) {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.closed) return;
    tab.closed = true;
    this.emit("tabs.onRemoved", [tabId, { windowId: tab.windowId, isWindowClosing: false }]);
  }

  /**
   * What the tab's page does each time it loads: `{ status, headers, error, snapshot(url) }`
   * (snapshot returns a PageSnapshot, or null for no report; reported `reportAfterMs` later
   * by the fake content script, see content.mjs). The test wires `onLoad` to report.
   */
  setPage(tabId, page) {
    this.liveTab(tabId).page = page;
  }

  /**
   * The browser navigates a tab to `url`: webRequest, webNavigation and tabs.onUpdated
   * events in the order and at the pace a browser sends them (world timers, so they go on
   * across a background restart: request at once, headers after 20 ms, commit after 25 ms,
   * complete after 100 ms), then the page's own `onLoad` `reportAfterMs` later. A newer
   * navigation of the tab supersedes an unfinished one. Advance the clock to see them.
   */
  navigate(tabId, url, { status, headers, error } = {}) {
    const tab = this.liveTab(tabId);
    const page = tab.page ?? {};
    status ??= page.status ?? 200;
    headers ??= page.headers ?? { "content-type": "text/html; charset=utf-8" };
    error ??= page.error ?? null;
    const seq = (tab.navigations = (tab.navigations ?? 0) + 1);
    const http = /^https?:/.test(url);
    const now = () => this.clock.now;
    const base = () => ({ url, tabId, frameId: 0, parentFrameId: -1, type: "main_frame", method: "GET", requestId: `${tabId}.${seq}`, timeStamp: now() });
    const at = (ms, fn) => this.clock.schedule(() => !tab.closed && tab.navigations === seq && fn(), ms, { owner: "world" });
    at(0, () => {
      tab.status = "loading";
      this.emit("webNavigation.onBeforeNavigate", [{ tabId, url, frameId: 0, parentFrameId: -1, timeStamp: now() }], { url });
      if (http) this.emit("webRequest.onBeforeRequest", [base()], { url, details: base() });
    });
    at(20, () => {
      if (!http) return;
      if (error) {
        this.emit("webRequest.onErrorOccurred", [{ ...base(), error }], { url, details: base() });
        return;
      }
      const responseHeaders = Object.entries(headers).map(([name, value]) => ({ name, value }));
      const d = { ...base(), statusCode: status, statusLine: `HTTP/1.1 ${status}`, responseHeaders };
      this.emit("webRequest.onHeadersReceived", [d], { url, details: d });
      this.emit("webRequest.onCompleted", [{ ...d, fromCache: false }], { url, details: d });
    });
    at(25, () => {
      tab.url = url;
      tab.content.retryDueAt = null; // a new document: the old content script is gone
      if (error) {
        this.emit("webNavigation.onErrorOccurred", [{ tabId, url, frameId: 0, error, timeStamp: now() }], { url });
      } else {
        this.emit("webNavigation.onCommitted", [{ tabId, url, frameId: 0, parentFrameId: -1, transitionType: "link", transitionQualifiers: [], timeStamp: now() }], { url });
      }
      this.emit("tabs.onUpdated", [tabId, this.canSeeUrl(url) ? { status: "loading", url } : { status: "loading" }, this.tabView(tab)], { url });
    });
    at(100, () => {
      tab.status = "complete";
      if (!error) this.emit("webNavigation.onCompleted", [{ tabId, url, frameId: 0, timeStamp: now() }], { url });
      this.emit("tabs.onUpdated", [tabId, { status: "complete" }, this.tabView(tab)], { url });
      if (page.onLoad && !error) at(page.reportAfterMs ?? 200, () => page.onLoad(tabId, url));
    });
  }

  /** What the tab's content script answers to a background → content message. */
  contentAnswer(tab, message) {
    const custom = tab.content.handlers[message?.type];
    if (custom) return custom(message, tab);
    switch (message?.type) {
      case P.BACKGROUND_TO_CONTENT_READ_DRAFT:
        return {
          text: tab.content.draft ?? "",
          url: tab.url,
          account: null,
          user_turns: tab.content.userTurns ?? 1,
          typed_ms_ago: typeof tab.content.typedAt === "number" ? Math.max(0, this.clock.now - tab.content.typedAt) : null,
        };
      case P.BACKGROUND_TO_CONTENT_PRESS_RETRY:
        return { pressed: tab.content.retryButton === true };
      case P.BACKGROUND_TO_CONTENT_CLEAR_PAGE:
        return { cleared: message.stores ?? [] };
      case P.BACKGROUND_TO_CONTENT_RETRY_TIMER:
        tab.content.retryDueAt = typeof message.due_at_ms === "number" ? message.due_at_ms : null;
        return {};
      default:
        return undefined; // content.js returns false: no answer
    }
  }

  // ---- alarms ----

  fireAlarm(name) {
    const alarm = this.alarms.get(name);
    if (!alarm) return;
    if (alarm.periodInMinutes) alarm.scheduledTime = this.clock.now + alarm.periodInMinutes * 60_000;
    else this.alarms.delete(name);
    this.emit("alarms.onAlarm", [{ ...alarm }]);
  }

  // ---- cookies ----

  defaultStore() {
    return this.flavour === "firefox" ? "firefox-default" : "0";
  }

  cookieStores() {
    const stores = new Map();
    stores.set(this.defaultStore(), []);
    for (const t of this.tabs.values()) {
      if (t.closed) continue;
      if (!stores.has(t.cookieStoreId)) stores.set(t.cookieStoreId, []);
      stores.get(t.cookieStoreId).push(t.id);
    }
    return [...stores].map(([id, tabIds]) => ({ id, tabIds, ...(this.flavour === "firefox" ? { incognito: id === "firefox-private" } : {}) }));
  }

  // ---- fetch ----

  /** Lets the files held by `holdFiles` be read. */
  releaseFiles() {
    this.holdFiles = null;
    for (const release of this.heldFiles.splice(0)) release();
  }

  /** The fake `fetch`: the extension's own files by file: URL, scripted answers for the rest. */
  fetch(input, init = {}) {
    const url = String(input instanceof Request ? input.url : input);
    this.record("fetch", { url });
    const signal = init.signal;
    if (url.startsWith("file:")) {
      const path = fileURLToPath(url);
      if (this.holdFiles?.test(path)) {
        const held = this.holdFiles;
        return new Promise((resolve) => this.heldFiles.push(resolve)).then(() => {
          if (this.holdFiles === held) this.holdFiles = null;
          return this.fetch(input, init);
        });
      }
      return this.clock.track(
        readFile(path).then(
          (bytes) => new Response(bytes, { status: 200, headers: { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream" } }),
        ),
      );
    }
    if (url.startsWith(this.base)) {
      const path = join(this.dir, new URL(url).pathname);
      return this.clock.track(readFile(path).then((bytes) => new Response(bytes, { headers: { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream" } })));
    }
    const mode = typeof this.status === "function" ? this.status(url) : this.status;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", () => reject(signal.reason));
      switch (mode?.mode) {
        case "ok": {
          // `delayMs`: the answer comes that much later (fake time), as a slow page's does.
          const answer = () => resolve(new Response(mode.body ?? JSON.stringify(OPERATIONAL), { status: 200, headers: { "content-type": "application/json" } }));
          return mode.delayMs ? void setTimeout(answer, mode.delayMs) : answer();
        }
        case "error":
          return resolve(new Response("Internal Server Error", { status: mode.status ?? 500 }));
        case "garbage":
          return resolve(new Response("<html>not json{", { status: 200, headers: { "content-type": "text/html" } }));
        case "offline":
          return reject(new TypeError("fetch failed"));
        case "never":
        default:
          return undefined; // never answers (only the signal ends it)
      }
    });
  }

  // ---- the facade one background instance sees ----

  apiFor(instance) {
    const world = this;
    this.live.add(instance);
    const alive = () => world.live.has(instance);
    // An API method: recorded, asynchronous like a browser's, dead once the instance stops.
    const fn = (name, impl) => (...args) => {
      if (!alive()) return NEVER();
      world.record(name, args, instance);
      return new Promise((resolve, reject) => {
        queueMicrotask(() => {
          try {
            Promise.resolve(impl(...args)).then((v) => resolve(clone(v)), reject);
          } catch (e) {
            reject(e);
          }
        });
      });
    };
    const ev = (name) => ({
      addListener: (listener, filter, extra) => {
        world.record(`${name}.addListener`, [filter ?? null, extra ?? null], instance);
        if (alive()) world.addListener(name, instance, listener, filter, extra);
      },
      removeListener: (listener) => world.removeListener(name, instance, listener),
      hasListener: (listener) => (world.listeners.get(name) ?? []).some((l) => l.fn === listener && l.owner === instance),
    });
    const area = (a) => ({
      get: fn(`storage.${a.name}.get`, (keys) => a.get(keys)),
      set: fn(`storage.${a.name}.set`, (items) => a.set(items)),
      remove: fn(`storage.${a.name}.remove`, (keys) => a.remove(keys)),
      clear: fn(`storage.${a.name}.clear`, () => a.clear()),
      getBytesInUse: fn(`storage.${a.name}.getBytesInUse`, () => a.bytes()),
      setAccessLevel: fn(`storage.${a.name}.setAccessLevel`, () => undefined),
      onChanged: ev(`storage.${a.name}.onChanged`),
      QUOTA_BYTES: a.quotaBytes,
    });
    const tabs = {
      get: fn("tabs.get", (id) => world.tabView(world.liveTab(id))),
      query: fn("tabs.query", (q = {}) =>
        [...world.tabs.values()]
          .filter((t) => !t.closed)
          .filter((t) => (q.active === undefined || t.active === q.active) && (q.windowId === undefined || t.windowId === q.windowId))
          .map((t) => world.tabView(t)),
      ),
      reload: fn("tabs.reload", (id) => {
        const tab = world.liveTab(id);
        if (tab.reloadBehaviour === "close") {
          tab.closed = true; // gone already; its onRemoved follows
          world.clock.schedule(() => world.emit("tabs.onRemoved", [id, { windowId: tab.windowId, isWindowClosing: false }]), 0, { owner: "world" });
          throw new Error(`No tab with id: ${id}.`);
        }
        tab.reloads += 1;
        world.navigate(id, tab.url);
      }),
      update: fn("tabs.update", (id, props = {}) => {
        const tab = world.liveTab(id);
        if (props.active) {
          for (const t of world.tabs.values()) if (t.windowId === tab.windowId) t.active = false;
          tab.active = true;
        }
        if (props.url) world.navigate(id, props.url);
        return world.tabView(tab);
      }),
      create: fn("tabs.create", (props = {}) => {
        const id = world.openTab({ url: "about:blank", active: props.active ?? true, windowId: props.windowId ?? 1 });
        if (props.url) world.navigate(id, props.url);
        return world.tabView(world.tabs.get(id));
      }),
      remove: fn("tabs.remove", (id) => world.closeTab(id)),
      sendMessage: (id, message, options) => {
        if (!alive()) return NEVER();
        world.record("tabs.sendMessage", [id, message, options ?? null], instance);
        const tab = world.tabs.get(id);
        if (!tab || tab.closed || tab.content.mode === "absent") {
          return Promise.reject(new Error("Could not establish connection. Receiving end does not exist."));
        }
        tab.received.push(clone(message));
        if (tab.content.mode === "silent") return NEVER();
        // A handler may answer later, or never (a promise that does not settle).
        return new Promise((resolve) => queueMicrotask(() => Promise.resolve(world.contentAnswer(tab, clone(message))).then((v) => resolve(clone(v)))));
      },
      onRemoved: ev("tabs.onRemoved"),
      onUpdated: ev("tabs.onUpdated"),
      onActivated: ev("tabs.onActivated"),
      onCreated: ev("tabs.onCreated"),
      onReplaced: ev("tabs.onReplaced"),
      TAB_ID_NONE: -1,
    };
    const webRequest = Object.fromEntries(
      ["onBeforeRequest", "onBeforeSendHeaders", "onSendHeaders", "onHeadersReceived", "onResponseStarted", "onBeforeRedirect", "onCompleted", "onErrorOccurred"].map((n) => [n, ev(`webRequest.${n}`)]),
    );
    // Any touch of webNavigation is recorded: a test can assert it is not used at all.
    const webNavigationTarget = {
      ...Object.fromEntries(
        ["onBeforeNavigate", "onCommitted", "onDOMContentLoaded", "onCompleted", "onErrorOccurred", "onHistoryStateUpdated", "onReferenceFragmentUpdated", "onCreatedNavigationTarget", "onTabReplaced"].map((n) => [n, ev(`webNavigation.${n}`)]),
      ),
      getFrame: fn("webNavigation.getFrame", () => null),
      getAllFrames: fn("webNavigation.getAllFrames", () => []),
    };
    const webNavigation = new Proxy(webNavigationTarget, {
      get(target, prop) {
        if (typeof prop === "string" && alive()) world.record(`webNavigation.${prop}:access`, [], instance);
        return target[prop];
      },
    });
    const api = {
      storage: {
        session: area(world.storage.session),
        local: area(world.storage.local),
        sync: area(world.storage.sync),
        onChanged: ev("storage.onChanged"),
      },
      tabs,
      windows: {
        get: fn("windows.get", (id) => {
          const w = world.windows.get(id);
          if (!w) throw new Error(`No window with id: ${id}.`);
          return { ...w };
        }),
        getCurrent: fn("windows.getCurrent", () => ({ ...world.windows.get(1) })),
        getLastFocused: fn("windows.getLastFocused", () => ({ ...([...world.windows.values()].find((w) => w.focused) ?? world.windows.get(1)) })),
        update: fn("windows.update", (id, props) => {
          const w = world.windows.get(id);
          if (!w) throw new Error(`No window with id: ${id}.`);
          Object.assign(w, props);
          return { ...w };
        }),
        onFocusChanged: ev("windows.onFocusChanged"),
        onRemoved: ev("windows.onRemoved"),
        WINDOW_ID_NONE: -1,
      },
      alarms: {
        create: fn("alarms.create", (name, info) => {
          if (typeof name === "object") [name, info] = ["", name];
          const when = info.when ?? world.clock.now + (info.delayInMinutes ?? info.periodInMinutes ?? 0) * 60_000;
          world.alarms.set(name ?? "", { name: name ?? "", scheduledTime: when, ...(info.periodInMinutes ? { periodInMinutes: info.periodInMinutes } : {}) });
        }),
        clear: fn("alarms.clear", (name = "") => world.alarms.delete(name)),
        clearAll: fn("alarms.clearAll", () => {
          const had = world.alarms.size > 0;
          world.alarms.clear();
          return had;
        }),
        get: fn("alarms.get", (name = "") => world.alarms.get(name)),
        getAll: fn("alarms.getAll", () => [...world.alarms.values()]),
        onAlarm: ev("alarms.onAlarm"),
      },
      webRequest,
      webNavigation,
      cookies: {
        getAll: fn("cookies.getAll", (q = {}) => world.cookiesMatching(q).map((c) => ({ ...c }))),
        remove: fn("cookies.remove", (d) => world.removeCookie(d)),
        set: fn("cookies.set", (d) => world.cookies.push({ ...d })),
        getAllCookieStores: fn("cookies.getAllCookieStores", () => world.cookieStores()),
        onChanged: ev("cookies.onChanged"),
      },
      browsingData: {
        remove: fn("browsingData.remove", (options, dataToRemove) => {
          world.browsingDataCalls.push({ options: clone(options), dataToRemove: clone(dataToRemove), at: world.clock.now });
        }),
      },
      runtime: {
        id: world.id,
        getURL: (path = "") => `${world.base}${String(path).replace(/^\//, "")}`,
        getManifest: () => clone(world.manifest),
        sendMessage: fn("runtime.sendMessage", () => {
          throw new Error("Could not establish connection. Receiving end does not exist.");
        }),
        onMessage: ev("runtime.onMessage"),
        onInstalled: ev("runtime.onInstalled"),
        onStartup: ev("runtime.onStartup"),
        onSuspend: ev("runtime.onSuspend"),
        getPlatformInfo: fn("runtime.getPlatformInfo", () => ({ os: "linux", arch: "x86-64" })),
        lastError: undefined,
        ...(world.flavour === "firefox" ? { getBrowserInfo: fn("runtime.getBrowserInfo", () => ({ name: "Firefox", vendor: "Mozilla", version: "140.0", buildID: "0" })) } : {}),
      },
      action: {
        setBadgeText: fn("action.setBadgeText", ({ tabId, text }) => {
          if (tabId !== undefined) world.liveTab(tabId);
          world.badges.set(tabId ?? "global", { ...(world.badges.get(tabId ?? "global") ?? {}), text });
        }),
        setBadgeBackgroundColor: fn("action.setBadgeBackgroundColor", ({ tabId, color }) => {
          if (tabId !== undefined) world.liveTab(tabId);
          world.badges.set(tabId ?? "global", { ...(world.badges.get(tabId ?? "global") ?? {}), color });
        }),
        setBadgeTextColor: fn("action.setBadgeTextColor", () => undefined),
        getBadgeText: fn("action.getBadgeText", ({ tabId } = {}) => world.badges.get(tabId ?? "global")?.text ?? ""),
        setTitle: fn("action.setTitle", () => undefined),
        setIcon: fn("action.setIcon", () => undefined),
        setPopup: fn("action.setPopup", () => undefined),
        onClicked: ev("action.onClicked"),
      },
      notifications: {
        create: fn("notifications.create", (id, options) => {
          if (typeof id === "object") [id, options] = [`auto-${world.log.length}`, id];
          world.notifications.set(id, { ...options, at: world.clock.now });
          return id;
        }),
        clear: fn("notifications.clear", (id) => world.notifications.delete(id)),
        getAll: fn("notifications.getAll", () => Object.fromEntries([...world.notifications.keys()].map((k) => [k, true]))),
        onClicked: ev("notifications.onClicked"),
        onClosed: ev("notifications.onClosed"),
        onButtonClicked: ev("notifications.onButtonClicked"),
      },
      i18n: {
        getMessage: (key, subs) => {
          const m = world.messages[key]?.message;
          if (m === undefined) return "";
          const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
          return m.replace(/\$(\d)/g, (_, n) => list[Number(n) - 1] ?? "");
        },
        getUILanguage: () => "en",
      },
    };
    return api;
  }

  cookiesMatching(q) {
    const store = q.storeId ?? this.defaultStore();
    let host = null;
    if (q.url) host = new URL(q.url).hostname;
    return this.cookies.filter((c) => {
      if ((c.storeId ?? this.defaultStore()) !== store) return false;
      if (q.name !== undefined && c.name !== q.name) return false;
      const cd = c.domain.replace(/^\./, "");
      if (q.domain !== undefined) {
        const d = q.domain.replace(/^\./, "");
        if (cd !== d && !cd.endsWith(`.${d}`)) return false;
      }
      if (host !== null && host !== cd && !host.endsWith(`.${cd}`)) return false;
      if (q.partitionKey === undefined) return c.partitionKey === undefined;
      if (q.partitionKey.topLevelSite === undefined) return true; // {}: every partition
      return c.partitionKey?.topLevelSite === q.partitionKey.topLevelSite;
    });
  }

  removeCookie(d) {
    const host = new URL(d.url).hostname;
    const store = d.storeId ?? this.defaultStore();
    const i = this.cookies.findIndex(
      (c) =>
        c.name === d.name &&
        (c.storeId ?? this.defaultStore()) === store &&
        (host === c.domain.replace(/^\./, "") || host.endsWith(c.domain.startsWith(".") ? c.domain : `.${c.domain}`)) &&
        JSON.stringify(c.partitionKey ?? null) === JSON.stringify(d.partitionKey ?? null),
    );
    if (i < 0) return null;
    this.cookies.splice(i, 1);
    return { url: d.url, name: d.name, storeId: store, ...(d.partitionKey ? { partitionKey: d.partitionKey } : {}) };
  }

  /**
   * A message from an extension context to the background's runtime.onMessage, with
   * Chrome's semantics: a listener answers by calling sendResponse after returning true, or
   * by returning a promise (Firefox); no answer resolves undefined.
   */
  dispatchRuntimeMessage(message, sender) {
    const listeners = this.liveListeners("runtime.onMessage");
    this.record("event:runtime.onMessage", [message, sender]);
    if (!listeners.length) return Promise.reject(new Error("Could not establish connection. Receiving end does not exist."));
    return new Promise((resolve, reject) => {
      let settled = false;
      const respond = (value) => {
        if (settled) return;
        settled = true;
        resolve(clone(value));
      };
      let willRespond = false;
      for (const l of listeners) {
        this.record("listener:runtime.onMessage", { type: message?.type }, l.owner);
        let r;
        try {
          r = l.fn(clone(message), clone(sender), respond);
        } catch (e) {
          this.record("listener-threw:runtime.onMessage", String(e), l.owner);
          continue;
        }
        if (r === true) willRespond = true;
        else if (r && typeof r.then === "function") {
          willRespond = true;
          r.then(respond, (e) => {
            if (!settled) {
              settled = true;
              reject(e);
            }
          });
        }
      }
      if (!willRespond) queueMicrotask(() => respond(undefined));
    });
  }
}

const OPERATIONAL = {
  page: { id: "status", name: "OpenAI", url: "https://status.openai.com", updated_at: "2026-01-15T11:59:00Z" },
  status: { indicator: "none", description: "All Systems Operational" },
  components: [],
  incidents: [],
};

class StorageArea {
  constructor(world, name, quotaBytes) {
    this.world = world;
    this.name = name;
    this.quotaBytes = quotaBytes;
    this.data = new Map(); // key → JSON text
    this.failSets = false; // every set rejects, as when the quota is exceeded
    this.failMessage = "QUOTA_BYTES quota exceeded";
  }

  keysOf(keys) {
    if (keys === null || keys === undefined) return [...this.data.keys()];
    if (typeof keys === "string") return [keys];
    if (Array.isArray(keys)) return keys;
    return Object.keys(keys);
  }

  get(keys) {
    const out = keys && typeof keys === "object" && !Array.isArray(keys) ? clone(keys) : {};
    for (const k of this.keysOf(keys)) if (this.data.has(k)) out[k] = JSON.parse(this.data.get(k));
    return out;
  }

  bytes() {
    let n = 0;
    for (const [k, v] of this.data) n += k.length + v.length;
    return n;
  }

  value(key) {
    return this.data.has(key) ? JSON.parse(this.data.get(key)) : undefined;
  }

  set(items) {
    if (this.failSets) throw new Error(this.failMessage);
    const next = new Map(this.data);
    for (const [k, v] of Object.entries(items)) if (v !== undefined) next.set(k, JSON.stringify(v));
    let n = 0;
    for (const [k, v] of next) n += k.length + v.length;
    if (n > this.quotaBytes) throw new Error(this.failMessage);
    const changes = {};
    for (const [k, v] of next) {
      if (this.data.get(k) !== v) changes[k] = { ...(this.data.has(k) ? { oldValue: JSON.parse(this.data.get(k)) } : {}), newValue: JSON.parse(v) };
    }
    this.data = next;
    this.changed(changes);
  }

  remove(keys) {
    const changes = {};
    for (const k of this.keysOf(keys)) {
      if (this.data.has(k)) {
        changes[k] = { oldValue: JSON.parse(this.data.get(k)) };
        this.data.delete(k);
      }
    }
    this.changed(changes);
  }

  clear() {
    this.remove(null);
  }

  changed(changes) {
    if (!Object.keys(changes).length) return;
    queueMicrotask(() => {
      this.world.emit(`storage.${this.name}.onChanged`, [changes]);
      this.world.emit("storage.onChanged", [changes, this.name]);
    });
  }
}
