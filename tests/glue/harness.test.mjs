// The harness itself, on today's glue: the built background loads against the fake browser,
// hears a tab's report, runs a retry on the fake clock, and refuses what a page asks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { core, contentOf, popupOf, snapshots, failingTab, tabState, P } from "./content.mjs";

const world = startWorld;

const reloadsOf = (w, tabId) => w.browser.calls("tabs.reload").filter((e) => e.args[0] === tabId);

test("the snapshots used by the tests give the kinds their names say", () => {
  assert.equal(core.classify(snapshots.healthy()).kind, "none");
  assert.equal(core.classify(snapshots.networkError()).kind, "network_error");
  assert.equal(core.classify(snapshots.serverError()).kind, "server_error");
  assert.equal(core.classify(snapshots.cloudflareBlocked()).kind, "cloudflare_blocked");
  const failed = core.classify(snapshots.failedAnswer());
  assert.equal(failed.kind, "app_error");
  assert.equal(failed.retry_button, true);
});

for (const flavour of ["chrome", "firefox"]) {
  test(`${flavour}: the background loads and listens`, async (t) => {
    const w = await world(t, { flavour });
    assert.ok(w.browser.liveListeners("runtime.onMessage").length > 0, "a runtime.onMessage listener");
    assert.ok(w.browser.liveListeners("webRequest.onHeadersReceived").length > 0, "a webRequest listener");
    // The core loads on first use, from the instance's own copy of the extension.
    await w.clock.within(popupOf(w).status(), 10_000, "a status request");
    const wasm = w.browser.calls("fetch").filter((e) => e.args.url.endsWith("core/error_doctor_bg.wasm"));
    assert.equal(wasm.length, 1, "the wasm was fetched once");
    assert.ok(wasm[0].args.url.startsWith(`file://${w.background.dir}`), wasm[0].args.url);
  });

  test(`${flavour}: a report from a tab lights its badge`, async (t) => {
    const w = await world(t, { flavour });
    const tabId = w.browser.openTab({ url: "https://chatgpt.com/c/1" });
    const snap = snapshots.cloudflareBlocked("https://chatgpt.com/c/1");
    const reply = await w.clock.within(contentOf(w, tabId).report(snap), 1000, "the report");
    assert.equal(reply.diagnosis.kind, "cloudflare_blocked");
    await w.clock.settle();
    const expected = core.badge(core.classify(snap));
    assert.ok(expected.text, "the core gives this error a badge");
    assert.deepEqual(w.browser.badges.get(tabId), { text: expected.text, color: expected.color });
    assert.equal(tabState(w, tabId).record.diagnosis.kind, "cloudflare_blocked");
  });
}

test("a popup retry_reload on a network-error tab reloads once when due; the run goes on", async (t) => {
  const w = await world(t);
  const { tabId } = await failingTab(w);
  assert.equal(tabState(w, tabId).record.diagnosis.kind, "network_error");
  const reply = await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 1000, "retry_reload");
  assert.equal(reply.command, "schedule", JSON.stringify(reply));
  const run = tabState(w, tabId).retry;
  assert.ok(run && run.due_at_ms > Date.now(), "a run is stored, due later");
  assert.equal(reloadsOf(w, tabId).length, 0, "nothing reloads before it is due");
  assert.equal(contentOf(w, tabId).carriedDueAt, run.due_at_ms, "the tab carries the countdown");
  await w.clock.advanceTo(run.due_at_ms + 100);
  assert.equal(reloadsOf(w, tabId).length, 1, "reloaded once when due");
  // The reloaded page fails again (pageReports): the run continues, nothing reloads twice at once.
  await w.clock.advance(500);
  assert.equal(reloadsOf(w, tabId).length, 1);
  assert.ok(tabState(w, tabId).retry, "the run goes on");
});

test("cancel_retry stops a scheduled retry: no reload, the run is gone", async (t) => {
  const w = await world(t);
  const { tabId } = await failingTab(w);
  await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 1000, "retry_reload");
  await w.clock.within(popupOf(w).action(tabId, "cancel_retry"), 1000, "cancel_retry");
  await w.clock.advance(120_000);
  assert.equal(reloadsOf(w, tabId).length, 0);
  assert.equal(tabState(w, tabId).retry, null);
});

