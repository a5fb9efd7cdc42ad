//! Proof Key for Code Exchange (RFC 7636).
//!
//! The client makes a one-time secret, the code verifier, and sends only a
//! transform of it, the code challenge, in the authorization request (front
//! channel). It proves possession by sending the verifier itself in the token
//! request (back channel). Whoever intercepts the authorization code without
//! the verifier cannot redeem it.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::rng::{RandomnessUnavailable, Rng};
use crate::types::constant_time_eq;

/// RFC 7636 section 4.1: "minimum length of 43 characters".
pub const MIN_LEN: usize = 43;
/// RFC 7636 section 4.1: "maximum length of 128 characters".
pub const MAX_LEN: usize = 128;
/// The verifier length RFC 7636 section 4.1 recommends: 32 random octets,
/// base64url-encoded.
pub const DEFAULT_LEN: usize = 43;

/// The characters RFC 7636 allows in a verifier or a challenge:
/// `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"` (sections 4.1 and 4.2).
pub fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// Which PKCE parameter a value is, for error messages that name the
/// parameter and the RFC section defining it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkceParam {
    CodeVerifier,
    CodeChallenge,
}

impl PkceParam {
    pub fn name(self) -> &'static str {
        match self {
            Self::CodeVerifier => "code_verifier",
            Self::CodeChallenge => "code_challenge",
        }
    }

    /// The RFC 7636 section that defines the parameter's syntax.
    pub fn rfc_section(self) -> &'static str {
        match self {
            Self::CodeVerifier => "4.1",
            Self::CodeChallenge => "4.2",
        }
    }
}

/// What is wrong with a verifier or challenge string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxProblem {
    Empty,
    TooShort {
        length: usize,
    },
    TooLong {
        length: usize,
    },
    /// The first character outside the unreserved set. `position` counts
    /// characters from 1; `others` is how many more disallowed ones follow.
    InvalidCharacter {
        character: char,
        position: usize,
        others: usize,
    },
}

/// A verifier or challenge that breaks the RFC 7636 syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceSyntaxError {
    pub param: PkceParam,
    pub problem: SyntaxProblem,
}

impl fmt::Display for PkceSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.param.name();
        let section = self.param.rfc_section();
        match &self.problem {
            SyntaxProblem::Empty => write!(f, "{name} is empty"),
            SyntaxProblem::TooShort { length } => write!(
                f,
                "{name} is too short: {length} {chars}, but RFC 7636 section {section} requires at least {MIN_LEN}",
                chars = plural(*length, "character", "characters"),
            ),
            SyntaxProblem::TooLong { length } => write!(
                f,
                "{name} is too long: {length} characters, but RFC 7636 section {section} allows at most {MAX_LEN}"
            ),
            SyntaxProblem::InvalidCharacter {
                character,
                position,
                others,
            } => {
                write!(
                    f,
                    "{name} has {what} at position {position}, which is not allowed",
                    what = describe_char(*character)
                )?;
                if *others > 0 {
                    write!(
                        f,
                        " ({others} more disallowed {chars} after it)",
                        chars = plural(*others, "character", "characters")
                    )?;
                }
                write!(
                    f,
                    ". Only A-Z, a-z, 0-9 and - . _ ~ are allowed (RFC 7636 section {section})"
                )?;
                if let Some(hint) = character_hint(*character) {
                    write!(f, ". {hint}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PkceSyntaxError {}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Names a character so that invisible ones are visible in a message.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' => "a line break".into(),
        '\r' => "a carriage return".into(),
        c if c.is_control() || c.is_whitespace() => {
            format!("the invisible character U+{:04X}", u32::from(c))
        }
        c if c.is_ascii() => format!("'{c}'"),
        c => format!("'{c}' (U+{:04X})", u32::from(c)),
    }
}

/// Advice for the mistakes people actually make.
fn character_hint(c: char) -> Option<&'static str> {
    match c {
        '=' => Some(
            "PKCE values are base64url without padding: drop the trailing '=' (RFC 7636 appendix A)",
        ),
        '+' | '/' => Some(
            "This looks like standard base64: base64url uses '-' for '+' and '_' for '/' (RFC 7636 appendix A)",
        ),
        '%' => Some("This looks URL-encoded: decode it first"),
        _ => None,
    }
}

/// Checks a verifier or challenge against the RFC 7636 syntax
/// (sections 4.1 and 4.2 share it: `43*128unreserved`).
fn check_syntax(param: PkceParam, value: &str) -> Result<(), PkceSyntaxError> {
    let error = |problem| Err(PkceSyntaxError { param, problem });
    if value.is_empty() {
        return error(SyntaxProblem::Empty);
    }
    let mut invalid = value
        .chars()
        .enumerate()
        .filter(|(_, c)| !is_unreserved(*c));
    if let Some((index, character)) = invalid.next() {
        return error(SyntaxProblem::InvalidCharacter {
            character,
            position: index + 1,
            others: invalid.count(),
        });
    }
    // Only unreserved ASCII is left, so the byte length is the character count.
    let length = value.len();
    if length < MIN_LEN {
        return error(SyntaxProblem::TooShort { length });
    }
    if length > MAX_LEN {
        return error(SyntaxProblem::TooLong { length });
    }
    Ok(())
}

/// The secret a client keeps and reveals only in the token request.
///
/// Its `Debug` output is redacted so that it never leaks through logs.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeVerifier(String);

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

impl CodeVerifier {
    /// Accepts a verifier that meets RFC 7636 section 4.1.
    pub fn parse(value: &str) -> Result<Self, PkceSyntaxError> {
        check_syntax(PkceParam::CodeVerifier, value)?;
        Ok(Self(value.to_owned()))
    }

    /// Makes a verifier of `length` characters from random bytes,
    /// base64url-encoded as RFC 7636 section 4.1 recommends. With the default
    /// length, 43, that is exactly 32 random octets.
    pub fn generate(length: usize, rng: &mut dyn Rng) -> Result<Self, GenerateError> {
        let problem = if length < MIN_LEN {
            Some(SyntaxProblem::TooShort { length })
        } else if length > MAX_LEN {
            Some(SyntaxProblem::TooLong { length })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(GenerateError::Length(PkceSyntaxError {
                param: PkceParam::CodeVerifier,
                problem,
            }));
        }
        let mut bytes = vec![0u8; random_bytes_for(length)];
        rng.fill_bytes(&mut bytes)
            .map_err(GenerateError::Randomness)?;
        let mut text = URL_SAFE_NO_PAD.encode(&bytes);
        // Base64url output is ASCII, so truncating at a byte index is safe.
        text.truncate(length);
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The challenge for this verifier under `method` (RFC 7636 section 4.2).
    pub fn challenge(&self, method: PkceMethod) -> CodeChallenge {
        match method {
            // plain: code_challenge = code_verifier
            PkceMethod::Plain => CodeChallenge(self.0.clone()),
            // S256: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))
            PkceMethod::S256 => {
                CodeChallenge(URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes())))
            }
        }
    }
}

