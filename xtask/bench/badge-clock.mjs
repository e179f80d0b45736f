// When the extension set a tab's badge, read from outside. At bench time (through the
// debugging protocol; the shipped extension carries no such code) the background's
// action.setBadgeText is wrapped to log, per call, the tab, the text, and the background's
// Date.now() when the call resolved, i.e. when the badge was set.
import { sleep } from './runs.mjs';

/** Installs the wrapper unless it is there (a restarted service worker loses it). */
export async function watchBadges(session) {
  await session.background(() => {
    if (globalThis.__benchBadgeLog) return;
    const action = (globalThis.browser ?? globalThis.chrome).action;
    const setBadgeText = action.setBadgeText;
    const log = [];
    action.setBadgeText = async function (details) {
      const result = await setBadgeText.call(this, details);
      log.push({ tabId: details.tabId, text: details.text, at: Date.now() });
      return result;
    };
    globalThis.__benchBadgeLog = log;
  });
}

/**
 * Date.now() (background) when tab `tabId` first got a non-empty badge (`text`, if given) at
 * or after `since`. `keep`: leave the tab's entries for a later question.
 */
export async function badgeSetAt(session, tabId, since, timeout = 15000, { text = null, keep = false } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const at = await session.background((tabId, since, text, keep) => {
      const log = globalThis.__benchBadgeLog ?? [];
      const hit = log.find((e) => e.tabId === tabId && e.text && (text === null || e.text === text) && e.at >= since);
      // Drop this tab's entries (in place: the wrapper holds this array). Each run opens
      // a new tab, and the log must not grow.
      if (hit && !keep) log.splice(0, log.length, ...log.filter((e) => e.tabId !== tabId));
      return hit ? hit.at : null;
    }, tabId, since, text, keep);
    if (at !== null) return at;
    if (Date.now() > deadline) throw new Error(`tab ${tabId}: no badge ${text ?? ''} set within ${timeout} ms`);
    await sleep(25);
  }
}
