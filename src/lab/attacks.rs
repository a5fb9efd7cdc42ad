//! The attack lab: thirteen attacks on OAuth and five on an AI agent's
//! authorization to its tool servers (MCP), each run through the engine's
//! servers with the attacker on the diagram. Four are defended with DPoP
//! or PAR, whose code the lab loads when one of them is picked
//! (`crate::deployed`); the agent's come with the agent's code
//! (`crate::flow::agent`), loaded the same way. A toggle turns the defence
//! off (the attacker gets what the attack is for) or on (the attack fails,
//! at the step and with the error that stops it).

use crate::components::{bool_memo, effect};
use leptos::prelude::*;

use crate::components::drawn;
use oauth_engine::form::decode_form;
use oauth_engine::sim::attacks::{Attack, Outcome, run_attack};
use oauth_engine::sim::deployed;
use oauth_engine::sim::trace::Exchange;

use super::choice::LabAttack;
use super::stepper::{StepControls, Stepper};
use super::{LAB_SEED, STEP_MILLIS};
use crate::browser::{Store, current_query, load_setting, replace_query, save_setting, set_title};
use crate::deployed::{LOADING_ES256, es256_when};
use crate::flow::agent::AgentFlow;
use crate::flow::diagram::SequenceDiagram;
use crate::flow::layout::Layout;
use crate::flow::narration::{Explanation, RfcLinks, exchange_summary};
use crate::flow::{LOADING_AGENT, agent_when};

const ATTACK_KEY: &str = "attacks.attack";
const DEFENCE_KEY: &str = "attacks.defence";

/// What a link to the lab names: `?attack=mix-up&defence=on&step=4`.
/// Every part is optional; a part that cannot be used is listed, never
/// guessed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LabLink {
    pub attack: Option<LabAttack>,
    pub defended: Option<bool>,
    /// Zero-based; the link counts from 1.
    pub step: Option<usize>,
    pub not_understood: Vec<String>,
}

impl LabLink {
    pub fn parse(query: &str) -> Self {
        let mut link = Self::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for part in query.split('&').filter(|part| !part.is_empty()) {
            let pair = decode_form(part)
                .ok()
                .and_then(|pairs| pairs.into_iter().next());
            let understood = match &pair {
                Some((name, value)) => match name.as_str() {
                    "attack" => LabAttack::from_slug(value).map(|a| link.attack = Some(a)),
                    "defence" => defence_from_param(value).map(|d| link.defended = Some(d)),
                    "step" => value
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| n.checked_sub(1))
                        .map(|s| link.step = Some(s)),
                    _ => None,
                },
                None => None,
            };
            if understood.is_none() {
                link.not_understood.push(part.to_owned());
            }
        }
        link
    }

    pub fn to_query(attack: LabAttack, defended: bool, step: usize) -> String {
        format!(
            "?attack={}&defence={}&step={}",
            attack.slug(),
            defence_param(defended),
            step + 1
        )
    }
}

fn defence_param(defended: bool) -> &'static str {
    if defended { "on" } else { "off" }
}

