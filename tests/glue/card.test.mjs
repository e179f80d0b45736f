// The card on the page, seen from the background: what a report's answer says to draw, and
// which card clicks the background carries out. A card lives in the page's DOM, so its
// message is taken only from the tab's own top-frame content script, only for the action
// the core offers for the tab's current diagnosis, and confirmed when the action asks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";
import { contentOf, popupOf, failingTab, snapshots, P } from "./content.mjs";

const CARD_ACTION = "content-to-background/card-action";
const CARD_DISMISS = "content-to-background/card-dismiss";

const reloadsOf = (w, tabId) => w.browser.calls("tabs.reload").filter((e) => e.args[0] === tabId);
const clears = (w) => [...w.browser.calls("browsingData.remove"), ...w.browser.calls("cookies.remove")];

test("the protocol names the card's messages", () => {
  assert.equal(P.CONTENT_TO_BACKGROUND_CARD_ACTION ?? CARD_ACTION, CARD_ACTION);
  assert.equal(P.CONTENT_TO_BACKGROUND_CARD_DISMISS ?? CARD_DISMISS, CARD_DISMISS);
});

test("a full-page 1020 gets a card offering the reload; the app and a healthy page get none", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  const reply = await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2000, "report");
  assert.equal(reply.card?.kind, "cloudflare_blocked");
  assert.equal(reply.card?.action?.id, "reload_now");
  const app = { ...snapshots.networkError(), markers: ["app_shell"] };
  const onApp = await w.clock.within(content.report(app), 2000, "report on the app");
  assert.equal(onApp.diagnosis.kind, "network_error");
  assert.equal(onApp.card, null, "no card on the running app");
  const healthy = await w.clock.within(content.report(snapshots.healthy()), 2000, "healthy report");
  assert.equal(healthy.card, null, "no card on a healthy page");
  assert.equal(reloadsOf(w, tabId).length, 0);
});

test("a card's click runs only the offered action, only from the tab's top frame", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2000, "report");
  // Not offered for a 1020: refused, nothing cleared.
  for (const action of ["clear_site_data", "full_reset", "retry_reload", "copy_report", "nonsense"]) {
    const refused = await w.clock.within(content.send({ type: CARD_ACTION, action, confirmed: true }), 2000, action);
    assert.equal(refused?.error, "not_offered", action);
  }
  assert.deepEqual(clears(w), [], "nothing cleared");
  // From a subframe of the tab (an iframe the page controls would have no content script, but
  // a frame is never the card): not handled at all.
  const fromFrame = await w.clock.within(contentOf(w, tabId, { frameId: 3 }).send({ type: CARD_ACTION, action: "reload_now" }), 2000, "frame");
  assert.equal(fromFrame?.result, undefined);
  // From an extension page (the popup has its own message): not a card's message.
  const fromPopup = await w.clock.within(popupOf(w).send({ type: CARD_ACTION, tabId, action: "reload_now" }), 2000, "popup");
  assert.equal(fromPopup?.result, undefined);
  assert.equal(reloadsOf(w, tabId).length, 0, "no reload yet");
  // The offered one, from the tab's top frame: carried out.
  const done = await w.clock.within(content.send({ type: CARD_ACTION, action: "reload_now", confirmed: false }), 4000, "reload_now");
  assert.ok(done?.result, JSON.stringify(done));
  assert.equal(reloadsOf(w, tabId).length, 1, "reloaded once");
});

test("an action that asks for a confirmation runs only once the card confirmed it", async (t) => {
  const w = await startWorld(t);
  const { tabId, content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareChallenge });
  // A challenge met once gets a reload; the tab meeting it again gets the clear.
  w.browser.navigate(tabId, "https://chatgpt.com/");
  await w.clock.advance(500);
  const reply = await w.clock.within(content.report(snapshots.cloudflareChallenge()), 2000, "report");
  assert.equal(reply.diagnosis.kind, "cloudflare_challenge");
  assert.equal(reply.card?.action?.id, "clear_cloudflare_cookies");
  assert.equal(reply.card?.action?.confirm, true);
  const unconfirmed = await w.clock.within(content.send({ type: CARD_ACTION, action: "clear_cloudflare_cookies" }), 2000, "unconfirmed");
  assert.equal(unconfirmed?.error, "not_offered");
  assert.deepEqual(clears(w).filter((c) => c.name === "browsingData.remove"), []);
});

test("a card closed on a page stays closed there until the page recovers", async (t) => {
  const w = await startWorld(t);
  const { content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  await w.clock.within(content.send({ type: CARD_DISMISS }), 2000, "dismiss");
  const again = await w.clock.within(content.report({ ...snapshots.cloudflareBlocked(), page_text_len: 201 }), 2000, "report");
  assert.equal(again.diagnosis.kind, "cloudflare_blocked");
  assert.equal(again.card, null, "dismissed on this page");
  const refused = await w.clock.within(content.send({ type: CARD_ACTION, action: "reload_now" }), 2000, "after dismissal");
  assert.equal(refused?.error, "not_offered", "a closed card offers nothing");
  await w.clock.within(content.report(snapshots.healthy()), 2000, "recovered");
  const later = await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2000, "fails again");
  assert.equal(later.card?.kind, "cloudflare_blocked", "back after the page recovered");
});

test("the card carries the verdict line, decided without waiting for the network", async (t) => {
  const w = await startWorld(t);
  w.browser.status = { mode: "never" }; // the status pages never answer
  const { content } = await failingTab(w, { url: "https://chatgpt.com/", snapshot: snapshots.cloudflareBlocked });
  const reply = await w.clock.within(content.report(snapshots.cloudflareBlocked()), 2000, "report");
  // A 1020 is on the network's address by the page's own evidence.
  assert.equal(reply.card?.verdict, "verdict_network");
});
