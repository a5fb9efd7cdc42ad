//! The key the simulated authorization server signs with, unless the app
//! hands it another.
//!
//! It is the RSA key printed in RFC 7515 appendix A.2: public to the world,
//! so a token it signs proves nothing outside the playground. That is what
//! a teaching tool wants: the workshop mode needs one key for everybody
//! (the same seed must give the same signatures on every laptop), and a
//! fixed key means no RSA key generation (2.3 s in wasm) before the first
//! simulated step.

use crate::jose::{JoseError, SigningKey};

/// RFC 7515 appendix A.2, as JSON: the key and the complete JWS the RFC
/// signs with it (also a test vector).
pub const RFC7515_A2_JSON: &str = include_str!("rfc7515_a2.json");

/// The public demo key.
pub fn demo_signing_key() -> Result<SigningKey, JoseError> {
    let document: serde_json::Value = serde_json::from_str(RFC7515_A2_JSON)
        .map_err(|error| JoseError::InvalidKey(error.to_string()))?;
    SigningKey::rsa_from_jwk(&document["key"])
}

/// The demo key, for runs that cannot do without it. It is a constant
/// the crate's own tests load, so this never fails; the panic message is a
/// plain string, not the error's `Debug`, which would compile the error
/// types' formatting into the simulator.
pub fn demo_key() -> SigningKey {
    match demo_signing_key() {
        Ok(key) => key,
        Err(_) => panic!("the demo signing key loads"),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_demo_key_loads_and_is_the_rfc_7515_a2_key() {
        let key = super::demo_signing_key().unwrap();
        let jwk = key.verifying_key().public_jwk().unwrap();
        assert!(
            jwk["n"]
                .as_str()
                .unwrap()
                .starts_with("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd")
        );
    }
}
