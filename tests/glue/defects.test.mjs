// Defects of the background glue, as behaviour seen through its interface only: messages
// from the content script and the popup, browser events, the browser API calls it makes and
// what it keeps under the storage.session keys the popup reads (protocol.js). They are
// expected to FAIL on the glue as it was when they were written, and to pass once fixed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startWorld, distDir } from "./load-background.mjs";
import { core, policy, contentOf, popupOf, pageReports, snapshots, failingTab, tabState, P } from "./content.mjs";

const CLEAR_TIERS = ["clear_cloudflare_cookies", "clear_site_data", "full_reset"];

const reloadsOf = (w, tabId, from = 0) => w.browser.calls("tabs.reload", { from }).filter((e) => e.args[0] === tabId);

/** Starts a retry run from the popup and returns the stored run. */
async function startRetry(w, tabId) {
  const reply = await w.clock.within(popupOf(w).action(tabId, "retry_reload"), 2000, `retry_reload for tab ${tabId}`);
  const run = tabState(w, tabId).retry;
  assert.ok(run, `a retry run for tab ${tabId} (reply ${JSON.stringify(reply)})`);
  return run;
}

/** Some cookies of chatgpt.com in a store, one Cloudflare cookie and one login cookie. */
function seedCookies(w, storeId) {
  for (const name of ["__cf_bm", "cf_clearance", "__Secure-next-auth.session-token"]) {
    w.browser.cookies.push({ name, value: "v", domain: ".chatgpt.com", path: "/", secure: true, httpOnly: true, storeId });
  }
}

const cloudflareCookies = (w, storeId) => w.browser.cookies.filter((c) => c.storeId === storeId && ["__cf_bm", "cf_clearance"].includes(c.name)).map((c) => c.name);

// ---------------------------------------------------------------------------------------

// defect 1
test("defect 1: a reload that rejects (the tab closed as its countdown came due) does not lock up retries of other tabs", async (t) => {
  const w = await startWorld(t);
  const a = await failingTab(w, { url: "https://chatgpt.com/c/a" });
  const b = await failingTab(w, { url: "https://chatgpt.com/c/b" });
  const run = await startRetry(w, a.tabId);
  w.browser.tab(a.tabId).reloadBehaviour = "close"; // tabs.reload rejects: "No tab with id"
  await w.clock.advanceTo(run.due_at_ms + 50);
  assert.equal(w.browser.calls("tabs.reload").length, 1, "the due reload was asked for");
  // Another tab's retry still answers, and so does a cancel.
  const started = await w.clock.within(popupOf(w).action(b.tabId, "retry_reload"), 2000, "retry_reload for another tab");
  assert.ok(started, "an answer");
  assert.ok(tabState(w, b.tabId).retry, "the other tab's run is stored");
  await w.clock.within(popupOf(w).action(b.tabId, "cancel_retry"), 2000, "cancel_retry for another tab");
  assert.equal(tabState(w, b.tabId).retry, null, "the other tab's run is cancelled");
  // The closed tab's tabs.onRemoved cleanup has completed.
  await w.clock.advance(2000);
  assert.deepEqual(tabState(w, a.tabId), { record: null, retry: null, draft: null, response: null }, "nothing kept for the closed tab");
});

// ---------------------------------------------------------------------------------------

// The core will say how long a page must stay healthy after a retry reload before the run
// counts as recovered. Until it does (today), 30 s stands in for it.
const settleMs = () => policy().recovery_settle_ms ?? 30_000;

/** A background tab (not visible: a recovery would be notified) whose page heals on reload. */
async function healingTab(w) {
  const other = w.browser.openTab({ url: "https://example.com/", active: true }); // the visible tab
  assert.ok(other);
  const tabId = w.browser.openTab({ url: "https://chatgpt.com/c/heal", active: false });
  let page = snapshots.networkError;
  const content = pageReports(w, tabId, (url, now) => page(url, now));
  w.browser.navigate(tabId, "https://chatgpt.com/c/heal");
  await w.clock.advance(500);
  assert.equal(tabState(w, tabId).record?.diagnosis.kind, "network_error");
  const run = await startRetry(w, tabId);
  page = snapshots.healthy; // the reload brings the page back
  await w.clock.advanceTo(run.due_at_ms + 50);
  assert.equal(reloadsOf(w, tabId).length, 1, "the retry reloaded");
  await w.clock.advance(500); // the reloaded page reports "none"
  assert.equal(tabState(w, tabId).record?.diagnosis.kind, "none");
  return { tabId, content, setPage: (p) => (page = p) };
}

