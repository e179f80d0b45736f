// The first thing of the extension in a ChatGPT tab, at document_start (the document has
// just committed, nothing of it is parsed): says hello, so the background can light the
// badge from the response's status and headers before the page has loaded. The sensor
// (content/index.js, at document_idle) takes the answer from here.
(() => {
  const { api } = globalThis.PLATFORM;
  const P = globalThis.PROTOCOL;
  // The URL this document was fetched from, even if the page rewrites its own later
  // (Cloudflare's challenge does, with history.replaceState).
  const url = performance.getEntriesByType("navigation")[0]?.name || location.href;
  /** @type {Promise<ContentToBackgroundHelloReply | null>} */
  const hello = api.runtime.sendMessage(/** @satisfies {ContentToBackgroundHello} */ ({ type: P.CONTENT_TO_BACKGROUND_HELLO, url })).catch(() => null);
  globalThis.CONTENT_HELLO = hello;
})();
