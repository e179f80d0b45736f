// The options page: each change is saved at once, through the core's bounds, and the form
// shows what was actually stored.
import "../shared/platform.js";
import { loadCore } from "../shared/core-loader.js";
import { loadSettings, saveSettings } from "../shared/settings-store.js";
import { markDocumentLanguage } from "../shared/locale-format.js";

const { api } = globalThis.PLATFORM;
const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
const { FIX_MEMORY_KEY, tabKey } = globalThis.PROTOCOL;
const form = /** @type {HTMLFormElement} */ (document.getElementById("options"));

function show(settings) {
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[name]"))) {
    const value = settings[input.name];
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = String(value);
  }
  const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  field("max_attempts").disabled = !settings.auto_retry;
  field("max_total_minutes").disabled = !settings.auto_retry;
  field("retry_by_itself").disabled = !settings.auto_retry;
  field("page_card_on_app").disabled = !settings.page_card;
}

// The memory of what worked, as the core bounds it: one line per error and action.
async function showMemory(core) {
  const stored = (await api.storage.local.get(FIX_MEMORY_KEY))[FIX_MEMORY_KEY];
  const rows = core.fix_memory(stored ?? []);
  const list = document.getElementById("memory-list");
  list.replaceChildren(
    ...rows.map((r) => {
      const error = r.code ? `${t(`kind_${r.kind}_title`)} (${r.code})` : t(`kind_${r.kind}_title`);
      const li = document.createElement("li");
      li.textContent = t("options_memory_row", [error, t(`action_${r.action}`), String(r.worked), String(r.tried)]);
      li.dataset.kind = r.kind;
      li.dataset.action = r.action;
      return li;
    }),
  );
  document.getElementById("memory-empty").hidden = rows.length > 0;
  /** @type {HTMLButtonElement} */ (document.getElementById("memory-forget")).disabled = rows.length === 0;
  document.body.dataset.memoryRows = String(rows.length);
}

// The blind state: an open ChatGPT tab whose record says the core cannot read its chat as
// before (records go with their tab; a tab that closed meanwhile does not count).
async function showPageChanged() {
  const all = await api.storage.session.get(null).catch(() => ({}));
  const tabs = Object.entries(all)
    .filter(([key, value]) => key === tabKey(Number(key.split(":")[1])) && value?.diagnosis?.page_changed === true)
    .map(([key]) => Number(key.split(":")[1]));
  const open = await Promise.all(tabs.map((id) => api.tabs.get(id).then(() => true, () => false)));
  document.getElementById("page-changed").hidden = !open.includes(true);
  document.body.dataset.pageChanged = String(open.includes(true));
}

async function main() {
  markDocumentLanguage();
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]"))) node.textContent = t(node.dataset.i18n);
  const core = await loadCore();
  show(await loadSettings());
  // Every listener is in place before the page says it is ready: a change made the moment
  // the form appears is saved, not lost.
  form.addEventListener("change", async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    if (!input.name) return;
    const value = input.type === "checkbox" ? input.checked : Number.parseInt(input.value, 10);
    show(await saveSettings({ [input.name]: Number.isNaN(value) ? null : value }));
    document.getElementById("saved").textContent = t("options_saved");
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  document.getElementById("memory-forget").addEventListener("click", async () => {
    // Through the background, which also drops every fix still waiting for its tab.
    await api.runtime.sendMessage(/** @satisfies {PopupToBackgroundForgetMemory} */ ({ type: globalThis.PROTOCOL.POPUP_TO_BACKGROUND_FORGET_MEMORY })).catch(() => null);
    await showMemory(core);
  });
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && Object.hasOwn(changes, FIX_MEMORY_KEY)) showMemory(core);
    if (area === "session") showPageChanged();
  });
  await Promise.all([showMemory(core), showPageChanged()]);
  document.body.dataset.ready = "true";
}

main();
