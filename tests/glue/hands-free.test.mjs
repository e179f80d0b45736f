// Runs that start by themselves, on the fake clock: an outage with ten failing tabs stays
// within the one reload budget, earliest due first; a block never starts one; Cancel holds
// for that page load (and a new load starts again); the option switched off mid-run stops
// the run before its reload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { policy, contentOf, popupOf, snapshots, failingTab, pageReports, tabState, P } from "./content.mjs";

const POLICY = policy();
const reloadsOf = (w, tabId) => w.browser.calls("tabs.reload").filter((e) => e.args[0] === tabId);

test("a server's error page starts its own run, with no click", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w, { snapshot: snapshots.serverError });
  const run = tabState(w, tabId).retry;
  assert.ok(run, "a run started by itself");
  assert.equal(run.hands_free, true);
  assert.equal(contentOf(w, tabId).carriedDueAt, run.due_at_ms, "the tab carries the countdown from the first second");
  assert.equal(reloadsOf(w, tabId).length, 0, "nothing reloads before it is due");
  await w.clock.advanceTo(run.due_at_ms + 100);
  assert.equal(reloadsOf(w, tabId).length, 1, "reloaded once when due");
});

test("a 1020 and the app's own network error never start a run by themselves", async (t) => {
  const w = await startWorld(t);
  const blocked = await failingTab(w, { url: "https://chatgpt.com/c/blocked", snapshot: snapshots.cloudflareBlocked });
  const inApp = await failingTab(w, { url: "https://chatgpt.com/c/toast", snapshot: snapshots.networkError });
  await w.clock.advance(180_000);
  for (const { tabId } of [blocked, inApp]) {
    assert.equal(tabState(w, tabId).retry, null);
    assert.equal(reloadsOf(w, tabId).length, 0);
  }
});

test("an outage in ten tabs: at most the budget's reloads a minute, earliest due first", async (t) => {
  const w = await startWorld(t);
  const firstDue = new Map(); // tab → when its run, started by itself, was first due
  for (let i = 0; i < 10; i++) {
    const { tabId } = await failingTab(w, { url: `https://chatgpt.com/c/outage-${i}`, snapshot: snapshots.serverError });
    const run = tabState(w, tabId).retry;
    if (run?.hands_free) firstDue.set(tabId, run.due_at_ms);
  }
  const started = [...firstDue.keys()];
  const byDue = [...started].sort((x, y) => firstDue.get(x) - firstDue.get(y));
  assert.ok(started.length >= POLICY.retry_budget_per_minute, `${started.length} runs started by themselves`);
  await w.clock.advance(15 * 60_000);
  const times = w.browser.calls("tabs.reload").map((e) => e.at).sort((a, b) => a - b);
  assert.ok(times.length >= POLICY.retry_budget_per_minute, `${times.length} reloads`);
  for (let i = 0; i < times.length; i++) {
    const inWindow = times.filter((x) => x > times[i] - 60_000 && x <= times[i]).length;
    assert.ok(inWindow <= POLICY.retry_budget_per_minute, `${inWindow} reloads in the minute up to ${times[i]}`);
    if (i > 0) assert.ok(times[i] - times[i - 1] >= POLICY.retry_min_gap_ms, "reloads too close");
  }
  // The tab due first reloads first, and every tab gets its turn (none starves).
  const order = w.browser.calls("tabs.reload").map((e) => e.args[0]);
  assert.equal(order[0], byDue[0]);
  for (const tabId of started) assert.ok(order.includes(tabId), `tab ${tabId} never reloaded`);
});

test("Cancel in the first wait holds for that page load; the next load starts again", async (t) => {
  const w = await startWorld(t);
  const url = "https://chatgpt.com/c/cancel";
  const { tabId, content } = await failingTab(w, { url, snapshot: snapshots.serverError });
  assert.ok(tabState(w, tabId).retry?.hands_free);
  const reply = await w.clock.within(popupOf(w).action(tabId, "cancel_retry"), 1000, "cancel_retry");
  assert.equal(reply.outcome, "cancelled");
  // The same page reports again (a mutation): nothing starts.
  await w.clock.within(content.report(snapshots.serverError(url, Date.now())), 1000, "a second report");
  await w.clock.advance(120_000);
  assert.equal(tabState(w, tabId).retry, null, "a run started again on the cancelled page load");
  assert.equal(reloadsOf(w, tabId).length, 0);
  // The person loads the page again, and it fails again: a run starts by itself.
  w.browser.navigate(tabId, url);
  await w.clock.advance(500);
  assert.equal(tabState(w, tabId).retry?.hands_free, true);
});

