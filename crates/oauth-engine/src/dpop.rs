//! DPoP, Demonstrating Proof of Possession (RFC 9449): the client holds a
//! P-256 key pair and signs a short JWT, the proof, for every token request
//! and every API call. The server binds the tokens it issues to the key's
//! thumbprint, so a stolen token is useless without the private key.
//!
//! This module is the proof itself, on both sides: the client's key and the
//! proofs it signs, and the checks of RFC 9449 section 4.3 that the token
//! endpoint and the API run on a proof they receive. What each side does
//! with a valid proof (bind a token, compare a binding) is theirs.
//!
//! ES256 only (`es256.rs`), with the P-256 functions the caller gives.

use std::fmt;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::clock::UnixTime;
use crate::error::ErrorCode;
use crate::es256::{Es256, Es256Error, P256Key};
use crate::http::{Method, Url};
use crate::jose::{b64_decode, b64_encode};
use crate::rng::{RandomnessUnavailable, Rng};

/// The proof's media type, in its `typ` header (RFC 9449 section 4.2).
pub const PROOF_TYP: &str = "dpop+jwt";
/// The one algorithm the simulated parties sign and accept proofs with;
/// the server's metadata lists it in `dpop_signing_alg_values_supported`
/// (RFC 9449 section 5.1) and the API in its `WWW-Authenticate` `algs`
/// (section 7.1).
pub const PROOF_ALG: &str = "ES256";
/// The token type of a DPoP-bound access token (RFC 9449 section 5), and
/// the authorization scheme it is presented with (section 7.1).
pub const TOKEN_TYPE: &str = "DPoP";
/// How far a proof's `iat` may be from the receiver's clock, in seconds,
/// either way. RFC 9449 section 11.1 leaves the window to the server and
/// asks for it to be short: a proof is made for one request, just before
/// it is sent.
pub const IAT_WINDOW: u64 = 60;
/// Random bytes in a proof's `jti`: RFC 9449 section 4.2 asks for at least
/// 96 bits of pseudorandom data.
const JTI_BYTES: usize = 12;

/// The client's DPoP key pair (RFC 9449 section 2: "the client creates a
/// public/private key pair").
#[derive(Clone, PartialEq, Eq)]
pub struct DpopKey(P256Key);

impl fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DpopKey({})", self.thumbprint())
    }
}

impl DpopKey {
    /// A new key from `rng`; a failing source fails here.
    pub fn generate(rng: &mut dyn Rng, es256: Es256) -> Result<Self, RandomnessUnavailable> {
        P256Key::generate(rng, es256).map(Self)
    }

    /// The key whose private scalar is `d` (32 bytes, big-endian), or
    /// `None` if `d` is not in 1..n.
    pub fn from_scalar(d: &[u8], es256: Es256) -> Option<Self> {
        P256Key::from_scalar(d, es256).map(Self)
    }

    /// The private scalar, to keep the key and make it again.
    pub fn scalar(&self) -> [u8; 32] {
        self.0.scalar()
    }

    /// The public key as the proof's `jwk` header carries it: `kty`,
    /// `crv`, `x`, `y` and nothing private (RFC 9449 section 4.2).
    pub fn public_jwk(&self) -> Value {
        self.0.public_jwk().clone()
    }

    /// The key's RFC 7638 thumbprint: the `jkt` a bound token carries in
    /// its `cnf` claim (RFC 9449 section 6.1).
    pub fn thumbprint(&self) -> String {
        // The JWK has every member the thumbprint needs.
        thumbprint(&self.public_jwk()).unwrap_or_default()
    }

    /// A signed proof with `claims`: header `typ`, `alg` and `jwk` (RFC 9449
    /// section 4.2), signed with ES256.
    pub fn proof(&self, claims: &ProofClaims) -> String {
        let header = json!({ "typ": PROOF_TYP, "alg": PROOF_ALG, "jwk": self.public_jwk() });
        self.0.sign_jws(&header, &claims.to_json())
    }
}

/// What a proof says about the request it goes with (RFC 9449 section 4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofClaims {
    /// Unique per proof, so that a receiver can refuse a replayed one.
    pub jti: String,
    /// The request's method.
    pub htm: String,
    /// The request's URL without query and fragment.
    pub htu: String,
    pub iat: UnixTime,
    /// The hash of the access token the request presents (`ath`), at the API.
    pub ath: Option<String>,
    /// The last nonce the receiver gave (section 8 and 9).
    pub nonce: Option<String>,
}

