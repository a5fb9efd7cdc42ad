//! Signing: the algorithm, the signing key (typed, pasted or made here),
//! and the key in every form to take away.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::crypto::{self, KeyExport};
use super::model::{KeyChoice, KeyFormat, SIGNING_ALGS, header_alg, with_alg};
use super::verify::KeyFields;
use super::{JwtState, webcrypto};
use crate::components::{CopyButton, drawn};

#[component]
pub fn SignPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    let alg = move || state.header_text.with(|text| header_alg(text));
    let set_alg = move |chosen: String| {
        state
            .header_text
            .update(|header| *header = with_alg(header, &chosen));
        state.rebuild_token();
    };
    let status = move || {
        if state.sign_key.text.with(String::is_empty) {
            return (
                false,
                "No signing key: edits keep the old signature.".to_owned(),
            );
        }
        if state.crypto.loading() {
            return (false, "Loading the signing code…".to_owned());
        }
        match state.sign_error.get() {
            Some(error) => (true, error),
            None => (
                false,
                "Edits to the header, the payload, the algorithm or this key sign the token \
                 again."
                    .to_owned(),
            ),
        }
    };
    view! {
        <section class="panel" aria-labelledby="sign-heading">
            <h2 id="sign-heading">"Sign"</h2>
            <div class="jwt__columns">
                <div>
                    <div class="field">
                        <label for="jwt-sign-alg">"Algorithm (the header's alg)"</label>
                        <select
                            id="jwt-sign-alg"
                            data-testid="jwt-sign-alg"
                            on:change=move |event| set_alg(event_target_value(&event))
                        >
                            <option value="" disabled selected=move || {
                                alg().is_none_or(|alg| !SIGNING_ALGS.contains(&alg.as_str()))
                            }>
                                {move || match alg() {
                                    Some(other) => format!("{other} (cannot sign with it)"),
                                    None => "Choose…".to_owned(),
                                }}
                            </option>
                            {SIGNING_ALGS
                                .into_iter()
                                .map(|option| {
                                    view! {
                                        <option
                                            value=option
                                            selected=move || alg().as_deref() == Some(option)
                                        >
                                            {option}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <KeyFields
                        field=state.sign_key
                        id="jwt-sign-key"
                        label="Signing key"
                        describedby="jwt-sign-status"
                        on_change=move || state.rebuild_token()
                    />
                    <p
                        id="jwt-sign-status"
                        data-testid="jwt-sign-status"
                        class="field-message"
                        class:field-message--error=move || status().0
                        role="status"
                    >
                        {move || status().1}
                    </p>
                </div>
                <GenerateKey />
            </div>
            <KeyExports />
        </section>
    }
}

/// Makes a new key, puts its private half in the signing key field and its
/// public half in the verification key field, so the token is signed and
/// verifies at once.
#[component]
fn GenerateKey() -> impl IntoView {
    let state: JwtState = expect_context();
    let choice = RwSignal::new(KeyChoice::Rsa2048);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let generate = move |_| {
        let choice = choice.get_untracked();
        let current_alg = state
            .header_text
            .with_untracked(|text| header_alg(text))
            .unwrap_or_default();
        busy.set(true);
        error.set(None);
        state.crypto.want();
        spawn_local(async move {
            let toolkit = crypto::load().await;
            let made = if choice == KeyChoice::Rsa2048 {
                match webcrypto::generate_rsa_2048().await {
                    Ok(jwk) => (toolkit.describe)(&jwk, KeyFormat::JwkOrPem),
                    Err(message) => Err(message),
                }
            } else {
                (toolkit.generate)(choice, &current_alg)
            };
            busy.set(false);
            match made {
                Ok(key) => use_key(state, &key, choice.alg(&current_alg)),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <div>
            <div class="field">
                <label for="jwt-new-key">"Make a new key in this page"</label>
                <select
                    id="jwt-new-key"
                    data-testid="jwt-new-key"
                    on:change=move |event| {
                        choice.set(KeyChoice::from_value(&event_target_value(&event)))
                    }
                >
                    {KeyChoice::ALL
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option value=option.value() selected=move || choice.get() == option>
                                    {option.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button
                type="button"
                class="button"
                data-testid="jwt-generate"
                disabled=move || busy.get()
                on:click=generate
                aria-describedby="jwt-generate-status"
            >
                {move || if busy.get() { "Making the key…" } else { "Make key" }}
            </button>
            <p
                id="jwt-generate-status"
                data-testid="jwt-generate-status"
                class="field-message field-message--error"
                role="status"
            >
                {move || error.get()}
            </p>
            <p class="muted">
                "The new key replaces both key fields: its private half signs, its public half \
                 verifies. Keys are made with the browser's secure random numbers and never \
                 leave the page; RSA keys come from the browser's WebCrypto, which makes them \
                 without freezing the page."
            </p>
        </div>
    }
}

fn use_key(state: JwtState, key: &KeyExport, alg: &str) {
    state
        .sign_key
        .set(key.signing_text.clone(), key.signing_format);
    state
        .verify_key
        .set(key.verifying_text.clone(), key.verifying_format);
    state
        .header_text
        .update(|header| *header = with_alg(header, alg));
    state.rebuild_token();
}

/// The signing key as public and private JWK and PEM.
#[component]
fn KeyExports() -> impl IntoView {
    let state: JwtState = expect_context();
    let exported = Memo::new(move |_| {
        let toolkit = state.crypto.get()?;
        let text = state.sign_key.text.get();
        if text.is_empty() {
            return None;
        }
        Some((toolkit.describe)(&text, state.sign_key.format()))
    });
    move || {
        let key = match exported.get()? {
            Ok(key) => key,
            Err(message) => {
                return Some(drawn(move || {
                    view! {
                        <p class="field-message field-message--error" data-testid="jwt-export-error">
                            {message}
                        </p>
                    }
                }));
            }
        };
        let forms = [
            (
                "jwt-export-public-jwk",
                "Public key, JWK",
                key.public_jwk,
                "public.jwk.json",
            ),
            (
                "jwt-export-private-jwk",
                "Private key, JWK",
                key.private_jwk,
                "private.jwk.json",
            ),
            (
                "jwt-export-public-pem",
                "Public key, PEM (SPKI)",
                key.public_pem,
                "public.pem",
            ),
            (
                "jwt-export-private-pem",
                "Private key, PEM (PKCS#8)",
                key.private_pem,
                "private.pem",
            ),
        ];
        Some(drawn(move || {
            view! {
                <div class="jwt__exports" data-testid="jwt-exports">
                    <h3>"The signing key: " {key.summary}</h3>
                    {forms
                        .into_iter()
                        .filter_map(|(id, label, text, file)| Some((id, label, text?, file)))
                        .map(|(id, label, text, file)| view! { <Export id label text file /> })
                        .collect_view()}
                </div>
            }
        }))
    }
}

#[component]
fn Export(
    id: &'static str,
    label: &'static str,
    text: String,
    file: &'static str,
) -> impl IntoView {
    let download = {
        let text = text.clone();
        move |_| {
            let mime = if file.ends_with(".pem") {
                "application/x-pem-file"
            } else {
                "application/json"
            };
            let _ = crate::browser::download(file, mime, &text);
        }
    };
    let copy_text = Signal::derive({
        let text = text.clone();
        move || Some(text.clone())
    });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea id=id data-testid=id class="mono" rows="5" readonly prop:value=text></textarea>
            <div class="field__footer">
                <CopyButton text=copy_text what=label />
                <button type="button" class="button button--small" on:click=download>
                    "Download " {file}
                </button>
            </div>
        </div>
    }
}
