// Carries out the core's retry machine for each tab: keeps the run in storage.session,
// arms three clocks for its due time (a timer here while the worker lives, an alarm as the
// backstop, and the tab's content script), reloads when the core says so, and feeds the
// machine what happens (a click, a due time, a new diagnosis, going offline or online).
// Every tab's runs share one reload budget, which the core keeps: the glue hands it the
// other waiting runs and the reloads made in the last minute.
import "../generated/core-data.js";
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { saveDraft, draftUnsaved } from "./drafts.js";
import { notify, isVisible, isShown } from "./notify.js";
import { chatgptUrl, askTab } from "./tabs.js";
import { within } from "../shared/time-limit.js";

const { api } = globalThis.PLATFORM;
const P = globalThis.PROTOCOL;
const { CORE } = globalThis;
const { RETRY_EVENT: EVENT, RETRY_COMMAND: COMMAND } = CORE;
const { retryKey, tabKey, responseKey, draftKey, retryCancelledKey, retryResultKey, RETRY_ALARM_PREFIX, RETRY_BUDGET_KEY } = P;
const RUN_PREFIX = retryKey("");

const timers = new Map(); // tabId → setTimeout id

// One step at a time: two clicks, or a timer and an alarm firing together, see each
// other's result and never reload twice. A step never waits on this queue itself (that
// would wait forever), and none holds it longer than the policy's bound.
let queue = Promise.resolve();
function serially(fn) {
  const result = queue.then(async () => {
    const core = await loadCore();
    return within(fn(), core.policy().step_timeout_ms, { command: COMMAND.KEEP, timed_out: true });
  });
  queue = result.catch(() => {});
  return result;
}

export const retryEvent = (tabId, type) => serially(() => step(tabId, type));

// A Cancel holds for the page load it was pressed on; kept here too, so storage that refuses
// the mark (full) never lifts it while this worker lives.
const cancelledHere = new Set();

// Tabs a run's own reload is loading now: a Cancel pressed while it was on its way holds for
// the page it brings (the person cancelled what they saw, not the page they have not seen).
const ownReloads = new Set();

// A new page load in the tab: a Cancel on the last one no longer holds, unless this load is
// the run's own reload.
export function newPageLoad(tabId) {
  if (ownReloads.delete(tabId)) return Promise.resolve();
  cancelledHere.delete(tabId);
  return api.storage.session.remove(retryCancelledKey(tabId)).catch(() => {});
}

export const retryRun = (tabId) => sessionValue(retryKey(tabId));

const isPaused = (run) => run.paused_remaining_ms !== null && run.paused_remaining_ms !== undefined;

// The due time a tab's content script carries: none while paused (nothing is due then).
export const carriedDueAt = (run) => (run && !isPaused(run) ? run.due_at_ms : null);

// The other tabs' runs and the reloads made lately: the core decides which runs wait, and
// what the shared budget allows.
async function sharedBudget(tabId) {
  const all = await api.storage.session.get(null);
  const otherRuns = /** @type {[string, RetryRun | null][]} */ (Object.entries(all))
    .filter(([name, run]) => name.startsWith(RUN_PREFIX) && run && Number(name.slice(RUN_PREFIX.length)) !== tabId)
    .map(([name, run]) => ({ tab_id: Number(name.slice(RUN_PREFIX.length)), run }));
  return { other_runs: otherRuns, recent_reloads_ms: union(all[RETRY_BUDGET_KEY] ?? [], unsaved) };
}

