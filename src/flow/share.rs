//! Share links: the scenario on screen as a URL query, and back again. Free
//! of the DOM, so it is tested natively.
//!
//! `/flow?flow=web-app&step=5&seed=4242&start=1767225600&scope=read&use_pkce=no`
//!
//! - `flow`: the flow, by its slug (`spa`, `web-app`, `client-credentials`,
//!   `device`, `refresh`, `oidc`, `fapi`, `introspection`, `sign-out`).
//! - `step`: the selected step, counted from 1 as the screen shows it.
//! - `seed` and `start`: the run's random seed and its simulated start time
//!   (Unix seconds). A share link always carries both, so whoever opens it
//!   gets the same codes, tokens and signatures, byte for byte.
//! - One parameter for each form setting that differs from the flow's own
//!   value, named as the form is stored, after the field's element id
//!   (`flow-client-id` is `client_id`):
//!   - as typed: `client_id`, `client_secret`, `registered_secret`,
//!     `redirect_uri`, `registered_redirect_uris` (one per line), `scope`,
//!     `registered_scope`, `username`, `password`, `code_lifetime`,
//!     `access_token_lifetime`, `refresh_token_lifetime`,
//!     `wait_before_token_request`, `wait_between_api_calls`,
//!     `device_user_delay`, `device_poll_every`, `server_allowed_origins`,
//!     `api_allowed_origins` (one per line);
//!   - `yes` or `no`: `send_state`, `use_pkce`, `approve`,
//!     `proactive_refresh`, `rotate_refresh_tokens`, `reload_callback`,
//!     `verifier_lost`, `dpop`, `use_par`, `sign_out`, `require_dpop`,
//!     `dpop_nonce`, `require_par`, `opaque_tokens`, `in_browser`;
//!   - one of the select's values: `auth_method`, `pkce_method`,
//!     `server_pkce`;
//!   - `withheld_scopes`: the scopes the user unticks at consent,
//!     separated by spaces.
//!
//! - For the AI agent's flow, its settings that differ from its own
//!   (`flow::agent`, whose code reads and writes them): `yes` or `no` for
//!   `agent_pre_registered`, `agent_metadata_documents`,
//!   `agent_dynamic_registration`, `agent_send_resource`,
//!   `agent_check_resource_metadata`, `agent_check_audience`,
//!   `agent_check_client_documents` and `agent_approve`; as typed,
//!   `agent_first_scope` and `agent_second_scope`; `agent_downstream`,
//!   `none`, `passthrough` or `exchange`.
//!
//! `client_secret`, `registered_secret` and `password` are secrets: a link
//! carries them only when the user asks. A link with nothing but `flow` and
//! `step` (what the address bar shows) moves to that step and keeps the
//! tab's own form and seed; any other parameter makes it a scenario link,
//! which sets the flow's form up from the flow's own values and the link's.

use std::fmt::Write;

use oauth_engine::form::decode_form;

use super::fields::ScopeSet;
use super::model::{CheckField, ChoiceField, FlowForm, Preset, TextField};

/// The latest start time a link may set: the last second of the year 9999,
/// so every simulated date keeps a four-digit year and no time overflows.
pub const MAX_START_TIME: u64 = 253_402_300_799;

/// The parameter for the scopes withheld at consent.
const WITHHELD_SCOPES: &str = "withheld_scopes";

/// The scenario on screen, as a link carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub preset: Preset,
    pub form: FlowForm,
    /// The selected step, from 0.
    pub step: usize,
    pub seed: u64,
    pub start_time: u64,
    /// The AI agent's changed settings, as the agent's code names them.
    pub agent: Vec<(String, String)>,
}

impl Shared {
    /// The link's query, without its `?`: the flow, step, seed and start
    /// time, then each setting that differs from the flow's own value. The
    /// secret fields only with `include_secrets`.
    pub fn to_query(&self, include_secrets: bool) -> String {
        let mut pairs: Vec<(String, String)> = vec![
            ("flow".into(), self.preset.slug().to_owned()),
            ("step".into(), (self.step + 1).to_string()),
            ("seed".into(), self.seed.to_string()),
            ("start".into(), self.start_time.to_string()),
        ];
        changed_settings(self.preset, &self.form, include_secrets, &mut pairs);
        pairs.extend(self.agent.iter().cloned());
        query(&pairs)
    }

