// The MCP TypeScript SDK as the agent, end to end through the harness: its
// own MCP client and its own `auth()` (what its Streamable HTTP transport
// runs on a 401) against the simulated tool server and authorization
// server on the engine's network. One call without a token takes the SDK
// through discovery (RFC 9728, then RFC 8414), registration (Dynamic
// Client Registration, RFC 7591, or a Client ID Metadata Document; none
// with a client ID it was given) and code + PKCE with `resource` (RFC
// 8707); the user signs in on the server's own pages; the SDK's client
// then lists and calls tools with a token whose audience is the tool
// server. Last, the engine's own agent:
// its messages, and the tool server's answers, read with the SDK's schemas.
// Run alone: bash scripts/interop.sh mcp-agent
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { UnauthorizedError, auth, selectResourceURL } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  OAuthClientInformationFullSchema,
  OAuthClientMetadataSchema,
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
  OAuthTokensSchema,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  InitializeRequestSchema,
  InitializeResultSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
} from "@modelcontextprotocol/sdk/types.js";

import { ALICE, ISSUER, SPA_CALLBACK, interop } from "./harness.mjs";

const require = createRequire(import.meta.url);
const engine = require("../../target/engine-node/engine_node.js");

const TOOLS = "https://tools.example/mcp";
const SCOPES = "calendar.read calendar.write";
/** Where the agent publishes its metadata document: its client ID. */
const CLIENT_ID_URL = "https://spa.example/oauth/client.json";

/** What an agent host keeps for the SDK: the SDK's OAuthClientProvider, in memory. */
function provider({ grantTypes = ["authorization_code"], clientMetadataUrl } = {}) {
  const kept = { redirects: [] };
  return {
    kept,
    clientMetadataUrl,
    get redirectUrl() {
      return SPA_CALLBACK;
    },
    get clientMetadata() {
      return {
        client_name: "Calendar agent",
        redirect_uris: [SPA_CALLBACK],
        grant_types: grantTypes,
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      };
    },
    clientInformation: () => kept.client,
    saveClientInformation: (client) => {
      kept.client = client;
    },
    tokens: () => kept.tokens,
    saveTokens: (tokens) => {
      kept.tokens = tokens;
    },
    redirectToAuthorization: (url) => {
      kept.redirects.push(url);
    },
    saveCodeVerifier: (verifier) => {
      kept.verifier = verifier;
    },
    codeVerifier: () => kept.verifier,
  };
}

/** The SDK's MCP client connecting to the tool server through the harness. */
async function connect(sim, authProvider) {
  const transport = new StreamableHTTPClientTransport(new URL(TOOLS), { authProvider, fetch: sim.fetch });
  const client = new Client({ name: "calendar-agent", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

/**
 * The first connection: refused with the SDK's UnauthorizedError once it
 * has sent the user to the authorization server. The user (`user`, Alice
 * by default) signs in and consents in the browser; the SDK's transport
 * finishes with the code. Returns the authorization URL the SDK made.
 */
async function authorizeThroughTheSdk(sim, authProvider, user = ALICE) {
  const transport = new StreamableHTTPClientTransport(new URL(TOOLS), { authProvider, fetch: sim.fetch });
  const client = new Client({ name: "calendar-agent", version: "1.0.0" });
  await assert.rejects(client.connect(transport), UnauthorizedError);
  const authorizationUrl = authProvider.kept.redirects.at(-1);
  const callback = sim.browse(authorizationUrl.href, user);
  assert.ok(callback instanceof URL, `the browser stopped at ${JSON.stringify(callback)}`);
  await transport.finishAuth(callback.searchParams.get("code"));
  return authorizationUrl;
}

const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url"));

/** `[method, url, status]` of each exchange, for asserting the chain. */
const chain = (sim) => sim.exchanges().map(({ method, url, status }) => [method, url, status]);

interop("Dynamic Client Registration: one call takes the SDK through discovery, registration and code + PKCE with resource", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_registration(SCOPES);
  const agent = provider();
  const authorizationUrl = await authorizeThroughTheSdk(sim, agent);

  // The chain, in the order MCP authorization (revision 2026-07-28) gives.
  const steps = chain(sim);
  assert.deepEqual(steps.slice(0, 4), [
    // 1. The call without a token: 401 and where the metadata is.
    ["POST", TOOLS, 401],
    // 2. The protected resource metadata (RFC 9728), at the URL the 401 named.
    ["GET", "https://tools.example/.well-known/oauth-protected-resource/mcp", 200],
    // 3. The authorization server's metadata (RFC 8414).
    ["GET", `${ISSUER}/.well-known/oauth-authorization-server`, 200],
    // 4. Registration (RFC 7591): no client ID metadata document offered.
    ["POST", `${ISSUER}/register`, 201],
  ]);
  // 5. Code + PKCE with resource, as the client it registered as.
  const registered = agent.kept.client.client_id;
  assert.equal(authorizationUrl.searchParams.get("client_id"), registered);
  assert.equal(authorizationUrl.searchParams.get("resource"), TOOLS);
  assert.equal(authorizationUrl.searchParams.get("code_challenge_method"), "S256");
  // The scope the 401 named (MCP's scope selection, SEP-835); the SDK
  // registered for it too.
  assert.equal(authorizationUrl.searchParams.get("scope"), "calendar.read");
  assert.equal(agent.kept.client.scope, "calendar.read");
  assert.deepEqual(steps.at(-1), ["POST", `${ISSUER}/token`, 200]);
  const claims = claimsOf(agent.kept.tokens.access_token);
  assert.equal(claims.aud, TOOLS);
  assert.equal(claims.sub, ALICE.sub);
  assert.equal(claims.client_id, registered);

  // 6. The call succeeds.
  const { client } = await connect(sim, agent);
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name), ["list_events", "create_event"]);
  const result = await client.callTool({ name: "list_events", arguments: {} });
  assert.deepEqual(result.content, [{ type: "text", text: "Standup at 9:30" }]);
  await client.close();
});

