// The memory of what worked, in storage.local (this computer only): an action taken on a
// failing tab is remembered as tried; the tab turning healthy soon after credits it. The core
// decides what counts, what is kept and how much; this file only reads and writes it, one
// change at a time.
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { tabInfo } from "./tabs.js";

const { api } = globalThis.PLATFORM;
const { FIX_MEMORY_KEY, pendingFixKey } = globalThis.PROTOCOL;

let changes = Promise.resolve(); // one read-modify-write at a time, across tabs
function change(fn) {
  changes = changes.then(fn).catch(() => {});
  return changes;
}

async function stored(core) {
  return core.fix_memory((await api.storage.local.get(FIX_MEMORY_KEY))[FIX_MEMORY_KEY] ?? []);
}

// A private (incognito) window's tab: nothing of it is written to disk, and what
// storage.session holds of it goes when it closes (tabs.onRemoved). A tab that cannot be
// looked at counts as private.
async function isPrivate(tabId) {
  const tab = await tabInfo(tabId);
  return !tab || tab.incognito === true;
}

// The person clicked `action` on a tab diagnosed `diagnosis`.
export function fixTried(tabId, diagnosis, action) {
  return change(async () => {
    const core = await loadCore();
    const pending = diagnosis ? core.fix_pending(diagnosis, action, Date.now()) : null;
    if (!pending || (await isPrivate(tabId))) return;
    await api.storage.session.set({ [pendingFixKey(tabId)]: pending });
    await api.storage.local.set({ [FIX_MEMORY_KEY]: core.fix_record_try(await stored(core), pending) });
  });
}

// The tab reported a page without an error (`signedOut`: one that offers to log in): the
// last action on it worked, if that was soon enough and the core says such a page counts.
export function tabHealthy(tabId, signedOut = false) {
  return change(async () => {
    const pending = /** @type {PendingFix | null} */ (await sessionValue(pendingFixKey(tabId)));
    if (!pending) return;
    const core = await loadCore();
    if (!core.fix_settled_by(pending, signedOut)) return;
    await api.storage.session.remove(pendingFixKey(tabId));
    await api.storage.local.set({ [FIX_MEMORY_KEY]: core.fix_record_healthy(await stored(core), pending, Date.now(), signedOut) });
  });
}

export async function fixMemory() {
  return stored(await loadCore());
}

// The options' "Forget": the memory and every pending fix (`fix:<tab>`) together, in the
// queue every change takes, so no tab recovering a moment later writes any of it back.
export function forgetFixMemory() {
  return change(async () => {
    const pending = Object.keys(await api.storage.session.get(null)).filter((key) => key.startsWith(pendingFixKey("")));
    await Promise.all([api.storage.local.remove(FIX_MEMORY_KEY), api.storage.session.remove(pending)]);
  });
}
