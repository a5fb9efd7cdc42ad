//! OAuth as deployed now, handed to a run ([`SUPPORT`]): each party gets
//! its part of DPoP (RFC 9449), PAR (RFC 9126), `private_key_jwt` (RFC
//! 7523), introspection (RFC 7662) and revocation (RFC 7009). The server
//! and the API have theirs in `server::Extensions` and `resource`; the
//! client's, its assertions and proofs, are here.

use serde_json::json;

use super::client::{Client, ClientError, Proofs};
use super::network::{API, Network};
use super::run::Support;
use super::scenario::Scenario;
use crate::clock::UnixTime;
use crate::dpop::{DpopKey, ProofClaims};
use crate::error::ErrorCode;
use crate::es256::P256Key;
use crate::form::encode_form;
use crate::http::{Request, Response};
use crate::jose::b64_encode;
use crate::resource::{API_CLIENT_ID, API_CLIENT_SECRET, Dpop, Introspect};
use crate::rng::Rng;
use crate::server::{
    AllExtensions, ClientAuthMethod, ClientRegistration, DPOP_NONCE_HEADER, JWT_BEARER,
};
use crate::types::{ClientId, ClientSecret, Scope};

/// What a run is given to support them all.
pub const SUPPORT: Support = Support { set_up };

/// The private scalar of the simulated client's assertion key: a fixed
/// demonstration key, so that runs are reproducible and the registered
/// public key is the one in the inspector. Never a key to use elsewhere.
const CLIENT_KEY: [u8; 32] = [
    0x51, 0x7a, 0x3c, 0x0e, 0x9d, 0x42, 0x6b, 0x18, 0xc4, 0x27, 0x8f, 0x61, 0x05, 0xd3, 0x9a, 0x7e,
    0x2b, 0x84, 0x6c, 0x11, 0xf0, 0x3d, 0x58, 0xa9, 0x67, 0x0c, 0xe2, 0x95, 0x4f, 0x1b, 0x76, 0x33,
];
/// How long a client assertion is valid: a minute, well under the
/// server's limit (RFC 7523 section 3 asks for a short `exp`).
const ASSERTION_LIFETIME: u64 = 60;

/// The client's assertion key pair.
pub fn client_key() -> P256Key {
    match P256Key::from_scalar(&CLIENT_KEY) {
        Some(key) => key,
        None => panic!("the client's demonstration key is a valid P-256 scalar"),
    }
}

/// Gives the server its extensions and the client's public key, the API
/// its DPoP and introspection checks and its own registration at the
/// server, and the client its signing.
fn set_up(scenario: &Scenario, network: &mut Network<'_>, client: &mut Client) {
    network.server.support(&AllExtensions);
    network.api.dpop = Some(&Dpop);
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
    network
        .server
        .register_public_key(&scenario.client.client_id, client_key().public_jwk());
    client.proofs = Some(&ClientProofs);
}

/// The client's side of `private_key_jwt` and DPoP.
#[derive(Debug, Clone, Copy)]
struct ClientProofs;

impl Proofs for ClientProofs {
    fn finish(
        &self,
        client: &mut Client,
        mut request: Request,
        issuer: &str,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Request, ClientError> {
        let to_server = request.url.to_string().starts_with(issuer);
        if to_server && client.settings.auth_method == ClientAuthMethod::PrivateKeyJwt {
            add_assertion(client, &mut request, issuer, now, rng)?;
        }
        // RFC 9449 sections 5 and 7: a proof with each token request and
        // each API call.
        let token_request = to_server && request.url.path == "/token";
        if client.settings.dpop && (token_request || request.url.origin == API) {
            let key = match client.dpop_key.clone() {
                Some(key) => key,
                None => DpopKey::generate(rng).map_err(ClientError::Randomness)?,
            };
            let mut claims = ProofClaims::for_request(request.method, &request.url, now, rng)
                .map_err(ClientError::Randomness)?;
            if let Some(("DPoP", token)) = request.authorization() {
                // Section 4.2: `ath`, the hash of the token presented.
                claims = claims.presenting(token);
            }
            if token_request {
                claims = claims.with_nonce(client.dpop_nonce.as_deref());
            }
            request = request.with_header("DPoP", key.proof(&claims));
            client.dpop_key = Some(key);
        }
        Ok(request)
    }

    fn takes_nonce(&self, client: &mut Client, response: &Response) -> bool {
        let asks = response.status == 400
            && response
                .json_body()
                .is_some_and(|body| body["error"] == ErrorCode::UseDpopNonce.as_str());
        match response.headers.get(DPOP_NONCE_HEADER) {
            Some(nonce) if asks && client.dpop_nonce.as_deref() != Some(nonce) => {
                client.dpop_nonce = Some(nonce.to_owned());
                true
            }
            _ => false,
        }
    }
}

/// RFC 7523 section 2.2: the assertion and its type join the form; section
/// 3: `iss` and `sub` are the client, `aud` the server, `exp` soon, `jti`
/// used once.
fn add_assertion(
    client: &Client,
    request: &mut Request,
    issuer: &str,
    now: UnixTime,
    rng: &mut dyn Rng,
) -> Result<(), ClientError> {
    let mut jti = [0u8; 16];
    rng.fill_bytes(&mut jti).map_err(ClientError::Randomness)?;
    let client_id = &client.settings.client_id;
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": issuer,
        "iat": now.0,
        "exp": now.0 + ASSERTION_LIFETIME,
        "jti": b64_encode(jti),
    });
    let header = json!({ "alg": "ES256", "typ": "JWT" });
    let assertion = client_key().sign_jws(&header, &claims);
    let mut form = request
        .params()
        .map_err(|error| ClientError::Malformed(error.to_string()))?;
    form.push(("client_assertion_type".into(), JWT_BEARER.into()));
    form.push(("client_assertion".into(), assertion));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    request.body = encode_form(&pairs);
    Ok(())
}