// defect 2
test("defect 2: a first healthy report after a retry reload does not stop the run as recovered nor notify", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await healingTab(w);
  assert.ok(tabState(w, tabId).retry, "the run goes on while the page has not stayed healthy for the settle time");
  assert.equal(w.browser.calls("notifications.create").length, 0, "no 'works again' notification yet");
});

// defect 2
test("defect 2: an error reported within the settle time keeps the run going (another reload follows)", async (t) => {
  const w = await startWorld(t);
  const { tabId, content, setPage } = await healingTab(w);
  setPage(snapshots.networkError);
  await w.clock.advance(Math.min(1000, settleMs() / 2));
  await w.clock.within(content.report(snapshots.networkError(w.browser.tab(tabId).url)), 1000, "the error report");
  assert.ok(tabState(w, tabId).retry, "the run goes on");
  await w.clock.advance(120_000);
  assert.ok(reloadsOf(w, tabId).length >= 2, "the run reloaded again");
  const recovered = core.retry_notification("recovered", false, core.settings({}));
  assert.ok(!w.browser.calls("notifications.create").some((e) => String(e.args[0]).includes(recovered)), "never 'works again'");
});

// defect 2
test("defect 2: a page that stays healthy for the settle time stops the run as recovered, then notifies", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await healingTab(w);
  await w.clock.advance(settleMs() / 2);
  assert.equal(w.browser.calls("notifications.create").length, 0, "no notification before the settle time");
  await w.clock.advance(settleMs() / 2 + 2000);
  assert.equal(tabState(w, tabId).retry, null, "the run has stopped");
  assert.equal(w.browser.calls("notifications.create").length, 1, "one 'works again' notification (the tab is in the background)");
});

// ---------------------------------------------------------------------------------------

const WRITES = /^(storage\.\w+\.(set|remove|clear)|action\.|alarms\.create|tabs\.(reload|update|sendMessage)|notifications\.create|browsingData\.|cookies\.remove)/;

// defect 5
test("defect 5: nothing of the background runs for a page outside chatgpt.com / chat.openai.com", async (t) => {
  const w = await startWorld(t);
  // Load the core first, so its loading is not mistaken for an effect.
  const warm = await failingTab(w);
  assert.ok(warm);
  const tabId = w.browser.openTab({ url: "about:blank" });
  const from = w.browser.mark();
  w.browser.navigate(tabId, "https://example.com/");
  await w.clock.advance(1000);
  w.browser.navigate(tabId, "https://example.com/page", { status: 500 });
  await w.clock.advance(1000);
  w.browser.navigate(tabId, "https://example.com/gone", { error: "net::ERR_CONNECTION_RESET" });
  await w.clock.advance(5000);
  const ran = w.browser.calls(/^listener:webRequest\./, { from });
  assert.deepEqual(ran.map((e) => e.api), [], "no webRequest listener runs for example.com (the filter is honoured)");
  const effects = w.browser.calls(WRITES, { from });
  assert.deepEqual(effects.map((e) => `${e.api} ${JSON.stringify(e.args)}`), [], "no storage write, badge, alarm, reload or message");
});

// defect 5
test("defect 5: a ChatGPT tab that left for another site gets no badge or storage write from that site's events", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w);
  w.browser.setPage(tabId, {});
  const from = w.browser.mark();
  w.browser.navigate(tabId, "https://example.com/");
  await w.clock.advance(5000);
  const badges = w.browser.calls("action.", { from }).filter((e) => e.args[0]?.tabId === tabId && e.args[0]?.text);
  assert.deepEqual(badges, [], "no badge shown on example.com");
  assert.deepEqual(w.browser.calls(/^listener:webRequest\./, { from }).map((e) => e.api), []);
});

// defect 5
test("defect 5: the background uses no webNavigation API at all", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w);
  const run = await startRetry(w, tabId);
  await w.clock.advanceTo(run.due_at_ms + 1000);
  w.browser.navigate(tabId, "https://example.com/", { error: "net::ERR_NAME_NOT_RESOLVED" });
  await w.clock.advance(1000);
  const used = w.browser.calls(/^webNavigation\./);
  assert.deepEqual([...new Set(used.map((e) => e.api))], [], "webNavigation was touched");
});

