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
        }
    }
}

impl From<ClientError> for Stop {
    fn from(error: ClientError) -> Self {
        Self::Client(error)
    }
}
