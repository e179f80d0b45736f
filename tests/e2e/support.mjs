// What every e2e test file shares: where the built extension and the fixtures are, one
// browser session per browser, and reading what the extension decided for a tab.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, fixtureResponse } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(root, 'tests', 'fixtures');

// The tests' build (`cargo xtask test` makes it): it may read OpenAI's status from the tests'
// own server on 127.0.0.1, which the store build in dist/<browser> never does.
export function extensionDir(browser) {
  const dir = path.join(root, 'dist', 'test', browser);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`${dir} is not built: run \`cargo xtask test\` (or the build of its first steps) first`);
  }
  return dir;
}

/** The core's numbers, as the build wrote them next to the sensor spec (`POLICY`). */
export function policy(browser = 'chrome') {
  const text = fs.readFileSync(path.join(extensionDir(browser), 'generated', 'core-data.js'), 'utf8');
  // The file as a classic script sees it, with a global object of its own.
  const scope = {};
  new Function('globalThis', text)(scope);
  return scope.POLICY;
}

export function fixtureNames() {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export const loadFixture = (name) => fixtureResponse(FIXTURES, name);

export const startBrowser = (browser, { headless = true, locale = null } = {}) =>
  launch(browser, { extensionDir: extensionDir(browser), headless, locale });

let counter = 0;
/** Each page gets its own URL, so the harness can tell tabs apart. */
export function unique(url) {
  const u = new URL(url);
  u.searchParams.set('e2e', `${Date.now().toString(36)}-${counter++}`);
  return u.toString();
}

/** The tab's record ({diagnosis, engine, url, at}) once `accept(record)` holds. */
export function waitForRecord(session, tabId, accept, timeout = 5000) {
  return session
    .waitForBackground(async (tabId) => {
      const api = globalThis.browser ?? globalThis.chrome;
      const key = `tab:${tabId}`;
      return (await api.storage.session.get(key))[key] ?? null;
    }, [tabId], { timeout, interval: 25 })
    .then(async (first) => {
      const deadline = Date.now() + timeout;
      let record = first;
      while (!accept(record)) {
        if (Date.now() > deadline) {
          throw new Error(`tab ${tabId}: record never matched; last ${JSON.stringify(record?.diagnosis?.kind)} ${JSON.stringify(record)}`.slice(0, 1500));
        }
        await new Promise((r) => setTimeout(r, 25));
        record = await session.background(async (tabId) => {
          const api = globalThis.browser ?? globalThis.chrome;
          const key = `tab:${tabId}`;
          return (await api.storage.session.get(key))[key] ?? null;
        }, tabId);
      }
      return record;
    });
}

/**
 * The tab meets its page again (a reload): a challenge met once is Cloudflare's everyday
 * check, met again by the same tab it is not. Resolves to the reloaded page's record.
 */
export async function meetAgain(session, page, tabId, kind) {
  const before = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === kind);
  await page.reload({ waitUntil: 'load' }).catch(() => {});
  return waitForRecord(session, tabId, (r) => r?.at > before.at && r?.diagnosis?.kind === kind, 10000);
}

/**
 * Every tab's retries share one reload budget (a few a minute): each test starts as if the
 * extension had reloaded nothing lately, so one test's reloads do not delay the next's.
 */
export const forgetRetryBudget = (session) =>
  session.background(() => (globalThis.browser ?? globalThis.chrome).storage.session.remove('retry-budget'));

export const badgeText = (session, tabId) =>
  session.background((tabId) => (globalThis.browser ?? globalThis.chrome).action.getBadgeText({ tabId }), tabId);

/** Appends `html` to the first element matching `into`, as the app would. */
export async function inject(page, { html, into }) {
  const ok = await page.evaluate((html, into) => {
    const target = document.querySelector(into);
    if (!target) return false;
    target.insertAdjacentHTML('beforeend', html);
    return true;
  }, html, into);
  if (!ok) throw new Error(`inject: no element matches ${into}`);
}

/**
 * OpenAI's status page, served locally: `/operational.json`, `/incident.json` (from
 * tests/fixtures/status/; Cloudflare's as `/cloudflare-….json`, its trace as `/trace-….txt`), `/error` (HTTP 500), `/garbage` (not JSON) and `/slow` (answers
 * after 8 s, longer than the extension waits).
 */
