//! The PKCE screen mounted in headless Chromium: the RFC 7636 appendix B
//! vector through the UI, live updates, and the specific error messages.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use oauth_playground::pkce::PkceScreen;
use support::{clear_session, find, mount, settle, text, type_into};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const APPENDIX_B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const APPENDIX_B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn verifier_value(root: &web_sys::Element) -> String {
    use wasm_bindgen::JsCast;
    find(root, "verifier")
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
}

#[wasm_bindgen_test]
async fn first_visit_shows_a_fresh_valid_43_character_verifier() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    settle().await;
    let verifier = verifier_value(&root);
    assert_eq!(verifier.len(), 43);
    assert!(text(&root, "verifier-message").contains("32 random bytes, 256 bits"));
    assert_eq!(text(&root, "challenge-S256").len(), 43);
}

#[wasm_bindgen_test]
async fn rfc7636_appendix_b_example_button_gives_the_rfc_challenge() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    find(&root, "load-example").click();
    settle().await;
    assert_eq!(verifier_value(&root), APPENDIX_B_VERIFIER);
    assert_eq!(text(&root, "challenge-S256"), APPENDIX_B_CHALLENGE);
    assert_eq!(text(&root, "challenge-plain"), APPENDIX_B_VERIFIER);
    assert_eq!(
        text(&root, "authorization-parameters"),
        format!("code_challenge={APPENDIX_B_CHALLENGE}&code_challenge_method=S256")
    );
    assert_eq!(
        text(&root, "token-parameters"),
        format!("code_verifier={APPENDIX_B_VERIFIER}")
    );
}

#[wasm_bindgen_test]
async fn challenge_follows_the_verifier_as_the_user_types() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    type_into(&find(&root, "verifier"), APPENDIX_B_VERIFIER);
    settle().await;
    assert_eq!(text(&root, "challenge-S256"), APPENDIX_B_CHALLENGE);
}

#[wasm_bindgen_test]
async fn invalid_verifier_gets_a_specific_message_and_no_challenge() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    let field = find(&root, "verifier");

    type_into(&field, "abc");
    settle().await;
    assert_eq!(
        text(&root, "verifier-message"),
        "code_verifier is too short: 3 characters, but RFC 7636 section 4.1 requires at least 43."
    );
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text(&root, "challenge-S256").starts_with("Needs a valid code_verifier"));
    assert!(find(&root, "copy-verifier").has_attribute("disabled"));

    type_into(
        &field,
        &format!(
            "{}/{}",
            &APPENDIX_B_VERIFIER[..20],
            &APPENDIX_B_VERIFIER[21..]
        ),
    );
    settle().await;
    let message = text(&root, "verifier-message");
    assert!(
        message.starts_with("code_verifier has '/' at position 21, which is not allowed."),
        "{message}"
    );
    assert!(
        message.contains("base64url uses '-' for '+' and '_' for '/'"),
        "{message}"
    );

    // What the user typed stays in the field.
    assert_eq!(verifier_value(&root).len(), 43);
}

#[wasm_bindgen_test]
async fn generate_uses_the_chosen_length_and_rejects_lengths_outside_the_rfc() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    let length = find(&root, "verifier-length");

    type_into(&length, "128");
    settle().await;
    find(&root, "generate").click();
    settle().await;
    assert_eq!(verifier_value(&root).len(), 128);
    assert!(text(&root, "verifier-message").contains("96 random bytes, 768 bits"));

    type_into(&length, "42");
    settle().await;
    assert_eq!(
        text(&root, "length-message"),
        "RFC 7636 section 4.1 allows 43 to 128 characters, not 42."
    );
    assert!(find(&root, "generate").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn switching_to_plain_changes_the_parameters_and_warns() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    find(&root, "load-example").click();
    settle().await;
    find(&root, "method-plain").click();
    settle().await;
    assert_eq!(
        text(&root, "authorization-parameters"),
        format!("code_challenge={APPENDIX_B_VERIFIER}&code_challenge_method=plain")
    );
    assert!(text(&root, "plain-warning").contains("RFC 7636 section 4.2"));
}

#[wasm_bindgen_test]
async fn checker_names_the_matching_method() {
    clear_session();
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    type_into(&find(&root, "check-verifier"), APPENDIX_B_VERIFIER);
    type_into(&find(&root, "check-challenge"), APPENDIX_B_CHALLENGE);
    settle().await;
    assert!(text(&root, "check-result").starts_with("Match under S256"));

    type_into(&find(&root, "check-challenge"), APPENDIX_B_VERIFIER);
    settle().await;
    assert!(text(&root, "check-result").starts_with("Match under plain"));

    type_into(
        &find(&root, "check-challenge"),
        &format!("{APPENDIX_B_CHALLENGE}="),
    );
    settle().await;
    assert!(text(&root, "check-challenge-message").contains("'=' at position 44"));
    assert!(text(&root, "check-result").starts_with("Fix the value marked above"));
}

#[wasm_bindgen_test]
async fn typed_values_survive_a_remount() {
    // A reload remounts the screen: what the user typed comes back.
    clear_session();
    {
        let (root, _handle) = mount(|| view! { <PkceScreen /> });
        type_into(&find(&root, "verifier"), "typed-by-hand");
        type_into(&find(&root, "check-challenge"), "pasted");
        settle().await;
    }
    let (root, _handle) = mount(|| view! { <PkceScreen /> });
    settle().await;
    assert_eq!(verifier_value(&root), "typed-by-hand");
    assert!(text(&root, "verifier-message").contains("too short: 13 characters"));
    let challenge = find(&root, "check-challenge");
    use wasm_bindgen::JsCast;
    assert_eq!(
        challenge
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "pasted"
    );
}
