// Message types, named by direction, and where things live in storage. Loaded as a classic
// script by the content script and the extension pages, and imported for its side effect by
// the background module.
globalThis.PROTOCOL = Object.freeze({
  // content → background: "what did the network say about my document?"
  CONTENT_TO_BACKGROUND_HELLO: "content-to-background/hello",
  // content → background: a snapshot, with the diagnosis when the content script could
  // run the core itself (null when the page's CSP kept WebAssembly out).
  CONTENT_TO_BACKGROUND_REPORT: "content-to-background/report",
  // content → background: the retry countdown this tab carries has run out.
  CONTENT_TO_BACKGROUND_RETRY_DUE: "content-to-background/retry-due",
  // content → background: the page heard the connection change (the background's own
  // navigator.onLine decides what it means).
  CONTENT_TO_BACKGROUND_CONNECTIVITY: "content-to-background/connectivity",
  // content → background: "is there a prompt of mine to put back?" ({url, account?}: the
  // account is asked for only when there is one) / "it is back" / "the composer was not
  // empty: only offer it for copying".
  CONTENT_TO_BACKGROUND_DRAFT_TAKE: "content-to-background/draft-take",
  CONTENT_TO_BACKGROUND_DRAFT_RESTORED: "content-to-background/draft-restored",
  CONTENT_TO_BACKGROUND_DRAFT_SKIPPED: "content-to-background/draft-skipped",
  // background → content: save the composer's text / press ChatGPT's retry button /
  // clear what the browser cannot clear for one site / carry this countdown.
  BACKGROUND_TO_CONTENT_READ_DRAFT: "background-to-content/read-draft",
  BACKGROUND_TO_CONTENT_PRESS_RETRY: "background-to-content/press-retry",
  BACKGROUND_TO_CONTENT_CLEAR_PAGE: "background-to-content/clear-page",
  BACKGROUND_TO_CONTENT_RETRY_TIMER: "background-to-content/retry-timer",
  // popup → background: the person clicked an action ({tabId, action}).
  POPUP_TO_BACKGROUND_ACTION: "popup-to-background/action",
  // popup → background: OpenAI's status (read, or from the last minute's reading).
  POPUP_TO_BACKGROUND_STATUS: "popup-to-background/status",
  // popup → background: the unsent prompt saved for a tab, to copy.
  POPUP_TO_BACKGROUND_DRAFT: "popup-to-background/draft",
  // popup → background: whose problem this tab's error is ({tabId}) → {verdict, cloudflare,
  // trace, online}: the verdict with its evidence and the sources the report quotes.
  POPUP_TO_BACKGROUND_VERDICT: "popup-to-background/verdict",
  // storage.session keys.
  tabKey: (tabId) => `tab:${tabId}`,
  responseKey: (tabId) => `response:${tabId}`,
  retryKey: (tabId) => `retry:${tabId}`,
  draftKey: (tabId) => `draft:${tabId}`,
  STATUS_KEY: "status",
  CLOUDFLARE_STATUS_KEY: "cloudflare-status",
  // storage.session: Cloudflare's trace per ChatGPT host ({url, trace, at}; never the IP) and
  // the fix a tab's last action may have made ({kind, code, action, at_ms}).
  TRACE_KEY: "trace",
  pendingFixKey: (tabId) => `fix:${tabId}`,
  // storage.session: when the extension reloaded a tab by itself lately (every tab's
  // retries share one budget).
  RETRY_BUDGET_KEY: "retry-budget",
  // alarms: a retry's due time, a usage limit's reset time (the tab id follows).
  RETRY_ALARM_PREFIX: "retry:",
  LIMIT_ALARM_PREFIX: "limit:",
  // storage.local key of the options.
  SETTINGS_KEY: "settings",
  // storage.local: the memory of what worked (names and counts only, bounded by the core).
  FIX_MEMORY_KEY: "fix-memory",
});
