//! The OAuth Playground protocol engine.
//!
//! Pure Rust with no web dependencies, so that the compiler keeps the DOM out
//! and every rule is tested natively (`cargo test`) as well as on wasm32 in a
//! browser. Every place that enforces a protocol rule cites its RFC section.

pub mod channel;
pub mod client_id_metadata;
pub mod client_registration;
pub mod clock;
pub mod cors;
pub mod discovery;
pub mod dpop;
pub mod error;
pub mod es256;
pub mod form;
pub mod http;
pub mod jose;
pub mod json;
pub mod jwa;
pub mod jwt;
pub mod keys;
pub mod params;
pub mod pkce;
pub mod resource;
pub mod resource_indicator;
pub mod resource_metadata;
pub mod rng;
pub mod rs256;
pub mod server;
pub mod sim;
pub mod table;
pub mod token_exchange;
pub mod tool_server;
pub mod types;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
