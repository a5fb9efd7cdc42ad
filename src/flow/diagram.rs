//! The sequence diagram: a lane per party, two arrows per exchange, the
//! current one animated. The Flow screen and the lab screens draw with it.

use crate::components::effect;
use leptos::prelude::*;

use super::layout::{Arrow, HEADER_HEIGHT, Lane, Layout, Leg, MARKERS, ROW_HEIGHT};
use super::use_flow_state;
use super::zoom::{Zoom, ZoomControl, css_factor};
use crate::components::drawn;

/// The Flow screen's diagram: its run, its step, its speed.
#[component]
pub fn Diagram() -> impl IntoView {
    let state = use_flow_state();
    let layout =
        Memo::new(move |_| state.with_played(|played| Layout::new(&played.trace, played.flow())));
    view! {
        <SequenceDiagram
            layout=layout.into()
            current=Signal::derive(move || state.current())
            step_millis=Signal::derive(move || state.speed.get().step_millis())
            on_select=Callback::new(move |step| {
                state.playing.set(false);
                state.go_to(step);
            })
        />
    }
}

/// Where the lanes' lines begin: above it, the header the lane names'
/// strip stands in for.
const LANE_STRIP: i32 = HEADER_HEIGHT - 16;

/// `part` of `whole` in percent, to the hundredth: "37.52%". Integers
/// only (float formatting costs kilobytes of wasm).
fn percent(part: i32, whole: i32) -> String {
    let hundredths = part.max(0) * 10_000 / whole.max(1);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// Each lane's name, centred over its lane in a box as wide as the gap
/// between lanes, in which it wraps.
fn lane_names(lanes: &[Lane], width: i32) -> impl IntoView + use<> {
    let gap = match lanes {
        [first, second, ..] => second.x - first.x,
        _ => width,
    };
    lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| {
            // The first box starts half a gap left of its lane; the others
            // follow it.
            let lead = if i == 0 {
                format!("margin-left:{};", percent(lane.x - gap / 2, width))
            } else {
                String::new()
            };
            let style = format!("{lead}width:{}", percent(gap, width));
            view! {
                <span class="lane-label" style=style data-testid="diagram-lane">
                    {lane.label}
                </span>
            }
        })
        .collect_view()
}

/// A sequence diagram of `layout` with the exchange at `current` animated;
/// a click on an arrow selects its step.
#[component]
pub fn SequenceDiagram(
    layout: Signal<Option<Layout>>,
    current: Signal<usize>,
    /// How long the packet takes over one exchange.
    step_millis: Signal<u64>,
    on_select: Callback<usize>,
    /// Names the diagram's scroll region where a page has more than one.
    #[prop(default = "Sequence diagram, scrollable")]
    region_label: &'static str,
    /// Leave the steps after `current` out, for a learner who is asked to
    /// predict them.
    #[prop(optional)]
    hide_future: bool,
) -> impl IntoView {
    // Keep the current arrow in view as the steps go by: scroll the
    // diagram's own box only, never the page (scrollIntoView would move the
    // whole page on every step).
    let scroller = NodeRef::<leptos::html::Div>::new();
    effect(Box::new(move || {
        let step = current.get();
        let Some(scroller) = scroller.get() else {
            return;
        };
        if let Ok(Some(arrow)) = scroller.query_selector(&format!("[data-step='{step}']")) {
            let view = scroller.get_bounding_client_rect();
            let target = arrow.get_bounding_client_rect();
            let margin = f64::from(2 * ROW_HEIGHT);
            if target.top() < view.top() + margin {
                let delta = target.top() - view.top() - margin;
                scroller.set_scroll_top(scroller.scroll_top() + delta as i32);
            } else if target.bottom() > view.bottom() - margin {
                let delta = target.bottom() - view.bottom() + 2.0 * margin;
                scroller.set_scroll_top(scroller.scroll_top() + delta as i32);
            }
        }
    }));

    let zoom = Zoom::shared();
    view! {
        <figure
            class="diagram"
            style=move || format!("--zoom:{}", css_factor(zoom.get()))
            on:keydown=move |event| zoom.handle_key(&event)
        >
            <ZoomControl />
            <div
                class="diagram__scroll"
                node_ref=scroller
                tabindex="0"
                role="region"
                aria-label=region_label
            >
                // Drawn anew when the run changes (never on a step): nothing
                // in it holds focus or anything else of the reader's.
                {move || {
                    layout
                        .get()
                        .map(|laid_out| drawn(move || {
                            let Layout { width, height, lanes, arrows } = laid_out;
                            let messages = arrows.len() / 2;
                            let parties = lanes
                                .iter()
                                .map(|lane| lane.label)
                                .collect::<Vec<_>>()
                                .join(", ");
                            // A learner predicting the next step must not hear
                            // how many are left.
                            let description = move || {
                                if hide_future {
                                    let shown = (current.get() + 1).min(messages);
                                    format!(
                                        "Sequence diagram: the first {shown} messages between \
                                         {parties}"
                                    )
                                } else {
                                    format!("Sequence diagram: {messages} messages between {parties}")
                                }
                            };
                            // The lane names in a strip of their own that
                            // stays at the top while the diagram scrolls, so
                            // the arrows always say who talks to whom. Both
                            // share the width, so they scale alike. Words,
                            // not SVG: a long name wraps within its lane.
                            let size = format!("--w:{width}");
                            view! {
                                <div class="diagram__lanes" style=size.clone() aria-hidden="true">
                                    {lane_names(&lanes, width)}
                                </div>
                                <svg
                                    class="diagram__svg"
                                    data-testid="diagram"
                                    viewBox=format!("0 {LANE_STRIP} {width} {}", height - LANE_STRIP)
                                    width=width
                                    height=height - LANE_STRIP
                                    style=size
                                    role="img"
                                    aria-label=description
                                >
                                    <g inner_html=MARKERS></g>
                                    {lanes
                                        .into_iter()
                                        .map(|lane| {
                                            view! {
                                                <line
                                                    class="lane"
                                                    x1=lane.x
                                                    y1=LANE_STRIP
                                                    x2=lane.x
                                                    y2=height - 8
                                                />
                                            }
                                        })
                                        .collect_view()}
                                    {arrows
                                        .into_iter()
                                        .map(|arrow| arrow_view(arrow, current, on_select, hide_future))
                                        .collect_view()}
                                    <Packet layout current step_millis />
                                </svg>
                            }
                        }))
                }}
            </div>
            <figcaption class="diagram__legend" data-testid="diagram-legend">
                <span class="legend legend--front">
                    <svg aria-hidden="true" width="40" height="10">
                        <line x1="0" y1="5" x2="40" y2="5" />
                    </svg>
                    "Front channel: through the browser's address bar (redirects, page loads)"
                </span>
                <span class="legend legend--back">
                    <svg aria-hidden="true" width="40" height="10">
                        <line x1="0" y1="5" x2="40" y2="5" />
                    </svg>
                    "Back channel: sent directly, never through the address bar"
                </span>
                <span class="legend legend--response">
                    "Thin arrows with open heads are responses."
                </span>
            </figcaption>
        </figure>
    }
}

