// The popup: shows the diagnosis of the active tab (or of `?tab=<id>`), in the words the
// core picked from _locales. Page-derived text only ever goes in as text.
import { loadCore } from "./core-loader.js";

const api = globalThis.browser ?? globalThis.chrome;
const t = (key, subs) => api.i18n.getMessage(key, subs) || key;

async function targetTabId() {
  const param = new URLSearchParams(location.search).get("tab");
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab ? tab.id : null;
}

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function fact(list, labelKey, value) {
  if (value === null || value === undefined || value === "") return;
  list.append(el("dt", t(labelKey)), el("dd", String(value)));
}

function render(record, core) {
  const diagnosis = record?.diagnosis ?? core.classify({});
  const view = core.explain(diagnosis);
  document.getElementById("title").textContent = t(view.title);
  document.getElementById("summary").textContent = t(view.summary);

  if (diagnosis.kind !== "none") {
    const facts = document.getElementById("facts");
    fact(facts, "fact_code", diagnosis.code);
    fact(facts, "fact_http_status", diagnosis.http_status);
    fact(facts, "fact_ray_id", diagnosis.ray_id);
    if (record?.at) fact(facts, "fact_seen_at", new Date(record.at).toLocaleTimeString());
    if (diagnosis.retry_after_secs != null) fact(facts, "fact_retry_after", t("fact_seconds", [String(diagnosis.retry_after_secs)]));
    if (diagnosis.reset_at_ms != null) fact(facts, "fact_reset_at", new Date(diagnosis.reset_at_ms).toLocaleTimeString());
    const evidence = document.getElementById("evidence");
    for (const e of diagnosis.evidence) {
      const li = el("li");
      li.append(el("span", `${t(`evidence_${e.source}`)}: `), el("q", e.text));
      evidence.append(li);
    }
    document.getElementById("seen-section").hidden = false;
  }
  const causes = document.getElementById("causes");
  for (const key of view.causes) causes.append(el("li", t(key)));
  document.getElementById("causes-section").hidden = view.causes.length === 0;

  document.body.dataset.engine = record?.engine ?? "";
  document.body.dataset.kind = diagnosis.kind;
}

async function main() {
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const [core, tabId] = await Promise.all([loadCore(), targetTabId()]);
  const key = globalThis.PROTOCOL.tabKey(tabId);
  const record = tabId === null ? null : (await api.storage.session.get(key))[key];
  render(record, core);
}

main();
