// The interop harness: the engine's simulated servers (crates/engine-node,
// built for Node by scripts/interop.sh) behind a `fetch` that client
// libraries nobody here wrote call as they would call the network. The
// libraries see real HTTP: a Response with its status, headers and body,
// and redirects left for them to handle (they never follow one).
//
// Time: the scenario's simulated clock is the only clock. Each test's
// `Date` and `setTimeout` are mocked to it (node:test's mock timers), so a
// library checking an ID token's exp, or waiting its polling interval,
// reads the same time the servers do, and `sim.advance(s)` moves both.
// Randomness: the scenario's seed. A failing run replays to the same bytes.

import { test } from "node:test";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { SimulatedServers } = require("../../target/engine-node/engine_node.js");

export const ISSUER = "https://as.example";
export const API = "https://api.example";
export const ATTACKER = "https://attacker.example";
export const SPA_CALLBACK = "https://spa.example/callback";

/** The demo users (crates/oauth-engine/src/sim/scenario.rs USERS). */
export const ALICE = { username: "alice", password: "wonderland", sub: "user-alice" };
export const MALLORY = { username: "mallory", password: "evil", sub: "user-mallory" };

/**
 * A test against a scenario's servers. `body(sim, t)` gets the simulation;
 * when it fails, the error carries the run so far, a line per exchange.
 */
export function interop(name, scenario, body) {
  test(name, async (t) => {
    const sim = simulate(t, scenario);
    try {
      await body(sim, t);
    } catch (error) {
      error.message += `\n\nThe run so far:\n${sim.trace()}`;
      throw error;
    } finally {
      sim.servers.free();
    }
  });
}

/** The servers of `scenario` (its JSON form, every field optional). */
export function simulate(t, scenario = {}) {
  const servers = new SimulatedServers(JSON.stringify(scenario));
  t.mock.timers.enable({ apis: ["Date", "setTimeout"], now: servers.now() * 1000 });
  return {
    servers,
    /** What the client application's code sends: a library's fetch. */
    fetch: fetchAs(servers, "client"),
    /** Requests the attacker sends from her own machine. */
    attackerFetch: fetchAs(servers, "attacker"),
    /** Simulated seconds since the epoch. */
    now: () => servers.now(),
    /** Lets simulated time pass, for the servers and the library alike. */
    advance(seconds) {
      servers.advance(seconds);
      t.mock.timers.tick(seconds * 1000);
    },
    trace: () => servers.trace(),
    /** The exchanges so far: `{ from, to, method, url, status, at }`. */
    exchanges: () => JSON.parse(servers.exchanges()),
    /** The user's browser opens `url`; see `browse`. */
    browse: (url, user) => browse(servers, "browser", url, user),
    /** The attacker, in her own browser, opens `url` as `user`. */
    attackerBrowse: (url, user) => browse(servers, "attacker_browser", url, user),
    attackerReceived: () => JSON.parse(servers.attacker_received()),
  };
}

/**
 * A `fetch` for one sender. The request goes through the engine's in-page
 * network as it is; the answer comes back as a `Response`.
 */
function fetchAs(servers, from) {
  return async (url, init = {}) => {
    const headers = [...new Headers(init.headers ?? {})];
    const body = init.body == null ? "" : String(init.body);
    const method = init.method ?? "GET";
    return toResponse(servers.fetch(from, method, String(url), JSON.stringify(headers), body));
  };
}

function toResponse(json) {
  const { status, headers, body } = JSON.parse(json);
  // A 204 cannot carry a body, even an empty one.
  return new Response(status === 204 ? null : body, { status, headers });
}

/**
 * The user's browser, from `url` to the client's redirect_uri: it follows
 * redirects, confirms a device's code on the verification page, signs in
 * as `user` on the authorization server's own login page, and answers its
 * consent page, with the boxes in `user.scopes`
 * ticked (by default every box the page offers) and `user.decision`
 * ("approve" unless said otherwise). Returns the URL the browser lands on
 * at the client (without loading it), or, when the server shows an
 * error page instead, the page (`{ status, body }`).
 */
function browse(servers, from, url, user = ALICE) {
  const send = (method, target, form) => {
    const headers = form ? [["Content-Type", "application/x-www-form-urlencoded"]] : [];
    const body = form ? new URLSearchParams(form).toString() : "";
    return JSON.parse(servers.fetch(from, method, target, JSON.stringify(headers), body));
  };
  let at = new URL(url);
  let page = send("GET", at.href);
  for (let hops = 0; hops < 10; hops++) {
    if (page.status === 302) {
      at = new URL(header(page, "location"), at);
      if (at.origin !== ISSUER && at.origin !== ATTACKER) return at;
      page = send("GET", at.href);
    } else if (page.status === 200 && page.body.includes('name="password"')) {
      page = send("POST", new URL("login", at).href, {
        transaction: field(page.body, "transaction"),
        username: user.username,
        password: user.password,
      });
    } else if (page.status === 200 && page.body.includes('name="user_code"')) {
      // The device's code, as verification_uri_complete filled it in.
      page = send("POST", new URL("device", at).href, {
        user_code: inputValue(page.body, "user_code"),
      });
    } else if (page.status === 200 && page.body.includes('name="decision"')) {
      const offered = checkboxes(page.body, "scope");
      const ticked = user.scopes ?? offered;
      const form = new URLSearchParams({ transaction: field(page.body, "transaction") });
      for (const scope of offered.filter((s) => ticked.includes(s))) form.append("scope", scope);
      form.append("decision", user.decision ?? "approve");
      page = send("POST", new URL("consent", at).href, form);
    } else {
      return { status: page.status, body: page.body };
    }
  }
  throw new Error(`the browser went round in circles from ${url}`);
}

function header(response, name) {
  const found = response.headers.find(([n]) => n.toLowerCase() === name);
  return found?.[1];
}

/** The value of a form field on one of the engine's pages, or "". */
function inputValue(html, name) {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match ? unescape(match[1]) : "";
}

/** A hidden field the page cannot do without. */
function field(html, name) {
  const value = inputValue(html, name);
  if (!value) throw new Error(`no field ${name} on the page:\n${html}`);
  return value;
}

function checkboxes(html, name) {
  return [...html.matchAll(new RegExp(`type="checkbox" name="${name}" value="([^"]*)"`, "g"))].map(
    (match) => unescape(match[1]),
  );
}

function unescape(text) {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The error a promise rejects with, or a failure if it resolves. */
export async function refusal(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the library to refuse, but it went on");
}
