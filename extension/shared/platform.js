// The one place the two browsers differ in reaching the extension API: Firefox has the
// promise-based `browser` namespace (and `runtime.getBrowserInfo`), Chrome `chrome`. A classic
// script, so the content script can load it too; the background and the pages import it for
// its side effect. The few plans the core makes per browser take `PLATFORM.browser`.
globalThis.PLATFORM = Object.freeze({
  api: globalThis.browser ?? globalThis.chrome,
  browser: typeof globalThis.browser?.runtime?.getBrowserInfo === "function" ? "firefox" : "chrome",
});
