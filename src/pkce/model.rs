//! What the PKCE screen computes, as plain functions of what the user typed.

use oauth_engine::form::encode_form;
use oauth_engine::pkce::{
    CodeChallenge, CodeVerifier, MAX_LEN, MIN_LEN, PkceMethod, PkceSyntaxError,
};

/// Reads the "length" field.
pub fn parse_length(text: &str) -> Result<usize, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("Enter a length from {MIN_LEN} to {MAX_LEN}."));
    }
    let length: usize = text
        .parse()
        .map_err(|_| format!("\"{text}\" is not a whole number: enter {MIN_LEN} to {MAX_LEN}."))?;
    if !(MIN_LEN..=MAX_LEN).contains(&length) {
        return Err(format!(
            "RFC 7636 section 4.1 allows {MIN_LEN} to {MAX_LEN} characters, not {length}."
        ));
    }
    Ok(length)
}

/// The authorization request's PKCE parameters, form-encoded as they are
/// appended to the `/authorize` URL (RFC 7636 section 4.3).
pub fn authorization_parameters(verifier: &CodeVerifier, method: PkceMethod) -> String {
    let challenge = verifier.challenge(method);
    encode_form(&[
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", method.as_str()),
    ])
}

/// The token request's PKCE parameter, form-encoded as it appears in the
/// POST body (RFC 7636 section 4.5).
pub fn token_parameters(verifier: &CodeVerifier) -> String {
    encode_form(&[("code_verifier", verifier.as_str())])
}

/// The outcome of comparing a pasted verifier and challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// One field or both are empty.
    Incomplete,
    /// A field breaks the RFC 7636 syntax; its message says how.
    Invalid,
    Match(PkceMethod),
    NoMatch,
}

/// Everything the checker shows: a message per field and a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub verifier_error: Option<PkceSyntaxError>,
    pub challenge_error: Option<PkceSyntaxError>,
    pub verdict: Verdict,
}

/// Compares a verifier and a challenge the way an authorization server does
/// (RFC 7636 section 4.6), under both methods.
pub fn check_pair(verifier: &str, challenge: &str) -> CheckReport {
    // An empty field is not an error yet, only unfinished.
    let parsed_verifier = (!verifier.is_empty()).then(|| CodeVerifier::parse(verifier));
    let parsed_challenge = (!challenge.is_empty()).then(|| CodeChallenge::parse(challenge));
    let verdict = match (&parsed_verifier, &parsed_challenge) {
        (Some(Ok(verifier)), Some(Ok(challenge))) => challenge
            .matching_method(verifier)
            .map_or(Verdict::NoMatch, Verdict::Match),
        (Some(Err(_)), _) | (_, Some(Err(_))) => Verdict::Invalid,
        _ => Verdict::Incomplete,
    };
    CheckReport {
        verifier_error: parsed_verifier.and_then(Result::err),
        challenge_error: parsed_challenge.and_then(Result::err),
        verdict,
    }
}

/// What to tell the learner about a verdict.
pub fn verdict_message(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Incomplete => "Enter a code_verifier and a code_challenge to compare them.",
        Verdict::Invalid => {
            "Fix the value marked above: the server would reject it with invalid_request."
        }
        Verdict::Match(PkceMethod::S256) => {
            "Match under S256: SHA-256 of this verifier, base64url-encoded, is this challenge. \
             The server would issue tokens."
        }
        Verdict::Match(PkceMethod::Plain) => {
            "Match under plain: the challenge is the verifier itself. The server would issue \
             tokens, but anyone who saw the authorization request could too."
        }
        Verdict::NoMatch => {
            "No match under S256 or plain. The server would answer invalid_grant \
             (RFC 7636 section 4.6)."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn length_field_accepts_43_to_128() {
        assert_eq!(parse_length("43"), Ok(43));
        assert_eq!(parse_length(" 128 "), Ok(128));
    }

    #[test]
    fn length_field_explains_each_mistake() {
        assert_eq!(
            parse_length(""),
            Err("Enter a length from 43 to 128.".into())
        );
        assert_eq!(
            parse_length("4.5"),
            Err("\"4.5\" is not a whole number: enter 43 to 128.".into())
        );
        assert_eq!(
            parse_length("42"),
            Err("RFC 7636 section 4.1 allows 43 to 128 characters, not 42.".into())
        );
        assert!(parse_length("99999999999999999999999").is_err());
    }

    #[test]
    fn rfc7636_4_3_authorization_request_carries_challenge_and_method() {
        let verifier = CodeVerifier::parse(VERIFIER).unwrap();
        assert_eq!(
            authorization_parameters(&verifier, PkceMethod::S256),
            format!("code_challenge={CHALLENGE}&code_challenge_method=S256")
        );
        assert_eq!(
            authorization_parameters(&verifier, PkceMethod::Plain),
            format!("code_challenge={VERIFIER}&code_challenge_method=plain")
        );
    }

    #[test]
    fn rfc7636_4_5_token_request_carries_the_verifier_form_encoded() {
        let verifier = CodeVerifier::parse(VERIFIER).unwrap();
        assert_eq!(
            token_parameters(&verifier),
            format!("code_verifier={VERIFIER}")
        );
        let tilde = CodeVerifier::parse(&"~".repeat(43)).unwrap();
        assert_eq!(
            token_parameters(&tilde),
            format!("code_verifier={}", "%7E".repeat(43))
        );
    }

    #[test]
    fn checker_reports_the_matching_method() {
        assert_eq!(
            check_pair(VERIFIER, CHALLENGE).verdict,
            Verdict::Match(PkceMethod::S256)
        );
        assert_eq!(
            check_pair(VERIFIER, VERIFIER).verdict,
            Verdict::Match(PkceMethod::Plain)
        );
        assert_eq!(
            check_pair(VERIFIER, &"A".repeat(43)).verdict,
            Verdict::NoMatch
        );
    }

    #[test]
    fn checker_waits_for_both_fields() {
        let report = check_pair("", CHALLENGE);
        assert_eq!(report.verdict, Verdict::Incomplete);
        assert_eq!(report.verifier_error, None);
    }

    #[test]
    fn checker_names_the_broken_field() {
        let report = check_pair("too short", CHALLENGE);
        assert_eq!(report.verdict, Verdict::Invalid);
        assert!(report.verifier_error.is_some());
        assert_eq!(report.challenge_error, None);

        let report = check_pair(VERIFIER, &format!("{CHALLENGE}="));
        assert_eq!(report.verdict, Verdict::Invalid);
        assert!(
            report
                .challenge_error
                .unwrap()
                .to_string()
                .contains("'=' at position 44")
        );
    }
}