impl ProofClaims {
    /// The claims of a proof for `method` on `url`, made at `now`, with a
    /// fresh `jti` from `rng`.
    pub fn for_request(
        method: Method,
        url: &Url,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Self, RandomnessUnavailable> {
        let mut jti = [0u8; JTI_BYTES];
        rng.fill_bytes(&mut jti)?;
        Ok(Self {
            jti: b64_encode(jti),
            htm: method.as_str().to_owned(),
            htu: htu(url),
            iat: now,
            ath: None,
            nonce: None,
        })
    }

    /// The same claims for a request that presents `access_token`.
    pub fn presenting(self, access_token: &str) -> Self {
        Self {
            ath: Some(access_token_hash(access_token)),
            ..self
        }
    }

    /// The same claims carrying the receiver's `nonce`.
    pub fn with_nonce(self, nonce: Option<&str>) -> Self {
        Self {
            nonce: nonce.map(str::to_owned),
            ..self
        }
    }

    fn to_json(&self) -> Value {
        let mut claims = Map::new();
        claims.insert("jti".into(), self.jti.clone().into());
        claims.insert("htm".into(), self.htm.clone().into());
        claims.insert("htu".into(), self.htu.clone().into());
        claims.insert("iat".into(), self.iat.0.into());
        if let Some(ath) = &self.ath {
            claims.insert("ath".into(), ath.clone().into());
        }
        if let Some(nonce) = &self.nonce {
            claims.insert("nonce".into(), nonce.clone().into());
        }
        claims.into()
    }
}

/// `ath`: the base64url SHA-256 of the access token's ASCII (RFC 9449
/// section 4.2).
pub fn access_token_hash(access_token: &str) -> String {
    b64_encode(Sha256::digest(access_token.as_bytes()))
}

/// The `htu` of a request to `url`: scheme, host, port and path, without
/// query and fragment (RFC 9449 section 4.2), after the syntax- and
/// scheme-based normalization section 4.3 asks a receiver to apply (RFC
/// 3986 sections 6.2.2 and 6.2.3): scheme and host in lower case, no
/// default port, an empty path as "/".
pub fn htu(url: &Url) -> String {
    let origin = url.origin.to_ascii_lowercase();
    let origin = origin
        .strip_suffix(":443")
        .filter(|_| origin.starts_with("https://"))
        .or_else(|| {
            origin
                .strip_suffix(":80")
                .filter(|_| origin.starts_with("http://"))
        })
        .unwrap_or(&origin);
    let path = if url.path.is_empty() { "/" } else { &url.path };
    format!("{origin}{path}")
}

/// The RFC 7638 thumbprint of a public JWK: SHA-256 over the key type's
/// required members in lexicographic order, without white space (section
/// 3), base64url-encoded. EC keys (`crv`, `kty`, `x`, `y`, section 3.2) and
/// RSA keys (`e`, `kty`, `n`, section 3.1); anything else is refused.
pub fn thumbprint(jwk: &Value) -> Result<String, String> {
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the key has no \"{name}\" string"))
    };
    // serde_json writes a string with the escapes RFC 7638 section 3.3 asks
    // for; the object is written member by member to fix their order.
    let canonical = match member("kty")? {
        "EC" => format!(
            r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
            Value::from(member("crv")?),
            Value::from(member("x")?),
            Value::from(member("y")?)
        ),
        "RSA" => format!(
            r#"{{"e":{},"kty":"RSA","n":{}}}"#,
            Value::from(member("e")?),
            Value::from(member("n")?)
        ),
        other => return Err(format!("the key type \"{other}\" has no thumbprint here")),
    };
    Ok(b64_encode(Sha256::digest(canonical.as_bytes())))
}

/// What the receiver of a proof knows about the request it came with.
#[derive(Debug, Clone, Copy)]
pub struct ProofContext<'r> {
    pub method: Method,
    pub url: &'r Url,
    pub now: UnixTime,
    /// The access token the request presents, at the API: the proof must
    /// carry its hash (`ath`).
    pub access_token: Option<&'r str>,
    /// The nonce the receiver requires, if it requires one (section 8).
    pub nonce: Option<&'r str>,
    /// What checks the signature.
    pub es256: Es256,
}

/// A proof that passed every check of RFC 9449 section 4.3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProof {
    /// The thumbprint of the key that signed it: what a token is bound to.
    pub jkt: String,
    /// The proof's unique id: the receiver records it to refuse a replay.
    pub jti: String,
    pub iat: UnixTime,
}

