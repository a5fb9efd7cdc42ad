// Guided lessons as a learner and an instructor use them: the list read
// from lessons/index.json, a lesson completed with the keyboard alone
// (wrong and right predictions, the diagram never ahead of the lesson, a
// reload keeping the place), a malformed or missing lesson file named with
// its field, a file name that is not plain refused, and axe-core in both
// themes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DIST,
  SUBPATH,
  SUBPATH_DIST,
  assertLaneNamesInView,
  assertNoAxeViolations,
  byTestId,
  gotoApp,
  launch,
  openPage,
  useApp,
} from "./support.mjs";
import { serve } from "./server.mjs";

const INDEX = JSON.parse(await readFile(join(DIST, "lessons", "index.json"), "utf8"));

/** Presses Tab until `selector` has the focus. */
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

// The player moves the focus in the next animation frame (focus_soon in
// src/lessons/player.rs): wait for it there, and fail if it never comes.
const focusReaches = (page, testId) =>
  page.waitForFunction((id) => document.activeElement?.getAttribute("data-testid") === id, testId, { timeout: 5000 });

/**
 * The highest step number the diagram shows (its request arrows are
 * labelled "n. METHOD /path"), and the number of steps drawn.
 */
function diagramReach(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll(".diagram__step[data-step]")].filter(
      (step) => getComputedStyle(step).display !== "none",
    );
    const numbers = shown.map((step) => Number(step.querySelector(".arrow-label").textContent.split(".")[0]));
    return { max: Math.max(0, ...numbers), count: numbers.length };
  });
}

/** The step the stop (or the revealed answer) is at: "Step 4 of 7: …". */
async function stepOf(page) {
  const text = await byTestId(page, "lesson-step").first().textContent();
  return Number(/^Step (\d+) of/.exec(text)[1]);
}

/** Checks that the diagram shows steps 1 to `step`, and nothing after. */
async function assertDiagramAt(page, step) {
  const reach = await diagramReach(page);
  assert.deepEqual(reach, { max: step, count: step }, `the diagram shows steps 1 to ${step} only`);
}

