//! Take the run away: a link to the scenario, the trace as a Mermaid
//! sequence diagram, the diagram as an SVG file or a PNG at twice its size
//! (for slides), and every back-channel request as a curl command.

use leptos::prelude::*;
use leptos::task::spawn_local;
use oauth_engine::channel::Channel;
use oauth_engine::sim::export::to_mermaid;

use super::layout::Layout;
use super::share_link::ShareScenario;
use super::{Played, use_flow_state};
use crate::browser::{download, download_url, svg_to_png};
use crate::components::{CopyButton, text_memo};

/// Every back-channel request of the run as curl commands, numbered by
/// step. Front-channel requests are browser navigations, not API calls.
pub fn curl_script(played: &Played) -> String {
    played
        .trace
        .iter()
        .enumerate()
        .filter(|(_, exchange)| exchange.channel == Channel::Back)
        .map(|(step, exchange)| {
            format!(
                "# Step {}: {}\n{}\n",
                step + 1,
                exchange.request_line(),
                exchange.request.to_curl()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[component]
pub fn Exports() -> impl IntoView {
    let state = use_flow_state();
    let played = move || state.played.get().ok();
    let mermaid = text_memo(Box::new(move || {
        played().map(|p| to_mermaid(&p.trace, p.flow()))
    }));
    let curl = text_memo(Box::new(move || played().map(|p| curl_script(&p))));
    let status = RwSignal::new(String::new());
    let file_name =
        move |extension: &str| format!("oauth-{}.{extension}", state.preset.get_untracked().slug());
    let save = move |extension: &'static str, mime: &'static str, text: Option<String>| {
        let Some(text) = text else {
            return;
        };
        let name = file_name(extension);
        status.set(match download(&name, mime, &text) {
            Ok(()) => format!("Saved {name}."),
            Err(_) => "The browser refused the download: copy the text instead.".into(),
        });
    };
    let layout = move || played().map(|played| Layout::new(&played.trace, played.flow()));
    let title = move || state.preset.get_untracked().title();
    let svg = move || layout().map(|layout| layout.to_svg(title(), 1));
    let save_png = move |_| {
        let Some(layout) = layout() else {
            return;
        };
        let (width, height) = (2 * layout.width, 2 * layout.height);
        let svg = layout.to_svg(title(), 2);
        let name = file_name("png");
        spawn_local(async move {
            let saved = svg_to_png(&svg, width, height)
                .await
                .and_then(|png| download_url(&name, &png));
            status.set(match saved {
                Ok(()) => {
                    format!("Saved {name}: {width} × {height} pixels, twice the diagram's size.")
                }
                Err(_) => "This browser could not draw the PNG: download the SVG instead.".into(),
            });
        });
    };
    view! {
        <section class="exports panel" aria-labelledby="exports-heading">
            <h2 id="exports-heading">"Take it away"</h2>
            <ShareScenario />
            <div class="exports__item">
                <h3>"Mermaid sequence diagram"</h3>
                <div class="exports__buttons">
                    <CopyButton text=mermaid what="the Mermaid diagram" testid="flow-copy-mermaid" />
                    <button
                        type="button"
                        class="button button--small"
                        data-testid="flow-download-mermaid"
                        on:click=move |_| save("mmd", "text/vnd.mermaid", mermaid.get())
                    >
                        "Download .mmd"
                    </button>
                </div>
                <details>
                    <summary>"Show the Mermaid text"</summary>
                    <pre class="exports__text" tabindex="0" data-testid="flow-mermaid">
                        <code>{move || mermaid.get()}</code>
                    </pre>
                </details>
            </div>
            <div class="exports__item">
                <h3>"Picture of the diagram"</h3>
                <div class="exports__buttons">
                    <button
                        type="button"
                        class="button button--small"
                        data-testid="flow-download-svg"
                        on:click=move |_| save("svg", "image/svg+xml", svg())
                    >
                        "Download .svg"
                    </button>
                    <button
                        type="button"
                        class="button button--small"
                        data-testid="flow-download-png"
                        on:click=save_png
                    >
                        "Download .png (2x)"
                    </button>
                </div>
            </div>
            <div class="exports__item">
                <h3>"Back-channel requests as curl"</h3>
                <p class="muted">
                    "For reading and adapting: the hosts are the simulation's own and do not exist."
                </p>
                <div class="exports__buttons">
                    <CopyButton text=curl what="the curl commands" testid="flow-copy-curl-all" />
                </div>
                <details>
                    <summary>"Show the curl commands"</summary>
                    <pre class="exports__text" tabindex="0" data-testid="flow-curl">
                        <code>{move || curl.get()}</code>
                    </pre>
                </details>
            </div>
            <p class="exports__status" role="status" data-testid="flow-export-status">
                {move || status.get()}
            </p>
        </section>
    }
}
