// The #/speed page measures every pattern's model in this browser.
//
// The figures themselves are the benchmark's business (speed-bench.mjs);
// this checks that the page runs every pattern to the end without freezing
// and shows a positive rate for each.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, siteUnderTest, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

test('the speed page measures every pattern and stays responsive', async () => {
  const { context, page, errors } = await openPage(browser);
  // Every pattern the site has: the home page lists each under its id.
  await visit(page, base);
  const site = await page.locator('section.pattern h3').evaluateAll((hs) => hs.map((h) => h.id));
  assert.ok(site.length >= 3, `the home page lists the patterns: ${site}`);
  await visit(page, base, 'speed/');
  await page.getByRole('heading', { level: 1, name: /How fast/ }).waitFor();
  await page.getByRole('button', { name: 'Measure' }).click();
  // The page answers script while it measures: the work is sliced.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await until(
    'every pattern to be measured',
    async () => /^Done/.test(await page.locator('.speed-status').textContent()),
    { timeout: 60_000 },
  );
  const rows = page.locator('table.speed tbody tr');
  const patterns = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.pattern));
  assert.deepEqual([...patterns].sort(), [...site].sort(), 'every pattern of the site is measured');
  for (const rate of await page.locator('td.requests-per-sec').allTextContents()) {
    assert.ok(Number(rate) > 0, `a positive rate: ${rate}`);
  }
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
});
