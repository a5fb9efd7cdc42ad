//! The simulated browser: its address bar and history at the current step,
//! and the page it shows. The authorization server's sign-in and consent
//! pages are live: what the user types and clicks there changes the run.

use leptos::prelude::*;
use oauth_engine::http::{Response, unescape_html};
use oauth_engine::server::offered_scopes;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::{Exchange, browser_at};

use super::model::{CheckField, TextField};
use super::use_flow_state;
use crate::components::{Shown, drawn};

/// What the browser window shows after a navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The server's sign-in form, with its error if the last try failed.
    SignIn { error: Option<String> },
    /// The server's consent form for these scopes.
    Consent { scopes: Vec<String> },
    /// A redirect the browser is following.
    Redirect { to: String },
    /// Any other page, as its text.
    Text { heading: String, text: String },
}

/// Reads the page the server sent. The pages are the engine's own HTML, so
/// their form fields say what they are.
pub fn page_of(response: &Response) -> Page {
    if let Some(location) = response.headers.get("Location") {
        return Page::Redirect {
            to: location.to_owned(),
        };
    }
    let body = &response.body;
    if body.contains("name=\"password\"") {
        let error = between(body, "<p role=\"alert\">", "</p>").map(|text| unescape_html(&text));
        return Page::SignIn { error };
    }
    if body.contains("name=\"decision\"") {
        return Page::Consent {
            scopes: offered_scopes(body),
        };
    }
    // The document's <title> is the tab's name, not page content.
    let body = body.rsplit("</title>").next().unwrap_or(body);
    let heading = between(body, "<h1>", "</h1>")
        .map(|text| unescape_html(&strip_tags(&text)))
        .unwrap_or_default();
    let after_heading = body.split("</h1>").nth(1).unwrap_or(body);
    Page::Text {
        heading,
        text: unescape_html(&strip_tags(after_heading)),
    }
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(rest[..rest.find(end)?].to_owned())
}

/// The text of some HTML, tags dropped and white space collapsed.
pub fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page on screen at `step`: the response to the latest navigation.
pub fn page_at(trace: &[Exchange], step: usize) -> Option<(usize, Page)> {
    let last = step.min(trace.len().checked_sub(1)?);
    trace[..=last]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, exchange)| exchange.navigates)
        .map(|(index, exchange)| (index, page_of(&exchange.response)))
}

#[component]
pub fn BrowserWindow() -> impl IntoView {
    let state = use_flow_state();
    let has_browser = move || state.preset.get().flow() != Flow::ClientCredentials;
    let view_at = Memo::new(move |_| {
        state.with_played(|played| {
            let step = state.current();
            let browser = browser_at(&played.trace, step);
            let page = page_at(&played.trace, step);
            // Only the simulated user's own steps are live: the page the
            // user is looking at right now.
            let live = page.as_ref().is_some_and(|(index, _)| *index == step);
            (browser, page.map(|(_, page)| page), live)
        })
    });
    view! {
        <Shown when=move || state.preset.get().flow() == Flow::Device>
            <DeviceScreen />
        </Shown>
        <section class="browser-window panel" aria-labelledby="browser-heading">
            <h2 id="browser-heading">"The user's browser"</h2>
            <Shown when=move || !has_browser()>
                <p class="muted" data-testid="flow-no-browser">
                    "No browser and no user in this flow: the client authenticates itself and \
                     talks to the server on the back channel only."
                </p>
            </Shown>
            <Shown when=has_browser>
                // Drawn anew on each step: the address and the page change
                // with it. The history's <details> stays, open or closed.
                {move || view_at.get().map(|(browser, page, live)| {
                    let address = browser
                        .address
                        .map(|url| url.to_string())
                        .unwrap_or_else(|| "about:blank".into());
                    drawn(move || view! {
                        <div class="browser-window__frame">
                            <div class="browser-window__bar">
                                <label class="visually-hidden" for="flow-address-bar">
                                    "Address bar"
                                </label>
                                <input
                                    id="flow-address-bar"
                                    data-testid="flow-address-bar"
                                    class="browser-window__address mono"
                                    readonly
                                    value=address
                                />
                            </div>
                            <div class="browser-window__page" data-testid="flow-page">
                                {match page {
                                    Some(page) => page_view(page, live),
                                    None => drawn(|| view! {
                                        <p class="muted">"No page opened yet."</p>
                                    }),
                                }}
                            </div>
                        </div>
                    })
                })}
                <details class="browser-window__history">
                    <summary data-testid="flow-history-summary">
                        {move || view_at.with(|at| {
                            let entries = at.as_ref().map_or(0, |(browser, ..)| browser.history.len());
                            format!("History: {entries} entries")
                        })}
                    </summary>
                    <ol data-testid="flow-history">
                        {move || view_at.with(|at| {
                            let history = at.as_ref().map(|(browser, ..)| browser.history.clone());
                            drawn(move || history
                                .into_iter()
                                .flatten()
                                .map(|url| view! { <li class="mono">{url.to_string()}</li> })
                                .collect_view())
                        })}
                    </ol>
                </details>
            </Shown>
        </section>
    }
}

