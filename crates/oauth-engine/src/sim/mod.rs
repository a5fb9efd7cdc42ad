//! The simulation: the browser, the client, the in-page network that
//! carries their messages to the servers, scenarios as data, and the trace.

pub mod browser;
pub mod client;
mod device;
pub mod export;
mod flows;
pub mod scenario;
pub mod trace;
