//! The trace: every message of a run, in order. The single source of truth
//! for the UI (diagram, inspector, exports) and for the tests.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::flow::Flow;
use crate::channel::Channel;
use crate::clock::UnixTime;
use crate::http::{Request, Response, Url, reason_phrase};

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
    /// host loaded by a page.
    ThirdParty,
    /// The attacker of the attack lab: its site, its app on the victim's
    /// device, its own authorization server, and the requests it sends.
    Attacker,
    /// An MCP server acting as a resource server for an AI agent, which is
    /// then the client (MCP authorization, revision 2026-07-28).
    ToolServer,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Self::Browser => "Browser",
            Self::Client => "Client",
            Self::AuthorizationServer => "Authorization server",
            Self::ResourceServer => "Resource server",
            Self::ThirdParty => "Third party",
            Self::Attacker => "Attacker",
            Self::ToolServer => "Tool server",
        }
    }

    /// The heading of this party's lane on the sequence diagram. In the
    /// device flow the client is the device itself (RFC 8628 section 1),
    /// and the browser is the user's other device.
    pub fn lane_label(self, flow: Flow) -> &'static str {
        match self {
            Self::Browser => "User and browser",
            Self::Client if flow == Flow::Device => "Device (client)",
            Self::Client if flow == Flow::Agent => "AI agent (MCP client)",
            Self::Client => "Client",
            Self::AuthorizationServer => "Authorization server",
            Self::ResourceServer => "Resource server",
            Self::ThirdParty => "Third-party site",
            Self::Attacker => "Attacker",
            Self::ToolServer => "Tool server (MCP)",
        }
    }

    /// A short ASCII identifier, for diagram languages (Mermaid) whose
    /// participant names cannot hold spaces.
    pub fn mermaid_id(self) -> &'static str {
        match self {
            Self::Browser => "B",
            Self::Client => "C",
            Self::AuthorizationServer => "AS",
            Self::ResourceServer => "RS",
            Self::ThirdParty => "TP",
            Self::Attacker => "ATK",
            Self::ToolServer => "TS",
        }
    }
}

/// Every party, in the order of the diagram's lanes: the user on the left,
/// the client between them and the servers, outsiders on the right.
const LANE_ORDER: [Party; 7] = [
    Party::Browser,
    Party::Client,
    Party::AuthorizationServer,
    Party::ToolServer,
    Party::ResourceServer,
    Party::ThirdParty,
    Party::Attacker,
];

/// The parties that send or receive anything in `trace`, in lane order.
pub fn lanes(trace: &[Exchange]) -> Vec<Party> {
    LANE_ORDER
        .into_iter()
        .filter(|party| trace.iter().any(|e| e.from == *party || e.to == *party))
        .collect()
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
    /// A top-level navigation of the browser: the address bar changes to
    /// the request URL and history gains it. False for back-channel
    /// requests and for what a page loads (images, scripts), which never
    /// show in the address bar.
    pub navigates: bool,
    /// The fragment of the URL the browser navigated to: it stays in the
    /// address bar and the history, where the page's scripts can read it,
    /// but is never sent, so `request.url` has none (RFC 3986 section 3.5,
    /// RFC 9112 section 3.2). Where the implicit grant's token travels.
    pub fragment: Option<String>,
    /// Simulated time when the request was sent.
    pub at: UnixTime,
    /// What happens in this step and why, in a sentence or two.
    pub explanation: String,
    pub rfc_refs: Vec<RfcRef>,
}

impl Exchange {
    /// Method and path, e.g. `GET /authorize`: a label for the step. Never
    /// the query, which carries codes, states and (in the bad old implicit
    /// grant) tokens that must not end up in labels or screenshots.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.request.method.as_str(), self.request.url.path)
    }

    /// Status code and reason phrase, e.g. `302 Found`.
    pub fn status_line(&self) -> String {
        let status = self.response.status;
        match reason_phrase(status) {
            "" => status.to_string(),
            reason => format!("{status} {reason}"),
        }
    }

    /// The URL the browser shows for this request: the one requested,
    /// with the fragment that was kept back.
    pub fn address(&self) -> Url {
        Url {
            fragment: self.fragment.clone(),
            ..self.request.url.clone()
        }
    }

    /// Request and response as they cross the wire.
    pub fn to_http_text(&self) -> String {
        format!(
            "{}\r\n\r\n{}",
            self.request.to_http_text(),
            self.response.to_http_text()
        )
    }
}

/// What the browser shows after a step: its address bar and history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserAt {
    /// The address bar, or `None` before the first navigation.
    pub address: Option<Url>,
    /// Every top-level URL visited so far, oldest first.
    pub history: Vec<Url>,
}

/// The browser's address bar and history after the exchange at `step`
/// (inclusive), replayed from the trace's navigations. A step past the end
/// is read as the last one, so a stale index from the UI cannot panic.
pub fn browser_at(trace: &[Exchange], step: usize) -> BrowserAt {
    let end = step.saturating_add(1).min(trace.len());
    let history: Vec<Url> = trace[..end]
        .iter()
        .filter(|exchange| exchange.navigates)
        .map(Exchange::address)
        .collect();
    BrowserAt {
        address: history.last().cloned(),
        history,
    }
}
