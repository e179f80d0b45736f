// The sensor: reads the few places of the page where ChatGPT or Cloudflare show errors (as
// the core's sensor spec lists them) and hands what it read to the background, where the
// core says what it means. No WebAssembly ever runs in the tab: a healthy page costs one
// read at load and one message; after that only mutations that touch an error place wake
// it up.
(() => {
  const { api } = globalThis.PLATFORM;
  const spec = globalThis.SENSOR_SPEC;
  const P = globalThis.PROTOCOL;
  const { KIND, REGION_KIND, SCOPE } = globalThis.CORE;
  const { CONTENT_TO_BACKGROUND_REPORT } = P;
  const skipSelector = `${spec.invisible}, ${spec.never_read}`;
  // For the app's own cards inside the last answer (a place's `in_message`): never inside the
  // answer's prose, code, composer or a menu; inside the card, only its buttons and code.
  const cardNeverInside = `${spec.invisible}, ${spec.card_never_inside}`;
  const cardSkip = `${spec.invisible}, ${spec.card_skip}`;
  const watchSelector = spec.watch.join(", ");

  // Calls `visit(text, block)` with each non-empty text node under `root` (its whitespace
  // collapsed) and the block element it sits in, skipping elements that match `skip`, until
  // `visit` returns false.
  function eachText(root, skip, visit) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        n.nodeType === Node.ELEMENT_NODE
          ? n !== root && /** @type {Element} */ (n).matches(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP
          : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim().replace(/\s+/g, " ");
      if (t && visit(t, n.parentElement?.closest(spec.blocks) ?? null) === false) return;
    }
  }

  // Visible text under `root`: text nodes joined by a space within a block and by a line
  // break across blocks (where a quote may stop), cut at `max`. `length` is that of the
  // whole text (walked to the end only when `wholeLength` is asked for).
  function readText(root, skip, max, wholeLength = false) {
    let text = "";
    let length = 0;
    let lastBlock;
    eachText(root, skip, (t, block) => {
      length += (length ? 1 : 0) + t.length;
      if (text.length < max) text = text ? `${text}${block === lastBlock ? " " : "\n"}${t}` : t;
      lastBlock = block;
      return wholeLength || text.length < max;
    });
    return { text: text.length > max ? text.slice(0, max) : text, length };
  }

  function insideSkipped(el, selector) {
    return el.closest(selector) !== null;
  }

  // Only a region's parts (its title and description): the elements inside it that its
  // aria-labelledby / aria-describedby name and those matching `parts`, in document order,
  // none inside another, none in what `skip` names; each part a block of its own.
  function readParts(el, parts, skip) {
    const ids = ["aria-labelledby", "aria-describedby"].flatMap((a) => (el.getAttribute(a) ?? "").split(/\s+/).filter(Boolean));
    const chosen = [...el.querySelectorAll("*")].filter((d) => d.matches(parts) || (d.id && ids.includes(d.id)));
    let text = "";
    for (const part of chosen) {
      if (chosen.some((other) => other !== part && other.contains(part))) continue;
      let skipped = false;
      for (let a = part; a && a !== el; a = a.parentElement) if (a.matches(skip)) skipped = true;
      if (skipped) continue;
      const t = readText(part, skip, spec.max_region_chars).text;
      if (t) text = text ? `${text}\n${t}` : t;
      if (text.length >= spec.max_region_chars) break;
    }
    return text.slice(0, spec.max_region_chars);
  }

  // ---- Where things are looked for (the spec's scopes) ----

  const appMarker = spec.markers.find((m) => /** @type {string} */ (m.id) === spec.page_region_unless);
  // Matches of a selector that are neither in nor inside what is never read.
  const outsideConversation = (selector) => `:is(${selector}):not(:is(${spec.never_read}), :is(${spec.never_read}) *)`;
  // Matches of an app card's selector that are not in the answer's prose (see cardNeverInside).
  const outsideProse = (selector) => `:is(${selector}):not(:is(${spec.card_never_inside}), :is(${spec.card_never_inside}) *)`;
  const appSelector = outsideConversation(appMarker.selector);
  // The app's markers that are ids (the strip below the thread) are looked up at once; only
  // without one is the page walked up to its first marker.
  const appIds = appMarker.selectors.filter((s) => /^#[\w-]+$/.test(s)).map((s) => s.slice(1));
  const isApp = () =>
    appIds.some((id) => document.getElementById(id)?.closest(spec.never_read) === null) || document.querySelector(appSelector) !== null;

  // The roots of SCOPE.AFTER_HISTORY, in document order: the conversation's last turn and
  // what follows it (the next siblings of it and of each of its ancestors). Without turns
  // there is no history: the whole document (shapeOfPage() passes null then).
  function afterHistory(last) {
    const roots = [last];
    for (let a = last; a && a !== document.documentElement; a = a.parentElement) {
      for (let next = a.nextElementSibling; next; next = next.nextElementSibling) roots.push(next);
    }
    return roots;
  }

  // The conversation's first and last turns (null: no turns), without a walk of the page.
  function turns() {
    const first = document.querySelector(spec.turn);
    if (!first) return null;
    let last = null;
    for (let c = first.parentElement?.lastElementChild; c && !last; c = c.previousElementSibling) {
      if (c.matches(spec.turn)) last = c;
    }
    // Turns that are not siblings (each in a wrapper of its own): the long way.
    if (!last || last === first) last = /** @type {Element} */ ([...document.querySelectorAll(spec.turn)].at(-1));
    return { first, last };
  }

  // SCOPE.ANYWHERE in the app: the document but the conversation's earlier turns, as the
  // roots of what is left, in document order. Those turns are read by no place (what is in a
  // message never is; the rest of them is the past) and are nearly all of a long
  // conversation's markup: a place that is not on the page (the healthy case, each of them)
  // is then looked for in a small document, not through 500 turns. The turns from the
  // first to the last sibling turn are left out; turns in wrappers of their own stay in.
  function outsideHistory(first, last) {
    const chain = [];
    for (let a = first.parentElement; a; a = a.parentElement) chain.unshift(a);
    const roots = [];
    chain.forEach((here, depth) => {
      const next = chain[depth + 1];
      for (let c = here.firstElementChild; c; c = c.nextElementSibling) {
        if (c === next) continue; // its own children follow, at the next depth
        if (!next && c === first) {
          // The earlier turns: from the first to the last one among its siblings.
          if (last.parentElement !== here) continue;
          c = last;
        }
        roots.push(c);
      }
    });
    // Depth by depth is not document order: put the roots in it (a few dozen, at most).
    return roots.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  // SCOPE.LAST_ANSWER: the last turn (or, without turns, the document), and the last user
  // message in it, which a match must follow. Looked for in the last turn only: a long
  // conversation is not walked.
  function lastAnswer(history) {
    const root = history ? history[0] : document;
    // The last turn is the person's own (just sent, no answer yet): nothing in it is an answer.
    if (root !== document && /** @type {Element} */ (root).matches(spec.user_message)) return { root, after: /** @type {Element} */ (root) };
    const users = root.querySelectorAll(spec.user_message);
    return { root, after: users.length ? users[users.length - 1] : null };
  }

  const follows = (el, user) => user === null || (!user.contains(el) && (user.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);

  // The roots a scope is looked for under, in document order (null: the whole document).
  const rootsOf = (scope, where) => (scope === SCOPE.AFTER_HISTORY ? where.history : scope === SCOPE.ANYWHERE ? where.outside : null);

  // The matches of `selector` in `scope`, in document order. `where`: the page's shape
  // (shapeOfPage()).
  function matchesIn(scope, selector, where) {
    if (scope === SCOPE.NOT_APP && where.app) return [];
    if (scope === SCOPE.LAST_ANSWER) {
      const { root, after } = where.answer;
      const inRoot = root !== document && /** @type {Element} */ (root).matches(selector) ? [/** @type {Element} */ (root)] : [];
      return [...inRoot, ...root.querySelectorAll(selector)].filter((el) => follows(el, after));
    }
    const roots = rootsOf(scope, where);
    if (roots) return roots.flatMap((root) => [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)]);
    return [...document.querySelectorAll(selector)];
  }

  // Is there any match of one of `selectors` (a place's list, split at build time) in `scope`?
  // One early-stopping query per selector: the browser's fast path takes one, not a list.
  // `nothing`: the selectors (with their scope) already found to match nothing in this read.
  function anyIn(scope, selectors, where, nothing) {
    if (scope === SCOPE.NOT_APP && where.app) return false;
    const roots = rootsOf(scope, where);
    return selectors.some((one) => {
      const key = `${scope} ${one}`;
      if (nothing.has(key)) return false;
      const found =
        scope === SCOPE.LAST_ANSWER
          ? where.answer.root.querySelector(one) !== null
          : roots
            ? roots.some((root) => root.matches(one) || root.querySelector(one) !== null)
            : document.querySelector(one) !== null;
      if (!found) nothing.add(key);
      return found;
    });
  }

  // What the app's conversation pages are built of, wherever it is: one query each (the core
  // tells from their absence that the page changed beyond recognition).
  const structureOf = () => spec.structure.filter((m) => document.querySelector(m.selector) !== null).map((m) => m.id);

  // The running app with nothing in any of its error places (a healthy page: nearly every
  // page there is) reads as the app's marker and nothing else, which is what readDom() would
  // read: told by one early-stopping query per selector instead of a walk per marker and
  // region, and with no text read at all.
  function quietAppReading(where) {
    if (!where.app) return null;
    const nothing = new Set();
    // A marker's match may be inside the conversation (which does not count): readDom() says.
    for (const m of spec.markers) if (m !== appMarker && anyIn(m.scope, m.selectors, where, nothing)) return null;
    // A place that is there (the strip above the composer always is) may still have nothing
    // to read: only text there counts.
    for (const r of spec.regions) {
      if (anyIn(r.scope, r.selectors, where, nothing) && readRegion(r, where, []).length > 0) return null;
    }
    return { title: document.title ?? "", markers: [appMarker.id, ...structureOf()], regions: [], page_text_len: null };
  }

  // Appends to `regions` what region `r` has to read (up to the spec's bound), as readDom reads it.
  function readRegion(r, where, regions) {
    const base = r.in_message ? cardSkip : skipSelector;
    const skip = r.skip ? `${base}, ${r.skip}` : base;
    for (const el of matchesIn(r.scope, r.selector, where)) {
      if (regions.length >= spec.max_regions) break;
      if (insideSkipped(el, r.in_message ? cardNeverInside : skipSelector)) continue;
      if (el.parentElement && el.parentElement.closest(r.selector)) continue;
      // People's content (chat search, a GPT's card): none of it is read.
      if (r.unless_contains && el.querySelector(r.unless_contains)) continue;
      const text = r.parts ? readParts(el, r.parts, skip) : readText(el, skip, spec.max_region_chars).text;
      if (text) regions.push({ kind: r.kind, text });
    }
    return regions;
  }

  // The page's shape, found once per read: whether it is the app, and where its history ends.
  function shapeOfPage() {
    const app = isApp();
    const t = app ? turns() : null;
    const history = t ? afterHistory(t.last) : null;
    return { app, history, outside: t ? outsideHistory(t.first, t.last) : null, answer: lastAnswer(history) };
  }

  function readDom(where) {
    const markers = [];
    for (const m of spec.markers) {
      // Markers are markup: only the conversation hides them (a match inside it is not one).
      const place = m.in_message ? outsideProse(m.selector) : outsideConversation(m.selector);
      const present = m === appMarker ? where.app : matchesIn(m.scope, place, where).length > 0;
      if (present) markers.push(m.id);
    }
    markers.push(...structureOf());
    if (!where.app) {
      const inline = [...document.querySelectorAll("script:not([src])")];
      for (const p of spec.script_probes) {
        if (inline.some((s) => s.textContent.includes(p.needle))) markers.push(p.id);
      }
    }
    const regions = [];
    for (const r of spec.regions) readRegion(r, where, regions);
    let pageTextLen = null;
    if (!where.app) {
      const page = readText(document.body ?? document.documentElement, spec.invisible, spec.max_region_chars, true);
      pageTextLen = page.length;
      if (page.text) regions.push({ kind: REGION_KIND.ERROR_PAGE, text: page.text });
    }
    return { title: document.title ?? "", markers, regions, page_text_len: pageTextLen };
  }

  // The document's status when the background did not see the response (the worker was
  // restarting, or the page came from the cache).
  function statusFromTiming() {
    const nav = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType("navigation")[0]);
    return nav && nav.responseStatus ? nav.responseStatus : null;
  }

  let response = null;
  let lastSent = null;
  // The URL the document was fetched from (content/early.js read it at document_start).
  const documentUrl = globalThis.CONTENT_DOCUMENT_URL ?? location.href;

  // The app's last reading, kept while nothing in an error place has changed: the status
  // arriving after the first check must not cost a second walk of a 500-turn page. (A page
  // that is not the app is small and read afresh each time.)
  let appReading = null;

  function snapshot() {
    let dom = appReading;
    if (!dom) {
      const where = shapeOfPage();
      dom = quietAppReading(where) ?? readDom(where);
    }
    appReading = dom.markers.includes(spec.page_region_unless) ? dom : null;
    return {
      url: location.href,
      response: response ?? { status: statusFromTiming() },
      ...dom,
      now_ms: Date.now(),
      utc_offset_minutes: -new Date().getTimezoneOffset(),
    };
  }

  // Reads the page and, when the reading changed, tells the background (which classifies).
  function check() {
    const snap = snapshot();
    // Only a change is worth a message: the same page seen again is not news.
    const key = JSON.stringify({ ...snap, now_ms: 0 });
    if (key === lastSent) return;
    lastSent = key;
    /** @type {Promise<ContentToBackgroundReportReply>} */
    let sent;
    try {
      sent = api.runtime.sendMessage(
        /** @satisfies {ContentToBackgroundReport} */ ({ type: CONTENT_TO_BACKGROUND_REPORT, snapshot: snap, document_url: documentUrl, document_started_ms: performance.timeOrigin }),
      );
    } catch {
      lastSent = null; // the extension was reloaded under us (Chrome throws at once); next time
      return;
    }
    sent.then(
      (reply) => {
        // Without a hello (a healthy response), the retry countdown comes with the answer.
        if (!globalThis.CONTENT_HELLO && reply && "retry_due_at_ms" in reply) carryRetryTimer(reply.retry_due_at_ms);
        if (reply?.diagnosis?.kind === KIND.NONE && reply.draft_waiting) restoreDraft();
        if (reply && "card" in reply) drawCard(reply.card);
      },
      () => {
        lastSent = null; // the extension was reloaded under us; try again next time
      },
    );
  }

  // Is this mutation in a place errors show? Decided from the changed nodes only.
  function touchesErrorPlace(record) {
    const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
    if (!target) return false;
    // The answer's prose (a streaming answer changes there all the time) is never a place;
    // the message around it is, for the app's error card.
    if (target.closest(spec.card_never_inside)) return false;
    if (target.closest(watchSelector)) return true;
    for (const list of [record.addedNodes, record.removedNodes]) {
      for (const n of list) {
        if (n.nodeType === Node.ELEMENT_NODE && (n.matches(watchSelector) || n.querySelector(watchSelector))) return true;
        // A turn mounted (the app hydrating a conversation): the page's structure changed,
        // and with it whether the core can still read it.
        if (list === record.addedNodes && n.nodeType === Node.ELEMENT_NODE && n.matches(spec.turn)) return true;
      }
    }
    return false;
  }

  // A change in an error place is read at once, then at most once per settle time while
  // changes keep coming: an error is reported without waiting, a burst costs a few reads.
  let timer = null;
  let changedSinceRead = false;
  function schedule() {
    appReading = null;
    if (timer !== null) {
      changedSinceRead = true;
      return;
    }
    check();
    const settle = () => {
      if (!changedSinceRead) {
        timer = null;
        return;
      }
      changedSinceRead = false;
      check();
      timer = setTimeout(settle, spec.settle_ms);
    };
    timer = setTimeout(settle, spec.settle_ms);
  }

  function start() {
    // Watch from the start: an error the app shows while the first check is in flight
    // must not slip through.
    new MutationObserver((records) => {
      if (records.some(touchesErrorPlace)) schedule();
    }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    // The hello content/early.js sent at document_start for an error response (none for a
    // healthy one). The background may learn the document's status after the page is
    // readable (Firefox): classify with what there is, and again once the status arrives.
    /** @type {Promise<ContentToBackgroundHelloReply | null>} */
    const hello = globalThis.CONTENT_HELLO ?? Promise.resolve(null);
    const answered = (h) => {
      if (!h) return;
      carryRetryTimer(h.retry_due_at_ms);
      if (h.response) response = h.response;
    };
    // Usually answered long before the page is idle: then one report says it all.
    const early = globalThis.CONTENT_HELLO_REPLY;
    if (early) answered(early);
    else {
      hello.then((h) => {
        answered(h);
        if (h?.response) check(); // a no-op when the answer changes nothing
      });
    }
    // Only the browser's own events count (a page script can dispatch an `offline` event),
    // and even then the background's navigator.onLine decides what they mean.
    for (const type of ["online", "offline"]) {
      addEventListener(type, (event) => {
        if (!event.isTrusted) return;
        api.runtime.sendMessage(/** @satisfies {ContentToBackgroundConnectivity} */ ({ type: P.CONTENT_TO_BACKGROUND_CONNECTIVITY })).catch(() => {});
      });
    }
    check();
  }

  // ---- What the background asks of the page, for the popup's actions ----

  const policy = globalThis.POLICY;
  const composer = () => document.querySelector(spec.composer);
  // The composer is a <textarea> in older versions, a contenteditable editor in current ones.
  const isTextField = (el) => "value" in el && typeof el.value === "string";
  const composerText = (el) => (isTextField(el) ? el.value : el.innerText ?? "");

  // When the person last typed in the composer (only the browser's own events count: a page
  // script cannot fake typing to stop, or to allow, a press).
  let typedAt = null;
  addEventListener(
    "input",
    (event) => {
      if (!event.isTrusted || !(event.target instanceof Element)) return;
      if (event.target.closest(spec.composer)) typedAt = Date.now();
    },
    true,
  );

  // ---- The card on the page (drawn by content/card.js; what it shows is the core's) ----

  const cardHandlers = {
    onAction: async (action, confirmed) => {
      const reply = await ask({ type: P.CONTENT_TO_BACKGROUND_CARD_ACTION, action, confirmed });
      if (reply && "card" in reply) drawCard(reply.card);
    },
    onDismiss: () => {
      drawCard(null);
      ask({ type: P.CONTENT_TO_BACKGROUND_CARD_DISMISS });
    },
  };
  function drawCard(card) {
    globalThis.PAGE_CARD?.show(card ?? null, cardHandlers);
  }
  async function refreshCard() {
    const reply = await ask({ type: P.CONTENT_TO_BACKGROUND_CARD });
    if (reply && "card" in reply) drawCard(reply.card);
  }

  // The retry countdown, carried here too: the background's own timer dies with its worker.
  let retryTimer = null;
  function carryRetryTimer(dueAt) {
    clearTimeout(retryTimer);
    if (typeof dueAt !== "number") return;
    retryTimer = setTimeout(() => {
      api.runtime.sendMessage(/** @satisfies {ContentToBackgroundRetryDue} */ ({ type: P.CONTENT_TO_BACKGROUND_RETRY_DUE })).catch(() => {});
    }, Math.max(0, dueAt - Date.now()));
  }

  function pressRetry() {
    const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll(spec.retry_button));
    const button = buttons[buttons.length - 1];
    if (!button || button.disabled) return { pressed: false };
    button.click();
    return { pressed: true };
  }

  // What the browser cannot clear for one site, or for this tab's container or private window
  // alone, cleared from inside it (the core's plan names them: `page_stores`).
  const PAGE_STORES = {
    cache_storage: async () => {
      for (const name of await caches.keys()) await caches.delete(name);
    },
    local_storage: async () => localStorage.clear(),
    session_storage: async () => sessionStorage.clear(),
    indexed_db: async () => {
      for (const { name } of await indexedDB.databases()) {
        if (typeof name !== "string") continue;
        await new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = resolve;
          request.onerror = () => reject(request.error);
          // The app's own open connection holds it: it goes once they close (the reload).
          request.onblocked = resolve;
        });
      }
    },
    service_workers: async () => {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    },
  };
  async function clearPage(stores) {
    const cleared = [];
    for (const store of Array.isArray(stores) ? stores : []) {
      if (!Object.hasOwn(PAGE_STORES, store)) continue;
      try {
        await PAGE_STORES[store]();
        cleared.push(store);
      } catch {
        // Not available on this page (storage blocked): nothing of it to clear.
      }
    }
    return { cleared };
  }

  function waitForComposer(ms) {
    return new Promise((resolve) => {
      const found = composer();
      if (found) return resolve(found);
      const observer = new MutationObserver(() => {
        const el = composer();
        if (el) {
          observer.disconnect();
          clearTimeout(timer);
          resolve(el);
        }
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve(null);
      }, ms);
      observer.observe(document.documentElement, { childList: true, subtree: true });
    });
  }

  function putText(el, text) {
    el.focus();
    if (isTextField(el)) {
      el.value = text;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      // The ProseMirror composer takes text the way typing gives it.
      document.execCommand("insertText", false, text);
    }
  }

  function showNotice(text) {
    const host = document.createElement("div");
    const root = host.attachShadow({ mode: "closed" });
    const box = document.createElement("div");
    box.setAttribute("role", "status");
    box.textContent = text;
    box.style.cssText =
      "position:fixed;left:50%;bottom:96px;transform:translateX(-50%);z-index:2147483647;" +
      "background:#202124;color:#fff;font:14px/1.4 system-ui,sans-serif;padding:10px 14px;" +
      "border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.3);max-width:90vw";
    root.append(box);
    document.documentElement.append(host);
    setTimeout(() => host.remove(), policy.draft_notice_ms);
  }

  // Who is signed in, as an opaque key (a hash of the account's id, which never leaves the
  // page), so a saved prompt only ever goes back to the account that wrote it; null when
  // nobody is, or the app does not say in time.
  async function accountKey() {
    try {
      const reply = await fetch("/api/auth/session", {
        credentials: "include",
        signal: AbortSignal.timeout(policy.account_lookup_timeout_ms),
      });
      const id = reply.ok ? (await reply.json())?.user?.id : null;
      if (typeof id !== "string" || id === "") return null;
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`error-doctor:${id}`));
      return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
    } catch {
      return null;
    }
  }

  /** @type {(message: ContentToBackgroundMessage) => Promise<any>} */
  const ask = (message) => api.runtime.sendMessage(message).catch(() => null);

  // The prompt saved before the extension reloaded, cleared or logged in goes back into an
  // empty composer once the page is healthy; otherwise the popup offers to copy it.
  let draftTried = false;
  async function restoreDraft() {
    if (draftTried) return;
    draftTried = true;
    const take = /** @satisfies {ContentToBackgroundDraftTake} */ ({ type: P.CONTENT_TO_BACKGROUND_DRAFT_TAKE, url: location.href });
    /** @type {ContentToBackgroundDraftTakeReply} */
    let reply = await ask(take);
    // Who is signed in is looked up only when there is a prompt to give back.
    if (reply?.account_needed) reply = await ask({ ...take, account: await accountKey() });
    const text = reply?.text;
    if (typeof text !== "string" || text === "") return;
    const el = await waitForComposer(policy.draft_restore_wait_ms);
    // Never over what the person has typed since; if it cannot go in, it is only offered
    // for copying from now on.
    const empty = el !== null && composerText(el).trim() === "";
    if (empty) putText(el, text);
    if (!empty || composerText(el).trim() === "") {
      await ask({ type: P.CONTENT_TO_BACKGROUND_DRAFT_SKIPPED });
      return;
    }
    await ask({ type: P.CONTENT_TO_BACKGROUND_DRAFT_RESTORED });
    showNotice(api.i18n.getMessage("draft_restored_notice"));
  }

  // What the background may ask, each handler typed by its message and reply (protocol.js).
  const fromBackground = {
    /** @returns {Promise<BackgroundToContentReadDraftReply>} */
    [P.BACKGROUND_TO_CONTENT_READ_DRAFT]: async () => {
      const el = composer();
      const text = el ? composerText(el) : "";
      return {
        text,
        url: location.href,
        account: text.trim() ? await accountKey() : null,
        // For a failed answer's Retry pressed by itself: a new message, or typing since, is the person's.
        user_turns: document.querySelectorAll(spec.user_message).length,
        typed_ms_ago: typedAt === null ? null : Math.max(0, Date.now() - typedAt),
      };
    },
    /** @type {() => BackgroundToContentPressRetryReply} */
    [P.BACKGROUND_TO_CONTENT_PRESS_RETRY]: pressRetry,
    /** @type {(m: BackgroundToContentClearPage) => Promise<BackgroundToContentClearPageReply>} */
    [P.BACKGROUND_TO_CONTENT_CLEAR_PAGE]: (m) => clearPage(m.stores),
    /** @type {(m: BackgroundToContentRetryTimer) => void} */
    [P.BACKGROUND_TO_CONTENT_RETRY_TIMER]: (m) => {
      carryRetryTimer(m.due_at_ms);
      refreshCard(); // the card's countdown, or its Cancel gone
    },
    /** @type {(m: BackgroundToContentCard) => void} */
    [P.BACKGROUND_TO_CONTENT_CARD]: (m) => drawCard(m.card),
  };

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== api.runtime.id || !message || !Object.hasOwn(fromBackground, message.type)) return false;
    Promise.resolve(fromBackground[message.type](message)).then(
      (value) => sendResponse(value ?? {}),
      () => sendResponse({}),
    );
    return true;
  });

  start();
})();
