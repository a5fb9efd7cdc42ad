//! Reading pasted JWTs: every malformed input gets its own message, and the
//! claims are explained. Nothing here verifies signatures.

use oauth_engine::clock::UnixTime;
use oauth_engine::jose::b64_encode;
use oauth_engine::json::JsonObject;
use oauth_engine::jwt::{
    DecodeError, Decoded, Payload, Segment, Warning, claim_info, decode, duration, relative, utc,
    warnings,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// RFC 7515 appendix A.1 (CR LF inside its header and payload).
const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn token(header: &str, payload: &str) -> String {
    format!("{}.{}.c2ln", b64_encode(header), b64_encode(payload))
}

fn claims(decoded: &Decoded) -> &JsonObject {
    match decoded {
        Decoded::Signed {
            payload: Payload::Claims(claims),
            ..
        } => claims,
        other => panic!("no claims in {other:?}"),
    }
}

#[test]
fn rfc7515_a1_decodes_with_its_claims() {
    let decoded = decode(A1).unwrap();
    assert_eq!(claims(&decoded).get("iss"), Some(&"joe".into()));
    assert_eq!(claims(&decoded).get("exp"), Some(&1_300_819_380.into()));
}

#[test]
fn pasted_extras_are_tolerated() {
    for pasted in [
        format!("  {A1}\n"),
        format!("Bearer {A1}"),
        format!("\"{A1}\""),
    ] {
        assert!(decode(&pasted).is_ok(), "{pasted:?}");
    }
}

#[test]
fn rfc7519_7_2_wrong_part_counts_are_named() {
    assert_eq!(decode(""), Err(DecodeError::Empty));
    assert_eq!(decode("abc"), Err(DecodeError::WrongSegmentCount(1)));
    assert_eq!(decode("a.b.c.d"), Err(DecodeError::WrongSegmentCount(4)));
    assert_eq!(
        decode("a.b").unwrap_err().to_string(),
        "A JWT has 3 parts separated by dots (an encrypted one, 5); this has 2."
    );
}

#[test]
fn rfc7516_a_five_part_token_is_recognised_as_encrypted() {
    let header = b64_encode(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#);
    let decoded = decode(&format!("{header}.a.b.c.d")).unwrap();
    let Decoded::Encrypted { header } = decoded else {
        panic!("not a JWE")
    };
    assert_eq!(header.get("enc"), Some(&"A256GCM".into()));
}

#[test]
fn rfc7515_2_a_bad_base64url_character_is_located() {
    let bad = A1.replacen('.', ".ab+c", 1);
    assert_eq!(
        decode(&bad),
        Err(DecodeError::NotBase64Url {
            segment: Segment::Payload,
            character: '+',
            position: 3
        })
    );
    assert!(
        decode(&bad)
            .unwrap_err()
            .to_string()
            .contains("base64url uses '-' and '_'")
    );
    let padded = format!("{A1}=");
    let message = decode(&padded).unwrap_err().to_string();
    assert!(
        message.starts_with("The signature has '=' at position 44"),
        "{message}"
    );
    assert!(message.contains("JWTs drop base64 padding"));
}

#[test]
fn a_truncated_segment_is_reported() {
    let cut = format!("{}.e30.c2ln", &b64_encode(r#"{"alg":"HS256"}"#)[..5]);
    assert_eq!(
        decode(&cut),
        Err(DecodeError::TruncatedBase64Url {
            segment: Segment::Header
        })
    );
}

#[test]
fn rfc4648_3_5_a_last_character_with_spare_bits_set_is_named() {
    // "e30" is "{}"; its last character carries 2 spare bits, zero in "0"
    // and not in "1".
    assert_eq!(decode("e30.e30.c2ln").map(|_| ()), Ok(()));
    let error = decode("e31.e30.c2ln").unwrap_err();
    assert_eq!(
        error,
        DecodeError::NonZeroPaddingBits {
            segment: Segment::Header,
            character: '1'
        }
    );
    assert!(error.to_string().starts_with(
        "The header ends in '1', which no base64url encoder writes last: its spare bits must be zero"
    ));
    // Four characters leave no spare bits.
    assert!(decode("e30.e30.c2lp").is_ok());
    assert_eq!(
        decode("e30.e30.c2m").unwrap_err(),
        DecodeError::NonZeroPaddingBits {
            segment: Segment::Signature,
            character: 'm'
        }
    );
}

#[test]
fn json_errors_say_where() {
    let error = decode(&token("{\"alg\":\n \"HS256\",}", "{}")).unwrap_err();
    assert!(
        matches!(
            error,
            DecodeError::NotJson {
                segment: Segment::Header,
                line: 2,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("The header is not valid JSON: trailing comma at line 2, column")
    );
    assert_eq!(
        decode(&token("[1]", "{}")),
        Err(DecodeError::NotAnObject {
            segment: Segment::Header
        })
    );
}

#[test]
fn a_payload_that_is_not_json_is_shown_as_text() {
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, "<script>alert(1)</script>")).unwrap();
    let Decoded::Signed {
        payload: Payload::Text(text),
        ..
    } = decoded
    else {
        panic!()
    };
    assert_eq!(text, "<script>alert(1)</script>");
}

#[test]
fn claims_have_meanings_and_sources() {
    assert_eq!(
        claim_info("exp").unwrap().defined_in,
        "RFC 7519 section 4.1.4"
    );
    assert!(claim_info("exp").unwrap().is_time);
    assert!(
        claim_info("at_hash")
            .unwrap()
            .meaning
            .contains("access token")
    );
    assert!(claim_info("made_up").is_none());
}

const NOW: UnixTime = UnixTime(1_767_225_600); // 2026-01-01T00:00:00Z

fn warnings_for(header: &str, payload: &str, skew: u64) -> Vec<Warning> {
    warnings(&decode(&token(header, payload)).unwrap(), NOW, skew)
}

#[test]
fn rfc8725_2_1_alg_none_is_flagged() {
    let found = warnings_for(r#"{"alg":"none"}"#, r#"{"aud":"x","exp":1767225900}"#, 0);
    assert_eq!(found, [Warning::AlgNone]);
}

#[test]
fn rfc7519_4_1_4_expiry_and_its_absence_are_flagged_with_skew() {
    let h = r#"{"alg":"RS256"}"#;
    assert_eq!(
        warnings_for(h, r#"{"aud":"x","exp":1767225000}"#, 0),
        [Warning::Expired { ago: 600 }]
    );
    // Within the allowed clock skew: not expired yet.
    assert_eq!(warnings_for(h, r#"{"aud":"x","exp":1767225500}"#, 120), []);
    assert_eq!(warnings_for(h, r#"{"aud":"x"}"#, 0), [Warning::NoExpiry]);
}

#[test]
fn rfc7519_4_1_5_and_4_1_6_future_nbf_and_iat_are_flagged() {
    let found = warnings_for(
        r#"{"alg":"RS256"}"#,
        r#"{"aud":"x","exp":1767229200,"nbf":1767226200,"iat":1767226200}"#,
        60,
    );
    assert_eq!(
        found,
        [
            Warning::NotYetValid { in_seconds: 600 },
            Warning::IssuedInTheFuture { in_seconds: 600 }
        ]
    );
}

#[test]
fn long_lifetimes_and_missing_audience_are_flagged() {
    let found = warnings_for(
        r#"{"alg":"RS256"}"#,
        r#"{"iat":1767225600,"exp":1769817600}"#,
        0,
    );
    assert_eq!(
        found,
        [
            Warning::LongLifetime { seconds: 2_592_000 },
            Warning::NoAudience
        ]
    );
    assert_eq!(
        found[0].to_string(),
        "Valid for 30 days: a stolen token stays useful that long."
    );
}

#[test]
fn rfc7515_4_and_rfc7519_4_duplicate_names_are_flagged_and_the_last_counts() {
    let found = warnings_for(
        r#"{"alg":"RS256","kid":"a","kid":"b"}"#,
        r#"{"sub":"alice","aud":"x","exp":1767225900,"sub":"mallory"}"#,
        0,
    );
    assert_eq!(
        found,
        [
            Warning::DuplicateNames {
                segment: Segment::Header,
                names: vec!["kid".into()]
            },
            Warning::DuplicateNames {
                segment: Segment::Payload,
                names: vec!["sub".into()]
            },
        ]
    );
    assert!(found[1].to_string().starts_with(
        "The payload names \"sub\" more than once. Names must be unique: a library must reject"
    ));
    let Ok(Decoded::Signed {
        header,
        payload: Payload::Claims(claims),
    }) = decode(&token(
        r#"{"alg":"RS256","kid":"a","kid":"b"}"#,
        r#"{"sub":"alice","sub":"mallory"}"#,
    ))
    else {
        panic!("not decoded");
    };
    assert_eq!(header.get("kid"), Some(&"b".into()));
    assert_eq!(claims.get("sub"), Some(&"mallory".into()));
}

#[test]
fn thousands_of_repeated_names_make_one_short_warning() {
    // 25,000 names, each twice: a pasted megabyte can hold that many, and
    // finding them must not freeze the page.
    let members: Vec<String> = (0..50_000).map(|i| format!("\"c{}\":{i}", i / 2)).collect();
    let payload = format!("{{{}}}", members.join(","));
    let found = warnings_for(r#"{"alg":"HS256"}"#, &payload, 0);
    let Some(Warning::DuplicateNames { segment, names }) = found.first() else {
        panic!("no duplicate warning: {found:?}");
    };
    assert_eq!((*segment, names.len()), (Segment::Payload, 25_000));
    assert_eq!(&names[..2], ["c0", "c1"]);
    assert!(
        found[0].to_string().starts_with(
            "The payload names \"c0\", \"c1\", \"c2\" and 24997 others more than once."
        )
    );
    let two = Warning::DuplicateNames {
        segment: Segment::Header,
        names: vec!["kid".into(), "alg".into()],
    };
    assert!(
        two.to_string()
            .starts_with("The header names \"kid\" and \"alg\" more than once.")
    );
}

#[test]
fn claims_and_header_keep_the_order_the_token_writes_them_in() {
    let Ok(Decoded::Signed {
        header,
        payload: Payload::Claims(claims),
    }) = decode(&token(
        r#"{"typ":"at+jwt","alg":"RS256","kid":"k"}"#,
        r#"{"sub":"alice","iss":"https://as","aud":"api","exp":1767225900,"amr":["pwd"]}"#,
    ))
    else {
        panic!("not decoded");
    };
    let names = |object: &JsonObject| {
        object
            .iter()
            .map(|(name, _)| name.to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&header), ["typ", "alg", "kid"]);
    assert_eq!(names(&claims), ["sub", "iss", "aud", "exp", "amr"]);
}

#[test]
fn times_read_in_utc_and_relative_to_now() {
    assert_eq!(utc(NOW), "2026-01-01 00:00:00 UTC");
    assert_eq!(utc(UnixTime(1_300_819_380)), "2011-03-22 18:43:00 UTC");
    assert_eq!(utc(UnixTime(951_782_400)), "2000-02-29 00:00:00 UTC");
    assert_eq!(relative(NOW.plus(240), NOW), "in 4 min");
    assert_eq!(relative(UnixTime(NOW.0 - 10_800), NOW), "3 h ago");
    assert_eq!(relative(NOW, NOW), "now");
    assert_eq!(duration(59), "59 s");
}

#[test]
fn a_megabyte_of_anything_is_answered_without_panicking() {
    let big = "a".repeat(1 << 20);
    assert!(decode(&big).is_err());
    let big_token = format!(
        "{}.{}.sig",
        b64_encode(r#"{"alg":"HS256"}"#),
        "A".repeat(1 << 20)
    );
    assert!(decode(&big_token).is_ok());
    assert!(decode("\u{0}\u{1F600}.<b>.\u{202E}").is_err());
}
