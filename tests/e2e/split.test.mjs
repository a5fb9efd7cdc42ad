// Code splitting: the Flow screen (and the engine's simulated servers, RSA
// signing) is in wasm chunks that only /flow downloads. Checks the first
// visit, navigation both ways, a deep link, a reload and a sub-path.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST, SUBPATH, SUBPATH_DIST, byTestId, gotoApp, openPage, useApp } from "./support.mjs";

/**
 * Each screen's wasm chunks, by split point ("flow", "pkce", "jwt", "lab"),
 * as the build wrote them into index.html's preload map
 * (scripts/split/preload.mjs). The Flow screen's code is all in chunks it
 * shares with the AI agent's (src/flow/agent/), so it has no file of its
 * own: its chunks are the set, not one name.
 */
function screenChunks(dist) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const map = /\br=(\{"flow":\[.*?\]\}),s=/.exec(html);
  assert.ok(map, "index.html has the screens' preload map");
  // The map gives a shared chunk as its number: chunk_<n><suffix>.wasm,
  // with the loader's suffix.
  const suffix = /\bhref=split(-[\w-]+)\.js\b/.exec(html)?.[1];
  assert.ok(suffix, "index.html preloads the split loader");
  const file = (entry) => (typeof entry === "number" ? `chunk_${entry}${suffix}.wasm` : entry);
  return Object.fromEntries(Object.entries(JSON.parse(map[1])).map(([name, entries]) => [name, entries.map(file)]));
}

/** The wasm chunks `page` requested, by file name, once each time. */
const chunkRequests = (page) =>
  page.requests.map((url) => new URL(url).pathname.split("/").pop()).filter((file) => /^(chunk_|split_).*\.wasm$/.test(file));
const timesRequested = (page, file) => chunkRequests(page).filter((requested) => requested === file).length;

async function stepCount(page) {
  const counter = byTestId(page, "flow-step-counter");
  await counter.waitFor();
  const match = /^Step (\d+) of (\d+)$/.exec((await counter.textContent()).trim());
  assert.ok(match, "step counter reads 'Step i of n'");
  return { step: Number(match[1]), of: Number(match[2]) };
}

/** Steps forward until a decoded JWT is shown; returns its header text. */
async function forwardToJwt(page) {
  const { of } = await stepCount(page);
  for (let i = 0; i < of; i++) {
    if (await byTestId(page, "flow-jwts").count()) return page.locator(".jwt-decoded").first().textContent();
    await byTestId(page, "flow-forward").click();
  }
  assert.fail("no step of the flow showed a JWT");
}

