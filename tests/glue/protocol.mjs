// The message names and storage keys of extension/protocol.js, read from the built file (a
// classic script that sets globalThis.PROTOCOL), so the tests follow the glue's own names;
// the names as of this writing stand in if the file is gone or has another shape.
import { readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

// Not load-background.mjs's distDir: it imports fake-browser.mjs, which imports this module,
// and in that cycle distDir is not yet defined here (the build's names were silently lost).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const distDir = (flavour) => (process.env.GLUE_DIST ? resolve(process.env.GLUE_DIST, flavour) : join(ROOT, "dist", flavour));

const FALLBACK = {
  CONTENT_TO_BACKGROUND_HELLO: "content-to-background/hello",
  CONTENT_TO_BACKGROUND_REPORT: "content-to-background/report",
  CONTENT_TO_BACKGROUND_RETRY_DUE: "content-to-background/retry-due",
  CONTENT_TO_BACKGROUND_CONNECTIVITY: "content-to-background/connectivity",
  CONTENT_TO_BACKGROUND_DRAFT_TAKE: "content-to-background/draft-take",
  CONTENT_TO_BACKGROUND_DRAFT_RESTORED: "content-to-background/draft-restored",
  BACKGROUND_TO_CONTENT_READ_DRAFT: "background-to-content/read-draft",
  BACKGROUND_TO_CONTENT_PRESS_RETRY: "background-to-content/press-retry",
  BACKGROUND_TO_CONTENT_CLEAR_PAGE: "background-to-content/clear-page",
  BACKGROUND_TO_CONTENT_RETRY_TIMER: "background-to-content/retry-timer",
  POPUP_TO_BACKGROUND_ACTION: "popup-to-background/action",
  POPUP_TO_BACKGROUND_STATUS: "popup-to-background/status",
  POPUP_TO_BACKGROUND_DRAFT: "popup-to-background/draft",
  tabKey: (tabId) => `tab:${tabId}`,
  responseKey: (tabId) => `response:${tabId}`,
  retryKey: (tabId) => `retry:${tabId}`,
  draftKey: (tabId) => `draft:${tabId}`,
  STATUS_KEY: "status",
  SETTINGS_KEY: "settings",
};

function fromBuild() {
  try {
    const context = vm.createContext({});
    context.globalThis = context;
    vm.runInContext(readFileSync(join(distDir("chrome"), "shared", "protocol.js"), "utf8"), context);
    return context.PROTOCOL ?? null;
  } catch {
    return null;
  }
}

/** The protocol: the build's names, any missing one from the fallback. */
export const P = Object.freeze({ ...FALLBACK, ...(fromBuild() ?? {}) });
