//! The JWT debugger: paste a token and read it (parts, header, claims with
//! their meanings and times, warnings); check its signature with a key;
//! edit it and sign it again with a key typed, pasted or made in the page.
//! Decoding needs no key and no crypto code; that loads on first use.

pub(crate) mod crypto;
mod decoded;
mod kind;
pub mod model;
mod sign;
mod token;
mod verify;
mod webcrypto;

use crate::components::effect;
use leptos::prelude::*;
use oauth_engine::jwt::{DecodeError, Decoded, decode};

use self::crypto::{KeyInput, SignInput, Toolkit};
use self::model::{
    KeyFormat, compact_payload, editor_texts, parse_header, reencode_keeping_signature,
};
use crate::browser::{Store, save_setting, set_title};
use crate::components::session_text;

/// Where the screen keeps its fields in `sessionStorage`, so that a reload
/// loses nothing the user typed.
const TOKEN_KEY: &str = "jwt.token";
const HEADER_KEY: &str = "jwt.header";
const PAYLOAD_KEY: &str = "jwt.payload";
const KEY_KEY: &str = "jwt.key";
const KEY_FORMAT_KEY: &str = "jwt.key-format";
const SIGN_KEY_KEY: &str = "jwt.sign-key";
const SIGN_KEY_FORMAT_KEY: &str = "jwt.sign-key-format";
const JUDGED_AT_KEY: &str = "jwt.judged-at";
const SKEW_KEY: &str = "jwt.skew";

/// Puts `token` and a JWKS to check it with into the debugger's fields,
/// for the next time it opens: the Flow screen's "open in the JWT
/// debugger" links use it.
pub fn preload(token: &str, jwks: &str) {
    save_setting(Store::Session, TOKEN_KEY, Some(token));
    // The editors start again from the new token.
    save_setting(Store::Session, HEADER_KEY, None);
    save_setting(Store::Session, PAYLOAD_KEY, None);
    save_setting(Store::Session, KEY_KEY, Some(jwks));
    save_setting(
        Store::Session,
        KEY_FORMAT_KEY,
        Some(KeyFormat::JwkOrPem.value()),
    );
}

/// A key field: its text and how to read it.
#[derive(Clone, Copy)]
struct KeyField {
    text: RwSignal<String>,
    format: RwSignal<String>,
}

impl KeyField {
    fn new(text_key: &'static str, format_key: &'static str, format: KeyFormat) -> Self {
        Self {
            text: session_text(text_key, String::new),
            format: session_text(format_key, || format.value().into()),
        }
    }

    fn format(self) -> KeyFormat {
        KeyFormat::from_value(&self.format.get())
    }

    fn input(self) -> KeyInput {
        KeyInput {
            text: self.text.get(),
            format: self.format(),
        }
    }

    fn set(self, text: String, format: KeyFormat) {
        self.format.set(format.value().into());
        self.text.set(text);
    }
}

/// The key and signature code (`crypto.rs`), fetched the first time a key
/// is typed or the token is edited, then kept. A signal set when the chunk
/// arrives, not a resource: the async machinery of a resource is code the
/// screen's first download would carry for this one use.
#[derive(Clone, Copy)]
struct Crypto {
    wanted: RwSignal<bool>,
    loaded: RwSignal<Option<Toolkit>>,
}

impl Crypto {
    fn new() -> Self {
        Self {
            wanted: RwSignal::new(false),
            loaded: RwSignal::new(None),
        }
    }

    fn want(self) {
        if !self.wanted.get_untracked() {
            self.wanted.set(true);
            let loaded = self.loaded;
            leptos::task::spawn_local(async move {
                loaded.set(Some(crypto::load().await));
            });
        }
    }

    fn get(self) -> Option<Toolkit> {
        self.loaded.get()
    }

    /// "Loading…" while the chunk is on its way.
    fn loading(self) -> bool {
        self.wanted.get() && self.get().is_none()
    }
}

/// The screen's state, shared with its panels through context.
#[derive(Clone, Copy)]
struct JwtState {
    token_text: RwSignal<String>,
    decoded: Memo<Result<Decoded, DecodeError>>,
    /// The header and payload editors. They follow the token field when the
    /// user types there, and rewrite the token when the user types in them.
    header_text: RwSignal<String>,
    payload_text: RwSignal<String>,
    verify_key: KeyField,
    sign_key: KeyField,
    /// When times are judged: empty for now, else a `datetime-local` value.
    judged_at: RwSignal<String>,
    skew_text: RwSignal<String>,
    crypto: Crypto,
    /// Set when the editors or the signing key change: the token is signed
    /// again as soon as the crypto code is at hand.
    resign_pending: RwSignal<bool>,
    sign_error: RwSignal<Option<String>>,
}

