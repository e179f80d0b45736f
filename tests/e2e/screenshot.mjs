// Writes a PNG of the popup for one fixture, through the built extension in Chromium:
//   node tests/e2e/screenshot.mjs cf-1020-openai-custom-page docs/popup-1020.png
import fs from 'node:fs';
import path from 'node:path';
import { loadFixture, startBrowser, unique, waitForRecord } from './support.mjs';

const [name = 'cf-1020-openai-custom-page', out = 'docs/popup.png'] = process.argv.slice(2);
const session = await startBrowser('chrome');
try {
  const { url, response, fixture } = loadFixture(name);
  await session.route(url, response);
  const { tabId } = await session.openPage(unique(url));
  await waitForRecord(session, tabId, (r) => r?.diagnosis?.kind === fixture.expect.kind);
  const page = await session.browser.newPage();
  await page.setViewport({ width: 340, height: 200, deviceScaleFactor: 2 });
  await page.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
  await page.waitForSelector('body[data-kind]');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await session.close();
}
