// Issue 19, "Advice a person can trust": each test is one finding of the review, seen through
// the background's interface (content and popup messages, browser events, storage). Each was
// watched failing on the glue and core before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { core, popupOf, snapshots, failingTab, pageReports, P } from "./content.mjs";

const memoryOf = (w) => w.browser.storage.local.value(P.FIX_MEMORY_KEY) ?? [];
const signedOutHome = (url, now) => ({ ...snapshots.healthy(url, now), markers: ["login_button"] });
const signedInHome = (url, now) => ({ ...snapshots.healthy(url, now), markers: ["app_shell"] });

/** A tab whose page is whatever `page` returns on each load; it fails first with `first`. */
async function switchableTab(w, first, url = "https://chatgpt.com/") {
  let page = first;
  const tabId = w.browser.openTab({ url });
  const content = pageReports(w, tabId, (u, now) => page(u, now));
  w.browser.navigate(tabId, url);
  await w.clock.advance(500);
  return { tabId, content, setPage: (p) => (page = p) };
}

// item 1
test("item 1: a 'Clear site data' followed by the outage ending never becomes the card's one action", async (t) => {
  const w = await startWorld(t);
  const tab = await switchableTab(w, snapshots.serverError);
  tab.setPage(signedInHome); // the outage ends while the person clears
  await w.clock.within(popupOf(w).action(tab.tabId, "clear_site_data"), 4_000, "clear_site_data");
  await w.clock.advance(1_000);
  assert.deepEqual(
    memoryOf(w).map((r) => [r.action, r.worked]),
    [["clear_site_data", 1]],
    "the clear was credited (the page came back signed in)",
  );
  const next = await w.clock.within(tab.content.report(snapshots.serverError()), 2_000, "the next 500");
  assert.equal(next.diagnosis.kind, "server_error");
  assert.notEqual(next.card?.action?.id, "clear_site_data", JSON.stringify(next.card));
  assert.notEqual(next.card?.action?.id, "full_reset");
});

test("item 1: a clear followed by a signed-out page is not remembered as having worked", async (t) => {
  const w = await startWorld(t);
  const tab = await switchableTab(w, snapshots.serverError);
  tab.setPage(signedOutHome); // clearing site data logs out
  await w.clock.within(popupOf(w).action(tab.tabId, "clear_site_data"), 4_000, "clear_site_data");
  await w.clock.advance(1_000);
  await w.clock.within(tab.content.report(signedOutHome("https://chatgpt.com/", Date.now())), 2_000, "signed-out report");
  assert.deepEqual(memoryOf(w).map((r) => [r.action, r.tried, r.worked]), [["clear_site_data", 1, 0]]);
});

// item 2
const CLOUDFLARE_MAJOR = JSON.stringify({
  page: { id: "cf", name: "Cloudflare" },
  status: { indicator: "major", description: "Major System Outage" },
  components: [],
  incidents: [{ name: "Cloudflare Global Network experiencing issues", status: "investigating", impact: "major" }],
});
const isCloudflareStatus = (url) => url.includes("cloudflarestatus");

test("item 2: a Cloudflare 'major' read 20 hours ago does not drive a 1020's card", async (t) => {
  const w = await startWorld(t);
  w.browser.status = { mode: "never" }; // no fresh reading lands
  const settings = await core.settings({});
  const old = Date.now() - 20 * 60 * 60_000;
  await w.browser.storage.session.set({
    [P.CLOUDFLARE_STATUS_KEY]: { endpoint: settings.cloudflare_status_endpoint, status: core.parse_cloudflare_status(CLOUDFLARE_MAJOR, old) },
  });
  const { content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  const reply = await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2_000, "report");
  assert.equal(reply.card?.action?.id, "reload_now", JSON.stringify(reply.card));
  assert.notEqual(reply.card?.verdict, "verdict_cloudflare");
});

