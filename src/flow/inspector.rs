//! The inspector: the selected step's request and response as they cross
//! the wire, their parameters decoded with a meaning each, and any JWT in
//! them decoded.

use leptos::prelude::*;
use oauth_engine::channel::Channel;
use oauth_engine::dpop::{PROOF_TYP, thumbprint};
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::jose::b64_decode;
use oauth_engine::jwt::{Decoded, Payload, decode};
use oauth_engine::params::param_info;
use oauth_engine::sim::deployed::client_key;
use oauth_engine::sim::trace::Exchange;
use serde_json::Value;

use super::use_flow_state;
use crate::components::{
    AppLink, ChannelBadge, CopyButton, MeaningRow, MeaningTable, Reference, drawn,
};

/// The simulated server's public keys as a JWKS, for checking its tokens
/// in the JWT debugger. The server signs with the demo key.
fn server_jwks() -> String {
    oauth_engine::keys::demo_signing_key()
        .ok()
        .and_then(|key| key.verifying_key().public_jwk())
        .map(|jwk| serde_json::json!({ "keys": [jwk] }).to_string())
        .unwrap_or_default()
}

/// Where a parameter was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Query,
    Fragment,
    Form,
    Json,
    Header,
    Claim,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::Form => "form body",
            Self::Json => "JSON body",
            Self::Header => "header",
            Self::Claim => "JWT claim",
        }
    }
}

/// A parameter, header or JSON member, decoded, with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRow {
    pub name: String,
    pub value: String,
    pub source: Source,
    pub meaning: Option<&'static str>,
    /// Where the parameter is defined.
    pub rfc_url: Option<String>,
}

impl ParamRow {
    fn new(name: &str, value: String, source: Source) -> Self {
        let info = param_info(name);
        Self {
            name: name.to_owned(),
            value,
            source,
            meaning: info.map(|info| info.meaning),
            rfc_url: info.map(|info| {
                format!(
                    "https://www.rfc-editor.org/rfc/rfc{}#section-{}",
                    info.rfc, info.section
                )
            }),
        }
    }
}

/// Headers worth explaining; the rest (Host, Content-Type, ...) are plain
/// HTTP and shown in the raw text only.
const EXPLAINED_HEADERS: [&str; 8] = [
    "Authorization",
    "WWW-Authenticate",
    "Location",
    "Set-Cookie",
    "Cookie",
    "Referer",
    "DPoP",
    "DPoP-Nonce",
];

fn header_rows(headers: &oauth_engine::http::Headers) -> Vec<ParamRow> {
    headers
        .iter()
        .filter(|(name, _)| {
            EXPLAINED_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
        })
        .map(|(name, value)| ParamRow::new(name, value.to_owned(), Source::Header))
        .collect()
}

fn url_rows(url: &Url) -> Vec<ParamRow> {
    let mut rows: Vec<ParamRow> = url
        .query_pairs()
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| ParamRow::new(&name, value, Source::Query))
        .collect();
    if let Some(fragment) = &url.fragment {
        rows.extend(
            oauth_engine::form::decode_form(fragment)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| ParamRow::new(&name, value, Source::Fragment)),
        );
    }
    rows
}

/// The request's parameters: its query or form body, and the headers that
/// carry protocol values.
pub fn request_rows(request: &Request) -> Vec<ParamRow> {
    let mut rows = header_rows(&request.headers);
    match request.method {
        oauth_engine::http::Method::Get | oauth_engine::http::Method::Options => {
            rows.extend(url_rows(&request.url))
        }
        oauth_engine::http::Method::Post => rows.extend(
            request
                .params()
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| ParamRow::new(&name, value, Source::Form)),
        ),
    }
    rows
}

/// The response's parameters: where a redirect sends the browser, with its
/// query decoded, and the members of a JSON body.
pub fn response_rows(response: &Response) -> Vec<ParamRow> {
    let mut rows = header_rows(&response.headers);
    if let Some(location) = response
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
    {
        rows.extend(url_rows(&location));
    }
    if let Some(Value::Object(members)) = response.json_body() {
        rows.extend(members.into_iter().map(|(name, value)| {
            let value = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            ParamRow::new(&name, value, Source::Json)
        }));
    }
    rows
}

/// A JWT found in the step: where, and its decoded header and payload as
/// pretty JSON. Not verified here; the resource server and the client
/// verify them in the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundJwt {
    pub name: String,
    /// The token as it travelled.
    pub token: String,
    pub header: String,
    pub payload: String,
    /// Its claims, each with what it means.
    pub claims: Vec<ParamRow>,
    pub kind: JwtKind,
}

