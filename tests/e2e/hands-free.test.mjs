// Hands-free recovery through the built extension: a transient full-page error starts its own
// retry run with no click (the countdown and Cancel from the first second), a 502 that heals
// recovers by itself and the badge clears, Cancel sticks for that page load, and a 1020 is
// never reloaded by itself. A failed answer's own Retry: never pressed with the option off (the
// default); with it on, pressed once per failure after a short wait, never with text in the
// composer, and never once the person typed there since the failure (even text deleted again).
import { describe, test, before, after, beforeEach } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import {
  loadFixture, startBrowser, waitForRecord, startStatusServer, setOptions, retryRunOf, popupAction, openFixture,
  forgetRetryBudget, badgeText,
  until,
} from './support.mjs';

const BAD_GATEWAY = 'cf-502-openai-custom-page';
const BLOCKED = 'cf-1020-openai-custom-page';
const HEALTHY = 'ok-home';
const FAILED_ANSWER = 'app-error-turn-something-went-wrong-while-generating';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Counts the presses of the failed answer's Retry (the page's own listener sees the
// content script's click).
const countPresses = (page) =>
  page.evaluate(() => {
    window.__presses = 0;
    document.querySelector('[data-testid="regenerate-thread-error-button"]').addEventListener('click', () => { window.__presses += 1; });
  });
const presses = (page) => page.evaluate(() => window.__presses);

// What the popup shows of the retry, with no click.
const popupRetry = (session, tabId) =>
  session.popup(tabId, async (win) => {
    const doc = win.document;
    const deadline = Date.now() + 9000;
    while (doc.body.dataset.ready !== 'true') {
      if (Date.now() > deadline) throw new Error('popup: never ready');
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      retry: doc.body.dataset.retry,
      countdown: doc.getElementById('countdown').textContent,
      primary: doc.querySelector('#actions button.primary')?.dataset.action ?? null,
      result: doc.getElementById('retry-result').hidden ? '' : doc.getElementById('retry-result').textContent,
      resultKind: doc.body.dataset.retryResult,
    };
  });

