// The prompt the person had not sent, saved before any reload, clear or login the extension
// starts, and handed back to the tab's next page if the core says it belongs there.
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { sessionValue } from "./session-store.js";

const api = globalThis.browser ?? globalThis.chrome;
const { draftKey, BACKGROUND_TO_CONTENT_READ_DRAFT } = globalThis.PROTOCOL;

export async function saveDraft(tabId) {
  let reply = null;
  try {
    reply = await api.tabs.sendMessage(tabId, { type: BACKGROUND_TO_CONTENT_READ_DRAFT }, { frameId: 0 });
  } catch {
    return; // no content script (the browser's own error page): nothing typed there
  }
  if (reply && typeof reply.text === "string" && reply.text.trim() !== "") {
    await api.storage.session.set({ [draftKey(tabId)]: { text: reply.text, url: reply.url, saved_at: Date.now() } });
  }
}

async function stored(tabId) {
  return sessionValue(draftKey(tabId));
}

// The draft for the page at `url` in this tab, if it belongs there; kept until restored.
export async function takeDraft(tabId, url) {
  const [core, draft] = await Promise.all([loadCore(), stored(tabId)]);
  if (!draft || !core.draft_fits(draft.url, draft.saved_at, url, Date.now())) return null;
  return draft.text;
}

export const draftRestored = (tabId) => api.storage.session.remove(draftKey(tabId));

export async function draftText(tabId) {
  return (await stored(tabId))?.text ?? null;
}
