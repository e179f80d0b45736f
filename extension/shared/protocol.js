// Message types, named by direction, and where things live in storage. Loaded as a classic
// script by the content script and the extension pages, and imported for its side effect by
// the background module.

// The types below are JSDoc, for `tsc --noEmit` (see tsconfig.json): each message's payload
// and the reply its handler gives, named by direction. The core's own types come from the
// generated extension/generated/core-types.d.ts.
/** @typedef {import("../generated/core-types").Diagnosis} Diagnosis */
/** @typedef {import("../generated/core-types").Badge} Badge */
/** @typedef {import("../generated/core-types").PageSnapshot} PageSnapshot */
/** @typedef {import("../generated/core-types").ResponseInfo} ResponseInfo */
/** @typedef {import("../generated/core-types").RetryCommand} RetryCommand */
/** @typedef {import("../generated/core-types").RetryRun} RetryRun */
/** @typedef {import("../generated/core-types").RetryResult} RetryResult */
/** @typedef {import("../generated/core-types").AnswerPress} AnswerPress */
/** @typedef {import("../generated/core-types").OpenAiStatus} OpenAiStatus */
/** @typedef {import("../generated/core-types").ActionId} ActionId */
/** @typedef {import("../generated/core-types").ClearTier} ClearTier */
/** @typedef {import("../generated/core-types").SavedDraft} SavedDraft */
/** @typedef {import("../generated/core-types").ChallengeSeen} ChallengeSeen */

/** Any handler may answer this instead when it failed. @typedef {{ error: string }} ErrorReply */
/** A message whose reply carries nothing. @typedef {Record<string, never>} EmptyReply */

// content → background
/** @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_HELLO, url: string }} ContentToBackgroundHello */
/**
 * What the network said about the document (`response: null` when nothing yet), and the
 * retry countdown the tab carries.
 * @typedef {{ url?: string, response: ResponseInfo | null, retry_due_at_ms: number | null }} ContentToBackgroundHelloReply
 */
/**
 * What the sensor read, and the URL the document was fetched from (to match the response the
 * background saw); the background's core says what it means.
 * `document_started_ms`: when the document began (`performance.timeOrigin`): another one is a reload.
 * @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_REPORT, snapshot: PageSnapshot, document_url?: string, document_started_ms?: number }} ContentToBackgroundReport
 */
/**
 * What the background's own core made of it, the card to draw, whether a saved prompt
 * waits to go back into the composer, and the retry countdown the tab carries; or why not.
 * @typedef {{ diagnosis?: Diagnosis, card?: ContentToBackgroundCardReply["card"], draft_waiting?: boolean, retry_due_at_ms?: number | null, error?: string }} ContentToBackgroundReportReply
 */
/** @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_RETRY_DUE }} ContentToBackgroundRetryDue */
/** @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_CONNECTIVITY }} ContentToBackgroundConnectivity */
/** `account` is sent only once asked for. @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_DRAFT_TAKE, url: string, account?: string | null }} ContentToBackgroundDraftTake */
/**
 * `{ account_needed: true }` (ask again, with the account), `{ text }` (the prompt to put back), or
 * null (none belongs here).
 * @typedef {{ account_needed?: boolean, text?: string } | null} ContentToBackgroundDraftTakeReply
 */
/** @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_DRAFT_RESTORED }} ContentToBackgroundDraftRestored */
/** @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_DRAFT_SKIPPED }} ContentToBackgroundDraftSkipped */
/** @typedef {import("../generated/core-types").Card} Card */
/** "What card do I draw?" @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_CARD }} ContentToBackgroundCard */
/**
 * The card to draw now (with its verdict line's message key and the retry countdown), or none.
 * @typedef {{ card: (Card & { verdict: string, due_at_ms: number | null }) | null }} ContentToBackgroundCardReply
 */
/**
 * A trusted click on the card's action (`confirmed` once its own confirmation was clicked).
 * @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_CARD_ACTION, action: ActionId, confirmed: boolean }} ContentToBackgroundCardAction
 */
/** What the action did, and the card after it. @typedef {{ result: unknown, card: ContentToBackgroundCardReply["card"] } | ErrorReply} ContentToBackgroundCardActionReply */
/** The person closed the card on this page. @typedef {{ type: typeof PROTOCOL.CONTENT_TO_BACKGROUND_CARD_DISMISS }} ContentToBackgroundCardDismiss */
/**
 * @typedef {ContentToBackgroundHello | ContentToBackgroundReport | ContentToBackgroundRetryDue
 *   | ContentToBackgroundConnectivity | ContentToBackgroundDraftTake
 *   | ContentToBackgroundDraftRestored | ContentToBackgroundDraftSkipped
 *   | ContentToBackgroundCard | ContentToBackgroundCardAction | ContentToBackgroundCardDismiss} ContentToBackgroundMessage
 */

