// End-to-end checks of the caching and sharding experiment pages: the same
// playground as load balancing (diagram, controls, live charts, compare
// mode, URL state, faults by hand, accessibility), driven through one
// preset of each.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeScan, openPage, siteUnderTest, summary, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
}

const number = (s) => Number(String(s).replace(/[^0-9.]/g, ''));

describe('caching', () => {
  test('a run fills the cache, and killing a node is written into the link', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/cache-node-loss');
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    assert.ok(await p.page.locator('.look-for').isVisible(), 'what to look for is shown');
    assert.ok(await p.page.locator('svg.diagram').first().isVisible(), 'the diagram is drawn');
    await p.page.getByRole('button', { name: 'Play' }).click();
    await until('a hit ratio above zero', async () => number((await summary(p.page))['hit ratio']) > 0);
    await p.page.getByRole('button', { name: 'Pause' }).click();
    await p.page.getByRole('button', { name: /^Cache node 1:/ }).first().click();
    await p.page.getByRole('button', { name: 'Kill' }).click();
    await until('the fault in the link', async () => /faults=([^&]*,)?[0-9.]+(%3A|:)down(%3A|:)1(&|,|$)/.test(p.page.url()));
    await until('node 1 drawn down', async () =>
      /^Cache node 1: down/.test(
        await p.page.getByRole('button', { name: /^Cache node 1:/ }).first().getAttribute('aria-label'),
      ),
    );
    await axeScan(p.page, 'caching experiment');
    await done(p);
  });
});

describe('sharding', () => {
  test('compare mode runs the variants side by side on one link', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/shard-scatter-gather');
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    const compare = p.page.getByRole('button', { name: /Compare variants|Single run/ });
    const single = (await compare.textContent()) === 'Compare variants';
    if (single) await compare.click();
    await until('two diagrams', async () => (await p.page.locator('svg.diagram').count()) >= 2);
    assert.match(p.page.url(), /compare=(1|true)/);
    // Each variant is named as a reader says it, by the parameter's label.
    const names = await p.page.locator('.variant h2').allTextContents();
    assert.ok(names.length >= 2 && names.every((n) => /^[A-Z][^=_]*: /.test(n)), `variant names: ${names}`);
    // A comparison asked for starts at once.
    if (single) await p.page.getByRole('button', { name: 'Pause' }).waitFor();
    else await p.page.getByRole('button', { name: 'Play' }).click();
    await until('queries completed in both variants', async () => {
      const [a, b] = [await summary(p.page, 0), await summary(p.page, 1)];
      return number(a.completed) > 0 && number(b.completed) > 0;
    });
    assert.ok((await p.page.locator('section.charts svg').count()) >= 1, 'charts are drawn');
    // The link replays the comparison.
    const again = await openPage(browser);
    await visit(again.page, base, p.page.url().slice(p.page.url().indexOf('#')));
    await until('two diagrams again', async () => (await again.page.locator('svg.diagram').count()) >= 2);
    await axeScan(p.page, 'sharding experiment');
    await done(again);
    await done(p);
  });
});
