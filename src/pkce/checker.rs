use leptos::prelude::*;

use oauth_engine::pkce::PkceSyntaxError;

use super::model::{Verdict, check_pair, verdict_message};
use super::use_pkce_state;
use crate::components::{CodeField, session_text};

/// Paste a verifier and a challenge; see whether and how they match.
#[component]
pub fn CheckerPanel() -> impl IntoView {
    let state = use_pkce_state();
    let verifier = session_text("pkce.check.verifier", String::new);
    let challenge = session_text("pkce.check.challenge", String::new);
    let report = Memo::new(move |_| {
        verifier.with(|verifier| challenge.with(|challenge| check_pair(verifier, challenge)))
    });
    let fill_from_generator = move |_| {
        if let Some(current) = state.valid_verifier() {
            challenge.set(current.challenge(state.method()).as_str().to_owned());
            verifier.set(current.as_str().to_owned());
        }
    };
    let verdict_class = move || match report.with(|r| r.verdict.clone()) {
        Verdict::Match(_) => "verdict verdict--match",
        Verdict::NoMatch | Verdict::Invalid => "verdict verdict--mismatch",
        Verdict::Incomplete => "verdict",
    };

    view! {
        <section class="panel" aria-labelledby="checker-heading">
            <h2 id="checker-heading">"4. Check a pair"</h2>
            <p>
                "Paste a verifier and a challenge from your own app, or a server log, to see \
                 whether the token request would pass the server's check (RFC 7636 section 4.6)."
            </p>
            <button
                type="button"
                class="button"
                data-testid="fill-checker"
                disabled=move || state.verifier.with(Result::is_err)
                on:click=fill_from_generator
            >
                "Use the values above"
            </button>
            <CodeField
                id="check-verifier"
                label="code_verifier"
                value=verifier
                invalid=Signal::derive(move || report.with(|r| r.verifier_error.is_some()))
                message=Signal::derive(move || report.with(|r| error_text(&r.verifier_error)))
            />
            <CodeField
                id="check-challenge"
                label="code_challenge"
                value=challenge
                invalid=Signal::derive(move || report.with(|r| r.challenge_error.is_some()))
                message=Signal::derive(move || report.with(|r| error_text(&r.challenge_error)))
            />
            <p class=verdict_class role="status" data-testid="check-result">
                {move || report.with(|r| verdict_message(&r.verdict))}
            </p>
        </section>
    }
}

/// A field's message: the error as a sentence, or nothing.
fn error_text(error: &Option<PkceSyntaxError>) -> String {
    error.as_ref().map(|e| format!("{e}.")).unwrap_or_default()
}
