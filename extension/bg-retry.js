// Carries out the core's retry machine for each tab: keeps the run in storage.session,
// arms three clocks for its due time (a timer here while the worker lives, an alarm as the
// backstop, and the tab's content script), reloads when the core says so, and feeds the
// machine what happens (a click, a due time, a new diagnosis, going offline or online).
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { sessionValue } from "./session-store.js";
import { loadSettings } from "./settings-store.js";
import { saveDraft } from "./bg-drafts.js";
import { notify, isVisible } from "./bg-notify.js";

const api = globalThis.browser ?? globalThis.chrome;
const { retryKey, tabKey, BACKGROUND_TO_CONTENT_RETRY_TIMER } = globalThis.PROTOCOL;
const ALARM_PREFIX = "retry:";
const RUN_PREFIX = retryKey("");

const timers = new Map(); // tabId → setTimeout id

// One step at a time: two clicks, or a timer and an alarm firing together, see each
// other's result and never reload twice.
let queue = Promise.resolve();
function serially(fn) {
  const result = queue.then(fn);
  queue = result.catch(() => {});
  return result;
}

export const retryEvent = (tabId, type) => serially(() => step(tabId, type));

export const retryRun = (tabId) => sessionValue(retryKey(tabId));

const isPaused = (run) => run.paused_remaining_ms !== null && run.paused_remaining_ms !== undefined;

// The due time a tab's content script carries: none while paused (nothing is due then).
export const carriedDueAt = (run) => (run && !isPaused(run) ? run.due_at_ms : null);

async function step(tabId, type) {
  const core = await loadCore();
  const key = retryKey(tabId);
  const stored = await api.storage.session.get([key, tabKey(tabId)]);
  const run = stored[key] ?? null;
  if (!run && type !== "start") return { command: "keep" };
  const settings = await loadSettings();
  const command = core.retry_step({
    run,
    event: { type },
    diagnosis: stored[tabKey(tabId)]?.diagnosis ?? null,
    settings,
    now_ms: Date.now(),
    random: Math.random(),
    online: navigator.onLine,
  });
  switch (command.command) {
    case "schedule":
      await api.storage.session.set({ [key]: command.run });
      arm(tabId, command.run, core);
      break;
    case "reload":
      await api.storage.session.set({ [key]: command.run });
      arm(tabId, command.run, core);
      await saveDraft(tabId);
      await api.tabs.reload(tabId).catch(() => retryEvent(tabId, "cancel"));
      break;
    case "reload_once":
      await saveDraft(tabId);
      await api.tabs.reload(tabId).catch(() => {});
      break;
    case "stop":
      disarm(tabId);
      if (run) {
        await api.storage.session.remove(key);
        const message = core.retry_notification(command.outcome, await isVisible(tabId), settings);
        if (message) await notify(tabId, message);
      }
      break;
    default:
      break;
  }
  return command;
}

function arm(tabId, run, core) {
  disarm(tabId);
  // Paused: look at the connection now and then (the worker does not always hear `online`).
  const when = isPaused(run) ? Date.now() + core.policy().offline_poll_ms : run.due_at_ms;
  timers.set(tabId, setTimeout(() => clockRang(tabId), Math.max(0, when - Date.now())));
  api.alarms.create(`${ALARM_PREFIX}${tabId}`, { when });
  const message = { type: BACKGROUND_TO_CONTENT_RETRY_TIMER, due_at_ms: carriedDueAt(run) };
  api.tabs.sendMessage(tabId, message, { frameId: 0 }).catch(() => {});
}

function disarm(tabId) {
  clearTimeout(timers.get(tabId));
  timers.delete(tabId);
  api.alarms.clear(`${ALARM_PREFIX}${tabId}`).catch(() => {});
}

async function clockRang(tabId) {
  const run = await retryRun(tabId);
  if (!run) return;
  if (!isPaused(run)) await retryEvent(tabId, "due");
  else if (navigator.onLine) await retryEvent(tabId, "online");
  else arm(tabId, run, await loadCore()); // still offline: look again later
}

api.alarms.onAlarm.addListener((alarm) => {
  if (!alarm.name.startsWith(ALARM_PREFIX)) return;
  const tabId = Number(alarm.name.slice(ALARM_PREFIX.length));
  if (Number.isInteger(tabId)) clockRang(tabId);
});

// Every tab with a run hears the browser's connection change.
async function everyRun(type) {
  const all = await api.storage.session.get(null);
  for (const name of Object.keys(all)) {
    if (name.startsWith(RUN_PREFIX)) retryEvent(Number(name.slice(RUN_PREFIX.length)), type);
  }
}
globalThis.addEventListener?.("online", () => everyRun("online"));
globalThis.addEventListener?.("offline", () => everyRun("offline"));
