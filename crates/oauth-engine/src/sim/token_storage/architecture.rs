//! The four ways of building the same browser app that the comparison
//! runs, after the patterns of draft-ietf-oauth-browser-based-apps-26
//! section 6: the app alone in the browser (section 6.3), keeping its
//! tokens in `localStorage` (section 8.5) or in memory (section 8.4); a
//! token-mediating backend (section 6.2); a backend for frontend (section
//! 6.1).

use crate::server::ClientAuthMethod;
use crate::sim::page_fetch::BrowserApp;
use crate::sim::scenario::Scenario;

/// The origin of the app with a backend: its pages, and the backend that
/// serves them and is the OAuth client.
const BACKEND_ORIGIN: &str = "https://app.example";

/// The secret the backend authenticates with: the server has it registered
/// as a confidential client (sections 6.1.3.1 and 6.2.3.1).
const BACKEND_SECRET: &str = "backend-secret";

/// How the app is built: where OAuth runs, and where its tokens live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Architecture {
    /// The page is the client, and keeps its tokens in `localStorage`.
    LocalStorage,
    /// The page is the client, and keeps its tokens in a variable, with
    /// refresh token rotation.
    Memory,
    /// A backend is the client and hands the page an access token; the
    /// refresh token stays on the backend.
    TokenMediatingBackend,
    /// A backend is the client and calls the API for the page, which holds
    /// only a session cookie.
    Bff,
}

impl Architecture {
    pub const ALL: [Self; 4] = [
        Self::LocalStorage,
        Self::Memory,
        Self::TokenMediatingBackend,
        Self::Bff,
    ];

    /// The architecture's name in a URL.
    pub fn slug(self) -> &'static str {
        match self {
            Self::LocalStorage => "local-storage",
            Self::Memory => "memory",
            Self::TokenMediatingBackend => "token-mediating-backend",
            Self::Bff => "bff",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|which| which.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::LocalStorage => "Browser only, tokens in localStorage",
            Self::Memory => "Browser only, tokens in memory",
            Self::TokenMediatingBackend => "Token-mediating backend",
            Self::Bff => "Backend for frontend (BFF)",
        }
    }

    /// Where the draft describes it.
    pub fn section(self) -> &'static str {
        match self {
            Self::LocalStorage => "6.3 and 8.5",
            Self::Memory => "6.3 and 8.4",
            Self::TokenMediatingBackend => "6.2",
            Self::Bff => "6.1",
        }
    }

    /// How it works, in two sentences.
    pub fn summary(self) -> &'static str {
        match self {
            Self::LocalStorage => {
                "The app's JavaScript is the OAuth client, a public one with PKCE. It keeps \
                 the access and refresh tokens in localStorage, so they survive a reload."
            }
            Self::Memory => {
                "The app's JavaScript is the OAuth client, a public one with PKCE. It keeps \
                 the tokens in a variable, and the server rotates the refresh token at every \
                 use."
            }
            Self::TokenMediatingBackend => {
                "A backend is the OAuth client, a confidential one with a secret. It keeps \
                 the refresh token and hands the page an access token, which the page sends \
                 to the API itself."
            }
            Self::Bff => {
                "A backend is the OAuth client, a confidential one with a secret, and calls \
                 the API for the page. The page holds a session cookie that no script can \
                 read, and never sees a token."
            }
        }
    }

    /// Whether the OAuth client runs in the page: a public client, since
    /// code that runs in a browser cannot keep a secret (section 6.3.3.1).
    pub fn client_in_page(self) -> bool {
        matches!(self, Self::LocalStorage | Self::Memory)
    }

    /// The scenario the app signs in with: the default code flow with PKCE
    /// in the page, under CORS, or the same flow by a confidential client
    /// on the backend, which must use PKCE too (section 6.1.3.1).
    pub fn scenario(self, seed: u64) -> Scenario {
        let mut scenario = Scenario {
            seed,
            ..Scenario::default()
        };
        if self.client_in_page() {
            scenario.browser_app = Some(BrowserApp::default());
            return scenario;
        }
        let redirect_uri = format!("{BACKEND_ORIGIN}/callback");
        scenario.client.client_id = "web-app".into();
        scenario.client.client_secret = Some(BACKEND_SECRET.into());
        scenario.client.auth_method = ClientAuthMethod::ClientSecretBasic;
        scenario.client.redirect_uri = redirect_uri.clone();
        scenario.registration.redirect_uris = vec![redirect_uri];
        scenario.registration.client_secret = Some(BACKEND_SECRET.into());
        scenario
    }
}
