// openid-client (certified by the OpenID Foundation) against the simulated
// servers: the same flows as oauth4webapi, through the library's own
// higher-level API, which runs its own polling loop and retries.
// Run alone: bash scripts/interop.sh openid-client
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as client from "openid-client";

import { ALICE, API, ISSUER, SPA_CALLBACK, interop } from "./harness.mjs";
import { atHash, scenarios, verifyAccessToken, verifyIdToken } from "./peers.mjs";

/** The client's configuration, from discovery over the simulated network. */
function discover(sim, clientId, { secret, auth, algorithm = "oidc" } = {}) {
  return client.discovery(new URL(ISSUER), clientId, secret, auth, {
    [client.customFetch]: sim.fetch,
    algorithm,
  });
}

/** Authorization code with PKCE, state and (with openid) a nonce. */
async function codeFlow(sim, config, { scope, redirectUri = SPA_CALLBACK, user = ALICE }) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = scope.includes("openid") ? client.randomNonce() : undefined;
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...(nonce ? { nonce } : {}),
  });
  const callback = sim.browse(url, user);
  assert.ok(callback instanceof URL, `the browser got an error page: ${JSON.stringify(callback)}`);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    ...(nonce ? { expectedNonce: nonce, idTokenExpected: true } : {}),
  });
  return { tokens, nonce };
}

async function callApi(sim, config, accessToken) {
  const response = await client.fetchProtectedResource(config, accessToken, new URL(`${API}/profile`), "GET");
  assert.equal(response.status, 200);
  return response.json();
}