for (const browser of browsersUnderTest()) {
  describe(`${browser}: retry by itself`, () => {
    let session;
    let status;
    before(async () => {
      session = await startBrowser(browser);
      status = await startStatusServer();
      await setOptions(session, { status_endpoint: status.url('operational.json') });
    });
    after(async () => {
      await session?.close();
      await status?.close();
    });
    beforeEach(() => forgetRetryBudget(session));

    test('a 502 shows "Retrying in …" and Cancel with no click; Cancel sticks for that page load', async () => {
      const { page, tabId, url } = await openFixture(session, BAD_GATEWAY);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'server_unreachable');
      const run = await until(() => retryRunOf(session, tabId), 'a run that starts by itself', 5000);
      assert.equal(run.hands_free, true);
      assert.equal(run.attempt, 0);
      const shown = await popupRetry(session, tabId);
      assert.equal(shown.retry, 'running');
      assert.match(shown.countdown, /^Retrying in 0:0\d/);
      assert.equal(shown.primary, 'cancel_retry');
      const hits = session.hits(url);
      await popupAction(session, tabId, 'cancel_retry');
      assert.equal(await retryRunOf(session, tabId), null);
      // Past the first wait (5 s ± 20%), and the page reports again meanwhile: nothing restarts.
      await page.evaluate(() => document.body.append(document.createElement('p')));
      await sleep(7000);
      assert.equal(session.hits(url), hits, 'a cancelled page was reloaded by itself');
      assert.equal(await retryRunOf(session, tabId), null, 'a run started again after Cancel');
      await page.close();
    });

    test('a 502 that turns healthy on the third load recovers with no click, and the badge clears', async () => {
      const { page, tabId, url } = await openFixture(session, BAD_GATEWAY);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'server_unreachable');
      const first = session.hits(url);
      assert.equal(await badgeText(session, tabId), '502');
      // The first reload (5 s ± 20%) still meets the 502; the second (30 s ± 20%) a healthy page.
      await until(() => session.hits(url) > first, 'the first reload by itself', 12000);
      await session.route(url, loadFixture(HEALTHY).response);
      await until(() => session.hits(url) > first + 1, 'the second reload by itself', 45000);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 10000);
      await until(async () => (await retryRunOf(session, tabId)) === null, 'the run to end once settled', 15000);
      assert.equal(session.hits(url), first + 2, 'three loads in all');
      assert.equal(await badgeText(session, tabId), '');
      const told = await popupRetry(session, tabId);
      assert.equal(told.resultKind, 'recovered:by_itself');
      assert.match(told.result, /^Reloaded 2 times by itself · works again since /);
      await page.close();
    });

    test('a 1020 is never reloaded by itself', async () => {
      const { page, tabId, url } = await openFixture(session, BLOCKED);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
      const hits = session.hits(url);
      await sleep(7000);
      assert.equal(await retryRunOf(session, tabId), null);
      assert.equal(session.hits(url), hits, 'a 1020 was reloaded by itself');
      assert.equal(await badgeText(session, tabId), '1020');
      await page.close();
    });

    async function failedAnswer() {
      const opened = await openFixture(session, FAILED_ANSWER);
      await countPresses(opened.page);
      await waitForRecord(session, opened.tabId, (r) => r?.diagnosis?.kind === 'app_error' && r.diagnosis.retry_button);
      return opened;
    }

    test('a failed answer: its Retry is never pressed by itself with the option off (the default)', async () => {
      const { page, tabId, url } = await failedAnswer();
      const hits = session.hits(url);
      await sleep(8000); // past the short wait
      assert.equal(await presses(page), 0);
      assert.equal(session.hits(url), hits, 'a failed answer was reloaded');
      assert.equal(await retryRunOf(session, tabId), null);
      await page.close();
    });

    test('with the option on: pressed once per failure after a short wait, never with text in the composer', async () => {
      await setOptions(session, { retry_answers_by_itself: true });
      try {
        const typed = await failedAnswer();
        await typed.page.focus('#prompt-textarea');
        await typed.page.keyboard.type('a question I am still writing');
        await sleep(8000);
        assert.equal(await presses(typed.page), 0, 'pressed while the composer held text');
        await typed.page.close();

        const { page } = await failedAnswer();
        await until(async () => (await presses(page)) > 0, 'the press by itself', 12000);
        await sleep(7000); // the same failure, still on the page: never pressed again
        assert.equal(await presses(page), 1);
        await page.close();
      } finally {
        await setOptions(session, { retry_answers_by_itself: false });
      }
    });

    test('with the option on: a press waiting its short wait is dropped once the person typed, even text they deleted', async () => {
      await setOptions(session, { retry_answers_by_itself: true });
      try {
        const { page } = await failedAnswer();
        await page.focus('#prompt-textarea');
        await page.keyboard.type('ab');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Backspace');
        assert.equal(await page.evaluate(() => document.querySelector('#prompt-textarea').innerText.trim()), '', 'the composer is empty again');
        await sleep(8000); // past the short wait: the composer is empty, but the person typed
        assert.equal(await presses(page), 0, 'pressed after the person typed');
        await page.close();
      } finally {
        await setOptions(session, { retry_answers_by_itself: false });
      }
    });

    test('switched off in the options, a 502 waits for a click', async () => {
      await setOptions(session, { retry_by_itself: false });
      try {
        const { page, tabId, url } = await openFixture(session, BAD_GATEWAY);
        await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'server_unreachable');
        const hits = session.hits(url);
        await sleep(7000);
        assert.equal(await retryRunOf(session, tabId), null);
        assert.equal(session.hits(url), hits);
        await page.close();
      } finally {
        await setOptions(session, { retry_by_itself: true });
      }
    });
  });
}
