// The Flow screen as a person uses it: pick a flow, step through it, read
// the messages, break it, take the diagram away. Every assertion reads what
// the page shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { assertLaneNamesInView, assertNoAxeViolations, byTestId, openPage, useApp } from "./support.mjs";

const require = createRequire(import.meta.url);
const MERMAID = require.resolve("mermaid/dist/mermaid.min.js");

/** Opens the Flow screen on `flow` with a fresh tab's settings. */
async function openFlow(app, flow = "spa", step = 1) {
  const page = await openPage(app, `/flow?flow=${flow}&step=${step}`);
  await byTestId(page, "diagram").waitFor();
  return page;
}

const counter = async (page) => byTestId(page, "flow-step-counter").textContent();
const stepCount = async (page) => Number((await counter(page)).match(/of (\d+)/)[1]);

/** Every step's request line, read from the inspector by stepping through. */
async function requestLines(page) {
  await byTestId(page, "flow-restart").click();
  const lines = [];
  const count = await stepCount(page);
  for (let i = 0; i < count; i++) {
    lines.push((await page.locator("#inspector-heading").textContent()).replace("Inspector: ", ""));
    if (i + 1 < count) await byTestId(page, "flow-forward").click();
  }
  return lines;
}

/** The raw response of every step, joined. */
async function allResponses(page) {
  await byTestId(page, "flow-restart").click();
  const texts = [];
  const count = await stepCount(page);
  for (let i = 0; i < count; i++) {
    texts.push(await byTestId(page, "flow-response").textContent());
    if (i + 1 < count) await byTestId(page, "flow-forward").click();
  }
  return texts.join("\n");
}

/** Goes to the step whose request line is `line` (the first such step). */
async function goToRequest(page, line) {
  await byTestId(page, "flow-restart").click();
  const count = await stepCount(page);
  for (let i = 0; i < count; i++) {
    const heading = await page.locator("#inspector-heading").textContent();
    if (heading === `Inspector: ${line}`) return;
    await byTestId(page, "flow-forward").click();
  }
  throw new Error(`no step ${line}`);
}

async function breakIt(page, breakage) {
  await page.locator('[data-testid="flow-break-it"] summary').click();
  await byTestId(page, `flow-break-${breakage}`).click();
}

const CODE_FLOW = ["GET /authorize", "POST /login", "POST /consent", "GET /callback", "POST /token"];

