//! What kind of JWT the debugger holds, when it is one of those OAuth as
//! deployed now sends: a DPoP proof (RFC 9449) or a client assertion
//! (`private_key_jwt`, RFC 7523). Free of the DOM, tested natively.

use oauth_engine::dpop::{PROOF_TYP, thumbprint};
use oauth_engine::jwt::{Decoded, Payload};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// `typ` is `dpop+jwt` (RFC 9449 section 4.2). The proof carries its
    /// public key as `jwk`: the key it is verified with.
    DpopProof {
        /// The `jwk` header, pretty, as the key field takes it; `None`
        /// when the header has none.
        jwk: Option<String>,
        /// That key's RFC 7638 thumbprint, or why there is none.
        thumbprint: Result<String, String>,
    },
    /// `iss` and `sub` are the same client, with an `aud` and a `jti`
    /// (RFC 7523 section 3), and the header does not say it is something
    /// else: verified with the key the client registered.
    ClientAssertion { client_id: String },
}

/// The kind of `decoded`, if it is one of the above.
pub fn token_kind(decoded: &Decoded) -> Option<TokenKind> {
    let Decoded::Signed { header, payload } = decoded else {
        return None;
    };
    let typ = header.get("typ").and_then(Value::as_str);
    if typ.is_some_and(|typ| typ.eq_ignore_ascii_case(PROOF_TYP)) {
        let jwk = header.get("jwk");
        return Some(TokenKind::DpopProof {
            jwk: jwk.map(|jwk| serde_json::to_string_pretty(jwk).unwrap_or_default()),
            thumbprint: jwk.map_or_else(
                || Err("the header has no jwk (RFC 9449 section 4.2 requires it)".into()),
                thumbprint,
            ),
        });
    }
    // An access token (RFC 9068) or an ID token can have iss = sub only by
    // accident; their typ or their claims say what they are.
    if typ.is_some_and(|typ| !typ.eq_ignore_ascii_case("JWT")) {
        return None;
    }
    let Payload::Claims(claims) = payload else {
        return None;
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    match (text("iss"), text("sub")) {
        (Some(iss), Some(sub))
            if iss == sub && claims.get("aud").is_some() && claims.get("jti").is_some() =>
        {
            Some(TokenKind::ClientAssertion {
                client_id: iss.to_owned(),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::jwt::decode;

    fn token(header: &str, claims: &str) -> Decoded {
        use oauth_engine::jose::b64_encode;
        decode(&format!(
            "{}.{}.sig",
            b64_encode(header),
            b64_encode(claims)
        ))
        .unwrap()
    }

    /// RFC 9449 section 4.1's example proof, from the vectors.
    #[test]
    fn rfc9449_4_2_a_proof_is_recognised_with_its_keys_thumbprint() {
        let vectors: Value = serde_json::from_str(include_str!(
            "../../crates/oauth-engine/tests/vectors/rfc9449/examples.json"
        ))
        .unwrap();
        let proof = vectors["token_request"]["proof"].as_str().unwrap();
        let Some(TokenKind::DpopProof { jwk, thumbprint }) = token_kind(&decode(proof).unwrap())
        else {
            panic!("not recognised");
        };
        assert_eq!(thumbprint.unwrap(), vectors["jkt"]);
        assert!(jwk.unwrap().contains("\"crv\": \"P-256\""));
    }

    #[test]
    fn a_proof_without_its_jwk_says_why_there_is_no_thumbprint() {
        let kind = token_kind(&token(r#"{"typ":"dpop+jwt","alg":"ES256"}"#, "{}"));
        assert!(matches!(
            kind,
            Some(TokenKind::DpopProof { jwk: None, thumbprint: Err(why) }) if why.contains("no jwk")
        ));
    }

    #[test]
    fn rfc7523_3_an_assertion_is_recognised_by_iss_equal_to_sub_with_aud_and_jti() {
        let claims =
            r#"{"iss":"webapp","sub":"webapp","aud":"https://as.example","jti":"j","exp":1}"#;
        assert_eq!(
            token_kind(&token(r#"{"alg":"ES256","typ":"JWT"}"#, claims)),
            Some(TokenKind::ClientAssertion {
                client_id: "webapp".into()
            })
        );
        // An access token whose subject is the client (client credentials).
        assert_eq!(
            token_kind(&token(r#"{"alg":"RS256","typ":"at+jwt"}"#, claims)),
            None
        );
        let no_jti = r#"{"iss":"webapp","sub":"webapp","aud":"https://as.example"}"#;
        assert_eq!(token_kind(&token(r#"{"alg":"ES256"}"#, no_jti)), None);
        let user = r#"{"iss":"https://as.example","sub":"alice","aud":"x","jti":"j"}"#;
        assert_eq!(token_kind(&token(r#"{"alg":"RS256"}"#, user)), None);
    }
}
