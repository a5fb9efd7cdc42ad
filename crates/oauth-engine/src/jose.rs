//! JSON Web Signature in compact form (RFC 7515) with the algorithms the
//! simulated servers use: RS256 for access and ID tokens (RFC 9068 section
//! 2.1 requires it be supported) and HS256. Keys as JWK (RFC 7517), with
//! RFC 7638 thumbprints as key ids. The RSA arithmetic is `rs256`'s.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::rs256;

/// base64url without padding (RFC 7515 section 2).
pub fn b64_encode(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub use jose_parse::{NotBase64Url, b64_decode, b64_decode_into, is_b64url};

/// The `alg` values this module signs and verifies (RFC 7518 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    HS256,
    RS256,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::RS256 => "RS256",
        }
    }
}

/// Why a JWS or a key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoseError {
    /// Compact serialization has exactly three dot-separated parts.
    WrongNumberOfParts(usize),
    /// A part is not base64url; `part` is "header", "payload" or "signature".
    NotBase64Url {
        part: &'static str,
    },
    /// The header is not a JSON object.
    HeaderNotJson,
    MissingAlg,
    /// The token's `alg` is not the one the key is for. Checking this
    /// stops the algorithm confusion attack (RFC 8725 section 2.1).
    AlgMismatch {
        token: String,
        key: &'static str,
    },
    BadSignature,
    /// A JWK is missing a member or has one of the wrong form.
    InvalidKey(String),
}

impl fmt::Display for JoseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongNumberOfParts(n) => {
                write!(f, "a JWS has 3 parts separated by dots, this has {n}")
            }
            Self::NotBase64Url { part } => write!(f, "the {part} is not base64url"),
            Self::HeaderNotJson => f.write_str("the header is not a JSON object"),
            Self::MissingAlg => f.write_str("the header has no \"alg\""),
            Self::AlgMismatch { token, key } => {
                write!(f, "the token says alg \"{token}\" but the key is for {key}")
            }
            Self::BadSignature => f.write_str("the signature does not match"),
            Self::InvalidKey(why) => write!(f, "invalid key: {why}"),
        }
    }
}

impl std::error::Error for JoseError {}

/// A key that signs.
#[derive(Clone)]
pub enum SigningKey {
    Hmac(Vec<u8>),
    Rsa {
        key: Box<rs256::PrivateKey>,
        kid: String,
    },
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hmac(_) => f.write_str("SigningKey::Hmac([redacted])"),
            Self::Rsa { kid, .. } => write!(f, "SigningKey::Rsa {{ kid: {kid:?} }}"),
        }
    }
}

impl SigningKey {
    /// An RSA private key from its JWK members (RFC 7518 section 6.3.2),
    /// identified by its RFC 7638 thumbprint. Signing takes the primes and
    /// CRT members; `d` must be there too, as the RFC asks of a private
    /// key, though it is not used.
    pub fn rsa_from_jwk(jwk: &Value) -> Result<Self, JoseError> {
        let big = |name: &str| jwk_number(jwk, name);
        big("d")?;
        let (n, e, p, q) = (big("n")?, big("e")?, big("p")?, big("q")?);
        let (dp, dq, qi) = (big("dp")?, big("dq")?, big("qi")?);
        let parts = rs256::PrivateParts {
            n: &n,
            e: &e,
            p: &p,
            q: &q,
            dp: &dp,
            dq: &dq,
            qi: &qi,
        };
        let key = rs256::PrivateKey::new(&parts).map_err(JoseError::InvalidKey)?;
        Ok(Self::Rsa {
            kid: rsa_thumbprint(key.public_key()),
            key: Box::new(key),
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            Self::Hmac(_) => Algorithm::HS256,
            Self::Rsa { .. } => Algorithm::RS256,
        }
    }

    pub fn kid(&self) -> Option<&str> {
        match self {
            Self::Hmac(_) => None,
            Self::Rsa { kid, .. } => Some(kid),
        }
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        match self {
            Self::Hmac(secret) => VerifyingKey::Hmac(secret.clone()),
            Self::Rsa { key, .. } => VerifyingKey::Rsa(key.public_key().clone()),
        }
    }

    /// The signature over a JWS signing input (`header.payload`, as text).
    pub fn signature_for(&self, input: &[u8]) -> Vec<u8> {
        match self {
            Self::Hmac(secret) => hmac_sha256(secret, input),
            Self::Rsa { key, .. } => key.sign(input),
        }
    }

    /// Signs `payload` with `header` (to which `alg`, and `kid` for RSA, are
    /// added) and returns the compact serialization (RFC 7515 section 7.1).
    pub fn sign(&self, mut header: serde_json::Map<String, Value>, payload: &[u8]) -> String {
        header.insert("alg".into(), self.algorithm().as_str().into());
        if let Some(kid) = self.kid() {
            header.insert("kid".into(), kid.into());
        }
        let signing_input = format!(
            "{}.{}",
            b64_encode(Value::Object(header).to_string()),
            b64_encode(payload)
        );
        let signature = self.signature_for(signing_input.as_bytes());
        format!("{signing_input}.{}", b64_encode(signature))
    }
}

/// A key that verifies.
#[derive(Clone, PartialEq, Eq)]
pub enum VerifyingKey {
    Hmac(Vec<u8>),
    Rsa(rs256::PublicKey),
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hmac(_) => f.write_str("VerifyingKey::Hmac([redacted])"),
            Self::Rsa(key) => write!(f, "VerifyingKey::Rsa({})", rsa_thumbprint(key)),
        }
    }
}