    /// The secret fields the user changed: what a link without secrets
    /// leaves out, so whoever opens it runs with the flow's own values.
    pub fn changed_secrets(&self) -> Vec<TextField> {
        let defaults = FlowForm::from_scenario(&self.preset.scenario());
        TextField::ALL
            .into_iter()
            .filter(|&field| field.is_secret() && self.form.text(field) != defaults.text(field))
            .collect()
    }
}

/// The form as the tab keeps it in session storage: each setting that
/// differs from the flow's own value, secrets included, in a link's words,
/// so that the two are one vocabulary. [`Opened::form`] reads it back.
pub fn stored_form(preset: Preset, form: &FlowForm) -> String {
    let mut pairs = Vec::new();
    changed_settings(preset, form, true, &mut pairs);
    query(&pairs)
}

/// Adds to `pairs` each setting of `form` that differs from `preset`'s own
/// value; the secret fields only with `include_secrets`.
fn changed_settings(
    preset: Preset,
    form: &FlowForm,
    include_secrets: bool,
    pairs: &mut Vec<(String, String)>,
) {
    let defaults = FlowForm::from_scenario(&preset.scenario());
    for field in TextField::ALL {
        let value = form.text(field);
        if value != defaults.text(field) && (include_secrets || !field.is_secret()) {
            pairs.push((param(field.id()), value.to_owned()));
        }
    }
    for field in CheckField::ALL {
        let value = form.check(field);
        if value != defaults.check(field) {
            pairs.push((param(field.id()), if value { "yes" } else { "no" }.into()));
        }
    }
    for field in ChoiceField::ALL {
        let value = form.choice(field);
        if value != defaults.choice(field) {
            pairs.push((param(field.id()), value.to_owned()));
        }
    }
    if form.withheld_scopes != defaults.withheld_scopes {
        let scopes = form.withheld_scopes.iter();
        pairs.push((WITHHELD_SCOPES.into(), scopes.collect::<Vec<_>>().join(" ")));
    }
}

fn query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value. Letters, digits, `-._~` and the `:/@,`
/// of URLs stay as they are, so a link with a redirect URI in it can
/// still be read; a space becomes `+`, as in a form.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b':'
            | b'/'
            | b'@'
            | b',' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            _ => {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// A setting's name in a link: its element id without the screen's
/// prefix, in snake case (`flow-client-id` is `client_id`), so that the
/// two cannot drift apart.
fn param(id: &str) -> String {
    id.strip_prefix("flow-").unwrap_or(id).replace('-', "_")
}

/// One form setting a link changes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Setting {
    Text(TextField, String),
    Check(CheckField, bool),
    Choice(ChoiceField, String),
    WithheldScopes(ScopeSet),
}

impl Setting {
    /// The setting `name=value` names, if the name is known and the value
    /// one the setting can take. Text is taken as typed: the form checks it
    /// and says what is wrong beside the field, as when it is typed there.
    fn read(name: &str, value: &str) -> Option<Self> {
        if name == WITHHELD_SCOPES {
            let mut scopes = ScopeSet::default();
            for scope in value.split_whitespace() {
                scopes.insert(scope.to_owned());
            }
            return Some(Self::WithheldScopes(scopes));
        }
        if let Some(field) = TextField::ALL.into_iter().find(|&f| param(f.id()) == name) {
            return Some(Self::Text(field, value.to_owned()));
        }
        if let Some(field) = CheckField::ALL.into_iter().find(|&f| param(f.id()) == name) {
            let checked = match value {
                "yes" | "true" | "1" => true,
                "no" | "false" | "0" => false,
                _ => return None,
            };
            return Some(Self::Check(field, checked));
        }
        let field = ChoiceField::ALL
            .into_iter()
            .find(|&f| param(f.id()) == name)?;
        field
            .options()
            .iter()
            .any(|(option, _)| *option == value)
            .then(|| Self::Choice(field, value.to_owned()))
    }

