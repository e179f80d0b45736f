// The popup's other actions, through the built extension: OpenAI's status read from a local
// server (operational, incident, HTTP 500, garbage, too slow) and how it reorders the
// actions; the support report; log in again; ChatGPT's own retry button; the options page;
// and the notification when a retry succeeds in a background tab.
import { describe, test, before, after, beforeEach } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import {
  loadFixture, startBrowser, unique, waitForRecord, startStatusServer, setOptions, retryRunOf, popupAction, popupView, openFixture, policy, forgetRetryBudget,
} from './support.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const browser of browsersUnderTest()) {
  describe(`${browser}: actions`, () => {
    let session;
    let status;
    before(async () => {
      session = await startBrowser(browser);
      status = await startStatusServer();
      // The ranking on a page where no retry runs yet: a 502 would start its own (that has
      // its own tests, hands-free.test.mjs), putting Cancel first.
      await setOptions(session, { retry_by_itself: false });
    });
    after(async () => {
      await session?.close();
      await status?.close();
    });
    beforeEach(() => forgetRetryBudget(session));

    async function open(name, change) {
      const opened = await openFixture(session, name, change);
      await waitForRecord(session, opened.tabId, (r) => r?.diagnosis?.kind === opened.fixture.expect.kind);
      return opened;
    }

    describe('OpenAI status', () => {
      test('operational: a calm line, the error\'s own fix first', async () => {
        await setOptions(session, { status_endpoint: status.url('operational.json') });
        const { page, tabId } = await open('cf-challenge-openai-custom-page-managed');
        const view = await popupView(session, tabId);
        assert.equal(view.status, 'operational');
        assert.match(view.statusLine, /working/);
        // A challenge met once: a reload leads; clearing waits behind More until it comes back.
        assert.equal(view.primary, 'reload_now');
        assert.ok(view.more.includes('clear_cloudflare_cookies'), `more: ${view.more}`);
        assert.ok(view.hints.length > 0, 'a challenge loop has honest hints');
        await page.close();
      });

      test('incident: "OpenAI reports" first, waiting first, clearing behind More', async () => {
        await setOptions(session, { status_endpoint: status.url('incident.json') });
        const { page, tabId } = await open('cf-502-openai-custom-page');
        const view = await popupView(session, tabId);
        assert.equal(view.status, 'partial_outage');
        assert.match(view.statusLine, /^OpenAI reports/);
        assert.match(view.statusLine, /Elevated error rates for ChatGPT conversations/);
        assert.match(view.statusLine, /Conversations: partial outage/);
        assert.deepEqual(view.actions.slice(0, 2), ['retry_reload', 'open_status']);
        const challenge = await open('cf-challenge-openai-custom-page-managed');
        const during = await popupView(session, challenge.tabId);
        assert.equal(during.primary, 'open_status');
        assert.ok(during.more.includes('clear_cloudflare_cookies'), `more: ${during.more}`);
        assert.ok(!during.actions.includes('clear_cloudflare_cookies'));
        await page.close();
        await challenge.page.close();
      });

      for (const [name, why] of [['error', 'HTTP 500'], ['garbage', 'not JSON'], ['slow', 'too slow']]) {
        test(`${why}: "status unknown", never a crash`, async () => {
          await setOptions(session, { status_endpoint: status.url(name) });
          const { page, tabId } = await open('cf-502-openai-custom-page');
          // The slow server answers (with an incident) after 8 s: "unknown" shows the popup
          // gave up after the core's 5 s instead of waiting for it.
          const view = await popupView(session, tabId);
          assert.equal(view.status, 'unknown');
          assert.match(view.statusLine, /could not be read/);
          assert.equal(view.primary, 'retry_reload');
          await page.close();
        });
      }

      test('status checks off: nothing is read', async () => {
        await setOptions(session, { status_endpoint: status.url('incident.json'), status_checks: false });
        const { page, tabId } = await open('cf-502-openai-custom-page');
        const view = await popupView(session, tabId);
        assert.equal(view.status, 'off');
        assert.equal(view.statusLine, '');
        await setOptions(session, { status_checks: true, status_endpoint: status.url('operational.json') });
        await page.close();
      });
    });

    test('every control is labelled from _locales and reachable by keyboard', async () => {
      await setOptions(session, { status_endpoint: status.url('incident.json') });
      const { page, tabId } = await open('cf-challenge-openai-custom-page-managed');
      const problems = await session.popup(tabId, async (win) => {
        const doc = win.document;
        const deadline = Date.now() + 9000;
        while (doc.body.dataset.ready !== 'true' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const out = [];
        const rawKey = /^[a-z0-9]+(_[a-z0-9]+)+$/;
        for (const node of doc.querySelectorAll('h1, h2, p, li, button, summary, dt, a, label, legend')) {
          const text = node.textContent.trim();
          if (rawKey.test(text)) out.push(`untranslated ${node.tagName}: ${text}`);
        }
        for (const b of doc.querySelectorAll('button')) {
          if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push(`unnamed button ${b.id}`);
          if (b.tabIndex < 0) out.push(`button out of tab order: ${b.textContent}`);
        }
        for (const b of doc.querySelectorAll('#actions button, #more-actions button')) {
          const reason = doc.getElementById(b.getAttribute('aria-describedby') ?? '');
          if (!reason || !reason.textContent.trim()) out.push(`no reason for ${b.dataset.action}`);
        }
        if (!doc.getElementById('copy-text').getAttribute('aria-label')) out.push('copy area unlabelled');
        // The confirmation opens with the focus on its safe button, and Escape closes it.
        const more = doc.getElementById('more');
        more.open = true;
        const clear = doc.querySelector('[data-action="clear_cloudflare_cookies"]');
        clear.click();
        if (doc.activeElement?.id !== 'confirm-no') out.push(`focus after opening the confirmation: ${doc.activeElement?.id}`);
        doc.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        if (!doc.getElementById('confirm').hidden) out.push('Escape left the confirmation open');
        return out;
      });
      assert.deepEqual(problems, []);
      await setOptions(session, { status_endpoint: status.url('operational.json') });
      await page.close();
    });

    test('the support report has the Ray ID and no cookie value', async () => {
      await setOptions(session, { status_endpoint: status.url('operational.json') });
      const secret = `cookie-value-${Date.now()}-do-not-share`;
      await session.background(async (secret) => {
        const api = globalThis.browser ?? globalThis.chrome;
        await api.cookies.set({ url: 'https://chatgpt.com/', name: '__Secure-next-auth.session-token', value: secret, secure: true });
      }, secret);
      const { page, tabId, fixture } = await open('cf-1020-openai-custom-page');
      const shown = await popupAction(session, tabId, 'copy_report');
      assert.ok(shown.copied.includes(`Ray ID: ${fixture.expect.ray_id}`), shown.copied);
      assert.match(shown.copied, /Error code: 1020/);
      assert.match(shown.copied, /HTTP status: 403/);
      assert.match(shown.copied, /OpenAI status: operational/);
      assert.ok(!shown.copied.includes(secret), 'the report leaks a cookie');
      assert.ok(!shown.copied.includes('e2e='), 'the report leaks the page query');
      await page.close();
    });

    test('log in again opens the login page in that tab, once however often clicked', async () => {
      const { page, tabId, url } = await open('session-expired-modal');
      const login = new URL('/auth/login', url).href;
      await session.route(login, { status: 200, headers: { 'content-type': 'text/html' }, body: '<title>Log in</title><button>Log in</button>' });
      const before = session.hits(login);
      await popupAction(session, tabId, 'log_in', { clicks: 2 });
      const deadline = Date.now() + 8000;
      while (session.hits(login) === before && Date.now() < deadline) await sleep(50);
      await sleep(500);
      assert.equal(session.hits(login), before + 1);
      const tabUrl = await session.background(async (tabId) => (await (globalThis.browser ?? globalThis.chrome).tabs.get(tabId)).url, tabId);
      assert.equal(new URL(tabUrl).pathname, '/auth/login');
      await page.close();
    });

    test('a conversation at its maximum length: "Start new chat" opens a new chat in the tab, the unsent prompt back in its composer', async () => {
      const { page, tabId } = await open('conversation-too-long-turn-real-2026');
      const prompt = `Carry this over ${Date.now()}`;
      // Written the way the editor holds it (the card on the page may hold the keyboard's focus).
      await page.evaluate((text) => { document.querySelector('#prompt-textarea p').textContent = text; }, prompt);
      const home = loadFixture('ok-home');
      await session.route(home.url, home.response);
      const view = await popupView(session, tabId);
      assert.equal(view.primary, 'new_chat');
      const shown = await popupAction(session, tabId, 'new_chat', { clicks: 2 });
      const deadline = Date.now() + 10000;
      let restored = '';
      while (!restored.includes(prompt) && Date.now() < deadline) {
        await sleep(100);
        restored = await page.evaluate(() => {
          const el = document.querySelector('#prompt-textarea');
          return location.pathname === '/' && el ? (el.value ?? el.innerText).trim() : '';
        }).catch(() => '');
      }
      const seen = await page.evaluate(() => `${location.href} | ${document.querySelector('#prompt-textarea')?.outerHTML.slice(0, 300)}`).catch((e) => String(e));
      assert.equal(restored, prompt, `${seen} | ${shown.result}`);
      await page.close();
    });

    test("retry presses ChatGPT's own retry button of the failed answer, once", async () => {
      const { page, tabId } = await open('network-turn-error-in-message-stream');
      await page.evaluate(() => {
        document.body.dataset.retries = '0';
        document.querySelector('[data-testid="regenerate-thread-error-button"]').addEventListener('click', () => {
          document.body.dataset.retries = String(Number(document.body.dataset.retries) + 1);
        });
      });
      const view = await popupView(session, tabId);
      assert.equal(view.primary, 'retry_turn');
      const shown = await popupAction(session, tabId, 'retry_turn', { clicks: 2 });
      assert.match(shown.result, /Pressed/);
      assert.equal(await page.evaluate(() => document.body.dataset.retries), '1');
      await page.close();
    });

    test('the options page turns auto-retry off: "retry" becomes one reload', async () => {
      const optionsUrl = await session.background(() => (globalThis.browser ?? globalThis.chrome).runtime.getURL('options/options.html'));
      const stored = await session.popup(0, async (win, optionsUrl) => {
        const frame = win.document.createElement('iframe');
        frame.src = optionsUrl;
        win.document.body.append(frame);
        const deadline = Date.now() + 8000;
        while (frame.contentDocument?.body?.dataset.ready !== 'true') {
          if (Date.now() > deadline) throw new Error('options page never ready');
          await new Promise((r) => setTimeout(r, 20));
        }
        const box = frame.contentDocument.querySelector('input[name="auto_retry"]');
        box.click();
        const max = frame.contentDocument.querySelector('input[name="max_attempts"]');
        const api = win.browser ?? win.chrome;
        // Saving goes through the options page's core: bounded like every other wait here.
        const saved = Date.now() + 8000;
        while ((await api.storage.local.get('settings')).settings?.auto_retry !== false && Date.now() < saved) {
          await new Promise((r) => setTimeout(r, 20));
        }
        return { settings: (await api.storage.local.get('settings')).settings, maxDisabled: max.disabled };
      }, optionsUrl);
      assert.equal(stored.settings.auto_retry, false);
      assert.equal(stored.maxDisabled, true);
      const { page, tabId } = await open('cf-502-openai-custom-page');
      const view = await popupView(session, tabId);
      assert.equal(view.primary, 'reload_now');
      assert.ok(!view.actions.includes('retry_reload'));
      await setOptions(session, { auto_retry: true });
      await page.close();
    });

    test('a page cannot start a reload or a clear: only the person\'s click does', async () => {
      const { page, tabId, url } = await open('cf-challenge-openai-custom-page-managed');
      await session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        await api.cookies.set({ url: 'https://chatgpt.com/', name: 'cf_clearance', value: 'kept', secure: true });
      });
      const extensionId = session.extensionId;
      const before = session.hits(url);
      await page.evaluate((extensionId) => {
        const forged = [
          { type: 'popup-to-background/action', tabId: 0, action: 'clear_cloudflare_cookies' },
          { type: 'popup-to-background/action', tabId: 0, action: 'reload_now' },
          { type: 'popup-to-background/action', tabId: 0, action: 'retry_reload' },
        ];
        for (const message of forged) {
          window.postMessage(message, '*');
          document.dispatchEvent(new CustomEvent(message.type, { detail: message }));
          try { globalThis.chrome?.runtime?.sendMessage?.(extensionId, message, () => void globalThis.chrome.runtime.lastError); } catch { /* not reachable */ }
        }
      }, extensionId);
      await sleep(1500);
      assert.equal(session.hits(url), before, 'the page got itself reloaded');
      assert.equal(await retryRunOf(session, tabId), null);
      const kept = await session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.cookies.get({ url: 'https://chatgpt.com/', name: 'cf_clearance' }))?.value ?? null;
      });
      assert.equal(kept, 'kept');
      await page.close();
    });

    // Headless Firefox closes a notification the moment it is created (no alert service),
    // so getAll() cannot see it there: note every notification created, as well.
    const noteNotifications = () => session.background(() => {
        const api = globalThis.browser ?? globalThis.chrome;
        if (globalThis.__e2eNotified) return;
        globalThis.__e2eNotified = [];
        const create = api.notifications.create.bind(api.notifications);
        api.notifications.create = (id, options) => {
          globalThis.__e2eNotified.push(id);
          return create(id, options);
        };
      });
    const notified = (tabId, key, timeout = 8000) => session.waitForBackground(async (id) => {
      const shown = Object.keys(await (globalThis.browser ?? globalThis.chrome).notifications.getAll());
      const ids = [...shown, ...(globalThis.__e2eNotified ?? [])];
      return ids.includes(id) ? ids : null;
    }, [`tab-${tabId}-${key}`], { timeout });

    test('a retry that succeeds in a background tab is announced', async () => {
      await setOptions(session, { status_endpoint: status.url('operational.json'), notifications: true });
      await noteNotifications();
      const { page, tabId, url } = await open('network-toast-message-delivery-timed-out');
      await popupAction(session, tabId, 'retry_reload');
      await session.route(url, loadFixture('ok-home').response);
      // Another tab comes to the front; the failing one is now in the background.
      const other = await session.openPage(unique('https://chatgpt.com/'));
      await session.background((id) => (globalThis.browser ?? globalThis.chrome).tabs.update(id, { active: true }), other.tabId);
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 10000);
      // Not at the first healthy report: only once the page has stayed healthy.
      assert.notEqual(await retryRunOf(session, tabId), null, 'the run waits for the page to settle');
      await notified(tabId, 'notify_recovered', policy(browser).recovery_settle_ms + 8000);
      assert.equal(await retryRunOf(session, tabId), null);
      await other.page.close();
      await page.close();
    });

    test('a rate limit\'s reset time is announced when it arrives', async () => {
      await setOptions(session, { status_endpoint: status.url('operational.json'), notifications: true });
      await noteNotifications();
      const soon = (r) => ({ ...r, headers: { ...r.headers, 'retry-after': '2' } });
      const { page, tabId } = await open('rate-limit-json-too-many-requests-1-hour', soon);
      await notified(tabId, 'notify_limit_reset');
      await page.close();
    });
  });
}
