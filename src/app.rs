use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{
    Lazy, LazyRoute, PartialPathMatch, PathSegment, PossibleRouteMatch, lazy_route, path,
};

use crate::browser::{load_screen_styles, router_base, set_title};
use crate::components::{AppBase, AppLink, drawn};
use crate::home::Home;
use crate::screens::SCREENS;
use crate::theme::ThemeSwitch;

/// The whole app: header, navigation and the routed screen.
///
/// `FlatRoutes`, not `Routes`: no screen nests another, and the flat router
/// is 16 KB (gzip) smaller in the release build.
#[component]
pub fn App() -> impl IntoView {
    let base = router_base();
    provide_context(AppBase(base.clone()));
    // True while a lazily loaded screen's code is on its way (the Flow
    // screen's chunk on a slow link): say so, rather than seem to ignore
    // the click.
    let (is_routing, set_is_routing) = signal(false);
    view! {
        <Router base=base set_is_routing=set_is_routing>
            <SkipLink />
            <p class="loading-bar" role="status" data-testid="loading-screen">
                {move || is_routing.get().then_some("Loading the screen…")}
            </p>
            <header class="site-header">
                <AppLink path="/" class="site-header__brand">
                    <svg class="site-header__logo" aria-hidden="true" viewBox="0 0 32 32">
                        <rect width="32" height="32" rx="7" />
                        <circle cx="12" cy="16" r="6" />
                        <path d="M18 16h10m-3 0v5m-4-5v4" />
                    </svg>
                    "OAuth Playground"
                </AppLink>
                <nav class="site-nav" aria-label="Screens">
                    <ul>
                        {SCREENS
                            .iter()
                            .map(|screen| {
                                view! {
                                    <li>
                                        <AppLink path=screen.path>{screen.nav_label}</AppLink>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <ThemeSwitch />
            </header>
            <main id="main" tabindex="-1">
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/flow") view={Lazy::<FlowRoute>::new()} />
                    <Route path=path!("/jwt") view={Lazy::<JwtRoute>::new()} />
                    <Route path=path!("/pkce") view={Lazy::<PkceRoute>::new()} />
                    <Route path=(LAB_SCREENS,) view={Lazy::<LabRoute>::new()} />
                </FlatRoutes>
            </main>
            <footer class="site-footer">
                <p>"Runs entirely in your browser. No analytics, no tracking, no requests."</p>
            </footer>
        </Router>
    }
}

/// The Flow screen, code-split: its code and the engine's simulated servers
/// (RSA signing, JSON) live in a separate wasm chunk, fetched the first time
/// /flow is opened (see scripts/split/). Each route's `data()` runs as the
/// route starts, before its chunk is loaded: the time to ask for the
/// screen's stylesheets.
struct FlowRoute;

#[lazy_route]
impl LazyRoute for FlowRoute {
    fn data() -> Self {
        load_screen_styles();
        FlowRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::flow::screen()
    }
}

/// The PKCE generator, code-split too: SHA-256, base64url and the screen
/// are not what the home page or the other screens need first.
struct PkceRoute;

#[lazy_route]
impl LazyRoute for PkceRoute {
    fn data() -> Self {
        load_screen_styles();
        PkceRoute
    }

    fn view(_this: Self) -> AnyView {
        screen(crate::pkce::PkceScreen)
    }
}

/// The JWT debugger, code-split like the Flow screen: its algorithms load
/// only when /jwt is opened.
struct JwtRoute;

#[lazy_route]
impl LazyRoute for JwtRoute {
    fn data() -> Self {
        load_screen_styles();
        JwtRoute
    }

    fn view(_this: Self) -> AnyView {
        screen(crate::jwt::JwtScreen)
    }
}

/// Implicit vs Code, the attack lab, the lessons and where tokens live:
/// one code-split chunk for the four, which share most of their code (the
/// engine's lab runs, the diagram and stepper). Chunks of their own would
/// each repeat the glue between them and weigh more in all. Their
/// stylesheets are each screen's own: only the lessons load the lessons'
/// rules. (Implicit vs Code and Where tokens live keep their own code in a
/// chunk behind this one: `lab::side_by_side`.)
struct LabRoute;

#[lazy_route]
impl LazyRoute for LabRoute {
    fn data() -> Self {
        load_screen_styles();
        LabRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::lab::screen()
    }
}

/// The lab route's screens (`lab::screen` picks one by the path).
const LAB_SCREENS: OneOf = OneOf(&crate::lab::SCREEN_NAMES);

/// A path segment that is one of a few names: one route for the screens
/// of one code-split chunk rather than a route each, for each of which the
/// router compiles its matching and drawing (the lab's four as one: about
/// 0.5 KB off every visit).
#[derive(Clone, Copy, Debug)]
struct OneOf(&'static [&'static str]);

impl PossibleRouteMatch for OneOf {
    fn optional(&self) -> bool {
        false
    }

    /// As a static segment matches: "/name", then nothing, "/" or the next
    /// segment.
    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let rest = path.strip_prefix('/')?;
        let end = rest.find('/').unwrap_or(rest.len());
        self.0
            .contains(&&rest[..end])
            .then(|| PartialPathMatch::new(&rest[end..], Vec::new(), &path[..=end]))
    }

    /// Only for a server's list of routes, which this app has none of: the
    /// segment is a parameter there.
    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        path.push(PathSegment::Param("screen".into()));
    }
}

/// A code-split screen as the router takes it: drawn once (not copied
/// into an owned view tree, 19 KB of wasm for the JWT debugger), and drawn
/// anew if the router ever rebuilds it, which it does not: a new route is
/// a new screen type, a new query or another path of the same route the
/// same view (the lab's route follows its path itself: `lab::screen`).
fn screen<V: IntoView + 'static>(draw: fn() -> V) -> AnyView {
    drawn(draw)
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
                <AppLink path="/">"Go to the home page"</AppLink>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(path: &str) -> Option<(String, String)> {
        LAB_SCREENS
            .test(path)
            .map(|found| (found.matched().to_owned(), found.remaining().to_owned()))
    }

    #[test]
    fn one_of_matches_each_name_as_a_whole_segment() {
        for name in LAB_SCREENS.0 {
            let path = format!("/{name}");
            assert_eq!(matched(&path), Some((path.clone(), String::new())));
            assert_eq!(
                matched(&format!("{path}/")),
                Some((path.clone(), "/".into()))
            );
            assert_eq!(
                matched(&format!("{path}/more")),
                Some((path, "/more".into()))
            );
        }
    }

    #[test]
    fn one_of_refuses_other_names_prefixes_and_longer_names() {
        for path in [
            "/",
            "",
            "/flow",
            "/compar",
            "/compares",
            "/lessonsx/1",
            "compare",
            "/Compare",
        ] {
            assert_eq!(matched(path), None, "{path}");
        }
    }
}
