// The JWT debugger as a person uses it: paste a token, read it, check its
// signature; paste junk and get told what is wrong.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { ROOT, assertNoAxeViolations, byTestId, openPage, useApp, withJose } from "./support.mjs";

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

/**
 * Waits until the verification result matches `expected` and returns it.
 * The key and signature code loads on first use, so the first verdict can
 * come a moment after the key is typed.
 */
async function verdict(page, expected) {
  const locator = byTestId(page, "jwt-verify-result");
  try {
    await locator.filter({ hasText: expected }).waitFor({ timeout: 5000 });
  } catch {
    assert.fail(`verification result ${JSON.stringify(await locator.textContent())} never matched ${expected}`);
  }
  return locator.textContent();
}

describe("JWT debugger", () => {
  const app = useApp({ before, after });

  test("RFC 7515 A.1: decoded, explained, warned about, and verified with its key", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    assert.match(await message(page), /A signed token/);
    assert.match(await byTestId(page, "jwt-header").inputValue(), /"alg": "HS256"/);
    const claims = await byTestId(page, "jwt-claims").textContent();
    assert.match(claims, /exp[\s\S]*1300819380[\s\S]*2011-03-22 18:43:00 UTC[\s\S]*2011[\s\S]*\d+ days ago/);
    assert.match(claims, /http:\/\/example\.com\/is_root[\s\S]*Not a registered claim/);
    assert.match(await byTestId(page, "jwt-warnings").textContent(), /Expired/);
    assert.equal(await page.locator(".jwt__part--2").textContent(), A1_TOKEN.split(".")[2]);

    await byTestId(page, "jwt-key-format").selectOption("secret-base64url");
    await byTestId(page, "jwt-key").fill(A1_KEY);
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    await byTestId(page, "jwt-key").fill(A1_KEY.replace("A", "B"));
    await verdict(page, /^Not verified: the signature does not match/);
    page.assertClean();
  });

  test("RFC 9449: a DPoP proof is named, its key's thumbprint shown, and it verifies with the key in its header", async () => {
    const examples = JSON.parse(
      await readFile(join(ROOT, "crates/oauth-engine/tests/vectors/rfc9449/examples.json"), "utf8"),
    );
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(examples.token_request.proof);
    assert.match(await byTestId(page, "jwt-kind").textContent(), /A DPoP proof \(RFC 9449 section 4\.2\)/);
    // RFC 9449 section 6.1: the thumbprint the example's cnf.jkt shows.
    assert.equal(await byTestId(page, "jwt-thumbprint").textContent(), examples.jkt);
    const claims = await byTestId(page, "jwt-claims").textContent();
    assert.match(claims, /htm[\s\S]*POST[\s\S]*the HTTP method/);
    assert.match(claims, /htu[\s\S]*https:\/\/server\.example\.com\/token[\s\S]*the URL/);
    await byTestId(page, "jwt-use-header-jwk").click();
    await verdict(page, /^Signature verified \(ES256\)\.$/);
    await assertNoAxeViolations(page, "JWT debugger on a DPoP proof");

    // RFC 7523 section 3: an assertion is named by its iss = sub, aud and jti.
    const assertion = [
      b64url(JSON.stringify({ alg: "ES256", typ: "JWT" })),
      b64url(JSON.stringify({ iss: "webapp", sub: "webapp", aud: "https://as.example", jti: "x1", exp: 1767225660 })),
      "c2ln",
    ].join(".");
    await byTestId(page, "jwt-token").fill(assertion);
    assert.match(await byTestId(page, "jwt-kind").textContent(), /A client assertion \(private_key_jwt, RFC 7523 section 3\): webapp signed it/);
    assert.equal(await byTestId(page, "jwt-use-header-jwk").count(), 0);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    assert.equal(await byTestId(page, "jwt-kind").count(), 0);
    page.assertClean();
  });

  test("RFC 7515 A.2: RS256 verifies with its JWK; a secret for it is named the confusion attack", async () => {
    const vector = JSON.parse(await readFile(join(ROOT, "crates/oauth-engine/src/keys/rfc7515_a2.json"), "utf8"));
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(vector.compact);
    await byTestId(page, "jwt-key-format").selectOption("jwk");
    const { kty, n, e } = vector.key;
    await byTestId(page, "jwt-key").fill(JSON.stringify({ keys: [{ kty, n, e }] }));
    await verdict(page, /^Signature verified \(RS256\)\.$/);
    await byTestId(page, "jwt-key-format").selectOption("secret-text");
    await byTestId(page, "jwt-key").fill(n);
    await verdict(page, /algorithm confusion attack/);
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
    assert.match(await byTestId(page, "jwt-payload").inputValue(), /<script>window.__pwned=2<\/script>/);
    assert.match(await byTestId(page, "jwt-claims").textContent(), /<script>window.__pwned=2<\/script>/);
    assert.equal(await page.locator("article.jwt img, article.jwt script").count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    page.assertClean();
  });

  test("a megabyte of pasted text, emoji, binary or claims gets an answer, not a dead page", async () => {
    const page = await openJwt(app);
    const huge = "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(1_000_000) + ".c2ln";
    await byTestId(page, "jwt-token").fill(huge);
    assert.match(await message(page), /./);
    await byTestId(page, "jwt-token").fill("🙂.\u0000\u0001.💥");
    assert.match(await message(page), /./);

    // A megabyte of valid claims, 60,000 of them, each name twice: one
    // warning, and the table lists the first claims and counts the rest.
    const claims = Array.from({ length: 120_000 }, (_, i) => `"c${i >> 1}":${i}`).join(",");
    const many = `${b64url('{"alg":"HS256"}')}.${b64url(`{${claims}}`)}.c2ln`;
    assert.ok(many.length > 1_000_000);
    await byTestId(page, "jwt-token").fill(many);
    await byTestId(page, "jwt-claims-more").filter({ hasText: "119800 more follow" }).waitFor();
    assert.equal(await byTestId(page, "jwt-claims").locator("tbody tr").count(), 200);
    assert.match(
      await byTestId(page, "jwt-warnings").textContent(),
      /The payload names "c0", "c1", "c2" and 59997 others more than once/,
    );
    page.assertClean();
  });

  test("a token too long to draw is kept whole: decoded, verified, copied and signed again whole", async () => {
    const page = await openPage(app, "/jwt", { permissions: ["clipboard-read", "clipboard-write"] });
    const secret = "a secret for a megabyte of claims";
    const claims = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`c${i}`, i]));
    const input = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
    assert.ok(token.length > 1_000_000);
    await byTestId(page, "jwt-key-format").selectOption("secret-text");
    await byTestId(page, "jwt-key").fill(secret);
    await byTestId(page, "jwt-token").fill(token);
    // The whole token is verified.
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    // The field shows its first part, uncoloured, and says so.
    const field = byTestId(page, "jwt-token");
    assert.equal(await field.inputValue(), token.slice(0, 20_000));
    assert.match(
      await byTestId(page, "jwt-token-long").textContent(),
      new RegExp(`^This token has ${token.length.toLocaleString("en")} characters: the field shows the first 20,000, `),
    );
    assert.equal(await page.locator(".jwt__highlight .jwt__part").count(), 0);
    // The payload editor shows its first part, read-only, and counts the rest.
    const editor = byTestId(page, "jwt-payload");
    assert.equal((await editor.inputValue()).length, 20_000);
    assert.equal(await editor.getAttribute("readonly"), "");
    assert.match(await byTestId(page, "jwt-payload-long").textContent(), /^The first 20,000 characters are shown, [\d,]+ left out\./);
    assert.equal(await byTestId(page, "jwt-header-long").textContent(), "");
    // Copied whole, by the button.
    await byTestId(page, "jwt-token-copy").click();
    await page.waitForFunction((expected) => navigator.clipboard.readText().then((text) => text === expected), token);
    // Signed again whole: an edit of the header signs the whole payload.
    await byTestId(page, "jwt-sign-key-format").selectOption("secret-text");
    await byTestId(page, "jwt-sign-key").fill(secret);
    await byTestId(page, "jwt-header").fill('{"alg":"HS256","typ":"JWT","kid":"k1"}');
    await byTestId(page, "jwt-token-copy").click();
    // The signing code may still be loading: copy until the token changes.
    const resigned = await page.evaluate(async (previous) => {
      for (let tries = 0; tries < 100; tries++) {
        const text = await navigator.clipboard.readText();
        if (text !== previous) return text;
        document.querySelector('[data-testid="jwt-token-copy"]').click();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return previous;
    }, token);
    assert.notEqual(resigned, token);
    assert.deepEqual(JSON.parse(Buffer.from(resigned.split(".")[1], "base64url")), claims);
    assert.equal(JSON.parse(Buffer.from(resigned.split(".")[0], "base64url")).kid, "k1");
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    // Typed at the start of the field, a character goes before the rest:
    // the whole token follows it.
    await field.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("x");
    await byTestId(page, "jwt-token-copy").click();
    await page.waitForFunction((expected) => navigator.clipboard.readText().then((text) => text === expected), `x${resigned}`);
    // A short token is coloured and editable again.
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    assert.equal(await byTestId(page, "jwt-token-long").textContent(), "");
    assert.equal(await page.locator(".jwt__highlight .jwt__part").count(), 3);
    assert.equal(await editor.getAttribute("readonly"), null);
    page.assertClean();
  });

  test("axe-core finds nothing with a token decoded and checked, in both themes", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(app, null, { colorScheme });
      await page.goto(app.url("/jwt"));
      await byTestId(page, "jwt-token").fill(A1_TOKEN);
      await byTestId(page, "jwt-key").fill("wrong");
      await byTestId(page, "jwt-claims").waitFor();
      await verdict(page, /Not verified/);
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

  test("a token jose signs in the same page (HS256) verifies with its secret", async () => {
    const page = await withJose(await openJwt(app));
    const secret = "a shared secret that jose and the debugger both know";
    const token = await page.evaluate(
      (secret) =>
        new window.jose.SignJWT({ sub: "alice", scope: "read" })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setIssuer("https://as.example")
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(secret)),
      secret,
    );
    await byTestId(page, "jwt-token").fill(token);
    await byTestId(page, "jwt-key-format").selectOption("secret-text");
    await byTestId(page, "jwt-key").fill(secret);
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    page.assertClean();
  });
  // Every algorithm the debugger signs with, the key jose makes for it, and
  // the menu entry that makes one here.
  const ALGS = [
    ["HS256", "secret"], ["HS384", "secret"], ["HS512", "secret"],
    ["RS256", "rsa-2048"], ["RS384", "rsa-2048"], ["RS512", "rsa-2048"],
    ["PS256", "rsa-2048"], ["PS384", "rsa-2048"], ["PS512", "rsa-2048"],
    ["ES256", "p-256"], ["ES384", "p-384"], ["ES512", "p-521"], ["EdDSA", "ed25519"],
  ];

  async function setPayload(page, claims) {
    await byTestId(page, "jwt-payload").fill(JSON.stringify(claims, null, 2));
  }

  test("interop: a token signed here verifies with jose, for every algorithm", async () => {
    const page = await withJose(await openJwt(app));
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    let rsaKey = null;
    for (const [alg, keyKind] of ALGS) {
      await byTestId(page, "jwt-sign-alg").selectOption(alg);
      // One RSA key serves the six RS/PS algorithms; the others get a new key each.
      if (keyKind !== "rsa-2048" || !rsaKey) {
        await byTestId(page, "jwt-new-key").selectOption(keyKind);
        await byTestId(page, "jwt-generate").click();
        await byTestId(page, "jwt-generate").filter({ hasText: "Make key" }).waitFor();
        if (keyKind === "rsa-2048") rsaKey = true;
      }
      await setPayload(page, { sub: "alice", alg_under_test: alg });
      await verdict(page, new RegExp(`^Signature verified \\(${alg}\\)\\.$`));
      const token = await byTestId(page, "jwt-token").inputValue();
      assert.equal(JSON.parse(Buffer.from(token.split(".")[0], "base64url")).alg, alg);
      const keyText = await byTestId(page, "jwt-key").inputValue();
      const keyFormat = await byTestId(page, "jwt-key-format").inputValue();
      const payload = await page.evaluate(
        async ({ token, keyText, keyFormat, alg }) => {
          const { jose } = window;
          const key = keyFormat === "secret-base64url"
            ? jose.base64url.decode(keyText)
            : await jose.importJWK(JSON.parse(keyText), alg);
          return (await jose.jwtVerify(token, key, { algorithms: [alg] })).payload;
        },
        { token, keyText, keyFormat, alg },
      );
      assert.deepEqual(payload, { sub: "alice", alg_under_test: alg }, alg);
      // The exports are the same key: jose verifies with the public PEM too.
      if (!alg.startsWith("HS")) {
        const pem = await byTestId(page, "jwt-export-public-pem").inputValue();
        assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
        assert.match(await byTestId(page, "jwt-export-private-pem").inputValue(), /^-----BEGIN PRIVATE KEY-----\n/);
        const verified = await page.evaluate(
          async ({ token, pem, alg }) => {
            const key = await window.jose.importSPKI(pem, alg);
            return (await window.jose.jwtVerify(token, key)).protectedHeader.alg;
          },
          { token, pem, alg },
        );
        assert.equal(verified, alg);
      }
    }
    page.assertClean();
  });

  test("interop: tokens jose signs verify here with its JWK and its PEM, for every algorithm", async () => {
    const page = await withJose(await openJwt(app));
    for (const [alg] of ALGS) {
      const { token, jwk, pem } = await page.evaluate(async (alg) => {
        const { jose } = window;
        const sign = (key) =>
          new jose.SignJWT({ sub: "bob", scope: "read" })
            .setProtectedHeader({ alg, typ: "JWT", kid: "k1" })
            .setIssuedAt()
            .setExpirationTime("10m")
            .sign(key);
        if (alg.startsWith("HS")) {
          const secret = crypto.getRandomValues(new Uint8Array(Number(alg.slice(2)) / 8));
          return { token: await sign(secret), jwk: jose.base64url.encode(secret), pem: null };
        }
        const options = alg === "EdDSA" ? { crv: "Ed25519", extractable: true } : { extractable: true };
        const { publicKey, privateKey } = await jose.generateKeyPair(alg, options);
        return {
          token: await sign(privateKey),
          jwk: JSON.stringify({ keys: [{ ...(await jose.exportJWK(publicKey)), kid: "k1" }] }),
          pem: await jose.exportSPKI(publicKey),
        };
      }, alg);
      await byTestId(page, "jwt-token").fill(token);
      if (alg.startsWith("HS")) {
        await byTestId(page, "jwt-key-format").selectOption("secret-base64url");
        await byTestId(page, "jwt-key").fill(jwk);
        await verdict(page, new RegExp(`^Signature verified \\(${alg}\\)\\.$`));
        continue;
      }
      await byTestId(page, "jwt-key-format").selectOption("jwk");
      await byTestId(page, "jwt-key").fill(jwk);
      await verdict(page, new RegExp(`^Signature verified \\(${alg}\\)\\.$`));
      await byTestId(page, "jwt-key").fill(pem);
      await verdict(page, new RegExp(`^Signature verified \\(${alg}\\)\\.$`));
    }
    page.assertClean();
  });

  test("PEM keys: PKCS#1 RSA public keys verify, and a bad PEM says what is wrong", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" });
    const pkcs1 = publicKey.export({ type: "pkcs1", format: "pem" });
    assert.match(pkcs1, /^-----BEGIN RSA PUBLIC KEY-----/);
    const page = await withJose(await openJwt(app));
    const token = await page.evaluate(async (pkcs8) => {
      const key = await window.jose.importPKCS8(pkcs8, "RS256");
      return new window.jose.SignJWT({ sub: "carol" }).setProtectedHeader({ alg: "RS256" }).sign(key);
    }, pkcs8);
    await byTestId(page, "jwt-token").fill(token);
    await byTestId(page, "jwt-key-format").selectOption("jwk");
    await byTestId(page, "jwt-key").fill(pkcs1);
    await verdict(page, /^Signature verified \(RS256\)\.$/);
    await byTestId(page, "jwt-key").fill(pkcs1.replace("RSA PUBLIC KEY", "CERTIFICATE REQUEST"));
    await verdict(page, /CERTIFICATE REQUEST/);
    page.assertClean();
  });

  test("editing the payload keeps the old signature until a signing key signs it again", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    await byTestId(page, "jwt-key-format").selectOption("secret-base64url");
    await byTestId(page, "jwt-key").fill(A1_KEY);
    await verdict(page, /^Signature verified/);
    await setPayload(page, { iss: "mallory", admin: true });
    await verdict(page, /^Not verified: the signature does not match/);
    const edited = await byTestId(page, "jwt-token").inputValue();
    assert.equal(edited.split(".")[2], A1_TOKEN.split(".")[2], "the old signature is kept");
    assert.match(await byTestId(page, "jwt-claims").textContent(), /mallory/);

    // Half-typed JSON stays in the editor, with its message, and the token waits.
    await byTestId(page, "jwt-payload").fill('{"iss": "mall');
    assert.match(await byTestId(page, "jwt-payload-message").textContent(), /not JSON/);
    assert.equal(await byTestId(page, "jwt-token").inputValue(), edited);

    // With the same secret as the signing key, the edit is signed again.
    await byTestId(page, "jwt-sign-key-format").selectOption("secret-base64url");
    await byTestId(page, "jwt-sign-key").fill(A1_KEY);
    await setPayload(page, { iss: "joe", exp: 4102444800 });
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    assert.notEqual(await byTestId(page, "jwt-token").inputValue(), edited);

    // A signing key that cannot sign the header's alg says why.
    await byTestId(page, "jwt-sign-alg").selectOption("ES256");
    await byTestId(page, "jwt-sign-status").filter({ hasText: /Cannot sign/ }).waitFor();
    page.assertClean();
  });

  test("the editors and the claims table show the token's order, and an edit keeps it", async () => {
    const page = await openJwt(app);
    const claims = '{"sub":"alice","iss":"https://as.example","exp":4102444800,"aud":"api"}';
    await byTestId(page, "jwt-token").fill(`${b64url('{"typ":"JWT","alg":"HS256"}')}.${b64url(claims)}.c2ln`);
    const editor = await byTestId(page, "jwt-payload").inputValue();
    assert.deepEqual(Object.keys(JSON.parse(editor)), ["sub", "iss", "exp", "aud"]);
    assert.match(editor, /^\{\n  "sub": "alice",\n/);
    assert.deepEqual(Object.keys(JSON.parse(await byTestId(page, "jwt-header").inputValue())), ["typ", "alg"]);
    const rowNames = () => byTestId(page, "jwt-claims").locator("tbody tr th").allTextContents();
    assert.deepEqual(await rowNames(), ["sub", "iss", "exp", "aud"]);
    const before = await byTestId(page, "jwt-token").inputValue();
    await byTestId(page, "jwt-payload").fill(editor.replace('"alice"', '"bob"'));
    // The token is rebuilt once the editing code has loaded.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="jwt-token"]').value !== before,
      before,
    );
    const payload = (await byTestId(page, "jwt-token").inputValue()).split(".")[1];
    assert.equal(Buffer.from(payload, "base64url").toString(), claims.replace("alice", "bob"));
    page.assertClean();
  });

  test("RFC 7519 4: a claim named twice is listed twice and warned about; the last one counts", async () => {
    const page = await openJwt(app);
    const claims = '{"sub":"alice","aud":"api","exp":4102444800,"sub":"mallory"}';
    await byTestId(page, "jwt-token").fill(`${b64url('{"alg":"HS256"}')}.${b64url(claims)}.c2ln`);
    const warnings = byTestId(page, "jwt-warnings");
    await warnings.filter({ hasText: 'The payload names "sub" more than once' }).waitFor();
    assert.match(await warnings.textContent(), /RFC 7519 section 4/);
    const rows = await byTestId(page, "jwt-claims").locator("tbody tr").allTextContents();
    assert.equal(rows.filter((row) => row.startsWith("sub")).length, 2);
    page.assertClean();
  });

  test("RFC 7518 3.2: an HMAC secret shorter than the hash verifies with a warning", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    await byTestId(page, "jwt-sign-key").fill("short");
    await setPayload(page, { sub: "x" });
    await byTestId(page, "jwt-key").fill("short");
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    assert.match(await byTestId(page, "jwt-key-warning").textContent(), /RFC 7518/);
    page.assertClean();
  });

  test("times are judged now or at a time the user sets, with the skew they set", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN); // exp 2011-03-22 18:43:00 UTC
    assert.match(await byTestId(page, "jwt-warnings").textContent(), /Expired/);
    // The browser runs in UTC here (TZ is unset on the test machine); the field is local time.
    const offset = await page.evaluate(() => new Date(1300819380000).getTimezoneOffset());
    const local = (utcSeconds) =>
      new Date((utcSeconds - offset * 60) * 1000).toISOString().slice(0, 19);
    await byTestId(page, "jwt-judged-at").fill(local(1300819380 - 3600));
    await page.waitForFunction(() => !document.querySelector('[data-testid="jwt-warnings"]')?.textContent.includes("Expired"));
    assert.match(await byTestId(page, "jwt-claims").textContent(), /in 1 h/);
    await byTestId(page, "jwt-judged-at").fill(local(1300819380 + 30));
    await byTestId(page, "jwt-skew").fill("0");
    await byTestId(page, "jwt-warnings").filter({ hasText: "Expired" }).waitFor();
    await byTestId(page, "jwt-skew").fill("soon");
    assert.match(await byTestId(page, "jwt-skew-message").textContent(), /whole number of seconds/);
    page.assertClean();
  });

  test("a share link is made only when asked, carries the token in the fragment, and opens it", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    assert.equal(await byTestId(page, "jwt-share-link").count(), 0);
    await byTestId(page, "jwt-share").check();
    const link = await byTestId(page, "jwt-share-link").inputValue();
    assert.equal(link, app.url(`/jwt#token=${A1_TOKEN}`));
    await byTestId(page, "jwt-key").fill("never in the link");
    assert.ok(!(await byTestId(page, "jwt-share-link").inputValue()).includes("never"));

    const other = await openPage(app, null);
    await other.goto(link);
    await byTestId(other, "jwt-token").waitFor();
    assert.equal(await byTestId(other, "jwt-token").inputValue(), A1_TOKEN);
    assert.match(await byTestId(other, "jwt-header").inputValue(), /"alg": "HS256"/);
    other.assertClean();
    await other.context().close();
    page.assertClean();
  });

  test("fetching a JWKS happens only on the click, from the URL typed", async () => {
    const vector = JSON.parse(await readFile(join(ROOT, "crates/oauth-engine/src/keys/rfc7515_a2.json"), "utf8"));
    const jwksUrl = "https://issuer.example/.well-known/jwks.json";
    const page = await openJwt(app);
    let served = 0;
    await page.route(jwksUrl, (route) => {
      served += 1;
      const { kty, n, e } = vector.key;
      route.fulfill({
        status: 200,
        headers: { "content-type": "application/json", "access-control-allow-origin": "*" },
        body: JSON.stringify({ keys: [{ kty, n, e, kid: "a2" }] }),
      });
    });
    await page.route("https://issuer.example/missing", (route) =>
      route.fulfill({ status: 404, headers: { "access-control-allow-origin": "*" }, body: "no" }),
    );
    await byTestId(page, "jwt-token").fill(vector.compact);
    await byTestId(page, "jwt-jwks-url").fill(jwksUrl);
    await page.waitForTimeout(300);
    assert.equal(served, 0, "typing the URL fetches nothing");
    await byTestId(page, "jwt-jwks-fetch").click();
    await byTestId(page, "jwt-jwks-status").filter({ hasText: "1 key" }).waitFor();
    assert.equal(served, 1);
    await verdict(page, /^Signature verified \(RS256\)\.$/);

    await byTestId(page, "jwt-jwks-url").fill("https://issuer.example/missing");
    await byTestId(page, "jwt-jwks-fetch").click();
    await byTestId(page, "jwt-jwks-status").filter({ hasText: "404" }).waitFor();
    await byTestId(page, "jwt-jwks-url").fill("ftp://issuer.example/jwks");
    await byTestId(page, "jwt-jwks-fetch").click();
    await byTestId(page, "jwt-jwks-status").filter({ hasText: "Only http and https" }).waitFor();
    page.assertClean({ allow: ["https://issuer.example/"] });
  });

  test("making an RSA key leaves the page responsive", async () => {
    const page = await openJwt(app);
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      }).observe({ type: "longtask" });
    });
    await byTestId(page, "jwt-new-key").selectOption("rsa-2048");
    await byTestId(page, "jwt-generate").click();
    await byTestId(page, "jwt-generate").filter({ hasText: "Make key" }).waitFor();
    assert.match(await byTestId(page, "jwt-sign-key").inputValue(), /"kty": "RSA"/);
    assert.match(await byTestId(page, "jwt-exports").textContent(), /RSA/);
    const longest = await page.evaluate(() => window.__longest);
    assert.ok(longest < 250, `the main thread was blocked for ${longest} ms`);
    page.assertClean();
  });

  test("axe-core finds nothing with the signing panel, a made key and its exports on screen", async () => {
    const page = await openJwt(app);
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    await byTestId(page, "jwt-new-key").selectOption("p-256");
    await byTestId(page, "jwt-generate").click();
    await byTestId(page, "jwt-exports").waitFor();
    await verdict(page, /^Signature verified \(ES256\)\.$/);
    await byTestId(page, "jwt-share").check();
    await assertNoAxeViolations(page, "jwt signing");
    page.assertClean();
  });
  test("reading a token loads no signature code; the first key loads it, once", async () => {
    const page = await openJwt(app);
    const cryptoChunks = () => page.requests.filter((url) => /\/split_load_[^/]*\.wasm$/.test(new URL(url).pathname));
    await byTestId(page, "jwt-token").fill(A1_TOKEN);
    await byTestId(page, "jwt-claims").waitFor();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(cryptoChunks(), [], "decoding needs no crypto chunk");
    await byTestId(page, "jwt-example").click();
    await verdict(page, /^Signature verified \(HS256\)\.$/);
    await byTestId(page, "jwt-key").fill(A1_KEY.replace("A", "B"));
    await verdict(page, /^Not verified/);
    assert.equal(cryptoChunks().length, 1);
    page.assertClean();
  });
});