describe("Flow screen", () => {
  const app = useApp({ before, after });

  test("at its last step the diagram has scrolled, and every lane's name is still in view", async () => {
    const page = await openPage(app, "/flow?flow=device&step=99", { viewport: { width: 1280, height: 720 } });
    await byTestId(page, "flow-outcome").waitFor();
    await assertLaneNamesInView(page, "the device flow at its last step");
    page.assertClean();
  });

  test("each flow runs from start to finish with the steps it should have", async () => {
    const expected = {
      // The app runs in the page: the browser preflights its first API
      // call (Authorization is not a safelisted header) and keeps the answer.
      spa: [...CODE_FLOW, "OPTIONS /profile", "GET /profile", "GET /profile"],
      "web-app": [...CODE_FLOW, "GET /profile", "GET /profile"],
      "client-credentials": ["POST /token", "GET /profile", "GET /profile"],
      device: [
        "POST /device_authorization",
        "POST /token",
        "POST /token",
        "GET /device",
        "POST /device",
        "POST /login",
        "POST /consent",
        "POST /token",
        "GET /profile",
        "GET /profile",
      ],
      refresh: [...CODE_FLOW, "GET /profile", "POST /token", "GET /profile"],
      oidc: [...CODE_FLOW, "GET /jwks", "GET /profile", "GET /profile"],
    };
    for (const [flow, lines] of Object.entries(expected)) {
      const page = await openFlow(app, flow);
      assert.equal(await page.locator(`#flow-preset-${flow}`).isChecked(), true);
      assert.deepEqual(await requestLines(page), lines, flow);
      assert.match(await byTestId(page, "flow-outcome").textContent(), /The flow completed/, flow);
      page.assertClean();
      await page.context().close();
    }
  });

  test("the messages say what the protocol says", async () => {
    const page = await openFlow(app, "web-app");
    await goToRequest(page, "POST /token");
    const request = await byTestId(page, "flow-request").textContent();
    assert.match(request, /^POST \/token HTTP\/1\.1/);
    assert.match(request, /Authorization: Basic /);
    assert.match(request, /grant_type=authorization_code/);
    assert.match(request, /code_verifier=/);
    const params = await byTestId(page, "flow-request-params").textContent();
    assert.match(params, /webapp:webapp-secret-7Hq2/, "the Basic credentials are shown decoded");
    assert.match(await byTestId(page, "flow-response").textContent(), /"token_type":"Bearer"/);
    assert.match(await byTestId(page, "flow-jwts").textContent(), /"alg": "RS256"/);
    assert.match(await page.locator(".inspector .channel").textContent(), /back channel/);

    const oidc = await openFlow(app, "oidc");
    await goToRequest(oidc, "POST /token");
    assert.match(await byTestId(oidc, "flow-jwts").textContent(), /id_token[\s\S]*"nonce"/);
    const idToken = (await byTestId(oidc, "flow-response").textContent()).match(/"id_token":"([^"]+)"/)[1];

    // Each token opens in the JWT debugger with the server's keys, and verifies there.
    await oidc.getByRole("link", { name: /Open in the JWT debugger \(id_token/ }).click();
    await byTestId(oidc, "jwt-token").waitFor();
    assert.equal(await byTestId(oidc, "jwt-token").inputValue(), idToken);
    // The verdict follows once the signature code has loaded.
    const verdict = byTestId(oidc, "jwt-verify-result");
    await verdict.filter({ hasNotText: /^Loading/ }).waitFor();
    assert.equal(await verdict.textContent(), "Signature verified (RS256).");
    page.assertClean();
    oidc.assertClean();
  });

  test("the code, never a token, passes through the address bar and history", async () => {
    const page = await openFlow(app, "spa");
    const count = await stepCount(page);
    const addresses = [];
    for (let i = 0; i < count; i++) {
      addresses.push(await byTestId(page, "flow-address-bar").inputValue());
      if (i + 1 < count) await byTestId(page, "flow-forward").click();
    }
    assert.ok(addresses.some((url) => /^https:\/\/spa\.example\/callback\?code=/.test(url)));
    assert.ok(addresses.every((url) => !/access_token|refresh_token|id_token/.test(url)));
    await page.locator(".browser-window__history summary").click();
    const history = await byTestId(page, "flow-history").textContent();
    assert.match(history, /code=/);
    assert.doesNotMatch(history, /access_token/);
    page.assertClean();
  });

  test("each error path is reachable from the form and stops where the protocol says", async () => {
    const cases = [
      ["spa", "DenyConsent", /access_denied/],
      ["web-app", "WrongClientSecret", /invalid_client/],
      ["spa", "ExpireCode", /invalid_grant/],
      ["spa", "ReplayCode", /invalid_grant/],
      ["spa", "LoseVerifier", /invalid_grant/],
      ["spa", "UnregisteredScope", /invalid_scope/],
      ["spa", "UnregisteredRedirectUri", /redirect_uri/],
      ["spa", "SkipPkce", /invalid_request/],
      ["device", "ApproveTooLate", /expired_token/],
    ];
    for (const [flow, breakage, error] of cases) {
      const page = await openFlow(app, flow);
      await breakIt(page, breakage);
      const outcome = await byTestId(page, "flow-outcome").textContent();
      assert.match(outcome, /The flow stopped/, `${flow} ${breakage}`);
      assert.match(outcome, error, `${flow} ${breakage}`);
      if (breakage === "UnregisteredRedirectUri") {
        // RFC 6749 4.1.2.1: an error page, never a redirect to that URI.
        const responses = await allResponses(page);
        assert.doesNotMatch(responses, /302 Found/);
        assert.doesNotMatch(responses, /attacker\.example\/callback\?/);
      }
      page.assertClean();
      await page.context().close();
    }
  });

  test("the device is told authorization_pending, then slow_down when it polls too fast", async () => {
    const page = await openFlow(app, "device");
    const screen = await byTestId(page, "flow-device-screen").textContent();
    const code = screen.match(/enter the code ([A-Z]{4}-[A-Z]{4})/)[1];
    assert.match(await byTestId(page, "flow-response").textContent(), new RegExp(`"user_code":"${code}"`));
    assert.match(await allResponses(page), /authorization_pending/);
    await breakIt(page, "PollTooFast");
    assert.match(await allResponses(page), /slow_down/);
    page.assertClean();
  });

  test("an expired access token gets a 401, a refresh and a retry", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-expire-token").click();
    const lines = await requestLines(page);
    assert.deepEqual(lines.slice(-4), ["GET /profile", "GET /profile", "POST /token", "GET /profile"]);
    const responses = await allResponses(page);
    assert.match(responses, /HTTP\/1\.1 401 Unauthorized[\s\S]*WWW-Authenticate: Bearer/);
    assert.match(await byTestId(page, "flow-outcome").textContent(), /completed/);
    assert.match(await byTestId(page, "flow-clock").textContent(), /5 min after the start/);
    page.assertClean();
  });

  test("the user signs in and consents on the server's page inside the simulated browser", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-sim-password").fill("not-the-password");
    await byTestId(page, "flow-sim-sign-in").click();
    assert.equal(await counter(page), "Step 2 of 2");
    assert.match(await byTestId(page, "flow-page").textContent(), /Wrong username or password/);
    assert.match(await byTestId(page, "flow-outcome").textContent(), /password is wrong/);
    await byTestId(page, "flow-restart").click();
    await byTestId(page, "flow-sim-password").fill("wonderland");
    await byTestId(page, "flow-sim-sign-in").click();
    assert.equal(await counter(page), "Step 2 of 8");
    // Nothing ticked: Allow is refused on the page, with a message, and
    // nothing is granted (the server would answer access_denied).
    await byTestId(page, "flow-sim-scope-read").uncheck();
    await byTestId(page, "flow-sim-scope-write").uncheck();
    await byTestId(page, "flow-sim-allow").click();
    assert.equal(
      await byTestId(page, "flow-sim-consent-error").textContent(),
      "Tick at least one permission to allow access, or press Deny.",
    );
    assert.match(await counter(page), /^Step 2 of /);
    await byTestId(page, "flow-sim-scope-read").check();
    await byTestId(page, "flow-sim-consent-error").waitFor({ state: "detached" });
    // Grant only read at consent: the token carries only read.
    await byTestId(page, "flow-sim-scope-write").uncheck();
    await byTestId(page, "flow-sim-allow").click();
    assert.equal(await counter(page), "Step 3 of 8");
    await goToRequest(page, "POST /token");
    assert.match(await byTestId(page, "flow-response").textContent(), /"scope":"read"/);
    // Deny instead.
    await goToRequest(page, "POST /login");
    await byTestId(page, "flow-sim-deny").click();
    assert.match(await page.locator("#inspector-heading").textContent(), /POST \/consent/);
    assert.match(await byTestId(page, "flow-address-bar").inputValue(), /\/consent$/);
    await byTestId(page, "flow-forward").click();
    assert.match(await byTestId(page, "flow-address-bar").inputValue(), /error=access_denied/);
    assert.match(await byTestId(page, "flow-outcome").textContent(), /access_denied/);
    page.assertClean();
  });

  test("an invalid field gets its message, keeps what was typed, and survives a reload", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-redirect-uri").fill("/callback");
    assert.match(await byTestId(page, "flow-redirect-uri-message").textContent(), /Not an absolute URL/);
    assert.equal(await byTestId(page, "flow-redirect-uri").getAttribute("aria-invalid"), "true");
    assert.match(await byTestId(page, "flow-settings-status").textContent(), /One field needs fixing/);
    assert.equal(await stepCount(page), 8, "the last valid run stays on screen");
    await byTestId(page, "flow-code-lifetime").fill("soon");
    assert.match(await byTestId(page, "flow-code-lifetime-message").textContent(), /"soon" is not a whole number/);
    await page.reload();
    await byTestId(page, "diagram").waitFor();
    assert.equal(await byTestId(page, "flow-redirect-uri").inputValue(), "/callback");
    assert.equal(await byTestId(page, "flow-code-lifetime").inputValue(), "soon");
    await byTestId(page, "flow-reset").click();
    assert.equal(await byTestId(page, "flow-redirect-uri").inputValue(), "https://spa.example/callback");
    page.assertClean();
  });

  test("keyboard only: sign in, step, jump, play and pause; the step is in the URL and a link opens it", async () => {
    const page = await openFlow(app, "spa");
    /** Presses Tab until `selector` has the focus. */
    const tabTo = async (selector) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    // The simulated sign-in page: type the password, Enter submits it.
    await tabTo('[data-testid="flow-sim-password"]');
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("wonderland");
    await page.keyboard.press("Enter");
    assert.equal(await counter(page), "Step 2 of 8");
    // Back up to the diagram (it comes before the browser window).
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Shift+Tab");
      if (await page.evaluate(() => document.activeElement?.matches(".diagram__scroll"))) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.className), "diagram__scroll");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await counter(page), "Step 3 of 8");
    assert.match(await byTestId(page, "flow-step-summary").textContent(), /^Step 3 of 8: .*POST \/consent/);
    await page.keyboard.press("End");
    assert.equal(await counter(page), "Step 8 of 8");
    await page.keyboard.press("Home");
    assert.equal(await counter(page), "Step 1 of 8");
    await page.keyboard.press("PageDown");
    assert.equal(await counter(page), "Step 2 of 8");
    await page.waitForURL(/\?flow=spa&step=2$/);

    // Space on the diagram plays; Space again pauses.
    await page.keyboard.press("Space");
    assert.equal(await byTestId(page, "flow-play").getAttribute("aria-pressed"), "true");
    await page.keyboard.press("Space");
    assert.equal(await byTestId(page, "flow-play").getAttribute("aria-pressed"), "false");

    const link = page.url().replace(/step=\d+/, "step=4").replace("flow=spa", "flow=device");
    const other = await openPage(app, null);
    await other.goto(link);
    await byTestId(other, "diagram").waitFor();
    assert.equal(await counter(other), "Step 4 of 10");
    assert.equal(await other.locator("#flow-preset-device").isChecked(), true);
    page.assertClean();
    other.assertClean();
  });

  test("playing runs through every step to the end", async () => {
    const page = await openFlow(app, "client-credentials");
    await byTestId(page, "flow-speed").selectOption("4");
    await byTestId(page, "flow-play").click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="flow-play"]').getAttribute("aria-pressed") === "false",
      null,
      { timeout: 10_000 },
    );
    assert.equal(await counter(page), "Step 3 of 3");
    page.assertClean();
  });

  test("the focus coming into the inspector pauses playing, so what it is on stays", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-speed").selectOption("4");
    await byTestId(page, "flow-play").click();
    assert.equal(await byTestId(page, "flow-play").getAttribute("aria-pressed"), "true");
    await byTestId(page, "flow-request").focus();
    assert.equal(await byTestId(page, "flow-play").getAttribute("aria-pressed"), "false");
    // Playing at this speed would have moved on twice by now.
    const step = await counter(page);
    await page.waitForTimeout(1000);
    assert.equal(await counter(page), step);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "flow-request");
    page.assertClean();
  });

  test("with reduced motion the message dot does not travel", async () => {
    const page = await openPage(app, null, { reducedMotion: "reduce" });
    await page.goto(app.url("/flow?flow=spa&step=2"));
    await byTestId(page, "diagram-packet").waitFor();
    const duration = await byTestId(page, "diagram-packet").evaluate((dot) => getComputedStyle(dot).animationDuration);
    assert.equal(duration, "0s");
    const moving = await openFlow(app, "spa", 2);
    const normal = await byTestId(moving, "diagram-packet").evaluate((dot) => getComputedStyle(dot).animationDuration);
    assert.equal(normal, "1.6s");
    page.assertClean();
  });

  test("axe-core finds nothing with the diagram, inspector and error paths on screen, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/flow?flow=oidc&step=5"));
      await byTestId(page, "flow-jwts").waitFor();
      await page.locator('[data-testid="flow-break-it"] summary').click();
      await page.locator(".browser-window__history summary").click();
      await assertNoAxeViolations(page, `flow (${colorScheme})`);
      await byTestId(page, "flow-redirect-uri").fill("nope");
      await assertNoAxeViolations(page, `flow with an invalid field (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });

  test("the Mermaid export is valid Mermaid for every flow, and the downloads match", async () => {
    const checker = await app.browser.newPage();
    await checker.addScriptTag({ path: MERMAID });
    for (const flow of ["spa", "web-app", "client-credentials", "device", "refresh", "oidc"]) {
      const page = await openFlow(app, flow);
      const text = await byTestId(page, "flow-mermaid").textContent();
      assert.match(text, /^sequenceDiagram\n/);
      const parsed = await checker.evaluate(async (source) => {
        try {
          return { ok: Boolean(await window.mermaid.parse(source)) };
        } catch (error) {
          return { ok: false, error: String(error?.message ?? error) };
        }
      }, text);
      assert.deepEqual(parsed, { ok: true }, `${flow}: ${text}`);
      const arrows = text.split("\n").filter((line) => /->>|-->>/.test(line)).length;
      assert.equal(arrows, 2 * (await stepCount(page)), flow);
      if (flow === "spa") {
        const mmd = page.waitForEvent("download");
        await byTestId(page, "flow-download-mermaid").click();
        const mmdFile = await mmd;
        assert.equal(mmdFile.suggestedFilename(), "oauth-spa.mmd");
        assert.equal(await readFile(await mmdFile.path(), "utf8"), text);
        const svg = page.waitForEvent("download");
        await byTestId(page, "flow-download-svg").click();
        const svgFile = await svg;
        assert.equal(svgFile.suggestedFilename(), "oauth-spa.svg");
        const svgText = await readFile(await svgFile.path(), "utf8");
        const check = await checker.evaluate((source) => {
          const doc = new DOMParser().parseFromString(source, "image/svg+xml");
          return {
            error: doc.querySelector("parsererror")?.textContent ?? null,
            arrows: doc.querySelectorAll("line[marker-end]").length,
          };
        }, svgText);
        // 16: the browser's CORS preflight and its answer among them.
        assert.deepEqual(check, { error: null, arrows: 16 });
        assert.match(await byTestId(page, "flow-export-status").textContent(), /Saved oauth-spa\.svg/);
      }
      page.assertClean();
      await page.context().close();
    }
    await checker.close();
  });

  test("the PNG download decodes as a PNG twice the diagram's size", async () => {
    const page = await openFlow(app, "web-app");
    // The diagram's own size, from the SVG download (drawn at 1x).
    const svgDownload = page.waitForEvent("download");
    await byTestId(page, "flow-download-svg").click();
    const svgText = await readFile(await (await svgDownload).path(), "utf8");
    const [, width, height] = svgText.match(/<svg[^>]* width="(\d+)" height="(\d+)"/).map(Number);
    assert.ok(width > 300 && height > 300, `the SVG's size: ${width}×${height}`);
    const pngDownload = page.waitForEvent("download");
    await byTestId(page, "flow-download-png").click();
    const png = await pngDownload;
    assert.equal(png.suggestedFilename(), "oauth-web-app.png");
    const bytes = await readFile(await png.path());
    // The PNG signature, then the IHDR chunk's width and height (RFC 2083).
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.toString("latin1", 12, 16), "IHDR");
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [2 * width, 2 * height]);
    // And a browser decodes it to that size, with the diagram drawn on it
    // (not a blank canvas: some pixels are dark).
    const decoded = await page.evaluate(async (base64) => {
      const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: "image/png" });
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d");
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && data[i] + data[i + 1] + data[i + 2] < 300) dark++;
      return { width: bitmap.width, height: bitmap.height, dark };
    }, bytes.toString("base64"));
    assert.equal(decoded.width, 2 * width);
    assert.equal(decoded.height, 2 * height);
    assert.ok(decoded.dark > 1000, `the diagram is drawn: ${decoded.dark} dark pixels`);
    assert.match(
      await byTestId(page, "flow-export-status").textContent(),
      new RegExp(`Saved oauth-web-app\\.png: ${2 * width} × ${2 * height} pixels`),
    );
    page.assertClean();
    await page.context().close();
  });

  test("printing gives a black-and-white handout: the whole diagram, then every step's request and response", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme, viewport: { width: 1280, height: 720 } });
      await page.goto(app.url("/flow?flow=oidc&step=3"));
      await byTestId(page, "diagram").waitFor();
      const steps = await stepCount(page);
      const requests = await requestLines(page);
      const handout = byTestId(page, "flow-handout");
      // On screen it is paper only.
      assert.equal(await handout.isVisible(), false);
      await page.emulateMedia({ media: "print" });
      assert.equal(await handout.isVisible(), true);
      assert.equal(await byTestId(page, "handout-step").count(), steps, "every step, not the current one");
      const printed = await byTestId(page, "handout-step").locator("pre").allTextContents();
      for (const [i, line] of requests.entries()) {
        assert.ok(printed[2 * i].includes(line.split(" ").slice(0, 2).join(" ")), `step ${i + 1}: ${line}`);
      }
      // The whole diagram, every step at full strength, no controls.
      assert.equal(await byTestId(page, "diagram").isVisible(), true);
      assert.equal(await page.locator(".diagram__step").count(), 2 * steps, "each request and response");
      const faded = await page
        .locator(".diagram__step")
        .evaluateAll((groups) => groups.filter((g) => getComputedStyle(g).opacity !== "1").length);
      assert.equal(faded, 0);
      for (const hidden of ["flow-forward", "flow-download-png", "diagram-zoom-in", "flow-presenter"]) {
        assert.equal(await byTestId(page, hidden).isVisible(), false, `${hidden} is not printed`);
      }
      // Black on white whatever the screen's theme.
      const colours = await page.evaluate(() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        return {
          text: style("[data-testid=handout-step] p").color,
          page: style("body").backgroundColor,
          arrow: style(".diagram .arrow").stroke,
        };
      });
      assert.deepEqual(colours, { text: "rgb(0, 0, 0)", page: "rgb(255, 255, 255)", arrow: "rgb(0, 0, 0)" }, colorScheme);
      // Nothing wider than the page.
      const sideways = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(sideways <= 0, `nothing wider than the page (${sideways})`);
      await assertNoAxeViolations(page, `the printed handout (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });

  test("back-channel requests export as curl; front-channel ones do not", async () => {
    const page = await openFlow(app, "spa");
    const curl = await byTestId(page, "flow-curl").textContent();
    assert.match(curl, /# Step 5: POST \/token\ncurl -X POST 'https:\/\/as\.example\/token'/);
    assert.match(curl, /--data-raw 'grant_type=authorization_code&/);
    assert.match(curl, /# Step 7: GET \/profile\ncurl 'https:\/\/api\.example\/profile'/);
    assert.doesNotMatch(curl, /\/authorize/);
    assert.equal(await byTestId(page, "flow-copy-curl").count(), 0, "step 1 is front channel");
    await goToRequest(page, "POST /token");
    assert.equal(await byTestId(page, "flow-copy-curl").count(), 1);
    page.assertClean();
  });

  test("presenter view: diagram and narration only, a clicker's Page Down/Up step from anywhere, Esc leaves", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/flow?flow=web-app&step=1"));
      await byTestId(page, "diagram").waitFor();
      // Into presenter view by keyboard.
      await byTestId(page, "flow-presenter").focus();
      await page.keyboard.press("Enter");
      await page.locator("article.flow--presenter").waitFor();
      for (const hidden of [".inspector", ".flow__lower", ".flow-picker", ".browser-window", ".site-header"]) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is hidden`);
      }
      for (const shown of ['[data-testid="diagram"]', ".narration", '[data-testid="flow-step-counter"]']) {
        assert.equal(await page.locator(shown).isVisible(), true, `${shown} is shown`);
      }
      // A clicker sends Page Down and Page Up; the focus is nowhere in particular.
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press("PageDown");
      await page.keyboard.press("PageDown");
      assert.match(await counter(page), /^Step 3 of \d+$/);
      await page.keyboard.press("PageUp");
      assert.match(await counter(page), /^Step 2 of \d+$/);
      await assertNoAxeViolations(page, `presenter view (${colorScheme})`);
      // A reload keeps it; Escape leaves it.
      await page.reload();
      await page.locator("article.flow--presenter").waitFor();
      await page.keyboard.press("Escape");
      await page.locator("article.flow:not(.flow--presenter)").waitFor();
      assert.equal(await page.locator(".inspector").isVisible(), true);
      // Outside presenter view, keys typed elsewhere on the page do not step.
      await page.evaluate(() => document.activeElement?.blur());
      const before = await counter(page);
      await page.keyboard.press("PageDown");
      assert.equal(await counter(page), before);
      page.assertClean();
      await page.context().close();
    }
  });

  /**
   * What presenter view draws: the narration's font size, each label's
   * size as drawn (its font size in the drawing times the drawing's scale)
   * and its text box's height, the lane names' size, and whether anything
   * scrolls sideways.
   */
  const presenterSizes = async (page) => {
    // Measured once the drawing and its labels are there: a flow that
    // needs the P-256 chunk draws its run when the chunk arrives.
    const measured = await page.waitForFunction(() => {
      const px = (element) => parseFloat(getComputedStyle(element).fontSize);
      const svg = document.querySelector('[data-testid="diagram"]');
      if (!svg?.querySelector(".arrow-label") || !document.querySelector(".narration")) return null;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const labels = [...svg.querySelectorAll(".arrow-label")];
      const scroller = document.querySelector(".diagram__scroll");
      return {
        narration: px(document.querySelector(".narration")),
        smallestLabel: Math.min(...labels.map((label) => px(label) * scale)),
        lowestLabelBox: Math.min(...labels.map((label) => label.getBoundingClientRect().height)),
        smallestLane: Math.min(...[...document.querySelectorAll(".lane-label")].map(px)),
        pageSideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        diagramSideways: scroller.scrollWidth - scroller.clientWidth,
      };
    });
    return measured.jsonValue();
  };

  test("presenter view: every flow's labels at least the narration's size at 1280×720 and 1920×1080, nothing scrolls sideways", async () => {
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ]) {
      const page = await openPage(app, "/flow?flow=spa&step=1", { viewport: { width, height } });
      const radios = page.locator('[data-testid="flow-picker"] input[type="radio"]');
      // evaluateAll does not wait for the picker to be drawn.
      await radios.first().waitFor();
      const flows = await radios
        .evaluateAll((inputs) => inputs.map((input) => input.id.replace("flow-preset-", "")));
      assert.ok(flows.length >= 9, `every flow (${flows})`);
      await byTestId(page, "flow-presenter").click();
      await page.locator("article.flow--presenter").waitFor();
      for (const flow of flows) {
        // Presenter view is kept across loads.
        await page.goto(app.url(`/flow?flow=${flow}&step=1`));
        await page.locator("article.flow--presenter").waitFor();
        // The run drawn (a flow that needs the P-256 chunk waits for it).
        await byTestId(page, "diagram").waitFor();
        await byTestId(page, "flow-step-counter").filter({ hasText: /of \d+$/ }).waitFor();
        const sizes = await presenterSizes(page);
        const at = `${flow} at ${width}×${height}: ${JSON.stringify(sizes)}`;
        assert.ok(sizes.narration >= 22, `the narration is large: ${at}`);
        assert.ok(sizes.smallestLabel >= sizes.narration - 0.01, `labels drawn at the narration's size: ${at}`);
        assert.ok(sizes.lowestLabelBox >= sizes.narration, `label boxes as high as the narration's type: ${at}`);
        assert.ok(sizes.smallestLane >= sizes.narration - 0.01, `lane names at the narration's size: ${at}`);
        assert.ok(sizes.pageSideways <= 0 && sizes.diagramSideways <= 0, `nothing scrolls sideways: ${at}`);
      }
      await assertNoAxeViolations(page, `presenter view at ${width}×${height}`);
      page.assertClean();
      await page.context().close();
    }
  });

  test("zoom: buttons and keys make the diagram larger and smaller, a reload keeps the level", async () => {
    const page = await openFlow(app, "web-app");
    const drawnWidth = () => byTestId(page, "diagram").evaluate((svg) => svg.getBoundingClientRect().width);
    const level = () => byTestId(page, "diagram-zoom-level").textContent();
    const actual = await drawnWidth();
    assert.equal(await level(), "100%");
    await byTestId(page, "diagram-zoom-in").click();
    assert.equal(await level(), "125%");
    assert.ok(Math.abs((await drawnWidth()) - actual * 1.25) < 1, "a quarter wider");
    // The lane names' strip keeps the drawing's width.
    const strip = await page.locator(".diagram__lanes").evaluate((strip) => strip.getBoundingClientRect().width);
    assert.ok(Math.abs(strip - (await drawnWidth())) < 1);
    // Keys, from the diagram's scroll box: + in, - out, 0 back to 100%.
    await page.locator(".diagram__scroll").focus();
    await page.keyboard.press("+");
    assert.equal(await level(), "150%");
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    assert.equal(await level(), "75%");
    assert.ok(Math.abs((await drawnWidth()) - actual * 0.75) < 1, "a quarter narrower");
    await page.keyboard.press("0");
    assert.equal(await level(), "100%");
    // Ctrl with + is the browser's own zoom, left alone.
    await page.keyboard.press("Control+Equal");
    assert.equal(await level(), "100%");
    // The lowest level disables zooming out; the level survives a reload,
    // here and on the lab's diagrams.
    for (let i = 0; i < 2; i++) await byTestId(page, "diagram-zoom-out").click();
    assert.equal(await level(), "50%");
    assert.equal(await byTestId(page, "diagram-zoom-out").isDisabled(), true);
    await page.reload();
    await byTestId(page, "diagram").waitFor();
    assert.equal(await level(), "50%");
    assert.ok(Math.abs((await drawnWidth()) - actual * 0.5) < 1);
    await page.goto(app.url("/attacks"));
    await byTestId(page, "diagram").waitFor();
    assert.equal(await level(), "50%");
    await byTestId(page, "diagram-zoom-level").click();
    assert.equal(await level(), "100%");
    await assertNoAxeViolations(page, "the attack lab's diagram with its zoom");
    // The level belongs to the tab, not to a screen: it outlives leaving a
    // diagram's screen and coming back without a reload.
    await page.getByRole("link", { name: "JWT", exact: true }).click();
    await page.getByRole("link", { name: "Flows", exact: true }).click();
    await byTestId(page, "diagram").waitFor();
    await byTestId(page, "diagram-zoom-in").click();
    assert.equal(await level(), "125%");
    await page.getByRole("link", { name: "Attacks", exact: true }).click();
    await byTestId(page, "diagram").waitFor();
    assert.equal(await level(), "125%");
    page.assertClean();
    await page.context().close();
  });

  test("zoom in presenter view: the keys work from anywhere on the page", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-presenter").click();
    await page.locator("article.flow--presenter").waitFor();
    const drawnWidth = () => byTestId(page, "diagram").evaluate((svg) => svg.getBoundingClientRect().width);
    const before = await drawnWidth();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press("+");
    assert.equal(await byTestId(page, "diagram-zoom-level").textContent(), "125%");
    assert.ok(Math.abs((await drawnWidth()) - before * 1.25) < 1, "a quarter larger");
    // Zoomed in, the diagram may scroll sideways inside its box, never the page.
    const pageSideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(pageSideways <= 0, `the page does not scroll sideways (${pageSideways})`);
    await page.keyboard.press("0");
    assert.equal(await byTestId(page, "diagram-zoom-level").textContent(), "100%");
    page.assertClean();
    await page.context().close();
  });
});

