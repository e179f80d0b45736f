// The sensor's behaviour beyond single fixtures: no WebAssembly in the tab (the page's CSP
// cannot matter), errors that appear and go away after load, and chat text that must never
// count.
import { describe, test, before, after } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import { startBrowser, waitForRecord, badgeText, inject, openFixture, loadFixture, unique, contentScriptWorld } from './support.mjs';

const TOAST_FIXTURE = 'network-toast-network-error-occurred-inject';

for (const browser of browsersUnderTest()) {
  describe(`${browser}: sensor`, () => {
    let session;
    before(async () => { session = await startBrowser(browser); });
    after(async () => { await session?.close(); });

    const open = (name, change) => openFixture(session, name, change);

    test('no WebAssembly runs in the tab: the background names the page', async () => {
      let cdp = null;
      const { url, response } = loadFixture('cf-1020-openai-custom-page');
      await session.route(url, response);
      const { page, tabId } = await session.openPage(unique(url), { beforeNavigate: (p) => { cdp = p.cdp; } });
      const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
      assert.equal(record.diagnosis.code, '1020');
      assert.equal(await badgeText(session, tabId), '1020');
      if (cdp) {
        // Chrome lets the test into the content script's own world: the sensor is there, the core is not.
        const world = await contentScriptWorld(cdp, session.extensionId);
        const read = async (expression) => (await cdp.send('Runtime.evaluate', { contextId: world, expression, returnByValue: true })).result.value;
        assert.equal(await read('typeof globalThis.SENSOR_SPEC'), 'object');
        assert.equal(await read('typeof globalThis.wasm_bindgen'), 'undefined');
        const modules = await read('performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length');
        assert.equal(modules, 0);
      }
      await page.close();
    });

    test('a page whose CSP forbids WebAssembly is recognised all the same', async () => {
      const strict = (r) => ({ ...r, headers: { ...r.headers, 'content-security-policy': "script-src 'nonce-x'" } });
      const { page, tabId } = await open('cf-1020-openai-custom-page', strict);
      const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
      assert.equal(record.diagnosis.code, '1020');
      assert.equal(await badgeText(session, tabId), '1020');
      await page.close();
    });

    test('a toast that appears is caught, and the tab recovers when it goes', async () => {
      const { page, tabId, fixture } = await open(TOAST_FIXTURE);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
      assert.equal(await badgeText(session, tabId), '');
      await inject(page, fixture.inject);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'network_error');
      assert.notEqual(await badgeText(session, tabId), '');
      await page.evaluate(() => document.querySelector('[data-toast-container]').remove());
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
      assert.equal(await badgeText(session, tabId), '');
      await page.close();
    });

    // The sensor looks for the app's places in the document but the conversation's earlier
    // turns (a long conversation is nearly all of the page): before the thread and after it
    // they are found, inside a turn of the past they are history.
    test('on a 500-turn conversation, a toast before the thread is read; one inside an earlier turn is not', async () => {
      const { page, tabId } = await open('ok-long-conversation-500-turns');
      const toast = loadFixture(TOAST_FIXTURE).fixture;
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
      // Into an earlier turn, outside its message: the past.
      await page.evaluate((html) => {
        const turns = document.querySelectorAll('[data-testid^="conversation-turn-"]');
        turns[3].insertAdjacentHTML('beforeend', html);
      }, toast.inject.html);
      await new Promise((r) => setTimeout(r, 600)); // past the settle time: it would have reported
      assert.equal((await waitForRecord(session, tabId, (r) => r !== null)).diagnosis.kind, 'none');
      assert.equal(await badgeText(session, tabId), '');
      // Before the thread (first in <main>, ahead of every turn): the page's state now.
      await page.evaluate((html) => {
        document.querySelector('[data-toast-container]').remove();
        document.querySelector('main').insertAdjacentHTML('afterbegin', html);
      }, toast.inject.html);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'network_error');
      assert.notEqual(await badgeText(session, tabId), '');
      await page.close();
    });

    test('an answer that streams error words in stays healthy', async () => {
      const { page, tabId } = await open('ok-conversation-2023-textarea');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
      await page.evaluate(async () => {
        const answer = [...document.querySelectorAll('.markdown')].at(-1);
        const words = 'Access denied Error code 1020 Too many requests Something went wrong A network error occurred'.split(' ');
        for (const w of words) {
          answer.append(document.createTextNode(` ${w}`));
          await new Promise((r) => setTimeout(r, 5));
        }
        const code = document.createElement('pre');
        code.textContent = 'Internal server error\nYour session has expired';
        answer.append(code);
      });
      // Longer than the sensor's settle time: had it woken up, it would have reported.
      await new Promise((r) => setTimeout(r, 600));
      const record = await waitForRecord(session, tabId, (r) => r !== null);
      assert.equal(record.diagnosis.kind, 'none');
      assert.equal(await badgeText(session, tabId), '');
      await page.close();
    });

    test('a page pretending to be the extension changes nothing', async () => {
      const { page, tabId } = await open('ok-home');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
      await page.evaluate(() => {
        const fake = { type: 'content-to-background/report', diagnosis: { kind: 'cloudflare_blocked', code: '1020' } };
        window.postMessage(fake, '*');
        document.dispatchEvent(new CustomEvent('content-to-background/report', { detail: fake }));
        globalThis.PROTOCOL = { CONTENT_TO_BACKGROUND_REPORT: 'x' };
      });
      await new Promise((r) => setTimeout(r, 400));
      const record = await waitForRecord(session, tabId, (r) => r !== null);
      assert.equal(record.diagnosis.kind, 'none');
      assert.equal(await badgeText(session, tabId), '');
      await page.close();
    });
  });
}
