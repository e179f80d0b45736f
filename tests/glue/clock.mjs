// A controllable clock for the background: Date, setTimeout/clearTimeout/setInterval,
// AbortSignal.timeout, a seeded Math.random and navigator.onLine, installed as globals while
// a test's world is alive (the glue reads them as bare globals at call time, so they cannot
// be scoped to one module graph), and restored afterwards.
//
// Real asynchronous work (reading the wasm file, compiling it) is tracked: `settle()` waits
// for it and for every chain of microtasks to drain, using the REAL setImmediate.

const real = {
  Date: globalThis.Date,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  random: Math.random,
  abortTimeout: AbortSignal.timeout,
  wasm: {
    instantiate: WebAssembly.instantiate,
    instantiateStreaming: WebAssembly.instantiateStreaming,
    compile: WebAssembly.compile,
    compileStreaming: WebAssembly.compileStreaming,
  },
  navigator: Object.getOwnPropertyDescriptor(globalThis, "navigator"),
  addEventListener: Object.getOwnPropertyDescriptor(globalThis, "addEventListener"),
  removeEventListener: Object.getOwnPropertyDescriptor(globalThis, "removeEventListener"),
};
export const realTimers = { setImmediate: real.setImmediate, setTimeout: real.setTimeout, clearTimeout: real.clearTimeout };

