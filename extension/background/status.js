// OpenAI's and Cloudflare's status pages, read when an error is shown or the popup opens, at
// most once a minute each (the core says whether a reading is fresh), never longer than the
// core's time-out, never more than its bound of bytes. Any failure is a reading too:
// "unknown".
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";

const { api } = globalThis.PLATFORM;
const { STATUS_KEY, CLOUDFLARE_STATUS_KEY } = globalThis.PROTOCOL;

// Each page: where it is read from, where the reading is kept, which of the core's parsers
// reads it.
const PAGES = {
  openai: { key: STATUS_KEY, endpoint: (s) => s.status_endpoint, parse: (core) => core.parse_status },
  cloudflare: {
    key: CLOUDFLARE_STATUS_KEY,
    endpoint: (s) => s.cloudflare_status_endpoint,
    parse: (core) => core.parse_cloudflare_status,
  },
};
const readings = new Map(); // page → the request under way (one at a time, however many ask)

async function pageStatus(name) {
  const page = PAGES[name];
  const [core, settings] = await Promise.all([loadCore(), loadSettings()]);
  if (!settings.status_checks) return null;
  const endpoint = page.endpoint(settings);
  const stored = /** @type {StoredStatus | null} */ (await sessionValue(page.key));
  if (stored && stored.endpoint === endpoint && core.status_is_fresh(stored.status, Date.now())) {
    return stored.status;
  }
  if (!readings.has(name)) {
    readings.set(
      name,
      read(core, endpoint, page.parse(core), page.key).finally(() => readings.delete(name)),
    );
  }
  return readings.get(name);
}

export const openAiStatus = () => pageStatus("openai");
export const cloudflareStatus = () => pageStatus("cloudflare");

// The body as text, or null when it is (or says it will be) longer than `max` bytes: a
// status endpoint gone wrong must not fill the worker's memory.
export async function boundedText(response, max) {
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

async function read(core, endpoint, parse, key) {
  let status;
  try {
    const response = await fetch(endpoint, {
      signal: AbortSignal.timeout(core.policy().status_timeout_ms),
      cache: "no-store",
      credentials: "omit",
      redirect: "error",
    });
    const body = response.ok ? await boundedText(response, core.policy().status_max_bytes) : null;
    status = body !== null ? parse(body, Date.now()) : core.unknown_status(Date.now());
  } catch {
    status = core.unknown_status(Date.now()); // time-out, offline, refused
  }
  await api.storage.session.set({ [key]: { endpoint, status } });
  return status;
}
