// Retry with a delay, through the built extension: the countdown, the reload at the planned
// time, Cancel, double clicks, recovery, a stated Retry-After, going offline, and the
// unsent prompt surviving the reload.
import { describe, test, before, after, beforeEach } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import {
  loadFixture, startBrowser, waitForRecord, startStatusServer, setOptions, retryRunOf, popupAction, openFixture, forgetRetryBudget,
  until,
} from './support.mjs';

// A network error shown by the app (toast), composer on the page: the first retry is 1 s away.
const FAILING = 'network-toast-message-delivery-timed-out';
const HEALTHY = 'ok-conversation-2023-textarea';
const HEALTHY_EMPTY_COMPOSER = 'ok-home';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const browser of browsersUnderTest()) {
  describe(`${browser}: retry`, () => {
    let session;
    let status;
    before(async () => {
      session = await startBrowser(browser);
      status = await startStatusServer();
      // The run a click starts: a 502 would start its own (hands-free.test.mjs has those).
      await setOptions(session, { status_endpoint: status.url('operational.json'), retry_by_itself: false });
    });
    after(async () => {
      await session?.close();
      await status?.close();
    });
    beforeEach(() => forgetRetryBudget(session));

    const open = (name, change) => openFixture(session, name, change);

    async function failingTab() {
      const tab = await open(FAILING);
      await waitForRecord(session, tab.tabId, (r) => r?.diagnosis?.kind === 'network_error');
      return tab;
    }

    test('the countdown is shown and the page reloads at the planned time', async () => {
      const { page, tabId, url } = await failingTab();
      const before = session.hits(url);
      const clicked = Date.now();
      const shown = await popupAction(session, tabId, 'retry_reload');
      assert.equal(shown.retry, 'running');
      assert.match(shown.countdown, /^Retrying in 0:0[0-2] \(attempt 1 of 10\)$/);
      const run = await retryRunOf(session, tabId);
      assert.equal(run.attempt, 0);
      // 1 s ± 20% after the click (which lands somewhere after `clicked`, once the popup is open).
      assert.ok(run.wait_ms >= 800 && run.wait_ms <= 1200, `first wait ${run.wait_ms} ms`);
      assert.ok(run.due_at_ms - clicked >= 800, `due ${run.due_at_ms - clicked} ms after the click`);
      await until(() => session.hits(url) > before, 'the reload');
      assert.ok(Date.now() >= run.due_at_ms - 300, 'reloaded before its time');
      assert.equal(session.hits(url), before + 1);
      // The page still fails: the next attempt is scheduled further out, with jitter.
      const next = await until(async () => {
        const r = await retryRunOf(session, tabId);
        return r && r.attempt === 1 ? r : null;
      }, 'the next attempt');
      assert.ok(next.wait_ms >= 4000 && next.wait_ms <= 6000, `second wait ${next.wait_ms}`);
      await popupAction(session, tabId, 'cancel_retry');
      await page.close();
    });

    test('Cancel stops it, and a second click never schedules a second reload', async () => {
      const { page, tabId, url } = await failingTab();
      const before = session.hits(url);
      await popupAction(session, tabId, 'retry_reload', { clicks: 2 });
      await popupAction(session, tabId, 'cancel_retry', { clicks: 2 });
      assert.equal(await retryRunOf(session, tabId), null);
      await sleep(2000);
      assert.equal(session.hits(url), before, 'a cancelled retry reloaded');

      await popupAction(session, tabId, 'retry_reload', { clicks: 3 });
      const run = await retryRunOf(session, tabId);
      await until(() => session.hits(url) > before, 'the reload');
      // Three clicks, one run: one reload, and the next one is seconds away.
      await sleep(1500);
      assert.equal(session.hits(url), before + 1);
      assert.equal((await retryRunOf(session, tabId)).started_at_ms, run.started_at_ms);
      await popupAction(session, tabId, 'cancel_retry');
      await page.close();
    });

    test('the page turning healthy stops the retry', async () => {
      const { page, tabId, url } = await failingTab();
      await popupAction(session, tabId, 'retry_reload');
      await session.route(url, loadFixture(HEALTHY).response);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 8000);
      await until(async () => (await retryRunOf(session, tabId)) === null, 'the run to end');
      const hits = session.hits(url);
      await sleep(6500); // past the second attempt's time
      assert.equal(session.hits(url), hits);
      await page.close();
    });

    test("the server's Retry-After: 120 is honoured", async () => {
      const withRetryAfter = (r) => ({ ...r, headers: { ...r.headers, 'retry-after': '120' } });
      const { page, tabId } = await open('cf-502-openai-custom-page', withRetryAfter);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.retry_after_secs === 120);
      const clicked = Date.now();
      const shown = await popupAction(session, tabId, 'retry_reload');
      const run = await retryRunOf(session, tabId);
      assert.equal(run.basis, 'retry_after');
      assert.ok(run.due_at_ms - clicked >= 120000, `due in ${run.due_at_ms - clicked} ms`);
      assert.match(shown.countdown, /2:0\d|2:[1-4]\d/);
      await popupAction(session, tabId, 'cancel_retry');
      await page.close();
    });

    test('going offline pauses the countdown; coming back resumes it', async () => {
      const { page, tabId, url } = await open('cf-502-openai-custom-page');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'server_unreachable');
      const before = session.hits(url);
      await popupAction(session, tabId, 'retry_reload'); // 5 s ± 20%
      await session.setOffline(true);
      try {
        const paused = await until(async () => {
          const r = await retryRunOf(session, tabId);
          return r && r.paused_remaining_ms !== null && r.paused_remaining_ms !== undefined ? r : null;
        }, 'the pause', 12000);
        assert.equal(paused.attempt, 0);
        assert.equal(session.hits(url), before, 'reloaded while offline');
      } finally {
        await session.setOffline(false);
      }
      await until(() => session.hits(url) > before, 'the reload once back online', 15000);
      await popupAction(session, tabId, 'cancel_retry');
      await page.close();
    });

    test('the countdown survives the service worker stopping', { skip: browser !== 'chrome' && 'an MV3 service worker is Chrome\'s' }, async () => {
      const { page, tabId, url } = await open('cf-502-openai-custom-page');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'server_unreachable');
      const before = session.hits(url);
      await popupAction(session, tabId, 'retry_reload'); // 5 s ± 20%
      await session.stopBackground();
      // Nothing of the worker is left but storage, the alarm and the tab's own clock.
      await until(() => session.hits(url) > before, 'the reload after the worker stopped', 15000);
      const run = await retryRunOf(session, tabId);
      assert.equal(run.attempt, 1);
      await popupAction(session, tabId, 'cancel_retry');
      await page.close();
    });

    test('a tab that left ChatGPT is never reloaded by its run', async () => {
      const { page, tabId, url } = await failingTab();
      const before = session.hits(url);
      await popupAction(session, tabId, 'retry_reload'); // 1 s ± 20%
      // Another site (Chrome; the Firefox harness's proxy serves ChatGPT's hosts only), or
      // one of the browser's own pages, which Firefox once did not count as leaving.
      const elsewhere = browser === 'chrome' ? 'https://example.com/elsewhere' : 'about:blank';
      if (browser === 'chrome') {
        await session.route(elsewhere, { status: 200, headers: { 'content-type': 'text/html' }, body: '<title>Elsewhere</title><p>Another site</p>' });
      }
      await page.goto(elsewhere);
      await until(async () => (await retryRunOf(session, tabId)) === null, 'the run to end', 10000);
      await sleep(1500);
      assert.equal(session.hits(url), before, 'the ChatGPT page was reloaded after the tab left');
      assert.equal(page.url(), elsewhere);
      await page.close();
    });

    test('a prompt that cannot go back is offered for copying', async () => {
      const { page, tabId, url } = await failingTab();
      const prompt = `Keep this safe ${Date.now()}`;
      await page.focus('#prompt-textarea');
      await page.keyboard.type(prompt);
      // The healthy page comes back with text of its own in the composer: nothing is overwritten.
      await session.route(url, loadFixture(HEALTHY).response);
      await popupAction(session, tabId, 'retry_reload');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 8000);
      await sleep(500);
      const composer = await page.evaluate(() => document.querySelector('#prompt-textarea').value);
      assert.ok(!composer.includes(prompt), 'the page\'s own text was overwritten');
      const shown = await popupAction(session, tabId, 'copy_draft');
      assert.equal(shown.copied, prompt);
      await page.close();
    });

    test('the unsent prompt is back in the composer after the retry reload', async () => {
      const { page, tabId, url } = await failingTab();
      const prompt = `Explain backoff with jitter ${Date.now()}`;
      await page.focus('#prompt-textarea');
      await page.keyboard.type(prompt);
      await session.route(url, loadFixture(HEALTHY_EMPTY_COMPOSER).response);
      await popupAction(session, tabId, 'retry_reload');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 8000);
      const restored = await until(
        () => page.evaluate(() => {
          const el = document.querySelector('#prompt-textarea');
          return el && (el.value ?? el.innerText).trim();
        }).catch(() => ''),
        'the prompt to come back',
      );
      assert.equal(restored, prompt);
      const draft = await session.background(async (tabId) => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.session.get(`draft:${tabId}`))[`draft:${tabId}`] ?? null;
      }, tabId);
      assert.equal(draft, null, 'a restored draft is forgotten');
      await page.close();
    });
  });
}
