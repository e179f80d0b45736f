// `cargo xtask demo` (after a build): the built extension in Chromium on one fixture per kind,
// replayed locally by the e2e harness, and a PNG of the popup for each, light and dark:
//   dist/demo/<kind>.png, dist/demo/<kind>-dark.png
// and the card the extension draws on the page (card-<kind>.png, for a 1020 and a challenge),
// and the welcome page opened on install (welcome.png, welcome-dark.png).
// Headless, unless a display exists (DISPLAY or WAYLAND_DISPLAY): then in a window, pausing
// on each popup. OpenAI's and Cloudflare's status and Cloudflare's trace come from a local
// server (tests/fixtures/status/); three demos also check the verdict the popup shows.
// Exits non-zero if a popup did not render its kind.
//   node xtask/demo/demo.mjs [kind…]        only these kinds
//   node xtask/demo/demo.mjs --locale=de     Chromium in that UI language (--lang, LANGUAGE,
//                                            Accept-Language); PNGs into dist/demo/de/; a
//                                            popup showing an English sentence fails
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, loadFixture, setOptions, startBrowser, startStatusServer, unique, waitForCard, waitForRecord } from '../../tests/e2e/support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const localeArg = process.argv.slice(2).find((a) => a.startsWith('--locale='));
const locale = localeArg ? localeArg.slice('--locale='.length) : null;
const OUT = locale ? path.join(root, 'dist', 'demo', locale) : path.join(root, 'dist', 'demo');

// English sentences of the extension's own texts: none may show in another language's popup.
// (The page's quoted words and OpenAI's status names are theirs, and are left out.)
const ENGLISH_SENTENCES = Object.values(JSON.parse(fs.readFileSync(path.join(root, 'extension', '_locales', 'en', 'messages.json'), 'utf8')))
  .map((m) => m.message)
  .filter((m) => m.split(/\s+/).length > 2 && !m.includes('$'));

// One recognisable page per kind, and the OpenAI status the popup is shown with: the real
// operational one, except for two server-side errors shown during an incident, which is when
// they happen most. Cloudflare's status is calm but for the challenge, shown during a
// Cloudflare outage (as on 2025-11-18); `verdict` is what the popup must say.
const DEMOS = [
  { kind: 'cloudflare_blocked', fixture: 'cf-1020-openai-custom-page', status: 'operational.json', verdict: 'network' },
  {
    kind: 'cloudflare_challenge',
    fixture: 'cf-challenge-verify-human-turnstile-2024',
    status: 'operational.json',
    cloudflare: 'cloudflare-outage.json',
    verdict: 'cloudflare',
  },
  { kind: 'cloudflare_rate_limited', fixture: 'cf-1015-classic-2026-retry-after', status: 'operational.json' },
  { kind: 'server_unreachable', fixture: 'cf-502-openai-custom-page', status: 'incident.json', verdict: 'openai' },
  { kind: 'server_error', fixture: 'server-error-500-html-minimal', status: 'incident.json' },
  { kind: 'at_capacity', fixture: 'capacity-2023-get-notified', status: 'operational.json' },
  { kind: 'rate_limited', fixture: 'rate-limit-modal-2026-too-many-requests', status: 'operational.json' },
  { kind: 'session_expired', fixture: 'session-expired-modal', status: 'operational.json' },
  { kind: 'unusual_activity', fixture: 'unusual-activity-turn-2023', status: 'operational.json' },
  { kind: 'network_error', fixture: 'network-toast-network-error-occurred-inject', status: 'operational.json' },
  { kind: 'app_error', fixture: 'app-error-turn-something-went-wrong-while-generating', status: 'operational.json' },
  { kind: 'none', fixture: 'ok-home', status: 'operational.json' },
];

// The card on the page, pictured on these kinds' pages.
const CARD_KINDS = ['cloudflare_blocked', 'cloudflare_challenge'];

const WIDTH = 360; // the popup's body width (popup.css)
const MAX_HEIGHT = 2000;
const FIRST_SCREEN = 600; // Chrome's tallest popup
const windowed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--locale='));
for (const w of wanted) {
  if (!DEMOS.some((d) => d.kind === w)) throw new Error(`unknown kind "${w}" (known: ${DEMOS.map((d) => d.kind).join(', ')})`);
}
const demos = wanted.length ? DEMOS.filter((d) => wanted.includes(d.kind)) : DEMOS;

/** Opens the fixture, waits for the extension's diagnosis, and returns the tab. */
async function openFixture(session, demo) {
  const { url, response, fixture } = loadFixture(demo.fixture);
  if (fixture.expect.kind !== demo.kind) throw new Error(`${demo.fixture} is a ${fixture.expect.kind} fixture, not ${demo.kind}`);
  await session.route(url, response);
  const { page, tabId } = await session.openPage(unique(url));
  if (fixture.inject) {
    await waitForRecord(session, tabId, (r) => r !== null);
    await inject(page, fixture.inject);
  }
  await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === demo.kind, 10000);
  return { page, tabId };
}

