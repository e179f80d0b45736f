// The prompt the person had not sent, saved before any reload, clear or login the extension
// starts, and handed back to the tab's next page if the core says it belongs there (same
// host, same conversation or a new chat, same account, recent, not skipped). Saving never
// blocks the fix: a prompt too long for storage, or storage that is full, is kept in memory
// and offered for copying while the background lives.
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { askTab, chatgptUrl } from "./tabs.js";
import { within } from "../shared/time-limit.js";

const { api } = globalThis.PLATFORM;
const { draftKey, BACKGROUND_TO_CONTENT_READ_DRAFT } = globalThis.PROTOCOL;

const inMemory = new Map(); // tabId → a draft storage would not take

async function put(tabId, value) {
  const core = await loadCore();
  const write = api.storage.session.set({ [draftKey(tabId)]: value }).then(() => true);
  return within(write, core.policy().message_timeout_ms, false);
}

// Returns where the prompt went: "stored", "memory" (offer to copy), or "nothing" (nothing typed,
// or no page to ask).
export async function saveDraft(tabId) {
  const core = await loadCore();
  const reply = await askTab(tabId, { type: BACKGROUND_TO_CONTENT_READ_DRAFT });
  if (!reply || typeof reply.text !== "string" || reply.text.trim() === "") return "nothing";
  const draft = {
    url: typeof reply.url === "string" ? reply.url : "",
    saved_at_ms: Date.now(),
    account: typeof reply.account === "string" ? reply.account : null,
    restore_skipped: false,
  };
  inMemory.delete(tabId);
  if (core.draft_storable(reply.text.length) && (await put(tabId, { ...draft, text: reply.text }))) return "stored";
  inMemory.set(tabId, { ...draft, text: reply.text });
  await put(tabId, { ...draft, text: null }); // a marker, so the popup offers to copy
  return "memory";
}

/** Whether this tab's last prompt could not be stored (it lives only in memory). */
export const draftUnsaved = (tabId) => inMemory.has(tabId);

async function stored(tabId) {
  const draft = /** @type {StoredDraft | null} */ ((await sessionValue(draftKey(tabId)).catch(() => null)) ?? null);
  if (draft && typeof draft.text === "string") return draft;
  return inMemory.get(tabId) ?? null;
}

// The draft for the page at `url` in this tab, if it belongs there. The account is asked
// for only when there is a draft at all: `{ account_needed: true }`, then `{ text }` or null.
export async function takeDraft(tabId, url, account) {
  const [core, draft] = await Promise.all([loadCore(), stored(tabId)]);
  if (!draft) return null;
  if (account === undefined) return { account_needed: true };
  const who = typeof account === "string" ? account : undefined;
  return core.draft_fits(draft, String(url ?? ""), who, Date.now()) ? { text: draft.text } : null;
}

/** Whether a prompt is saved for this tab (the page asks for it only then). */
export async function draftWaiting(tabId) {
  return Boolean(await stored(tabId));
}

export async function dropDraft(tabId) {
  inMemory.delete(tabId);
  await api.storage.session.remove(draftKey(tabId)).catch(() => {});
}

// The person had typed something new: the saved prompt is only offered for copying now.
export async function draftSkipped(tabId) {
  const draft = await stored(tabId);
  if (!draft) return;
  if (inMemory.has(tabId)) inMemory.set(tabId, { ...draft, restore_skipped: true });
  const { text, ...rest } = draft;
  await put(tabId, { ...rest, text: inMemory.has(tabId) ? null : text, restore_skipped: true });
}

// The saved prompt's text, for the popup to copy: only while the tab still shows ChatGPT.
export async function draftText(tabId) {
  if (!(await chatgptUrl(tabId))) {
    await dropDraft(tabId);
    return null;
  }
  return (await stored(tabId))?.text ?? null;
}

export const forgetDraft = (tabId) => inMemory.delete(tabId);
