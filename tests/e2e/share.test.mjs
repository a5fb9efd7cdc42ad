// Share links on the Flow screen, as people use them: the sender changes a
// few settings, steps to a token, copies the link; the receiver opens it in
// a browser of their own and sees the same step and the same bytes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertNoAxeViolations, byTestId, gotoApp, openPage, useApp } from "./support.mjs";

const counter = async (page) => byTestId(page, "flow-step-counter").textContent();
const response = async (page) => byTestId(page, "flow-response").textContent();

/** Opens `path` in a fresh browser context and waits for the diagram. */
async function openFlow(app, path, contextOptions = {}) {
  const page = await openPage(app, path, contextOptions);
  await byTestId(page, "diagram").waitFor();
  return page;
}

/** Opens `link` (a whole URL) in a fresh browser context. */
async function openLink(app, link) {
  const page = await openPage(app, null);
  await gotoApp(page, link);
  await byTestId(page, "diagram").waitFor();
  return page;
}

/** Goes to the first step whose request line is `line`. */
async function goToRequest(page, line) {
  await byTestId(page, "flow-restart").click();
  const count = Number((await counter(page)).match(/of (\d+)/)[1]);
  for (let i = 0; i < count; i++) {
    if ((await page.locator("#inspector-heading").textContent()) === `Inspector: ${line}`) return;
    await byTestId(page, "flow-forward").click();
  }
  throw new Error(`no step ${line}`);
}