/// Who signed a JWT in the trace, and so which key checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtKind {
    /// The authorization server's tokens: its JWKS.
    Server,
    /// A DPoP proof (RFC 9449 section 4.2): the public key in its own
    /// header, and that key's RFC 7638 thumbprint, which a token bound to
    /// it carries as `cnf.jkt`.
    DpopProof { jwk: String, thumbprint: String },
    /// A client assertion (RFC 7523 section 3): the key the client
    /// registered.
    ClientAssertion,
}

pub fn jwts(rows: &[ParamRow]) -> Vec<FoundJwt> {
    rows.iter()
        .filter_map(|row| {
            let value = row.value.as_str();
            // RFC 6750 and RFC 9449 section 7.1: the two schemes a token
            // is presented with.
            let token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("DPoP "))
                .unwrap_or(value);
            // A JWS compact serialization: three base64url parts.
            if token.split('.').count() != 3 {
                return None;
            }
            let Decoded::Signed {
                header, payload, ..
            } = decode(token).ok()?
            else {
                return None;
            };
            let jwk = header
                .get("jwk")
                .filter(|_| header.get("typ") == Some(&PROOF_TYP.into()));
            let kind = match jwk {
                Some(jwk) => JwtKind::DpopProof {
                    jwk: jwk.to_string(),
                    thumbprint: thumbprint(jwk).unwrap_or_default(),
                },
                None if row.name == "client_assertion" => JwtKind::ClientAssertion,
                None => JwtKind::Server,
            };
            let (payload, claims) = match payload {
                Payload::Claims(claims) => (
                    serde_json::to_string_pretty(&claims).ok()?,
                    claims
                        .iter()
                        .map(|(name, value)| {
                            let value = value
                                .as_str()
                                .map_or_else(|| value.to_string(), str::to_owned);
                            ParamRow::new(name, value, Source::Claim)
                        })
                        .collect(),
                ),
                Payload::Text(text) => (text, Vec::new()),
            };
            Some(FoundJwt {
                name: row.name.clone(),
                token: token.to_owned(),
                header: serde_json::to_string_pretty(&header).ok()?,
                payload,
                claims,
                kind,
            })
        })
        .collect()
}

/// "client_id:secret" out of an HTTP Basic header (RFC 6749 section 2.3.1),
/// to show what the opaque base64 carries.
pub fn basic_credentials(value: &str) -> Option<String> {
    let encoded = value.strip_prefix("Basic ")?;
    let bytes = base64_standard(encoded)?;
    String::from_utf8(bytes).ok()
}

fn base64_standard(text: &str) -> Option<Vec<u8>> {
    // Basic uses standard base64 with padding; map it to base64url for the
    // engine's decoder.
    let url_safe: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    b64_decode(&url_safe).ok()
}

/// A line of raw HTTP, typed for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpLine {
    Start(String),
    Header(String, String),
    Blank,
    Body(String),
}

pub fn http_lines(text: &str) -> Vec<HttpLine> {
    let mut lines = Vec::new();
    let mut in_body = false;
    for (i, line) in text.split("\r\n").enumerate() {
        if in_body {
            lines.push(HttpLine::Body(line.to_owned()));
        } else if i == 0 {
            lines.push(HttpLine::Start(line.to_owned()));
        } else if line.is_empty() {
            in_body = true;
            lines.push(HttpLine::Blank);
        } else if let Some((name, value)) = line.split_once(": ") {
            lines.push(HttpLine::Header(name.to_owned(), value.to_owned()));
        } else {
            lines.push(HttpLine::Body(line.to_owned()));
        }
    }
    // The final CRLF of a body-less message leaves an empty body line.
    if matches!(lines.last(), Some(HttpLine::Body(body)) if body.is_empty()) {
        lines.pop();
    }
    lines
}

/// The pieces `lines` are drawn from, each with its highlighting class
/// (`None` for the separators): one shape of view for every kind of line.
fn http_pieces(lines: Vec<HttpLine>) -> Vec<(Option<&'static str>, String)> {
    let mut pieces = Vec::new();
    for line in lines {
        match line {
            HttpLine::Start(start) => pieces.push((Some("http__start"), start)),
            HttpLine::Header(name, value) => {
                pieces.push((Some("http__name"), name));
                pieces.push((None, ": ".into()));
                pieces.push((Some("http__value"), value));
            }
            HttpLine::Blank => {}
            HttpLine::Body(body) => pieces.push((Some("http__body"), body)),
        }
        pieces.push((None, "\n".into()));
    }
    pieces
}

