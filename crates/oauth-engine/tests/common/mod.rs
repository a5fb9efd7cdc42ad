//! The fixture the server tests share: an authorization server with a few
//! clients and a user, and `Sim`, which drives it as a browser and a client
//! would.
// Each test binary uses a different part of this.
#![allow(dead_code)]

use oauth_engine::clock::UnixTime;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::jose::SigningKey;
use oauth_engine::jwa::ES256;
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{
    AuthorizationServer, ClientAuthMethod, ClientRegistration, GrantType, ServerConfig,
    ServerPolicy, User, offered_scopes,
};
use oauth_engine::sim::trace::Exchange;
use oauth_engine::types::{ClientId, ClientSecret, RedirectUri, Scope, Subject};
use serde_json::Value;

pub const T0: UnixTime = UnixTime(1_700_000_000);
pub const SPA_CALLBACK: &str = "https://spa.example/callback";
pub const WEB_CALLBACK: &str = "https://webapp.example/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The private scalar of the `backend` client's key (private_key_jwt).
pub const BACKEND_KEY: [u8; 32] = [42; 32];

pub fn backend_key() -> oauth_engine::es256::P256Key {
    oauth_engine::es256::P256Key::from_scalar(&BACKEND_KEY, ES256).unwrap()
}

pub fn signing_key() -> SigningKey {
    oauth_engine::keys::demo_signing_key().unwrap()
}

pub fn client(
    id: &str,
    secret: Option<&str>,
    auth_method: ClientAuthMethod,
    redirect_uris: &[&str],
    grant_types: &[GrantType],
    scope: &str,
) -> ClientRegistration {
    ClientRegistration {
        client_id: ClientId::new(id),
        secret: secret.map(ClientSecret::new),
        auth_method,
        redirect_uris: redirect_uris
            .iter()
            .map(|uri| RedirectUri::new(*uri))
            .collect(),
        grant_types: grant_types.to_vec(),
        allowed_scope: Scope::parse(scope).unwrap(),
        public_jwk: None,
    }
}

pub fn server_with(policy: ServerPolicy) -> AuthorizationServer {
    use GrantType::*;
    let config = ServerConfig {
        issuer: Url::parse("https://as.example").unwrap(),
        audience: "https://api.example".into(),
        resources: Vec::new(),
        policy,
        clients: vec![
            client(
                "spa",
                None,
                ClientAuthMethod::None,
                &[SPA_CALLBACK],
                &[AuthorizationCode, RefreshToken],
                "read write",
            ),
            client(
                "webapp",
                Some("webapp-secret"),
                ClientAuthMethod::ClientSecretBasic,
                &[WEB_CALLBACK, "https://webapp.example/other"],
                &[AuthorizationCode, RefreshToken],
                "openid profile read write",
            ),
            client(
                "service",
                Some("service-secret"),
                ClientAuthMethod::ClientSecretPost,
                &[],
                &[ClientCredentials],
                "reports:read",
            ),
            client(
                "tv",
                None,
                ClientAuthMethod::None,
                &[],
                &[DeviceCode, RefreshToken],
                "openid read",
            ),
            client(
                "implicit-app",
                None,
                ClientAuthMethod::None,
                &[SPA_CALLBACK],
                &[Implicit],
                "read",
            ),
            // A confidential client with no secret: it signs assertions
            // with the key whose private scalar is BACKEND_KEY.
            ClientRegistration {
                public_jwk: Some(backend_key().public_jwk().clone()),
                ..client(
                    "backend",
                    None,
                    ClientAuthMethod::PrivateKeyJwt,
                    &[WEB_CALLBACK],
                    &[AuthorizationCode, ClientCredentials],
                    "read",
                )
            },
        ],
        users: vec![User {
            subject: Subject::new("user-alice"),
            username: "alice".into(),
            password: "wonderland".into(),
            name: "Alice Liddell".into(),
            email: "alice@example.com".into(),
        }],
    };
    let mut server = AuthorizationServer::new(config, signing_key());
    // Every fixture server has DPoP, PAR, revocation and introspection, as
    // the interop harness's does.
    server.support(&oauth_engine::server::AllExtensions, ES256);
    server
}

pub fn server() -> AuthorizationServer {
    server_with(ServerPolicy::default())
}

/// One simulation: a server, its clock and its random source.
pub struct Sim {
    pub server: AuthorizationServer,
    pub now: UnixTime,
    pub rng: SeededRng,
    /// The authorization server's login session cookie, once set.
    pub session_cookie: Option<String>,
    /// The scopes the last consent page offered, ticked as it shows them.
    pub offered_scopes: Vec<String>,
    /// The single sign-on in front of the server, which answers
    /// prompt=none; `None` for a server without one.
    pub sso: Option<oauth_engine::server::SingleSignOn>,
}

