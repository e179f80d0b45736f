// The popup: what is wrong with the tab (or `?tab=<id>`), OpenAI's status, and the actions
// the core ranked for it, the first as the primary button. Every text comes from _locales;
// page-derived text only ever goes in as text.
import "../generated/core-data.js";
import "../shared/platform.js";
import { loadCore } from "../shared/core-loader.js";
import { loadSettings } from "../shared/settings-store.js";
import { formatCountdown, formatDuration, formatNumber, formatRelative, formatSeenAt, formatTime, markDocumentLanguage } from "../shared/locale-format.js";

const { api } = globalThis.PLATFORM;
const P = globalThis.PROTOCOL;
const { CORE } = globalThis;
const { KIND, ACTION } = CORE;
const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
const $ = (id) => document.getElementById(id);

const view = {
  core: null,
  tabId: null,
  record: null,
  unchecked: false, // a ChatGPT tab the extension has not read (open before an install or update)
  run: null,
  result: null, // how the tab's last retry run ended (RetryResult)
  draftSaved: false,
  settings: null,
  status: null, // null: not read (yet, or checks are off)
  statusPending: false,
  adviceKey: null,
  place: null, // this tab's place in the shared retry plan
  memory: [], // what worked before on this computer
  verdict: null, // {verdict, cloudflare, trace, online} from the background, once it answers
};

async function targetTabId() {
  const param = new URLSearchParams(location.search).get("tab");
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab ? tab.id : null;
}

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

const diagnosis = () => view.record?.diagnosis ?? view.core.classify({});

function fact(list, labelKey, value) {
  if (value === null || value === undefined || value === "") return;
  list.append(el("dt", t(labelKey)), el("dd", String(value)));
}

// The core names a markup marker by its English label (the support report keeps it); the
// popup shows the marker's name in the UI language.
function evidenceText(e) {
  if (e.source !== "markup") return e.text;
  const marker = globalThis.SENSOR_SPEC?.markers.find((m) => m.label === e.text);
  return (marker && api.i18n.getMessage(`marker_${marker.id}`)) || e.text;
}

function renderDiagnosis() {
  const d = diagnosis();
  const explanation = view.core.explain(d);
  $("title").textContent = t(view.unchecked ? "popup_unchecked_title" : explanation.title);
  $("summary").textContent = t(view.unchecked ? "popup_unchecked_summary" : explanation.summary);
  $("unchecked").hidden = !view.unchecked;
  document.body.dataset.checked = String(!view.unchecked);
  // The core found a conversation page it cannot read as before: in-chat errors may be missed.
  $("page-changed").hidden = view.unchecked || !d.page_changed;
  const facts = $("facts");
  const evidence = $("evidence");
  facts.replaceChildren();
  evidence.replaceChildren();
  if (d.kind !== KIND.NONE) {
    fact(facts, "fact_code", d.code);
    fact(facts, "fact_http_status", d.http_status);
    fact(facts, "fact_ray_id", d.ray_id);
    if (view.record?.at) fact(facts, "fact_seen_at", formatSeenAt(view.record.at));
    if (d.retry_after_secs != null) fact(facts, "fact_retry_after", formatDuration(d.retry_after_secs));
    if (d.reset_at_ms != null) fact(facts, "fact_reset_at", `${formatTime(d.reset_at_ms)} (${formatRelative(d.reset_at_ms)})`);
    for (const e of d.evidence) {
      const li = el("li");
      li.append(el("span", `${t(`evidence_${e.source}`)}: `), el("q", evidenceText(e)));
      evidence.append(li);
    }
  }
  $("seen-section").hidden = d.kind === KIND.NONE;
  $("causes").replaceChildren(...explanation.causes.map((key) => el("li", t(key))));
  $("causes-section").hidden = explanation.causes.length === 0;
  $("details-fold").hidden = $("seen-section").hidden && $("causes-section").hidden;
  document.body.dataset.kind = d.kind;
}

function statusDetail(status) {
  // The incident's name is OpenAI's own words, quoted as they are; without one, the page's
  // overall state in the UI language (OpenAI's description of it is English only).
  const incident = status.incidents[0]?.name;
  const overall = status.state !== CORE.SERVICE_STATE.OPERATIONAL ? t(`state_${status.state}`) : null;
  const parts = status.components.map((c) => `${c.name}: ${t(`state_${c.state}`)}`);
  return [incident ?? overall, parts.join(", ")].filter(Boolean).join(" · ");
}

