// The app shell as a person uses it: navigation, deep links, reload, theme,
// keyboard, small screens, accessibility, and no requests beyond its files.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  SUBPATH,
  SUBPATH_DIST,
  assertNoAxeViolations,
  gotoApp,
  openPage,
  useApp,
} from "./support.mjs";

describe("app shell", () => {
  const app = useApp({ before, after });

  test("home lists exactly the screens the navigation has", async () => {
    const page = await openPage(app, "/");
    assert.equal(await page.title(), "Home · OAuth Playground");
    const nav = await page.locator("nav.site-nav a").allTextContents();
    const cards = await page.locator(".home__cards .card__title a").count();
    assert.deepEqual(nav, ["Flows", "JWT", "Implicit vs Code", "Token storage", "Attacks", "Lessons", "PKCE"]);
    assert.equal(cards, nav.length);
    assert.doesNotMatch(await page.textContent("body"), /coming soon/i);
    page.assertClean();
  });

  test("navigation changes the route without reloading the page", async () => {
    const page = await openPage(app, "/");
    await page.evaluate(() => (window.__sameDocument = true));
    await page.getByRole("link", { name: "PKCE", exact: true }).click();
    await page.waitForURL(app.url("/pkce"));
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    assert.equal(await page.locator("h1").textContent(), "PKCE generator");
    assert.equal(await page.getByRole("link", { name: "PKCE", exact: true }).getAttribute("aria-current"), "page");
    await page.goBack();
    await page.waitForURL(app.url("/"));
    assert.match(await page.locator("h1").textContent(), /Learn OAuth/);
    page.assertClean();
  });

  test("a deep link and a reload on it open the screen", async () => {
    const page = await openPage(app, null);
    const response = await page.goto(app.url("/pkce"));
    // The static host has no SPA fallback: 404.html (a copy of the app) answers.
    assert.equal(response.status(), 404);
    await page.waitForSelector("h1");
    assert.equal(await page.locator("h1").textContent(), "PKCE generator");
    await page.reload();
    await page.waitForSelector("h1");
    assert.equal(await page.locator("h1").textContent(), "PKCE generator");
    assert.equal(await page.title(), "PKCE generator · OAuth Playground");
    page.assertClean();
  });

  test("an unknown path shows a not-found page with a way home", async () => {
    const page = await openPage(app, "/no/such/screen");
    await page.waitForSelector('[data-testid="not-found"]');
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await page.waitForURL(app.url("/"));
    page.assertClean();
  });

  test("theme follows the OS, the switch overrides it, and a reload keeps it", async () => {
    const page = await openPage(app, "/", { colorScheme: "dark" });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(), "rgb(14, 19, 24)");
    await page.getByLabel("Light").check();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
    assert.equal(await background(), "rgb(246, 247, 249)");
    await page.reload();
    await page.waitForSelector("header.site-header");
    assert.equal(await background(), "rgb(246, 247, 249)");
    assert.equal(await page.getByLabel("Light").isChecked(), true);
    await page.getByLabel("System").check();
    assert.equal(await background(), "rgb(14, 19, 24)");
    page.assertClean();
  });

  test("keyboard: skip link, visible focus, navigation by Enter", async () => {
    const page = await openPage(app, "/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
    assert.notEqual(await skip.evaluate((el) => getComputedStyle(el).outlineStyle), "none");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    assert.equal(page.url(), app.url("/"));

    // Tab from the top reaches the PKCE link; Enter follows it.
    await page.evaluate(() => document.activeElement.blur());
    let focused = "";
    for (let i = 0; i < 20 && focused !== "PKCE"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement.textContent.trim());
    }
    assert.equal(focused, "PKCE");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "focused link has a visible outline");
    await page.keyboard.press("Enter");
    await page.waitForURL(app.url("/pkce"));
    page.assertClean();
  });

  test("prefers-reduced-motion turns transitions off", async () => {
    const page = await openPage(app, "/pkce", { reducedMotion: "reduce" });
    const duration = await page.locator(".button").first().evaluate((el) => getComputedStyle(el).transitionDuration);
    assert.equal(duration, "0s");
    const normal = await openPage(app, "/pkce", { reducedMotion: "no-preference" });
    const normalDuration = await normal.locator(".button").first().evaluate((el) => getComputedStyle(el).transitionDuration);
    assert.notEqual(normalDuration, "0s");
    page.assertClean();
  });

  test("type grows with the screen, for a projector", async () => {
    const rootSize = async (width, height) => {
      const page = await openPage(app, "/pkce", { viewport: { width, height } });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than a ${width}px screen`);
      page.assertClean();
      return page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    };
    const phone = await rootSize(360, 740);
    const laptop = await rootSize(1280, 800);
    const projector = await rootSize(1920, 1080);
    const wall = await rootSize(2560, 1440);
    assert.equal(phone, 16);
    assert.ok(laptop < projector && projector < wall, `${laptop} < ${projector} < ${wall}`);
    assert.ok(wall >= 22, `text on a 2560px screen is ${wall}px`);
  });

  for (const path of ["/", "/flow", "/jwt", "/pkce", "/missing"]) {
    test(`fits a 360 px phone without sideways scrolling: ${path}`, async () => {
      const page = await openPage(app, path, { viewport: { width: 360, height: 740 } });
      await page.waitForSelector("h1");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      page.assertClean();
    });

    for (const colorScheme of ["light", "dark"]) {
      test(`axe-core finds no violations: ${path} (${colorScheme})`, async () => {
        const page = await openPage(app, path, { colorScheme });
        await page.waitForSelector("h1");
        await assertNoAxeViolations(page, `${path} in ${colorScheme}`);
        page.assertClean();
      });
    }
  }
});

describe("built for a sub-path (trunk build --public-url " + SUBPATH + ")", () => {
  const app = useApp({ before, after }, { dist: SUBPATH_DIST, base: SUBPATH });

  test("loads, links stay under the sub-path, and deep links work", async () => {
    const page = await openPage(app, "/");
    assert.match(await page.locator("h1").textContent(), /Learn OAuth/);
    const href = await page.getByRole("link", { name: "PKCE", exact: true }).getAttribute("href");
    assert.equal(href, SUBPATH + "pkce");
    await page.getByRole("link", { name: "PKCE", exact: true }).click();
    await page.waitForURL(app.url("/pkce"));
    await page.reload();
    await page.waitForSelector("h1");
    assert.equal(await page.locator("h1").textContent(), "PKCE generator");
    // Every file came from under the sub-path.
    const outside = page.requests.filter((url) => !url.startsWith(app.server.url));
    assert.deepEqual(outside, []);
    page.assertClean();
  });

  test("the skip link stays on the page despite <base href>", async () => {
    const page = await openPage(app, "/pkce");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    assert.equal(page.url(), app.url("/pkce"));
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    page.assertClean();
  });
});
