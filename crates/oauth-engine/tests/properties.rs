//! Property tests on every parser that takes text from outside: whatever a
//! user types or pastes, or a request carries, they must not panic.
#![cfg(not(target_arch = "wasm32"))]

use oauth_engine::form::{decode_form, encode_form};
use oauth_engine::http::Url;
use oauth_engine::jose::VerifyingKey;
use oauth_engine::pkce::{CodeChallenge, CodeVerifier, MAX_LEN, MIN_LEN, is_unreserved};
use oauth_engine::types::Scope;
use proptest::prelude::*;

proptest! {
    /// Any text at all: no panic, and accepted exactly when RFC 7636
    /// section 4.1 says it is a verifier.
    #[test]
    fn rfc7636_4_1_parse_accepts_exactly_the_abnf(value in any::<String>()) {
        let expected = value.chars().all(is_unreserved)
            && (MIN_LEN..=MAX_LEN).contains(&value.chars().count());
        prop_assert_eq!(CodeVerifier::parse(&value).is_ok(), expected);
        prop_assert_eq!(CodeChallenge::parse(&value).is_ok(), expected);
    }

    /// Strings near the length limits, drawn from the allowed set plus a
    /// few confusable characters.
    #[test]
    fn rfc7636_4_1_messages_are_never_empty(value in "[A-Za-z0-9._~+/= -]{0,140}") {
        if let Err(error) = CodeVerifier::parse(&value) {
            prop_assert!(error.to_string().starts_with("code_verifier "));
        }
    }

    /// Any text at all decodes or fails with a located error, never panics.
    #[test]
    fn form_decoding_never_panics(text in any::<String>()) {
        let _ = decode_form(&text);
    }

    /// What the encoder writes, the decoder reads back exactly.
    #[test]
    fn form_round_trips(pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..6)) {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let decoded = decode_form(&encode_form(&borrowed)).unwrap();
        prop_assert_eq!(decoded, pairs);
    }

    /// RFC 7515 section 5.2: any text, however malformed, is refused with
    /// a reason; only a genuine signature passes.
    #[test]
    fn jws_verification_never_panics(token in "[A-Za-z0-9_.=+/-]{0,200}|.{0,64}") {
        let key = VerifyingKey::Hmac(b"key".to_vec());
        prop_assert!(key.verify(&token).is_err());
    }

    #[test]
    fn url_and_scope_parsing_never_panic(text in any::<String>()) {
        let _ = Url::parse(&text);
        let _ = Scope::parse(&text);
    }
}
