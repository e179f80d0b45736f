// Failed answers retried by themselves (an option, off by default): when a tab's latest
// diagnosis is a failed answer with ChatGPT's own Retry on the page, the core decides whether
// to press it now, later, or never (the limits per conversation and hour, once per failure,
// never while the composer holds text, never once the person typed or sent a message since
// the failure); this file only keeps the failure's first sighting (with the count of the
// person's messages then) and the presses made, asks the page, and presses.
import "../generated/core-data.js";
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { askTab } from "./tabs.js";

const { api } = globalThis.PLATFORM;
const { tabKey, answerFailureKey, ANSWER_PRESSES_KEY, BACKGROUND_TO_CONTENT_READ_DRAFT, BACKGROUND_TO_CONTENT_PRESS_RETRY } = globalThis.PROTOCOL;
const { CORE } = globalThis;

/** @typedef {{ conversation: string, failed_at_ms: number, user_turns?: number | null }} AnswerFailure */

const timers = new Map(); // tabId → the timer that asks again once the short wait is over
const conversationOf = (url) => (typeof url === "string" ? url.split(/[?#]/)[0] : "");

// A new diagnosis for the tab: a failure seen for the first time is stamped (its id is its
// conversation and that moment: the same failure reported again keeps both); a healthy page
// forgets it. Then the core is asked.
export async function answerSeen(tabId) {
  const [core, record, stamped] = await Promise.all([
    loadCore(),
    /** @type {Promise<StoredTab | null>} */ (sessionValue(tabKey(tabId))),
    /** @type {Promise<AnswerFailure | null>} */ (sessionValue(answerFailureKey(tabId))),
  ]);
  if (!record || record.diagnosis.kind === CORE.KIND.NONE || !record.diagnosis.retry_button) {
    clearTimeout(timers.get(tabId));
    if (stamped) await api.storage.session.remove(answerFailureKey(tabId)).catch(() => {});
    return;
  }
  const conversation = conversationOf(record.url);
  let failure = stamped;
  if (!failure || failure.conversation !== conversation) {
    failure = { conversation, failed_at_ms: Date.now() };
    await api.storage.session.set({ [answerFailureKey(tabId)]: failure }).catch(() => {});
  }
  await decide(core, tabId, record, failure);
}

async function decide(core, tabId, record, failure) {
  clearTimeout(timers.get(tabId));
  const settings = await loadSettings();
  if (!settings.retry_answers_by_itself) return;
  const draft = await askTab(tabId, { type: BACKGROUND_TO_CONTENT_READ_DRAFT });
  const now = Date.now();
  const userTurns = countOrNull(draft?.user_turns);
  // The person's messages when the failure was first seen: counted at the first decision.
  if (failure.user_turns === undefined) {
    failure = { ...failure, user_turns: userTurns };
    await api.storage.session.set({ [answerFailureKey(tabId)]: failure }).catch(() => {});
  }
  const presses = /** @type {AnswerPress[]} */ ((await sessionValue(ANSWER_PRESSES_KEY)) ?? []);
  const id = `${failure.failed_at_ms}`;
  const typedAgo = draft?.typed_ms_ago;
  const decision = core.answer_retry({
    diagnosis: record.diagnosis,
    settings,
    app_document: record.app === true,
    conversation: failure.conversation,
    failure: id,
    failed_at_ms: failure.failed_at_ms,
    now_ms: now,
    // No answer from the page: it cannot be told that nobody is typing, so nothing is pressed.
    composer_text: !draft || (typeof draft.text === "string" && draft.text.trim() !== ""),
    user_turns_at_failure: countOrNull(failure.user_turns),
    user_turns: userTurns,
    typed_at_ms: typeof typedAgo === "number" && Number.isFinite(typedAgo) ? now - Math.max(0, typedAgo) : null,
    presses,
  });
  if (decision.verdict === "wait" && typeof decision.wait_until_ms === "number") {
    timers.set(tabId, setTimeout(() => again(tabId, failure), Math.max(0, decision.wait_until_ms - now)));
    return;
  }
  if (decision.verdict !== "press") return;
  // Remembered before it is pressed: a press whose answer is lost still counts.
  const kept = core.answer_retry_remember(presses, { conversation: failure.conversation, failure: id, at_ms: now });
  await api.storage.session.set({ [ANSWER_PRESSES_KEY]: kept }).catch(() => {});
  await askTab(tabId, { type: BACKGROUND_TO_CONTENT_PRESS_RETRY });
}

const countOrNull = (n) => (Number.isInteger(n) && n >= 0 ? n : null);

// The short wait is over: still the same failure on the same page? Then the core decides again.
async function again(tabId, failure) {
  const [core, record, stamped] = await Promise.all([loadCore(), sessionValue(tabKey(tabId)), sessionValue(answerFailureKey(tabId))]);
  if (!record || !stamped || stamped.failed_at_ms !== failure.failed_at_ms) return;
  await decide(core, tabId, record, stamped);
}
