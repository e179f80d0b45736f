// Loads the REAL built background (dist/chrome or dist/firefox) against the fake browser.
//
//   const world = createWorld({ flavour: "chrome" });   // installs the fake globals
//   const bg = await world.loadBackground();             // a fresh module graph
//   ... await world.clock.advance(1000) ...
//   const bg2 = await world.restartBackground();         // the service worker restarted
//   world.dispose();                                     // restores the real globals
//
// Each load copies the built extension into a fresh temp dir and import()s its background (background/index.js),
// so module-level state (queues, timers, caches) is new. A restart stops the previous
// instance first: its listeners are detached from the fake, its timers cancelled, and its
// facade's calls never settle; storage.session, alarms and tabs are shared, as in a browser.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FakeClock } from "./clock.mjs";
import { FakeBrowser } from "./fake-browser.mjs";
import { distDir } from "./dist.mjs";

export { ROOT, distDir } from "./dist.mjs";

/** The background script the built manifest names (Chrome: service_worker, Firefox: scripts). */
function backgroundEntry(manifest) {
  return manifest.background?.service_worker ?? manifest.background?.scripts?.[0] ?? "background/index.js";
}

let current = null; // only one world's globals may be installed at a time

export function createWorld({ flavour = "chrome", seed = 1, now, online = true } = {}) {
  if (current) throw new Error("a previous world was not disposed: call world.dispose() (t.after) in every test");
  const dir = distDir(flavour);
  const clock = new FakeClock({ seed, ...(now ? { now } : {}) });
  clock.online = online;
  const browser = new FakeBrowser({ flavour, dir, clock });
  const saved = {
    chrome: Object.getOwnPropertyDescriptor(globalThis, "chrome"),
    browser: Object.getOwnPropertyDescriptor(globalThis, "browser"),
    fetch: globalThis.fetch,
    PROTOCOL: Object.getOwnPropertyDescriptor(globalThis, "PROTOCOL"),
  };
  const temps = [];
  let instances = 0;
  let active = null;

  clock.install();
  globalThis.fetch = (input, init) => browser.fetch(input, init);
  // A rejection nobody handles, in a timer, a listener or a promise the glue dropped, is
  // logged by a browser, not fatal: the world records it (`errors`, and "unhandled-rejection"
  // in the log) instead of letting node:test fail the test on it. A test asserts behaviour.
  const errors = [];
  const logError = (e) => {
    errors.push(e);
    browser.record("unhandled-rejection", String(e?.stack ?? e));
  };
  clock.onError = logError;
  const testRunnerRejectionHandlers = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", logError);

  const world = {
    flavour,
    dir,
    clock,
    browser,
    errors,
    get background() {
      return active;
    },

    /** Points chrome/browser at a facade for a new instance and imports a fresh copy. */
    async loadBackground() {
      if (active) throw new Error("a background is running: use restartBackground()");
      const id = `bg${++instances}`;
      const copy = mkdtempSync(join(tmpdir(), `glue-${flavour}-`));
      temps.push(copy);
      cpSync(dir, copy, { recursive: true });
      const api = browser.apiFor(id);
      const set = (name, value) => Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
      set("chrome", api);
      if (flavour === "firefox") set("browser", api);
      else delete globalThis.browser;
      clock.owner = id;
      const entry = pathToFileURL(join(copy, backgroundEntry(browser.manifest))).href;
      try {
        await clock.track(import(entry));
      } catch (e) {
        throw new Error(`importing the background (${entry}) failed: ${e?.stack ?? e}`);
      }
      await clock.settle();
      active = {
        id,
        dir: copy,
        api,
        stop() {
          browser.detach(id);
          clock.cancelOwner(id);
          clock.dropGlobalListeners(id);
          if (active?.id === id) active = null;
        },
      };
      return active;
    },

    /** The browser stops the service worker and starts a new one. */
    async restartBackground() {
      active?.stop();
      await clock.settle();
      return world.loadBackground();
    },

    /** Runs the install event (a fresh install, or an update). */
    installed(reason = "install") {
      return browser.emit("runtime.onInstalled", [{ reason }]);
    },

    /** Removes the fake globals and the temp copies. */
    dispose() {
      active?.stop();
      clock.uninstall();
      process.removeListener("unhandledRejection", logError);
      for (const handler of testRunnerRejectionHandlers) process.on("unhandledRejection", handler);
      globalThis.fetch = saved.fetch;
      for (const name of ["chrome", "browser", "PROTOCOL"]) {
        if (saved[name]) Object.defineProperty(globalThis, name, saved[name]);
        else delete globalThis[name];
      }
      for (const t of temps) rmSync(t, { recursive: true, force: true });
      current = null;
    },
  };
  current = world;
  return world;
}

/** A world with a loaded background, disposed when the test `t` ends. */
export async function startWorld(t, options) {
  const world = createWorld(options);
  t.after(() => world.dispose());
  await world.loadBackground();
  return world;
}
