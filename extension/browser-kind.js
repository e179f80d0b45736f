// Which browser this is, for the few plans the core makes per browser (Firefox has
// `runtime.getBrowserInfo`; Chrome does not).
export const BROWSER = typeof globalThis.browser?.runtime?.getBrowserInfo === "function" ? "firefox" : "chrome";
