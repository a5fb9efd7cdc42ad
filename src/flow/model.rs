//! The Flow screen's logic, free of the DOM: the flows a learner picks, the
//! form as typed, and how the form becomes an engine `Scenario` (or says
//! which field is wrong and why).

use oauth_engine::http::Url;
use oauth_engine::pkce::PkceMethod;
use oauth_engine::server::{ClientAuthMethod, PkcePolicy};
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::page_fetch::BrowserApp;
use oauth_engine::sim::scenario::Scenario;
use oauth_engine::types::Scope;

use super::fields::{Field, FieldValues, ScopeSet};

/// The flows on the picker: each an engine flow plus the client and
/// timeline that show it best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Preset {
    WebApp,
    Spa,
    ClientCredentials,
    Device,
    Refresh,
    OpenIdConnect,
    Fapi,
    Introspection,
    SignOut,
    Agent,
}

impl Preset {
    pub const ALL: [Preset; 10] = [
        Self::WebApp,
        Self::Spa,
        Self::ClientCredentials,
        Self::Device,
        Self::Refresh,
        Self::OpenIdConnect,
        Self::Fapi,
        Self::Introspection,
        Self::SignOut,
        Self::Agent,
    ];

    /// Whether the screen's form (`FlowForm`) drives the flow: every one
    /// but the agent's, whose settings are its own (`super::agent`).
    pub fn uses_form(self) -> bool {
        self != Self::Agent
    }

    /// The value in the page's URL (`?flow=spa`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::WebApp => "web-app",
            Self::Spa => "spa",
            Self::ClientCredentials => "client-credentials",
            Self::Device => "device",
            Self::Refresh => "refresh",
            Self::OpenIdConnect => "oidc",
            Self::Fapi => "fapi",
            Self::Introspection => "introspection",
            Self::SignOut => "sign-out",
            Self::Agent => "agent",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|preset| preset.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::WebApp => "Authorization Code (web app with a secret)",
            Self::Spa => "Authorization Code + PKCE (single-page app)",
            Self::ClientCredentials => "Client Credentials",
            Self::Device => "Device Authorization",
            Self::Refresh => "Refresh with rotation",
            Self::OpenIdConnect => "OpenID Connect login",
            Self::Fapi => "FAPI 2.0: PAR + PKCE + DPoP + private_key_jwt",
            Self::Introspection => "Opaque tokens and introspection",
            Self::SignOut => "Sign out: revoke the tokens",
            Self::Agent => "AI agent connecting to a tool server (MCP)",
        }
    }

    pub fn when_to_use(self) -> &'static str {
        match self {
            Self::WebApp => {
                "A server-side app that can keep a client_secret: it redeems the code on its \
                 own back channel, authenticated, and uses PKCE too (RFC 9700 section 2.1.1)."
            }
            Self::Spa => {
                "An app running in the browser or on a phone, with no secret to keep: PKCE \
                 proves the token request comes from the app that started the flow."
            }
            Self::ClientCredentials => {
                "A service calling an API on its own behalf, with no user: a cron job, a \
                 backend talking to another backend."
            }
            Self::Device => {
                "A TV, console or command-line tool with no handy browser or keyboard: the \
                 user approves on their phone while the device polls."
            }
            Self::Refresh => {
                "Staying signed in: when the access token expires, the client trades its \
                 refresh token for a new pair, and the old refresh token stops working."
            }
            Self::OpenIdConnect => {
                "Signing users in, not just calling an API: scope openid adds an ID token the \
                 client validates (signature, iss, aud, exp, nonce)."
            }
            Self::Fapi => {
                "High-value APIs (banking, health): a confidential client with no shared \
                 secret. It pushes its request over the back channel (PAR), signs an assertion \
                 instead of sending a secret (private_key_jwt), and binds its tokens to a key \
                 with DPoP, so a stolen token is useless on its own."
            }
            Self::Introspection => {
                "When the API must learn at once that a token was revoked, or the token must \
                 not reveal its contents: the server issues opaque tokens, and the API asks \
                 the server about each one (RFC 7662)."
            }
            Self::SignOut => {
                "Signing out properly: the client tells the server to revoke its refresh \
                 token (RFC 7009), which ends the access tokens issued with it too."
            }
            Self::Agent => {
                "An AI agent (an MCP client in an IDE or a chat app) meets a tool server it has \
                 never seen: it discovers who protects it, registers with no prior relationship, \
                 and gets a token only that tool server accepts."
            }
        }
    }

    /// The scenario this flow starts from, before the learner's edits.
    pub fn scenario(self) -> Scenario {
        let mut scenario = Scenario::default();
        match self {
            Self::Spa => scenario.browser_app = Some(BrowserApp::default()),
            Self::WebApp => {
                let secret = Some("webapp-secret-7Hq2".to_owned());
                scenario.client.client_id = "webapp".into();
                scenario.client.client_secret = secret.clone();
                scenario.client.auth_method = ClientAuthMethod::ClientSecretBasic;
                scenario.client.redirect_uri = "https://webapp.example/callback".into();
                scenario.registration.client_secret = secret;
                scenario.registration.redirect_uris = vec![scenario.client.redirect_uri.clone()];
            }
            Self::ClientCredentials => {
                let secret = Some("service-secret-Rk9w".to_owned());
                scenario.flow = Flow::ClientCredentials;
                scenario.client.client_id = "reporting-service".into();
                scenario.client.client_secret = secret.clone();
                scenario.client.auth_method = ClientAuthMethod::ClientSecretBasic;
                scenario.client.scope = "read".into();
                scenario.registration.client_secret = secret;
                scenario.registration.redirect_uris.clear();
            }
            Self::Device => {
                scenario.flow = Flow::Device;
                scenario.client.client_id = "tv-app".into();
                scenario.client.scope = "read".into();
                scenario.registration.redirect_uris.clear();
            }
            Self::Refresh => {
                // Longer than the access token lives (300 s): the client
                // refreshes before its second call.
                scenario.timeline.between_api_calls = 600;
            }
            Self::OpenIdConnect => {
                scenario.client.scope = "openid profile email read".into();
                scenario.registration.allowed_scope = "openid profile email read write".into();
            }
            Self::Fapi => {
                // FAPI 2.0 Security Profile section 5.3: PAR, PKCE with
                // S256, sender-constrained tokens and private_key_jwt.
                scenario.client.client_id = "webapp".into();
                scenario.client.auth_method = ClientAuthMethod::PrivateKeyJwt;
                scenario.client.redirect_uri = "https://webapp.example/callback".into();
                scenario.client.dpop = true;
                scenario.client.use_par = true;
                scenario.registration.redirect_uris = vec![scenario.client.redirect_uri.clone()];
                scenario.policy.require_par = true;
                scenario.policy.require_dpop = true;
                scenario.policy.dpop_nonce = true;
            }
            Self::Introspection => scenario.policy.opaque_access_tokens = true,
            Self::SignOut => scenario.sign_out = true,
            // The agent's settings are its own (`super::agent`).
            Self::Agent => scenario.flow = Flow::Agent,
        }
        scenario
    }

    pub fn flow(self) -> Flow {
        match self {
            Self::ClientCredentials => Flow::ClientCredentials,
            Self::Device => Flow::Device,
            Self::Agent => Flow::Agent,
            Self::WebApp
            | Self::Spa
            | Self::Refresh
            | Self::OpenIdConnect
            | Self::Fapi
            | Self::Introspection
            | Self::SignOut => Flow::AuthorizationCode,
        }
    }
}

