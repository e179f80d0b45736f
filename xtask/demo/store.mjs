// `cargo xtask demo --store` (after the tests' build): the store's pictures, into dist/store/:
//   <locale>/screenshot-1280x800.png  a ChatGPT error page (Cloudflare 1020) with the
//                                     extension's card on it, and its popup beside it, with
//                                     Chromium in that UI language
//   promo-440x280.png                 the Web Store's small promo tile
// The name on the tile is the English catalog's ext_name, so a rename needs no change here.
// Headless. Exits non-zero if a picture could not be made.
//   node xtask/demo/store.mjs [--locale=TAG …]   (default: en, de, es)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFixture, setOptions, startBrowser, startStatusServer, unique, waitForCard, waitForRecord } from '../../tests/e2e/support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(root, 'dist', 'store');
const asked = process.argv.slice(2).filter((a) => a.startsWith('--locale=')).map((a) => a.slice('--locale='.length));
const LOCALES = asked.length ? asked : ['en', 'de', 'es'];

const SCREEN = { width: 1280, height: 800 };
const PAGE_WIDTH = 860; // the page on the left, the popup's column on the right
const POPUP_WIDTH = 360; // the popup's body width (popup.css)
const TILE = { width: 440, height: 280 };
const DEMO = { kind: 'cloudflare_blocked', fixture: 'cf-1020-openai-custom-page' };

const english = JSON.parse(fs.readFileSync(path.join(root, 'extension', '_locales', 'en', 'messages.json'), 'utf8'));
const NAME = english.ext_name.message;
const TAGLINE = 'ChatGPT error? See what broke, whose problem it is, and the fix.';
const ICON = `data:image/png;base64,${fs.readFileSync(path.join(root, 'extension', 'icons', 'icon-128.png')).toString('base64')}`;
const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const dataUrl = (png) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** The error page with the card, and the popup for its tab, as two PNG buffers. */
async function shootPageAndPopup(session) {
  const { url, response, fixture } = loadFixture(DEMO.fixture);
  if (fixture.expect.kind !== DEMO.kind) throw new Error(`${DEMO.fixture} is a ${fixture.expect.kind} fixture, not ${DEMO.kind}`);
  await session.route(url, response);
  const { page, tabId } = await session.openPage(unique(url));
  try {
    await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === DEMO.kind, 10000);
    await page.setViewport({ width: PAGE_WIDTH, height: SCREEN.height });
    await waitForCard(page, DEMO.kind);
    const pagePng = await page.screenshot();
    const popup = await session.browser.newPage();
    try {
      await popup.setViewport({ width: POPUP_WIDTH, height: 600 });
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await popup.goto(`chrome-extension://${session.extensionId}/popup/popup.html?tab=${tabId}`, { waitUntil: 'domcontentloaded' });
      await popup.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
      await popup.waitForSelector('body[data-verdict-read="true"]', { timeout: 15000 });
      const height = await popup.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      await popup.setViewport({ width: POPUP_WIDTH, height: Math.min(Math.max(height, 100), SCREEN.height - 48) });
      return { pagePng, popupPng: await popup.screenshot() };
    } finally {
      await popup.close().catch(() => {});
    }
  } finally {
    await page.close().catch(() => {});
  }
}

/** Renders `html` at `size` and writes it as a PNG. */
async function render(session, html, size, file) {
  const page = await session.browser.newPage();
  try {
    await page.setViewport({ ...size, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    return file;
  } finally {
    await page.close().catch(() => {});
  }
}

const screenshotHtml = (pagePng, popupPng) => `<!doctype html><html><body style="margin:0;width:${SCREEN.width}px;height:${SCREEN.height}px;display:flex;overflow:hidden;font-family:system-ui,sans-serif">
<img src="${dataUrl(pagePng)}" style="width:${PAGE_WIDTH}px;height:${SCREEN.height}px;display:block">
<div style="flex:1;background:linear-gradient(160deg,#e6f2ef,#cfe6e0);display:flex;align-items:flex-start;justify-content:center;padding-top:24px;border-left:1px solid #b8d3cc">
<img src="${dataUrl(popupPng)}" style="width:${POPUP_WIDTH}px;border-radius:10px;box-shadow:0 8px 28px rgba(0,0,0,.28);background:#fff">
</div></body></html>`;

const tileHtml = () => `<!doctype html><html><body style="margin:0;width:${TILE.width}px;height:${TILE.height}px;overflow:hidden;background:linear-gradient(150deg,#108070,#0b5a4f);color:#fff;font-family:system-ui,sans-serif;display:flex;align-items:center;gap:22px;padding:0 28px;box-sizing:border-box">
<img src="${ICON}" style="width:112px;height:112px;flex:none;background:#fff;border-radius:50%">
<div><div style="font-size:30px;font-weight:700;line-height:1.15">${escape(NAME)}</div>
<div style="font-size:16px;line-height:1.4;margin-top:10px;opacity:.95">${escape(TAGLINE)}</div></div>
</body></html>`;

fs.mkdirSync(OUT, { recursive: true });
const written = [];
const failed = [];
const status = await startStatusServer();
try {
  for (const locale of LOCALES) {
    const session = await startBrowser('chrome', { headless: true, locale: locale === 'en' ? null : locale });
    try {
      await setOptions(session, {
        status_endpoint: status.url('operational.json'),
        cloudflare_status_endpoint: status.url('cloudflare-operational.json'),
        trace_endpoint: status.url('trace-de.txt'),
      });
      const { pagePng, popupPng } = await shootPageAndPopup(session);
      written.push(await render(session, screenshotHtml(pagePng, popupPng), SCREEN, path.join(OUT, locale, 'screenshot-1280x800.png')));
      if (locale === LOCALES[0]) written.push(await render(session, tileHtml(), TILE, path.join(OUT, 'promo-440x280.png')));
      console.log(`${locale}: done`);
    } catch (e) {
      failed.push(locale);
      console.error(`${locale}: FAILED: ${e.message}`);
    } finally {
      await session.close();
    }
  }
} finally {
  await status.close();
}
console.log(`\nWrote ${written.length} files:`);
for (const f of written) console.log(`  ${path.relative(root, f)}`);
if (failed.length) {
  console.error(`\nno pictures for: ${failed.join(', ')}`);
  process.exitCode = 1;
}
