// The first thing of the extension in a ChatGPT tab, at document_start (the document has
// just committed, nothing of it is parsed). When the response was an error, it says hello,
// so the background can light the badge from the response's status and headers before the
// page has loaded; the sensor (content/index.js, at document_idle) takes the answer from
// here. A healthy response needs nothing before the page is read: no message, and the
// extension's API is not even touched.
(() => {
  const navigation = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType("navigation")[0]);
  // The URL this document was fetched from, even if the page rewrites its own later
  // (Cloudflare's challenge does, with history.replaceState).
  const url = navigation?.name || location.href;
  globalThis.CONTENT_DOCUMENT_URL = url;
  const status = navigation?.responseStatus ?? 0; // 0: the browser does not say
  if (status > 0 && status < 400) return;
  const { api } = globalThis.PLATFORM;
  const P = globalThis.PROTOCOL;
  /** @type {Promise<ContentToBackgroundHelloReply | null>} */
  const hello = api.runtime.sendMessage(/** @satisfies {ContentToBackgroundHello} */ ({ type: P.CONTENT_TO_BACKGROUND_HELLO, url })).catch(() => null);
  globalThis.CONTENT_HELLO = hello;
  // Its answer, once there, for the sensor to take without waiting a turn.
  hello.then((reply) => {
    globalThis.CONTENT_HELLO_REPLY = reply;
  });
})();
