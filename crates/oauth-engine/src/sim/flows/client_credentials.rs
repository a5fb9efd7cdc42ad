//! The client credentials grant (RFC 6749 section 4.4): the client asks
//! for a token on its own behalf, with no user and no browser.

use super::steps::call_api;
use crate::channel::Channel;
use crate::sim::client::Client;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};

const CLIENT_CREDENTIALS: [RfcRef; 1] = [RfcRef::new(6749, "4.4.2")];

/// Client credentials: a token for the client itself, cached until shortly
/// before it expires.
pub(in crate::sim) fn client_credentials(
    scenario: &Scenario,
    network: &mut Network<'_>,
    client: &mut Client,
) -> Result<(), Stop> {
    fetch_client_token(network, client)?;
    call_api(network, client)?;
    network.clock.advance(scenario.timeline.between_api_calls);
    if client.token_due(network.clock.now()) {
        fetch_client_token(network, client)?;
    }
    call_api(network, client)
}

fn fetch_client_token(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let request = client.client_credentials_request(&network.server.endpoint("/token"));
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client authenticates as itself and asks for an access token; no user is involved, \
         and no refresh token is issued.",
        &CLIENT_CREDENTIALS,
    );
    Ok(client.accept_token_response(&response, network.clock.now())?)
}
