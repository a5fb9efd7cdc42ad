use leptos::prelude::*;
use oauth_engine::pkce::PkceMethod;

use super::use_pkce_state;
use crate::components::CopyButton;

/// One row per method: how the challenge is derived, and its value.
struct MethodRow {
    method: PkceMethod,
    label: &'static str,
    formula: &'static str,
}

const METHOD_ROWS: [MethodRow; 2] = [
    MethodRow {
        method: PkceMethod::S256,
        label: "S256 (recommended)",
        formula: "BASE64URL(SHA256(ASCII(code_verifier)))",
    },
    MethodRow {
        method: PkceMethod::Plain,
        label: "plain",
        formula: "code_challenge = code_verifier",
    },
];

#[component]
pub fn ChallengePanel() -> impl IntoView {
    let state = use_pkce_state();
    view! {
        <section class="panel" aria-labelledby="challenge-heading">
            <h2 id="challenge-heading">"2. Code challenge"</h2>
            <p>
                "What the client sends instead of the secret. Both are recomputed as you edit \
                 the verifier; choose the method the client will use."
            </p>
            <fieldset class="methods">
                <legend>
                    <code>"code_challenge_method"</code>
                </legend>
                {METHOD_ROWS
                    .iter()
                    .map(|row| {
                        let method = row.method;
                        let challenge = Signal::derive(move || {
                            state.valid_verifier().map(|v| v.challenge(method).as_str().to_owned())
                        });
                        let id = format!("method-{}", method.as_str());
                        view! {
                            <div
                                class="method"
                                class:method--selected=move || state.method() == method
                            >
                                <input
                                    type="radio"
                                    name="pkce-method"
                                    id=id.clone()
                                    data-testid=format!("method-{}", method.as_str())
                                    value=method.as_str()
                                    prop:checked=move || state.method() == method
                                    on:change=move |_| state.method_text.set(method.to_string())
                                />
                                <label for=id class="method__label">
                                    {row.label}
                                    <span class="method__formula">{row.formula}</span>
                                </label>
                                <output
                                    class="method__value mono"
                                    data-testid=format!("challenge-{}", method.as_str())
                                >
                                    {move || {
                                        challenge
                                            .get()
                                            .unwrap_or_else(|| {
                                                "Needs a valid code_verifier (see above)".to_owned()
                                            })
                                    }}
                                </output>
                                <CopyButton
                                    text=challenge
                                    what=if method == PkceMethod::S256 {
                                        "S256 code_challenge"
                                    } else {
                                        "plain code_challenge"
                                    }
                                />
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Show when=move || state.method() == PkceMethod::Plain>
                <p class="callout callout--warning" data-testid="plain-warning">
                    "With plain, the challenge is the verifier: anyone who sees the \
                     authorization request (browser history, logs, a malicious app) learns the \
                     secret. RFC 7636 section 4.2 allows it only for clients that cannot compute \
                     SHA-256, and the OAuth security BCP (RFC 9700 section 2.1.1) asks for S256."
                </p>
            </Show>
        </section>
    }
}
