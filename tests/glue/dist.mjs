// Where the built extension is: dist/chrome or dist/firefox (or GLUE_DIST/<flavour>).
import { existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The built extension for a flavour; fails clearly when it has not been built. */
export function distDir(flavour = "chrome") {
  const dir = process.env.GLUE_DIST ? resolve(process.env.GLUE_DIST, flavour) : join(ROOT, "dist", flavour);
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new Error(`${dir} is missing or incomplete: run \`cargo xtask build\` first (cargo xtask test builds before it runs these tests)`);
  }
  return dir;
}
