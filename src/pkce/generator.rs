use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use oauth_engine::pkce::{CodeVerifier, MAX_LEN, MIN_LEN, entropy_bits, random_bytes_for};

use super::model::parse_length;
use super::use_pkce_state;
use crate::browser::BrowserRng;
use crate::components::{CodeField, CopyButton};

/// The RFC 7636 appendix B verifier.
pub const RFC_EXAMPLE_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

#[component]
pub fn GeneratorPanel() -> impl IntoView {
    let state = use_pkce_state();
    let length = Memo::new(move |_| state.length_text.with(|text| parse_length(text)));

    let generate = move |event: SubmitEvent| {
        event.prevent_default();
        let Ok(length) = length.get_untracked() else {
            return;
        };
        match CodeVerifier::generate(length, &mut BrowserRng) {
            Ok(verifier) => {
                let text = verifier.as_str().to_owned();
                state.generated.set(Some(text.clone()));
                state.verifier_text.set(text);
                state.generate_error.set(None);
            }
            Err(error) => state.generate_error.set(Some(error.to_string())),
        }
    };
    let load_example = move |_| state.verifier_text.set(RFC_EXAMPLE_VERIFIER.to_owned());

    // The status line under the verifier: (valid, message).
    let status = Memo::new(move |_| {
        let text = state.verifier_text.get();
        match state.verifier.get() {
            Err(error) => (false, format!("{error}.")),
            Ok(_) if text == RFC_EXAMPLE_VERIFIER => (
                true,
                "Valid: the example verifier from RFC 7636 appendix B.".to_owned(),
            ),
            Ok(_) if state.generated.with(|made| made.as_deref() == Some(&text)) => {
                let length = text.len();
                (
                    true,
                    format!(
                        "Valid: {length} characters made from {} random bytes, {} bits of entropy.",
                        random_bytes_for(length),
                        entropy_bits(length)
                    ),
                )
            }
            Ok(_) => (true, format!("Valid: {} characters.", text.len())),
        }
    });

    view! {
        <section class="panel" aria-labelledby="generator-heading">
            <h2 id="generator-heading">"1. Code verifier"</h2>
            <p>
                "A fresh secret for each authorization request, kept by the client: "
                {MIN_LEN} " to " {MAX_LEN}
                " characters from A-Z, a-z, 0-9 and " <code class="nowrap">"- . _ ~"</code> ". "
                "Generated here from your browser's secure random source and never sent anywhere."
            </p>
            <form class="generator" on:submit=generate>
                <div class="field field--inline">
                    <label for="verifier-length">"Length"</label>
                    <input
                        id="verifier-length"
                        data-testid="verifier-length"
                        type="number"
                        inputmode="numeric"
                        min=MIN_LEN
                        max=MAX_LEN
                        step="1"
                        prop:value=move || state.length_text.get()
                        on:input=move |event| state.length_text.set(event_target_value(&event))
                        aria-invalid=move || length.with(Result::is_err).to_string()
                        aria-describedby="verifier-length-message"
                    />
                </div>
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="generate"
                    disabled=move || length.with(Result::is_err)
                >
                    "Generate verifier"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="load-example"
                    on:click=load_example
                >
                    "Load RFC 7636 example"
                </button>
            </form>
            <p
                id="verifier-length-message"
                class="field-message field-message--error"
                data-testid="length-message"
            >
                {move || length.get().err()}
                {move || state.generate_error.get()}
            </p>

            <CodeField
                id="verifier"
                label="code_verifier"
                hint=" (edit or paste your own)"
                value=state.verifier_text
                invalid=Signal::derive(move || !status.get().0)
                message=Signal::derive(move || status.get().1)
            >
                <CopyButton
                    text=Signal::derive(move || state.valid_verifier().map(|v| v.as_str().to_owned()))
                    what="code_verifier"
                    testid="copy-verifier"
                />
            </CodeField>
        </section>
    }
}
