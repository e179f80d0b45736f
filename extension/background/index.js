// The background: remembers what the network said about each tab's document, keeps each
// tab's latest diagnosis (in storage.session, so it survives the service worker stopping),
// sets the badge, and carries out the popup's actions. Every decision is the core's; these
// files only carry things around.
import "../generated/core-data.js";
import "../shared/platform.js";
import "../shared/protocol.js";
import { EARLY_BADGE_RULES } from "../generated/early-badges.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { fromExtensionPage, runAction } from "./actions.js";
import { openAiStatus, cloudflareStatus } from "./status.js";
import { connectionTrace } from "./trace.js";
import { verdictFor } from "./verdict.js";
import { tabHealthy, forgetFixMemory } from "./fix-memory.js";
import { retryEvent, retryRun, carriedDueAt, forgetTab, connectivityChanged, newPageLoad } from "./retry.js";
import { takeDraft, dropDraft, draftSkipped, draftText, draftWaiting } from "./drafts.js";
import { notify } from "./notify.js";
import { tabInfo } from "./tabs.js";
import { cardFor, cardAction, cardDismissed, redrawCard } from "./card.js";
import { answerSeen } from "./answer-retry.js";

const { api } = globalThis.PLATFORM;
const P = globalThis.PROTOCOL;
const { tabKey, responseKey, LIMIT_ALARM_PREFIX, PENDING_ALARM_PREFIX } = P;
// Every listener below is filtered to these: nothing runs for any other site's pages.
const { CORE } = globalThis;
const { KIND } = CORE;
const HOSTS = [...CORE.HOST_PATTERNS];
const MAIN_FRAME = { urls: HOSTS, types: [/** @type {chrome.webRequest.ResourceType} */ ("main_frame")] };

function headerValue(headers, name) {
  const h = (headers || []).find((x) => x.name.toLowerCase() === name);
  return h ? h.value ?? null : null;
}

// Reports are written one after another, in the order they came: a slow earlier write must
// not land on top of a later one.
/** @type {Promise<Diagnosis | null>} */
let writes = Promise.resolve(null);
/** @returns {Promise<Diagnosis | null>} what was recorded (null: the write failed) */
function record(...args) {
  writes = writes.then(() => write(...args)).catch(() => null);
  return writes;
}

// `app`: whether the document is the running app (false: an error document served instead;
// absent when no content script read it); `signedOut`: the page offers to log in;
// `documentAt`: when the document's response arrived, if seen (a reload is another one).
async function write(tabId, diagnosis, url, app = null, signedOut = false, documentAt = null) {
  const core = await loadCore();
  // A challenge is kept track of while the tab keeps showing one: the core says when it has
  // come back (once is normal).
  // So is the app's wait for the rest of an answer: the core says when it has lasted too long.
  const waiting = diagnosis.kind === KIND.RESPONSE_PENDING;
  const kept = diagnosis.kind === KIND.CLOUDFLARE_CHALLENGE || waiting;
  const before = kept ? /** @type {StoredTab | null} */ (await sessionValue(tabKey(tabId))) : null;
  const challenge = diagnosis.kind === KIND.CLOUDFLARE_CHALLENGE ? core.challenge_seen(before?.challenge ?? null, documentAt, Date.now()) : null;
  const pendingSince = waiting ? core.pending_since(before?.pending_since ?? undefined, Date.now()) : null;
  if (pendingSince !== null) diagnosis = core.pending_overdue(diagnosis, pendingSince, Date.now());
  await api.storage.session.set({ [tabKey(tabId)]: { diagnosis, url, app, at: Date.now(), challenge, pending_since: pendingSince } });
  // Read again when the wait would become too long (the page may not report by itself then).
  if (pendingSince !== null && diagnosis.kind === KIND.RESPONSE_PENDING) {
    api.alarms.create(`${PENDING_ALARM_PREFIX}${tabId}`, { when: core.pending_recheck_at(pendingSince) });
  }
  // A page that recovered shows its card again next time it fails.
  if (diagnosis.kind === KIND.NONE) await api.storage.session.remove(P.cardDismissedKey(tabId));
  await applyBadge(tabId, core.badge(diagnosis));
  // Awaited: a run that starts by itself is stored before the page hears back, so its card
  // and countdown show from the first second.
  await retryEvent(tabId, CORE.RETRY_EVENT.SEEN).catch(() => {});
  answerSeen(tabId).catch(() => {}); // a failed answer's own Retry, when the options say so
  sweepClosedTabs();
  if (diagnosis.kind === KIND.NONE) tabHealthy(tabId, signedOut); // the last fix tried here worked
  if (diagnosis.kind !== KIND.NONE) {
    // Ready by the time the popup opens; nothing waits on them. Once they are in, the card
    // is drawn again if they change it.
    Promise.allSettled([openAiStatus(), cloudflareStatus(), connectionTrace(url, diagnosis.kind)])
      .then(() => redrawCard(tabId))
      .catch(() => {});
    const resetsAt = core.limit_resets_at(diagnosis, Date.now());
    if (resetsAt !== null && resetsAt !== undefined && (await loadSettings()).notifications) {
      api.alarms.create(`${LIMIT_ALARM_PREFIX}${tabId}`, { when: resetsAt });
    }
  }
  return diagnosis;
}

