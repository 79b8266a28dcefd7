// End-to-end checks of the built site in Debian's Chromium.
//
//   npm ci --prefix tests/browser
//   node --test tests/browser/
//
// The site must be built first (target/site). Every page visited must log
// no console error, no uncaught exception and no failed request.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SITE,
  TEST_PAGES,
  axeScan,
  clock,
  openPage,
  siteUnderTest,
  smallDiagramText,
  summary,
  until,
  visit,
} from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

// A page in a fresh browser context; `done` checks its console.
const fresh = (options) => openPage(browser, options);

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
}

const number = (s) => Number(String(s).replace(/[^0-9.]/g, ''));

describe('playground', () => {
  test('home lists the experiments and opens one', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await assert.doesNotReject(p.page.getByRole('heading', { level: 1 }).waitFor());
    const links = p.page.locator('ul.presets a');
    assert.ok((await links.count()) >= 6, 'every preset is listed');
    await p.page.getByRole('link', { name: /Routing around a dead backend/ }).click();
    await p.page.getByRole('heading', { level: 1, name: 'Routing around a dead backend' }).waitFor();
    assert.match(p.page.url(), /#\/sim\/lb-health-checks$/);
    assert.ok(await p.page.locator('.look-for').isVisible(), 'what to look for is shown');
    await p.page.getByRole('button', { name: 'Play' }).click();
    await until('completed > 0', async () => number((await summary(p.page)).completed) > 0);
    await done(p);
  });

  test('an experiment opens with the focus on its heading, and Share copies its link', async () => {
    const p = await fresh({ permissions: ['clipboard-read', 'clipboard-write'] });
    await visit(p.page, base, '#/sim/lb-distribute?backends=3');
    const heading = p.page.getByRole('heading', { level: 1 });
    assert.equal(await heading.evaluate((h) => h === document.activeElement), true, 'the heading has the focus');
    assert.equal(await p.page.evaluate(() => scrollY), 0, 'the page starts at its top');
    await p.page.getByRole('button', { name: 'Share' }).click();
    const status = p.page.locator('.transport .copy-status');
    await until('the copy to be confirmed', async () => /^Link copied/.test(await status.textContent()));
    const copied = await p.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, p.page.url());
    assert.match(copied, /load-balancing\/index\.html#\/sim\/lb-distribute\?.*backends=3/);
    // A changed parameter makes a new link: the old confirmation goes.
    await p.page.locator('#param-backends').fill('4');
    await p.page.locator('#param-backends').dispatchEvent('change');
    await until('the confirmation to go', async () => (await status.textContent()) === '');
    await done(p);
  });

  test('Play makes the completed count rise, Pause stops it', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-distribute');
    assert.equal((await summary(p.page)).completed, '0');
    // Latencies measure nothing during the warm-up: a dash and a note, not
    // a zero; counts run from the start.
    assert.equal((await summary(p.page))['p99 latency'], '—');
    await p.page.getByText('Warming up: latencies and ratios measure from t = 5 s.').waitFor();
    const play = p.page.getByRole('button', { name: 'Play' });
    await play.click();
    const pause = p.page.getByRole('button', { name: 'Pause' });
    await pause.waitFor();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    const first = await until('completed > 0', async () => number((await summary(p.page)).completed));
    const later = await until('completed to keep rising', async () => {
      const c = number((await summary(p.page)).completed);
      return c > first && c;
    });
    assert.ok(later > first);
    await until('the warm-up to end and p99 latency to be measured', async () => number((await summary(p.page))['p99 latency']), { timeout: 25_000 });
    assert.equal(await p.page.getByText(/^Warming up/).count(), 0, 'the note goes once measuring starts');
    await pause.click();
    await play.waitFor();
    await p.page.waitForTimeout(400);
    const stopped = (await summary(p.page)).completed;
    const t = await clock(p.page);
    await p.page.waitForTimeout(400);
    assert.equal((await summary(p.page)).completed, stopped, 'paused: nothing more completes');
    assert.equal(await clock(p.page), t, 'paused: the clock stands still');
    await done(p);
  });

  test('a killed backend is marked unhealthy after the detection delay', async () => {
    const p = await fresh();
    // lb-distribute keeps the default health checks: every 1 s, unhealthy
    // after 2 failed checks.
    await visit(p.page, base, '#/sim/lb-distribute');
    const backend = p.page.locator('svg.diagram g.backend[aria-label^="Backend 2:"]').first();
    const label = () => backend.getAttribute('aria-label');
    await p.page.getByRole('button', { name: 'Play' }).click();
    await until('t >= 1 s', async () => (await clock(p.page)) >= 1);
    await p.page.getByRole('button', { name: 'Pause' }).click();

    await backend.click();
    const panel = p.page.getByRole('group', { name: 'Backend 2' });
    await panel.waitFor();
    assert.equal(await backend.getAttribute('aria-pressed'), 'true');
    await panel.getByRole('button', { name: 'Kill' }).click();
    const fault = await until('the fault in the link', async () => /faults=([0-9.]+):down:2/.exec(p.page.url()));
    const killedAt = Number(fault[1]);

    await p.page.getByRole('button', { name: 'Play' }).click();
    // First the backend is down while the balancer still believes it healthy...
    await until('backend 2 down, believed healthy', async () =>
      /^Backend 2: down\b.*balancer believes healthy/.test(await label()),
    );
    // ...until enough health checks have failed.
    const noticedAt = await until(
      'the balancer to believe backend 2 unhealthy',
      async () => (/balancer believes unhealthy/.test(await label()) ? clock(p.page) : 0),
      { timeout: 20_000, every: 25 },
    );
    await p.page.getByRole('button', { name: 'Pause' }).click();
    const delay = noticedAt - killedAt;
    assert.ok(delay >= 0.9 && delay <= 4, `detection delay ${delay.toFixed(2)} s: two failed checks 1 s apart`);
    assert.match(await label(), /^Backend 2: down\b.*balancer believes unhealthy/);
    await done(p);
  });

  test(
    'a backend killed while paused shows as down at once',
    async () => {
      const p = await fresh();
      // At t = 1.0006 s the kill is scheduled at 1.001 s when rounded.
      await visit(p.page, base, '#/sim/lb-distribute?t=1.0006');
      const backend = p.page.locator('svg.diagram g.backend[aria-label^="Backend 2:"]').first();
      await backend.click();
      await p.page.getByRole('group', { name: 'Backend 2' }).getByRole('button', { name: 'Kill' }).click();
      await until('the fault in the link', async () => /faults=[0-9.]+:down:2/.test(p.page.url()));
      await until('backend 2 shown down', async () => /^Backend 2: down\b/.test(await backend.getAttribute('aria-label')), {
        timeout: 2_000,
      });
      await done(p);
    },
  );

  test('a backend is chosen from the keyboard', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-health-checks');
    const backend = p.page.locator('svg.diagram g.backend').first();
    await backend.focus();
    assert.equal(await backend.evaluate((el) => el === document.activeElement), true, 'backends take focus');
    await p.page.keyboard.press('Enter');
    await p.page.getByRole('group', { name: 'Backend 1' }).getByRole('button', { name: 'Kill' }).waitFor();
    await done(p);
  });

  test('a link deep into a long run catches up without freezing the page', async () => {
    const p = await fresh();
    // 200 s at 20,000 requests a second: tens of millions of events.
    await visit(p.page, base, '#/sim/load-balancing?arrival_rate=20000&backends=100&workers=4&duration=200&warmup=10&t=200');
    const output = p.page.locator('output.clock');
    await until('the catching-up indicator', async () => /catching up: \d+% of the way to 200\.00 s/.test(await output.textContent()));
    // The page answers while the run catches up.
    const started = Date.now();
    await p.page.evaluate(() => 1);
    assert.ok(Date.now() - started < 1_000, `the page took ${Date.now() - started} ms to answer`);
    await until('caught up to t = 200 s', async () => (await clock(p.page)) === 200, { timeout: 120_000 });
    await done(p);
  });

  test('the timeline goes back past a fault, and the link keeps the moment', async () => {
    const p = await fresh();
    // Backend 2 is down from 20 s to 40 s.
    await visit(p.page, base, '#/sim/lb-health-checks?t=30');
    const backend = p.page.locator('svg.diagram g.backend[aria-label^="Backend 2:"]').first();
    await until('caught up to t = 30 s', async () => (await clock(p.page)) === 30);
    assert.match(await backend.getAttribute('aria-label'), /^Backend 2: down\b/);
    assert.ok(await p.page.getByRole('button', { name: 'Play' }).isVisible(), 'a link to a moment opens paused');
    const timeline = p.page.getByRole('slider', { name: 'Timeline' });
    assert.equal(await timeline.inputValue(), '30');
    // Back before the fault: the run starts again and stops there.
    await timeline.fill('12');
    await until('back at t = 12 s', async () => (await clock(p.page)) === 12);
    assert.match(await backend.getAttribute('aria-label'), /^Backend 2: up\b/);
    assert.match(p.page.url(), /[?&]t=12\b/);
    // Forward, by keyboard, past the fault again.
    await timeline.focus();
    for (let i = 0; i < 90; i++) await p.page.keyboard.press('ArrowRight');
    await until('at t = 21 s', async () => (await clock(p.page)) === 21);
    assert.match(await backend.getAttribute('aria-label'), /^Backend 2: down\b/);
    // Each moment the charts mark goes to its moment.
    const recovered = p.page.getByRole('button', { name: /^40 s: backend 2 back/ });
    await p.page.getByRole('slider', { name: 'Timeline' }).fill('60');
    await until('at the end', async () => (await clock(p.page)) === 60);
    await recovered.click();
    await until('back at t = 40 s', async () => (await clock(p.page)) === 40);
    assert.match(await backend.getAttribute('aria-label'), /^Backend 2: up\b/);
    await done(p);
  });

  test('a shared link shows the same numbers every time', async () => {
    const link = '#/sim/lb-health-checks?seed=5&t=30';
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const p = await fresh();
      await visit(p.page, base, link);
      await until('caught up to t = 30 s', async () => (await clock(p.page)) === 30);
      assert.equal(await p.page.locator('.seed').textContent(), 'seed 5');
      seen.push({
        summary: await summary(p.page),
        diagram: await p.page
          .locator('svg.diagram g.backend')
          .evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label'))),
        tables: await p.page.locator('section.charts table').evaluateAll((ts) => ts.map((t) => t.textContent)),
      });
      await done(p);
    }
    assert.ok(number(seen[0].summary.arrived) > 1000, `a real run: ${JSON.stringify(seen[0].summary)}`);
    assert.deepEqual(seen[1], seen[0]);
  });

  test(
    'a new link to the experiment already open is followed',
    async () => {
      const p = await fresh();
      await visit(p.page, base, '#/sim/lb-health-checks?seed=5');
      assert.equal(await p.page.locator('.seed').textContent(), 'seed 5');
      await p.page.evaluate(() => {
        location.hash = '#/sim/lb-health-checks?seed=6&backends=3';
      });
      await until('seed 6 to be shown', async () => (await p.page.locator('.seed').textContent()) === 'seed 6', {
        timeout: 3_000,
      });
      assert.equal(await p.page.locator('svg.diagram g.backend').count(), 3);
      await done(p);
    },
  );

  test('an experiment links to its section of the book, which opens at its heading', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-health-checks');
    const link = p.page.getByRole('link', { name: 'Read about it in the book' });
    assert.match(await link.getAttribute('href'), /book\/load-balancing\.html#lb-health-checks$/);
    await link.click();
    const heading = p.page.locator('#lb-health-checks');
    await heading.waitFor();
    assert.match(await heading.evaluate((e) => e.tagName), /^H[1-6]$/);
    await done(p);
  });

  test('the fault schedule is read back in words', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-health-checks?faults=40:recover:2,20:down:2');
    await p.page.getByText('That is: backend 2 down at 20 s; backend 2 back at 40 s.').waitFor();
    await done(p);
  });

  test('bad values in a link are named, with what is allowed', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-health-checks?backends=0&seed=abc&warmup=-3');
    const alert = p.page.locator('.problems[role="alert"]');
    await alert.waitFor();
    const said = await alert.textContent();
    for (const expected of [
      'backends=0 is not allowed: backends must be a whole number from 1 to 100',
      'seed=abc is not allowed: seed must be a whole number from 0 to',
      'warmup=-3 is not allowed',
    ]) {
      assert.ok(said.includes(expected), `${JSON.stringify(expected)} missing from: ${said}`);
    }
    // The page still works, with the preset's values.
    assert.equal(await p.page.locator('svg.diagram g.backend').count(), 4);
    assert.equal(await p.page.locator('.seed').textContent(), 'seed 13');
    await done(p);
  });

  test('unknown routes and presets say there is nothing here', async () => {
    for (const route of ['#/no/such/page', '#/sim/lb-nope']) {
      const p = await fresh();
      await visit(p.page, base, route);
      assert.equal(await p.page.locator('main h1').textContent(), 'Nothing here');
      await done(p);
    }
  });

  test('every experiment page opens without console errors', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const ids = await p.page
      .locator('ul.presets a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href').replace(/^.*#\/sim\//, '')));
    assert.ok(ids.length >= 6);
    for (const id of ids) {
      await visit(p.page, base, `#/sim/${id}`);
      await p.page.locator('svg.diagram').first().waitFor();
      // A moment of running too.
      await p.page.getByRole('button', { name: 'Play' }).click();
      await p.page.waitForTimeout(300);
      await p.page.getByRole('button', { name: 'Pause' }).click();
      const compare = p.page.getByRole('button', { name: 'Compare variants' });
      if (await compare.count()) {
        await compare.click();
        await p.page.locator('.diagrams.compare').waitFor();
      }
    }
    await done(p);
  });
});

