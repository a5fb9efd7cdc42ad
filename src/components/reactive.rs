//! Effects and memos compiled once. Leptos compiles an effect's or a
//! memo's machinery once per closure type; these take their closure boxed,
//! so that the dozens of them on the screens share one copy.

use leptos::prelude::*;

/// `Effect::new` for an effect that needs no previous value.
pub fn effect(run: Box<dyn Fn()>) {
    Effect::new(run);
}

/// A yes/no memo.
pub fn bool_memo(when: Box<dyn Fn() -> bool + Send + Sync>) -> Memo<bool> {
    Memo::new(move |_| when())
}

/// A memo of a text that may be missing.
pub fn text_memo(text: Box<dyn Fn() -> Option<String> + Send + Sync>) -> Memo<Option<String>> {
    Memo::new(move |_| text())
}
