// The in-browser half of `cargo xtask bench`: detection latency in Chromium and Firefox,
// healthy-page cost against a naive baseline, and the core's memory per tab, each over
// BENCH_RUNS runs, written as raw values to --out (xtask computes the statistics).
//
//   node xtask/bench/browser.mjs --out target/bench/browser.json   (after `cargo xtask build`)
//
// BENCH_BROWSERS=chrome|firefox limits the browsers (default: both).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../../tests/e2e/harness.mjs';
import { startBrowser } from '../../tests/e2e/support.mjs';
import { detectionCases } from './detection.mjs';
import { PAGE, MUTATIONS, routeHealthyPages, healthyRun, doctorSettled, naiveSettled, selfTimedRun } from './healthy.mjs';
import { writeNaiveExtension } from './naive-extension.mjs';
import { SAMPLING_INTERVAL_US } from './cpu-profile.mjs';
import { initialCoreBytes } from './core-memory.mjs';
import { RUNS, repeat, log } from './runs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function outPath() {
  const i = process.argv.indexOf('--out');
  if (i < 0 || !process.argv[i + 1]) throw new Error('usage: node xtask/bench/browser.mjs --out FILE');
  return path.resolve(process.argv[i + 1]);
}

// BENCH_ONLY=<part of a case's name>: only the detection cases so named, no healthy-page
// measurement (a quick look at one case; the goals of the rest then read "not measured").
const ONLY = process.env.BENCH_ONLY ?? '';

function browsers() {
  const wanted = (process.env.BENCH_BROWSERS || 'chrome,firefox').split(/[\s,]+/).filter(Boolean);
  return ['chrome', 'firefox'].filter((b) => wanted.includes(b));
}

function machine() {
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = fs.readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m);
    if (pretty) osName = pretty[1];
  } catch { /* not Linux */ }
  return {
    os: osName,
    arch: os.arch(),
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? '',
    // Other work on the machine moves every timing: say how busy it was.
    load_average_1min_at_start: os.loadavg()[0],
  };
}

/** Firefox's healthy-page cost: the content script's own clock over the runs. */
async function healthySelfTimed(browser, session) {
  const url = await routeHealthyPages(session);
  log(`${browser}: healthy-page cost, ${PAGE}, the content script's own clock`);
  const result = await repeat(`${browser} healthy page`, () => selfTimedRun(session, url));
  return { browser, page: PAGE, self_timed_load_ms: field(result, 'selfMs') };
}

/** Pulls one field out of each run's result object. */
const field = (result, name) => ({ values: result.values.map((v) => v[name]), ...(result.error ? { error: result.error } : {}) });

async function detection(browser, session) {
  const out = [];
  for (const c of detectionCases(browser, ONLY)) {
    log(`${browser}: detection, ${c.name}`);
    const result = await repeat(`${browser} ${c.name}`, () => c.run(session, c));
    out.push({
      browser,
      case: c.name,
      ms: field(result, 'ms'),
      after_load_ms: field(result, 'afterLoadMs'),
      final_ms: field(result, 'finalMs'),
      final_after_load_ms: field(result, 'finalAfterLoadMs'),
      core_bytes: field(result, 'coreBytes'),
    });
  }
  return out;
}

async function healthy(doctor) {
  const naiveDir = writeNaiveExtension(path.join(root, 'target', 'bench', 'naive-ext'));
  const naive = await launch('chrome', { extensionDir: naiveDir });
  try {
    const url = await routeHealthyPages(doctor);
    await routeHealthyPages(naive);
    const exts = {
      doctor: { session: doctor, settled: doctorSettled, memory: true },
      naive: { session: naive, settled: naiveSettled, memory: false },
    };
    log(`chrome: healthy-page cost, ${PAGE}, ${MUTATIONS} mutations (extension and naive baseline in turn)`);
    // One round = a run of each, so both see the same moments of a busy machine.
    const result = await repeat('chrome healthy page', async () => ({
      doctor: await healthyRun(exts.doctor, url),
      naive: await healthyRun(exts.naive, url),
    }));
    const of = (who, name) => ({ values: result.values.map((v) => v[who][name]), ...(result.error ? { error: result.error } : {}) });
    return {
      browser: 'chrome',
      page: PAGE,
      mutations: MUTATIONS,
      sampling_interval_us: SAMPLING_INTERVAL_US,
      load_ms: { extension: of('doctor', 'loadMs'), naive: of('naive', 'loadMs') },
      streaming_ms: { extension: of('doctor', 'streamingMs'), naive: of('naive', 'streamingMs') },
      core_bytes: of('doctor', 'coreBytes'),
      self_timed_load_ms: of('doctor', 'selfMs'),
    };
  } finally {
    await naive.close();
  }
}

async function main() {
  const out = outPath();
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    runs: RUNS,
    versions: {},
    core_initial_bytes: await initialCoreBytes(path.join(root, 'dist', 'chrome', 'core')),
    detection: [],
    healthy: null,
    healthy_self_timed: [],
  };
  for (const browser of browsers()) {
    log(`${browser}: starting`);
    const session = await startBrowser(browser);
    try {
      report.versions[browser] = await session.browser.version();
      report.detection.push(...(await detection(browser, session)));
      if (ONLY) continue;
      if (browser === 'chrome') report.healthy = await healthy(session);
      else report.healthy_self_timed.push(await healthySelfTimed(browser, session));
    } finally {
      await session.close();
    }
  }
  report.machine.load_average_1min_at_end = os.loadavg()[0];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${out}`);
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
