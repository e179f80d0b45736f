// Random interleavings, seeded: three failing ChatGPT tabs (one of them in a Firefox
// container, or in a Chrome incognito window) driven through random sequences of popup
// clicks (alone and twice at once), due times, worker restarts, tabs closing or leaving
// ChatGPT and coming back, the connection and storage failing, and content scripts that stop
// answering. After every step the invariants below are checked; a failure prints the seed
// and the steps so far.
//
//   node --test tests/glue/interleavings.test.mjs                 # every seed
//   GLUE_SEED=17 node --test tests/glue/interleavings.test.mjs    # one seed (replay)
//   GLUE_SEEDS=200 GLUE_STEPS=300 node --test tests/glue/interleavings.test.mjs  # longer
//   GLUE_SKIP_CHECKS=clear-scope,hang ...                         # exploring past a known failure
//
// Invariants:
// - hang:        every popup reply and content message reply settles within BOUND of fake time
//                (calls to a worker that was stopped are dropped, as the browser rejects them);
// - double:      at most one reload per click (two clicks at once join) and no tab reloaded
//                twice by its retry within the budget's spacing (two clocks firing together);
// - off-site:    no reload / update / clear of a closed tab or of a tab not on ChatGPT then;
// - budget:      the extension's own retry reloads: at most retry_budget_per_minute in any
//                60 s, none closer than retry_min_gap_ms (reloads the person clicked for are
//                not counted; what caused each call is known from the driver's async context);
// - clear-scope: browsingData.remove only from a clear click, with the tab's cookieStoreId in
//                a Firefox container (or private window), never for a Chrome incognito tab;
//                cookies.remove only in the clicked tab's store;
// - rejection:   no unhandled rejection in world.errors, no listener rejecting;
// - cancel:      a Cancel sticks for that page load: once a Cancel click stopped a tab's run,
//                no retry reloads that tab until it loads another page or Retry is clicked
//                (error pages start their own runs: the 502 page, and offline navigations);
// - off:         once "retry by itself" is switched off, no run that started by itself
//                reloads and none starts (after the step that was running at the switch);
// - sent:        once the person sent a new message on a page load showing a failed answer,
//                its Retry is never pressed by itself on that page load.
//
// Runs start by themselves (a 502 page, a failed navigation while offline): the driver also
// cancels during a run's first wait and switches the option off and on mid-run. Failed
// answers' own Retry is pressed by itself (the option is on); the driver sends a new message
// during the short wait.
import { test } from "node:test";
import { AsyncLocalStorage } from "node:async_hooks";
import { createWorld } from "./load-background.mjs";
import { seededRandom } from "./clock.mjs";
import { core, policy, contentOf, popupOf, snapshots, P } from "./content.mjs";

const POLICY = policy();
const BUDGET = POLICY.retry_budget_per_minute ?? 4;
const MIN_GAP = POLICY.retry_min_gap_ms ?? 5000;
const WINDOW_MS = 60_000;
const BOUND = (POLICY.step_timeout_ms ?? 10_000) + (POLICY.message_timeout_ms ?? 3000) + 2000;

const envInt = (name, fallback) => (process.env[name] ? Number.parseInt(process.env[name], 10) : fallback);
const SEED_COUNT = envInt("GLUE_SEEDS", 40);
const STEPS = envInt("GLUE_STEPS", 100);
const SEEDS = process.env.GLUE_SEED ? [envInt("GLUE_SEED", 1)] : Array.from({ length: SEED_COUNT }, (_, i) => i + 1);
const SKIP = new Set((process.env.GLUE_SKIP_CHECKS ?? "").split(",").filter(Boolean));
const SKIP_STEPS = new Set((process.env.GLUE_SKIP_STEPS ?? "").split(",").filter(Boolean));

const CLEAR_TIERS = ["clear_cloudflare_cookies", "clear_site_data", "full_reset"];
// A step that read the settings before a switch may still carry out what it decided.
const SWITCH_GRACE = BOUND;
const MANUAL = new Set(["reload_now", ...CLEAR_TIERS]); // reloads the person asked for

