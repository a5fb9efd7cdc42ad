use leptos::prelude::*;

use super::model::{authorization_parameters, token_parameters};
use super::use_pkce_state;
use crate::components::CopyButton;

/// The PKCE parameters exactly as each request carries them.
#[component]
pub fn WirePanel() -> impl IntoView {
    let state = use_pkce_state();
    let authorization = Signal::derive(move || {
        state
            .valid_verifier()
            .map(|verifier| authorization_parameters(&verifier, state.method()))
    });
    let token = Signal::derive(move || state.valid_verifier().map(|v| token_parameters(&v)));
    let has_tilde = move || state.verifier_text.with(|text| text.contains('~'));
    let missing = "Needs a valid code_verifier (see above)";
    view! {
        <section class="panel" aria-labelledby="wire-heading">
            <h2 id="wire-heading">"3. On the wire"</h2>
            <div class="wire">
                <div class="wire__leg">
                    <h3>
                        "Authorization request "
                        <span class="channel channel--front">"front channel"</span>
                    </h3>
                    <p>
                        "Appended to the " <code>"/authorize"</code>
                        " URL the browser is sent to (RFC 7636 section 4.3). It passes through \
                         the address bar and history, so it must not reveal the secret."
                    </p>
                    <pre class="code" data-testid="authorization-parameters">
                        {move || authorization.get().unwrap_or_else(|| missing.to_owned())}
                    </pre>
                    <CopyButton
                        text=authorization
                        what="authorization request parameters"
                        testid="copy-authorization-parameters"
                    />
                </div>
                <div class="wire__leg">
                    <h3>
                        "Token request "
                        <span class="channel channel--back">"back channel"</span>
                    </h3>
                    <p>
                        "Added to the form body of the POST the client sends straight to the \
                         token endpoint with the authorization code (RFC 7636 section 4.5). The \
                         browser never sees it."
                    </p>
                    <pre class="code" data-testid="token-parameters">
                        {move || token.get().unwrap_or_else(|| missing.to_owned())}
                    </pre>
                    <CopyButton
                        text=token
                        what="token request parameter"
                        testid="copy-token-parameters"
                    />
                    <Show when=has_tilde>
                        <p class="field-message">
                            "Form encoding sends " <code>"~"</code> " as " <code>"%7E"</code>
                            "; the server decodes it before hashing."
                        </p>
                    </Show>
                </div>
            </div>
        </section>
    }
}
