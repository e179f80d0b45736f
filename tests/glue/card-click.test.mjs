// The card's click rule (issue 19, item 6), the pure part of content/card.js on a fake clock:
// a control takes a click only once it has been on screen for the policy's minimum
// (card_click_min_visible_ms), and only while the card is in the page as drawn, opaque, and
// topmost at the click's point. The built card.js runs here as the browser runs it (a classic
// script that sets globalThis.PAGE_CARD), with no DOM: only the rule is exercised.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { distDir } from "./load-background.mjs";
import { policy } from "./content.mjs";

const MIN = policy().card_click_min_visible_ms;

function loadCard() {
  const context = vm.createContext({ PLATFORM: { api: { i18n: { getMessage: () => "" } } }, CORE: { ACTION: {} }, POLICY: policy() });
  vm.runInContext(readFileSync(join(distDir("chrome"), "content", "card.js"), "utf8"), context, { filename: "card.js" });
  return context.PAGE_CARD;
}

const asDrawn = (shownAt, now) => ({ connected: true, styleAsDrawn: true, opaque: true, shownAt, now, minVisibleMs: MIN, onControl: true, onTop: true });

test("the policy asks for half a second on screen before a click counts", () => {
  assert.equal(MIN, 500);
});

test("a control takes no click until it has been on screen for the minimum, then takes it", () => {
  const { takesClick } = loadCard();
  const drawnAt = 1_700_000_000_000;
  for (const after of [0, 1, 100, MIN - 1]) assert.equal(takesClick(asDrawn(drawnAt, drawnAt + after)), false, `${after} ms after it was drawn`);
  for (const after of [MIN, MIN + 1, 60_000]) assert.equal(takesClick(asDrawn(drawnAt, drawnAt + after)), true, `${after} ms after it was drawn`);
  // A clock that went back (the control drawn "later" than the click): not yet.
  assert.equal(takesClick(asDrawn(drawnAt, drawnAt - 10_000)), false);
});

test("a control never drawn, or a clock that cannot be read, takes no click", () => {
  const { takesClick } = loadCard();
  assert.equal(takesClick(asDrawn(undefined, 10_000)), false);
  assert.equal(takesClick(asDrawn(Number.NaN, 10_000)), false);
  assert.equal(takesClick(asDrawn(0, Number.NaN)), false);
});

test("long on screen is not enough: restyled, see-through, covered, off the control or gone, no click", () => {
  const { takesClick } = loadCard();
  for (const fact of ["connected", "styleAsDrawn", "opaque", "onControl", "onTop"]) {
    assert.equal(takesClick({ ...asDrawn(0, 60_000), [fact]: false }), false, `${fact} false`);
  }
});
