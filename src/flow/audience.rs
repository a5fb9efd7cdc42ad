//! The Flow screen in a talk (`crate::talk`): the scenario and step it
//! posts, how it takes another window's, and the instructor's notes on
//! what the next step shows. In a talk the clicker's keys work from
//! anywhere on the page, as in presenter view (`super::presenter`).

use std::sync::Arc;

use leptos::prelude::*;

use super::narration::{outcome, step_summary};
use super::share::Opened;
use super::{FlowState, Played};
use crate::talk::{Talk, open_here, speaker_notes};

/// Takes part in the talk with `state`: posts the scenario on screen as a
/// share link with its secrets (the channel never leaves the browser), and
/// takes the other window's.
pub fn join(state: FlowState) -> Talk {
    Talk::join(
        Box::new(move || {
            // While a run loads there is no step to show: posting step 1
            // would move the other window back.
            state
                .played
                .with(Result::is_ok)
                .then(|| (state.shared().to_query(true), String::new()))
        }),
        Box::new(move |audience, query, _| apply(state, audience, query)),
    )
}

/// Shows the scenario and step another window posted. A run made with
/// another seed or start time is the instructor's: an audience window
/// opens it as a share link, since the screen's state is built with them;
/// the instructor's window keeps its own.
fn apply(state: FlowState, audience: bool, query: &str) {
    let opened = Opened::parse(query);
    let Some(preset) = opened.preset else { return };
    let Some(form) = opened.form(preset) else {
        return;
    };
    if opened.seed != Some(state.seed) || opened.start_time != Some(state.start_time) {
        if audience {
            open_here(query);
        }
        return;
    }
    state.playing.set(false);
    if state.preset.get_untracked() != preset {
        state.preset.set(preset);
    }
    if state.form.with_untracked(|own| *own != form) {
        state.forms.update(|forms| {
            forms.insert(preset, Some(form));
        });
    }
    // The agent's settings are its own, read by its code once loaded.
    if !preset.uses_form()
        && let Some(agent) = state.agent.get_untracked()
    {
        (agent.open_link)(agent.settings, opened.clone());
    }
    // Not `go_to`: while the run loads there are no steps to clamp to.
    state.step.set(opened.step.unwrap_or(0));
}

/// What the next step will show, for the speaker notes: its one-line
/// summary and its narration; at the last step, how the run ended.
pub fn next_step_note(played: &Played, step: usize) -> (String, String) {
    match played.trace.get(step + 1) {
        Some(next) => (
            format!("Next: {}", step_summary(played, step + 1)),
            next.explanation.clone(),
        ),
        None => ("This is the last step.".into(), outcome(played).1),
    }
}

/// The instructor's notes: what the next step will show.
pub fn flow_speaker_notes(talk: Talk) -> impl IntoView {
    let state = super::use_flow_state();
    speaker_notes(
        talk,
        "Speaker notes: the next step",
        Arc::new(move || {
            state
                .with_played(|played| next_step_note(played, state.current()))
                .unwrap_or_default()
        }),
    )
}

#[cfg(test)]
mod tests {
    use oauth_engine::keys::demo_signing_key;

    use super::super::model::Preset;
    use super::super::play;
    use super::*;

    #[test]
    fn the_note_names_the_next_step_and_at_the_end_the_outcome() {
        let key = demo_signing_key().expect("the demo key loads");
        let played = play(Preset::Spa.scenario(), &key, None);
        let (line, narration) = next_step_note(&played, 0);
        assert_eq!(line, format!("Next: {}", step_summary(&played, 1)));
        assert!(line.starts_with("Next: Step 2 of "), "{line}");
        assert_eq!(narration, played.trace[1].explanation);
        let (line, narration) = next_step_note(&played, played.len() - 1);
        assert_eq!(line, "This is the last step.");
        assert_eq!(narration, outcome(&played).1);
    }
}
