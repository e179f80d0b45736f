// The message names and storage keys of extension/shared/protocol.js, read from the built
// file (a classic script that sets globalThis.PROTOCOL), so the tests follow the glue's own
// names and never a copy of them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { distDir } from "./dist.mjs";

function fromBuild() {
  const file = join(distDir("chrome"), "shared", "protocol.js");
  const context = vm.createContext({});
  context.globalThis = context;
  vm.runInContext(readFileSync(file, "utf8"), context);
  if (!context.PROTOCOL) throw new Error(`${file} did not set globalThis.PROTOCOL`);
  return context.PROTOCOL;
}

/** The protocol, as built. */
export const P = fromBuild();
