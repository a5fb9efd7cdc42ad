//! The keys the debugger verifies and signs with: read from a JWK (RFC
//! 7517, with the members of RFC 7518 section 6 and RFC 8037 section 2) or
//! from PEM (`pem.rs`), written back as both, and made fresh. `from_pem`
//! and `to_pem` are defined in `pem.rs`, so that this file, which the PEM
//! code builds keys with, does not import it back.

use std::fmt;

use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};

use super::ec::{self, EcCurve, EcPrivateKey, EcPublicKey};
use super::{Alg, KeyType, okp};
use crate::jose::{b64_decode, b64_encode};
use crate::rng::{RandomnessUnavailable, Rng};

/// A key the debugger verifies or signs with.
#[derive(Clone)]
pub enum Key {
    /// An HMAC secret (RFC 7518 section 6.4).
    Oct(Vec<u8>),
    RsaPublic(RsaPublicKey),
    RsaPrivate(Box<RsaPrivateKey>),
    /// P-256 or P-384 (RFC 7518 section 6.2.1).
    EcPublic(EcPublicKey),
    /// P-256 or P-384 with `d` (RFC 7518 section 6.2.2).
    EcPrivate(Box<EcPrivateKey>),
    /// RFC 8037 section 2, `crv` Ed25519.
    Ed25519Public(Box<ed25519_dalek::VerifyingKey>),
    /// RFC 8037 section 2 with `d`, the 32-octet seed.
    Ed25519Private(Box<ed25519_dalek::SigningKey>),
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Oct(secret) => write!(f, "Key::Oct({} bytes, [redacted])", secret.len()),
            Self::RsaPublic(key) => write!(f, "Key::RsaPublic({} bits)", key.n().bits()),
            Self::RsaPrivate(key) => {
                write!(f, "Key::RsaPrivate({} bits, [redacted])", key.n().bits())
            }
            Self::EcPublic(key) => write!(f, "Key::EcPublic({})", key.curve()),
            Self::EcPrivate(key) => write!(f, "Key::EcPrivate({}, [redacted])", key.curve()),
            Self::Ed25519Public(_) => f.write_str("Key::Ed25519Public"),
            Self::Ed25519Private(_) => f.write_str("Key::Ed25519Private([redacted])"),
        }
    }
}

/// The kinds of key [`Key::generate`] makes.
///
/// No RSA: generating an RSA key means searching for two large primes,
/// which takes seconds in wasm. The app asks the browser's WebCrypto for an
/// RSA key instead and imports its JWK with [`Key::from_jwk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An HMAC secret of this many random bytes. RFC 7518 section 3.2 asks
    /// for at least the hash's size: 32 for HS256, 48 for HS384, 64 for
    /// HS512.
    Secret { bytes: usize },
    /// An ES256 key.
    P256,
    /// An ES384 key.
    P384,
    /// An ES512 key.
    P521,
    /// An EdDSA key (RFC 8037).
    Ed25519,
}