interop("Client ID Metadata Document: the SDK's client ID is its document's URL, which the server fetches instead of a registration", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_registration(SCOPES);
  sim.servers.offer_client_id_metadata_documents(SCOPES);
  const agent = provider({ clientMetadataUrl: CLIENT_ID_URL });
  sim.servers.publish(CLIENT_ID_URL, JSON.stringify({ client_id: CLIENT_ID_URL, ...agent.clientMetadata }));
  const authorizationUrl = await authorizeThroughTheSdk(sim, agent);

  assert.equal(authorizationUrl.searchParams.get("client_id"), CLIENT_ID_URL);
  const exchanges = sim.exchanges();
  // The SDK prefers the document when the server takes one: no registration.
  assert.ok(!exchanges.some(({ url }) => url === `${ISSUER}/register`));
  // The server fetched the document once, server to server, before it
  // answered the authorization request.
  const fetched = exchanges.filter(({ url }) => url === CLIENT_ID_URL);
  assert.deepEqual(fetched.map(({ from, to, status }) => [from, to, status]), [["authorization_server", "client", 200]]);
  const authorize = exchanges.findIndex(({ url }) => url.startsWith(`${ISSUER}/authorize`));
  assert.ok(exchanges.indexOf(fetched[0]) < authorize);
  assert.equal(claimsOf(agent.kept.tokens.access_token).client_id, CLIENT_ID_URL);

  const { client } = await connect(sim, agent);
  const result = await client.callTool({ name: "list_events", arguments: {} });
  assert.deepEqual(result.content, [{ type: "text", text: "Standup at 9:30" }]);
  await client.close();
});

interop("Client ID Metadata Document refused: a document naming a redirect on another host stops the flow on the server's error page", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_client_id_metadata_documents(SCOPES);
  const agent = provider({ clientMetadataUrl: CLIENT_ID_URL });
  const document = { ...agent.clientMetadata, client_id: CLIENT_ID_URL, redirect_uris: ["https://attacker.example/callback"] };
  sim.servers.publish(CLIENT_ID_URL, JSON.stringify(document));
  const transport = new StreamableHTTPClientTransport(new URL(TOOLS), { authProvider: agent, fetch: sim.fetch });
  await assert.rejects(new Client({ name: "calendar-agent", version: "1.0.0" }).connect(transport), UnauthorizedError);
  const page = sim.browse(agent.kept.redirects.at(-1).href, ALICE);
  assert.equal(page.status, 400);
  assert.match(page.body, /another host than the client_id URL&#39;s|another host than the client_id URL's/);
  assert.equal(agent.kept.tokens, undefined);
});

