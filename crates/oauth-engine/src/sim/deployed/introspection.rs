//! The API's side of introspection (RFC 7662) on the in-page network:
//! before it answers a request with an opaque token, it asks the
//! authorization server about the token on the back channel, unless it has
//! a fresh answer cached (section 4).

use crate::channel::Channel;
use crate::http::Request;
use crate::resource::{introspection_request, remember_introspection};
use crate::sim::network::Network;
use crate::sim::trace::{Party, RfcRef};

/// RFC 7662 section 2: the request and the answer.
const INTROSPECT: [RfcRef; 2] = [RfcRef::new(7662, "2.1"), RfcRef::new(7662, "2.2")];

pub(super) fn introspect_first(network: &mut Network<'_>, request: &Request) {
    let now = network.clock.now();
    if network.api.introspection.is_none() {
        return;
    }
    let Some((token, ask)) = introspection_request(&network.api, request, now) else {
        return;
    };
    let answer = network.send(
        Party::ResourceServer,
        Channel::Back,
        false,
        ask,
        "A request has reached the API with an opaque access token, a random string it cannot \
         read. Before answering, the API asks the authorization server about it, authenticated \
         with credentials of its own: is it active, and what does it allow?",
        &INTROSPECT,
    );
    remember_introspection(&mut network.api, token, &answer, now);
}
