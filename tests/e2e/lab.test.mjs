// The lab screens as a learner uses them: Implicit vs Code stepped side by
// side, and every attack of the attack lab with its defence off and on,
// through the page's own controls. Every assertion reads what the page
// shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertLaneNamesInView, assertNoAxeViolations, byTestId, openPage, useApp } from "./support.mjs";

/** What one side of the comparison shows at the current step. */
async function sideNow(page, side) {
  const exposures = await page
    .locator(`[data-testid="compare-${side}-exposures"] li`)
    .evaluateAll((items) =>
      items.map((li) => ({ credential: li.dataset.credential, place: li.dataset.place, text: li.textContent })),
    );
  return {
    summary: await byTestId(page, `compare-${side}-summary`).textContent(),
    address: await byTestId(page, `compare-${side}-address`).textContent(),
    exposures,
  };
}

/** The verdict row `label`: { implicit: {good, text}, code: {good, text} }. */
async function verdict(page, label) {
  const row = page.locator(`[data-testid="compare-verdicts"] tr[data-row="${label}"]`);
  const cell = async (side) => {
    const td = row.locator(`td[data-side="${side}"]`);
    return { good: (await td.getAttribute("data-good")) === "true", text: await td.textContent() };
  };
  return { implicit: await cell("implicit"), code: await cell("code") };
}

const counter = async (page, id) => (await byTestId(page, `${id}-counter`).textContent()).match(/Step (\d+) of (\d+)/);

// For each attack: what the attacker gets with the defence off, and with it
// on, the exchange that refuses it and the error it states.
const ATTACKS = [
  {
    slug: "login-csrf",
    gained: "Mallory (the attacker)",
    stoppedAt: "User and browser to Client, GET /callback, 400 Bad Request",
    error: "state in the callback is not the one the client sent",
  },
  {
    slug: "code-interception",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_grant",
  },
  {
    slug: "pkce-downgrade",
    gained: "Alice Liddell",
    stoppedAt: "User and browser to Authorization server, GET /authorize, 302 Found",
    error: "invalid_request: code_challenge is required",
  },
  {
    slug: "code-replay",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_grant: the authorization code was already used",
  },
  {
    slug: "redirect-uri",
    gained: "Alice Liddell",
    stoppedAt: "User and browser to Authorization server, GET /authorize, 400 Bad Request",
    error: "is not registered for this client",
  },
  {
    slug: "refresh-theft",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_grant: the refresh token has been revoked",
  },
  {
    slug: "mix-up",
    gained: "Alice Liddell",
    stoppedAt: "User and browser to Client, GET /callback, 400 Bad Request",
    error: "iss is https://as.example but the request went to https://attacker.example",
  },
  {
    slug: "implicit-leakage",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_grant",
  },
  // The three on DPoP and PAR: the lab loads their code when one is picked.
  {
    slug: "stolen-token",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Resource server, GET /profile, 401 Unauthorized",
    error: "invalid_dpop_proof",
  },
  {
    slug: "request-tampering",
    gained: 'issued a token for "read write"',
    stoppedAt: "User and browser to Authorization server, GET /authorize, 302 Found",
    error: "invalid_request",
  },
  {
    slug: "dpop-proof-replay",
    gained: "The White Rabbit",
    stoppedAt: "Attacker to Resource server, GET /contacts, 401 Unauthorized",
    error: "htu",
  },
  {
    slug: "secret-in-bundle",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_grant",
  },
  {
    slug: "tokens-in-storage",
    gained: "Alice Liddell",
    stoppedAt: "Attacker to Authorization server, POST /token, 400 Bad Request",
    error: "invalid_dpop_proof",
  },
  // The five on an AI agent and its tool servers (MCP): the lab loads the
  // agent's code when one is picked. In the first, the one who takes what
  // is not theirs is the tool server itself; in the last, the deciding
  // step is the first.
  {
    slug: "token-passthrough",
    gained: "Standup at 9:30",
    stoppedAt: "Tool server (MCP) to Resource server, GET /calendar/events, 401 Unauthorized",
    error: "invalid_token: the token is meant for another audience",
    attackerLane: "Tool server (MCP)",
  },
  {
    slug: "tool-token-replay",
    gained: "Created: lunch at 12:00",
    stoppedAt: "Attacker to Tool server (MCP), POST /mcp, 401 Unauthorized",
    error: "invalid_token: the token is meant for another audience",
  },
  {
    slug: "forged-resource-metadata",
    gained: "Created: lunch at 12:00",
    stoppedAt: "AI agent (MCP client) to Attacker, GET /.well-known/oauth-protected-resource/mcp, 200 OK",
    error: 'the resource metadata is for "https://tools.example/mcp", not "https://notes.attacker.example/mcp"',
  },
  {
    slug: "client-document-redirect",
    gained: "Created: lunch at 12:00",
    stoppedAt: "User and browser to Authorization server, GET /authorize, 400 Bad Request",
    error: "redirect_uris https://attacker.example/callback are on another host",
  },
  {
    slug: "client-document-ssrf",
    gained: "with the instance's credentials",
    stoppedAt: "Attacker to Authorization server, GET /authorize, 400 Bad Request",
    error: "is a special-use address, which the server does not fetch",
    decidedAtFirstStep: true,
  },
];

