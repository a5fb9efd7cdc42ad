use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::browser::{router_base, set_title};
use crate::home::Home;
use crate::pkce::PkceScreen;
use crate::screens::SCREENS;
use crate::theme::ThemeSwitch;

/// The whole app: header, navigation and the routed screen.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router base=router_base()>
            <SkipLink />
            <header class="site-header">
                <A href="/" attr:class="site-header__brand">
                    <span aria-hidden="true" class="site-header__logo">"⚿"</span>
                    "OAuth Playground"
                </A>
                <nav class="site-nav" aria-label="Screens">
                    <ul>
                        {SCREENS
                            .iter()
                            .map(|screen| {
                                view! {
                                    <li>
                                        <A href=screen.path>{screen.nav_label}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <ThemeSwitch />
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/pkce") view=PkceScreen />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Runs entirely in your browser. No analytics, no tracking, no requests."</p>
            </footer>
        </Router>
    }
}

/// "Skip to content". The page has a `<base href>` for sub-path hosting, so
/// a plain `href="#main"` would resolve against the base and navigate away;
/// the click moves focus itself instead.
#[component]
fn SkipLink() -> impl IntoView {
    let skip = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            "Skip to content"
        </a>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    set_title("Page not found");
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no screen at this address."</p>
            <p>
                <A href="/">"Go to the home page"</A>
            </p>
        </section>
    }
}
