//! OAuth Playground: the browser app. The protocol lives in the
//! `oauth-engine` crate; this crate is the UI on top of it.

pub mod app;
pub mod browser;
pub mod components;
pub mod deployed;
pub mod flow;
pub mod home;
pub mod jwt;
pub mod lab;
pub mod lessons;
pub mod panic_screen;
pub mod pkce;
pub mod screens;
pub mod talk;
pub mod theme;

/// Installs the panic screen and mounts the app on `<body>`.
pub fn start() {
    panic_screen::install();
    theme::apply(theme::stored_choice());
    leptos::mount::mount_to_body(app::App);
}
