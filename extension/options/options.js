// The options page: each change is saved at once, through the core's bounds, and the form
// shows what was actually stored.
import "../shared/platform.js";
import { loadCore } from "../shared/core-loader.js";
import { loadSettings, saveSettings } from "../shared/settings-store.js";
import { markDocumentLanguage } from "../shared/locale-format.js";

const { api } = globalThis.PLATFORM;
const t = (key) => api.i18n.getMessage(key) || key;
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
  field("page_card_on_app").disabled = !settings.page_card;
  document.body.dataset.ready = "true";
}

async function main() {
  markDocumentLanguage();
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]"))) node.textContent = t(node.dataset.i18n);
  await loadCore();
  show(await loadSettings());
  form.addEventListener("change", async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    if (!input.name) return;
    const value = input.type === "checkbox" ? input.checked : Number.parseInt(input.value, 10);
    show(await saveSettings({ [input.name]: Number.isNaN(value) ? null : value }));
    document.getElementById("saved").textContent = t("options_saved");
  });
  form.addEventListener("submit", (e) => e.preventDefault());
}

main();
