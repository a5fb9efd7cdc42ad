//! Two windows, one talk: the instructor's window (controls, inspector,
//! speaker notes) and an audience window for the projector (the diagram,
//! the step and its narration), kept in step through the browser's
//! `BroadcastChannel`: same origin, no server, works offline.
//!
//! Each window posts its screen's state whenever it changes (a
//! [`Message`]); the other applies it. A window that joins takes no part
//! in the first exchange but to ask: the audience window says hello and
//! the instructor's answers with where it is. The audience window is the
//! one named [`WINDOW_NAME`], which a reload keeps; the instructor's
//! window keeps its part in the tab's storage. A tab that takes no part
//! opens no channel and is never moved by one. Closing either window
//! leaves the other as it is.
//!
//! The channel is reached through `Reflect` and the `Function` calls the
//! app already makes, rather than web-sys's bindings: each new binding
//! would add glue to the JavaScript every page loads, the home page's
//! included. Only the Flow and lesson screens use this module, so its code
//! is in their chunks.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use crate::components::effect;
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::current_query;
use crate::components::session_text;

/// Where the instructor's window keeps its part in the talk.
const ROLE_KEY: &str = "talk.instructor";
/// The audience window's name: the link that opens it targets this name,
/// so following it again reuses the window, and the window knows its part
/// from it, through reloads too.
const WINDOW_NAME: &str = "oauth-playground-audience";
/// An audience window that has just joined asks where the talk is.
const HELLO: &str = "hello";
/// The instructor ends the talk: the audience window closes.
const END: &str = "end";

/// Whether this window is the audience's: the link that opens it names
/// it, and a reload keeps the name. Fixed for the window's life.
fn is_audience_window() -> bool {
    window_value("name").as_string().as_deref() == Some(WINDOW_NAME)
}

/// What one window posts to the other.
#[derive(Debug, PartialEq, Eq)]
pub enum Message<'a> {
    Hello,
    End,
    /// A screen's state: its path and a query that opens the screen as it
    /// is (`/flow`, `flow=spa&step=3&seed=…`), and what the screen keeps
    /// out of its address (the answers a lesson was given).
    State {
        path: &'a str,
        query: &'a str,
        rest: &'a str,
    },
}

impl<'a> Message<'a> {
    /// `path?query` and `rest` on lines of their own.
    pub fn state(path: &str, query: &str, rest: &str) -> String {
        format!("{path}?{query}\n{rest}")
    }

    pub fn read(text: &'a str) -> Option<Self> {
        match text {
            HELLO => Some(Self::Hello),
            END => Some(Self::End),
            _ => {
                let (address, rest) = text.split_once('\n')?;
                let (path, query) = address.split_once('?')?;
                path.starts_with('/')
                    .then_some(Self::State { path, query, rest })
            }
        }
    }
}

/// `window[name]`, or undefined.
fn window_value(name: &str) -> JsValue {
    web_sys::window().map_or(JsValue::UNDEFINED, |window| {
        Reflect::get(&window, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    })
}

/// Calls `target.method(argument)`, if `target` has such a method.
fn call(target: &JsValue, method: &str, argument: &JsValue) -> Option<JsValue> {
    let function = Reflect::get(target, &JsValue::from_str(method)).ok()?;
    function.dyn_ref::<Function>()?.call1(target, argument).ok()
}

/// This page's path (the app's sub-path included).
fn page_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default()
}

/// Opens this page's path with `query`: for a state the screen cannot take
/// while it is on. In place of the current entry, so that the window
/// keeps one entry of history and the instructor can still close it.
pub fn open_here(query: &str) {
    open(&format!("{}?{query}", page_path()));
}

fn open(address: &str) {
    let _ = call(
        &window_value("location"),
        "replace",
        &JsValue::from_str(address),
    );
}

/// An open `BroadcastChannel`.
struct Channel(JsValue);