// background → content
/** @typedef {{ type: typeof PROTOCOL.BACKGROUND_TO_CONTENT_READ_DRAFT }} BackgroundToContentReadDraft */
/**
 * `account` only when there is text; `user_turns`: the person's messages on the page;
 * `typed_ms_ago`: since the person last typed in the composer (null: not on this page load).
 * @typedef {{ text: string, url: string, account: string | null, user_turns: number, typed_ms_ago: number | null }} BackgroundToContentReadDraftReply
 */
/** @typedef {{ type: typeof PROTOCOL.BACKGROUND_TO_CONTENT_PRESS_RETRY }} BackgroundToContentPressRetry */
/** @typedef {{ pressed: boolean }} BackgroundToContentPressRetryReply */
/** The stores of `ClearPlan.page_stores`. @typedef {{ type: typeof PROTOCOL.BACKGROUND_TO_CONTENT_CLEAR_PAGE, stores: string[] }} BackgroundToContentClearPage */
/** @typedef {{ cleared: string[] }} BackgroundToContentClearPageReply */
/** @typedef {{ type: typeof PROTOCOL.BACKGROUND_TO_CONTENT_RETRY_TIMER, due_at_ms: number | null }} BackgroundToContentRetryTimer */
/** The card to draw now (null: none), after fresh readings changed it. @typedef {{ type: typeof PROTOCOL.BACKGROUND_TO_CONTENT_CARD, card: any }} BackgroundToContentCard */
/**
 * @typedef {BackgroundToContentReadDraft | BackgroundToContentPressRetry
 *   | BackgroundToContentClearPage | BackgroundToContentRetryTimer
 *   | BackgroundToContentCard} BackgroundToContentMessage
 */

// popup → background
/** @typedef {{ type: typeof PROTOCOL.POPUP_TO_BACKGROUND_ACTION, tabId: number, action: ActionId }} PopupToBackgroundAction */
/**
 * What an action did: a retry's command, a clear's result, whether a page opened or
 * reloaded (and where the prompt went: "stored", "memory", "nothing"), or why not.
 * @typedef {(RetryCommand
 *   | { pressed: boolean }
 *   | { reloaded: boolean, draft: DraftSaved }
 *   | { opened: boolean, draft?: DraftSaved }
 *   | { tier: ClearTier, cookies_removed: number, page_cleared: string[] }
 *   | ErrorReply) & { error?: string }} PopupToBackgroundActionReply
 */
/** @typedef {"stored" | "memory" | "nothing"} DraftSaved */
/** @typedef {{ type: typeof PROTOCOL.POPUP_TO_BACKGROUND_STATUS }} PopupToBackgroundStatus */
/** Null when status checks are off. @typedef {OpenAiStatus | null} PopupToBackgroundStatusReply */
/** @typedef {{ type: typeof PROTOCOL.POPUP_TO_BACKGROUND_DRAFT, tabId: number }} PopupToBackgroundDraft */
/** The saved prompt's text, or null. @typedef {string | null} PopupToBackgroundDraftReply */
/** @typedef {import("../generated/core-types").Verdict} Verdict */
/** @typedef {import("../generated/core-types").Trace} Trace */
/** @typedef {import("../generated/core-types").PendingFix} PendingFix */
/** @typedef {{ type: typeof PROTOCOL.POPUP_TO_BACKGROUND_VERDICT, tabId: number }} PopupToBackgroundVerdict */
/**
 * Whose problem it is, and the sources it was decided from (each null when it did not answer).
 * @typedef {{ verdict: Verdict, openai: OpenAiStatus | null, cloudflare: OpenAiStatus | null, trace: Trace | null, online: boolean | null }} PopupToBackgroundVerdictReply
 */
/** From the options page. @typedef {{ type: typeof PROTOCOL.POPUP_TO_BACKGROUND_FORGET_MEMORY }} PopupToBackgroundForgetMemory */
/** @typedef {PopupToBackgroundAction | PopupToBackgroundStatus | PopupToBackgroundDraft | PopupToBackgroundVerdict | PopupToBackgroundForgetMemory} PopupToBackgroundMessage */

// storage.session, per tab
/**
 * `tabKey`: the tab's latest diagnosis, who classified it, and when; `app` whether the
 * document was the running app (absent when no page reported, e.g. the browser's own error page).
 * `challenge`: while the tab shows Cloudflare's challenge, when it met it first and in which documents.
 * @typedef {{ diagnosis: Diagnosis, url: string, at: number, app?: boolean, challenge?: ChallengeSeen | null, pending_since?: number | null }} StoredTab
 */
