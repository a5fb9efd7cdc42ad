//! The engine's JWT decode and verify, exported to JavaScript for one
//! purpose: `tests/e2e/jwt-bench.mjs` calls them in a loop, in the same
//! Chromium page as `jose`, to compare the two (`scripts/bench.sh`). The
//! app itself exports nothing to JavaScript, so it cannot be timed that
//! way. Each function does what the JWT debugger does on a keystroke
//! (src/jwt/: decode the token, read the key from its text, verify) and
//! returns whether the token checked out, so the benchmark can tell a fast
//! answer from a wrong one. Not shipped, not tested on its own (the
//! benchmark checks every answer).

use oauth_engine::jwa::{Key, verify};
use oauth_engine::jwt::{Decoded, decode as decode_token};
use serde_json::Value;
use wasm_bindgen::prelude::wasm_bindgen;

/// Decodes `token` (header, claims, signature); true if it is a JWS whose
/// payload is a claims object.
#[wasm_bindgen]
pub fn decode(token: &str) -> bool {
    matches!(
        decode_token(token),
        Ok(Decoded::Signed {
            payload: oauth_engine::jwt::Payload::Claims(_),
            ..
        })
    )
}

/// The header's `kid`, which picks the key out of a JWKS.
fn kid(decoded: &Decoded) -> Option<&str> {
    match decoded {
        Decoded::Signed { header, .. } | Decoded::Encrypted { header, .. } => {
            header.get("kid").and_then(Value::as_str)
        }
    }
}

/// The debugger's key format "jwk": a JWK, or a JWKS and the token's `kid`.
fn key_from_json(text: &str, kid: Option<&str>) -> Option<Key> {
    let json: Value = serde_json::from_str(text).ok()?;
    if json.get("keys").is_some() {
        Key::from_jwks(&json, kid).ok()
    } else {
        Key::from_jwk(&json).ok()
    }
}

/// Decodes `token`, reads the JWK or JWKS in `key_json` and verifies the
/// signature with it: the whole per-keystroke work for key format "jwk".
#[wasm_bindgen]
pub fn decode_and_verify(token: &str, key_json: &str) -> bool {
    let Ok(decoded) = decode_token(token) else {
        return false;
    };
    key_from_json(key_json, kid(&decoded)).is_some_and(|key| verify(token, &key).is_ok())
}

/// Decodes `token` and verifies it with a shared secret given as text (key
/// format "secret-text", for HS256/384/512).
#[wasm_bindgen]
pub fn decode_and_verify_secret(token: &str, secret: &str) -> bool {
    decode_token(token).is_ok() && verify(token, &Key::Oct(secret.as_bytes().to_vec())).is_ok()
}

/// A key read once, to time decode and verify without reading the key,
/// as jose does with a key imported once.
#[wasm_bindgen]
pub struct ParsedKey(Key);

#[wasm_bindgen]
impl ParsedKey {
    /// Reads a JWK (not a JWKS); throws if it is not a usable key.
    #[wasm_bindgen(constructor)]
    pub fn new(jwk_json: &str) -> Result<ParsedKey, String> {
        key_from_json(jwk_json, None)
            .map(ParsedKey)
            .ok_or_else(|| "not a usable JWK".to_owned())
    }

    /// Decodes `token` and verifies it with this key.
    pub fn decode_and_verify(&self, token: &str) -> bool {
        decode_token(token).is_ok() && verify(token, &self.0).is_ok()
    }
}

/// Only takes the token in (JavaScript copies the string into the wasm
/// memory as UTF-8): the share of every call above that is the crossing.
#[wasm_bindgen]
pub fn receive(token: &str) -> bool {
    !token.is_empty()
}
