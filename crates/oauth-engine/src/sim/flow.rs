//! Which grant a scenario runs: the lowest of the simulation's modules,
//! so that the trace and its exports can name a flow without depending on
//! the scenario that runs it.

use serde::{Deserialize, Serialize};

/// Which grant the scenario runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Authorization code (RFC 6749 section 4.1), with PKCE if the client
    /// uses it; then an API call, time passing, a refresh and another call.
    #[default]
    AuthorizationCode,
    /// Client credentials (RFC 6749 section 4.4): the client on its own behalf.
    ClientCredentials,
    /// Device authorization (RFC 8628): a device polls while the user
    /// approves on another screen.
    Device,
    /// The implicit grant (RFC 6749 section 4.2): the access token comes
    /// back in the redirect's fragment, for the page's script to read. No
    /// refresh token (section 4.2.2). RFC 9700 section 2.1.2 says not to
    /// use it; the server accepts it only with `policy.allow_implicit`.
    Implicit,
    /// An AI agent (an MCP client) connecting to a tool server it has never
    /// met: discovery, registration, code + PKCE with `resource`, step-up
    /// (MCP authorization, revision 2026-07-28). Its own settings and run
    /// are `agent::AgentScenario`'s; a `Scenario` with this flow stops at
    /// once (`Stop::AgentRunsApart`), so that a build that never runs an
    /// agent carries none of its code.
    Agent,
}
