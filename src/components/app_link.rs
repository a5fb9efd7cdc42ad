use leptos::prelude::*;
use leptos_router::components::A;

/// The path the app is served under (`""` at the root of a host), provided
/// by `App` for every link.
#[derive(Debug, Clone)]
pub struct AppBase(pub String);

/// `path` (absolute within the app, like `/pkce`) as an href on this host.
pub fn app_href(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// A link to a screen of the app. Use it instead of `<A>` directly:
/// leptos_router leaves an absolute href as it is, so without the base it
/// would leave the sub-path the app is hosted under.
#[component]
pub fn AppLink(
    path: &'static str,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let AppBase(base) = expect_context();
    view! {
        <A href=app_href(&base, path) attr:class=class>
            {children()}
        </A>
    }
}

#[cfg(test)]
mod tests {
    use super::app_href;

    #[test]
    fn links_keep_the_sub_path() {
        assert_eq!(app_href("", "/pkce"), "/pkce");
        assert_eq!(app_href("", "/"), "/");
        assert_eq!(
            app_href("/tools/playground", "/pkce"),
            "/tools/playground/pkce"
        );
        assert_eq!(app_href("/tools/playground", "/"), "/tools/playground/");
    }
}
