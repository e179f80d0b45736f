// Notifications: only the ones the core asks for, each naming its tab; a click brings the
// tab to the front.
import "../shared/platform.js";

const { api } = globalThis.PLATFORM;
const t = (key) => api.i18n.getMessage(key) || key;
const PREFIX = "tab-";

export async function notify(tabId, key) {
  try {
    await api.notifications.create(`${PREFIX}${tabId}-${key}`, {
      type: "basic",
      iconUrl: api.runtime.getURL("icons/icon-128.png"),
      title: t("ext_name"),
      message: t(key),
    });
  } catch {
    // Notifications are off at the system level: nothing more to do.
  }
}

export async function isVisible(tabId) {
  try {
    const tab = await api.tabs.get(tabId);
    if (!tab.active) return false;
    const win = await api.windows.get(tab.windowId);
    return win.focused && win.state !== "minimized";
  } catch {
    return false;
  }
}

// The tab is the one its window shows (hands-free retries give hidden tabs only the budget's
// spare places).
export async function isShown(tabId) {
  try {
    return (await api.tabs.get(tabId)).active === true;
  } catch {
    return false;
  }
}

api.notifications.onClicked.addListener(async (id) => {
  const tabId = Number(id.slice(PREFIX.length).split("-")[0]);
  if (!id.startsWith(PREFIX) || !Number.isInteger(tabId)) return;
  try {
    const tab = await api.tabs.update(tabId, { active: true });
    await api.windows.update(tab.windowId, { focused: true });
  } catch {
    // The tab is gone.
  }
  api.notifications.clear(id);
});