impl Channel {
    /// Opens the talk's channel, with `listen` receiving each message's
    /// text. `None` where the browser has no `BroadcastChannel`.
    fn open(listen: impl Fn(&str) + 'static) -> Option<Self> {
        // `new BroadcastChannel(0)`, the one argument `Array.of` gives a
        // constructor it is called on (ECMA-262, Array.of): a constructor
        // call with an argument would add glue. So the channel's name is
        // "0"; a message not in the talk's shape moves nothing.
        let constructor = window_value("BroadcastChannel");
        let array_of = Reflect::get(&window_value("Array"), &JsValue::from_str("of")).ok()?;
        let channel = array_of.dyn_ref::<Function>()?.call0(&constructor).ok()?;
        // The closure type leptos's own event listeners use: no new glue.
        let on_message: Box<dyn FnMut(web_sys::Event)> = Box::new(move |event| {
            if let Some(text) = Reflect::get(&event, &JsValue::from_str("data"))
                .ok()
                .and_then(|data| data.as_string())
            {
                listen(&text);
            }
        });
        let on_message = Closure::wrap(on_message).into_js_value();
        Reflect::set(&channel, &JsValue::from_str("onmessage"), &on_message).ok()?;
        Some(Self(channel))
    }

    fn post(&self, text: &str) {
        let _ = call(&self.0, "postMessage", &JsValue::from_str(text));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        let _ = call(&self.0, "close", &JsValue::UNDEFINED);
    }
}