const onChatGpt = (url) => typeof url === "string" && core.is_chatgpt_url(url);

// A 502 from Cloudflare: the core calls it server_unreachable (checked below).
const badGateway = (url, now) => ({
  url,
  title: "502 Bad Gateway",
  response: { status: 502, server: "cloudflare", content_type: "text/html" },
  markers: [],
  regions: [{ kind: "error_page", text: "502 Bad Gateway" }],
  page_text_len: 15,
  now_ms: now,
  utc_offset_minutes: 0,
});
const PAGES = {
  network_error: { status: 200, snapshot: snapshots.networkError },
  server_unreachable: { status: 502, snapshot: badGateway },
  healthy: { status: 200, snapshot: snapshots.healthy },
  failed_answer: { status: 200, snapshot: snapshots.failedAnswer },
};
const KIND_OF_PAGE = { healthy: "none", failed_answer: "app_error" };

// The three tabs of a world: where each lives.
const SLOTS = {
  chrome: [{ name: "normal" }, { name: "incognito", incognito: true, windowId: 2 }, { name: "normal-2" }],
  firefox: [{ name: "default" }, { name: "container-1", cookieStoreId: "firefox-container-1" }, { name: "private", incognito: true, windowId: 2 }],
};

test("interleavings: the pages the driver uses give the kinds it expects", () => {
  for (const [kind, page] of Object.entries(PAGES)) {
    const want = KIND_OF_PAGE[kind] ?? kind;
    if (core.classify(page.snapshot("https://chatgpt.com/c/x", Date.now())).kind !== want) throw new Error(`${kind} page classifies otherwise`);
  }
});

class Violation extends Error {}

