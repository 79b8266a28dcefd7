// Main-thread work per animation frame of the playground — the figures
// `cargo xtask bench` prints beside the kernel's events per second.
//
// Two pages. The load-balancing page plays at 1x with 1,000 requests per
// simulated second over 20 backends: Chrome's own task accounting (DevTools
// Performance.getMetrics: TaskDuration) over five seconds, divided by the
// frames drawn, is the work each frame costs. A generated mind-map of 1,001
// nodes, opened in the map editor through its link, is panned by a dragging
// mouse and zoomed by a wheel, one input and one frame at a time: the task
// time per round is the work of a frame that moves the map. The same rounds
// without input ("idle") show what the measuring itself costs. Beside each
// figure, the main thread's CPU time per frame (ThreadTime): task time
// counts the moments another process held the core, CPU time does not, so
// on a shared machine the second is the steadier of the two. Each map
// figure is followed by its parts: script, style and layout as Chrome counts
// them, and the rest (paint, layerizing, the commit to the compositor, input
// routing). Then the sweep of issue 12's figure — lb-server-load, arrival
// rate over 40 points, three algorithms, five seeds — run by the page's
// worker while the page plays: the worker's wall time, and the main
// thread's work per frame before and during the sweep. Last, seeking: a
// link to the end of a default run, and the timeline dragged back to its
// middle, in milliseconds until the page shows that moment. A benchmark,
// not a test: it prints figures and fails only if it cannot run.
//
// Run from the repository root after the site build: node tests/browser/frame-bench.mjs

import { deflateRawSync } from 'node:zlib';
import { launchBrowser, openPage, serveSite, until, visit } from './harness.mjs';

const ROUTE =
  '#/sim/load-balancing?backends=20&arrival_rate=1000&service_rate=60&duration=600&warmup=10';
const MEASURE_MS = 5_000;
const MAP_MEASURE_MS = 3_000;

