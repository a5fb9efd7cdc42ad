//! OAuth as deployed now, handed to a run ([`support`]): each party gets
//! its part of DPoP (RFC 9449), PAR (RFC 9126), `private_key_jwt` (RFC
//! 7523), introspection (RFC 7662) and revocation (RFC 7009). The server
//! and the API have theirs in `server::Extensions` and `resource`; the
//! client's are here: what it signs and sends (`client.rs`), pushing its
//! request (`par.rs`), signing out (`sign_out.rs`), and the API asking
//! about opaque tokens on the network (`introspection.rs`). Nothing else in the
//! simulation imports this module: runs reach it through the function
//! pointers of [`Support`], which is what lets a build leave it out. The
//! P-256 arithmetic comes in the same way ([`Es256`]): tests give the
//! engine's `jwa::ES256`, and the app the same functions from the chunk
//! the JWT debugger loads them in.

mod client;
mod introspection;
mod par;
mod sign_out;

use super::client::Client;
use super::network::{Network, Support};
use crate::es256::{Es256, P256Key};
use crate::resource::{API_CLIENT_ID, API_CLIENT_SECRET, Dpop, Introspect};
use crate::server::{AllExtensions, ClientAuthMethod, ClientRegistration};
use crate::types::{ClientId, ClientSecret, Scope};

/// What a run is given to support them all, signing and checking
/// signatures with `es256`.
pub const fn support(es256: Es256) -> Support {
    Support {
        es256,
        set_up,
        client_sends: client::client_sends,
        push_request: par::push_request,
        sign_out: sign_out::sign_out,
        before_api: introspection::introspect_first,
    }
}

/// The private scalar of the simulated client's assertion key: a fixed
/// demonstration key, so that runs are reproducible and the registered
/// public key is the one in the inspector. Never a key to use elsewhere.
const CLIENT_KEY: [u8; 32] = [
    0x51, 0x7a, 0x3c, 0x0e, 0x9d, 0x42, 0x6b, 0x18, 0xc4, 0x27, 0x8f, 0x61, 0x05, 0xd3, 0x9a, 0x7e,
    0x2b, 0x84, 0x6c, 0x11, 0xf0, 0x3d, 0x58, 0xa9, 0x67, 0x0c, 0xe2, 0x95, 0x4f, 0x1b, 0x76, 0x33,
];

/// The client's assertion key pair.
pub fn client_key(es256: Es256) -> P256Key {
    match P256Key::from_scalar(&CLIENT_KEY, es256) {
        Some(key) => key,
        None => panic!("the client's demonstration key is a valid P-256 scalar"),
    }
}

/// Gives the server its extensions and the client's public key, and the
/// API its DPoP and introspection checks and its own registration at the
/// server.
fn set_up(network: &mut Network<'_>, client: &Client) {
    let Some(Support { es256, .. }) = network.support else {
        return;
    };
    network.server.support(&AllExtensions, es256);
    network.api.dpop = Some((&Dpop, es256));
    network.api.introspection = Some(&Introspect);
    network.server.register(ClientRegistration {
        client_id: ClientId::new(API_CLIENT_ID),
        secret: Some(ClientSecret::new(API_CLIENT_SECRET)),
        auth_method: ClientAuthMethod::ClientSecretPost,
        redirect_uris: Vec::new(),
        grant_types: Vec::new(),
        allowed_scope: Scope::default(),
        public_jwk: None,
    });
    // RFC 7591 section 2 (`jwks`): the server knows the client's public key.
    network.server.register_public_key(
        &client.settings.client_id,
        client_key(es256).public_jwk().clone(),
    );
}
