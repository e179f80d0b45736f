// The popup in a non-English UI language, in each browser: the browser started in that language
// (Chromium --lang, Firefox intl.locale.requested) picks the extension's _locales folder, and
// the popup shows that folder's texts, no English sentence, and its numbers and times as the
// browser formats them for the language (Intl).
import { describe, test, before, after } from './bounded.mjs';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browsersUnderTest } from './harness.mjs';
import { loadFixture, startBrowser, unique, waitForRecord } from './support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = (folder) => {
  const json = JSON.parse(fs.readFileSync(path.join(root, 'extension', '_locales', folder, 'messages.json'), 'utf8'));
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, value.message]));
};
const ENGLISH = catalog('en');
// Sentences: a short label ("Ray ID") may rightly read the same in another language.
const ENGLISH_SENTENCES = Object.values(ENGLISH).filter((m) => m.split(/\s+/).length > 2 && !m.includes('$'));

// Two languages far apart: another Latin script with long words, and one without spaces.
const LOCALES = [
  { tag: 'de', folder: 'de', package: 'firefox-esr-l10n-de' },
  { tag: 'ja', folder: 'ja', package: 'firefox-esr-l10n-ja' },
];
// Cloudflare's 1015 with a Retry-After: a title, facts with a duration and a time, causes,
// hints and actions, all on one popup.
const FIXTURE = 'cf-1015-classic-2026-retry-after';

for (const browser of browsersUnderTest()) {
  for (const locale of LOCALES) {
    describe(`${browser}: the popup in ${locale.tag}`, () => {
      const texts = catalog(locale.folder);
      let session;
      before(async () => { session = await startBrowser(browser, { locale: locale.tag }); });
      after(async () => { await session?.close(); });

      test('the browser runs in the language', async () => {
        const ui = await session.background(() => (globalThis.browser ?? globalThis.chrome).i18n.getUILanguage());
        const hint = browser === 'chrome' ? 'chromium-l10n' : locale.package;
        assert.ok(ui.replace('_', '-').startsWith(locale.tag), `the browser's UI language is ${ui}, not ${locale.tag}: is ${hint} installed?`);
      });

      test('texts, numbers and times are the translation', async () => {
        const { url, response, fixture } = loadFixture(FIXTURE);
        await session.route(url, response);
        const { page, tabId } = await session.openPage(unique(url));
        try {
          // The record settles: the response's headers (Retry-After) may reach it after the page.
          const settled = (d) => d?.kind === fixture.expect.kind && d.retry_after_secs === fixture.expect.retry_after_secs;
          const record = await waitForRecord(session, tabId, (r) => settled(r?.diagnosis), 10000);
          const seen = await session.popup(tabId, (win) => {
            const doc = win.document;
            const facts = {};
            for (const dt of doc.querySelectorAll('#facts dt')) facts[dt.textContent] = dt.nextElementSibling?.textContent ?? '';
            return {
              lang: doc.documentElement.lang,
              title: doc.getElementById('title').textContent,
              summary: doc.getElementById('summary').textContent,
              heading: doc.getElementById('seen-heading').textContent,
              buttons: [...doc.querySelectorAll('#actions button')].map((b) => b.textContent),
              facts,
              quotes: [...doc.querySelectorAll('#evidence q')].map((q) => q.textContent),
              // What a person reads: page-quoted evidence (the page's own English) left out.
              text: [...doc.body.querySelectorAll('h1, h2, p, li, button, summary, dt, dd, a')]
                .filter((e) => !e.closest('#evidence') && !e.hidden && !e.closest('[hidden]'))
                .map((e) => e.textContent)
                .join('\n'),
            };
          });
          assert.ok(seen.lang.startsWith(locale.tag), `<html lang> is ${seen.lang}`);
          const kind = record.diagnosis.kind;
          assert.equal(seen.title, texts[`kind_${kind}_title`]);
          assert.equal(seen.summary, texts[`kind_${kind}_summary`]);
          assert.equal(seen.heading, texts.popup_seen_heading);
          assert.ok(seen.buttons.length > 0 && seen.buttons.every((b) => Object.values(texts).includes(b)), JSON.stringify(seen.buttons));
          const english = ENGLISH_SENTENCES.filter((m) => seen.text.includes(m));
          assert.deepEqual(english, [], 'no English sentence in the popup');

          // The markup the core quotes by its English label is named in the language.
          const markup = record.diagnosis.evidence.filter((e) => e.source === 'markup');
          assert.ok(markup.length > 0, 'the fixture has markup evidence');
          for (const e of markup) {
            const key = Object.keys(ENGLISH).find((k) => k.startsWith('marker_') && ENGLISH[k] === e.text);
            assert.ok(key && seen.quotes.includes(texts[key]), `${e.text} in ${locale.tag}: ${JSON.stringify(seen.quotes)}`);
          }

          // The browser's formats for the language: the wait as a duration in words, the time
          // it was seen as the language's clock.
          const wait = new Intl.NumberFormat(locale.tag, { style: 'unit', unit: 'second', unitDisplay: 'long' })
            .format(record.diagnosis.retry_after_secs);
          assert.equal(seen.facts[texts.fact_retry_after], wait, JSON.stringify(seen.facts));
          // (A later report of the same page, the headers' answer, may have stamped the record
          // again by the time the popup read it: either time is the record's.)
          const later = await waitForRecord(session, tabId, (r) => settled(r?.diagnosis), 10000);
          const clock = (ms) => new Intl.DateTimeFormat(locale.tag, { timeStyle: 'medium' }).format(new Date(ms));
          assert.ok([clock(record.at), clock(later.at)].includes(seen.facts[texts.fact_seen_at]), JSON.stringify(seen.facts));
        } finally {
          await page.close().catch(() => {});
        }
      });
    });
  }
}
