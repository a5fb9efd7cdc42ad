//! Views drawn anew rather than patched in place.
//!
//! A branch of a reactive view (`move || match … { … }`) is usually handed
//! over as `view! { … }.into_any()`. That compiles, for each branch, code
//! that copies the whole view tree into an owned one (`into_owned`) and
//! code that patches a drawn tree in place (`rebuild`), each about as large
//! as the tree. A branch drawn by [`drawn`] compiles neither: the view is
//! made when it is first drawn, and a rebuild draws it anew in place of
//! the old one, which is what a branch that changes does anyway. It suits
//! views whose whole state lives in signals: a rebuild loses the DOM's own
//! state inside the replaced view (focus, an open `<details>`), and a live
//! region redrawn with the same words is read out again, so a closure that
//! reruns without changing its branch should patch instead.

use std::sync::Arc;

use leptos::attr::Attribute;
use leptos::attr::any_attribute::AnyAttribute;
use leptos::prelude::*;

use super::bool_memo;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState};

/// `draw`'s view as the type a branch or a route takes.
pub fn drawn<F, V>(draw: F) -> AnyView
where
    F: FnOnce() -> V + Send + 'static,
    V: IntoView + 'static,
{
    Drawn(draw).into_any()
}

/// Its children while `when` holds, and nothing otherwise: leptos's `Show`
/// without a fallback, whose children are drawn (as by [`drawn`]) each time
/// they appear instead of patched, so no patching code is compiled for
/// them. `when` is memoized: the children stay as they are, focus and all,
/// while it stays true.
#[component]
pub fn Shown<W, C>(when: W, children: TypedChildrenFn<C>) -> impl IntoView
where
    W: Fn() -> bool + Send + Sync + 'static,
    C: IntoView + 'static,
{
    let when = bool_memo(Box::new(when));
    let children = children.into_inner();
    move || {
        when.get().then(|| {
            let children = Arc::clone(&children);
            drawn(move || children())
        })
    }
}

/// A view drawn when it is built, untracked, and drawn anew on a rebuild.
struct Drawn<F>(F);

/// A drawn view's state, behind one type for every drawn view: what
/// `into_any` compiles for each view's state type (mounting, unmounting,
/// moving, dropping it) is then compiled once, not once per view.
pub struct DrawnState(Box<dyn Mountable>);

impl Mountable for DrawnState {
    fn unmount(&mut self) {
        self.0.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.0.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.0.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        self.0.elements()
    }
}

impl<F, V> Render for Drawn<F>
where
    F: FnOnce() -> V,
    V: Render,
    V::State: 'static,
{
    type State = DrawnState;

    fn build(self) -> Self::State {
        // Untracked: whatever is reactive in the view has its own effects;
        // the enclosing one must not rerun on what the view reads as it is
        // drawn.
        DrawnState(Box::new(untrack(self.0).build()))
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut new = self.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

impl<F, V> AddAnyAttr for Drawn<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml + 'static,
{
    type Output<SomeNewAttr: Attribute> = Self;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Self::Output<NewAttr> {
        self
    }
}

/// Needed by `into_any`; only `into_owned` runs in this client-side app
/// (rendering to HTML and hydrating are for a server, which it has none).
impl<F, V> RenderHtml for Drawn<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml + 'static,
{
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self::AsyncOutput {
        self
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        untrack(self.0).to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        DrawnState(Box::new(
            untrack(self.0).hydrate::<FROM_SERVER>(cursor, position),
        ))
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}
