// The naive baseline the healthy-page cost is compared with: a content script that, like
// many "watch the page for errors" extensions, reads `document.body.innerText` and runs a
// list of regular expressions over it at load and on every MutationObserver callback.
// Written at bench time (it is a yardstick, not something we ship).
import fs from 'node:fs';
import path from 'node:path';

// Runs in the page's content-script world; serialized with toString().
function naiveSensor() {
  const PATTERNS = [
    /access denied/i, /error code:?\s*10\d\d/i, /just a moment/i, /verify you are human/i,
    /checking your browser/i, /too many requests/i, /rate limit/i, /usage cap/i,
    /something went wrong/i, /network error/i, /at capacity/i, /internal server error/i,
    /bad gateway/i, /gateway time-?out/i, /service unavailable/i, /session (has )?expired/i,
    /unusual activity/i, /error in (message|body) stream/i, /load failed/i, /conversation not found/i,
  ];
  let errors = 0;
  function scan() {
    const text = document.body.innerText;
    errors = PATTERNS.filter((re) => re.test(text)).length;
  }
  scan();
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  return errors;
}

const MANIFEST = {
  manifest_version: 3,
  name: 'Naive error watcher (benchmark baseline)',
  version: '1.0',
  // The e2e harness drives an extension through its service worker, so it needs one.
  background: { service_worker: 'background.js' },
  host_permissions: ['https://chatgpt.com/*', 'https://chat.openai.com/*'],
  content_scripts: [{
    matches: ['https://chatgpt.com/*', 'https://chat.openai.com/*'],
    js: ['naive.js'],
    run_at: 'document_idle',
  }],
};

/** Writes the naive extension into `dir` (replacing what was there) and returns `dir`. */
export function writeNaiveExtension(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(MANIFEST, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'background.js'), '// Nothing: the baseline is its content script.\n');
  fs.writeFileSync(path.join(dir, 'naive.js'), `(${naiveSensor})();\n`);
  return dir;
}