/// Why [`CodeVerifier::generate`] made no verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateError {
    /// The requested length is outside 43 to 128.
    Length(PkceSyntaxError),
    Randomness(RandomnessUnavailable),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(error) => error.fmt(f),
            Self::Randomness(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for GenerateError {}

/// How many random bytes [`CodeVerifier::generate`] draws for a verifier of
/// `length` characters: the fewest whose base64url form is at least that long.
pub fn random_bytes_for(length: usize) -> usize {
    // n bytes encode to ceil(4n / 3) characters without padding.
    let mut bytes = length * 3 / 4;
    while (bytes * 4).div_ceil(3) < length {
        bytes += 1;
    }
    bytes
}

/// The entropy of a generated verifier of `length` characters, in bits: the
/// random bits drawn, less any that truncation to `length` dropped.
pub fn entropy_bits(length: usize) -> usize {
    (random_bytes_for(length) * 8).min(length * 6)
}

/// The value a client sends as `code_challenge`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// Accepts a challenge that meets RFC 7636 section 4.2.
    pub fn parse(value: &str) -> Result<Self, PkceSyntaxError> {
        check_syntax(PkceParam::CodeChallenge, value)?;
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `verifier` was the one this challenge was made from under
    /// `method`: the server-side check of RFC 7636 section 4.6.
    pub fn is_satisfied_by(&self, verifier: &CodeVerifier, method: PkceMethod) -> bool {
        constant_time_eq(verifier.challenge(method).0.as_bytes(), self.0.as_bytes())
    }

    /// The method under which `verifier` produces this challenge, if any.
    /// S256 is tried first: a value that matches both (impossible in practice)
    /// is reported under the stronger method.
    pub fn matching_method(&self, verifier: &CodeVerifier) -> Option<PkceMethod> {
        [PkceMethod::S256, PkceMethod::Plain]
            .into_iter()
            .find(|&method| self.is_satisfied_by(verifier, method))
    }
}

/// `code_challenge_method` (RFC 7636 section 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum PkceMethod {
    /// SHA-256; what every client capable of it must use (RFC 7636 section 4.2).
    #[default]
    S256,
    /// The challenge is the verifier itself; for constrained clients only.
    #[serde(rename = "plain")]
    Plain,
}

impl PkceMethod {
    /// The parameter value, exactly as the RFC spells it (case-sensitive).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::S256 => "S256",
            Self::Plain => "plain",
        }
    }
}

impl fmt::Display for PkceMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `code_challenge_method` the engine does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedMethod(pub String);

impl fmt::Display for UnsupportedMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "code_challenge_method \"{}\" is not supported: use \"S256\" or \"plain\" (RFC 7636 section 4.3)",
            self.0
        )
    }
}

impl std::error::Error for UnsupportedMethod {}

impl FromStr for PkceMethod {
    type Err = UnsupportedMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "S256" => Ok(Self::S256),
            "plain" => Ok(Self::Plain),
            other => Err(UnsupportedMethod(other.to_owned())),
        }
    }
}