/// What the device shows its user (RFC 8628 section 3.3): where to go and
/// the code to type there, from the device authorization response.
pub fn device_prompt(trace: &[Exchange], step: usize) -> Option<(String, String)> {
    let last = step.min(trace.len().checked_sub(1)?);
    let response = trace[..=last]
        .iter()
        .find(|exchange| exchange.request.url.path == "/device_authorization")?
        .response
        .json_body()?;
    Some((
        response["verification_uri"].as_str()?.to_owned(),
        response["user_code"].as_str()?.to_owned(),
    ))
}

#[component]
fn DeviceScreen() -> impl IntoView {
    let state = use_flow_state();
    let prompt = move || {
        state
            .with_played(|played| device_prompt(&played.trace, state.current()))
            .flatten()
    };
    view! {
        <section class="device-screen panel" aria-labelledby="device-heading">
            <h2 id="device-heading">"The device's screen"</h2>
            <p data-testid="flow-device-screen">
                {move || match prompt() {
                    Some((uri, code)) => drawn(move || view! {
                        "On your phone or computer, go to "
                        <code>{uri}</code>
                        " and enter the code "
                        <strong class="device-screen__code mono">{code}</strong>
                    }),
                    None => drawn(|| "Starting: the device asks the server for a code."),
                }}
            </p>
        </section>
    }
}

