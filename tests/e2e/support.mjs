// What every e2e test file shares: where the built extension and the fixtures are, one
// browser session per browser, and reading what the extension decided for a tab.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, fixtureResponse } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(root, 'tests', 'fixtures');

export function extensionDir(browser) {
  const dir = path.join(root, 'dist', browser);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`${dir} is not built: run \`cargo xtask build\` first`);
  }
  return dir;
}

export function fixtureNames() {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export const loadFixture = (name) => fixtureResponse(FIXTURES, name);

export const startBrowser = (browser) => launch(browser, { extensionDir: extensionDir(browser) });

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
