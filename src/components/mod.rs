//! Widgets and helpers shared by several screens.

mod app_link;
mod channel_badge;
mod code_field;
mod copy_button;
mod drawn;
mod form;
mod meaning_table;
mod persisted;
mod reactive;

pub use app_link::{AppBase, AppLink, app_href};
pub use channel_badge::ChannelBadge;
pub use code_field::CodeField;
pub use copy_button::CopyButton;
pub use drawn::{Shown, drawn};
pub use form::{CheckBox, ChoiceBox, SettingsHead, TextBox, TextShape};
pub use meaning_table::{MeaningRow, MeaningTable, Reference};
pub use persisted::session_text;
pub use reactive::{bool_memo, effect, text_memo};
