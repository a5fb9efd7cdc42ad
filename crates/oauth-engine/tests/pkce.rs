//! RFC 7636 rules, one named test each. Runs natively and, through
//! wasm-bindgen-test, in headless Chromium.

use oauth_engine::pkce::{
    CodeChallenge, CodeVerifier, DEFAULT_LEN, GenerateError, MAX_LEN, MIN_LEN, PkceMethod,
    PkceParam, PkceSyntaxError, SyntaxProblem, entropy_bits, random_bytes_for,
};
use oauth_engine::rng::{RandomnessUnavailable, Rng, SeededRng};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const APPENDIX_B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const APPENDIX_B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn problem_of(value: &str) -> SyntaxProblem {
    CodeVerifier::parse(value).unwrap_err().problem
}

#[test]
fn rfc7636_appendix_b_s256_challenge() {
    let verifier = CodeVerifier::parse(APPENDIX_B_VERIFIER).unwrap();
    assert_eq!(
        verifier.challenge(PkceMethod::S256).as_str(),
        APPENDIX_B_CHALLENGE
    );
}

#[test]
fn rfc7636_4_2_plain_challenge_is_the_verifier() {
    let verifier = CodeVerifier::parse(APPENDIX_B_VERIFIER).unwrap();
    assert_eq!(
        verifier.challenge(PkceMethod::Plain).as_str(),
        APPENDIX_B_VERIFIER
    );
}

#[test]
fn rfc7636_4_1_verifier_of_42_characters_is_too_short() {
    let value = &APPENDIX_B_VERIFIER[..42];
    assert_eq!(problem_of(value), SyntaxProblem::TooShort { length: 42 });
}

#[test]
fn rfc7636_4_1_verifier_of_43_and_128_characters_is_accepted() {
    assert!(CodeVerifier::parse(&"a".repeat(MIN_LEN)).is_ok());
    assert!(CodeVerifier::parse(&"~".repeat(MAX_LEN)).is_ok());
}

#[test]
fn rfc7636_4_1_verifier_of_129_characters_is_too_long() {
    assert_eq!(
        problem_of(&"a".repeat(129)),
        SyntaxProblem::TooLong { length: 129 }
    );
}

#[test]
fn rfc7636_4_1_empty_verifier_is_rejected() {
    assert_eq!(problem_of(""), SyntaxProblem::Empty);
}

#[test]
fn rfc7636_4_1_all_unreserved_characters_are_allowed() {
    let value = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    assert!(CodeVerifier::parse(value).is_ok());
}

#[test]
fn rfc7636_4_1_invalid_character_is_named_with_its_position() {
    let mut value = "a".repeat(50);
    value.replace_range(9..10, "+");
    value.replace_range(19..20, "/");
    assert_eq!(
        problem_of(&value),
        SyntaxProblem::InvalidCharacter {
            character: '+',
            position: 10,
            others: 1
        }
    );
}

#[test]
fn rfc7636_4_1_position_counts_characters_not_bytes() {
    let value = format!("éé{}", "a".repeat(50));
    assert_eq!(
        problem_of(&value),
        SyntaxProblem::InvalidCharacter {
            character: 'é',
            position: 1,
            others: 1
        }
    );
}

#[test]
fn rfc7636_4_1_invalid_character_is_reported_before_length() {
    // "abc def" is both too short and has a space: the space is the more
    // useful thing to point at.
    assert!(matches!(
        problem_of("abc def"),
        SyntaxProblem::InvalidCharacter {
            character: ' ',
            position: 4,
            others: 0
        }
    ));
}

#[test]
fn messages_name_the_parameter_the_rule_and_the_fix() {
    let short = CodeVerifier::parse("abc").unwrap_err().to_string();
    assert_eq!(
        short,
        "code_verifier is too short: 3 characters, but RFC 7636 section 4.1 requires at least 43"
    );

    let padded = format!("{APPENDIX_B_CHALLENGE}=");
    let message = CodeChallenge::parse(&padded).unwrap_err().to_string();
    assert!(message.starts_with("code_challenge has '=' at position 44, which is not allowed."));
    assert!(message.contains("RFC 7636 section 4.2"));
    assert!(message.contains("drop the trailing '='"));

    let spaced = format!("{} ", APPENDIX_B_VERIFIER);
    let message = CodeVerifier::parse(&spaced).unwrap_err().to_string();
    assert!(message.contains("a space at position 44"), "{message}");

    let newline = format!("{}\n", APPENDIX_B_VERIFIER);
    let message = CodeVerifier::parse(&newline).unwrap_err().to_string();
    assert!(message.contains("a line break at position 44"), "{message}");

    let standard_base64 = format!("{}+", &APPENDIX_B_VERIFIER[..43]);
    let message = CodeVerifier::parse(&standard_base64)
        .unwrap_err()
        .to_string();
    assert!(message.contains("base64url uses '-' for '+'"), "{message}");
}

#[test]
fn rfc7636_4_2_challenge_shares_the_verifier_syntax() {
    let error = CodeChallenge::parse("short").unwrap_err();
    assert_eq!(error.param, PkceParam::CodeChallenge);
    assert_eq!(error.problem, SyntaxProblem::TooShort { length: 5 });
    assert!(CodeChallenge::parse(APPENDIX_B_CHALLENGE).is_ok());
}

