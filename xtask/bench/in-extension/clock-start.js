// Tests' and bench builds only (never in the store build): listed first in each of the
// content script's groups, with clock-stop.js last, to time the content script's own
// synchronous work at load in any browser (Firefox has no profiler the bench can drive).
globalThis.__doctorClockStartedAt = performance.now();
