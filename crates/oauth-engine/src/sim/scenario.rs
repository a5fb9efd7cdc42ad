//! Scenarios: a flow, a client, a server policy and the user's choices, as
//! data, with the authorization server and the in-page network a scenario
//! sets up. Running one is `run.rs`'s.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::browser::ReferrerPolicy;
use super::client::ClientSettings;
use super::flow::Flow;
use super::network::{API, API_PATH, API_SCOPE, AUTHORIZATION_SERVER, Network};
use super::page_fetch::BrowserApp;
use crate::clock::{SimulatedClock, UnixTime};
use crate::http::{Method, Url};
use crate::jose::SigningKey;
use crate::resource::{KeySet, Resource, ResourceServer};
use crate::rng::Rng;
use crate::server::{
    AuthorizationServer, ClientAuthMethod, ClientRegistration, GrantType, ServerConfig,
    ServerPolicy, User,
};
use crate::types::{ClientId, ClientSecret, RedirectUri, Scope, Subject};

/// What the user does on the authorization server's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserChoices {
    pub username: String,
    pub password: String,
    pub approve: bool,
    /// Grant only these scopes at consent; `None` grants all requested.
    pub granted_scope: Option<String>,
}

impl UserChoices {
    /// Whether the user unticked every scope at consent.
    pub fn grants_nothing(&self) -> bool {
        self.granted_scope
            .as_deref()
            .is_some_and(|granted| granted.trim().is_empty())
    }
}

impl Default for UserChoices {
    fn default() -> Self {
        Self {
            username: "alice".into(),
            password: "wonderland".into(),
            approve: true,
            granted_scope: None,
        }
    }
}

/// The client as the authorization server has it registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Registration {
    pub redirect_uris: Vec<String>,
    pub allowed_scope: String,
    /// The secret the server holds; the client sends its own
    /// (`ClientSettings::client_secret`), so the two can differ.
    pub client_secret: Option<String>,
}

impl Default for Registration {
    fn default() -> Self {
        Self {
            redirect_uris: vec!["https://spa.example/callback".into()],
            allowed_scope: "read write".into(),
            client_secret: None,
        }
    }
}

/// Time the scenario lets pass, in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeline {
    /// Between the callback and the token request (a code's lifetime is 60 s).
    pub before_token_request: u64,
    /// Between the first and the second API call (an access token's is 300 s).
    pub between_api_calls: u64,
    /// Device flow: how long the user takes to enter the code and approve
    /// (a device code lives 600 s).
    pub device_user_delay: u64,
    /// Device flow: seconds between the device's polls; 0 follows the
    /// server's interval, less provokes slow_down.
    pub device_poll_every: u64,
}

impl Default for Timeline {
    fn default() -> Self {
        Self {
            before_token_request: 0,
            between_api_calls: 0,
            // Two polls at the default 5 s interval before the user is done.
            device_user_delay: 12,
            device_poll_every: 0,
        }
    }
}

/// Mishaps a learner can switch on to see how the protocol's defences
/// answer them. Each one only applies to the authorization code flow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Incidents {
    /// After the client has redeemed the code and called the API, the user
    /// reloads the callback page and the client redeems the same code
    /// again: a replay the server must refuse (RFC 6749 section 4.1.2).
    pub reload_callback: bool,
    /// Between the redirect and the callback, another tab starts a login
    /// and overwrites the stored code_verifier, so the token request
    /// carries the wrong one (RFC 7636 section 4.6). Needs PKCE on.
    pub verifier_lost: bool,
}

