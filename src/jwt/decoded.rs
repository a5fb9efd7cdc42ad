//! The decoded token: header and payload editors, the claims table with
//! times in UTC, local time and relative, and the warnings, judged at a
//! time and with a clock skew the user can set.

use leptos::prelude::*;
use oauth_engine::clock::UnixTime;
use oauth_engine::jwt::{Decoded, warnings};

use super::JwtState;
use super::kind::{TokenKind, token_kind};
use super::model::{
    CLAIM_ROWS_SHOWN, DRAWN_CHARS, claim_rows, compact_payload, drawn_part, grouped, parse_header,
    parse_skew,
};
use crate::components::{MeaningRow, MeaningTable, Reference, drawn};

/// Used while the skew field holds something that is not a number.
const DEFAULT_SKEW: u64 = 60;

/// The moment times are judged at: now, or the time the user set (a
/// `datetime-local` value, read in the browser's time zone).
fn judged_at(setting: &str) -> Result<UnixTime, String> {
    if setting.is_empty() {
        return Ok(UnixTime((js_sys::Date::now() / 1000.0) as u64));
    }
    let millis = js_sys::Date::new(&setting.into()).get_time();
    if millis.is_finite() && millis >= 0.0 {
        Ok(UnixTime((millis / 1000.0) as u64))
    } else {
        Err("Not a date and time this page can use (from 1970 on).".into())
    }
}

thread_local! {
    /// The browser's date format with its time zone named. Made once:
    /// building an `Intl.DateTimeFormat` costs far more than using one, and
    /// the claims table formats its times on every keystroke.
    static LOCAL_FORMAT: js_sys::Function = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"long".into());
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format()
    };
}