interop("pre-registered: with a client ID it was given, the SDK neither registers nor names a document, though the server offers both", {
  registration: { redirect_uris: [SPA_CALLBACK], allowed_scope: SCOPES },
}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_registration(SCOPES);
  sim.servers.offer_client_id_metadata_documents(SCOPES);
  const agent = provider({ clientMetadataUrl: CLIENT_ID_URL });
  // MCP's first choice: client information the agent host was given for
  // this server, kept as given (no saveClientInformation to replace it).
  agent.kept.client = { client_id: "spa" };
  delete agent.saveClientInformation;
  const authorizationUrl = await authorizeThroughTheSdk(sim, agent);
  assert.equal(authorizationUrl.searchParams.get("client_id"), "spa");
  const urls = sim.exchanges().map(({ url }) => url);
  assert.ok(!urls.includes(`${ISSUER}/register`));
  assert.ok(!urls.includes(CLIENT_ID_URL));
  assert.equal(claimsOf(agent.kept.tokens.access_token).aud, TOOLS);
  const { client } = await connect(sim, agent);
  const result = await client.callTool({ name: "list_events", arguments: {} });
  assert.deepEqual(result.content, [{ type: "text", text: "Standup at 9:30" }]);
  await client.close();
});

interop("neither registration offered: the SDK stops before any authorization request and says why", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  const agent = provider();
  const transport = new StreamableHTTPClientTransport(new URL(TOOLS), { authProvider: agent, fetch: sim.fetch });
  await assert.rejects(new Client({ name: "calendar-agent", version: "1.0.0" }).connect(transport), /dynamic client registration/i);
  assert.deepEqual(agent.kept.redirects, []);
});

interop("step-up: the 403 sends the SDK back for the tool's scope; holding only that, it is refused, and asking for both works (SEP-2350)", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_client_id_metadata_documents(SCOPES);
  const agent = provider({ clientMetadataUrl: CLIENT_ID_URL });
  // The document names no scope: the server registers its default set.
  sim.servers.publish(CLIENT_ID_URL, JSON.stringify({ client_id: CLIENT_ID_URL, ...agent.clientMetadata }));
  await authorizeThroughTheSdk(sim, agent);
  assert.equal(claimsOf(agent.kept.tokens.access_token).scope, "calendar.read");

  const { client } = await connect(sim, agent);
  const listed = await client.callTool({ name: "list_events", arguments: {} });
  assert.deepEqual(listed.content, [{ type: "text", text: "Standup at 9:30" }]);
  // The 403 sends the SDK back to the authorization server for the scope
  // the tool server named; the user is asked again.
  await assert.rejects(client.callTool({ name: "create_event", arguments: {} }), UnauthorizedError);
  await client.close();
  const forbidden = sim.exchanges().find(({ status }) => status === 403);
  assert.equal(forbidden.url, TOOLS);
  const stepUp = agent.kept.redirects.at(-1);
  // SDK 1.32.2 asks for the 403's scope alone. MCP revision 2026-07-28
  // (SEP-2350) has the tool server name only what the call lacks, and the
  // client add it to what it holds; this SDK does not, so its new token
  // lacks calendar.read, which every request needs.
  assert.equal(stepUp.searchParams.get("scope"), "calendar.write");
  const transport = new StreamableHTTPClientTransport(new URL(TOOLS), { authProvider: agent, fetch: sim.fetch });
  await transport.finishAuth(sim.browse(stepUp.href, ALICE).searchParams.get("code"));
  assert.equal(claimsOf(agent.kept.tokens.access_token).scope, "calendar.write");
  await assert.rejects(connect(sim, agent), UnauthorizedError);
  assert.deepEqual(chain(sim).findLast(([, url]) => url === TOOLS), ["POST", TOOLS, 403]);

  // The agent host accumulates, as SEP-2350 asks, through the SDK's own
  // auth(): both scopes, one consent, and the tool works.
  const both = await auth(agent, { serverUrl: new URL(TOOLS), scope: SCOPES, fetchFn: sim.fetch });
  assert.equal(both, "REDIRECT");
  const accumulated = agent.kept.redirects.at(-1);
  assert.equal(accumulated.searchParams.get("scope"), SCOPES);
  const code = sim.browse(accumulated.href, ALICE).searchParams.get("code");
  assert.equal(await auth(agent, { serverUrl: new URL(TOOLS), authorizationCode: code, fetchFn: sim.fetch }), "AUTHORIZED");
  assert.equal(claimsOf(agent.kept.tokens.access_token).scope, SCOPES);
  const retried = await connect(sim, agent);
  const created = await retried.client.callTool({ name: "create_event", arguments: {} });
  assert.deepEqual(created.content, [{ type: "text", text: "Created: lunch at 12:00" }]);
  await retried.client.close();
});

