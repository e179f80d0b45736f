// The welcome page, opened once on install: what the extension does, a picture of the popup
// on an error, and in Chrome how to pin the button, with a line that turns green once it is
// pinned. Chrome does not tell a page when the button is pinned: the line is read again
// whenever the page comes back into view, and now and then while it is open.
import "../shared/platform.js";

const { api } = globalThis.PLATFORM;
const t = (key) => api.i18n.getMessage(key) || key;
const RECHECK_MS = 1500;

for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-i18n]"))) node.textContent = t(node.dataset.i18n);
for (const node of /** @type {NodeListOf<HTMLImageElement>} */ (document.querySelectorAll("[data-i18n-alt]"))) node.alt = t(node.dataset.i18nAlt);
document.documentElement.lang = api.i18n.getUILanguage?.() ?? "en";

const pin = document.getElementById("pin");
const state = document.getElementById("pin-state");

async function showPinned() {
  let pinned;
  try {
    pinned = (await api.action.getUserSettings()).isOnToolbar === true;
  } catch {
    return;
  }
  if (state.dataset.pinned === String(pinned)) return;
  state.dataset.pinned = String(pinned);
  state.textContent = t(pinned ? "welcome_pin_done" : "welcome_pin_not_yet");
}

// Where the browser says whether the button is on the toolbar (Chrome; Firefox, which puts
// it there at install, says so too and the line is green at once).
if (typeof api.action?.getUserSettings === "function") {
  pin.hidden = false;
  await showPinned();
  addEventListener("focus", showPinned);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") showPinned();
  });
  setInterval(() => {
    if (document.visibilityState === "visible") showPinned();
  }, RECHECK_MS);
}
document.body.dataset.ready = "true";
