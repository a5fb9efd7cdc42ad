//! A glossary of every parameter, JSON member and header the engine puts
//! in a trace: a one-line meaning and the RFC section that defines it, for
//! the inspector's "what is this?" beside each field.

/// One entry of the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    /// As it appears on the wire: `code_verifier`, `WWW-Authenticate`.
    pub name: &'static str,
    /// One line of plain English.
    pub meaning: &'static str,
    pub rfc: u16,
    pub section: &'static str,
}

const fn entry(
    name: &'static str,
    meaning: &'static str,
    rfc: u16,
    section: &'static str,
) -> ParamInfo {
    ParamInfo {
        name,
        meaning,
        rfc,
        section,
    }
}

/// Every entry, parameters first, then headers. Names are unique.
pub const PARAMS: &[ParamInfo] = &[
    // The authorization request (RFC 6749 section 4.1.1, RFC 7636 4.3).
    entry(
        "response_type",
        "Which grant the client starts: code for the code flow, token for the retired implicit grant.",
        6749,
        "3.1.1",
    ),
    entry(
        "client_id",
        "The client's public identifier, issued when it was registered. Not a secret.",
        6749,
        "2.2",
    ),
    entry(
        "redirect_uri",
        "Where the server sends the browser back with the result; must match a registered URI.",
        6749,
        "3.1.2",
    ),
    entry(
        "scope",
        "The access asked for or granted, as space-separated words (the consent form sends one \
         per ticked box).",
        6749,
        "3.3",
    ),
    entry(
        "state",
        "A random value the client sends and checks on return, so a forged response is refused \
         (CSRF).",
        6749,
        "4.1.1",
    ),
    entry(
        "code_challenge",
        "The hash (S256) of the client's secret code_verifier, sent up front so the code is \
         bound to this client.",
        7636,
        "4.3",
    ),
    entry(
        "code_challenge_method",
        "How code_challenge was made from the verifier: S256 (SHA-256) or plain.",
        7636,
        "4.3",
    ),
    entry(
        "nonce",
        "A value to repeat: the client's, echoed in the ID token (OIDC Core 3.1.2.1); in a DPoP \
         proof, the server's DPoP-Nonce.",
        9700,
        "2.1.1",
    ),
    // The authorization response (RFC 6749 section 4.1.2, RFC 9207).
    entry(
        "code",
        "The authorization code: short-lived, single-use, exchanged at the token endpoint for \
         tokens.",
        6749,
        "4.1.2",
    ),
    entry(
        "iss",
        "Who issued it: the server, in its response (mix-up defence) and tokens; the client, in \
         its assertion.",
        9207,
        "2",
    ),
    entry(
        "error",
        "An error code from a fixed list, such as access_denied or invalid_grant.",
        6749,
        "5.2",
    ),
    entry(
        "error_description",
        "A human-readable explanation of the error, for the developer rather than the user.",
        6749,
        "5.2",
    ),
    entry(
        "error_uri",
        "A web page with more information about the error.",
        6749,
        "5.2",
    ),
    // The simulated server's own login and consent forms. RFC 6749 section
    // 3.1 leaves how the user authenticates out of OAuth, so these are not
    // OAuth parameters and the section that says so is the one cited.
    entry(
        "transaction",
        "This simulated server's own form field, not an OAuth parameter: which pending \
         authorization request the form belongs to.",
        6749,
        "3.1",
    ),
    entry(
        "username",
        "This simulated server's own form field, not an OAuth parameter: the user's name. \
         OAuth leaves sign-in to the server.",
        6749,
        "3.1",
    ),
    entry(
        "password",
        "This simulated server's own form field, not an OAuth parameter: the user's password, \
         which the client never sees.",
        6749,
        "3.1",
    ),
    entry(
        "decision",
        "This simulated server's own form field, not an OAuth parameter: whether the user \
         approved or denied the client.",
        6749,
        "3.1",
    ),
    // The token request (RFC 6749 sections 4.1.3, 6, 2.3.1; RFC 7636 4.5).
    entry(
        "grant_type",
        "Which grant the token request uses: authorization_code, refresh_token, \
         client_credentials or a device code URN.",
        6749,
        "4.1.3",
    ),
    entry(
        "code_verifier",
        "The secret the code_challenge was made from; proves the token request comes from \
         the client that started the flow.",
        7636,
        "4.5",
    ),
    entry(
        "client_secret",
        "The confidential client's password, sent in the body instead of HTTP Basic.",
        6749,
        "2.3.1",
    ),
    entry(
        "refresh_token",
        "A long-lived credential the client trades for new access tokens without the user.",
        6749,
        "6",
    ),
    // The token response (RFC 6749 section 5.1).
    entry(
        "access_token",
        "The credential the client sends to the API; here a signed JWT (RFC 9068).",
        6749,
        "5.1",
    ),
    entry(
        "token_type",
        "How to use the access token: Bearer means whoever holds it may use it.",
        6749,
        "5.1",
    ),
    entry(
        "expires_in",
        "Seconds until the access token (or, for a device, the device code) expires.",
        6749,
        "5.1",
    ),
    entry(
        "id_token",
        "OpenID Connect: a signed JWT saying who signed in, for the client (OIDC Core 3.1.3.3).",
        7519,
        "3",
    ),
    // The device authorization grant (RFC 8628 sections 3.1 to 3.4).
    entry(
        "device_code",
        "The device's secret handle on its pending authorization, used when polling.",
        8628,
        "3.2",
    ),
    entry(
        "user_code",
        "The short code the device shows and the user types on another screen.",
        8628,
        "3.2",
    ),
    entry(
        "verification_uri",
        "The address where the user enters the user_code.",
        8628,
        "3.2",
    ),
    entry(
        "verification_uri_complete",
        "The verification address with the user_code already in it, for a QR code.",
        8628,
        "3.2",
    ),
    entry(
        "interval",
        "Seconds the device must wait between polls of the token endpoint.",
        8628,
        "3.2",
    ),
    // What the keys endpoint and the simulated API answer.
    entry(
        "keys",
        "The server's public keys (a JWK Set), used to check token signatures.",
        7517,
        "5",
    ),
    entry(
        "sub",
        "The subject: who the token or data is about.",
        7519,
        "4.1.2",
    ),
    entry(
        "name",
        "The simulated API's own data, not an OAuth parameter: the user's full name.",
        6749,
        "7",
    ),
    entry(
        "email",
        "The simulated API's own data, not an OAuth parameter: the user's email address.",
        6749,
        "7",
    ),
    entry(
        "contacts",
        "The simulated API's own data, not an OAuth parameter: the user's address book, a second \
         resource the DPoP proof replay attack reaches.",
        6749,
        "7",
    ),
    entry(
        "client",
        "The simulated API's own data: a client credentials token speaks for the client itself.",
        6749,
        "4.4",
    ),
    entry(
        "page",
        "Not OAuth: the page address an analytics script reports, location.href, fragment included.",
        9700,
        "2.1.2",
    ),
    // OAuth as deployed now: pushed requests (RFC 9126), client assertions
    // (RFC 7521, 7523), revocation (RFC 7009), introspection (RFC 7662).
    entry(
        "request_uri",
        "A one-time reference to a request the client pushed to /par: the browser carries it, not the request.",
        9126,
        "2.2",
    ),
    entry(
        "client_assertion",
        "A JWT the client signed with its private key, instead of sending a secret (private_key_jwt).",
        7523,
        "2.2",
    ),
    entry(
        "client_assertion_type",
        "What kind of client_assertion follows: urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
        7521,
        "4.2",
    ),
    entry(
        "token",
        "The token to revoke or to ask about (revocation, introspection).",
        7009,
        "2.1",
    ),
    entry(
        "token_type_hint",
        "Which kind of token the token parameter is, to help the server find it.",
        7009,
        "2.1",
    ),
    entry(
        "active",
        "Introspection's answer: true if the token is valid now; false, and nothing else, if not.",
        7662,
        "2.2",
    ),
    // JWT claims, in tokens, proofs and assertions, and as members of
    // introspection's answer (RFC 7662 section 2.2 takes them from JWT).
    entry(
        "aud",
        "Who the token is for: the APIs (or, for an assertion, the server) that should accept it.",
        7519,
        "4.1.3",
    ),
    entry(
        "exp",
        "When the token expires, in seconds since 1970.",
        7519,
        "4.1.4",
    ),
    entry(
        "iat",
        "When the token was made, in seconds since 1970.",
        7519,
        "4.1.6",
    ),
    entry(
        "jti",
        "The token's own identifier, unique, so that a receiver can refuse it a second time.",
        7519,
        "4.1.7",
    ),
    entry(
        "htm",
        "DPoP proof: the HTTP method of the one request it was made for.",
        9449,
        "4.2",
    ),
    entry(
        "htu",
        "DPoP proof: the URL, without query or fragment, of the one request it was made for.",
        9449,
        "4.2",
    ),
    entry(
        "ath",
        "DPoP proof: the SHA-256 hash of the access token sent with it, tying the two together.",
        9449,
        "4.2",
    ),
    entry(
        "cnf",
        "Confirmation: the key the token is bound to; jkt is a DPoP key's RFC 7638 thumbprint.",
        9449,
        "6.1",
    ),
    // Headers. Their names compare case-insensitively (RFC 9110 5.1).
    entry(
        "Authorization",
        "Credentials: Basic with the client's id and secret, or Bearer with an access token.",
        9110,
        "11.6.2",
    ),
    entry(
        "WWW-Authenticate",
        "Sent with a 401: which credentials are wanted and, for Bearer, what was wrong.",
        9110,
        "11.6.1",
    ),
    entry(
        "DPoP",
        "A proof, a JWT signed with the client's key, made for this request (method and URL) alone.",
        9449,
        "4",
    ),
    entry(
        "DPoP-Nonce",
        "A value the server wants in the client's next DPoP proofs, so proofs made earlier fail.",
        9449,
        "8",
    ),
    entry(
        "Location",
        "Where a redirect sends the browser; in OAuth it carries the code or error.",
        9110,
        "10.2.2",
    ),
    entry(
        "Set-Cookie",
        "Asks the browser to keep a cookie, here the authorization server's session.",
        6265,
        "4.1",
    ),
    entry(
        "Cookie",
        "The cookies the browser holds for the site it is talking to.",
        6265,
        "4.2",
    ),
    entry(
        "Referer",
        "The address of the page that made a request; can leak a code in its query.",
        9110,
        "10.1.3",
    ),
    entry(
        "Cache-Control",
        "Caching rules; no-store keeps tokens out of caches (RFC 6749 section 5.1).",
        9111,
        "5.2",
    ),
    entry(
        "Pragma",
        "The HTTP/1.0 way to say no-cache, sent with token responses for old caches.",
        9111,
        "5.4",
    ),
    entry(
        "Content-Type",
        "The format of the body: a form, JSON or an HTML page.",
        9110,
        "8.3",
    ),
    entry(
        "Content-Length",
        "The size of the body in bytes.",
        9110,
        "8.6",
    ),
    entry("Host", "The server the request is for.", 9110, "7.2"),
    entry(
        "Retry-After",
        "How many seconds to wait before trying again.",
        9110,
        "10.2.3",
    ),
    entry(
        "X-Frame-Options",
        "Forbids framing the page, so a login or consent page cannot be clickjacked.",
        7034,
        "2",
    ),
];