/** Shows the outcome: by its button, unless the step shown decides it. */
async function jumpToOutcome(page) {
  await page.locator('[data-testid="attack-jump"], [data-testid="attack-outcome"]').first().waitFor();
  if ((await byTestId(page, "attack-jump").count()) > 0) await byTestId(page, "attack-jump").click();
}

describe("Implicit vs Code", () => {
  const app = useApp({ before, after });

  test("stepped together by keyboard, the token shows in the implicit run's address bar and history, and only on the code run's back channel", async () => {
    const page = await openPage(app, "/compare");
    await byTestId(page, "compare-verdicts").waitFor();
    const [, , total] = await counter(page, "compare-steps");
    // The keys step both runs once the focus is on the screen's controls
    // or diagrams (anywhere but a field).
    await byTestId(page, "compare-steps-restart").focus();
    const seen = { implicit: [], code: [] };
    for (let step = 1; step <= Number(total); step++) {
      if (step > 1) await page.keyboard.press("ArrowRight");
      assert.equal((await counter(page, "compare-steps"))[1], String(step));
      for (const side of ["implicit", "code"]) seen[side].push(await sideNow(page, side));
    }
    // Implicit: the token arrives in the fragment, in plain sight.
    const implicitCallback = seen.implicit.find((now) => now.summary.includes("GET /callback"));
    assert.match(implicitCallback.address, /#access_token=eyJ/);
    const implicitEnd = seen.implicit.at(-1);
    const places = (now, credential) =>
      now.exposures.filter((e) => e.credential === credential).map((e) => e.place);
    for (const place of ["Address bar", "Browser history", "Scripts on the page"]) {
      assert.ok(places(implicitEnd, "Access token").includes(place), `implicit: token in ${place}`);
    }
    assert.ok(!places(implicitEnd, "Refresh token").length, "implicit: no refresh token");
    // Code + PKCE: only the code is ever in the address bar; the tokens
    // travel the back channel.
    for (const now of seen.code) {
      assert.doesNotMatch(now.address, /access_token/);
      for (const place of places(now, "Access token")) assert.equal(place, "Back channel");
    }
    const codeEnd = seen.code.at(-1);
    assert.ok(places(codeEnd, "Authorization code").includes("Browser history"));
    assert.ok(places(codeEnd, "Refresh token").includes("Back channel"));
    // The last step of each run: someone replays what the history holds.
    assert.match(implicitEnd.summary, /Attacker to Resource server, GET \/profile, 200 OK/);
    assert.match(codeEnd.summary, /Attacker to Authorization server, POST \/token, 400 Bad Request/);

    // The verdicts agree with what the runs showed.
    const inUrl = await verdict(page, "Access token in a URL");
    assert.equal(inUrl.implicit.good, false);
    assert.equal(inUrl.code.good, true);
    const inHistory = await verdict(page, "Access token in the browser history");
    assert.equal(inHistory.implicit.good, !places(implicitEnd, "Access token").includes("Browser history"));
    assert.equal(inHistory.code.good, !places(codeEnd, "Access token").includes("Browser history"));
    const referer = await verdict(page, "Access token in a Referer header");
    assert.match(referer.implicit.text, /never carries the fragment/);
    const refresh = await verdict(page, "Refresh token available");
    assert.equal(refresh.implicit.good, false);
    assert.equal(refresh.code.good, true);
    const replay = await verdict(page, "What the history holds can be replayed");
    assert.equal(replay.implicit.good, false);
    assert.match(replay.implicit.text, /Alice Liddell/);
    assert.equal(replay.code.good, true);
    assert.match(replay.code.text, /invalid_grant/);
    const status = await verdict(page, "RFC 9700 says");
    assert.match(status.implicit.text, /2\.1\.2/);
    assert.match(status.code.text, /2\.1\.1/);
    page.assertClean();
  });

  test("at 1280 by 720, step 7: both diagrams have scrolled and still show every lane's name", async () => {
    const page = await openPage(app, "/compare?step=7", { viewport: { width: 1280, height: 720 } });
    await byTestId(page, "compare-verdicts").waitFor();
    await assertLaneNamesInView(page, "Implicit vs Code at step 7");
    page.assertClean();
  });

  test("the step is in the address bar: a link opens it and a reload keeps it", async () => {
    const page = await openPage(app, "/compare?step=5");
    await byTestId(page, "compare-verdicts").waitFor();
    assert.equal((await counter(page, "compare-steps"))[1], "5");
    await byTestId(page, "compare-steps-forward").click();
    assert.match(page.url(), /\/compare\?step=6$/);
    await page.reload();
    await byTestId(page, "compare-verdicts").waitFor();
    assert.equal((await counter(page, "compare-steps"))[1], "6");
    page.assertClean();
  });

  for (const width of [1280, 1920]) {
    test(`at ${width} px both diagrams show every lane, with no sideways scrolling`, async () => {
      const page = await openPage(app, "/compare?step=10", { viewport: { width, height: 900 } });
      await byTestId(page, "compare-verdicts").waitFor();
      const boxes = await page.locator(".compare__side .diagram__scroll").evaluateAll((boxes) =>
        boxes.map((box) => ({
          overflow: box.scrollWidth - box.clientWidth,
          lanes: box.querySelectorAll(".lane-label").length,
          // The last lane's label ends inside the box.
          lastInside: (() => {
            const labels = [...box.querySelectorAll(".lane-label")];
            return labels.at(-1).getBoundingClientRect().right <= box.getBoundingClientRect().right;
          })(),
        })),
      );
      assert.equal(boxes.length, 2);
      for (const box of boxes) {
        assert.ok(box.overflow <= 1, `overflow ${box.overflow} px`);
        assert.ok(box.lanes >= 5 && box.lastInside, JSON.stringify(box));
      }
      page.assertClean();
    });
  }

  test("axe-core finds nothing, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/compare"));
      await byTestId(page, "compare-verdicts").waitFor();
      await byTestId(page, "compare-steps-end").click();
      await assertNoAxeViolations(page, `compare (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });
});

describe("Attack lab", () => {
  const app = useApp({ before, after });

  for (const attack of ATTACKS) {
    test(`${attack.slug}: with the defence off the attacker gets the resource; on, it is stopped with its error`, async () => {
      const page = await openPage(app, "/attacks");
      await byTestId(page, `attack-${attack.slug}`).check();
      const defence = byTestId(page, "attack-defence");

      await defence.uncheck();
      await jumpToOutcome(page);
      const outcome = byTestId(page, "attack-outcome");
      assert.equal(await outcome.getAttribute("data-outcome"), "succeeded");
      assert.ok((await byTestId(page, "attack-outcome-detail").textContent()).includes(attack.gained));
      // The attacker has a lane of its own, and the trace uses it.
      const lanes = await byTestId(page, "diagram-lane").allTextContents();
      assert.ok(lanes.includes(attack.attackerLane ?? "Attacker"), `lanes: ${lanes}`);

      await defence.check();
      await byTestId(page, "attack-steps-restart").click();
      if (attack.decidedAtFirstStep) {
        await outcome.waitFor();
      } else {
        assert.equal(await byTestId(page, "attack-outcome").count(), 0, "the outcome waits for its step");
        // Stepping before the deciding step leaves the outcome's live region
        // as it is (the same node), so a screen reader does not hear it again.
        const waiting = await byTestId(page, "attack-jump").elementHandle();
        await byTestId(page, "attack-steps-forward").click();
        if ((await byTestId(page, "attack-outcome").count()) === 0) {
          assert.equal(await waiting.evaluate((button) => button.isConnected), true, "not drawn anew on a step");
          await byTestId(page, "attack-jump").click();
        }
      }
      assert.equal(await outcome.getAttribute("data-outcome"), "stopped");
      assert.ok(
        (await byTestId(page, "attack-outcome-detail").textContent()).includes(attack.error),
        `error of ${attack.slug}`,
      );
      assert.ok(
        (await byTestId(page, "attack-step-summary").textContent()).includes(attack.stoppedAt),
        `stopping step of ${attack.slug}`,
      );
      // The address bar names the view, so a link or a reload brings it back.
      assert.match(page.url(), new RegExp(`attack=${attack.slug}&defence=on&step=\\d+`));
      page.assertClean();
      await page.context().close();
    });
  }

  test("a link opens the attack, defence and step it names, and parts it cannot use are named", async () => {
    const page = await openPage(app, "/attacks?attack=mix-up&defence=on&step=3&colour=red");
    await byTestId(page, "attack-steps-counter").waitFor();
    assert.equal(await byTestId(page, "attack-title").textContent(), "Mix-up");
    assert.equal(await byTestId(page, "attack-defence").isChecked(), true);
    assert.match(await byTestId(page, "attack-steps-counter").textContent(), /^Step 3 of/);
    assert.match(await byTestId(page, "attacks-link-note").textContent(), /colour=red/);
    // The keys step from the diagram (or anything else but a field).
    await page.locator(".diagram__scroll").focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await byTestId(page, "attack-steps-counter").textContent(), /^Step 4 of/);
    await page.keyboard.press("End");
    assert.equal(await byTestId(page, "attack-outcome").getAttribute("data-outcome"), "stopped");
    await page.reload();
    await byTestId(page, "attack-outcome").waitFor();
    assert.equal(await byTestId(page, "attack-title").textContent(), "Mix-up");
    page.assertClean();
  });

  test("at the last step the diagram has scrolled and every lane's name is still in view", async () => {
    const page = await openPage(app, "/attacks?attack=refresh-theft&defence=on&step=99", {
      viewport: { width: 1280, height: 720 },
    });
    await byTestId(page, "attack-outcome").waitFor();
    await assertLaneNamesInView(page, "refresh token theft at its last step");
    page.assertClean();
  });

  test("a link to an attack on DPoP opens at its step once the P-256 code has loaded", async () => {
    // Every address the lab writes: until the code has loaded, it keeps
    // the step the link names.
    const page = await openPage(app, null);
    const addresses = [];
    await page.exposeFunction("recordAddress", (url) => addresses.push(url));
    await page.addInitScript(() => {
      const replace = history.replaceState.bind(history);
      history.replaceState = (state, title, url) => {
        window.recordAddress(String(url));
        replace(state, title, url);
      };
    });
    await page.goto(app.url("/attacks?attack=dpop-proof-replay&defence=on&step=8"));
    await byTestId(page, "attack-step-summary").waitFor();
    assert.equal(await byTestId(page, "attack-title").textContent(), "DPoP proof replayed");
    assert.match(await byTestId(page, "attack-steps-counter").textContent(), /^Step 8 of 9/);
    assert.match(await byTestId(page, "attack-step-summary").textContent(), /Attacker to Resource server, GET \/profile, 401/);
    assert.equal(await byTestId(page, "attack-loading").count(), 0);
    assert.match(page.url(), /attack=dpop-proof-replay&defence=on&step=8/);
    assert.ok(addresses.length > 0, "the lab wrote its address");
    for (const address of addresses) assert.match(address, /step=8$/);
    page.assertClean();
  });

  test("a link to an attack on an AI agent opens it once the agent's code has loaded, with its texts and lanes", async () => {
    const page = await openPage(app, "/attacks?attack=tool-token-replay&defence=off&step=3");
    await byTestId(page, "attack-step-summary").waitFor();
    assert.equal(await byTestId(page, "attack-title").textContent(), "Token replayed at another tool server");
    // The picker groups the agent's five under a heading of their own.
    const group = page.locator("fieldset.attacks__group");
    assert.match(await group.locator("legend").textContent(), /AI agent/);
    assert.equal(await group.locator('input[type="radio"]').count(), 5);
    assert.equal(await byTestId(page, "attack-tool-token-replay").isChecked(), true);
    // The explanation, the defence and the sections come with the agent's code.
    assert.match(await byTestId(page, "attack-explanation").textContent(), /resource indicators/);
    assert.match(await page.locator(".attacks__defence").textContent(), /Defence: Agent sends resource, tool server checks the audience/);
    const sections = await page.locator('.attacks__info .narration__refs a').allTextContents();
    assert.ok(sections.some((section) => section.includes("8707")), `sections: ${sections}`);
    assert.match(await byTestId(page, "attack-steps-counter").textContent(), /^Step 3 of 12/);
    const lanes = await byTestId(page, "diagram-lane").allTextContents();
    assert.ok(lanes.includes("AI agent (MCP client)") && lanes.includes("Tool server (MCP)"), `lanes: ${lanes}`);
    assert.equal(await byTestId(page, "attack-loading").count(), 0);
    page.assertClean();
  });

  test("axe-core finds nothing with an outcome on screen, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/attacks?attack=refresh-theft&defence=off"));
      await byTestId(page, "attack-jump").click();
      await assertNoAxeViolations(page, `attack lab, attack succeeded (${colorScheme})`);
      await byTestId(page, "attack-defence").check();
      await assertNoAxeViolations(page, `attack lab, attack stopped (${colorScheme})`);
      await byTestId(page, "attack-stolen-token").check();
      await byTestId(page, "attack-jump").click();
      await assertNoAxeViolations(page, `attack lab, a DPoP attack stopped (${colorScheme})`);
      await byTestId(page, "attack-forged-resource-metadata").check();
      await byTestId(page, "attack-jump").click();
      await assertNoAxeViolations(page, `attack lab, an attack on the agent stopped (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });
});