/** `responseKey`: what the network said about the tab's document. @typedef {{ url: string, at: number, response: ResponseInfo }} StoredResponse */
/** `draftKey`: a saved prompt (`text` null when only memory holds it). @typedef {SavedDraft & { text: string | null }} StoredDraft */
/** `STATUS_KEY`, `CLOUDFLARE_STATUS_KEY`: the last status reading, and from where. @typedef {{ endpoint: string, status: OpenAiStatus }} StoredStatus */
/** `TRACE_KEY`: the last trace read (never its IP), from where, and when. @typedef {{ url: string, at: number, trace: Trace | null }} StoredTrace */

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
  // content → background: the card on the page — the card to draw now / the person clicked
  // its action ({action, confirmed}: taken only for the action the core offers the tab) /
  // the person closed it on this page.
  CONTENT_TO_BACKGROUND_CARD: "content-to-background/card",
  CONTENT_TO_BACKGROUND_CARD_ACTION: "content-to-background/card-action",
  CONTENT_TO_BACKGROUND_CARD_DISMISS: "content-to-background/card-dismiss",
  // background → content: save the composer's text / press ChatGPT's retry button /
  // clear what the browser cannot clear for one site / carry this countdown.
  BACKGROUND_TO_CONTENT_READ_DRAFT: "background-to-content/read-draft",
  BACKGROUND_TO_CONTENT_PRESS_RETRY: "background-to-content/press-retry",
  BACKGROUND_TO_CONTENT_CLEAR_PAGE: "background-to-content/clear-page",
  BACKGROUND_TO_CONTENT_RETRY_TIMER: "background-to-content/retry-timer",
  // background → content: fresh readings changed the card ({card}): draw it.
  BACKGROUND_TO_CONTENT_CARD: "background-to-content/card",
  // popup → background: the person clicked an action ({tabId, action}).
  POPUP_TO_BACKGROUND_ACTION: "popup-to-background/action",
  // popup → background: OpenAI's status (read, or from the last minute's reading).
  POPUP_TO_BACKGROUND_STATUS: "popup-to-background/status",
  // popup → background: the unsent prompt saved for a tab, to copy.
  POPUP_TO_BACKGROUND_DRAFT: "popup-to-background/draft",
  // popup → background: whose problem this tab's error is ({tabId}) → {verdict, cloudflare,
  // trace, online}: the verdict with its evidence and the sources the report quotes.
  POPUP_TO_BACKGROUND_VERDICT: "popup-to-background/verdict",
  // options → background: forget the memory of what worked, and every fix still waiting
  // for its tab to recover, at once (in the one queue every change of the memory takes).
  POPUP_TO_BACKGROUND_FORGET_MEMORY: "popup-to-background/forget-memory",
  // storage.session keys: a tab's `StoredTab`, `StoredResponse`, `RetryRun` and
  // `StoredDraft` (an empty tab id gives the key's prefix), and the `StoredStatus`.
  tabKey: (/** @type {number | ""} */ tabId) => `tab:${tabId}`,
  responseKey: (/** @type {number | ""} */ tabId) => `response:${tabId}`,
  retryKey: (/** @type {number | ""} */ tabId) => `retry:${tabId}`,
  // The person cancelled a retry on this page load (true; gone at the tab's next load): no
  // run starts by itself on it again.
  retryCancelledKey: (/** @type {number | ""} */ tabId) => `retry-cancelled:${tabId}`,
  // How the tab's last retry run ended (`RetryResult`), for the popup and the report.
  retryResultKey: (/** @type {number | ""} */ tabId) => `retry-result:${tabId}`,
  // A failed answer's first sighting in the tab ({conversation, failed_at_ms}), and the
  // presses of ChatGPT's Retry made by themselves lately (`AnswerPress[]`, every tab).
  answerFailureKey: (/** @type {number | ""} */ tabId) => `answer-failure:${tabId}`,
  ANSWER_PRESSES_KEY: "answer-presses",
  draftKey: (/** @type {number | ""} */ tabId) => `draft:${tabId}`,
  // The page (URL without fragment) on which the person closed the card.
  cardDismissedKey: (/** @type {number | ""} */ tabId) => `card-dismissed:${tabId}`,
  STATUS_KEY: "status",
  CLOUDFLARE_STATUS_KEY: "cloudflare-status",
  // storage.session: Cloudflare's trace per ChatGPT host ({url, trace, at}; never the IP) and
  // the fix a tab's last action may have made ({kind, code, action, at_ms}).
  TRACE_KEY: "trace",
  pendingFixKey: (/** @type {number | ""} */ tabId) => `fix:${tabId}`,
  // storage.session: when the extension reloaded a tab by itself lately (every tab's
  // retries share one budget): `number[]`, ms since the epoch.
  RETRY_BUDGET_KEY: "retry-budget",
  // alarms: a retry's due time, a usage limit's reset time (the tab id follows).
  RETRY_ALARM_PREFIX: "retry:",
  LIMIT_ALARM_PREFIX: "limit:",
  PENDING_ALARM_PREFIX: "pending:",
  // storage.local key of the options (`Settings`, as the core bounds them).
  SETTINGS_KEY: "settings",
  // storage.local: the memory of what worked (names and counts only, bounded by the core).
  FIX_MEMORY_KEY: "fix-memory",
});
