//! The inspector: the selected step's request and response as they cross
//! the wire, their parameters decoded with a meaning each, and any JWT in
//! them decoded.

use leptos::prelude::*;
use oauth_engine::channel::Channel;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::jose::b64_decode;
use oauth_engine::jwt::{Decoded, Payload, decode};
use oauth_engine::params::param_info;
use oauth_engine::sim::trace::Exchange;
use serde_json::Value;

use super::use_flow_state;
use crate::components::{AppLink, ChannelBadge, CopyButton, MeaningRow, MeaningTable, Reference};

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
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::Form => "form body",
            Self::Json => "JSON body",
            Self::Header => "header",
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
const EXPLAINED_HEADERS: [&str; 6] = [
    "Authorization",
    "WWW-Authenticate",
    "Location",
    "Set-Cookie",
    "Cookie",
    "Referer",
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
        oauth_engine::http::Method::Get => rows.extend(url_rows(&request.url)),
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
}

pub fn jwts(rows: &[ParamRow]) -> Vec<FoundJwt> {
    rows.iter()
        .filter_map(|row| {
            let token = row.value.strip_prefix("Bearer ").unwrap_or(&row.value);
            // A JWS compact serialization: three base64url parts.
            if token.split('.').count() != 3 {
                return None;
            }
            match decode(token).ok()? {
                Decoded::Signed {
                    header, payload, ..
                } => Some(FoundJwt {
                    name: row.name.clone(),
                    token: token.to_owned(),
                    header: serde_json::to_string_pretty(&header).ok()?,
                    payload: match payload {
                        Payload::Claims(claims) => serde_json::to_string_pretty(&claims).ok()?,
                        Payload::Text(text) => text,
                    },
                }),
                Decoded::Encrypted { .. } => None,
            }
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

#[component]
fn HttpText(text: String, label: &'static str, testid: &'static str) -> impl IntoView {
    let lines = http_lines(&text);
    view! {
        <pre class="http" data-testid=testid aria-label=label tabindex="0">
            <code>
                {lines
                    .into_iter()
                    .map(|line| match line {
                        HttpLine::Start(start) => {
                            view! { <span class="http__start">{start}</span> "\n" }.into_any()
                        }
                        HttpLine::Header(name, value) => {
                            view! {
                                <span class="http__name">{name}</span>
                                ": "
                                <span class="http__value">{value}</span>
                                "\n"
                            }
                                .into_any()
                        }
                        HttpLine::Blank => "\n".into_any(),
                        HttpLine::Body(body) => {
                            view! { <span class="http__body">{body}</span> "\n" }.into_any()
                        }
                    })
                    .collect_view()}
            </code>
        </pre>
    }
}

/// The inspector's rows for the shared table: where each value was found,
/// and Basic credentials decoded (RFC 6749 section 2.3.1).
#[component]
fn ParamTable(rows: Vec<ParamRow>, caption: &'static str, testid: &'static str) -> impl IntoView {
    let rows = rows
        .into_iter()
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
        <section class="inspector panel" aria-labelledby="inspector-heading">
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
            {move || exchange.get().map(exchange_view)}
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
                                let open = move |_| crate::jwt::preload(&token, &server_jwks());
                                let hidden = format!(" ({}, with the server's keys)", jwt.name);
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
                                        <div class="jwt-decoded__parts">
                                            <pre tabindex="0" aria-label="Header">
                                                <code>{jwt.header}</code>
                                            </pre>
                                            <pre tabindex="0" aria-label="Payload">
                                                <code>{jwt.payload}</code>
                                            </pre>
                                        </div>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            })}
    }
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
