use leptos::prelude::*;

use crate::browser::set_title;
use crate::components::AppLink;
use crate::screens::SCREENS;

/// The landing page: what the playground is, and a card per screen.
#[component]
pub fn Home() -> impl IntoView {
    set_title("Home");
    view! {
        <section class="home">
            <h1>"Learn OAuth 2.0 by running it"</h1>
            <p class="home__lead">
                "Everything here runs inside this page: real PKCE, real hashes, real protocol \
                 rules. Nothing you type leaves your browser, and it needs no server."
            </p>
            <ul class="home__cards">
                {SCREENS
                    .iter()
                    .map(|screen| {
                        view! {
                            <li class="card">
                                <h2 class="card__title">
                                    <AppLink path=screen.path>{screen.title}</AppLink>
                                </h2>
                                <p>{screen.summary}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
