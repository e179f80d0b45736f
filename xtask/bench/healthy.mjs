// Healthy-page cost: on the 500-turn conversation fixture, the main-thread time of an
// extension's content script at load, and while a simulated streaming answer makes
// MUTATIONS DOM mutations, each in its own task as tokens arriving would be.
// - Chrome: the sampling CPU profiler (cpu-profile.mjs), for the built extension and for the
//   naive baseline in the same way, one after the other in each round, so a busy moment of
//   the machine hits both; and the content script's own clock (below).
// - Firefox (no profiler the bench can drive): the content script's own clock. The tests'
//   build lists xtask/bench/in-extension/clock-start.js first and clock-stop.js last in each
//   group of content scripts; the page's `data-error-doctor-load-ms` is their total, the
//   synchronous work of evaluating the scripts and the first read of the page.
import { loadFixture, unique, waitForRecord } from '../../tests/e2e/support.mjs';
import { startProfile, stopProfile } from './cpu-profile.mjs';
import { coreMemoryBytes } from './core-memory.mjs';
import { sleep } from './runs.mjs';

export const PAGE = 'ok-long-conversation-500-turns';
export const MUTATIONS = 1000;
// A first, tiny page on the same site: the profiler is per renderer process, so it must
// start in the process the big page will load in.
const START_URL = 'https://chatgpt.com/bench-start';
const WAIT = 15000;

export async function routeHealthyPages(session) {
  const { url, response } = loadFixture(PAGE);
  await session.route(url, response);
  await session.route(START_URL, { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>start</title>' });
  return url;
}

// Runs in the page: appends MUTATIONS text nodes to the last answer, one per task (a
// MessageChannel round trip, which is not clamped like setTimeout).
async function streamAnswer(mutations) {
  const answer = [...document.querySelectorAll('.markdown')].at(-1);
  const paragraph = document.createElement('p');
  answer.append(paragraph);
  const channel = new MessageChannel();
  const nextTask = () => new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
  for (let i = 0; i < mutations; i++) {
    paragraph.append(document.createTextNode(` token${i}`));
    await nextTask();
  }
}

/**
 * One run for one extension: `{ loadMs, streamingMs, coreBytes }`.
 * `ext`: { session, settled(session, tabId, url), memory: bool }. `settled` waits until the
 * extension is done with the page at `url` it just loaded in the tab.
 */
export async function healthyRun(ext, url) {
  const { session } = ext;
  const prefix = `chrome-extension://${session.extensionId}/`;
  let cdp;
  const pageUrl = unique(url);
  const { page, tabId } = await session.openPage(pageUrl, {
    beforeNavigate: async (p) => {
      cdp = p.cdp;
      const start = unique(START_URL);
      await p.page.goto(start, { waitUntil: 'load', timeout: WAIT });
      await ext.settled(session, await session.findTabId(start), start);
      await startProfile(cdp);
    },
  });
  try {
    await ext.settled(session, tabId, pageUrl);
    const load = await stopProfile(cdp, prefix);
    // About one run in ten the profile holds none of the extension's scripts, though they
    // ran (a profile started after the load sees them; not the back/forward cache, the cause
    // is unknown). Such a run is not a measurement; throwing has it retried.
    if (!load.seen) throw new Error(`the profile shows no script of ${prefix} at load`);
    await startProfile(cdp);
    await page.evaluate(streamAnswer, MUTATIONS);
    await sleep(300); // past the sensor's settle time, had anything woken it up
    const streaming = await stopProfile(cdp, prefix);
    const coreBytes = ext.memory ? await coreMemoryBytes(cdp) : null;
    const selfMs = ext.memory ? await selfTimedLoad(page) : null;
    return { loadMs: load.ms, streamingMs: streaming.ms, coreBytes, selfMs };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * For the built extension: its record for this page is written (the tab's record of the
 * page before does not count), and the follow-up read is over.
 */
export async function doctorSettled(session, tabId, url) {
  await waitForRecord(session, tabId, (r) => r?.url === url, WAIT);
  await sleep(300);
}

/** For the naive baseline: its content script runs synchronously by the load event. */
export async function naiveSettled() {
  await sleep(300);
}

/** The content script's own clock of its work at load (the tests' build only), in ms. */
export async function selfTimedLoad(page) {
  const ms = await page.evaluate(() => {
    document.dispatchEvent(new Event('error-doctor:clock'));
    return Number(document.documentElement.dataset.errorDoctorLoadMs);
  });
  if (!Number.isFinite(ms)) throw new Error('the content script\'s clock is not on the page (not the tests\' build?)');
  return ms;
}

/** One run in any browser: `{ selfMs }`, the content script's own clock at load. */
export async function selfTimedRun(session, url) {
  const pageUrl = unique(url);
  const { page, tabId } = await session.openPage(pageUrl);
  try {
    await doctorSettled(session, tabId, pageUrl);
    return { selfMs: await selfTimedLoad(page) };
  } finally {
    await page.close().catch(() => {});
  }
}