    fn apply(self, form: &mut FlowForm) {
        match self {
            Self::Text(field, value) => {
                form.texts.insert(field, value);
            }
            Self::Check(field, value) => {
                form.checks.insert(field, value);
            }
            Self::Choice(field, value) => {
                form.choices.insert(field, value);
            }
            Self::WithheldScopes(scopes) => form.withheld_scopes = scopes,
        }
    }
}

/// What the query of the address the screen was opened with asks for.
/// Each part is there only when the link gave it and it could be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opened {
    pub preset: Option<Preset>,
    /// The step, from 0.
    pub step: Option<usize>,
    pub seed: Option<u64>,
    pub start_time: Option<u64>,
    /// The form settings, in the link's order (a repeated one: the last
    /// wins).
    settings: Vec<Setting>,
    /// The `agent_` parameters, as written: the agent's code reads them.
    pub agent: Vec<(String, String)>,
    /// Each parameter that was left out, as the link wrote it.
    pub not_understood: Vec<String>,
}

impl Opened {
    /// Reads a query (with or without its `?`). Never fails: a parameter
    /// that cannot be used is left out and listed in `not_understood`.
    pub fn parse(query: &str) -> Self {
        let mut opened = Self::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for part in query.split('&').filter(|part| !part.is_empty()) {
            match decode_form(part)
                .ok()
                .and_then(|pairs| pairs.into_iter().next())
            {
                Some((name, value)) => {
                    if !opened.read(&name, &value) {
                        opened.not_understood.push(format!("{name}={value}"));
                    }
                }
                // A broken %-escape, or bytes that are not UTF-8.
                None => opened.not_understood.push(part.to_owned()),
            }
        }
        opened
    }

    /// Takes one parameter; false when it cannot be used.
    fn read(&mut self, name: &str, value: &str) -> bool {
        fn keep<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
            let understood = value.is_some();
            if understood {
                *slot = value;
            }
            understood
        }
        match name {
            "flow" => keep(&mut self.preset, Preset::from_slug(value)),
            "step" => {
                let step = value.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
                keep(&mut self.step, step)
            }
            "seed" => keep(&mut self.seed, value.parse().ok()),
            _ if name.starts_with("agent_") => {
                self.agent.push((name.to_owned(), value.to_owned()));
                true
            }
            "start" => {
                let start = value.parse().ok().filter(|&t| t <= MAX_START_TIME);
                keep(&mut self.start_time, start)
            }
            _ => match Setting::read(name, value) {
                Some(setting) => {
                    self.settings.push(setting);
                    true
                }
                None => false,
            },
        }
    }

    /// Whether the link sets a scenario up (a seed, a start time or a
    /// setting), rather than only pointing at a flow and a step.
    pub fn is_scenario(&self) -> bool {
        self.seed.is_some()
            || self.start_time.is_some()
            || !self.settings.is_empty()
            || !self.agent.is_empty()
    }

    /// The form a scenario link sets up for `preset`: the flow's own
    /// values with the link's settings on top. `None` for a link that only
    /// points at a flow and a step: the tab keeps its form.
    pub fn form(&self, preset: Preset) -> Option<FlowForm> {
        if !self.is_scenario() {
            return None;
        }
        let mut form = FlowForm::from_scenario(&preset.scenario());
        for setting in &self.settings {
            setting.clone().apply(&mut form);
        }
        Some(form)
    }

    /// One sentence naming every parameter that was left out, if any.
    pub fn note(&self) -> Option<String> {
        let quoted: Vec<String> = self
            .not_understood
            .iter()
            .map(|part| format!("'{}'", shorten(part)))
            .collect();
        let (list, verb) = match quoted.as_slice() {
            [] => return None,
            [one] => (one.clone(), "was"),
            [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "were"),
        };
        Some(format!(
            "The link's {list} {verb} not understood and {verb} left out."
        ))
    }
}

