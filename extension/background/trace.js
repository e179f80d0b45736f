// Cloudflare's trace of this connection (`/cdn-cgi/trace` on the ChatGPT host the tab is
// on): read only for the errors the core says it can explain (blocks, challenges), without
// cookies, bounded in time and bytes, reused for a minute per host. The core parses it and
// keeps the country, the data centre and the VPN flags; the IP address is never kept.
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { boundedText } from "./status.js";

const { api } = globalThis.PLATFORM;
const { TRACE_KEY } = globalThis.PROTOCOL;

const readings = new Map(); // trace URL → the request under way

// The trace for a tab showing `pageUrl` with an error of `kind`, or null (not wanted, not a
// ChatGPT page, failed, timed out, garbage).
export async function connectionTrace(pageUrl, kind) {
  const [core, settings] = await Promise.all([loadCore(), loadSettings()]);
  if (!core.wants_trace(kind)) return null;
  const url = core.trace_url(pageUrl ?? "", settings);
  if (!url) return null;
  const stored = /** @type {StoredTrace | null} */ (await sessionValue(TRACE_KEY));
  const age = stored ? Date.now() - stored.at : -1;
  if (stored && stored.url === url && age >= 0 && age < core.policy().trace_fresh_ms) {
    return stored.trace;
  }
  if (!readings.has(url)) readings.set(url, read(core, url).finally(() => readings.delete(url)));
  return readings.get(url);
}

async function read(core, url) {
  let trace = null;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(core.policy().status_timeout_ms),
      cache: "no-store",
      credentials: "omit",
      redirect: "error",
    });
    const body = response.ok ? await boundedText(response, core.policy().trace_max_bytes) : null;
    const parsed = body !== null ? core.parse_trace(body) : null;
    trace = parsed && (parsed.loc || parsed.colo) ? parsed : null;
  } catch {
    trace = null; // time-out, offline, refused: no trace
  }
  await api.storage.session.set({ [TRACE_KEY]: { url, trace, at: Date.now() } }).catch(() => {});
  return trace;
}
