//! The simulation: the browser, the client, the in-page network that
//! carries their messages to the servers, scenarios as data, and the trace.
//!
//! Each module imports only modules listed before it here, lowest first,
//! so that a module never imports what dispatches to it:
//!
//! 1. `flow`, `browser`, `client`, `attacker`: no other simulation module
//! 2. `stop` (why a flow stopped), `trace`
//! 3. `network`, which routes to the parties, and `hosts`, the parties
//!    beyond the four it can carry; `export` of a trace; then
//!    `page_fetch`, a client in the page, whose requests the network hands
//!    to it (`network::Page`) to send under CORS
//! 4. `scenario`: the scenario as data, the server and network it sets up
//! 5. `flows/`: `steps` and `callback_page`, then one file per flow
//! 6. `run`: plays a scenario, dispatching to the flows
//! 7. `attacks/`: `attack` (the types), `moves`, one file per attack, then
//!    `mod.rs`, which dispatches to them
//! 8. `compare`: implicit against code, with the attacker's `moves`;
//!    `token_storage`: where a browser app keeps its tokens, four
//!    architectures against one injected script, with the same `moves`
//! 9. `agent`: an AI agent (an MCP client) and a tool server, run apart
//!    from the scenarios, with the flows' shared `steps`
//! 10. `deployed`: the client's, the server's and the API's parts of DPoP,
//!     PAR, `private_key_jwt`, introspection and revocation, which `run`
//!     is handed as a function pointer (`run::Support`), never imports

pub mod agent;
pub mod attacker;
pub mod attacks;
pub mod browser;
pub mod client;
pub mod compare;
pub mod deployed;
pub mod export;
pub mod flow;
mod flows;
pub mod hosts;
pub mod network;
pub mod page_fetch;
pub mod run;
pub mod scenario;
pub mod stop;
pub mod token_storage;
pub mod trace;
