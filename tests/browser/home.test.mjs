// End-to-end checks of the home page's mind-map and of the map editor, in
// Debian's Chromium, against the built site (target/site):
//
//   node --test tests/browser/
//
// Every page visited must log no console error, no uncaught exception and
// no failed request.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE, axeScan, openPage, siteUnderTest, until, visit } from './harness.mjs';

let base;
let browser;
siteUnderTest((site) => ({ base, browser } = site));

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'console errors, uncaught exceptions or failed requests');
}

const EDITOR = 'map/index.html';
const node = (page, label) => page.locator(`[role="treeitem"][aria-label="${label}"]`);
const nodeStartingWith = (page, text) => page.locator(`[role="treeitem"][aria-label^="${text}"]`);
const shownNodes = (page) => page.locator('[role="treeitem"]:not(.hidden)');

// The map's view as { x, y, scale }, from the CSS transform of the one
// element that moves.
async function view(page) {
  const t = await page.locator('.map-plane').evaluate((e) => e.style.transform);
  const m = /translate\(([-0-9.]+)px, ([-0-9.]+)px\) scale\(([-0-9.]+)\)/.exec(t);
  assert.ok(m, `a transform: ${t}`);
  return { x: Number(m[1]), y: Number(m[2]), scale: Number(m[3]) };
}

