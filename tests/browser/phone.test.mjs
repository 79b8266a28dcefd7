// A phone (390 × 844, touch): the home map opens readable and one branch
// at a time, its leaves big enough for a finger; each pattern's experiment
// keeps its controls to one row and puts a node's actions at the bottom of
// the screen, next to the tap. Screenshots of each go to
// target/browser-shots/ for a person to look at.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, siteUnderTest, smallDiagramText, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// The smallest text a phone reader is asked to read, and the smallest
// target a finger is asked to hit (WCAG 2.5.5's 44 CSS px).
const MIN_TEXT_PX = 12;
const MIN_TARGET_PX = 44;
const SHOTS = join(import.meta.dirname, '..', '..', 'target', 'browser-shots');

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
}

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

// Every shown node's label as the screen draws it: its text's size in CSS
// pixels (font size times the zoom of the map), its text's left and right,
// its box's top and bottom, and its name.
const shownLabels = (page) =>
  page.locator('[role="treeitem"]:not(.hidden)').evaluateAll((nodes) =>
    nodes.map((n) => {
      const text = n.querySelector('text');
      const px = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
      const r = text.getBoundingClientRect();
      const box = n.querySelector('.hit').getBoundingClientRect();
      return {
        name: n.getAttribute('aria-label'), px, level: n.getAttribute('aria-level'),
        left: r.left, right: r.right, top: box.top, bottom: box.bottom,
      };
    }),
  );

describe('on a phone', () => {
  test('the home map opens readable, one branch at a time, with targets a finger can hit', async () => {
    const p = await openPage(browser, PHONE);
    await visit(p.page, base);
    await p.page.locator('[role="treeitem"][aria-level="2"]').first().waitFor();
    await p.page.waitForTimeout(700); // the first fit's transition
    const labels = await shownLabels(p.page);
    assert.equal(labels.filter((l) => l.level === '2').length, 6, 'it opens at its six branches');
    for (const l of labels) {
      assert.ok(l.px >= MIN_TEXT_PX - 0.05, `"${l.name}" is drawn ${l.px.toFixed(1)} px high; at least ${MIN_TEXT_PX} px`);
      assert.ok(l.left >= 0 && l.right <= 390, `"${l.name}" is on screen (${l.left.toFixed(0)}–${l.right.toFixed(0)} px)`);
    }
    await shot(p.page, 'phone-home');

    // Tapping a branch opens all of it, alone: its leaves readable and on
    // screen.
    const branch = (name) => p.page.locator(`[role="treeitem"][aria-level="2"][aria-label^="${name}"]`);
    await branch('Load Balancing').tap();
    await until('its leaves', async () => (await branch('Load Balancing').getAttribute('aria-expanded')) === 'true');
    await p.page.waitForTimeout(700);
    const leaves = (await shownLabels(p.page)).filter((l) => Number(l.level) >= 3);
    assert.ok(leaves.length >= 5, `the branch's leaves are shown (${leaves.length})`);
    for (const l of leaves) {
      assert.ok(l.px >= MIN_TEXT_PX - 0.05, `"${l.name}" is drawn ${l.px.toFixed(1)} px high`);
      assert.ok(l.right <= 390, `"${l.name}" is cut off at the right edge (${l.right.toFixed(0)} px)`);
    }
    // A finger's target: 21 px above and below the middle of a leaf's box
    // (a one-line leaf's is half that high) still lands on it.
    await shot(p.page, 'phone-home-branch');
    const reachable = leaves.filter((l) => l.top > MIN_TARGET_PX && l.bottom < 844 - MIN_TARGET_PX);
    assert.ok(reachable.length >= 3, `leaves on screen to tap (${reachable.length})`);
    for (const l of reachable) {
      const x = (l.left + l.right) / 2;
      const y = (l.top + l.bottom) / 2;
      for (const dy of [-(MIN_TARGET_PX / 2 - 1), MIN_TARGET_PX / 2 - 1]) {
        const hit = await p.page.evaluate(
          ([x, y]) => document.elementFromPoint(x, y)?.closest('[role="treeitem"]')?.getAttribute('aria-label') ?? null,
          [x, y + dy],
        );
        assert.equal(hit, l.name, `a tap ${dy} px from the middle of "${l.name}" lands on it`);
      }
    }
    // (The other branch is off screen now: a click event, not a tap.)
    await branch('Caching').dispatchEvent('click');
    await until('the first branch to fold', async () => (await branch('Load Balancing').getAttribute('aria-expanded')) === 'false');
    await done(p);
  });

  for (const [pattern, route, node] of [
    ['load balancing', '#/sim/lb-health-checks', 'Backend 2'],
    ['caching', '#/sim/cache-node-loss', 'Cache node 2'],
    ['sharding', '#/sim/shard-failover', 'Shard 2'],
  ]) {
    test(`the ${pattern} experiment keeps its controls to a row and a node's actions at the tap`, async () => {
      const p = await openPage(browser, PHONE);
      await visit(p.page, base, route);
      const transport = p.page.getByRole('toolbar', { name: 'Playback' });
      const row = await transport.evaluate((t) => ({ height: t.getBoundingClientRect().height, button: t.querySelector('button').getBoundingClientRect().height }));
      assert.ok(row.height < row.button * 1.9, `the controls take one row (${row.height} px for ${row.button} px buttons)`);
      // The text around the diagram is readable.
      const small = await p.page.locator('.summary dt, .summary dd, .diagram-key li').evaluateAll((els) =>
        els.filter((e) => parseFloat(getComputedStyle(e).fontSize) < 12).map((e) => e.textContent),
      );
      assert.deepEqual(small, [], `text under ${MIN_TEXT_PX} px`);
      assert.deepEqual(await smallDiagramText(p.page), [], 'diagram labels too small to read');
      await shot(p.page, `phone-${pattern.replace(' ', '-')}`);
      // Tap a node: its actions appear on screen, at the bottom, no scrolling.
      await p.page.locator(`.diagram [role="button"][aria-label^="${node}:"]`).tap();
      const panel = p.page.getByRole('group', { name: node, exact: true });
      await panel.waitFor();
      const box = await panel.evaluate((e) => e.getBoundingClientRect().toJSON());
      assert.ok(box.top >= 0 && box.bottom <= 844 + 0.5 && box.bottom > 844 - 4, `the actions sit at the bottom of the screen: ${JSON.stringify(box)}`);
      await shot(p.page, `phone-${pattern.replace(' ', '-')}-actions`);
      await panel.getByRole('button', { name: 'Close' }).tap();
      await until('the actions to close', async () => (await panel.count()) === 0);
      await done(p);
    });
  }

  test('compared variants each get a diagram as readable as a single run', async () => {
    const p = await openPage(browser, PHONE);
    await visit(p.page, base, '#/sim/lb-server-load?compare=true');
    await until('the variants to be drawn', async () => (await p.page.locator('.diagram').count()) > 1);
    assert.deepEqual(await smallDiagramText(p.page), [], 'diagram labels too small to read');
    await shot(p.page, 'phone-load-balancing-compare');
    await done(p);
  });
});
