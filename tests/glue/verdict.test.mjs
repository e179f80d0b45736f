// Whose problem is it, and the memory of what worked, in the built background against the fake
// browser: sources that never answer end in "not sure yet" within the core's bound; the trace
// is read from the tab's own host for a block only, and its IP goes nowhere; a fix followed by
// a healthy page within minutes is remembered, a late one is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { core, popupOf, snapshots, failingTab, P } from "./content.mjs";

const TRACE = "fl=1\nh=chatgpt.com\nip=198.51.100.42\nts=1\nvisit_scheme=https\ncolo=FRA\nloc=DE\nwarp=on\ngateway=off\n";
const verdictOf = (w, tabId) => popupOf(w).send({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId });
const traceFetches = (w) => w.browser.calls("fetch").filter((e) => e.args.url.includes("/cdn-cgi/trace"));
const memoryOf = (w) => w.browser.storage.local.value(P.FIX_MEMORY_KEY) ?? [];

test("sources that never answer: the verdict is 'not sure yet', within the core's bound", async (t) => {
  const w = await startWorld(t);
  w.browser.status = { mode: "never" };
  const { tabId } = await failingTab(w, { snapshot: snapshots.serverError });
  const bound = core.policy().status_timeout_ms + 2_000;
  const reply = await w.clock.within(verdictOf(w, tabId), bound, "the verdict");
  assert.equal(reply.verdict.party, "unknown");
  assert.ok(reply.verdict.evidence.some((e) => e.key === "verdict_ev_sources_silent"), JSON.stringify(reply.verdict));
  assert.equal(traceFetches(w).length, 0, "no trace for a server error");
});

test("a block reads the trace of the tab's host; the verdict names the VPN and holds no IP", async (t) => {
  const w = await startWorld(t);
  w.browser.status = (url) => (url.endsWith("/cdn-cgi/trace") ? { mode: "ok", body: TRACE } : { mode: "ok" });
  const { tabId } = await failingTab(w, { url: "https://chat.openai.com/c/1", snapshot: snapshots.cloudflareBlocked });
  const reply = await w.clock.within(verdictOf(w, tabId), 10_000, "the verdict");
  assert.deepEqual(
    [...new Set(traceFetches(w).map((e) => e.args.url))],
    ["https://chat.openai.com/cdn-cgi/trace"],
  );
  assert.equal(reply.verdict.party, "network");
  assert.ok(reply.verdict.evidence.some((e) => e.key === "verdict_ev_warp"), JSON.stringify(reply.verdict));
  assert.equal(reply.trace.loc, "DE");
  assert.ok(!JSON.stringify(reply).includes("198.51.100.42"), "the IP reached the popup");
  assert.ok(!JSON.stringify(w.browser.storage.session.value(P.TRACE_KEY)).includes("198.51.100.42"), "the IP was stored");
});

test("offline: the verdict is this computer's connection, without waiting on any source", async (t) => {
  const w = await startWorld(t);
  w.browser.status = { mode: "offline" };
  const { tabId } = await failingTab(w, { snapshot: snapshots.cloudflareBlocked });
  w.clock.setOnline(false);
  const reply = await w.clock.within(verdictOf(w, tabId), 10_000, "the verdict");
  assert.equal(reply.verdict.party, "you");
});

for (const [after, credited] of [[60_000, true], [6 * 60_000, false]]) {
  test(`a reload followed by a healthy page ${after / 60_000} min later is ${credited ? "" : "not "}credited`, async (t) => {
    const w = await startWorld(t);
    let healthy = false;
    const snapshot = (url, now) => (healthy ? snapshots.healthy(url, now) : snapshots.networkError(url, now));
    const { tabId } = await failingTab(w, { snapshot });
    await w.clock.within(popupOf(w).action(tabId, "reload_now"), 2_000, "reload_now");
    assert.deepEqual(
      memoryOf(w).map((r) => [r.kind, r.action, r.tried, r.worked]),
      [["network_error", "reload_now", 1, 0]],
      "tried once, on click",
    );
    await w.clock.advance(after);
    healthy = true;
    w.browser.navigate(tabId, "https://chatgpt.com/c/abc");
    await w.clock.advance(1_000);
    assert.equal(memoryOf(w)[0].worked, credited ? 1 : 0);
    assert.ok(!JSON.stringify(memoryOf(w)).includes("chatgpt.com"), "no URL in the memory");
  });
}
