// The client side of each flow as oauth4webapi runs it, for the flow tests
// and the defence tests alike.
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";

import { API, ISSUER, SPA_CALLBACK } from "./harness.mjs";

/** Fetch options: the simulated network (or the attacker's side of it). */
export const through = (fetch) => ({ [oauth.customFetch]: fetch });

export async function discover(sim, algorithm = "oidc") {
  const issuer = new URL(ISSUER);
  const response = await oauth.discoveryRequest(issuer, { algorithm, ...through(sim.fetch) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * A fresh authorization request: state, PKCE with S256 unless `pkce` is
 * false, and a nonce when `scope` asks for openid. Returns the URL and
 * what the client keeps until the callback.
 */
export async function authorizationRequest(
  as,
  client,
  { scope = "read", redirectUri = SPA_CALLBACK, pkce = true, responseType = "code" } = {},
) {
  const verifier = pkce ? oauth.generateRandomCodeVerifier() : oauth.nopkce;
  const state = oauth.generateRandomState();
  const nonce = scope.includes("openid") ? oauth.generateRandomNonce() : undefined;
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: responseType,
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope,
    state,
    ...(pkce ? { code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" } : {}),
    ...(nonce ? { nonce } : {}),
  }).toString();
  return { url, verifier, state, nonce, redirectUri };
}

/**
 * The callback's code for tokens, as `client` authenticating with
 * `clientAuth`, over `fetch` (the client's own by default), with a DPoP
 * proof by `dpop` (an `oauth.DPoP` handle) when given. Returns the
 * processed token response and the raw one.
 */
export async function redeem(sim, as, client, clientAuth, request, callback, { fetch = sim.fetch, state, dpop } = {}) {
  // Checks state, and iss when the metadata says the server sends it.
  const params = oauth.validateAuthResponse(as, client, callback, state ?? request.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    request.redirectUri,
    request.verifier,
    { DPoP: dpop, ...through(fetch) },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    response,
    request.nonce ? { expectedNonce: request.nonce, requireIdToken: true } : {},
  );
  return { tokens, response };
}

/** The whole code flow: request, the user's sign-in and consent, tokens. */
export async function codeFlow(sim, as, client, clientAuth, options) {
  const request = await authorizationRequest(as, client, options);
  const callback = sim.browse(request.url);
  assert.ok(callback instanceof URL, `the browser got an error page: ${JSON.stringify(callback)}`);
  return { request, ...(await redeem(sim, as, client, clientAuth, request, callback)) };
}

/**
 * GET /profile at the API, with a DPoP proof by `dpop` when given;
 * resolves to the response.
 */
export function callApi(sim, accessToken, fetch = sim.fetch, dpop = undefined) {
  return oauth.protectedResourceRequest(accessToken, "GET", new URL(`${API}/profile`), undefined, undefined, {
    DPoP: dpop,
    ...through(fetch),
  });
}

export function refresh(sim, as, client, refreshToken, fetch = sim.fetch) {
  return oauth
    .refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, through(fetch))
    .then((response) => oauth.processRefreshTokenResponse(as, client, response));
}
