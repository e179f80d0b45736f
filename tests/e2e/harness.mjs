// End-to-end harness for the MV3 extension, Chrome + Firefox, via puppeteer-core.
//
//   import { browsersUnderTest, launch, fixtureResponse } from './harness.mjs';
//   for (const name of browsersUnderTest()) {
//     const s = await launch(name, { extensionDir });   // headless, extension installed
//                                                       // ({ headless: false }: a window)
//     await s.route('https://chatgpt.com/', { status: 403, headers: { 'cf-ray': 'x' }, body: '<title>t</title>' });
//     const { page, tabId } = await s.openPage('https://chatgpt.com/?case=1');
//     // openPage(url, { beforeNavigate: async ({ page, cdp }) => ... }) runs a hook on the
//     // new tab before it navigates (cdp: the page's CDP session in Chrome, null in Firefox).
//     await s.waitForBackground((tabId) => chrome.action.getBadgeText({ tabId }), [tabId]);
//     await s.popup(tabId, (win, a) => win.document.body.dataset.kind, 'a');
//     await s.close();
//   }
//
// Contract for functions passed to background()/waitForBackground()/popup():
//   * They are serialized with Function.prototype.toString and evaluated in the
//     browser: they cannot close over Node variables; pass data as args (JSON).
//   * The result must be JSON-serializable (it is JSON.stringify'd in the browser;
//     `undefined` comes back as undefined). Promises are awaited.
//   * background(fn, ...args): fn(...args) runs in the extension's background
//     context (Chrome: MV3 service worker; Firefox: the background page). Use
//     `chrome.*` (both browsers expose it) or `browser.*` (Firefox only).
//   * popup(tabId, fn, ...args): fn(win, ...args) where `win` is the popup page's
//     window; use `win.document`, `win.location`, ... (NOT the global `document`:
//     in Firefox fn runs in the background page and only `win` is the popup).
//
// Network: Chrome answers routes with CDP Fetch on pages created by openPage()
// (custom reason phrases OK; requests from the service worker or from tabs the
// extension opens itself are NOT intercepted). Firefox sends all traffic through
// an in-process MITM proxy (real HTTP responses, so webRequest.onHeadersReceived
// fires; it also serves the background's own fetches). Aborts: Chrome uses the
// CDP error reason (net::ERR_CONNECTION_RESET...); Firefox can only reset the
// TCP connection (NS_ERROR_NET_RESET, "Error code 2152398868" in webNavigation)
// for every abort reason except 'connectionclosed' (FIN, no response).
//
// Environment: E2E_BROWSERS=chrome|firefox|chrome,firefox; CHROME_PATH,
// FIREFOX_PATH override the executables; E2E_DEBUG=1 logs browser stderr.

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import http from 'node:http';
import tls from 'node:tls';
import puppeteer from 'puppeteer-core';
import { RdpClient, readGripString } from './firefox-rdp.mjs';

const ALL_BROWSERS = ['chrome', 'firefox'];
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';
const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const CHAT_HOSTS = ['chatgpt.com', 'chat.openai.com'];

// Bounded waits (ms).
// Starting a browser with a new profile and the extension takes longer on a loaded machine;
// this bounds a launch, it asserts nothing about speed.
const LAUNCH_TIMEOUT = 90000;
const NAV_TIMEOUT = 15000;
const CALL_TIMEOUT = 10000;
const CLOSE_TIMEOUT = 5000;

export function browsersUnderTest() {
  const env = (process.env.E2E_BROWSERS || '').trim();
  if (!env) return [...ALL_BROWSERS];
  const wanted = env.split(/[\s,]+/).filter(Boolean).map((s) => s.toLowerCase());
  for (const w of wanted) {
    if (!ALL_BROWSERS.includes(w)) throw new Error(`E2E_BROWSERS: unknown browser "${w}" (known: ${ALL_BROWSERS.join(', ')})`);
  }
  return ALL_BROWSERS.filter((b) => wanted.includes(b));
}

/**
 * Reads tests/fixtures/NAME.json (+ NAME.html as body) and returns
 * `{ url, response, fixture }` where response is ready for `session.route(url, response)`.
 * JSON format: {url, status, status_text, headers, inject, abort, expect}.
 */
export function fixtureResponse(dir, name) {
  const fixture = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  if (!fixture.url) throw new Error(`fixture ${name}: missing "url"`);
  let response;
  if (fixture.abort) {
    response = { abort: fixture.abort };
  } else {
    const htmlPath = path.join(dir, `${name}.html`);
    const body = fs.existsSync(htmlPath) ? fs.readFileSync(htmlPath, 'utf8') : '';
    response = {
      status: fixture.status ?? 200,
      statusText: fixture.status_text ?? '',
      headers: fixture.headers ?? {},
      body,
    };
  }
  return { url: fixture.url, response, fixture };
}

