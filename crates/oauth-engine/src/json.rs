//! JSON objects as a token writes them: see [`JsonObject`].

pub use jose_parse::{JsonObject, ObjectError};
