// The welcome page opens on a fresh install, once, and never on an update of the extension,
// an update of the browser, a reload of the unpacked extension, or a worker restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorld } from "./load-background.mjs";

const welcomeTabs = (w) =>
  w.browser.calls("tabs.create").filter((e) => String(e.args[0]?.url ?? "").endsWith("welcome/welcome.html"));

test("a fresh install opens the welcome page once", async (t) => {
  const w = await startWorld(t);
  await w.installed("install");
  await w.clock.settle();
  assert.equal(welcomeTabs(w).length, 1);
  await w.restartBackground();
  await w.clock.settle();
  assert.equal(welcomeTabs(w).length, 1, "a worker restart opens nothing");
});

for (const reason of ["update", "chrome_update", "browser_update", "shared_module_update"]) {
  test(`"${reason}" opens no page`, async (t) => {
    const w = await startWorld(t);
    await w.installed(reason);
    await w.clock.settle();
    assert.equal(welcomeTabs(w).length, 0);
    assert.equal(w.browser.calls("tabs.create").length, 0, "no page of any kind");
  });
}