test("the option switched off mid-run stops the run before its reload", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failingTab(w, { snapshot: snapshots.serverError });
  const run = tabState(w, tabId).retry;
  assert.ok(run?.hands_free);
  const stored = w.browser.storage.local.value(P.SETTINGS_KEY) ?? {};
  await w.browser.storage.local.set({ [P.SETTINGS_KEY]: { ...stored, retry_by_itself: false } });
  await w.clock.advanceTo(run.due_at_ms + 1000);
  assert.equal(reloadsOf(w, tabId).length, 0, "reloaded after the option was switched off");
  assert.equal(tabState(w, tabId).retry, null);
});

// A failed answer with the option on: its Retry waits the core's short wait, then is pressed
// once; a press still waiting is dropped when the person sends a new message or types.
const pressesOf = (w, tabId) => w.browser.calls("tabs.sendMessage").filter((e) => e.args[0] === tabId && e.args[1]?.type === P.BACKGROUND_TO_CONTENT_PRESS_RETRY);
async function failedAnswerTab(w, url) {
  const stored = w.browser.storage.local.value(P.SETTINGS_KEY) ?? {};
  await w.browser.storage.local.set({ [P.SETTINGS_KEY]: { ...stored, retry_answers_by_itself: true } });
  const tabId = w.browser.openTab({ url, draft: "" });
  w.browser.tab(tabId).content.retryButton = true;
  const content = pageReports(w, tabId, snapshots.failedAnswer);
  w.browser.navigate(tabId, url);
  await w.clock.advance(500); // the page loads and reports its failed answer
  assert.equal(tabState(w, tabId).record?.diagnosis?.kind, "app_error");
  return { tabId, content };
}

test("a failed answer, the option on: pressed once after the short wait", async (t) => {
  const w = await startWorld(t);
  const { tabId } = await failedAnswerTab(w, "https://chatgpt.com/c/pressed");
  assert.equal(pressesOf(w, tabId).length, 0, "pressed before the wait");
  await w.clock.advance(30_000);
  assert.equal(pressesOf(w, tabId).length, 1);
});

for (const [what, act] of [
  ["sends a new message (its answer fails too)", (content) => content.sendsMessage()],
  ["types in the composer and clears it again", (content) => content.types("")],
]) {
  test(`a failed answer's press waiting for its short wait is dropped when the person ${what}`, async (t) => {
    const w = await startWorld(t);
    const url = "https://chatgpt.com/c/theirs";
    const { tabId, content } = await failedAnswerTab(w, url);
    await w.clock.advance(2000); // within the wait
    act(content);
    // The page reports again (the new answer failed in the same place): the same failure.
    await w.clock.within(content.report(snapshots.failedAnswer(url, Date.now())), 1000, "a report");
    await w.clock.advance(60_000);
    assert.equal(pressesOf(w, tabId).length, 0, "pressed after the person acted");
  });
}

test("a run started by itself stops rather than reload away a prompt too long to save, and says so", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { snapshot: snapshots.serverError });
  const run = tabState(w, tabId).retry;
  assert.ok(run?.hands_free, "a run started by itself");
  // Longer than storage.session takes: the prompt could live only in the worker's memory.
  content.draft = "x".repeat(POLICY.draft_max_chars + 1);
  await w.clock.advanceTo(run.due_at_ms + 1000);
  assert.equal(reloadsOf(w, tabId).length, 0, "the page and its prompt stay");
  const result = w.browser.storage.session.value(P.retryResultKey(tabId));
  assert.equal(result?.outcome, "prompt_unsaved", `the popup is told why (${JSON.stringify(result)})`);
});