// defect 5
for (const flavour of ["chrome", "firefox"]) {
  test(`defect 5: the built ${flavour} manifest asks for no webNavigation, tabs or history permission`, () => {
    const manifest = JSON.parse(readFileSync(join(distDir(flavour), "manifest.json"), "utf8"));
    const asked = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
    assert.deepEqual(asked.filter((p) => ["webNavigation", "tabs", "history"].includes(p)), []);
  });
}

// ---------------------------------------------------------------------------------------

// defect 7
for (const action of ["reload_now", ...CLEAR_TIERS]) {
  test(`defect 7: ${action} still reloads when storage.session.set rejects (quota)`, async (t) => {
    const w = await startWorld(t);
    const { tabId, content } = await failingTab(w);
    content.draft = "my long unsent prompt";
    w.browser.storage.session.failSets = true;
    const from = w.browser.mark();
    const reply = await w.clock.within(popupOf(w).action(tabId, action), 3000, action);
    assert.ok(reply !== undefined && reply !== null, "the popup got an answer");
    await w.clock.advance(100);
    assert.equal(reloadsOf(w, tabId, from).length, 1, `${action} reloaded the tab (reply ${JSON.stringify(reply)})`);
  });
}

// defect 7
test("defect 7: a retry reload still happens when storage.session.set rejects at its due time", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w);
  content.draft = "my long unsent prompt";
  const run = await startRetry(w, tabId);
  w.browser.storage.session.failSets = true;
  await w.clock.advanceTo(run.due_at_ms + 1000);
  assert.equal(reloadsOf(w, tabId).length, 1, "the retry reloaded");
});

// defect 7
for (const action of ["reload_now", "clear_site_data"]) {
  test(`defect 7: a content script that never answers read-draft does not block ${action} beyond 3 s`, async (t) => {
    const w = await startWorld(t);
    const { tabId, content } = await failingTab(w);
    content.on(P.BACKGROUND_TO_CONTENT_READ_DRAFT, () => new Promise(() => {}));
    const from = w.browser.mark();
    const reply = await w.clock.within(popupOf(w).action(tabId, action), 3000, action);
    assert.ok(reply !== undefined, "an answer");
    await w.clock.advance(100);
    assert.equal(reloadsOf(w, tabId, from).length, 1, `${action} reloaded the tab`);
  });
}

// defect 7
test("defect 7: a content script that never answers read-draft does not block a retry reload beyond 3 s", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w);
  content.on(P.BACKGROUND_TO_CONTENT_READ_DRAFT, () => new Promise(() => {}));
  const run = await startRetry(w, tabId);
  await w.clock.advanceTo(run.due_at_ms + 3000);
  assert.equal(reloadsOf(w, tabId).length, 1, "the retry reloaded");
  const other = await failingTab(w, { url: "https://chatgpt.com/c/other" });
  await w.clock.within(popupOf(w).action(other.tabId, "retry_reload"), 2000, "retry_reload for another tab afterwards");
});

// ---------------------------------------------------------------------------------------

// defect 9
for (const [flavour, away] of [
  ["firefox", "about:home"],
  ["chrome", "about:blank"],
  ["chrome", "https://example.com/"],
]) {
  test(`defect 9 (${flavour}): a tab that went to ${away} while its retry waits is not reloaded; the run stops`, async (t) => {
    const w = await startWorld(t, { flavour });
    const { tabId } = await failingTab(w);
    const run = await startRetry(w, tabId);
    w.browser.setPage(tabId, {});
    w.browser.navigate(tabId, away);
    await w.clock.advanceTo(run.due_at_ms + 1000);
    assert.equal(reloadsOf(w, tabId).length, 0, `no reload of ${away}`);
    await w.clock.advance(60_000);
    assert.equal(reloadsOf(w, tabId).length, 0, `no reload of ${away}, later either`);
    assert.equal(tabState(w, tabId).retry, null, "the run has stopped");
  });
}

// ---------------------------------------------------------------------------------------

// defect 10
test("defect 10: a page saying it is offline does not pause a retry while the background is online", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w);
  const run = await startRetry(w, tabId);
  assert.equal(navigator.onLine, true);
  await w.clock.within(content.send({ type: P.CONTENT_TO_BACKGROUND_CONNECTIVITY, online: false }), 1000, "connectivity");
  await w.clock.advanceTo(run.due_at_ms + 300);
  assert.equal(reloadsOf(w, tabId).length, 1, "reloaded when due, as if the page had said nothing");
});

