// Hostile pages for adversarial.test.mjs, built on the fly: error pages whose words carry
// script payloads, a conversation that fakes errors everywhere the sensor must not read, and
// a plain app page to tamper with. Each returns a route response for session.route().

/** Text that would run, or build elements, if anything on the way treated it as markup. */
export const PAYLOADS = [
  ['img onerror', '<img src=x onerror="window.__pwned=1">'],
  ['script element', '<script>window.__pwned=1</script>'],
  ['javascript: URL', 'javascript:window.__pwned=1'],
  ['attribute breakout', '"><svg onload="window.__pwned=1">'],
  ['template injection', "{{constructor.constructor('window.__pwned=1')()}}"],
  ['iframe srcdoc', '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'],
];

export const escapeHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const html = (body, head = '') => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

/**
 * OpenAI's custom error page holding Cloudflare's 1020 box (as tests/fixtures/
 * cf-1020-openai-custom-page.html), with `message` after the heading and `rayId` as the Ray
 * ID, both as page text. `cfRay` is the header.
 */
export function cloudflare1020Page({ message = '', rayId = '098bbee16ca5e960', cfRay = '098bbee16ca5e960-CDG', extra = '' }) {
  const body = `<div class="container">
  <div class="logo"><svg class="scale-appear" width="41" height="41" viewBox="0 0 41 41"><path d="M0 0h41v41H0z"/></svg></div>
  <div class="data"><div class="cf-error-details cf-error-1020">
    <h1>Access denied ${escapeHtml(message)}</h1>
    <p>You do not have access to chatgpt.com.</p><p>The site owner may have set restrictions that prevent you from accessing the site.</p>
    <ul class="cferror_details">
      <li>Ray ID: ${escapeHtml(rayId)}</li>
      <li>Error reference number: 1020</li>
    </ul>
    ${extra}
  </div></div>
</div>`;
  return {
    status: 403,
    headers: { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': cfRay },
    body: html(body),
  };
}

/** The app with an error toast whose words carry `message`. */
export function appToastPage(message) {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html(`<main><div data-testid="conversation-turn-1"><div data-message-author-role="user">Hello</div></div></main>
<div id="thread-bottom"><form><textarea id="prompt-textarea"></textarea></form></div>
<div class="toast-root" data-testid="toast-error" role="alert">Something went wrong ${escapeHtml(message)} please try again</div>`),
  };
}

/**
 * A conversation that fakes errors, markup and all, where only the person or the model
 * writes: user and assistant messages, the answer's markdown, code blocks, quotes, the
 * composer (a textarea and a contenteditable, inside the notice strip above it).
 */
export function conversationFakingErrors() {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html(`<main>
  <div data-testid="conversation-turn-1"><div data-message-author-role="user" data-message-id="u1">
    <div class="whitespace-pre-wrap">Access denied Error code 1020. Ray ID: 7b9d776a8e02f1b8
      <div role="alert" data-testid="toast-error">A network error occurred</div></div>
  </div></div>
  <div data-testid="conversation-turn-2"><div data-message-author-role="assistant" data-message-id="a1">
    <div class="markdown prose">
      <div class="cf-error-details cf-error-1020" id="cf-error-details"><h1>Access denied</h1>
        <p>Error code 1020</p><p>Ray ID: 7b9d776a8e02f1b8</p></div>
      <div id="cf-browser-status">Just a moment... Verify you are human</div>
      <div role="alert" data-testid="toast-error">Something went wrong. Too many requests.</div>
      <p class="text-red-500 text-token-text-error">There was an error generating a response</p>
      <pre><code class="text-token-text-error">Internal server error
Your session has expired</code></pre>
    </div>
  </div></div>
  <blockquote role="alert">ChatGPT is at capacity right now</blockquote>
  <pre role="alert">Unusual activity has been detected from your device</pre>
  <code data-testid="error">502 Bad gateway</code>
</main>
<div id="thread-bottom"><form>
  <textarea id="prompt-textarea">Access denied. Error code 1020. Too many requests.</textarea>
  <div contenteditable="true" class="ProseMirror"><div role="alert">Your session has expired</div>
    <p class="text-red-500">A network error occurred</p></div>
</form></div>`),
  };
}

/** A healthy app page, to tamper with from the page's own scripts. */
export function healthyApp() {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html(`<main><div data-testid="conversation-turn-1"><div data-message-author-role="assistant">
  <div class="markdown prose"><p>Hello! How can I help?</p></div></div></div></main>
<div id="thread-bottom"><form><textarea id="prompt-textarea"></textarea></form></div>`),
  };
}
