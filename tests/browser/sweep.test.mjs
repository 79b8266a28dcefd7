// Sweeps on an experiment page: the panel starts a sweep in a worker,
// shows progress while the page keeps animating, cancels, restarts and
// draws every point, with its table, theory where it holds, and the sweep
// in the link; a link with a sweep draws it on opening; a bad one says why.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, openPage, siteUnderTest, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
}

const status = (page) => page.locator('.sweep-status').textContent();

describe('sweeps', () => {
  test('start, watch, cancel, restart and read a sweep', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, 'load-balancing/index.html#/sim/lb-distribute?network_delay=0');
    await p.page.getByText('Sweep a parameter').click();
    const form = p.page.getByRole('form', { name: 'Sweep' });
    await form.getByLabel('Parameter').selectOption('arrival_rate');
    await form.getByLabel('From', { exact: true }).fill('80');
    await form.getByLabel('To', { exact: true }).fill('360');
    await form.getByLabel('Points').fill('8');
    await form.getByLabel('Seeds per point').fill('3');
    await form.getByLabel('p99 latency').check();
    await form.getByRole('button', { name: 'Run sweep' }).click();
    await until('progress shows', async () => /of 8 points/.test(await status(p.page)));
    // The page goes on while the worker sweeps.
    await p.page.getByRole('button', { name: 'Play' }).click();
    const before = await clock(p.page);
    await until('the run animates meanwhile', async () => (await clock(p.page)) > before + 0.2);
    await p.page.getByRole('button', { name: 'Pause' }).click();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await until('cancelled', async () => /^Cancelled after \d of 8 points/.test(await status(p.page)));
    assert.match(p.page.url(), /[?&]sweep=arrival_rate:80..360:8\b/);
    assert.match(p.page.url(), /sweep_metric=[^&]*p99%20latency/);
    // Again, to the end.
    await form.getByRole('button', { name: 'Run sweep again' }).click();
    await until('every point in', async () => /^8 points of \d+ runs each/.test(await status(p.page)), { timeout: 60_000 });
    const charts = p.page.locator('.sweep-chart');
    assert.equal(await charts.count(), 2, 'one chart per number drawn');
    // Round robin and random, a line each, every point drawn.
    const p99 = charts.filter({ hasText: 'p99 latency' });
    assert.equal(await p99.locator('path.series').count(), 2);
    assert.equal(await p99.locator('circle.dot').count(), 16);
    // Random routing over single-worker backends is M/M/1: theory is
    // drawn for it, and round robin says why it has none.
    assert.equal(await p99.locator('path.theory').count(), 1);
    const notes = await p.page.locator('.theory-notes').first().textContent();
    assert.match(notes, /algorithm=random: dashed line from M\/M\/c/);
    assert.match(notes, /algorithm=round_robin: no theory line, as it needs random routing/);
    await p99.getByText('as a table').click();
    const rows = p99.locator('table.sweep-table tbody tr');
    assert.equal(await rows.count(), 8);
    assert.equal(await rows.first().locator('th').textContent(), '80');
    // Round robin's mean ± interval, random's, then random's theory. At a
    // light load theory lies near random's mean: within three of its
    // half-widths (three seeds) and a tenth.
    const cells = await rows.first().locator('td').allTextContents();
    assert.equal(cells.length, 3, cells.join(' | '));
    const [mean, half] = cells[1].split(' ± ').map(Number);
    const theory = Number(cells[2]);
    assert.ok(Math.abs(mean - theory) <= 3 * half + 0.1 * theory, `random p99 ${cells[1]} vs theory ${theory}`);
    const download = p.page.waitForEvent('download');
    await p.page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await (await download).createReadStream();
    let text = '';
    for await (const chunk of csv) text += chunk;
    const lines = text.trim().split('\n');
    assert.match(lines[0], /^arrival_rate,line,.*p99 latency mean,p99 latency 95% half-width,p99 latency theory/);
    assert.equal(lines.length, 1 + 8 * 2, 'a row per point and line');
    await done(p);
  });

  test('a link with a sweep draws it on opening', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, 'caching/index.html#/sim/cache-eviction?sweep=capacity:200..2000:3&sweep_metric=hit%20ratio&sweep_seeds=2');
    await until('drawn', async () => /^3 points of/.test(await status(p.page)), { timeout: 60_000 });
    assert.notEqual(await p.page.locator('details.sweep-panel').getAttribute('open'), null, 'the panel is open');
    const chart = p.page.locator('.sweep-chart');
    assert.equal(await chart.count(), 1);
    // Every policy the preset compares is a line; more room, more hits.
    const lines = await chart.locator('path.series').count();
    assert.ok(lines >= 2, `${lines} lines`);
    await chart.getByText('as a table').click();
    const first = await chart.locator('tbody tr').first().locator('td').first().textContent();
    const last = await chart.locator('tbody tr').last().locator('td').first().textContent();
    assert.ok(parseFloat(last) > parseFloat(first), `hit ratio ${first} then ${last}`);
    await done(p);
  });

  test('a sweep that cannot run says what is wrong and what is allowed', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, 'load-balancing/index.html#/sim/lb-distribute?sweep=arrival_rate:1..99999:5&sweep_metric=p99%20latency');
    const banner = await p.page.locator('.problems').first().textContent();
    assert.match(banner, /The sweep in this link cannot run: arrival_rate=99999 is outside the range of arrival_rate, which must be a number from 0.1 to 20000/);
    // The form says so too, before anything runs.
    await p.page.getByText('Sweep a parameter').click();
    const form = p.page.getByRole('form', { name: 'Sweep' });
    await form.getByLabel('Points').fill('500');
    await form.getByRole('button', { name: 'Run sweep' }).click();
    assert.match(await p.page.locator('.sweep-panel .problems').textContent(), /500 points is not allowed: a sweep has from 2 to 200 points/);
    assert.equal(await p.page.locator('.sweep-status').count(), 0, 'nothing ran');
    await done(p);
  });
});
