// End-to-end checks of the caching, sharding, event-driven, CQRS, microservices and delivery experiment pages: the same
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

describe('event-driven', () => {
  test('a consumer killed by hand is written into the link, and a trace is drawn', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/eda-poison');
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    assert.ok(await p.page.locator('svg.diagram').first().isVisible(), 'the diagram is drawn');
    const single = p.page.getByRole('button', { name: 'Single run' });
    if (await single.isVisible()) await single.click();
    const play = p.page.getByRole('button', { name: 'Play' });
    if (await play.isVisible()) await play.click();
    await until('events handled', async () => number((await summary(p.page)).throughput) > 0);
    await until('one event traced end to end', async () => (await p.page.locator('svg.diagram g.trace').count()) > 0);
    await p.page.getByRole('button', { name: 'Pause' }).click();
    const consumer = () => p.page.getByRole('button', { name: /^Consumer 2 \(service 1\):/ }).first();
    await consumer().click();
    await p.page.getByRole('button', { name: 'Kill' }).click();
    await until('the fault in the link', async () => /faults=([^&]*,)?[0-9.]+(%3A|:)down(%3A|:)2(&|,|$)/.test(p.page.url()));
    await until('consumer 2 drawn down', async () => /^Consumer 2 \(service 1\): down/.test(await consumer().getAttribute('aria-label')));
    await axeScan(p.page, 'event-driven experiment');
    await done(p);
  });

  test('compared at 30 s, synchronous calls fail while events pile up in the log', async () => {
    const p = await openPage(browser);
    // Service 3 is dead from 20 s to 40 s.
    await visit(p.page, base, '#/sim/eda-decoupling?compare=true&t=30');
    await until('two diagrams', async () => (await p.page.locator('svg.diagram').count()) >= 2);
    const names = await p.page.locator('.variant h2').allTextContents();
    assert.match(names[0], /synchronous/i);
    assert.match(names[1], /events/i);
    await until('both caught up to 30 s', async () => {
      const [calls, events] = [await summary(p.page, 0), await summary(p.page, 1)];
      return number(calls['producer errors']) > 100 && number(events.backlog) > 100;
    });
    const events = await summary(p.page, 1);
    assert.equal(number(events['producer errors']), 0, 'publishing never fails');
    await done(p);
  });
});

describe('cqrs', () => {
  test('a read replica killed by hand moves its reads to the others, in the link', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/cqrs-scaling?read_replicas=2');
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    const single = p.page.getByRole('button', { name: 'Single run' });
    if (await single.isVisible()) await single.click();
    const play = p.page.getByRole('button', { name: 'Play' });
    if (await play.isVisible()) await play.click();
    await until('writes made', async () => number((await summary(p.page)).writes) > 0);
    await p.page.getByRole('button', { name: 'Pause' }).click();
    const replica = () => p.page.getByRole('button', { name: /^Read replica 1:/ }).first();
    await replica().click();
    await p.page.getByRole('button', { name: 'Kill' }).click();
    await until('the fault in the link', async () => /faults=([^&]*,)?[0-9.]+(%3A|:)down(%3A|:)1(&|,|$)/.test(p.page.url()));
    await until('replica 1 drawn down', async () => /^Read replica 1: down/.test(await replica().getAttribute('aria-label')));
    await axeScan(p.page, 'cqrs experiment');
    await done(p);
  });

  test('compared, only plain eventual consistency misses the writer\'s own write', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/cqrs-consistency?compare=true&t=20');
    await until('four diagrams', async () => (await p.page.locator('svg.diagram').count()) >= 4);
    await until('caught up to 20 s', async () => number((await summary(p.page, 0))['own writes missed']) > 10);
    for (const i of [1, 2, 3]) {
      assert.equal(number((await summary(p.page, i))['own writes missed']), 0, `variant ${i + 1} never misses`);
    }
    await done(p);
  });
});

describe('microservices', () => {
  test('a service killed by hand is written into the link, and the pages fall back', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/ms-timeouts?call_timeout=0.05&faults=');
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    const single = p.page.getByRole('button', { name: 'Single run' });
    if (await single.isVisible()) await single.click();
    const play = p.page.getByRole('button', { name: 'Play' });
    if (await play.isVisible()) await play.click();
    await until('pages asked for', async () => number((await summary(p.page)).requests) > 100);
    await p.page.getByRole('button', { name: 'Pause' }).click();
    const recommendations = () => p.page.getByRole('button', { name: /^Service 6 \(recommendations\):/ }).first();
    await recommendations().click();
    await p.page.getByRole('button', { name: 'Kill' }).click();
    await until('the fault in the link', async () => /faults=([^&]*,)?[0-9.]+(%3A|:)down(%3A|:)6(&|,|$)/.test(p.page.url()));
    await until('recommendations drawn down', async () => /^Service 6 \(recommendations\): down/.test(await recommendations().getAttribute('aria-label')));
    await p.page.getByRole('button', { name: 'Play' }).click();
    // Shares are measured after the warm-up (5 s): a dash before, and
    // nothing until the first checkout after it has ended.
    await until('pages served without recommendations, past the warm-up', async () => {
      const s = await summary(p.page);
      return number(s.degraded) > 0 && number(s['checkouts served']) > 0;
    });
    assert.equal(number((await summary(p.page))['checkouts served']), 100, 'checkout carries on');
    await axeScan(p.page, 'microservices experiment');
    await done(p);
  });

  test('compared at 30 s, the monolith is down with its faulty module and the services are not', async () => {
    const p = await openPage(browser);
    // Recommendations are down from 20 s to 40 s.
    await visit(p.page, base, '#/sim/ms-isolation?compare=true&t=30');
    await until('two diagrams', async () => (await p.page.locator('svg.diagram').count()) >= 2);
    const names = await p.page.locator('.variant h2').allTextContents();
    assert.match(names[0], /monolith/i);
    assert.match(names[1], /microservices/i);
    await until('caught up to 30 s', async () => number((await summary(p.page, 0)).success) < 85);
    assert.equal(number((await summary(p.page, 1)).success), 100, 'every page still served');
    await done(p);
  });
});

describe('delivery', () => {
  test('compared, the release train batches what services deploy one by one', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '#/sim/ms-release-train?compare=true&t=60');
    await until('two diagrams', async () => (await p.page.locator('svg.diagram').count()) >= 2);
    await until('caught up to day 60', async () => number((await summary(p.page, 1))['deploys per day']) > 10);
    assert.ok(number((await summary(p.page, 0))['deploys per day']) < 1, 'one train a week');
    await axeScan(p.page, 'delivery experiment');
    await done(p);
  });
});