interop("step-up with a refresh token: SDK 1.32.2 refreshes instead of asking the user, gets the same scope back, and gives up on the 403", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_client_id_metadata_documents(SCOPES);
  const agent = provider({ grantTypes: ["authorization_code", "refresh_token"], clientMetadataUrl: CLIENT_ID_URL });
  sim.servers.publish(CLIENT_ID_URL, JSON.stringify({ client_id: CLIENT_ID_URL, ...agent.clientMetadata }));
  await authorizeThroughTheSdk(sim, agent);
  assert.ok(agent.kept.tokens.refresh_token);
  const { client } = await connect(sim, agent);
  await assert.rejects(client.callTool({ name: "create_event", arguments: {} }), /403 after trying upscoping/);
  // RFC 6749 section 6: a refresh can only keep or narrow the scope, so
  // the refreshed token still lacks calendar.write; the user was never
  // asked for it.
  const tokenRequests = sim.exchanges().filter(({ url }) => url === `${ISSUER}/token`);
  // The code's redemption, then the refresh.
  assert.deepEqual(tokenRequests.map(({ status }) => status), [200, 200]);
  assert.equal(claimsOf(agent.kept.tokens.access_token).scope, "calendar.read");
  assert.equal(agent.kept.redirects.length, 1);
  await client.close();
});

interop("step-up after Dynamic Client Registration: the SDK registered for the first 401's scope, and the server holds it to that (RFC 7591 section 2)", {}, async (sim) => {
  sim.servers.add_mcp_tool_server(TOOLS);
  sim.servers.offer_registration(SCOPES);
  const agent = provider();
  await authorizeThroughTheSdk(sim, agent);
  const { client } = await connect(sim, agent);
  await assert.rejects(client.callTool({ name: "create_event", arguments: {} }), UnauthorizedError);
  // The registered scope is "calendar.read": the wider request is refused
  // back at the agent's redirect URI, before the user is asked.
  const callback = sim.browse(agent.kept.redirects.at(-1).href, ALICE);
  assert.equal(callback.searchParams.get("error"), "invalid_scope");
  assert.match(callback.searchParams.get("error_description"), /calendar\.write/);
  await client.close();
});

describe("the engine's own agent, read by the MCP SDK", () => {
  const run = (scenario = {}) => JSON.parse(engine.run_agent(JSON.stringify(scenario)));
  const at = (exchanges, url) => exchanges.filter((exchange) => exchange.url.split("?")[0] === url);

  test("its MCP requests, the tool server's answers and the documents of discovery parse with the SDK's schemas", () => {
    const { exchanges, stopped, tool_results } = run();
    assert.equal(stopped, null);
    assert.deepEqual(tool_results, ["Standup at 9:30", "Created: lunch at 12:00"]);
    const mcp = at(exchanges, TOOLS);
    assert.ok(mcp.length >= 4);
    for (const { body, response } of mcp) {
      const request = JSONRPCRequestSchema.parse(JSON.parse(body));
      if (request.method === "initialize") InitializeRequestSchema.parse(request);
      else CallToolRequestSchema.parse(request);
      if (response.status === 200) {
        const answer = JSONRPCResultResponseSchema.parse(JSON.parse(response.body));
        if (request.method === "initialize") InitializeResultSchema.parse(answer.result);
        else CallToolResultSchema.parse(answer.result);
      }
    }
    const [resource] = at(exchanges, "https://tools.example/.well-known/oauth-protected-resource/mcp");
    OAuthProtectedResourceMetadataSchema.parse(JSON.parse(resource.response.body));
    const [server] = at(exchanges, `${ISSUER}/.well-known/oauth-authorization-server`);
    const metadata = OAuthMetadataSchema.parse(JSON.parse(server.response.body));
    assert.equal(metadata.client_id_metadata_document_supported, true);
    // The agent's metadata document, as the authorization server fetched it.
    const [document] = at(exchanges, "https://agent.example/oauth/client.json");
    assert.equal(document.from, "authorization_server");
    const published = OAuthClientMetadataSchema.parse(JSON.parse(document.response.body));
    assert.equal(published.token_endpoint_auth_method, "none");
    for (const token of at(exchanges, `${ISSUER}/token`)) OAuthTokensSchema.parse(JSON.parse(token.response.body));
  });

  test("its Dynamic Client Registration request and the server's answer parse with the SDK's schemas", () => {
    const { exchanges, stopped } = run({ server_takes_metadata_documents: false });
    assert.equal(stopped, null);
    const [registration] = at(exchanges, `${ISSUER}/register`);
    OAuthClientMetadataSchema.parse(JSON.parse(registration.body));
    const registered = OAuthClientInformationFullSchema.parse(JSON.parse(registration.response.body));
    assert.equal(registered.client_secret, undefined);
  });

  test("the tool server's exchanged token (RFC 8693) is a token response the SDK reads, and its act names the tool server", () => {
    const { exchanges } = run({ downstream: "exchange" });
    const exchanged = at(exchanges, `${ISSUER}/token`).filter(({ from }) => from === "tool_server");
    assert.ok(exchanged.length > 0);
    for (const { body, response } of exchanged) {
      assert.equal(new URLSearchParams(body).get("grant_type"), "urn:ietf:params:oauth:grant-type:token-exchange");
      const tokens = OAuthTokensSchema.parse(JSON.parse(response.body));
      assert.deepEqual(claimsOf(tokens.access_token).act, { sub: "calendar-tools" });
    }
  });
});