/// A NumericDate in the browser's time zone and locale.
fn local_time(time: UnixTime) -> String {
    let date = js_sys::Date::new(&((time.0 as f64) * 1000.0).into());
    LOCAL_FORMAT
        .with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

#[component]
pub fn DecodedPanel() -> impl IntoView {
    let state: JwtState = expect_context();
    let judged = move || state.judged_at.with(|setting| judged_at(setting));
    let skew = move || state.skew_text.with(|text| parse_skew(text));
    let now = move || judged().unwrap_or_else(|_| judged_at("").unwrap_or(UnixTime(0)));
    let is_signed = move || matches!(state.decoded.get(), Ok(Decoded::Signed { .. }));
    view! {
        <section class="panel" aria-labelledby="decoded-heading">
            <h2 id="decoded-heading">"Decoded"</h2>
            <p class="muted">
                "Edit the header or the payload and the token above is rebuilt: signed again \
                 with the signing key below if there is one, else with its old signature, \
                 which then no longer matches."
            </p>
            <div class="jwt__json">
                <Editor
                    id="jwt-header"
                    label="Header"
                    part=0
                    text=state.header_text
                    check=|text| parse_header(text).map(|_| ())
                />
                <Editor
                    id="jwt-payload"
                    label="Payload"
                    part=1
                    text=state.payload_text
                    check=|text| compact_payload(text).map(|_| ())
                />
            </div>
            {move || {
                let kind = state.decoded.with(|decoded| decoded.as_ref().ok().and_then(token_kind));
                kind.map(|kind| drawn(move || view! { <KindNote kind /> }))
            }}
            {move || {
                let decoded = state.decoded.get().ok()?;
                let found = warnings(&decoded, now(), skew().unwrap_or(DEFAULT_SKEW));
                (!found.is_empty())
                    .then(|| {
                        drawn(move || view! {
                            <ul
                                class="jwt__warnings"
                                data-testid="jwt-warnings"
                                aria-label="Warnings"
                            >
                                {found
                                    .iter()
                                    .map(|warning| view! { <li>{warning.to_string()}</li> })
                                    .collect_view()}
                            </ul>
                        })
                    })
            }}
            <fieldset class="jwt__clock" disabled=move || !is_signed()>
                <legend>"Judge the times"</legend>
                <div class="field">
                    <label for="jwt-judged-at">"At (empty: now)"</label>
                    <input
                        id="jwt-judged-at"
                        data-testid="jwt-judged-at"
                        type="datetime-local"
                        step="1"
                        prop:value=move || state.judged_at.get()
                        on:input=move |event| state.judged_at.set(event_target_value(&event))
                        aria-describedby="jwt-judged-at-message"
                        aria-invalid=move || judged().is_err().to_string()
                    />
                    <p id="jwt-judged-at-message" data-testid="jwt-judged-at-message" class="field-message field-message--error">
                        {move || judged().err()}
                    </p>
                </div>
                <div class="field">
                    <label for="jwt-skew">"Allowed clock skew (seconds)"</label>
                    <input
                        id="jwt-skew"
                        data-testid="jwt-skew"
                        type="text"
                        inputmode="numeric"
                        prop:value=move || state.skew_text.get()
                        on:input=move |event| state.skew_text.set(event_target_value(&event))
                        aria-describedby="jwt-skew-message"
                        aria-invalid=move || skew().is_err().to_string()
                    />
                    <p id="jwt-skew-message" data-testid="jwt-skew-message" class="field-message field-message--error">
                        {move || {
                            skew()
                                .err()
                                .map(|error| format!("{error} Using {DEFAULT_SKEW} until then."))
                        }}
                    </p>
                </div>
            </fieldset>
            <ClaimsTable now=Signal::derive(now) />
        </section>
    }
}

/// What a proof or an assertion is, and how to check it.
#[component]
fn KindNote(kind: TokenKind) -> impl IntoView {
    const DPOP_PROOF: &str = "A DPoP proof (RFC 9449 section 4.2): made for one request (htm, \
         htu) and signed with the private half of the key in its header, so it verifies with \
         that jwk (\"Use the key in the header\" below). The key's thumbprint (RFC 7638), which \
         a token bound to it carries as cnf.jkt: ";
    // One shape of view for every kind: the text, and a thumbprint if any.
    let (text, thumbprint) = match kind {
        TokenKind::DpopProof { thumbprint, .. } => match thumbprint {
            Ok(jkt) => (DPOP_PROOF.to_owned(), Some(jkt)),
            Err(why) => (format!("{DPOP_PROOF}none: {why}."), None),
        },
        TokenKind::ClientAssertion { client_id } => (
            format!(
                "A client assertion (private_key_jwt, RFC 7523 section 3): {client_id} signed \
                 it instead of sending a secret; iss and sub name the client, aud the \
                 authorization server. It verifies with the public key the client registered."
            ),
            None,
        ),
    };
    view! {
        <p class="jwt__kind" data-testid="jwt-kind">
            {text}
            {thumbprint.map(|jkt| view! { <code data-testid="jwt-thumbprint">{jkt}</code> })}
        </p>
    }
}

/// A JSON editor for one part of the token; typing in it rebuilds the
/// token. What the user types stays, valid or not; `check` says what is
/// wrong with it. A text too long to draw (model::DRAWN_CHARS) shows its
/// first part, read-only: an edit there would drop the rest.
#[component]
fn Editor(
    id: &'static str,
    label: &'static str,
    part: usize,
    text: RwSignal<String>,
    check: fn(&str) -> Result<(), String>,
) -> impl IntoView {
    let state: JwtState = expect_context();
    let message_id = format!("{id}-message");
    let long_id = format!("{id}-long");
    let described_by = format!("{message_id} {long_id}");
    // An empty editor (no token yet) is not an error.
    let error = move || {
        text.with(|text| {
            (!text.trim().is_empty())
                .then(|| check(text).err())
                .flatten()
        })
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                data-testid=id
                class=format!("mono jwt__editor jwt__part--{part}-box")
                rows="8"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                prop:value=move || text.with(|text| drawn_part(text, DRAWN_CHARS).0.to_owned())
                readonly=move || text.with(|text| text.len() > DRAWN_CHARS)
                on:input=move |event| {
                    text.set(event_target_value(&event));
                    state.rebuild_token();
                }
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=described_by
            ></textarea>
            <p
                id=message_id.clone()
                data-testid=message_id
                class="field-message field-message--error"
            >
                {error}
            </p>
            <p id=long_id.clone() data-testid=long_id class="muted">
                {move || {
                    let left_out = text.with(|text| drawn_part(text, DRAWN_CHARS).1);
                    (left_out > 0)
                        .then(|| {
                            format!(
                                "The first {} characters are shown, {} left out. Read-only at \
                                 this size: an edit here would drop the rest. The token above \
                                 holds it whole.",
                                grouped(DRAWN_CHARS),
                                grouped(left_out),
                            )
                        })
                }}
            </p>
        </div>
    }
}

/// The claims, with their times in UTC, local time and relative.
#[component]
fn ClaimsTable(#[prop(into)] now: Signal<UnixTime>) -> impl IntoView {
    let state: JwtState = expect_context();
    move || {
        let (rows, more) = state.decoded.with(|decoded| match decoded {
            Ok(decoded) => claim_rows(decoded, now.get()),
            Err(_) => (Vec::new(), 0),
        });
        let rows = rows
            .into_iter()
            .map(|row| MeaningRow {
                origin: None,
                notes: row
                    .time
                    .map(|(time, utc, relative)| vec![utc, local_time(time), relative])
                    .unwrap_or_default(),
                meaning: row.meaning.unwrap_or("Not a registered claim."),
                reference: row.defined_in.map(Reference::Named),
                name: row.name,
                value: row.value,
            })
            .collect();
        view! {
            <MeaningTable rows caption="Claims" testid="jwt-claims" name_heading="Claim" />
            {(more > 0)
                .then(|| {
                    view! {
                        <p class="muted" data-testid="jwt-claims-more">
                            {format!(
                                "The first {CLAIM_ROWS_SHOWN} claims are listed; {more} more \
                                 follow. The payload editor shows them all.",
                            )}
                        </p>
                    }
                })}
        }
    }
}
