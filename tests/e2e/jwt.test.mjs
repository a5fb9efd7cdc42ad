// The JWT debugger as a person uses it: paste a token, read it, check its
// signature; paste junk and get told what is wrong.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, assertNoAxeViolations, byTestId, openPage, useApp } from "./support.mjs";

// RFC 7515 appendix A.1 (HS256) and its key.
const A1_TOKEN =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A1_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

const b64url = (text) => Buffer.from(text).toString("base64url");

async function openJwt(app) {
  const page = await openPage(app, "/jwt");
  await byTestId(page, "jwt-token").waitFor();
  return page;
}

const message = (page) => byTestId(page, "jwt-token-message").textContent();
const result = (page) => byTestId(page, "jwt-verify-result").textContent();

describe("JWT debugger", () => {
  const app = useApp({ before, after });

  test("RFC 7515 A.1: decoded, explained, warned about, and verified with its key", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    assert.match(await message(page), /A signed token/);
    assert.match(await byTestId(page, "jwt-header").textContent(), /"alg": "HS256"/);
    const claims = await byTestId(page, "jwt-claims").textContent();
    assert.match(claims, /exp[\s\S]*1300819380[\s\S]*2011-03-22 18:43:00 UTC, \d+ days ago/);
    assert.match(claims, /http:\/\/example\.com\/is_root[\s\S]*Not a registered claim/);
    assert.match(await byTestId(page, "jwt-warnings").textContent(), /Expired/);
    assert.equal(await page.locator(".jwt__part--2").textContent(), A1_TOKEN.split(".")[2]);

    await byTestId(page, "jwt-key-format").selectOption("secret-base64url");
    await byTestId(page, "jwt-key").fill(A1_KEY);
    assert.equal(await result(page), "Signature verified (HS256).");
    await byTestId(page, "jwt-key").fill(A1_KEY.replace("A", "B"));
    assert.match(await result(page), /^Not verified: the signature does not match/);
    page.assertClean();
  });

  test("RFC 7515 A.2: RS256 verifies with its JWK; a secret for it is named the confusion attack", async () => {
    const vector = JSON.parse(await readFile(join(ROOT, "crates/oauth-engine/src/keys/rfc7515_a2.json"), "utf8"));
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(vector.compact);
    await byTestId(page, "jwt-key-format").selectOption("jwk");
    const { kty, n, e } = vector.key;
    await byTestId(page, "jwt-key").fill(JSON.stringify({ keys: [{ kty, n, e }] }));
    assert.equal(await result(page), "Signature verified (RS256).");
    await byTestId(page, "jwt-key-format").selectOption("secret-text");
    await byTestId(page, "jwt-key").fill(n);
    assert.match(await result(page), /algorithm confusion attack/);
    page.assertClean();
  });

  test("malformed input gets a specific message, and the text stays as typed", async () => {
    const page = await openJwt(app);
    const cases = [
      ["abc", /3/],
      ["eyJhbGciOiJIUzI1NiJ9.e30!.x", /payload[\s\S]*5|position|character/i],
      ["bm90IGpzb24.e30.x", /header[\s\S]*JSON/i],
      [`${b64url('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.a.b.c.d`, /encrypted token \(JWE\)/],
    ];
    for (const [text, expected] of cases) {
      await byTestId(page, "jwt-token").fill(text);
      assert.match(await message(page), expected, text);
      assert.equal(await byTestId(page, "jwt-token").inputValue(), text);
    }
    page.assertClean();
  });

  test("an HTML and script payload is shown as text, never run as markup", async () => {
    const page = await openJwt(app);
    const payload = b64url(JSON.stringify({ name: "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>" }));
    await byTestId(page, "jwt-token").fill(`${b64url('{"alg":"HS256"}')}.${payload}.c2ln`);
    assert.match(await byTestId(page, "jwt-payload").textContent(), /<script>window.__pwned=2<\/script>/);
    assert.equal(await page.locator("article.jwt img, article.jwt script").count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    page.assertClean();
  });

  test("a megabyte of pasted text, emoji and binary gets an answer, not a dead page", async () => {
    const page = await openJwt(app);
    const huge = "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(1_000_000) + ".c2ln";
    await byTestId(page, "jwt-token").fill(huge);
    assert.match(await message(page), /./);
    await byTestId(page, "jwt-token").fill("🙂.\u0000\u0001.💥");
    assert.match(await message(page), /./);
    page.assertClean();
  });

  test("axe-core finds nothing with a token decoded and checked, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/jwt"));
      await byTestId(page, "jwt-token").fill(A1_TOKEN);
      await byTestId(page, "jwt-key").fill("wrong");
      await byTestId(page, "jwt-claims").waitFor();
      await assertNoAxeViolations(page, `jwt (${colorScheme})`);
      await byTestId(page, "jwt-token").fill("not.a");
      await assertNoAxeViolations(page, `jwt with an error (${colorScheme})`);
      page.assertClean();
      await page.context().close();
    }
  });

  test("what was typed survives a reload", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    await byTestId(page, "jwt-key").fill("my secret");
    await page.reload();
    await byTestId(page, "jwt-token").waitFor();
    assert.equal(await byTestId(page, "jwt-token").inputValue(), A1_TOKEN);
    assert.equal(await byTestId(page, "jwt-key").inputValue(), "my secret");
    page.assertClean();
  });
});
