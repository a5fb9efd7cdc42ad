// The MCP TypeScript SDK (@modelcontextprotocol/sdk, its client's OAuth
// support) against the engine's groundwork for the agent profile (issue
// 17): where both look for metadata, what the SDK reads from the engine's
// documents and challenges, the resource it would send, and a registration
// the SDK makes, read and answered by the engine; and the SDK's own MCP
// client calling the simulated tool server. These are the chain's parts,
// each agreed on by a client nobody here wrote; the whole chain, run by the
// SDK's own `auth()`, is in mcp-agent.test.mjs.
// Run alone: bash scripts/interop.sh mcp-sdk
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  buildDiscoveryUrls,
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  exchangeAuthorization,
  extractWWWAuthenticateParams,
  isHttpsUrl,
  registerClient,
  selectResourceURL,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { resourceUrlFromServerUrl } from "@modelcontextprotocol/sdk/shared/auth-utils.js";
import { InvalidClientMetadataError } from "@modelcontextprotocol/sdk/server/auth/errors.js";

import { ALICE, SPA_CALLBACK, interop } from "./harness.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../target/engine-node/engine_node.js");

const TOOLS = "https://tools.example/mcp";
const AS = "https://as.example";

/** A `fetch` that answers from `routes` (URL to Response maker) and keeps what was asked. */
function recordingFetch(routes) {
  const asked = [];
  const fetch = async (url, init = {}) => {
    const href = String(url);
    asked.push({ url: href, method: init.method ?? "GET", body: init.body });
    const route = routes[href];
    return route ? route(init) : new Response("not found", { status: 404 });
  };
  return { fetch, asked };
}

const json = (status, body) =>
  new Response(body, { status, headers: { "Content-Type": "application/json" } });