async function applyBadge(tabId, badge) {
  try {
    await api.action.setBadgeText({ tabId, text: badge.text });
    if (badge.text) await api.action.setBadgeBackgroundColor({ tabId, color: badge.color });
  } catch {
    // The tab closed meanwhile: nothing to show it on.
  }
}

// The browser clears a tab's badge when its own error page commits, just after the events
// below: set it again once that has happened.
async function badgeAgainSoon(tabId) {
  const core = await loadCore();
  setTimeout(async () => {
    const stored = /** @type {StoredTab | null} */ (await sessionValue(tabKey(tabId)));
    if (stored) await applyBadge(tabId, core.badge(stored.diagnosis));
  }, core.policy().error_page_settle_ms);
}

// Closed tabs leave their records in storage.session (no listener hears every tab of the
// browser close): looked for now and then, when a ChatGPT tab reports anyway.
const SWEEP_EVERY_MS = 60_000;
const TAB_KEY = /^(?:tab|response|retry|retry-cancelled|retry-result|answer-failure|draft|card-dismissed|fix):(\d+)$/;
let lastSweep = 0;
async function sweepClosedTabs() {
  if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = Date.now();
  const ids = new Set(Object.keys(await api.storage.session.get(null)).map((k) => TAB_KEY.exec(k)?.[1]).filter(Boolean));
  for (const id of ids) {
    if (!(await tabInfo(Number(id)))) await forgetTab(Number(id));
  }
}

// A closed tab's record, saved prompt, pending fix and the rest go at once (a private
// window's tab above all: nothing of it may outlive it); the sweep above catches what a
// stopped worker missed.
api.tabs.onRemoved.addListener((tabId) => {
  forgetTab(tabId);
  dropDraft(tabId).catch(() => {});
});

// Firefox may deliver webRequest events after the document has loaded and the content
// script has asked: such a question waits for the answer, within reason.
const RESPONSE_WAIT_MS = 3000;
const waiting = new Map(); // tabId → callbacks waiting for that tab's next response

const sameDocument = (a, b) => typeof a === "string" && typeof b === "string" && a.split("#")[0] === b.split("#")[0];

// Per-tab memory of this worker's life, bounded: the most recently touched tabs only (an old
// tab's entry is only a shortcut; what matters is in storage.session).
const REMEMBERED_TABS = 200;
function remember(map, tabId, value) {
  map.delete(tabId);
  map.set(tabId, value);
  if (map.size > REMEMBERED_TABS) map.delete(map.keys().next().value);
}

// The latest response per tab, also kept in memory: the hello at document_start is answered
// without a storage read (the stored copy outlives a stopped worker).
const latestResponse = new Map();

/** `snapshot` with the fields its response lacks taken from `seen` (a StoredResponse or null). */
function withSeenResponse(snapshot, seen) {
  if (!snapshot || typeof snapshot !== "object") return {};
  if (!seen) return snapshot;
  const own = snapshot.response && typeof snapshot.response === "object" ? snapshot.response : {};
  const given = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== null && v !== undefined));
  return { ...snapshot, response: { ...seen.response, ...given } };
}

// The response seen for the document fetched from `url` in this tab, if it was seen yet.
async function knownResponse(tabId, url) {
  const known = latestResponse.get(tabId);
  if (known && sameDocument(known.url, url)) return known;
  const stored = /** @type {StoredResponse | null} */ (await sessionValue(responseKey(tabId)));
  return stored && sameDocument(stored.url, url) ? stored : null;
}

