// Detection latency through the built extension: from the moment the error begins to the
// moment the extension has set the tab's badge.
//
// - A full-page error (Cloudflare 1020): from the navigation's start. The page's
//   `Date.now() - performance.now()` is its navigation start on the wall clock, the same
//   clock the background's Date.now() reads (see badge-clock.mjs). Two times: the first
//   badge (from the response's status and headers, at the document's commit) and the page's
//   own (its code, once the sensor has read it).
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

/** The cases each browser runs. */
export function detectionCases() {
  return [
    { name: 'full-page 1020', fixture: FULL_PAGE, run: fullPage },
    { name: 'toast after load', fixture: TOAST, run: toast },
  ];
}

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
