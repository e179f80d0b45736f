// Whose problem is it, through the built extension: OpenAI's and Cloudflare's status pages and
// Cloudflare's trace served from a local server (the tests' build accepts loopback endpoints
// for all three), the verdict the popup shows in `data-verdict` with its evidence one click
// away, and the memory of what worked reordering the actions after a fix worked.
import { describe, test, before, after, beforeEach } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import {
  loadFixture, startBrowser, waitForRecord, startStatusServer, setOptions, popupAction, popupView, openFixture, forgetRetryBudget, meetAgain,
} from './support.mjs';

/** The popup's verdict once the background has answered: party, line, evidence keys. */
function verdictView(session, tabId) {
  return session.popup(tabId, async (win) => {
    const doc = win.document;
    const deadline = Date.now() + 12000;
    while (doc.body.dataset.verdictRead !== 'true') {
      if (Date.now() > deadline) throw new Error('popup: the verdict never came');
      await new Promise((r) => setTimeout(r, 20));
    }
    const details = doc.getElementById('verdict');
    return {
      party: doc.body.dataset.verdict ?? null,
      shown: !details.hidden,
      line: doc.getElementById('verdict-party').textContent,
      evidence: [...doc.querySelectorAll('#verdict-evidence li')].map((li) => li.dataset.evidence),
      evidenceText: [...doc.querySelectorAll('#verdict-evidence li')].map((li) => li.textContent).join(' | '),
      // The evidence is one click away: the line is a disclosure, closed at first.
      closed: !details.open,
    };
  });
}

