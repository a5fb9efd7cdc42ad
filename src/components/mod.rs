//! Widgets and helpers shared by several screens.

mod app_link;
mod copy_button;
mod persisted;

pub use app_link::{AppBase, AppLink, app_href};
pub use copy_button::CopyButton;
pub use persisted::session_text;
