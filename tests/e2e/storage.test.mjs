// Where tokens live, as a learner uses it: the four architectures stepped
// together by keyboard, what the page's JavaScript can reach in each, and
// the table of what the injected script's attacker got. Every assertion
// reads what the page shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertNoAxeViolations, byTestId, openPage, useApp } from "./support.mjs";

const ARCHITECTURES = ["local-storage", "memory", "token-mediating-backend", "bff"];

const counter = async (page) => (await byTestId(page, "storage-steps-counter").textContent()).match(/Step (\d+) of (\d+)/);

/** What the run of `slug` shows now: its phase, its step, and the places the page reaches. */
async function runNow(page, slug) {
  return {
    phase: await byTestId(page, `storage-${slug}-phase`).textContent(),
    summary: await byTestId(page, `storage-${slug}-summary`).textContent(),
    reach: await page
      .locator(`[data-testid="storage-${slug}-reach"] li`)
      .evaluateAll((items) => items.map((li) => ({ place: li.dataset.place, text: li.textContent }))),
  };
}

/** The table's row `label`, one { good, text } per architecture. */
async function row(page, label) {
  const cells = page.locator(`[data-testid="storage-outcome"] tr[data-row="${label}"] td`);
  return cells.evaluateAll((tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.side, { good: td.dataset.good === "true", text: td.textContent }])),
  );
}

describe("Where tokens live", () => {
  const app = useApp({ before, after });

  test("stepped together by keyboard, each architecture shows what the page can reach, and the table agrees", async () => {
    const page = await openPage(app, "/token-storage");
    await byTestId(page, "storage-outcome").waitFor();
    const [, , total] = await counter(page);
    await byTestId(page, "storage-steps-restart").focus();
    const seen = Object.fromEntries(ARCHITECTURES.map((slug) => [slug, []]));
    for (let step = 1; step <= Number(total); step++) {
      if (step > 1) await page.keyboard.press("ArrowRight");
      assert.equal((await counter(page))[1], String(step));
      for (const slug of ARCHITECTURES) seen[slug].push(await runNow(page, slug));
    }
    const during = (slug, phase) => seen[slug].filter((now) => now.phase.startsWith(phase));
    const places = (nows) => new Set(nows.flatMap((now) => now.reach.map((held) => held.place)));
    // Each run goes through the phases in order; against the BFF the
    // attacker has nothing to try once the tab is closed, so its run ends
    // with the script.
    for (const slug of ARCHITECTURES) {
      const phases = [...new Set(seen[slug].map((now) => now.phase))];
      const expected = ["The app signs", "The injected script", "The tab is"];
      assert.deepEqual(
        phases.map((phase) => phase.split(" ").slice(0, 3).join(" ")),
        slug === "bff" ? expected.slice(0, 2) : expected,
        slug,
      );
    }
    // localStorage: the script reads both tokens, and they stay after the tab closes.
    const stored = during("local-storage", "The tab is").at(-1).reach;
    assert.deepEqual(stored.map((held) => held.place), ["localStorage", "localStorage"]);
    assert.match(stored[0].text, /Access token, in localStorage: a script reads it\./);
    // Memory: seen when used, gone with the tab.
    assert.deepEqual([...places(during("memory", "The injected script"))], ["a variable of the page's code"]);
    assert.deepEqual(during("memory", "The tab is").at(-1).reach, []);
    // A BFF: the page holds only a cookie it cannot read; the tokens stay on the backend.
    const bff = during("bff", "The injected script").at(-1).reach;
    assert.ok(bff.some((held) => /Session cookie, in an HttpOnly cookie: a script sends it without reading it/.test(held.text)));
    assert.ok(bff.some((held) => /Refresh token, in the backend: a script cannot reach it/.test(held.text)));
    assert.ok(!places(seen.bff).has("localStorage"));
    // After the tab closes, only the attacker sends.
    for (const slug of ARCHITECTURES) {
      for (const now of during(slug, "The tab is")) assert.match(now.summary, /: Attacker to /, slug);
    }

    // The table, read from the runs.
    const access = await row(page, "Access token taken");
    assert.equal(access["local-storage"].good, false);
    assert.equal(access.memory.good, false);
    assert.equal(access["token-mediating-backend"].good, false);
    assert.deepEqual(access.bff, { good: true, text: "✓Safe: No" });
    const refresh = await row(page, "Refresh token taken");
    assert.equal(refresh["token-mediating-backend"].good, true);
    assert.equal(refresh.bff.good, true);
    const open = await row(page, "The user's API called, tab open");
    for (const slug of ARCHITECTURES) assert.equal(open[slug].good, false, `${slug}: the script can use an open tab`);
    assert.match(open.bff.text, /through the user's browser/);
    const closed = await row(page, "The user's API called, tab closed");
    assert.equal(closed.bff.good, true);
    assert.equal(closed["local-storage"].good, false);
    const lasts = await row(page, "For how long, once the tab is closed");
    assert.match(lasts["local-storage"].text, /\d+ (h|days), the refresh token's lifetime/);
    assert.match(lasts["token-mediating-backend"].text, /min, until the access token expires/);
    assert.match(lasts.bff.text, /Not at all/);
    page.assertClean();
  });

  test("the step is in the address bar: a link opens it and a reload keeps it", async () => {
    const page = await openPage(app, "/token-storage?step=5");
    await byTestId(page, "storage-outcome").waitFor();
    assert.equal((await counter(page))[1], "5");
    await byTestId(page, "storage-steps-forward").click();
    assert.match(page.url(), /\/token-storage\?step=6$/);
    await page.reload();
    await byTestId(page, "storage-outcome").waitFor();
    assert.equal((await counter(page))[1], "6");
    page.assertClean();
  });

  test("on a phone the four runs stack, with no sideways scrolling of the page", async () => {
    const page = await openPage(app, "/token-storage", { viewport: { width: 390, height: 844 } });
    await byTestId(page, "storage-outcome").waitFor();
    const lefts = await page.locator(".compare__side").evaluateAll((sides) => sides.map((side) => Math.round(side.getBoundingClientRect().left)));
    assert.equal(lefts.length, 4);
    assert.equal(new Set(lefts).size, 1, `one column: ${lefts}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page overflow ${overflow} px`);
    page.assertClean();
  });

  test("axe-core finds nothing, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/token-storage"));
      await byTestId(page, "storage-outcome").waitFor();
      await byTestId(page, "storage-steps-end").click();
      await assertNoAxeViolations(page, `token storage (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });
});