// The label of the element with the keyboard focus.
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('the home page mind-map', () => {
  test('draws the map as a tree whose leaves open experiments and book sections', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const tree = p.page.getByRole('tree', { name: 'Mind-map of the architecture patterns' });
    await tree.waitFor();
    assert.equal(await node(p.page, 'Architectures').getAttribute('aria-level'), '1');
    const branches = p.page.locator('[role="treeitem"][aria-level="2"]');
    assert.equal(await branches.count(), 6);
    assert.equal(await branches.first().getAttribute('aria-setsize'), '6');
    assert.equal(await branches.nth(5).getAttribute('aria-posinset'), '6');
    assert.equal(await p.page.locator('[role="treeitem"][tabindex="0"]').count(), 1, 'one node in the tab order');
    // Every preset listed below the map has a door on the map with both badges.
    const presets = await p.page.locator('ul.presets a').evaluateAll((as) =>
      as.map((a) => ({ id: a.getAttribute('href').replace(/^.*#\/sim\//, ''), leaf: a.querySelector('.claim').textContent.slice(1, -1) })),
    );
    assert.ok(presets.length >= 6);
    for (const { leaf } of presets) {
      const door = node(p.page, leaf.replace(/\s+/g, ' '));
      assert.equal(await door.count(), 1, `a node for "${leaf}"`);
      assert.match(await door.getAttribute('class'), /\bdoor runs\b/);
      assert.equal(await door.locator('.badge.run').count(), 1, `"${leaf}" has an experiment badge`);
      assert.equal(await door.locator('.badge.book').count(), 1, `"${leaf}" has a book badge`);
    }
    // Every leaf of the map has a model now, the last branch's too; the
    // nodes above the leaves are plain text.
    assert.match(await node(p.page, 'Distributed transactions (sagas and 2PC)').getAttribute('class'), /\bdoor runs\b/);
    assert.doesNotMatch(await node(p.page, 'Considerations').first().getAttribute('class'), /door/);
    await done(p);
  });

  test('every door to the book leads to a section that exists', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const doors = await p.page.locator('section.pattern').evaluateAll((sections) =>
      sections.flatMap((s) =>
        [...s.querySelectorAll('ul.presets a')].map((a) => ({
          pattern: s.querySelector('h3').id,
          preset: a.getAttribute('href').replace(/^.*#\/sim\//, ''),
        })),
      ),
    );
    for (const { pattern, preset } of doors) {
      const chapter = join(SITE, 'book', `${pattern}.html`);
      assert.ok(existsSync(chapter), `${chapter} exists`);
      assert.match(readFileSync(chapter, 'utf8'), new RegExp(`id="${preset}"`), `${pattern}.html has a section #${preset}`);
    }
    await done(p);
  });

  test('a link to an experiment in the book lands on its section\'s heading, not past it', async () => {
    const p = await fresh();
    await p.page.goto(`${base}book/caching.html#cache-stampede`);
    const target = p.page.locator('#cache-stampede');
    await target.waitFor();
    assert.match(await target.evaluate((e) => e.tagName), /^H[1-6]$/, 'the anchor is the heading');
    assert.match(await target.textContent(), /stampede/i);
    const top = await target.evaluate((e) => e.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 300, `the heading is at the top of the window (${top} px)`);
    // And the chapter leads back to the map.
    await p.page.getByRole('link', { name: '← The map' }).click();
    await p.page.getByRole('tree', { name: 'Mind-map of the architecture patterns' }).waitFor();
    await done(p);
  });

  test('each badge of a leaf opens what the legend says: the experiment or its book section', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const leaf = nodeStartingWith(p.page, 'Prevents any single server');
    await leaf.locator('.badge.book').click();
    await p.page.waitForURL(/\/book\/load-balancing\.html#lb-overload$/);
    await visit(p.page, base);
    await nodeStartingWith(p.page, 'Prevents any single server').locator('.badge.run').click();
    await p.page.waitForURL(/load-balancing\/index\.html#\/sim\/lb-overload/);
    await done(p);
  });

  test('a leaf of several experiments opens a chooser, by tap and by keyboard', async () => {
    const p = await fresh({ hasTouch: true });
    await visit(p.page, base);
    const leaf = nodeStartingWith(p.page, 'Operational complexity in managing a sharded');
    await leaf.waitFor();
    const chooser = p.page.getByRole('complementary', { name: 'Choose an experiment' });
    // A tap (no hover first) opens the chooser, not the first experiment.
    await leaf.locator('.badge.run').tap();
    await chooser.waitFor();
    assert.match(p.page.url(), /index\.html$|\/$/, 'the page stays on the map');
    const runs = chooser.getByRole('link', { name: 'Run the experiment' });
    assert.equal(await runs.count(), 3, 'one choice per experiment');
    assert.equal(await p.page.evaluate(() => document.activeElement?.textContent), 'Run the experiment', 'the focus is on the first choice');
    // Escape puts it away and gives the focus back to the leaf.
    await p.page.keyboard.press('Escape');
    await until('the chooser to close', async () => (await chooser.count()) === 0);
    assert.match(await focused(p.page), /^Operational complexity/);
    // Enter on the leaf opens it again; the third choice opens the third experiment.
    await p.page.keyboard.press('Enter');
    await chooser.waitFor();
    const third = await runs.nth(2).getAttribute('href');
    await runs.nth(2).tap();
    await p.page.waitForURL((u) => u.href.endsWith(third.replace(/^.*#/, '#')));
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    await done(p);
  });

  test('a click folds and unfolds a branch; Ctrl-click folds all of it', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const lb = node(p.page, 'Load Balancing');
    const leaf = nodeStartingWith(p.page, 'Prevents any single server');
    const all = await shownNodes(p.page).count();
    await lb.click();
    assert.equal(await lb.getAttribute('aria-expanded'), 'false');
    await until('the leaf to hide', async () => !(await leaf.isVisible()));
    assert.equal(await shownNodes(p.page).count(), all - 6, 'three leaves, and Considerations with its two');
    await lb.click();
    assert.equal(await lb.getAttribute('aria-expanded'), 'true');
    await until('the leaf to show', () => leaf.isVisible());

    const micro = node(p.page, 'Microservices Architecture');
    await micro.click({ modifiers: ['Control'] });
    assert.equal(await micro.getAttribute('aria-expanded'), 'false');
    await micro.click();
    const considerations = node(p.page, 'Considerations').first();
    assert.equal(await considerations.getAttribute('aria-expanded'), 'false', 'folded with its branch');
    await done(p);
  });

  test('the toolbar expands and collapses everything', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const all = await shownNodes(p.page).count();
    await p.page.getByRole('button', { name: 'Collapse all' }).click();
    await until('only the root and the branches', async () => (await shownNodes(p.page).count()) === 7);
    await p.page.getByRole('button', { name: 'Expand all' }).click();
    await until('every node', async () => (await shownNodes(p.page).count()) === all);
    await done(p);
  });

  test('search highlights the matches and unfolds their branches', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await p.page.getByRole('button', { name: 'Collapse all' }).click();
    const sticky = nodeStartingWith(p.page, 'Session affinity (sticky sessions)');
    await until('the leaf to hide', async () => !(await sticky.isVisible()));
    await p.page.getByRole('searchbox', { name: 'Search the map' }).fill('STICKY');
    await until('the leaf to show', () => sticky.isVisible());
    assert.match(await sticky.getAttribute('class'), /\bmatch\b/);
    assert.equal(await p.page.locator('[role="treeitem"].match').count(), 1);
    assert.equal(await p.page.locator('.found').textContent(), '1 match');
    await p.page.getByRole('searchbox', { name: 'Search the map' }).fill('scalab');
    assert.equal(await p.page.locator('.found').textContent(), '5 matches');
    await done(p);
  });

  test('search finds a leaf by the words of its experiments, and Enter goes to it', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await p.page.getByRole('button', { name: 'Collapse all' }).click();
    const search = p.page.getByRole('searchbox', { name: 'Search the map' });
    // No label on the map says "stampede"; an experiment's title does.
    await search.fill('stampede');
    const matches = p.page.locator('[role="treeitem"].match');
    await until('a match', async () => (await matches.count()) > 0);
    const labels = await matches.evaluateAll((ns) => ns.map((n) => n.getAttribute('aria-label')));
    assert.ok(labels.every((l) => !/stampede/i.test(l)), `found by the experiment, not the label: ${labels}`);
    assert.ok(await matches.first().isVisible(), 'the match is unfolded');
    await search.press('Enter');
    assert.equal(
      await p.page.locator('[role="treeitem"][tabindex="0"]').getAttribute('aria-label'),
      labels[0],
      'Enter makes the first match the node the keyboard goes to',
    );
    await done(p);
  });

  test('typing a letter in the tree moves to the next node that starts with it', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await p.page.locator('[role="treeitem"][tabindex="0"]').focus();
    await p.page.keyboard.press('d');
    const first = await focused(p.page);
    assert.match(first, /^D/, `a node starting with D: ${first}`);
    await p.page.keyboard.press('D');
    const second = await focused(p.page);
    assert.match(second, /^D/);
    assert.notEqual(second, first, 'the next one, not the same');
    await done(p);
  });

  test('a skip link takes the keyboard past the header to the map, leaving the address alone', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const address = p.page.url();
    await p.page.keyboard.press('Tab');
    assert.equal(await p.page.evaluate(() => document.activeElement.textContent), 'Skip to the map');
    assert.ok(await p.page.getByText('Skip to the map').isVisible(), 'shown when focused');
    await p.page.keyboard.press('Enter');
    assert.equal(await focused(p.page), 'Architectures');
    assert.equal(p.page.url(), address);
    await done(p);
  });

  test('the keyboard walks the tree, shows what to look for and opens an experiment', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await p.page.locator('[role="treeitem"][tabindex="0"]').focus();
    assert.equal(await focused(p.page), 'Architectures');
    // Down walks the nodes in reading order.
    for (let i = 0; i < 80 && !(await focused(p.page))?.startsWith('Prevents any single server'); i++) {
      await p.page.keyboard.press('ArrowDown');
    }
    assert.match(await focused(p.page), /^Prevents any single server/);
    const leaf = nodeStartingWith(p.page, 'Prevents any single server');
    assert.equal(await leaf.getAttribute('tabindex'), '0', 'the roving tab stop follows');
    const card = p.page.getByRole('complementary', { name: 'Where this leaf leads' });
    await card.waitFor();
    assert.match(await card.textContent(), /Three hundred requests a second swamp a single server/);
    assert.equal(await card.getByRole('link', { name: 'Read in the book' }).getAttribute('href'), 'book/load-balancing.html#lb-overload');
    // Left goes up to the branch, which Left then folds and Right unfolds.
    await p.page.keyboard.press('ArrowLeft');
    assert.equal(await focused(p.page), 'Load Balancing');
    await p.page.keyboard.press('ArrowLeft');
    assert.equal(await node(p.page, 'Load Balancing').getAttribute('aria-expanded'), 'false');
    await p.page.keyboard.press('Space');
    assert.equal(await node(p.page, 'Load Balancing').getAttribute('aria-expanded'), 'true');
    await p.page.keyboard.press('ArrowRight');
    await p.page.keyboard.press('ArrowDown');
    assert.match(await focused(p.page), /^Prevents any single server/);
    await p.page.keyboard.press('Enter');
    await p.page.getByRole('heading', { level: 1, name: 'One server versus a balanced fleet' }).waitFor();
    assert.match(p.page.url(), /#\/sim\/lb-overload$/);
    await done(p);
  });

  test('wheel, drag, keys and double-click zoom and pan without redrawing a node', async () => {
    const p = await fresh();
    await visit(p.page, base);
    const box = await p.page.locator('.map-stage').boundingBox();
    const fitted = await view(p.page);
    // Watch the nodes: panning and zooming must not touch them.
    await p.page.evaluate(() => {
      window.nodeMutations = 0;
      new MutationObserver((m) => (window.nodeMutations += m.length)).observe(document.querySelector('g.nodes'), {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    // An empty corner of the map, away from any node.
    const corner = { x: box.x + 12, y: box.y + box.height - 12 };
    await p.page.mouse.move(corner.x, corner.y);
    await p.page.mouse.wheel(0, -400);
    await until('a zoom in', async () => (await view(p.page)).scale > fitted.scale * 1.5);
    const zoomed = await view(p.page);
    await p.page.mouse.down();
    await p.page.mouse.move(corner.x + 120, corner.y - 60, { steps: 6 });
    await p.page.mouse.up();
    const panned = await view(p.page);
    assert.ok(Math.abs(panned.x - zoomed.x - 120) < 1 && Math.abs(panned.y - zoomed.y + 60) < 1, `panned by the drag: ${JSON.stringify([zoomed, panned])}`);
    assert.equal(panned.scale, zoomed.scale);
    await p.page.mouse.dblclick(corner.x, corner.y);
    await until('a double-click zoom', async () => Math.abs((await view(p.page)).scale - Math.min(8, zoomed.scale * 2)) < 1e-3);
    assert.equal(await p.page.evaluate(() => window.nodeMutations), 0, 'no node was redrawn');
    // 0 fits again; + and - zoom by steps.
    await p.page.locator('[role="treeitem"][tabindex="0"]').focus();
    await p.page.keyboard.press('0');
    await until('the fitted view', async () => JSON.stringify(await view(p.page)) === JSON.stringify(fitted));
    await p.page.keyboard.press('+');
    await until('a step in', async () => Math.abs((await view(p.page)).scale - fitted.scale * 1.25) < 1e-3);
    await p.page.getByRole('button', { name: 'Zoom out' }).click();
    await until('a step out', async () => Math.abs((await view(p.page)).scale - fitted.scale) < 1e-3);
    await p.page.getByRole('button', { name: 'Fit' }).click();
    await done(p);
  });

  test('two fingers pinch to zoom', async () => {
    const p = await fresh({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await visit(p.page, base);
    await p.page.locator('.map-stage').scrollIntoViewIfNeeded();
    const box = await p.page.locator('.map-stage').boundingBox();
    const before = await view(p.page);
    const cdp = await p.context.newCDPSession(p.page);
    // Above the map, which sits in the middle of the stage.
    const c = { x: box.x + box.width / 2, y: box.y + 60 };
    const touch = (type, spread) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: c.x - spread, y: c.y, id: 1 }, { x: c.x + spread, y: c.y, id: 2 }],
      });
    await touch('touchStart', 20);
    for (const spread of [25, 30, 40, 50]) await touch('touchMove', spread);
    await touch('touchEnd', 0);
    const after = await until('a pinch zoom', async () => {
      const v = await view(p.page);
      return v.scale !== before.scale && v;
    });
    assert.ok(Math.abs(after.scale / before.scale - 2.5) < 0.05, `fingers 2.5 times as far apart: ${before.scale} -> ${after.scale}`);
    await done(p);
  });

  test('folds animate for the map\'s duration, and not for people who prefer less motion', async () => {
    for (const [reducedMotion, expected] of [
      ['no-preference', '0.5s'],
      ['reduce', '0s'],
    ]) {
      const p = await fresh({ reducedMotion });
      await visit(p.page, base);
      const duration = await node(p.page, 'Load Balancing').evaluate((g) => getComputedStyle(g).transitionDuration);
      assert.equal(duration.split(',')[0].trim(), expected, reducedMotion);
      await done(p);
    }
  });

  test('exports the map as a standalone SVG and as a PNG', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await p.page.getByRole('button', { name: 'Collapse all' }).click();
    await node(p.page, 'Load Balancing').click();
    const [svgDownload] = await Promise.all([p.page.waitForEvent('download'), p.page.getByRole('button', { name: 'SVG' }).click()]);
    assert.equal(svgDownload.suggestedFilename(), 'architectures.svg');
    const svg = readFileSync(await svgDownload.path(), 'utf8');
    assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+" viewBox=/);
    assert.match(svg, /<title>Architectures<\/title>/);
    for (const text of ['Load Balancing', 'Prevents any single server from being overwhelmed.', 'Caching (Distributed Caching)']) {
      assert.ok(svg.includes(text), `the SVG shows "${text}"`);
    }
    assert.ok(!svg.includes('Requires robust message brokers'), 'folded branches stay folded');
    for (const absent of ['var(--', 'href', 'url(', 'class="hit"']) assert.ok(!svg.includes(absent), `no ${absent}`);
    await p.page.getByText('Saved architectures.svg').waitFor();
    const [pngDownload] = await Promise.all([p.page.waitForEvent('download'), p.page.getByRole('button', { name: 'PNG' }).click()]);
    assert.equal(pngDownload.suggestedFilename(), 'architectures.png');
    const png = readFileSync(await pngDownload.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const [svgWidth, svgHeight] = [/width="(\d+)"/.exec(svg)[1], /height="(\d+)"/.exec(svg)[1]].map(Number);
    assert.ok(Math.abs(width - 2 * svgWidth) <= 2 && Math.abs(height - 2 * svgHeight) <= 2, `twice the SVG: ${width}×${height}`);
    await done(p);
  });

  test('axe finds nothing serious with a leaf\'s card open', async () => {
    const p = await fresh();
    await visit(p.page, base);
    await nodeStartingWith(p.page, 'Improves availability').hover();
    await p.page.getByRole('complementary', { name: 'Where this leaf leads' }).waitFor();
    const serious = (await axeScan(p.page, 'home with a card')).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.impact}: ${v.id} (${v.nodes[0]?.target})`), []);
    await done(p);
  });
});

describe('the map editor', () => {
  test('starts from the site map, draws what is typed and shares it as a link', async () => {
    const p = await fresh();
    await visit(p.page, base, EDITOR);
    const source = p.page.getByRole('textbox', { name: 'Markmap markdown of the map' });
    assert.match(await source.inputValue(), /^---\ntitle: Architectures\n/);
    await node(p.page, 'Architectures').waitFor();
    const typed = '---\ntitle: Fruit salad\n---\n## Apples\n- **Cox** and `Braeburn`\n## Pears <!-- markmap: fold -->\n- Conference\n';
    await source.fill(typed);
    await node(p.page, 'Fruit salad').waitFor();
    assert.equal(await node(p.page, 'Cox and Braeburn').count(), 1);
    assert.equal(await node(p.page, 'Pears').getAttribute('aria-expanded'), 'false', 'the fold comment folds');
    assert.equal(await node(p.page, 'Conference').isVisible(), false);
    const link = p.page.url();
    assert.match(link, /\/map\/index\.html#[A-Za-z0-9_-]+$/);
    await done(p);

    // The link opens the same map, in a fresh browser.
    const q = await fresh();
    await visit(q.page, '', link);
    assert.equal(await q.page.getByRole('textbox', { name: 'Markmap markdown of the map' }).inputValue(), typed);
    await node(q.page, 'Fruit salad').waitFor();
    await node(q.page, 'Pears').click();
    await until('the fold to open', () => node(q.page, 'Conference').isVisible());
    await done(q);
  });

  test('a mistake is shown at its line, and the map keeps its last good version', async () => {
    const p = await fresh();
    await visit(p.page, base, EDITOR);
    const source = p.page.getByRole('textbox', { name: 'Markmap markdown of the map' });
    await source.fill('# Good map\n- leaf\n');
    await node(p.page, 'Good map').waitFor();
    await source.fill('---\nmarkmap:\n  maxWidth: wide\n---\n# Broken map\n');
    const problem = p.page.locator('.map-problems li.error');
    await problem.waitFor();
    assert.match(await problem.textContent(), /^Error on line 3: markmap\.maxWidth must be a number/);
    const lines = p.page.locator('.code-line');
    assert.match(await lines.nth(2).getAttribute('class'), /\berror\b/);
    assert.match(await lines.nth(2).getAttribute('title'), /maxWidth/);
    assert.doesNotMatch(await lines.nth(1).getAttribute('class'), /\berror\b/);
    assert.equal(await source.getAttribute('aria-invalid'), 'true');
    assert.equal(await node(p.page, 'Good map').count(), 1, 'the last map that could be read');
    // The line reference puts the caret on the line.
    await problem.getByRole('button').click();
    const caret = await source.evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
    assert.equal(caret, 3);
    // A warning is listed too, and the map is drawn.
    await source.fill('---\nmarkmap:\n  colour: red\n---\n# Fine map\n');
    await node(p.page, 'Fine map').waitFor();
    assert.match(await p.page.locator('.map-problems li.warning').textContent(), /^Warning on line 3: unknown option markmap\.colour/);
    await done(p);
  });

  test('a damaged link says so and opens the site map', async () => {
    for (const data of ['not+a+map', 'abcde', 'AAAA']) {
      const p = await fresh();
      await visit(p.page, base, `${EDITOR}#${data}`);
      const alert = p.page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /This map link could not be read: .+\. Showing archsim's own map instead\./);
      await node(p.page, 'Architectures').waitFor();
      await done(p);
    }
  });

  test('folds made on the map are kept in the link, and the link opens with them', async () => {
    const p = await fresh({ permissions: ['clipboard-read', 'clipboard-write'] });
    await visit(p.page, base, EDITOR);
    const source = p.page.getByRole('textbox', { name: 'Markmap markdown of the map' });
    const typed = '# Fruit\n## Apples\n- Cox\n## Pears <!-- markmap: fold -->\n- Conference\n';
    await source.fill(typed);
    await node(p.page, 'Fruit').waitFor();
    const hash = () => new URL(p.page.url()).hash;
    assert.match(hash(), /^#[A-Za-z0-9_-]+$/, 'a map as written has no fold part');
    // Fold Apples, unfold Pears (folded by its comment).
    await node(p.page, 'Apples').click();
    await until('Cox to hide', async () => !(await node(p.page, 'Cox').isVisible()));
    await node(p.page, 'Pears').click();
    await until('Conference to show', () => node(p.page, 'Conference').isVisible());
    await until('the folds in the link', () => /^#[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(hash()));
    const link = p.page.url();
    const folded = async (page) => {
      await node(page, 'Fruit').waitFor();
      assert.equal(await node(page, 'Apples').getAttribute('aria-expanded'), 'false');
      assert.equal(await node(page, 'Cox').isVisible(), false);
      assert.equal(await node(page, 'Pears').getAttribute('aria-expanded'), 'true');
      assert.equal(await node(page, 'Conference').isVisible(), true);
    };
    // The copied link, opened again: the same folds.
    await p.page.getByRole('button', { name: 'Copy link' }).click();
    const copied = await until('the link to be copied', () => p.page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(copied, link);
    await visit(p.page, '', copied);
    await folded(p.page);
    // And reloaded.
    await p.page.reload();
    await p.page.locator('main:not(.outline) h1').first().waitFor();
    assert.equal(p.page.url(), link);
    await folded(p.page);
    assert.equal(await p.page.getByRole('alert').count(), 0);
    // An edit starts the new map from its own folds, and the link says so.
    await source.fill(typed.replace('Cox', 'Cox and Gala'));
    await node(p.page, 'Cox and Gala').waitFor();
    assert.match(hash(), /^#[A-Za-z0-9_-]+$/);
    await done(p);

    // And in a fresh browser.
    const q = await fresh();
    await visit(q.page, '', link);
    assert.equal(await q.page.getByRole('textbox', { name: 'Markmap markdown of the map' }).inputValue(), typed);
    await folded(q.page);
    await done(q);
  });

  test('a link whose folds are damaged says so and opens its map as written', async () => {
    const p = await fresh();
    await visit(p.page, base, EDITOR);
    await p.page.getByRole('textbox', { name: 'Markmap markdown of the map' }).fill('# Fruit\n## Apples\n- Cox\n## Pears <!-- markmap: fold -->\n- Conference\n');
    await node(p.page, 'Fruit').waitFor();
    const data = new URL(p.page.url()).hash.slice(1);
    await done(p);
    // A character base64url lacks, and folds of more branches than the map has.
    for (const folds of ['A+', '_-']) {
      const q = await fresh();
      await visit(q.page, base, `${EDITOR}#${data}.${folds}`);
      const alert = q.page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /^This link's folds could not be read: .+\. Showing the map as written instead\.$/);
      await node(q.page, 'Fruit').waitFor();
      assert.equal(await node(q.page, 'Apples').getAttribute('aria-expanded'), 'true');
      assert.equal(await node(q.page, 'Pears').getAttribute('aria-expanded'), 'false', 'as its fold comment says');
      await done(q);
    }
  });

  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    test(`a long line wraps, and the gutter's numbers stay beside their lines (${viewport.width} px)`, async () => {
      const p = await fresh({ viewport });
      await visit(p.page, base, EDITOR);
      const source = p.page.getByRole('textbox', { name: 'Markmap markdown of the map' });
      const long = (n) => `- ${'a leaf that goes on and on '.repeat(n)}end`;
      // Taller than the editor, with lines that wrap over two, three and many rows.
      const lines = ['# Long lines', long(3), ...Array.from({ length: 30 }, (_, i) => `- leaf ${i}`), long(6), long(20), '- last'];
      await source.fill(lines.join('\n'));
      await node(p.page, 'Long lines').waitFor();
      const sizes = await source.evaluate((t) => ({
        scrollWidth: t.scrollWidth,
        clientWidth: t.clientWidth,
        scrollHeight: t.scrollHeight,
        clientHeight: t.clientHeight,
        gutter: document.querySelector('.code-backdrop').scrollHeight,
      }));
      assert.ok(sizes.scrollWidth <= sizes.clientWidth, `no horizontal scroll (${sizes.scrollWidth} > ${sizes.clientWidth})`);
      assert.ok(sizes.scrollHeight > sizes.clientHeight, 'the text is taller than the editor');
      // The gutter wraps each line where the textarea does: as tall in all.
      // (A line wrapped differently would be a whole row, 20 px, out.)
      assert.ok(Math.abs(sizes.gutter - sizes.scrollHeight) <= 1, `the gutter is as tall as the text (${sizes.gutter} vs ${sizes.scrollHeight})`);
      const rows = await p.page.locator('.code-line').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().height));
      assert.equal(rows.length, lines.length, 'one number per line');
      assert.ok(rows[1] > rows[0] && rows.at(-2) > rows[1], `a wrapped line's number row grows with it (${rows})`);
      // Scrolled to the end, the last number is beside the last line.
      await source.evaluate((t) => {
        t.scrollTop = t.scrollHeight;
        t.dispatchEvent(new Event('scroll'));
      });
      await until('the gutter to follow', () =>
        p.page.evaluate(() => document.querySelector('.code-backdrop').scrollTop === document.querySelector('textarea.code').scrollTop),
      );
      const [last, area] = await Promise.all([
        p.page.locator('.code-line').last().evaluate((l) => l.getBoundingClientRect().bottom),
        source.evaluate((t) => t.getBoundingClientRect().bottom - parseFloat(getComputedStyle(t).paddingBottom)),
      ]);
      assert.ok(Math.abs(last - area) <= 1, `the last line ends where the text does (${last} vs ${area})`);
      await done(p);
    });
  }

  test('a syntax guide opens beside the editor, closed at first so a phone keeps the editor in view', async () => {
    const p = await fresh({ viewport: { width: 390, height: 844 } });
    await visit(p.page, base, EDITOR);
    const guide = p.page.locator('details.syntax');
    const source = p.page.getByRole('textbox', { name: 'Markmap markdown of the map' });
    // Where an element is on the page, wherever the page is scrolled to.
    const place = (locator) =>
      locator.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top + scrollY, left: r.left, width: r.width, height: r.height };
      });
    assert.equal(await guide.evaluate((d) => d.open), false);
    const before = await place(source);
    const closed = await place(guide);
    assert.ok(closed.height < 40, `closed, the guide is one line (${closed.height} px)`);
    assert.ok(closed.top > before.top, 'below the editor, not above it');
    assert.equal(await guide.locator('summary').textContent(), 'Syntax (what Example draws)');
    await guide.locator('summary').click();
    assert.equal(await guide.evaluate((d) => d.open), true);
    const sample = guide.locator('pre');
    assert.ok(await sample.isVisible());
    const text = await sample.textContent();
    for (const syntax of ['## Headings make branches', '  - as they are indented', '<!-- markmap: fold -->', 'initialExpandLevel', '**Bold**', '![images](favicon.svg)', '- [ ] Checkboxes', '| a | b |', '```sh']) {
      assert.ok(text.includes(syntax), `the guide shows ${syntax}`);
    }
    // Open, it pushes nothing aside: the editor keeps its place and size,
    // and the page does not scroll sideways.
    assert.deepEqual(await place(source), before);
    assert.ok(await sample.evaluate((e) => e.scrollWidth <= e.clientWidth), 'its lines wrap, no sideways scroll');
    // It is the Example's source: the button draws it.
    await p.page.getByRole('button', { name: 'Example', exact: true }).click();
    assert.equal(await source.inputValue(), text);
    await node(p.page, 'My map').waitFor();
    assert.equal(await p.page.locator('.map-problems li').count(), 0, 'no error, no warning');
    // The keyboard closes it again.
    await guide.locator('summary').focus();
    await p.page.keyboard.press('Enter');
    assert.equal(await guide.evaluate((d) => d.open), false);
    await done(p);
  });

  test('a leaf of a map in the editor still opens its experiment', async () => {
    const p = await fresh();
    await visit(p.page, base, EDITOR);
    await p.page.getByRole('textbox', { name: 'Markmap markdown of the map' }).fill('# Mine\n## Load Balancing\n- Prevents any single server from being overwhelmed.\n');
    await nodeStartingWith(p.page, 'Prevents any single server').click();
    await p.page.getByRole('heading', { level: 1, name: 'One server versus a balanced fleet' }).waitFor();
    assert.match(p.page.url(), /\/index\.html#\/sim\/lb-overload$/);
    await done(p);
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe finds nothing serious in the editor (${scheme})`, async () => {
      const p = await fresh({ colorScheme: scheme });
      await visit(p.page, base, EDITOR);
      await p.page.getByRole('textbox', { name: 'Markmap markdown of the map' }).fill('---\nmarkmap:\n  maxWidth: wide\n---\n# Broken\n');
      await p.page.locator('.map-problems li.error').waitFor();
      const serious = (await axeScan(p.page, `editor, ${scheme}`)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(serious.map((v) => `${v.impact}: ${v.id} (${v.nodes[0]?.target})`), []);
      await done(p);
    });
  }
});

const fresh = (options) => openPage(browser, options);