#[test]
fn rfc7636_4_1_default_verifier_is_32_random_octets_base64url() {
    assert_eq!(DEFAULT_LEN, 43);
    assert_eq!(random_bytes_for(DEFAULT_LEN), 32);
    assert_eq!(entropy_bits(DEFAULT_LEN), 256);
    let verifier = CodeVerifier::generate(DEFAULT_LEN, &mut SeededRng::new(1)).unwrap();
    assert_eq!(verifier.as_str().len(), 43);
}

#[test]
fn rfc7636_4_1_generated_verifiers_are_valid_at_every_length() {
    let mut rng = SeededRng::new(99);
    for length in MIN_LEN..=MAX_LEN {
        let verifier = CodeVerifier::generate(length, &mut rng).unwrap();
        assert_eq!(verifier.as_str().len(), length);
        assert!(CodeVerifier::parse(verifier.as_str()).is_ok());
        // Every character carries random bits: never more claimed than drawn.
        assert!(entropy_bits(length) <= random_bytes_for(length) * 8);
        assert!(entropy_bits(length) >= 256);
    }
}

#[test]
fn rfc7636_4_1_generation_refuses_lengths_outside_43_to_128() {
    let mut rng = SeededRng::new(0);
    let error = CodeVerifier::generate(42, &mut rng).unwrap_err();
    assert!(matches!(
        error,
        GenerateError::Length(PkceSyntaxError {
            problem: SyntaxProblem::TooShort { length: 42 },
            ..
        })
    ));
    let error = CodeVerifier::generate(129, &mut rng).unwrap_err();
    assert!(matches!(
        error,
        GenerateError::Length(PkceSyntaxError {
            problem: SyntaxProblem::TooLong { length: 129 },
            ..
        })
    ));
}

/// A random source that always fails, like a browser without
/// `crypto.getRandomValues`.
struct BrokenRng;

impl Rng for BrokenRng {
    fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        Err(RandomnessUnavailable(
            "crypto.getRandomValues is missing".into(),
        ))
    }
}

#[test]
fn generation_without_randomness_fails_instead_of_making_a_weak_verifier() {
    let error = CodeVerifier::generate(DEFAULT_LEN, &mut BrokenRng).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no secure random source is available: crypto.getRandomValues is missing"
    );
}

#[test]
fn generated_verifiers_differ_between_draws() {
    let mut rng = SeededRng::new(5);
    let a = CodeVerifier::generate(DEFAULT_LEN, &mut rng).unwrap();
    let b = CodeVerifier::generate(DEFAULT_LEN, &mut rng).unwrap();
    assert_ne!(a, b);
}

#[test]
fn rfc7636_4_6_server_accepts_the_right_verifier_only() {
    let verifier = CodeVerifier::parse(APPENDIX_B_VERIFIER).unwrap();
    let challenge = CodeChallenge::parse(APPENDIX_B_CHALLENGE).unwrap();
    assert!(challenge.is_satisfied_by(&verifier, PkceMethod::S256));
    assert!(!challenge.is_satisfied_by(&verifier, PkceMethod::Plain));

    let other = CodeVerifier::generate(DEFAULT_LEN, &mut SeededRng::new(3)).unwrap();
    assert!(!challenge.is_satisfied_by(&other, PkceMethod::S256));
}

#[test]
fn matching_method_reports_which_transform_links_the_pair() {
    let verifier = CodeVerifier::parse(APPENDIX_B_VERIFIER).unwrap();
    let s256 = CodeChallenge::parse(APPENDIX_B_CHALLENGE).unwrap();
    let plain = CodeChallenge::parse(APPENDIX_B_VERIFIER).unwrap();
    let unrelated = CodeChallenge::parse(&"x".repeat(43)).unwrap();
    assert_eq!(s256.matching_method(&verifier), Some(PkceMethod::S256));
    assert_eq!(plain.matching_method(&verifier), Some(PkceMethod::Plain));
    assert_eq!(unrelated.matching_method(&verifier), None);
}

#[test]
fn rfc7636_4_3_method_names_are_case_sensitive() {
    assert_eq!("S256".parse::<PkceMethod>(), Ok(PkceMethod::S256));
    assert_eq!("plain".parse::<PkceMethod>(), Ok(PkceMethod::Plain));
    let error = "s256".parse::<PkceMethod>().unwrap_err();
    assert!(error.to_string().contains("\"s256\" is not supported"));
    assert!("PLAIN".parse::<PkceMethod>().is_err());
}

#[test]
fn rfc7636_4_3_method_defaults_to_s256() {
    // The client default; the server's own default for a missing method
    // (plain, section 4.3) is the engine's authorization server's business.
    assert_eq!(PkceMethod::default(), PkceMethod::S256);
}

#[test]
fn verifier_debug_output_is_redacted() {
    let verifier = CodeVerifier::parse(APPENDIX_B_VERIFIER).unwrap();
    let debug = format!("{verifier:?}");
    assert!(!debug.contains(APPENDIX_B_VERIFIER));
    assert!(debug.contains("[redacted]"));
}