export async function startStatusServer() {
  const http = await import('node:http');
  const dir = path.join(FIXTURES, 'status');
  const timers = new Set();
  const server = http.createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const name = req.url.split('?')[0].slice(1);
    if (name === 'error') {
      res.writeHead(500, { ...cors, 'content-type': 'text/html' }).end('<h1>500 Internal Server Error</h1>');
    } else if (name === 'garbage') {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(fs.readFileSync(path.join(dir, 'garbage.txt')));
    } else if (name === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(fs.readFileSync(path.join(dir, 'incident.json')));
      }, 8000);
      timers.add(timer);
    } else if (/^[a-z-]+\.json$/.test(name) && fs.existsSync(path.join(dir, name))) {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(fs.readFileSync(path.join(dir, name)));
    } else if (/^trace-[a-z]+\.txt$/.test(name) && fs.existsSync(path.join(dir, name))) {
      // Cloudflare's trace of a connection, as /cdn-cgi/trace answers it.
      res.writeHead(200, { ...cors, 'content-type': 'text/plain' }).end(fs.readFileSync(path.join(dir, name)));
    } else {
      res.writeHead(404, cors).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: (name) => `${base}/${name}`,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Stores the extension's options (merged over what is stored) and forgets any status reading.
 * A local OpenAI status brings a calm local Cloudflare status and a plain trace with it, unless
 * the test names its own: no test depends on the real Cloudflare's day or this machine's
 * connection.
 */
export function setOptions(session, options) {
  const local = /^http:\/\/127\.0\.0\.1:\d+\//.exec(options.status_endpoint ?? '')?.[0];
  if (local) {
    options = {
      cloudflare_status_endpoint: `${local}cloudflare-operational.json`,
      trace_endpoint: `${local}trace-de.txt`,
      ...options,
    };
  }
  return session.background(async (options) => {
    const api = globalThis.browser ?? globalThis.chrome;
    const stored = (await api.storage.local.get('settings')).settings ?? {};
    await api.storage.local.set({ settings: { ...stored, ...options } });
    await api.storage.session.remove(['status', 'cloudflare-status', 'trace']);
  }, options);
}

/** The tab's retry run, or null. */
export const retryRunOf = (session, tabId) =>
  session.background(async (tabId) => {
    const api = globalThis.browser ?? globalThis.chrome;
    return (await api.storage.session.get(`retry:${tabId}`))[`retry:${tabId}`] ?? null;
  }, tabId);

/**
 * Opens the popup for the tab, waits until it has read OpenAI's status, clicks the action's
 * button `clicks` times (as fast as a double click), confirms `confirms` times when the
 * action asks, waits for the popup to say something, and returns what the popup showed.
 */
export function popupAction(session, tabId, action, { clicks = 1, confirms = 0 } = {}) {
  return session.popup(tabId, async (win, action, clicks, confirms) => {
    const doc = win.document;
    const until = async (ok, what) => {
      const deadline = Date.now() + 8000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`popup: ${what} did not happen`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => doc.body.dataset.ready === 'true', 'ready');
    const button = doc.querySelector(`[data-action="${action}"]`);
    if (!button) throw new Error(`popup: no ${action} button; has ${[...doc.querySelectorAll('[data-action]')].map((b) => b.dataset.action)}`);
    for (let i = 0; i < clicks; i++) button.click();
    const confirmShown = !doc.getElementById('confirm').hidden;
    for (let i = 0; i < confirms; i++) doc.getElementById('confirm-yes').click();
    if (clicks > 0 && (confirms > 0 || !confirmShown)) {
      await until(() => Number(doc.body.dataset.actionsDone ?? 0) > 0, 'the action to finish');
    }
    return {
      result: doc.getElementById('action-result').textContent,
      confirmShown,
      confirmText: doc.getElementById('confirm').innerText,
      copied: doc.getElementById('copy-text').value,
      retry: doc.body.dataset.retry,
      countdown: doc.getElementById('countdown').textContent,
    };
  }, action, clicks, confirms);
}

/** What the popup shows once it has read OpenAI's status. */
export function popupView(session, tabId) {
  return session.popup(tabId, async (win) => {
    const doc = win.document;
    const deadline = Date.now() + 9000;
    while (doc.body.dataset.ready !== 'true') {
      if (Date.now() > deadline) throw new Error('popup: never ready');
      await new Promise((r) => setTimeout(r, 20));
    }
    const actions = [...doc.querySelectorAll('#actions [data-action]')].map((b) => b.dataset.action);
    const more = [...doc.querySelectorAll('#more-actions [data-action]')].map((b) => b.dataset.action);
    return {
      kind: doc.body.dataset.kind,
      status: doc.body.dataset.status,
      statusLine: doc.getElementById('status-line').hidden ? '' : doc.getElementById('status-line').textContent,
      actions,
      more,
      primary: doc.querySelector('#actions button.primary')?.dataset.action ?? null,
      hints: [...doc.querySelectorAll('#hints li')].map((li) => li.textContent),
    };
  });
}

/** Routes a fixture's URL to its page and opens it in a new tab: `{page, tabId, url, fixture}`. */
export async function openFixture(session, name, change = (r) => r) {
  const { url, response, fixture } = loadFixture(name);
  await session.route(url, change(response));
  return { ...(await session.openPage(unique(url))), url, fixture };
}

/**
 * Chrome: the id of the execution context of `extensionId`'s content scripts in the tab of
 * `cdp` (the page's CDP session), to read what the sensor's own world holds.
 */
export async function contentScriptWorld(cdp, extensionId) {
  const contexts = [];
  const collect = (e) => contexts.push(e.context);
  cdp.on('Runtime.executionContextCreated', collect);
  try {
    await cdp.send('Runtime.enable'); // replays the live contexts
  } finally {
    cdp.off('Runtime.executionContextCreated', collect);
  }
  await cdp.send('Runtime.disable');
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${extensionId}`);
  if (!world) throw new Error(`no content-script world of ${extensionId} in this tab (saw ${contexts.map((c) => c.origin).join(', ')})`);
  return world.id;
}

/** The card's host element: the page sees only this, never what the card found. */
export const CARD = 'error-doctor-card';

/**
 * What the card shows inside its closed root (`data-kind`, `data-state`, `data-action` on its
 * bar), read the way only a test can: Chrome's debugging protocol and WebDriver BiDi both
 * reach closed shadow roots; the page's own scripts never do. Null without a card.
 */
export async function cardInside(page) {
  if (page.browser().protocol === 'cdp') {
    const cdp = await page.createCDPSession();
    try {
      const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
      const find = (node, test) => {
        if (test(node)) return node;
        for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
          const found = find(child, test);
          if (found) return found;
        }
        return null;
      };
      const host = find(root, (n) => n.localName === CARD);
      const bar = host && find(host, (n) => (n.attributes ?? []).includes('data-state'));
      if (!bar) return null;
      const attrs = {};
      for (let i = 0; i < bar.attributes.length; i += 2) attrs[bar.attributes[i]] = bar.attributes[i + 1];
      return attrs;
    } finally {
      await cdp.detach().catch(() => {});
    }
  }
  const answer = await page.browser().connection.send('script.evaluate', {
    expression: `document.querySelector(${JSON.stringify(CARD)})`,
    target: { context: page.mainFrame()._id },
    awaitPromise: false,
    resultOwnership: 'none',
    serializationOptions: { maxDomDepth: 3, includeShadowTree: 'all' },
  });
  const find = (value) => {
    if (!value || typeof value !== 'object') return null;
    if (value.attributes?.['data-state'] !== undefined) return value.attributes;
    for (const child of [value.shadowRoot?.value, ...(value.children ?? []).map((c) => c.value)]) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  };
  const result = answer.result?.result ?? answer.result;
  return result?.type === 'node' ? find(result.value) : null;
}

/** Waits until the card inside its closed root shows `kind` (Chrome and Firefox). */
export async function waitForCard(page, kind, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const inside = await cardInside(page).catch(() => null);
    if (inside?.['data-kind'] === kind) return inside;
    if (Date.now() > deadline) throw new Error(`no ${kind} card: last ${JSON.stringify(inside)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads `check` until it gives a truthy value (returned), or fails naming `what`. */
export async function until(check, what, timeout = 10000, every = 50) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, every));
  }
}
