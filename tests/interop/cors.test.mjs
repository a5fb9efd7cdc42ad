// The engine's CORS rules (crates/oauth-engine/src/cors.rs) against a real
// browser's: for each case, Chromium's fetch from a page on one origin to
// a server on another, and the engine's verdict on the same request and
// answers (crates/engine-node, `cors_verdict`), must agree on whether a
// preflight is sent, whether the request itself reaches the server, and
// whether the page may read the answer. One case is known to differ, and
// is checked as such: the Fetch Standard does not let
// `Access-Control-Allow-Headers: *` cover `Authorization`, and Chromium
// still does (with a deprecation warning), as Firefox does. The engine
// follows the standard and says why. Should Chromium change, that case
// fails and the difference can go.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { launch } from "../e2e/support.mjs";

const require = createRequire(import.meta.url);
const { cors_verdict } = require("../../target/engine-node/engine_node.js");

const FORM = ["Content-Type", "application/x-www-form-urlencoded"];

/**
 * Each case: the page's request (method, headers, credentials), and what
 * the server answers to the preflight and to the request. `ORIGIN` in an
 * answer stands for the page's origin.
 */
const CASES = [
  { name: "a form POST with the origin allowed", method: "POST", headers: [FORM], answer: [["Access-Control-Allow-Origin", "ORIGIN"]] },
  { name: "a form POST without Access-Control-Allow-Origin", method: "POST", headers: [FORM], answer: [] },
  { name: "a form POST, another origin allowed", method: "POST", headers: [FORM], answer: [["Access-Control-Allow-Origin", "https://other.example"]] },
  {
    name: "a form POST, two origins allowed",
    method: "POST",
    headers: [FORM],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Origin", "https://other.example"]],
  },
  {
    name: "an API call with Authorization, allowed by the preflight",
    method: "GET",
    headers: [["Authorization", "Bearer abc"]],
    preflight: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Headers", "Authorization"]],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  {
    name: "an API call with Authorization, the preflight without CORS headers",
    method: "GET",
    headers: [["Authorization", "Bearer abc"]],
    preflight: [],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  {
    name: "an API call with Authorization, the preflight's wildcards",
    // The Fetch Standard's "CORS non-wildcard request-header name".
    chromiumAllows: true,
    method: "GET",
    headers: [["Authorization", "Bearer abc"]],
    preflight: [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Headers", "*"]],
    answer: [["Access-Control-Allow-Origin", "*"]],
  },
  {
    name: "a DPoP token request, the preflight's wildcards",
    method: "POST",
    headers: [FORM, ["DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig"]],
    preflight: [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Headers", "*"]],
    answer: [["Access-Control-Allow-Origin", "*"]],
  },
  {
    name: "a DPoP token request, the preflight allowing another header",
    method: "POST",
    headers: [FORM, ["DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig"]],
    preflight: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Headers", "Authorization"]],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  {
    name: "a JSON POST, its content type allowed",
    method: "POST",
    headers: [["Content-Type", "application/json"]],
    preflight: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Headers", "content-type"]],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  {
    name: "a preflight answered 403",
    method: "GET",
    headers: [["Authorization", "Bearer abc"]],
    preflightStatus: 403,
    preflight: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Headers", "Authorization"]],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  {
    name: "a preflight whose header list is not of tokens",
    method: "GET",
    headers: [["Authorization", "Bearer abc"]],
    preflight: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Headers", "Authorization, x y"]],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"]],
  },
  { name: "an Accept header of 129 bytes", method: "GET", headers: [["Accept", "a".repeat(129)]], preflight: [], answer: [] },
  { name: "an Accept header of 128 bytes", method: "GET", headers: [["Accept", "a".repeat(128)]], answer: [["Access-Control-Allow-Origin", "ORIGIN"]] },
  { name: "credentials with the wildcard", method: "GET", include: true, headers: [], answer: [["Access-Control-Allow-Origin", "*"]] },
  { name: "credentials without Allow-Credentials", method: "GET", include: true, headers: [], answer: [["Access-Control-Allow-Origin", "ORIGIN"]] },
  {
    name: "credentials with Allow-Credentials: true",
    method: "GET",
    include: true,
    headers: [],
    answer: [["Access-Control-Allow-Origin", "ORIGIN"], ["Access-Control-Allow-Credentials", "true"]],
  },
];

describe("CORS: the engine's rules agree with Chromium's", () => {
  const servers = {};
  before(async () => {
    // The page's origin: an empty page to run fetch from.
    servers.page = await listen((_, response) => response.end("<!doctype html><title>page</title>"));
    // The server's origin: answers each case's path as the case says,
    // and notes what reached it.
    servers.received = new Map();
    servers.api = await listen((request, response) => {
      const index = Number(request.url.split("/")[2]);
      const kase = CASES[index];
      servers.received.get(index).push(request.method);
      const preflight = request.method === "OPTIONS";
      const headers = preflight ? kase.preflight ?? [] : kase.answer;
      const grouped = {};
      for (const [name, value] of headers) {
        (grouped[name] ??= []).push(value.replace("ORIGIN", servers.page.origin));
      }
      response.writeHead(preflight ? kase.preflightStatus ?? 204 : 200, grouped);
      response.end(preflight ? "" : "{}");
    });
    servers.browser = await launch();
  });
  after(async () => {
    await servers.browser?.close();
    servers.page?.close();
    servers.api?.close();
  });

  for (const [index, kase] of CASES.entries()) {
    test(kase.name, async () => {
      servers.received.set(index, []);
      const page = await servers.browser.newPage();
      await page.goto(servers.page.origin + "/");
      // A path of its own per case: no preflight answer cached from another.
      const url = `${servers.api.origin}/case/${index}`;
      const body = kase.method === "POST" ? "grant_type=authorization_code&code=abc" : undefined;
      const read = await page.evaluate(
        async ({ url, method, headers, body, include }) => {
          try {
            const response = await fetch(url, { method, headers, body, credentials: include ? "include" : "same-origin" });
            await response.text();
            return true;
          } catch {
            return false;
          }
        },
        { url, method: kase.method, headers: kase.headers, body, include: Boolean(kase.include) },
      );
      await page.close();
      const received = servers.received.get(index);
      const chromium = {
        preflight: received.includes("OPTIONS"),
        reached: received.includes(kase.method),
        ok: read,
      };
      const answers = (headers) => headers.map(([name, value]) => [name, value.replace("ORIGIN", servers.page.origin)]);
      const engine = JSON.parse(
        cors_verdict(
          JSON.stringify({
            origin: servers.page.origin,
            method: kase.method,
            url,
            headers: kase.headers,
            body: body ?? "",
            include: Boolean(kase.include),
            preflight: { status: kase.preflightStatus ?? 204, headers: answers(kase.preflight ?? []) },
            answer: { status: 200, headers: answers(kase.answer) },
          }),
        ),
      );
      const { error, ...verdict } = engine;
      if (kase.chromiumAllows) {
        assert.deepEqual(chromium, { preflight: true, reached: true, ok: true }, "Chromium lets it through");
        assert.deepEqual(verdict, { preflight: true, reached: false, ok: false }, "the engine follows the standard");
        assert.match(error, /does not cover Authorization/);
        return;
      }
      assert.deepEqual(verdict, chromium, `the engine (${error ?? "allowed"}) against Chromium`);
    });
  }
});

/** A server on a port of its own, hence an origin of its own. */
async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.origin = `http://127.0.0.1:${server.address().port}`;
  return server;
}
