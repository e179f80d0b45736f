// The WebAssembly memory the core holds in one tab (Chrome): the byte length of the linear
// memory of the content script's instance, read in the content script's own (isolated)
// world. Calling the glue's init again there returns the live instance's exports.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bytes of the core's linear memory in the tab of `cdp` (the page's CDP session). */
export async function coreMemoryBytes(cdp, extensionId) {
  const contexts = [];
  const collect = (e) => contexts.push(e.context);
  cdp.on('Runtime.executionContextCreated', collect);
  try {
    await cdp.send('Runtime.enable'); // replays the live contexts
  } finally {
    cdp.off('Runtime.executionContextCreated', collect);
  }
  await cdp.send('Runtime.disable');
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData?.isDefault === false
    && c.origin === `chrome-extension://${extensionId}`);
  if (!world) throw new Error(`no content-script world of ${extensionId} in this tab (saw ${contexts.map((c) => c.origin).join(', ')})`);
  const r = await cdp.send('Runtime.evaluate', {
    contextId: world.id,
    expression: '(async () => (await wasm_bindgen()).memory.buffer.byteLength)()',
    awaitPromise: true,
    returnByValue: true,
  });
  if (r.exceptionDetails) throw new Error(`reading the core's memory: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value;
}

/**
 * The linear memory the module starts with, before any classify: instantiated in Node with
 * the same glue and .wasm as the extension's (Rust reserves its stack in it up front).
 */
export async function initialCoreBytes(coreDir) {
  const glue = await import(pathToFileURL(path.join(coreDir, 'chatgpt_doctor.js')).href);
  const exports = glue.initSync({ module: fs.readFileSync(path.join(coreDir, 'chatgpt_doctor_bg.wasm')) });
  return exports.memory.buffer.byteLength;
}
