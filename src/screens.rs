//! The screens the app has. The navigation bar and the home page both read
//! this list, so a screen appears in both or in neither.

pub struct Screen {
    /// Route path, relative to the app's base.
    pub path: &'static str,
    /// Short name for the navigation bar.
    pub nav_label: &'static str,
    /// Full name, for headings and the document title.
    pub title: &'static str,
    /// One sentence on what the screen teaches.
    pub summary: &'static str,
}

pub const SCREENS: &[Screen] = &[
    Screen {
        path: "/flow",
        nav_label: "Flows",
        title: "Flow simulator",
        summary: "Run authorization code, PKCE, client credentials, device, refresh and \
                  OpenID Connect step by step: every HTTP message, front and back channel, \
                  and every error path one click away.",
    },
    Screen {
        path: "/jwt",
        nav_label: "JWT",
        title: "JWT debugger",
        summary: "Paste a token to read its header and claims, with what each claim means, \
                  its times in UTC and relative, and warnings; check its signature with a \
                  secret, a JWK or a JWKS.",
    },
    Screen {
        path: "/compare",
        nav_label: "Implicit vs Code",
        title: "Implicit vs Code",
        summary: "The same sign-in run with the implicit grant and with authorization code \
                  and PKCE, side by side: watch where the access token leaks, step by step, \
                  and read the verdict.",
    },
    Screen {
        path: "/token-storage",
        nav_label: "Token storage",
        title: "Where tokens live",
        summary: "The same app four ways (tokens in localStorage, in memory, a token-mediating \
                  backend, a BFF), attacked by the same injected script: what it takes, and \
                  what still works once the tab is closed.",
    },
    Screen {
        path: "/attacks",
        nav_label: "Attacks",
        title: "Attack lab",
        summary: "Eighteen attacks, from login CSRF and code interception to tokens read \
                  from storage and an AI agent's token passed through: switch each defence \
                  off and on and see what stops the attacker.",
    },
    Screen {
        path: "/lessons",
        nav_label: "Lessons",
        title: "Guided lessons",
        summary: "Step through authorization code, PKCE, refresh rotation, client \
                  credentials, the device flow, implicit vs code and each attack, predicting \
                  who sends the next message and whether it succeeds before it is shown.",
    },
    Screen {
        path: "/pkce",
        nav_label: "PKCE",
        title: "PKCE generator",
        summary: "Make a code verifier, see its S256 and plain challenges, check a pair, \
                  and learn why PKCE stops authorization code interception (RFC 7636).",
    },
];
