// The badge before the page has loaded: the content script's hello at document_start (after
// the browser has committed the document, which clears a tab's badge) lights it from the
// response's status and headers; the page's own report then refines it, and an early
// reading never lands on top of a report of the same document.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { contentOf, core, snapshots } from "./content.mjs";

const URL_ = "https://chatgpt.com/";
const BLOCK_HEADERS = { "content-type": "text/html; charset=UTF-8", server: "cloudflare", "cf-ray": "8a1b2c3d4e5f6789-AMS" };
const badgeOf = (w, tabId) => w.browser.badges.get(tabId)?.text ?? "";

/** A tab navigated to a 403 from Cloudflare; nothing of the page has reported yet. */
async function blockedTab(w, headers = BLOCK_HEADERS, status = 403) {
  const tabId = w.browser.openTab({ url: "https://chatgpt.com/c/before" });
  w.browser.navigate(tabId, URL_, { status, headers });
  await w.clock.advance(30); // headers at 20 ms, commit at 25 ms
  return { tabId, content: contentOf(w, tabId) };
}

test("an HTML 403 from Cloudflare lights the badge at hello; the page's report refines it", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await blockedTab(w);
  assert.equal(badgeOf(w, tabId), "", "nothing before the document has said hello");
  await w.clock.within(content.hello(URL_), 1000, "hello");
  await w.clock.settle();
  const early = core.provisional(URL_, { status: 403, server: "cloudflare", cf_ray: "8a1b2c3d4e5f6789-AMS", content_type: "text/html; charset=UTF-8" }, Date.now());
  assert.equal(early.kind, "cloudflare_blocked");
  assert.notEqual(core.badge(early).text, "");
  assert.equal(badgeOf(w, tabId), core.badge(early).text, "the early badge, before any report");
  await w.clock.within(content.report(snapshots.cloudflareBlocked(URL_)), 1000, "report");
  await w.clock.settle();
  assert.equal(badgeOf(w, tabId), "1020", "the page's own code");
});

test("a 200 lights nothing early, and neither does an error status the headers cannot name", async (t) => {
  const w = await startWorld(t);
  for (const [status, headers] of [
    [200, BLOCK_HEADERS],
    [404, { "content-type": "text/html" }],
    [403, { "content-type": "application/json", server: "cloudflare" }],
  ]) {
    const { tabId, content } = await blockedTab(w, headers, status);
    await w.clock.within(content.hello(URL_), 1000, "hello");
    await w.clock.settle();
    assert.equal(badgeOf(w, tabId), "", `${status} ${headers["content-type"]}`);
  }
});

test("headers told after the page reported (Firefox) never cover the page's own reading", async (t) => {
  const w = await startWorld(t);
  const tabId = w.browser.openTab({ url: "https://chatgpt.com/c/before" });
  const content = contentOf(w, tabId);
  // The hello is asked before the headers are known; the report comes meanwhile.
  const hello = content.hello(URL_);
  await w.clock.within(content.report(snapshots.cloudflareBlocked(URL_)), 1000, "report");
  await w.clock.settle();
  assert.equal(badgeOf(w, tabId), "1020");
  w.browser.navigate(tabId, URL_, { status: 403, headers: BLOCK_HEADERS });
  await w.clock.advance(30);
  await w.clock.within(hello, 4000, "hello");
  await w.clock.settle();
  assert.equal(badgeOf(w, tabId), "1020", "the report stands");
});