test("item 2: a fresh reading that lands after the card was drawn redraws it", async (t) => {
  const w = await startWorld(t);
  w.browser.status = (url) => (isCloudflareStatus(url) ? { mode: "ok", body: CLOUDFLARE_MAJOR, delayMs: 2_000 } : { mode: "ok" });
  const { content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  const drawnFirst = await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2_000, "report");
  assert.equal(drawnFirst.card?.action?.id, "reload_now", "drawn before Cloudflare's page answered");
  const first = content.received.filter((m) => m.type === P.BACKGROUND_TO_CONTENT_CARD);
  assert.equal(first.length, 0, "nothing to redraw before the reading lands");
  await w.clock.advance(5_000);
  const drawn = content.received.filter((m) => m.type === P.BACKGROUND_TO_CONTENT_CARD);
  assert.ok(drawn.length >= 1, "the card was sent again once the readings landed");
  assert.equal(drawn.at(-1).card?.action?.id, "open_status", JSON.stringify(drawn.at(-1)));
});

// item 4
test("item 4: a first challenge is 'not sure yet' with no clear on the card; met again after a reload, it is the browser's", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareChallenge });
  const first = await w.clock.within(content.report(snapshots.cloudflareChallenge()), 2_000, "report");
  assert.equal(first.diagnosis.kind, "cloudflare_challenge");
  assert.equal(first.card?.action?.id, "reload_now", JSON.stringify(first.card));
  const verdict = await w.clock.within(popupOf(w).send({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId }), 10_000, "verdict");
  assert.equal(verdict.verdict.party, "unknown", JSON.stringify(verdict.verdict));
  assert.ok(!verdict.verdict.evidence.some((e) => e.key === "verdict_ev_challenge"), "not 'keeps coming back' the first time");
  const refused = await w.clock.within(content.send({ type: P.CONTENT_TO_BACKGROUND_CARD_ACTION, action: "clear_cloudflare_cookies", confirmed: true }), 2_000, "clear");
  assert.equal(refused?.error, "not_offered");
  // The same tab meets it again after a reload.
  w.browser.navigate(tabId, "https://chatgpt.com/");
  await w.clock.advance(500);
  const again = await w.clock.within(content.report(snapshots.cloudflareChallenge()), 2_000, "report again");
  assert.equal(again.card?.action?.id, "clear_cloudflare_cookies", JSON.stringify(again.card));
  const after = await w.clock.within(popupOf(w).send({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId }), 10_000, "verdict again");
  assert.equal(after.verdict.party, "browser", JSON.stringify(after.verdict));
});

test("item 4: a challenge still there past the policy's time counts as met again", async (t) => {
  const w = await startWorld(t);
  const { content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareChallenge });
  await w.clock.advance(core.policy().challenge_repeat_after_ms ?? 60_000);
  const later = await w.clock.within(content.report(snapshots.cloudflareChallenge()), 2_000, "report later");
  assert.equal(later.card?.action?.id, "clear_cloudflare_cookies", JSON.stringify(later.card));
});

// item 5

test("item 5: a private tab's fix goes to no storage.local, and nothing of it outlives the tab", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w, { incognito: true, snapshot: snapshots.serverError });
  await w.clock.within(popupOf(w).action(tabId, "reload_now"), 2_000, "reload_now");
  await w.clock.advance(1_000);
  assert.equal(w.browser.storage.local.value(P.FIX_MEMORY_KEY), undefined, "the memory was written from a private tab");
  assert.ok(w.browser.calls("storage.local.set").every((e) => !(P.FIX_MEMORY_KEY in (e.args[0] ?? {}))), "a storage.local write of the memory");
  await w.browser.storage.session.set({ [P.draftKey(tabId)]: { text: "secret prompt", url: "https://chatgpt.com/c/abc", at: Date.now() } });
  w.browser.closeTab(tabId);
  await w.clock.advance(1_000);
  const left = Object.keys(await w.browser.storage.session.get(null)).filter((k) => k.endsWith(`:${tabId}`));
  assert.deepEqual(left, [], "storage.session still holds the closed tab's keys");
});

test("item 5: the memory keeps the day of a fix, no finer time", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w, { snapshot: snapshots.serverError });
  await w.clock.within(popupOf(w).action(tabId, "reload_now"), 2_000, "reload_now");
  const [row] = memoryOf(w);
  assert.ok(row, "a row");
  assert.equal(row.last_ms % 86_400_000, 0, `last_ms ${row.last_ms}`);
});

