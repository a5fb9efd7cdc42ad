//! Dynamic Client Registration (RFC 7591) at the server: the registration
//! endpoint an agent meeting the server for the first time registers at
//! (MCP authorization, revision 2026-07-28, "Dynamic Client
//! Registration"), offered to the server ([`Offer`]) so that the app,
//! which has no screen for it yet, leaves its code out. The metadata rules
//! are `client_registration`'s; this is what the server does with a
//! client that passes them. [`registration_of`] also serves the clients
//! of metadata documents (`client_documents.rs`).

use serde_json::Value;

use super::{
    AuthorizationServer, ClientAuthMethod, ClientRegistration, GrantType, Offer, random_token,
};
use crate::client_registration::{ClientInformation, ClientMetadata, RegistrationError};
use crate::clock::UnixTime;
use crate::http::{Method, Request, Response};
use crate::rng::Rng;
use crate::types::{ClientId, ClientSecret, RedirectUri, Scope};

/// Where the endpoint is, below the issuer.
pub const REGISTRATION_PATH: &str = "/register";

/// The registration endpoint, open to anyone (RFC 7591 section 3: no
/// initial access token is asked for, as MCP's agents have none).
#[derive(Debug, Clone, Default)]
pub struct DynamicRegistration {
    /// The most a registered client may ask for, and what a client that
    /// names no `scope` is registered with (section 2: the server "MAY
    /// register a client with a default set of scopes").
    pub scope: Scope,
}

impl Offer for DynamicRegistration {
    fn metadata(&self, server: &AuthorizationServer, metadata: &mut Value) {
        // RFC 8414 section 2.
        metadata["registration_endpoint"] = server.endpoint(REGISTRATION_PATH).to_string().into();
    }

    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response> {
        (path == REGISTRATION_PATH).then(|| match request.method {
            Method::Post => self.register(server, request, now, rng),
            _ => Response::new(405).with_body("Method Not Allowed"),
        })
    }
}

impl DynamicRegistration {
    fn register(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        match self.registered(server, request, now, rng) {
            // Section 3.2.1: 201 Created, and the client information.
            Ok(information) => Response::json(201, &information.to_json())
                .with_header("Cache-Control", "no-store")
                .with_header("Pragma", "no-cache"),
            // Section 3.2.2: 400 and the error as JSON.
            Err(error) => {
                Response::json(400, &error.to_json()).with_header("Cache-Control", "no-store")
            }
        }
    }

    fn registered(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<ClientInformation, RegistrationError> {
        // Section 3.1: "a content type of application/json".
        let json = request
            .headers
            .get("Content-Type")
            .is_some_and(|value| value.trim_start().starts_with("application/json"));
        if !json {
            return Err(RegistrationError::InvalidClientMetadata(
                "the request must be a JSON document sent as application/json (RFC 7591 \
                 section 3.1)"
                    .into(),
            ));
        }
        let mut metadata = ClientMetadata::parse(&request.body)?;
        let random = |rng: &mut dyn Rng, bytes| {
            random_token(rng, bytes)
                .map_err(|error| RegistrationError::InvalidClientMetadata(error.to_string()))
        };
        let client_id = random(rng, 12)?;
        // Section 3.2.1: a secret only for a client that authenticates
        // with one.
        let secret = if metadata.is_public() {
            None
        } else {
            Some(random(rng, 24)?)
        };
        let client = registration_of(server, &client_id, secret.clone(), &metadata, &self.scope)?;
        // Section 3.2.1: the response holds "all registered metadata",
        // the scope the server settled on included.
        metadata.scope = Some(client.allowed_scope.to_string());
        server.register(client);
        Ok(ClientInformation {
            client_id,
            client_secret: secret,
            client_id_issued_at: now.0,
            metadata,
        })
    }
}

/// The client the server registers for `metadata`, or why it will not:
/// RFC 7591 section 2 lets a server refuse metadata it does not support,
/// with `invalid_client_metadata` (section 3.2.2). `limit` is the most the
/// client may ask for.
pub(super) fn registration_of(
    server: &AuthorizationServer,
    client_id: &str,
    secret: Option<String>,
    metadata: &ClientMetadata,
    limit: &Scope,
) -> Result<ClientRegistration, RegistrationError> {
    let refuse = |why: String| RegistrationError::InvalidClientMetadata(why);
    let auth_method = match metadata.token_endpoint_auth_method.as_str() {
        "none" => ClientAuthMethod::None,
        "client_secret_basic" => ClientAuthMethod::ClientSecretBasic,
        "client_secret_post" => ClientAuthMethod::ClientSecretPost,
        other => {
            return Err(refuse(format!(
                "token_endpoint_auth_method \"{other}\" needs the client's public keys, which \
                 this server does not take at registration: register with none or a secret"
            )));
        }
    };
    let grant_types = metadata
        .grant_types
        .iter()
        .map(|grant| match grant.as_str() {
            "authorization_code" => Ok(GrantType::AuthorizationCode),
            "refresh_token" => Ok(GrantType::RefreshToken),
            super::DEVICE_CODE_GRANT => Ok(GrantType::DeviceCode),
            // RFC 6749 section 4.4: "MUST only be used by confidential
            // clients".
            "client_credentials" if auth_method != ClientAuthMethod::None => {
                Ok(GrantType::ClientCredentials)
            }
            "client_credentials" => Err(refuse(
                "a public client (token_endpoint_auth_method none) cannot use client_credentials \
                 (RFC 6749 section 4.4)"
                    .into(),
            )),
            other => Err(refuse(format!(
                "grant type \"{other}\" is not one this server issues tokens by"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(other) = metadata
        .response_types
        .iter()
        .find(|response| *response != "code")
    {
        return Err(refuse(format!(
            "response type \"{other}\" is not one this server answers with: only code (RFC 9700 \
             section 2.1.2)"
        )));
    }
    let allowed_scope = match &metadata.scope {
        None => limit.clone(),
        Some(text) => Scope::parse(text)
            .map_err(|token| refuse(format!("scope token {token} is not a valid scope token")))?,
    };
    if !allowed_scope.is_subset_of(limit) {
        return Err(refuse(format!(
            "scope \"{allowed_scope}\" is more than this server registers clients for (\"{limit}\")"
        )));
    }
    // The server never hands a client ID out twice.
    if server.client(client_id).is_some() {
        return Err(refuse(format!("the client ID {client_id} is taken")));
    }
    Ok(ClientRegistration {
        client_id: ClientId::new(client_id),
        secret: secret.map(ClientSecret::new),
        auth_method,
        redirect_uris: metadata
            .redirect_uris
            .iter()
            .map(RedirectUri::new)
            .collect(),
        grant_types,
        allowed_scope,
        public_jwk: None,
    })
}