/// What `name` means and where it is defined. Parameter and member names
/// are case-sensitive (RFC 6749 section 3.1 compares them exactly);
/// header names are not (RFC 9110 section 5.1).
pub fn param_info(name: &str) -> Option<&'static ParamInfo> {
    PARAMS.iter().find(|info| info.name == name).or_else(|| {
        PARAMS
            .iter()
            .filter(|info| is_header(info))
            .find(|info| info.name.eq_ignore_ascii_case(name))
    })
}

/// Header names are capitalized; parameter names are lowercase.
fn is_header(info: &ParamInfo) -> bool {
    info.name.starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_name_appears_once_with_a_short_meaning_and_a_section() {
        for (index, info) in PARAMS.iter().enumerate() {
            assert!(
                PARAMS[..index].iter().all(|other| other.name != info.name),
                "{} twice",
                info.name
            );
            assert!(
                !info.meaning.is_empty() && info.meaning.len() <= 140,
                "{}",
                info.name
            );
            assert!(!info.section.is_empty() && info.rfc > 0, "{}", info.name);
        }
    }

    #[test]
    fn parameters_match_exactly_and_headers_ignore_case() {
        assert_eq!(param_info("code_verifier").map(|i| i.rfc), Some(7636));
        assert!(param_info("Code_Verifier").is_none());
        assert_eq!(
            param_info("www-authenticate").map(|i| i.name),
            Some("WWW-Authenticate")
        );
        assert!(param_info("no_such_parameter").is_none());
    }

    #[test]
    fn the_servers_own_form_fields_say_they_are_not_oauth() {
        for name in ["transaction", "username", "password", "decision"] {
            let info = param_info(name).unwrap();
            assert!(info.meaning.contains("not an OAuth parameter"), "{name}");
            assert_eq!((info.rfc, info.section), (6749, "3.1"));
        }
    }
}
