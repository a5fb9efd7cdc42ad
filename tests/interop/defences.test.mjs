// The attack lab's thirteen attacks, with a certified client (oauth4webapi)
// in the client's place and, where the attacker needs a client, in hers.
// Each test runs the attack with its defence off, then on, through the
// simulated servers, and ends as the lab says it does: off, the attacker
// gets what the lab says (Alice's profile, the victim signed in as
// Mallory, or a token for more than the app asked), and where the library
// has a check of its own it refuses with its own error; on, the same run
// is refused at the step the lab names, or succeeds for the honest client.
// The three attacks on DPoP and PAR use the library's own DPoP (RFC 9449)
// and pushed authorization requests (RFC 9126); the attacker replays what
// she captured with plain fetches. The proof replay's "other URL" is
// UserInfo's rather than the lab's /contacts: the harness's API has one
// resource; with the defence off the harness's API is the lab's lax one
// (ResourceServer::skips_proof_jti_and_htu).
// Run alone: bash scripts/interop.sh defences
import { describe } from "node:test";
import assert from "node:assert/strict";
import * as jose from "jose";
import * as oauth from "oauth4webapi";

import { ALICE, API, ATTACKER, ISSUER, MALLORY, SPA_CALLBACK, interop, refusal } from "./harness.mjs";
import { authorizationRequest, callApi, codeFlow, discover, redeem, refresh, through } from "./oauth4webapi-flows.mjs";
import { scenarios } from "./peers.mjs";

const spa = { client_id: "spa" };
const NATIVE_CALLBACK = "com.example.app:/callback";
const native = { client_id: "native-app" };
const nativeApp = (pkce) => ({
  client: { client_id: native.client_id, redirect_uri: NATIVE_CALLBACK },
  registration: { redirect_uris: [NATIVE_CALLBACK] },
  policy: { pkce },
});

/**
 * Whose profile a token opens at the API (with a proof by `dpop` when
 * given), or the refusal's status.
 */
async function profileOf(sim, accessToken, fetch, dpop) {
  const response = await callApi(sim, accessToken, fetch, dpop).catch((error) => error);
  if (response instanceof oauth.WWWAuthenticateChallengeError) return response.status;
  assert.equal(response.status, 200);
  return (await response.json()).sub;
}

/** Alice's profile, as the API returns it. */
const ALICES_PROFILE = { sub: ALICE.sub, name: "Alice Liddell", email: "alice@example.com" };

/**
 * The API's refusal as the server sent it: the status, the scheme of its
 * WWW-Authenticate challenge, and the error and description of its body.
 */
async function refusedBy(response) {
  const [scheme] = (response.headers.get("www-authenticate") ?? "").split(" ");
  const { error, error_description: description } = await response.json();
  return { status: response.status, scheme, error, description };
}

/** An API call oauth4webapi made, refused: see `refusedBy`. */
async function apiRefusal(call) {
  const error = await refusal(call);
  assert.ok(error instanceof oauth.WWWAuthenticateChallengeError, String(error));
  const refused = await refusedBy(error.response);
  // The library read the same error from the challenge.
  assert.equal(error.cause[0].parameters.error, refused.error);
  return refused;
}

/**
 * Asserts the refusal is a 401 with a DPoP challenge (RFC 9449 section
 * 7.1) and `error`; returns its description.
 */
function dpopRefusal({ status, scheme, error, description }, expected) {
  assert.deepEqual({ status, scheme, error }, { status: 401, scheme: "DPoP", error: expected });
  return description;
}

/**
 * The attacker's redemption of a stolen code without its verifier: with
 * the defence on, refused because the code has a challenge (RFC 7636
 * section 4.6); off, tokens that open Alice's profile for the attacker.
 */
async function stolenCodeRedeemed(sim, redemption, defended) {
  if (defended) {
    const error = await refusal(redemption);
    assert.ok(error instanceof oauth.ResponseBodyError, String(error));
    assert.equal(error.error, "invalid_grant");
    assert.match(error.error_description, /code_verifier is missing/);
  } else {
    const { tokens } = await redemption;
    assert.equal(await profileOf(sim, tokens.access_token, sim.attackerFetch), ALICE.sub);
  }
}