/// Why a key could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    NotAnObject,
    MissingMember(&'static str),
    NotBase64Url(&'static str),
    UnsupportedKeyType(String),
    /// A JWKS has no key with this `kid` (RFC 7517 section 4.5).
    NoKeyWithKid(String),
    /// A JWKS has several keys and the token names none.
    AmbiguousJwks(usize),
    Rsa(String),
    /// A curve (`crv`, or a named curve in PEM) the debugger does not take:
    /// "P-521", "secp256k1", "X25519", "Ed448", ...
    UnsupportedCurve(String),
    /// A member (or a DER field) of the wrong size for its curve.
    MemberLength {
        member: &'static str,
        expected: usize,
        actual: usize,
    },
    /// The public key is not a point on the named curve.
    NotOnCurve(&'static str),
    /// An EC `d` of zero, or not below the curve's order.
    PrivateKeyOutOfRange(&'static str),
    /// The private key's own public key is not the one given with it.
    PublicKeyMismatch,
    /// No `-----BEGIN ...-----` line (RFC 7468 section 2).
    NotPem,
    /// A PEM label that is not a key this module reads.
    PemUnknownLabel(String),
    /// `ENCRYPTED PRIVATE KEY` (RFC 7468 section 11), or a legacy OpenSSL
    /// key with `Proc-Type: 4,ENCRYPTED`.
    PemEncrypted,
    /// BEGIN without a matching END.
    PemMalformed(String),
    /// The text between BEGIN and END is not base64 (RFC 7468 section 3).
    PemBadBase64,
    /// The decoded bytes are not the DER structure the label promises.
    Der {
        structure: &'static str,
        why: String,
    },
    /// A key algorithm (by OID) other than RSA, EC and Ed25519.
    UnsupportedAlgorithm(String),
    /// Only public and private keys have a PEM form.
    NoPemForSecret,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnObject => f.write_str("a JWK is a JSON object (RFC 7517 section 4)"),
            Self::MissingMember(name) => write!(f, "the JWK has no \"{name}\""),
            Self::NotBase64Url(name) => write!(f, "the JWK's \"{name}\" is not base64url"),
            Self::UnsupportedKeyType(kty) => write!(
                f,
                "the key type (kty) \"{kty}\" is not supported here: use oct, RSA, EC or OKP"
            ),
            Self::NoKeyWithKid(kid) => write!(f, "the JWKS has no key with kid \"{kid}\""),
            Self::AmbiguousJwks(count) => write!(
                f,
                "the JWKS has {count} keys and the token's header names no kid: pick one"
            ),
            Self::Rsa(why) => write!(f, "not a usable RSA key: {why}"),
            Self::UnsupportedCurve(curve) => match curve.as_str() {
                "X25519" | "X448" => write!(
                    f,
                    "{curve} is a key-agreement curve (ECDH-ES, RFC 8037 section 3.2), not a \
                     signing one: EdDSA signs with Ed25519"
                ),
                "Ed448" => f.write_str(
                    "the curve Ed448 is not supported here: EdDSA works with Ed25519 keys only",
                ),
                _ => write!(
                    f,
                    "the curve {curve} is not supported here: use P-256 (ES256), P-384 (ES384), \
                     P-521 (ES512) or Ed25519 (EdDSA)"
                ),
            },
            Self::MemberLength {
                member,
                expected,
                actual,
            } => write!(
                f,
                "the key's \"{member}\" is {actual} bytes; its curve needs exactly {expected} \
                 (RFC 7518 section 6.2, RFC 8037 section 2)"
            ),
            Self::NotOnCurve(curve) => write!(
                f,
                "the public key is not a point on {curve}: a verifier must refuse it, or invalid \
                 points can leak keys (RFC 8725 section 3.4)"
            ),
            Self::PrivateKeyOutOfRange(curve) => write!(
                f,
                "the private key \"d\" is not a valid {curve} key: it must be between 1 and \
                 the curve's order"
            ),
            Self::PublicKeyMismatch => f.write_str(
                "the private key and the public key given with it do not belong together",
            ),
            Self::NotPem => f.write_str(
                "not PEM: there is no \"-----BEGIN ...-----\" line (RFC 7468 section 2)",
            ),
            Self::PemUnknownLabel(label) => {
                write!(
                    f,
                    "the PEM label \"{label}\" is not a key this page reads: use PUBLIC KEY, \
                     PRIVATE KEY, RSA PUBLIC KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
                )?;
                match label.as_str() {
                    "CERTIFICATE" => f.write_str(
                        ". For a certificate's key: openssl x509 -in cert.pem -pubkey -noout",
                    ),
                    "OPENSSH PRIVATE KEY" => {
                        f.write_str(". To convert an OpenSSH key: ssh-keygen -p -m PKCS8 -f key")
                    }
                    _ => Ok(()),
                }
            }
            Self::PemEncrypted => f.write_str(
                "the private key is encrypted with a password (RFC 7468 section 11): it must be \
                 decrypted first, e.g. openssl pkey -in key.pem -out plain.pem",
            ),
            Self::PemMalformed(why) => write!(f, "not well-formed PEM: {why}"),
            Self::PemBadBase64 => f.write_str(
                "the text between the BEGIN and END lines is not base64 (RFC 7468 section 3)",
            ),
            Self::Der { structure, why } => {
                write!(f, "the PEM does not hold a valid {structure}: {why}")
            }
            Self::UnsupportedAlgorithm(algorithm) => write!(
                f,
                "the key's algorithm, {algorithm}, is not supported here: use RSA, EC (P-256 or \
                 P-384) or Ed25519"
            ),
            Self::NoPemForSecret => f.write_str(
                "a shared secret has no PEM form: PEM (RFC 7468) carries public and private keys",
            ),
        }
    }
}

impl std::error::Error for KeyError {}

fn member<'a>(jwk: &'a Value, name: &'static str) -> Result<&'a str, KeyError> {
    jwk[name].as_str().ok_or(KeyError::MissingMember(name))
}

fn member_bytes(jwk: &Value, name: &'static str) -> Result<Vec<u8>, KeyError> {
    b64_decode(member(jwk, name)?).map_err(|_| KeyError::NotBase64Url(name))
}

fn member_number(jwk: &Value, name: &'static str) -> Result<BigUint, KeyError> {
    member_bytes(jwk, name).map(|bytes| BigUint::from_bytes_be(&bytes))
}

/// A big-endian integer as a JWK member: the minimal octets (RFC 7518
/// section 6.3.1.1), base64url.
fn number(value: &BigUint) -> String {
    b64_encode(value.to_bytes_be())
}

impl Key {
    pub fn key_type(&self) -> KeyType {
        match self {
            Self::Oct(_) => KeyType::Oct,
            Self::RsaPublic(_) | Self::RsaPrivate(_) => KeyType::Rsa,
            Self::EcPublic(_) | Self::EcPrivate(_) => KeyType::Ec,
            Self::Ed25519Public(_) | Self::Ed25519Private(_) => KeyType::Okp,
        }
    }

    /// An EC key's curve.
    pub fn curve(&self) -> Option<EcCurve> {
        match self {
            Self::EcPublic(key) => Some(key.curve()),
            Self::EcPrivate(key) => Some(key.curve()),
            _ => None,
        }
    }

    /// A key from a JWK (RFC 7517 section 4; members of RFC 7518 section
    /// 6 and RFC 8037 section 2). A JWK with `d` is a private key, which
    /// also verifies.
    pub fn from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        if !jwk.is_object() {
            return Err(KeyError::NotAnObject);
        }
        match member(jwk, "kty")? {
            "oct" => Ok(Self::Oct(member_bytes(jwk, "k")?)),
            "RSA" if jwk.get("d").is_some() => {
                let primes = vec![member_number(jwk, "p")?, member_number(jwk, "q")?];
                RsaPrivateKey::from_components(
                    member_number(jwk, "n")?,
                    member_number(jwk, "e")?,
                    member_number(jwk, "d")?,
                    primes,
                )
                .map(|key| Self::RsaPrivate(Box::new(key)))
                .map_err(|error| KeyError::Rsa(error.to_string()))
            }
            "RSA" => RsaPublicKey::new(member_number(jwk, "n")?, member_number(jwk, "e")?)
                .map(Self::RsaPublic)
                .map_err(|error| KeyError::Rsa(error.to_string())),
            "EC" => Self::ec_from_jwk(jwk),
            "OKP" => Self::okp_from_jwk(jwk),
            other => Err(KeyError::UnsupportedKeyType(other.to_owned())),
        }
    }

    /// RFC 7518 section 6.2: `crv`, `x` and `y` always, `d` for a private
    /// key.
    fn ec_from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        let crv = member(jwk, "crv")?;
        let curve =
            EcCurve::from_name(crv).ok_or_else(|| KeyError::UnsupportedCurve(crv.to_owned()))?;
        let public =
            ec::public_from_coordinates(curve, &member_bytes(jwk, "x")?, &member_bytes(jwk, "y")?)?;
        if jwk.get("d").is_none() {
            return Ok(Self::EcPublic(public));
        }
        let private = ec::private_from_scalar(curve, &member_bytes(jwk, "d")?)?;
        if private.public_key() != public {
            return Err(KeyError::PublicKeyMismatch);
        }
        Ok(Self::EcPrivate(Box::new(private)))
    }

    /// RFC 8037 section 2: `crv` and `x` always, `d` for a private key.
    fn okp_from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        let crv = member(jwk, "crv")?;
        if crv != "Ed25519" {
            return Err(KeyError::UnsupportedCurve(crv.to_owned()));
        }
        let public = okp::public_from_bytes(&member_bytes(jwk, "x")?)?;
        if jwk.get("d").is_none() {
            return Ok(Self::Ed25519Public(Box::new(public)));
        }
        let private = okp::private_from_bytes(&member_bytes(jwk, "d")?)?;
        if private.verifying_key() != public {
            return Err(KeyError::PublicKeyMismatch);
        }
        Ok(Self::Ed25519Private(Box::new(private)))
    }

    /// The key of a JWKS (RFC 7517 section 5) that a token's header names
    /// by `kid`, or its only key when the header names none.
    pub fn from_jwks(jwks: &Value, kid: Option<&str>) -> Result<Self, KeyError> {
        let keys = jwks["keys"]
            .as_array()
            .ok_or(KeyError::MissingMember("keys"))?;
        let jwk = match kid {
            Some(kid) => keys
                .iter()
                .find(|jwk| jwk["kid"] == kid)
                .ok_or_else(|| KeyError::NoKeyWithKid(kid.to_owned()))?,
            None => match keys.as_slice() {
                [only] => only,
                _ => return Err(KeyError::AmbiguousJwks(keys.len())),
            },
        };
        Self::from_jwk(jwk)
    }

    /// The key as a JWK; a private key with its private members (RSA `d`,
    /// `p`, `q`, `dp`, `dq`, `qi`; EC and OKP `d`), a secret with `k`.
    pub fn to_jwk(&self) -> Value {
        match self {
            Self::Oct(secret) => json!({ "kty": "oct", "k": b64_encode(secret) }),
            Self::RsaPublic(key) => rsa_public_jwk(key),
            Self::RsaPrivate(key) => {
                let mut jwk = rsa_public_jwk(&key.to_public_key());
                // RFC 7518 section 6.3.2. The primes and CRT values are
                // those of a two-prime key, as every key read here is.
                if let [p, q, ..] = key.primes() {
                    let one = BigUint::from(1u8);
                    jwk["d"] = number(key.d()).into();
                    jwk["p"] = number(p).into();
                    jwk["q"] = number(q).into();
                    jwk["dp"] = number(&(key.d() % (p - &one))).into();
                    jwk["dq"] = number(&(key.d() % (q - &one))).into();
                    if let Some(qi) = key.crt_coefficient() {
                        jwk["qi"] = number(&qi).into();
                    }
                }
                jwk
            }
            Self::EcPublic(key) => ec_public_jwk(key),
            Self::EcPrivate(key) => {
                let mut jwk = ec_public_jwk(&key.public_key());
                jwk["d"] = b64_encode(key.scalar_bytes()).into();
                jwk
            }
            Self::Ed25519Public(key) => okp_public_jwk(key),
            Self::Ed25519Private(key) => {
                let mut jwk = okp_public_jwk(&key.verifying_key());
                jwk["d"] = b64_encode(key.to_bytes()).into();
                jwk
            }
        }
    }

    /// The public half of an asymmetric key (itself, for a public key);
    /// `None` for a shared secret, which has none.
    pub fn public_key(&self) -> Option<Key> {
        match self {
            Self::Oct(_) => None,
            Self::RsaPublic(_) | Self::EcPublic(_) | Self::Ed25519Public(_) => Some(self.clone()),
            Self::RsaPrivate(key) => Some(Self::RsaPublic(key.to_public_key())),
            Self::EcPrivate(key) => Some(Self::EcPublic(key.public_key())),
            Self::Ed25519Private(key) => Some(Self::Ed25519Public(Box::new(key.verifying_key()))),
        }
    }

    /// Whether the key can sign: a private key, or a shared secret.
    pub fn is_private(&self) -> bool {
        match self {
            Self::Oct(_) | Self::RsaPrivate(_) | Self::EcPrivate(_) | Self::Ed25519Private(_) => {
                true
            }
            Self::RsaPublic(_) | Self::EcPublic(_) | Self::Ed25519Public(_) => false,
        }
    }

    /// The algorithm to sign with by default: HS256 for a secret, RS256
    /// for RSA, the curve's own for EC (RFC 7518 section 3.4 ties each
    /// curve to one hash), EdDSA for Ed25519.
    pub fn default_alg(&self) -> Alg {
        match self {
            Self::Oct(_) => Alg::Hs256,
            Self::RsaPublic(_) | Self::RsaPrivate(_) => Alg::Rs256,
            Self::EcPublic(key) => key.curve().alg(),
            Self::EcPrivate(key) => key.curve().alg(),
            Self::Ed25519Public(_) | Self::Ed25519Private(_) => Alg::EdDsa,
        }
    }

    /// What the key is, in a few words: "RSA private key, 2048 bits".
    pub fn describe(&self) -> String {
        let half = if self.is_private() {
            "private"
        } else {
            "public"
        };
        match self {
            Self::Oct(secret) => format!(
                "shared secret, {} bytes ({} bits)",
                secret.len(),
                secret.len() * 8
            ),
            Self::RsaPublic(key) => format!("RSA {half} key, {} bits", key.n().bits()),
            Self::RsaPrivate(key) => format!("RSA {half} key, {} bits", key.n().bits()),
            Self::EcPublic(key) => format!("EC {half} key on {}", key.curve()),
            Self::EcPrivate(key) => format!("EC {half} key on {}", key.curve()),
            Self::Ed25519Public(_) | Self::Ed25519Private(_) => format!("Ed25519 {half} key"),
        }
    }

    /// A new key of `kind`, from `rng`'s bytes. No RSA: see [`KeyKind`].
    pub fn generate(kind: KeyKind, rng: &mut dyn Rng) -> Result<Self, RandomnessUnavailable> {
        match kind {
            KeyKind::Secret { bytes } => {
                let mut secret = vec![0; bytes];
                rng.fill_bytes(&mut secret)?;
                Ok(Self::Oct(secret))
            }
            KeyKind::P256 => {
                ec::generate(EcCurve::P256, rng).map(|key| Self::EcPrivate(Box::new(key)))
            }
            KeyKind::P384 => {
                ec::generate(EcCurve::P384, rng).map(|key| Self::EcPrivate(Box::new(key)))
            }
            KeyKind::P521 => {
                ec::generate(EcCurve::P521, rng).map(|key| Self::EcPrivate(Box::new(key)))
            }
            KeyKind::Ed25519 => okp::generate(rng).map(|key| Self::Ed25519Private(Box::new(key))),
        }
    }

    pub(super) fn rsa_public(&self) -> Option<RsaPublicKey> {
        match self {
            Self::RsaPublic(key) => Some(key.clone()),
            Self::RsaPrivate(key) => Some(key.to_public_key()),
            _ => None,
        }
    }
}

/// RFC 7518 section 6.3.1.
fn rsa_public_jwk(key: &RsaPublicKey) -> Value {
    json!({ "kty": "RSA", "n": number(key.n()), "e": number(key.e()) })
}

/// RFC 7518 section 6.2.1.
fn ec_public_jwk(key: &EcPublicKey) -> Value {
    let (x, y) = key.coordinates();
    json!({ "kty": "EC", "crv": key.curve().name(), "x": b64_encode(x), "y": b64_encode(y) })
}

/// RFC 8037 section 2.
fn okp_public_jwk(key: &ed25519_dalek::VerifyingKey) -> Value {
    json!({ "kty": "OKP", "crv": "Ed25519", "x": b64_encode(key.as_bytes()) })
}