describe("Share links", () => {
  const app = useApp({ before, after });

  test("a shared link opened in a fresh browser context reproduces the same step and the same token bytes", async () => {
    const sender = await openFlow(app, "/flow?flow=web-app", {
      permissions: ["clipboard-read", "clipboard-write"],
    });
    await byTestId(sender, "flow-client-id").fill("workshop app");
    await byTestId(sender, "flow-scope").fill("read");
    await byTestId(sender, "flow-access-token-lifetime").fill("900");
    await byTestId(sender, "flow-auth-method").selectOption("client_secret_post");
    await goToRequest(sender, "POST /token");
    const step = await counter(sender);
    assert.equal(step, "Step 5 of 7");
    const sent = await response(sender);
    const token = sent.match(/"access_token":"(eyJ[^"]+)"/)[1];
    assert.match(token, /^eyJhbGciOiJSUzI1NiIsImtpZCI6/, "an RS256 JWT");

    // Copy the link as a person does: the Copy button, then the clipboard.
    await byTestId(sender, "flow-share-copy").click();
    await sender.locator(".share .copy__status", { hasText: "Copied" }).waitFor();
    const link = await sender.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, await byTestId(sender, "flow-share-link").inputValue());
    assert.match(
      link,
      /\/flow\?flow=web-app&step=5&seed=\d+&start=\d+&client_id=workshop\+app&scope=read&access_token_lifetime=900&auth_method=client_secret_post$/,
    );
    const seed = link.match(/seed=(\d+)/)[1];
    assert.match(await byTestId(sender, "flow-share-intro").textContent(), new RegExp(`seed \\(${seed}\\)`));

    const receiver = await openLink(app, link);
    assert.equal(await counter(receiver), step);
    assert.equal(await response(receiver), sent, "the same bytes, signature included");
    assert.equal(await byTestId(receiver, "flow-client-id").inputValue(), "workshop app");
    assert.equal(await byTestId(receiver, "flow-auth-method").inputValue(), "client_secret_post");
    assert.equal(await byTestId(receiver, "flow-link-note").isVisible(), false);
    // The link is applied once; the address bar keeps the flow and step,
    // and a reload keeps the whole scenario.
    assert.match(receiver.url(), /\/flow\?flow=web-app&step=5$/);
    await receiver.reload();
    await byTestId(receiver, "diagram").waitFor();
    assert.equal(await counter(receiver), step);
    assert.equal(await response(receiver), sent);
    assert.equal(await byTestId(receiver, "flow-share-link").inputValue(), link);

    // Without the link, another browser has a seed of its own: other tokens.
    const stranger = await openFlow(app, "/flow?flow=web-app&step=5");
    assert.notEqual(await response(stranger), sent);
    sender.assertClean();
    receiver.assertClean();
    stranger.assertClean();
  });

  test("the AI agent's settings travel in the link, and what the link gets wrong is named", async () => {
    const sender = await openFlow(app, "/flow?flow=agent");
    await byTestId(sender, "agent-first-scope").waitFor();
    await byTestId(sender, "agent-downstream").selectOption("exchange");
    await byTestId(sender, "agent-metadata-documents").uncheck();
    await byTestId(sender, "agent-second-scope").fill("calendar.write calendar.share");
    await goToRequest(sender, "POST /register");
    const step = await counter(sender);
    const sent = await response(sender);
    const link = await byTestId(sender, "flow-share-link").inputValue();
    assert.match(
      link,
      /\/flow\?flow=agent&step=\d+&seed=\d+&start=\d+&agent_metadata_documents=no&agent_second_scope=calendar\.write\+calendar\.share&agent_downstream=exchange$/,
    );

    const receiver = await openLink(app, link);
    await byTestId(receiver, "agent-first-scope").waitFor();
    assert.equal(await byTestId(receiver, "agent-downstream").inputValue(), "exchange");
    assert.equal(await byTestId(receiver, "agent-metadata-documents").isChecked(), false);
    assert.equal(await byTestId(receiver, "agent-second-scope").inputValue(), "calendar.write calendar.share");
    assert.equal(await counter(receiver), step);
    assert.equal(await response(receiver), sent, "the same registration, byte for byte");
    assert.equal(await byTestId(receiver, "flow-link-note").isVisible(), false);
    // Applied once, and kept for the tab.
    await receiver.reload();
    await byTestId(receiver, "agent-first-scope").waitFor();
    assert.equal(await byTestId(receiver, "agent-downstream").inputValue(), "exchange");

    const wrong = await openLink(app, app.url("/flow?flow=agent&seed=7&agent_downstream=forward&agent_check_audience=no"));
    await byTestId(wrong, "agent-first-scope").waitFor();
    await byTestId(wrong, "flow-link-note").waitFor();
    assert.match(await byTestId(wrong, "flow-link-note").textContent(), /'agent_downstream=forward' was not understood/);
    assert.equal(await byTestId(wrong, "agent-check-audience").isChecked(), false);
    assert.equal(await byTestId(wrong, "agent-downstream").inputValue(), "none");
    sender.assertClean();
    receiver.assertClean();
    wrong.assertClean();
  });

  test("the secrets the user typed stay out of the link unless asked for, under a warning", async () => {
    const sender = await openFlow(app, "/flow?flow=web-app&step=5");
    await byTestId(sender, "flow-client-secret").fill("typed-secret-1");
    await byTestId(sender, "flow-registered-secret").fill("typed-secret-1");
    const sent = await response(sender);

    const without = await byTestId(sender, "flow-share-link").inputValue();
    assert.doesNotMatch(without, /typed-secret|secret=|password=/);
    const note = byTestId(sender, "flow-share-secrets-note");
    assert.match(await note.textContent(), /^Left out of this link, though you changed them: client_secret the client sends; client_secret the server holds\./);
    assert.doesNotMatch(await note.getAttribute("class"), /callout/);
    const plain = await openLink(app, without);
    assert.equal(await byTestId(plain, "flow-client-secret").inputValue(), "webapp-secret-7Hq2");
    assert.equal(await byTestId(plain, "flow-registered-secret").inputValue(), "webapp-secret-7Hq2");
    // The secret is not in the token: the run still matches, byte for byte.
    assert.equal(await response(plain), sent);

    // Keyboard: the checkbox is reached and ticked like any other.
    await byTestId(sender, "flow-share-secrets").focus();
    await sender.keyboard.press("Space");
    assert.equal(await byTestId(sender, "flow-share-secrets").isChecked(), true);
    assert.match(await note.textContent(), /^The link now reveals the secrets .* to anyone who gets it/);
    assert.match(await note.getAttribute("class"), /callout--warning/);
    const withSecrets = await byTestId(sender, "flow-share-link").inputValue();
    assert.match(withSecrets, /&client_secret=typed-secret-1&registered_secret=typed-secret-1$/);
    const trusted = await openLink(app, withSecrets);
    assert.equal(await byTestId(trusted, "flow-client-secret").inputValue(), "typed-secret-1");
    assert.equal(await byTestId(trusted, "flow-registered-secret").inputValue(), "typed-secret-1");
    assert.equal(await response(trusted), sent);

    for (const colorScheme of ["light", "dark"]) {
      await sender.emulateMedia({ colorScheme });
      await byTestId(sender, "flow-share").scrollIntoViewIfNeeded();
      await assertNoAxeViolations(sender, `flow with the share panel and its warning (${colorScheme})`);
    }
    sender.assertClean();
    plain.assertClean();
    trusted.assertClean();
  });

  test("a parameter the link gets wrong is named in a note and breaks nothing", async () => {
    const page = await openFlow(app, "/flow?flow=spa&step=2&seed=7&start=1767225600&pkce_method=xyz&colour=blue");
    assert.equal(
      await byTestId(page, "flow-link-note").locator("p").textContent(),
      "The link's 'pkce_method=xyz' and 'colour=blue' were not understood and were left out.",
    );
    assert.equal(await counter(page), "Step 2 of 8");
    assert.equal(await byTestId(page, "flow-pkce-method").inputValue(), "S256");
    assert.match(await byTestId(page, "flow-share-intro").textContent(), /seed \(7\)/);
    assert.match(await byTestId(page, "flow-clock").textContent(), /^Simulated time: 2026-01-01 /);
    assert.match(await byTestId(page, "flow-share-link").inputValue(), /\?flow=spa&step=2&seed=7&start=1767225600$/);
    await assertNoAxeViolations(page, "flow with a link's note");

    await byTestId(page, "flow-link-note-dismiss").click();
    assert.equal(await byTestId(page, "flow-link-note").isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "flow-title");
    // Named once: the address bar no longer carries it, so a reload is quiet.
    assert.match(page.url(), /\/flow\?flow=spa&step=2$/);
    await page.reload();
    await byTestId(page, "diagram").waitFor();
    assert.equal(await byTestId(page, "flow-link-note").isVisible(), false);
    assert.match(await byTestId(page, "flow-share-intro").textContent(), /seed \(7\)/);

    // Nothing in the link can be used: the note says so, the flow is the default one.
    const junk = await openFlow(app, "/flow?flow=implicit&step=zero&start=%zz");
    assert.match(
      await byTestId(junk, "flow-link-note").textContent(),
      /'flow=implicit', 'step=zero' and 'start=%zz' were not understood/,
    );
    assert.equal(await counter(junk), "Step 1 of 8");
    page.assertClean();
    junk.assertClean();
  });
});