/** A DPoP handle (RFC 9449) with a fresh ES256 key pair. */
async function newDpopKey() {
  return oauth.DPoP(spa, await oauth.generateKeyPair("ES256"));
}

/**
 * Alice signs in to the single-page app through the library, which proves
 * a DPoP key of its own (a non-extractable one, the library's default)
 * when `withDpop`. The server metadata, the key and the tokens.
 */
async function signIn(sim, withDpop) {
  const as = await discover(sim);
  const dpop = withDpop ? await newDpopKey() : undefined;
  const request = await authorizationRequest(as, spa);
  const { tokens } = await redeem(sim, as, spa, oauth.None(), request, sim.browse(request.url), { dpop });
  return { as, dpop, tokens };
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
      await stolenCodeRedeemed(sim, redeem(sim, as, native, oauth.None(), stolen, intercepted, { fetch: sim.attackerFetch }), defended);
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

    interop(`stolen-token, defence ${defence}: a token bound to the client's DPoP key is useless to whoever has only the token`, {
      client: { dpop: defended },
      policy: { require_dpop: defended },
    }, async (sim) => {
      // On, the client proves a key of its own when it redeems the code
      // and with each call, and the server binds the token to that key.
      const { dpop, tokens } = await signIn(sim, defended);
      assert.equal(tokens.token_type, defended ? "dpop" : "bearer");
      assert.equal(jose.decodeJwt(tokens.access_token).cnf?.jkt, defended ? await dpop.calculateThumbprint() : undefined);
      assert.equal(await profileOf(sim, tokens.access_token, sim.fetch, dpop), ALICE.sub);
      // The API logs each request, Authorization header included. Half a
      // minute later the attacker, who reads the log, calls the API from
      // her own machine with the token as a bearer token.
      sim.advance(30);
      const asBearer = callApi(sim, tokens.access_token, sim.attackerFetch);
      if (!defended) {
        const response = await asBearer;
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), ALICES_PROFILE);
        return;
      }
      // RFC 9449 section 7.2: a bound token is refused as Bearer.
      assert.match(dpopRefusal(await apiRefusal(asBearer), "invalid_token"), /bound to a DPoP key/);
      // With the DPoP scheme and a valid proof, signed by a key she made
      // herself: not the key whose thumbprint the token carries.
      const hers = await newDpopKey();
      const ownKey = await apiRefusal(callApi(sim, tokens.access_token, sim.attackerFetch, hers));
      assert.match(dpopRefusal(ownKey, "invalid_dpop_proof"), /another key than the one the token is bound to \(cnf\.jkt\)/);
      // The client, with its key, still reads the profile.
      assert.equal(await profileOf(sim, tokens.access_token, sim.fetch, dpop), ALICE.sub);
    });

    const inStorage = defended
      ? "tokens-in-storage, defence on: a refresh token bound to a key the page cannot export is refused from elsewhere"
      : "tokens-in-storage, defence off: the refresh token a script read from storage works from the attacker's machine";
    interop(inStorage, {
      client: { dpop: defended },
      policy: { require_dpop: defended },
    }, async (sim) => {
      // The app's key pair, made non-extractable (oauth4webapi's default):
      // a script in the page can read the tokens, not the private key.
      const { as, dpop, tokens } = await signIn(sim, defended);
      assert.ok(tokens.refresh_token);
      // The app keeps both tokens in localStorage; an injected script sends
      // them to Mallory, who refreshes from her own machine.
      sim.advance(60);
      const refreshWith = (key, fetch) =>
        oauth
          .refreshTokenGrantRequest(as, spa, oauth.None(), tokens.refresh_token, { ...(key && { DPoP: key }), ...through(fetch) })
          .then((response) => oauth.processRefreshTokenResponse(as, spa, response));
      if (!defended) {
        const hers = await refreshWith(undefined, sim.attackerFetch);
        assert.equal(await profileOf(sim, hers.access_token, sim.attackerFetch), ALICE.sub);
        return;
      }
      // RFC 9449 section 5: bound to the app's key, it needs a proof.
      const bare = await refusal(refreshWith(undefined, sim.attackerFetch));
      assert.ok(bare instanceof oauth.ResponseBodyError, String(bare));
      assert.equal(bare.error, "invalid_dpop_proof");
      // A proof with a key she made herself is a proof of the wrong key.
      const ownKey = await refusal(refreshWith(await newDpopKey(), sim.attackerFetch));
      assert.ok(ownKey instanceof oauth.ResponseBodyError, String(ownKey));
      assert.equal(ownKey.error, "invalid_dpop_proof");
      assert.match(ownKey.error_description, /another key than the one the refresh token is bound to/);
      // The app, with its key, refreshes.
      const apps = await refreshWith(dpop, sim.fetch);
      assert.equal(await profileOf(sim, apps.access_token, sim.fetch, dpop), ALICE.sub);
    });

    interop(`request-tampering, defence ${defence}: a pushed request leaves no scope in the address to widen, and a rebuilt one is refused`, {
      // The app needs only to read; it is registered for more.
      client: { scope: "read", use_par: defended },
      registration: { allowed_scope: "read write" },
      policy: { require_par: defended },
    }, async (sim) => {
      const as = await discover(sim);
      const request = await authorizationRequest(as, spa, { scope: "read" });
      if (!defended) {
        // A malicious browser extension rewrites the address on its way to
        // the server: scope=read becomes scope=read write. State, challenge
        // and redirect_uri stay the app's. Alice approves what the consent
        // page asks: read and write.
        request.url.searchParams.set("scope", "read write");
        const { tokens } = await redeem(sim, as, spa, oauth.None(), request, sim.browse(request.url));
        // Nothing in the callback tells the client; the token response says
        // the server granted more than the app asked.
        assert.equal(tokens.scope, "read write");
        assert.equal(jose.decodeJwt(tokens.access_token).scope, "read write");
        return;
      }
      // The app pushes its request over the back channel (RFC 9126); the
      // address carries only client_id and request_uri.
      assert.equal(as.require_pushed_authorization_requests, true);
      const response = await oauth.pushedAuthorizationRequest(as, spa, oauth.None(), request.url.searchParams, through(sim.fetch));
      const { request_uri } = await oauth.processPushedAuthorizationResponse(as, spa, response);
      const pushed = new URL(as.authorization_endpoint);
      pushed.search = new URLSearchParams({ client_id: spa.client_id, request_uri }).toString();
      // The extension finds no scope to change. It rebuilds the whole
      // request without the request_uri, from the app's state and
      // code_verifier in session storage, asking for read write.
      const rebuilt = new URL(request.url);
      rebuilt.searchParams.set("scope", "read write");
      const callback = sim.browse(rebuilt);
      assert.equal(`${callback.origin}${callback.pathname}`, SPA_CALLBACK);
      // RFC 9126 section 5: the server sends the error back; the library
      // reports it.
      const error = await refusal(redeem(sim, as, spa, oauth.None(), request, callback));
      assert.ok(error instanceof oauth.AuthorizationResponseError, String(error));
      assert.equal(error.error, "invalid_request");
      assert.match(error.error_description, /requires pushed authorization requests/);
      // The app's own pushed request still gets it a token, for read only.
      const { tokens } = await redeem(sim, as, spa, oauth.None(), request, sim.browse(pushed));
      assert.equal(jose.decodeJwt(tokens.access_token).scope, "read");
    });

    const proofReplay = defended
      ? "dpop-proof-replay, defence on: a captured proof is refused again (its jti) and at another URL (its htu)"
      : "dpop-proof-replay, defence off: an API that skips the jti and htu checks takes the captured proof again and at another URL";
    interop(proofReplay, {
      // openid, so that the token opens UserInfo too: the harness's API has
      // one resource (/profile), so the other URL is UserInfo's.
      ...scenarios.oidc(),
      client: { dpop: true },
      policy: { require_dpop: true },
    }, async (sim) => {
      if (!defended) sim.servers.api_skips_proof_jti_and_htu();
        const as = await discover(sim);
        const dpop = await newDpopKey();
        const request = await authorizationRequest(as, spa, { scope: "openid read" });
        const { tokens } = await redeem(sim, as, spa, oauth.None(), request, sim.browse(request.url), { dpop });
        // The client's calls go through a proxy that logs whole requests,
        // headers included; the attacker reads the log.
        const log = [];
        const logged = (url, init = {}) => {
          log.push({ url: String(url), headers: [...new Headers(init.headers)] });
          return sim.fetch(url, init);
        };
        // Alice's claims at UserInfo, then her profile at the API, each with
        // a proof the library signed for that request.
        const userinfo = await oauth.userInfoRequest(as, spa, tokens.access_token, { DPoP: dpop, ...through(logged) });
        await oauth.processUserInfoResponse(as, spa, ALICE.sub, userinfo);
        assert.equal(await profileOf(sim, tokens.access_token, logged, dpop), ALICE.sub);
        const [toUserinfo, toApi] = log;
        assert.equal(toApi.url, `${API}/profile`);
        const header = (sent, name) => new Headers(sent.headers).get(name);
        assert.equal(header(toApi, "authorization"), `DPoP ${tokens.access_token}`);
        assert.equal(jose.decodeJwt(header(toUserinfo, "dpop")).htu, as.userinfo_endpoint);

        // Five seconds later she sends the API call again, byte for byte:
        // Alice's token and the client's proof. She has no key, and needs
        // none to copy a proof.
        sim.advance(5);
        const again = await sim.attackerFetch(toApi.url, { headers: toApi.headers });
        // Then the token with the proof made for UserInfo, at the API: its
        // jti is new here, its htu names another URL.
        const elsewhere = await sim.attackerFetch(toApi.url, { headers: toUserinfo.headers });
        if (!defended) {
          // The lax API takes both: Alice's profile, twice, for the attacker.
          for (const response of [again, elsewhere]) {
            assert.equal(response.status, 200);
            assert.equal((await response.json()).sub, ALICE.sub);
          }
          return;
        }
        assert.match(dpopRefusal(await refusedBy(again), "invalid_dpop_proof"), /jti .*already used/);
        // (Quoted with ': an error_description has no room for ".)
        assert.equal(
          dpopRefusal(await refusedBy(elsewhere), "invalid_dpop_proof"),
          `the DPoP proof's htu is '${as.userinfo_endpoint}' but the request goes to '${API}/profile'`,
        );
        // The client's next call, with a fresh proof, goes through.
        assert.equal(await profileOf(sim, tokens.access_token, sim.fetch, dpop), ALICE.sub);
    });

    // The secret is the lab's, as the attacker reads it in the bundle.
    const BUNDLED_SECRET = "spa-secret-from-the-build";
    const inTheBundle = defended
      ? "secret-in-bundle, defence on: a public client with PKCE ships no secret, and a leaked code without its verifier is refused"
      : "secret-in-bundle, defence off: with the secret from the bundle and no PKCE, a leaked code is redeemed as the app";
    interop(inTheBundle, defended ? {} : {
      // Registered as confidential, the secret built into the app's
      // JavaScript, PKCE dropped.
      client: { auth_method: "client_secret_post" },
      registration: { redirect_uris: [SPA_CALLBACK], client_secret: BUNDLED_SECRET },
      policy: { pkce: "optional" },
    }, async (sim) => {
      const as = await discover(sim);
      const request = await authorizationRequest(as, spa, { pkce: defended });
      // The callback's address, code included, leaks (the lab: through
      // the callback page's analytics script), and the attacker redeems
      // it first, as the app, from her own machine.
      const leaked = sim.browse(request.url);
      const clientAuth = defended ? oauth.None() : oauth.ClientSecretPost(BUNDLED_SECRET);
      const stolen = { ...request, verifier: oauth.nopkce };
      await stolenCodeRedeemed(sim, redeem(sim, as, spa, clientAuth, stolen, leaked, { fetch: sim.attackerFetch }), defended);
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
