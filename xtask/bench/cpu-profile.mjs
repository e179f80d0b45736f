// Main-thread time of one extension's content script, from Chrome's sampling CPU profiler
// (CDP Profiler domain on the page's session, which samples the renderer's main thread,
// content-script worlds included).
//
// A sample counts when any frame of its stack comes from the extension (its URL starts
// with chrome-extension://<id>/): so the DOM calls, layouts and WebAssembly those frames
// cause count too. Each sample weighs the time until the next one. Garbage collection and
// rendering that the browser does later, outside the script's stack, are not counted (for
// either extension).

export const SAMPLING_INTERVAL_US = 50;

export async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await cdp.send('Profiler.start');
}

/** Stops the profiler; returns the ms spent under frames from `urlPrefix` and whether any were seen. */
export async function stopProfile(cdp, urlPrefix) {
  const { profile } = await cdp.send('Profiler.stop');
  const node = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const ours = new Map(); // node id -> has a frame of ours at or above it
  // The tests' build's own clock (bench/clock-*.js) is the bench's, not the extension's.
  const clock = `${urlPrefix}bench/`;
  const isOurs = (id) => {
    if (!ours.has(id)) {
      const url = node.get(id).callFrame.url;
      const here = url.startsWith(urlPrefix) && !url.startsWith(clock);
      ours.set(id, here || (parent.has(id) && isOurs(parent.get(id))));
    }
    return ours.get(id);
  };
  let us = 0;
  for (let i = 0; i + 1 < profile.samples.length; i++) {
    if (isOurs(profile.samples[i])) us += profile.timeDeltas[i + 1];
  }
  const seen = profile.nodes.some((n) => n.callFrame.url.startsWith(urlPrefix));
  return { ms: us / 1000, seen };
}
