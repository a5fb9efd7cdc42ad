//! The steps of each flow: who sends what, on which channel, and why. One
//! file per flow, and the steps several flows share in `steps.rs`; the
//! client's callback page, which both browser-based flows open, in
//! `callback_page.rs`.

pub(super) mod callback_page;
pub(super) mod client_credentials;
pub(super) mod code;
pub(super) mod device;
pub(super) mod implicit;
pub(super) mod steps;
