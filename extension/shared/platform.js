// The one place the two browsers differ in reaching the extension API: Firefox has the
// promise-based `browser` namespace (and `runtime.getBrowserInfo`), Chrome `chrome`. A classic
// script, so the content script can load it too; the background and the pages import it for
// its side effect. The few plans the core makes per browser take `PLATFORM.browser`.
// Both are read on first use: in a tab, the first touch of the extension's API costs the
// page milliseconds (Firefox builds its API objects then), and a healthy page's content
// script touches it only when it has something to say.
let extensionApi = null;
let browserName = null;
globalThis.PLATFORM = Object.freeze({
  get api() {
    return (extensionApi ??= globalThis.browser ?? globalThis.chrome);
  },
  get browser() {
    return (browserName ??= typeof globalThis.browser?.runtime?.getBrowserInfo === "function" ? "firefox" : "chrome");
  },
});
