use leptos::prelude::*;
use oauth_engine::channel::Channel;

use super::model::{authorization_parameters, token_parameters};
use super::use_pkce_state;
use crate::components::{ChannelBadge, CopyButton};

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
    view! {
        <section class="panel" aria-labelledby="wire-heading">
            <h2 id="wire-heading">"3. On the wire"</h2>
            <div class="wire">
                <WireLeg
                    title="Authorization request"
                    channel=Channel::Front
                    value=authorization
                    testid="authorization-parameters"
                    what="authorization request parameters"
                >
                    <p>
                        "Appended to the " <code>"/authorize"</code>
                        " URL the browser is sent to (RFC 7636 section 4.3). It passes through \
                         the address bar and history, so it must not reveal the secret."
                    </p>
                </WireLeg>
                <WireLeg
                    title="Token request"
                    channel=Channel::Back
                    value=token
                    testid="token-parameters"
                    what="token request parameter"
                >
                    <p>
                        "Added to the form body of the POST the client sends straight to the \
                         token endpoint with the authorization code (RFC 7636 section 4.5). The \
                         browser never sees it."
                        <Show when=has_tilde>
                            " Form encoding sends " <code>"~"</code> " as " <code>"%7E"</code>
                            "; the server decodes it before hashing."
                        </Show>
                    </p>
                </WireLeg>
            </div>
        </section>
    }
}

/// One request: what it is, its channel, and the parameters it carries.
/// `data-testid`s: `testid` for the parameters, `copy-{testid}` for the
/// copy button.
#[component]
fn WireLeg(
    title: &'static str,
    channel: Channel,
    value: Signal<Option<String>>,
    testid: &'static str,
    what: &'static str,
    /// What the request is and why the parameter travels on this channel.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="wire__leg">
            <h3>{title} " " <ChannelBadge channel /></h3>
            {children()}
            <pre class="code" data-testid=testid>
                {move || {
                    value.get().unwrap_or_else(|| "Needs a valid code_verifier (see above)".to_owned())
                }}
            </pre>
            <CopyButton text=value what testid=format!("copy-{testid}") />
        </div>
    }
}