// A root, 10 branches of 9 topics of 10 leaves: 1,001 nodes.
function thousandNodeMap() {
  const lines = ['# A thousand nodes'];
  for (let b = 1; b <= 10; b++) {
    lines.push(`## Branch ${b}`);
    for (let t = 1; t <= 9; t++) {
      lines.push(`- Topic ${b}.${t}: what this part of the map is about`);
      for (let l = 1; l <= 10; l++) lines.push(`  - Leaf ${b}.${t}.${l} with **a few** words`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// The map editor's link to `markdown`: raw deflate, then base64url (web/src/share_map.rs).
const mapLink = (markdown) => `map/index.html#${deflateRawSync(Buffer.from(markdown)).toString('base64url')}`;

// Chrome's task accounting split into the parts it names; the rest of a
// task is the frame's rendering after style and layout (paint, layerizing,
// the commit to the compositor), input routing and the like.
const PARTS = { script: 'ScriptDuration', style: 'RecalcStyleDuration', layout: 'LayoutDuration' };

// Main-thread milliseconds per frame while `drive(i)` sends one input per
// frame: each round sends the input, then waits for the next frame.
async function perFrame(context, page, ms, drive) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const seconds = async () => {
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const value = (name) => metrics.find((m) => m.name === name).value;
    return { task: value('TaskDuration'), cpu: value('ThreadTime'), ...Object.fromEntries(Object.entries(PARTS).map(([k, m]) => [k, value(m)])) };
  };
  const before = await seconds();
  const started = Date.now();
  let frames = 0;
  for (; Date.now() - started < ms; frames++) {
    await drive(frames);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  const after = await seconds();
  const elapsed = (Date.now() - started) / 1000;
  const perFrameMs = (k) => ((after[k] - before[k]) * 1000) / frames;
  const parts = Object.fromEntries(Object.keys(PARTS).map((k) => [k, perFrameMs(k)]));
  parts.rest = perFrameMs('task') - parts.script - parts.style - parts.layout;
  return { frames, fps: frames / elapsed, msPerFrame: perFrameMs('task'), cpuMsPerFrame: perFrameMs('cpu'), parts };
}

const { server, base } = await serveSite();
const browser = await launchBrowser();
try {
  const { context, page } = await openPage(browser);
  await visit(page, base, ROUTE);
  await page.locator('svg.diagram').waitFor();
  await page.getByRole('button', { name: 'Play' }).click();
  // Let the run and the JIT settle before measuring.
  await page.waitForTimeout(1_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const value = (name) => metrics.find((m) => m.name === name).value;
    return { task: value('TaskDuration'), cpu: value('ThreadTime') };
  };
  await page.evaluate(() => {
    window.__frames = 0;
    const count = () => {
      window.__frames += 1;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
  });
  const before = await taskSeconds();
  await page.waitForTimeout(MEASURE_MS);
  const after = await taskSeconds();
  const frames = await page.evaluate(() => window.__frames);
  await until('the clock to move', async () => !/t = 0\.00 s/.test(await page.locator('output.clock').textContent()));
  const msPerFrame = ((after.task - before.task) * 1000) / frames;
  const cpuMsPerFrame = ((after.cpu - before.cpu) * 1000) / frames;
  const fps = frames / (MEASURE_MS / 1000);
  console.log(
    `browser lb-page backends=20 arrival_rate=1000 speed=1x frames=${frames} fps=${fps.toFixed(1)} ` +
      `main_thread_ms_per_frame=${msPerFrame.toFixed(2)} main_thread_cpu_ms_per_frame=${cpuMsPerFrame.toFixed(2)}`,
  );

  // The 1,000-node mind-map, panned and zoomed.
  const map = await openPage(browser);
  await visit(map.page, base, mapLink(thousandNodeMap()));
  const nodes = await until('the map drawn', async () => map.page.locator('[role="treeitem"]').count());
  const box = await map.page.locator('.map-stage').boundingBox();
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await map.page.mouse.move(centre.x, centre.y);
  // The same loop with no input: what the measuring itself costs.
  const idle = await perFrame(map.context, map.page, MAP_MEASURE_MS, () => Promise.resolve());
  await map.page.mouse.down();
  // Back and forth, so the map stays on screen.
  const pan = await perFrame(map.context, map.page, MAP_MEASURE_MS, (i) =>
    map.page.mouse.move(centre.x + 60 * Math.sin(i / 8), centre.y + 40 * Math.cos(i / 8)),
  );
  await map.page.mouse.up();
  const zoom = await perFrame(map.context, map.page, MAP_MEASURE_MS, (i) =>
    map.page.mouse.wheel(0, Math.sin(i / 6) > 0 ? -40 : 40),
  );
  for (const [what, m] of [
    ['idle', idle],
    ['pan', pan],
    ['zoom', zoom],
  ]) {
    console.log(
      `browser mindmap nodes=${nodes} ${what.padEnd(4)}: frames=${m.frames} fps=${m.fps.toFixed(1)} ` +
        `main_thread_ms_per_frame=${m.msPerFrame.toFixed(2)} main_thread_cpu_ms_per_frame=${m.cpuMsPerFrame.toFixed(2)}`,
    );
    // Where that time went, on a line of its own.
    const parts = Object.entries(m.parts).map(([k, v]) => `${k}_ms=${v.toFixed(2)}`);
    console.log(`browser mindmap nodes=${nodes} ${what.padEnd(4)} parts: ${parts.join(' ')}`);
  }

  // A sweep in the worker while the page plays.
  const SWEEP_ROUTE =
    'load-balancing/index.html#/sim/lb-server-load?vary=algorithm:round_robin,least_connections,power_of_two' +
    '&sweep=arrival_rate:40..760:40&sweep_metric=p99%20latency&sweep_seeds=5';
  const sweep = await openPage(browser);
  await visit(sweep.page, base, 'load-balancing/index.html#/sim/lb-server-load');
  await sweep.page.getByRole('button', { name: 'Play' }).click();
  await sweep.page.waitForTimeout(1_000);
  const alone = await perFrame(sweep.context, sweep.page, 3_000, () => Promise.resolve());
  await visit(sweep.page, base, SWEEP_ROUTE);
  await sweep.page.getByRole('button', { name: 'Play' }).click();
  await sweep.page.locator('.sweep-status progress').waitFor();
  const during = await perFrame(sweep.context, sweep.page, 3_000, () => Promise.resolve());
  const took = await until(
    'the sweep to finish',
    async () => {
      const m = /in ([0-9.]+) s\./.exec(await sweep.page.locator('.sweep-status').textContent());
      return m && Number(m[1]);
    },
    { timeout: 600_000, every: 500 },
  );
  console.log(
    `browser sweep lb-server-load 40 points x 3 algorithms x 5 seeds (600 runs) in the worker: ${took.toFixed(1)} s; ` +
      `main_thread_ms_per_frame playing alone=${alone.msPerFrame.toFixed(2)} while sweeping=${during.msPerFrame.toFixed(2)} ` +
      `(fps ${alone.fps.toFixed(1)} and ${during.fps.toFixed(1)})`,
  );

  // Seeking: to the end of a default run by its link, then back to the middle.
  const seek = await openPage(browser);
  const clockAt = async (t) => {
    const text = await seek.page.locator('output.clock').textContent();
    return new RegExp(`^t = ${t}\\.00 s`).test(text);
  };
  let started = Date.now();
  await visit(seek.page, base, 'load-balancing/index.html#/sim/lb-server-load?t=60');
  await until('at the end', () => clockAt(60), { timeout: 120_000, every: 10 });
  const toEnd = Date.now() - started;
  started = Date.now();
  await seek.page.getByRole('slider', { name: 'Timeline' }).fill('30');
  await until('back at the middle', () => clockAt(30), { timeout: 120_000, every: 10 });
  const back = Date.now() - started;
  console.log(`browser seek lb-server-load (60 s run): to_end_ms=${toEnd} (page load included) back_to_middle_ms=${back}`);
} finally {
  await browser.close();
  server.close();
}
