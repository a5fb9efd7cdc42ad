//! The PKCE generator screen (RFC 7636).

mod challenge;
mod checker;
mod explainer;
mod generator;
pub mod model;
mod wire;

use leptos::prelude::*;
use oauth_engine::pkce::{CodeVerifier, DEFAULT_LEN, PkceMethod, PkceSyntaxError};

use crate::browser::{BrowserRng, set_title};
use crate::components::session_text;

/// The screen's state, shared with its panels through context.
#[derive(Clone, Copy)]
pub struct PkceState {
    /// The length field, as typed.
    pub length_text: RwSignal<String>,
    /// The verifier field, as typed, generated or loaded.
    pub verifier_text: RwSignal<String>,
    /// The method field, as its parameter value ("S256" or "plain").
    pub method_text: RwSignal<String>,
    /// The last verifier the generator made: while the field still holds it,
    /// the screen can say how many random bits it carries.
    pub generated: RwSignal<Option<String>>,
    /// Why the last "Generate" failed, if it did.
    pub generate_error: RwSignal<Option<String>>,
    pub verifier: Memo<Result<CodeVerifier, PkceSyntaxError>>,
}

impl PkceState {
    fn new() -> Self {
        let generated = RwSignal::new(None);
        let verifier_text = session_text("pkce.verifier", || {
            // First visit: show a real verifier straight away.
            let verifier = CodeVerifier::generate(DEFAULT_LEN, &mut BrowserRng)
                .map(|verifier| verifier.as_str().to_owned())
                .unwrap_or_default();
            generated.set(Some(verifier.clone()));
            verifier
        });
        Self {
            length_text: session_text("pkce.length", || DEFAULT_LEN.to_string()),
            verifier_text,
            method_text: session_text("pkce.method", || PkceMethod::S256.to_string()),
            generated,
            generate_error: RwSignal::new(None),
            verifier: Memo::new(move |_| verifier_text.with(|text| CodeVerifier::parse(text))),
        }
    }

    /// The chosen method; anything unexpected in storage falls back to S256.
    pub fn method(&self) -> PkceMethod {
        self.method_text
            .with(|text| text.parse().unwrap_or_default())
    }

    /// The valid verifier, if the field holds one.
    pub fn valid_verifier(&self) -> Option<CodeVerifier> {
        self.verifier.get().ok()
    }
}

pub fn use_pkce_state() -> PkceState {
    expect_context()
}

#[component]
pub fn PkceScreen() -> impl IntoView {
    set_title("PKCE generator");
    provide_context(PkceState::new());
    view! {
        <article class="pkce" aria-labelledby="pkce-title">
            <header class="screen-header">
                <h1 id="pkce-title">"PKCE generator"</h1>
                <p class="screen-header__lead">
                    "Proof Key for Code Exchange (RFC 7636) binds an authorization code to the \
                     app that asked for it. Make a verifier, watch its challenge change as you \
                     type, and see exactly what each request carries."
                </p>
            </header>
            <generator::GeneratorPanel />
            <challenge::ChallengePanel />
            <wire::WirePanel />
            <checker::CheckerPanel />
            <explainer::Explainer />
        </article>
    }
}
