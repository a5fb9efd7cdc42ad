// Opaque access tokens and introspection (RFC 7662) with a certified
// client: oauth4webapi introspects what the simulated server issued, as an
// API would, and reads active: false once the token is revoked; the
// simulated API accepts the library's opaque token after introspecting it
// itself, and caches the answer (section 4).
// Run alone: bash scripts/interop.sh introspection
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";

import { ALICE, API, interop } from "./harness.mjs";
import { codeFlow, discover, through } from "./oauth4webapi-flows.mjs";
import { scenarios } from "./peers.mjs";

const webapp = { client_id: "webapp" };
const opaque = { ...scenarios.webApp("client_secret_basic"), policy: { opaque_access_tokens: true } };

async function introspect(sim, as, token) {
  const response = await oauth.introspectionRequest(as, webapp, oauth.ClientSecretBasic(scenarios.WEBAPP_SECRET), token, through(sim.fetch));
  return oauth.processIntrospectionResponse(as, webapp, response);
}

describe("introspection (RFC 7662) with oauth4webapi", () => {
  interop("an opaque access token introspects as active with its claims, then inactive once revoked", opaque, async (sim) => {
    const as = await discover(sim, "oauth2");
    assert.equal(as.introspection_endpoint, "https://as.example/introspect");
    const clientAuth = oauth.ClientSecretBasic(scenarios.WEBAPP_SECRET);
    const { tokens } = await codeFlow(sim, as, webapp, clientAuth, {
      scope: "read",
      redirectUri: scenarios.WEBAPP_CALLBACK,
    });
    assert.equal(tokens.access_token.split(".").length, 1, "an opaque token, not a JWT");
    const active = await introspect(sim, as, tokens.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, "webapp");
    assert.equal(active.sub, ALICE.sub);
    assert.equal(active.scope, "read");
    assert.equal(active.token_type, "Bearer");
    const revocation = await oauth.revocationRequest(as, webapp, clientAuth, tokens.access_token, through(sim.fetch));
    await oauth.processRevocationResponse(revocation);
    assert.deepEqual(await introspect(sim, as, tokens.access_token), { active: false });
  });

  interop("the API introspects an opaque token before it answers, once while its answer is fresh", opaque, async (sim) => {
    const as = await discover(sim, "oauth2");
    const clientAuth = oauth.ClientSecretBasic(scenarios.WEBAPP_SECRET);
    const { tokens } = await codeFlow(sim, as, webapp, clientAuth, { scope: "read", redirectUri: scenarios.WEBAPP_CALLBACK });
    const call = () => oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${API}/profile`), undefined, undefined, through(sim.fetch));
    const first = await call();
    assert.equal(first.status, 200);
    assert.equal((await first.json()).sub, ALICE.sub);
    assert.equal((await call()).status, 200);
    const asked = JSON.parse(sim.servers.exchanges()).filter((exchange) => exchange.url.endsWith("/introspect"));
    assert.equal(asked.length, 1, "the second call is answered from the API's cache");
    assert.equal(asked[0].from, "resource_server");
  });
});
