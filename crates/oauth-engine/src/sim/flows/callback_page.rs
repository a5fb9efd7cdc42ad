//! The client's callback page, which the code flow and the implicit grant
//! both open: the browser navigates to it, then it loads what it loads
//! from other sites, and their scripts run with the page's rights.

use crate::http::{Request, Url};
use crate::sim::browser::Browser;
use crate::sim::network::{Network, from_browser, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

const REFERER: [RfcRef; 1] = [RfcRef::new(9700, "4.2")];
/// A script in the page can read everything in the page's address; a
/// token there is as good as given to it.
const PAGE_SCRIPT: [RfcRef; 2] = [RfcRef::new(9700, "2.1.2"), RfcRef::new(6749, "10.3")];

/// Navigates to the client's callback page, then makes the requests that
/// page makes to other sites.
pub(in crate::sim) fn open_callback_page(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    callback: &Url,
    explanation: &str,
    rfc_refs: &[RfcRef],
) {
    navigate(
        network,
        browser,
        Request::get(callback.clone()),
        explanation,
        rfc_refs,
    );
    // What the callback page loads from elsewhere, with the Referer the
    // browser's policy allows: the leak RFC 9700 section 4.2 describes.
    for resource in &scenario.callback_page_loads {
        if let Ok(url) = Url::parse(resource) {
            let request = browser.subresource_request(url.clone());
            from_browser(
                network,
                browser,
                request,
                false,
                "The callback page loads a resource from another site. The browser sends a \
                 Referer: with the default policy only the origin, with unsafe-url the whole \
                 address (never the fragment).",
                &REFERER,
            );
            if url.path.ends_with(".js") {
                run_third_party_script(network, browser, &url);
            }
        }
    }
}

/// A script from `script`'s site runs in the page, reads `location.href`
/// (query and fragment included: any script on the page can) and reports
/// it home, as analytics scripts do.
fn run_third_party_script(network: &mut Network<'_>, browser: &mut Browser, script: &Url) {
    let Some(page) = browser.address.clone() else {
        return;
    };
    let href = page.to_string();
    let beacon = Url {
        origin: script.origin.clone(),
        path: "/collect".into(),
        query: None,
        fragment: None,
    }
    .with_query(&[("page", href.as_str())]);
    let request = browser.subresource_request(beacon);
    from_browser(
        network,
        browser,
        request,
        false,
        "The script from the other site runs in the page with the page's own rights. Like any \
         analytics script it reports the page it runs on: the whole location.href, query and \
         fragment included. Whatever the address holds, a code or a token, is now on that \
         site's servers and in its logs.",
        &PAGE_SCRIPT,
    );
}
