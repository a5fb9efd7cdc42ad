// Token revocation (RFC 7009) with a certified client: oauth4webapi signs
// the user out by revoking the refresh token; the family's access token
// stops working at the API, the refresh token at the token endpoint.
// Run alone: bash scripts/interop.sh revocation
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";

import { interop, refusal } from "./harness.mjs";
import { callApi, codeFlow, discover, refresh, through } from "./oauth4webapi-flows.mjs";

const spa = { client_id: "spa" };

async function revoke(sim, as, token, hint) {
  const response = await oauth.revocationRequest(as, spa, oauth.None(), token, {
    ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
    ...through(sim.fetch),
  });
  await oauth.processRevocationResponse(response);
  return response;
}

describe("revocation (RFC 7009) with oauth4webapi", () => {
  interop("revoking the refresh token signs out: the family's access token and the refresh token stop working", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    assert.equal(as.revocation_endpoint, "https://as.example/revoke");
    const { tokens } = await codeFlow(sim, as, spa, oauth.None());
    assert.equal((await callApi(sim, tokens.access_token)).status, 200);
    await revoke(sim, as, tokens.refresh_token, "refresh_token");
    const api = await refusal(callApi(sim, tokens.access_token));
    assert.equal(api.cause[0].parameters.error, "invalid_token");
    assert.match(api.cause[0].parameters.error_description, /revoked/);
    const renewal = await refusal(refresh(sim, as, spa, tokens.refresh_token));
    assert.equal(renewal.error, "invalid_grant");
  });

  interop("an unknown token is answered 200, as section 2.2 says", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    const response = await revoke(sim, as, "never-issued");
    assert.equal(response.status, 200);
  });
});
