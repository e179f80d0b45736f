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
import { askTab } from "./tabs.js";

/** @typedef {import("../generated/core-types").Settings} Settings */
/** @typedef {import("../generated/core-types").FixRecord} FixRecord */

const { api } = globalThis.PLATFORM;
const { tabKey, responseKey, cardDismissedKey, STATUS_KEY, CLOUDFLARE_STATUS_KEY, TRACE_KEY, BACKGROUND_TO_CONTENT_CARD } = globalThis.PROTOCOL;

const documentOf = (url) => (typeof url === "string" ? url.split("#")[0] : null);

// A stored status reading, when the core says it still counts (the checks are on, it was read
// from the endpoint the options name, and lately): the card never acts on an old one.
function freshStatus(core, stored, settings, endpoint) {
  if (!settings.status_checks || !stored || stored.endpoint !== endpoint) return null;
  return core.status_is_fresh(stored.status, Date.now()) ? stored : null;
}

// What the core is given to decide the card: the document (app or not), a dismissal on this
// page, and what the popup's advice is given (the last status readings, if fresh: the card
// never waits for the network; it is drawn again when fresh ones land).
async function cardInput(core, tabId) {
  const [stored, settings, run, storedStatus, storedCloudflare, dismissed, memory] =
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
  const status = freshStatus(core, storedStatus, settings, settings.status_endpoint);
  const cloudflare = freshStatus(core, storedCloudflare, settings, settings.cloudflare_status_endpoint);
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
      challenge_repeated: core.challenge_repeated(stored.challenge ?? null, Date.now()),
    },
  };
  return { diagnosis: stored.diagnosis, context, run, url: stored.url, settings, status, cloudflare, tabId };
}

// The verdict line the card shows: the core's, from what is known already (the fresh status
// readings, the trace if the core says it is of this tab's connection, the browser's online
// state): the card never waits for the network.
async function cardVerdict(core, input) {
  const [stored, seen] = /** @type {[StoredTrace | null, StoredResponse | null]} */ (
    await Promise.all([sessionValue(TRACE_KEY), sessionValue(responseKey(input.tabId))])
  );
  const cfRay = seen?.response?.cf_ray ?? null;
  return core.verdict({
    diagnosis: input.diagnosis,
    openai: input.status?.status ?? null,
    cloudflare: input.cloudflare?.status ?? null,
    online: navigator.onLine,
    trace: core.trace_for_tab(stored, input.url ?? "", cfRay, input.settings, Date.now()),
    user_agent: navigator.userAgent,
    challenge_repeated: input.context.advice.challenge_repeated,
    checks_off: !input.settings.status_checks,
  });
}

const lastDrawn = new Map(); // tabId → the card (as JSON) the tab was last given

// The card for the tab now, with the retry countdown it shows, or null.
export async function cardFor(tabId) {
  const core = await loadCore();
  const input = await cardInput(core, tabId);
  const drawn = input ? core.page_card(input.diagnosis, input.context) : null;
  const card = drawn ? { ...drawn, verdict: (await cardVerdict(core, input)).key, due_at_ms: carriedDueAt(input.run) ?? null } : null;
  lastDrawn.delete(tabId); // bounded: the most recent tabs last
  lastDrawn.set(tabId, JSON.stringify(card));
  if (lastDrawn.size > 200) lastDrawn.delete(lastDrawn.keys().next().value);
  return card;
}

// Fresh readings landed (a status page, the trace): the tab's card is drawn again if what it
// shows changed.
export async function redrawCard(tabId) {
  const before = lastDrawn.get(tabId);
  const card = await cardFor(tabId);
  if (before !== undefined && before !== JSON.stringify(card)) {
    await askTab(tabId, { type: BACKGROUND_TO_CONTENT_CARD, card });
  }
}

export async function cardAction(tabId, message) {
  const core = await loadCore();
  const input = await cardInput(core, tabId);
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
