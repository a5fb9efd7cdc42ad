//! The trace: every message of a run, in order. The single source of truth
//! for the UI (diagram, inspector, exports) and for the tests.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::clock::UnixTime;
use crate::http::{Request, Response};

/// The parties of OAuth (RFC 6749 section 1.1), one lane each on the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The resource owner's user agent.
    Browser,
    Client,
    AuthorizationServer,
    ResourceServer,
    /// Whatever outside the protocol receives a leaked value: a third-party
    /// host loaded by a page, or an attacker.
    ThirdParty,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Self::Browser => "Browser",
            Self::Client => "Client",
            Self::AuthorizationServer => "Authorization server",
            Self::ResourceServer => "Resource server",
            Self::ThirdParty => "Third party",
        }
    }
}

/// A section of an RFC, for "why" links beside each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfcRef {
    pub rfc: u16,
    pub section: &'static str,
}

impl RfcRef {
    pub const fn new(rfc: u16, section: &'static str) -> Self {
        Self { rfc, section }
    }

    pub fn url(self) -> String {
        format!(
            "https://www.rfc-editor.org/rfc/rfc{}#section-{}",
            self.rfc, self.section
        )
    }
}

impl fmt::Display for RfcRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RFC {} section {}", self.rfc, self.section)
    }
}

/// One request and its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub from: Party,
    pub to: Party,
    pub channel: Channel,
    pub request: Request,
    pub response: Response,
    /// Simulated time when the request was sent.
    pub at: UnixTime,
    /// What happens in this step and why, in a sentence or two.
    pub explanation: String,
    pub rfc_refs: Vec<RfcRef>,
}

impl Exchange {
    /// Request and response as they cross the wire.
    pub fn to_http_text(&self) -> String {
        format!(
            "{}\r\n\r\n{}",
            self.request.to_http_text(),
            self.response.to_http_text()
        )
    }
}
