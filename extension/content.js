// The sensor: reads the few places of the page where ChatGPT or Cloudflare show errors (as
// the core's sensor spec lists them), asks the core what they mean, and tells the
// background. Healthy pages cost one read at load; after that only mutations that touch an
// error place wake it up.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const spec = globalThis.SENSOR_SPEC;
  const { CONTENT_TO_BACKGROUND_HELLO, CONTENT_TO_BACKGROUND_REPORT } = globalThis.PROTOCOL;
  const skipSelector = `${spec.invisible}, ${spec.never_read}`;
  const watchSelector = spec.watch.join(", ");

  // Calls `visit` with each non-empty trimmed text node under `root`, skipping elements
  // that match `skip`, until `visit` returns false.
  function eachText(root, skip, visit) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        n.nodeType === Node.ELEMENT_NODE
          ? n !== root && n.matches(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP
          : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim();
      if (t && visit(t) === false) return;
    }
  }

  // Visible text under `root`: text nodes joined by single spaces, cut at `max`. `length` is
  // that of the whole text (walked to the end only when `wholeLength` is asked for).
  function readText(root, skip, max, wholeLength = false) {
    let text = "";
    let length = 0;
    eachText(root, skip, (t) => {
      length += (length ? 1 : 0) + t.length;
      if (text.length < max) text = text ? `${text} ${t}` : t;
      return wholeLength || text.length < max;
    });
    return { text: text.length > max ? text.slice(0, max) : text, length };
  }

  function insideSkipped(el, selector) {
    return el.closest(selector) !== null;
  }

  function readDom() {
    const markers = [];
    for (const m of spec.markers) {
      for (const el of document.querySelectorAll(m.selector)) {
        if (!insideSkipped(el, spec.never_read)) {
          markers.push(m.id);
          break;
        }
      }
    }
    if (!markers.includes(spec.script_probes_unless)) {
      const inline = [...document.querySelectorAll("script:not([src])")];
      for (const p of spec.script_probes) {
        if (inline.some((s) => s.textContent.includes(p.needle))) markers.push(p.id);
      }
    }
    const regions = [];
    outer: for (const r of spec.regions) {
      for (const el of document.querySelectorAll(r.selector)) {
        if (regions.length >= spec.max_regions) break outer;
        if (insideSkipped(el, skipSelector)) continue;
        if (el.parentElement && el.parentElement.closest(r.selector)) continue;
        const { text } = readText(el, skipSelector, spec.max_region_chars);
        if (text) regions.push({ kind: r.kind, text });
      }
    }
    let pageTextLen = null;
    if (!markers.includes(spec.page_region_unless)) {
      const page = readText(document.body ?? document.documentElement, spec.invisible, spec.max_region_chars, true);
      pageTextLen = page.length;
      if (page.text) regions.push({ kind: "error_page", text: page.text });
    }
    return { title: document.title ?? "", markers, regions, page_text_len: pageTextLen };
  }

  // The document's status when the background did not see the response (the worker was
  // restarting, or the page came from the cache).
  function statusFromTiming() {
    const nav = performance.getEntriesByType("navigation")[0];
    return nav && nav.responseStatus ? nav.responseStatus : null;
  }

  let response = null;
  let core = null; // the module, "unavailable", or null while loading
  let lastSent = null;

  async function loadCore() {
    try {
      // `wasm_bindgen`: the core's classic glue, listed before this script in the manifest.
      await wasm_bindgen({ module_or_path: api.runtime.getURL("core/chatgpt_doctor_bg.wasm") });
      return wasm_bindgen;
    } catch {
      // Chrome applies the page's CSP to WebAssembly here: without 'wasm-unsafe-eval' the
      // background runs the same core on the same snapshot instead.
      return "unavailable";
    }
  }

  function snapshot() {
    return {
      url: location.href,
      response: response ?? { status: statusFromTiming() },
      ...readDom(),
      now_ms: Date.now(),
      utc_offset_minutes: -new Date().getTimezoneOffset(),
    };
  }

  const coreReady = loadCore().then((loaded) => {
    core = loaded;
  });

  async function check() {
    await coreReady;
    const snap = snapshot();
    let diagnosis = null;
    if (core !== "unavailable") {
      try {
        diagnosis = core.classify(snap);
      } catch {
        diagnosis = null; // let the background say what the core makes of it
      }
    }
    const inContent = diagnosis !== null;
    // Only a change is worth a message: the same error seen again is not news.
    const key = JSON.stringify(inContent ? diagnosis : { ...snap, now_ms: 0 });
    if (key === lastSent) return;
    lastSent = key;
    try {
      await api.runtime.sendMessage({
        type: CONTENT_TO_BACKGROUND_REPORT,
        snapshot: snap,
        diagnosis,
        engine: inContent ? "content" : "background",
      });
    } catch {
      lastSent = null; // the extension was reloaded under us; try again next time
    }
  }

  // Is this mutation in a place errors show? Decided from the changed nodes only.
  function touchesErrorPlace(record) {
    const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
    if (!target) return false;
    if (target.closest(spec.never_read)) return false;
    if (target.closest(watchSelector)) return true;
    for (const list of [record.addedNodes, record.removedNodes]) {
      for (const n of list) {
        if (n.nodeType === Node.ELEMENT_NODE && (n.matches(watchSelector) || n.querySelector(watchSelector))) return true;
      }
    }
    return false;
  }

  let timer = null;
  function schedule() {
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        check();
      }, spec.settle_ms);
    }
  }

  async function start() {
    // Watch from the start: an error the app shows while the first check is in flight
    // must not slip through.
    new MutationObserver((records) => {
      if (timer === null && records.some(touchesErrorPlace)) schedule();
    }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    // The URL this document was fetched from, even if the page has rewritten its own since
    // (Cloudflare's challenge does, with history.replaceState).
    const url = performance.getEntriesByType("navigation")[0]?.name || location.href;
    // The background may learn the document's status after the page is readable (Firefox):
    // classify with what there is, and again once the status arrives.
    const hello = api.runtime.sendMessage({ type: CONTENT_TO_BACKGROUND_HELLO, url }).catch(() => null);
    hello.then((h) => {
      if (!h) return;
      response = h.response;
      check(); // a no-op when the answer changes nothing
    });
    await check();
  }

  start();
})();
