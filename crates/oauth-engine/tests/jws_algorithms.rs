//! The debugger's JWS algorithms (`jwa`) against the RFC vectors, and the
//! reasons it gives when a signature does not check out. Runs natively and
//! in headless Chromium (the property tests natively only).

use oauth_engine::jose::b64_decode;
use oauth_engine::json::JsonObject;
use oauth_engine::jwa::{Alg, Key, KeyError, KeyType, SignError, VerifyError, sign, verify};
use oauth_engine::keys::RFC7515_A2_JSON;
use oauth_engine::rng::SeededRng;
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A1_KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

fn vector(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn rfc7515_a2() -> (Key, String) {
    let vector = vector(RFC7515_A2_JSON);
    let key = Key::from_jwk(&vector["key"]).unwrap();
    (key, vector["compact"].as_str().unwrap().to_owned())
}

fn header(alg: &str) -> JsonObject {
    [("alg", Value::from(alg)), ("typ", Value::from("JWT"))]
        .into_iter()
        .collect()
}

#[test]
fn rfc7515_a_1_hs256_verifies_with_the_oct_jwk() {
    let key = Key::from_jwk(&json!({ "kty": "oct", "k": A1_KEY })).unwrap();
    assert_eq!(verify(A1_TOKEN, &key), Ok(Alg::Hs256));
}

#[test]
fn rfc7515_a_2_rs256_verifies_with_the_private_and_the_public_key() {
    let (private, compact) = rfc7515_a2();
    assert_eq!(verify(&compact, &private), Ok(Alg::Rs256));
    let vector = vector(RFC7515_A2_JSON);
    let public = json!({ "kty": "RSA", "n": vector["key"]["n"], "e": vector["key"]["e"] });
    assert_eq!(
        verify(&compact, &Key::from_jwk(&public).unwrap()),
        Ok(Alg::Rs256)
    );
}

#[test]
fn rfc7520_4_1_and_4_4_verify() {
    let rs = vector(include_str!("vectors/rfc7520/4_1.rsa_v15_signature.json"));
    let key = Key::from_jwk(&rs["input"]["key"]).unwrap();
    assert_eq!(
        verify(rs["output"]["compact"].as_str().unwrap(), &key),
        Ok(Alg::Rs256)
    );
    let hs = vector(include_str!(
        "vectors/rfc7520/4_4.hmac-sha2_integrity_protection.json"
    ));
    let key = Key::from_jwk(&hs["input"]["key"]).unwrap();
    assert_eq!(
        verify(hs["output"]["compact"].as_str().unwrap(), &key),
        Ok(Alg::Hs256)
    );
}

#[test]
fn rfc7520_4_2_ps384_verifies_and_our_own_ps384_signature_verifies_too() {
    let vector = vector(include_str!("vectors/rfc7520/4_2.rsa-pss_signature.json"));
    let key = Key::from_jwk(&vector["input"]["key"]).unwrap();
    let compact = vector["output"]["compact"].as_str().unwrap();
    assert_eq!(verify(compact, &key), Ok(Alg::Ps384));
    // PSS is randomized (RFC 7518 section 3.5): ours differs, and verifies.
    let payload = vector["input"]["payload"].as_str().unwrap();
    let ours = sign(
        &header("PS384"),
        payload.as_bytes(),
        &key,
        &mut SeededRng::new(7),
    )
    .unwrap();
    assert_ne!(ours, compact);
    assert_eq!(verify(&ours, &key), Ok(Alg::Ps384));
}

#[test]
fn rfc7520_4_3_es512_verifies_and_our_signature_verifies_too() {
    let vector = vector(include_str!("vectors/rfc7520/4_3.ecdsa_signature.json"));
    let compact = vector["output"]["compact"].as_str().unwrap();
    let key = Key::from_jwk(&vector["input"]["key"]).unwrap();
    assert_eq!(verify(compact, &key), Ok(Alg::Es512));
    // ECDSA here is deterministic (RFC 6979) and the RFC's signature was
    // made with a random nonce: ours differs and verifies all the same.
    let payload = vector["input"]["payload"].as_str().unwrap();
    let protected = vector["signing"]["protected"].as_object().unwrap();
    let header: JsonObject = protected
        .iter()
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect();
    let ours = sign(&header, payload.as_bytes(), &key, &mut SeededRng::new(7)).unwrap();
    assert_ne!(ours, compact);
    assert_eq!(verify(&ours, &key), Ok(Alg::Es512));
    let public = key.public_key().unwrap();
    assert_eq!(verify(&ours, &public), Ok(Alg::Es512));
}

#[test]
fn every_supported_algorithm_signs_what_it_verifies_and_refuses_a_changed_payload() {
    let (rsa, _) = rfc7515_a2();
    let secret = Key::Oct(b64_decode(A1_KEY).unwrap());
    let mut rng = SeededRng::new(1);
    for alg in [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    ] {
        let key = if alg.starts_with("HS") { &secret } else { &rsa };
        let token = sign(&header(alg), br#"{"sub":"alice"}"#, key, &mut rng).unwrap();
        assert_eq!(verify(&token, key).map(Alg::name), Ok(alg));
        let (head, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = format!("{head}.eyJzdWIiOiJtYWxsb3J5In0.{signature}");
        assert_eq!(verify(&forged, key), Err(VerifyError::Mismatch), "{alg}");
    }
}

#[test]
fn rfc8725_2_1_an_rs256_token_checked_with_an_hmac_secret_is_named_the_confusion_attack() {
    let (rsa, compact) = rfc7515_a2();
    let error = verify(&compact, &Key::Oct(b"the public key as a secret".to_vec())).unwrap_err();
    assert_eq!(
        error,
        VerifyError::KeyTypeMismatch {
            alg: Alg::Rs256,
            key: KeyType::Oct
        }
    );
    assert!(error.to_string().contains("algorithm confusion"));
    // And the attack itself: HS256 signed with the public key's bytes.
    let forged = sign(
        &header("HS256"),
        b"{}",
        &Key::Oct(b"public key bytes".to_vec()),
        &mut SeededRng::new(1),
    )
    .unwrap();
    assert!(matches!(
        verify(&forged, &rsa),
        Err(VerifyError::KeyTypeMismatch {
            alg: Alg::Hs256,
            key: KeyType::Rsa
        })
    ));
}

#[test]
fn rfc8725_3_1_alg_none_is_refused() {
    let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";
    assert_eq!(
        verify(token, &Key::Oct(vec![0; 32])),
        Err(VerifyError::AlgNone)
    );
}

#[test]
fn wrong_key_unknown_alg_and_short_signature_each_say_so() {
    let wrong = Key::Oct(b"not the key".to_vec());
    assert_eq!(verify(A1_TOKEN, &wrong), Err(VerifyError::Mismatch));
    // 40 of the 43 base64url characters: 30 of the 32 bytes.
    let short = &A1_TOKEN[..A1_TOKEN.len() - 3];
    assert_eq!(
        verify(short, &wrong),
        Err(VerifyError::SignatureLength {
            expected: 32,
            actual: 30
        })
    );
    let unknown = "eyJhbGciOiJIUzI1NyJ9.e30.AAAA";
    assert_eq!(
        verify(unknown, &wrong),
        Err(VerifyError::UnknownAlg("HS257".into()))
    );
    assert!(matches!(
        verify("a.b", &wrong),
        Err(VerifyError::Malformed(why)) if why.contains("this has 2")
    ));
}

#[test]
fn signing_needs_the_private_key_and_the_right_kind() {
    let vector = vector(RFC7515_A2_JSON);
    let public =
        Key::from_jwk(&json!({ "kty": "RSA", "n": vector["key"]["n"], "e": "AQAB" })).unwrap();
    let mut rng = SeededRng::new(1);
    assert_eq!(
        sign(&header("RS256"), b"{}", &public, &mut rng),
        Err(SignError::PublicKeyOnly)
    );
    assert_eq!(
        sign(&header("HS256"), b"{}", &public, &mut rng),
        Err(SignError::KeyTypeMismatch {
            alg: Alg::Hs256,
            key: KeyType::Rsa
        })
    );
}

#[test]
fn rfc7517_5_a_jwks_key_is_picked_by_kid() {
    let jwks = json!({ "keys": [
        { "kty": "oct", "kid": "a", "k": "AAAA" },
        { "kty": "oct", "kid": "b", "k": A1_KEY },
    ]});
    let key = Key::from_jwks(&jwks, Some("b")).unwrap();
    assert_eq!(verify(A1_TOKEN, &key), Ok(Alg::Hs256));
    assert_eq!(
        Key::from_jwks(&jwks, Some("c")).unwrap_err(),
        KeyError::NoKeyWithKid("c".into())
    );
    assert_eq!(
        Key::from_jwks(&jwks, None).unwrap_err(),
        KeyError::AmbiguousJwks(2)
    );
    assert_eq!(
        Key::from_jwks(&json!({ "keys": "none" }), None).unwrap_err(),
        KeyError::MissingMember("keys")
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn verify_never_panics_on_any_text(text in ".{0,300}") {
            let _ = verify(&text, &Key::Oct(vec![1; 32]));
        }

        #[test]
        fn verify_never_panics_on_three_arbitrary_parts(
            a in "[A-Za-z0-9_-]{0,40}", b in "[A-Za-z0-9_-]{0,40}", c in "[A-Za-z0-9_-]{0,600}"
        ) {
            let (rsa, _) = rfc7515_a2();
            let token = format!("{a}.{b}.{c}");
            let _ = verify(&token, &rsa);
            let _ = verify(&format!("eyJhbGciOiJQUzI1NiJ9.{b}.{c}"), &rsa);
        }

        #[test]
        fn a_jwk_of_any_shape_gives_a_key_or_an_error(n in "[A-Za-z0-9_-]{0,40}", kty in "(oct|RSA|EC|x)") {
            let _ = Key::from_jwk(&json!({ "kty": kty, "n": n, "e": "AQAB", "k": n, "d": n, "p": n, "q": n }));
        }
    }
}