for (const [label, options] of [
  ["at the root", {}],
  ["under a sub-path", { dist: SUBPATH_DIST, base: SUBPATH }],
]) {
  describe(`lazy Flow screen ${label}`, () => {
    const app = useApp({ before, after }, options);
    const chunks = () => screenChunks(options.dist ?? DIST);
    // What only the Flow screen (and the agent) needs: none of the PKCE
    // generator's.
    const flowOnly = () => chunks().flow.filter((file) => !chunks().pkce.includes(file));

    test("the home page downloads neither the Flow chunk nor the PKCE generator's", async () => {
      const page = await openPage(app, "/");
      await page.waitForLoadState("networkidle");
      assert.match(await page.locator("h1").textContent(), /Learn OAuth/);
      assert.deepEqual(chunkRequests(page), [], "no screen's chunk");
      await page.getByRole("link", { name: "PKCE", exact: true }).click();
      await page.waitForSelector("h1:text('PKCE generator')");
      await page.waitForLoadState("networkidle");
      assert.ok(flowOnly().length > 3, `the Flow screen has chunks of its own: ${flowOnly()}`);
      for (const file of flowOnly()) assert.equal(timesRequested(page, file), 0, `/pkce needs no Flow code (${file})`);
      assert.deepEqual(chunkRequests(page).sort(), [...chunks().pkce].sort(), "its own chunks, each once");
      page.assertClean();
    });

    test("nav link to /flow loads the chunk once, runs the flow, and back works", async () => {
      const page = await openPage(app, "/");
      await page.evaluate(() => (window.__sameDocument = true));
      await page.getByRole("link", { name: "Flows", exact: true }).click();
      await page.waitForURL((url) => url.pathname === new URL(app.url("/flow")).pathname);
      await page.waitForSelector("h1:text('Flow simulator')");
      const { step, of } = await stepCount(page);
      assert.equal(step, 1);
      assert.ok(of > 3, `the flow ran (${of} steps)`);
      await byTestId(page, "flow-forward").click();
      assert.equal((await stepCount(page)).step, 2);
      for (const file of chunks().flow) assert.equal(timesRequested(page, file), 1, file);
      await page.goBack();
      await page.waitForSelector("h1:text('Learn OAuth')");
      await page.getByRole("link", { name: "Flows", exact: true }).click();
      await page.waitForSelector("h1:text('Flow simulator')");
      for (const file of chunks().flow) assert.equal(timesRequested(page, file), 1, `${file} is fetched only once`);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, "no full reload");
      page.assertClean();
    });

    test("a deep link starts fetching its screen's chunks with the page, each once; the home page none", async () => {
      const preloaded = (page) =>
        page.evaluate(() =>
          [...document.querySelectorAll('link[rel="preload"][as="fetch"]')]
            .map((link) => new URL(link.href).pathname)
            .filter((path) => /\/(chunk_|split_)[^/]*\.wasm$/.test(path)),
        );
      const home = await openPage(app, "/");
      await home.waitForLoadState("networkidle");
      assert.deepEqual(await preloaded(home), []);
      home.assertClean();
      const page = await openPage(app, null);
      await page.goto(app.url("/flow"));
      await page.waitForSelector("h1:text('Flow simulator')");
      await page.waitForLoadState("networkidle");
      const paths = await preloaded(page);
      const files = paths.map((path) => path.split("/").pop());
      assert.deepEqual(files.sort(), [...chunks().flow].sort(), "the Flow screen's chunks are preloaded, and only those");
      for (const path of paths) {
        const fetched = page.requests.filter((url) => new URL(url).pathname === path);
        assert.equal(fetched.length, 1, `${path} is fetched once, the preload serving the loader`);
      }
      page.assertClean();
    });

    test("each screen downloads its own stylesheets and no other's, after the shared ones", async () => {
      // The stylesheets applied, by name (flow-<hash>.css is "flow"), in order.
      const sheets = (page) =>
        page.evaluate(() =>
          [...document.styleSheets].map((sheet) => /([a-z]+)-[0-9a-f]+\.css$/.exec(sheet.href ?? "")?.[1]).filter(Boolean),
        );
      const cssRequested = (page) =>
        page.requests.map((url) => /\/([a-z]+)-[0-9a-f]+\.css$/.exec(new URL(url).pathname)?.[1]).filter(Boolean);
      const shared = ["tokens", "shell"];

      const page = await openPage(app, "/");
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await sheets(page), shared);
      assert.deepEqual(cssRequested(page).sort(), [...shared].sort(), "the home page fetches no screen's stylesheet");
      await page.getByRole("link", { name: "JWT", exact: true }).click();
      await page.waitForSelector("h1:text('JWT debugger')");
      assert.deepEqual(await sheets(page), [...shared, "jwt"]);
      await page.getByRole("link", { name: "Attacks", exact: true }).click();
      await page.waitForSelector("h1:text('Attack lab')");
      await page.waitForFunction(() => document.styleSheets.length === 5);
      assert.deepEqual(await sheets(page), [...shared, "jwt", "diagram", "lab"], "the lab shares the lessons' code and the Flow screen's diagram, not their stylesheets");
      // lab.css lays the lab out: the picker beside the run on a wide screen.
      const layout = page.locator(".attacks__layout");
      assert.equal(await layout.evaluate((element) => getComputedStyle(element).display), "grid");
      await page.getByRole("link", { name: "Lessons", exact: true }).click();
      await page.waitForSelector("h1:text('Guided lessons')");
      await page.waitForFunction(() => document.styleSheets.length === 6);
      assert.deepEqual(await sheets(page), [...shared, "jwt", "diagram", "lab", "lessons"], "each added once");
      await page.getByRole("link", { name: "PKCE", exact: true }).click();
      await page.waitForSelector("h1:text('PKCE generator')");
      await page.waitForFunction(() => document.styleSheets.length === 7);
      assert.deepEqual(await sheets(page), [...shared, "jwt", "diagram", "lab", "lessons", "pkce"]);
      await page.getByRole("link", { name: "Flows", exact: true }).click();
      await page.waitForSelector("h1:text('Flow simulator')");
      await page.waitForFunction(() => document.styleSheets.length === 8);
      assert.deepEqual(await sheets(page), [...shared, "jwt", "diagram", "lab", "lessons", "pkce", "flow"]);
      page.assertClean();

      const deep = await openPage(app, null);
      await deep.goto(app.url("/lessons"));
      await deep.waitForSelector("h1:text('Guided lessons')");
      await deep.waitForLoadState("networkidle");
      assert.deepEqual(await sheets(deep), [...shared, "diagram", "lab", "lessons"]);
      const fetched = cssRequested(deep);
      for (const name of ["diagram", "lab", "lessons"]) {
        assert.equal(fetched.filter((sheet) => sheet === name).length, 1, `${name}.css fetched once, the preload serving the link`);
      }
      assert.ok(!fetched.includes("jwt") && !fetched.includes("flow"), "and not the JWT debugger's or the Flow screen's");
      deep.assertClean();
    });

    test("deep link and reload on /flow: OpenID Connect signs an RS256 ID token", async () => {
      const page = await openPage(app, null);
      const response = await page.goto(app.url("/flow?flow=oidc"));
      assert.equal(response.status(), 404, "static host without SPA fallback answers 404.html");
      await page.waitForSelector("h1:text('Flow simulator')");
      const header = await forwardToJwt(page);
      assert.match(header, /RS256/);
      const before = await stepCount(page);
      await page.reload();
      await gotoApp(page, page.url());
      await page.waitForSelector("h1:text('Flow simulator')");
      assert.deepEqual(await stepCount(page), before, "the reload keeps flow and step");
      assert.match(await page.locator(".jwt-decoded").first().textContent(), /RS256/);
      page.assertClean();
    });
  });
}
