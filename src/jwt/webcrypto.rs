//! RSA key generation through the browser's WebCrypto. Finding two
//! 1024-bit primes takes seconds in wasm and would freeze the page; the
//! browser does it off the main thread and hands back a JWK, which the
//! engine then reads like any pasted key.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A new RSA 2048 private key as JWK text (with its public members).
pub async fn generate_rsa_2048() -> Result<String, String> {
    let subtle = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.subtle())
        .ok_or("This browser has no WebCrypto, so it cannot make an RSA key here.")?;
    let algorithm = Object::new();
    let set = |name: &str, value: &JsValue| Reflect::set(&algorithm, &name.into(), value);
    set("name", &"RSASSA-PKCS1-v1_5".into()).map_err(describe)?;
    set("modulusLength", &2048.into()).map_err(describe)?;
    // e = 65537 as a big-endian byte string.
    set("publicExponent", &Uint8Array::from(&[1u8, 0, 1][..])).map_err(describe)?;
    set("hash", &"SHA-256".into()).map_err(describe)?;
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(
        subtle
            .generate_key_with_object(&algorithm, true, &usages)
            .map_err(describe)?,
    )
    .await
    .map_err(describe)?;
    let private = Reflect::get(&pair, &"privateKey".into())
        .map_err(describe)?
        .dyn_into::<web_sys::CryptoKey>()
        .map_err(|_| "WebCrypto returned no private key.".to_owned())?;
    let jwk = JsFuture::from(subtle.export_key("jwk", &private).map_err(describe)?)
        .await
        .map_err(describe)?;
    js_sys::JSON::stringify(&jwk)
        .map(String::from)
        .map_err(describe)
}

fn describe(error: JsValue) -> String {
    let detail = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .unwrap_or_else(|| format!("{error:?}"));
    format!("The browser could not make the RSA key: {detail}.")
}
