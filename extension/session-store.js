// One value of storage.session (where the background keeps each tab's state), or null.
const api = globalThis.browser ?? globalThis.chrome;

export async function sessionValue(key) {
  return (await api.storage.session.get(key))[key] ?? null;
}