impl JwtState {
    /// The token field changed: the editors follow it.
    fn set_token(self, token: String) {
        self.token_text.set(token.clone());
        // The memo decodes the new token once, for the editors and the panels.
        let texts = self.decoded.with_untracked(|decoded| {
            decoded
                .as_ref()
                .ok()
                .map(|decoded| editor_texts(&token, decoded))
        });
        if let Some((header, payload)) = texts {
            self.header_text.set(header);
            self.payload_text.set(payload);
        }
    }

    /// The editors or the signing key changed: the token is rebuilt.
    fn rebuild_token(self) {
        self.crypto.want();
        self.resign_pending.set(true);
    }

    /// Rebuilds the token from the editors: signed when there is a signing
    /// key, else keeping the old signature, which then no longer matches.
    fn apply_rebuild(self, toolkit: Toolkit) {
        let (header_text, payload_text) = (
            self.header_text.get_untracked(),
            self.payload_text.get_untracked(),
        );
        let key = self.sign_key.text.get_untracked();
        if key.is_empty() {
            let (Ok(header), Ok(payload)) =
                (parse_header(&header_text), compact_payload(&payload_text))
            else {
                return;
            };
            self.sign_error.set(None);
            let token = self.token_text.get_untracked();
            self.token_text
                .set(reencode_keeping_signature(&header, &payload, &token));
            return;
        }
        let input = SignInput {
            header_text,
            payload_text,
            key: KeyInput {
                text: key,
                format: KeyFormat::from_value(&self.sign_key.format.get_untracked()),
            },
        };
        match (toolkit.sign)(&input) {
            Ok(token) => {
                self.sign_error.set(None);
                self.token_text.set(token);
            }
            Err(message) => self.sign_error.set(Some(message)),
        }
    }
}

#[component]
pub fn JwtScreen() -> impl IntoView {
    set_title("JWT debugger");
    let token_text = session_text(TOKEN_KEY, String::new);
    // A share link's token wins over what the tab had.
    let shared = token::token_in_link();
    if let Some(token) = &shared {
        token_text.set(token.clone());
    }
    let decoded = Memo::new(move |_| token_text.with(|text| decode(text)));
    let (header, payload) = decoded
        .get_untracked()
        .map(|decoded| token_text.with_untracked(|token| editor_texts(token, &decoded)))
        .unwrap_or_default();
    let editor = |key: &'static str, initial: String| {
        let text = session_text(key, || initial.clone());
        if shared.is_some() {
            text.set(initial);
        }
        text
    };
    let state = JwtState {
        token_text,
        decoded,
        header_text: editor(HEADER_KEY, header),
        payload_text: editor(PAYLOAD_KEY, payload),
        verify_key: KeyField::new(KEY_KEY, KEY_FORMAT_KEY, KeyFormat::SecretText),
        sign_key: KeyField::new(SIGN_KEY_KEY, SIGN_KEY_FORMAT_KEY, KeyFormat::SecretText),
        judged_at: session_text(JUDGED_AT_KEY, String::new),
        skew_text: session_text(SKEW_KEY, || "60".into()),
        crypto: Crypto::new(),
        resign_pending: RwSignal::new(false),
        sign_error: RwSignal::new(None),
    };
    provide_context(state);
    // A key in either field means the crypto code will be needed.
    effect(Box::new(move || {
        if state.verify_key.text.with(|text| !text.is_empty())
            || state.sign_key.text.with(|text| !text.is_empty())
        {
            state.crypto.want();
        }
    }));
    effect(Box::new(move || {
        if let Some(toolkit) = state.crypto.get()
            && state.resign_pending.get()
        {
            state.resign_pending.set(false);
            state.apply_rebuild(toolkit);
        }
    }));
    view! {
        <article class="jwt" aria-labelledby="jwt-title">
            <header class="screen-header">
                <h1 id="jwt-title">"JWT debugger"</h1>
                <p class="screen-header__lead">
                    "Paste a JSON Web Token to read it: each part, every claim with what it \
                     means, and what looks wrong. Check its signature with a key, or edit it \
                     and sign it with a key of your own. Everything happens in this page: the \
                     token is sent nowhere."
                </p>
            </header>
            <div class="jwt__columns">
                <token::TokenPanel />
                <verify::VerifyPanel />
            </div>
            <decoded::DecodedPanel />
            <sign::SignPanel />
        </article>
    }
}