describe("the MCP SDK and the engine's groundwork for the agent profile", () => {
  test("authorization server metadata: the SDK tries the engine's URLs, in the engine's order", () => {
    for (const issuer of [AS, `${AS}/`, "https://auth.example.com/tenant1", "https://auth.example.com/tenant1/"]) {
      const sdk = buildDiscoveryUrls(issuer).map(({ url }) => url.href);
      assert.deepEqual(sdk, JSON.parse(engine.authorization_server_metadata_urls(issuer)), issuer);
    }
  });

  test("protected resource metadata: the SDK asks the engine's well-known URLs in order and reads its document", async () => {
    for (const resource of [TOOLS, "https://tools.example"]) {
      const urls = JSON.parse(engine.protected_resource_metadata_urls(resource));
      const document = engine.protected_resource_metadata(resource, AS, "calendar.read calendar.write");
      // Only the last of the engine's URLs has the document: the SDK must
      // fall back exactly as far as the engine's order says.
      const { fetch, asked } = recordingFetch({ [urls.at(-1)]: () => json(200, document) });
      const read = await discoverOAuthProtectedResourceMetadata(resource, {}, fetch);
      assert.deepEqual(asked.map(({ url }) => url), urls, resource);
      assert.deepEqual(read, JSON.parse(document));
      assert.equal(engine.check_protected_resource_metadata(document, resource), undefined);
    }
  });

  test("RFC 9728 section 3.3: a document for another resource, which the engine's client refuses", () => {
    const other = engine.protected_resource_metadata("https://attacker.example/mcp", AS, "calendar.read");
    const refusal = engine.check_protected_resource_metadata(other, TOOLS);
    assert.match(refusal, /https:\/\/attacker\.example\/mcp/);
  });

  test("WWW-Authenticate: the SDK reads the engine's 401 and its step-up 403 (RFC 9728 section 5.1)", () => {
    const metadata = "https://tools.example/.well-known/oauth-protected-resource/mcp";
    const cases = [
      { status: 401, scope: "calendar.read", error: undefined },
      { status: 403, scope: "calendar.read calendar.write", error: "insufficient_scope" },
      { status: 401, scope: undefined, error: "invalid_token" },
    ];
    for (const { status, scope, error } of cases) {
      const header = engine.resource_challenge(metadata, scope, error);
      const sdk = extractWWWAuthenticateParams(new Response(null, { status, headers: { "WWW-Authenticate": header } }));
      assert.equal(sdk.resourceMetadataUrl?.href, metadata, header);
      assert.equal(sdk.scope, scope, header);
      assert.equal(sdk.error, error, header);
      // The engine's own client reads the same.
      const own = JSON.parse(engine.read_resource_challenge(header));
      assert.deepEqual(own, { resource_metadata: metadata, scope: scope ?? null, error: error ?? null });
    }
  });

  test("the resource indicator: for a server URL with a path, the SDK sends the engine's canonical URI", () => {
    for (const url of [TOOLS, "https://tools.example/mcp?tenant=7", "https://tools.example:8443/a/b"]) {
      assert.equal(resourceUrlFromServerUrl(url).href, engine.canonical_resource_uri(url), url);
    }
    // Where they part: MCP's canonical form has no slash after a bare
    // host, and a URL object always has one. The SDK sends the string the
    // resource's metadata gives (its #1968), not this URL's href.
    assert.equal(engine.canonical_resource_uri("https://Tools.Example/"), "https://tools.example");
    assert.equal(resourceUrlFromServerUrl("https://Tools.Example/").href, "https://tools.example/");
  });

  test("Dynamic Client Registration (RFC 7591): the SDK registers with the engine and reads its answer", async () => {
    const clientMetadata = {
      redirect_uris: ["http://127.0.0.1:33418/callback"],
      client_name: "Agent host",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
    const { fetch, asked } = recordingFetch({
      [`${AS}/register`]: (init) => {
        const { status, body } = JSON.parse(engine.register_client(init.body, "agent-7", 1_000));
        return json(status, body);
      },
    });
    const metadata = { issuer: AS, registration_endpoint: `${AS}/register` };
    const registered = await registerClient(AS, { metadata, clientMetadata, scope: "calendar.read", fetchFn: fetch });
    assert.equal(asked.length, 1);
    assert.equal(asked[0].method, "POST");
    assert.equal(registered.client_id, "agent-7");
    assert.equal(registered.client_id_issued_at, 1_000);
    assert.equal(registered.client_secret, undefined, "a public client gets no secret (RFC 7591 section 3.2.1)");
    assert.equal(registered.scope, "calendar.read");
    assert.deepEqual(registered.redirect_uris, clientMetadata.redirect_uris);
    assert.equal(registered.token_endpoint_auth_method, "none");
  });

  test("RFC 7591 section 3.2.2: a registration the engine refuses reaches the SDK as invalid_client_metadata", async () => {
    const { fetch } = recordingFetch({
      [`${AS}/register`]: (init) => {
        const { status, body } = JSON.parse(engine.register_client(init.body, "agent-8", 1_000));
        return json(status, body);
      },
    });
    const clientMetadata = {
      redirect_uris: ["https://agent.example/callback"],
      grant_types: ["authorization_code"],
      response_types: ["token"],
    };
    const metadata = { issuer: AS, registration_endpoint: `${AS}/register` };
    const error = await registerClient(AS, { metadata, clientMetadata, fetchFn: fetch }).then(
      () => assert.fail("the registration was accepted"),
      (error) => error,
    );
    assert.ok(error instanceof InvalidClientMetadataError, String(error));
    assert.match(error.message, /response_types/);
  });

  test("Client ID Metadata Documents: the client_id URL rules, where the SDK and the engine agree and where they part", () => {
    // Both: https with a path, or refused.
    for (const [url, usable] of [
      ["https://agent.example/oauth/client.json", true],
      ["https://agent.example:8443/client", true],
      ["http://agent.example/client.json", false],
      ["https://agent.example", false],
      ["not a url", false],
    ]) {
      assert.equal(isHttpsUrl(url), usable, `the SDK on ${url}`);
      assert.equal(engine.client_id_url_refusal(url) === undefined, usable, `the engine on ${url}`);
    }
    // The engine, as the authorization server, checks the draft's other
    // rules of section 3, which the SDK's client does not: no dot
    // segments, no userinfo, no fragment.
    for (const url of [
      "https://agent.example/a/../client.json",
      "https://user@agent.example/client.json",
      "https://agent.example/client.json#x",
    ]) {
      assert.ok(isHttpsUrl(url), `the SDK on ${url}`);
      assert.ok(engine.client_id_url_refusal(url), `the engine on ${url}`);
    }
    // The SDK will not use a bare "/" as the path; the draft asks for "a
    // path component", which RFC 3986 says "/" is, so the engine accepts it.
    assert.equal(isHttpsUrl("https://agent.example/"), false);
    assert.equal(engine.client_id_url_refusal("https://agent.example/"), undefined);
  });

  describe("the simulated tool server", () => {
    const tools = () => new engine.SimulatedToolServer(TOOLS, AS, 1_000);
    const fetchFrom = (server) => async (url, init = {}) => {
      const headers = [...new Headers(init.headers ?? {})];
      const answer = server.fetch(init.method ?? "GET", String(url), JSON.stringify(headers), init.body == null ? "" : String(init.body));
      const { status, headers: answerHeaders, body } = JSON.parse(answer);
      return new Response(status === 202 || status === 204 ? null : body, { status, headers: answerHeaders });
    };
    const token = (server, claims) =>
      server.access_token(JSON.stringify({ iss: AS, sub: "user-alice", aud: TOOLS, client_id: "agent", scope: "calendar.read", ...claims }));
    const callTool = (fetch, name, accessToken) =>
      fetch(TOOLS, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } }),
      });
    async function connect(fetch, accessToken) {
      const transport = new StreamableHTTPClientTransport(new URL(TOOLS), {
        fetch,
        requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
      });
      const client = new Client({ name: "agent", version: "1.0.0" });
      await client.connect(transport);
      return client;
    }

    test("a call without a token: the SDK follows the 401 to the metadata and picks the tool server's resource", async () => {
      const fetch = fetchFrom(tools());
      const refused = await callTool(fetch, "list_events");
      assert.equal(refused.status, 401);
      const challenge = extractWWWAuthenticateParams(refused);
      assert.equal(challenge.resourceMetadataUrl.href, "https://tools.example/.well-known/oauth-protected-resource/mcp");
      assert.equal(challenge.scope, "calendar.read");
      assert.equal(challenge.error, undefined);
      const metadata = await discoverOAuthProtectedResourceMetadata(TOOLS, { resourceMetadataUrl: challenge.resourceMetadataUrl }, fetch);
      assert.equal(metadata.resource, TOOLS);
      assert.deepEqual(metadata.authorization_servers, [AS]);
      assert.equal((await selectResourceURL(TOOLS, {}, metadata)).href, TOOLS);
    });

    test("the SDK's MCP client connects with a token issued for the tool server, lists the tools and calls one", async () => {
      const server = tools();
      const client = await connect(fetchFrom(server), token(server));
      const { tools: listed } = await client.listTools();
      assert.deepEqual(listed.map((tool) => tool.name), ["list_events", "create_event"]);
      const result = await client.callTool({ name: "list_events", arguments: {} });
      assert.deepEqual(result.content, [{ type: "text", text: "Standup at 9:30" }]);
      await client.close();
    });

    test("MCP token audience binding: a token issued for another resource is refused, and the SDK reads invalid_token", async () => {
      const server = tools();
      const fetch = fetchFrom(server);
      const refused = await callTool(fetch, "list_events", token(server, { aud: "https://api.example" }));
      assert.equal(refused.status, 401);
      assert.equal(extractWWWAuthenticateParams(refused).error, "invalid_token");
      await assert.rejects(connect(fetch, token(server, { aud: "https://api.example" })));
    });

    test("step-up: the SDK reads the 403's insufficient_scope and the scope the tool needs, and the wider token works", async () => {
      const server = tools();
      const fetch = fetchFrom(server);
      const refused = await callTool(fetch, "create_event", token(server));
      assert.equal(refused.status, 403);
      const challenge = extractWWWAuthenticateParams(refused);
      assert.equal(challenge.error, "insufficient_scope");
      assert.equal(challenge.scope, "calendar.write");
      assert.equal(challenge.resourceMetadataUrl.href, "https://tools.example/.well-known/oauth-protected-resource/mcp");
      const client = await connect(fetch, token(server, { scope: "calendar.read calendar.write" }));
      const result = await client.callTool({ name: "create_event", arguments: {} });
      assert.deepEqual(result.content, [{ type: "text", text: "Created: lunch at 12:00" }]);
      await client.close();
    });
    interop("the SDK gets a token for the tool server from the simulated authorization server (code + PKCE with resource), and its MCP client uses it", {
      registration: { redirect_uris: [SPA_CALLBACK], allowed_scope: "calendar.read calendar.write" },
    }, async (sim) => {
      sim.servers.protect_resource(TOOLS);
      const metadata = await discoverAuthorizationServerMetadata(AS, { fetchFn: sim.fetch });
      assert.equal(metadata.issuer, AS);
      // A pre-registered public client (MCP's third way to register).
      const clientInformation = { client_id: "spa" };
      const { authorizationUrl, codeVerifier } = await startAuthorization(AS, {
        metadata,
        clientInformation,
        redirectUrl: SPA_CALLBACK,
        scope: "calendar.read",
        state: "s-1",
        resource: new URL(TOOLS),
      });
      assert.equal(authorizationUrl.searchParams.get("resource"), TOOLS);
      assert.equal(authorizationUrl.searchParams.get("code_challenge_method"), "S256");
      const callback = sim.browse(authorizationUrl.href, ALICE);
      assert.ok(callback instanceof URL, JSON.stringify(callback));
      const tokens = await exchangeAuthorization(AS, {
        metadata,
        clientInformation,
        authorizationCode: callback.searchParams.get("code"),
        codeVerifier,
        redirectUri: SPA_CALLBACK,
        resource: new URL(TOOLS),
        fetchFn: sim.fetch,
      });
      const token = sim.exchanges().find((exchange) => exchange.url === `${AS}/token`);
      assert.equal(token.status, 200);
      // RFC 8707: the token is for the tool server, and the tool server
      // (trusting the same issuer's key) takes it.
      const claims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1], "base64url"));
      assert.equal(claims.aud, TOOLS);
      assert.equal(claims.sub, ALICE.sub);
      const server = new engine.SimulatedToolServer(TOOLS, AS, sim.now());
      const client = await connect(fetchFrom(server), tokens.access_token);
      const result = await client.callTool({ name: "list_events", arguments: {} });
      assert.deepEqual(result.content, [{ type: "text", text: "Standup at 9:30" }]);
      await client.close();
    });
  });
});
