// The person's options, as the core bounds them: whatever storage holds, the result is usable.
import "./platform.js";
import "./protocol.js";
import { loadCore } from "./core-loader.js";

const { api } = globalThis.PLATFORM;
const { SETTINGS_KEY } = globalThis.PROTOCOL;

export async function loadSettings() {
  const [core, stored] = await Promise.all([loadCore(), api.storage.local.get(SETTINGS_KEY)]);
  return core.settings(stored[SETTINGS_KEY] ?? {});
}

export async function saveSettings(changed) {
  const core = await loadCore();
  const next = core.settings({ ...(await loadSettings()), ...changed });
  await api.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}
