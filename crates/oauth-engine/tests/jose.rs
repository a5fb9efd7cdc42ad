//! JWS (RFC 7515) against the RFC test vectors, and the attacks a verifier
//! must refuse. Runs natively and in headless Chromium.

use oauth_engine::jose::{
    JoseError, SigningKey, VerifyingKey, b64_decode, b64_encode, is_b64url, rsa_thumbprint,
};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn vector(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn rfc7515_a2() -> Value {
    vector(oauth_engine::keys::RFC7515_A2_JSON)
}

/// RFC 7515 appendix A.1: its header and payload contain CR LF line breaks,
/// so only a verifier that hashes the received text gets this right.
const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A1_KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

fn a1_key() -> VerifyingKey {
    VerifyingKey::Hmac(b64_decode(A1_KEY).unwrap())
}

#[test]
fn rfc7515_a1_hs256_example_verifies() {
    let decoded = a1_key().verify(A1_TOKEN).unwrap();
    assert_eq!(decoded.header["alg"], "HS256");
    assert_eq!(decoded.claims().unwrap()["iss"], "joe");
}

#[test]
fn rfc7515_a1_hs256_signature_is_reproduced() {
    let key = SigningKey::Hmac(b64_decode(A1_KEY).unwrap());
    let (input, signature) = A1_TOKEN.rsplit_once('.').unwrap();
    assert_eq!(b64_encode(key.signature_for(input.as_bytes())), signature);
}

#[test]
fn rfc7515_5_2_a_changed_payload_fails_verification() {
    let mut parts: Vec<&str> = A1_TOKEN.split('.').collect();
    let forged = b64_encode(r#"{"iss":"joe","http://example.com/is_root":true,"exp":9999999999}"#);
    parts[1] = &forged;
    assert_eq!(
        a1_key().verify(&parts.join(".")),
        Err(JoseError::BadSignature)
    );
}

#[test]
fn rfc7515_a2_rs256_signature_is_reproduced_and_verifies() {
    let vector = rfc7515_a2();
    let key = SigningKey::rsa_from_jwk(&vector["key"]).unwrap();
    let compact = vector["compact"].as_str().unwrap();
    let (input, signature) = compact.rsplit_once('.').unwrap();
    // PKCS#1 v1.5 is deterministic: the same key and input give the RFC's bytes.
    assert_eq!(b64_encode(key.signature_for(input.as_bytes())), signature);
    let public = VerifyingKey::rsa_from_jwk(&vector["key"]).unwrap();
    let decoded = public.verify(compact).unwrap();
    assert_eq!(
        decoded.claims().unwrap()["http://example.com/is_root"],
        true
    );
}

#[test]
fn rfc7520_4_1_rs256_signature_is_reproduced() {
    let vector = vector(include_str!("vectors/rfc7520/4_1.rsa_v15_signature.json"));
    let key = SigningKey::rsa_from_jwk(&vector["input"]["key"]).unwrap();
    let input = vector["signing"]["sig-input"].as_str().unwrap();
    assert_eq!(
        b64_encode(key.signature_for(input.as_bytes())),
        vector["signing"]["sig"].as_str().unwrap()
    );
    let compact = vector["output"]["compact"].as_str().unwrap();
    key.verifying_key().verify(compact).unwrap();
}

#[test]
fn rfc7520_4_4_hs256_signature_is_reproduced() {
    let vector = vector(include_str!(
        "vectors/rfc7520/4_4.hmac-sha2_integrity_protection.json"
    ));
    let secret = b64_decode(vector["input"]["key"]["k"].as_str().unwrap()).unwrap();
    let key = SigningKey::Hmac(secret);
    let input = vector["signing"]["sig-input"].as_str().unwrap();
    assert_eq!(
        b64_encode(key.signature_for(input.as_bytes())),
        vector["signing"]["sig"].as_str().unwrap()
    );
    key.verifying_key()
        .verify(vector["output"]["compact"].as_str().unwrap())
        .unwrap();
}

#[test]
fn signed_tokens_carry_alg_and_kid_and_verify() {
    let key = SigningKey::rsa_from_jwk(&rfc7515_a2()["key"]).unwrap();
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "at+jwt".into());
    let token = key.sign(header, br#"{"sub":"alice"}"#);
    let decoded = key.verifying_key().verify(&token).unwrap();
    assert_eq!(decoded.header["alg"], "RS256");
    assert_eq!(decoded.header["typ"], "at+jwt");
    assert_eq!(decoded.header["kid"], key.kid().unwrap());
    assert_eq!(decoded.claims().unwrap()["sub"], "alice");
}

#[test]
fn rfc8725_2_1_hs256_token_is_refused_by_an_rsa_key() {
    // The algorithm confusion attack: sign HS256 with the RSA public key's
    // bytes as the secret and hope the verifier uses the key it is given.
    let rsa = VerifyingKey::rsa_from_jwk(&rfc7515_a2()["key"]).unwrap();
    let public_bytes = rsa.public_jwk().unwrap().to_string();
    let forged = SigningKey::Hmac(public_bytes.into_bytes()).sign(serde_json::Map::new(), b"{}");
    assert_eq!(
        rsa.verify(&forged),
        Err(JoseError::AlgMismatch {
            token: "HS256".into(),
            key: "RS256"
        })
    );
}

#[test]
fn rfc8725_2_1_alg_none_is_refused() {
    let unsigned = format!("{}.{}.", b64_encode(r#"{"alg":"none"}"#), b64_encode("{}"));
    assert_eq!(
        a1_key().verify(&unsigned),
        Err(JoseError::AlgMismatch {
            token: "none".into(),
            key: "HS256"
        })
    );
}

#[test]
fn rfc7515_7_1_malformed_compact_serializations_are_named() {
    let key = a1_key();
    assert_eq!(key.verify("a.b"), Err(JoseError::WrongNumberOfParts(2)));
    assert_eq!(
        key.verify("a.b.c.d.e"),
        Err(JoseError::WrongNumberOfParts(5))
    );
    assert_eq!(
        key.verify("eyJhbGciOiJIUzI1NiJ9=.e30.AA"),
        Err(JoseError::NotBase64Url { part: "header" })
    );
    assert_eq!(
        key.verify(&format!("{}.e30.AA", b64_encode("not json"))),
        Err(JoseError::HeaderNotJson)
    );
    assert_eq!(
        key.verify(&format!("{}.e30.AA", b64_encode("{}"))),
        Err(JoseError::MissingAlg)
    );
}

#[test]
fn rfc7517_public_jwk_round_trips_and_holds_no_private_member() {
    let key = SigningKey::rsa_from_jwk(&rfc7515_a2()["key"]).unwrap();
    let jwk = key.verifying_key().public_jwk().unwrap();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        assert!(jwk.get(private).is_none(), "public JWK leaks {private}");
    }
    assert_eq!(jwk["kid"], key.kid().unwrap());
    assert_eq!(
        VerifyingKey::rsa_from_jwk(&jwk).unwrap(),
        key.verifying_key()
    );
    assert_eq!(SigningKey::Hmac(vec![1]).verifying_key().public_jwk(), None);
}

#[test]
fn rfc7638_3_1_thumbprint_example() {
    let jwk = json!({
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB"
    });
    let VerifyingKey::Rsa(key) = VerifyingKey::rsa_from_jwk(&jwk).unwrap() else {
        unreachable!()
    };
    assert_eq!(
        rsa_thumbprint(&key),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn invalid_jwks_say_which_member_is_wrong() {
    let error = VerifyingKey::rsa_from_jwk(&json!({"kty": "RSA", "e": "AQAB"})).unwrap_err();
    assert_eq!(error, JoseError::InvalidKey("\"n\" is missing".into()));
    let error = VerifyingKey::rsa_from_jwk(&json!({"kty": "EC"})).unwrap_err();
    assert_eq!(
        error,
        JoseError::InvalidKey("\"kty\" is not \"RSA\"".into())
    );
    let error =
        VerifyingKey::rsa_from_jwk(&json!({"kty": "RSA", "n": "a+b", "e": "AQAB"})).unwrap_err();
    assert_eq!(
        error,
        JoseError::InvalidKey("\"n\" is not base64url".into())
    );
}

#[test]
fn secret_keys_are_redacted_in_debug_output() {
    assert_eq!(
        format!("{:?}", SigningKey::Hmac(b"secret".to_vec())),
        "SigningKey::Hmac([redacted])"
    );
}

/// The engine decodes base64url by hand; it must agree with the base64
/// crate's strict base64url without padding on every text up to 5
/// characters made of these: alphabet characters whose spare bits are zero
/// or not, padding, standard base64, a dot, a space and a non-ASCII letter.
/// So must its check that does not decode (`is_b64url`).
#[test]
fn b64_decode_agrees_with_the_base64_crate() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    const CHARACTERS: [char; 10] = ['A', 'B', 'Q', 'g', '_', '-', '=', '+', '.', 'é'];
    let mut texts = vec![String::new()];
    for _ in 0..5 {
        let longer: Vec<String> = texts
            .iter()
            .filter(|text| text.chars().count() == texts.last().unwrap().chars().count())
            .flat_map(|text| CHARACTERS.iter().map(move |c| format!("{text}{c}")))
            .collect();
        texts.extend(longer);
    }
    for text in &texts {
        let decoded = URL_SAFE_NO_PAD.decode(text).ok();
        assert_eq!(b64_decode(text).ok(), decoded, "{text:?}");
        assert_eq!(is_b64url(text), decoded.is_some(), "{text:?}");
    }
    for len in 0..=70 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len * 11) as u8).collect();
        assert_eq!(b64_decode(&b64_encode(&bytes)).unwrap(), bytes);
    }
}
