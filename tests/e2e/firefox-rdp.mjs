// Minimal client for Firefox's devtools Remote Debugging Protocol (RDP), the
// protocol about:debugging speaks. Dependency-free (node:net).
//
// Wire format: packets are `<byte length>:<JSON>` (length counts UTF-8 bytes).
// Requests are `{to: actor, type, ...}`; the reply is the next non-event packet
// `{from: actor, ...}` (or `{from, error, message}`). Replies from one actor come
// back in request order, so we keep a FIFO of pending requests per actor and only
// send the next request to an actor once the previous one was answered.
// Packets that carry a `type` (e.g. `target-available-form`, `evaluationResult`,
// `tabNavigated`, `consoleAPICall`...) are unsolicited events, not replies.
//
// Usage:
//   const rdp = await RdpClient.connect({ port, timeout: 10000 });
//   const { addons } = await rdp.request('root', 'listAddons');
//   rdp.on('target-available-form', (packet) => ...);
//   const pkt = await rdp.waitFor(p => p.type === 'evaluationResult' && p.resultID === id, 5000);
//   rdp.close();

import net from 'node:net';
import { EventEmitter } from 'node:events';

export class RdpError extends Error {
  constructor(packet, request) {
    super(`RDP ${request?.to ?? '?'}.${request?.type ?? '?'}: ${packet.error}${packet.message ? `: ${packet.message}` : ''}`);
    this.name = 'RdpError';
    this.packet = packet;
  }
}

export class RdpClient extends EventEmitter {
  #socket;
  #buf = Buffer.alloc(0);
  #queues = new Map(); // actor -> [{packet, resolve, reject, timer, sent}]
  #waiters = new Set(); // {predicate, resolve, reject, timer}
  #closed = false;
  #closeError = null;
  greeting = null;
  defaultTimeout;