/** @returns {Promise<ChromeSession|FirefoxSession>} */
// `locale` (a BCP 47 tag such as "de" or "pt-BR") starts the browser in that UI language, the
// one the extension's _locales are chosen by: Chromium by --lang (and LANGUAGE, which Chromium
// on Linux reads instead), Firefox by intl.locale.requested. Each needs that language installed
// (Debian: chromium-l10n, firefox-esr-l10n-<lang>); see uiLanguage() to check it took.
export async function launch(name, { extensionDir, headless = true, locale = null } = {}) {
  if (!extensionDir) throw new Error('launch: extensionDir is required');
  extensionDir = path.resolve(extensionDir);
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`launch: no manifest.json in ${extensionDir}`);
  }
  if (name === 'chrome') return ChromeSession.launch(extensionDir, { headless, locale });
  if (name === 'firefox') return FirefoxSession.launch(extensionDir, { headless, locale });
  throw new Error(`launch: unknown browser "${name}"`);
}

// ---------------------------------------------------------------------------
// shared helpers

function stripQuery(url) {
  try {
    const u = new URL(url);
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

function isChatHost(hostname) {
  return CHAT_HOSTS.some((h) => hostname === h || hostname.endsWith(`.${h}`));
}

function normalizeUrl(url) {
  return new URL(url).href;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fnSource(fn) {
  if (typeof fn !== 'function') throw new TypeError('expected a function');
  return fn.toString();
}

/** Browser-side expression that runs `(src)(...args)` and returns a JSON string envelope. */
function wrapCall(src, argsExpr) {
  return `(async () => {
  try {
    const __v = await (${src})(...${argsExpr});
    return JSON.stringify({ ok: true, v: __v === undefined ? null : __v, u: __v === undefined });
  } catch (e) {
    return JSON.stringify({ ok: false, m: (e && e.message) ? String(e.message) : String(e), s: e && e.stack ? String(e.stack) : '' });
  }
})()`;
}

function unwrapResult(json, where) {
  if (typeof json !== 'string') throw new Error(`${where}: unexpected result ${JSON.stringify(json)}`);
  const r = JSON.parse(json);
  if (!r.ok) {
    const err = new Error(`${where}: ${r.m}`);
    err.pageStack = r.s;
    throw err;
  }
  return r.u ? undefined : r.v;
}

const ERROR_REASONS = {
  aborted: 'Aborted',
  accessdenied: 'AccessDenied',
  addressunreachable: 'AddressUnreachable',
  blockedbyclient: 'BlockedByClient',
  blockedbyresponse: 'BlockedByResponse',
  connectionaborted: 'ConnectionAborted',
  connectionclosed: 'ConnectionClosed',
  connectionfailed: 'ConnectionFailed',
  connectionrefused: 'ConnectionRefused',
  connectionreset: 'ConnectionReset',
  internetdisconnected: 'InternetDisconnected',
  namenotresolved: 'NameNotResolved',
  timedout: 'TimedOut',
  failed: 'Failed',
};

// Kill every browser we launched if the test process exits without close().
const liveProcesses = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const d of tempDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ }
  }
  for (const proc of liveProcesses) {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* not a group leader */ }
    try { proc.kill('SIGKILL'); } catch { /* gone */ }
  }
});

class BaseSession {
  constructor(name, browser) {
    this.name = name;
    this.browser = browser;
    this.extensionId = null;
    this.routes = new Map(); // url without query -> response
    this.requestCounts = new Map(); // url without query -> requests seen
    this.pages = new Set();
    this.closed = false;
    this.proc = browser.process();
    if (this.proc) liveProcesses.add(this.proc);
  }

  async route(url, response) {
    if (!response || typeof response !== 'object') throw new TypeError('route: response must be an object');
    if (response.abort && !ERROR_REASONS[response.abort]) {
      throw new Error(`route: unknown abort reason "${response.abort}" (known: ${Object.keys(ERROR_REASONS).join(', ')})`);
    }
    this.routes.set(stripQuery(url), response);
  }

  /** How many requests for `url` (query ignored) the harness has answered or aborted. */
  hits(url) {
    return this.requestCounts.get(stripQuery(url)) ?? 0;
  }

  /** Decides what to do with a request: {action:'respond'|'abort'|'continue', ...}. */
  resolveRequest(url) {
    let u;
    try { u = new URL(url); } catch { return { action: 'abort', reason: 'failed' }; }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { action: 'continue' };
    this.requestCounts.set(stripQuery(url), this.hits(url) + 1);
    const r = this.routes.get(stripQuery(url));
    if (r) {
      if (r.abort) return { action: 'abort', reason: r.abort };
      return { action: 'respond', response: r };
    }
    if (isChatHost(u.hostname)) {
      return { action: 'respond', response: { status: 404, statusText: 'Not Found', headers: { 'content-type': 'text/plain' }, body: 'not routed' } };
    }
    return { action: 'abort', reason: 'failed' };
  }

  async waitForBackground(fn, args = [], { timeout = 5000, interval = 50 } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    let lastErr;
    for (;;) {
      try {
        last = await this.background(fn, ...args);
        lastErr = undefined;
        if (last) return last;
      } catch (e) {
        lastErr = e;
      }
      if (Date.now() >= deadline) {
        const detail = lastErr ? `last error: ${lastErr.message}` : `last value: ${JSON.stringify(last)}`;
        throw new Error(`waitForBackground timed out after ${timeout} ms (${detail}) for ${fnSource(fn).slice(0, 200)}`);
      }
      await sleep(interval);
    }
  }

