//! The JWT debugger: paste a token, read it (parts, header, claims with
//! their meanings and times, warnings), and check its signature with a
//! key. Decoding never needs the key; verifying never changes the token.

pub mod model;

use leptos::prelude::*;
use oauth_engine::clock::UnixTime;
use oauth_engine::jwa::verify;
use oauth_engine::jwt::{DecodeError, Decoded, Payload, decode, warnings};
use serde_json::Value;

use self::model::{KeyFormat, claim_rows, coloured_parts, read_key};
use crate::browser::{Store, save_setting, set_title};
use crate::components::session_text;

/// Clock skew allowed when judging exp and nbf, in seconds.
const SKEW: u64 = 60;

/// Where the screen keeps its fields in `sessionStorage`.
const TOKEN_KEY: &str = "jwt.token";
const KEY_KEY: &str = "jwt.key";
const KEY_FORMAT_KEY: &str = "jwt.key-format";

/// Puts `token` and a JWKS to check it with into the debugger's fields,
/// for the next time it opens: the Flow screen's "open in the JWT
/// debugger" links use it.
pub fn preload(token: &str, jwks: &str) {
    save_setting(Store::Session, TOKEN_KEY, Some(token));
    save_setting(Store::Session, KEY_KEY, Some(jwks));
    save_setting(Store::Session, KEY_FORMAT_KEY, Some(KeyFormat::Jwk.value()));
}

/// The screen's state, shared with its panels through context.
#[derive(Clone, Copy)]
struct JwtState {
    token_text: RwSignal<String>,
    key_text: RwSignal<String>,
    key_format: RwSignal<String>,
    decoded: Memo<Result<Decoded, DecodeError>>,
}

fn now() -> UnixTime {
    UnixTime((js_sys::Date::now() / 1000.0) as u64)
}

#[component]
pub fn JwtScreen() -> impl IntoView {
    set_title("JWT debugger");
    let token_text = session_text(TOKEN_KEY, String::new);
    let state = JwtState {
        token_text,
        key_text: session_text(KEY_KEY, String::new),
        key_format: session_text(KEY_FORMAT_KEY, || KeyFormat::SecretText.value().into()),
        decoded: Memo::new(move |_| token_text.with(|text| decode(text))),
    };
    provide_context(state);
    view! {
        <article class="jwt" aria-labelledby="jwt-title">
            <header class="screen-header">
                <h1 id="jwt-title">"JWT debugger"</h1>
                <p class="screen-header__lead">
                    "Paste a JSON Web Token to read it: each part, every claim with what it \
                     means, and what looks wrong. Then check its signature with a key. \
                     Everything happens in this page: the token is sent nowhere."
                </p>
            </header>
            <div class="jwt__columns">
                <TokenPanel />
                <VerifyPanel />
            </div>
            <DecodedPanel />
        </article>
    }
}

#[component]
fn TokenPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    let message = move || match state.decoded.get() {
        Ok(Decoded::Signed { .. }) => (false, "A signed token (JWS): decoded below.".to_owned()),
        Ok(Decoded::Encrypted { .. }) => (
            false,
            "An encrypted token (JWE): only its header can be read without the key.".to_owned(),
        ),
        Err(error) => (true, error.to_string()),
    };
    view! {
        <section class="panel" aria-labelledby="token-heading">
            <h2 id="token-heading">"Token"</h2>
            <div class="field">
                <label for="jwt-token">"Encoded token"</label>
                <textarea
                    id="jwt-token"
                    data-testid="jwt-token"
                    class="mono"
                    rows="6"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=move || state.token_text.get()
                    on:input=move |event| state.token_text.set(event_target_value(&event))
                    aria-invalid=move || message().0.to_string()
                    aria-describedby="jwt-token-message"
                ></textarea>
                <p
                    id="jwt-token-message"
                    data-testid="jwt-token-message"
                    class="field-message"
                    class:field-message--error=move || message().0
                    class:field-message--ok=move || !message().0
                >
                    {move || message().1}
                </p>
            </div>
            <p class="jwt__parts mono" data-testid="jwt-parts">
                <span class="visually-hidden">"The token's parts, coloured: "</span>
                {move || {
                    state
                        .token_text
                        .with(|text| {
                            let parts = coloured_parts(text);
                            let last = parts.len().saturating_sub(1);
                            parts
                                .into_iter()
                                .enumerate()
                                .map(|(i, (kind, part))| {
                                    view! {
                                        <span class=format!("jwt__part jwt__part--{kind}")>
                                            {part.to_owned()}
                                        </span>
                                        {(i < last).then_some(".")}
                                    }
                                })
                                .collect_view()
                        })
                }}
            </p>
        </section>
    }
}