/// A whole run, as data: small enough to put in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub flow: Flow,
    /// Seeds every random value: the same scenario gives the same bytes.
    pub seed: u64,
    /// Simulated Unix time at the start.
    pub start_time: u64,
    pub policy: ServerPolicy,
    pub client: ClientSettings,
    pub registration: Registration,
    pub user: UserChoices,
    pub timeline: Timeline,
    pub referrer_policy: ReferrerPolicy,
    /// Third-party resources (analytics, fonts, images) the client's
    /// callback page loads: each request carries a Referer. A script (a
    /// path ending in `.js`) then runs in the page, as every script does,
    /// with the page's rights: like any analytics script it reports the
    /// page it runs on, `location.href` with its query and fragment, to
    /// `/collect` on its own site.
    pub callback_page_loads: Vec<String>,
    pub incidents: Incidents,
    /// At the end of the authorization code flow, the user signs out: the
    /// client revokes its tokens (RFC 7009).
    pub sign_out: bool,
    /// The client is a single-page app: its code runs in the page, so its
    /// requests to the servers are the browser's cross-origin fetches,
    /// under CORS, with the origins each server allows. `None`: its
    /// requests leave from outside the browser, as a backend's do.
    pub browser_app: Option<BrowserApp>,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            flow: Flow::default(),
            seed: 1,
            start_time: 1_767_225_600, // 2026-01-01T00:00:00Z
            policy: ServerPolicy::default(),
            client: ClientSettings::default(),
            registration: Registration::default(),
            user: UserChoices::default(),
            timeline: Timeline::default(),
            referrer_policy: ReferrerPolicy::default(),
            callback_page_loads: Vec::new(),
            incidents: Incidents::default(),
            sign_out: false,
            browser_app: None,
        }
    }
}

impl Scenario {
    /// JSON with only what differs from the default scenario: what a link
    /// carries. Every field is defaulted on the way back in, so
    /// `serde_json::from_str` reads it as it reads the full form.
    pub fn to_compact_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        let defaults = serde_json::to_value(Scenario::default()).unwrap_or_default();
        strip_defaults(&mut value, &defaults);
        value.to_string()
    }

    /// Whether the scenario uses DPoP, PAR, `private_key_jwt`, opaque
    /// tokens or revocation: a run then needs their code (`run::Support`).
    pub fn needs_support(&self) -> bool {
        let (client, policy) = (&self.client, &self.policy);
        client.dpop
            || client.use_par
            || client.auth_method == ClientAuthMethod::PrivateKeyJwt
            || self.sign_out
            || policy.require_dpop
            || policy.dpop_nonce
            || policy.opaque_access_tokens
            || policy.require_par
    }

    /// The authorization server this scenario sets up, signing with `key`.
    pub fn authorization_server(&self, key: SigningKey) -> AuthorizationServer {
        let client = &self.client;
        let grant_types = match self.flow {
            Flow::AuthorizationCode | Flow::Agent => {
                vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
            }
            Flow::ClientCredentials => vec![GrantType::ClientCredentials],
            Flow::Device => vec![GrantType::DeviceCode, GrantType::RefreshToken],
            // The authorization endpoint issues the token itself: no token
            // endpoint grant, and no refresh token (RFC 6749 section 4.2.2).
            Flow::Implicit => vec![GrantType::Implicit],
        };
        let registration = ClientRegistration {
            client_id: ClientId::new(&client.client_id),
            secret: self
                .registration
                .client_secret
                .as_deref()
                .map(ClientSecret::new),
            auth_method: client.auth_method,
            redirect_uris: self
                .registration
                .redirect_uris
                .iter()
                .map(RedirectUri::new)
                .collect(),
            grant_types,
            allowed_scope: Scope::parse(&self.registration.allowed_scope).unwrap_or_default(),
            public_jwk: None,
        };
        let user = |name: &str, password: &str, full_name: &str| User {
            subject: Subject::new(format!("user-{name}")),
            username: name.into(),
            password: password.into(),
            name: full_name.into(),
            email: format!("{name}@example.com"),
        };
        let config = ServerConfig {
            issuer: Url {
                origin: AUTHORIZATION_SERVER.into(),
                path: "/".into(),
                query: None,
                fragment: None,
            },
            audience: API.into(),
            resources: Vec::new(),
            policy: self.policy.clone(),
            clients: vec![registration],
            users: USERS
                .iter()
                .map(|(name, password, full_name)| user(name, password, full_name))
                .collect(),
        };
        AuthorizationServer::new(config, key)
    }

    /// The in-page network this scenario sets up: its authorization
    /// server, its API, an attacker who does nothing until an attack
    /// gives it something to do, and an empty trace.
    pub fn network<'o>(&self, key: SigningKey, rng: Box<dyn Rng + 'o>) -> Network<'o> {
        let server = self.authorization_server(key);
        // The profile belongs to whoever the token speaks for: its `sub`.
        // Inserted, not collected: see `form_of` in server/authorize.rs.
        let mut by_subject = std::collections::BTreeMap::new();
        for user in &server.config().users {
            by_subject.insert(
                user.subject.as_str().to_owned(),
                json!({ "name": user.name, "email": user.email }),
            );
        }
        // A client credentials token speaks for the client itself (RFC
        // 6749 section 4.4): its subject is the client_id.
        by_subject.insert(
            self.client.client_id.clone(),
            json!({ "client": self.client.client_id }),
        );
        let api = ResourceServer {
            issuer: server.issuer_id(),
            audience: API.into(),
            keys: KeySet::from_jwks(&server.jwks()).unwrap_or_default(),
            resources: vec![Resource {
                method: Method::Get,
                path: API_PATH.into(),
                required_scope: API_SCOPE.into(),
                body: json!({}),
                by_subject,
            }],
            seen_proofs: Default::default(),
            skips_proof_jti_and_htu: false,
            skips_audience_check: false,
            dpop: None,
            introspection: None,
            introspected: Vec::new(),
        };
        let client_origin = self.client.origin();
        let clock = SimulatedClock::starting_at(UnixTime(self.start_time));
        Network::new(clock, rng, server, api, client_origin)
    }

    /// The implicit grant, set up so that it runs: the server allows it
    /// (RFC 9700 section 2.1.2 would have it off) and the client may use
    /// it. Everything else as in the default scenario.
    pub fn implicit() -> Self {
        Self {
            flow: Flow::Implicit,
            policy: ServerPolicy {
                allow_implicit: true,
                ..ServerPolicy::default()
            },
            ..Self::default()
        }
    }
}