  /** The ids of every open tab, as the extension sees them. */
  async tabIds() {
    return this.background(async () => (await (globalThis.browser ?? globalThis.chrome).tabs.query({})).map((t) => t.id));
  }

  /**
   * Finds the extension's tab id for a page just opened: the one tab that was not open
   * before (`before`, from tabIds()), else the tab with that URL. A page may rewrite its
   * own URL (Cloudflare's challenge does, with history.replaceState), hence the first.
   */
  async findTabId(url, before = null, timeout = 5000) {
    const ids = await this.waitForBackground(async (u, before) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const tabs = await api.tabs.query({});
      const fresh = before ? tabs.filter((t) => !before.includes(t.id)) : [];
      const hits = (fresh.length === 1 ? fresh : tabs.filter((t) => t.url === u || t.pendingUrl === u)).map((t) => t.id);
      return hits.length ? hits : null;
    }, [url, before], { timeout, interval: 25 }).catch((e) => {
      throw new Error(`openPage: no extension tab found for ${url}: ${e.message}`);
    });
    if (ids.length > 1) {
      throw new Error(`openPage: ${ids.length} tabs have URL ${url}; give each page a unique query string`);
    }
    return ids[0];
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      await this._beforeClose?.();
    } catch { /* ignore */ }
    try {
      await withTimeout(this.browser.close(), CLOSE_TIMEOUT, `${this.name}: browser.close()`);
    } catch { /* fall through to kill */ }
    const proc = this.proc;
    if (proc) {
      if (proc.exitCode === null && proc.signalCode === null) {
        try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* not a group leader */ }
        try { proc.kill('SIGKILL'); } catch { /* gone */ }
        await withTimeout(new Promise((r) => proc.once('exit', r)), CLOSE_TIMEOUT, 'browser exit').catch(() => {});
      }
      liveProcesses.delete(proc);
    }
  }
}

// ---------------------------------------------------------------------------
// Chrome

class ChromeSession extends BaseSession {
  // The MV3 service worker is reached through a raw CDP session on its target
  // (Runtime.evaluate). A page-level session with the ServiceWorker domain tracks
  // whether the worker is running; a stopped worker is restarted with
  // ServiceWorker.startWorker (a stopped worker's target stays listed while we
  // are attached, and evaluations sent to it would hang).
  #monitor = null; // CDPSession with ServiceWorker.enable
  #swStatus = 'unknown'; // running | starting | stopping | stopped | unknown
  #stopWaiters = new Set();
  #runWaiters = new Set();
  #sw = null; // { target, session, ready: bool, readyWaiters: Set }

