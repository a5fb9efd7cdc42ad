//! The simulation: the browser, the client, the in-page network that
//! carries their messages to the servers, scenarios as data, and the trace.

pub mod attacker;
pub mod attacks;
pub mod browser;
pub mod client;
pub mod compare;
pub mod export;
pub mod flow;
mod flows;
pub mod network;
pub mod run;
pub mod scenario;
pub mod stop;
pub mod trace;
