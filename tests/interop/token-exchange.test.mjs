// Token exchange (RFC 8693) with a certified client: an MCP agent gets a
// token for a tool server (RFC 8707 `resource`), and the tool server, with
// oauth4webapi, exchanges it for a token the API accepts, instead of
// forwarding the user's token (MCP authorization, revision 2026-07-28,
// "Token Passthrough"). Issue 17.
// Run alone: bash scripts/interop.sh token-exchange
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as jose from "jose";
import * as oauth from "oauth4webapi";

import { ALICE, API, interop, refusal } from "./harness.mjs";
import { authorizationRequest, callApi, discover, through } from "./oauth4webapi-flows.mjs";

const TOOLS = "https://tools.example/mcp";
const TOOL_SERVER = { client_id: "tool-server" };
const TOOL_SECRET = "tool-server-secret-9Fq";
const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const spa = { client_id: "spa" };

/** The agent (the single-page app's client) signs Alice in, for `resource`. */
async function agentToken(sim, as, resource) {
  const request = await authorizationRequest(as, spa);
  request.url.searchParams.set("resource", resource);
  const callback = sim.browse(request.url.href, ALICE);
  assert.ok(callback instanceof URL, JSON.stringify(callback));
  const params = oauth.validateAuthResponse(as, spa, callback, request.state);
  const response = await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), params, request.redirectUri, request.verifier, {
    additionalParameters: { resource },
    ...through(sim.fetch),
  });
  return (await oauth.processAuthorizationCodeResponse(as, spa, response)).access_token;
}

/** The tool server exchanges `subjectToken` for a token for `resource`. */
async function exchange(sim, as, subjectToken, resource) {
  const response = await oauth.genericTokenEndpointRequest(
    as,
    TOOL_SERVER,
    oauth.ClientSecretBasic(TOOL_SECRET),
    GRANT,
    { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN, resource, scope: "read" },
    through(sim.fetch),
  );
  return oauth.processGenericTokenEndpointResponse(as, TOOL_SERVER, response);
}

describe("token exchange (RFC 8693) with oauth4webapi", () => {
  interop("the tool server exchanges the agent's token for one the API accepts, with act naming it", {}, async (sim) => {
    sim.servers.add_tool_server(TOOLS, TOOL_SERVER.client_id, TOOL_SECRET);
    const as = await discover(sim, "oauth2");
    const userToken = await agentToken(sim, as, TOOLS);
    assert.equal(jose.decodeJwt(userToken).aud, TOOLS);
    // Passed through, the user's token is refused: it is not the API's.
    const passedThrough = await refusal(callApi(sim, userToken));
    assert.ok(passedThrough instanceof oauth.WWWAuthenticateChallengeError, String(passedThrough));
    const [challenge] = passedThrough.cause;
    assert.equal(challenge.parameters.error, "invalid_token");
    assert.match(challenge.parameters.error_description, /another audience/);
    const exchanged = await exchange(sim, as, userToken, API);
    assert.equal(exchanged.issued_token_type, ACCESS_TOKEN);
    assert.equal(exchanged.token_type, "bearer");
    const claims = jose.decodeJwt(exchanged.access_token);
    assert.equal(claims.aud, API);
    assert.equal(claims.sub, ALICE.sub);
    assert.deepEqual(claims.act, { sub: TOOL_SERVER.client_id });
    const answer = await callApi(sim, exchanged.access_token);
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).sub, ALICE.sub);
  });

  interop("a token the tool server was never given cannot be exchanged (invalid_request)", {}, async (sim) => {
    sim.servers.add_tool_server(TOOLS, TOOL_SERVER.client_id, TOOL_SECRET);
    const as = await discover(sim, "oauth2");
    // Alice's token for the API itself, not for the tool server.
    const apiToken = await agentToken(sim, as, API);
    const error = await refusal(exchange(sim, as, apiToken, API));
    assert.ok(error instanceof oauth.ResponseBodyError, String(error));
    assert.equal(error.error, "invalid_request");
    assert.match(error.error_description, /not issued for https:\/\/tools\.example\/mcp/);
  });

  interop("a target the server does not know is invalid_target", {}, async (sim) => {
    sim.servers.add_tool_server(TOOLS, TOOL_SERVER.client_id, TOOL_SECRET);
    const as = await discover(sim, "oauth2");
    const userToken = await agentToken(sim, as, TOOLS);
    const error = await refusal(exchange(sim, as, userToken, "https://bank.example"));
    assert.equal(error.error, "invalid_target");
  });
});
