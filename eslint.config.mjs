// ESLint over the extension's glue and the JavaScript tests and tools (`cargo xtask test`
// runs it). Each context gets the globals it really has.
import js from "@eslint/js";
import globals from "globals";

const extensionGlobals = {
  ...globals.browser,
  ...globals.webextensions,
  // Set by extension/shared/platform.js, protocol.js and generated/core-data.js.
  PLATFORM: "readonly",
  PROTOCOL: "readonly",
  SENSOR_SPEC: "readonly",
  POLICY: "readonly",
  CORE: "readonly",
  // The hello content/early.js sent, for content/index.js.
  CONTENT_HELLO: "readonly",
  CONTENT_HELLO_REPLY: "writable",
  CONTENT_DOCUMENT_URL: "writable",
};

export default [
  { ignores: ["dist/**", "target/**", "node_modules/**", "extension/generated/**", "extension/core/**", "pkg/**"] },
  js.configs.recommended,
  {
    files: ["extension/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: extensionGlobals },
  },
  {
    // Classic scripts (the content script and what it loads).
    files: ["extension/content/**/*.js", "extension/shared/platform.js", "extension/shared/protocol.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    // The tests' build's content-script clock (classic scripts in the page's content world).
    files: ["xtask/bench/in-extension/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
  },
  {
    files: ["tests/**/*.mjs", "xtask/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Node scripts that also hand functions to the browser and the extension's pages
      // (puppeteer's evaluate, the Firefox background's eval).
      globals: { ...globals.node, ...globals.browser, ...globals.webextensions },
    },
  },
  {
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true, caughtErrors: "none" }],
    },
  },
];
