// Hostile pages, in each browser: page text that carries script stays text in the popup,
// errors faked where people and the model write are never read, and a page that tampers with
// the DOM's built-ins or pretends to be the extension changes nothing. (sensor.test.mjs covers
// the plainer cases: postMessage, a fake CustomEvent, an overwritten PROTOCOL.)
import { describe, test, before, after } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import { loadFixture, startBrowser, unique, waitForRecord, badgeText, inject } from './support.mjs';
import { PAYLOADS, cloudflare1020Page, appToastPage, conversationFakingErrors, healthyApp } from './adversarial-pages.mjs';

// Longer than the sensor's settle time (120 ms) and its message round trip: had it woken up,
// it would have reported by then.
const QUIET_MS = 800;
const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));

/** Every element the popup's own markup and popup.js create; anything else came from a page. */
const POPUP_TAGS = ['html', 'head', 'title', 'meta', 'link', 'script', 'body', 'main', 'header', 'footer', 'h1', 'h2', 'p', 'section', 'div', 'details', 'summary', 'button', 'textarea', 'a', 'br', 'dl', 'dt', 'dd', 'ul', 'ol', 'li', 'span', 'q'];

/** Runs in the popup: what a payload would have left there. */
function inspectPopup(win, payload, popupTags) {
  const doc = win.document;
  const all = [...doc.querySelectorAll('*')];
  return {
    kind: doc.body.dataset.kind,
    quoted: [...doc.querySelectorAll('#evidence q')].some((q) => q.textContent.includes(payload)),
    foreignElements: all.map((e) => e.localName).filter((t) => !popupTags.includes(t)),
    handlerAttributes: all.flatMap((e) => [...e.attributes].map((a) => a.name).filter((n) => n.startsWith('on'))),
    javascriptUrls: all.flatMap((e) => ['href', 'src', 'srcdoc', 'action'].map((a) => e.getAttribute(a) ?? '')).filter((v) => /javascript:|<script/i.test(v)),
    scripts: [...doc.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    pwned: win.__pwned ?? null,
    textLength: doc.body.textContent.length,
  };
}

function assertInert(seen, payload) {
  assert.deepEqual(seen.foreignElements, [], `elements from the page in the popup (payload ${payload})`);
  assert.deepEqual(seen.handlerAttributes, [], 'event handler attributes in the popup');
  assert.deepEqual(seen.javascriptUrls, [], 'javascript: URLs in the popup');
  assert.deepEqual(seen.scripts, ['../shared/platform.js', '../shared/protocol.js', 'popup.js'], 'only the popup\'s own scripts');
  assert.equal(seen.pwned, null, 'the payload ran in the popup');
}

for (const browser of browsersUnderTest()) {
  describe(`${browser}: adversarial pages`, () => {
    let session;
    before(async () => { session = await startBrowser(browser); });
    after(async () => { await session?.close(); });

    let n = 0;
    async function open(response, path = '/adversarial/') {
      const url = `https://chatgpt.com${path}${n++}`;
      await session.route(url, response);
      return session.openPage(unique(url));
    }

    for (const [name, payload] of PAYLOADS) {
      test(`page text carrying ${name} is only ever text in the popup`, async () => {
        // In the box's words, as its Ray ID, and in the cf-ray header.
        const { page, tabId } = await open(cloudflare1020Page({ message: payload, rayId: payload, cfRay: `${payload}-CDG` }));
        try {
          const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
          assert.equal(record.diagnosis.code, '1020');
          assert.equal(record.diagnosis.ray_id, null, 'a payload is no Ray ID');
          assert.equal(await badgeText(session, tabId), '1020');
          const seen = await session.popup(tabId, inspectPopup, payload, POPUP_TAGS);
          assert.equal(seen.kind, 'cloudflare_blocked');
          assertInert(seen, payload);
          assert.ok(seen.quoted, 'the page\'s words, payload included, are quoted as text');
        } finally {
          await page.close().catch(() => {});
        }
      });

      test(`a toast carrying ${name} is only ever text in the popup`, async () => {
        const { page, tabId } = await open(appToastPage(payload), '/c/adversarial-');
        try {
          await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'app_error');
          const seen = await session.popup(tabId, inspectPopup, payload, POPUP_TAGS);
          assertInert(seen, payload);
          assert.ok(seen.quoted, 'the toast\'s words, payload included, are quoted as text');
        } finally {
          await page.close().catch(() => {});
        }
      });
    }

    test('huge error text and a huge Ray ID reach the popup bounded', async () => {
      const huge = `${PAYLOADS[0][1]} ${'A'.repeat(400_000)}`;
      const { page, tabId } = await open(cloudflare1020Page({
        message: huge,
        rayId: 'f'.repeat(100_000),
        cfRay: `${'0'.repeat(8000)}-CDG`,
        extra: `<p>${'Error code 1020 '.repeat(20_000)}</p>`,
      }));
      try {
        const record = await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'cloudflare_blocked');
        assert.equal(record.diagnosis.ray_id, null);
        assert.ok(JSON.stringify(record).length < 20_000, `the record holds ${JSON.stringify(record).length} chars`);
        const seen = await session.popup(tabId, inspectPopup, PAYLOADS[0][1], POPUP_TAGS);
        assertInert(seen, 'huge');
        assert.ok(seen.textLength < 10_000, `the popup shows ${seen.textLength} chars`);
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('errors faked in messages, code and the composer are never read', async () => {
      const { page, tabId } = await open(conversationFakingErrors(), '/c/adversarial-');
      try {
        const first = await waitForRecord(session, tabId, (r) => r !== null);
        assert.equal(first.diagnosis.kind, 'none', JSON.stringify(first.diagnosis));
        assert.equal(await badgeText(session, tabId), '');
        // The same, arriving later (the mutation path): into the answer, the user's message,
        // a code block and the composer.
        const toast = '<div role="alert" data-testid="toast-error" class="toast-root text-red-500">Something went wrong. A network error occurred</div>';
        for (const into of ['.markdown', '[data-message-author-role="user"]', 'pre', '[contenteditable="true"]']) {
          await inject(page, { html: toast, into });
        }
        await page.evaluate(() => {
          const composer = document.querySelector('#prompt-textarea');
          composer.value = 'Error code 1020 Access denied';
          composer.textContent = 'Too many requests';
        });
        await quiet();
        const record = await waitForRecord(session, tabId, (r) => r !== null);
        assert.equal(record.diagnosis.kind, 'none', JSON.stringify(record.diagnosis));
        assert.equal(await badgeText(session, tabId), '');
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('a page that tampers with the DOM and pretends to be the extension changes nothing', async () => {
      const { page, tabId } = await open(healthyApp(), '/c/adversarial-');
      try {
        await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none');
        const extensionUrl = (file) => session.background((f) => (globalThis.browser ?? globalThis.chrome).runtime.getURL(f), file);
        const internals = [await extensionUrl('popup/popup.html'), await extensionUrl('background/index.js'), await extensionUrl('core/error_doctor_bg.wasm')];
        const tried = await page.evaluate(async (extensionId, internals) => {
          const fake = { type: 'content-to-background/report', snapshot: {}, diagnosis: { kind: 'cloudflare_blocked', code: '1020' } };
          const outcomes = {};
          // Built-ins the sensor calls, broken in the page's world: were the worlds shared,
          // the sensor would read the conversation (closest) or go blind (matches).
          Element.prototype.closest = () => null;
          Element.prototype.matches = () => true;
          window.MutationObserver = function () { return { observe() {}, disconnect() {} }; };
          // Messages dressed as the extension's own.
          window.dispatchEvent(new MessageEvent('message', { data: fake, origin: `chrome-extension://${extensionId}` }));
          // Pages get chrome.runtime only from an extension with externally_connectable (the
          // permission audit keeps ours without): where it exists, ours must not answer.
          const runtime = globalThis.chrome?.runtime;
          for (const call of ['sendMessage', 'connect']) {
            if (typeof runtime?.[call] !== 'function') {
              outcomes[call] = 'not available to the page';
              continue;
            }
            try {
              const r = runtime[call](extensionId, fake);
              if (call === 'connect') r.postMessage(fake);
              else await r;
              outcomes[call] = 'went through';
            } catch (e) {
              outcomes[call] = `refused: ${e.message}`;
            }
          }
          // Files that are not web-accessible stay out of reach.
          outcomes.fetched = [];
          for (const url of internals) {
            try {
              const r = await fetch(url);
              outcomes.fetched.push(`${url}: ${r.status}`);
            } catch {
              // refused, as it should be
            }
          }
          return outcomes;
        }, session.extensionId, internals);
        assert.deepEqual(tried.fetched, [], 'the extension\'s own files are not web-accessible');
        // An error faked inside the answer, with the page's closest() saying "not inside".
        await inject(page, { html: '<div role="alert" data-testid="toast-error">Something went wrong</div>', into: '.markdown' });
        await quiet();
        let record = await waitForRecord(session, tabId, (r) => r !== null);
        assert.equal(record.diagnosis.kind, 'none', `fooled after ${JSON.stringify(tried)}`);
        assert.equal(await badgeText(session, tabId), '');
        // And the sensor is not blind: a real toast is still seen.
        await page.evaluate(() => {
          document.body.insertAdjacentHTML('beforeend', '<div role="alert" data-testid="toast-error" class="toast-root">Something went wrong. Please try again.</div>');
        });
        await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'app_error');
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('no destructive action ever runs without the person\'s click', async () => {
      // One page of every kind whose advice offers a clear or a reload; the popup is opened
      // and looked at, nothing is clicked.
      const names = ['cf-1020-openai-custom-page', 'cf-challenge-openai-custom-page-managed', 'cf-502-openai-custom-page',
        'server-error-500-html-minimal', 'session-expired-modal', 'network-toast-message-delivery-timed-out'];
      // A server's error page starts its own retry run (a reload, never a clear, and not
      // within its first wait of 5 s); nothing else starts without a click.
      const byItself = new Set(['cf-502-openai-custom-page', 'server-error-500-html-minimal']);
      await session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        for (const name of ['cf_clearance', '__Secure-next-auth.session-token']) {
          await api.cookies.set({ url: 'https://chatgpt.com/', name, value: 'untouched', secure: true });
        }
      });
      for (const name of names) {
        const { url, response, fixture } = loadFixture(name);
        await session.route(url, response);
        const { page, tabId } = await session.openPage(unique(url));
        try {
          await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind);
          const hits = session.hits(url);
          await session.popup(tabId, (win) => win.document.body.dataset.kind);
          await new Promise((r) => setTimeout(r, 1200)); // longer than any first retry wait
          assert.equal(session.hits(url), hits, `${name}: reloaded without a click`);
          const left = await session.background(async (tabId) => {
            const api = globalThis.browser ?? globalThis.chrome;
            const cookies = await api.cookies.getAll({ domain: 'chatgpt.com' });
            const run = (await api.storage.session.get(`retry:${tabId}`))[`retry:${tabId}`] ?? null;
            return { cookies: cookies.filter((c) => c.value === 'untouched').map((c) => c.name).sort(), run };
          }, tabId);
          assert.deepEqual(left.cookies, ['__Secure-next-auth.session-token', 'cf_clearance'], `${name}: cookies removed without a click`);
          if (byItself.has(name)) assert.equal(left.run?.hands_free, true, `${name}: no retry started by itself`);
          else assert.equal(left.run, null, `${name}: a retry started without a click`);
        } finally {
          await page.close().catch(() => {});
        }
      }
    });
  });
}
