//! The token field, its parts in colour, and the opt-in share link.

use leptos::prelude::*;
use oauth_engine::jwt::Decoded;

use super::JwtState;
use super::model::{
    DRAWN_CHARS, KeyFormat, coloured_parts, drawn_part, long_token_notice, share_fragment,
    token_from_fragment, with_rest,
};
use crate::components::{CopyButton, bool_memo};

/// The HS256 example of RFC 7515 appendix A.1 and its key, for a first
/// look: an expired token, so its warnings have something to say.
const RFC7515_A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7515_A1_KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// The token a share link opened this page with, if any.
pub fn token_in_link() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    token_from_fragment(&hash)
}

/// This page's address with `fragment` in place of its own.
fn link_with(fragment: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let page = href.split('#').next().unwrap_or_default();
    Some(format!("{page}{fragment}"))
}

#[component]
pub fn TokenPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    let message = move || match state.decoded.get() {
        Ok(Decoded::Signed { .. }) => (false, "A signed token (JWS): decoded below.".to_owned()),
        Ok(Decoded::Encrypted { .. }) => (
            false,
            "An encrypted token (JWE): only its header can be read without the key.".to_owned(),
        ),
        Err(error) => (true, error.to_string()),
    };
    // Too long to draw (model::DRAWN_CHARS): a browser lays out a
    // megabyte in a text field for longer than a frame, ten megabytes for
    // over a second. The field then shows the token's first part,
    // uncoloured, and says so; the token is kept whole, and copied whole
    // by the button. An edit of the part shown keeps the rest after it,
    // unless it replaces all the field shows (a paste over a selection of
    // everything): that replaces the whole token.
    let long = bool_memo(Box::new(move || {
        state.token_text.with(|text| text.len() > DRAWN_CHARS)
    }));
    let replaces_all = std::rc::Rc::new(std::cell::Cell::new(true));
    let before_input = {
        let replaces_all = replaces_all.clone();
        move |event: leptos::ev::InputEvent| {
            let field = event_target::<web_sys::HtmlTextAreaElement>(&event);
            let (start, end) = (field.selection_start(), field.selection_end());
            replaces_all.set(start == Ok(Some(0)) && end == Ok(Some(field.text_length())));
        }
    };
    let input = move |event: leptos::ev::Event| {
        let edited = event_target_value(&event);
        let token = if long.get_untracked() && !replaces_all.get() {
            state
                .token_text
                .with_untracked(|token| with_rest(&edited, token))
        } else {
            edited
        };
        // A value set by a script comes without a beforeinput: it replaces.
        replaces_all.set(true);
        state.set_token(token);
    };
    let highlight = NodeRef::<leptos::html::Pre>::new();
    // The coloured copy scrolls with the field.
    let follow_scroll = move |event: leptos::ev::Event| {
        if let Some(pre) = highlight.get() {
            let field = event_target::<web_sys::HtmlElement>(&event);
            pre.set_scroll_top(field.scroll_top());
        }
    };
    view! {
        <section class="panel" aria-labelledby="token-heading">
            <h2 id="token-heading">"Token"</h2>
            <div class="field">
                <label for="jwt-token">"Encoded token"</label>
                // The field's text, coloured part by part, drawn under the
                // field, whose own text is transparent: the colours appear
                // in place, where the user types.
                <div class="jwt__token-stack">
                    <pre class="jwt__highlight mono" aria-hidden="true" node_ref=highlight>
                        {move || {
                            state
                                .token_text
                                .with(|text| {
                                    let parts = coloured_parts(text);
                                    let last = parts.len().saturating_sub(1);
                                    parts
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, (kind, part))| {
                                            view! {
                                                <span class=format!(
                                                    "jwt__part jwt__part--{kind}",
                                                )>{part.to_owned()}</span>
                                                {(i < last).then_some(".")}
                                            }
                                        })
                                        .collect_view()
                                })
                        }}
                        // A last line break, as the field has, keeps the heights equal.
                        "\n"
                    </pre>
                    <textarea
                        id="jwt-token"
                        data-testid="jwt-token"
                        class="mono jwt__token-input"
                        class:jwt__token-input--plain=move || long.get()
                        rows="6"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        prop:value=move || {
                            state.token_text.with(|text| drawn_part(text, DRAWN_CHARS).0.to_owned())
                        }
                        on:beforeinput=before_input
                        on:input=input
                        on:scroll=follow_scroll
                        aria-invalid=move || message().0.to_string()
                        aria-describedby="jwt-token-message jwt-token-long"
                    ></textarea>
                </div>
                <p
                    id="jwt-token-message"
                    data-testid="jwt-token-message"
                    class="field-message"
                    class:field-message--error=move || message().0
                    class:field-message--ok=move || !message().0
                >
                    {move || message().1}
                </p>
                <div id="jwt-token-long" data-testid="jwt-token-long">
                    {move || {
                        long.get()
                            .then(|| {
                                view! {
                                    <p class="muted">
                                        {state.token_text.with(|text| long_token_notice(text))}
                                    </p>
                                    <CopyButton
                                        text=Signal::derive(move || Some(state.token_text.get()))
                                        what="whole token"
                                        testid="jwt-token-copy"
                                    />
                                }
                            })
                    }}
                </div>
            </div>
            <button
                type="button"
                class="button button--small"
                data-testid="jwt-example"
                on:click=move |_| {
                    state.set_token(RFC7515_A1_TOKEN.to_owned());
                    state.verify_key.set(RFC7515_A1_KEY.to_owned(), KeyFormat::SecretBase64Url);
                }
            >
                "Load an example: RFC 7515 A.1 and its key"
            </button>
            <ShareLink />
        </section>
    }
}

/// A link that opens the debugger on this token. Off until asked for: a
/// token in a link is readable by anyone the link reaches.
#[component]
fn ShareLink() -> impl IntoView {
    let state: JwtState = expect_context();
    let wanted = RwSignal::new(false);
    let link = Signal::derive(move || {
        (wanted.get() && state.decoded.with(Result::is_ok))
            .then(|| {
                state
                    .token_text
                    .with(|token| link_with(&share_fragment(token)))
            })
            .flatten()
    });
    view! {
        <div class="jwt__share">
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="jwt-share"
                    prop:checked=move || wanted.get()
                    on:change=move |event| wanted.set(event_target_checked(&event))
                    aria-describedby="jwt-share-warning"
                />
                "Make a link that opens this token"
            </label>
            <p id="jwt-share-warning" class="muted">
                "Anyone who gets the link can read the token, and use it if it is still \
                 valid. The token goes after the # (the fragment), which browsers do not send \
                 to the server hosting this page, but it stays in browser history and \
                 wherever the link is pasted. Share only tokens that are expired or made up."
            </p>
            {move || {
                wanted
                    .get()
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="jwt-share-link">"Share link"</label>
                                <input
                                    id="jwt-share-link"
                                    data-testid="jwt-share-link"
                                    type="text"
                                    class="mono"
                                    readonly
                                    prop:value=move || {
                                        link.get().unwrap_or_else(|| "Fix the token first.".into())
                                    }
                                />
                                <CopyButton text=link what="share link" testid="jwt-share-copy" />
                            </div>
                        }
                    })
            }}
        </div>
    }
}