thread_local! {
    // The talk's channel while this window is in one. A window shows one
    // screen at a time, so it is in at most one talk; a screen that goes
    // closes it.
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// Posts `text` on the talk's channel, if it is open.
fn post(text: &str) {
    CHANNEL.with_borrow(|channel| {
        if let Some(channel) = channel {
            channel.post(text);
        }
    });
}

/// A screen's part in the talk. The audience window's part is fixed; the
/// instructor's begins with "Open audience window" and ends with "Close
/// the audience window" (kept in the tab's storage, so a reload keeps it,
/// as presenter view is kept: "yes" or empty, since each new type in a
/// signal is reactive code of its own).
#[derive(Clone, Copy)]
pub struct Talk {
    audience: bool,
    instructor: RwSignal<String>,
}

/// A screen's state in a talk: a query that opens the screen as it is,
/// and the rest (`None` while there is nothing to show yet).
pub type PostState = Box<dyn Fn() -> Option<(String, String)>>;
/// Takes another window's state for this screen: whether this window is
/// the audience's, the query and the rest.
pub type ApplyState = Box<dyn Fn(bool, &str, &str)>;

impl Talk {
    /// Takes part in the talk for as long as the calling screen is on,
    /// posting `state` and taking another window's with `apply`. A state
    /// for another screen opens that screen. Boxed, not generic: one copy
    /// of this code serves every screen.
    pub fn join(state: PostState, apply: ApplyState) -> Self {
        let audience = is_audience_window();
        let talk = Self {
            audience,
            instructor: session_text(ROLE_KEY, String::new),
        };
        let path = page_path();
        let message = Rc::new(move || {
            let (query, rest) = state()?;
            Some(Message::state(&path, &query, &rest))
        });
        // The last state posted or applied: not posted again, so that a
        // window does not echo back what it was just sent.
        let last = Rc::new(RefCell::new(String::new()));
        let listen = {
            let (message, last) = (Rc::clone(&message), Rc::clone(&last));
            let here = page_path();
            Rc::new(move |text: &str| match Message::read(text) {
                Some(Message::Hello) if talk.is_instructor_untracked() => {
                    if let Some(state) = message() {
                        post(&state);
                        *last.borrow_mut() = state;
                    }
                }
                Some(Message::End) if audience => {
                    let _ = call(&window_value("window"), "close", &JsValue::UNDEFINED);
                }
                Some(Message::State { path, query, rest }) if path == here => {
                    *last.borrow_mut() = text.to_owned();
                    apply(audience, query, rest);
                }
                Some(Message::State { path, query, .. }) => open(&format!("{path}?{query}")),
                _ => {}
            })
        };
        effect(Box::new(move || {
            let on = talk.is_instructor() || audience;
            let state = message();
            if !on {
                CHANNEL.set(None);
                return;
            }
            let Some(state) = state else { return };
            if CHANNEL.with_borrow(Option::is_none) {
                // Joining: the audience window opened where the instructor
                // was, or asks now; nothing to post.
                let listen = Rc::clone(&listen);
                CHANNEL.set(Channel::open(move |text| listen(text)));
                if audience {
                    post(HELLO);
                }
            } else if *last.borrow() != state {
                post(&state);
            }
            *last.borrow_mut() = state;
        }));
        // The screen is going: its channel closes, and no message reaches
        // its state after.
        on_cleanup(|| CHANNEL.set(None));
        talk
    }

    /// Makes this window the instructor's, or not, and keeps that for the
    /// tab.
    fn set_instructor(self, on: bool) {
        self.instructor
            .set(if on { "yes".into() } else { String::new() });
    }

    /// Whether this window is the instructor's. Not the audience window,
    /// even where the tab's storage says so: a window opened from a link
    /// starts with a copy of its opener's (HTML, "sessionStorage").
    fn is_instructor(self) -> bool {
        !self.audience && self.instructor.with(|role| role == "yes")
    }

    fn is_instructor_untracked(self) -> bool {
        !self.audience && self.instructor.with_untracked(|role| role == "yes")
    }

    /// Whether this window is in a talk (its clicker keys then step
    /// from anywhere on the page).
    pub fn is_on(self) -> bool {
        self.audience || self.is_instructor_untracked()
    }

    pub fn is_audience(self) -> bool {
        self.audience
    }
}

/// This page's address, as the audience window opens it.
fn audience_address() -> String {
    format!("{}{}", page_path(), current_query())
}

/// "Open audience window": a link to this screen as it is, in the window
/// named for the audience (a link, not `window.open`: no glue, and the
/// router leaves links with a target to the browser). Following it makes
/// this window the instructor's. Not in the audience window itself.
pub fn open_audience_window(talk: Talk) -> impl IntoView {
    (!talk.audience).then(|| {
        view! {
            <a
                class="button audience-open"
                href=audience_address()
                target=WINDOW_NAME
                data-testid="audience-open"
                on:click=move |event| {
                    // The address as it is now, the step included.
                    if let Some(link) = event.target() {
                        let address = JsValue::from_str(&audience_address());
                        let _ = Reflect::set(&link, &JsValue::from_str("href"), &address);
                    }
                    talk.set_instructor(true);
                }
            >
                "Open audience window"
            </a>
        }
    })
}

/// The speaker notes at this moment: a line to lead with, and the detail.
pub type Note = Arc<dyn Fn() -> (String, String) + Send + Sync>;

/// What only the instructor sees: the `note`, and the button that ends the
/// talk. Always in the page, hidden outside a talk: one shape of view, not
/// one drawn and dropped. Each part of the note is worked out on its own:
/// cheap, and smaller code than a memo of the pair (a type no signal holds
/// elsewhere).
pub fn speaker_notes(talk: Talk, heading: &'static str, note: Note) -> impl IntoView {
    let detail = Arc::clone(&note);
    let lead = move || note().0;
    let detail = move || detail().1;
    view! {
        <section
            class="panel speaker-notes"
            aria-labelledby="speaker-notes-heading"
            data-testid="speaker-notes"
            hidden=move || !talk.is_instructor()
        >
            <h2 id="speaker-notes-heading">{heading}</h2>
            <p class="speaker-notes__lead">{lead}</p>
            <p>{detail}</p>
            <button
                type="button"
                class="button"
                data-testid="audience-close"
                on:click=move |_| {
                    post(END);
                    talk.set_instructor(false);
                }
            >
                "Close the audience window"
            </button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_message_reads_back_as_its_path_query_and_rest() {
        let text = Message::state("/sub/flow", "flow=spa&step=3&seed=1", "");
        assert_eq!(text, "/sub/flow?flow=spa&step=3&seed=1\n");
        assert_eq!(
            Message::read(&text),
            Some(Message::State {
                path: "/sub/flow",
                query: "flow=spa&step=3&seed=1",
                rest: "",
            })
        );
        // The rest may hold anything, new lines too; a query may be empty.
        let text = Message::state("/lessons", "", "{\"0\":\"a\nb\"}");
        assert_eq!(
            Message::read(&text),
            Some(Message::State {
                path: "/lessons",
                query: "",
                rest: "{\"0\":\"a\nb\"}",
            })
        );
    }

    #[test]
    fn hello_and_end_are_words_and_anything_else_is_ignored() {
        assert_eq!(Message::read(HELLO), Some(Message::Hello));
        assert_eq!(Message::read(END), Some(Message::End));
        for text in [
            "",
            "flow?x",
            "flow?x\nrest",
            "/flow\nrest",
            "Hello",
            "end\n",
        ] {
            assert_eq!(Message::read(text), None, "{text:?}");
        }
    }
}
