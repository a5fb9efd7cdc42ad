// Load benchmark (numbers, not pass/fail): how long each screen takes to
// show its main content on a first visit, opened straight from a link.
// The release build (dist/) is served from loopback gzip-compressed, as
// static hosts serve it; each run is a fresh browser context with the
// service worker blocked and the cache off. Two profiles: Lighthouse's
// mobile preset (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, the
// CPU slowed 4x) and no throttling. For each screen: the median of RUNS
// runs of the time from navigation start until the element a person waits
// for is in the page, Chromium's largest-contentful-paint, and the bytes
// transferred. scripts/bench.sh runs it after `trunk build --release`.
import { DIST, launch } from "./support.mjs";
import { serve } from "./server.mjs";

const RUNS = 5;
const GOAL_MS = 2500;

// Each screen and what a person waits for on it.
const SCREENS = [
  ["/", "the cards", ".home__cards .card"],
  ["/pkce", "the verifier field", "#verifier"],
  ["/jwt", "the token field", '[data-testid="jwt-token"]'],
  ["/flow", "the diagram at its first step", '[data-testid="diagram"] .diagram__step'],
  ["/compare", "the verdict table", '[data-testid="compare-verdicts"]'],
  ["/token-storage", "the outcome table", '[data-testid="storage-outcome"]'],
  ["/attacks", "the attack's explanation", '[data-testid="attack-explanation"]'],
  ["/lessons", "the first lesson card", '[data-testid="lesson-card"]'],
];

const PROFILES = [
  {
    name: "throttled (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower)",
    // Bytes per second.
    network: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
    cpu: 4,
  },
  { name: "unthrottled (loopback)", network: null, cpu: 1 },
];

// In the page, before any of its scripts: the time `selector` first
// matches, and the last largest-contentful-paint entry.
function watch(selector) {
  window.__load = { ready: null, lcp: null };
  const check = () => {
    if (window.__load.ready === null && document.querySelector(selector)) {
      window.__load.ready = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__load.lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
}

async function once(browser, url, selector, profile) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (profile.network) await cdp.send("Network.emulateNetworkConditions", profile.network);
  if (profile.cpu > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(watch, selector);
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__load?.ready !== null, null, { timeout: 60_000, polling: 100 });
  // LCP settles once the page stops changing; give it a moment.
  await page.waitForLoadState("networkidle");
  const { ready, lcp } = await page.evaluate(() => window.__load);
  await context.close();
  if (errors.length) throw new Error(`${url}: ${errors.join("\n")}`);
  return { ready, lcp, bytes };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);

const server = await serve(DIST, "/", {}, { gzip: true });
const browser = await launch();
const lines = [];
try {
  for (const profile of PROFILES) {
    lines.push(`Load, ${profile.name}: median of ${RUNS} first visits`);
    lines.push(`  ${"screen".padEnd(15)}${"main content".padStart(14)}${"LCP".padStart(10)}${"transferred".padStart(14)}  (waiting for)`);
    for (const [path, what, selector] of SCREENS) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(browser, server.url + path.slice(1), selector, profile));
      const ready = median(runs.map((run) => run.ready));
      const lcp = median(runs.map((run) => run.lcp ?? Infinity));
      const kb = median(runs.map((run) => run.bytes)) / 1000;
      const mark = profile.cpu > 1 ? (ready <= GOAL_MS ? "" : "  over 2.5 s") : "";
      lines.push(
        `  ${path.padEnd(15)}${seconds(ready).padStart(14)}${seconds(Number.isFinite(lcp) ? lcp : null).padStart(10)}${`${kb.toFixed(0)} KB`.padStart(14)}  (${what})${mark}`,
      );
    }
    lines.push("");
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(lines.join("\n").trimEnd());