// item 7
test("item 7: one row an update cannot read is dropped alone; the rest of the memory stays", async (t) => {
  const w = await startWorld(t);
  const day = 86_400_000 * 20_000;
  await w.browser.storage.local.set({
    [P.FIX_MEMORY_KEY]: [
      { kind: "cloudflare_blocked", code: "1020", action: "reload_now", tried: 4, worked: 3, last_ms: day },
      { kind: "cloudflare_blocked", code: "1020", action: "an_action_an_update_renamed", tried: 1, worked: 1, last_ms: day },
    ],
  });
  const { tabId } = await failingTab(w, { snapshot: snapshots.serverError });
  await w.clock.within(popupOf(w).action(tabId, "reload_now"), 2_000, "reload_now"); // the next write
  const rows = memoryOf(w).map((r) => [r.kind, r.action, r.tried, r.worked]);
  assert.ok(rows.some(([kind, action, tried, worked]) => kind === "cloudflare_blocked" && action === "reload_now" && tried === 4 && worked === 3), JSON.stringify(rows));
  assert.ok(rows.some(([kind]) => kind === "server_error"), JSON.stringify(rows));
  assert.equal(rows.length, 2);
});

// item 8
test("item 8: the options' Forget goes through the background and is not undone by a tab recovering a moment later", async (t) => {
  const w = await startWorld(t);
  const tab = await switchableTab(w, snapshots.serverError);
  await w.clock.within(popupOf(w).action(tab.tabId, "reload_now"), 2_000, "reload_now"); // pending fix:<tab>
  await w.clock.advance(1_000); // the reloaded page still fails
  assert.equal(memoryOf(w).length, 1);
  assert.ok(w.browser.storage.session.value(P.pendingFixKey(tab.tabId)), "a pending fix");
  const options = popupOf(w, { page: "options/options.html" });
  await w.clock.within(options.send({ type: P.POPUP_TO_BACKGROUND_FORGET_MEMORY ?? "popup-to-background/forget-memory" }), 2_000, "forget");
  // The tab recovers a moment later.
  tab.setPage(signedInHome);
  w.browser.navigate(tab.tabId, "https://chatgpt.com/");
  await w.clock.advance(1_000);
  assert.deepEqual(memoryOf(w), [], "the memory came back");
  assert.equal(w.browser.storage.session.value(P.pendingFixKey(tab.tabId)) ?? null, null, "a pending fix survived");
});

// item 9
test("item 9: the one switch turns off all three outside requests, and the verdict says so on its own line", async (t) => {
  const w = await startWorld(t);
  await w.browser.storage.local.set({ [P.SETTINGS_KEY]: { status_checks: false } });
  const { tabId } = await failingTab(w, { snapshot: snapshots.cloudflareBlocked });
  const reply = await w.clock.within(popupOf(w).send({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId }), 10_000, "verdict");
  const outside = w.browser.calls("fetch").map((e) => e.args.url ?? String(e.args)).filter((u) => !u.startsWith(w.browser.base) && !u.startsWith("file:"));
  assert.deepEqual(outside, [], "requests went out with the checks off");
  const keys = reply.verdict.evidence.map((e) => e.key);
  assert.ok(keys.includes("verdict_ev_checks_off"), JSON.stringify(keys));
  assert.ok(!keys.some((k) => k.endsWith("_silent")), JSON.stringify(keys));
});

// item 10
const usageLimit = (url = "https://chatgpt.com/c/abc", now = Date.now()) => ({
  ...snapshots.networkError(url, now),
  regions: [{ kind: "alert", text: "You've reached the current usage cap for GPT-4. Please try again after 3:27 PM." }],
});

test("item 10: a usage limit's verdict names the plan and its reset time, not 'not sure yet'", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { snapshot: usageLimit });
  const reply = await w.clock.within(content.report(usageLimit()), 2_000, "report");
  assert.equal(reply.diagnosis.kind, "rate_limited");
  assert.ok(typeof reply.diagnosis.reset_at_ms === "number", JSON.stringify(reply.diagnosis));
  const { verdict } = await w.clock.within(popupOf(w).send({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId }), 10_000, "verdict");
  assert.equal(verdict.party, "plan", JSON.stringify(verdict));
  const resets = verdict.evidence.find((e) => e.key === "verdict_ev_usage_limit_resets");
  assert.equal(resets?.at_ms, reply.diagnosis.reset_at_ms, JSON.stringify(verdict.evidence));
  const advice = core.advise(reply.diagnosis, { status: { state: "operational", components: [], incidents: [], checked_at_ms: Date.now() } });
  assert.notEqual(advice.status_line?.key, "status_operational", "'the cause is more likely on this side'");
});
