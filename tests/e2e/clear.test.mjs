// The three "clear" tiers, through the built extension: each asks first (and removes nothing
// until confirmed), removes exactly what its confirmation says, takes a double click as one
// clear and one reload, and leaves every other site's cookies and storage alone.
//
// Seeded before each tier: on chatgpt.com localStorage, sessionStorage, an IndexedDB database
// and a Cache Storage entry (from the page), and cookies (from the background, which has the
// host permissions): Cloudflare's, the login's, another of ChatGPT's, partitioned ones, on
// chat.openai.com, on openai.com and on auth.openai.com; on an unrelated site (plain http,
// which both browsers' harnesses answer for any host) a cookie named like Cloudflare's,
// localStorage and IndexedDB.
import { describe, test, before, after } from './bounded.mjs';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browsersUnderTest } from './harness.mjs';
import { loadFixture, startBrowser, unique, waitForRecord, startStatusServer, setOptions, popupAction, extensionDir } from './support.mjs';

const UNRELATED = 'http://unrelated.test/';
// A page on the other ChatGPT host, for its storage (the tab with the error is on chatgpt.com).
const CHAT_OPENAI = 'https://chat.openai.com/e2e-storage';
const TINY_PAGE = (title) => ({ status: 200, headers: { 'content-type': 'text/html' }, body: `<!doctype html><title>${title}</title><p>${title}</p>` });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(check, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await sleep(50);
  }
}

// The cookies seeded, as `host name` (partitioned ones marked), and which tier takes which.
const CF = ['chatgpt.com cf_clearance', 'chatgpt.com __cf_bm', 'chatgpt.com _cfuvid', 'chat.openai.com cf_clearance', 'openai.com __cf_bm'];
const CF_PARTITIONED = ['chatgpt.com __cf_bm (partitioned)'];
const CHATGPT_OTHER = ['chatgpt.com __Secure-next-auth.session-token', 'chatgpt.com oai-did', 'chat.openai.com _puid'];
const CHATGPT_OTHER_PARTITIONED = ['chatgpt.com oai-sc (partitioned)'];
const LOGIN = ['openai.com auth_session', 'auth.openai.com auth0'];

const TIERS = [
  {
    action: 'clear_cloudflare_cookies',
    // A Cloudflare challenge offers this tier first.
    fixture: 'cf-challenge-verify-human-turnstile-2024',
    kind: 'cloudflare_challenge',
    texts: ['clear_removes_cloudflare_cookies', 'clear_removes_shared_openai_cloudflare_cookies', 'clear_keeps_login', 'clear_keeps_other_sites', 'clear_cost_cloudflare_check'],
    cookiesGone: [...CF, ...CF_PARTITIONED],
    storageGone: false,
  },
  {
    action: 'clear_site_data',
    fixture: 'app-error-toast-something-went-wrong',
    kind: 'app_error',
    texts: ['clear_removes_chatgpt_cookies', 'clear_removes_chatgpt_storage', 'clear_removes_shared_openai_cloudflare_cookies', 'clear_keeps_other_sites', 'clear_cost_logout_chatgpt'],
    // Everything of ChatGPT's, and (as the tier before) Cloudflare's cookie on openai.com.
    cookiesGone: [...CF, ...CF_PARTITIONED, ...CHATGPT_OTHER, ...CHATGPT_OTHER_PARTITIONED],
    storageGone: true,
  },
  {
    action: 'full_reset',
    fixture: 'app-error-toast-something-went-wrong',
    kind: 'app_error',
    texts: ['clear_removes_chatgpt_cookies', 'clear_removes_chatgpt_storage', 'clear_removes_openai_login', 'clear_removes_shared_openai_cloudflare_cookies', 'clear_keeps_other_sites', 'clear_cost_logout_openai'],
    cookiesGone: [...CF, ...CF_PARTITIONED, ...CHATGPT_OTHER, ...CHATGPT_OTHER_PARTITIONED, ...LOGIN],
    storageGone: true,
  },
];

