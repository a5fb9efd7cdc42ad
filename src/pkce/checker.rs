use leptos::prelude::*;

use super::model::{Verdict, check_pair, verdict_message};
use super::use_pkce_state;
use crate::components::session_text;

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
            <div class="field">
                <label for="check-verifier">
                    <code>"code_verifier"</code>
                </label>
                <textarea
                    id="check-verifier"
                    data-testid="check-verifier"
                    class="mono"
                    rows="2"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    prop:value=move || verifier.get()
                    on:input=move |event| verifier.set(event_target_value(&event))
                    aria-invalid=move || report.with(|r| r.verifier_error.is_some()).to_string()
                    aria-describedby="check-verifier-message"
                ></textarea>
                <p
                    id="check-verifier-message"
                    class="field-message field-message--error"
                    data-testid="check-verifier-message"
                >
                    {move || report.with(|r| r.verifier_error.as_ref().map(|e| format!("{e}.")))}
                </p>
            </div>
            <div class="field">
                <label for="check-challenge">
                    <code>"code_challenge"</code>
                </label>
                <textarea
                    id="check-challenge"
                    data-testid="check-challenge"
                    class="mono"
                    rows="2"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    prop:value=move || challenge.get()
                    on:input=move |event| challenge.set(event_target_value(&event))
                    aria-invalid=move || report.with(|r| r.challenge_error.is_some()).to_string()
                    aria-describedby="check-challenge-message"
                ></textarea>
                <p
                    id="check-challenge-message"
                    class="field-message field-message--error"
                    data-testid="check-challenge-message"
                >
                    {move || report.with(|r| r.challenge_error.as_ref().map(|e| format!("{e}.")))}
                </p>
            </div>
            <p class=verdict_class role="status" data-testid="check-result">
                {move || report.with(|r| verdict_message(&r.verdict))}
            </p>
        </section>
    }
}