  constructor(socket, { timeout = 10000 } = {}) {
    super();
    this.#socket = socket;
    if (typeof socket.setNoDelay === 'function') socket.setNoDelay(true); // avoid Nagle stalls on TCP
    this.defaultTimeout = timeout;
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('RDP connection closed')));
  }

  /**
   * Connects to `--start-debugger-server PORT` ({port}) or
   * `--start-debugger-server /path/to/unix-socket` ({path}), retrying until the server
   * listens, and resolves after the root actor's greeting arrives.
   */
  static async connect({ host = '127.0.0.1', port, path, timeout = 10000, retryInterval = 50 } = {}) {
    const where = path ?? `${host}:${port}`;
    const deadline = Date.now() + timeout;
    let lastErr;
    while (Date.now() < deadline) {
      let socket;
      try {
        socket = await new Promise((resolve, reject) => {
          const s = path ? net.connect({ path }) : net.connect({ host, port });
          const t = setTimeout(() => { s.destroy(); reject(new Error('connect timeout')); }, Math.max(100, deadline - Date.now()));
          s.once('connect', () => { clearTimeout(t); s.removeListener('error', reject); resolve(s); });
          s.once('error', (e) => { clearTimeout(t); reject(e); });
        });
      } catch (e) {
        lastErr = e;
        await new Promise((r) => setTimeout(r, retryInterval));
        continue;
      }
      const client = new RdpClient(socket, { timeout });
      try {
        client.greeting = await client.waitFor((p) => p.from === 'root' && !p.type, Math.max(200, deadline - Date.now()), 'root greeting');
        return client;
      } catch (e) {
        lastErr = e;
        client.close();
        // The server may accept before it is ready; retry.
        await new Promise((r) => setTimeout(r, retryInterval));
      }
    }
    throw new Error(`RDP: could not connect to ${where} within ${timeout} ms (${lastErr?.message ?? 'unknown error'})`);
  }

  get closed() { return this.#closed; }

  /** Sends `{to, type, ...params}` and resolves with the reply packet. */
  request(to, type, params = {}, { timeout = this.defaultTimeout } = {}) {
    if (this.#closed) return Promise.reject(this.#closeError ?? new Error('RDP connection closed'));
    const packet = { to, type, ...params };
    return new Promise((resolve, reject) => {
      const entry = { packet, resolve, reject, timer: null, sent: false, timeout };
      // The deadline covers queueing + reply, so a stuck actor cannot hang callers.
      entry.timer = setTimeout(() => {
        entry.timedOut = true;
        const q2 = this.#queues.get(to);
        // Not yet sent: just drop it. Sent: keep it so its late reply is swallowed.
        if (q2 && !entry.sent) q2.splice(q2.indexOf(entry), 1);
        reject(new Error(`RDP: no reply from ${to} to "${type}" within ${timeout} ms`));
      }, timeout);
      let q = this.#queues.get(to);
      if (!q) this.#queues.set(to, (q = []));
      q.push(entry);
      if (q.length === 1) this.#sendHead(to);
    });
  }

  /** Resolves with the first future packet matching `predicate` (events or replies). */
  waitFor(predicate, timeout = this.defaultTimeout, what = 'packet') {
    if (this.#closed) return Promise.reject(this.#closeError ?? new Error('RDP connection closed'));
    return new Promise((resolve, reject) => {
      const w = { predicate, resolve, reject, timer: null };
      w.timer = setTimeout(() => {
        this.#waiters.delete(w);
        reject(new Error(`RDP: timed out after ${timeout} ms waiting for ${what}`));
      }, timeout);
      this.#waiters.add(w);
    });
  }

  close() {
    this.#fail(new Error('RDP connection closed'));
  }

  #sendHead(actor) {
    const q = this.#queues.get(actor);
    const entry = q?.[0];
    if (!entry || entry.sent) return;
    entry.sent = true;
    this.#write(entry.packet);
  }

  #write(packet) {
    const body = Buffer.from(JSON.stringify(packet), 'utf8');
    this.#socket.write(Buffer.concat([Buffer.from(`${body.length}:`, 'latin1'), body]));
  }

  #onData(chunk) {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      const colon = this.#buf.indexOf(0x3a); // ':'
      if (colon < 0) {
        if (this.#buf.length > 20) this.#fail(new Error('RDP: malformed packet header'));
        return;
      }
      const header = this.#buf.subarray(0, colon).toString('latin1');
      if (!/^\d+$/.test(header)) {
        // bulk packets ("bulk actor type length:") are not supported
        this.#fail(new Error(`RDP: unsupported packet header "${header.slice(0, 40)}"`));
        return;
      }
      const len = Number(header);
      if (this.#buf.length < colon + 1 + len) return;
      const body = this.#buf.subarray(colon + 1, colon + 1 + len).toString('utf8');
      this.#buf = this.#buf.subarray(colon + 1 + len);
      let packet;
      try {
        packet = JSON.parse(body);
      } catch (e) {
        this.#fail(new Error(`RDP: bad JSON packet: ${e.message}`));
        return;
      }
      this.#dispatch(packet);
    }
  }

  #dispatch(packet) {
    for (const w of this.#waiters) {
      let hit = false;
      try { hit = w.predicate(packet); } catch { /* ignore */ }
      if (hit) {
        this.#waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(packet);
      }
    }
    const isEvent = typeof packet.type === 'string' && !packet.error;
    if (isEvent) {
      this.emit(packet.type, packet);
      this.emit('event', packet);
      return;
    }
    const q = this.#queues.get(packet.from);
    const entry = q?.[0];
    if (!entry || !entry.sent) {
      this.emit('unmatched', packet);
      return;
    }
    q.shift();
    clearTimeout(entry.timer);
    if (!entry.timedOut) {
      if (packet.error) entry.reject(new RdpError(packet, entry.packet));
      else entry.resolve(packet);
    }
    if (q.length) this.#sendHead(packet.from);
    else this.#queues.delete(packet.from);
  }

  #fail(err) {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = err;
    for (const q of this.#queues.values()) {
      for (const e of q) { clearTimeout(e.timer); if (!e.timedOut) e.reject(err); }
    }
    this.#queues.clear();
    for (const w of this.#waiters) { clearTimeout(w.timer); w.reject(err); }
    this.#waiters.clear();
    this.#socket.destroy();
    this.emit('close', err);
  }
}

/** Reads a value that may be a longString grip into a plain string. */
export async function readGripString(rdp, grip) {
  if (typeof grip === 'string') return grip;
  if (grip && grip.type === 'longString') {
    const { substring } = await rdp.request(grip.actor, 'substring', { start: 0, end: grip.length });
    return substring;
  }
  return grip;
}