test("an action message from a page (not the extension) is refused", async (t) => {
  const w = await world(t);
  const { tabId, content } = await failingTab(w);
  const before = w.browser.mark();
  // The content script's world (a page that got hold of it) asks for a reload and a clear.
  for (const action of ["reload_now", "full_reset", "retry_reload"]) {
    const reply = await w.clock.within(content.send({ type: P.POPUP_TO_BACKGROUND_ACTION, tabId, action }), 1000, action);
    assert.equal(reply, undefined, `${action}: no answer`);
  }
  // Another extension, with a popup-like URL of its own.
  const other = { id: "another-extension", url: "chrome-extension://another-extension/popup.html" };
  await w.clock.within(w.browser.dispatchRuntimeMessage({ type: P.POPUP_TO_BACKGROUND_ACTION, tabId, action: "reload_now" }, other), 1000, "other");
  await w.clock.advance(60_000);
  assert.equal(w.browser.calls("tabs.reload", { from: before }).length, 0, "no reload");
  assert.equal(w.browser.calls("browsingData.remove", { from: before }).length, 0, "no clear");
  assert.equal(w.browser.calls("cookies.remove", { from: before }).length, 0, "no cookie removed");
});

test("a restarted background shares storage and alarms, and the old one is dead", async (t) => {
  const w = await world(t);
  const { tabId } = await failingTab(w);
  const old = w.background;
  await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 1000, "retry_reload");
  const run = tabState(w, tabId).retry;
  await w.restartBackground();
  assert.notEqual(w.background.id, old.id);
  assert.equal(w.browser.listeners.get("runtime.onMessage").filter((l) => l.owner === old.id).length, 0, "old listeners detached");
  assert.ok(tabState(w, tabId).retry, "the run survives in storage.session");
  // The old worker's timer died with it; the alarm (shared) brings the new one to reload.
  await w.clock.advanceTo(run.due_at_ms + 100);
  const reloads = reloadsOf(w, tabId);
  assert.equal(reloads.length, 1, "reloaded once, by the new instance");
  assert.equal(reloads[0].instance, w.background.id);
});

test("the clock: status checks time out on the fake clock, not the real one", async (t) => {
  const w = await world(t);
  w.browser.status = { mode: "never" };
  const asked = Date.now();
  const status = await w.clock.within(popupOf(w).status(), core.policy().status_timeout_ms + 1000, "the status");
  assert.equal(status.state, "unknown", JSON.stringify(status));
  assert.ok(Date.now() - asked >= core.policy().status_timeout_ms, "answered after the core's time-out, in fake time");
  assert.ok(w.browser.calls("fetch").some((e) => e.args.url.startsWith("https://")), "the status endpoint was asked");
});

// ---- the fake itself ----

test("fake storage: get by key, array, null and defaults; set rejects on the switch and over the byte quota", async (t) => {
  const w = await world(t);
  const s = w.background.api.storage.session;
  const changes = [];
  w.browser.addListener("storage.onChanged", w.background.id, (c, area) => changes.push([area, c]));
  await s.set({ a: 1, b: { c: [2] } });
  assert.deepEqual(await s.get("a"), { a: 1 });
  assert.deepEqual(await s.get(["a", "b", "x"]), { a: 1, b: { c: [2] } });
  assert.deepEqual(await s.get({ x: 9, a: 0 }), { x: 9, a: 1 });
  assert.deepEqual(Object.keys(await s.get(null)).sort(), ["a", "b"]);
  await s.remove(["a"]);
  assert.deepEqual(await s.get(null), { b: { c: [2] } });
  await w.clock.settle();
  assert.deepEqual(changes[0], ["session", { a: { newValue: 1 }, b: { newValue: { c: [2] } } }]);
  w.browser.storage.session.failSets = true;
  await assert.rejects(s.set({ y: 1 }), /QUOTA_BYTES quota exceeded/);
  w.browser.storage.session.failSets = false;
  w.browser.storage.session.quotaBytes = 50;
  await assert.rejects(s.set({ big: "x".repeat(100) }), /QUOTA_BYTES/);
  assert.deepEqual(await s.get("big"), {});
});

