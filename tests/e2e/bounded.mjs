// node:test's `describe`, `test` and hooks, each test and hook with a time limit: a browser
// that never answers (a tab closed mid-navigation, a lost debugging connection) then fails
// that one test by name, and the run goes on, instead of stalling until CI gives up. A
// bound, not a speed check: several times the slowest test (about 16 s).
import * as nodeTest from 'node:test';

const LIMIT_MS = 120_000;

export const { describe } = nodeTest;

/** `test(name, [options], fn)`, with `timeout` unless the options give one. */
export function test(name, options, fn) {
  if (typeof options === 'function') return nodeTest.test(name, { timeout: LIMIT_MS }, options);
  return nodeTest.test(name, { timeout: LIMIT_MS, ...options }, fn);
}

const hook = (register) => (fn, options = {}) => register(fn, { timeout: LIMIT_MS, ...options });
export const before = hook(nodeTest.before);
export const after = hook(nodeTest.after);
export const beforeEach = hook(nodeTest.beforeEach);
