//! What the attack lab offers and what a run of it returns: each attack,
//! what it is, how its defence works and where the RFCs say so, and how a
//! run ended. The lowest module of `attacks/`, so that the attacks and their
//! shared moves read these types without importing the dispatch in `mod.rs`.

use crate::sim::trace::{Exchange, RfcRef};

/// An attack of the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attack {
    LoginCsrf,
    CodeInterception,
    PkceDowngrade,
    CodeReplay,
    RedirectUriManipulation,
    RefreshTokenTheft,
    MixUp,
    ImplicitLeakage,
    StolenTokenReplay,
    RequestTampering,
    DpopProofReplay,
    SecretInBundle,
    TokensInStorage,
}

impl Attack {
    pub const ALL: [Attack; 13] = [
        Self::LoginCsrf,
        Self::CodeInterception,
        Self::PkceDowngrade,
        Self::CodeReplay,
        Self::RedirectUriManipulation,
        Self::RefreshTokenTheft,
        Self::MixUp,
        Self::ImplicitLeakage,
        Self::StolenTokenReplay,
        Self::RequestTampering,
        Self::DpopProofReplay,
        Self::SecretInBundle,
        Self::TokensInStorage,
    ];

    /// Whether a run of the attack needs the code for DPoP, PAR and the
    /// rest (`sim::network::Support`): its defence is one of them.
    pub fn needs_support(self) -> bool {
        matches!(
            self,
            Self::StolenTokenReplay
                | Self::RequestTampering
                | Self::DpopProofReplay
                | Self::TokensInStorage
        )
    }

