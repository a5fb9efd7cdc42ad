//! Which way a message travels (RFC 6749 section 1.3.1 and RFC 9700
//! section 2): through the user's browser, or directly between servers.

/// The channel an OAuth message travels on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Through the user agent: redirects and URLs the browser sees, that
    /// land in its address bar and history and can leak from there.
    Front,
    /// Directly from the client to a server, over TLS, never through the
    /// browser.
    Back,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Self::Front => "front channel",
            Self::Back => "back channel",
        }
    }
}
