// Whose problem a tab's error is: the sources gathered (both status pages, the browser's
// online state, Cloudflare's trace when the core wants it), each within its own bound, and
// handed to the core, which decides. A source that fails is left out: the core then says
// "not sure yet" rather than guess. Nothing here holds up the diagnosis.
import "../shared/platform.js";
import "../shared/protocol.js";
import { loadCore } from "../shared/core-loader.js";
import { sessionValue } from "../shared/session-store.js";
import { loadSettings } from "../shared/settings-store.js";
import { within } from "../shared/time-limit.js";
import { openAiStatus, cloudflareStatus } from "./status.js";
import { connectionTrace } from "./trace.js";

const { tabKey } = globalThis.PROTOCOL;

export async function verdictFor(tabId) {
  const core = await loadCore();
  const record = /** @type {StoredTab | null} */ (await sessionValue(tabKey(tabId)));
  const diagnosis = record?.diagnosis ?? core.classify({});
  // Each request has its own time-out; this bound only keeps a stuck one from holding the rest.
  const bound = core.policy().status_timeout_ms + 1_000;
  const [openai, cloudflare, trace] = await Promise.all([
    within(openAiStatus(), bound, null),
    within(cloudflareStatus(), bound, null),
    within(connectionTrace(record?.url, diagnosis.kind), bound, null),
  ]);
  const online = typeof navigator.onLine === "boolean" ? navigator.onLine : null;
  const verdict = core.verdict({
    diagnosis,
    openai,
    cloudflare,
    online,
    trace,
    user_agent: navigator.userAgent,
    challenge_repeated: core.challenge_repeated(record?.challenge ?? null, Date.now()),
    checks_off: !(await loadSettings()).status_checks,
  });
  return { verdict, openai, cloudflare, trace, online };
}