async function runSeed(seed) {
  const flavour = seed % 2 === 0 ? "firefox" : "chrome";
  const rnd = seededRandom(seed * 7919 + 13); // the driver's own dice (the world's clock has its own)
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const w = createWorld({ flavour, seed });
  const b = w.browser;
  const cause = new AsyncLocalStorage(); // what the driver did that led to a browser call
  const steps = [];
  const problems = [];
  const calls = []; // { id, what, at, instance, state }
  const autoReloads = []; // { tabId, at }
  const manualByClick = new Map(); // click group → reloads
  const lastStart = new Map(); // tabId → the click group of the last start (retry_reload) click
  const cancelled = new Map(); // tabId → the tab's navigation count when a Cancel stopped its run
  let offSince = null; // when "retry by itself" was switched off (null: on)
  const sentOn = new Map(); // tabId → { navigations, at }: the person sent a new message on that page load
  const handsFreeRuns = new Set(); // runs seen that started by themselves (tab:start)
  let errorsSeen = 0;
  let logSeen = 0;
  let groups = 0;
  const t0 = w.clock.now;
  const rel = (at) => `+${Math.round(at - t0)}`; // fake time since the start, in ms
  const fail = (check, message) => {
    if (!SKIP.has(check) && problems.length < 8) problems.push(`[${check}] ${message}`);
  };
  const where = (tabId) => {
    const tab = b.tab(tabId);
    return tab ? `tab ${tabId} (${tab.closed ? "closed" : tab.url}, store ${tab.cookieStoreId})` : `tab ${tabId} (never existed)`;
  };

  try {
    await w.loadBackground();
    await b.storage.local.set({ [P.SETTINGS_KEY]: { ...(b.storage.local.value(P.SETTINGS_KEY) ?? {}), retry_answers_by_itself: true } });
    instrument();

    // ---- the three tabs ----
    const slots = SLOTS[flavour].map((s) => ({ ...s, tabId: null, page: "network_error" }));
    const liveTab = (slot) => (slot.tabId !== null && !b.tab(slot.tabId).closed ? b.tab(slot.tabId) : null);

    function openSlot(slot, page) {
      slot.page = page;
      // The prompt is unsent on most tabs; an empty composer lets a failed answer's Retry be pressed.
      slot.tabId = b.openTab({ url: "about:blank", incognito: !!slot.incognito, windowId: slot.windowId ?? 1, cookieStoreId: slot.cookieStoreId, draft: pick([`unsent prompt in ${slot.name}`, ""]) });
      b.tab(slot.tabId).content.retryButton = true;
      wirePage(slot);
    }

    // The page of a slot's tab, on each load: fails or not as `slot.page` says; offline, the
    // navigation itself fails. Its content script says hello, carries the countdown the
    // background hands it (a third clock, as content.js does) and reports.
    function wirePage(slot) {
      const tabId = slot.tabId;
      const content = contentOf(w, tabId);
      content.on(P.BACKGROUND_TO_CONTENT_RETRY_TIMER, (m, tab) => {
        carry(tab, typeof m.due_at_ms === "number" ? m.due_at_ms : null);
        return {};
      });
      b.setPage(tabId, {
        get status() {
          return PAGES[slot.page].status;
        },
        get error() {
          return w.clock.online ? null : "net::ERR_INTERNET_DISCONNECTED";
        },
        reportAfterMs: 200,
        onLoad: async (_id, url) => {
          const tab = b.tab(tabId);
          if (tab.content.mode !== "answer") return;
          const hello = await track(`content hello ${tabId}`, { kind: "content", tabId }, () => content.hello(url));
          if (hello && typeof hello.retry_due_at_ms === "number") carry(tab, hello.retry_due_at_ms);
          const snap = PAGES[slot.page].snapshot(url, Date.now());
          await track(`content report ${tabId} (${slot.page})`, { kind: "content", tabId }, () => content.report(snap));
        },
      });
      return content;
    }

    function carry(tab, dueAt) {
      tab.content.retryDueAt = dueAt;
      if (dueAt === null) return;
      const nav = tab.navigations;
      w.clock.schedule(
        () => {
          if (tab.closed || tab.navigations !== nav || tab.content.retryDueAt !== dueAt || tab.content.mode !== "answer") return;
          tab.content.retryDueAt = null;
          track(`content retry-due ${tab.id}`, { kind: "content", tabId: tab.id }, () => contentOf(w, tab.id).retryDue());
        },
        Math.max(0, dueAt - w.clock.now),
        { owner: "world" },
      );
    }

    // ---- calls the driver makes, and what they led to ----

    // Starts a call (popup or content script) in its cause's async context; returns a promise
    // of its value (null if it failed) that the driver may or may not wait for.
    function track(what, ctx, send) {
      const entry = { id: calls.length, what, at: w.clock.now, instance: w.background?.id, state: "pending" };
      calls.push(entry);
      let p;
      try {
        p = cause.run(ctx, send);
      } catch (e) {
        p = Promise.reject(e);
      }
      return Promise.resolve(p).then(
        (v) => {
          if (entry.state === "pending") entry.state = "ok";
          entry.value = v;
          return v;
        },
        (e) => {
          if (entry.state === "pending") entry.state = "error";
          entry.value = String(e);
          return null;
        },
      );
    }

    function click(tabId, action, times = 1) {
      const group = ++groups;
      const ps = [];
      for (let i = 0; i < times; i++) ps.push(track(`popup ${action} ${tabId}${times > 1 ? ` (click ${i + 1}/${times})` : ""}`, { kind: "click", action, tabId, group }, () => popupOf(w).action(tabId, action)));
      // A start click lifts a Cancel; a Cancel that stopped a run holds for this page load.
      // (A Cancel's reply may arrive after a later start click, which the background's queue
      // carried out after the Cancel: that Cancel no longer holds.)
      if (action === "retry_reload") {
        cancelled.delete(tabId);
        lastStart.set(tabId, group);
      }
      if (action === "cancel_retry") {
        for (const p of ps) {
          p.then((reply) => {
            const tab = b.tab(tabId);
            if ((lastStart.get(tabId) ?? 0) > group) return;
            if (reply?.command === "stop" && reply?.outcome === "cancelled" && tab && !tab.closed) cancelled.set(tabId, tab.navigations);
          });
        }
      }
      return ps;
    }

    // Wraps the live instance's facade: every reload, update and clear is judged when asked for.
    function instrument() {
      const bg = w.background;
      const api = bg.api;
      const wrap = (obj, name, judge) => {
        const original = obj[name];
        obj[name] = (...args) => {
          if (b.live.has(bg.id)) judge(args, cause.getStore());
          return original(...args);
        };
      };
      const onTheTab = (verb, tabId, ctx) => {
        const tab = b.tab(tabId);
        if (!tab || tab.closed) fail("off-site", `${verb} of closed ${where(tabId)} (cause ${JSON.stringify(ctx ?? "timer/alarm/event")})`);
        else if (!onChatGpt(tab.url)) fail("off-site", `${verb} of ${where(tabId)}, not on ChatGPT (cause ${JSON.stringify(ctx ?? "timer/alarm/event")})`);
      };
      wrap(api.tabs, "reload", ([tabId], ctx) => {
        onTheTab("tabs.reload", tabId, ctx);
        if (ctx?.kind === "click" && MANUAL.has(ctx.action)) {
          if (ctx.tabId !== tabId) fail("off-site", `${ctx.action} clicked for tab ${ctx.tabId} reloaded ${where(tabId)}`);
          const n = (manualByClick.get(ctx.group) ?? 0) + 1;
          manualByClick.set(ctx.group, n);
          if (n > 1) fail("double", `${ctx.action} clicked for tab ${ctx.tabId} reloaded it ${n} times`);
        } else {
          if (ctx?.kind === "click") fail("double", `a reload of ${where(tabId)} under a ${ctx.action} click (auto-retry is on: a click never reloads at once)`);
          const tab = b.tab(tabId);
          if (tab && cancelled.has(tabId) && cancelled.get(tabId) === tab.navigations) {
            fail("cancel", `${where(tabId)} reloaded by a retry at ${rel(w.clock.now)} ms after a Cancel on the same page load`);
          }
          const run = b.storage.session.value(P.retryKey(tabId));
          if (offSince !== null && w.clock.now - offSince > SWITCH_GRACE && run?.hands_free) {
            fail("off", `${where(tabId)} reloaded at ${rel(w.clock.now)} ms by a run that started by itself, though the option is off since ${rel(offSince)} ms`);
          }
          const previous = autoReloads.filter((r) => r.tabId === tabId).at(-1);
          if (previous && w.clock.now - previous.at < MIN_GAP) fail("double", `${where(tabId)} reloaded by its retry twice, ${Math.round(w.clock.now - previous.at)} ms apart at ${rel(w.clock.now)} ms`);
          autoReloads.push({ tabId, at: w.clock.now });
        }
      });
      wrap(api.tabs, "sendMessage", ([tabId, message]) => {
        if (message?.type !== P.BACKGROUND_TO_CONTENT_PRESS_RETRY) return;
        const tab = b.tab(tabId);
        const sent = sentOn.get(tabId);
        if (tab && sent && sent.navigations === tab.navigations && w.clock.now > sent.at) {
          fail("sent", `${where(tabId)}: its failed answer's Retry pressed at ${rel(w.clock.now)} ms, after the person sent a new message at ${rel(sent.at)} ms on that page load`);
        }
      });
      wrap(api.tabs, "update", ([tabId, props], ctx) => {
        const tab = b.tab(tabId);
        if (props?.url) onTheTab(`tabs.update(${JSON.stringify(props)})`, tabId, ctx);
        else if (!tab || tab.closed) fail("off-site", `tabs.update(${JSON.stringify(props)}) of closed ${where(tabId)}`);
      });
      const clearer = (verb, ctx) => {
        if (ctx?.kind !== "click" || !CLEAR_TIERS.includes(ctx.action)) {
          fail("clear-scope", `${verb} not caused by a clear click (cause ${JSON.stringify(ctx ?? "timer/alarm/event")})`);
          return null;
        }
        onTheTab(verb, ctx.tabId, ctx);
        return b.tab(ctx.tabId);
      };
      wrap(api.browsingData, "remove", ([options], ctx) => {
        const verb = `browsingData.remove(${JSON.stringify(options)})`;
        const tab = clearer(verb, ctx);
        if (!tab) return;
        if (flavour === "chrome" && tab.incognito) fail("clear-scope", `${verb} for incognito ${where(tab.id)}: it clears the normal profile`);
        if (flavour === "firefox" && tab.cookieStoreId !== b.defaultStore() && options?.cookieStoreId !== tab.cookieStoreId) {
          fail("clear-scope", `${verb} for ${where(tab.id)}: not limited to its store ${tab.cookieStoreId}`);
        }
      });
      wrap(api.cookies, "remove", ([details], ctx) => {
        const verb = `cookies.remove(${JSON.stringify(details)})`;
        const tab = clearer(verb, ctx);
        if (!tab) return;
        const store = details?.storeId ?? b.defaultStore();
        if (store !== tab.cookieStoreId) fail("clear-scope", `${verb} for ${where(tab.id)}: store ${store}, not the tab's ${tab.cookieStoreId}`);
      });
    }

    // ---- the checks after every step ----
    function check() {
      for (const c of calls) {
        if (c.state === "pending" && w.clock.now - c.at > BOUND) {
          fail("hang", `${c.what}, sent at ${rel(c.at)} ms, has not settled after ${w.clock.now - c.at} ms of fake time (bound ${BOUND})`);
          c.state = "hung"; // reported once
        }
      }
      const times = autoReloads.map((r) => r.at).sort((x, y) => x - y);
      for (let i = 0; i < times.length; i++) {
        const inWindow = times.filter((t) => t > times[i] - WINDOW_MS && t <= times[i]).length;
        if (inWindow > BUDGET) {
          fail("budget", `${inWindow} retry reloads in the 60 s up to ${rel(times[i])} ms (budget ${BUDGET}): ${fmtReloads()}`);
          break;
        }
        if (i > 0 && times[i] - times[i - 1] < MIN_GAP) {
          fail("budget", `two retry reloads ${times[i] - times[i - 1]} ms apart at ${rel(times[i])} ms (min gap ${MIN_GAP}): ${fmtReloads()}`);
          break;
        }
      }
      for (const s of slots) {
        const run = s.tabId !== null ? b.storage.session.value(P.retryKey(s.tabId)) : null;
        if (!run?.hands_free) continue;
        handsFreeRuns.add(`${s.tabId}:${run.started_at_ms}`);
        if (offSince !== null && run.started_at_ms > offSince + SWITCH_GRACE) fail("off", `${where(s.tabId)}: a run started by itself at ${rel(run.started_at_ms)} ms, though the option is off since ${rel(offSince)} ms`);
      }
      for (; errorsSeen < w.errors.length; errorsSeen++) fail("rejection", `unhandled rejection: ${String(w.errors[errorsSeen]?.stack ?? w.errors[errorsSeen])}`);
      for (; logSeen < b.log.length; logSeen++) {
        const e = b.log[logSeen];
        if (/^listener-(rejected|threw):/.test(e.api)) fail("rejection", `${e.api}: ${JSON.stringify(e.args)}`);
      }
    }
    const fmtReloads = () => {
      const list = autoReloads.map((r) => `tab ${r.tabId}@${rel(r.at)}`);
      return list.length > 12 ? `${list.slice(0, 12).join(", ")} … (${list.length} in all)` : list.join(", ");
    };

    const stepDone = (desc, at = w.clock.now) => {
      steps.push(`#${steps.length + 1} ${rel(at)}ms ${desc}`);
      check();
      if (problems.length) throw new Violation(problems.join("\n  "));
    };

    // ChatGPT's cookies in every store (the clears sweep them; only the clicked tab's may go).
    const seedCookies = () => {
      const stores = new Set([b.defaultStore(), ...slots.map((s) => s.cookieStoreId ?? (s.incognito ? (flavour === "firefox" ? "firefox-private" : "1") : b.defaultStore()))]);
      for (const storeId of stores) {
        for (const name of ["__cf_bm", "cf_clearance", "__Secure-next-auth.session-token"]) {
          if (!b.cookies.some((c) => c.storeId === storeId && c.name === name)) b.cookies.push({ name, value: "v", domain: ".chatgpt.com", path: "/", secure: true, httpOnly: true, storeId });
        }
      }
    };
    seedCookies();

    // ---- the start: three failing tabs ----
    for (const slot of slots) {
      openSlot(slot, pick(["network_error", "network_error", "server_unreachable", "failed_answer"]));
      b.navigate(slot.tabId, `https://chatgpt.com/c/${slot.name}`);
    }
    await w.clock.advance(500);
    stepDone(`three tabs: ${slots.map((s) => `${s.name}=tab ${s.tabId} (${s.page})`).join(", ")}`);

    // ---- the random steps ----
    const slotTab = (slot) => slot.tabId ?? 0;
    const ACTIONS = [
      [14, "start"],
      [16, "due"],
      [2, "cancel"],
      [3, "cancel_first"],
      [2, "switch"],
      [3, "rereport"],
      [4, "sent"],
      [4, "twice"],
      [3, "reload_now"],
      [4, "clear"],
      [2, "close"],
      [3, "away"],
      [5, "back"],
      [3, "restart"],
      [3, "network"],
      [2, "storage"],
      [3, "content"],
      [5, "wait"],
    ];
    const weightOf = ([weight, name]) => (SKIP_STEPS.has(name) ? 0 : weight);
    const total = ACTIONS.reduce((n, a) => n + weightOf(a), 0);
    const chooseAction = () => {
      let r = rnd() * total;
      for (const a of ACTIONS) if ((r -= weightOf(a)) < 0) return a[1];
      return "wait";
    };

    for (let n = 0; n < STEPS; n++) {
      const at = w.clock.now;
      const slot = pick(slots);
      const tabId = slotTab(slot);
      let desc;
      switch (chooseAction()) {
        case "start":
          click(tabId, "retry_reload");
          desc = `popup retry_reload on ${slot.name} (tab ${tabId})`;
          break;
        case "due": {
          const withRun = slots.filter((s) => s.tabId !== null && b.storage.session.value(P.retryKey(s.tabId)));
          if (!withRun.length) {
            const ms = int(500, 6000);
            await w.clock.advance(ms);
            desc = `no run waits: time passes ${ms} ms`;
            break;
          }
          const s = pick(withRun);
          const run = b.storage.session.value(P.retryKey(s.tabId));
          const paused = run.paused_remaining_ms !== null && run.paused_remaining_ms !== undefined;
          const target = paused ? w.clock.now + (POLICY.offline_poll_ms ?? 5000) + int(0, 300) : Math.max(w.clock.now, run.due_at_ms + pick([0, 0, 1, int(2, 300)]));
          await w.clock.advanceTo(target);
          desc = `due: clock to ${paused ? "past the offline poll" : `due +${Math.round(target - run.due_at_ms)} ms`} of ${s.name} (tab ${s.tabId}, run due ${rel(run.due_at_ms)})`;
          break;
        }
        case "cancel":
          click(tabId, "cancel_retry");
          desc = `popup cancel_retry on ${slot.name} (tab ${tabId})`;
          break;
        case "cancel_first": {
          // Cancel while a run (often one that started by itself) waits for its first reload.
          const first = slots.filter((s) => s.tabId !== null && b.storage.session.value(P.retryKey(s.tabId))?.attempt === 0);
          if (!first.length) {
            click(tabId, "cancel_retry");
            desc = `popup cancel_retry on ${slot.name} (tab ${tabId}), no run in its first wait`;
            break;
          }
          const s = pick(first);
          const run = b.storage.session.value(P.retryKey(s.tabId));
          click(s.tabId, "cancel_retry");
          desc = `popup cancel_retry in the first wait of ${s.name} (tab ${s.tabId}, ${run.hands_free ? "started by itself" : "clicked"})`;
          break;
        }
        case "rereport": {
          // The page reports again without loading (ChatGPT redraws its error): a page load
          // whose run was cancelled must not start one by itself.
          const tab = liveTab(slot);
          if (!tab || tab.content.mode !== "answer" || !onChatGpt(tab.url)) {
            desc = `${slot.name} reports again: no page to report`;
            break;
          }
          const snap = PAGES[slot.page].snapshot(tab.url, Date.now());
          track(`content report ${tab.id} again (${slot.page})`, { kind: "content", tabId: tab.id }, () => contentOf(w, tab.id).report(snap));
          desc = `${slot.name} (tab ${tab.id}) reports its page again (${slot.page})`;
          break;
        }
        case "sent": {
          // A new message sent while a failed answer's press waits its short wait (its answer
          // fails in the same place, so the page may report the same failure again).
          const tab = liveTab(slot);
          if (!tab || slot.page !== "failed_answer" || !onChatGpt(tab.url)) {
            desc = `${slot.name}: no failed answer to send a message after`;
            break;
          }
          contentOf(w, tab.id).sendsMessage();
          sentOn.set(tab.id, { navigations: tab.navigations, at: w.clock.now });
          if (tab.content.mode === "answer" && rnd() < 0.5) {
            const snap = PAGES[slot.page].snapshot(tab.url, Date.now());
            track(`content report ${tab.id} after a new message`, { kind: "content", tabId: tab.id }, () => contentOf(w, tab.id).report(snap));
          }
          desc = `${slot.name} (tab ${tab.id}): a new message sent during the failed answer's wait`;
          break;
        }
        case "switch": {
          // The option "retry by itself" switched off (or back on) mid-run, as the options page saves it.
          const on = offSince !== null;
          const stored = b.storage.local.value(P.SETTINGS_KEY) ?? {};
          await b.storage.local.set({ [P.SETTINGS_KEY]: { ...stored, retry_by_itself: on } });
          offSince = on ? null : w.clock.now;
          desc = `option "retry by itself" switched ${on ? "on" : "off"}`;
          break;
        }
        case "twice": {
          const action = pick(["retry_reload", "cancel_retry", "reload_now", "retry_reload"]);
          click(tabId, action, 2);
          desc = `popup ${action} clicked twice at once on ${slot.name} (tab ${tabId})`;
          break;
        }
        case "reload_now":
          click(tabId, "reload_now");
          desc = `popup reload_now on ${slot.name} (tab ${tabId})`;
          break;
        case "clear": {
          const tier = pick(CLEAR_TIERS);
          click(tabId, tier, 2);
          desc = `popup ${tier} clicked twice at once on ${slot.name} (tab ${tabId})`;
          break;
        }
        case "close":
          if (!liveTab(slot)) {
            desc = `close ${slot.name}: already closed`;
            break;
          }
          b.closeTab(tabId);
          desc = `tab ${tabId} (${slot.name}) closed`;
          break;
        case "away": {
          const away = pick(["https://example.com/", flavour === "firefox" ? "about:home" : "about:blank"]);
          if (!liveTab(slot)) {
            desc = `navigate ${slot.name} away: closed`;
            break;
          }
          b.navigate(tabId, away);
          desc = `tab ${tabId} (${slot.name}) navigates to ${away}`;
          break;
        }
        case "back": {
          const page = pick(["network_error", "server_unreachable", "healthy", "failed_answer"]);
          const reopened = !liveTab(slot);
          seedCookies(); // a fresh visit sets them again
          if (reopened) openSlot(slot, page);
          else slot.page = page;
          b.navigate(slot.tabId, `https://chatgpt.com/c/${slot.name}-${n}`);
          desc = `${reopened ? `new tab ${slot.tabId} for ${slot.name}` : `tab ${slot.tabId} (${slot.name})`} goes to ChatGPT, ${page}`;
          break;
        }
        case "restart": {
          const old = w.background.id;
          for (const c of calls) if (c.state === "pending" && c.instance === old) c.state = "dropped"; // the browser rejects them
          await w.restartBackground();
          instrument();
          desc = `worker restarted (${old} → ${w.background.id})`;
          break;
        }
        case "network": {
          const online = !w.clock.online;
          w.clock.setOnline(online);
          for (const s of slots) {
            const tab = liveTab(s);
            if (tab && tab.content.mode === "answer" && onChatGpt(tab.url)) track(`content connectivity ${tab.id}`, { kind: "content", tabId: tab.id }, () => contentOf(w, tab.id).connectivity(online));
          }
          desc = online ? "online" : "offline";
          break;
        }
        case "storage":
          b.storage.session.failSets = !b.storage.session.failSets;
          desc = `storage.session.set ${b.storage.session.failSets ? "rejects (full)" : "works again"}`;
          break;
        case "content": {
          const tab = liveTab(slot);
          if (!tab) {
            desc = `content of ${slot.name}: closed`;
            break;
          }
          tab.content.mode = tab.content.mode === "answer" ? "silent" : "answer";
          desc = `content script of tab ${tabId} (${slot.name}) ${tab.content.mode === "silent" ? "stops answering" : "answers again"}`;
          break;
        }
        default: {
          const ms = pick([int(10, 300), int(300, 3000), int(3000, 20_000)]);
          await w.clock.advance(ms);
          desc = `time passes ${ms} ms`;
        }
      }
      // Between steps: sometimes nothing (the next step lands "at once"), sometimes a moment.
      const gap = pick([0, 0, int(1, 50), int(50, 400)]);
      if (gap) await w.clock.advance(gap);
      else await w.clock.settle();
      stepDone(gap ? `${desc}; then +${gap} ms` : desc, at);
    }

    // ---- the end: everything sent has an answer ----
    await w.clock.advance(BOUND + 1000);
    stepDone(`the end: clock +${BOUND + 1000} ms`);
    const presses = b.calls("tabs.sendMessage").filter((e) => e.args[1]?.type === P.BACKGROUND_TO_CONTENT_PRESS_RETRY).length;
    return { seed, flavour, steps: steps.length, reloads: autoReloads.length, calls: calls.length, handsFree: handsFreeRuns.size, presses };
  } catch (e) {
    const header = e instanceof Violation ? "invariant broken" : "the driver failed";
    const replay = `GLUE_SEED=${seed}${STEPS !== 100 ? ` GLUE_STEPS=${STEPS}` : ""} node --test tests/glue/interleavings.test.mjs`;
    const message = `seed ${seed} (${flavour}): ${header} after step ${steps.length}:\n  ${e instanceof Violation ? e.message : e?.stack ?? e}\nsteps:\n  ${steps.join("\n  ")}\nreplay: ${replay}`;
    const error = new Error(message);
    error.seed = seed;
    throw error;
  } finally {
    w.dispose();
  }
}

for (const seed of SEEDS) {
  test(`interleavings: seed ${seed} (${seed % 2 === 0 ? "firefox" : "chrome"}), ${STEPS} steps`, async (t) => {
    const result = await runSeed(seed);
    t.diagnostic(`seed ${seed}: ${result.steps} steps, ${result.calls} calls, ${result.reloads} retry reloads, ${result.handsFree} runs started by themselves, ${result.presses} failed answers' Retry pressed`);
  });
}
