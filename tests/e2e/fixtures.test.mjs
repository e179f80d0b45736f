// Every page fixture through the built extension, in each browser: the kind the extension
// records for the tab, the badge it sets, and the popup's data-kind.
import { describe, test, before, after } from './bounded.mjs';
import assert from 'node:assert/strict';
import { browsersUnderTest } from './harness.mjs';
import { fixtureNames, loadFixture, startBrowser, unique, waitForRecord, badgeText, inject, policy } from './support.mjs';

for (const browser of browsersUnderTest()) {
  describe(`${browser}: fixtures`, () => {
    let session;
    let optionsUrl;
    before(async () => {
      session = await startBrowser(browser);
      optionsUrl = await session.background(() => (globalThis.browser ?? globalThis.chrome).runtime.getURL('options/options.html'));
    });
    after(async () => { await session?.close(); });

    for (const name of fixtureNames()) {
      test(name, async () => {
        const { url, response, fixture } = loadFixture(name);
        const expected = fixture.expect.kind;
        await session.route(url, response);
        const { page, tabId } = await session.openPage(unique(url));
        try {
          if (fixture.inject) {
            // First the page as loaded, then the error the app adds to it.
            await waitForRecord(session, tabId, (r) => r !== null);
            await inject(page, fixture.inject);
          }
          // The record settles: the status may reach the extension after the page did.
          const settled = (d) => d?.kind === expected
            && (!fixture.expect.code || d.code === fixture.expect.code)
            && (!fixture.expect.ray_id || d.ray_id === fixture.expect.ray_id);
          const record = await waitForRecord(session, tabId, (r) => settled(r?.diagnosis));
          const d = record.diagnosis;
          const seen = JSON.stringify(record);
          if (fixture.expect.code) assert.equal(d.code, fixture.expect.code, seen);
          if (fixture.expect.ray_id) assert.equal(d.ray_id, fixture.expect.ray_id, seen);
          // The browser clears a tab's badge when its own error page commits; the extension
          // sets it again within the policy's settle time.
          const badge = expected === 'none'
            ? await badgeText(session, tabId)
            : await session.waitForBackground(async (tabId) => {
              const text = await (globalThis.browser ?? globalThis.chrome).action.getBadgeText({ tabId });
              return text === '' ? null : text;
            }, [tabId], { timeout: policy(browser).error_page_settle_ms + 3000 }).catch(() => '');
          if (expected === 'none') {
            assert.equal(badge, '', 'a healthy page leaves the badge empty');
          } else {
            assert.notEqual(badge, '', 'an error lights the badge');
            if (/^\d{1,4}$/.test(d.code ?? '')) assert.equal(badge, d.code);
          }
          const kind = await session.popup(tabId, (win) => win.document.body.dataset.kind);
          assert.equal(kind, expected);
          // A conversation page the core cannot read as before says so; no other page does.
          const changed = await session.popup(tabId, (win) => !win.document.getElementById('page-changed').hidden);
          assert.equal(changed, fixture.expect.page_changed === true, 'the popup\'s "page has changed" note');
          // The options page says it too while such a tab is open (this fixture's is the only one).
          const optionsNote = await session.popup(tabId, async (win, optionsUrl) => {
            const frame = win.document.createElement('iframe');
            frame.src = optionsUrl;
            win.document.body.append(frame);
            const deadline = Date.now() + 8000;
            while (frame.contentDocument?.body?.dataset.pageChanged === undefined) {
              if (Date.now() > deadline) throw new Error('options page never ready');
              await new Promise((r) => setTimeout(r, 20));
            }
            const note = frame.contentDocument.getElementById('page-changed');
            return { shown: !note.hidden, text: note.textContent };
          }, optionsUrl);
          assert.equal(optionsNote.shown, fixture.expect.page_changed === true, 'the options page\'s "page has changed" note');
          if (optionsNote.shown) assert.match(optionsNote.text, /changed/);
        } finally {
          await page.close().catch(() => {});
        }
      });
    }
  });
}