// The response for the document fetched from `url` in this tab, once it is known.
async function responseFor(tabId, url) {
  const stored = await knownResponse(tabId, url);
  if (stored) return stored;
  return new Promise((resolve) => {
    const done = (seen) => {
      if (seen !== null && !sameDocument(seen.url, url)) return; // a redirect hop: keep waiting
      clearTimeout(timer);
      waiting.set(tabId, (waiting.get(tabId) ?? []).filter((f) => f !== done));
      resolve(seen);
    };
    const timer = setTimeout(() => done(null), RESPONSE_WAIT_MS);
    waiting.set(tabId, [...(waiting.get(tabId) ?? []), done]);
  });
}

// The document's own status and headers, which the page cannot show the content script.
api.webRequest.onHeadersReceived.addListener(
  /** @returns {undefined} */
  (details) => {
    if (details.tabId < 0) return;
    const h = details.responseHeaders;
    const seen = {
      url: details.url,
      at: Date.now(),
      response: {
        status: details.statusCode,
        cf_ray: headerValue(h, "cf-ray"),
        cf_mitigated: headerValue(h, "cf-mitigated"),
        retry_after: headerValue(h, "retry-after"),
        server: headerValue(h, "server"),
        content_type: headerValue(h, "content-type"),
      },
    };
    remember(latestResponse, details.tabId, seen);
    api.storage.session.set({ [responseKey(details.tabId)]: seen }).catch(() => {});
    newPageLoad(details.tabId); // a Cancel on the last page load no longer holds
    for (const done of waiting.get(details.tabId) ?? []) done(seen);
  },
  MAIN_FRAME,
  ["responseHeaders"],
);

// An error status (or Cloudflare's challenge header) is known before the page's body. The
// badge lights from what the core makes of them as soon as the document has committed (the
// content script's hello at document_start: the browser clears a tab's badge on commit);
// the page's own report then refines it. A report counts up its tab's generation the moment
// it arrives, and an early reading is shown only if none came since the hello: never on top
// of the page's own (Firefox may tell the headers after the page has reported).
const reportGeneration = new Map(); // tabId → reports received (this worker's life)
const generationOf = (tabId) => reportGeneration.get(tabId) ?? 0;

// What of a response the early badges tell apart, read as the core reads it (its table of
// known errors: `cf-mitigated: challenge`; Cloudflare answered, by `server` or a `cf-ray`;
// an HTML body). The glue tests hold this reading to the core's over many spellings.
const trimmedLower = (v) => (typeof v === "string" ? v.trim().toLowerCase() : "");
/** @param {ResponseInfo} r */
const traitsOf = (r) => ({
  challenge: trimmedLower(r.cf_mitigated) === "challenge",
  cloudflare: trimmedLower(r.cf_ray) !== "" || trimmedLower(r.server) === "cloudflare",
  html: trimmedLower((r.content_type ?? "").split(";")[0]) === "text/html",
});

// The badge the core gives a response's status and headers alone (null: none), looked up in
// the table the build wrote from the core: no wait for the core itself, which a worker that
// has just woken up has still to compile. (Nor is its compilation started any earlier: it
// holds up the worker's events, the hello among them, until it is done; measured.)
/** @returns {Badge | null} */
function earlyBadgeOf(seen) {
  const status = seen.response.status ?? 0;
  const t = traitsOf(seen.response);
  const rule = EARLY_BADGE_RULES.find(
    (r) => r.challenge === t.challenge && r.cloudflare === t.cloudflare && r.html === t.html && status >= r.from && status <= r.to,
  );
  return rule ? { text: rule.text ?? String(status), color: rule.color } : null;
}

async function provisionalBadge(tabId, seen, generation) {
  const badge = earlyBadgeOf(seen);
  if (badge && generationOf(tabId) === generation) await applyBadge(tabId, badge);
}

// A navigation to ChatGPT that failed before any page arrived (DNS, reset, time-out,
// offline): the browser shows its own error page, where no content script runs, so what
// the network said is all there is to go on.
api.webRequest.onErrorOccurred.addListener(async (d) => {
  if (d.tabId < 0) return;
  await newPageLoad(d.tabId); // a Cancel on the last page load no longer holds
  const core = await loadCore();
  const seen = await knownResponse(d.tabId, d.url);
  const diagnosis = core.classify(withSeenResponse({ url: d.url, navigation_error: d.error, now_ms: Date.now() }, seen));
  if (diagnosis.kind === KIND.NONE) return;
  await record(d.tabId, diagnosis, d.url);
  badgeAgainSoon(d.tabId);
}, MAIN_FRAME);

