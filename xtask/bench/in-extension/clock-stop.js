// Tests' and bench builds only: adds the time since clock-start.js to the tab's total. The
// bench asks for it with a `error-doctor:clock` event on the document, and reads the
// answer from `data-error-doctor-load-ms` (written only then: a write at load would cost
// the page a style recalculation the profiler would count).
(() => {
  const spent = performance.now() - globalThis.__doctorClockStartedAt;
  const first = globalThis.__doctorClockTotal === undefined;
  globalThis.__doctorClockTotal = (globalThis.__doctorClockTotal ?? 0) + spent;
  if (!first) return;
  document.addEventListener("error-doctor:clock", () => {
    document.documentElement.dataset.errorDoctorLoadMs = String(globalThis.__doctorClockTotal);
  });
})();
