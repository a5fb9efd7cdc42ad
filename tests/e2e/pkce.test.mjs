// The PKCE screen as a person uses it. The browser's own WebCrypto is the
// independent oracle for every S256 challenge the app shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RFC7636_CHALLENGE, RFC7636_VERIFIER, byTestId, openPage, useApp } from "./support.mjs";

/** BASE64URL(SHA256(ASCII(verifier))) computed by the page's WebCrypto. */
function webCryptoS256(page, verifier) {
  return page.evaluate(async (text) => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    const binary = String.fromCharCode(...new Uint8Array(digest));
    return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
  }, verifier);
}

const verifierOf = (page) => byTestId(page, "verifier").inputValue();

describe("PKCE generator", () => {
  const app = useApp({ before, after });

  test("every generated verifier's S256 challenge equals WebCrypto's", async () => {
    const page = await openPage(app, "/pkce");
    const seen = new Set();
    for (const length of ["43", "64", "100", "128"]) {
      await byTestId(page, "verifier-length").fill(length);
      await byTestId(page, "generate").click();
      const verifier = await verifierOf(page);
      assert.equal(verifier.length, Number(length));
      assert.match(verifier, /^[A-Za-z0-9_-]+$/);
      assert.equal(await byTestId(page, "challenge-S256").textContent(), await webCryptoS256(page, verifier));
      assert.equal(await byTestId(page, "challenge-plain").textContent(), verifier);
      seen.add(verifier);
    }
    assert.equal(seen.size, 4, "each click makes a new verifier");
    page.assertClean();
  });

  test("the challenge is recomputed live while the user types", async () => {
    const page = await openPage(app, "/pkce");
    const typed = "my-own-verifier-typed-by-hand-0123456789-abc";
    await byTestId(page, "verifier").fill("");
    await byTestId(page, "verifier").pressSequentially(typed);
    assert.equal(await byTestId(page, "challenge-S256").textContent(), await webCryptoS256(page, typed));
    assert.equal(await byTestId(page, "verifier-message").textContent(), `Valid: ${typed.length} characters.`);
    page.assertClean();
  });

  test("RFC 7636 appendix B example loads with its challenge", async () => {
    const page = await openPage(app, "/pkce");
    await byTestId(page, "load-example").click();
    assert.equal(await verifierOf(page), RFC7636_VERIFIER);
    assert.equal(await byTestId(page, "challenge-S256").textContent(), RFC7636_CHALLENGE);
    assert.equal(
      await byTestId(page, "verifier-message").textContent(),
      "Valid: the example verifier from RFC 7636 appendix B.",
    );
    assert.equal(
      await byTestId(page, "authorization-parameters").textContent(),
      `code_challenge=${RFC7636_CHALLENGE}&code_challenge_method=S256`,
    );
    assert.equal(await byTestId(page, "token-parameters").textContent(), `code_verifier=${RFC7636_VERIFIER}`);
    page.assertClean();
  });

  test("invalid verifiers get specific messages and the text is kept", async () => {
    const page = await openPage(app, "/pkce");
    const field = byTestId(page, "verifier");
    const status = byTestId(page, "verifier-message");
    const cases = [
      ["short", "code_verifier is too short: 5 characters, but RFC 7636 section 4.1 requires at least 43."],
      ["a".repeat(129), "code_verifier is too long: 129 characters, but RFC 7636 section 4.1 allows at most 128."],
      [
        RFC7636_VERIFIER.slice(0, 10) + " " + RFC7636_VERIFIER.slice(10),
        "code_verifier has a space at position 11, which is not allowed. Only A-Z, a-z, 0-9 and - . _ ~ are allowed (RFC 7636 section 4.1).",
      ],
      [
        RFC7636_VERIFIER + "=",
        "code_verifier has '=' at position 44, which is not allowed. Only A-Z, a-z, 0-9 and - . _ ~ are allowed (RFC 7636 section 4.1). PKCE values are base64url without padding: drop the trailing '=' (RFC 7636 appendix A).",
      ],
      ["é".repeat(50), "code_verifier has 'é' (U+00E9) at position 1, which is not allowed (49 more disallowed characters after it). Only A-Z, a-z, 0-9 and - . _ ~ are allowed (RFC 7636 section 4.1)."],
    ];
    for (const [value, message] of cases) {
      await field.fill(value);
      assert.equal(await status.textContent(), message);
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.equal(await field.inputValue(), value, "the typed text stays");
      assert.equal(await byTestId(page, "copy-verifier").isDisabled(), true);
      assert.match(await byTestId(page, "authorization-parameters").textContent(), /^Needs a valid code_verifier/);
    }
    page.assertClean();
  });

  test("a length outside 43..128 is explained and cannot generate", async () => {
    const page = await openPage(app, "/pkce");
    await byTestId(page, "verifier-length").fill("20");
    assert.equal(
      await byTestId(page, "length-message").textContent(),
      "RFC 7636 section 4.1 allows 43 to 128 characters, not 20.",
    );
    assert.equal(await byTestId(page, "generate").isDisabled(), true);
    await byTestId(page, "verifier-length").fill("");
    assert.equal(await byTestId(page, "length-message").textContent(), "Enter a length from 43 to 128.");
    page.assertClean();
  });

  test("switching to plain changes the request and warns", async () => {
    const page = await openPage(app, "/pkce");
    await byTestId(page, "load-example").click();
    await page.getByLabel(/^plain/).check();
    assert.equal(
      await byTestId(page, "authorization-parameters").textContent(),
      `code_challenge=${RFC7636_VERIFIER}&code_challenge_method=plain`,
    );
    assert.match(await byTestId(page, "plain-warning").textContent(), /RFC 7636 section 4.2/);
    await page.getByLabel(/^S256/).check();
    assert.equal(await byTestId(page, "plain-warning").count(), 0);
    page.assertClean();
  });

  test("the checker names the method, or why there is no match", async () => {
    const page = await openPage(app, "/pkce");
    const result = byTestId(page, "check-result");
    await byTestId(page, "fill-checker").click();
    assert.match(await result.textContent(), /^Match under S256/);
    assert.equal(await byTestId(page, "check-verifier").inputValue(), await verifierOf(page));

    await byTestId(page, "check-challenge").fill(await verifierOf(page));
    assert.match(await result.textContent(), /^Match under plain/);

    await byTestId(page, "check-challenge").fill(RFC7636_CHALLENGE);
    assert.match(await result.textContent(), /^No match under S256 or plain.*invalid_grant/);

    await byTestId(page, "check-verifier").fill(RFC7636_VERIFIER);
    assert.match(await result.textContent(), /^Match under S256/);

    await byTestId(page, "check-challenge").fill(RFC7636_CHALLENGE.replace("-", "+"));
    assert.match(await byTestId(page, "check-challenge-message").textContent(), /'\+' at position 41/);
    assert.match(await result.textContent(), /^Fix the value marked above/);
    page.assertClean();
  });

  test("copy buttons put the exact values on the clipboard", async () => {
    const page = await openPage(app, "/pkce", { permissions: ["clipboard-read", "clipboard-write"] });
    await byTestId(page, "load-example").click();
    await byTestId(page, "copy-verifier").click();
    await page.getByText("Copied").first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), RFC7636_VERIFIER);
    await byTestId(page, "copy-authorization-parameters").click();
    await page.waitForFunction(
      (expected) => navigator.clipboard.readText().then((text) => text === expected),
      `code_challenge=${RFC7636_CHALLENGE}&code_challenge_method=S256`,
    );
    page.assertClean();
  });

  test("without a Clipboard API (plain-HTTP host) copy explains what to do", async () => {
    const page = await openPage(app, null);
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }),
    );
    await page.goto(app.url("/pkce"));
    await byTestId(page, "copy-verifier").click();
    await page.getByText("The browser blocked the clipboard: select the text and press Ctrl+C").waitFor();
    // The app is still alive: editing still updates the challenge.
    await byTestId(page, "load-example").click();
    assert.equal(await byTestId(page, "challenge-S256").textContent(), RFC7636_CHALLENGE);
    page.assertClean();
  });

  test("what the user typed survives a reload", async () => {
    const page = await openPage(app, "/pkce");
    await byTestId(page, "verifier").fill("kept-across-reloads");
    await byTestId(page, "verifier-length").fill("77");
    await page.getByLabel(/^plain/).check();
    await byTestId(page, "check-challenge").fill("pasted challenge");
    await page.reload();
    await page.waitForSelector("h1");
    assert.equal(await verifierOf(page), "kept-across-reloads");
    assert.equal(await byTestId(page, "verifier-length").inputValue(), "77");
    assert.equal(await page.getByLabel(/^plain/).isChecked(), true);
    assert.equal(await byTestId(page, "check-challenge").inputValue(), "pasted challenge");
    page.assertClean();
  });

  test("keyboard only: type a length, press Enter, a verifier of that length appears", async () => {
    const page = await openPage(app, "/pkce");
    await byTestId(page, "verifier-length").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("50");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="verifier"]').value.length === 50);
    const verifier = await verifierOf(page);
    assert.equal(await byTestId(page, "challenge-S256").textContent(), await webCryptoS256(page, verifier));
    page.assertClean();
  });
});
