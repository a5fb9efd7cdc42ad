//! Pushing the authorization request (RFC 9126): the client sends it over
//! the back channel first, and the browser carries only a reference.

use crate::http::Url;
use crate::sim::client::{Client, ClientError, error_from_json};
use crate::sim::flows::steps::send_as_client;
use crate::sim::network::Network;
use crate::sim::stop::Stop;
use crate::sim::trace::RfcRef;

const PUSH: [RfcRef; 1] = [RfcRef::new(9126, "2")];

/// RFC 9126 section 2: the client pushes the parameters of `authorize` to
/// the server, authenticated, and gets the `request_uri` that stands for
/// them; section 4: the browser goes to the authorization endpoint with
/// `client_id` and that `request_uri` only. Returns that URL, and what
/// the step that sends the browser there shows.
pub(super) fn push_request(
    network: &mut Network<'_>,
    client: &mut Client,
    authorize: &Url,
) -> Result<(Url, &'static str), Stop> {
    let endpoint = network.server.endpoint("/par");
    let request = client.pushed_authorization_request(&endpoint, authorize)?;
    let response = send_as_client(
        network,
        client,
        request,
        "Before involving the browser, the client pushes its authorization request to the \
         server over the back channel, authenticating as at the token endpoint. The server \
         keeps it and answers with a request_uri, single-use and valid for a minute.",
        &PUSH,
    )?;
    let body = response.json_body().unwrap_or_default();
    if response.status != 201 {
        return Err(ClientError::Server(error_from_json(&body)).into());
    }
    let request_uri = body["request_uri"]
        .as_str()
        .ok_or_else(|| ClientError::Malformed("no request_uri in the PAR response".into()))?;
    let authorize_endpoint = Url {
        query: None,
        ..authorize.clone()
    };
    Ok((
        client.pushed_authorization_url(&authorize_endpoint, request_uri),
        "The client redirects the browser to the authorization server with its client_id and \
         the request_uri only: the request itself went over the back channel, so nobody can \
         read or change it in the address bar.",
    ))
}