describe("openid-client", () => {
  interop("discovers the server from both well-known documents (RFC 8414, OpenID Connect Discovery)", {}, async (sim) => {
    for (const algorithm of ["oidc", "oauth2"]) {
      const config = await discover(sim, "spa", { algorithm });
      const metadata = config.serverMetadata();
      assert.equal(metadata.issuer, ISSUER);
      assert.equal(metadata.supportsPKCE(), true);
      assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    }
    const paths = sim.exchanges().map((exchange) => new URL(exchange.url).pathname);
    assert.deepEqual(paths, ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]);
  });

  interop("completes authorization code + PKCE as a public client, checking iss (RFC 9207) and state", {}, async (sim) => {
    const config = await discover(sim, "spa", { auth: client.None() });
    const { tokens } = await codeFlow(sim, config, { scope: "read write" });
    assert.equal(tokens.token_type, "bearer");
    assert.ok(tokens.refresh_token);
    assert.equal((await callApi(sim, config, tokens.access_token)).sub, ALICE.sub);
    await verifyAccessToken(sim, tokens.access_token, { scope: "read write" });
  });

  for (const [method, auth] of [
    ["client_secret_basic", client.ClientSecretBasic],
    ["client_secret_post", client.ClientSecretPost],
  ]) {
    interop(`completes authorization code with ${method}`, scenarios.webApp(method), async (sim) => {
      const config = await discover(sim, "webapp", {
        secret: scenarios.WEBAPP_SECRET,
        auth: auth(scenarios.WEBAPP_SECRET),
      });
      const { tokens } = await codeFlow(sim, config, { scope: "read", redirectUri: scenarios.WEBAPP_CALLBACK });
      await callApi(sim, config, tokens.access_token);
      // The token request authenticated the way the method says.
      const token = sim.exchanges().find((exchange) => exchange.url.endsWith("/token"));
      assert.equal(token.status, 200);
    });
  }

  interop("validates the ID token: signature from the JWKS, nonce, aud, exp (and at_hash, checked here)", scenarios.oidc(), async (sim) => {
    const config = await discover(sim, "spa", { auth: client.None() });
    // Verify ID token signatures against the JWKS too.
    client.enableNonRepudiationChecks(config);
    const { tokens, nonce } = await codeFlow(sim, config, { scope: "openid profile read" });
    const claims = tokens.claims();
    assert.equal(claims.sub, ALICE.sub);
    assert.equal(claims.nonce, nonce);
    assert.ok(
      sim.exchanges().some((exchange) => exchange.url === `${ISSUER}/jwks`),
      "the library fetched the JWKS to check the signature",
    );
    assert.equal(claims.at_hash, await atHash(tokens.access_token));
    await verifyIdToken(sim, tokens.id_token, { clientId: "spa", nonce });
  });

  interop("reads /userinfo with the access token (OpenID Connect Core 5.3)", scenarios.oidc(), async (sim) => {
    const config = await discover(sim, "spa", { auth: client.None() });
    const { tokens } = await codeFlow(sim, config, { scope: "openid email" });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, ALICE.sub);
    assert.deepEqual(userinfo, { sub: ALICE.sub, email: "alice@example.com" });
  });

  interop("refreshes with rotation: a new refresh token each time, the old one refused (RFC 9700 4.14.2)", scenarios.oidc(), async (sim) => {
    const config = await discover(sim, "spa", { auth: client.None() });
    const { tokens: first } = await codeFlow(sim, config, { scope: "openid read" });
    sim.advance(301);
    const second = await client.refreshTokenGrant(config, first.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.claims().sub, ALICE.sub);
    assert.equal(second.claims().auth_time, first.claims().auth_time);
    await callApi(sim, config, second.access_token);
    const reuse = await client.refreshTokenGrant(config, first.refresh_token).catch((error) => error);
    assert.ok(reuse instanceof client.ResponseBodyError, String(reuse));
    assert.equal(reuse.error, "invalid_grant");
    const revoked = await client.refreshTokenGrant(config, second.refresh_token).catch((error) => error);
    assert.equal(revoked.error, "invalid_grant");
  });

  interop("gets a token with client credentials (RFC 6749 4.4)", scenarios.clientCredentials(), async (sim) => {
    const config = await discover(sim, scenarios.SERVICE_ID, {
      auth: client.ClientSecretBasic(scenarios.SERVICE_SECRET),
      algorithm: "oauth2",
    });
    const tokens = await client.clientCredentialsGrant(config, { scope: "read" });
    assert.equal(tokens.refresh_token, undefined);
    assert.equal((await callApi(sim, config, tokens.access_token)).client, scenarios.SERVICE_ID);
    await verifyAccessToken(sim, tokens.access_token, {
      clientId: scenarios.SERVICE_ID,
      sub: scenarios.SERVICE_ID,
      scope: "read",
    });
  });

  interop("polls the device grant itself, honouring authorization_pending and slow_down (RFC 8628 3.5)", scenarios.device(), async (sim) => {
    const config = await discover(sim, scenarios.DEVICE_ID, { auth: client.None() });
    const started = await client.initiateDeviceAuthorization(config, { scope: "openid read" });
    assert.equal(started.interval, 5);
    // A device that polls every 2 s at first. openid-client waits with
    // setTimeout, which runs on the simulated clock: time moves a second
    // at a time until the library is done; the user approves at 12 s.
    const polling = client.pollDeviceAuthorizationGrant(config, { ...started, interval: 2 });
    let tokens;
    polling.then((result) => (tokens = result), () => {});
    for (let second = 1; !tokens && second < 120; second++) {
      await new Promise((resolve) => setImmediate(resolve));
      sim.advance(1);
      if (second === 12) assert.match(sim.browse(started.verification_uri_complete).body, /Your device is connected/);
    }
    await polling;
    const polls = sim.exchanges().filter((exchange) => exchange.url.endsWith("/token"));
    // 2 s apart, then slow_down: the library waits 5 s more, 7 s.
    assert.deepEqual(
      polls.map((poll) => poll.at),
      [2, 4, 11, 18],
    );
    assert.deepEqual(
      polls.map((poll) => poll.status),
      [400, 400, 400, 200],
    );
    assert.equal(tokens.claims().sub, ALICE.sub);
    await callApi(sim, config, tokens.access_token);
  });
});