describe("guided lessons", () => {
  const app = useApp({ before, after });

  test("the list shows every lesson index.json names, with its title and size, from the index alone", async () => {
    const page = await openPage(app, "/lessons");
    assert.equal(await page.locator("h1").textContent(), "Guided lessons");
    assert.equal(await page.title(), "Lessons · OAuth Playground");
    assert.equal(await page.getByRole("link", { name: "Lessons", exact: true }).getAttribute("aria-current"), "page");
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="lesson-link"]').length === n,
      INDEX.lessons.length,
    );
    const files = await byTestId(page, "lesson-card").evaluateAll((cards) => cards.map((c) => c.dataset.file));
    assert.deepEqual(files, INDEX.lessons);
    assert.equal(await byTestId(page, "lesson-card-problems").count(), 0);
    const card = page.locator('[data-file="authorization-code.json"]');
    assert.equal(await card.getByTestId("lesson-link").textContent(), "Authorization code, step by step");
    assert.equal(await card.getByTestId("lesson-size").textContent(), "5 stops, 4 questions");
    for (const slug of ["login-csrf", "code-interception", "pkce-downgrade", "code-replay", "redirect-uri", "refresh-theft", "mix-up", "implicit-leakage"]) {
      assert.ok(files.includes(`${slug}.json`), `a lesson for the ${slug} attack`);
    }
    for (const file of ["dpop.json", "par.json", "private-key-jwt.json"]) {
      assert.ok(files.includes(file), `a lesson ${file} on OAuth as deployed now`);
    }
    // Every card is the one the build wrote into index.json, and says what
    // its lesson's own file says: the list fetched that one file and no
    // lesson (scripts/lessons-post-build.mjs).
    assert.ok(page.requests.includes(app.url("/lessons/index.json")));
    for (const file of INDEX.lessons) {
      const lesson = JSON.parse(await readFile(join(DIST, "lessons", file), "utf8"));
      const questions = lesson.stops.filter((stop) => stop.ask).length;
      const listed = page.locator(`[data-file="${file}"]`);
      assert.equal(await listed.getByTestId("lesson-link").textContent(), lesson.title, file);
      assert.equal(
        await listed.getByTestId("lesson-size").textContent(),
        `${lesson.stops.length} stops, ${questions} ${questions === 1 ? "question" : "questions"}`,
        file,
      );
      assert.ok(!page.requests.includes(app.url(`/lessons/${file}`)), `lessons/${file} is not fetched for the list`);
    }
    // A lesson that is not listed opens by its file name.
    await byTestId(page, "lessons-file").fill("pkce.json");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/lessons\?file=pkce\.json/);
    assert.equal(await byTestId(page, "lesson-title").textContent(), "PKCE: proof of the client that started the flow");
    page.assertClean();
  });

  test("keyboard only: a lesson from the list to its summary, predictions judged, nothing shown ahead", async () => {
    const page = await openPage(app, "/lessons");
    await tabTo(page, '[data-file="authorization-code.json"] a');
    await page.keyboard.press("Enter");
    await byTestId(page, "lesson-stop").waitFor();
    await page.waitForURL(/\?file=authorization-code\.json&stop=1$/);
    assert.equal(await page.title(), "Authorization code, step by step (lesson) · OAuth Playground");
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 1 of 5: The authorization request");
    assert.equal(await stepOf(page), 1);
    await assertDiagramAt(page, 1);

    // Stop 1, a wrong prediction: the arrow key moves from the first party
    // (the browser, who really sends next) to the client.
    await tabTo(page, '[data-testid="lesson-choice-browser"]');
    await page.keyboard.press("ArrowDown");
    assert.equal(await byTestId(page, "lesson-choice-client").isChecked(), true);
    await tabTo(page, '[data-testid="lesson-check"]');
    await page.keyboard.press("Enter");
    await byTestId(page, "lesson-revealed").waitFor();
    const wrong = await byTestId(page, "lesson-feedback").textContent();
    assert.match(wrong, /^Not quite: you chose "Client"\./);
    assert.match(wrong, /User and browser sends the next message: POST \/login to Authorization server\./);
    assert.equal(await byTestId(page, "lesson-feedback").getAttribute("role"), "status");
    await focusReaches(page, "lesson-continue"); // after Check, the focus is on Continue
    // The answer is revealed: one more step, and its explanation.
    await assertDiagramAt(page, 2);
    assert.match(await byTestId(page, "lesson-revealed").textContent(), /Step 2 of 7: User and browser to Authorization server, POST \/login/);
    assert.ok((await byTestId(page, "lesson-revealed-explanation").textContent()).length > 20);
    assert.equal(await byTestId(page, "lesson-choice-client").isDisabled(), true, "an answer is final");

    // Continue: the next stop, its heading focused, the diagram up to it.
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "lesson-stop-heading");
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 2 of 5: Consent, and a code");
    await page.waitForURL(/stop=2$/);
    assert.equal(await stepOf(page), 3);
    await assertDiagramAt(page, 3);

    // Stop 2, a right prediction, chosen with Space.
    await tabTo(page, '[data-testid="lesson-choice-browser"]');
    await page.keyboard.press("Space");
    await tabTo(page, '[data-testid="lesson-check"]');
    await page.keyboard.press("Enter");
    await byTestId(page, "lesson-revealed").waitFor();
    assert.equal(
      await byTestId(page, "lesson-feedback").textContent(),
      "Right! User and browser sends the next message: GET /callback to Client.",
    );
    await focusReaches(page, "lesson-continue");
    await assertDiagramAt(page, 4);
    await page.keyboard.press("Enter");
    await page.waitForURL(/stop=3$/);

    // A reload keeps the place and the answers given.
    await page.reload();
    await byTestId(page, "lesson-stop").waitFor();
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 3 of 5: Back at the client");
    await assertDiagramAt(page, 4);

    // Stop 3: the client redeems the code (the back channel).
    await tabTo(page, '[data-testid="lesson-choice-browser"]');
    await page.keyboard.press("ArrowDown");
    await tabTo(page, '[data-testid="lesson-check"]');
    await page.keyboard.press("Enter");
    await byTestId(page, "lesson-revealed").waitFor();
    assert.match(await byTestId(page, "lesson-feedback").textContent(), /^Right! Client sends the next message: POST \/token/);
    await assertDiagramAt(page, 5);
    await focusReaches(page, "lesson-continue");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "lesson-stop-heading");

    // Stop 4: "will it succeed?", with the request named and the rule stated.
    assert.match(
      await byTestId(page, "lesson-question").textContent(),
      /Will the next request succeed\?The next request: Client to Resource server, GET \/profile\./,
    );
    await assertDiagramAt(page, 5);
    await tabTo(page, '[data-testid="lesson-choice-yes"]');
    await page.keyboard.press("Space");
    await tabTo(page, '[data-testid="lesson-check"]');
    await page.keyboard.press("Enter");
    await byTestId(page, "lesson-revealed").waitFor();
    assert.equal(await byTestId(page, "lesson-feedback").textContent(), "Right! It succeeds (200 OK).");
    assert.match(await byTestId(page, "lesson-revealed").textContent(), /a 4xx or 5xx answer, or a redirect carrying error=…, means it failed/);
    await assertDiagramAt(page, 6);
    await focusReaches(page, "lesson-continue");
    await page.keyboard.press("Enter");

    // Stop 5 asks nothing: Continue is there at once.
    await page.waitForFunction(() => document.activeElement?.id === "lesson-stop-heading");
    assert.equal(await byTestId(page, "lesson-question").count(), 0);
    await assertDiagramAt(page, 7);
    await tabTo(page, '[data-testid="lesson-continue"]');
    assert.equal(await byTestId(page, "lesson-continue").textContent(), "See how you did");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "lesson-end-heading");
    await page.waitForURL(/stop=end$/);
    assert.equal(await byTestId(page, "lesson-score").textContent(), "You predicted 3 of 4 steps right.");
    assert.equal(await page.locator(".lesson__result--wrong").count(), 1);
    await assertDiagramAt(page, 7);

    // Back to the list, by keyboard.
    await tabTo(page, '[data-testid="lesson-back"]');
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname.endsWith("/lessons") && url.search === "");
    await byTestId(page, "lessons-list").waitFor();
    page.assertClean();
  });

  test("every lesson runs: its first question is asked at its first stop", async () => {
    const page = await openPage(app, null);
    for (const file of INDEX.lessons) {
      await gotoApp(page, app.url(`/lessons?file=${file}`));
      await byTestId(page, "lesson-stop").waitFor();
      assert.equal(await byTestId(page, "lesson-problems").count(), 0, file);
      const step = await stepOf(page);
      await assertDiagramAt(page, step);
    }
    page.assertClean();
  });

  test("the DPoP lesson, whose run needs the P-256 code, judges a prediction from its run", async () => {
    const page = await openPage(app, "/lessons?file=dpop.json&stop=3");
    await byTestId(page, "lesson-stop").waitFor();
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 3 of 5: The token leaks");
    assert.match(
      await byTestId(page, "lesson-question").textContent(),
      /The next request: Attacker to Resource server, GET \/profile\./,
    );
    await byTestId(page, "lesson-choice-yes").check();
    await byTestId(page, "lesson-check").click();
    await byTestId(page, "lesson-revealed").waitFor();
    assert.match(await byTestId(page, "lesson-feedback").textContent(), /^Not quite: .*401 Unauthorized/);
    await assertDiagramAt(page, 8);
    page.assertClean();
  });

  test("the AI agent's lesson, whose run needs the agent's code, asks who sends next and judges it from its run", async () => {
    const page = await openPage(app, "/lessons?file=agent.json&stop=3");
    await byTestId(page, "lesson-stop").waitFor();
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 3 of 11: What the authorization server offers");
    // The choices are the run's lanes, named for the agent's flow.
    const choices = await byTestId(page, "lesson-question").locator("label").allTextContents();
    assert.ok(choices.includes("AI agent (MCP client)") && choices.includes("Tool server (MCP)"), `choices: ${choices}`);
    // Not the agent: the authorization server fetches the client's document.
    await byTestId(page, "lesson-choice-client").check();
    await byTestId(page, "lesson-check").click();
    await byTestId(page, "lesson-revealed").waitFor();
    assert.match(await byTestId(page, "lesson-feedback").textContent(), /^Not quite: you chose "AI agent \(MCP client\)"\..*Authorization server/);
    await assertDiagramAt(page, 4);
    page.assertClean();
  });

  test("at a lesson's end the diagram has scrolled, and every lane's name is still in view", async () => {
    const page = await openPage(app, "/lessons?file=device.json&stop=end", { viewport: { width: 1280, height: 720 } });
    await byTestId(page, "lesson-score").waitFor();
    await assertLaneNamesInView(page, "the device flow lesson's summary");
    page.assertClean();
  });

  test("a malformed lesson file gets a message naming the file and the field", async () => {
    const page = await openPage(app, null);
    const serve = (file, body) =>
      page.route(app.url(`/lessons/${file}`), (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body }),
      );
    await serve("not-json.json", '{\n  "title": "T",\n  "run" {}\n}');
    await serve(
      "bad-ask.json",
      JSON.stringify({ title: "T", run: { flow: "spa" }, stops: [{ at: 1, text: "t", ask: "who" }] }),
    );
    await serve("no-title.json", JSON.stringify({ run: { flow: "spa" }, stops: [{ at: 1, text: "t" }] }));
    await serve(
      "too-far.json",
      JSON.stringify({ title: "T", run: { flow: "client-credentials" }, stops: [{ at: 9, text: "t" }] }),
    );
    const cases = [
      ["not-json.json", "lessons/not-json.json is not JSON: expected `:` at line 3 column 9"],
      ["bad-ask.json", 'lessons/bad-ask.json: stops[0].ask must be "next_sender" or "will_succeed", not "who"'],
      ["no-title.json", "lessons/no-title.json: title is missing: give the lesson a title, as a string"],
      ["too-far.json", "lessons/too-far.json: stops[0].at is 9, but this run has 3 steps"],
    ];
    for (const [file, message] of cases) {
      await gotoApp(page, app.url(`/lessons?file=${file}`));
      const problems = byTestId(page, "lesson-problems");
      await problems.waitFor();
      assert.equal(await problems.locator("li").first().textContent(), message, file);
      assert.equal(await problems.getAttribute("role"), "alert");
      assert.equal(await page.locator("h1").textContent(), "This lesson could not be opened");
      assert.equal(await byTestId(page, "diagram").count(), 0);
    }

    // A file that is not there.
    await gotoApp(page, app.url("/lessons?file=missing.json"));
    await byTestId(page, "lesson-problems").waitFor();
    assert.equal(
      await byTestId(page, "lesson-problems").locator("li").textContent(),
      "lessons/missing.json was not found beside the app (the server answered 404 Not Found).",
    );

    // An index that lists a broken file: the other lessons still show.
    await page.route(app.url("/lessons/index.json"), (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: '{"lessons": ["pkce.json", "bad-ask.json"]}' }),
    );
    await gotoApp(page, app.url("/lessons"));
    await byTestId(page, "lesson-link").waitFor();
    await byTestId(page, "lesson-card-problems").waitFor();
    assert.equal(await byTestId(page, "lesson-link").count(), 1);
    assert.match(await byTestId(page, "lesson-card-problems").textContent(), /lessons\/bad-ask\.json: stops\[0\]\.ask must be/);
    page.assertClean({ allow: ["/lessons/missing.json"] });
  });

  test("a file name with a folder, .. or an address is refused, and nothing is requested", async () => {
    const page = await openPage(app, null);
    for (const name of ["../x.json", "https://evil.example/x.json", "sub/x.json", "x.txt"]) {
      await gotoApp(page, app.url(`/lessons?file=${encodeURIComponent(name)}`));
      await byTestId(page, "lesson-problems").waitFor();
      assert.match(await byTestId(page, "lesson-problems").textContent(), new RegExp(`^"${name.replace(/[.]/g, "\\.")}" is refused: `));
    }
    const fetched = page.requests.filter((url) => /x\.(json|txt)/.test(new URL(url).pathname));
    assert.deepEqual(fetched, [], "no lesson file was requested");
    page.assertClean();
  });

  test("axe-core: the list, a question, its feedback, the summary and an error, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await gotoApp(page, app.url("/lessons"));
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="lesson-link"]').length === n,
        INDEX.lessons.length,
      );
      await assertNoAxeViolations(page, `lessons list (${colorScheme})`);
      await gotoApp(page, app.url("/lessons?file=device.json"));
      await byTestId(page, "lesson-question").waitFor();
      await assertNoAxeViolations(page, `a lesson's question (${colorScheme})`);
      await byTestId(page, "lesson-check").click();
      assert.equal(await byTestId(page, "lesson-feedback").textContent(), "Choose an answer first, then press Check.");
      await byTestId(page, "lesson-choice-browser").check();
      await byTestId(page, "lesson-check").click();
      await byTestId(page, "lesson-revealed").waitFor();
      await assertNoAxeViolations(page, `a wrong answer's feedback (${colorScheme})`);
      await gotoApp(page, app.url("/lessons?file=device.json&stop=end"));
      await byTestId(page, "lesson-score").waitFor();
      assert.match(await byTestId(page, "lesson-score").textContent(), /^You predicted 0 of 4 steps right\./);
      await assertNoAxeViolations(page, `a lesson's summary (${colorScheme})`);
      await gotoApp(page, app.url("/lessons?file=..%2Fx.json"));
      await byTestId(page, "lesson-problems").waitFor();
      await assertNoAxeViolations(page, `a refused lesson (${colorScheme})`);
      page.assertClean();
    }
  });
});

