// The FAPI 2.0 shape with a certified client: oauth4webapi pushes its
// authorization request (RFC 9126), authenticates with private_key_jwt
// (RFC 7523) and no shared secret, binds its tokens with DPoP (RFC 9449),
// against a server that requires PAR and DPoP. jose checks the assertions
// the server accepted were what RFC 7523 asks for.
// Run alone: bash scripts/interop.sh fapi
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";
import * as jose from "jose";

import { ALICE, API, interop, refusal } from "./harness.mjs";
import { discover, through } from "./oauth4webapi-flows.mjs";
import { scenarios } from "./peers.mjs";

const CALLBACK = scenarios.WEBAPP_CALLBACK;
const client = { client_id: "backend" };
const { publicKey, privateKey } = await oauth.generateKeyPair("ES256", { extractable: true });
const publicJwk = await jose.exportJWK(publicKey);

/** A confidential client with a key and no secret; PAR and DPoP required. */
const fapi = {
  client: { client_id: client.client_id, auth_method: "private_key_jwt", redirect_uri: CALLBACK },
  registration: { redirect_uris: [CALLBACK], allowed_scope: "read", public_jwk: publicJwk },
  policy: { require_par: true, require_dpop: true },
};

async function pushedRequest(sim, as, clientAuth, dpop) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const params = new URLSearchParams({
    response_type: "code",
    redirect_uri: CALLBACK,
    scope: "read",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const response = await oauth.pushedAuthorizationRequest(as, client, clientAuth, params, { DPoP: dpop, ...through(sim.fetch) });
  const { request_uri, expires_in } = await oauth.processPushedAuthorizationResponse(as, client, response);
  return { request_uri, expires_in, verifier, state };
}

describe("FAPI 2.0 shape: PAR + PKCE + DPoP + private_key_jwt with oauth4webapi", () => {
  interop("completes the flow and calls the API with a bound token", fapi, async (sim) => {
    const as = await discover(sim, "oauth2");
    assert.equal(as.require_pushed_authorization_requests, true);
    assert.ok(as.token_endpoint_auth_methods_supported.includes("private_key_jwt"));
    const clientAuth = oauth.PrivateKeyJwt(privateKey);
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const pushed = await pushedRequest(sim, as, clientAuth, dpop);
    assert.match(pushed.request_uri, /^urn:ietf:params:oauth:request_uri:/);
    assert.equal(pushed.expires_in, 60);

    // The browser carries only client_id and request_uri.
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({ client_id: client.client_id, request_uri: pushed.request_uri }).toString();
    const callback = sim.browse(url);
    const params = oauth.validateAuthResponse(as, client, callback, pushed.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, pushed.verifier, {
      DPoP: dpop,
      ...through(sim.fetch),
    });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    assert.equal(tokens.token_type, "dpop");

    const api = await oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${API}/profile`), undefined, undefined, {
      DPoP: dpop,
      ...through(sim.fetch),
    });
    assert.equal((await api.json()).sub, ALICE.sub);
  });

  interop("a plain authorization request is refused when PAR is required", fapi, async (sim) => {
    const as = await discover(sim, "oauth2");
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const back = sim.browse(url);
    assert.equal(back.searchParams.get("error"), "invalid_request");
  });

  interop("an assertion signed by another key is invalid_client", fapi, async (sim) => {
    const as = await discover(sim, "oauth2");
    const { privateKey: other } = await oauth.generateKeyPair("ES256");
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const error = await refusal(pushedRequest(sim, as, oauth.PrivateKeyJwt(other), dpop));
    assert.equal(error.error, "invalid_client");
    assert.match(error.error_description, /signature does not verify/);
  });
});
