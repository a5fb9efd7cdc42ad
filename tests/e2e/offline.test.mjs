// Offline: after one visit, the service worker (public/sw.js) has cached
// the whole app, so it loads and runs with no network at all: a deep link,
// the lazily loaded Flow screen and the JWT debugger's signature code.
// Each test serves the app itself, so that it can cut the network by
// stopping the server as well as by taking the browser offline. Before
// the worker has cached the app, a screen opened for the first time
// without a network cannot load, and says so.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, SUBPATH, SUBPATH_DIST, assertNoAxeViolations, byTestId, launch } from "./support.mjs";
import { serve } from "./server.mjs";

const A1_TOKEN =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/** Visits `url` once and waits until the worker has cached everything and controls the page. */
async function firstVisit(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector("header.site-header");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  page.errors = errors;
  return page;
}

describe("offline, after one visit", () => {
  let browser;
  before(async () => (browser = await launch()));
  after(async () => browser?.close());

  for (const [label, dist, base] of [
    ["at the root", DIST, "/"],
    ["under a sub-path", SUBPATH_DIST, SUBPATH],
  ]) {
    test(`${label}: the app loads, runs a flow and verifies a token with the network cut`, async () => {
      const server = await serve(dist, base);
      const context = await browser.newContext({ serviceWorkers: "allow" });
      try {
        const page = await firstVisit(context, server.url);
        const worker = await readFile(join(dist, "sw.js"), "utf8");
        assert.doesNotMatch(worker, /const FILES = \[\];/, "the release build lists its files");

        await server.close();
        await context.setOffline(true);

        // A deep link into the lazily loaded Flow screen, run to its end.
        await page.goto(server.url + "flow?flow=spa");
        await page.waitForSelector("h1:text('Flow simulator')");
        const counter = byTestId(page, "flow-step-counter");
        const [, total] = /of (\d+)/.exec(await counter.textContent());
        for (let i = 1; i < Number(total); i++) await byTestId(page, "flow-forward").click();
        assert.match(await counter.textContent(), new RegExp(`Step ${total} of ${total}`));

        // The JWT debugger, and its signature code, loaded only now.
        await page.goto(server.url + "jwt");
        await byTestId(page, "jwt-token").fill(A1_TOKEN);
        await byTestId(page, "jwt-example").click();
        await byTestId(page, "jwt-verify-result").filter({ hasText: "Signature verified (HS256)." }).waitFor();
        assert.deepEqual(page.errors, []);
      } finally {
        await context.close();
        await server.close();
      }
    });
  }

  test("a new deploy is picked up: the new worker takes over once the old version's tabs close", async () => {
    const root = await mkdtemp(join(tmpdir(), "oauth-playground-deploy-"));
    await cp(DIST, root, { recursive: true });
    const server = await serve(root, "/");
    const context = await browser.newContext({ serviceWorkers: "allow" });
    const cacheNames = (page) => page.evaluate(() => caches.keys());
    try {
      const page = await firstVisit(context, server.url);
      const [first] = await cacheNames(page);
      assert.match(first, /^oauth-playground-[0-9a-f]{16}$/);

      // "Deploy" a new version: a changed page, so a new worker version.
      const worker = await readFile(join(root, "sw.js"), "utf8");
      const version = /const VERSION = "([0-9a-f]+)"/.exec(worker)[1];
      await writeFile(join(root, "sw.js"), worker.replace(version, "0123456789abcdef"));
      const index = await readFile(join(root, "index.html"), "utf8");
      await writeFile(join(root, "index.html"), index.replace("Learn OAuth 2.0", "New: Learn OAuth 2.0"));

      // Pages come from the network first: a reload shows the new page at once.
      await page.reload();
      await page.waitForSelector("header.site-header");
      assert.match(await page.locator('meta[name="description"]').getAttribute("content"), /^New: /);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null);
      assert.deepEqual((await cacheNames(page)).sort(), [first, "oauth-playground-0123456789abcdef"].sort());

      // Once no tab runs the old version, the new one takes over and the old cache goes.
      await page.close();
      const next = await context.newPage();
      await next.goto(server.url);
      await next.waitForFunction(async () => {
        const keys = await caches.keys();
        return keys.length === 1 && keys[0] === "oauth-playground-0123456789abcdef";
      });
    } finally {
      await context.close();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  test("the web app manifest names the app and its icons, and the page links it", async () => {
    const server = await serve(DIST, "/");
    const context = await browser.newContext({ serviceWorkers: "allow" });
    try {
      const page = await firstVisit(context, server.url);
      const href = await page.locator('link[rel="manifest"]').getAttribute("href");
      const response = await page.request.get(new URL(href, server.url).href);
      assert.equal(response.headers()["content-type"], "application/manifest+json");
      const manifest = await response.json();
      assert.equal(manifest.name, "OAuth Playground");
      assert.equal(manifest.start_url, "./");
      for (const icon of manifest.icons) {
        const image = await page.request.get(new URL(icon.src, server.url).href);
        assert.equal(image.status(), 200, icon.src);
        assert.equal(image.headers()["content-type"], icon.type, icon.src);
      }
      assert.ok(manifest.icons.some((icon) => icon.sizes === "512x512" && icon.purpose === "maskable"));
      await assertNoAxeViolations(page, "home page with the worker");
    } finally {
      await context.close();
      await server.close();
    }
  });
});

describe("offline, before the app is cached", () => {
  let browser;
  before(async () => (browser = await launch()));
  after(async () => browser?.close());

  test("a screen whose code cannot be fetched says so, and opens after a reload", async () => {
    const server = await serve(DIST, "/");
    // No worker: this is a first visit that loses the network before the
    // worker has cached the app.
    const context = await browser.newContext({ serviceWorkers: "block" });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(server.url);
      await page.waitForSelector("header.site-header");
      const chunk = /\/(chunk|split)_[^/]*\.wasm$/;
      await page.route(chunk, (route) => route.abort("internetdisconnected"));
      await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "JWT" }).click();
      const screen = page.locator("#panic-screen");
      await screen.getByRole("heading", { name: "This screen could not be downloaded" }).waitFor();
      assert.match(await screen.textContent(), /you may be offline/);
      assert.doesNotMatch(await screen.textContent(), /internal error/);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "panic-reload");
      assert.ok(errors.length > 0, "the failed load aborts the module");

      // The network is back: a reload restarts the app (on the page the
      // click left, as the router had not moved yet), and the screen opens.
      await page.unroute(chunk);
      await byTestId(page, "panic-reload").click();
      await page.waitForSelector("header.site-header");
      await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "JWT" }).click();
      await byTestId(page, "jwt-token").waitFor();
    } finally {
      await context.close();
      await server.close();
    }
  });
});
