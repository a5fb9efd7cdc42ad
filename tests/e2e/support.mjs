// Shared set-up for the end-to-end tests: Debian's Chromium through
// playwright-core, the built app served on 127.0.0.1, and a page that
// records every request and every console error.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join, normalize, sep } from "node:path";
import { readFile } from "node:fs/promises";
import { serve } from "./server.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = process.env.DIST ?? join(ROOT, "dist");
export const SUBPATH_DIST = process.env.SUBPATH_DIST ?? join(ROOT, "target", "dist-subpath");
export const SUBPATH = "/tools/oauth-playground/";

export const RFC7636_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
export const RFC7636_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Starts the server and a browser for one test file. `before` and `after`
 * are node:test's hooks.
 */
export function useApp({ before, after }, { dist = DIST, base = "/" } = {}) {
  const app = {};
  before(async () => {
    app.server = await serve(dist, base);
    app.browser = await launch();
    app.url = (path = "") => app.server.url + path.replace(/^\//, "");
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * A fresh context and page that record requests, console errors and page
 * errors. Call `page.assertClean()` at the end of a test.
 */
export async function openPage(app, path = "", contextOptions = {}) {
  // No service worker unless a test asks for one (offline.test.mjs): a
  // worker would answer requests the tests route or count themselves.
  const context = await app.browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: "block",
    ...contextOptions,
  });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    // Failed loads are judged below, from the responses themselves.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    // A deep link on a host without SPA fallback answers the document with
    // 404.html (the app) and status 404; any other failed load is a bug.
    if (response.status() >= 400 && response.request().resourceType() !== "document") {
      problems.push(`failed load: ${response.status()} ${response.url()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.requests = requests;
  // `allow`: URL prefixes a test asked the page to request (a JWKS fetch).
  page.assertClean = ({ allow = [] } = {}) => {
    const unexpected = problems.filter((problem) => !allow.some((prefix) => problem.includes(prefix)));
    assert.deepEqual(unexpected, [], "the page logged errors");
    const foreign = requests.filter(
      (url) => !url.startsWith(app.server.origin + "/") && !allow.some((prefix) => url.startsWith(prefix)),
    );
    assert.deepEqual(foreign, [], "the page requested something other than its own files");
  };
  if (path !== null) await gotoApp(page, app.url(path));
  return page;
}

/** Navigates and waits until the app has mounted. */
export async function gotoApp(page, url) {
  await page.goto(url);
  await page.waitForSelector("header.site-header");
}

/**
 * Checks that every diagram on the page has scrolled (`scrolled`: its box
 * has content above what it shows) and still shows every lane's name
 * inside its box: the names stay in view (issue 19).
 */
export async function assertLaneNamesInView(page, label) {
  const boxes = await page.locator(".diagram__scroll").evaluateAll((boxes) =>
    boxes.map((box) => {
      const view = box.getBoundingClientRect();
      const labels = [...box.querySelectorAll(".lane-label")].map((text) => text.getBoundingClientRect());
      return {
        scrollTop: box.scrollTop,
        lanes: labels.length,
        inside: labels.every((r) => r.top >= view.top && r.bottom <= view.bottom && r.height > 0),
      };
    }),
  );
  assert.ok(boxes.length > 0, `${label}: a diagram`);
  for (const box of boxes) {
    assert.ok(box.scrollTop > 0, `${label}: the diagram scrolled (${JSON.stringify(box)})`);
    assert.ok(box.lanes >= 3 && box.inside, `${label}: every lane name in view (${JSON.stringify(box)})`);
  }
}

/** Fails with the list of violations if axe-core finds any. */
export async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(summary, [], `axe-core violations on ${label}`);
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

// jose (npm, devDependency) for tests that need an independent JOSE
// implementation in the same page as the app: its Web API build, an ES
// module tree under node_modules/jose/dist/webapi/ (no single-file bundle
// since jose 6).
export const JOSE_DIR = join(ROOT, "node_modules", "jose", "dist", "webapi");
const JOSE_PATH = "/__test__/jose/";

/**
 * Makes jose available as `window.jose` in the page's current document
 * (call it again after a navigation or reload), without changing the app
 * and without any request leaving 127.0.0.1. Playwright answers requests
 * for /__test__/jose/* on the app's own origin from JOSE_DIR, so the
 * module loads look like the page's own files to `page.assertClean()` (a
 * missing file is a 404 there, and fails the test). The server never sees
 * them. Then a module script imports it and the helper waits until
 * `window.jose` is set. Returns the page.
 */
export async function withJose(page) {
  const origin = new URL(page.url()).origin;
  if (!page.__joseRouted) {
    page.__joseRouted = true;
    await page.route(`${origin}${JOSE_PATH}**`, async (route) => {
      const relative = decodeURIComponent(new URL(route.request().url()).pathname.slice(JOSE_PATH.length));
      const file = normalize(join(JOSE_DIR, relative));
      let body = null;
      if (file.startsWith(JOSE_DIR + sep)) body = await readFile(file).catch(() => null);
      await (body
        ? route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body })
        : route.fulfill({ status: 404, contentType: "text/plain", body: "not in jose" }));
    });
  }
  await page.addScriptTag({
    type: "module",
    content: `import * as jose from ${JSON.stringify(origin + JOSE_PATH + "index.js")}; window.jose = jose;`,
  });
  await page.waitForFunction(() => window.jose !== undefined);
  return page;
}