async function step(tabId, type) {
  const core = await loadCore();
  const key = retryKey(tabId);
  const stored = await api.storage.session.get([key, tabKey(tabId), retryCancelledKey(tabId)]);
  const run = /** @type {RetryRun | null} */ (stored[key] ?? null);
  const record = /** @type {StoredTab | undefined} */ (stored[tabKey(tabId)]);
  // With no run, a new diagnosis may start one by itself (the core decides from these facts).
  const startsByItself = !run && type === EVENT.SEEN && record && record.diagnosis.kind !== CORE.KIND.NONE;
  if (!run && type !== EVENT.START && !startsByItself) return { command: COMMAND.KEEP };
  const settings = await loadSettings();
  const command = core.retry_step({
    run,
    event: { type },
    diagnosis: record?.diagnosis ?? null,
    settings,
    now_ms: Date.now(),
    random: Math.random(),
    online: navigator.onLine,
    tab_id: tabId,
    ...(type === EVENT.DUE || startsByItself ? await sharedBudget(tabId) : {}),
    ...(startsByItself
      ? {
          hands_free: {
            app_document: record.app ?? null,
            cancelled: stored[retryCancelledKey(tabId)] === true || cancelledHere.has(tabId),
            unsaved_prompt: draftUnsaved(tabId),
            visible: await isShown(tabId),
          },
        }
      : {}),
  });
  switch (command.command) {
    case COMMAND.SCHEDULE:
      // A run storage will not hold (full) is no run: nothing could carry it to its due
      // time, and a half-kept one would reload at a stale time.
      if (!(await keep({ [key]: command.run }))) return stopRun(tabId, UNKEPT);
      arm(tabId, command.run, core);
      break;
    case COMMAND.RELOAD: {
      // The prompt is saved first (bounded; a save that fails is offered for copying). Then,
      // right before the reload, the tab must still show ChatGPT: one that left or closed
      // meanwhile ends its run here, not through the queue this step holds.
      const saved = await saveDraft(tabId);
      // A run that started by itself never reloads away a prompt it could not save.
      if (!core.hands_free_may_reload(command.run, saved === "memory")) {
        return stopRun(tabId, { command: COMMAND.STOP, outcome: CORE.RETRY_OUTCOME.PROMPT_UNSAVED }, { run: command.run });
      }
      if (!(await chatgptUrl(tabId))) return left(tabId);
      const kept = await keep({ [key]: command.run });
      await rememberReload(core);
      if (kept) arm(tabId, command.run, core);
      await reloadTab(tabId, core);
      // This reload was due; without a stored run no later one may follow.
      if (!kept) return stopRun(tabId, UNKEPT);
      break;
    }
    case COMMAND.RELOAD_ONCE:
      await saveDraft(tabId);
      if (!(await chatgptUrl(tabId))) return left(tabId);
      await reloadTab(tabId, core, { own: false }); // the person's: it starts a new page load
      break;
    case COMMAND.STOP:
      // Cancel sticks for this page load: no run starts by itself on it again.
      if (type === EVENT.CANCEL) {
        cancelledHere.add(tabId);
        await keep({ [retryCancelledKey(tabId)]: true });
      }
      await stopRun(tabId, command, { notifyWith: run ? settings : null, run });
      break;
    default:
      break;
  }
  return command;
}

const UNKEPT = { command: COMMAND.STOP, outcome: CORE.RETRY_OUTCOME.CANCELLED, storage_full: true };

// Writes the run down for the next step; false when storage refuses (full).
const keep = (values) => api.storage.session.set(values).then(() => true, () => false);

// Reloads the extension made by itself, for the shared budget, kept in storage for the next
// worker. Those storage refused to hold (full) are kept here too, so the budget never
// forgets one.
let unsaved = [];
async function rememberReload(core) {
  const stored = (await sessionValue(RETRY_BUDGET_KEY).catch(() => null)) ?? [];
  const recent = core.retry_remember(union(stored, unsaved), Date.now());
  unsaved = (await keep({ [RETRY_BUDGET_KEY]: recent })) ? [] : recent;
}
const union = (a, b) => [...new Set([...a, ...b])];

async function reloadTab(tabId, core, { own = true } = {}) {
  if (own) ownReloads.add(tabId);
  const reloaded = await within(
    api.tabs.reload(tabId).then(() => true),
    core.policy().message_timeout_ms,
    false,
  );
  if (!reloaded) await left(tabId);
}

