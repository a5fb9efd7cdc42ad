// The attack lab's eight attacks, with a certified client (oauth4webapi)
// in the client's place and, where the attacker needs a client, in hers.
// Each test runs the attack with its defence off, then on, through the
// simulated servers, and ends as the lab says it does: off, the attacker
// gets what the lab says (Alice's profile, or the victim signed in as
// Mallory), and where the library has a check of its own it refuses with
// its own error; on, the same run is refused at the step the lab names,
// or succeeds for the honest client.
// Run alone: bash scripts/interop.sh defences
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as jose from "jose";
import * as oauth from "oauth4webapi";

import { ALICE, ATTACKER, ISSUER, MALLORY, SPA_CALLBACK, interop, refusal } from "./harness.mjs";
import { authorizationRequest, callApi, codeFlow, discover, redeem, refresh } from "./oauth4webapi-flows.mjs";
import { scenarios } from "./peers.mjs";

const spa = { client_id: "spa" };
const NATIVE_CALLBACK = "com.example.app:/callback";
const native = { client_id: "native-app" };
const nativeApp = (pkce) => ({
  client: { client_id: native.client_id, redirect_uri: NATIVE_CALLBACK },
  registration: { redirect_uris: [NATIVE_CALLBACK] },
  policy: { pkce },
});

/** Whose profile a token opens at the API, or the refusal's status. */
async function profileOf(sim, accessToken, fetch) {
  const response = await callApi(sim, accessToken, fetch).catch((error) => error);
  if (response instanceof oauth.WWWAuthenticateChallengeError) return response.status;
  assert.equal(response.status, 200);
  return (await response.json()).sub;
}