// Chrome shows its own error page, where no content script runs, for an error status that
// came with an empty body: if the page has not reported by the time that page has
// committed, the status and headers are all there is. (Firefox shows such a document
// itself, and its content script reports.)
if (globalThis.PLATFORM.browser === CORE.BROWSER.CHROME) {
  api.webRequest.onCompleted.addListener(async (d) => {
    if (d.tabId < 0 || d.statusCode < 400) return;
    const core = await loadCore();
    setTimeout(async () => {
      const [seen, stored] = await Promise.all([knownResponse(d.tabId, d.url), /** @type {Promise<StoredTab | null>} */ (sessionValue(tabKey(d.tabId)))]);
      if (!seen) return;
      if (stored && stored.at >= seen.at) return; // the page reported for itself
      const diagnosis = core.classify({ url: d.url, response: seen.response, now_ms: Date.now() });
      if (diagnosis.kind !== KIND.NONE) await record(d.tabId, diagnosis, d.url);
    }, core.policy().error_page_settle_ms);
  }, MAIN_FRAME);
}

// A usage limit's stated reset time has come.
api.alarms.onAlarm.addListener(async (alarm) => {
  if (!alarm.name.startsWith(LIMIT_ALARM_PREFIX)) return;
  const tabId = Number(alarm.name.slice(LIMIT_ALARM_PREFIX.length));
  const stored = /** @type {StoredTab | null} */ (await sessionValue(tabKey(tabId)));
  if (stored && stored.diagnosis.kind !== KIND.NONE && (await loadSettings()).notifications) {
    await notify(tabId, "notify_limit_reset");
  }
});

// A tab that was waiting for the rest of an answer is read again at the end of the wait: if
// it still waits, the core makes it a dropped connection (the record's first time decides).
api.alarms.onAlarm.addListener(async (alarm) => {
  if (!alarm.name.startsWith(PENDING_ALARM_PREFIX)) return;
  const tabId = Number(alarm.name.slice(PENDING_ALARM_PREFIX.length));
  const stored = /** @type {StoredTab | null} */ (await sessionValue(tabKey(tabId)));
  if (stored?.diagnosis.kind === KIND.RESPONSE_PENDING && (await tabInfo(tabId))) {
    await record(tabId, stored.diagnosis, stored.url, stored.app ?? null);
  }
});

// What the content script of a tab may ask.
// Each handler is typed by its message and reply (protocol.js).
const fromContent = {
  /** @type {(tabId: number, m: ContentToBackgroundHello) => Promise<ContentToBackgroundHelloReply>} */
  [P.CONTENT_TO_BACKGROUND_HELLO]: async (tabId, m) => {
    const generation = generationOf(tabId);
    const seen = await responseFor(tabId, m.url);
    if (seen) provisionalBadge(tabId, seen, generation);
    return { ...(seen ?? { response: null }), retry_due_at_ms: carriedDueAt(await retryRun(tabId)) };
  },
  /** @type {(tabId: number, m: ContentToBackgroundReport, sender: chrome.runtime.MessageSender) => Promise<ContentToBackgroundReportReply>} */
  [P.CONTENT_TO_BACKGROUND_REPORT]: (tabId, m, sender) => report(tabId, m, sender.tab.url),
  /** @type {(tabId: number) => Promise<EmptyReply>} */
  [P.CONTENT_TO_BACKGROUND_RETRY_DUE]: (tabId) => retryEvent(tabId, CORE.RETRY_EVENT.DUE).then(() => ({})),
  /** @type {(tabId: number) => Promise<EmptyReply>} */
  [P.CONTENT_TO_BACKGROUND_CONNECTIVITY]: (tabId) => connectivityChanged(tabId).then(() => ({})),
  /** @type {(tabId: number, m: ContentToBackgroundDraftTake) => Promise<ContentToBackgroundDraftTakeReply>} */
  [P.CONTENT_TO_BACKGROUND_DRAFT_TAKE]: (tabId, m) => takeDraft(tabId, m.url, m.account),
  /** @type {(tabId: number) => Promise<EmptyReply>} */
  [P.CONTENT_TO_BACKGROUND_DRAFT_RESTORED]: (tabId) => dropDraft(tabId).then(() => ({})),
  /** @type {(tabId: number) => Promise<EmptyReply>} */
  [P.CONTENT_TO_BACKGROUND_DRAFT_SKIPPED]: (tabId) => draftSkipped(tabId).then(() => ({})),
  [P.CONTENT_TO_BACKGROUND_CARD]: (tabId) => cardFor(tabId).then((card) => ({ card })),
  [P.CONTENT_TO_BACKGROUND_CARD_ACTION]: (tabId, m) => cardAction(tabId, m),
  [P.CONTENT_TO_BACKGROUND_CARD_DISMISS]: (tabId, m, sender) => cardDismissed(tabId, sender.tab.url),
};

