use leptos::prelude::*;

/// Why PKCE stops authorization code interception.
#[component]
pub fn Explainer() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="why-heading">
            <h2 id="why-heading">"5. Why this stops code interception"</h2>
            <ol class="steps">
                <li>
                    "The client makes a new random " <code>"code_verifier"</code>
                    " and keeps it to itself."
                </li>
                <li>
                    "It sends only the " <code>"code_challenge"</code>
                    " in the authorization request. That request travels through the browser, \
                     where history, logs, or another app registered for the same redirect URI \
                     scheme can see it and the code that comes back."
                </li>
                <li>
                    "The authorization server remembers the challenge with the code it issues."
                </li>
                <li>
                    "An attacker holding the intercepted code cannot redeem it: the token \
                     request must carry the verifier, and SHA-256 cannot be run backwards from \
                     the challenge. The server answers " <code>"invalid_grant"</code> "."
                </li>
                <li>
                    "The real client sends the verifier over the back channel; the server \
                     recomputes the challenge, compares, and only then issues tokens."
                </li>
            </ol>
            <p>
                "Read the rule itself: "
                <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.6" rel="external">
                    "RFC 7636 section 4.6"
                </a> ". OAuth 2.1 and the security BCP ("
                <a href="https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1" rel="external">
                    "RFC 9700 section 2.1.1"
                </a> ") ask every client to use PKCE, confidential ones too."
            </p>
        </section>
    }
}