/// Why a proof was refused. Each names what is wrong, for the
/// `error_description` a learner reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// Section 4.3 check 1: no `DPoP` header field, or more than one.
    HeaderCount(usize),
    /// Check 2: not a JWS in compact form, or a part that is not base64url
    /// JSON; says which.
    Malformed(String),
    /// Check 3: a required header parameter or claim is missing.
    Missing(&'static str),
    /// Check 4: `typ` is not `dpop+jwt`.
    WrongTyp(String),
    /// Check 5: `alg` is not one the receiver supports (`none` and the
    /// symmetric ones never are).
    UnsupportedAlg(String),
    /// Check 7: the `jwk` header carries the private key.
    PrivateKeyInJwk,
    /// The `jwk` header is not a P-256 public key.
    BadJwk(String),
    /// Check 6: the signature does not verify with the `jwk`.
    BadSignature,
    /// Check 8: `htm` is not the request's method.
    WrongMethod { proof: String, request: String },
    /// Check 9: `htu` is not the request's URL.
    WrongUri { proof: String, request: String },
    /// Check 10: the receiver requires a nonce and the proof has none, or
    /// another one. Answered with `use_dpop_nonce` and a fresh nonce.
    Nonce { sent: Option<String> },
    /// Check 11: `iat` is outside the receiver's window.
    Stale { iat: u64, now: u64 },
    /// Check 12: `ath` is missing or is not the hash of the token presented.
    WrongAth,
    /// Section 11.1: this `jti` was seen before.
    Replayed(String),
}

impl ProofError {
    /// The error code it is answered with: `use_dpop_nonce` for a nonce
    /// (RFC 9449 sections 8 and 9), `invalid_dpop_proof` for the rest
    /// (sections 5 and 7.1).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Nonce { .. } => ErrorCode::UseDpopNonce,
            _ => ErrorCode::InvalidDpopProof,
        }
    }
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::HeaderCount(0) => f.write_str("the request has no DPoP header"),
            Self::HeaderCount(n) => {
                write!(
                    f,
                    "the request has {n} DPoP headers; exactly one is allowed"
                )
            }
            Self::Malformed(why) => write!(f, "the DPoP proof is not a signed JWT: {why}"),
            Self::Missing(what) => write!(f, "the DPoP proof has no \"{what}\""),
            Self::WrongTyp(typ) => {
                write!(f, "the DPoP proof's typ is \"{typ}\", not \"{PROOF_TYP}\"")
            }
            Self::UnsupportedAlg(alg) => write!(
                f,
                "the DPoP proof is signed with \"{alg}\"; this server accepts {PROOF_ALG}"
            ),
            Self::PrivateKeyInJwk => {
                f.write_str("the DPoP proof's jwk header carries the private key (\"d\")")
            }
            Self::BadJwk(why) => write!(f, "the DPoP proof's jwk header: {why}"),
            Self::BadSignature => {
                f.write_str("the DPoP proof's signature does not verify with its jwk")
            }
            Self::WrongMethod { proof, request } => write!(
                f,
                "the DPoP proof's htm is \"{proof}\" but the request is a {request}"
            ),
            Self::WrongUri { proof, request } => write!(
                f,
                "the DPoP proof's htu is \"{proof}\" but the request goes to \"{request}\""
            ),
            Self::Nonce { sent: None } => f.write_str(
                "the server requires a nonce in the DPoP proof: use the DPoP-Nonce it sent",
            ),
            Self::Nonce { sent: Some(nonce) } => write!(
                f,
                "the DPoP proof's nonce \"{nonce}\" is not the current one: use the DPoP-Nonce sent"
            ),
            Self::Stale { iat, now } if iat < now => write!(
                f,
                "the DPoP proof was made {} s ago (iat {iat}); proofs are accepted for {IAT_WINDOW} s",
                now - iat
            ),
            Self::Stale { iat, now } => write!(
                f,
                "the DPoP proof is dated {} s in the future (iat {iat})",
                iat - now
            ),
            Self::WrongAth => f.write_str(
                "the DPoP proof's ath is not the SHA-256 hash of the access token presented",
            ),
            Self::Replayed(jti) => {
                write!(f, "the DPoP proof with jti \"{jti}\" was already used")
            }
        }
    }
}

impl std::error::Error for ProofError {}

/// The values of a request's `DPoP` headers: a valid request has exactly
/// one (RFC 9449 section 4.3, check 1).
pub fn proofs_in(request: &crate::http::Request) -> Vec<&str> {
    request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("DPoP"))
        .map(|(_, value)| value)
        .collect()
}

/// Checks `proof`, the value of the request's one `DPoP` header, against
/// the request (RFC 9449 section 4.3, checks 2 to 12; check 1, one header,
/// is the caller's, as is recording the `jti`).
pub fn check_proof(proof: &str, context: &ProofContext<'_>) -> Result<ValidProof, ProofError> {
    check(proof, context, true)
}

/// [`check_proof`] without check 9, that `htu` is the request's URL: what
/// a flawed receiver does, for the attack lab to show a proof used for
/// another URL. Never what a receiver should do (RFC 9449 section 4.3).
pub fn check_proof_ignoring_htu(
    proof: &str,
    context: &ProofContext<'_>,
) -> Result<ValidProof, ProofError> {
    check(proof, context, false)
}

