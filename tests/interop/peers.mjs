// What the interop tests share: the scenarios each flow runs against (the
// same JSON a share link carries), and `jose`'s checks of every token the
// server issues.
import assert from "node:assert/strict";
import * as jose from "jose";

import { ALICE, API, ISSUER, SPA_CALLBACK } from "./harness.mjs";

const WEBAPP_CALLBACK = "https://webapp.example/callback";
const WEBAPP_SECRET = "webapp-secret-7Hq2";
const SERVICE_ID = "reporting-service";
const SERVICE_SECRET = "service-secret-Rk9w";
const DEVICE_ID = "tv-app";

/** Scenarios, as the Flow screen's presets set them up. */
export const scenarios = {
  WEBAPP_CALLBACK,
  WEBAPP_SECRET,
  SERVICE_ID,
  SERVICE_SECRET,
  DEVICE_ID,

  /** A confidential web app authenticating with `method`. */
  webApp: (method) => ({
    client: { client_id: "webapp", auth_method: method, redirect_uri: WEBAPP_CALLBACK },
    registration: {
      redirect_uris: [WEBAPP_CALLBACK],
      allowed_scope: "openid profile read write",
      client_secret: WEBAPP_SECRET,
    },
  }),

  /** The single-page app, allowed to ask for OpenID Connect scopes. */
  oidc: () => ({
    registration: {
      redirect_uris: [SPA_CALLBACK],
      allowed_scope: "openid profile email read write",
    },
  }),

  clientCredentials: () => ({
    flow: "client_credentials",
    client: { client_id: SERVICE_ID, auth_method: "client_secret_basic", scope: "read" },
    registration: { redirect_uris: [], allowed_scope: "read write", client_secret: SERVICE_SECRET },
  }),

  device: () => ({
    flow: "device",
    client: { client_id: DEVICE_ID, scope: "openid read" },
    registration: { redirect_uris: [], allowed_scope: "openid read" },
  }),
};

/** The server's JWKS, fetched as any client would. */
async function jwks(sim) {
  const response = await sim.fetch(`${ISSUER}/jwks`);
  assert.equal(response.status, 200);
  return jose.createLocalJWKSet(await response.json());
}

/**
 * jose verifies an access token as an API must (RFC 9068 section 4):
 * signature from the JWKS, typ at+jwt, iss, aud, exp, and the claims the
 * profile requires.
 */
export async function verifyAccessToken(sim, token, { clientId = "spa", sub = ALICE.sub, scope } = {}) {
  const { payload, protectedHeader } = await jose.jwtVerify(token, await jwks(sim), {
    typ: "at+jwt",
    issuer: ISSUER,
    audience: API,
    algorithms: ["RS256"],
    currentDate: new Date(sim.now() * 1000),
    requiredClaims: ["iat", "exp", "jti", "client_id", "sub"],
  });
  assert.equal(protectedHeader.typ, "at+jwt");
  assert.equal(payload.client_id, clientId);
  assert.equal(payload.sub, sub);
  if (scope) assert.equal(payload.scope, scope);
  return payload;
}

/** jose verifies an ID token (OpenID Connect Core 3.1.3.7). */
export async function verifyIdToken(sim, token, { clientId, nonce }) {
  const { payload } = await jose.jwtVerify(token, await jwks(sim), {
    issuer: ISSUER,
    audience: clientId,
    algorithms: ["RS256"],
    currentDate: new Date(sim.now() * 1000),
    requiredClaims: ["iat", "exp", "sub", "auth_time"],
  });
  assert.equal(payload.nonce, nonce);
  return payload;
}

/** OpenID Connect Core 3.1.3.6: base64url of the left half of SHA-256. */
export async function atHash(accessToken) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken)));
  return Buffer.from(digest.subarray(0, digest.length / 2)).toString("base64url");
}