#[component]
fn DecodedPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    move || {
        let decoded = state.decoded.get().ok()?;
        let now = now();
        let (header, payload) = match &decoded {
            Decoded::Signed {
                header, payload, ..
            } => (
                pretty(header),
                Some(match payload {
                    Payload::Claims(claims) => pretty(claims),
                    Payload::Text(text) => text.clone(),
                }),
            ),
            Decoded::Encrypted { header } => (pretty(header), None),
        };
        let rows = claim_rows(&decoded, now);
        let found = warnings(&decoded, now, SKEW);
        Some(view! {
            <section class="panel" aria-labelledby="decoded-heading">
                <h2 id="decoded-heading">"Decoded"</h2>
                {(!found.is_empty())
                    .then(|| {
                        view! {
                            <ul class="jwt__warnings" data-testid="jwt-warnings" aria-label="Warnings">
                                {found
                                    .iter()
                                    .map(|warning| view! { <li>{warning.to_string()}</li> })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                <div class="jwt__json">
                    <div>
                        <h3>"Header"</h3>
                        <pre class="jwt__part--0-box" tabindex="0" data-testid="jwt-header">
                            <code>{header}</code>
                        </pre>
                    </div>
                    {payload
                        .map(|payload| {
                            view! {
                                <div>
                                    <h3>"Payload"</h3>
                                    <pre class="jwt__part--1-box" tabindex="0" data-testid="jwt-payload">
                                        <code>{payload}</code>
                                    </pre>
                                </div>
                            }
                        })}
                </div>
                {(!rows.is_empty())
                    .then(|| {
                        view! {
                            <div class="table-scroll" tabindex="0" role="region" aria-label="Claims">
                                <table class="params" data-testid="jwt-claims">
                                    <caption>"Claims"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Claim"</th>
                                            <th scope="col">"Value"</th>
                                            <th scope="col">"Meaning"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|row| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">
                                                            <code>{row.name}</code>
                                                        </th>
                                                        <td class="params__value">
                                                            <code>{row.value}</code>
                                                            {row
                                                                .time
                                                                .map(|(utc, relative)| {
                                                                    view! {
                                                                        <span class="params__decoded">
                                                                            {utc} ", " {relative}
                                                                        </span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>
                                                            {row.meaning.unwrap_or("Not a registered claim.")}
                                                            {row
                                                                .defined_in
                                                                .map(|source| {
                                                                    view! {
                                                                        " "
                                                                        <span class="params__source">{source}</span>
                                                                    }
                                                                })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })}
            </section>
        })
    }
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[component]
fn VerifyPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    let format = move || KeyFormat::from_value(&state.key_format.get());
    // (verified, message), or None while there is nothing to check.
    let result = move || {
        let token = state.token_text.get();
        if token.trim().is_empty() {
            return None;
        }
        let kid = match state.decoded.get() {
            Ok(Decoded::Signed { header, .. }) => {
                header.get("kid").and_then(Value::as_str).map(str::to_owned)
            }
            Ok(Decoded::Encrypted { .. }) => {
                return Some((false, "A JWE is decrypted, not verified.".to_owned()));
            }
            Err(_) => return Some((false, "Fix the token first.".to_owned())),
        };
        let key = match state
            .key_text
            .with(|text| read_key(text, format(), kid.as_deref()))
        {
            Ok(key) => key,
            Err(message) => return Some((false, message)),
        };
        Some(match verify(&token, &key) {
            Ok(alg) => (true, format!("Signature verified ({}).", alg.name())),
            Err(error) => (false, format!("Not verified: {error}.")),
        })
    };
    view! {
        <section class="panel" aria-labelledby="verify-heading">
            <h2 id="verify-heading">"Verify the signature"</h2>
            <div class="field">
                <label for="jwt-key-format">"Key format"</label>
                <select
                    id="jwt-key-format"
                    data-testid="jwt-key-format"
                    on:change=move |event| state.key_format.set(event_target_value(&event))
                >
                    {KeyFormat::ALL
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option value=option.value() selected=move || format() == option>
                                    {option.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="jwt-key">"Key"</label>
                <textarea
                    id="jwt-key"
                    data-testid="jwt-key"
                    class="mono"
                    rows="5"
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=move || state.key_text.get()
                    on:input=move |event| state.key_text.set(event_target_value(&event))
                    aria-describedby="jwt-verify-result"
                ></textarea>
            </div>
            <p
                id="jwt-verify-result"
                data-testid="jwt-verify-result"
                class="verdict"
                class:verdict--match=move || result().is_some_and(|(ok, _)| ok)
                class:verdict--mismatch=move || result().is_some_and(|(ok, _)| !ok)
                role="status"
            >
                {move || result().map(|(_, message)| message)}
            </p>
            <p class="muted">
                "The header's alg decides the algorithm, and the key must be of the kind that \
                 alg needs: HS256/384/512 take a shared secret; RS and PS 256/384/512 an RSA \
                 JWK. ES256/384/512 and EdDSA are recognised but not supported yet."
            </p>
        </section>
    }
}
