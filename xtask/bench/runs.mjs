// Repeating a measurement: a discarded warm-up, then BENCH_RUNS runs (15 by default). A run
// that throws (a browser hiccup on a busy machine) is retried; a case that keeps failing is
// reported as failed, and the benchmark goes on with the others.

export const RUNS = Number(process.env.BENCH_RUNS) > 0 ? Number(process.env.BENCH_RUNS) : 15;
const ATTEMPTS = 3;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function log(...args) {
  console.error('bench:', ...args);
}

/** Calls `once(i)` for a warm-up and RUNS runs; returns `{ values: [...] }` or `{ error }`. */
export async function repeat(what, once) {
  const values = [];
  for (let i = -1; i < RUNS; i++) {
    let value;
    for (let attempt = 1; ; attempt++) {
      try {
        value = await once(i);
        break;
      } catch (e) {
        log(`${what}: run ${i} attempt ${attempt} failed: ${e.message}`);
        if (attempt === ATTEMPTS) return { values, error: e.message };
      }
    }
    if (i >= 0) values.push(value);
  }
  return { values };
}
