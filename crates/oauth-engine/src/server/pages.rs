//! The authorization server's own pages: what the user sees in the
//! browser between the authorization request and the redirect back. Every
//! value is HTML-escaped: client ids and messages can carry user input.

use crate::http::{Response, escape_html as escape, unescape_html};
use crate::types::Scope;

fn page(status: u16, title: &str, body: &str) -> Response {
    Response::new(status)
        .with_header("Content-Type", "text/html; charset=utf-8")
        // Login and consent pages must not be framed (RFC 6749 section 10.13).
        .with_header("X-Frame-Options", "DENY")
        .with_body(format!(
            "<!doctype html><html><head><title>{}</title></head><body>{body}</body></html>",
            escape(title)
        ))
}

/// The sign-in form; `error` after a failed attempt.
pub(super) fn login_page(transaction: &str, client_id: &str, error: Option<&str>) -> Response {
    let error = error
        .map(|message| format!("<p role=\"alert\">{}</p>", escape(message)))
        .unwrap_or_default();
    page(
        200,
        "Sign in",
        &format!(
            "<h1>Sign in</h1><p>to continue to {client}</p>{error}\
             <form method=\"post\" action=\"login\">\
             <input type=\"hidden\" name=\"transaction\" value=\"{transaction}\">\
             <label>Username <input name=\"username\" autocomplete=\"username\"></label>\
             <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\
             <button>Sign in</button></form>",
            client = escape(client_id),
            transaction = escape(transaction),
        ),
    )
}

/// The consent form: one checkbox per requested scope, approve or deny.
pub(super) fn consent_page(transaction: &str, client_id: &str, scope: &Scope) -> Response {
    let boxes: String = scope
        .iter()
        .map(|token| {
            let token = escape(token);
            format!("<label><input type=\"checkbox\" name=\"scope\" value=\"{token}\" checked> {token}</label>")
        })
        .collect();
    page(
        200,
        "Allow access?",
        &format!(
            "<h1>Allow {client} to access your account?</h1>\
             <form method=\"post\" action=\"consent\">\
             <input type=\"hidden\" name=\"transaction\" value=\"{transaction}\">{boxes}\
             <button name=\"decision\" value=\"approve\">Allow</button>\
             <button name=\"decision\" value=\"deny\">Deny</button></form>",
            client = escape(client_id),
            transaction = escape(transaction),
        ),
    )
}

/// The scopes a consent page offers, in order, as a browser reads its
/// form: the value of each `scope` checkbox. A browser submits the ones
/// left ticked.
pub fn offered_scopes(html: &str) -> Vec<String> {
    html.split("name=\"scope\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(unescape_html)
        .collect()
}

/// Where the user types the code the device shows (RFC 8628 section 3.3).
pub(super) fn device_code_page(prefill: &str, error: Option<&str>) -> Response {
    let error = error
        .map(|message| format!("<p role=\"alert\">{}</p>", escape(message)))
        .unwrap_or_default();
    page(
        200,
        "Connect a device",
        &format!(
            "<h1>Connect a device</h1><p>Enter the code shown on your device.</p>{error}\
             <form method=\"post\" action=\"device\">\
             <label>Code <input name=\"user_code\" value=\"{}\" autocomplete=\"off\"></label>\
             <button>Continue</button></form>",
            escape(prefill)
        ),
    )
}

/// The end of a device authorization: nothing to redirect to.
pub(super) fn device_done_page(approved: bool) -> Response {
    let message = if approved {
        "Your device is connected. You can close this window."
    } else {
        "You denied the request. Your device will not get access."
    };
    page(200, "Device", &format!("<h1>Device</h1><p>{message}</p>"))
}

/// An error shown to the user instead of a redirect (RFC 6749 section
/// 4.1.2.1: never redirect to an unverified redirect_uri).
pub(super) fn error_page(message: &str) -> Response {
    page(
        400,
        "Authorization error",
        &format!("<h1>Authorization error</h1><p>{}</p>", escape(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_consent_page_offers_each_requested_scope_as_a_ticked_box() {
        let scope = Scope::parse("openid read:a&b").unwrap();
        let page = consent_page("t1", "spa", &scope);
        assert_eq!(offered_scopes(&page.body), ["openid", "read:a&b"]);
        assert_eq!(page.body.matches(" checked>").count(), 2);
    }
}