#[component]
fn HttpText(text: String, label: &'static str, testid: &'static str) -> impl IntoView {
    let pieces = http_pieces(http_lines(&text));
    view! {
        <pre class="http" data-testid=testid aria-label=label tabindex="0">
            <code>
                {pieces
                    .into_iter()
                    .map(|(class, text)| view! { <span class=class>{text}</span> })
                    .collect_view()}
            </code>
        </pre>
    }
}

/// The inspector's rows for the shared table: where each value was found,
/// and Basic credentials decoded (RFC 6749 section 2.3.1).
#[component]
fn ParamTable(
    rows: Vec<ParamRow>,
    #[prop(into)] caption: String,
    testid: &'static str,
) -> impl IntoView {
    // The names only the agent's messages carry (MCP, JSON-RPC, metadata
    // members) are in the agent's glossary, loaded with its flow.
    let agent_meaning = use_context::<super::FlowState>()
        .and_then(|state| state.agent.get_untracked())
        .map(|agent| agent.meaning);
    let rows = rows
        .into_iter()
        .map(|mut row| {
            if let (None, Some(meaning)) = (row.meaning, agent_meaning)
                && let Some(entry) = meaning(&row.name)
            {
                row.meaning = Some(entry.meaning);
                row.rfc_url = Some(entry.defined.url());
            }
            row
        })
        .map(|row| MeaningRow {
            notes: (row.name == "Authorization")
                .then(|| basic_credentials(&row.value))
                .flatten()
                .map(|credentials| format!("base64-decoded: {credentials}"))
                .into_iter()
                .collect(),
            origin: Some(row.source.label()),
            meaning: row.meaning.unwrap_or(""),
            reference: row.rfc_url.map(Reference::Link),
            name: row.name,
            value: row.value,
        })
        .collect();
    view! { <MeaningTable rows caption testid name_heading="Name" /> }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let state = use_flow_state();
    let exchange = Memo::new(move |_| {
        state
            .with_played(|played| played.exchange(state.current()).cloned())
            .flatten()
    });
    view! {
        // Playing pauses when the focus comes in, as a carousel does (WCAG
        // 2.2.2): what a reader is on is not replaced under them.
        <section
            class="inspector panel"
            aria-labelledby="inspector-heading"
            on:focusin=move |_| state.playing.set(false)
        >
            <h2 id="inspector-heading">
                {move || {
                    exchange
                        .with(|exchange| {
                            exchange
                                .as_ref()
                                .map(|e| format!("Inspector: {}", e.request_line()))
                                .unwrap_or_else(|| "Inspector".into())
                        })
                }}
            </h2>
            // Drawn anew for each step's message: nothing in it is the
            // reader's own state while the steps go by.
            {move || exchange.get().map(|exchange| drawn(move || exchange_view(exchange)))}
        </section>
    }
}