fn check(
    proof: &str,
    context: &ProofContext<'_>,
    checks_htu: bool,
) -> Result<ValidProof, ProofError> {
    // Check 2: a well-formed JWS in compact form.
    let parts: Vec<&str> = proof.trim().split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err(ProofError::Malformed(format!(
            "it has {} parts separated by dots, not 3",
            parts.len()
        )));
    };
    let header = json_part(header, "header")?;
    let claims = json_part(claims, "claims")?;

    // Checks 3 to 5: the header.
    let typ = string(&header, "typ")?;
    // Media types compare case-insensitively, with or without "application/".
    if !crate::jose::media_type_is(typ, PROOF_TYP) {
        return Err(ProofError::WrongTyp(typ.to_owned()));
    }
    let alg = string(&header, "alg")?;
    if alg != PROOF_ALG {
        return Err(ProofError::UnsupportedAlg(alg.to_owned()));
    }
    let jwk = header.get("jwk").ok_or(ProofError::Missing("jwk"))?;
    // Check 7, before the key is used.
    if jwk.get("d").is_some() {
        return Err(ProofError::PrivateKeyInJwk);
    }
    // Check 6: the signature, with the key the proof carries.
    let input_len = proof.trim().len() - parts[2].len() - 1;
    (context.es256.verify)(jwk, &proof.trim().as_bytes()[..input_len], signature).map_err(
        |error| match error {
            Es256Error::BadJwk(why) => ProofError::BadJwk(why),
            Es256Error::BadSignature => ProofError::BadSignature,
        },
    )?;

    // Checks 3, 8 and 9: the claims about the request.
    let jti = string(&claims, "jti")?;
    let htm = string(&claims, "htm")?;
    if htm != context.method.as_str() {
        return Err(ProofError::WrongMethod {
            proof: htm.to_owned(),
            request: context.method.as_str().to_owned(),
        });
    }
    let proof_htu = string(&claims, "htu")?;
    let request_htu = htu(context.url);
    if checks_htu
        && Url::parse(proof_htu).map(|url| htu(&url)).as_deref() != Ok(request_htu.as_str())
    {
        return Err(ProofError::WrongUri {
            proof: proof_htu.to_owned(),
            request: request_htu,
        });
    }

    // Check 10: the nonce, when the receiver requires one.
    if let Some(expected) = context.nonce {
        let sent = claims.get("nonce").and_then(Value::as_str);
        if sent != Some(expected) {
            return Err(ProofError::Nonce {
                sent: sent.map(str::to_owned),
            });
        }
    }

    // Check 11: made just now.
    let iat = claims
        .get("iat")
        .ok_or(ProofError::Missing("iat"))?
        .as_u64()
        .ok_or_else(|| ProofError::Malformed("iat is not a whole number of seconds".into()))?;
    if iat.abs_diff(context.now.0) > IAT_WINDOW {
        return Err(ProofError::Stale {
            iat,
            now: context.now.0,
        });
    }

    // Check 12: at the API, the hash of the token the request presents.
    if let Some(token) = context.access_token {
        let ath = claims.get("ath").and_then(Value::as_str);
        if ath != Some(access_token_hash(token).as_str()) {
            return Err(ProofError::WrongAth);
        }
    }

    Ok(ValidProof {
        jkt: thumbprint(jwk).map_err(ProofError::BadJwk)?,
        jti: jti.to_owned(),
        iat: UnixTime(iat),
    })
}

/// The proofs a receiver has accepted, by `jti`, for as long as their
/// `iat` is within the window: a proof seen again is a replay (RFC 9449
/// section 11.1). Older entries are dropped, since `check_proof` refuses
/// their proofs as stale anyway.
#[derive(Debug, Clone, Default)]
pub struct SeenProofs(Vec<(String, UnixTime)>);

impl SeenProofs {
    /// Records `proof`, or refuses it if its `jti` was seen before.
    pub fn record(&mut self, proof: &ValidProof, now: UnixTime) -> Result<(), ProofError> {
        self.0
            .retain(|(_, iat)| iat.0.saturating_add(IAT_WINDOW) >= now.0);
        if self.0.iter().any(|(jti, _)| *jti == proof.jti) {
            return Err(ProofError::Replayed(proof.jti.clone()));
        }
        self.0.push((proof.jti.clone(), proof.iat));
        Ok(())
    }
}

fn json_part(part: &str, name: &str) -> Result<Map<String, Value>, ProofError> {
    let bytes = b64_decode(part)
        .map_err(|_| ProofError::Malformed(format!("the {name} is not base64url")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(ProofError::Malformed(format!(
            "the {name} is not a JSON object"
        ))),
    }
}

fn string<'v>(object: &'v Map<String, Value>, name: &'static str) -> Result<&'v str, ProofError> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or(ProofError::Missing(name))
}
