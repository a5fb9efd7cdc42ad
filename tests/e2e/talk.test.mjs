// Two windows, one talk (issue 19): the instructor's window opens an
// audience window for the projector, and the two stay in step through the
// browser's BroadcastChannel. Two pages of one browser context are two
// windows of one browser: same origin, same channel.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertNoAxeViolations, byTestId, openPage, useApp } from "./support.mjs";

const counter = (page) => byTestId(page, "flow-step-counter").textContent();

/** Waits until `page`'s step counter reads "Step `step` of …". */
async function atStep(page, step) {
  await byTestId(page, "flow-step-counter")
    .filter({ hasText: new RegExp(`^Step ${step} of \\d+$`) })
    .waitFor({ timeout: 5000 });
}

/** Opens the audience window from `page`: the popup, once its diagram is drawn. */
async function openAudience(page) {
  const [audience] = await Promise.all([
    page.context().waitForEvent("page"),
    byTestId(page, "audience-open").click(),
  ]);
  await audience.waitForLoadState();
  return audience;
}

describe("Two windows, one talk", () => {
  const app = useApp({ before, after });

  test("the audience window shows the diagram and narration only, and both windows step together", async () => {
    const instructor = await openPage(app, "/flow?flow=spa&step=2");
    await byTestId(instructor, "diagram").waitFor();
    await atStep(instructor, 2);
    // Out of a talk there are no speaker notes.
    assert.equal(await byTestId(instructor, "speaker-notes").isVisible(), false);

    const audience = await openAudience(instructor);
    await byTestId(audience, "diagram").waitFor();
    await atStep(audience, 2);
    // The audience window: presenter view, no controls but the counter,
    // no inspector, no notes, no link to open another.
    assert.equal(await audience.locator("article.flow--presenter.flow--audience").count(), 1);
    for (const id of ["flow-forward", "flow-back", "flow-presenter", "speaker-notes", "audience-open"]) {
      assert.equal(await byTestId(audience, id).isVisible(), false, `${id} is not on the projector`);
    }
    assert.equal(await audience.locator(".inspector").isVisible(), false);
    assert.equal(await audience.locator(".narration").isVisible(), true);

    // The instructor's notes say what the next step shows.
    const notes = byTestId(instructor, "speaker-notes");
    await notes.waitFor();
    assert.match(await notes.textContent(), /Next: Step 3 of \d+/);

    // A step in the instructor's window moves the audience's.
    await byTestId(instructor, "flow-forward").click();
    await atStep(instructor, 3);
    await atStep(audience, 3);
    assert.match(await notes.textContent(), /Next: Step 4 of \d+/);

    // A clicker's Page Down in the audience window, wherever the focus,
    // steps both; Page Up in the instructor's steps both back.
    await audience.evaluate(() => document.activeElement?.blur());
    await audience.keyboard.press("PageDown");
    await atStep(audience, 4);
    await atStep(instructor, 4);
    await instructor.evaluate(() => document.activeElement?.blur());
    await instructor.keyboard.press("PageUp");
    await atStep(instructor, 3);
    await atStep(audience, 3);

    // The audience window is presenter view: `+` zooms its diagram from
    // anywhere on the page.
    const zoom = (page) => page.locator("figure.diagram").evaluate((figure) => figure.style.getPropertyValue("--zoom"));
    const before = await zoom(audience);
    await audience.keyboard.press("+");
    await audience.waitForFunction(
      (before) => document.querySelector("figure.diagram").style.getPropertyValue("--zoom") !== before,
      before,
      { timeout: 5000 },
    );
    assert.ok(Number(await zoom(audience)) > Number(before), "zoomed in");

    // Another flow in the instructor's window is the audience's too.
    await instructor.locator("#flow-preset-web-app").check();
    await audience.waitForURL(/flow=web-app/, { timeout: 5000 });
    await byTestId(audience, "diagram").waitFor();
    assert.equal(await counter(audience), await counter(instructor));

    await assertNoAxeViolations(instructor, "the instructor's window");
    await assertNoAxeViolations(audience, "the audience window");

    // Closing the audience window leaves the instructor's working.
    await audience.close();
    await byTestId(instructor, "flow-restart").click();
    await atStep(instructor, 1);
    await byTestId(instructor, "flow-forward").click();
    await atStep(instructor, 2);
    instructor.assertClean();
    await instructor.context().close();
  });

  test("the AI agent's settings changed in the instructor's window are the audience's too", async () => {
    const instructor = await openPage(app, "/flow?flow=agent&step=3");
    await byTestId(instructor, "agent-first-scope").waitFor();
    await atStep(instructor, 3);
    const audience = await openAudience(instructor);
    await byTestId(audience, "diagram").waitFor();
    await atStep(audience, 3);
    const lines = (page) =>
      page.locator('[data-testid="diagram"] .arrow-label').allTextContents();
    // No Client ID Metadata Documents: the agent registers (RFC 7591).
    await byTestId(instructor, "agent-metadata-documents").uncheck();
    await audience.waitForFunction(
      () => document.querySelector('[data-testid="diagram"]').textContent.includes("/register"),
      null,
      { timeout: 5000 },
    );
    assert.deepEqual(await lines(audience), await lines(instructor));
    instructor.assertClean();
    await instructor.context().close();
  });

  test("closing the instructor's window leaves the audience's working; the notes' button ends the talk", async () => {
    const instructor = await openPage(app, "/flow?flow=oidc&step=1");
    await byTestId(instructor, "diagram").waitFor();
    const audience = await openAudience(instructor);
    await atStep(audience, 1);
    // The instructor's window closes: the audience window keeps its step
    // and its keys.
    const second = await instructor.context().newPage();
    await instructor.close();
    await audience.keyboard.press("PageDown");
    await atStep(audience, 2);

    // A new instructor's window opens another audience window; its
    // "Close the audience window" closes it and ends the talk.
    await second.goto(app.url("/flow?flow=spa&step=1"));
    await byTestId(second, "diagram").waitFor();
    await audience.close();
    const projector = await openAudience(second);
    await atStep(projector, 1);
    const closed = projector.waitForEvent("close");
    await byTestId(second, "audience-close").click();
    await closed;
    assert.equal(await byTestId(second, "speaker-notes").isVisible(), false);
    // Out of the talk, Page Down on the page (not on the player) does
    // nothing.
    await second.evaluate(() => document.activeElement?.blur());
    await second.keyboard.press("PageDown");
    assert.match(await counter(second), /^Step 1 of/);
    await second.context().close();
  });

  test("a reload of either window keeps its part in the talk", async () => {
    const instructor = await openPage(app, "/flow?flow=spa&step=2");
    await byTestId(instructor, "diagram").waitFor();
    const audience = await openAudience(instructor);
    await atStep(audience, 2);

    // The instructor's window, reloaded: still the instructor's (the tab
    // keeps it), with its notes, and still moving the projector.
    await instructor.reload();
    await byTestId(instructor, "diagram").waitFor();
    await byTestId(instructor, "speaker-notes").waitFor();
    await byTestId(instructor, "flow-forward").click();
    await atStep(instructor, 3);
    await atStep(audience, 3);

    // The audience window, reloaded: still the audience's (its name says
    // so), and it takes the instructor's step again.
    await audience.reload();
    await audience.locator("article.flow--audience").waitFor();
    assert.equal(await byTestId(audience, "speaker-notes").isVisible(), false);
    await atStep(audience, 3);
    await byTestId(instructor, "flow-forward").click();
    await atStep(audience, 4);
    instructor.assertClean();
    await instructor.context().close();
  });

  test("a lesson in a talk: the instructor's notes give the answer, and the audience follows every stop", async () => {
    const instructor = await openPage(app, "/lessons?file=authorization-code.json&stop=1");
    await byTestId(instructor, "lesson-stop").waitFor();
    const audience = await openAudience(instructor);
    await byTestId(audience, "lesson-stop").waitFor();
    const heading = (page) => byTestId(page, "lesson-stop-heading").textContent();
    assert.equal(await heading(audience), await heading(instructor));
    // The answer is in the instructor's notes only.
    const notes = byTestId(instructor, "speaker-notes");
    await notes.waitFor();
    assert.match(await notes.textContent(), /Answer: User and browser\./);
    assert.equal(await byTestId(audience, "speaker-notes").isVisible(), false);

    // The instructor answers and continues: the audience window shows the
    // answer, then the next stop.
    await byTestId(instructor, "lesson-choice-browser").check();
    await byTestId(instructor, "lesson-check").click();
    await byTestId(audience, "lesson-revealed").waitFor({ timeout: 5000 });
    await byTestId(instructor, "lesson-continue").click();
    await audience.waitForFunction(
      () => document.querySelector('[data-testid="lesson-stop-heading"]')?.textContent.startsWith("Stop 2 of"),
      null,
      { timeout: 5000 },
    );
    // Page Up in the audience window goes back a stop in both.
    await audience.evaluate(() => document.activeElement?.blur());
    await audience.keyboard.press("PageUp");
    await instructor.waitForFunction(
      () => document.querySelector('[data-testid="lesson-stop-heading"]')?.textContent.startsWith("Stop 1 of"),
      null,
      { timeout: 5000 },
    );
    await assertNoAxeViolations(instructor, "the lesson, instructor's window");
    await assertNoAxeViolations(audience, "the lesson, audience window");
    instructor.assertClean();
    await instructor.context().close();
  });
});