fn page_view(page: Page, live: bool) -> AnyView {
    let state = use_flow_state();
    // Submitting a live page moves on to the request it sends.
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        state.playing.set(false);
        state.forward();
    };
    match page {
        Page::SignIn { error } => drawn(move || {
            view! {
                <form class="sim-page" on:submit=submit data-testid="flow-sign-in">
                    <h3>"Sign in"</h3>
                    <p class="sim-page__origin">"as.example, the authorization server"</p>
                    {error.map(|error| view! { <p class="field-message field-message--error">{error}</p> })}
                    <div class="field">
                        <label for="sim-username">"Username"</label>
                        <input
                            id="sim-username"
                            data-testid="flow-sim-username"
                            autocomplete="off"
                            prop:value=move || state.form.with(|f| f.text(TextField::Username).to_owned())
                            on:input=move |event| {
                                let value = event_target_value(&event);
                                state.edit(|form| {
                                    form.texts.insert(TextField::Username, value);
                                });
                            }
                        />
                    </div>
                    <div class="field">
                        <label for="sim-password">"Password"</label>
                        <input
                            id="sim-password"
                            data-testid="flow-sim-password"
                            type="password"
                            autocomplete="off"
                            prop:value=move || state.form.with(|f| f.text(TextField::Password).to_owned())
                            on:input=move |event| {
                                let value = event_target_value(&event);
                                state.edit(|form| {
                                    form.texts.insert(TextField::Password, value);
                                });
                            }
                        />
                    </div>
                    <p class="sim-page__hint">"Users: alice / wonderland, bob / builder."</p>
                    <button type="submit" class="button button--primary" disabled=!live data-testid="flow-sim-sign-in">
                        "Sign in"
                    </button>
                </form>
            }
        }),
        Page::Consent { scopes } => {
            // Allow with every box unticked would grant nothing: the page
            // says so instead of sending it (the server would answer
            // access_denied, RFC 6749 section 4.1.2.1).
            let offered = StoredValue::new(scopes.clone());
            let nothing_ticked = move || {
                offered.with_value(|scopes| {
                    state
                        .form
                        .with(|f| scopes.iter().all(|scope| f.withheld_scopes.contains(scope)))
                })
            };
            let refused = RwSignal::new(false);
            let decide = move |approve: bool| {
                move |_| {
                    if approve && nothing_ticked() {
                        refused.set(true);
                        return;
                    }
                    refused.set(false);
                    state.edit(|form| {
                        form.checks.insert(CheckField::Approve, approve);
                    });
                    state.playing.set(false);
                    state.forward();
                }
            };
            let show_refusal = move || refused.get() && nothing_ticked();
            drawn(move || {
                view! {
                    <form class="sim-page" on:submit=|event| event.prevent_default() data-testid="flow-consent">
                        <h3>"Allow the app to access your account?"</h3>
                        <fieldset class="sim-page__scopes">
                            <legend>"Permissions (untick to grant less)"</legend>
                            {scopes
                                .into_iter()
                                .map(|scope| {
                                    let id = format!("sim-scope-{scope}");
                                    let token = scope.clone();
                                    let checked = {
                                        let token = token.clone();
                                        move || state.form.with(|f| !f.withheld_scopes.contains(&token))
                                    };
                                    view! {
                                        <div class="check">
                                            <input
                                                type="checkbox"
                                                id=id.clone()
                                                data-testid=format!("flow-sim-scope-{scope}")
                                                prop:checked=checked
                                                on:change=move |event| {
                                                    let granted = event_target_checked(&event);
                                                    let token = token.clone();
                                                    state.edit(move |form| {
                                                        if granted {
                                                            form.withheld_scopes.remove(&token);
                                                        } else {
                                                            form.withheld_scopes.insert(token);
                                                        }
                                                    });
                                                }
                                            />
                                            <label for=id>{scope}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <Shown when=show_refusal>
                            <p class="field-message field-message--error" role="alert" data-testid="flow-sim-consent-error">
                                "Tick at least one permission to allow access, or press Deny."
                            </p>
                        </Shown>
                        <div class="sim-page__buttons">
                            <button type="button" class="button button--primary" disabled=!live data-testid="flow-sim-allow" on:click=decide(true)>
                                "Allow"
                            </button>
                            <button type="button" class="button" disabled=!live data-testid="flow-sim-deny" on:click=decide(false)>
                                "Deny"
                            </button>
                        </div>
                    </form>
                }
            })
        }
        Page::Redirect { to } => drawn(move || {
            view! {
                <p class="sim-page__redirect">
                    "302: the server sends the browser on to " <code class="mono">{to}</code>
                </p>
            }
        }),
        Page::Text { heading, text } => drawn(move || {
            view! {
                <div class="sim-page">
                    {(!heading.is_empty()).then(|| view! { <h3>{heading}</h3> })}
                    <p>{text}</p>
                </div>
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::keys::demo_signing_key;
    use oauth_engine::sim::scenario::Scenario;
    use oauth_engine::sim::trace::Party;

    #[test]
    fn the_code_flow_shows_sign_in_then_consent_then_the_redirect() {
        let trace = Scenario::default().run(demo_signing_key().unwrap()).trace;
        let pages: Vec<Page> = (0..trace.len())
            .filter_map(|step| page_at(&trace, step).map(|(_, page)| page))
            .collect();
        assert!(matches!(pages[0], Page::SignIn { error: None }));
        assert!(pages.iter().any(|page| matches!(page,
            Page::Consent { scopes } if scopes == &["read".to_owned(), "write".to_owned()])));
        assert!(
            pages
                .iter()
                .any(|page| matches!(page, Page::Redirect { .. }))
        );
    }

    #[test]
    fn a_wrong_password_shows_the_sign_in_page_again_with_its_error() {
        let mut scenario = Scenario::default();
        scenario.user.password = "guess".into();
        let trace = scenario.run(demo_signing_key().unwrap()).trace;
        let (_, page) = page_at(&trace, trace.len() - 1).unwrap();
        assert_eq!(
            page,
            Page::SignIn {
                error: Some("Wrong username or password.".into())
            }
        );
    }

    #[test]
    fn page_text_is_text_never_markup() {
        let page = page_of(
            &Response::new(400)
                .with_body("<h1>Authorization error</h1><p>bad &lt;script&gt; value</p>"),
        );
        assert_eq!(
            page,
            Page::Text {
                heading: "Authorization error".into(),
                text: "bad <script> value".into()
            }
        );
    }

    #[test]
    fn the_document_title_is_not_page_text() {
        let page = page_of(
            &Response::new(200)
                .with_body("<!doctype html><title>App</title><p>Signing you in…</p>"),
        );
        assert_eq!(
            page,
            Page::Text {
                heading: String::new(),
                text: "Signing you in…".into()
            }
        );
    }

    #[test]
    fn rfc8628_3_3_the_device_shows_the_verification_uri_and_user_code() {
        let scenario = Scenario {
            flow: Flow::Device,
            ..Scenario::default()
        };
        let trace = scenario.run(demo_signing_key().unwrap()).trace;
        let (uri, code) = device_prompt(&trace, 0).unwrap();
        assert_eq!(uri, "https://as.example/device");
        assert_eq!(code.len(), 9);
        assert_eq!(code.as_bytes()[4], b'-');
        assert_eq!(device_prompt(&[], 0), None);
    }

    #[test]
    fn client_credentials_has_no_browser_page() {
        let scenario = Scenario {
            flow: Flow::ClientCredentials,
            ..Scenario::default()
        };
        let trace = scenario.run(demo_signing_key().unwrap()).trace;
        assert!(trace.iter().all(|e| e.from != Party::Browser));
        assert_eq!(page_at(&trace, 0), None);
    }
}
