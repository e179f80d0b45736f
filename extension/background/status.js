// OpenAI's status page, read when an error is shown or the popup opens, at most once a
// minute (the core says whether a reading is fresh), never longer than the core's time-out.
// Any failure is a reading too: "unknown".
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";

const { api } = globalThis.PLATFORM;
const { STATUS_KEY } = globalThis.PROTOCOL;

let reading = null; // one request at a time, however many ask

export async function openAiStatus() {
  const [core, settings] = await Promise.all([loadCore(), loadSettings()]);
  if (!settings.status_checks) return null;
  const stored = /** @type {StoredStatus | null} */ (await sessionValue(STATUS_KEY));
  if (stored && stored.endpoint === settings.status_endpoint && core.status_is_fresh(stored.status, Date.now())) {
    return stored.status;
  }
  reading ??= read(core, settings.status_endpoint).finally(() => {
    reading = null;
  });
  return reading;
}

// The body as text, or null when it is (or says it will be) longer than `max` bytes: a
// status endpoint gone wrong must not fill the worker's memory.
async function boundedText(response, max) {
  if (Number(response.headers.get("content-length")) > max) return null;
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
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
    const body = response.ok ? await boundedText(response, core.policy().status_max_bytes) : null;
    status = body !== null ? core.parse_status(body, Date.now()) : core.unknown_status(Date.now());
  } catch {
    status = core.unknown_status(Date.now()); // time-out, offline, refused
  }
  await api.storage.session.set({ [STATUS_KEY]: { endpoint, status } });
  return status;
}
