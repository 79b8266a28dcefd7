// Main-thread work per animation frame of the playground — the figure
// `cargo xtask bench` prints beside the kernel's events per second.
//
// The load-balancing page plays at 1x with 1,000 requests per simulated
// second over 20 backends; Chrome's own task accounting (DevTools
// Performance.getMetrics: TaskDuration) over five seconds of frames, divided
// by the frames drawn, is the work each frame costs. A benchmark, not a test:
// it prints figures and fails only if it cannot run.
//
// Run from the repository root after the site build: node tests/browser/frame-bench.mjs

import { launchBrowser, openPage, serveSite, until, visit } from './harness.mjs';

const ROUTE =
  '#/sim/load-balancing?backends=20&arrival_rate=1000&service_rate=60&duration=600&warmup=10';
const MEASURE_MS = 5_000;

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
  const taskSeconds = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
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
  const msPerFrame = ((after - before) * 1000) / frames;
  const fps = frames / (MEASURE_MS / 1000);
  console.log(
    `browser lb-page backends=20 arrival_rate=1000 speed=1x frames=${frames} fps=${fps.toFixed(1)} ` +
      `main_thread_ms_per_frame=${msPerFrame.toFixed(2)}`,
  );
} finally {
  await browser.close();
  server.close();
}
