// Simulated requests per second of every pattern's model in WebAssembly —
// the browser half of the figure `cargo xtask bench` prints beside the
// native one (crates/patterns/benches/models.rs).
//
// Opens the playground's #/speed page, presses Measure and reads its table:
// each pattern at its default parameters, run to the end in slices between
// animation frames and timed there with performance.now(). A benchmark, not
// a test: it prints figures and fails only if it cannot run.
//
// Run from the repository root after the site build: node tests/browser/speed-bench.mjs

import { launchBrowser, openPage, serveSite, until, visit } from './harness.mjs';

const { server, base } = await serveSite();
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser);
  await visit(page, base, '#/speed');
  await page.getByRole('button', { name: 'Measure' }).click();
  await until(
    'every pattern to be measured',
    async () => /^Done/.test(await page.locator('.speed-status').textContent()),
    { timeout: 120_000 },
  );
  for (const row of await page.locator('table.speed tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    const [requests, events, seconds, requestsPerSec, eventsPerSec] = cells;
    console.log(
      `archsim-model-wasm ${await row.getAttribute('data-pattern')} requests=${requests} events=${events} ` +
        `seconds=${seconds} requests_per_sec=${requestsPerSec} events_per_sec=${eventsPerSec}`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
