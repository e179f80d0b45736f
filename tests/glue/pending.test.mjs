// "Connection interrupted. Waiting for the complete answer": calm while the app waits (no
// reload offered), a dropped connection once the wait outlasts the policy's time, read again
// by an alarm when the page says nothing more, and across a stopped service worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { core, failingTab, tabState } from "./content.mjs";

const waiting = (url = "https://chatgpt.com/c/abc", now = Date.now()) => ({
  url,
  title: "ChatGPT",
  response: { status: 200, server: "cloudflare", content_type: "text/html; charset=utf-8" },
  markers: ["app_shell", "conversation_turns", "message_roles", "composer"],
  regions: [{ kind: "turn_error", text: "Connection interrupted. Waiting for the complete answer" }],
  now_ms: now,
  utc_offset_minutes: 0,
});

const RELOADS = ["retry_reload", "reload_now"];

for (const flavour of ["chrome", "firefox"]) {
  test(`${flavour}: a wait for the rest of an answer offers no reload, and past the policy's time becomes a dropped connection`, async (t) => {
    const w = await startWorld(t, { flavour });
    const limit = core.policy().response_pending_max_ms;
    assert.ok(limit >= 30_000, "an alarm can fire that late in Chrome (30 s at the least)");
    const { tabId, content } = await failingTab(w, { snapshot: waiting });
    assert.equal(tabState(w, tabId).record?.diagnosis.kind, "response_pending");
    const first = await w.clock.within(content.report(waiting()), 2_000, "report while waiting");
    assert.equal(first.diagnosis.kind, "response_pending");
    assert.ok(!RELOADS.includes(first.card?.action?.id), JSON.stringify(first.card));
    const advice = core.advise(first.diagnosis, {});
    assert.ok(!advice.actions.some((a) => RELOADS.includes(a.id)), "no reload while the app waits");

    // Still waiting most of the way: still calm.
    await w.clock.advance(limit - 5_000);
    const still = await w.clock.within(content.report(waiting()), 2_000, "report near the limit");
    assert.equal(still.diagnosis.kind, "response_pending");

    // The worker stops meanwhile; the page says nothing more. The alarm reads the tab again.
    await w.restartBackground();
    await w.clock.advance(6_000);
    const record = tabState(w, tabId).record;
    assert.equal(record?.diagnosis.kind, "network_error", JSON.stringify(record));
    assert.equal(record.diagnosis.signature, "response-pending-overdue");
    assert.notEqual(w.browser.badges.get(tabId)?.text ?? "", "", "the badge lights");
    const after = core.advise(record.diagnosis, {});
    assert.equal(after.actions[0]?.id, "retry_reload", "no Retry on the page: a reload first");

    // The page reporting the same wait again stays a dropped connection (its first time holds).
    const again = await w.clock.within(content.report(waiting()), 2_000, "report after the limit");
    assert.equal(again.diagnosis.kind, "network_error");
  });
}

test("a wait that ends (the answer came) starts afresh next time", async (t) => {
  const w = await startWorld(t);
  const limit = core.policy().response_pending_max_ms;
  const { tabId, content } = await failingTab(w, { snapshot: waiting });
  await w.clock.advance(limit / 2);
  const healthy = { ...waiting(), regions: [] };
  assert.equal((await w.clock.within(content.report(healthy), 2_000, "healthy")).diagnosis.kind, "none");
  await w.clock.advance(limit);
  assert.equal(tabState(w, tabId).record?.diagnosis.kind, "none", "the old alarm changes nothing");
  const next = await w.clock.within(content.report(waiting()), 2_000, "a new wait");
  assert.equal(next.diagnosis.kind, "response_pending", "a new wait is calm again");
});