describe('embedding', () => {
  test('the widget in an iframe reports its height to the page', async () => {
    const p = await fresh();
    await p.page.goto(`${base}${TEST_PAGES.slice(1)}embed.html?preset=lb-health-checks`);
    const heights = await until('a height message', () => p.page.evaluate(() => window.heights.length && window.heights));
    const { height, fromWidget } = heights[heights.length - 1];
    assert.equal(fromWidget, true, 'the message comes from the widget');
    const frame = p.page.frameLocator('#widget');
    await frame.getByRole('heading', { level: 1, name: 'Routing around a dead backend' }).waitFor();
    await frame.locator('svg.diagram').waitFor();
    assert.equal(await frame.locator('.site-header').count(), 0, 'no site chrome in the widget');
    const open = frame.getByRole('link', { name: /Open in playground/ });
    assert.match(await open.getAttribute('href'), /^#\/sim\/lb-health-checks/);
    const inner = await frame.locator('html').evaluate((el) => el.scrollHeight);
    assert.ok(height > 200, `a plausible height: ${height}`);
    assert.ok(Math.abs(inner - height) <= 2, `reported ${height}, the widget is ${inner} px tall`);
    await done(p);
  });

  test('the book embeds a live experiment', async () => {
    const book = join(SITE, 'book');
    assert.ok(existsSync(book), `${book} is absent: cargo xtask build builds the book into the site`);
    const pages = readdirSync(book, { recursive: true })
      .filter((f) => f.endsWith('.html'))
      .filter((f) => /<iframe[^>]+#\/embed\//.test(readFileSync(join(book, f), 'utf8')));
    assert.ok(pages.length > 0, `no page under ${book} embeds an experiment (an <iframe> with #/embed/)`);
    const chapter = pages.find((f) => /load-balancing/.test(f)) ?? pages[0];
    const p = await fresh();
    await p.page.goto(`${base}book/${chapter.split('\\').join('/')}`);
    const iframes = p.page.locator('iframe[src*="#/embed/"]');
    const count = await iframes.count();
    assert.ok(count > 0, `${chapter} has an embedded experiment`);
    for (let i = 0; i < count; i++) {
      const iframe = iframes.nth(i);
      // Embeds may load lazily: bring each into view.
      await iframe.scrollIntoViewIfNeeded();
      const src = await iframe.getAttribute('src');
      const frame = iframe.contentFrame();
      await frame.locator('main h1').waitFor();
      await frame.locator('svg.diagram').waitFor();
      assert.ok(
        (await frame.locator('svg.diagram g.backend').count()) > 0,
        `the experiment ${src} of ${chapter} shows its backends`,
      );
      assert.ok((await iframe.boundingBox()).height > 200, `the iframe of ${src} is tall enough to show it`);
    }
    await done(p);
  });
});

describe('accessibility and layout', () => {
  for (const [preset, variants] of [['lb-server-load', 6], ['cache-eviction', 4]]) {
    test(`the ${variants} diagrams of ${preset} compared are as readable as one`, async () => {
      const p = await fresh({ viewport: { width: 1280, height: 900 } });
      await visit(p.page, base, `#/sim/${preset}?compare=true`);
      await until('every variant to be drawn', async () => (await p.page.locator('.diagram').count()) === variants);
      assert.deepEqual(await smallDiagramText(p.page), [], 'diagram labels too small to read');
      // Each diagram keeps to about the width it was laid out for, even
      // in a last row of one.
      const widths = await p.page.locator('.diagram').evaluateAll((ds) => ds.map((d) => d.getBoundingClientRect().width));
      assert.ok(Math.max(...widths) < 1.5 * Math.min(...widths), `diagram widths ${widths.map(Math.round)}`);
      await done(p);
    });
  }

  test('a chart legend\'s swatches are small marks beside their labels', async () => {
    const p = await fresh();
    await visit(p.page, base, '#/sim/lb-health-checks');
    const swatches = p.page.locator('.legend .swatch');
    await swatches.first().waitFor();
    for (const box of await swatches.evaluateAll((ns) => ns.map((n) => n.getBoundingClientRect().toJSON()))) {
      assert.ok(box.width > 4 && box.width < 30 && box.height < 15, `a swatch of ${box.width} × ${box.height} px`);
    }
    await done(p);
  });

  test(
    'the site declares an icon, so no page logs a 404 for /favicon.ico',
    async () => {
      const p = await fresh();
      await visit(p.page, base);
      await p.page.waitForTimeout(500);
      assert.deepEqual(p.errors, []);
      assert.ok(await p.page.locator('link[rel~="icon"]').count(), 'a <link rel="icon"> in the head');
      await done(p);
    },
  );

  test(
    'backend buttons are named by their visible text too',
    async () => {
      const p = await fresh();
      await visit(p.page, base, '#/sim/lb-health-checks');
      await p.page.locator('svg.diagram').waitFor();
      const violations = await axeScan(p.page, 'label in name');
      assert.deepEqual(
        violations.filter((v) => v.id === 'label-content-name-mismatch').map((v) => v.nodes.map((n) => n.target)),
        [],
      );
      await done(p);
    },
  );

  for (const scheme of ['light', 'dark']) {
    for (const [name, route] of [
      ['home', ''],
      ['an experiment', '#/sim/lb-health-checks'],
    ]) {
      test(`axe finds nothing serious on ${name} (${scheme})`, async () => {
        const p = await fresh({ colorScheme: scheme });
        await visit(p.page, base, route);
        if (route) await p.page.locator('svg.diagram').waitFor();
        const violations = await axeScan(p.page, `${name}, ${scheme}`);
        const serious = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(
          serious.map((v) => `${v.impact}: ${v.id} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`),
          [],
        );
        await done(p);
      });
    }
  }

  for (const [name, route, compare] of [
    ['an experiment', '#/sim/lb-health-checks', false],
    ['the home page', '', false],
    ['the map editor', 'map/index.html', false],
    ['six variants compared', '#/sim/lb-server-load', true],
  ]) {
    test(`${name} fits a phone without sideways scrolling`, async () => {
      const p = await fresh({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      await visit(p.page, base, route);
      if (compare) {
        await p.page.getByRole('button', { name: 'Compare variants' }).click();
        await p.page.locator('.diagrams.compare').waitFor();
      }
      const { scrollWidth, culprits } = await p.page.evaluate(() => ({
        scrollWidth: document.scrollingElement.scrollWidth,
        culprits: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 376)
          .slice(0, 10)
          .map((e) => {
            const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
            return `${e.tagName.toLowerCase()}${cls} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`;
          }),
      }));
      assert.ok(scrollWidth <= 375, `the page is ${scrollWidth} px wide on a 375 px phone; too wide: ${culprits.join(', ')}`);
      await done(p);
    });
  }
});