impl VerifyingKey {
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Self::Hmac(_) => Algorithm::HS256,
            Self::Rsa(_) => Algorithm::RS256,
        }
    }

    /// An RSA public key from a JWK's n and e (RFC 7518 section 6.3.1).
    pub fn rsa_from_jwk(jwk: &Value) -> Result<Self, JoseError> {
        if jwk["kty"] != "RSA" {
            return Err(JoseError::InvalidKey("\"kty\" is not \"RSA\"".into()));
        }
        let big = |name: &str| jwk_number(jwk, name);
        rs256::PublicKey::new(&big("n")?, &big("e")?)
            .map(Self::Rsa)
            .map_err(JoseError::InvalidKey)
    }

    /// The public JWK, with `kid`, `use` and `alg` (RFC 7517 section 4),
    /// as a JWKS publishes it. `None` for a symmetric key, which is never
    /// published.
    pub fn public_jwk(&self) -> Option<Value> {
        match self {
            Self::Hmac(_) => None,
            Self::Rsa(key) => Some(json!({
                "kty": "RSA",
                "kid": rsa_thumbprint(key),
                "use": "sig",
                "alg": "RS256",
                "n": b64_encode(key.n()),
                "e": b64_encode(key.e()),
            })),
        }
    }

    /// Validates a compact JWS (RFC 7515 section 5.2) and returns its
    /// header and payload. The header's `alg` must be this key's algorithm.
    pub fn verify(&self, token: &str) -> Result<DecodedJws, JoseError> {
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, payload_b64, signature_b64] = parts[..] else {
            return Err(JoseError::WrongNumberOfParts(parts.len()));
        };
        let decode = |text, part| b64_decode(text).map_err(|_| JoseError::NotBase64Url { part });
        let header_bytes = decode(header_b64, "header")?;
        let payload = decode(payload_b64, "payload")?;
        let signature = decode(signature_b64, "signature")?;
        let header: serde_json::Map<String, Value> =
            serde_json::from_slice(&header_bytes).map_err(|_| JoseError::HeaderNotJson)?;
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .ok_or(JoseError::MissingAlg)?;
        if alg != self.algorithm().as_str() {
            return Err(JoseError::AlgMismatch {
                token: alg.to_owned(),
                key: self.algorithm().as_str(),
            });
        }
        // The signing input is the encoded text as received, never
        // re-serialized JSON (RFC 7515 section 5.2 step 8).
        let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
        let valid = match self {
            Self::Hmac(secret) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(secret)
                    .map_err(|_| JoseError::InvalidKey("unusable HMAC key".into()))?;
                mac.update(signing_input.as_bytes());
                mac.verify_slice(&signature).is_ok()
            }
            Self::Rsa(key) => key.verify(signing_input.as_bytes(), &signature),
        };
        if !valid {
            return Err(JoseError::BadSignature);
        }
        Ok(DecodedJws { header, payload })
    }
}

/// A JWK member holding a big-endian unsigned integer, base64url-encoded
/// (RFC 7518 section 6.3).
fn jwk_number(jwk: &Value, name: &str) -> Result<Vec<u8>, JoseError> {
    let text = jwk[name]
        .as_str()
        .ok_or_else(|| JoseError::InvalidKey(format!("\"{name}\" is missing")))?;
    let bytes = b64_decode(text)
        .map_err(|_| JoseError::InvalidKey(format!("\"{name}\" is not base64url")))?;
    Ok(bytes)
}

/// A JWS whose signature checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJws {
    pub header: serde_json::Map<String, Value>,
    pub payload: Vec<u8>,
}

impl DecodedJws {
    /// The payload as a JSON object: a JWT's claims set.
    pub fn claims(&self) -> Option<serde_json::Map<String, Value>> {
        serde_json::from_slice(&self.payload).ok()
    }

    /// Whether the header's `typ` names the media type `expected` (given
    /// without "application/", as in "at+jwt").
    pub fn typ_is(&self, expected: &str) -> bool {
        self.header
            .get("typ")
            .and_then(Value::as_str)
            .is_some_and(|typ| media_type_is(typ, expected))
    }
}

/// Whether a `typ` or `cty` value names the media type `expected`, written
/// without its "application/" prefix. RFC 7515 section 4.1.9: a value
/// without a "/" stands for "application/" and the value, so "at+jwt" and
/// "application/at+jwt" are one type; and media type names compare
/// case-insensitively (RFC 2045 section 5.1), so "AT+JWT" is it too.
pub fn media_type_is(value: &str, expected: &str) -> bool {
    let short = match value.split_once('/') {
        Some((top, subtype)) if top.eq_ignore_ascii_case("application") => subtype,
        Some(_) => return false,
        None => value,
    };
    short.eq_ignore_ascii_case(expected)
}

fn hmac_sha256(secret: &[u8], input: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(input);
    mac.finalize().into_bytes().to_vec()
}

/// RFC 7638 JWK thumbprint: SHA-256 over the required members in
/// lexicographic order with no white space, base64url-encoded.
pub fn rsa_thumbprint(key: &rs256::PublicKey) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        b64_encode(key.e()),
        b64_encode(key.n())
    );
    b64_encode(Sha256::digest(canonical.as_bytes()))
}