// OAuth as deployed now (issue 16): the flows that need DPoP, PAR,
// private_key_jwt, introspection and revocation. Their P-256 code comes
// from the JWT debugger's key chunk, fetched when such a flow is opened.
describe("Flow screen, the single-page app under CORS", () => {
  const app = useApp({ before, after });

  /** The run's outcome, read at its last step. */
  async function outcomeOf(page) {
    const count = await stepCount(page);
    while (!(await counter(page)).startsWith(`Step ${count} `)) await byTestId(page, "flow-forward").click();
    return byTestId(page, "flow-outcome").textContent();
  }

  /** The text of the inspector and narration at the step whose request line is `line`. */
  async function stepText(page, line) {
    await goToRequest(page, line);
    return {
      request: await byTestId(page, "flow-request").textContent(),
      response: await byTestId(page, "flow-response").textContent(),
      explanation: await byTestId(page, "flow-explanation").textContent(),
    };
  }

  test("the browser preflights the API call, and each answer names the app's origin", async () => {
    const page = await openFlow(app, "spa");
    assert.equal(await byTestId(page, "flow-in-browser").isChecked(), true);
    const preflight = await stepText(page, "OPTIONS /profile");
    assert.match(preflight.request, /^OPTIONS \/profile HTTP\/1\.1/);
    assert.match(preflight.request, /Origin: https:\/\/spa\.example/);
    assert.match(preflight.request, /Access-Control-Request-Method: GET/);
    assert.match(preflight.request, /Access-Control-Request-Headers: authorization/);
    assert.doesNotMatch(preflight.request, /Bearer/, "a preflight carries no token");
    assert.match(preflight.response, /^HTTP\/1\.1 204/);
    assert.match(preflight.response, /Access-Control-Allow-Origin: https:\/\/spa\.example/);
    assert.match(preflight.response, /Access-Control-Max-Age: 600/);
    assert.match(preflight.explanation, /CORS preflight/);
    const token = await stepText(page, "POST /token");
    assert.match(token.request, /Origin: https:\/\/spa\.example/);
    assert.match(token.response, /Access-Control-Allow-Origin: https:\/\/spa\.example/);
    assert.match(token.explanation, /needs no preflight/);
    assert.match(await outcomeOf(page), /The flow completed/);
    page.assertClean();
  });

  test("an authorization server that does not allow the origin: the code is spent, the app reads no tokens", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-server-allowed-origins").fill("https://spa.example/");
    const outcome = await outcomeOf(page);
    assert.match(outcome, /The flow stopped/);
    assert.match(
      outcome,
      /Access to fetch at 'https:\/\/as\.example\/token' from origin 'https:\/\/spa\.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header/,
    );
    assert.deepEqual(await requestLines(page), CODE_FLOW, "the app stops at the token request");
    const token = await stepText(page, "POST /token");
    assert.match(token.response, /^HTTP\/1\.1 200/, "the server handled the request");
    assert.doesNotMatch(token.response, /Access-Control-Allow-Origin/);
    assert.match(token.explanation, /handled all the same/);
    // What was typed stays, and the one-click path does the same.
    assert.equal(await byTestId(page, "flow-server-allowed-origins").inputValue(), "https://spa.example/");
    await byTestId(page, "flow-reset").click();
    await breakIt(page, "CorsRefused");
    assert.match(await byTestId(page, "flow-outcome").textContent(), /blocked by CORS policy/);
    page.assertClean();
  });

  test("an API that does not allow the origin refuses the preflight, and the call is never sent", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-api-allowed-origins").fill("https://other.example");
    const outcome = await outcomeOf(page);
    assert.match(outcome, /Response to preflight request doesn't pass access control check/);
    assert.deepEqual(await requestLines(page), [...CODE_FLOW, "OPTIONS /profile"]);
    assert.match((await stepText(page, "OPTIONS /profile")).explanation, /never sends the app's request/);
    page.assertClean();
  });

  test("the app taken out of the browser sends no preflight; an origin with a space gets its message", async () => {
    const page = await openFlow(app, "spa");
    await byTestId(page, "flow-server-allowed-origins").fill("https://spa.example https://x.example");
    assert.match(await byTestId(page, "flow-server-allowed-origins-message").textContent(), /is not an origin/);
    await byTestId(page, "flow-in-browser").uncheck();
    await byTestId(page, "flow-server-allowed-origins").waitFor({ state: "detached" });
    assert.deepEqual(await requestLines(page), [...CODE_FLOW, "GET /profile", "GET /profile"]);
    assert.doesNotMatch(await allResponses(page), /Access-Control-Allow-Origin/);
    page.assertClean();
  });

  test("axe-core finds nothing with the CORS settings and a refused request on screen", async () => {
    const page = await openFlow(app, "spa");
    await breakIt(page, "CorsRefused");
    await byTestId(page, "flow-outcome").waitFor();
    await assertNoAxeViolations(page, "the Flow screen with the CORS settings and a refused token request");
    page.assertClean();
  });
});

