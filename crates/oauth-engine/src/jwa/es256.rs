//! The ES256 functions the protocol's extensions are given
//! ([`Es256`](crate::es256::Es256)), made of this module's P-256 code: one
//! copy of the curve arithmetic serves the JWT debugger and the simulated
//! DPoP and `private_key_jwt`.

use p256::ecdsa::signature::Signer;
use serde_json::Value;

use super::ec::{self, EcCurve, EcPrivateKey};
use super::key::Key;
use crate::es256::{Es256, Es256Error};
use crate::jose::b64_decode;

/// ES256 with the debugger's P-256 code.
pub const ES256: Es256 = Es256 {
    public_jwk,
    sign,
    verify,
};

fn private_key(d: &[u8]) -> Option<EcPrivateKey> {
    ec::private_from_scalar(EcCurve::P256, d).ok()
}

fn public_jwk(d: &[u8]) -> Option<Value> {
    Some(Key::EcPublic(private_key(d)?.public_key()).to_jwk())
}

fn sign(d: &[u8], input: &[u8]) -> Option<Vec<u8>> {
    match private_key(d)? {
        EcPrivateKey::P256(key) => key
            .try_sign(input)
            .ok()
            .map(|signature: p256::ecdsa::Signature| signature.to_bytes().to_vec()),
        _ => None,
    }
}

fn verify(jwk: &Value, input: &[u8], signature: &str) -> Result<(), Es256Error> {
    let member = |name: &str| jwk.get(name).and_then(Value::as_str);
    let not_p256 =
        || Es256Error::BadJwk("it is not an EC key on P-256 (kty \"EC\", crv \"P-256\")".into());
    if member("kty") != Some("EC") || member("crv") != Some("P-256") {
        return Err(not_p256());
    }
    let key = match Key::from_jwk(jwk).map_err(|error| Es256Error::BadJwk(error.to_string()))? {
        Key::EcPublic(key) => key,
        Key::EcPrivate(key) => key.public_key(),
        _ => return Err(not_p256()),
    };
    let signature = b64_decode(signature).map_err(|_| Es256Error::BadSignature)?;
    key.verify(input, &signature)
        .map_err(|_| Es256Error::BadSignature)
}