fn defence_from_param(value: &str) -> Option<bool> {
    match value {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// A run as the lab shows it: every message, and how the attack ended.
#[derive(Debug, Clone, PartialEq)]
pub struct LabRun {
    pub trace: Vec<Exchange>,
    pub outcome: Outcome,
}

/// Runs `attack`: `None` while the code it needs is loading (DPoP's and
/// PAR's for some of OAuth's, the agent's for the agent's).
fn run_lab_attack(
    attack: LabAttack,
    defended: bool,
    support: Option<oauth_engine::sim::network::Support>,
    agent: Option<AgentFlow>,
) -> Option<LabRun> {
    match attack {
        LabAttack::OAuth(attack) => {
            run_attack(attack, defended, LAB_SEED, support)
                .ok()
                .map(|run| LabRun {
                    trace: run.trace,
                    outcome: run.outcome,
                })
        }
        LabAttack::Agent(attack) => agent.map(|agent| {
            let (trace, outcome) = (agent.run_attack)(attack, defended, LAB_SEED);
            LabRun { trace, outcome }
        }),
    }
}

/// The outcome as the screen words it: a heading and the detail.
pub fn outcome_text(outcome: &Outcome) -> (bool, String, String) {
    match outcome {
        Outcome::Succeeded { step, gained } => (
            false,
            format!("The attack worked (step {})", step + 1),
            gained.clone(),
        ),
        Outcome::Stopped { step, error } => (
            true,
            format!("The defence stopped the attack (step {})", step + 1),
            error.clone(),
        ),
    }
}

#[component]
pub fn AttackLab() -> impl IntoView {
    set_title("Attack lab");
    let link = LabLink::parse(&current_query());
    let attack = RwSignal::new(
        link.attack
            .or_else(|| {
                load_setting(Store::Session, ATTACK_KEY).and_then(|s| LabAttack::from_slug(&s))
            })
            .unwrap_or(LabAttack::OAuth(Attack::ALL[0])),
    );
    let defended = RwSignal::new(
        link.defended
            .or_else(|| {
                load_setting(Store::Session, DEFENCE_KEY).and_then(|s| defence_from_param(&s))
            })
            .unwrap_or(false),
    );
    let es256 = es256_when(move || attack.get().needs_support());
    let agent = agent_when(move || attack.get().is_on_agent());
    // `None` while the code an attack needs is loading.
    let run = Memo::new(move |_| {
        let support = es256.get().map(deployed::support);
        run_lab_attack(attack.get(), defended.get(), support, agent.get())
    });
    let len = Signal::derive(move || run.with(|run| run.as_ref().map_or(0, |run| run.trace.len())));
    let stepper = Stepper::new(link.step.unwrap_or(0), len);
    let not_understood = RwSignal::new(link.not_understood);

    effect(Box::new(move || {
        // While an attack's code loads there is no run to clamp the step
        // to: the address keeps the step it has until there is.
        if run.with(Option::is_none) {
            return;
        }
        let (attack, defended, step) = (attack.get(), defended.get(), stepper.current());
        save_setting(Store::Session, ATTACK_KEY, Some(attack.slug()));
        save_setting(Store::Session, DEFENCE_KEY, Some(defence_param(defended)));
        replace_query(&LabLink::to_query(attack, defended, step));
    }));

    view! {
        <article
            class="attacks"
            aria-labelledby="attacks-title"
            on:keydown=move |event| stepper.handle_key(&event)
        >
            <header class="screen-header">
                <h1 id="attacks-title">"Attack lab"</h1>
                <p class="screen-header__lead">
                    "Eighteen attacks, each run for real against the simulated servers: thirteen \
                     on OAuth, with the attacker in a lane of their own, and five on an AI agent \
                     connecting to its tool servers (MCP). Switch the defence off to see what \
                     the attacker gains; switch it on to see the step and the error that stop \
                     it."
                </p>
                {move || {
                    not_understood
                        .with(|parts| !parts.is_empty())
                        .then(|| {
                            view! {
                                <p class="callout callout--warning" role="status" data-testid="attacks-link-note">
                                    {move || {
                                        format!(
                                            "This link had parts the lab cannot use, left out: {}.",
                                            not_understood.get().join(", "),
                                        )
                                    }}
                                    " "
                                    <button
                                        type="button"
                                        class="button button--small"
                                        on:click=move |_| not_understood.set(Vec::new())
                                    >
                                        "Dismiss"
                                    </button>
                                </p>
                            }
                        })
                }}
            </header>
            <div class="attacks__layout">
                <fieldset class="attacks__picker panel">
                    <legend>"Attack"</legend>
                    {attack_choices(attack, stepper, false)}
                    <fieldset class="attacks__group">
                        <legend>"On an AI agent and its tool servers (MCP)"</legend>
                        {attack_choices(attack, stepper, true)}
                    </fieldset>
                </fieldset>
                <div class="attacks__main">
                    <AttackInfo attack defended />
                    <section class="panel player" aria-labelledby="attack-run-heading">
                        <h2 id="attack-run-heading" class="visually-hidden">
                            "The run, step by step"
                        </h2>
                        <SequenceDiagram
                            layout=Signal::derive(move || {
                                run.with(|run| {
                                    run.as_ref().map(|run| Layout::new(&run.trace, attack.get().flow()))
                                })
                            })
                            current=Signal::derive(move || stepper.current())
                            step_millis=Signal::stored(STEP_MILLIS)
                            on_select=Callback::new(move |step| stepper.go_to(step))
                            region_label="Attack sequence diagram, scrollable"
                        />
                        <StepControls stepper testid="attack-steps" label="Step through the attack" />
                        <p class="player__keys">
                            "Keys: ← → step, Home and End jump to the first and last step."
                        </p>
                    </section>
                    <OutcomeView attack run stepper />
                    <StepDetail attack run stepper />
                </div>
            </div>
        </article>
    }
}

/// A radio button for each attack on OAuth, or on the agent, in the lab's
/// one radio group.
fn attack_choices(attack: RwSignal<LabAttack>, stepper: Stepper, on_agent: bool) -> impl IntoView {
    LabAttack::all()
        .filter(move |choice| choice.is_on_agent() == on_agent)
        .map(|choice| {
            view! {
                <label class="attacks__choice">
                    <input
                        type="radio"
                        name="attack"
                        value=choice.slug()
                        data-testid=format!("attack-{}", choice.slug())
                        prop:checked=move || attack.get() == choice
                        on:change=move |_| {
                            attack.set(choice);
                            stepper.go_to(0);
                        }
                    />
                    {choice.title()}
                </label>
            }
        })
        .collect_view()
}

/// The attack's explanation, its RFC 9700 section, and the defence toggle.
#[component]
fn AttackInfo(attack: RwSignal<LabAttack>, defended: RwSignal<bool>) -> impl IntoView {
    view! {
        <section class="panel attacks__info" aria-labelledby="attack-heading">
            <h2 id="attack-heading" data-testid="attack-title">
                {move || attack.get().title()}
            </h2>
            <p data-testid="attack-explanation">{move || attack.get().explanation()}</p>
            {move || view! { <RfcLinks refs=attack.get().refs() /> }}
            <label class="toggle attacks__defence">
                <input
                    type="checkbox"
                    role="switch"
                    data-testid="attack-defence"
                    prop:checked=move || defended.get()
                    on:change=move |event| defended.set(event_target_checked(&event))
                />
                {move || format!("Defence: {}", attack.get().defence())}
                <span class="attacks__defence-state" data-testid="attack-defence-state">
                    {move || if defended.get() { " (on)" } else { " (off)" }}
                </span>
            </label>
        </section>
    }
}

/// How the run ended, revealed once the steps reach the deciding one.
#[component]
fn OutcomeView(
    attack: RwSignal<LabAttack>,
    run: Memo<Option<LabRun>>,
    stepper: Stepper,
) -> impl IntoView {
    let decided = move || run.with(|run| run.as_ref().map_or(0, |run| run.outcome.step()));
    // Whether the deciding step is shown: the outcome below is drawn anew
    // only when this changes, not on every step, so the live region does
    // not repeat itself.
    let reached = bool_memo(Box::new(move || stepper.current() >= decided()));
    view! {
        <section class="panel attacks__outcome" aria-labelledby="outcome-heading" aria-live="polite">
            <h2 id="outcome-heading">"Outcome"</h2>
            {move || {
                let Some(outcome) = run.with(|run| run.as_ref().map(|run| outcome_text(&run.outcome))) else {
                    let loading = match attack.get() {
                        LabAttack::Agent(_) => LOADING_AGENT,
                        LabAttack::OAuth(_) => LOADING_ES256,
                    };
                    return drawn(move || view! { <p role="status" data-testid="attack-loading">{loading}</p> });
                };
                if reached.get() {
                    let (stopped, heading, detail) = outcome;
                    drawn(move || view! {
                        <div
                            class="outcome"
                            class:outcome--ok=stopped
                            class:outcome--stopped=!stopped
                            data-testid="attack-outcome"
                            data-outcome=if stopped { "stopped" } else { "succeeded" }
                        >
                            <p>
                                <strong data-testid="attack-outcome-heading">{heading}</strong>
                            </p>
                            <p class="attacks__detail" data-testid="attack-outcome-detail">
                                {detail}
                            </p>
                        </div>
                    })
                } else {
                    drawn(move || view! {
                        <p>
                            "Step on to see whether the attack works, or "
                            <button
                                type="button"
                                class="button button--small"
                                data-testid="attack-jump"
                                on:click=move |_| stepper.go_to(decided())
                            >
                                "jump to the deciding step"
                            </button>
                        </p>
                    })
                }
            }}
        </section>
    }
}

/// The current step: who sends what, why, and the message as it travels.
#[component]
fn StepDetail(
    attack: RwSignal<LabAttack>,
    run: Memo<Option<LabRun>>,
    stepper: Stepper,
) -> impl IntoView {
    move || {
        let step = stepper.current();
        run.with(|run| {
            let run = run.as_ref()?;
            let exchange = run.trace.get(step)?.clone();
            let summary = exchange_summary(&exchange, step, run.trace.len(), attack.get().flow());
            let http = exchange.to_http_text();
            Some(view! {
                <section class="panel narration" aria-labelledby="attack-step-heading">
                    <h2 id="attack-step-heading">"What happens"</h2>
                    <p class="narration__summary" data-testid="attack-step-summary">
                        {summary}
                    </p>
                    <Explanation exchange testid="attack-step-explanation" />
                    <pre
                        class="http attacks__http"
                        tabindex="0"
                        aria-label="The message as it travels"
                        data-testid="attack-step-http"
                    >
                        {http}
                    </pre>
                </section>
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lab_link_round_trips_attack_defence_and_step() {
        for attack in LabAttack::all() {
            for defended in [false, true] {
                let link = LabLink::parse(&LabLink::to_query(attack, defended, 3));
                assert_eq!(
                    link,
                    LabLink {
                        attack: Some(attack),
                        defended: Some(defended),
                        step: Some(3),
                        not_understood: Vec::new(),
                    }
                );
            }
        }
    }

    #[test]
    fn a_lab_link_names_what_it_cannot_use_and_keeps_the_rest() {
        let link = LabLink::parse("?attack=nope&defence=maybe&step=0&x=1&attack=mix-up");
        assert_eq!(link.attack, Some(LabAttack::OAuth(Attack::MixUp)));
        assert_eq!(link.defended, None);
        assert_eq!(link.step, None);
        assert_eq!(
            link.not_understood,
            ["attack=nope", "defence=maybe", "step=0", "x=1"]
        );
    }

    #[test]
    fn every_attack_has_an_outcome_at_a_step_of_its_run() {
        for attack in Attack::ALL {
            for defended in [false, true] {
                let support = deployed::support(oauth_engine::jwa::ES256);
                let run = run_attack(attack, defended, LAB_SEED, Some(support)).unwrap();
                assert!(
                    run.outcome.step() < run.trace.len(),
                    "{attack:?} {defended}"
                );
                let (stopped, _, detail) = outcome_text(&run.outcome);
                assert_eq!(stopped, defended, "{attack:?}: {detail}");
                assert!(!detail.is_empty());
            }
        }
    }
}
