//! What the current step does and why, the simulated clock, and the run's
//! outcome. A live region reads each step to screen-reader users.

use leptos::prelude::*;

use crate::components::{Shown, drawn};
use oauth_engine::clock::UnixTime;
use oauth_engine::jwt::{duration, utc};
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::{Exchange, RfcRef};

use super::model::Breakage;
use super::{Played, use_flow_state};

/// One line naming the step: "Step 3 of 12: Browser to Authorization
/// server, POST /login, 200 OK."
pub fn step_summary(played: &Played, step: usize) -> String {
    match played.exchange(step) {
        Some(exchange) => exchange_summary(exchange, step, played.len(), played.flow()),
        None => "No messages: the flow did not start.".into(),
    }
}

/// The line `step_summary` writes, for any trace: the lab screens use it.
pub fn exchange_summary(exchange: &Exchange, step: usize, len: usize, flow: Flow) -> String {
    format!(
        "Step {} of {}: {} to {}, {}, {} ({}).",
        step + 1,
        len,
        exchange.from.lane_label(flow),
        exchange.to.lane_label(flow),
        exchange.request_line(),
        exchange.status_line(),
        exchange.channel.label(),
    )
}

/// How the run ended, shown at its last step.
pub fn outcome(played: &Played) -> (bool, String) {
    match &played.stopped {
        Some(why) => (false, format!("The flow stopped: {why}.")),
        // Its last call is meant to fail: RFC 7009 section 2.1.
        None if played.sign_out => (
            true,
            "The flow completed: the user signed out, the server revoked the tokens, and the \
             API refused the access token that was revoked with them."
                .into(),
        ),
        None => (
            true,
            "The flow completed: the client got its tokens and the API answered.".into(),
        ),
    }
}

#[component]
pub fn Narration() -> impl IntoView {
    let state = use_flow_state();
    view! {
        <section class="narration panel" aria-labelledby="narration-heading">
            <h2 id="narration-heading">"What happens"</h2>
            // Stays in the page so that screen readers announce each change.
            <p class="narration__summary" data-testid="flow-step-summary" aria-live="polite">
                {move || {
                    state
                        .with_played(|played| step_summary(played, state.current()))
                        .unwrap_or_default()
                }}
            </p>
            {move || {
                state
                    .played
                    .with(|played| match played {
                        Err(error) => {
                            let error = error.clone();
                            drawn(move || view! {
                                <p class="field-message field-message--error" role="alert">
                                    {error}
                                </p>
                            })
                        }
                        Ok(played) => step_view(played, state.current()),
                    })
            }}
            <Clock />
        </section>
    }
}

/// The step's explanation, and the run's outcome at its last step: drawn
/// anew on each step (nothing in it is the reader's own state).
fn step_view(played: &Played, step: usize) -> AnyView {
    let exchange = played.exchange(step).cloned();
    let at_end = step + 1 >= played.len();
    let outcome = at_end.then(|| outcome(played));
    drawn(move || {
        view! {
            {exchange.map(|exchange| view! { <Explanation exchange testid="flow-explanation" /> })}
            {outcome
                .map(|(ok, text)| {
                    view! {
                        <p
                            class="outcome"
                            class:outcome--ok=ok
                            class:outcome--stopped=!ok
                            data-testid="flow-outcome"
                        >
                            {text}
                        </p>
                    }
                })}
        }
    })
}

/// What an exchange does and why, with links to the sections of the RFCs
/// that say so.
#[component]
pub fn Explanation(exchange: Exchange, testid: &'static str) -> impl IntoView {
    view! {
        <p class="narration__text" data-testid=testid>
            {exchange.explanation}
        </p>
        <RfcLinks refs=exchange.rfc_refs />
    }
}

/// Links to sections of RFCs, in a row.
#[component]
pub fn RfcLinks(refs: Vec<RfcRef>) -> impl IntoView {
    view! {
        <ul class="narration__refs" aria-label="Specifications">
            {refs
                .into_iter()
                .map(|rfc| {
                    view! {
                        <li>
                            <a href=rfc.url() target="_blank" rel="noopener noreferrer">
                                {rfc.to_string()}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The simulated clock at the current step, and the waits that let a code
/// or a token expire.
#[component]
fn Clock() -> impl IntoView {
    let state = use_flow_state();
    let times = move || {
        state
            .with_played(|played| {
                let at = played.exchange(state.current())?.at;
                Some((at, UnixTime(played.start_time)))
            })
            .flatten()
    };
    let apply = move |breakage: Breakage| {
        move |_| {
            state.edit(|form| breakage.apply(form));
            state.playing.set(false);
        }
    };
    let flow = move || state.preset.get().flow();
    view! {
        <div class="clock">
            <p class="clock__now" data-testid="flow-clock">
                {move || {
                    times()
                        .map(|(at, start)| {
                            format!(
                                "Simulated time: {} ({} after the start)",
                                utc(at),
                                duration(at.seconds_since(start)),
                            )
                        })
                }}
            </p>
            <div class="clock__actions" role="group" aria-label="Advance time">
                <Shown when=move || flow() == Flow::AuthorizationCode>
                    <button
                        type="button"
                        class="button button--small"
                        data-testid="flow-expire-code"
                        on:click=apply(Breakage::ExpireCode)
                    >
                        {Breakage::ExpireCode.label()}
                    </button>
                </Shown>
                <button
                    type="button"
                    class="button button--small"
                    data-testid="flow-expire-token"
                    on:click=apply(Breakage::ExpireAccessToken)
                >
                    {Breakage::ExpireAccessToken.label()}
                </button>
            </div>
        </div>
    }
}
