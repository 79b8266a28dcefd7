// What the end-to-end tests share: a static server on loopback for the
// built site, Debian's Chromium driven by playwright-core, pages that record
// every console error, and an axe-core scan.
//
// Environment:
//   ARCHSIM_SITE      the built site (default: target/site of this checkout)
//   ARCHSIM_CHROMIUM  the browser (default: /usr/bin/chromium); never downloaded

import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

export const SITE = resolve(process.env.ARCHSIM_SITE ?? join(here, '..', '..', 'target', 'site'));
export const CHROMIUM = process.env.ARCHSIM_CHROMIUM ?? '/usr/bin/chromium';

// Pages the server makes up for the tests, under this prefix.
export const TEST_PAGES = '/__archsim_test__/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

// A host page for the embeddable widget, as a teacher would write it: one
// iframe, resized to the height the widget reports.
function embedHost(preset) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Embed host</title><link rel="icon" href="data:,"></head>
<body>
<h1>A page that embeds an experiment</h1>
<iframe id="widget" title="archsim experiment" src="../index.html#/embed/${preset}" style="width:100%;height:150px;border:0"></iframe>
<script>
  window.heights = [];
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'archsim:height') {
      window.heights.push({ height: e.data.height, fromWidget: e.source === document.getElementById('widget').contentWindow });
      document.getElementById('widget').style.height = e.data.height + 'px';
    }
  });
</script>
</body>
</html>`;
}

// Throw a clear error unless the site has been built.
export function requireBuiltSite() {
  const index = join(SITE, 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `The built site is missing: ${index} does not exist.\n` +
        'Build it first, from the repository root:\n' +
        '  PATH=$PWD/tools/node_modules/.bin:$PATH trunk build --release\n' +
        '(or set ARCHSIM_SITE to a built site).',
    );
  }
}

// Serve the site on 127.0.0.1 at a free port, with `headers` added to every
// response of the site (a host's Content-Security-Policy, say). Returns
// { server, base }.
export async function serveSite({ headers = {} } = {}) {
  requireBuiltSite();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (path.startsWith(TEST_PAGES)) {
        const preset = url.searchParams.get('preset') ?? 'lb-health-checks';
        if (path === `${TEST_PAGES}embed.html` && /^[a-z0-9-]+$/.test(preset)) {
          res.writeHead(200, { 'content-type': TYPES['.html'] });
          res.end(embedHost(preset));
          return;
        }
      }
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(SITE, path));
      if (!file.startsWith(SITE + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': TYPES['.txt'] });
        res.end(`not found: ${url.pathname}\n`);
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': TYPES['.txt'] });
      res.end(String(e));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return { server, base: `http://127.0.0.1:${port}/` };
}

// One test file's site and browser: the built site served on loopback (with
// `options` as serveSite takes them) and Chromium launched before its tests,
// both closed after them. `ready` is given { base, browser } once they are up.
export function siteUnderTest(ready, options) {
  let server;
  let browser;
  before(async () => {
    let base;
    ({ server, base } = await serveSite(options));
    browser = await launchBrowser();
    ready({ base, browser });
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r()));
  });
}

// Launch Debian's Chromium (never a downloaded one), with a fresh
// temporary profile that playwright-core creates and removes.
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium, or set ARCHSIM_CHROMIUM.`);
  }
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// A new page in a fresh context that records console errors, uncaught
// exceptions and failed requests (of the page and of its iframes) in
// `errors`.
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  const record = (text) => errors.push(text);
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const where = m.location();
      record(`console.error at ${page.url()} (${where.url}:${where.lineNumber}): ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => errors.push(`uncaught at ${page.url()}: ${e.stack ?? e}`));
  page.on('requestfailed', (r) => {
    // Leaving a page cancels what it was still loading (its icon, say):
    // that is the browser tidying up, not a failure of the site.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') {
      record(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400) record(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.setDefaultTimeout(15_000);
  return { context, page, errors };
}

// Open `route` (e.g. `#/sim/lb-distribute`) of the site as a fresh load, the
// way a link opened in a new tab would be, and wait until the app has
// rendered its main content. A route at the root that belongs to a
// pattern's page is forwarded there; the home page's static outline (its
// <main class="outline">, shown before the wasm starts) is not the app.
export async function visit(page, base, route = '') {
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  await page.goto(`${base}${route}`);
  await page.locator('main:not(.outline) h1').first().waitFor();
}

// The summary of run `index` as { arrived: "123", completed: "120", … }.
export async function summary(page, index = 0) {
  return page
    .locator('dl.summary')
    .nth(index)
    .evaluate((dl) =>
      Object.fromEntries(
        [...dl.querySelectorAll(':scope > div')].map((d) => [
          d.querySelector('dt').textContent,
          d.querySelector('dd').textContent,
        ]),
      ),
    );
}

// Simulated seconds shown by the clock.
export async function clock(page) {
  const text = await page.locator('output.clock').textContent();
  // While a link deep into a run catches up, there is no time to read yet.
  if (text.startsWith('catching up')) return null;
  const m = /t = ([0-9.]+) s/.exec(text);
  if (!m) throw new Error(`unexpected clock text: ${text}`);
  return Number(m[1]);
}

// Poll `probe` until it returns a truthy value, or fail naming `what`.
export async function until(what, probe, { timeout = 15_000, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Run axe-core on the page. Returns every violation; prints them all. The
// script is evaluated by the test, not added as a <script> element, so it
// runs under a page's strict Content-Security-Policy too.
export async function axeScan(page, label) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  for (const v of violations) {
    console.log(`axe [${label}] ${v.impact}: ${v.id} — ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      console.log(`    ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 8) console.log(`    … and ${v.nodes.length - 8} more`);
  }
  return violations;
}

// A diagram's labels are SVG text, scaled with the drawing. It is laid out
// narrow on a phone and in each cell of a comparison, so that its names
// come to about 12 px on the screen and its states to about 11.
export const MIN_DIAGRAM_TEXT_PX = 11;

// The labels of the page's diagrams drawn smaller than MIN_DIAGRAM_TEXT_PX
// on the screen (font size times the drawing's scale), as "text" and size.
export async function smallDiagramText(page) {
  await page.locator('.diagram text').first().waitFor();
  return page.locator('.diagram text').evaluateAll((texts, min) =>
    texts
      .map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a }))
      .filter((t) => t.px < min)
      .map((t) => `"${t.text}" ${t.px.toFixed(1)} px`),
  MIN_DIAGRAM_TEXT_PX);
}
