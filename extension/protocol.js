// Message types, named by direction. Loaded as a classic script by the content script and
// the popup, and imported for its side effect by the background module.
globalThis.PROTOCOL = Object.freeze({
  // content → background: "what did the network say about my document?"
  CONTENT_TO_BACKGROUND_HELLO: "content-to-background/hello",
  // content → background: a snapshot, with the diagnosis when the content script could
  // run the core itself (null when the page's CSP kept WebAssembly out).
  CONTENT_TO_BACKGROUND_REPORT: "content-to-background/report",
  // Where the per-tab record lives in storage.session.
  tabKey: (tabId) => `tab:${tabId}`,
  responseKey: (tabId) => `response:${tabId}`,
});