describe("guided lessons under a sub-path", () => {
  const app = useApp({ before, after }, { dist: SUBPATH_DIST, base: SUBPATH });

  test("lessons load from the sub-path's lessons/ folder", async () => {
    const page = await openPage(app, "/lessons?file=pkce.json&stop=2");
    await byTestId(page, "lesson-stop").waitFor();
    assert.equal(await byTestId(page, "lesson-stop-heading").textContent(), "Stop 2 of 5: Signed in");
    assert.ok(page.requests.includes(app.url("/lessons/pkce.json")));
    await byTestId(page, "lesson-all").click();
    await byTestId(page, "lessons-list").waitFor();
    assert.ok(page.requests.includes(app.url("/lessons/index.json")));
    assert.ok(new URL(page.url()).pathname.startsWith(SUBPATH));
    page.assertClean();
  });
});

describe("guided lessons with the service worker", () => {
  let browser;
  before(async () => (browser = await launch()));
  after(async () => browser?.close());

  test("an instructor's edited and added lessons show at once, and stay available offline", async () => {
    const root = await mkdtemp(join(tmpdir(), "oauth-playground-lessons-"));
    await cp(DIST, root, { recursive: true });
    const server = await serve(root, "/");
    const context = await browser.newContext({ serviceWorkers: "allow" });
    try {
      const page = await context.newPage();
      await page.goto(server.url + "lessons");
      await byTestId(page, "lesson-link").first().waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

      // Edit a shipped lesson and drop a new one beside the app: no rebuild.
      const pkce = JSON.parse(await readFile(join(root, "lessons", "pkce.json"), "utf8"));
      await writeFile(join(root, "lessons", "pkce.json"), JSON.stringify({ ...pkce, title: "PKCE, edited" }));
      await writeFile(join(root, "lessons", "my-lesson.json"), JSON.stringify({ ...pkce, title: "My own lesson" }));
      await page.goto(server.url + "lessons?file=pkce.json");
      assert.equal(await byTestId(page, "lesson-title").textContent(), "PKCE, edited");
      await page.goto(server.url + "lessons?file=my-lesson.json");
      assert.equal(await byTestId(page, "lesson-title").textContent(), "My own lesson");
      // Listed in the index, where the build wrote no card for it: the
      // list reads its file.
      const index = JSON.parse(await readFile(join(root, "lessons", "index.json"), "utf8"));
      assert.ok(index.cards["pkce.json"], "the build wrote the shipped lessons' cards");
      await writeFile(join(root, "lessons", "index.json"), JSON.stringify({ ...index, lessons: [...index.lessons, "my-lesson.json"] }));
      await page.goto(server.url + "lessons");
      const mine = page.locator('[data-file="my-lesson.json"]');
      await mine.getByTestId("lesson-size").waitFor();
      assert.equal(await mine.getByTestId("lesson-link").textContent(), "My own lesson");

      // With the network cut, the list, a shipped lesson and the dropped one still open.
      await server.close();
      await context.setOffline(true);
      await page.goto(server.url + "lessons");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="lesson-link"]').length > 10);
      await page.goto(server.url + "lessons?file=my-lesson.json&stop=2");
      await byTestId(page, "lesson-stop").waitFor();
      assert.equal(await byTestId(page, "lesson-title").textContent(), "My own lesson");
      await page.goto(server.url + "lessons?file=device.json");
      await byTestId(page, "lesson-question").waitFor();
    } finally {
      await context.close();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
