// The options page: each change is saved at once, through the core's bounds, and the form
// shows what was actually stored.
import "../shared/platform.js";
import { loadCore } from "../shared/core-loader.js";
import { loadSettings, saveSettings } from "../shared/settings-store.js";

const { api } = globalThis.PLATFORM;
const t = (key) => api.i18n.getMessage(key) || key;
const form = document.getElementById("options");

function show(settings) {
  for (const input of form.querySelectorAll("input[name]")) {
    const value = settings[input.name];
    if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = String(value);
  }
  form.elements.max_attempts.disabled = !settings.auto_retry;
  form.elements.max_total_minutes.disabled = !settings.auto_retry;
  form.elements.page_card_on_app.disabled = !settings.page_card;
  document.body.dataset.ready = "true";
}

async function main() {
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  await loadCore();
  show(await loadSettings());
  form.addEventListener("change", async (e) => {
    const input = e.target;
    if (!input.name) return;
    const value = input.type === "checkbox" ? input.checked : Number.parseInt(input.value, 10);
    show(await saveSettings({ [input.name]: Number.isNaN(value) ? null : value }));
    document.getElementById("saved").textContent = t("options_saved");
  });
  form.addEventListener("submit", (e) => e.preventDefault());
}

main();
