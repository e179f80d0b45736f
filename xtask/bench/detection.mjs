// Detection latency through the built extension: from the moment the error begins to the
// moment the extension has set the tab's badge.
//
// - A full-page error (Cloudflare 1020): from the navigation's start. The page's
//   `Date.now() - performance.now()` is its navigation start on the wall clock, the same
//   clock the background's Date.now() reads (see badge-clock.mjs). Two times: the first
//   badge (from the response's status and headers, at the document's commit) and the page's
//   own (its code, once the sensor has read it).
// - The same 1020 with the background's service worker cold (Chrome stopped it, as it does
//   after 30 s idle; the first event of the page load wakes it): the first badge, read from
//   an extension page that polls the tab's badge (a stopped worker loses the wrapper that
//   badge-clock.mjs installs, and installing it would wake the worker). Chrome only: Firefox's
//   background is an event page the harness keeps alive through its debugging protocol.
// - A toast inserted after load: from the page's Date.now() just before the insertion (the
//   sensor reads a changed error place at once).
import { loadFixture, unique, waitForRecord } from '../../tests/e2e/support.mjs';
import { watchBadges, badgeSetAt } from './badge-clock.mjs';
import { coreMemoryBytes, loadCoreInNode } from './core-memory.mjs';
import { sleep } from './runs.mjs';

let nodeCore = null;
/** The core, in Node, to know the badge the page's own diagnosis draws. */
const core = async () => (nodeCore ??= await loadCoreInNode());

const FULL_PAGE = 'cf-1020-openai-custom-page';
const TOAST = 'network-toast-network-error-occurred-inject';
const WAIT = 15000; // generous: the machine may be busy, and nothing here is a pass/fail time

/**
 * The cases `browser` runs; `only` (BENCH_ONLY): just those whose name contains it.
 */
export function detectionCases(browser, only = '') {
  return [
    { name: 'full-page 1020', fixture: FULL_PAGE, run: fullPage },
    ...(browser === 'chrome' ? [{ name: COLD, fixture: FULL_PAGE, run: coldFullPage }] : []),
    { name: 'toast after load', fixture: TOAST, run: toast },
  ].filter((c) => c.name.includes(only));
}

export const COLD = 'full-page 1020, worker cold';

async function open(session, c) {
  const { url, response, fixture } = loadFixture(c.fixture);
  await session.route(url, response);
  let cdp = null;
  const opened = await session.openPage(unique(url), { beforeNavigate: (p) => { cdp = p.cdp; } });
  return { ...opened, cdp, fixture };
}

/**
 * One run of a full-page case: `{ ms, afterLoadMs, coreBytes }`. afterLoadMs: the part of
 * ms after the page's load event ended (negative: the badge was set before it). coreBytes:
 * Chrome, the WebAssembly memory in the tab.
 */
async function fullPage(session, c) {
  await watchBadges(session);
  const { page, tabId, cdp, fixture } = await open(session, c);
  try {
    const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind, WAIT);
    const { navigationStart, loadEnd } = await page.evaluate(() => ({
      navigationStart: Date.now() - performance.now(),
      loadEnd: performance.getEntriesByType('navigation')[0]?.loadEventEnd || null,
    }));
    // The first badge (from the response's headers, if they told) and the page's own.
    const firstAt = await badgeSetAt(session, tabId, navigationStart - 1, WAIT, { keep: true });
    const finalAt = await badgeSetAt(session, tabId, navigationStart - 1, WAIT, { text: (await core()).badge(record.diagnosis).text });
    const coreBytes = cdp ? await coreMemoryBytes(cdp) : null;
    const ms = firstAt - navigationStart;
    const finalMs = finalAt - navigationStart;
    const afterLoad = (t) => (loadEnd === null ? null : t - loadEnd);
    return { ms, afterLoadMs: afterLoad(ms), finalMs, finalAfterLoadMs: afterLoad(finalMs), coreBytes };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * An extension page (the built manifest.json, shown as text: it runs nothing and asks the
 * background nothing) that notes, for every tab, the first moment its badge is not empty.
 * Polled tightly: the reading is at most one getBadgeText round trip late (well under 1 ms).
 */
async function badgePoller(session) {
  const page = await session.browser.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/manifest.json`);
  await page.evaluate(() => {
    window.__firstBadge = {};
    window.__polling = true;
    (async () => {
      while (window.__polling) {
        const tabs = await chrome.tabs.query({});
        for (const t of tabs) {
          if (window.__firstBadge[t.id]) continue;
          const text = await chrome.action.getBadgeText({ tabId: t.id }).catch(() => '');
          if (text) window.__firstBadge[t.id] = { at: Date.now(), text };
        }
      }
    })();
  });
  return page;
}

/** One run of the full-page case with the worker stopped just before the navigation. */
async function coldFullPage(session, c) {
  const poller = await badgePoller(session);
  try {
    const { url, response, fixture } = loadFixture(c.fixture);
    await session.route(url, response);
    // Stopped after openPage has listed the tabs (which asks the background), right
    // before the navigation: nothing else wakes the worker until the page's first event.
    // A mark in the running worker: gone afterwards only if the worker really started anew.
    const stop = async () => {
      await session.background(() => { globalThis.__benchWarm = true; });
      await session.stopBackground();
    };
    const { page, tabId } = await session.openPage(unique(url), { beforeNavigate: stop });
    try {
      const { navigationStart, loadEnd } = await page.evaluate(() => ({
        navigationStart: Date.now() - performance.now(),
        loadEnd: performance.getEntriesByType('navigation')[0]?.loadEventEnd || null,
      }));
      const deadline = Date.now() + WAIT;
      let first = null;
      while (!(first = await poller.evaluate((id) => window.__firstBadge[id] ?? null, tabId))) {
        if (Date.now() > deadline) throw new Error(`tab ${tabId}: no badge within ${WAIT} ms (worker cold)`);
        await sleep(25);
      }
      // The page was recognised for what it is, not only badged.
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind, WAIT);
      if (await session.background(() => globalThis.__benchWarm === true)) throw new Error('the worker was not stopped');
      const ms = first.at - navigationStart;
      return { ms, afterLoadMs: loadEnd === null ? null : first.at - (navigationStart + loadEnd) };
    } finally {
      await page.close().catch(() => {});
    }
  } finally {
    await poller.evaluate(() => { window.__polling = false; }).catch(() => {});
    await poller.close().catch(() => {});
  }
}

/** One run of the toast case: `{ ms }` from insertion to badge (all of it after load). */
async function toast(session, c) {
  await watchBadges(session);
  const { page, tabId, fixture } = await open(session, c);
  try {
    await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', WAIT);
    await sleep(200); // the load-time reads are over; what follows is the mutation path
    const insertedAt = await page.evaluate(({ html, into }) => {
      const at = Date.now();
      document.querySelector(into).insertAdjacentHTML('beforeend', html);
      return at;
    }, fixture.inject);
    const badgeAt = await badgeSetAt(session, tabId, insertedAt, WAIT);
    await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind, WAIT);
    return { ms: badgeAt - insertedAt, afterLoadMs: badgeAt - insertedAt };
  } finally {
    await page.close().catch(() => {});
  }
}