/// A text field of the form. The form keeps what the user typed, valid or
/// not, so nothing typed is lost while a message explains the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextField {
    ClientId,
    ClientSecret,
    RegisteredSecret,
    RedirectUri,
    RegisteredRedirectUris,
    Scope,
    RegisteredScope,
    Username,
    Password,
    CodeLifetime,
    AccessTokenLifetime,
    RefreshTokenLifetime,
    WaitBeforeTokenRequest,
    WaitBetweenApiCalls,
    DeviceUserDelay,
    DevicePollEvery,
    ServerAllowedOrigins,
    ApiAllowedOrigins,
}

/// A yes/no setting of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckField {
    SendState,
    UsePkce,
    Approve,
    ProactiveRefresh,
    RotateRefreshTokens,
    ReloadCallback,
    VerifierLost,
    Dpop,
    UsePar,
    SignOut,
    RequireDpop,
    DpopNonce,
    RequirePar,
    OpaqueTokens,
    InBrowser,
}

/// A pick-one setting of the form, kept as its wire value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChoiceField {
    AuthMethod,
    PkceMethod,
    ServerPkce,
}

impl Field for Preset {
    fn index(self) -> usize {
        self as usize
    }
}

impl Field for TextField {
    fn index(self) -> usize {
        self as usize
    }
}

impl Field for CheckField {
    fn index(self) -> usize {
        self as usize
    }
}

impl Field for ChoiceField {
    fn index(self) -> usize {
        self as usize
    }
}

impl TextField {
    pub const ALL: [TextField; 18] = [
        Self::ClientId,
        Self::ClientSecret,
        Self::RegisteredSecret,
        Self::RedirectUri,
        Self::RegisteredRedirectUris,
        Self::Scope,
        Self::RegisteredScope,
        Self::Username,
        Self::Password,
        Self::CodeLifetime,
        Self::AccessTokenLifetime,
        Self::RefreshTokenLifetime,
        Self::WaitBeforeTokenRequest,
        Self::WaitBetweenApiCalls,
        Self::DeviceUserDelay,
        Self::DevicePollEvery,
        Self::ServerAllowedOrigins,
        Self::ApiAllowedOrigins,
    ];

    /// The element id, and the `data-testid`.
    pub fn id(self) -> &'static str {
        match self {
            Self::ClientId => "flow-client-id",
            Self::ClientSecret => "flow-client-secret",
            Self::RegisteredSecret => "flow-registered-secret",
            Self::RedirectUri => "flow-redirect-uri",
            Self::RegisteredRedirectUris => "flow-registered-redirect-uris",
            Self::Scope => "flow-scope",
            Self::RegisteredScope => "flow-registered-scope",
            Self::Username => "flow-username",
            Self::Password => "flow-password",
            Self::CodeLifetime => "flow-code-lifetime",
            Self::AccessTokenLifetime => "flow-access-token-lifetime",
            Self::RefreshTokenLifetime => "flow-refresh-token-lifetime",
            Self::WaitBeforeTokenRequest => "flow-wait-before-token-request",
            Self::WaitBetweenApiCalls => "flow-wait-between-api-calls",
            Self::DeviceUserDelay => "flow-device-user-delay",
            Self::DevicePollEvery => "flow-device-poll-every",
            Self::ServerAllowedOrigins => "flow-server-allowed-origins",
            Self::ApiAllowedOrigins => "flow-api-allowed-origins",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ClientId => "client_id",
            Self::ClientSecret => "client_secret the client sends",
            Self::RegisteredSecret => "client_secret the server holds",
            Self::RedirectUri => "redirect_uri the client sends",
            Self::RegisteredRedirectUris => "Registered redirect URIs (one per line)",
            Self::Scope => "scope the client asks for",
            Self::RegisteredScope => "Scopes the client may ask for",
            Self::Username => "Username",
            Self::Password => "Password",
            Self::CodeLifetime => "Authorization code lifetime (s)",
            Self::AccessTokenLifetime => "Access token lifetime (s)",
            Self::RefreshTokenLifetime => "Refresh token lifetime (s)",
            Self::WaitBeforeTokenRequest => "Wait before the token request (s)",
            Self::WaitBetweenApiCalls => "Wait between the two API calls (s)",
            Self::DeviceUserDelay => "User takes this long to approve (s)",
            Self::DevicePollEvery => "Device polls every (s, 0 = as told)",
            Self::ServerAllowedOrigins => {
                "Origins the authorization server allows (CORS, one per line)"
            }
            Self::ApiAllowedOrigins => "Origins the API allows (CORS, one per line)",
        }
    }

    /// Whether the field is a number of seconds.
    pub fn is_seconds(self) -> bool {
        matches!(
            self,
            Self::CodeLifetime
                | Self::AccessTokenLifetime
                | Self::RefreshTokenLifetime
                | Self::WaitBeforeTokenRequest
                | Self::WaitBetweenApiCalls
                | Self::DeviceUserDelay
                | Self::DevicePollEvery
        )
    }

    /// Whether the field holds something a user would not want passed on:
    /// the client's secret, as sent or as registered, and the user's
    /// password. Share links leave these out unless asked.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Self::ClientSecret | Self::RegisteredSecret | Self::Password
        )
    }
}