// What the extension's own pages (the popup) may ask.
const fromPopup = {
  /** @type {(m: PopupToBackgroundAction) => Promise<PopupToBackgroundActionReply>} */
  [P.POPUP_TO_BACKGROUND_ACTION]: (m) => runAction(m.tabId, m.action),
  /** @type {(m: PopupToBackgroundVerdict) => Promise<PopupToBackgroundVerdictReply>} */
  [P.POPUP_TO_BACKGROUND_VERDICT]: (m) => verdictFor(m.tabId),
  /** @type {() => Promise<PopupToBackgroundStatusReply>} */
  [P.POPUP_TO_BACKGROUND_STATUS]: () => openAiStatus(),
  /** @type {(m: PopupToBackgroundDraft) => Promise<PopupToBackgroundDraftReply>} */
  [P.POPUP_TO_BACKGROUND_DRAFT]: (m) => draftText(m.tabId),
  /** @type {() => Promise<EmptyReply>} */
  [P.POPUP_TO_BACKGROUND_FORGET_MEMORY]: () => forgetFixMemory().then(() => ({})),
};
// The messages about no one tab.
const NO_TAB = new Set([P.POPUP_TO_BACKGROUND_STATUS, P.POPUP_TO_BACKGROUND_FORGET_MEMORY]);

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !message || typeof message.type !== "string") return false;
  let handled = null;
  if (fromExtensionPage(sender) && Object.hasOwn(fromPopup, message.type)) {
    if (!Number.isInteger(message.tabId) && !NO_TAB.has(message.type)) return false;
    handled = fromPopup[message.type](message);
  } else if (sender.tab?.id !== undefined && (sender.frameId ?? 0) === 0 && !fromExtensionPage(sender) && Object.hasOwn(fromContent, message.type)) {
    handled = fromContent[message.type](sender.tab.id, message, sender);
  }
  if (!handled) return false;
  Promise.resolve(handled).then(
    (value) => sendResponse(value ?? null),
    (e) => sendResponse({ error: String(e) }),
  );
  return true;
});

// The content script only reads the page: the core, which runs here alone, says what the
// snapshot means (a page never gets to claim a diagnosis).
async function report(tabId, message, url) {
  remember(reportGeneration, tabId, generationOf(tabId) + 1);
  const core = await loadCore();
  // What the page could not know of its response (its headers: a healthy page's sensor
  // never asked), filled in from the response this background saw for the document.
  const seen = await knownResponse(tabId, typeof message.document_url === "string" ? message.document_url : url);
  const snapshot = withSeenResponse(message.snapshot, seen);
  let diagnosis;
  try {
    diagnosis = core.classify(snapshot);
  } catch {
    return { error: "unreadable snapshot" };
  }
  // Which document this is: when it began (a reload is another one), else when its response came.
  const started = Number.isFinite(message.document_started_ms) ? message.document_started_ms : null;
  // What was recorded, which may differ (a wait that lasted too long).
  const recorded = await record(tabId, diagnosis, url, core.app_document(snapshot), core.page_signed_out(snapshot), started ?? seen?.at ?? null);
  diagnosis = recorded ?? diagnosis;
  // Three independent reads of what the record now says: asked at once.
  const [card, draftSaved, run] = await Promise.all([cardFor(tabId), draftWaiting(tabId), retryRun(tabId)]);
  return { diagnosis, card, draft_waiting: draftSaved, retry_due_at_ms: carriedDueAt(run) };
}

// First run: the extension's own welcome page, on a fresh install only (never on an update,
// a reload or the browser's update). No other page ever opens by itself.
api.runtime.onInstalled.addListener(async ({ reason }) => {
  const core = await loadCore();
  if (core.opens_welcome(reason)) await api.tabs.create({ url: api.runtime.getURL("welcome/welcome.html") });
});
