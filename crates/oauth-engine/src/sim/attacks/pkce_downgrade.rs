//! PKCE downgrade (RFC 9700 section 4.8): something on the way to the
//! server strips or weakens the code challenge, then the code is
//! intercepted; a server that requires PKCE with S256 is the defence.

use super::attack::Outcome;
use super::moves::{
    intercept_and_redeem, last, location, no_randomness, stopped_here, victim_signs_in,
};
use crate::http::{Request, Url};
use crate::server::PkcePolicy;
use crate::sim::attacker::{ATTACKER, Forward};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

const DOWNGRADE: [RfcRef; 2] = [RfcRef::new(9700, "4.8"), RfcRef::new(7636, "4.4.1")];

/// How the attacker downgrades PKCE on the way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Downgrade {
    /// Remove code_challenge and code_challenge_method.
    #[default]
    Strip,
    /// Change code_challenge_method to plain: the challenge, which the
    /// attacker has just read, then works as the verifier.
    ForcePlain,
}

/// A 3. PKCE downgrade, then interception as in attack 2.
pub(super) fn pkce_downgrade(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    how: Downgrade,
) -> Outcome {
    network.attacker.origins.push("com.example.app:".into());
    let (remove, set) = match how {
        Downgrade::Strip => (
            vec![
                "code_challenge".to_owned(),
                "code_challenge_method".to_owned(),
            ],
            Vec::new(),
        ),
        Downgrade::ForcePlain => (
            Vec::new(),
            vec![("code_challenge_method".to_owned(), "plain".to_owned())],
        ),
    };
    network.attacker.forward_authorize = Some(Forward {
        to: network.server.endpoint("/authorize"),
        remove,
        set,
    });
    // The request the app makes, which reaches the attacker first.
    let Ok(honest) =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let via_attacker = Url {
        origin: ATTACKER.into(),
        ..honest
    };
    navigate(
        network,
        browser,
        Request::get(via_attacker),
        match how {
            Downgrade::Strip => {
                "The app's authorization request, with its S256 code_challenge, passes through \
                 something the attacker controls on the way (a malicious browser extension, \
                 say). It removes code_challenge and code_challenge_method and sends the rest \
                 on."
            }
            Downgrade::ForcePlain => {
                "The app's authorization request passes through something the attacker \
                 controls on the way. It notes the code_challenge and changes \
                 code_challenge_method to plain, so that the challenge itself becomes the \
                 verifier."
            }
        },
        &DOWNGRADE,
    );
    let Some(downgraded) = location(&network.trace[last(network)].response) else {
        return stopped_here(network);
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        downgraded,
        if scenario.policy.pkce == PkcePolicy::RequireS256 {
            "The browser arrives at the authorization server with the downgraded request. This \
             server requires PKCE with S256, so it refuses: an error redirect with \
             invalid_request, and no code is ever issued."
        } else {
            "The browser arrives at the authorization server with the downgraded request. This \
             server treats PKCE as optional (and accepts plain), so it goes along: the sign-in \
             page, and a code bound to no challenge the real app made."
        },
        &DOWNGRADE,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let verifier = match how {
        Downgrade::Strip => None,
        Downgrade::ForcePlain => network.attacker.captured("code_challenge"),
    };
    intercept_and_redeem(scenario, network, browser, &redirect, verifier.as_deref())
}
