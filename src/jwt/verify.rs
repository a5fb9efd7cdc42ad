//! Checking the token's signature with a key the user gives: typed,
//! pasted, or fetched as a JWKS from a URL they enter.

use leptos::prelude::*;
use leptos::task::spawn_local;
use oauth_engine::jwt::Decoded;
use serde_json::Value;

use super::crypto::{Verdict, VerifyInput};
use super::kind::{TokenKind, token_kind};
use super::model::{KeyFormat, pretty};
use super::{JwtState, KeyField};

/// A key field: the format menu and the text.
#[component]
pub fn KeyFields(
    field: KeyField,
    /// Prefix of the ids and test ids: `{id}` for the text, `{id}-format`.
    id: &'static str,
    label: &'static str,
    #[prop(optional)] describedby: &'static str,
    /// Called after the user changes either.
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let format_id = format!("{id}-format");
    view! {
        <div class="field">
            <label for=format_id.clone()>{label} " format"</label>
            <select
                id=format_id.clone()
                data-testid=format_id
                on:change=move |event| {
                    field.format.set(event_target_value(&event));
                    on_change();
                }
            >
                {KeyFormat::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.value() selected=move || field.format() == option>
                                {option.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                data-testid=id
                class="mono"
                rows="6"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                prop:value=move || field.text.get()
                on:input=move |event| {
                    field.text.set(event_target_value(&event));
                    on_change();
                }
                aria-describedby=describedby
            ></textarea>
        </div>
    }
}

#[component]
pub fn VerifyPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    // None while there is nothing to check.
    let verdict = Memo::new(move |_| {
        let token = state.token_text.get();
        if token.trim().is_empty() || state.verify_key.text.with(String::is_empty) {
            return None;
        }
        let kid = match state.decoded.get() {
            Ok(Decoded::Signed { header, .. }) => {
                header.get("kid").and_then(Value::as_str).map(str::to_owned)
            }
            Ok(Decoded::Encrypted { .. }) => {
                return Some(failed("A JWE is decrypted, not verified."));
            }
            Err(_) => return Some(failed("Fix the token first.")),
        };
        let Some(toolkit) = state.crypto.get() else {
            return Some(failed("Loading the verifier…"));
        };
        Some((toolkit.verify)(&VerifyInput {
            token,
            key: state.verify_key.input(),
            kid,
        }))
    });
    let verified = move || verdict.with(|verdict| verdict.as_ref().map(|v| v.verified));
    view! {
        <section class="panel" aria-labelledby="verify-heading">
            <h2 id="verify-heading">"Verify the signature"</h2>
            <KeyFields
                field=state.verify_key
                id="jwt-key"
                label="Key"
                describedby="jwt-verify-result"
                on_change=|| {}
            />
            {move || {
                let jwk = state
                    .decoded
                    .with(|decoded| match decoded.as_ref().ok().and_then(token_kind) {
                        Some(TokenKind::DpopProof { jwk, .. }) => jwk,
                        _ => None,
                    })?;
                Some(
                    view! {
                        <button
                            type="button"
                            class="button button--small"
                            data-testid="jwt-use-header-jwk"
                            on:click=move |_| {
                                state.verify_key.set(jwk.clone(), KeyFormat::JwkOrPem);
                            }
                        >
                            "Use the key in the header (jwk)"
                        </button>
                    },
                )
            }}
            <p
                id="jwt-verify-result"
                data-testid="jwt-verify-result"
                class="verdict"
                class:verdict--match=move || verified() == Some(true)
                class:verdict--mismatch=move || verified() == Some(false)
                role="status"
            >
                {move || verdict.with(|verdict| verdict.as_ref().map(|v| v.message.clone()))}
            </p>
            {move || {
                verdict
                    .with(|verdict| verdict.as_ref().and_then(|v| v.warning.clone()))
                    .map(|warning| {
                        view! {
                            <p class="jwt__key-warning" data-testid="jwt-key-warning">
                                {warning}
                            </p>
                        }
                    })
            }}
            <p class="muted">
                "The header's alg decides the algorithm, and the key must be of the kind that \
                 alg needs: HS256/384/512 a shared secret; RS and PS 256/384/512 an RSA key; \
                 ES256 a P-256 key, ES384 a P-384 key, ES512 a P-521 key; EdDSA an Ed25519 \
                 key. Keys may be JWKs, a JWKS (the token's kid picks the key), or PEM: SPKI \
                 \"PUBLIC KEY\", PKCS#1 \"RSA PUBLIC KEY\", or a private key."
            </p>
            <FetchJwks />
        </section>
    }
}

fn failed(message: &str) -> Verdict {
    Verdict {
        verified: false,
        message: message.into(),
        warning: None,
    }
}

/// The one request the page can make: fetching a JWKS from a URL the user
/// typed, when they click.
#[component]
fn FetchJwks() -> impl IntoView {
    let state: JwtState = expect_context();
    let url = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let fetch = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let address = url.get_untracked();
        if let Err(message) = check_url(&address) {
            status.set(Some(Err(message)));
            return;
        }
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let outcome = fetch_jwks(address).await;
            busy.set(false);
            status.set(Some(outcome.map(|(jwks, count)| {
                state.verify_key.set(jwks, KeyFormat::JwkOrPem);
                format!("Fetched a JWKS with {count} key(s) into the key field.")
            })));
        });
    };
    view! {
        <form class="jwt__fetch" on:submit=fetch>
            <div class="field">
                <label for="jwt-jwks-url">"Fetch a JWKS from a URL"</label>
                <input
                    id="jwt-jwks-url"
                    data-testid="jwt-jwks-url"
                    type="url"
                    class="mono"
                    placeholder="https://issuer.example/.well-known/jwks.json"
                    prop:value=move || url.get()
                    on:input=move |event| url.set(event_target_value(&event))
                    aria-describedby="jwt-jwks-note jwt-jwks-status"
                />
            </div>
            <button
                type="submit"
                class="button"
                data-testid="jwt-jwks-fetch"
                disabled=move || busy.get()
            >
                {move || if busy.get() { "Fetching…" } else { "Fetch JWKS" }}
            </button>
            <p id="jwt-jwks-note" class="muted">
                "This is the only request this page ever makes, and only when you press the \
                 button. The server must allow requests from this page (CORS)."
            </p>
            <p
                id="jwt-jwks-status"
                data-testid="jwt-jwks-status"
                class="field-message"
                class:field-message--error=move || matches!(status.get(), Some(Err(_)))
                class:field-message--ok=move || matches!(status.get(), Some(Ok(_)))
                role="status"
            >
                {move || status.get().map(|outcome| outcome.unwrap_or_else(|error| error))}
            </p>
        </form>
    }
}

