//! Signing out (RFC 7009): the client tells the server it no longer needs
//! its tokens, then the API is asked with the old access token, to show
//! that revocation reached it.

use crate::sim::client::{Client, ClientError, error_from_json};
use crate::sim::flows::steps::{api_url, send_as_client};
use crate::sim::network::Network;
use crate::sim::stop::Stop;
use crate::sim::trace::RfcRef;

const REVOKE: [RfcRef; 2] = [RfcRef::new(7009, "2.1"), RfcRef::new(7009, "2.2")];
/// Revoking a refresh token revokes the access tokens of its grant (RFC
/// 7009 section 2.1); an API that caches introspection answers learns of
/// it late (RFC 7662 section 4).
const AFTER: [RfcRef; 2] = [RfcRef::new(7009, "2.1"), RfcRef::new(7662, "4")];

/// The user signs out: the client revokes its refresh token (or its access
/// token, without one), forgets its tokens, and the old access token is
/// presented to the API once more. The API's answer ends the run either
/// way: a refusal is what revocation is for, an acceptance is an API that
/// has not heard of it yet, which the step's explanation says.
pub(super) fn sign_out(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let Some(request) = client.revocation_request(&network.server.endpoint("/revoke")) else {
        return Ok(());
    };
    let response = send_as_client(
        network,
        client,
        request,
        "The user signs out. The client revokes its refresh token at the revocation endpoint, \
         authenticating as at the token endpoint. The server answers 200 whether or not the \
         token was still valid, and revokes the access tokens issued with it too.",
        &REVOKE,
    )?;
    if response.status != 200 {
        let body = response.json_body().unwrap_or_default();
        return Err(ClientError::Server(error_from_json(&body)).into());
    }
    // Whoever kept a copy of the access token (a log, a stolen backup)
    // tries it now.
    let request = client.api_request(&api_url());
    client.tokens = None;
    let answer = send_as_client(
        network,
        client,
        request,
        "Someone who kept a copy of the old access token presents it to the API. The API checks \
         with the authorization server whether it is still active: revoked, it is refused with \
         invalid_token.",
        &AFTER,
    )?;
    if answer.status == 200
        && let Some(exchange) = network.trace.last_mut()
    {
        exchange.explanation = "Someone who kept a copy of the old access token presents it to \
             the API, and the API still accepts it: it relies on an answer it cached before the \
             revocation (RFC 7662 section 4 lets it cache, for no longer than the token lives). \
             Revocation reaches an API only as fast as it asks again."
            .into();
    }
    Ok(())
}
