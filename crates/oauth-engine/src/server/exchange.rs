//! Token exchange (RFC 8693) at the token endpoint: a tool server that must
//! call another API for the user trades the token it was given for one
//! whose audience is that API and whose `act` names the tool server,
//! instead of forwarding the user's token (MCP authorization, revision
//! 2026-07-28, "Token Passthrough"). Offered to the server as an
//! [`Offer`] (`AuthorizationServer::offer`), so that the app, which has no
//! screen for it yet, leaves its code out. The rules are
//! `token_exchange::ExchangeRequest::decide`'s.

use serde_json::Value;

use super::{AuthorizationServer, ClientAuthMethod, ClientRegistration, Offer, Params};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::rng::Rng;
use crate::token_exchange::{ExchangeRequest, Exchanger, GRANT_TYPE, TokenType, response};
use crate::types::{ClientId, ClientSecret, Scope, Subject};

/// Token exchange for the clients that are resource servers themselves.
#[derive(Debug, Clone, Default)]
pub struct TokenExchange {
    /// Each client that may exchange, by `client_id`, with the resource it
    /// serves: the audience a token must have for it to exchange it.
    pub exchangers: Vec<(String, String)>,
}

impl Offer for TokenExchange {
    fn grant(
        &self,
        server: &mut AuthorizationServer,
        grant_type: &str,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Result<Value, OAuthError>> {
        (grant_type == GRANT_TYPE).then(|| self.exchange(server, client, params, jkt, now, rng))
    }
}

impl AuthorizationServer {
    /// Lets the resource server at `resource` exchange the tokens meant
    /// for it (RFC 8693): registers its confidential client `client_id`
    /// (`client_secret_basic` with `secret`, and no grant of its own) and
    /// offers the grant for it.
    pub fn offer_exchange_to(&mut self, resource: &str, client_id: &str, secret: &str) {
        self.register(ClientRegistration {
            client_id: ClientId::new(client_id),
            secret: Some(ClientSecret::new(secret)),
            auth_method: ClientAuthMethod::ClientSecretBasic,
            redirect_uris: Vec::new(),
            grant_types: Vec::new(),
            allowed_scope: Scope::default(),
            public_jwk: None,
        });
        self.offer(Box::new(TokenExchange {
            exchangers: vec![(client_id.to_owned(), resource.to_owned())],
        }));
    }
}

impl TokenExchange {
    fn exchange(
        &self,
        server: &mut AuthorizationServer,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        let client_id = client.client_id.as_str();
        // The client authenticated (section 2.1); a public one could be
        // anybody, and only a resource server has tokens to exchange.
        let resource = self
            .exchangers
            .iter()
            .find(|(exchanger, _)| exchanger == client_id)
            .map(|(_, resource)| resource.as_str())
            .filter(|_| !client.is_public())
            .ok_or_else(|| {
                OAuthError::new(
                    ErrorCode::UnauthorizedClient,
                    format!(
                        "client {client_id} may not exchange tokens: only a confidential client \
                         that serves a resource may (RFC 8693 section 2.1)"
                    ),
                )
            })?;
        let request = ExchangeRequest::from_pairs(&params.clone().into_pairs())?;
        // Section 2.2.2: a subject token that is invalid "for any reason"
        // is invalid_request.
        let invalid = |reason: String| {
            OAuthError::new(
                ErrorCode::InvalidRequest,
                format!("the subject_token is not accepted: {reason}"),
            )
        };
        let subject = server
            .access_token_claims(&request.subject_token)
            .map_err(invalid)?;
        if let Some(jti) = subject.get("jti").and_then(Value::as_str)
            && server.is_access_token_revoked(jti)
        {
            return Err(invalid("it has been revoked".into()));
        }
        let config = server.config();
        let known: Vec<&str> = std::iter::once(config.audience.as_str())
            .chain(config.resources.iter().map(String::as_str))
            .collect();
        let exchanged = request.decide(
            &subject,
            Exchanger {
                client_id,
                resource,
            },
            &known,
            now,
        )?;
        let jti = super::random_token(rng, 16)?;
        let mut claims = server.access_claims(
            &ClientId::new(client_id),
            &Subject::new(&exchanged.subject),
            exchanged.audience.clone().into(),
            &exchanged.scope,
            now,
            &jti,
        );
        // Section 4.1: who acts for the subject now, and who did before.
        claims["act"] = exchanged.act;
        // RFC 9449 section 5: a DPoP proof at the token endpoint binds the
        // token it issues, the exchanged one too (section 6.1, `cnf.jkt`).
        let bound = jkt.zip(server.extensions());
        if let Some((jkt, extensions)) = bound {
            extensions.confirm_key(&mut claims, jkt);
        }
        let token = server.sign_access_token(claims, rng)?;
        let lifetime = server.config().policy.access_token_lifetime;
        let scope = exchanged.scope.to_string();
        let mut body = response(&token, TokenType::AccessToken, lifetime, Some(&scope));
        if bound.is_some() {
            body["token_type"] = crate::dpop::TOKEN_TYPE.into();
        }
        Ok(body)
    }
}
