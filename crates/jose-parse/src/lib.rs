//! The reading of JOSE text that the JWT debugger does on every keystroke:
//! base64url, and JSON objects kept as written.
//!
//! A crate of its own for one reason: the workspace's release profile
//! compiles this crate, and the serde_json code it instantiates, for speed
//! (`opt-level = 3`) while the rest of the app is compiled for size. The
//! engine re-exports everything here (`oauth_engine::jose`,
//! `oauth_engine::json`); nothing else depends on this crate directly.

mod base64url;
mod object;

pub use base64url::{NotBase64Url, b64_decode, b64_decode_into, is_b64url};
pub use object::{JsonObject, ObjectError};

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
