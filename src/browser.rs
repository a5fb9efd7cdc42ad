//! The few places the app touches browser APIs directly, each returning a
//! `Result` or a default so that a missing API never panics.

use leptos::prelude::GetUntracked;
use oauth_engine::rng::{RandomnessUnavailable, Rng};
use wasm_bindgen::{JsCast, JsValue};

/// Random bytes from `crypto.getRandomValues`, through `getrandom`.
pub struct BrowserRng;

impl Rng for BrowserRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        getrandom::fill(dest).map_err(|error| RandomnessUnavailable(error.to_string()))
    }
}

/// The path the app is served under, without a trailing slash: `""` at the
/// root of a host, `"/some/path"` when built with
/// `trunk build --public-url /some/path/`. Trunk writes the public URL into
/// `<base href>`; the router needs it to match routes and build links.
pub fn router_base() -> String {
    let base_uri = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.base_uri().ok().flatten())
        .unwrap_or_default();
    base_path(&base_uri)
}

/// Asks the page for a code-split screen's stylesheets: a release build
/// links in `index.html` only those every screen uses, and its
/// `window.screenStyles` adds those of the screen at the router's path
/// (`/flow`, `/attacks`…) once (scripts/split/preload.mjs). Called as a
/// route starts, when the router has its new path and the address bar may
/// not yet. A development build links every stylesheet and has no such
/// function: nothing to do.
pub fn load_screen_styles() {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(function) = js_sys::Reflect::get(&window, &JsValue::from_str("screenStyles")) else {
        return;
    };
    if let Some(function) = function.dyn_ref::<js_sys::Function>() {
        let _ = function.call1(&JsValue::NULL, &JsValue::from_str(&path));
    }
}

/// The path of an absolute URL, trimmed of its trailing slash.
pub fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |start| &after_scheme[start..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/').to_owned()
}

/// Where a setting is kept: `Local` survives closing the browser (the
/// theme), `Session` lasts as long as the tab (what the user typed, so a
/// reload does not lose it).
#[derive(Debug, Clone, Copy)]
pub enum Store {
    Local,
    Session,
}

