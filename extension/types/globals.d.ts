// The globals the glue's scripts share, for `tsc --noEmit` (no effect on what ships).
// SENSOR_SPEC, POLICY and CORE are declared by the generated extension/generated/core-data.d.ts;
// PROTOCOL and PLATFORM are typed by the scripts that set them (shared/protocol.js,
// shared/platform.js).
/// <reference path="../generated/core-data.d.ts" />

/** The extension API: Firefox's `browser` or Chrome's `chrome` (shared/platform.js). */
type ExtensionApi = typeof chrome;

declare var PLATFORM: Readonly<{ api: ExtensionApi; browser: "chrome" | "firefox" }>;
/** The hello content/early.js sent at document_start, for content/index.js to read. */
declare var CONTENT_HELLO: Promise<ContentToBackgroundHelloReply | null> | undefined;
/** The URL the document was fetched from, as content/early.js read it at document_start. */
declare var CONTENT_DOCUMENT_URL: string | undefined;
/** Its answer, once it has come (undefined until then). */
declare var CONTENT_HELLO_REPLY: ContentToBackgroundHelloReply | null | undefined;
/** Firefox's namespace: Chrome's API (as far as the glue uses it) and a few of its own. */
declare var browser:
  | (typeof chrome & { runtime: typeof chrome.runtime & { getBrowserInfo(): Promise<{ name: string }> } })
  | undefined;

// What Firefox's API adds to Chrome's, where the glue uses it (the core plans these fields
// per browser: src/plans/site_data.rs).
declare namespace chrome.browsingData {
  interface RemovalOptions {
    /** Firefox: the hosts to clear (Chrome takes `origins`). */
    hostnames?: string[];
    /** Firefox: the cookie store (container, private window) the call is limited to. */
    cookieStoreId?: string;
  }
}
declare namespace chrome.tabs {
  interface Tab {
    /** Firefox: the tab's cookie store. */
    cookieStoreId?: string;
  }
}
