//! ES256, ECDSA with P-256 and SHA-256 (RFC 7518 section 3.4), as the
//! protocol's extensions use it: a client's key pair, the JWS it signs (DPoP
//! proofs, RFC 9449; client assertions, RFC 7523), and the check of one
//! against a public JWK.
//!
//! The curve arithmetic is handed in as function pointers ([`Es256`]); the
//! one implementation is `jwa::ES256`, the JWT debugger's own P-256 code.
//! A run reaches the arithmetic only through what it was given, so the app
//! can take it from the debugger's lazily loaded key chunk, where it already
//! is, instead of shipping a second copy in the Flow screen's chunks.

use std::fmt;

use serde_json::Value;

use crate::jose::b64_encode;
use crate::rng::{RandomnessUnavailable, Rng};

/// The P-256 operations the extensions need.
#[derive(Clone, Copy)]
pub struct Es256 {
    /// The public JWK (`kty`, `crv`, `x`, `y`) of the private scalar `d`
    /// (32 bytes, big-endian), or `None` if `d` is not in 1..n.
    pub public_jwk: fn(d: &[u8]) -> Option<Value>,
    /// The signature `R || S` (32 bytes each) of `input` with the scalar
    /// `d`, with the deterministic nonce of RFC 6979; `None` if `d` is not
    /// in 1..n.
    pub sign: fn(d: &[u8], input: &[u8]) -> Option<Vec<u8>>,
    /// Whether `signature` (base64url) signs `input` with the P-256 public
    /// key `jwk`: `kty` EC, `crv` P-256, `x` and `y` of 32 bytes that make
    /// a point on the curve (RFC 7518 section 6.2.1; a point off the curve
    /// opens the invalid-curve attack, RFC 8725 section 3.4).
    pub verify: fn(jwk: &Value, input: &[u8], signature: &str) -> Result<(), Es256Error>,
}

impl fmt::Debug for Es256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Es256")
    }
}

/// Why a JWK or an ES256 signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Es256Error {
    /// The JWK is not a P-256 public key; says why.
    BadJwk(String),
    BadSignature,
}

/// A P-256 key pair.
#[derive(Clone)]
pub struct P256Key {
    d: [u8; 32],
    /// Computed once: every proof carries it, and the thumbprint is its hash.
    public_jwk: Value,
    es256: Es256,
}

impl fmt::Debug for P256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P256Key({})", self.public_jwk["x"])
    }
}

impl PartialEq for P256Key {
    fn eq(&self, other: &Self) -> bool {
        self.public_jwk == other.public_jwk
    }
}

impl Eq for P256Key {}

impl P256Key {
    /// A new key: the private scalar drawn from `rng` until it is in 1..n
    /// (n is within 2^-32 of 2^256, so the first draw almost always is).
    /// A failing source fails here instead of making a weak key.
    pub fn generate(rng: &mut dyn Rng, es256: Es256) -> Result<Self, RandomnessUnavailable> {
        let mut scalar = [0u8; 32];
        loop {
            rng.fill_bytes(&mut scalar)?;
            if let Some(key) = Self::from_scalar(&scalar, es256) {
                return Ok(key);
            }
        }
    }

    /// The key whose private scalar is `d` (32 bytes, big-endian), or
    /// `None` if `d` is not in 1..n.
    pub fn from_scalar(d: &[u8], es256: Es256) -> Option<Self> {
        let public_jwk = (es256.public_jwk)(d)?;
        Some(Self {
            d: d.try_into().ok()?,
            public_jwk,
            es256,
        })
    }

    /// The private scalar, to keep the key and make it again.
    pub fn scalar(&self) -> [u8; 32] {
        self.d
    }

    /// The public key as a JWK: `kty`, `crv`, `x`, `y`, nothing private.
    pub fn public_jwk(&self) -> &Value {
        &self.public_jwk
    }

    /// A compact JWS of `claims` with `header` (which should say `alg`
    /// ES256); the signature is `R` and `S`, 32 bytes each (RFC 7518
    /// section 3.4).
    pub fn sign_jws(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64_encode(header.to_string()),
            b64_encode(claims.to_string())
        );
        // The scalar was checked when the key was made, so signing does
        // not fail; if it did, the empty signature would be refused by
        // whoever checks it, never taken for a valid one.
        let signature = (self.es256.sign)(&self.d, input.as_bytes()).unwrap_or_default();
        format!("{input}.{}", b64_encode(signature))
    }
}
