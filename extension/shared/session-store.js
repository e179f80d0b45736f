// One value of storage.session (where the background keeps each tab's state), or null.
import "./platform.js";

const { api } = globalThis.PLATFORM;

export async function sessionValue(key) {
  return (await api.storage.session.get(key))[key] ?? null;
}