test("fake tabs: no url outside host permissions; a closed tab rejects; a silent content script never answers", async (t) => {
  const w = await world(t);
  const api = w.background.api;
  const chat = w.browser.openTab({ url: "https://chatgpt.com/" });
  const other = w.browser.openTab({ url: "https://example.com/" });
  assert.equal((await api.tabs.get(chat)).url, "https://chatgpt.com/");
  assert.equal("url" in (await api.tabs.get(other)), false);
  contentOf(w, chat).draft = "hello";
  assert.deepEqual(await api.tabs.sendMessage(chat, { type: P.BACKGROUND_TO_CONTENT_READ_DRAFT }), { text: "hello", url: "https://chatgpt.com/", account: null, user_turns: 1, typed_ms_ago: null });
  contentOf(w, chat).mode = "silent";
  await assert.rejects(w.clock.within(api.tabs.sendMessage(chat, { type: P.BACKGROUND_TO_CONTENT_READ_DRAFT }), 10_000, "read-draft"), /did not settle/);
  w.browser.closeTab(chat);
  await assert.rejects(api.tabs.get(chat), /No tab with id/);
  await assert.rejects(api.tabs.reload(chat), /No tab with id/);
  await assert.rejects(api.tabs.sendMessage(chat, { type: "x" }), /Receiving end does not exist/);
});

test("fake cookies: by domain, store and partition; stores list their tabs", async (t) => {
  const w = await world(t, { flavour: "firefox" });
  const api = w.background.api;
  const tab = w.browser.openTab({ url: "https://chatgpt.com/", cookieStoreId: "firefox-container-1" });
  w.browser.cookies.push(
    { name: "a", value: "1", domain: ".chatgpt.com", path: "/", storeId: "firefox-default" },
    { name: "b", value: "2", domain: "chatgpt.com", path: "/", storeId: "firefox-container-1" },
    { name: "c", value: "3", domain: ".chatgpt.com", path: "/", storeId: "firefox-default", partitionKey: { topLevelSite: "https://chatgpt.com" } },
  );
  assert.deepEqual((await api.cookies.getAll({ domain: "chatgpt.com" })).map((c) => c.name), ["a"]);
  assert.deepEqual((await api.cookies.getAll({ domain: "chatgpt.com", partitionKey: {} })).map((c) => c.name), ["a", "c"]);
  assert.deepEqual((await api.cookies.getAll({ domain: "chatgpt.com", storeId: "firefox-container-1" })).map((c) => c.name), ["b"]);
  assert.ok((await api.cookies.getAllCookieStores()).find((s) => s.id === "firefox-container-1").tabIds.includes(tab));
  assert.ok(await api.cookies.remove({ url: "https://chatgpt.com/", name: "b", storeId: "firefox-container-1" }));
  assert.equal(await api.cookies.remove({ url: "https://chatgpt.com/", name: "b", storeId: "firefox-container-1" }), null);
});

for (const [mode, expect] of [
  [{ mode: "ok" }, (s) => assert.notEqual(s.state, "unknown", JSON.stringify(s))],
  [{ mode: "error", status: 500 }, (s) => assert.equal(s.state, "unknown")],
  [{ mode: "garbage" }, (s) => assert.equal(s.state, "unknown")],
]) {
  test(`fake fetch: the status endpoint answering ${mode.mode} gives the glue a reading`, async (t) => {
    const w = await world(t);
    w.browser.status = mode;
    expect(await w.clock.within(popupOf(w).status(), 1000, "the status"));
  });
}

test("the worker's own offline/online events pause and resume a retry (today's glue listens to them)", async (t) => {
  const w = await world(t);
  const { tabId } = await failingTab(w);
  await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 1000, "retry_reload");
  w.clock.setOnline(false);
  await w.clock.advance(60_000);
  assert.equal(reloadsOf(w, tabId).length, 0, "no reload while offline");
  assert.equal(typeof tabState(w, tabId).retry?.paused_remaining_ms, "number", "the run is paused");
  const back = Date.now();
  w.clock.setOnline(true);
  await w.clock.advance(30_000);
  const reloads = reloadsOf(w, tabId);
  assert.ok(reloads.length >= 1, "reloaded back online");
  assert.ok(reloads[0].at > back, "not before");
});
