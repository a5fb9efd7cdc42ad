//! Why a flow stopped early: what every flow returns, kept apart from the
//! scenario and the run that dispatch to the flows.

use super::client::ClientError;

/// Why a flow stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    Client(ClientError),
    /// The authorization server showed the user an error page.
    ErrorPage(String),
    WrongPassword,
    /// The scenario uses DPoP, PAR, `private_key_jwt`, introspection or
    /// revocation, and the run was not given their code (`run::Support`).
    NotSupported,
    /// The scenario's app runs in the page, and the run was not given the
    /// code for its cross-origin requests (`run::PageMaker`).
    PageNotLoaded,
    /// The browser kept a server's answer from the app in the page (CORS):
    /// the app's `fetch` rejected, and the console said this.
    BlockedByCors(String),
    /// The scenario names the agent's flow, which `agent::AgentScenario`
    /// runs with settings of its own.
    AgentRunsApart,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Client(error) => write!(f, "{error}"),
            Self::ErrorPage(message) => {
                write!(f, "the authorization server shows an error: {message}")
            }
            Self::WrongPassword => {
                f.write_str("the password is wrong: the user stays on the sign-in page")
            }
            Self::NotSupported => f.write_str(
                "this run needs the code for DPoP, PAR, private_key_jwt, introspection and \
                 revocation, which was not loaded",
            ),
            Self::PageNotLoaded => f.write_str(
                "this run's app runs in the browser, and the code for its cross-origin \
                 requests (CORS) was not loaded",
            ),
            Self::AgentRunsApart => f.write_str(
                "an AI agent's flow runs from its own settings (AgentScenario), not from a \
                 client's scenario",
            ),
            // The console's message first: it ends with a full stop of its
            // own, and whoever shows this may add one.
            Self::BlockedByCors(message) => write!(
                f,
                "the browser kept the answer from the app (CORS). The console says: \"{message}\", \
                 and the app's fetch failed with \"TypeError: Failed to fetch\""
            ),
        }
    }
}

impl From<ClientError> for Stop {
    fn from(error: ClientError) -> Self {
        Self::Client(error)
    }
}
