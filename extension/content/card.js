// The card on the page: a bar above a full-page error document that names the error and
// offers the top action the core chose, with "More in the toolbar button". What it shows is
// the core's (through the background); this file only draws it. It lives in the page's DOM,
// so it sits in a closed shadow root, inherits nothing from the page's CSS, takes only the
// browser's own (trusted) clicks and keys, and sits in the document's flow above the page:
// it pushes the page down instead of covering it (the Ray ID, Cloudflare's buttons and a
// challenge widget stay visible and usable), and the page scrolls past it.
// Styles go through the CSSOM (element.style), which a page's CSP does not block.
// The page can still restyle the host (make it transparent, move it under the cursor, put a
// decoy where "Yes" is): nothing about the card's state is ever written on the host, and a
// click counts only while the host wears exactly the style the card gave it, is fully
// opaque, is the topmost element at the click's point, and the control has been on screen
// for the policy's minimum.
globalThis.PAGE_CARD = (() => {
  const { api } = globalThis.PLATFORM;
  const { ACTION } = globalThis.CORE;
  const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
  const dark = () => matchMedia("(prefers-color-scheme: dark)").matches;

  let host = null;
  let root = null;
  let current = null; // { card, handlers, confirming }
  let ticker = null;
  let hostStyle = null; // the host's style attribute as the card set it
  const shownSince = new Map(); // control (part and label) → when it was first drawn
  const minVisibleMs = () => globalThis.POLICY?.card_click_min_visible_ms ?? 500;

  const palette = () =>
    dark()
      ? { bg: "#202124", fg: "#e8eaed", border: "#5f6368", primary: "#8ab4f8", primaryFg: "#202124", danger: "#f28b82" }
      : { bg: "#fff8e1", fg: "#202124", border: "#c9a227", primary: "#1a56c4", primaryFg: "#ffffff", danger: "#b3261e" };

  // Inside the shadow root no page rule applies; what could come in is inherited through the
  // host, which resets everything (`all: initial !important`).
  function styled(tag, css, text) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(css)) el.style.setProperty(k, v);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // `part` names the control across redraws, so the focus stays on it (see render).
  function button(part, label, primary, onPress) {
    const c = palette();
    const b = styled("button", {
      font: "inherit",
      "font-weight": primary ? "600" : "400",
      color: primary ? c.primaryFg : c.fg,
      background: primary ? c.primary : "transparent",
      border: `1px solid ${primary ? c.primary : c.border}`,
      "border-radius": "6px",
      padding: "4px 10px",
      margin: "0",
      cursor: "pointer",
      "line-height": "1.4",
    }, label);
    b.type = "button";
    b.dataset.part = part;
    const shown = `${part}\n${label}`;
    if (!shownSince.has(shown)) shownSince.set(shown, Date.now());
    b.dataset.shown = shown;
    // Only the person's own click or key: a page script can dispatch synthetic events.
    b.addEventListener("click", (event) => {
      if (event.isTrusted && clickable(b, event, shown)) onPress();
    });
    return b;
  }

  // Fully opaque and shown, the host and everything it sits in.
  function opaque(el) {
    for (let node = el; node; node = node.parentElement) {
      const cs = getComputedStyle(node);
      if (cs.opacity !== "1" || cs.visibility !== "visible" || cs.display === "none") return false;
    }
    return true;
  }

  /**
   * Whether a click counts, from what was seen at it: the card in the page wearing the style
   * it drew, fully opaque, the click on the control and the card topmost there, and the
   * control on screen for at least `minVisibleMs` (a decoy moved away the moment before the
   * click gains nothing). Pure: the tests give it a clock of their own.
   * @param {{ connected: boolean, styleAsDrawn: boolean, opaque: boolean, shownAt: number | undefined, now: number, minVisibleMs: number, onControl: boolean, onTop: boolean }} seen
   */
  function takesClick(seen) {
    const { connected, styleAsDrawn, opaque, shownAt, now, minVisibleMs, onControl, onTop } = seen;
    if (!connected || !styleAsDrawn || !opaque || !onControl || !onTop) return false;
    if (typeof shownAt !== "number" || !Number.isFinite(shownAt) || !Number.isFinite(now)) return false;
    return now - shownAt >= minVisibleMs;
  }

  // Is this click the person's, on the card as drawn? (A key press on the focused control
  // has no point of its own: the control's centre stands for it.)
  function clickable(control, event, shown) {
    const connected = host?.isConnected === true;
    const styleAsDrawn = connected && host.getAttribute("style") === hostStyle;
    const r = control.getBoundingClientRect();
    const keyboard = event.detail === 0 && event.clientX === 0 && event.clientY === 0;
    const x = keyboard ? r.left + r.width / 2 : event.clientX;
    const y = keyboard ? r.top + r.height / 2 : event.clientY;
    const onControl = x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    return takesClick({
      connected,
      styleAsDrawn,
      opaque: styleAsDrawn && opaque(host),
      shownAt: shownSince.get(shown),
      now: Date.now(),
      minVisibleMs: minVisibleMs(),
      onControl,
      onTop: onControl && styleAsDrawn && document.elementsFromPoint(x, y)[0] === host,
    });
  }

  function ensureHost() {
    if (host?.isConnected) return;
    // A name of its own, so no page selector written for `div` or `section` reaches it.
    host = document.createElement("error-doctor-card");
    for (const [k, v] of Object.entries({ all: "initial", display: "block", position: "relative", "z-index": "2147483647", opacity: "1" })) {
      host.style.setProperty(k, v, "important");
    }
    hostStyle = host.getAttribute("style");
    shownSince.clear();
    root = host.attachShadow({ mode: "closed" });
    // Above <body>, in the document's flow: the page is pushed down, never covered.
    document.documentElement.insertBefore(host, document.body ?? null);
  }

  function secondsLeft(dueAt) {
    return Math.max(0, Math.ceil((dueAt - Date.now()) / 1000));
  }

  // `moveFocusTo`: the control a keyboard press led to (the question's "No", the least
  // destructive answer, once an action asks for a confirmation; the action again after "No").
  function render(moveFocusTo = null) {
    clearInterval(ticker);
    ticker = null;
    if (!current) return;
    ensureHost();
    // A person tabbing through the card must not lose their place when it is drawn again
    // (a countdown's refresh, the verdict arriving): the same control takes the focus back.
    const focused = root.activeElement?.dataset?.part ?? null;
    const focusedPart = focused && (moveFocusTo ?? focused);
    const { card, handlers, confirming } = current;
    const c = palette();
    const bar = styled("section", {
      display: "flex",
      "flex-wrap": "wrap",
      "align-items": "center",
      gap: "8px 12px",
      "box-sizing": "border-box",
      width: "100%",
      padding: "8px 12px",
      margin: "0",
      background: c.bg,
      color: c.fg,
      "border-bottom": `2px solid ${c.border}`,
      font: "14px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif",
      "text-align": "start",
    });
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", t("card_region_label"));
    // What the card shows, for the closed root only (the page cannot read it here).
    bar.dataset.kind = card.kind;
    bar.dataset.state = confirming ? "confirm" : "shown";
    bar.dataset.action = card.action?.id ?? "";
    const name = card.code ? `${t(card.title)} · ${card.code}` : t(card.title);
    bar.append(styled("strong", { "font-weight": "700" }, name));
    // The verdict line's slot (issue 15): once the core's Card carries a `verdict` message
    // key, it is shown here, right after the error's name.
    if (typeof card.verdict === "string") bar.append(styled("span", {}, t(card.verdict)));
    const action = card.action;
    if (confirming && action) {
      bar.append(styled("span", {}, t("card_confirm_question", [t(action.label)])));
      bar.append(button("confirm", t("confirm_yes"), true, () => handlers.onAction(action.id, true)));
      bar.append(button("unconfirm", t("confirm_no"), false, () => {
        current.confirming = false;
        render("action");
      }));
    } else if (action?.id === ACTION.CANCEL_RETRY && typeof card.due_at_ms === "number") {
      const countdown = styled("span", {}, "");
      countdown.setAttribute("role", "timer");
      const tick = () => {
        countdown.textContent = t("card_retry_in", [String(secondsLeft(card.due_at_ms))]);
      };
      tick();
      ticker = setInterval(tick, 1000);
      bar.append(countdown, button("action", t(action.label), false, () => handlers.onAction(action.id, false)));
    } else if (action) {
      bar.append(button("action", t(action.label), true, () => {
        if (action.confirm) {
          current.confirming = true;
          render("unconfirm");
        } else {
          handlers.onAction(action.id, false);
        }
      }));
    }
    bar.append(styled("span", { opacity: "0.85" }, t("card_more_in_toolbar")));
    const close = button("close", "×", false, () => handlers.onDismiss());
    close.setAttribute("aria-label", t("card_dismiss"));
    close.style.setProperty("margin-inline-start", "auto");
    bar.append(close);
    root.replaceChildren(bar);
    // Controls no longer drawn start their time afresh when they come back.
    const drawn = new Set([...root.querySelectorAll("[data-shown]")].map((b) => /** @type {HTMLElement} */ (b).dataset.shown));
    for (const key of [...shownSince.keys()]) if (!drawn.has(key)) shownSince.delete(key);
    if (focusedPart) root.querySelector(`[data-part="${focusedPart}"]`)?.focus();
  }

  return Object.freeze({
    takesClick,
    // Draws `card` (the core's, from the background), or takes the card away for null.
    show(card, handlers) {
      if (!card) return this.hide();
      const confirming = Boolean(current?.confirming && current.card.action?.id === card.action?.id);
      // The same card again (every report's answer carries it): nothing to redraw.
      const same = current !== null && host?.isConnected && JSON.stringify(current.card) === JSON.stringify(card);
      current = { card, handlers, confirming };
      if (!same) render();
    },
    hide() {
      clearInterval(ticker);
      current = null;
      host?.remove();
      host = null;
      shownSince.clear();
    },
  });
})();
