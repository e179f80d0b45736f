// Nothing the background awaits may hang it: a tab that never answers, a browser call that
// never settles, storage that is full. Each such wait has a bound and a fallback.

// `promise`, or `fallback` once `ms` have passed (or if it rejects).
export function within(promise, ms, fallback = null) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([Promise.resolve(promise).catch(() => fallback), late]).finally(() => clearTimeout(timer));
}
