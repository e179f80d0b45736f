// The sensor's behaviour beyond single fixtures: which engine ran (the page's CSP decides in
// Chrome), errors that appear and go away after load, and chat text that must never count.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import { startBrowser, waitForRecord, badgeText, inject, openFixture } from './support.mjs';

const TOAST_FIXTURE = 'network-toast-network-error-occurred-inject';

for (const browser of browsersUnderTest()) {
  describe(`${browser}: sensor`, () => {
    let session;
    before(async () => { session = await startBrowser(browser); });
    after(async () => { await session?.close(); });

    const open = (name, change) => openFixture(session, name, change);

    test('an ordinary page runs the core in the content script', async () => {
      const { page, tabId } = await open('cf-1020-openai-custom-page');
      const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
      assert.equal(record.engine, 'content');
      assert.equal(await badgeText(session, tabId), '1020');
      await page.close();
    });

    test('a page whose CSP forbids WebAssembly is still recognised', async () => {
      const strict = (r) => ({ ...r, headers: { ...r.headers, 'content-security-policy': "script-src 'nonce-x'" } });
      const { page, tabId } = await open('cf-1020-openai-custom-page', strict);
      const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
      // Chrome applies the page's CSP to WebAssembly in content scripts; Firefox does not.
      assert.equal(record.engine, browser === 'chrome' ? 'background' : 'content');
      assert.equal(record.diagnosis.code, '1020');
      assert.equal(await badgeText(session, tabId), '1020');
      assert.equal(await session.popup(tabId, (win) => win.document.body.dataset.engine), record.engine);
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
