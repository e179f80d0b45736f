// OpenAI's status page, read when an error is shown or the popup opens, at most once a
// minute (the core says whether a reading is fresh), never longer than the core's time-out.
// Any failure is a reading too: "unknown".
import "./protocol.js";
import { loadCore } from "./core-loader.js";
import { sessionValue } from "./session-store.js";
import { loadSettings } from "./settings-store.js";

const api = globalThis.browser ?? globalThis.chrome;
const { STATUS_KEY } = globalThis.PROTOCOL;

let reading = null; // one request at a time, however many ask

export async function openAiStatus() {
  const [core, settings] = await Promise.all([loadCore(), loadSettings()]);
  if (!settings.status_checks) return null;
  const stored = await sessionValue(STATUS_KEY);
  if (stored && stored.endpoint === settings.status_endpoint && core.status_is_fresh(stored.status, Date.now())) {
    return stored.status;
  }
  reading ??= read(core, settings.status_endpoint).finally(() => {
    reading = null;
  });
  return reading;
}

async function read(core, endpoint) {
  let status;
  try {
    const response = await fetch(endpoint, {
      signal: AbortSignal.timeout(core.policy().status_timeout_ms),
      cache: "no-store",
      credentials: "omit",
      redirect: "error",
    });
    status = response.ok ? core.parse_status(await response.text(), Date.now()) : core.unknown_status(Date.now());
  } catch {
    status = core.unknown_status(Date.now()); // time-out, offline, refused
  }
  await api.storage.session.set({ [STATUS_KEY]: { endpoint, status } });
  return status;
}