impl Sim {
    pub fn new(server: AuthorizationServer) -> Self {
        Self {
            server,
            now: T0,
            rng: SeededRng::new(7),
            session_cookie: None,
            offered_scopes: Vec::new(),
            sso: Some(Default::default()),
        }
    }

    /// Sends a request as the user's browser would: with the server's
    /// login session cookie once it has set one.
    pub fn send(&mut self, mut request: Request) -> Response {
        if let Some(session) = &self.session_cookie
            && request.headers.get("Cookie").is_none()
        {
            request = request.with_header("Cookie", format!("as_session={session}"));
        }
        let response = match &mut self.sso {
            Some(sso) => {
                use oauth_engine::server::Front;
                sso.handle(&mut self.server, &request, self.now, &mut self.rng)
            }
            None => self.server.handle(&request, self.now, &mut self.rng),
        };
        if response.body.contains("name=\"decision\"") {
            self.offered_scopes = offered_scopes(&response.body);
        }
        if let Some(value) = response.headers.get("Set-Cookie")
            && let Some(session) = value
                .split(';')
                .next()
                .and_then(|v| v.strip_prefix("as_session="))
        {
            self.session_cookie = Some(session.to_owned());
        }
        response
    }

    pub fn authorize(&mut self, query: &[(&str, &str)]) -> Response {
        let url = Url::parse("https://as.example/authorize")
            .unwrap()
            .with_query(query);
        self.send(Request::get(url))
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let url = Url::parse(&format!("https://as.example{path}")).unwrap();
        self.send(Request::post_form(url, form))
    }

    /// Authorize and log in as alice: the transaction waiting for consent.
    pub fn sign_in(&mut self, query: &[(&str, &str)]) -> String {
        let login = self.authorize(query);
        assert_eq!(login.status, 200, "{}", login.body);
        let transaction = hidden_field(&login.body, "transaction");
        let consent = self.post(
            "/login",
            &[
                ("transaction", &transaction),
                ("username", "alice"),
                ("password", "wonderland"),
            ],
        );
        assert_eq!(consent.status, 200, "{}", consent.body);
        transaction
    }

    /// Answers the consent page of `transaction` with `fields`.
    pub fn consent(&mut self, transaction: &str, fields: &[(&str, &str)]) -> Response {
        let mut form = vec![("transaction", transaction)];
        form.extend_from_slice(fields);
        self.post("/consent", &form)
    }

    /// Answers the last consent page with `decision` ("approve" or
    /// "deny") and every scope it offers left ticked, as a browser submits
    /// the form untouched.
    pub fn decide(&mut self, transaction: &str, decision: &str) -> Response {
        let scopes = self.offered_scopes.clone();
        let mut form: Vec<(&str, &str)> = scopes.iter().map(|s| ("scope", s.as_str())).collect();
        form.push(("decision", decision));
        self.consent(transaction, &form)
    }

    /// Authorize, log in as alice, approve: the redirect back.
    pub fn approve(&mut self, query: &[(&str, &str)]) -> Url {
        let transaction = self.sign_in(query);
        location(&self.decide(&transaction, "approve"))
    }

    /// The code from an approved SPA authorization with PKCE S256.
    pub fn spa_code(&mut self) -> String {
        let back = self.approve(&spa_query());
        query_value(&back, "code").expect("a code in the redirect")
    }

    pub fn spa_token_request(&mut self, code: &str, verifier: &str) -> Response {
        self.post(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", SPA_CALLBACK),
                ("client_id", "spa"),
                ("code_verifier", verifier),
            ],
        )
    }

    /// The code of an approved SPA authorization request that names
    /// `resource` (RFC 8707).
    pub fn spa_code_for(&mut self, resource: &'static str) -> String {
        let back = self.approve(&with(&spa_query(), "resource", resource));
        query_value(&back, "code").expect("a code in the redirect")
    }

    /// The SPA's token request for `code`, naming `resource` if given.
    pub fn spa_token_request_for(&mut self, code: &str, resource: Option<&str>) -> Response {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", SPA_CALLBACK),
            ("client_id", "spa"),
            ("code_verifier", VERIFIER),
        ];
        form.extend(resource.map(|resource| ("resource", resource)));
        self.post("/token", &form)
    }

    pub fn refresh(&mut self, token: &str) -> Response {
        self.post(
            "/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", token),
                ("client_id", "spa"),
            ],
        )
    }
}