fn arrow_view(
    arrow: Arrow,
    current: Signal<usize>,
    on_select: Callback<usize>,
    hide_future: bool,
) -> impl IntoView {
    let step = arrow.step;
    let marker = match (arrow.leg, arrow.channel) {
        (Leg::Request, oauth_engine::channel::Channel::Front) => "url(#head-front)",
        (Leg::Request, oauth_engine::channel::Channel::Back) => "url(#head-back)",
        (Leg::Response, oauth_engine::channel::Channel::Front) => "url(#open-front)",
        (Leg::Response, oauth_engine::channel::Channel::Back) => "url(#open-back)",
    };
    let label = format!("{}. {}", step + 1, arrow.label);
    view! {
        <g
            class="diagram__step"
            class:diagram__step--current=move || current.get() == step
            class:diagram__step--future=move || current.get() < step
            data-step=(arrow.leg == Leg::Request).then_some(step)
            class:diagram__step--hidden=move || hide_future && current.get() < step
            class:diagram__step--attacker=arrow.attacker
            on:click=move |_| on_select.run(step)
        >
            // A wide invisible stroke makes the thin arrow easy to click.
            <line class="diagram__hit" x1=arrow.x1 y1=arrow.y x2=arrow.x2 y2=arrow.y />
            <line
                class=arrow.class()
                x1=arrow.x1
                y1=arrow.y
                x2=arrow.x2
                y2=arrow.y
                marker-end=marker
            />
            <text class="arrow-label" x=arrow.label_x() y=arrow.y - 6>
                {label}
            </text>
        </g>
    }
}

/// The message in flight: a dot that travels the current request arrow,
/// then its response. Re-created on every step so the animation restarts;
/// with reduced motion the stylesheet drops the animation and the dot
/// simply sits at the end of the response.
#[component]
fn Packet(
    layout: Signal<Option<Layout>>,
    current: Signal<usize>,
    step_millis: Signal<u64>,
) -> impl IntoView {
    move || {
        let step = current.get();
        let (request, response) = layout.with(|layout| {
            let arrows = &layout.as_ref()?.arrows;
            let leg = |leg| {
                arrows
                    .iter()
                    .find(|arrow| arrow.step == step && arrow.leg == leg)
                    .cloned()
            };
            Some((leg(Leg::Request)?, leg(Leg::Response)?))
        })?;
        let style = format!(
            "--x1:{}px;--x2:{}px;--y1:{}px;--y2:{}px;--step-ms:{}ms",
            request.x1,
            request.x2,
            request.y,
            response.y,
            step_millis.get_untracked()
        );
        Some(view! {
            <circle class="packet" r="6" cx="0" cy="0" style=style data-testid="diagram-packet" />
        })
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn a_percentage_has_two_decimals_written_with_integers() {
        assert_eq!(percent(190, 770), "24.67%");
        assert_eq!(percent(5, 100), "5.00%");
        assert_eq!(percent(770, 770), "100.00%");
        assert_eq!(percent(-3, 770), "0.00%");
        assert_eq!(percent(1, 0), "100.00%");
    }
}