impl CheckField {
    pub const ALL: [CheckField; 15] = [
        Self::SendState,
        Self::UsePkce,
        Self::Approve,
        Self::ProactiveRefresh,
        Self::RotateRefreshTokens,
        Self::ReloadCallback,
        Self::VerifierLost,
        Self::Dpop,
        Self::UsePar,
        Self::SignOut,
        Self::RequireDpop,
        Self::DpopNonce,
        Self::RequirePar,
        Self::OpaqueTokens,
        Self::InBrowser,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::SendState => "flow-send-state",
            Self::UsePkce => "flow-use-pkce",
            Self::Approve => "flow-approve",
            Self::ProactiveRefresh => "flow-proactive-refresh",
            Self::RotateRefreshTokens => "flow-rotate-refresh-tokens",
            Self::ReloadCallback => "flow-reload-callback",
            Self::VerifierLost => "flow-verifier-lost",
            Self::Dpop => "flow-dpop",
            Self::UsePar => "flow-use-par",
            Self::SignOut => "flow-sign-out",
            Self::RequireDpop => "flow-require-dpop",
            Self::DpopNonce => "flow-dpop-nonce",
            Self::RequirePar => "flow-require-par",
            Self::OpaqueTokens => "flow-opaque-tokens",
            Self::InBrowser => "flow-in-browser",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SendState => "Send and check state",
            Self::UsePkce => "Use PKCE",
            Self::Approve => "The user approves",
            Self::ProactiveRefresh => "Refresh shortly before the access token expires",
            Self::RotateRefreshTokens => "Rotate refresh tokens",
            Self::ReloadCallback => "The user reloads the callback page (the code is replayed)",
            Self::VerifierLost => "Another tab overwrites the stored code_verifier",
            Self::Dpop => "Send DPoP proofs (tokens bound to the client's key)",
            Self::UsePar => "Push the authorization request first (PAR)",
            Self::SignOut => "The user signs out: revoke the tokens",
            Self::RequireDpop => "Issue DPoP-bound tokens only",
            Self::DpopNonce => "Require a nonce in DPoP proofs",
            Self::RequirePar => "Accept pushed authorization requests only",
            Self::OpaqueTokens => "Issue opaque access tokens (the API introspects them)",
            Self::InBrowser => "The app runs in the browser: its requests are cross-origin fetches",
        }
    }
}

impl ChoiceField {
    pub const ALL: [ChoiceField; 3] = [Self::AuthMethod, Self::PkceMethod, Self::ServerPkce];

    pub fn id(self) -> &'static str {
        match self {
            Self::AuthMethod => "flow-auth-method",
            Self::PkceMethod => "flow-pkce-method",
            Self::ServerPkce => "flow-server-pkce",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AuthMethod => "Client authentication",
            Self::PkceMethod => "code_challenge_method",
            Self::ServerPkce => "The server requires PKCE",
        }
    }

    /// (wire value, label) for each option.
    pub fn options(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::AuthMethod => &[
                ("client_secret_basic", "client_secret_basic (HTTP Basic)"),
                ("client_secret_post", "client_secret_post (in the form)"),
                ("none", "none (public client)"),
                (
                    "private_key_jwt",
                    "private_key_jwt (a signed assertion, no secret)",
                ),
            ],
            Self::PkceMethod => &[("S256", "S256"), ("plain", "plain")],
            Self::ServerPkce => &[
                ("require_s256", "Always, S256 only (OAuth 2.1)"),
                ("require_allow_plain", "Always, plain allowed"),
                ("optional", "Only when the client sends it"),
            ],
        }
    }
}

fn server_pkce_value(policy: PkcePolicy) -> &'static str {
    match policy {
        PkcePolicy::RequireS256 => "require_s256",
        PkcePolicy::RequireAllowPlain => "require_allow_plain",
        PkcePolicy::Optional => "optional",
    }
}

/// The form, as the user left it: kept in session storage, one per flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowForm {
    pub texts: FieldValues<TextField, String, { TextField::ALL.len() }>,
    pub checks: FieldValues<CheckField, bool, { CheckField::ALL.len() }>,
    pub choices: FieldValues<ChoiceField, String, { ChoiceField::ALL.len() }>,
    /// Scopes the user unticks on the consent page.
    pub withheld_scopes: ScopeSet,
}

impl Default for FlowForm {
    fn default() -> Self {
        Self::from_scenario(&Scenario::default())
    }
}

