//! The printed handout: every step of the run one after another, each with
//! its summary, explanation, specifications, request and response, below
//! the diagram. The screen shows one step at a time; paper needs them all.
//!
//! The handout is written as one HTML string (`handout_html`) set as the
//! section's `inner_html`, not as a Leptos view per step: a view tree of
//! new shapes is kilobytes of the Flow screen's chunk (README, "Size"),
//! a string is a few hundred bytes, and building and parsing it is cheaper
//! than creating the same elements one by one.
//!
//! It is always in the page, hidden on screen: `style/flow.css` shows it
//! only in print, where it hides the controls and panels around the
//! diagram. It is rebuilt when the run changes (an edit), never when
//! stepping through it. Drawing it only while printing (a `beforeprint` or
//! `matchMedia("print")` listener) would save that work but needs a
//! listener closure in the glue every page loads, and a printout that
//! waits for Leptos's next update, which each browser's print path may or
//! may not do; always there, the browser's own Print prints it.

use leptos::prelude::*;
use oauth_engine::http::escape_html;

use super::narration::{outcome, step_summary};
use super::{Played, use_flow_state};

#[component]
pub fn Handout() -> impl IntoView {
    let state = use_flow_state();
    let html = move || {
        state
            .with_played(|played| handout_html(played, state.preset.get().title()))
            .unwrap_or_default()
    };
    view! {
        <section
            class="handout"
            aria-label="Handout: every step"
            data-testid="flow-handout"
            inner_html=html
        ></section>
    }
}

/// The handout of `played`, a run of the flow called `title`: a heading,
/// then each step (its summary, what it does, the RFC sections that say
/// so, the request as sent and the response as received), then how the run
/// ended. Every text from the run is escaped: a form field may hold markup.
pub fn handout_html(played: &Played, title: &str) -> String {
    let mut html = format!("<h2>{}, step by step</h2>", escape_html(title));
    for (step, exchange) in played.trace.iter().enumerate() {
        let refs = exchange
            .rfc_refs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        html.push_str(&format!(
            "<article class=\"handout__step\" data-testid=\"handout-step\">\
             <h3>{summary}</h3><p>{explanation}</p><p class=\"handout__refs\">{refs}</p>\
             <pre class=\"http\">{request}</pre><pre class=\"http\">{response}</pre></article>",
            summary = escape_html(&step_summary(played, step)),
            explanation = escape_html(&exchange.explanation),
            refs = escape_html(&refs),
            request = escape_html(exchange.request.to_http_text().trim_end()),
            response = escape_html(exchange.response.to_http_text().trim_end()),
        ));
    }
    html.push_str(&format!(
        "<p class=\"handout__outcome\">{}</p>",
        escape_html(&outcome(played).1)
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::play;
    use oauth_engine::keys::demo_signing_key;
    use oauth_engine::sim::scenario::Scenario;

    fn played() -> Played {
        play(Scenario::default(), &demo_signing_key().unwrap(), None)
    }

    #[test]
    fn the_handout_has_every_step_with_its_request_and_response() {
        let played = played();
        let html = handout_html(&played, "Authorization Code");
        assert!(html.starts_with("<h2>Authorization Code, step by step</h2>"));
        assert_eq!(html.matches("<article ").count(), played.len());
        assert_eq!(
            html.matches("<pre class=\"http\">").count(),
            2 * played.len()
        );
        let last = played.trace.last().unwrap();
        assert!(html.contains(&format!("Step {0} of {0}:", played.len())));
        assert!(html.contains(&escape_html(&last.explanation)));
        assert!(html.contains(&escape_html(&last.rfc_refs[0].to_string())));
        assert!(html.contains("<pre class=\"http\">GET /authorize?"));
        assert!(html.ends_with("</p>") && html.contains("The flow completed"));
    }

    #[test]
    fn markup_from_the_run_or_the_title_is_escaped() {
        let mut played = played();
        let mut trace = played.trace.to_vec();
        trace[0].explanation = "<img src=x onerror=alert(1)>".into();
        played.trace = trace.into();
        let html = handout_html(&played, "<b>Flow</b>");
        assert!(html.contains("<h2>&lt;b&gt;Flow&lt;/b&gt;, step by step</h2>"));
        assert!(html.contains("<p>&lt;img src=x onerror=alert(1)&gt;</p>"));
        assert!(!html.contains("<img"));
    }
}
