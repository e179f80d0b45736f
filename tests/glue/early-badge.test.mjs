// The badge before the page has loaded: the content script's hello at document_start (after
// the browser has committed the document, which clears a tab's badge) lights it from the
// response's status and headers; the page's own report then refines it, and an early
// reading never lands on top of a report of the same document. A healthy response sends no
// hello: its one report gets what the hello would have brought.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { contentOf, core, snapshots, failingTab, popupOf } from "./content.mjs";

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

test("a healthy page's one report, without a hello, gets its retry countdown and its headers", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w);
  // The retry's reload brings a healthy page (served by Cloudflare), whose sensor reports
  // once, with its status only.
  const url = w.browser.tab(tabId).url;
  w.browser.setPage(tabId, { status: 200, headers: { "content-type": "text/html", server: "cloudflare", "cf-ray": "8a1b2c3d4e5f6789-AMS" } });
  const started = await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 2000, "retry_reload");
  assert.equal(started?.command, "schedule", JSON.stringify(started));
  await w.clock.advanceTo(started.run.due_at_ms + 300);
  assert.equal(w.browser.calls("tabs.reload").filter((c) => c.args[0] === tabId).length, 1, "reloaded");
  const { response: _, ...healthy } = snapshots.healthy(url);
  const reply = await w.clock.within(content.report({ ...healthy, response: { status: 200 } }, { document_url: url }), 2000, "report");
  assert.equal(reply.diagnosis?.kind, "none");
  assert.equal(typeof reply.retry_due_at_ms, "number", "the countdown of the settle time, to carry");
  assert.ok(reply.retry_due_at_ms > Date.now(), "due later");
});

test("a report is read with the headers the background saw for its document", async (t) => {
  const w = await startWorld(t);
  const url = "https://chatgpt.com/";
  const page = (u) => ({ url: u, title: "", response: { status: 502 }, markers: [], regions: [{ kind: "error_page", text: "error code: 502" }], page_text_len: 15, now_ms: Date.now(), utc_offset_minutes: 0 });
  // Alone, the page's words and status: a gateway error, but not known to be Cloudflare's.
  const alone = core.classify(page(url));
  assert.notEqual(alone.signature, "cf-gateway-code");
  const tabId = w.browser.openTab({ url: "https://chatgpt.com/c/before" });
  w.browser.navigate(tabId, url, { status: 502, headers: { "content-type": "text/plain", server: "cloudflare", "cf-ray": "8a1b2c3d4e5f6789-AMS" } });
  await w.clock.advance(150);
  const reply = await w.clock.within(contentOf(w, tabId).report(page(url), { document_url: url }), 2000, "report");
  assert.equal(reply.diagnosis?.signature, "cf-gateway-code", "Cloudflare's, by the headers the background saw");
  assert.equal(reply.diagnosis?.ray_id, "8a1b2c3d4e5f6789");
});

// The background looks the early badge up in a table the build wrote from the core
// (src/respond/early_badge.rs), reading the headers itself: that reading must be the core's,
// however a response spells them.
test("the early badge is the core's own for every status and however the headers are spelled", async (t) => {
  const w = await startWorld(t);
  const contentTypes = [undefined, "text/html", "TEXT/HTML ; charset=utf-8", "text/html; charset=UTF-8", "application/json", "text/plain"];
  const origins = [{}, { server: "cloudflare" }, { server: " Cloudflare " }, { "cf-ray": "8a1b2c3d4e5f6789-AMS" }, { "cf-ray": "  ", server: "nginx" }];
  const mitigations = [undefined, "challenge", " Challenge ", "block"];
  const spellings = contentTypes.flatMap((type) =>
    origins.flatMap((origin) =>
      mitigations.map((mitigated) => ({
        ...(type === undefined ? {} : { "content-type": type }),
        ...origin,
        ...(mitigated === undefined ? {} : { "cf-mitigated": mitigated }),
        "retry-after": "60",
      })),
    ),
  );
  const statuses = [200, 403, 404, 429, 502, 520];
  let lit = 0;
  for (const status of statuses) {
    for (const headers of spellings) {
      const { tabId, content } = await blockedTab(w, headers, status);
      await w.clock.within(content.hello(URL_), 1000, "hello");
      await w.clock.settle();
      const response = {
        status,
        server: headers.server ?? null,
        cf_ray: headers["cf-ray"] ?? null,
        cf_mitigated: headers["cf-mitigated"] ?? null,
        retry_after: headers["retry-after"] ?? null,
        content_type: headers["content-type"] ?? null,
      };
      const early = core.provisional(URL_, response, Date.now());
      const expected = early.kind === "none" ? "" : core.badge(early).text;
      assert.equal(badgeOf(w, tabId), expected, `${status} ${JSON.stringify(headers)}`);
      if (expected) {
        lit += 1;
        assert.equal(w.browser.badges.get(tabId)?.color, core.badge(early).color, `${status} ${JSON.stringify(headers)}: colour`);
      }
      w.browser.closeTab(tabId);
    }
  }
  assert.ok(lit > 200, `the grid lit ${lit} badges: it exercises the table`);
});

test("a worker still compiling the core lights the early badge all the same", async (t) => {
  const w = await startWorld(t);
  // The worker stopped; the page's response wakes a new one, whose core is not ready.
  w.browser.holdFiles = /\.wasm$/;
  await w.restartBackground();
  const { tabId, content } = await blockedTab(w);
  await w.clock.within(content.hello(URL_), 1000, "hello");
  await w.clock.settle();
  assert.equal(badgeOf(w, tabId), "DENY", "lit from the headers, before the core is there");
  const report = content.report(snapshots.cloudflareBlocked(URL_));
  await w.clock.settle();
  assert.ok(w.browser.heldFiles.length > 0, "the page's report waits for the core");
  assert.equal(badgeOf(w, tabId), "DENY");
  w.browser.releaseFiles();
  await w.clock.within(report, 4000, "report");
  await w.clock.settle();
  assert.equal(badgeOf(w, tabId), "1020", "the page's own code, once the core has read it");
});
