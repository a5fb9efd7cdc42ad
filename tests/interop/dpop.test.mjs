// DPoP (RFC 9449) with a certified client: oauth4webapi binds its tokens
// to its own key at the simulated token endpoint, follows the server's
// nonce, refreshes with its key and calls the API and UserInfo with
// proofs; a bound token presented as Bearer, or by someone without the
// key, is refused. jose computes the key's thumbprint the server must bind
// to.
// Run alone: bash scripts/interop.sh dpop
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";
import * as jose from "jose";

import { ALICE, API, interop, refusal } from "./harness.mjs";
import { authorizationRequest, discover, through } from "./oauth4webapi-flows.mjs";
import { scenarios, verifyAccessToken } from "./peers.mjs";

const spa = { client_id: "spa" };

/** Repeats `request` once when the server asks for its DPoP nonce. */
async function withNonceRetry(request) {
  try {
    return await request();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return request();
  }
}

/** Code + PKCE as the SPA, every token request with a proof by `dpop`. */
async function dpopCodeFlow(sim, as, dpop, scope = "read") {
  const request = await authorizationRequest(as, spa, { scope });
  const callback = sim.browse(request.url);
  const params = oauth.validateAuthResponse(as, spa, callback, request.state);
  return withNonceRetry(async () => {
    const response = await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), params, request.redirectUri, request.verifier, {
      DPoP: dpop,
      ...through(sim.fetch),
    });
    return oauth.processAuthorizationCodeResponse(as, spa, response, request.nonce ? { expectedNonce: request.nonce } : {});
  });
}

function callApi(sim, accessToken, options = {}) {
  return oauth.protectedResourceRequest(accessToken, "GET", new URL(`${API}/profile`), undefined, undefined, {
    ...through(sim.fetch),
    ...options,
  });
}

async function newKey() {
  const keyPair = await oauth.generateKeyPair("ES256");
  const thumbprint = await jose.calculateJwkThumbprint(await jose.exportJWK(keyPair.publicKey));
  return { keyPair, thumbprint };
}

describe("DPoP (RFC 9449) with oauth4webapi", () => {
  interop("binds the tokens to the client's key and calls the API with a proof", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    assert.deepEqual(as.dpop_signing_alg_values_supported, ["ES256"]);
    const { keyPair, thumbprint } = await newKey();
    const dpop = oauth.DPoP(spa, keyPair);
    const tokens = await dpopCodeFlow(sim, as, dpop);
    assert.equal(tokens.token_type, "dpop");
    const claims = await verifyAccessToken(sim, tokens.access_token, { scope: "read" });
    assert.equal(claims.cnf.jkt, thumbprint);
    assert.equal(claims.cnf.jkt, await dpop.calculateThumbprint());
    const response = await callApi(sim, tokens.access_token, { DPoP: dpop });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).sub, "user-alice");
  });

  interop("follows the server's nonce (use_dpop_nonce and DPoP-Nonce)", { policy: { dpop_nonce: true } }, async (sim) => {
    const as = await discover(sim, "oauth2");
    const dpop = oauth.DPoP(spa, (await newKey()).keyPair);
    const tokens = await dpopCodeFlow(sim, as, dpop);
    assert.equal(tokens.token_type, "dpop");
    const refused = sim.exchanges().filter((exchange) => exchange.url.endsWith("/token"));
    assert.deepEqual(
      refused.map((exchange) => exchange.status),
      [400, 200],
      "the first token request is refused for its missing nonce, the retry succeeds",
    );
  });

  interop("refreshes the public client's bound refresh token with the same key only", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    const { keyPair, thumbprint } = await newKey();
    const dpop = oauth.DPoP(spa, keyPair);
    const tokens = await dpopCodeFlow(sim, as, dpop);
    const other = oauth.DPoP(spa, (await newKey()).keyPair);
    const refresh = (handle) =>
      oauth
        .refreshTokenGrantRequest(as, spa, oauth.None(), tokens.refresh_token, { DPoP: handle, ...through(sim.fetch) })
        .then((response) => oauth.processRefreshTokenResponse(as, spa, response));
    const error = await refusal(refresh(other));
    assert.equal(error.error, "invalid_dpop_proof");
    assert.match(error.error_description, /another key/);
    const renewed = await refresh(dpop);
    assert.equal(renewed.token_type, "dpop");
    const claims = await verifyAccessToken(sim, renewed.access_token, { scope: "read" });
    assert.equal(claims.cnf.jkt, thumbprint);
  });

  interop("UserInfo takes the bound token with a proof, and refuses it as Bearer (RFC 9449 section 7)", scenarios.oidc(), async (sim) => {
    const as = await discover(sim);
    const dpop = oauth.DPoP(spa, (await newKey()).keyPair);
    const tokens = await dpopCodeFlow(sim, as, dpop, "openid profile");
    const response = await oauth.userInfoRequest(as, spa, tokens.access_token, { DPoP: dpop, ...through(sim.fetch) });
    const userinfo = await oauth.processUserInfoResponse(as, spa, ALICE.sub, response);
    assert.deepEqual(userinfo, { sub: ALICE.sub, name: "Alice Liddell", preferred_username: "alice" });
    const asBearer = await refusal(
      oauth
        .userInfoRequest(as, spa, tokens.access_token, through(sim.fetch))
        .then((refused) => oauth.processUserInfoResponse(as, spa, ALICE.sub, refused)),
    );
    assert.ok(asBearer instanceof oauth.WWWAuthenticateChallengeError);
    assert.equal(asBearer.cause[0].scheme, "dpop");
    assert.equal(asBearer.cause[0].parameters.error, "invalid_token");
  });

  interop("a bound token is refused as Bearer, and with a proof by another key", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    const tokens = await dpopCodeFlow(sim, as, oauth.DPoP(spa, (await newKey()).keyPair));
    const asBearer = await refusal(callApi(sim, tokens.access_token));
    assert.ok(asBearer instanceof oauth.WWWAuthenticateChallengeError);
    const [challenge] = asBearer.cause;
    assert.equal(challenge.scheme, "dpop");
    assert.equal(challenge.parameters.error, "invalid_token");
    assert.equal(challenge.parameters.algs, "ES256");
    const thief = oauth.DPoP(spa, (await newKey()).keyPair);
    const stolen = await refusal(callApi(sim, tokens.access_token, { DPoP: thief }));
    assert.equal(stolen.cause[0].parameters.error, "invalid_dpop_proof");
  });
});