  static async launch(extensionDir, { headless = true, locale = null } = {}) {
    const localeArgs = locale ? [`--lang=${locale}`, `--accept-lang=${locale}`] : [];
    const browser = await puppeteer.launch({
      browser: 'chrome',
      ...(locale ? { env: { ...process.env, LANGUAGE: locale.replace('-', '_') } } : {}),
      executablePath: CHROME_PATH,
      headless,
      pipe: true,
      enableExtensions: true,
      dumpio: !!process.env.E2E_DEBUG,
      timeout: LAUNCH_TIMEOUT,
      protocolTimeout: 30000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider',
        '--metrics-recording-only',
        '--password-store=basic',
        '--use-mock-keychain',
        ...localeArgs,
      ],
    });
    const s = new ChromeSession('chrome', browser);
    try {
      s.extensionId = await withTimeout(browser.installExtension(extensionDir), LAUNCH_TIMEOUT, 'chrome: installExtension');
      await s.#startMonitor();
      await s.#ensureWorker(LAUNCH_TIMEOUT);
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  #isOurWorker(t) {
    return t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${this.extensionId}/`);
  }

  async #startMonitor() {
    const [first] = await this.browser.pages();
    const page = first ?? (await this.browser.newPage());
    const cdp = await page.createCDPSession();
    const prefix = `chrome-extension://${this.extensionId}/`;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const ours = versions.filter((v) => v.scriptURL.startsWith(prefix));
      if (!ours.length) return;
      const status = ours.some((v) => v.runningStatus === 'running') ? 'running' : ours.at(-1).runningStatus;
      this.#swStatus = status;
      if (status === 'running') { for (const w of this.#runWaiters) w(); this.#runWaiters.clear(); }
      if (status === 'stopping' || status === 'stopped') {
        if (this.#sw) this.#sw.ready = false;
        for (const w of this.#stopWaiters) w();
        this.#stopWaiters.clear();
      }
    });
    await cdp.send('ServiceWorker.enable');
    this.#monitor = cdp;
  }

  async #attach(target) {
    const session = await target.createCDPSession();
    const sw = { target, session, ready: false, readyWaiters: new Set() };
    const setReady = (v) => {
      sw.ready = v;
      if (!v) sw.bound = false;
      if (v) { for (const w of sw.readyWaiters) w(); sw.readyWaiters.clear(); }
    };
    session.on('Runtime.executionContextCreated', () => setReady(true));
    session.on('Runtime.executionContextsCleared', () => {
      setReady(false);
      // A restarted worker waits for the debugger (puppeteer auto-attaches with
      // waitForDebuggerOnStart): let it run.
      session.send('Runtime.runIfWaitingForDebugger').catch(() => {});
    });
    session.on('Runtime.executionContextDestroyed', () => setReady(false));
    session.on('CDPSession.Disconnected', () => { if (this.#sw === sw) this.#sw = null; });
    await session.send('Runtime.enable'); // replays executionContextCreated for the live context
    await session.send('Runtime.runIfWaitingForDebugger').catch(() => {});
    return sw;
  }

  /** Returns an attached, running worker ({session}); restarts it if it was stopped. */
  async #ensureWorker(timeout = CALL_TIMEOUT) {
    const deadline = Date.now() + timeout;
    if (this.#sw && (this.#sw.session.detached || !this.browser.targets().includes(this.#sw.target))) this.#sw = null;
    if (this.#sw?.ready && this.#swStatus !== 'stopped' && this.#swStatus !== 'stopping') return this.#sw;
    if (this.#swStatus === 'stopped' || this.#swStatus === 'stopping' || !this.browser.targets().some((t) => this.#isOurWorker(t))) {
      await this.#startWorker();
    }
    this.#sw?.session.send('Runtime.runIfWaitingForDebugger').catch(() => {});
    if (!this.#sw) {
      const target = await this.browser.waitForTarget((t) => this.#isOurWorker(t), { timeout: Math.max(1, deadline - Date.now()) }).catch(() => null);
      if (!target) throw new Error(`chrome: extension service worker did not start within ${timeout} ms`);
      this.#sw = await withTimeout(this.#attach(target), Math.max(1, deadline - Date.now()), 'chrome: attach to service worker');
    }
    const sw = this.#sw;
    // The execution context exists before the worker's script has run: also wait
    // for the version to be 'running' (evaluating earlier sees no `chrome` binding).
    if (this.#swStatus !== 'running' && this.#swStatus !== 'unknown') {
      await withTimeout(new Promise((r) => this.#runWaiters.add(r)), Math.max(1, deadline - Date.now()), 'chrome: service worker running')
        .catch((e) => { throw new Error(`chrome: extension service worker not running: ${e.message}`); });
    }
    if (!sw.ready) {
      await withTimeout(new Promise((r) => sw.readyWaiters.add(r)), Math.max(1, deadline - Date.now()), 'chrome: service worker execution context')
        .catch((e) => { throw new Error(`chrome: extension service worker not ready: ${e.message}`); });
    }
    // Right after launch the version's status may not be known yet ('unknown'), and a worker
    // held for the debugger has a context before its script ran: ask it for its `chrome`
    // binding until it has one (a call made earlier read `chrome` as undefined).
    if (!sw.bound) {
      for (;;) {
        const r = await withTimeout(
          sw.session.send('Runtime.evaluate', { expression: 'typeof chrome === "object" && typeof chrome.runtime?.id === "string"', returnByValue: true }),
          Math.max(1, deadline - Date.now()),
          'chrome: service worker binding',
        ).catch(() => null); // a context swapped under the question: ask again
        if (r?.result?.value === true) break;
        if (Date.now() > deadline) throw new Error('chrome: extension service worker has no `chrome` binding');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      sw.bound = true;
    }
    return sw;
  }

  async #startWorker() {
    const scopeURL = `chrome-extension://${this.extensionId}/`;
    try {
      await this.#monitor.send('ServiceWorker.startWorker', { scopeURL });
      return;
    } catch { /* fall back to waking it with a message from an extension page */ }
    const page = await this.browser.newPage();
    try {
      await page.goto(`${scopeURL}manifest.json`, { timeout: NAV_TIMEOUT }).catch(() => {});
      await page.evaluate(() => chrome.runtime.sendMessage({ type: '__e2e_wake__' }).catch(() => {})).catch(() => {});
    } finally {
      await page.close().catch(() => {});
    }
  }

  async background(fn, ...args) {
    const expression = wrapCall(fnSource(fn), JSON.stringify(args));
    let lastErr;
    for (let attempt = 0; attempt < 2; attempt++) {
      const sw = await this.#ensureWorker();
      let onStop;
      const stopped = new Promise((_, reject) => {
        onStop = () => reject(new Error('service worker stopped during evaluation'));
        this.#stopWaiters.add(onStop);
      });
      try {
        const r = await withTimeout(Promise.race([
          sw.session.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }),
          stopped,
        ]), CALL_TIMEOUT, 'chrome: background evaluation');
        if (r.exceptionDetails) {
          throw new Error(`background: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
        }
        return unwrapResult(r.result.value, 'background');
      } catch (e) {
        if (/^background:/.test(e.message)) throw e; // page-side exception
        lastErr = e; // worker stopped/restarted or session gone: re-find and retry once
        if (this.#sw === sw && (sw.session.detached || /Target closed|Session closed|detached/i.test(e.message))) this.#sw = null;
      } finally {
        this.#stopWaiters.delete(onStop);
        stopped.catch(() => {});
      }
    }
    throw new Error(`chrome: background evaluation failed: ${lastErr?.message}`);
  }

  /** Stops the extension's service worker, as Chrome does after 30 s of idleness. */
  async stopBackground() {
    const stopped = new Promise((resolve) => this.#stopWaiters.add(resolve));
    await this.#monitor.send('ServiceWorker.stopAllWorkers');
    await withTimeout(stopped, CALL_TIMEOUT, 'chrome: service worker stop').catch(() => {});
  }

  /**
   * Takes the network away from (or gives it back to) the extension's service worker and
   * every page the harness opened: `navigator.onLine` turns false there and requests fail.
   */
  async setOffline(offline) {
    const sw = await this.#ensureWorker();
    const conditions = { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
    await sw.session.send('Network.enable');
    await sw.session.send('Network.emulateNetworkConditions', conditions);
    for (const page of this.pages) await page.setOfflineMode(offline).catch(() => {});
  }

  async #newPage() {
    const page = await this.browser.newPage();
    this.pages.add(page);
    page.once('close', () => this.pages.delete(page));
    return page;
  }

  async openPage(url, { beforeNavigate } = {}) {
    url = normalizeUrl(url);
    const before = await this.tabIds();
    const page = await this.#newPage();
    const cdp = await page.createCDPSession();
    cdp.on('Fetch.requestPaused', (ev) => {
      this.#handlePaused(cdp, ev).catch(() => { /* page closed mid-request */ });
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
    await beforeNavigate?.({ page, cdp });
    await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT }).catch((e) => {
      if (/timeout/i.test(e.message)) throw new Error(`openPage(${url}): ${e.message}`);
      // net::ERR_* for aborted navigations: expected, the page shows an error page.
    });
    const tabId = await this.findTabId(url, before);
    return { page, tabId };
  }

  async #handlePaused(cdp, ev) {
    const d = this.resolveRequest(ev.request.url);
    if (d.action === 'continue') {
      await cdp.send('Fetch.continueRequest', { requestId: ev.requestId });
    } else if (d.action === 'abort') {
      await cdp.send('Fetch.failRequest', { requestId: ev.requestId, errorReason: ERROR_REASONS[d.reason] ?? 'Failed' });
    } else {
      const r = d.response;
      const headers = Object.entries(r.headers ?? {}).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })));
      if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
        headers.push({ name: 'content-type', value: 'text/html; charset=utf-8' });
      }
      const status = r.status ?? 200;
      await cdp.send('Fetch.fulfillRequest', {
        requestId: ev.requestId,
        responseCode: status,
        responsePhrase: r.statusText || STATUS_PHRASES[status] || 'Unknown',
        responseHeaders: headers,
        body: Buffer.from(r.body ?? '', 'utf8').toString('base64'),
      });
    }
  }

  async popup(tabId, fn, ...args) {
    const page = await this.#newPage();
    try {
      const url = `chrome-extension://${this.extensionId}/popup/popup.html?tab=${encodeURIComponent(tabId)}`;
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: NAV_TIMEOUT });
      await page.waitForFunction(() => document.body && document.body.hasAttribute('data-kind'), { timeout: CALL_TIMEOUT, polling: 25 })
        .catch((e) => { throw new Error(`popup(${tabId}): body[data-kind] did not appear: ${e.message}`); });
      const json = await withTimeout(page.evaluate(wrapCall(fnSource(fn), `[window, ...${JSON.stringify(args)}]`)), CALL_TIMEOUT, 'chrome: popup evaluation');
      return unwrapResult(json, 'popup');
    } finally {
      await page.close().catch(() => {});
    }
  }
}

const STATUS_PHRASES = {
  200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  520: 'Unknown Error', 521: 'Web Server Is Down', 522: 'Connection Timed Out', 523: 'Origin Is Unreachable',
  524: 'A Timeout Occurred', 525: 'SSL Handshake Failed', 526: 'Invalid SSL Certificate',
};

// ---------------------------------------------------------------------------
// Firefox

class FirefoxSession extends BaseSession {
  rdp = null;
  #consoleActor = null;
  #results = new Map(); // resultID -> evaluationResult packet that arrived early
  #resultWaiters = new Map(); // resultID -> resolve
  #rdpSocket = null;
  #rdpDir = null;
  #proxy = null;
  #evaluations = 0;

  static async launch(extensionDir, { headless = true, locale = null } = {}) {
    // RDP over a Unix socket: no port races, and no Nagle/delayed-ACK stalls (over
    // TCP each evaluation costs ~40 ms: Firefox sends the reply and the
    // evaluationResult as two small writes without TCP_NODELAY).
    const rdpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-rdp-'));
    const rdpSocket = path.join(rdpDir, 'rdp.sock');
    tempDirs.add(rdpDir);
    const proxy = new MitmProxy();
    const proxyPort = await proxy.listen();
    let browser;
    try {
      browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless,
      enableExtensions: true,
      acceptInsecureCerts: true, // our MITM proxy's self-signed certificate
      dumpio: !!process.env.E2E_DEBUG,
      timeout: LAUNCH_TIMEOUT,
      protocolTimeout: 30000,
      args: ['--start-debugger-server', rdpSocket],
      extraPrefsFirefox: {
        'devtools.debugger.remote-enabled': true,
        'devtools.chrome.enabled': true,
        'devtools.debugger.prompt-connection': false,
        // MV3 host permissions are optional in Firefox; make sure they are granted.
        'extensions.originControls.grantByDefault': true,
        // Every request goes to our in-process proxy (see MitmProxy).
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxyPort,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxyPort,
        'network.proxy.share_proxy_settings': true,
        'network.proxy.no_proxies_on': '',
        // Loopback goes direct: tests serve the status page from 127.0.0.1.
        'network.proxy.allow_hijacking_localhost': false,
        'network.trr.mode': 5,
        'network.dns.disablePrefetch': true,
        'network.http.http3.enable': false,
        'network.prefetch-next': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'dom.security.https_only_mode': false,
        // popup() opens the popup in a background tab: don't clamp its timers to 1 s.
        'dom.min_background_timeout_value': 4,
        'dom.min_background_timeout_value_without_budget_throttling': 4,
        'dom.timeout.enable_budget_timer_throttling': false,
        // The tests' build times its content script with performance.now() (the bench reads
        // it): at full resolution, not rounded to the millisecond.
        'privacy.reduceTimerPrecision': false,
        ...(locale ? { 'intl.locale.requested': locale, 'intl.accept_languages': locale } : {}),
      },
      });
    } catch (e) {
      await proxy.close();
      fs.rmSync(rdpDir, { recursive: true, force: true });
      throw e;
    }
    const s = new FirefoxSession('firefox', browser);
    s.#proxy = proxy;
    proxy.resolve = (url) => s.resolveRequest(url);
    s.#rdpSocket = rdpSocket;
    s.#rdpDir = rdpDir;
    try {
      s.extensionId = await withTimeout(browser.installExtension(extensionDir), LAUNCH_TIMEOUT, 'firefox: installExtension');
      await s.#connectRdp();
      await s.#ensureHostPermissions();
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  async #connectRdp() {
    const rdp = await RdpClient.connect({ path: this.#rdpSocket, timeout: LAUNCH_TIMEOUT });
    this.rdp = rdp;
    rdp.on('evaluationResult', (p) => {
      const w = this.#resultWaiters.get(p.resultID);
      if (w) {
        this.#resultWaiters.delete(p.resultID);
        w(p);
      } else {
        this.#results.set(p.resultID, p);
      }
    });
    rdp.on('target-destroyed-form', (p) => {
      if (p.target?.consoleActor === this.#consoleActor) this.#consoleActor = null;
    });
    rdp.on('target-available-form', (p) => {
      if (p.target?.url?.endsWith('/_generated_background_page.html')) this.#consoleActor = p.target.consoleActor;
    });
    const deadline = Date.now() + LAUNCH_TIMEOUT;
    let addon;
    while (!addon) {
      const { addons } = await rdp.request('root', 'listAddons');
      addon = addons.find((a) => a.id === this.extensionId);
      if (!addon) {
        if (Date.now() > deadline) throw new Error(`firefox: add-on ${this.extensionId} not listed by RDP listAddons`);
        await sleep(100);
      }
    }
    const { actor: watcher } = await rdp.request(addon.actor, 'getWatcher', { isServerTargetSwitchingEnabled: true });
    await rdp.request(watcher, 'watchTargets', { targetType: 'frame' });
    await this.#getConsoleActor(LAUNCH_TIMEOUT);
  }

  async #getConsoleActor(timeout = CALL_TIMEOUT) {
    if (this.#consoleActor) return this.#consoleActor;
    // target-available-form events arrive while watching; wait for the background one.
    const deadline = Date.now() + timeout;
    while (!this.#consoleActor) {
      if (Date.now() > deadline) throw new Error(`firefox: background page target not available within ${timeout} ms`);
      await sleep(25);
    }
    return this.#consoleActor;
  }

  // Every answer is also kept in the evaluating global (the last few): Firefox now and then
  // sends an evaluation's result packet without its result (seen once in a few hundred
  // popup calls), and the answer is then read back from there — never by evaluating again,
  // since the evaluation may have been an action that must not run twice.
  async #evaluate(text, timeout = CALL_TIMEOUT, consoleActor = null) {
    if (!this.rdp || this.rdp.closed) throw new Error('firefox: RDP connection is closed');
    consoleActor ??= await this.#getConsoleActor();
    const deadline = Date.now() + timeout;
    const slot = JSON.stringify(`e${++this.#evaluations}`);
    const kept = `(async () => {
  const __answer = await (${text});
  const __answers = (globalThis.__e2eAnswers ??= new Map());
  __answers.set(${slot}, __answer);
  if (__answers.size > 16) __answers.delete(__answers.keys().next().value);
  return __answer;
})()`;
    const packet = await this.#evaluateOnce(kept, timeout, consoleActor);
    if (packet.result !== undefined) return readGripString(this.rdp, packet.result);
    for (;;) {
      const again = await this.#evaluateOnce(`globalThis.__e2eAnswers?.get(${slot}) ?? null`, Math.max(1, deadline - Date.now()), consoleActor);
      if (again.result !== undefined && again.result?.type !== 'null') return readGripString(this.rdp, again.result);
      if (Date.now() > deadline) {
        throw new Error(`firefox: an evaluation answered without its result (packet: ${Object.keys(packet).join(', ')}), and left none behind`);
      }
      await sleep(50);
    }
  }

  /** One evaluateJSAsync: its evaluationResult packet (an exception thrown as an Error). */
  async #evaluateOnce(text, timeout, consoleActor) {
    const { resultID } = await this.rdp.request(consoleActor, 'evaluateJSAsync', { text, mapped: { await: true } }, { timeout });
    let packet = this.#results.get(resultID);
    if (packet) {
      this.#results.delete(resultID);
    } else {
      packet = await withTimeout(new Promise((resolve) => this.#resultWaiters.set(resultID, resolve)), timeout, 'firefox: background evaluation result')
        .finally(() => this.#resultWaiters.delete(resultID));
    }
    if (packet.hasException) {
      const msg = packet.exceptionMessage ?? JSON.stringify(packet.exception);
      throw new Error(`background: ${await readGripString(this.rdp, msg)}`);
    }
    return packet;
  }

  async background(fn, ...args) {
    return unwrapResult(await this.#evaluate(wrapCall(fnSource(fn), JSON.stringify(args))), 'background');
  }

  async #ensureHostPermissions() {
    // Firefox 153 grants an MV3 add-on's host_permissions at install
    // (pref extensions.originControls.grantByDefault, default true; we set it too).
    // If some are still missing (other builds/prefs), grant them from the parent
    // process like the add-ons manager would; permissions.request() can't be used
    // without a user gesture.
    const missing = () => this.background(async () => {
      const wanted = browser.runtime.getManifest().host_permissions ?? [];
      const have = (await browser.permissions.getAll()).origins ?? [];
      return wanted.filter((o) => !have.includes(o));
    });
    let origins = await missing();
    if (!origins.length) return;
    this.grantedHostPermissions = origins;
    const text = `(async () => {
  const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
  const ext = WebExtensionPolicy.getByID(${JSON.stringify(this.extensionId)}).extension;
  await ExtensionPermissions.add(${JSON.stringify(this.extensionId)}, { permissions: [], origins: ${JSON.stringify(origins)} }, ext);
  return 'ok';
})()`;
    const r = await this.#evaluateInParent(text);
    origins = await missing();
    if (origins.length) throw new Error(`firefox: host permissions not granted: ${origins.join(', ')} (grant attempt: ${r})`);
  }

  /** Evaluates `text` in Firefox's parent process (privileged). */
  async #evaluateInParent(text) {
    const { processDescriptor } = await this.rdp.request('root', 'getProcess', { id: 0 });
    const { process: parent } = await this.rdp.request(processDescriptor.actor, 'getTarget');
    return this.#evaluate(text, CALL_TIMEOUT, parent.consoleActor);
  }

  /** Puts the whole browser offline (or back online), as the File › Work Offline switch. */
  async setOffline(offline) {
    await this.#evaluateInParent(`(() => {
  Services.io.manageOfflineStatus = false;
  Services.io.offline = ${offline ? 'true' : 'false'};
  return String(Services.io.offline);
})()`);
  }

  async openPage(url, { beforeNavigate } = {}) {
    url = normalizeUrl(url);
    const before = await this.tabIds();
    const page = await this.browser.newPage();
    this.pages.add(page);
    page.once('close', () => this.pages.delete(page));
    await beforeNavigate?.({ page, cdp: null });
    // No puppeteer interception here: the proxy answers (real HTTP responses, so
    // the extension's webRequest.onHeadersReceived fires).
    await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT }).catch((e) => {
      if (/timeout/i.test(e.message)) throw new Error(`openPage(${url}): ${e.message}`);
    });
    const tabId = await this.findTabId(url, before);
    return { page, tabId };
  }

  async popup(tabId, fn, ...args) {
    const text = `(async () => {
  const __tabId = ${JSON.stringify(tabId)};
  const __url = browser.runtime.getURL('popup/popup.html?tab=' + encodeURIComponent(__tabId));
  const __tab = await browser.tabs.create({ url: __url, active: false });
  try {
    const __deadline = Date.now() + ${CALL_TIMEOUT - 500};
    let __view;
    for (;;) {
      __view = browser.extension.getViews({ type: 'tab' }).find((v) => {
        try { return v.location.href === __url && v.document.body && v.document.body.hasAttribute('data-kind'); } catch { return false; }
      });
      if (__view) break;
      if (Date.now() > __deadline) throw new Error('popup(' + __tabId + '): body[data-kind] did not appear');
      await new Promise((r) => setTimeout(r, 25));
    }
    return await ${wrapCall(fnSource(fn), `[__view, ...${JSON.stringify(args)}]`)};
  } finally {
    await browser.tabs.remove(__tab.id).catch(() => {});
  }
})()`;
    return unwrapResult(await this.#evaluate(text), 'popup');
  }

  async _beforeClose() {
    this.rdp?.close();
  }

  async close() {
    try {
      await super.close();
    } finally {
      await this.#proxy?.close();
      if (this.#rdpDir) {
        fs.rmSync(this.#rdpDir, { recursive: true, force: true });
        tempDirs.delete(this.#rdpDir);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Firefox network: an in-process HTTP(S) proxy. Firefox is configured to send
// everything through it; CONNECTs to chatgpt.com / chat.openai.com are
// terminated with a self-signed certificate (accepted via acceptInsecureCerts)
// and answered from the session's routes; everything else is refused.
// Why not WebDriver BiDi interception (puppeteer request.respond)? Firefox then
// skips webRequest.onHeadersReceived for the synthesized response (only
// onResponseStarted/onCompleted fire), and the reason phrase can't be set.

const MITM_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcojPnVEICYhkyVDj
bePPEvnEyEmXT/PNVTTmAAE7ICehRANCAAR3vq3zkYLHikWseOVfwNIfbeHJ+nDD
z+7W0PP6lcw7/Fd8sI825XBZTCO4EHSrj8D5L0ZkV6HdXyQ9oRp2APQT
-----END PRIVATE KEY-----`;
const MITM_CERT = `-----BEGIN CERTIFICATE-----
MIIBvjCCAWOgAwIBAgIUQGHZRr+NLrifLo656jKmyj8XsNYwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLY2hhdGdwdC5jb20wIBcNMjYxMTIzMDk0NjUxWhgPMjEyNjEw
MzAwOTQ2NTFaMBYxFDASBgNVBAMMC2NoYXRncHQuY29tMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEd76t85GCx4pFrHjlX8DSH23hyfpww8/u1tDz+pXMO/xXfLCP
NuVwWUwjuBB0q4/A+S9GZFeh3V8kPaEadgD0E6OBjDCBiTAdBgNVHQ4EFgQUNdwD
+21MmOpEFliI8PdGBpsH6IUwHwYDVR0jBBgwFoAUNdwD+21MmOpEFliI8PdGBpsH
6IUwDwYDVR0TAQH/BAUwAwEB/zA2BgNVHREELzAtggtjaGF0Z3B0LmNvbYINKi5j
aGF0Z3B0LmNvbYIPY2hhdC5vcGVuYWkuY29tMAoGCCqGSM49BAMCA0kAMEYCIQDn
aSGKez3e47cONuu2EhCzxer32HVrd1ze1506qPjJuQIhALyFMPHU74vMwsLcVxaK
DZrT7C7uHcAeDpH5/mNgWarl
-----END CERTIFICATE-----`;

class MitmProxy {
  resolve = () => ({ action: 'abort', reason: 'failed' });
  #server;
  #inner;
  #sockets = new Set();

  listen() {
    this.#inner = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => this.#serve(req, res, 'https'));
    this.#server = http.createServer((req, res) => this.#serve(req, res, 'http'));
    this.#server.on('connect', (req, socket, head) => this.#connect(req, socket, head));
    this.#server.on('connection', (sock) => this.#track(sock));
    this.#server.on('clientError', (err, sock) => sock.destroy());
    this.#inner.on('clientError', (err, sock) => sock.destroy());
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve(this.#server.address().port));
    });
  }

  #track(sock) {
    this.#sockets.add(sock);
    sock.on('close', () => this.#sockets.delete(sock));
    sock.on('error', () => {});
  }

  #connect(req, socket, head) {
    const [host] = String(req.url).split(':');
    if (!isChatHost(host)) {
      // Other hosts: refuse (the browser reports a proxy/connection error).
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head?.length) socket.unshift(head);
    const tlsSock = new tls.TLSSocket(socket, { isServer: true, key: MITM_KEY, cert: MITM_CERT, ALPNProtocols: ['http/1.1'] });
    tlsSock.rawSocket = socket;
    tlsSock.on('error', () => socket.destroy());
    this.#track(tlsSock);
    this.#inner.emit('connection', tlsSock);
  }

  #serve(req, res, scheme) {
    const url = scheme === 'https' ? `https://${req.headers.host}${req.url}` : req.url; // proxied http: absolute URL
    const d = this.resolve(url);
    if (d.action === 'respond') {
      const r = d.response;
      const body = Buffer.from(r.body ?? '', 'utf8');
      const headers = { 'content-type': 'text/html; charset=utf-8', ...lowerKeys(r.headers), 'content-length': String(body.length) };
      const status = r.status ?? 200;
      try {
        res.writeHead(status, r.statusText || STATUS_PHRASES[status] || 'Unknown', headers);
      } catch (e) {
        res.writeHead(500, 'Harness Error', { 'content-type': 'text/plain' });
        res.end(`bad route response: ${e.message}`);
        return;
      }
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    // abort (also 'continue', which has no meaning for http(s) here)
    const raw = req.socket.rawSocket ?? req.socket;
    if (d.reason === 'connectionclosed') raw.end(); // FIN without a response
    else if (typeof raw.resetAndDestroy === 'function') raw.resetAndDestroy(); // TCP RST
    else raw.destroy();
  }

  async close() {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await Promise.all([this.#server, this.#inner].map((srv) => srv && new Promise((r) => srv.close(() => r()))));
  }
}

function lowerKeys(h = {}) {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]));
}