// The verdict line: whose problem it is, its evidence one click away.
function renderVerdict() {
  const box = $("verdict");
  const v = view.verdict?.verdict;
  if (!v || diagnosis().kind === KIND.NONE) {
    box.hidden = true;
    delete document.body.dataset.verdict;
    return;
  }
  $("verdict-party").textContent = t(v.key);
  $("verdict-evidence").replaceChildren(
    ...v.evidence.map((e) => {
      // A time (a limit's reset) is written in the person's own clock and language.
      const value = typeof e.at_ms === "number" ? formatTime(e.at_ms) : e.value;
      return el("li", t(e.key, value == null ? undefined : [String(value)]), { "data-evidence": e.key });
    }),
  );
  box.hidden = false;
  document.body.dataset.verdict = v.party;
}

async function readVerdict() {
  if (view.tabId === null || diagnosis().kind === KIND.NONE) return;
  const answer = await api.runtime.sendMessage({ type: P.POPUP_TO_BACKGROUND_VERDICT, tabId: view.tabId }).catch(() => null);
  view.verdict = answer && answer.verdict && typeof answer.verdict.party === "string" ? answer : null;
  renderVerdict();
  renderAdvice(); // Cloudflare's status may reorder the actions
  document.body.dataset.verdictRead = "true";
}

async function readMemory() {
  const stored = (await api.storage.local.get(P.FIX_MEMORY_KEY))[P.FIX_MEMORY_KEY];
  view.memory = view.core.fix_memory(stored ?? []);
}

function renderAdvice() {
  const d = diagnosis();
  const advice = view.core.advise(d, {
    status: view.status,
    retry: view.run,
    draft_saved: view.draftSaved,
    settings: view.settings,
    memory: view.memory,
    cloudflare: view.verdict?.cloudflare ?? null,
    challenge_repeated: view.core.challenge_repeated(view.record?.challenge ?? null, Date.now()),
  });
  const line = $("status-line");
  if (advice.status_line) {
    const cloudflare = advice.status_line.key === "status_cloudflare_outage" ? view.verdict?.cloudflare : null;
    const detail = cloudflare
      ? statusDetail(cloudflare)
      : view.status && advice.status_line.state !== CORE.SERVICE_STATE.UNKNOWN
        ? statusDetail(view.status)
        : "";
    line.replaceChildren(el("span", t(advice.status_line.key)));
    if (detail) line.append(el("br"), el("span", detail, { class: "detail" }));
    line.hidden = false;
  } else if (view.statusPending && d.kind !== KIND.NONE) {
    line.textContent = t("status_checking");
    line.hidden = false;
  } else {
    line.hidden = true;
  }
  document.body.dataset.status = view.status?.state ?? (view.statusPending ? "checking" : "off");
  $("hints").replaceChildren(...advice.hints.map((key) => el("li", t(key))));
  $("hints-section").hidden = advice.hints.length === 0;

  // Rebuild the buttons only when they change, so focus stays where the person left it.
  const key = JSON.stringify(advice.actions);
  if (key === view.adviceKey) return;
  view.adviceKey = key;
  const main = $("actions");
  const more = $("more-actions");
  main.replaceChildren();
  more.replaceChildren();
  advice.actions.forEach((action, i) => {
    const button = el("button", t(action.label), { type: "button", "data-action": action.id });
    const reasonId = `reason-${action.id}`;
    button.setAttribute("aria-describedby", reasonId);
    if (i === 0) button.classList.add("primary");
    button.addEventListener("click", () => onAction(action, button));
    const row = el("div", undefined, { class: "action" });
    const tally = action.tally;
    // "Worked for you 3 of 4 times": marked, and its counts in the reason.
    const subs = tally && tally.worked > 0 ? [String(tally.worked), String(tally.tried)] : undefined;
    if (subs) {
      row.classList.add("worked");
      button.dataset.worked = `${tally.worked}/${tally.tried}`;
    }
    row.append(button, el("p", t(action.reason, subs), { class: "reason", id: reasonId }));
    (action.more ? more : main).append(row);
  });
  $("more").hidden = more.childElementCount === 0;
  $("actions-section").hidden = advice.actions.length === 0;
}

function renderCountdown() {
  const run = view.run;
  const box = $("countdown");
  document.body.dataset.retry = !run ? "none" : run.paused_remaining_ms != null ? "paused" : run.last ? "last" : "running";
  if (!run) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  if (run.paused_remaining_ms != null) box.textContent = t("retry_paused_offline");
  else if (run.last) box.textContent = t("retry_last_attempt");
  else if (run.basis === CORE.WAIT_BASIS.SETTLE) box.textContent = t("retry_settling");
  else if (view.place && view.place.place > 1) {
    // Other failing tabs reload first: one budget for all of them.
    box.textContent = t("retry_waiting_turn", [
      formatCountdown(run.due_at_ms - Date.now()),
      formatNumber(view.place.place - 1),
    ]);
  } else {
    box.textContent = t("retry_countdown", [
      formatCountdown(run.due_at_ms - Date.now()),
      formatNumber(run.attempt + 1),
      formatNumber(run.max_attempts),
    ]);
  }
}