/// A parameter as the note quotes it: long values cut, so a pasted token
/// does not fill the screen.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(preset: Preset, form: FlowForm) -> Shared {
        Shared {
            preset,
            form,
            step: 4,
            seed: 4242,
            start_time: 1_767_225_600,
            agent: Vec::new(),
        }
    }

    fn defaults(preset: Preset) -> FlowForm {
        FlowForm::from_scenario(&preset.scenario())
    }

    /// Reads `link` back as the screen does, for `link`'s own flow.
    fn open(query: &str) -> (Opened, Shared) {
        let opened = Opened::parse(query);
        let preset = opened.preset.expect("the link names its flow");
        let form = opened.form(preset).expect("a share link sets the form up");
        let back = Shared {
            preset,
            form,
            step: opened.step.unwrap(),
            seed: opened.seed.unwrap(),
            start_time: opened.start_time.unwrap(),
            agent: opened.agent.clone(),
        };
        (opened, back)
    }

    #[test]
    fn an_untouched_flow_gives_a_short_link_with_its_seed_and_start() {
        let link = shared(Preset::Spa, defaults(Preset::Spa)).to_query(false);
        assert_eq!(link, "flow=spa&step=5&seed=4242&start=1767225600");
    }

    #[test]
    fn every_setting_of_every_flow_round_trips_through_a_link() {
        for preset in Preset::ALL {
            let mut form = defaults(preset);
            for field in TextField::ALL {
                // Spaces, line breaks and the characters a query gives a
                // meaning to, all of which must come back as typed.
                let typed = format!("{} a&b=c+d%e#f ?/:@,\nx", param(field.id()));
                form.texts.insert(field, typed);
            }
            for field in CheckField::ALL {
                let flipped = !form.check(field);
                form.checks.insert(field, flipped);
            }
            for field in ChoiceField::ALL {
                let other = field
                    .options()
                    .iter()
                    .map(|(value, _)| *value)
                    .find(|value| *value != form.choice(field))
                    .unwrap();
                form.choices.insert(field, other.to_owned());
            }
            form.withheld_scopes = ["write", "email"].into();
            // The tab keeps it in the same words.
            let kept = Opened::parse(&stored_form(preset, &form)).form(preset);
            assert_eq!(kept.as_ref(), Some(&form), "{preset:?}");
            let sent = shared(preset, form);
            let (opened, back) = open(&sent.to_query(true));
            assert_eq!(back, sent, "{preset:?}");
            assert_eq!(opened.not_understood, Vec::<String>::new(), "{preset:?}");
        }
    }

    #[test]
    fn an_untouched_form_is_kept_as_nothing_and_read_back_as_the_flow_comes() {
        for preset in Preset::ALL {
            assert_eq!(stored_form(preset, &defaults(preset)), "", "{preset:?}");
        }
        assert_eq!(Opened::parse("").form(Preset::Spa), None);
    }

    #[test]
    fn a_link_names_only_what_differs_with_readable_values() {
        let mut form = defaults(Preset::WebApp);
        form.texts
            .insert(TextField::RedirectUri, "https://attacker.example/cb".into());
        form.texts.insert(TextField::Scope, "read".into());
        form.checks.insert(CheckField::UsePkce, false);
        form.choices
            .insert(ChoiceField::AuthMethod, "client_secret_post".into());
        let link = shared(Preset::WebApp, form).to_query(false);
        assert_eq!(
            link,
            "flow=web-app&step=5&seed=4242&start=1767225600\
             &redirect_uri=https://attacker.example/cb&scope=read&use_pkce=no\
             &auth_method=client_secret_post"
        );
    }

    #[test]
    fn secrets_are_left_out_unless_asked_for_and_the_receiver_gets_the_flows_own() {
        let mut form = defaults(Preset::WebApp);
        form.texts
            .insert(TextField::ClientSecret, "typed-secret".into());
        form.texts
            .insert(TextField::RegisteredSecret, "held-secret".into());
        form.texts.insert(TextField::Password, "hunter2".into());
        form.texts.insert(TextField::Scope, "read".into());
        let sent = shared(Preset::WebApp, form.clone());
        assert_eq!(
            sent.changed_secrets(),
            [
                TextField::ClientSecret,
                TextField::RegisteredSecret,
                TextField::Password
            ]
        );

        let without = sent.to_query(false);
        for secret in [
            "typed-secret",
            "held-secret",
            "hunter2",
            "secret=",
            "password",
        ] {
            assert!(!without.contains(secret), "{secret} in {without}");
        }
        let (_, back) = open(&without);
        let own = defaults(Preset::WebApp);
        for field in [
            TextField::ClientSecret,
            TextField::RegisteredSecret,
            TextField::Password,
        ] {
            assert_eq!(back.form.text(field), own.text(field), "{field:?}");
        }
        assert_eq!(back.form.text(TextField::Scope), "read");

        let with = sent.to_query(true);
        assert!(with.contains("&client_secret=typed-secret"), "{with}");
        assert!(with.contains("&registered_secret=held-secret"), "{with}");
        assert!(with.contains("&password=hunter2"), "{with}");
        assert_eq!(open(&with).1, sent);
    }

    /// What the screen runs for a shared scenario, as raw HTTP text.
    fn run_bytes(shared: &Shared) -> String {
        let mut scenario = shared.form.scenario(shared.preset).expect("a valid form");
        scenario.seed = shared.seed;
        scenario.start_time = shared.start_time;
        let key = oauth_engine::keys::demo_signing_key().unwrap();
        let support = oauth_engine::sim::deployed::support(oauth_engine::jwa::ES256);
        let run = super::super::play(scenario, &key, Some(support));
        run.trace
            .iter()
            .map(|e| {
                format!(
                    "{}\n{}",
                    e.request.to_http_text(),
                    e.response.to_http_text()
                )
            })
            .collect()
    }

    #[test]
    fn a_link_keeps_the_agents_parameters_for_the_agents_code() {
        let sent = Shared {
            agent: vec![("agent_downstream".into(), "exchange".into())],
            ..shared(Preset::Agent, defaults(Preset::Agent))
        };
        let query = sent.to_query(false);
        assert!(query.ends_with("&agent_downstream=exchange"), "{query}");
        let (opened, back) = open(&query);
        assert_eq!(back, sent);
        assert!(opened.not_understood.is_empty());
        let only_agent = Opened::parse("flow=agent&agent_approve=no");
        assert!(only_agent.is_scenario());
    }

    #[test]
    fn a_link_without_secrets_replays_the_senders_run_byte_for_byte() {
        for preset in Preset::ALL.into_iter().filter(|preset| preset.uses_form()) {
            let mut form = defaults(preset);
            form.texts.insert(TextField::Scope, "read".into());
            form.texts
                .insert(TextField::AccessTokenLifetime, "900".into());
            let sent = shared(preset, form);
            let (_, back) = open(&sent.to_query(false));
            let bytes = run_bytes(&sent);
            // A token, as a JWT or (introspected) opaque: the run got far.
            assert!(bytes.contains("access_token"), "{preset:?} issues a token");
            assert_eq!(run_bytes(&back), bytes, "{preset:?}");
            // Another seed gives other bytes: the link's seed is what makes
            // them the same.
            let other = Shared { seed: 4243, ..back };
            assert_ne!(run_bytes(&other), bytes, "{preset:?}");
        }
    }

    #[test]
    fn untouched_secrets_are_not_named_as_changed() {
        assert!(
            shared(Preset::WebApp, defaults(Preset::WebApp))
                .changed_secrets()
                .is_empty()
        );
    }

    #[test]
    fn a_link_with_only_flow_and_step_leaves_the_tabs_form_alone() {
        let opened = Opened::parse("?flow=device&step=4");
        assert_eq!(opened.preset, Some(Preset::Device));
        assert_eq!(opened.step, Some(3));
        assert!(!opened.is_scenario());
        assert_eq!(opened.form(Preset::Device), None);
        assert_eq!(opened.note(), None);
    }

    #[test]
    fn a_scenario_link_without_settings_puts_the_flow_back_as_it_comes() {
        let opened = Opened::parse("flow=refresh&seed=9");
        assert!(opened.is_scenario());
        assert_eq!(
            opened.form(Preset::Refresh),
            Some(defaults(Preset::Refresh))
        );
        assert_eq!(opened.step, None);
        assert_eq!(opened.start_time, None);
    }

    #[test]
    fn invalid_values_are_left_out_and_named_once() {
        let opened = Opened::parse(
            "flow=spa&step=2&seed=7&start=1767225600&pkce_method=xyz&use_pkce=maybe\
             &colour=blue&scope=read",
        );
        assert_eq!(
            opened.not_understood,
            ["pkce_method=xyz", "use_pkce=maybe", "colour=blue"]
        );
        assert_eq!(
            opened.note().unwrap(),
            "The link's 'pkce_method=xyz', 'use_pkce=maybe' and 'colour=blue' were not \
             understood and were left out."
        );
        let form = opened.form(Preset::Spa).unwrap();
        assert_eq!(form.choice(ChoiceField::PkceMethod), "S256");
        assert!(form.check(CheckField::UsePkce));
        assert_eq!(form.text(TextField::Scope), "read");
    }

    #[test]
    fn one_parameter_left_out_is_named_in_the_singular() {
        assert_eq!(
            Opened::parse("pkce_method=xyz").note().unwrap(),
            "The link's 'pkce_method=xyz' was not understood and was left out."
        );
    }

    #[test]
    fn a_bad_flow_step_seed_or_start_is_left_out_not_guessed() {
        let opened = Opened::parse(
            "flow=implicit&step=0&seed=-1&start=99999999999999&step=two&seed=18446744073709551616",
        );
        assert_eq!(opened.preset, None);
        assert_eq!(opened.step, None);
        assert_eq!(opened.seed, None);
        assert_eq!(opened.start_time, None);
        assert_eq!(opened.not_understood.len(), 6);
        assert!(!opened.is_scenario());
    }

    #[test]
    fn the_largest_seed_and_the_last_start_time_are_taken() {
        let opened = Opened::parse("seed=18446744073709551615&start=253402300799");
        assert_eq!(opened.seed, Some(u64::MAX));
        assert_eq!(opened.start_time, Some(MAX_START_TIME));
    }

    #[test]
    fn broken_escapes_and_odd_shapes_never_panic() {
        for query in [
            "%",
            "a=%zz",
            "scope=%FF%FE",
            "=",
            "&&&",
            "flow",
            "step=",
            "=spa",
            "flow=spa=web-app",
            "withheld_scopes",
            "?",
            "??flow=spa",
            "é=ü",
        ] {
            let opened = Opened::parse(query);
            let _ = opened.note();
            let _ = opened.form(Preset::Spa);
        }
        let opened = Opened::parse("a=%zz&scope=%FF&flow=spa");
        assert_eq!(opened.not_understood, ["a=%zz", "scope=%FF"]);
        assert_eq!(opened.preset, Some(Preset::Spa));
    }

    #[test]
    fn a_long_value_is_cut_in_the_note() {
        let token = "x".repeat(500);
        let note = Opened::parse(&format!("token={token}")).note().unwrap();
        assert!(note.len() < 120, "{note}");
        assert!(note.contains("…"));
    }

    #[test]
    fn a_repeated_setting_takes_the_last_value() {
        let opened = Opened::parse("scope=read&scope=write");
        assert_eq!(
            opened.form(Preset::Spa).unwrap().text(TextField::Scope),
            "write"
        );
    }

    #[test]
    fn every_form_setting_has_its_own_parameter_name() {
        let mut names: Vec<String> = TextField::ALL.map(|f| param(f.id())).into();
        names.extend(CheckField::ALL.map(|f| param(f.id())));
        names.extend(ChoiceField::ALL.map(|f| param(f.id())));
        names.extend([WITHHELD_SCOPES, "flow", "step", "seed", "start"].map(str::to_owned));
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