/// The storage, when the page may use it (it may not in some private modes,
/// and merely reading it can throw).
fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match store {
        Store::Local => window.local_storage(),
        Store::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

pub fn load_setting(store: Store, key: &str) -> Option<String> {
    storage(store)?.get_item(key).ok().flatten()
}

pub fn save_setting(store: Store, key: &str, value: Option<&str>) {
    if let Some(storage) = storage(store) {
        // A full or blocked storage only costs the remembered setting.
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

/// Writes `text` to the clipboard. Fails when the page is not allowed to
/// (permission denied) or has no Clipboard API: `navigator.clipboard` is
/// undefined outside a secure context, for example on a plain-HTTP LAN
/// host. Calling through undefined would throw through the wasm stack, so
/// it is checked first.
pub async fn copy_to_clipboard(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() {
        return Err(JsValue::from_str("no Clipboard API in this context"));
    }
    let promise = clipboard
        .unchecked_into::<web_sys::Clipboard>()
        .write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(drop)
}

/// Offers `text` as a file download named `file_name`. The file is made in
/// the page (a Blob URL): nothing is fetched or sent.
pub fn download(file_name: &str, mime_type: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let saved = download_url(file_name, &url);
    web_sys::Url::revoke_object_url(&url)?;
    saved
}

/// Offers what `url` holds as a file download named `file_name`: a Blob URL
/// (`download`) or a `data:` URL the page made (a PNG from a canvas).
pub fn download_url(file_name: &str, url: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(url);
    link.set_download(file_name);
    link.click();
    Ok(())
}

/// `target[method](argument)`, for the few browser methods the app calls
/// without a web-sys binding: each binding adds JavaScript glue to the file
/// every page loads, where `Reflect` and `Function.call` are there already.
fn call_method(target: &JsValue, method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    let function: js_sys::Function =
        js_sys::Reflect::get(target, &JsValue::from_str(method))?.dyn_into()?;
    function.call1(target, argument)
}

/// Awaits `promise`, a JavaScript promise.
async fn settled(promise: JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(promise.unchecked_into::<js_sys::Promise>()).await
}

/// Draws `svg`, a standalone SVG document whose `width` and `height` are
/// the picture's size in pixels, and returns it as a PNG `data:` URL.
///
/// An `<img>` decodes the SVG; `createImageBitmap` rasterizes it at that
/// size; a canvas's "bitmaprenderer" context takes the bitmap and encodes
/// it. Every call takes one argument: a 2D context's `drawImage` needs three,
/// that is another binding (`Function.call3`) in every page's glue.
pub async fn svg_to_png(svg: &str, width: i32, height: i32) -> Result<String, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let document = window
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let set = |target: &JsValue, name: &str, value: JsValue| {
        js_sys::Reflect::set(target, &JsValue::from_str(name), &value)
    };
    let image: JsValue = document.create_element("img")?.into();
    set(&image, "src", JsValue::from_str(&svg_data_url(svg)))?;
    settled(call_method(&image, "decode", &JsValue::UNDEFINED)?).await?;
    let bitmap = settled(call_method(&window.into(), "createImageBitmap", &image)?).await?;
    let canvas: JsValue = document.create_element("canvas")?.into();
    // As strings, which the DOM converts: a number crossing to JavaScript
    // is one more conversion in every page's glue.
    set(&canvas, "width", JsValue::from_str(&width.to_string()))?;
    set(&canvas, "height", JsValue::from_str(&height.to_string()))?;
    let context = call_method(&canvas, "getContext", &JsValue::from_str("bitmaprenderer"))?;
    call_method(&context, "transferFromImageBitmap", &bitmap)?;
    call_method(&canvas, "toDataURL", &JsValue::from_str("image/png"))?
        .as_string()
        .ok_or_else(|| JsValue::from_str("the canvas gave no PNG"))
}

/// `svg` as a `data:` URL. Only what a URL would read otherwise is
/// escaped: `%` and `#` (which would end the data, and starts every
/// numeric entity), and line breaks, which URL parsing drops.
pub fn svg_data_url(svg: &str) -> String {
    let mut url = String::from("data:image/svg+xml;charset=utf-8,");
    for character in svg.chars() {
        match character {
            '%' => url.push_str("%25"),
            '#' => url.push_str("%23"),
            '\n' => url.push_str("%0A"),
            character => url.push(character),
        }
    }
    url
}

/// The page's query, `?` included (empty when there is none).
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default()
}

/// Puts `query` (with its `?`) in the address bar without a navigation:
/// a copied link or a reload opens the same view, and stepping through a
/// screen does not fill the history.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let url = format!("{path}{query}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Sets the document title to "`screen` · OAuth Playground".
pub fn set_title(screen: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{screen} · OAuth Playground"));
    }
}

#[cfg(test)]
mod tests {
    use super::{base_path, svg_data_url};

    #[test]
    fn base_path_is_empty_at_the_root_of_a_host() {
        assert_eq!(base_path("http://127.0.0.1:8080/"), "");
        assert_eq!(base_path("http://127.0.0.1:8080"), "");
    }

    #[test]
    fn base_path_keeps_a_sub_path_without_its_trailing_slash() {
        assert_eq!(
            base_path("https://example.org/tools/oauth-playground/"),
            "/tools/oauth-playground"
        );
    }

    #[test]
    fn an_svg_data_url_escapes_what_would_end_or_change_the_data() {
        assert_eq!(
            svg_data_url("<text fill=\"#000\">100% &#39;é\n</text>"),
            "data:image/svg+xml;charset=utf-8,<text fill=\"%23000\">100%25 &%2339;é%0A</text>"
        );
    }

    #[test]
    fn base_path_ignores_query_and_fragment() {
        assert_eq!(base_path("https://example.org/sub/?x=1#y"), "/sub");
    }
}