// How the last run ended, once none is running: "Reloaded 3 times by itself · works again
// since 14:02", or why it stopped (the core picks the sentence).
function renderRetryResult() {
  const result = view.run ? null : view.result;
  const box = $("retry-result");
  box.hidden = !result;
  document.body.dataset.retryResult = result ? `${result.outcome}${result.hands_free ? ":by_itself" : ""}` : "none";
  if (!result) return;
  try {
    box.textContent = t(view.core.retry_result_message(result), [formatNumber(result.reloads), formatTime(result.at_ms)]);
  } catch {
    box.hidden = true; // a result storage holds in another shape: nothing to say
  }
}

function say(key, subs) {
  $("action-result").textContent = t(key, subs);
}

async function copy(text) {
  const area = /** @type {HTMLTextAreaElement} */ ($("copy-text"));
  area.value = text;
  area.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    area.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

/** @returns {Promise<PopupToBackgroundActionReply>} */
async function send(action) {
  return api.runtime.sendMessage(/** @satisfies {PopupToBackgroundAction} */ ({ type: P.POPUP_TO_BACKGROUND_ACTION, tabId: view.tabId, action }));
}

const RESULTS = {
  [ACTION.RETRY_TURN]: (r) => (r?.pressed ? "result_retry_turn_pressed" : "result_retry_turn_missing"),
  [ACTION.RETRY_RELOAD]: (r) => (r?.storage_full ? "result_failed" : r?.command === CORE.RETRY_COMMAND.STOP ? "result_not_retryable" : null),
  [ACTION.RELOAD_NOW]: (r) => (r?.draft === "memory" ? "result_reloading_draft_in_memory" : "result_reloading"),
  [ACTION.LOG_IN]: (r) => (r?.draft === "memory" ? "result_login_draft_in_memory" : "result_login_opened"),
  [ACTION.NEW_CHAT]: (r) => (r?.draft === "memory" ? "result_new_chat_draft_in_memory" : "result_new_chat_opened"),
};

async function onAction(action, button) {
  if (button.disabled) return;
  if (action.confirm) {
    askConfirm(action);
    return;
  }
  button.disabled = true;
  try {
    if (action.id === ACTION.COPY_REPORT) {
      const report = view.core.support_report(diagnosis(), {
        page_url: view.record?.url ?? "",
        user_agent: navigator.userAgent,
        extension_version: api.runtime.getManifest().version,
        status: view.status,
        now_ms: view.record?.at ?? Date.now(),
        retry_attempts: view.run?.attempt ?? null,
        retry_result: view.result,
        cloudflare: view.verdict?.cloudflare ?? null,
        online: view.verdict?.online ?? null,
        trace: view.verdict?.trace ?? null,
        challenge_repeated: view.core.challenge_repeated(view.record?.challenge ?? null, Date.now()),
        checks_off: !view.settings.status_checks,
      });
      say((await copy(report)) ? "result_report_copied" : "result_copy_failed");
    } else if (action.id === ACTION.COPY_DRAFT) {
      /** @type {PopupToBackgroundDraftReply} */
      const text = await api.runtime.sendMessage(/** @satisfies {PopupToBackgroundDraft} */ ({ type: P.POPUP_TO_BACKGROUND_DRAFT, tabId: view.tabId }));
      if (typeof text === "string") say((await copy(text)) ? "result_draft_copied" : "result_copy_failed");
    } else {
      const result = await send(action.id);
      const key = result?.error === "tab_left_chatgpt" ? "result_tab_left" : RESULTS[action.id]?.(result);
      if (key) say(key);
      await showTab().catch(() => {});
    }
  } catch {
    say("result_failed");
  } finally {
    button.disabled = false;
    actionDone();
  }
}

// How many actions have finished: what the popup did is then in storage and on screen.
function actionDone() {
  document.body.dataset.actionsDone = String(Number(document.body.dataset.actionsDone ?? 0) + 1);
}

let confirming = null;
function askConfirm(action) {
  const plan = view.core.clear_plan(action.clear_tier, globalThis.PLATFORM.browser);
  confirming = action;
  $("confirm-title").textContent = t(action.label);
  $("confirm-removes").replaceChildren(...plan.removes.map((k) => el("li", t(k))));
  $("confirm-keeps").replaceChildren(...plan.keeps.map((k) => el("li", t(k))));
  $("confirm-cost").textContent = t(plan.cost);
  $("confirm").hidden = false;
  document.body.dataset.confirm = action.id;
  $("confirm-no").focus();
}

function closeConfirm() {
  confirming = null;
  $("confirm").hidden = true;
  delete document.body.dataset.confirm;
}

$("confirm-no").addEventListener("click", closeConfirm);
$("confirm-yes").addEventListener("click", async () => {
  const action = confirming;
  const yes = /** @type {HTMLButtonElement} */ ($("confirm-yes"));
  if (!action || yes.disabled) return;
  yes.disabled = true;
  try {
    const result = await send(action.id);
    say(result && !result.error ? "result_cleared" : "result_failed");
    document.body.dataset.cleared = action.id;
  } catch {
    say("result_failed");
  } finally {
    yes.disabled = false;
    closeConfirm();
    actionDone();
  }
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && confirming) {
    e.preventDefault();
    closeConfirm();
  }
});