impl FlowForm {
    /// The form showing `scenario`'s values.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        use TextField as T;
        let client = &scenario.client;
        let policy = &scenario.policy;
        let timeline = &scenario.timeline;
        // A client outside the browser shows what it would be allowed,
        // should the learner move it into the page.
        let app = scenario.browser_app.clone().unwrap_or_default();
        let texts = [
            (T::ClientId, client.client_id.clone()),
            (
                T::ClientSecret,
                client.client_secret.clone().unwrap_or_default(),
            ),
            (
                T::RegisteredSecret,
                scenario
                    .registration
                    .client_secret
                    .clone()
                    .unwrap_or_default(),
            ),
            (T::RedirectUri, client.redirect_uri.clone()),
            (
                T::RegisteredRedirectUris,
                scenario.registration.redirect_uris.join("\n"),
            ),
            (T::Scope, client.scope.clone()),
            (
                T::RegisteredScope,
                scenario.registration.allowed_scope.clone(),
            ),
            (T::Username, scenario.user.username.clone()),
            (T::Password, scenario.user.password.clone()),
            (T::CodeLifetime, policy.code_lifetime.to_string()),
            (
                T::AccessTokenLifetime,
                policy.access_token_lifetime.to_string(),
            ),
            (
                T::RefreshTokenLifetime,
                policy.refresh_token_lifetime.to_string(),
            ),
            (
                T::WaitBeforeTokenRequest,
                timeline.before_token_request.to_string(),
            ),
            (
                T::WaitBetweenApiCalls,
                timeline.between_api_calls.to_string(),
            ),
            (T::DeviceUserDelay, timeline.device_user_delay.to_string()),
            (T::DevicePollEvery, timeline.device_poll_every.to_string()),
            (T::ServerAllowedOrigins, app.server_allows.join("\n")),
            (T::ApiAllowedOrigins, app.api_allows.join("\n")),
        ];
        let safeguards = &client.safeguards;
        let checks = [
            (CheckField::SendState, safeguards.send_state),
            (CheckField::UsePkce, safeguards.use_pkce),
            (CheckField::Approve, scenario.user.approve),
            (CheckField::ProactiveRefresh, safeguards.proactive_refresh),
            (
                CheckField::RotateRefreshTokens,
                policy.rotate_refresh_tokens,
            ),
            (
                CheckField::ReloadCallback,
                scenario.incidents.reload_callback,
            ),
            (CheckField::VerifierLost, scenario.incidents.verifier_lost),
            (CheckField::Dpop, client.dpop),
            (CheckField::UsePar, client.use_par),
            (CheckField::SignOut, scenario.sign_out),
            (CheckField::RequireDpop, policy.require_dpop),
            (CheckField::DpopNonce, policy.dpop_nonce),
            (CheckField::RequirePar, policy.require_par),
            (CheckField::OpaqueTokens, policy.opaque_access_tokens),
            (CheckField::InBrowser, scenario.browser_app.is_some()),
        ];
        let choices = [
            (ChoiceField::AuthMethod, client.auth_method.as_str()),
            (ChoiceField::PkceMethod, safeguards.pkce_method.as_str()),
            (ChoiceField::ServerPkce, server_pkce_value(policy.pkce)),
        ];
        let mut form = Self {
            texts: FieldValues::default(),
            checks: FieldValues::default(),
            choices: FieldValues::default(),
            withheld_scopes: ScopeSet::default(),
        };
        for (field, value) in texts {
            form.texts.insert(field, value);
        }
        for (field, value) in checks {
            form.checks.insert(field, value);
        }
        for (field, value) in choices {
            form.choices.insert(field, value.to_owned());
        }
        if let Some(granted) = scenario.user.granted_scope.as_deref() {
            let granted: Vec<&str> = granted.split(' ').collect();
            for token in client.scope.split(' ') {
                if !granted.contains(&token) {
                    form.withheld_scopes.insert(token.to_owned());
                }
            }
        }
        form
    }

    pub fn text(&self, field: TextField) -> &str {
        self.texts.get(field)
    }

    pub fn check(&self, field: CheckField) -> bool {
        *self.checks.get(field)
    }

    pub fn choice(&self, field: ChoiceField) -> &str {
        self.choices.get(field)
    }

    /// What the user grants at consent: the requested scope less what they
    /// unticked, or `None` when they grant all of it (RFC 6749 section 3.3
    /// lets the server issue less than was asked).
    pub fn granted_scope(&self, requested: &str) -> Option<String> {
        let tokens: Vec<&str> = requested.split(' ').filter(|t| !t.is_empty()).collect();
        if !tokens
            .iter()
            .any(|token| self.withheld_scopes.contains(token))
        {
            return None;
        }
        let granted: Vec<&str> = tokens
            .into_iter()
            .filter(|token| !self.withheld_scopes.contains(token))
            .collect();
        Some(granted.join(" "))
    }

    /// The scenario this form describes, built on `preset`'s, or a message
    /// for each field that cannot be used as typed.
    pub fn scenario(&self, preset: Preset) -> Result<Scenario, FieldErrors> {
        use TextField as T;
        let mut errors = FieldErrors::default();
        let mut scenario = preset.scenario();
        let flow = scenario.flow;
        let with_user = flow != Flow::ClientCredentials;
        let with_redirect = flow == Flow::AuthorizationCode;

        let client_id = self.text(T::ClientId).trim();
        if client_id.is_empty() {
            errors.add(
                T::ClientId,
                "Enter a client_id: every request names the client.",
            );
        } else if !client_id.chars().all(|c| (' '..='~').contains(&c)) {
            // RFC 6749 appendix A.1: client-id = *VSCHAR.
            errors.add(
                T::ClientId,
                "A client_id may hold printable ASCII only (RFC 6749 appendix A.1).",
            );
        }
        scenario.client.client_id = client_id.to_owned();

        let auth_method = match self.choice(ChoiceField::AuthMethod) {
            "client_secret_post" => ClientAuthMethod::ClientSecretPost,
            "none" => ClientAuthMethod::None,
            "private_key_jwt" => ClientAuthMethod::PrivateKeyJwt,
            _ => ClientAuthMethod::ClientSecretBasic,
        };
        let confidential = preset_is_confidential(preset);
        if confidential && auth_method == ClientAuthMethod::PrivateKeyJwt {
            // RFC 7523 section 2.2: the assertion replaces the secret; the
            // server holds the client's public key instead (registered
            // when the run sets up).
            scenario.client.auth_method = auth_method;
            scenario.client.client_secret = None;
            scenario.registration.client_secret = None;
        } else if confidential {
            scenario.client.auth_method = auth_method;
            let sent = self.text(T::ClientSecret);
            let held = self.text(T::RegisteredSecret);
            scenario.client.client_secret =
                (auth_method != ClientAuthMethod::None).then(|| sent.to_owned());
            if held.is_empty() {
                errors.add(
                    T::RegisteredSecret,
                    "Enter the secret the server registered for this client.",
                );
            }
            scenario.registration.client_secret = Some(held.to_owned());
        }

        if with_redirect {
            let redirect_uri = self.text(T::RedirectUri).trim();
            match absolute_url(redirect_uri) {
                Ok(()) => scenario.client.redirect_uri = redirect_uri.to_owned(),
                Err(message) => errors.add(T::RedirectUri, message),
            }
            let registered: Vec<String> = self
                .text(T::RegisteredRedirectUris)
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect();
            if registered.is_empty() {
                errors.add(
                    T::RegisteredRedirectUris,
                    "Register at least one redirect URI: the server sends codes nowhere else \
                     (RFC 6749 section 3.1.2.2).",
                );
            }
            for uri in &registered {
                if let Err(message) = absolute_url(uri) {
                    errors.add(T::RegisteredRedirectUris, format!("{uri}: {message}"));
                    break;
                }
            }
            scenario.registration.redirect_uris = registered;
        }

        match scope_text(self.text(T::Scope)) {
            Ok(scope) => scenario.client.scope = scope,
            Err(message) => errors.add(T::Scope, message),
        }
        match scope_text(self.text(T::RegisteredScope)) {
            Ok(scope) => scenario.registration.allowed_scope = scope,
            Err(message) => errors.add(T::RegisteredScope, message),
        }

        if with_user {
            let username = self.text(T::Username).trim();
            if username.is_empty() {
                errors.add(T::Username, "Enter a username: alice or bob.");
            }
            scenario.user.username = username.to_owned();
            scenario.user.password = self.text(T::Password).to_owned();
            scenario.user.approve = self.check(CheckField::Approve);
        }
        if with_redirect {
            let safeguards = &mut scenario.client.safeguards;
            safeguards.send_state = self.check(CheckField::SendState);
            safeguards.check_state = safeguards.send_state;
            safeguards.use_pkce = self.check(CheckField::UsePkce);
            safeguards.pkce_method = self
                .choice(ChoiceField::PkceMethod)
                .parse::<PkceMethod>()
                .unwrap_or_default();
            scenario.policy.pkce = match self.choice(ChoiceField::ServerPkce) {
                "require_allow_plain" => PkcePolicy::RequireAllowPlain,
                "optional" => PkcePolicy::Optional,
                _ => PkcePolicy::RequireS256,
            };
            scenario.user.granted_scope = self.granted_scope(&scenario.client.scope);
            scenario.incidents.reload_callback = self.check(CheckField::ReloadCallback);
            scenario.incidents.verifier_lost = self.check(CheckField::VerifierLost);
            scenario.client.use_par = self.check(CheckField::UsePar);
            scenario.policy.require_par = self.check(CheckField::RequirePar);
            scenario.sign_out = self.check(CheckField::SignOut);
        }
        scenario.browser_app = None;
        if with_redirect && !confidential && self.check(CheckField::InBrowser) {
            let mut origins = |field: TextField| {
                let list = origin_lines(self.text(field));
                if let Err(message) = &list {
                    errors.add(field, message.clone());
                }
                list.unwrap_or_default()
            };
            scenario.browser_app = Some(BrowserApp {
                server_allows: origins(T::ServerAllowedOrigins),
                api_allows: origins(T::ApiAllowedOrigins),
            });
        }
        if flow != Flow::Device {
            scenario.client.dpop = self.check(CheckField::Dpop);
            scenario.policy.require_dpop = self.check(CheckField::RequireDpop);
            scenario.policy.dpop_nonce = self.check(CheckField::DpopNonce);
        }
        scenario.policy.opaque_access_tokens = self.check(CheckField::OpaqueTokens);
        scenario.client.safeguards.proactive_refresh = self.check(CheckField::ProactiveRefresh);
        scenario.policy.rotate_refresh_tokens = self.check(CheckField::RotateRefreshTokens);
        scenario.policy.detect_refresh_reuse = scenario.policy.rotate_refresh_tokens;

        let mut seconds = |field: TextField, min: u64| -> u64 {
            match parse_seconds(self.text(field), min) {
                Ok(value) => value,
                Err(message) => {
                    errors.add(field, message);
                    0
                }
            }
        };
        if flow == Flow::AuthorizationCode {
            scenario.policy.code_lifetime = seconds(T::CodeLifetime, 1);
        }
        if flow != Flow::ClientCredentials {
            scenario.policy.refresh_token_lifetime = seconds(T::RefreshTokenLifetime, 1);
        }
        scenario.policy.access_token_lifetime = seconds(T::AccessTokenLifetime, 1);
        scenario.timeline.between_api_calls = seconds(T::WaitBetweenApiCalls, 0);
        match flow {
            Flow::AuthorizationCode => {
                scenario.timeline.before_token_request = seconds(T::WaitBeforeTokenRequest, 0);
            }
            Flow::Device => {
                scenario.timeline.device_user_delay = seconds(T::DeviceUserDelay, 0);
                scenario.timeline.device_poll_every = seconds(T::DevicePollEvery, 0);
            }
            Flow::ClientCredentials | Flow::Implicit | Flow::Agent => {}
        }

        if errors.is_empty() {
            Ok(scenario)
        } else {
            Err(errors)
        }
    }
}