// The tab closed or shows another site now: nothing of it is kept, nothing reloads it.
async function left(tabId) {
  await forgetTab(tabId);
  return { command: COMMAND.STOP, outcome: CORE.RETRY_OUTCOME.CANCELLED };
}

async function stopRun(tabId, command, { notifyWith = null, run = null } = {}) {
  disarm(tabId);
  await api.storage.session.remove(retryKey(tabId)).catch(() => {});
  // What happened is told: the popup and the support report read how the run ended.
  if (run) {
    /** @type {RetryResult} */
    const at = command.outcome === CORE.RETRY_OUTCOME.RECOVERED ? run.healthy_since_ms ?? Date.now() : Date.now();
    const result = { outcome: command.outcome, reloads: run.attempt, hands_free: run.hands_free === true, at_ms: at };
    await keep({ [retryResultKey(tabId)]: result });
  }
  if (notifyWith) {
    const core = await loadCore();
    const message = core.retry_notification(command.outcome, await isVisible(tabId), notifyWith);
    if (message) await notify(tabId, message);
  }
  return command;
}

// The tab left ChatGPT or closed: its run, diagnosis and saved prompt no longer hold. Not
// through the queue, so a step may call it.
export async function forgetTab(tabId) {
  disarm(tabId);
  api.alarms.clear(`${P.LIMIT_ALARM_PREFIX}${tabId}`).catch(() => {});
  api.alarms.clear(`${P.PENDING_ALARM_PREFIX}${tabId}`).catch(() => {});
  await api.storage.session
    .remove([tabKey(tabId), responseKey(tabId), retryKey(tabId), draftKey(tabId), retryCancelledKey(tabId), retryResultKey(tabId), P.answerFailureKey(tabId), P.cardDismissedKey(tabId), P.pendingFixKey(tabId)])
    .catch(() => {});
}

function arm(tabId, run, core) {
  disarm(tabId);
  // Paused: look at the connection now and then (the worker does not always hear `online`).
  const when = isPaused(run) ? Date.now() + core.policy().offline_poll_ms : run.due_at_ms;
  timers.set(tabId, setTimeout(() => clockRang(tabId), Math.max(0, when - Date.now())));
  api.alarms.create(`${RETRY_ALARM_PREFIX}${tabId}`, { when });
  askTab(tabId, { type: P.BACKGROUND_TO_CONTENT_RETRY_TIMER, due_at_ms: carriedDueAt(run) });
}

function disarm(tabId) {
  clearTimeout(timers.get(tabId));
  timers.delete(tabId);
  api.alarms.clear(`${RETRY_ALARM_PREFIX}${tabId}`).catch(() => {});
}

async function clockRang(tabId) {
  const run = await retryRun(tabId);
  if (!run) return;
  if (!isPaused(run)) await retryEvent(tabId, EVENT.DUE);
  else if (navigator.onLine) await retryEvent(tabId, EVENT.ONLINE);
  else arm(tabId, run, await loadCore()); // still offline: look again later
}

// The browser's own word on the connection decides: the tab only says "look again".
export const connectivityChanged = (tabId) => retryEvent(tabId, navigator.onLine ? EVENT.ONLINE : EVENT.OFFLINE);

api.alarms.onAlarm.addListener((alarm) => {
  if (!alarm.name.startsWith(RETRY_ALARM_PREFIX)) return;
  const tabId = Number(alarm.name.slice(RETRY_ALARM_PREFIX.length));
  if (Number.isInteger(tabId)) clockRang(tabId);
});

// Every tab with a run hears the browser's connection change.
async function everyRun(type) {
  const all = await api.storage.session.get(null);
  for (const name of Object.keys(all)) {
    if (name.startsWith(RUN_PREFIX)) retryEvent(Number(name.slice(RUN_PREFIX.length)), type);
  }
}
globalThis.addEventListener?.("online", () => everyRun(EVENT.ONLINE));
globalThis.addEventListener?.("offline", () => everyRun(EVENT.OFFLINE));
