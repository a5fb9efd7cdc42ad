//! What the client adds to its requests once it signs: a client assertion
//! instead of a secret (`private_key_jwt`, RFC 7523) and a DPoP proof (RFC
//! 9449), and the retry with the server's nonce (RFC 9449 section 8).

use serde_json::json;

use super::client_key;
use crate::channel::Channel;
use crate::clock::UnixTime;
use crate::dpop::{DpopKey, ProofClaims};
use crate::error::ErrorCode;
use crate::es256::Es256;
use crate::form::encode_form;
use crate::http::{Request, Response};
use crate::jose::b64_encode;
use crate::rng::Rng;
use crate::server::{ClientAuthMethod, DPOP_NONCE_HEADER, JWT_BEARER};
use crate::sim::client::{Client, ClientError};
use crate::sim::network::{API, Network};
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};

/// How long a client assertion is valid: a minute, well under the
/// server's limit (RFC 7523 section 3 asks for a short `exp`).
const ASSERTION_LIFETIME: u64 = 60;
const NONCE: [RfcRef; 1] = [RfcRef::new(9449, "8")];

/// Sends `request` of the client's on the back channel with its assertion
/// and proof, and, if the server answers that it wants its nonce in the
/// proof, keeps the nonce and sends the request again with a new proof.
pub(super) fn client_sends(
    network: &mut Network<'_>,
    client: &mut Client,
    request: Request,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Stop> {
    let issuer = network.server.issuer_id();
    let now = network.clock.now();
    let es256 = network.support.ok_or(Stop::NotSupported)?.es256;
    let signer = Signer {
        issuer: &issuer,
        now,
        es256,
    };
    let signed = signer.finish(client, request.clone(), &mut *network.rng)?;
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        signed,
        explanation,
        rfc_refs,
    );
    if !takes_nonce(client, &response) {
        return Ok(response);
    }
    let again = signer.finish(client, request, &mut *network.rng)?;
    Ok(network.send(
        Party::Client,
        Channel::Back,
        false,
        again,
        "The server wants its nonce in the DPoP proof, so that a proof made earlier cannot be \
         used now: it refused with use_dpop_nonce and a DPoP-Nonce header. The client signs a \
         new proof with the nonce and sends the request again.",
        &NONCE,
    ))
}

/// What the client signs with for one request: to whom, when, and with
/// which P-256 functions.
#[derive(Clone, Copy)]
struct Signer<'i> {
    issuer: &'i str,
    now: UnixTime,
    es256: Es256,
}

impl Signer<'_> {
    /// `request` as the client sends it to the issuer's server or to the
    /// API: with its assertion and its DPoP proof, as its settings ask.
    fn finish(
        self,
        client: &mut Client,
        mut request: Request,
        rng: &mut dyn Rng,
    ) -> Result<Request, ClientError> {
        let to_server = request.url.to_string().starts_with(self.issuer);
        if to_server && client.settings.auth_method == ClientAuthMethod::PrivateKeyJwt {
            self.add_assertion(client, &mut request, rng)?;
        }
        // RFC 9449 sections 5 and 7: a proof with each token request and
        // each API call.
        let token_request = to_server && request.url.path == "/token";
        if client.settings.dpop && (token_request || request.url.origin == API) {
            let key = self.dpop_key(client, rng)?;
            let mut claims = ProofClaims::for_request(request.method, &request.url, self.now, rng)
                .map_err(ClientError::Randomness)?;
            if let Some(("DPoP", token)) = request.authorization() {
                // Section 4.2: `ath`, the hash of the token presented.
                claims = claims.presenting(token);
            }
            if token_request {
                claims = claims.with_nonce(client.dpop_nonce.as_deref());
            }
            request = request.with_header("DPoP", key.proof(&claims));
        }
        Ok(request)
    }

    /// The client's DPoP key pair: made the first time (RFC 9449 section
    /// 2), the same one afterwards, since the tokens are bound to it.
    fn dpop_key(self, client: &mut Client, rng: &mut dyn Rng) -> Result<DpopKey, ClientError> {
        if let Some(key) = client
            .dpop_key
            .as_ref()
            .and_then(|d| DpopKey::from_scalar(d, self.es256))
        {
            return Ok(key);
        }
        let key = DpopKey::generate(rng, self.es256).map_err(ClientError::Randomness)?;
        client.dpop_key = Some(key.scalar());
        Ok(key)
    }

    /// RFC 7523 section 2.2: the assertion and its type join the form;
    /// section 3: `iss` and `sub` are the client, `aud` the server, `exp`
    /// soon, `jti` used once.
    fn add_assertion(
        self,
        client: &Client,
        request: &mut Request,
        rng: &mut dyn Rng,
    ) -> Result<(), ClientError> {
        let mut jti = [0u8; 16];
        rng.fill_bytes(&mut jti).map_err(ClientError::Randomness)?;
        let client_id = &client.settings.client_id;
        let claims = json!({
            "iss": client_id,
            "sub": client_id,
            "aud": self.issuer,
            "iat": self.now.0,
            "exp": self.now.0 + ASSERTION_LIFETIME,
            "jti": b64_encode(jti),
        });
        let header = json!({ "alg": "ES256", "typ": "JWT" });
        let assertion = client_key(self.es256).sign_jws(&header, &claims);
        let mut form = request
            .params()
            .map_err(|error| ClientError::Malformed(error.to_string()))?;
        form.push(("client_assertion_type".into(), JWT_BEARER.into()));
        form.push(("client_assertion".into(), assertion));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        request.body = encode_form(&pairs);
        Ok(())
    }
}

/// Whether `response` asks for a DPoP nonce the client has not used yet
/// (RFC 9449 section 8); if so, the client keeps it.
fn takes_nonce(client: &mut Client, response: &Response) -> bool {
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