describe("Flow screen, OAuth as deployed now", () => {
  const app = useApp({ before, after });

  /** Opens `flow` and waits until its run is on screen (not "Loading…"). */
  async function openDeployed(flow) {
    const page = await openFlow(app, flow);
    await byTestId(page, "flow-step-counter").filter({ hasText: /of (\d{2,}|[4-9])$/ }).waitFor();
    return page;
  }

  /** The raw request and response at the step whose request line is `line`. */
  async function exchangeAt(page, line, nth = 0) {
    await byTestId(page, "flow-restart").click();
    const count = await stepCount(page);
    let seen = 0;
    for (let i = 0; i < count; i++) {
      if ((await page.locator("#inspector-heading").textContent()) === `Inspector: ${line}` && seen++ === nth) {
        return {
          request: await byTestId(page, "flow-request").textContent(),
          response: await byTestId(page, "flow-response").textContent(),
        };
      }
      await byTestId(page, "flow-forward").click();
    }
    throw new Error(`no step ${line} #${nth}`);
  }

  test("FAPI 2.0: pushed request, signed assertion, DPoP with the server's nonce, to the end", async () => {
    const page = await openDeployed("fapi");
    const lines = await requestLines(page);
    assert.deepEqual(lines.slice(0, 2), ["POST /par", "GET /authorize"]);
    assert.deepEqual(lines.slice(-4), ["POST /token", "POST /token", "GET /profile", "GET /profile"]);
    assert.match(await byTestId(page, "flow-outcome").textContent(), /The flow completed/);

    // RFC 9126 section 4: the browser carries the request_uri only.
    const authorize = await exchangeAt(page, "GET /authorize");
    assert.match(authorize.request, /request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A/);
    assert.doesNotMatch(authorize.request, /redirect_uri=|code_challenge=/);
    // RFC 9449 section 8: refused for want of the nonce, then sent again with it.
    const first = await exchangeAt(page, "POST /token");
    assert.match(first.response, /use_dpop_nonce/);
    assert.match(first.response, /DPoP-Nonce: /);
    const second = await exchangeAt(page, "POST /token", 1);
    assert.match(second.request, /client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer/);
    assert.match(second.request, /\nDPoP: eyJ/);
    assert.doesNotMatch(second.request, /client_secret|Authorization: Basic/);
    assert.match(second.response, /"token_type":"DPoP"/);
    // The inspector decodes the proof and the assertion, and names the
    // proof key's thumbprint, which the issued token carries as cnf.jkt.
    const kinds = await byTestId(page, "flow-jwt-kind").allTextContents();
    assert.ok(kinds.some((text) => /DPoP proof \(RFC 9449/.test(text)), kinds.join(" | "));
    assert.ok(kinds.some((text) => /client assertion \(private_key_jwt/.test(text)), kinds.join(" | "));
    const jkt = await byTestId(page, "flow-jwt-thumbprint").textContent();
    const decoded = await byTestId(page, "flow-jwts").textContent();
    assert.ok(jkt.length === 43 && decoded.includes(`"jkt": "${jkt}"`), jkt);
    assert.match(await byTestId(page, "flow-jwt-claims").filter({ hasText: "htm" }).textContent(), /htm.*POST.*the HTTP method/s);
    await assertNoAxeViolations(page, "FAPI token request in the inspector");
    // Its debugger link opens it with the key in its header, and it verifies.
    await page.getByRole("link", { name: /Open in the JWT debugger \(DPoP, with the key in its header/ }).click();
    const verdict = byTestId(page, "jwt-verify-result");
    await verdict.filter({ hasNotText: /^Loading/ }).waitFor();
    assert.equal(await verdict.textContent(), "Signature verified (ES256).");
    await page.goBack();
    await byTestId(page, "diagram").waitFor();
    // RFC 9449 section 7: the API call presents the token with the DPoP scheme and a proof.
    const call = await exchangeAt(page, "GET /profile");
    assert.match(call.request, /Authorization: DPoP /);
    assert.match(call.request, /\nDPoP: eyJ/);
    page.assertClean();
  });

  test("opaque tokens are introspected by the API; sign-out revokes them and the API then refuses", async () => {
    const opaque = await openDeployed("introspection");
    const lines = await requestLines(opaque);
    assert.ok(lines.includes("POST /introspect"), lines.join(", "));
    assert.match(await byTestId(opaque, "flow-outcome").textContent(), /The flow completed/);
    const introspected = await exchangeAt(opaque, "POST /introspect");
    assert.match(introspected.response, /"active":true/);
    opaque.assertClean();

    const signOut = await openDeployed("sign-out");
    const revoke = await exchangeAt(signOut, "POST /revoke");
    assert.match(revoke.request, /token_type_hint=refresh_token/);
    assert.match(revoke.response, /^HTTP\/1\.1 200 OK/);
    const forward = byTestId(signOut, "flow-forward");
    while (await forward.isEnabled()) await forward.click();
    assert.match(await byTestId(signOut, "flow-response").textContent(), /^HTTP\/1\.1 401 Unauthorized[\s\S]*revoked/);
    assert.match(await byTestId(signOut, "flow-outcome").textContent(), /signed out, the server revoked the tokens/);
    signOut.assertClean();
  });

  test("each part switches on and off from the form, and breaking FAPI stops where the RFCs say", async () => {
    const page = await openFlow(app, "spa");
    await page.locator("#flow-dpop").check();
    await byTestId(page, "flow-step-counter").waitFor();
    const token = await exchangeAt(page, "POST /token");
    assert.match(token.response, /"token_type":"DPoP"/);
    assert.match(await byTestId(page, "flow-share-link").inputValue(), /&dpop=yes/);
    page.assertClean();

    for (const [breakage, error] of [["SkipPar", /invalid_request/], ["SkipDpop", /invalid_dpop_proof/]]) {
      const fapi = await openDeployed("fapi");
      await breakIt(fapi, breakage);
      assert.match(await byTestId(fapi, "flow-outcome").textContent(), error, breakage);
      fapi.assertClean();
      await fapi.context().close();
    }
  });

  test("private_key_jwt hides the secret fields; axe-core finds nothing on the FAPI flow", async () => {
    const page = await openDeployed("fapi");
    assert.equal(await byTestId(page, "flow-auth-method").inputValue(), "private_key_jwt");
    assert.equal(await page.locator("#flow-client-secret").count(), 0);
    assert.equal(await page.locator("#flow-registered-secret").count(), 0);
    for (const id of ["flow-use-par", "flow-dpop", "flow-require-par", "flow-require-dpop", "flow-dpop-nonce"]) {
      assert.equal(await page.locator(`#${id}`).isChecked(), true, id);
    }
    await byTestId(page, "flow-auth-method").selectOption("client_secret_basic");
    await page.locator("#flow-registered-secret").waitFor();
    assert.match(await byTestId(page, "flow-registered-secret-message").textContent(), /Enter the secret/);
    await assertNoAxeViolations(page, "FAPI flow");
    page.assertClean();
  });
});

describe("Flow screen, an AI agent connecting to a tool server (MCP)", () => {
  const app = useApp({ before, after });

  /** The agent's flow, once its code has loaded and the run is drawn. */
  async function openAgent() {
    const page = await openFlow(app, "agent");
    await byTestId(page, "agent-first-scope").waitFor();
    return page;
  }

  test("discovery, a metadata document, code + PKCE with resource, the tools and the step-up, to the end", async () => {
    const page = await openAgent();
    const lines = await requestLines(page);
    const signIn = ["GET /authorize", "POST /login", "POST /consent", "GET /callback", "POST /token"];
    assert.deepEqual(lines, [
      "POST /mcp",
      "GET /.well-known/oauth-protected-resource/mcp",
      "GET /.well-known/oauth-authorization-server",
      "GET /oauth/client.json",
      ...signIn,
      "POST /mcp",
      "POST /mcp",
      "POST /mcp",
      ...signIn,
      "POST /mcp",
    ]);
    const lanes = await page.locator(".diagram").textContent();
    for (const lane of ["AI agent (MCP client)", "Tool server (MCP)", "Authorization server"]) {
      assert.ok(lanes.includes(lane), lane);
    }
    // The first call: 401 and where the tool server's metadata is.
    await byTestId(page, "flow-restart").click();
    assert.match(await byTestId(page, "flow-response").textContent(), /resource_metadata="https:\/\/tools\.example/);
    // The protected resource metadata, each member explained and linked.
    await byTestId(page, "flow-forward").click();
    const inspector = page.locator("section.inspector");
    assert.match(await inspector.textContent(), /authorization_servers/);
    assert.ok(await inspector.locator('a[href*="rfc9728"]').count() > 0, "a member links to RFC 9728");
    // The step-up: 403 insufficient_scope, then the wider authorization.
    await goToRequest(page, "POST /mcp");
    assert.match(await allResponses(page), /insufficient_scope/);
    page.assertClean();
  });

  test("each way to a client ID, and none: registration, a pre-registered ID, and a stop that says why", async () => {
    const page = await openAgent();
    await byTestId(page, "agent-metadata-documents").uncheck();
    assert.ok((await requestLines(page)).includes("POST /register"), "dynamic registration");
    await byTestId(page, "agent-pre-registered").check();
    const lines = await requestLines(page);
    assert.ok(!lines.includes("POST /register") && !lines.includes("GET /oauth/client.json"), "pre-registered");
    await byTestId(page, "agent-pre-registered").uncheck();
    await byTestId(page, "agent-dynamic-registration").uncheck();
    assert.match(await byTestId(page, "flow-outcome").textContent(), /client ID/);
    page.assertClean();
  });

  test("the tool server passes the token through (refused) or exchanges it (RFC 8693)", async () => {
    const page = await openAgent();
    await byTestId(page, "agent-downstream").selectOption("passthrough");
    assert.match(await allResponses(page), /invalid_token/);
    await byTestId(page, "agent-downstream").selectOption("exchange");
    assert.match(await allResponses(page), /urn:ietf:params:oauth:token-type:access_token/);
    page.assertClean();
  });

  test("an invalid scope gets its message, keeps what was typed and survives a reload; reset undoes it", async () => {
    const page = await openAgent();
    const count = await stepCount(page);
    await byTestId(page, "agent-second-scope").fill("calendar\"write");
    assert.equal(await byTestId(page, "agent-second-scope").getAttribute("aria-invalid"), "true");
    assert.ok((await byTestId(page, "agent-second-scope-message").textContent()).length > 0);
    assert.equal(await stepCount(page), count, "the last valid run stays on screen");
    await page.reload();
    await byTestId(page, "agent-second-scope").waitFor();
    assert.equal(await byTestId(page, "agent-second-scope").inputValue(), "calendar\"write");
    await byTestId(page, "agent-reset").click();
    assert.equal(await byTestId(page, "agent-second-scope").inputValue(), "calendar.write");
    page.assertClean();
  });

  test("axe-core finds nothing on the agent's flow, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/flow?flow=agent&step=2"));
      await byTestId(page, "agent-first-scope").waitFor();
      await assertNoAxeViolations(page, `agent flow (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });
});
