// The site under a strict host: served with the Content-Security-Policy
// below, every route renders, with no violation of the policy, no console
// error, and no axe violation of serious or critical impact (nor the
// heading-order one, in compare mode too).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeScan, openPage, siteUnderTest, visit } from './harness.mjs';

const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site), {
  headers: { 'content-security-policy': POLICY },
});

// Every route a visitor can open, and what shows it has rendered.
const ROUTES = [
  { name: 'the home page', route: '', ready: 'svg.map-canvas g.node' },
  { name: 'a load-balancing experiment', route: 'load-balancing/index.html#/sim/lb-health-checks', ready: 'svg.diagram' },
  { name: 'a caching experiment', route: 'caching/index.html#/sim/cache-performance', ready: 'svg.diagram' },
  { name: 'a sharding experiment, compared', route: 'sharding/index.html#/sim/shard-scale-out?compare=true', ready: '.diagrams.compare svg.diagram' },
  { name: 'load balancing compared', route: 'load-balancing/index.html#/sim/lb-server-load?compare=true', ready: '.diagrams.compare svg.diagram' },
  { name: 'a sweep, run in its worker', route: 'caching/index.html#/sim/cache-eviction?sweep=capacity:200..400:2&sweep_metric=hit%20ratio&sweep_seeds=1', ready: '.sweep-chart circle.dot' },
  { name: 'an embedded widget', route: 'caching/index.html#/embed/cache-race', ready: 'svg.diagram' },
  { name: 'the speed page', route: 'speed/index.html', ready: 'main h1' },
  { name: 'the map editor', route: 'map/index.html', ready: 'svg.map-canvas g.node' },
  { name: 'a book chapter', route: 'book/load-balancing.html', ready: 'main h1', book: true },
];

describe('under a strict Content-Security-Policy', () => {
  for (const { name, route, ready, book } of ROUTES) {
    test(`${name} renders with no violation`, async () => {
      const p = await openPage(browser);
      await p.context.addInitScript(() => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`),
        );
      });
      if (book) {
        await p.page.goto(`${base}${route}`);
      } else {
        await visit(p.page, base, route);
      }
      await p.page.locator(ready).first().waitFor();
      // The book's theme and sidebar come from its moved scripts.
      if (book) assert.ok(await p.page.evaluate(() => document.documentElement.classList.contains('js')));
      // A frame or two for the animation, the charts and any late styles.
      await p.page.waitForTimeout(300);
      const violations = await p.page.evaluate(() => window.cspViolations);
      assert.deepEqual(violations, [], 'Content-Security-Policy violations');
      const axe = await axeScan(p.page, name);
      assert.deepEqual(
        axe
          .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
          .map((v) => `${v.impact}: ${v.id} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`),
        [],
        'axe violations',
      );
      await p.context.close();
      assert.deepEqual(p.errors, [], 'console errors, uncaught exceptions or failed requests');
    });
  }

  test('the map plane still moves when panned (its transform is set through the CSSOM)', async () => {
    const p = await openPage(browser);
    await visit(p.page, base, '');
    const plane = p.page.locator('.map-plane');
    const before = await plane.evaluate((e) => e.style.transform);
    assert.ok(before.includes('matrix') || before.includes('translate'), `the plane has a transform: ${before}`);
    const box = await p.page.locator('.map-stage').boundingBox();
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 5 });
    await p.page.mouse.up();
    const after = await plane.evaluate((e) => e.style.transform);
    assert.notEqual(after, before, 'dragging moves the plane');
    await p.context.close();
    assert.deepEqual(p.errors, []);
  });
});