/// The third-party script both callback pages of the presets below load.
pub const ANALYTICS_SCRIPT: &str = "https://analytics.example/a.js";

/// The implicit side's scenario, in the implicit-versus-code comparison and
/// the undefended implicit leakage attack: the grant allowed, the callback
/// page loading the analytics script.
pub fn implicit_scenario(seed: u64) -> Scenario {
    Scenario {
        seed,
        callback_page_loads: vec![ANALYTICS_SCRIPT.into()],
        ..Scenario::implicit()
    }
}

/// The code side's scenario, in the comparison and the defended implicit
/// leakage attack: the default client (PKCE with S256, a refresh token),
/// the same page.
pub fn code_scenario(seed: u64) -> Scenario {
    Scenario {
        seed,
        callback_page_loads: vec![ANALYTICS_SCRIPT.into()],
        ..Scenario::default()
    }
}

/// The people who can sign in at the scenario's authorization server:
/// username, password and full name. Mallory is the attack lab's attacker,
/// with an account of her own like anybody else.
pub const USERS: [(&str, &str, &str); 3] = [
    ("alice", "wonderland", "Alice Liddell"),
    ("bob", "builder", "Bob Builder"),
    ("mallory", "evil", "Mallory (the attacker)"),
];

/// Removes from `value` every object member equal to the one in `defaults`.
fn strip_defaults(value: &mut serde_json::Value, defaults: &serde_json::Value) {
    if let (Some(object), Some(default_object)) = (value.as_object_mut(), defaults.as_object()) {
        object.retain(|key, member| default_object.get(key) != Some(member));
        for (key, member) in object.iter_mut() {
            if let Some(default_member) = default_object.get(key) {
                strip_defaults(member, default_member);
            }
        }
    }
}