describe("the attacks on the agent profile, beside the MCP SDK's own checks", () => {
  const attack = (slug, defended) => JSON.parse(engine.run_agent_attack(slug, defended, 1));
  const NOTES = "https://notes.attacker.example/mcp";

  test("forged resource metadata: the document that fools an agent without the RFC 9728 check is refused by the SDK, as by the engine's agent with it", async () => {
    const off = attack("forged-resource-metadata", false);
    assert.equal(off.outcome.succeeded, true, JSON.stringify(off.outcome));
    const forged = off.exchanges.find(({ url }) => url === "https://notes.attacker.example/.well-known/oauth-protected-resource/mcp");
    const document = OAuthProtectedResourceMetadataSchema.parse(JSON.parse(forged.response.body));
    assert.equal(document.resource, TOOLS);
    // RFC 9728 section 3.3, as the SDK applies it when it picks the resource.
    await assert.rejects(selectResourceURL(new URL(NOTES), {}, document), /does not match/);
    const on = attack("forged-resource-metadata", true);
    assert.equal(on.outcome.succeeded, false);
    assert.equal(on.exchanges[on.outcome.step].url, forged.url);
  });

  test("a token replayed at another tool server: with the defence on, the engine's agent names the resource the SDK would, and the calendar refuses the replay", async () => {
    const on = attack("tool-token-replay", true);
    assert.equal(on.outcome.succeeded, false);
    assert.match(on.outcome.error, /^invalid_token/);
    const authorize = on.exchanges.find(({ url }) => url.startsWith(`${ISSUER}/authorize`));
    const metadata = on.exchanges.find(({ url }) => url === "https://notes.attacker.example/.well-known/oauth-protected-resource/mcp");
    const chosen = await selectResourceURL(new URL(NOTES), {}, JSON.parse(metadata.response.body));
    assert.equal(new URL(authorize.url).searchParams.get("resource"), chosen.href);
    const replay = on.exchanges[on.outcome.step];
    assert.equal(replay.from, "attacker");
    assert.equal(claimsOf(new Headers(replay.headers).get("authorization").slice("Bearer ".length)).aud, NOTES);
    const off = attack("tool-token-replay", false);
    assert.equal(off.outcome.succeeded, true);
  });

  test("every attack on the agent profile succeeds with its defence off and is stopped with it on", () => {
    for (const slug of ["token-passthrough", "tool-token-replay", "forged-resource-metadata", "client-document-redirect", "client-document-ssrf"]) {
      assert.equal(attack(slug, false).outcome.succeeded, true, `${slug} off`);
      assert.equal(attack(slug, true).outcome.succeeded, false, `${slug} on`);
    }
  });
});