/** Screenshots the popup for the tab, light then dark; returns the files written. */
async function shootPopup(session, tabId, kind, verdict) {
  const page = await session.browser.newPage();
  try {
    await page.setViewport({ width: WIDTH, height: 600, deviceScaleFactor: 2 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.goto(`chrome-extension://${session.extensionId}/popup/popup.html?tab=${tabId}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
    const shown = await page.evaluate(() => document.body.dataset.kind);
    if (shown !== kind) throw new Error(`the popup shows ${JSON.stringify(shown)}, not ${kind}`);
    if (locale && !locale.startsWith('en')) {
      const text = await page.evaluate(() => [...document.body.querySelectorAll('h1, h2, p, li, button, summary, dt, dd, a, span')]
        .filter((e) => !e.closest('#evidence') && !e.closest('.detail') && !e.closest('[hidden]'))
        .map((e) => e.textContent)
        .join('\n'));
      const english = ENGLISH_SENTENCES.filter((m) => text.includes(m));
      if (english.length) throw new Error(`the ${locale} popup shows English: ${JSON.stringify(english)}`);
    }
    // The first screen (Chrome stops popups at 600 px) must hold what happened and the top
    // action: what was seen and the causes fold below.
    const top = await page.evaluate(() => document.querySelector('#actions button')?.getBoundingClientRect().bottom ?? 0);
    if (top > FIRST_SCREEN) throw new Error(`the top action ends at ${Math.ceil(top)} px, below the first ${FIRST_SCREEN} px`);
    const picture = kind === WELCOME_PICTURE_KIND ? await shootWelcomePicture(page) : null;
    if (kind !== 'none') await page.waitForSelector('body[data-verdict-read="true"]', { timeout: 15000 });
    const party = await page.evaluate(() => document.body.dataset.verdict ?? null);
    if (verdict && party !== verdict) throw new Error(`the popup's verdict is ${JSON.stringify(party)}, not ${verdict}`);
    // A real popup is as tall as its content (up to the browser's limit; the picture shows all).
    const height = await page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    await page.setViewport({ width: WIDTH, height: Math.min(Math.max(height, 100), MAX_HEIGHT), deviceScaleFactor: 2 });
    const files = picture ? [picture] : [];
    for (const scheme of ['light', 'dark']) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const file = path.join(OUT, scheme === 'light' ? `${kind}.png` : `${kind}-${scheme}.png`);
      await page.screenshot({ path: file });
      files.push(file);
      if (windowed) await sleep(1200);
    }
    return files;
  } finally {
    await page.close().catch(() => {});
  }
}

// The welcome page's picture of the popup on an error: the 1020 popup down to its top action, at
// 1× and as WebP, so it costs the store zips a few KB (copied to extension/welcome/ by hand).
const WELCOME_PICTURE_KIND = 'cloudflare_blocked';
async function shootWelcomePicture(page) {
  await page.setViewport({ width: WIDTH, height: 600, deviceScaleFactor: 1 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  const file = path.join(OUT, 'popup-on-error.webp');
  // Down to the top action and its reason: what the person must recognise.
  const bottom = await page.evaluate(() => Math.ceil(document.querySelector('#actions .action')?.getBoundingClientRect().bottom ?? 600));
  await page.screenshot({ path: file, type: 'webp', quality: 50, clip: { x: 0, y: 0, width: WIDTH, height: Math.min(600, bottom + 12) } });
  return file;
}

/** Screenshots the page with the extension's card on it (read inside the card's closed root). */
async function shootCard(page, kind) {
  await page.setViewport({ width: 900, height: 640 });
  await waitForCard(page, kind);
  const file = path.join(OUT, `card-${kind}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Screenshots the welcome page, light and dark, as tall as its content. */
async function shootWelcome(session) {
  const page = await session.browser.newPage();
  try {
    await page.setViewport({ width: 760, height: 900 });
    await page.goto(`chrome-extension://${session.extensionId}/welcome/welcome.html`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
    const files = [];
    for (const scheme of ['light', 'dark']) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const file = path.join(OUT, scheme === 'light' ? 'welcome.png' : 'welcome-dark.png');
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
    }
    return files;
  } finally {
    await page.close().catch(() => {});
  }
}

fs.mkdirSync(OUT, { recursive: true });
const started = Date.now();
const status = await startStatusServer();
const session = await startBrowser('chrome', { headless: !windowed, locale });
const written = [];
const failed = [];
try {
  for (const demo of demos) {
    let page;
    for (const f of [`${demo.kind}.png`, `${demo.kind}-dark.png`]) fs.rmSync(path.join(OUT, f), { force: true });
    try {
      await setOptions(session, {
        status_endpoint: status.url(demo.status),
        cloudflare_status_endpoint: status.url(demo.cloudflare ?? 'cloudflare-operational.json'),
        trace_endpoint: status.url('trace-de.txt'),
      });
      let tabId;
      ({ page, tabId } = await openFixture(session, demo));
      if (windowed) await sleep(1200);
      written.push(...(await shootPopup(session, tabId, demo.kind, demo.verdict)));
      if (CARD_KINDS.includes(demo.kind)) written.push(await shootCard(page, demo.kind));
      console.log(`${demo.kind.padEnd(24)} ${demo.fixture} (status: ${demo.status}${demo.cloudflare ? `, Cloudflare: ${demo.cloudflare}` : ''})`);
    } catch (e) {
      failed.push(demo.kind);
      console.error(`${demo.kind.padEnd(24)} FAILED on ${demo.fixture}: ${e.message}`);
    } finally {
      await page?.close().catch(() => {});
    }
  }
  if (!wanted.length) {
    try {
      written.push(...(await shootWelcome(session)));
      console.log('welcome');
    } catch (e) {
      failed.push('welcome');
      console.error(`welcome FAILED: ${e.message}`);
    }
  }
} finally {
  await session.close();
  await status.close();
}

console.log(`\nWrote ${written.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const f of written) console.log(`  ${path.relative(root, f)}`);
if (failed.length) {
  console.error(`\nno popup for: ${failed.join(', ')}`);
  process.exitCode = 1;
}