describe("the attack lab's defences, with a certified client", () => {
  for (const defended of [false, true]) {
    const defence = defended ? "on" : "off";

    interop(`login-csrf, defence ${defence}: a client that checks state refuses a callback it never asked for`, { policy: { pkce: "optional" } }, async (sim) => {
      const as = await discover(sim);
      // Mallory, in her own browser, signs in to the client with her own
      // account and keeps the callback URL instead of following it.
      const hers = await authorizationRequest(as, spa, { pkce: false });
      const forged = sim.attackerBrowse(hers.url, MALLORY);
      assert.ok(forged instanceof URL);
      // The victim's client has a sign-in of its own pending (its state);
      // Mallory's page makes the victim's browser open her callback.
      const victims = await authorizationRequest(as, spa, { pkce: false });
      const state = defended ? victims.state : oauth.skipStateCheck;
      const signIn = redeem(sim, as, spa, oauth.None(), victims, forged, { state });
      if (defended) {
        const error = await refusal(signIn);
        assert.ok(error instanceof oauth.OperationProcessingError, String(error));
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /state/);
      } else {
        // The victim is signed in as Mallory.
        const { tokens } = await signIn;
        assert.equal(await profileOf(sim, tokens.access_token), MALLORY.sub);
      }
    });

    interop(`code-interception, defence ${defence}: without the verifier, a stolen code is refused`, nativeApp("optional"), async (sim) => {
      const as = await discover(sim);
      const request = await authorizationRequest(as, native, { pkce: defended, redirectUri: NATIVE_CALLBACK });
      // The operating system hands the redirect to the malicious app that
      // claimed the same scheme; it redeems the code as the public client.
      const intercepted = sim.browse(request.url);
      const stolen = { ...request, verifier: oauth.nopkce };
      const redemption = redeem(sim, as, native, oauth.None(), stolen, intercepted, { fetch: sim.attackerFetch });
      if (defended) {
        const error = await refusal(redemption);
        assert.ok(error instanceof oauth.ResponseBodyError, String(error));
        assert.equal(error.error, "invalid_grant");
        assert.match(error.error_description, /code_verifier is missing/);
      } else {
        const { tokens } = await redemption;
        assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`pkce-downgrade, defence ${defence}: a server that requires S256 refuses the stripped request`, nativeApp(defended ? "require_s256" : "optional"), async (sim) => {
      const as = await discover(sim);
      const request = await authorizationRequest(as, native, { redirectUri: NATIVE_CALLBACK });
      // On the way to the server, the attacker strips the challenge.
      request.url.searchParams.delete("code_challenge");
      request.url.searchParams.delete("code_challenge_method");
      const callback = sim.browse(request.url);
      if (defended) {
        // The server sends the error back; the library reports it.
        const error = await refusal(redeem(sim, as, native, oauth.None(), request, callback));
        assert.ok(error instanceof oauth.AuthorizationResponseError, String(error));
        assert.equal(error.error, "invalid_request");
        assert.match(error.error_description, /code_challenge is required/);
      } else {
        // The code is bound to nothing: the attacker intercepts and redeems it.
        const stolen = { ...request, verifier: oauth.nopkce };
        const { tokens } = await redeem(sim, as, native, oauth.None(), stolen, callback, { fetch: sim.attackerFetch });
        assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`code-replay, defence ${defence}: a code works once, and its replay revokes what it gave`, {
      policy: { pkce: "optional", single_use_codes: defended, revoke_on_code_reuse: defended },
    }, async (sim) => {
      const as = await discover(sim);
      const request = await authorizationRequest(as, spa, { pkce: false });
      const callback = sim.browse(request.url);
      const victim = (await redeem(sim, as, spa, oauth.None(), request, callback)).tokens;
      // The callback's address, code included, sits in the history.
      const replay = redeem(sim, as, spa, oauth.None(), request, callback, { fetch: sim.attackerFetch });
      if (defended) {
        const error = await refusal(replay);
        assert.equal(error.error, "invalid_grant");
        assert.match(error.error_description, /already used/);
        // Revoked: the victim's tokens die with the replay.
        assert.equal(await profileOf(sim, victim.access_token), 401);
        const refused = await refusal(refresh(sim, as, spa, victim.refresh_token));
        assert.equal(refused.error, "invalid_grant");
      } else {
        const { tokens } = await replay;
        assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`redirect-uri, defence ${defence}: exact matching refuses a redirect_uri that only starts like the registered one`, {
      policy: { redirect_matching: defended ? "exact" : "prefix" },
    }, async (sim) => {
      const as = await discover(sim);
      // Mallory's link: the real server and client, her own PKCE, and a
      // redirect_uri under the registered one that leads to her page.
      const hers = await authorizationRequest(as, spa, {
        redirectUri: `${SPA_CALLBACK}/../uploads/mallory.html`,
      });
      const landed = sim.browse(hers.url);
      if (defended) {
        // An error page, and no redirect anywhere.
        assert.equal(landed.status, 400);
        assert.match(landed.body, /is not registered for this client/);
      } else {
        // The browser resolved the dots: the code reached Mallory's page.
        assert.equal(landed.pathname, "/uploads/mallory.html");
        const { tokens } = await redeem(sim, as, spa, oauth.None(), hers, landed, { fetch: sim.attackerFetch });
        assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`refresh-theft, defence ${defence}: rotation lets a stolen refresh token work once, then kills the family`, {
      policy: { rotate_refresh_tokens: defended, detect_refresh_reuse: defended },
    }, async (sim) => {
      const as = await discover(sim);
      const victim = (await codeFlow(sim, as, spa, oauth.None())).tokens;
      // An injected script sent the refresh token to Mallory.
      const attackers = await refresh(sim, as, spa, victim.refresh_token, sim.attackerFetch);
      assert.equal(await profileOf(sim, attackers.access_token, sim.attackerFetch), ALICE.sub);
      sim.advance(301);
      // The victim's app refreshes with the token it holds.
      const victims = refresh(sim, as, spa, victim.refresh_token);
      if (defended) {
        const error = await refusal(victims);
        assert.equal(error.error, "invalid_grant");
        assert.match(error.error_description, /whole token family is revoked/);
        // Mallory's tokens died with the family.
        const hers = await refusal(refresh(sim, as, spa, attackers.refresh_token, sim.attackerFetch));
        assert.equal(hers.error, "invalid_grant");
      } else {
        await victims;
        const again = await refresh(sim, as, spa, victim.refresh_token, sim.attackerFetch);
        assert.equal(await profileOf(sim, again.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`mix-up, defence ${defence}: iss in the response names the server that answered, and the library refuses another`, {
      policy: { issuer_in_response: defended },
    }, async (sim) => {
      // The client also works with Mallory's authorization server, whose
      // metadata is hers to write; the user picks hers.
      sim.servers.attacker_forwards_authorize_to(`${ISSUER}/authorize`);
      const attackerAs = {
        issuer: ATTACKER,
        authorization_endpoint: `${ATTACKER}/authorize`,
        token_endpoint: `${ATTACKER}/token`,
      };
      const request = await authorizationRequest(attackerAs, spa);
      // Her server sends the browser on to the honest one, where Alice
      // signs in; the code comes back to the same redirect_uri.
      const callback = sim.browse(request.url);
      const redemption = redeem(sim, attackerAs, spa, oauth.None(), request, callback);
      if (defended) {
        const error = await refusal(redemption);
        assert.ok(error instanceof oauth.OperationProcessingError, String(error));
        assert.equal(error.code, oauth.INVALID_RESPONSE);
        assert.match(error.message, /"iss"/);
        assert.equal(callback.searchParams.get("iss"), ISSUER);
      } else {
        // Nothing tells the client which server answered: it sends the
        // code and its verifier to Mallory's token endpoint.
        await redemption.catch(() => {});
        const sent = sim.attackerReceived().find((request) => request.url === `${ATTACKER}/token`);
        const form = new URLSearchParams(sent.body);
        const stolen = { ...request, verifier: form.get("code_verifier") };
        const { tokens } = await redeem(sim, await discover(sim), spa, oauth.None(), stolen, callback, {
          fetch: sim.attackerFetch,
        });
        assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
      }
    });

    interop(`implicit-leakage, defence ${defence}: the code flow keeps the token out of the address`, {
      flow: defended ? "authorization_code" : "implicit",
      policy: { allow_implicit: !defended },
    }, async (sim) => {
      const as = await discover(sim);
      if (defended) {
        const { tokens } = await codeFlow(sim, as, spa, oauth.None());
        assert.equal(await profileOf(sim, tokens.access_token), ALICE.sub);
        const history = sim.exchanges().filter((exchange) => exchange.from === "browser");
        assert.ok(history.every((exchange) => !exchange.url.includes("access_token")));
        return;
      }
      const request = await authorizationRequest(as, spa, { pkce: false, responseType: "token" });
      const landed = sim.browse(request.url);
      const fragment = new URLSearchParams(landed.hash.slice(1));
      // oauth4webapi has no implicit grant (RFC 9700 section 2.1.2): given
      // the response, it finds no code to redeem and stops.
      const params = oauth.validateAuthResponse(as, spa, fragment, request.state);
      const error = await refusal(
        oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), params, request.redirectUri, oauth.nopkce),
      );
      assert.ok(error instanceof oauth.OperationProcessingError, String(error));
      assert.match(error.message, /no authorization code/);
      // Every script on the page can: the leaked token opens Alice's profile.
      assert.equal(await profileOf(sim, fragment.get("access_token"), sim.attackerFetch), ALICE.sub);
    });
  }
});

describe("the client's own checks, which the servers cannot make for it", () => {
  interop("an ID token from another sign-in (its nonce is not this one's) is refused", scenarios.oidc(), async (sim) => {
    const as = await discover(sim);
    // Two sign-ins; the client redeems the second while expecting the
    // first's nonce, as if the second's ID token were replayed into it.
    const first = await authorizationRequest(as, spa, { scope: "openid" });
    const second = await authorizationRequest(as, spa, { scope: "openid" });
    const callback = sim.browse(second.url);
    const error = await refusal(redeem(sim, as, spa, oauth.None(), { ...second, nonce: first.nonce }, callback));
    assert.ok(error instanceof oauth.OperationProcessingError, String(error));
    assert.equal(error.code, oauth.JWT_CLAIM_COMPARISON);
    assert.match(error.message, /nonce/);
  });

  interop("a token signed by another key is refused by jose and by the API", {}, async (sim) => {
    const as = await discover(sim);
    const { tokens } = await codeFlow(sim, as, spa, oauth.None());
    // Same header (kid included) and claims, signed with Mallory's key.
    const [header, payload] = tokens.access_token.split(".");
    const { privateKey } = await jose.generateKeyPair("RS256");
    const forged = await new jose.CompactSign(Buffer.from(payload, "base64url"))
      .setProtectedHeader(JSON.parse(Buffer.from(header, "base64url")))
      .sign(privateKey);
    const keys = jose.createLocalJWKSet(await (await sim.fetch(as.jwks_uri)).json());
    const error = await refusal(jose.jwtVerify(forged, keys, { currentDate: new Date(sim.now() * 1000) }));
    assert.ok(error instanceof jose.errors.JWSSignatureVerificationFailed, String(error));
    assert.equal(await profileOf(sim, forged), 401);
    assert.equal(await profileOf(sim, tokens.access_token), ALICE.sub);
  });
});