for (const browser of browsersUnderTest()) {
  describe(`${browser}: clear site data`, () => {
    let session;
    let status;
    let messages;
    before(async () => {
      session = await startBrowser(browser);
      status = await startStatusServer();
      await setOptions(session, { status_endpoint: status.url('operational.json') });
      await session.route(UNRELATED, TINY_PAGE('Another site'));
      await session.route(CHAT_OPENAI, TINY_PAGE('Storage'));
      messages = JSON.parse(fs.readFileSync(path.join(extensionDir(browser), '_locales', 'en', 'messages.json'), 'utf8'));
    });
    after(async () => {
      await session?.close();
      await status?.close();
    });

    const text = (key) => messages[key].message;

    /** Sets the cookies; returns whether partitioned ones could be set. */
    async function seedCookies(stamp) {
      const result = await session.background(async (stamp) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const base = { value: stamp, secure: true, sameSite: 'no_restriction', expirationDate: Math.floor(Date.now() / 1000) + 3600 };
        const plain = [
          { url: 'https://chatgpt.com/', name: 'cf_clearance', domain: '.chatgpt.com', httpOnly: true },
          { url: 'https://chatgpt.com/', name: '__cf_bm', domain: '.chatgpt.com', httpOnly: true },
          { url: 'https://chatgpt.com/', name: '_cfuvid', domain: '.chatgpt.com', httpOnly: true },
          { url: 'https://chatgpt.com/', name: '__Secure-next-auth.session-token', httpOnly: true, sameSite: 'lax' },
          { url: 'https://chatgpt.com/', name: 'oai-did', domain: '.chatgpt.com' },
          { url: 'https://chat.openai.com/', name: 'cf_clearance', httpOnly: true },
          { url: 'https://chat.openai.com/', name: '_puid' },
          { url: 'https://openai.com/', name: '__cf_bm', domain: '.openai.com', httpOnly: true },
          { url: 'https://openai.com/', name: 'auth_session', domain: '.openai.com', httpOnly: true, sameSite: 'lax' },
          { url: 'https://auth.openai.com/', name: 'auth0', httpOnly: true, sameSite: 'lax' },
        ];
        for (const c of plain) {
          if (!(await api.cookies.set({ ...base, ...c }))) throw new Error(`cookie ${c.name} on ${c.url} not set`);
        }
        // chatgpt.com's cookies as a third party under another site (an embed): partitioned.
        const partitionKey = { topLevelSite: 'https://example.com' };
        try {
          for (const name of ['__cf_bm', 'oai-sc']) {
            if (!(await api.cookies.set({ ...base, url: 'https://chatgpt.com/', name, partitionKey }))) return { partitioned: false, why: 'null' };
          }
        } catch (e) {
          return { partitioned: false, why: e.message };
        }
        return { partitioned: true };
      }, stamp);
      // Chrome has partitioned cookies (CHIPS): they must be covered there.
      if (browser === 'chrome') assert.equal(result.partitioned, true, `partitioned cookie not set: ${result.why}`);
      return result.partitioned;
    }

    /** Every cookie the extension can see on the ChatGPT and OpenAI hosts, as `host name`. */
    function cookies() {
      return session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        const all = async (domain) => {
          try {
            return await api.cookies.getAll({ domain, partitionKey: {} });
          } catch {
            return api.cookies.getAll({ domain });
          }
        };
        const found = [...(await all('chatgpt.com')), ...(await all('openai.com'))];
        return found.map((c) => `${c.domain.replace(/^\./, '')} ${c.name}${c.partitionKey?.topLevelSite ? ' (partitioned)' : ''}`).sort();
      });
    }

    // In the page (no closure over Node values): writes and reads the page's own stores.
    const seedPage = async (stamp, withCache) => {
      localStorage.setItem('e2e', stamp);
      sessionStorage.setItem('e2e', stamp);
      await new Promise((resolve, reject) => {
        const open = indexedDB.open('e2e-db', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('things');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('things', 'readwrite');
          tx.objectStore('things').put(stamp, 'stamp');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      if (withCache) await (await caches.open('e2e-cache')).put('/e2e-cached', new Response(stamp));
      if (location.protocol === 'http:') document.cookie = `cf_clearance=${stamp}; path=/; max-age=3600`;
      window.__e2eSeeded = true;
      return true;
    };
    const readPage = async () => {
      const idb = await new Promise((resolve) => {
        // indexedDB.databases() is in both browsers; opening would create the database.
        indexedDB.databases().then((dbs) => resolve(dbs.some((d) => d.name === 'e2e-db')), () => resolve(null));
      });
      return {
        local: localStorage.getItem('e2e'),
        session: sessionStorage.getItem('e2e'),
        idb,
        cache: typeof caches === 'undefined' ? null : await caches.has('e2e-cache'),
        cookie: document.cookie,
        reloaded: !window.__e2eSeeded,
      };
    };

    // Two reloads asked in the same instant load the page once: the spy counts the asks (in
    // the background, where the extension calls `tabs.reload`), the harness the loads.
    function spyOnReloads() {
      return session.background(() => {
        const api = globalThis.browser ?? globalThis.chrome;
        if (!api.tabs.reload.e2eSpy) {
          const original = api.tabs.reload;
          const spy = function (...args) {
            globalThis.e2eReloads?.push(args[0]);
            return original.apply(this, args);
          };
          spy.e2eSpy = true;
          api.tabs.reload = spy;
        }
        globalThis.e2eReloads = [];
        return true;
      });
    }
    // The browsingData calls the clear makes, and the cookie store of the tab it is for.
    function spyOnBrowsingData() {
      return session.background(() => {
        const api = globalThis.browser ?? globalThis.chrome;
        if (!api.browsingData.remove.e2eSpy) {
          const original = api.browsingData.remove;
          const spy = function (...args) {
            globalThis.e2eRemovals?.push(JSON.parse(JSON.stringify(args[0])));
            return original.apply(this, args);
          };
          spy.e2eSpy = true;
          api.browsingData.remove = spy;
        }
        globalThis.e2eRemovals = [];
        return true;
      });
    }
    const removalsAndStore = (tabId) =>
      session.background(async (tabId) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const tab = await api.tabs.get(tabId);
        return { removals: globalThis.e2eRemovals ?? 'the spy is gone', store: tab.cookieStoreId ?? null };
      }, tabId);

    const reloadsAsked = (tabId) =>
      session.background((tabId) => (globalThis.e2eReloads ? globalThis.e2eReloads.filter((id) => id === tabId).length : 'the spy is gone'), tabId);

    /** Opens `url` in a new tab, runs `fn` in it, closes it. */
    async function inPage(url, fn, ...args) {
      const { page } = await session.openPage(unique(url));
      try {
        return await page.evaluate(fn, ...args);
      } finally {
        await page.close();
      }
    }

    test('two asks at once (two popups) clear once', async () => {
      const { url, response } = loadFixture(TIERS[0].fixture);
      await session.route(url, response);
      const { page, tabId } = await session.openPage(unique(url));
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === TIERS[0].kind);
      await spyOnReloads();
      const hitsBefore = session.hits(url);
      const replies = await session.popup(tabId, (win, tabId, action) => {
        const api = win.browser ?? win.chrome;
        const ask = () => api.runtime.sendMessage({ type: win.PROTOCOL.POPUP_TO_BACKGROUND_ACTION, tabId, action });
        return Promise.all([ask(), ask()]);
      }, tabId, TIERS[0].action);
      assert.deepEqual(replies[0], replies[1]);
      assert.equal(replies[0].tier, 'cloudflare_cookies');
      await until(() => Promise.resolve(session.hits(url) > hitsBefore), 'the reload');
      await sleep(1500);
      assert.equal(await reloadsAsked(tabId), 1, 'cleared and reloaded more (or less) than once');
      assert.equal(session.hits(url), hitsBefore + 1);
      await page.close();
    });

    for (const tier of TIERS) {
      test(`${tier.action}: asks first, then removes exactly its scope, once`, async () => {
        const stamp = `s${Date.now().toString(36)}`;

        // The unrelated site's data, and chat.openai.com's.
        await inPage(UNRELATED, seedPage, stamp, false);
        await inPage(CHAT_OPENAI, seedPage, stamp, true);

        // ChatGPT's data, in the tab that shows the error.
        const { url, response } = loadFixture(tier.fixture);
        await session.route(url, response);
        const { page, tabId } = await session.openPage(unique(url));
        await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === tier.kind);
        await page.evaluate(seedPage, stamp, true);
        const partitioned = await seedCookies(stamp);
        const seeded = await cookies();
        const expectedGone = tier.cookiesGone.filter((c) => partitioned || !c.endsWith('(partitioned)'));
        for (const c of expectedGone) assert.ok(seeded.includes(c), `seeded ${c}: ${seeded}`);
        const seededPage = await page.evaluate(readPage);
        assert.deepEqual(seededPage, { local: stamp, session: stamp, idb: true, cache: true, cookie: seededPage.cookie, reloaded: false });

        // One click: the confirmation lists what goes, what stays and the cost; nothing goes.
        const hitsBefore = session.hits(url);
        const asked = await popupAction(session, tabId, tier.action, { clicks: 1, confirms: 0 });
        assert.equal(asked.confirmShown, true, 'no confirmation');
        for (const key of tier.texts) assert.ok(asked.confirmText.includes(text(key)), `confirmation lacks "${text(key)}": ${asked.confirmText}`);
        assert.equal(asked.result, '');
        await sleep(1500);
        assert.deepEqual(await cookies(), seeded, 'cookies went before the confirmation');
        assert.deepEqual(await page.evaluate(readPage), seededPage, 'page data went before the confirmation');
        assert.equal(session.hits(url), hitsBefore, 'reloaded before the confirmation');

        // A double click, confirmed twice: one clear, one reload.
        await spyOnReloads();
        await spyOnBrowsingData();
        const done = await popupAction(session, tabId, tier.action, { clicks: 2, confirms: 2 });
        assert.equal(done.result, text('result_cleared'));
        const after = await until(async () => {
          const r = await page.evaluate(readPage);
          return r.reloaded && (await page.evaluate(() => document.readyState)) === 'complete' ? r : null;
        }, 'the reload');
        await sleep(1500); // a second clear would reload again by now
        assert.equal(session.hits(url), hitsBefore + 1, 'loaded more (or less) than once');
        assert.equal(await reloadsAsked(tabId), 1, 'cleared and reloaded more (or less) than once');

        // Only the tab's own store: Firefox's calls carry its cookieStoreId (else they would
        // clear every container's data); Chrome's (a normal window) clear by origin.
        const { removals, store } = await removalsAndStore(tabId);
        assert.ok(Array.isArray(removals), `browsingData spy: ${removals}`);
        assert.equal(removals.length > 0, tier.storageGone, `browsingData calls: ${JSON.stringify(removals)}`);
        for (const options of removals) {
          if (browser === 'firefox') assert.equal(options.cookieStoreId, store, `a call beyond the tab's store: ${JSON.stringify(options)}`);
          else assert.ok(!('cookieStoreId' in options) && Array.isArray(options.origins), JSON.stringify(options));
        }

        if (tier.storageGone) {
          assert.deepEqual(after, { local: null, session: null, idb: false, cache: false, cookie: '', reloaded: true }, 'chatgpt.com storage left');
        } else {
          assert.deepEqual(
            { local: after.local, session: after.session, idb: after.idb, cache: after.cache },
            { local: stamp, session: stamp, idb: true, cache: true },
            'chatgpt.com storage touched by the Cloudflare tier',
          );
        }

        const left = await cookies();
        const expectedLeft = seeded.filter((c) => !expectedGone.includes(c));
        assert.deepEqual(left, expectedLeft, `cookies left after ${tier.action}`);

        // chat.openai.com's storage went with chatgpt.com's. Firefox clears Cache Storage only
        // from the page in the tab (its browsingData has no such type), so not this one's.
        const chatOpenai = await inPage(CHAT_OPENAI, readPage);
        if (tier.storageGone) {
          assert.deepEqual({ local: chatOpenai.local, idb: chatOpenai.idb }, { local: null, idb: false }, 'chat.openai.com storage left');
          if (browser === 'chrome') assert.equal(chatOpenai.cache, false, 'chat.openai.com Cache Storage left');
        } else {
          assert.deepEqual(
            { local: chatOpenai.local, idb: chatOpenai.idb, cache: chatOpenai.cache },
            { local: stamp, idb: true, cache: true },
            'chat.openai.com storage touched by the Cloudflare tier',
          );
        }

        // The unrelated site kept everything, its Cloudflare-named cookie included.
        const kept = await inPage(UNRELATED, readPage);
        assert.equal(kept.local, stamp, 'unrelated localStorage');
        assert.equal(kept.idb, true, 'unrelated IndexedDB');
        assert.match(kept.cookie, new RegExp(`(^|; )cf_clearance=${stamp}($|;)`), 'unrelated cookie');
        await page.close();
      });
    }
  });
}