pub fn spa_query() -> Vec<(&'static str, &'static str)> {
    vec![
        ("response_type", "code"),
        ("client_id", "spa"),
        ("redirect_uri", SPA_CALLBACK),
        ("scope", "read write"),
        ("state", "af0ifjsldkj"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

pub fn with(
    query: &[(&'static str, &'static str)],
    name: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut query: Vec<_> = query.iter().filter(|(n, _)| *n != name).cloned().collect();
    query.push((name, value));
    query
}

pub fn without(
    query: &[(&'static str, &'static str)],
    name: &str,
) -> Vec<(&'static str, &'static str)> {
    query.iter().filter(|(n, _)| *n != name).cloned().collect()
}

pub fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

pub fn location(response: &Response) -> Url {
    assert_eq!(
        response.status,
        302,
        "expected a redirect, got {}",
        response.to_http_text()
    );
    Url::parse(response.headers.get("Location").unwrap()).unwrap()
}

pub fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

pub fn json(response: &Response) -> Value {
    response.json_body().expect("a JSON body")
}

pub fn error_of(response: &Response) -> String {
    json(response)["error"].as_str().unwrap().to_owned()
}

pub fn claims(sim: &Sim, token: &str) -> serde_json::Map<String, Value> {
    sim.server
        .signing_key()
        .verifying_key()
        .verify(token)
        .unwrap()
        .claims()
        .unwrap()
}

/// Tokens for the web app with `scope`, after alice signs in at T0.
pub fn webapp_tokens(sim: &mut Sim, scope: &'static str) -> Value {
    webapp_tokens_bound_to(sim, scope, None)
}

/// The same, the token request carrying a DPoP proof by `key` if given
/// (RFC 9449 section 5): then bound to it.
pub fn webapp_tokens_bound_to(
    sim: &mut Sim,
    scope: &'static str,
    key: Option<&oauth_engine::dpop::DpopKey>,
) -> Value {
    let query = [
        ("response_type", "code"),
        ("client_id", "webapp"),
        ("redirect_uri", "https://webapp.example/callback"),
        ("scope", scope),
        ("nonce", "n-0S6_WzA2Mj"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let code = query_value(&sim.approve(&query), "code").unwrap();
    let request = Request::post_form(
        Url::parse("https://as.example/token").unwrap(),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://webapp.example/callback"),
            ("code_verifier", VERIFIER),
        ],
    )
    .with_header(
        "Authorization",
        oauth_engine::server::basic_credentials("webapp", "webapp-secret"),
    );
    let request = match key {
        Some(key) => {
            let claims = oauth_engine::dpop::ProofClaims::for_request(
                oauth_engine::http::Method::Post,
                &request.url,
                sim.now,
                &mut SeededRng::new(1),
            )
            .unwrap();
            request.with_header("DPoP", key.proof(&claims))
        }
        None => request,
    };
    let response = sim.send(request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

/// The SPA's tokens after code + PKCE, the token request carrying a DPoP
/// proof by `key` (RFC 9449 section 5): bound to it.
pub fn spa_tokens_bound_to(sim: &mut Sim, key: &oauth_engine::dpop::DpopKey) -> Value {
    use oauth_engine::dpop::ProofClaims;
    use oauth_engine::http::Method;
    let code = sim.spa_code();
    let url = Url::parse("https://as.example/token").unwrap();
    let claims =
        ProofClaims::for_request(Method::Post, &url, sim.now, &mut SeededRng::new(1)).unwrap();
    let request = Request::post_form(
        url,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", SPA_CALLBACK),
            ("client_id", "spa"),
            ("code_verifier", VERIFIER),
        ],
    )
    .with_header("DPoP", key.proof(&claims));
    let response = sim.send(request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

/// Every name in an exchange, for the glossary tests: in its query, form
/// body, redirect's query, a JSON response's top level and the headers.
pub fn names_in(exchange: &Exchange) -> Vec<String> {
    let request = &exchange.request;
    let json_body = request
        .headers
        .get("Content-Type")
        .is_some_and(|value| value.starts_with("application/json"));
    let form = if json_body {
        Vec::new()
    } else {
        request.params().unwrap_or_default()
    };
    let mut names: Vec<String> = request
        .url
        .query_pairs()
        .unwrap_or_default()
        .into_iter()
        .chain(form)
        .map(|(name, _)| name)
        .collect();
    // A JSON request (a registration, an MCP message): its top level.
    if let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&request.body)
        && json_body
    {
        names.extend(body.keys().cloned());
    }
    if let Some(location) = exchange
        .response
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
    {
        names.extend(
            location
                .query_pairs()
                .unwrap_or_default()
                .into_iter()
                .map(|(n, _)| n),
        );
    }
    if let Some(Value::Object(body)) = exchange.response.json_body() {
        names.extend(body.keys().cloned());
    }
    names.extend(exchange.request.headers.iter().map(|(n, _)| n.to_owned()));
    names.extend(exchange.response.headers.iter().map(|(n, _)| n.to_owned()));
    names
}

/// A whole run of `scenario`, given the code for DPoP and the rest and its
/// seeded random source, as the app runs one.
pub fn supported_run(
    scenario: &oauth_engine::sim::scenario::Scenario,
) -> oauth_engine::sim::run::Run {
    let key = oauth_engine::keys::demo_signing_key().unwrap();
    let mut rng = SeededRng::new(scenario.seed);
    let support = oauth_engine::sim::deployed::support(ES256);
    scenario.run_supported(key, &mut rng, Some(support), &mut |_| {})
}
