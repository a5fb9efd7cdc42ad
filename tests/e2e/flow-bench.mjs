// Flow screen benchmark (numbers, not pass/fail): how long a click on
// "Step" takes to reach the screen, how long the first step takes to
// appear after the page starts, and the long tasks during a full playback.
// Run after `trunk build --release`; scripts/bench.sh runs it.
import { DIST, launch } from "./support.mjs";
import { serve } from "./server.mjs";

const STEP_GOAL_MS = 50;
const LONG_TASK_GOAL_MS = 50;
const ROUNDS = 5;

const server = await serve(DIST, "/");
const browser = await launch();
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

  // From navigation start to the first step's narration on screen.
  const firstStep = [];
  for (let i = 0; i < ROUNDS; i++) {
    await page.goto(server.url + "flow?flow=oidc&step=1");
    await page.waitForSelector('[data-testid="diagram"]');
    firstStep.push(
      await page.evaluate(
        () =>
          new Promise((resolve) =>
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))),
          ),
      ),
    );
  }

  // A click on "Step" to the next frame painted: the handler, the re-render
  // and the frame after it. Measured in the page, with no test harness in
  // between.
  const stepTimes = await page.evaluate(async () => {
    const times = [];
    const forward = document.querySelector('[data-testid="flow-forward"]');
    const restart = document.querySelector('[data-testid="flow-restart"]');
    const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    for (let round = 0; round < 5; round++) {
      restart.click();
      await nextPaint();
      while (!forward.disabled) {
        const start = performance.now();
        forward.click();
        await nextPaint();
        times.push(performance.now() - start);
      }
    }
    return times;
  });

  // Long tasks (over 50 ms, as the browser reports them) during a whole
  // playback at the fastest speed, and during an edit that re-runs a flow.
  await page.goto(server.url + "flow?flow=device&step=1");
  await page.waitForSelector('[data-testid="diagram"]');
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: "longtask" });
  });
  await page.selectOption('[data-testid="flow-speed"]', "4");
  await page.click('[data-testid="flow-play"]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="flow-play"]').getAttribute("aria-pressed") === "false",
    null,
    { timeout: 60_000 },
  );
  const editTimes = [];
  for (let i = 0; i < ROUNDS; i++) {
    editTimes.push(
      await page.evaluate(async (value) => {
        const field = document.querySelector('[data-testid="flow-client-id"]');
        const start = performance.now();
        field.value = value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
        return performance.now() - start;
      }, `tv-app-${i}`),
    );
  }
  const longTasks = await page.evaluate(() => window.__longTasks);

  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  const slowestStep = Math.max(...stepTimes);
  const longest = longTasks.length ? Math.max(...longTasks) : 0;
  console.log(`Flow screen benchmark (headless Chromium, release build, ${ROUNDS} rounds)

  page start to first step on screen   median ${fmt(median(firstStep))}
  click "Step" to next paint           median ${fmt(median(stepTimes))}, slowest ${fmt(slowestStep)} (${stepTimes.length} clicks)
  edit a field, re-run, next paint     median ${fmt(median(editTimes))}, slowest ${fmt(Math.max(...editTimes))}
  long tasks during playback and edits ${longTasks.length} (longest ${fmt(longest)})

Goals: under ${STEP_GOAL_MS} ms per step: ${slowestStep < STEP_GOAL_MS ? "met" : "NOT met"}; no task over ${LONG_TASK_GOAL_MS} ms: ${longest <= LONG_TASK_GOAL_MS ? "met" : "NOT met"}`);
} finally {
  await browser.close();
  await server.close();
}