// Where this tab's state lives in storage.session.
const tabKeys = (tabId) => [P.tabKey(tabId), P.retryKey(tabId), P.draftKey(tabId), P.retryResultKey(tabId)];

// This tab's place among every tab's retries waiting for a reload (they share one budget;
// the core decides which runs wait and in what order).
function placeInPlan(all) {
  const prefix = P.retryKey("");
  const runs = Object.entries(all)
    .filter(([name, run]) => name.startsWith(prefix) && run)
    .map(([name, run]) => ({ tab_id: Number(name.slice(prefix.length)), run }));
  try {
    const plan = view.core.retry_plan(runs, all[P.RETRY_BUDGET_KEY] ?? [], Date.now());
    return plan.find((p) => p.tab_id === view.tabId) ?? null;
  } catch {
    return null; // a run storage holds in another shape: no place to show, nothing else lost
  }
}

// This tab's state read again and shown: on every change of it in storage, and once an
// action has finished (so what the action did is on screen when the popup says it is done,
// not only whenever storage's change event arrives).
async function showTab() {
  if (view.tabId === null) return;
  await readTab();
  renderDiagnosis();
  renderVerdict();
  renderAdvice();
  renderCountdown();
  renderRetryResult();
}

async function readTab() {
  const keys = tabKeys(view.tabId);
  const all = await api.storage.session.get(null);
  // A tab that left ChatGPT keeps no diagnosis: the browser gives its URL only for the
  // hosts the extension may read.
  const tab = await api.tabs.get(view.tabId).catch(() => null);
  const onChatGpt = Boolean(tab?.url && view.core.is_chatgpt_url(tab.url));
  view.record = onChatGpt ? all[keys[0]] ?? null : null;
  view.unchecked = view.core.tab_unchecked(tab?.url ?? null, view.record !== null);
  view.run = onChatGpt ? all[keys[1]] ?? null : null;
  view.draftSaved = onChatGpt && Boolean(all[keys[2]]);
  view.result = onChatGpt ? all[keys[3]] ?? null : null;
  view.place = view.run ? placeInPlan(all) : null;
}

async function main() {
  markDocumentLanguage();
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]"))) node.textContent = t(node.dataset.i18n);
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n-label]"))) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  const [core, tabId, settings] = await Promise.all([loadCore(), targetTabId(), loadSettings()]);
  Object.assign(view, { core, tabId, settings });
  // Not read yet: one reload lets the page's sensor read it (the record then shows here).
  $("unchecked-reload").addEventListener("click", async (event) => {
    const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
    button.disabled = true;
    await send(ACTION.RELOAD_NOW).catch(() => null);
    button.disabled = false;
  });
  if (tabId !== null) await readTab();
  await readMemory().catch(() => {});
  view.statusPending = settings.status_checks && diagnosis().kind !== KIND.NONE;
  renderDiagnosis();
  renderAdvice();
  // The verdict comes when its sources have answered (each bounded); the diagnosis and the
  // actions above never wait for it.
  const verdictRead = readVerdict();
  renderCountdown();
  renderRetryResult();
  setInterval(renderCountdown, core.policy().countdown_tick_ms);
  api.storage.onChanged.addListener(async (changes, area) => {
    // Other tabs' pages and the status cache change too: only this tab's state (and the
    // shared retry plan it waits in) re-renders.
    const ours = [...tabKeys(tabId), P.RETRY_BUDGET_KEY];
    const plan = (key) => key.startsWith(P.retryKey(""));
    if (area !== "session" || tabId === null || !Object.keys(changes).some((key) => ours.includes(key) || plan(key))) return;
    await showTab();
  });
  if (view.statusPending) {
    /** @type {PopupToBackgroundStatusReply} */
    const status = await api.runtime.sendMessage(/** @satisfies {PopupToBackgroundStatus} */ ({ type: P.POPUP_TO_BACKGROUND_STATUS })).catch(() => null);
    view.status = status && typeof status.state === "string" ? status : null;
    view.statusPending = false;
    renderAdvice();
  }
  document.body.dataset.ready = "true";
  await verdictRead;
}

main();
