// The site in loads: links made before the split still land on the same
// experiment in the same state, each load opens on its own, the home page
// reads without JavaScript, and the book's embeds start only when seen.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE, openPage, siteUnderTest, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

async function done({ context, errors }, ignore = () => false) {
  await context.close();
  assert.deepEqual(
    errors.filter((e) => !ignore(e)),
    [],
    'console errors, uncaught exceptions or failed requests',
  );
}

// How many history entries a fresh page has after opening one address.
async function entriesAfterOneVisit() {
  const p = await openPage(browser);
  await p.page.goto(`${base}book/index.html`);
  const entries = await p.page.evaluate(() => history.length);
  await done(p);
  return entries;
}

// Links shared before the site had a page per pattern (everything lived at
// the root), and where each must land: the pattern's folder, the same
// fragment, and the state the link describes.
const OLD_LINKS = [
  {
    link: '#/sim/lb-overload?backends=2&seed=7',
    page: 'load-balancing/index.html',
    heading: 'One server versus a balanced fleet',
    seed: 'seed 7',
    param: ['backends', '2'],
  },
  {
    link: '#/sim/cache-stampede?ttl=0.00001&coalescing=single_flight',
    page: 'caching/index.html',
    heading: null,
    seed: null,
    param: ['coalescing', 'single_flight'],
  },
  {
    link: '#/sim/shard-resharding?strategy=consistent_hashing&seed=3&t=4',
    page: 'sharding/index.html',
    heading: null,
    seed: 'seed 3',
    param: ['strategy', 'consistent_hashing'],
  },
  {
    link: '#/sim/load-balancing?arrival_rate=333.3',
    page: 'load-balancing/index.html',
    heading: 'Load Balancing',
    seed: 'seed 1',
    param: ['arrival_rate', '333.3'],
  },
  {
    link: '#/embed/lb-health-checks?seed=5',
    page: 'load-balancing/index.html',
    heading: 'Routing around a dead backend',
    seed: 'seed 5',
    param: null,
  },
];

describe('loads', () => {
  for (const old of OLD_LINKS) {
    test(`an old link lands on its pattern's page: ${old.link}`, async () => {
      const p = await openPage(browser);
      await p.page.goto(`${base}${old.link}`);
      await until('the forward to the pattern page', () => p.page.url().startsWith(`${base}${old.page}#`));
      assert.equal(p.page.url(), `${base}${old.page}${old.link}`, 'the same fragment, query and all');
      await p.page.locator('main:not(.outline) h1').first().waitFor();
      if (old.heading) {
        assert.equal(await p.page.locator('main h1').first().textContent(), old.heading);
      }
      // location.replace: the old address left no entry to go Back to.
      assert.equal(await p.page.evaluate(() => history.length), await entriesAfterOneVisit());
      if (old.seed) assert.equal(await p.page.locator('.seed').textContent(), old.seed);
      if (old.param) {
        const [key, value] = old.param;
        const field = p.page.locator(`#param-${key}`);
        assert.equal(await field.inputValue(), value, `${key} as the link says`);
      }
      assert.equal(await p.page.locator('.problems').count(), 0, 'the link is understood whole');
      await done(p);
    });
  }

  test('each pattern page and the speed page open on their own', async () => {
    const p = await openPage(browser);
    for (const [folder, heading] of [
      ['load-balancing', 'Load Balancing'],
      ['caching', 'Distributed Caching'],
      ['sharding', 'Database Sharding'],
    ]) {
      await visit(p.page, `${base}${folder}/`);
      assert.equal(await p.page.locator('main h1').textContent(), heading);
      const first = p.page.locator('ul.presets a').first();
      const title = await first.locator('.title').textContent();
      await first.click();
      await p.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await p.page.locator('svg.diagram').first().waitFor();
    }
    await visit(p.page, `${base}speed/`);
    assert.equal(await p.page.locator('main h1').textContent(), 'How fast does this browser simulate?');
    await visit(p.page, base, '#/speed');
    assert.equal(p.page.url(), `${base}speed/index.html`, 'the old speed route forwards');
    await done(p);
  });

  test('the home page reads, and every link works, without JavaScript', async () => {
    const p = await openPage(browser, { javaScriptEnabled: false });
    await p.page.goto(base);
    const outline = p.page.getByRole('navigation', { name: 'Outline of the mind-map' });
    await outline.waitFor();
    assert.ok(await outline.getByText('Event-Driven Architecture').first().isVisible());
    const hrefs = await outline.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const experiments = hrefs.filter((h) => h.includes('#/sim/'));
    const sections = hrefs.filter((h) => h.startsWith('book/'));
    assert.ok(experiments.length >= 25, `every experiment is linked: ${experiments.length}`);
    assert.ok(sections.length >= experiments.length, 'and its section of the book');
    for (const href of new Set(hrefs.map((h) => h.split('#')[0]))) {
      const response = await p.page.request.get(`${base}${href}`);
      assert.equal(response.status(), 200, href);
    }
    // Each section link names an anchor the chapter has.
    for (const href of sections.filter((h) => h.includes('#'))) {
      const [file, anchor] = href.split('#');
      const html = readFileSync(join(SITE, file), 'utf8');
      assert.ok(html.includes(`id="${anchor}"`), `${href}: no such anchor`);
    }
    // Without JavaScript the browser refuses the app's script, as it should.
    await done(p, (e) => / \(csp\)$/.test(e) && /\.js /.test(e));
  });

  test('the interactive map replaces the outline once the wasm starts', async () => {
    const p = await openPage(browser);
    await visit(p.page, base);
    await p.page.getByRole('tree').first().waitFor();
    assert.equal(await p.page.locator('main.outline').count(), 0, 'the static outline is gone');
    await done(p);
  });

  test("a chapter's embedded experiments start only as they come into view", async () => {
    const p = await openPage(browser);
    await p.page.goto(`${base}book/caching.html`);
    const frames = p.page.locator('iframe.archsim-embed');
    const count = await frames.count();
    assert.ok(count >= 8, `the caching chapter embeds its experiments: ${count}`);
    await p.page.waitForTimeout(1500);
    const started = () =>
      p.page.frames().filter((f) => f !== p.page.mainFrame() && f.url().includes('#/embed/')).length;
    assert.ok(started() <= 3, `${started()} of ${count} experiments started on opening the chapter`);
    await frames.nth(count - 1).scrollIntoViewIfNeeded();
    await until('the last experiment to start once in view', () => started() >= 2);
    await done(p);
  });
});
