//! Widgets and helpers shared by several screens.

mod copy_button;
mod persisted;

pub use copy_button::CopyButton;
pub use persisted::session_text;
