// Detection latency through the built extension: from the moment the error begins to the
// moment the extension has set the tab's badge.
//
// - A full-page error (Cloudflare 1020): from the navigation's start. The page's
//   `Date.now() - performance.now()` is its navigation start on the wall clock, the same
//   clock the background's Date.now() reads (see badge-clock.mjs).
// - A toast inserted after load: from the page's Date.now() just before the insertion (the
//   sensor reads a changed error place at once).
import { loadFixture, unique, waitForRecord } from '../../tests/e2e/support.mjs';
import { watchBadges, badgeSetAt } from './badge-clock.mjs';
import { coreMemoryBytes } from './core-memory.mjs';
import { sleep } from './runs.mjs';

const FULL_PAGE = 'cf-1020-openai-custom-page';
const TOAST = 'network-toast-network-error-occurred-inject';
const WAIT = 15000; // generous: the machine may be busy, and nothing here is a pass/fail time
const STRICT_CSP = (r) => ({ ...r, headers: { ...r.headers, 'content-security-policy': "script-src 'nonce-x'" } });

/** The cases each browser runs: Chrome has a second path, for pages whose CSP forbids WebAssembly. */
export function detectionCases(browser) {
  const cases = [
    { name: 'full-page 1020', fixture: FULL_PAGE, run: fullPage, engine: 'content' },
    { name: 'toast after load', fixture: TOAST, run: toast, engine: 'content' },
  ];
  if (browser === 'chrome') {
    cases.splice(1, 0, { name: 'full-page 1020, strict CSP', fixture: FULL_PAGE, run: fullPage, engine: 'background', change: STRICT_CSP });
  }
  return cases;
}

async function open(session, c) {
  const { url, response, fixture } = loadFixture(c.fixture);
  await session.route(url, (c.change ?? ((r) => r))(response));
  let cdp = null;
  const opened = await session.openPage(unique(url), { beforeNavigate: (p) => { cdp = p.cdp; } });
  return { ...opened, cdp, fixture };
}

function checkEngine(c, record) {
  if (record.engine !== c.engine) throw new Error(`${c.name}: the core ran in the ${record.engine}, not the ${c.engine}`);
}

/**
 * One run of a full-page case: `{ ms, afterLoadMs, coreBytes }`. afterLoadMs: the part of
 * ms after the page's load event ended (before it, the browser and the harness, which
 * answers the request, were loading the page). coreBytes: Chrome, core in the tab.
 */
async function fullPage(session, c) {
  await watchBadges(session);
  const { page, tabId, cdp, fixture } = await open(session, c);
  try {
    const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind, WAIT);
    checkEngine(c, record);
    const { navigationStart, loadEnd } = await page.evaluate(() => ({
      navigationStart: Date.now() - performance.now(),
      loadEnd: performance.getEntriesByType('navigation')[0]?.loadEventEnd || null,
    }));
    const badgeAt = await badgeSetAt(session, tabId, navigationStart - 1, WAIT);
    const coreBytes = cdp && c.engine === 'content' ? await coreMemoryBytes(cdp, session.extensionId) : null;
    const ms = badgeAt - navigationStart;
    return { ms, afterLoadMs: loadEnd === null ? null : ms - loadEnd, coreBytes };
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
    const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind, WAIT);
    checkEngine(c, record);
    return { ms: badgeAt - insertedAt, afterLoadMs: badgeAt - insertedAt };
  } finally {
    await page.close().catch(() => {});
  }
}
