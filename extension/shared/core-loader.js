// Loads the Rust core (wasm-bindgen glue + module) from the extension's own files. Used by
// the background and the popup, which always may compile WebAssembly.
import init, * as core from "../core/error_doctor.js";

/** @typedef {typeof import("../core/error_doctor.js")} Core */

/** @type {Promise<Core> | null} */
let ready = null;

/** @returns {Promise<Core>} the core's exports, typed by the generated declarations */
export function loadCore() {
  ready ??= init({ module_or_path: new URL("../core/error_doctor_bg.wasm", import.meta.url) }).then(() => core);
  return ready;
}
