// The card on the page: what the core says it shows for a tab, and the card's clicks. A
// card lives in the page's DOM, so its messages are taken only from the content script of
// that tab's top frame, and only for the one action the core offers for the tab's current
// diagnosis (confirmed in the card when it asks): nothing a page could fake gets further.
import "../generated/core-data.js";
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { runAction } from "./actions.js";
import { retryRun, carriedDueAt } from "./retry.js";
import { fixMemory } from "./fix-memory.js";

/** @typedef {import("../generated/core-types").Settings} Settings */
/** @typedef {import("../generated/core-types").FixRecord} FixRecord */

const { api } = globalThis.PLATFORM;
const { tabKey, cardDismissedKey, STATUS_KEY, CLOUDFLARE_STATUS_KEY, TRACE_KEY } = globalThis.PROTOCOL;

const documentOf = (url) => (typeof url === "string" ? url.split("#")[0] : null);

// What the core is given to decide the card: the document (app or not), a dismissal on this
// page, and what the popup's advice is given (the last status reading: the card never waits
// for the network).
async function cardInput(tabId) {
  const [stored, settings, run, status, cloudflare, dismissed, memory] =
    /** @type {[StoredTab | null, Settings, RetryRun | null, StoredStatus | null, StoredStatus | null, string | null, FixRecord[]]} */ (
      await Promise.all([
        sessionValue(tabKey(tabId)),
        loadSettings(),
        retryRun(tabId),
        sessionValue(STATUS_KEY),
        sessionValue(CLOUDFLARE_STATUS_KEY),
        sessionValue(cardDismissedKey(tabId)),
        fixMemory(),
      ])
    );
  if (!stored) return null;
  const context = {
    // A diagnosis the background made alone (no content script ran) has no document to draw on.
    app_document: stored.app !== false,
    dismissed: dismissed !== null && dismissed === documentOf(stored.url),
    // What the popup's advice is given, so the card offers the popup's top action (the card
    // offers no copying, so whether a prompt is saved does not matter to it).
    advice: {
      status: status?.status ?? null,
      cloudflare: cloudflare?.status ?? null,
      retry: run,
      settings,
      draft_saved: false,
      memory,
    },
  };
  return { diagnosis: stored.diagnosis, context, run, url: stored.url, settings, status, cloudflare };
}

// The verdict line the card shows: the core's, from what is known already (the last status
// readings and trace, the browser's online state): the card never waits for the network.
async function cardVerdict(core, input) {
  const stored = /** @type {StoredTrace | null} */ (await sessionValue(TRACE_KEY));
  const traceUrl = core.trace_url(input.url ?? "", input.settings);
  return core.verdict({
    diagnosis: input.diagnosis,
    openai: input.status?.status ?? null,
    cloudflare: input.cloudflare?.status ?? null,
    online: navigator.onLine,
    trace: stored && traceUrl && stored.url === traceUrl ? stored.trace : null,
    user_agent: navigator.userAgent,
  });
}

// The card for the tab now, with the retry countdown it shows, or null.
export async function cardFor(tabId) {
  const [core, input] = await Promise.all([loadCore(), cardInput(tabId)]);
  if (!input) return null;
  const card = core.page_card(input.diagnosis, input.context);
  if (!card) return null;
  const verdict = await cardVerdict(core, input);
  return { ...card, verdict: verdict.key, due_at_ms: carriedDueAt(input.run) ?? null };
}

export async function cardAction(tabId, message) {
  const [core, input] = await Promise.all([loadCore(), cardInput(tabId)]);
  if (!input || !core.card_allows(input.diagnosis, input.context, message.action, message.confirmed === true)) {
    return { error: "not_offered" };
  }
  const result = await runAction(tabId, message.action);
  return { result, card: await cardFor(tabId) };
}

export async function cardDismissed(tabId, url) {
  const page = documentOf(url);
  if (page) await api.storage.session.set({ [cardDismissedKey(tabId)]: page });
  return {};
}
