// The WebAssembly memory the core holds in one tab (Chrome). The core never runs in a tab (the
// background alone runs it), so what is measured is that no WebAssembly module was compiled
// there at all: the Debugger domain replays every script the tab's renderer has parsed, in
// every world, WebAssembly modules included. None: 0 bytes. Any: the measurement fails, so
// the bench says so rather than report a number it cannot read.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bytes of WebAssembly memory in the tab of `cdp` (the page's CDP session): 0 without a module. */
export async function coreMemoryBytes(cdp) {
  const modules = [];
  const collect = (e) => {
    if (e.scriptLanguage === 'WebAssembly') modules.push(e.url || e.scriptId);
  };
  cdp.on('Debugger.scriptParsed', collect);
  try {
    await cdp.send('Debugger.enable'); // replays the scripts parsed so far
  } finally {
    cdp.off('Debugger.scriptParsed', collect);
    await cdp.send('Debugger.disable').catch(() => {});
  }
  if (modules.length > 0) throw new Error(`WebAssembly compiled in the tab: ${modules.join(', ')}`);
  return 0;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** A new instance of the built core in Node: its glue, and the instance's exports. */
async function instantiate(coreDir) {
  const glue = await import(pathToFileURL(path.join(coreDir, 'error_doctor.js')).href);
  const exports = glue.initSync({ module: fs.readFileSync(path.join(coreDir, 'error_doctor_bg.wasm')) });
  return { glue, exports };
}

/** The store build's core, instantiated in Node. */
export async function loadCoreInNode(coreDir = path.join(ROOT, 'dist', 'chrome', 'core')) {
  return (await instantiate(coreDir)).glue;
}

/**
 * The linear memory the module starts with, before any classify: instantiated in Node with
 * the same glue and .wasm as the extension's (Rust reserves its stack in it up front). This
 * is the background's one instance, shared by every tab.
 */
export async function initialCoreBytes(coreDir) {
  return (await instantiate(coreDir)).exports.memory.buffer.byteLength;
}
