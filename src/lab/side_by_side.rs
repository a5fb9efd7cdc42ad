//! The lab's two screens of runs side by side, Implicit vs Code
//! (`compare`) and Where tokens live (`storage`), in a chunk of their own
//! behind the lab's: it loads when one of them opens, or a lesson runs
//! one of their runs, and the attack lab and the lessons do not carry it.
//! The storage runs need the browser's CORS (an app in the page), which
//! otherwise only the Flow screen has; the chunk lends it to the lessons'
//! runs under CORS too.

use leptos::prelude::*;
use oauth_engine::sim::compare::{Comparison, compare};
use oauth_engine::sim::page_fetch;
use oauth_engine::sim::run::PageMaker;
use oauth_engine::sim::token_storage::{Architecture, run_architecture};
use oauth_engine::sim::trace::Exchange;

use super::LAB_SEED;
use crate::browser::set_title;
use crate::components::drawn;

/// What the chunk gives once loaded.
#[derive(Clone, Copy)]
pub struct SideBySide {
    /// Implicit vs Code, drawn.
    pub compare_screen: fn() -> AnyView,
    /// Where tokens live, drawn.
    pub storage_screen: fn() -> AnyView,
    /// Implicit vs Code's two runs, with the lab's seed (for lessons).
    pub compare: fn() -> Comparison,
    /// One architecture's run with a seed (for lessons): its trace.
    pub storage_run: fn(Architecture, u64) -> Vec<Exchange>,
    /// The browser's CORS for an app in the page (`sim::page_fetch`).
    pub page: PageMaker,
}

/// Fetches the chunk the first time; afterwards it is at hand. A split
/// point only in the app's build (feature "split"), as `flow::agent::load`
/// is.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn load_side_by_side() -> SideBySide {
    // As in `flow::agent::load`: the chunk cutter gives a function a chunk
    // of its own for each set of split points that reach it. Reaching the
    // lab's whole route from here keeps every chunk the lab shares with
    // this one whole, and this chunk holds only what its two screens alone
    // need. The lab's chunks load first anyway (these two screens are on
    // the lab's route).
    let lab: fn() -> AnyView = super::screen;
    core::hint::black_box(lab);
    contents()
}

/// What the chunk gives. Only `load_side_by_side` calls this outside
/// tests: any other caller would carry the chunk's code in its own.
pub(crate) fn contents() -> SideBySide {
    SideBySide {
        compare_screen: || drawn(super::compare::CompareScreen),
        storage_screen: super::storage::draw,
        compare: || compare(LAB_SEED),
        storage_run: |architecture, seed| {
            run_architecture(architecture, seed, oauth_engine::keys::demo_key()).trace
        },
        page: page_fetch::page,
    }
}

/// Which of the two screens to draw, from the chunk.
pub type Pick = fn(SideBySide) -> fn() -> AnyView;

/// One of the two screens, `pick`ed from the chunk once it is here, and
/// until then a word that it is on its way.
pub fn side_by_side_screen(title: &'static str, pick: Pick) -> impl IntoView {
    set_title(title);
    let ready = RwSignal::new(false);
    let loaded = StoredValue::new(None::<SideBySide>);
    leptos::task::spawn_local(async move {
        loaded.set_value(Some(load_side_by_side().await));
        ready.set(true);
    });
    // Untracked: the screen's own signals must not redraw this.
    move || match ready.get().then(|| loaded.get_value()).flatten() {
        Some(chunk) => untrack(pick(chunk)),
        None => drawn(
            || view! { <p role="status" data-testid="side-by-side-loading">"Loading the runs…"</p> },
        ),
    }
}
