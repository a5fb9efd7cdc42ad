// The engine's own simulated client, checked by libraries nobody here
// wrote: jose verifies every DPoP proof it signs (RFC 9449 section 4.3:
// typ, the embedded key, htm, htu, iat, ath) and every client assertion
// (RFC 7523 section 3: iss, sub, aud, exp, the registered key), in the
// FAPI 2.0 shaped run of the Flow screen.
// Run alone: bash scripts/interop.sh engine-client
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as jose from "jose";

import { API, ISSUER } from "./harness.mjs";

const require = createRequire(import.meta.url);
const { run_scenario, client_assertion_key } = require("../../target/engine-node/engine_node.js");

const WEBAPP = "https://webapp.example/callback";
/** The Flow screen's "FAPI 2.0" scenario (src/flow/model.rs). */
const FAPI = {
  client: { client_id: "webapp", redirect_uri: WEBAPP, auth_method: "private_key_jwt", dpop: true, use_par: true },
  registration: { redirect_uris: [WEBAPP] },
  policy: { require_par: true, require_dpop: true, dpop_nonce: true },
  // Long enough for a refresh, so that a refresh's proof is checked too.
  timeline: { between_api_calls: 400 },
};

function run(scenario) {
  const exchanges = JSON.parse(run_scenario(JSON.stringify(scenario)));
  const end = exchanges.pop();
  assert.equal(end.stopped, null, `the run stopped: ${end.stopped}`);
  return exchanges;
}

const header = (exchange, name) => exchange.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const form = (exchange) => new URLSearchParams(exchange.body);
const at = (exchange) => ({ currentDate: new Date(exchange.at * 1000) });

describe("the engine's client, verified by jose", () => {
  test("every DPoP proof verifies with its embedded key, for its request and token", async () => {
    const exchanges = run(FAPI);
    const proved = exchanges.filter((exchange) => header(exchange, "DPoP"));
    assert.ok(proved.some((exchange) => exchange.url === `${API}/profile`));
    assert.ok(proved.some((exchange) => exchange.url === `${ISSUER}/token`));
    const thumbprints = new Set();
    for (const exchange of proved) {
      const proof = header(exchange, "DPoP");
      const { payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, {
        typ: "dpop+jwt",
        algorithms: ["ES256"],
        ...at(exchange),
      });
      assert.equal(protectedHeader.jwk.d, undefined, "the embedded key is public only");
      assert.equal(payload.htm, exchange.method);
      assert.equal(payload.htu, exchange.url.split("?")[0]);
      assert.equal(payload.iat, exchange.at);
      assert.ok(payload.jti.length >= 16);
      thumbprints.add(await jose.calculateJwkThumbprint(protectedHeader.jwk));
      const authorization = header(exchange, "Authorization");
      if (exchange.url.startsWith(API)) {
        const token = authorization.replace(/^DPoP /, "");
        const ath = createHash("sha256").update(token).digest("base64url");
        assert.equal(payload.ath, ath);
        assert.equal(jose.decodeJwt(token).cnf.jkt, [...thumbprints][0]);
      }
    }
    assert.equal(thumbprints.size, 1, "one key for the whole run");
    // Every proof is new (section 11.1).
    const jtis = proved.map((exchange) => jose.decodeJwt(header(exchange, "DPoP")).jti);
    assert.equal(new Set(jtis).size, jtis.length);
  });

  test("every client assertion verifies with the registered key and names the server", async () => {
    const exchanges = run(FAPI);
    const key = await jose.importJWK(JSON.parse(client_assertion_key()), "ES256");
    const asserted = exchanges.filter((exchange) => form(exchange).has("client_assertion"));
    assert.deepEqual(
      [...new Set(asserted.map((exchange) => new URL(exchange.url).pathname))].sort(),
      ["/par", "/token"],
    );
    for (const exchange of asserted) {
      const params = form(exchange);
      assert.equal(params.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      assert.equal(params.has("client_secret"), false);
      const { payload } = await jose.jwtVerify(params.get("client_assertion"), key, {
        issuer: "webapp",
        subject: "webapp",
        audience: ISSUER,
        algorithms: ["ES256"],
        requiredClaims: ["exp", "jti"],
        maxTokenAge: 120,
        ...at(exchange),
      });
      assert.ok(payload.exp - payload.iat <= 60);
    }
  });
});