// ---------------------------------------------------------------------------------------

// defect 11
test("defect 11: a report that claims a diagnosis records what the core says of the snapshot", async (t) => {
  const w = await startWorld(t);
  const url = "https://chatgpt.com/c/claims";
  const tabId = w.browser.openTab({ url });
  const snapshot = snapshots.healthy(url);
  const claimed = core.classify(snapshots.cloudflareBlocked(url));
  assert.equal(claimed.kind, "cloudflare_blocked");
  const reply = await w.clock.within(contentOf(w, tabId).report(snapshot, { diagnosis: claimed }), 1000, "the report");
  await w.clock.settle();
  const truth = core.classify(snapshot);
  assert.equal(tabState(w, tabId).record?.diagnosis.kind, truth.kind, "the recorded diagnosis is the core's");
  if (reply?.diagnosis) assert.equal(reply.diagnosis.kind, truth.kind, "the reply names the core's diagnosis");
  assert.equal(w.browser.badges.get(tabId)?.text ?? "", core.badge(truth).text, "the badge is the core's");
});

// ---------------------------------------------------------------------------------------

// defect 6
for (const action of CLEAR_TIERS) {
  test(`defect 6: ${action} from a Firefox container tab keeps browsingData.remove to that container`, async (t) => {
    const w = await startWorld(t, { flavour: "firefox" });
    const { tabId } = await failingTab(w, { cookieStoreId: "firefox-container-1" });
    seedCookies(w, "firefox-default");
    seedCookies(w, "firefox-container-1");
    const reply = await w.clock.within(popupOf(w).action(tabId, action), 5000, action);
    assert.ok(reply, "an answer");
    const unscoped = w.browser.browsingDataCalls.filter((c) => c.options.cookieStoreId !== "firefox-container-1");
    assert.deepEqual(unscoped, [], "every browsingData.remove names the tab's container");
    assert.equal(w.browser.cookies.filter((c) => c.storeId === "firefox-default").length, 3, "the default container's cookies stay");
    assert.deepEqual(cloudflareCookies(w, "firefox-container-1"), [], "the tab's container lost its Cloudflare cookies");
  });

  // defect 6
  test(`defect 6: ${action} from a Chrome incognito tab never calls browsingData.remove`, async (t) => {
    const w = await startWorld(t, { flavour: "chrome" });
    const { tabId } = await failingTab(w, { incognito: true, windowId: 2 });
    seedCookies(w, "0");
    seedCookies(w, "1");
    const reply = await w.clock.within(popupOf(w).action(tabId, action), 5000, action);
    assert.ok(reply, "an answer");
    assert.deepEqual(w.browser.browsingDataCalls, [], "browsingData would clear the normal profile");
    assert.equal(w.browser.cookies.filter((c) => c.storeId === "0").length, 3, "the normal profile's cookies stay");
    assert.deepEqual(cloudflareCookies(w, "1"), [], "the incognito store lost its Cloudflare cookies");
  });
}

// ---------------------------------------------------------------------------------------

// many tabs, one plan
test("many tabs, one plan: three tabs failing at once reload within the core's budget and spacing", async (t) => {
  // The core will give these numbers in policy(); until it does (today), the fallbacks.
  const budget = policy().retry_budget_per_minute ?? 4;
  const minGap = policy().retry_min_gap_ms ?? 5000;
  const w = await startWorld(t);
  const tabs = [];
  for (const n of [1, 2, 3]) tabs.push((await failingTab(w, { url: `https://chatgpt.com/c/${n}` })).tabId);
  for (const tabId of tabs) await startRetry(w, tabId);
  const from = w.browser.mark();
  await w.clock.advance(10 * 60_000); // the pages keep failing (failingTab's page reports each load)
  const times = w.browser
    .calls("tabs.reload", { from })
    .map((e) => e.at)
    .sort((a, b) => a - b);
  assert.ok(times.length >= 3, `the tabs were retried (${times.length} reloads)`);
  const worst = Math.max(...times.map((at) => times.filter((x) => x >= at && x < at + 60_000).length));
  assert.ok(worst <= budget, `${worst} reloads within one minute; the budget is ${budget}`);
  const gaps = times.slice(1).map((at, i) => at - times[i]);
  assert.ok(Math.min(...gaps) >= minGap, `two reloads ${Math.round(Math.min(...gaps))} ms apart; at least ${minGap} ms wanted`);
});