/// Only absolute http(s) URLs are fetched.
fn check_url(address: &str) -> Result<(), String> {
    let url = web_sys::Url::new(address.trim())
        .map_err(|_| "Enter a whole URL, starting with https://.".to_owned())?;
    match url.protocol().as_str() {
        "https:" | "http:" => Ok(()),
        other => Err(format!(
            "Only http and https URLs can be fetched, not {other}"
        )),
    }
}

/// Fetches and checks a JWKS: the JSON text and its key count. Its own
/// chunk: the HTTP client loads only if the button is used.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn fetch_jwks(url: String) -> Result<(String, usize), String> {
    let response = gloo_net::http::Request::get(url.trim())
        .send()
        .await
        .map_err(|error| {
            format!(
                "The request failed ({error}). The server may be down, or may not allow \
                 requests from other sites (CORS)."
            )
        })?;
    if !response.ok() {
        return Err(format!(
            "The server answered {} {}, not a JWKS.",
            response.status(),
            response.status_text()
        ));
    }
    let text = response
        .text()
        .await
        .map_err(|error| format!("The response could not be read: {error}."))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|error| format!("The response is not JSON: {error}."))?;
    // RFC 7517 section 5: a JWK Set is an object with a "keys" array.
    let count = json
        .get("keys")
        .and_then(Value::as_array)
        .map(Vec::len)
        .ok_or(
            "The response is JSON but not a JWKS: it has no \"keys\" array (RFC 7517 section 5).",
        )?;
    Ok((pretty(&json), count))
}