    /// The attack's name in a URL.
    pub fn slug(self) -> &'static str {
        match self {
            Self::LoginCsrf => "login-csrf",
            Self::CodeInterception => "code-interception",
            Self::PkceDowngrade => "pkce-downgrade",
            Self::CodeReplay => "code-replay",
            Self::RedirectUriManipulation => "redirect-uri",
            Self::RefreshTokenTheft => "refresh-theft",
            Self::MixUp => "mix-up",
            Self::ImplicitLeakage => "implicit-leakage",
            Self::StolenTokenReplay => "stolen-token",
            Self::RequestTampering => "request-tampering",
            Self::DpopProofReplay => "dpop-proof-replay",
            Self::SecretInBundle => "secret-in-bundle",
            Self::TokensInStorage => "tokens-in-storage",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|attack| attack.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::LoginCsrf => "Login CSRF",
            Self::CodeInterception => "Authorization code interception",
            Self::PkceDowngrade => "PKCE downgrade",
            Self::CodeReplay => "Authorization code replay",
            Self::RedirectUriManipulation => "Redirect URI manipulation",
            Self::RefreshTokenTheft => "Refresh token theft",
            Self::MixUp => "Mix-up",
            Self::ImplicitLeakage => "Implicit grant token leakage",
            Self::StolenTokenReplay => "Stolen access token replayed",
            Self::RequestTampering => "Authorization request tampered with",
            Self::DpopProofReplay => "DPoP proof replayed",
            Self::SecretInBundle => "Client secret in the bundle",
            Self::TokensInStorage => "Tokens read from localStorage by an injected script",
        }
    }

    /// How the attack works, and why the defence stops it.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::LoginCsrf => {
                "The attacker signs in with her own account and stops before her browser \
                 follows the redirect, keeping a code for her account. She then makes the \
                 victim's browser open the client's callback with that code, so the client \
                 signs the victim in as Mallory, and whatever the victim saves lands in \
                 Mallory's account. A client that sends a fresh state and checks it refuses a \
                 callback it never asked for. This client does not use PKCE, so that state is \
                 the only defence in play: with PKCE, having no verifier for this code would \
                 also make it refuse (RFC 9700 section 4.7.1)."
            }
            Self::CodeInterception => {
                "A native app receives its redirect on a private-use URI scheme, and any other \
                 app on the phone can register the same scheme. The malicious app gets the \
                 code and redeems it itself: a public client has no secret to prove who it is. \
                 With PKCE the token request needs the code_verifier, which never left the \
                 real app, so the stolen code is worthless."
            }
            Self::PkceDowngrade => {
                "The attacker sits on the way to the authorization server (a malicious \
                 extension, say) and strips code_challenge from the request, so the code that \
                 comes back is bound to nothing; then it intercepts the code as in the native \
                 app attack. A server that treats PKCE as optional goes along. A server that \
                 requires PKCE with S256 refuses the stripped request, so there is no code to \
                 steal (RFC 9700 section 4.8 describes the same flaw exploited by code \
                 injection)."
            }
            Self::CodeReplay => {
                "The code sits in the callback's address, so it ends up in the history (or a \
                 Referer). The attacker finds it after the client has used it and redeems it \
                 again; this client uses no PKCE, so nothing else ties the code to it. A server \
                 that accepts each code once refuses the replay and, as RFC 6749 advises, \
                 revokes the tokens the code already produced: it cannot tell which redemption \
                 was the attacker's."
            }
            Self::RedirectUriManipulation => {
                "The attacker sends the victim a link to the real authorization server for the \
                 real client, with its own PKCE challenge and a redirect_uri that merely starts \
                 with the registered one: https://spa.example/callback/../uploads/mallory.html. \
                 A server that matches by prefix accepts it; the browser resolves the .. and \
                 delivers the code to a page Mallory uploaded to the client's site, whose script \
                 sends it to her. With exact string matching the server shows an error page \
                 and redirects nowhere."
            }
            Self::RefreshTokenTheft => {
                "A script injected into the app reads the refresh token from the browser's \
                 storage and sends it to the attacker, who can then mint access tokens for as \
                 long as the refresh token lives. With rotation each refresh token works once: \
                 when the client presents the one the attacker already used, the server sees \
                 the reuse, revokes the whole family, and the attacker's tokens die with it."
            }
            Self::MixUp => {
                "The client works with two authorization servers and the user picks the \
                 attacker's. That server sends the browser on to the honest one, where the user \
                 signs in as usual; the code comes back to the same redirect_uri, and the \
                 client, believing it talks to the attacker's server, sends the code and its \
                 PKCE verifier to the attacker's token endpoint. PKCE cannot help: the client \
                 itself hands the verifier over. The iss parameter names the server that \
                 really answered, and a client that checks it refuses the response."
            }
            Self::ImplicitLeakage => {
                "With the implicit grant the access token arrives in the callback's fragment, \
                 where every script on the page can read it; the analytics script reports the \
                 page's address home, token included, and whoever runs or breaches that site \
                 calls the API with it. With the code flow and PKCE, the same page, script and \
                 history see only the code, which works once and only with the verifier the \
                 client kept."
            }
            Self::StolenTokenReplay => {
                "The API writes every request to its log, Authorization header included, and \
                 the attacker who reads that log copies Alice's access token and calls the API \
                 from her own machine. A bearer token works for whoever presents it. With DPoP \
                 the client signs a proof with a key it never shares, and the server binds the \
                 token to that key (cnf.jkt): presented as a bearer token it is refused, and a \
                 proof signed with the attacker's own key does not match the binding."
            }
            Self::RequestTampering => {
                "The authorization request travels through the browser, where a malicious \
                 extension can rewrite the address: the app asks for read, the extension makes \
                 it read write, Alice approves what the server shows her, and the app ends up \
                 with a token that can do more than it asked for. With PAR the app sends its \
                 request to the server over the back channel, and the address carries only a \
                 reference to it. A server that requires PAR refuses any request that was not \
                 pushed, even one the extension rebuilds from what it reads in the app's \
                 storage."
            }
            Self::DpopProofReplay => {
                "A DPoP proof travels beside the token, so whoever captures a request (a \
                 logging proxy in front of the API, say) has both and can send them again \
                 without ever holding the key. Each proof is meant for one request: its jti is \
                 new, its htu names the URL and its iat is now. An API that checks them refuses \
                 the same proof twice and a proof made for another URL; one that only checks \
                 the signature and the binding lets the attacker replay it, even against \
                 another resource."
            }
            Self::SecretInBundle => {
                "The app's build wrote its client secret into the JavaScript every visitor \
                 downloads and, trusting the secret, dropped PKCE. The attacker reads the \
                 secret, catches a code that leaks from the callback page, and redeems it as the \
                 app. A browser app is a public client with PKCE: nothing in its bundle to steal, \
                 and a stolen code is useless without the verifier."
            }
            Self::TokensInStorage => {
                "The app keeps its tokens in localStorage, where any script in the page reads \
                 them and can send them to the attacker, who refreshes as long as the refresh \
                 token lives. With DPoP they are bound to a key the app made non-extractable: \
                 the script takes the tokens, not the key, so no request from elsewhere has a \
                 valid proof."
            }
        }
    }

    /// The defence the toggle switches on.
    pub fn defence(self) -> &'static str {
        match self {
            Self::LoginCsrf => "Client sends and checks state",
            Self::CodeInterception => "Client uses PKCE (S256)",
            Self::PkceDowngrade => "Server requires PKCE with S256",
            Self::CodeReplay => "Server accepts a code once and revokes on reuse",
            Self::RedirectUriManipulation => "Server compares redirect_uri exactly",
            Self::RefreshTokenTheft => "Server rotates refresh tokens and detects reuse",
            Self::MixUp => "Client checks iss in the response",
            Self::ImplicitLeakage => "Authorization code with PKCE instead of the implicit grant",
            Self::StolenTokenReplay => "Tokens bound to the client's key (DPoP)",
            Self::RequestTampering => "Client pushes its request (PAR), server requires it",
            Self::DpopProofReplay => "API checks the proof's jti and htu",
            Self::SecretInBundle => "A public client with PKCE: no secret to ship",
            Self::TokensInStorage => "Tokens bound to a non-extractable key (DPoP)",
        }
    }

    /// The section of RFC 9700 on this attack or its defence.
    pub fn rfc9700(self) -> RfcRef {
        match self {
            Self::LoginCsrf => RfcRef::new(9700, "4.7"),
            Self::CodeInterception => RfcRef::new(9700, "2.1.1"),
            Self::PkceDowngrade => RfcRef::new(9700, "4.8"),
            Self::CodeReplay => RfcRef::new(9700, "4.3.1"),
            Self::RedirectUriManipulation => RfcRef::new(9700, "4.1"),
            Self::RefreshTokenTheft => RfcRef::new(9700, "4.14.2"),
            Self::MixUp => RfcRef::new(9700, "4.4"),
            Self::ImplicitLeakage => RfcRef::new(9700, "2.1.2"),
            Self::StolenTokenReplay => RfcRef::new(9700, "4.10.1"),
            // RFC 9700 has no section on tampering with the authorization
            // request; what the tampering yields is a token with more
            // privileges than the client asked for, against section 2.3
            // (access token privilege restriction).
            Self::RequestTampering => RfcRef::new(9700, "2.3"),
            // Replay prevention is part of what makes DPoP a
            // sender-constraining mechanism (section 4.10.1).
            Self::DpopProofReplay => RfcRef::new(9700, "4.10.1"),
            // A browser app is a public client, and public clients must
            // use PKCE.
            Self::SecretInBundle => RfcRef::new(9700, "2.1.1"),
            // Refresh tokens of public clients are sender-constrained or
            // rotated.
            Self::TokensInStorage => RfcRef::new(9700, "4.14.2"),
        }
    }

    /// Every section that bears on the attack, RFC 9700's first.
    pub fn refs(self) -> Vec<RfcRef> {
        let more: &[RfcRef] = match self {
            Self::LoginCsrf => &[RfcRef::new(9700, "4.7.1"), RfcRef::new(6749, "10.12")],
            Self::CodeInterception => &[RfcRef::new(7636, "1"), RfcRef::new(8252, "8.1")],
            Self::PkceDowngrade => &[RfcRef::new(9700, "4.8.2"), RfcRef::new(7636, "4.4.1")],
            Self::CodeReplay => &[
                RfcRef::new(9700, "4.2.4"),
                RfcRef::new(6749, "4.1.2"),
                RfcRef::new(6749, "10.5"),
            ],
            Self::RedirectUriManipulation => &[
                RfcRef::new(9700, "4.1.3"),
                RfcRef::new(6749, "3.1.2.3"),
                RfcRef::new(3986, "5.2.4"),
            ],
            Self::RefreshTokenTheft => &[RfcRef::new(6749, "10.4")],
            Self::MixUp => &[RfcRef::new(9700, "4.4.2"), RfcRef::new(9207, "2.4")],
            Self::ImplicitLeakage => &[RfcRef::new(9700, "4.3.2"), RfcRef::new(6749, "10.16")],
            Self::StolenTokenReplay => &[
                RfcRef::new(9700, "4.10"),
                RfcRef::new(9449, "1"),
                RfcRef::new(9449, "6.1"),
                RfcRef::new(9449, "7"),
            ],
            Self::RequestTampering => &[
                RfcRef::new(9126, "1"),
                RfcRef::new(9126, "4"),
                RfcRef::new(9126, "5"),
            ],
            Self::DpopProofReplay => &[RfcRef::new(9449, "4.3"), RfcRef::new(9449, "11.1")],
            Self::SecretInBundle => &[RfcRef::new(6749, "2.1"), RfcRef::new(6749, "10.1")],
            Self::TokensInStorage => &[RfcRef::new(9449, "5"), RfcRef::new(9449, "11.4")],
        };
        std::iter::once(self.rfc9700())
            .chain(more.iter().copied())
            .collect()
    }
}

/// One run of an attack.
#[derive(Debug, Clone, PartialEq)]
pub struct AttackRun {
    pub attack: Attack,
    pub defended: bool,
    pub trace: Vec<Exchange>,
    pub outcome: Outcome,
}

/// How an attack ended, read from the responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The attack worked: `step` is the exchange where the attacker gets
    /// the resource; `gained` says what, in a sentence, with the data.
    Succeeded { step: usize, gained: String },
    /// A defence stopped it: `step` is the exchange whose response refuses
    /// it, `error` the error as the protocol states it.
    Stopped { step: usize, error: String },
}

impl Outcome {
    pub fn step(&self) -> usize {
        match self {
            Self::Succeeded { step, .. } | Self::Stopped { step, .. } => *step,
        }
    }

    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Succeeded { .. })
    }
}