fn exchange_view(exchange: Exchange) -> impl IntoView {
    let request_rows = request_rows(&exchange.request);
    let response_rows = response_rows(&exchange.response);
    let mut found = jwts(&request_rows);
    found.extend(jwts(&response_rows));
    let curl = (exchange.channel == Channel::Back).then(|| exchange.request.to_curl());
    let request_text = exchange.request.to_http_text();
    let response_text = exchange.response.to_http_text();
    view! {
        <p class="inspector__channel">
            <ChannelBadge channel=exchange.channel />
            {match exchange.channel {
                Channel::Front => {
                    " This message goes through the browser: the user, the browser's history and any script on the page can see it."
                }
                // A page's cross-origin fetch (an app in the browser).
                Channel::Back if exchange.request.headers.get("Origin").is_some() => {
                    " This message goes directly to the server from the page's origin, not through the address bar; the browser checks each answer against CORS."
                }
                Channel::Back => {
                    " This message goes directly from server to server: the browser never sees it."
                }
            }}
        </p>
        <div class="inspector__messages">
            <div class="inspector__message">
                <div class="inspector__message-head">
                    <h3>"Request"</h3>
                    <CopyButton
                        text=Signal::stored(Some(request_text.clone()))
                        what="the request"
                        testid="flow-copy-request"
                    />
                    {curl
                        .clone()
                        .map(|curl| {
                            view! {
                                <CopyButton
                                    text=Signal::stored(Some(curl))
                                    what="the request as a curl command"
                                    testid="flow-copy-curl"
                                />
                                <span class="inspector__hint">"(Copy above: raw HTTP; this one: curl)"</span>
                            }
                        })}
                </div>
                <HttpText text=request_text label="Request as sent" testid="flow-request" />
                <ParamTable rows=request_rows caption="Request parameters" testid="flow-request-params" />
            </div>
            <div class="inspector__message">
                <div class="inspector__message-head">
                    <h3>"Response"</h3>
                    <CopyButton
                        text=Signal::stored(Some(response_text.clone()))
                        what="the response"
                        testid="flow-copy-response"
                    />
                </div>
                <HttpText text=response_text label="Response as received" testid="flow-response" />
                <ParamTable
                    rows=response_rows
                    caption="Response parameters"
                    testid="flow-response-params"
                />
            </div>
        </div>
        {(!found.is_empty())
            .then(|| {
                view! {
                    <div class="jwts" data-testid="flow-jwts">
                        <h3>"JWTs in this step, decoded"</h3>
                        {found
                            .into_iter()
                            .map(|jwt| {
                                let token = jwt.token.clone();
                                let key = match &jwt.kind {
                                    JwtKind::Server => server_jwks(),
                                    JwtKind::DpopProof { jwk, .. } => jwk.clone(),
                                    JwtKind::ClientAssertion => client_public_jwk(),
                                };
                                let open = move |_| crate::jwt::preload(&token, &key);
                                let hidden = format!(" ({}, {})", jwt.name, jwt.kind.key_name());
                                let claims_caption = format!("Claims of {}", jwt.name);
                                view! {
                                    <div class="jwt-decoded">
                                        <h4>
                                            <code>{jwt.name}</code>
                                            " "
                                            <span class="jwt-decoded__open" on:click=open>
                                                <AppLink path="/jwt">
                                                    "Open in the JWT debugger"
                                                    <span class="visually-hidden">
                                                        {hidden}
                                                    </span>
                                                </AppLink>
                                            </span>
                                        </h4>
                                        <KindNote kind=jwt.kind />
                                        <div class="jwt-decoded__parts">
                                            <pre tabindex="0" aria-label="Header">
                                                <code>{jwt.header}</code>
                                            </pre>
                                            <pre tabindex="0" aria-label="Payload">
                                                <code>{jwt.payload}</code>
                                            </pre>
                                        </div>
                                        <ParamTable
                                            rows=jwt.claims
                                            caption=claims_caption
                                            testid="flow-jwt-claims"
                                        />
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            })}
    }
}

impl JwtKind {
    /// The key the debugger link opens it with.
    fn key_name(&self) -> &'static str {
        match self {
            Self::Server => "with the server's keys",
            Self::DpopProof { .. } => "with the key in its header",
            Self::ClientAssertion => "with the client's registered key",
        }
    }
}

/// What a proof or an assertion is, above its parts.
#[component]
fn KindNote(kind: JwtKind) -> impl IntoView {
    let (text, thumbprint) = match kind {
        JwtKind::Server => return None,
        JwtKind::DpopProof { thumbprint, .. } => (
            "A DPoP proof (RFC 9449 section 4.2), made for this request alone and signed with \
             the key in its header. That key's thumbprint (RFC 7638), which a token bound to it \
             carries as cnf.jkt: ",
            Some(thumbprint),
        ),
        JwtKind::ClientAssertion => (
            "A client assertion (private_key_jwt, RFC 7523 section 3): the client signed it \
             instead of sending a secret, and the server checks it with the public key the \
             client registered.",
            None,
        ),
    };
    Some(view! {
        <p data-testid="flow-jwt-kind">
            {text}
            {thumbprint.map(|thumbprint| view! {
                <code data-testid="flow-jwt-thumbprint">{thumbprint}</code>
            })}
        </p>
    })
}

/// The simulated client's registered public key, once the flow screen has
/// the P-256 code (it does whenever a step carries an assertion).
fn client_public_jwk() -> String {
    use_flow_state()
        .es256
        .get_untracked()
        .map(|es256| client_key(es256).public_jwk().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::keys::demo_signing_key;
    use oauth_engine::sim::scenario::Scenario;

    fn trace() -> Vec<Exchange> {
        Scenario::default().run(demo_signing_key().unwrap()).trace
    }

    #[test]
    fn http_lines_split_start_line_headers_and_body() {
        let lines = http_lines("POST /token HTTP/1.1\r\nHost: as.example\r\n\r\na=b");
        assert_eq!(
            lines,
            vec![
                HttpLine::Start("POST /token HTTP/1.1".into()),
                HttpLine::Header("Host".into(), "as.example".into()),
                HttpLine::Blank,
                HttpLine::Body("a=b".into()),
            ]
        );
    }

    #[test]
    fn http_pieces_read_as_the_message_with_one_new_line_per_line() {
        let text = "POST /token HTTP/1.1\r\nHost: as.example\r\n\r\na=b";
        let pieces = http_pieces(http_lines(text));
        let read: String = pieces.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(read, text.replace("\r\n", "\n") + "\n");
        let classes: Vec<_> = pieces.iter().filter_map(|(class, _)| *class).collect();
        assert_eq!(
            classes,
            ["http__start", "http__name", "http__value", "http__body"]
        );
    }

    #[test]
    fn the_token_request_params_are_decoded_with_meanings() {
        let trace = trace();
        let token = trace
            .iter()
            .find(|e| e.request.url.path == "/token")
            .unwrap();
        let rows = request_rows(&token.request);
        let verifier = rows.iter().find(|r| r.name == "code_verifier").unwrap();
        assert_eq!(verifier.source, Source::Form);
        assert!(verifier.meaning.is_some());
        let rows = response_rows(&token.response);
        assert!(
            rows.iter()
                .any(|r| r.name == "access_token" && r.source == Source::Json)
        );
        let found = jwts(&rows);
        assert!(
            found
                .iter()
                .any(|jwt| jwt.name == "access_token" && jwt.header.contains("\"alg\": \"RS256\""))
        );
    }

    #[test]
    fn rfc9449_and_rfc7523_proofs_and_assertions_are_decoded_with_the_proofs_thumbprint() {
        let scenario = crate::flow::model::Preset::Fapi.scenario();
        let support = oauth_engine::sim::deployed::support(oauth_engine::jwa::ES256);
        let played = crate::flow::play(scenario, &demo_signing_key().unwrap(), Some(support));
        let issued = played
            .trace
            .iter()
            .find(|e| e.request.url.path == "/token" && e.response.status == 200)
            .unwrap();
        let found = jwts(&request_rows(&issued.request));
        let proof = found.iter().find(|jwt| jwt.name == "DPoP").unwrap();
        // RFC 9449 section 6.1: the token is bound to the proof's key.
        let access = jwts(&response_rows(&issued.response))
            .into_iter()
            .find(|jwt| jwt.name == "access_token")
            .unwrap();
        let JwtKind::DpopProof { thumbprint, jwk } = &proof.kind else {
            panic!("the DPoP header is a proof: {:?}", proof.kind);
        };
        assert!(
            access
                .payload
                .contains(&format!("\"jkt\": \"{thumbprint}\""))
        );
        assert!(jwk.contains("\"crv\":\"P-256\"") && !jwk.contains("\"d\""));
        let htm = proof.claims.iter().find(|row| row.name == "htm").unwrap();
        assert_eq!(htm.value, "POST");
        assert!(
            htm.rfc_url
                .as_deref()
                .unwrap()
                .ends_with("rfc9449#section-4.2")
        );
        let assertion = found
            .iter()
            .find(|jwt| jwt.name == "client_assertion")
            .unwrap();
        assert_eq!(assertion.kind, JwtKind::ClientAssertion);
        // At the API, the token is presented with the DPoP scheme, and both
        // it and the proof are found.
        let call = played
            .trace
            .iter()
            .find(|e| e.request.url.path == "/profile")
            .unwrap();
        let names: Vec<String> = jwts(&request_rows(&call.request))
            .into_iter()
            .map(|jwt| jwt.name)
            .collect();
        assert_eq!(names, ["Authorization", "DPoP"]);
    }

    #[test]
    fn the_redirect_location_query_is_decoded() {
        let trace = trace();
        let redirect = trace.iter().find(|e| e.response.status == 302).unwrap();
        let rows = response_rows(&redirect.response);
        assert!(
            rows.iter()
                .any(|r| r.name == "code" && r.source == Source::Query)
        );
        assert!(rows.iter().any(|r| r.name == "Location"));
    }

    #[test]
    fn rfc6749_2_3_1_basic_credentials_are_shown_decoded() {
        assert_eq!(
            basic_credentials("Basic d2ViYXBwOnMzY3JldA=="),
            Some("webapp:s3cret".into())
        );
        assert_eq!(basic_credentials("Bearer x"), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }
}