/// One change to the form that sends the flow down an error path, so a
/// learner can reach each error of the protocol in one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakage {
    DenyConsent,
    WrongPassword,
    WrongClientSecret,
    UnregisteredScope,
    UnregisteredRedirectUri,
    SkipPkce,
    PlainPkce,
    ExpireCode,
    ReplayCode,
    LoseVerifier,
    ExpireAccessToken,
    PollTooFast,
    ApproveTooLate,
    SkipPar,
    SkipDpop,
    CorsRefused,
}

impl Breakage {
    pub const ALL: [Breakage; 16] = [
        Self::DenyConsent,
        Self::WrongPassword,
        Self::WrongClientSecret,
        Self::UnregisteredScope,
        Self::UnregisteredRedirectUri,
        Self::SkipPkce,
        Self::PlainPkce,
        Self::ExpireCode,
        Self::ReplayCode,
        Self::LoseVerifier,
        Self::ExpireAccessToken,
        Self::PollTooFast,
        Self::ApproveTooLate,
        Self::SkipPar,
        Self::SkipDpop,
        Self::CorsRefused,
    ];

    /// The button's text.
    pub fn label(self) -> &'static str {
        match self {
            Self::DenyConsent => "The user denies consent",
            Self::WrongPassword => "The user types a wrong password",
            Self::WrongClientSecret => "The client sends a wrong secret",
            Self::UnregisteredScope => "Ask for a scope that is not registered",
            Self::UnregisteredRedirectUri => "Send an unregistered redirect_uri",
            Self::SkipPkce => "The client skips PKCE",
            Self::PlainPkce => "The client uses PKCE plain",
            Self::ExpireCode => "Let the code expire before it is redeemed",
            Self::ReplayCode => "Replay the code (reload the callback)",
            Self::LoseVerifier => "Send the wrong code_verifier",
            Self::ExpireAccessToken => "Let the access token expire between API calls",
            Self::PollTooFast => "The device polls too fast",
            Self::ApproveTooLate => "The user approves after the device code expired",
            Self::SkipPar => "The client sends its request through the browser, not pushed",
            Self::SkipDpop => "The client sends no DPoP proof",
            Self::CorsRefused => "The authorization server does not allow the app's origin",
        }
    }

    /// The error the learner should see, as the protocol names it.
    pub fn expected(self) -> &'static str {
        match self {
            Self::DenyConsent => "access_denied",
            Self::WrongPassword => "the sign-in page again",
            Self::WrongClientSecret => "invalid_client",
            Self::UnregisteredScope => "invalid_scope",
            Self::UnregisteredRedirectUri => "an error page, no redirect",
            Self::SkipPkce | Self::PlainPkce => "invalid_request",
            Self::ExpireCode | Self::ReplayCode | Self::LoseVerifier => "invalid_grant",
            Self::ExpireAccessToken => "401, refresh, retry",
            Self::PollTooFast => "slow_down",
            Self::ApproveTooLate => "expired_token",
            Self::SkipPar => "invalid_request",
            Self::SkipDpop => "invalid_dpop_proof",
            Self::CorsRefused => "blocked by CORS: the code is spent, the app reads no tokens",
        }
    }

    pub fn applies_to(self, preset: Preset) -> bool {
        if !preset.uses_form() {
            return false;
        }
        let flow = preset.flow();
        let code = flow == Flow::AuthorizationCode;
        let user = flow != Flow::ClientCredentials;
        match self {
            // Client credentials has no refresh token: an expired token is
            // simply fetched anew (RFC 6749 section 4.4.3).
            Self::DenyConsent | Self::WrongPassword | Self::ExpireAccessToken => user,
            // FAPI's client has no secret to get wrong.
            Self::WrongClientSecret => preset_is_confidential(preset) && preset != Preset::Fapi,
            Self::UnregisteredScope => true,
            Self::UnregisteredRedirectUri
            | Self::SkipPkce
            | Self::PlainPkce
            | Self::ExpireCode
            | Self::ReplayCode
            | Self::LoseVerifier => code,
            Self::PollTooFast | Self::ApproveTooLate => flow == Flow::Device,
            // Where the server requires them.
            Self::SkipPar | Self::SkipDpop => preset == Preset::Fapi,
            // An app in the page: a public client of the code flow.
            Self::CorsRefused => code && !preset_is_confidential(preset),
        }
    }

    pub fn apply(self, form: &mut FlowForm) {
        use TextField as T;
        let seconds = |form: &FlowForm, field, fallback: u64| {
            form.text(field).trim().parse::<u64>().unwrap_or(fallback)
        };
        match self {
            Self::DenyConsent => {
                form.checks.insert(CheckField::Approve, false);
            }
            Self::WrongPassword => {
                form.texts.insert(T::Password, "guess".into());
            }
            Self::WrongClientSecret => {
                form.texts.insert(T::ClientSecret, "wrong-secret".into());
            }
            Self::UnregisteredScope => {
                let scope = format!("{} admin", form.text(T::Scope)).trim().to_owned();
                form.texts.insert(T::Scope, scope);
            }
            Self::UnregisteredRedirectUri => {
                form.texts
                    .insert(T::RedirectUri, "https://attacker.example/callback".into());
            }
            Self::SkipPkce => {
                form.checks.insert(CheckField::UsePkce, false);
            }
            Self::PlainPkce => {
                form.checks.insert(CheckField::UsePkce, true);
                form.choices
                    .insert(ChoiceField::PkceMethod, PkceMethod::Plain.as_str().into());
            }
            Self::ExpireCode => {
                let wait = seconds(form, T::CodeLifetime, 60) + 1;
                form.texts
                    .insert(T::WaitBeforeTokenRequest, wait.to_string());
            }
            Self::ReplayCode => {
                form.checks.insert(CheckField::ReloadCallback, true);
            }
            Self::LoseVerifier => {
                form.checks.insert(CheckField::UsePkce, true);
                form.checks.insert(CheckField::VerifierLost, true);
            }
            Self::SkipPar => {
                form.checks.insert(CheckField::UsePar, false);
                form.checks.insert(CheckField::RequirePar, true);
            }
            Self::SkipDpop => {
                form.checks.insert(CheckField::Dpop, false);
                form.checks.insert(CheckField::RequireDpop, true);
            }
            Self::CorsRefused => {
                form.checks.insert(CheckField::InBrowser, true);
                form.texts.insert(T::ServerAllowedOrigins, String::new());
            }
            Self::ExpireAccessToken => {
                let wait = seconds(form, T::AccessTokenLifetime, 300) + 1;
                form.texts.insert(T::WaitBetweenApiCalls, wait.to_string());
                // Without a proactive refresh the client meets the 401 itself.
                form.checks.insert(CheckField::ProactiveRefresh, false);
            }
            Self::PollTooFast => {
                form.texts.insert(T::DevicePollEvery, "2".into());
            }
            Self::ApproveTooLate => {
                // RFC 8628 section 3.2: the device code lives 600 s here.
                form.texts.insert(T::DeviceUserDelay, "660".into());
            }
        }
    }
}

