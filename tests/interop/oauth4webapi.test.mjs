// oauth4webapi (certified by the OpenID Foundation) against the simulated
// servers: every flow the playground teaches, end to end, with the
// library's own checks. Run alone: bash scripts/interop.sh oauth4webapi
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";

import { ALICE, ISSUER, interop } from "./harness.mjs";
import { callApi, codeFlow, discover, refresh, through } from "./oauth4webapi-flows.mjs";
import { atHash, scenarios, verifyAccessToken, verifyIdToken } from "./peers.mjs";

async function profile(sim, accessToken) {
  const response = await callApi(sim, accessToken);
  assert.equal(response.status, 200);
  return response.json();
}

describe("oauth4webapi", () => {
  interop("discovers the server from both well-known documents (RFC 8414, OpenID Connect Discovery)", {}, async (sim) => {
    const oidc = await discover(sim, "oidc");
    const oauth2 = await discover(sim, "oauth2");
    for (const as of [oidc, oauth2]) {
      assert.equal(as.issuer, ISSUER);
      assert.equal(as.token_endpoint, `${ISSUER}/token`);
      assert.equal(as.authorization_response_iss_parameter_supported, true);
    }
    assert.equal(oidc.userinfo_endpoint, `${ISSUER}/userinfo`);
    assert.equal(oauth2.userinfo_endpoint, undefined);
  });

  interop("completes authorization code + PKCE as a public client, checking iss (RFC 9207) and state", {}, async (sim) => {
    const as = await discover(sim, "oauth2");
    const client = { client_id: "spa" };
    const { tokens } = await codeFlow(sim, as, client, oauth.None(), { scope: "read write" });
    assert.equal(tokens.token_type, "bearer");
    assert.equal(tokens.scope, "read write");
    assert.ok(tokens.refresh_token);
    assert.deepEqual(await profile(sim, tokens.access_token), {
      name: "Alice Liddell",
      email: "alice@example.com",
      sub: ALICE.sub,
    });
    await verifyAccessToken(sim, tokens.access_token, { scope: "read write" });
  });

  for (const method of ["client_secret_basic", "client_secret_post"]) {
    interop(`completes authorization code with ${method}`, scenarios.webApp(method), async (sim) => {
      const as = await discover(sim);
      const client = { client_id: "webapp" };
      const clientAuth =
        method === "client_secret_basic"
          ? oauth.ClientSecretBasic(scenarios.WEBAPP_SECRET)
          : oauth.ClientSecretPost(scenarios.WEBAPP_SECRET);
      const { tokens } = await codeFlow(sim, as, client, clientAuth, {
        scope: "read",
        redirectUri: scenarios.WEBAPP_CALLBACK,
      });
      await profile(sim, tokens.access_token);
      await verifyAccessToken(sim, tokens.access_token, { clientId: "webapp", scope: "read" });
    });
  }

  interop("validates the ID token: signature from the JWKS, nonce, aud, exp (and at_hash, checked here)", scenarios.oidc(), async (sim) => {
    const as = await discover(sim);
    const client = { client_id: "spa" };
    const { tokens, request, response } = await codeFlow(sim, as, client, oauth.None(), {
      scope: "openid profile email read",
    });
    const { nonce } = request;
    // nonce, aud, iss, exp and iat were checked by processAuthorizationCodeResponse.
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.equal(claims.sub, ALICE.sub);
    assert.equal(claims.nonce, nonce);
    // The signature, against the key the JWKS publishes.
    await oauth.validateApplicationLevelSignature(as, response, through(sim.fetch));
    // oauth4webapi does not read at_hash (the token came over TLS): its
    // rule (OpenID Connect Core 3.1.3.6) is checked here, with WebCrypto.
    assert.equal(claims.at_hash, await atHash(tokens.access_token));
    await verifyIdToken(sim, tokens.id_token, { clientId: "spa", nonce });
  });

  interop("reads /userinfo with the access token (OpenID Connect Core 5.3)", scenarios.oidc(), async (sim) => {
    const as = await discover(sim);
    const client = { client_id: "spa" };
    const { tokens } = await codeFlow(sim, as, client, oauth.None(), { scope: "openid profile email" });
    const response = await oauth.userInfoRequest(as, client, tokens.access_token, through(sim.fetch));
    const userinfo = await oauth.processUserInfoResponse(as, client, ALICE.sub, response);
    assert.deepEqual(userinfo, {
      sub: ALICE.sub,
      name: "Alice Liddell",
      preferred_username: "alice",
      email: "alice@example.com",
    });
  });

  interop("refreshes with rotation: a new refresh token each time, the old one refused (RFC 9700 4.14.2)", scenarios.oidc(), async (sim) => {
    const as = await discover(sim);
    const client = { client_id: "spa" };
    const first = (await codeFlow(sim, as, client, oauth.None(), { scope: "openid read" })).tokens;
    sim.advance(301); // the access token has expired
    const second = await refresh(sim, as, client, first.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.notEqual(second.access_token, first.access_token);
    // OpenID Connect Core 12.2: a new ID token for the same sign-in.
    const renewed = oauth.getValidatedIdTokenClaims(second);
    assert.equal(renewed.sub, ALICE.sub);
    assert.equal(renewed.auth_time, oauth.getValidatedIdTokenClaims(first).auth_time);
    await profile(sim, second.access_token);
    // The rotated-out token again: reuse. The whole family is revoked.
    const reuse = await refresh(sim, as, client, first.refresh_token).catch((error) => error);
    assert.ok(reuse instanceof oauth.ResponseBodyError, String(reuse));
    assert.equal(reuse.error, "invalid_grant");
    const revoked = await refresh(sim, as, client, second.refresh_token).catch((error) => error);
    assert.equal(revoked.error, "invalid_grant");
  });

  interop("gets a token with client credentials (RFC 6749 4.4)", scenarios.clientCredentials(), async (sim) => {
    const as = await discover(sim, "oauth2");
    const client = { client_id: scenarios.SERVICE_ID };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(scenarios.SERVICE_SECRET),
      new URLSearchParams({ scope: "read" }),
      through(sim.fetch),
    );
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    assert.equal(tokens.refresh_token, undefined);
    assert.deepEqual(await profile(sim, tokens.access_token), {
      client: scenarios.SERVICE_ID,
      sub: scenarios.SERVICE_ID,
    });
    await verifyAccessToken(sim, tokens.access_token, {
      clientId: scenarios.SERVICE_ID,
      sub: scenarios.SERVICE_ID,
      scope: "read",
    });
  });

  interop("polls the device grant, honouring authorization_pending and slow_down (RFC 8628 3.5)", scenarios.device(), async (sim) => {
    const as = await discover(sim);
    const client = { client_id: scenarios.DEVICE_ID };
    const started = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(
        as,
        client,
        oauth.None(),
        new URLSearchParams({ scope: "openid read" }),
        through(sim.fetch),
      ),
    );
    assert.equal(started.interval, 5);
    // oauth4webapi leaves the polling loop to the caller: here, a device
    // that polls every 2 s at first, and adds 5 s on each slow_down as the
    // RFC requires. The user approves on their phone after 12 s.
    let interval = 2;
    const seen = [];
    let tokens;
    for (let elapsed = 0; !tokens; ) {
      sim.advance(interval);
      elapsed += interval;
      if (elapsed >= 12 && !seen.includes("approved")) {
        const done = sim.browse(started.verification_uri_complete);
        assert.match(done.body, /Your device is connected/);
        seen.push("approved");
      }
      const response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), started.device_code, through(sim.fetch));
      try {
        tokens = await oauth.processDeviceCodeResponse(as, client, response);
      } catch (error) {
        assert.ok(error instanceof oauth.ResponseBodyError, String(error));
        seen.push(error.error);
        if (error.error === "slow_down") interval += 5;
        else assert.equal(error.error, "authorization_pending");
      }
    }
    assert.deepEqual(seen, ["authorization_pending", "slow_down", "authorization_pending", "approved"]);
    assert.equal(oauth.getValidatedIdTokenClaims(tokens).sub, ALICE.sub);
    await profile(sim, tokens.access_token);
  });
});