/** A small, seedable PRNG (mulberry32): the same seed gives the same jitter every run. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0); // a fixed, ordinary moment

export class FakeClock {
  constructor({ now = START_MS, seed = 1 } = {}) {
    this.now = now;
    this.timers = new Map(); // id → { at, seq, fn, args, interval, owner }
    this.seq = 0;
    this.nextId = 1;
    this.random = seededRandom(seed);
    this.online = true;
    this.pending = new Set(); // real promises in flight (file reads, wasm compiles)
    this.owner = "background"; // who the timers created by bare setTimeout belong to
    this.alarmSource = null; // () => [{ at, fire }] due alarms, from the fake browser
    this.globalListeners = []; // { type, fn, owner } for globalThis.addEventListener
    this.onError = (e) => {
      throw e;
    };
  }

  /** Tracks a real promise so `settle()` waits for it. */
  track(promise) {
    this.pending.add(promise);
    const drop = () => this.pending.delete(promise);
    promise.then(drop, drop);
    return promise;
  }

  schedule(fn, ms, { args = [], interval = null, owner = this.owner } = {}) {
    const id = this.nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    this.timers.set(id, { at: this.now + delay, seq: this.seq++, fn, args, interval, owner });
    return id;
  }

  cancel(id) {
    this.timers.delete(typeof id === "object" && id !== null ? id.id : id);
  }

  /** Forgets every timer of an owner (a stopped service worker's timers die with it). */
  cancelOwner(owner) {
    for (const [id, t] of this.timers) if (t.owner === owner) this.timers.delete(id);
  }

  /** Lets every microtask chain and every tracked real operation finish. */
  async settle() {
    let quiet = 0;
    for (let i = 0; quiet < 3 && i < 10_000; i++) {
      if (this.pending.size) {
        quiet = 0;
        await Promise.race([...this.pending]).catch(() => {});
      }
      await new Promise((resolve) => real.setImmediate(resolve));
      if (!this.pending.size) quiet += 1;
    }
  }

  nextDue(limit) {
    let best = null;
    for (const [id, t] of this.timers) {
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = { id, ...t, kind: "timer" };
    }
    for (const alarm of this.alarmSource?.() ?? []) {
      if (alarm.at <= limit && (!best || alarm.at < best.at)) best = { ...alarm, kind: "alarm" };
    }
    return best;
  }

  /** Moves time forward by `ms`, running due timers and alarms in order, settling between. */
  async advance(ms) {
    const target = this.now + Math.max(0, ms);
    await this.settle();
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.nextDue(target);
      if (!due) break;
      this.now = Math.max(this.now, due.at);
      if (due.kind === "timer") {
        const t = this.timers.get(due.id);
        if (t.interval !== null) t.at = this.now + Math.max(1, t.interval);
        else this.timers.delete(due.id);
        try {
          const result = t.fn(...t.args);
          // A timer's async callback that rejects: logged, as a browser would.
          if (result && typeof result.then === "function") result.then(undefined, (e) => this.onError(e));
        } catch (e) {
          this.onError(e);
        }
      } else {
        due.fire();
      }
      await this.settle();
    }
    this.now = target;
    await this.settle();
  }

  /** Advances to an absolute fake time. */
  async advanceTo(at) {
    await this.advance(Math.max(0, at - this.now));
  }

  /**
   * Resolves with what `promise` resolves to, if it settles within `ms` of fake time (with
   * every real microtask drained between steps); otherwise fails naming `what`.
   */
  async within(promise, ms, what = "the call") {
    let state = "pending";
    let value;
    Promise.resolve(promise).then(
      (v) => {
        state = "ok";
        value = v;
      },
      (e) => {
        state = "error";
        value = e;
      },
    );
    await this.settle();
    const end = this.now + ms;
    while (state === "pending" && this.now < end) await this.advance(Math.min(50, end - this.now));
    if (state === "pending") throw new Error(`${what} did not settle within ${ms} ms of fake time`);
    if (state === "error") throw value;
    return value;
  }

  install() {
    const clock = this;
    class FakeDate extends real.Date {
      constructor(...args) {
        if (args.length === 0) super(clock.now);
        else super(...args);
      }
      static now() {
        return clock.now;
      }
    }
    globalThis.Date = FakeDate;
    globalThis.setTimeout = (fn, ms, ...args) => clock.schedule(fn, ms, { args });
    globalThis.clearTimeout = (id) => clock.cancel(id);
    globalThis.setInterval = (fn, ms, ...args) => clock.schedule(fn, ms, { args, interval: Number(ms) || 0 });
    globalThis.clearInterval = (id) => clock.cancel(id);
    Math.random = () => clock.random();
    // Compiling the wasm is real work off the main thread: settle() waits for it.
    for (const [name, f] of Object.entries(real.wasm)) {
      if (typeof f === "function") WebAssembly[name] = (...args) => clock.track(f.apply(WebAssembly, args));
    }
    AbortSignal.timeout = (ms) => {
      const controller = new AbortController();
      clock.schedule(() => controller.abort(new DOMException("The operation timed out.", "TimeoutError")), ms);
      return controller.signal;
    };
    const navigator = {
      get onLine() {
        return clock.online;
      },
      userAgent: "fake-browser",
      language: "en-US",
    };
    Object.defineProperty(globalThis, "navigator", { value: navigator, configurable: true, writable: true });
    // A service worker's global is an EventTarget ("online", "offline"): Node's is not.
    Object.defineProperty(globalThis, "addEventListener", {
      value: (type, fn) => clock.globalListeners.push({ type, fn, owner: clock.owner }),
      configurable: true,
      writable: true,
    });
    Object.defineProperty(globalThis, "removeEventListener", {
      value: (type, fn) => {
        clock.globalListeners = clock.globalListeners.filter((l) => !(l.type === type && l.fn === fn));
      },
      configurable: true,
      writable: true,
    });
  }

  /** Sets navigator.onLine and fires "online"/"offline" on the worker's global. */
  setOnline(online) {
    this.online = online;
    for (const l of [...this.globalListeners]) if (l.type === (online ? "online" : "offline")) l.fn(new Event(l.type));
  }

  dropGlobalListeners(owner) {
    this.globalListeners = this.globalListeners.filter((l) => l.owner !== owner);
  }

  uninstall() {
    globalThis.Date = real.Date;
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
    globalThis.setInterval = real.setInterval;
    globalThis.clearInterval = real.clearInterval;
    Math.random = real.random;
    AbortSignal.timeout = real.abortTimeout;
    Object.assign(WebAssembly, real.wasm);
    for (const [name, desc] of [
      ["navigator", real.navigator],
      ["addEventListener", real.addEventListener],
      ["removeEventListener", real.removeEventListener],
    ]) {
      if (desc) Object.defineProperty(globalThis, name, desc);
      else delete globalThis[name];
    }
  }
}