for (const browser of browsersUnderTest()) {
  describe(`${browser}: verdict`, () => {
    let session;
    let server;
    before(async () => {
      session = await startBrowser(browser);
      server = await startStatusServer();
    });
    after(async () => {
      await session?.close();
      await server?.close();
    });
    beforeEach(async () => {
      await forgetRetryBudget(session);
      await session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        await api.storage.local.remove('fix-memory');
      });
    });

    const sources = (openai, cloudflare, trace = 'trace-de.txt') => setOptions(session, {
      status_endpoint: server.url(openai),
      cloudflare_status_endpoint: server.url(cloudflare),
      trace_endpoint: server.url(trace),
    });

    async function open(name) {
      const opened = await openFixture(session, name);
      await waitForRecord(session, opened.tabId, (r) => r?.diagnosis?.kind === opened.fixture.expect.kind);
      return opened;
    }

    test('a 1020 is the network, whatever the status pages say', async () => {
      await sources('operational.json', 'cloudflare-operational.json');
      const { page, tabId } = await open('cf-1020-openai-custom-page');
      const v = await verdictView(session, tabId);
      assert.equal(v.party, 'network');
      assert.ok(v.shown && v.closed);
      assert.match(v.line, /network or IP address/);
      assert.ok(v.evidence.includes('verdict_ev_block_on_ip'), v.evidence);
      assert.ok(v.evidence.includes('verdict_ev_cloudflare_calm'), v.evidence);
      await page.close();
    });

    test('a 1020 from a country where ChatGPT is not offered names the region', async () => {
      await sources('operational.json', 'cloudflare-operational.json', 'trace-ru.txt');
      const { page, tabId } = await open('cf-1020-openai-custom-page');
      const v = await verdictView(session, tabId);
      assert.equal(v.party, 'network');
      assert.ok(v.evidence.includes('verdict_ev_country_not_offered'), v.evidence);
      assert.match(v.evidenceText, /RU/);
      assert.doesNotMatch(v.evidenceText, /203\.0\.113\.77/);
      await page.close();
    });

    test('a 52x during an OpenAI incident is OpenAI', async () => {
      await sources('incident.json', 'cloudflare-operational.json');
      const { page, tabId } = await open('cf-502-openai-custom-page');
      const v = await verdictView(session, tabId);
      assert.equal(v.party, 'openai');
      assert.ok(v.evidence.includes('verdict_ev_openai_incident'), v.evidence);
      assert.match(v.evidenceText, /Elevated error rates/);
      await page.close();
    });

    test('a challenge during a Cloudflare outage is Cloudflare', async () => {
      await sources('operational.json', 'cloudflare-outage.json');
      const { page, tabId } = await open('cf-challenge-openai-custom-page-managed');
      const v = await verdictView(session, tabId);
      assert.equal(v.party, 'cloudflare');
      assert.match(v.evidenceText, /Cloudflare Global Network experiencing issues/);
      await page.close();
    });

    test('a challenge met once is not sure yet; met again with both pages calm, the browser; through WARP, the network', async () => {
      await sources('operational.json', 'cloudflare-operational.json');
      const calm = await open('cf-challenge-openai-custom-page-managed');
      const once = await verdictView(session, calm.tabId);
      assert.equal(once.party, 'unknown');
      assert.ok(once.evidence.includes('verdict_ev_challenge_once'), once.evidence);
      await meetAgain(session, calm.page, calm.tabId, 'cloudflare_challenge');
      assert.equal((await verdictView(session, calm.tabId)).party, 'browser');
      await calm.page.close();
      await sources('operational.json', 'cloudflare-operational.json', 'trace-warp.txt');
      const warp = await open('cf-challenge-openai-custom-page-managed');
      await meetAgain(session, warp.page, warp.tabId, 'cloudflare_challenge');
      const v = await verdictView(session, warp.tabId);
      assert.equal(v.party, 'network');
      assert.ok(v.evidence.includes('verdict_ev_warp'), v.evidence);
      await warp.page.close();
    });

    for (const [name, why] of [['error', 'HTTP 500'], ['garbage', 'not JSON']]) {
      test(`status pages failing (${why}): a 52x is "not sure yet", and the diagnosis did not wait`, async () => {
        await setOptions(session, {
          status_endpoint: server.url(name),
          cloudflare_status_endpoint: server.url(name),
          trace_endpoint: server.url(name),
        });
        const { page, tabId } = await open('cf-502-openai-custom-page');
        const view = await popupView(session, tabId);
        assert.equal(view.kind, 'server_unreachable');
        const v = await verdictView(session, tabId);
        assert.equal(v.party, 'unknown');
        assert.ok(v.evidence.includes('verdict_ev_sources_silent'), v.evidence);
        await page.close();
      });
    }

    test('the report carries the verdict, the country and the data centre, never the IP', async () => {
      await sources('operational.json', 'cloudflare-operational.json');
      const { page, tabId } = await open('cf-1020-openai-custom-page');
      await verdictView(session, tabId);
      const shown = await session.popup(tabId, async (win) => {
        const doc = win.document;
        const until = async (ok) => {
          const deadline = Date.now() + 12000;
          while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        };
        await until(() => doc.body.dataset.verdictRead === 'true');
        doc.querySelector('[data-action="copy_report"]').click();
        await until(() => doc.getElementById('copy-text').value !== '');
        return doc.getElementById('copy-text').value;
      });
      assert.match(shown, /Whose problem: network/);
      assert.match(shown, /Country \(Cloudflare\): DE/);
      assert.match(shown, /Data center \(Cloudflare\): FRA/);
      assert.match(shown, /Cloudflare status: operational/);
      assert.doesNotMatch(shown, /203\.0\.113\.77/);
      await page.close();
    });

    test('the memory: fail, click, recover, fail again → that action first, marked', async () => {
      await sources('operational.json', 'cloudflare-operational.json');
      const { page, tabId, url } = await open('cf-challenge-openai-custom-page-managed');
      await meetAgain(session, page, tabId, 'cloudflare_challenge'); // met once, a reload leads
      const before = await popupView(session, tabId);
      assert.equal(before.primary, 'clear_cloudflare_cookies');
      assert.ok(before.actions.includes('reload_now'), before.actions);
      await session.route(url, loadFixture('ok-home').response);
      await popupAction(session, tabId, 'reload_now');
      await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === 'none', 8000);
      // It fails again, the same way.
      const again = await open('cf-challenge-openai-custom-page-managed');
      await meetAgain(session, again.page, again.tabId, 'cloudflare_challenge'); // clearing ranks first now
      const after = await popupView(session, again.tabId);
      assert.equal(after.primary, 'reload_now');
      const marked = await session.popup(again.tabId, async (win) => {
        const b = win.document.querySelector('#actions button.primary');
        return { worked: b.dataset.worked, reason: b.closest('.action').querySelector('.reason').textContent };
      });
      assert.equal(marked.worked, '1/1');
      assert.match(marked.reason, /Worked for you: 1 of 1/);
      const stored = await session.background(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.local.get('fix-memory'))['fix-memory'];
      });
      assert.equal(stored.length, 1);
      assert.equal(stored[0].action, 'reload_now');
      assert.ok(!JSON.stringify(stored).includes('chatgpt.com'), 'no URL in the memory');
      // The options page shows it, and forgets it.
      const optionsUrl = await session.background(() => (globalThis.browser ?? globalThis.chrome).runtime.getURL('options/options.html'));
      const options = await session.popup(0, async (win, optionsUrl) => {
        const frame = win.document.createElement('iframe');
        frame.src = optionsUrl;
        win.document.body.append(frame);
        const until = async (ok, what) => {
          const deadline = Date.now() + 8000;
          while (!ok()) {
            if (Date.now() > deadline) throw new Error(`options page: ${what}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        await until(() => frame.contentDocument?.body?.dataset.memoryRows !== undefined, 'never showed the memory');
        const doc = frame.contentDocument;
        const rows = [...doc.querySelectorAll('#memory-list li')].map((li) => li.textContent);
        doc.getElementById('memory-forget').click();
        await until(() => doc.body.dataset.memoryRows === '0', 'did not forget');
        const api = win.browser ?? win.chrome;
        return { rows, left: (await api.storage.local.get('fix-memory'))['fix-memory'] ?? null };
      }, optionsUrl);
      assert.equal(options.rows.length, 1);
      assert.match(options.rows[0], /Reload now: worked 1 of 1$/);
      assert.equal(options.left, null);
      await page.close();
      await again.page.close();
    });
  });
}
