//! Property tests: the PKCE parsers take whatever a user types or pastes.
#![cfg(not(target_arch = "wasm32"))]

use oauth_engine::pkce::{CodeChallenge, CodeVerifier, MAX_LEN, MIN_LEN, is_unreserved};
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
}
