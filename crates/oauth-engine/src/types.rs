//! Newtypes for protocol values, in the manner of the `oauth2` crate: a
//! `ClientId` cannot be passed where a `RedirectUri` is expected, and a
//! secret's `Debug` output never shows the secret.

use std::collections::BTreeSet;
use std::fmt;

/// A plain protocol value: shown as it is.
macro_rules! public_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// A credential: readable through `secret()`, redacted in `Debug`, so it
/// never reaches a log by accident.
macro_rules! secret_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

public_value!(
    /// `client_id` (RFC 6749 section 2.2).
    ClientId
);
public_value!(
    /// `redirect_uri` (RFC 6749 section 3.1.2).
    RedirectUri
);
public_value!(
    /// `state` (RFC 6749 section 4.1.1): the client's CSRF token.
    State
);
public_value!(
    /// A resource owner's identifier: the `sub` claim.
    Subject
);
secret_value!(
    /// `client_secret` (RFC 6749 section 2.3.1).
    ClientSecret
);
secret_value!(
    /// `code` (RFC 6749 section 4.1.2).
    AuthorizationCode
);
secret_value!(
    /// `access_token` (RFC 6749 section 1.4).
    AccessToken
);
secret_value!(
    /// `refresh_token` (RFC 6749 section 1.5).
    RefreshToken
);

/// Compares secrets without an early exit, so the time taken does not
/// reveal how many leading bytes of a guess were right.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `scope` (RFC 6749 section 3.3): a set of case-sensitive tokens, written
/// space-separated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope(BTreeSet<String>);

impl Scope {
    /// Parses a space-separated list. RFC 6749 section 3.3 allows any
    /// printable ASCII but space, `"` and `\`; anything else is refused
    /// with the offending token.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut tokens = BTreeSet::new();
        for token in text.split(' ').filter(|token| !token.is_empty()) {
            let allowed =
                |c: char| c == '!' || ('#'..='[').contains(&c) || (']'..='~').contains(&c);
            if !token.chars().all(allowed) {
                return Err(token.to_owned());
            }
            tokens.insert(token.to_owned());
        }
        Ok(Self(tokens))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, token: &str) -> bool {
        self.0.contains(token)
    }

    /// Whether every token of `self` is in `other`.
    pub fn is_subset_of(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, token) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(token)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let token = AccessToken::new("eyJhbGciOi.secret");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(token.secret(), "eyJhbGciOi.secret");
        assert_eq!(
            format!("{:?}", ClientSecret::new("s3cret")),
            "ClientSecret([redacted])"
        );
    }

    #[test]
    fn rfc6749_3_3_scope_is_a_space_separated_set() {
        let scope = Scope::parse("read  write read").unwrap();
        assert_eq!(scope.to_string(), "read write");
        assert!(Scope::parse("read").unwrap().is_subset_of(&scope));
        assert!(!Scope::parse("admin").unwrap().is_subset_of(&scope));
        assert!(Scope::parse("").unwrap().is_empty());
    }

    #[test]
    fn rfc6749_3_3_scope_tokens_refuse_quote_and_backslash() {
        assert_eq!(Scope::parse("read \"x\"").unwrap_err(), "\"x\"");
        assert_eq!(Scope::parse("a\\b").unwrap_err(), "a\\b");
        assert_eq!(Scope::parse("café").unwrap_err(), "café");
    }

    #[test]
    fn rfc6749_3_3_scope_tokens_are_case_sensitive() {
        let scope = Scope::parse("Read").unwrap();
        assert!(!scope.contains("read"));
    }
}