/// Whether the flow's client is confidential, with a secret to send.
pub fn preset_is_confidential(preset: Preset) -> bool {
    matches!(
        preset,
        Preset::WebApp | Preset::ClientCredentials | Preset::Fapi
    )
}

/// A message per field that cannot be used as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(TextField, String)>);

impl FieldErrors {
    /// The field's first problem is the one shown.
    fn add(&mut self, field: TextField, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    pub fn get(&self, field: TextField) -> Option<&str> {
        self.0
            .iter()
            .find(|(with_error, _)| *with_error == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The origins a server's CORS policy allows, one per line: kept as typed,
/// since a server compares them byte for byte with the page's `Origin` and
/// a near miss (a trailing slash, `http` for `https`) is what a learner
/// should see fail. A line with a space in it is no origin at all; no line
/// means the server allows none.
fn origin_lines(text: &str) -> Result<Vec<String>, String> {
    let mut origins = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if line.contains(char::is_whitespace) {
            return Err(format!(
                "\"{line}\" is not an origin: put one origin, such as https://spa.example, on \
                 each line."
            ));
        }
        origins.push(line.to_owned());
    }
    Ok(origins)
}

/// RFC 6749 section 3.1.2: a redirection endpoint is an absolute URI
/// without a fragment.
fn absolute_url(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("Enter an absolute URL, such as https://spa.example/callback.".into());
    }
    let url = Url::parse(text).map_err(|error| format!("Not an absolute URL: {error}."))?;
    if url.fragment.is_some() {
        return Err(
            "A redirect URI must not have a fragment (#...) (RFC 6749 section 3.1.2).".into(),
        );
    }
    Ok(())
}

/// The scope as the client sends it: tokens of RFC 6749 section 3.3,
/// single spaces between them.
fn scope_text(text: &str) -> Result<String, String> {
    match Scope::parse(text) {
        Ok(_) => Ok(text.split_whitespace().collect::<Vec<_>>().join(" ")),
        Err(token) => Err(format!(
            "\"{token}\" is not a scope token: use printable ASCII without spaces, \" or \\ \
             (RFC 6749 section 3.3)."
        )),
    }
}

/// The longest wait a field takes: a year, so that the simulated clock
/// stays a sensible date.
pub const MAX_SECONDS: u64 = 365 * 24 * 3600;

fn parse_seconds(text: &str, min: u64) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a number of seconds.".into());
    }
    let value: u64 = text
        .parse()
        .map_err(|_| format!("\"{text}\" is not a whole number of seconds."))?;
    if value < min {
        return Err(format!("Enter at least {min} second."));
    }
    if value > MAX_SECONDS {
        return Err(format!("Enter at most {MAX_SECONDS} seconds (a year)."));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origins_a_server_allows_are_kept_as_typed_one_per_line() {
        let mut form = FlowForm::from_scenario(&Preset::Spa.scenario());
        form.texts.insert(
            TextField::ServerAllowedOrigins,
            " https://spa.example/ \n\nhttp://spa.example".into(),
        );
        form.texts
            .insert(TextField::ApiAllowedOrigins, String::new());
        let app = form.scenario(Preset::Spa).unwrap().browser_app.unwrap();
        // A near miss is what the learner typed, to see it fail.
        assert_eq!(
            app.server_allows,
            ["https://spa.example/", "http://spa.example"]
        );
        assert!(app.api_allows.is_empty(), "no line: the API allows none");
    }

    #[test]
    fn an_origin_with_a_space_in_it_gets_a_message() {
        let mut form = FlowForm::from_scenario(&Preset::Spa.scenario());
        form.texts.insert(
            TextField::ApiAllowedOrigins,
            "https://spa.example https://x.example".into(),
        );
        let errors = form.scenario(Preset::Spa).unwrap_err();
        assert!(
            errors
                .get(TextField::ApiAllowedOrigins)
                .is_some_and(|message| message.contains("is not an origin"))
        );
    }

    #[test]
    fn only_a_public_client_of_the_code_flow_runs_in_the_browser() {
        let in_browser = |preset: Preset| {
            let mut form = FlowForm::from_scenario(&preset.scenario());
            form.checks.insert(CheckField::InBrowser, true);
            form.scenario(preset).unwrap().browser_app.is_some()
        };
        assert!(in_browser(Preset::Spa));
        assert!(in_browser(Preset::OpenIdConnect));
        assert!(!in_browser(Preset::WebApp));
        assert!(!in_browser(Preset::Device));
        assert!(!in_browser(Preset::ClientCredentials));
    }

    #[test]
    fn each_preset_names_the_flow_its_scenario_runs() {
        for preset in Preset::ALL {
            assert_eq!(preset.flow(), preset.scenario().flow, "{preset:?}");
        }
    }

    #[test]
    fn every_preset_round_trips_through_its_slug() {
        for preset in Preset::ALL {
            assert_eq!(Preset::from_slug(preset.slug()), Some(preset));
        }
        assert_eq!(Preset::from_slug("implicit"), None);
    }

    #[test]
    fn an_untouched_form_gives_back_the_preset_scenario() {
        for preset in Preset::ALL {
            let form = FlowForm::from_scenario(&preset.scenario());
            assert_eq!(form.scenario(preset), Ok(preset.scenario()), "{preset:?}");
        }
    }

    #[test]
    fn rfc6749_3_1_2_a_redirect_uri_must_be_absolute_and_without_fragment() {
        let mut form = FlowForm::from_scenario(&Preset::Spa.scenario());
        form.texts
            .insert(TextField::RedirectUri, "/callback".into());
        let errors = form.scenario(Preset::Spa).unwrap_err();
        assert!(
            errors
                .get(TextField::RedirectUri)
                .unwrap()
                .contains("absolute URL")
        );

        form.texts
            .insert(TextField::RedirectUri, "https://spa.example/cb#x".into());
        let errors = form.scenario(Preset::Spa).unwrap_err();
        assert!(
            errors
                .get(TextField::RedirectUri)
                .unwrap()
                .contains("fragment")
        );
    }

    #[test]
    fn rfc6749_3_3_a_scope_token_with_a_quote_is_refused_by_name() {
        let mut form = FlowForm::default();
        form.texts.insert(TextField::Scope, "read \"all\"".into());
        let errors = form.scenario(Preset::Spa).unwrap_err();
        assert!(
            errors
                .get(TextField::Scope)
                .unwrap()
                .starts_with("\"\"all\"\"")
        );
    }

    #[test]
    fn a_wait_that_is_not_a_number_is_refused_and_kept_as_typed() {
        let mut form = FlowForm::default();
        form.texts
            .insert(TextField::WaitBeforeTokenRequest, "ten".into());
        let errors = form.scenario(Preset::Spa).unwrap_err();
        assert_eq!(
            errors.get(TextField::WaitBeforeTokenRequest),
            Some("\"ten\" is not a whole number of seconds.")
        );
        assert_eq!(form.text(TextField::WaitBeforeTokenRequest), "ten");
    }

    #[test]
    fn narrowing_the_scopes_at_consent_reaches_the_scenario() {
        let mut form = FlowForm::default();
        form.withheld_scopes.insert("write".into());
        let scenario = form.scenario(Preset::Spa).unwrap();
        assert_eq!(scenario.user.granted_scope.as_deref(), Some("read"));
    }

    #[test]
    fn a_public_client_form_never_sends_a_secret() {
        let mut form = FlowForm::default();
        form.texts.insert(TextField::ClientSecret, "oops".into());
        let scenario = form.scenario(Preset::Spa).unwrap();
        assert_eq!(scenario.client.client_secret, None);
    }

    /// Runs `scenario` as the screen does, with the code for DPoP, PAR and
    /// the rest.
    fn supported_run(scenario: &Scenario) -> oauth_engine::sim::run::Run {
        let key = oauth_engine::keys::demo_signing_key().unwrap();
        let mut rng = oauth_engine::rng::SeededRng::new(scenario.seed);
        let support = oauth_engine::sim::deployed::support(oauth_engine::jwa::ES256);
        scenario.run_supported(key, &mut rng, Some(support), &mut |_| {})
    }

    fn paths(run: &oauth_engine::sim::run::Run) -> Vec<&str> {
        run.trace
            .iter()
            .map(|exchange| exchange.request.url.path.as_str())
            .collect()
    }

    #[test]
    fn fapi_2_0_pushes_the_request_signs_an_assertion_and_binds_the_tokens() {
        let scenario = FlowForm::from_scenario(&Preset::Fapi.scenario())
            .scenario(Preset::Fapi)
            .unwrap();
        let run = supported_run(&scenario);
        assert_eq!(run.stopped, None);
        let paths = paths(&run);
        // RFC 9126 section 2: pushed first, then /authorize with its
        // request_uri only.
        let pushed = paths.iter().position(|p| *p == "/par").unwrap();
        let authorize = paths.iter().position(|p| *p == "/authorize").unwrap();
        assert!(pushed < authorize);
        let front = run.trace[authorize].request.url.to_string();
        assert!(front.contains("request_uri=") && !front.contains("redirect_uri="));
        let token = run
            .trace
            .iter()
            .find(|e| e.request.url.path == "/token" && e.response.status == 200)
            .unwrap();
        // RFC 7523 section 2.2: an assertion, no secret; RFC 9449 section
        // 5: a proof, and a DPoP token back.
        assert!(token.request.body.contains("client_assertion="));
        assert!(!token.request.body.contains("client_secret"));
        assert!(token.request.headers.get("DPoP").is_some());
        assert_eq!(token.response.json_body().unwrap()["token_type"], "DPoP");
    }

    #[test]
    fn rfc7009_2_1_the_sign_out_flow_revokes_and_the_api_then_refuses() {
        let run = supported_run(&Preset::SignOut.scenario());
        assert_eq!(run.stopped, None);
        assert!(paths(&run).contains(&"/revoke"));
        assert_eq!(run.trace.last().unwrap().response.status, 401);
    }

    #[test]
    fn rfc7662_2_the_api_introspects_the_opaque_tokens_of_the_introspection_flow() {
        let run = supported_run(&Preset::Introspection.scenario());
        assert_eq!(run.stopped, None);
        assert!(paths(&run).contains(&"/introspect"));
    }

    #[test]
    fn private_key_jwt_needs_no_secret_on_either_side() {
        let mut form = FlowForm::from_scenario(&Preset::WebApp.scenario());
        form.choices
            .insert(ChoiceField::AuthMethod, "private_key_jwt".into());
        form.texts
            .insert(TextField::RegisteredSecret, String::new());
        let scenario = form.scenario(Preset::WebApp).unwrap();
        assert_eq!(scenario.client.client_secret, None);
        assert_eq!(scenario.registration.client_secret, None);
        assert_eq!(supported_run(&scenario).stopped, None);
    }

    #[test]
    fn each_new_setting_reaches_the_scenario_and_runs_in_every_flow_it_shows_in() {
        for preset in Preset::ALL.into_iter().filter(|preset| preset.uses_form()) {
            let mut form = FlowForm::from_scenario(&preset.scenario());
            form.checks.insert(CheckField::Dpop, true);
            form.checks.insert(CheckField::OpaqueTokens, true);
            let scenario = form.scenario(preset).unwrap();
            assert!(scenario.policy.opaque_access_tokens, "{preset:?}");
            assert_eq!(
                scenario.client.dpop,
                preset.flow() != Flow::Device,
                "{preset:?}"
            );
            assert_eq!(supported_run(&scenario).stopped, None, "{preset:?}");
        }
    }

    /// Runs `preset` with `breakage` applied and returns what the learner
    /// reads: why the run stopped, and every response's status and body.
    fn broken_run(preset: Preset, breakage: Breakage) -> (Option<String>, String) {
        let mut form = FlowForm::from_scenario(&preset.scenario());
        breakage.apply(&mut form);
        let scenario = form
            .scenario(preset)
            .expect("a breakage keeps the form valid");
        let run = supported_run(&scenario);
        let responses = run
            .trace
            .iter()
            .map(|e| format!("{} {}", e.response.status, e.response.body))
            .collect::<Vec<_>>()
            .join("\n");
        (run.stopped, responses)
    }

    #[test]
    fn every_breakage_reaches_the_error_it_names_in_every_flow_it_applies_to() {
        for preset in Preset::ALL {
            for breakage in Breakage::ALL.into_iter().filter(|b| b.applies_to(preset)) {
                let (stopped, responses) = broken_run(preset, breakage);
                let seen = format!("{stopped:?}\n{responses}");
                let expected = match breakage {
                    Breakage::WrongPassword => "Wrong username or password",
                    Breakage::UnregisteredRedirectUri => "redirect_uri",
                    Breakage::ExpireAccessToken => "invalid_token",
                    Breakage::CorsRefused => "has been blocked by CORS policy",
                    other => other.expected(),
                };
                assert!(
                    seen.contains(expected),
                    "{preset:?} with {breakage:?} should show {expected}: {seen}"
                );
            }
        }
    }

    #[test]
    fn rfc6749_4_1_2_1_an_unregistered_redirect_uri_gets_an_error_page_not_a_redirect() {
        let mut form = FlowForm::default();
        Breakage::UnregisteredRedirectUri.apply(&mut form);
        let run = form
            .scenario(Preset::Spa)
            .unwrap()
            .run(oauth_engine::keys::demo_signing_key().unwrap());
        assert!(run.trace.iter().all(|e| e.response.status != 302));
        assert!(run.stopped.unwrap().contains("error"));
    }

    #[test]
    fn rfc6749_6_an_expired_access_token_is_refreshed_and_the_call_retried() {
        let (stopped, responses) = broken_run(Preset::Spa, Breakage::ExpireAccessToken);
        assert_eq!(stopped, None, "the retry succeeds: {responses}");
        assert!(responses.contains("401"));
        assert!(responses.contains("refresh_token"));
    }

    #[test]
    fn a_confidential_client_sends_what_its_field_holds() {
        let mut form = FlowForm::from_scenario(&Preset::WebApp.scenario());
        form.texts.insert(TextField::ClientSecret, "guess".into());
        let scenario = form.scenario(Preset::WebApp).unwrap();
        assert_eq!(scenario.client.client_secret.as_deref(), Some("guess"));
        assert_eq!(
            scenario.registration.client_secret.as_deref(),
            Some("webapp-secret-7Hq2")
        );
    }
}
