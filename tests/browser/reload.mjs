// Drives headless Chromium over the DevTools protocol (no npm packages):
// opens the article served by `blog serve`, edits the Markdown, and waits
// for the page to reload itself with the new text; then edits a scenario
// and waits for the new PNG.  Prints "ok - ..." / "not ok - ..." lines.
//
//   node --experimental-websocket reload.mjs DEVTOOLS_PORT BASE_URL SITE_DIR
import { readFileSync, writeFileSync } from 'node:fs';

const [devPort, base, site] = process.argv.slice(2);
const post = `${site}/content/posts/why-tcp-connection-termination-needs-four-way-handshake.md`;
const scenario = `${site}/content/diagrams/tcp-termination.yaml`;
const article = `${base}/2019/07/14/why-tcp-connection-termination-needs-four-way-handshake/`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (good, name, why) => console.log(good ? `ok - ${name}` : `not ok - ${name}${why ? ': ' + why : ''}`);

const targets = await (await fetch(`http://127.0.0.1:${devPort}/json/list`)).json();
const page = targets.find((t) => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener('open', r));
let id = 0;
const pending = new Map();
let loads = 0;
ws.addEventListener('message', (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  if (msg.method === 'Page.loadEventFired') loads++;
});
const send = (method, params = {}) => new Promise((r) => { const n = ++id; pending.set(n, r); ws.send(JSON.stringify({ id: n, method, params })); });
const evaluate = async (expr) => (await send('Runtime.evaluate', { expression: expr, returnByValue: true })).result?.result?.value;
async function until(fn, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await fn()) return true;
  return false;
}

await send('Page.enable');
await send('Runtime.enable');
await send('Page.navigate', { url: article });
say(await until(async () => (await evaluate('document.readyState')) === 'complete' && loads > 0), 'the article opens');
say(await until(async () => (await evaluate('document.body.innerText')).includes('TCP connection establishment')), 'the article text is shown');
// mark this page: a reload makes a new document without the mark
await evaluate('window.__mark = 1');
await sleep(500); // the event stream is open

const text = readFileSync(post, 'utf8');
writeFileSync(post, text.replace('### Background', '### Background (seen in the browser)'));
const reloaded = await until(async () => (await evaluate('typeof window.__mark')) === 'undefined' &&
  (await evaluate('document.body ? document.body.innerText : ""')).includes('Background (seen in the browser)'));
say(reloaded, 'editing the Markdown reloads the page with the new text');

// a broken edit: the overlay appears, the page keeps its content
writeFileSync(post, text.replace(/^date: .*$/m, 'date: 2019-2-30 10:00:00'));
const overlay = await until(async () => ((await evaluate("(document.getElementById('__blog_overlay')||{}).textContent||''")) || '').includes('error: impossible date'));
say(overlay, 'a broken edit shows the error overlay');
say((await evaluate('document.body.innerText')).includes('Background (seen in the browser)'), 'the last good page stays under the overlay');
writeFileSync(post, text);
say(await until(async () => !(await evaluate("!!document.getElementById('__blog_overlay')"))), 'the fix removes the overlay');

// a scenario edit: the figure changes
const before = await (await send('Runtime.evaluate', { expression: `(async () => { const b = await (await fetch('/images/tcp-termination.png', {cache: 'no-store'})).arrayBuffer(); return Array.from(new Uint8Array(b)).reduce((h, x) => (h * 31 + x) >>> 0, 7); })()`, awaitPromise: true, returnByValue: true })).result.result.value;
await evaluate('window.__mark = 2');
writeFileSync(scenario, readFileSync(scenario, 'utf8').replace('title: Closing a connection', 'title: Closing, seen in the browser'));
const hash = async () => (await send('Runtime.evaluate', { expression: `(async () => { const b = await (await fetch('/images/tcp-termination.png', {cache: 'no-store'})).arrayBuffer(); return Array.from(new Uint8Array(b)).reduce((h, x) => (h * 31 + x) >>> 0, 7); })()`, awaitPromise: true, returnByValue: true })).result?.result?.value;
say(await until(async () => (await evaluate('typeof window.__mark')) === 'undefined' && (await hash()) !== before), 'editing a scenario reloads the page with a new PNG');
const imgOk = await evaluate("Array.from(document.images).filter(i => i.src.endsWith('/images/tcp-termination.png')).every(i => i.complete && i.naturalWidth === 1600)");
say(imgOk, 'the new figure is loaded at 1600 px');
ws.close();
process.exit(0);
