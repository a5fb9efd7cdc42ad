//! The in-page network: the addresses of the simulated parties, and the
//! one way a message travels between them. Each request goes to the party
//! at its origin and comes back as an exchange on the trace; the browser's
//! requests carry its cookies and move its address bar.

use super::attacker::AttackerServer;
use super::browser::Browser;
use super::client::Client;
use super::stop::Stop;
use super::trace::{Exchange, Party, RfcRef};
use crate::channel::Channel;
use crate::clock::SimulatedClock;
use crate::es256::Es256;
use crate::http::{Request, Response, Url};
use crate::resource::ResourceServer;
use crate::rng::Rng;
use crate::server::{AuthorizationServer, Front};

pub const AUTHORIZATION_SERVER: &str = "https://as.example";
pub const API: &str = "https://api.example";
/// The API endpoint every flow calls, and the scope it needs.
pub const API_PATH: &str = "/profile";
pub const API_SCOPE: &str = "read";

/// What a network calls after every exchange.
pub type Observer<'o> = Box<dyn FnMut(&Exchange) + 'o>;

/// The code for DPoP, PAR, `private_key_jwt`, introspection and
/// revocation, handed to a run (`Scenario::run_supported`) as function
/// pointers, so that a build can load it on demand (the app does, for the
/// Flow screen's scenarios that use it) and every other build leaves it
/// out. `sim::deployed::support` makes the one there is.
#[derive(Clone, Copy)]
pub struct Support {
    /// The P-256 functions the client signs with and the server and the
    /// API check signatures with: given, so that a build can take them from
    /// where it already has them (the app, from the JWT debugger's chunk).
    pub es256: Es256,
    /// Gives the server its extensions, the API its DPoP and introspection
    /// checks, and registers the client's public key.
    pub set_up: fn(&mut Network<'_>, &Client),
    /// Sends a request of the client's on the back channel, with its
    /// client assertion and DPoP proof, and again with the server's nonce
    /// if the server asks for one.
    pub client_sends: ClientSends,
    /// Pushes the client's authorization request (RFC 9126): returns the
    /// URL the browser is sent to instead, and why.
    pub push_request: PushRequest,
    /// The user signs out: the client revokes its tokens (RFC 7009).
    pub sign_out: fn(&mut Network<'_>, &mut Client) -> Result<(), Stop>,
    /// What the API does before it answers a request: ask the server about
    /// an opaque token (RFC 7662).
    pub before_api: fn(&mut Network<'_>, &Request),
}

/// See [`Support::push_request`].
pub type PushRequest = fn(&mut Network<'_>, &mut Client, &Url) -> Result<Pushed, Stop>;

/// Where the browser goes once the request is pushed, and why.
pub type Pushed = (Url, &'static str);

/// See [`Support::client_sends`].
pub type ClientSends =
    fn(&mut Network<'_>, &mut Client, Request, &str, &[RfcRef]) -> Result<Response, Stop>;

/// The in-page network: routes each request to the party at its origin
/// and records the exchange.
pub struct Network<'o> {
    /// Simulated time: it moves only when a flow lets time pass.
    pub clock: SimulatedClock,
    /// Owned, or a caller's borrowed for the run (`Box::new(&mut rng)`).
    pub rng: Box<dyn Rng + 'o>,
    pub server: AuthorizationServer,
    pub api: ResourceServer,
    pub(in crate::sim) client_origin: String,
    /// Everything the attacker controls: requests to its origins reach it.
    pub attacker: AttackerServer,
    /// What the client's origin answers to the next request, instead of
    /// its usual page: a callback the client refuses, or a page a user
    /// uploaded there. Used once.
    pub next_client_page: Option<Response>,
    pub trace: Vec<Exchange>,
    /// Called after every exchange: a benchmark times the steps with it.
    pub observer: Option<Observer<'o>>,
    /// The code for DPoP, PAR and the rest, if the run was given it.
    pub support: Option<Support>,
    /// Set when the client runs in the page: its requests to another
    /// origin then go through the browser's CORS protocol, and the servers
    /// answer with their CORS layer.
    pub page: Option<Box<dyn Page>>,
    /// What stands in front of the authorization server, if anything: the
    /// single sign-on that answers `prompt=none` (`server::SingleSignOn`).
    pub front: Option<Box<dyn Front>>,
    /// Parties beyond the four, each at its own URLs (`sim::hosts`): an
    /// MCP tool server, a document a client publishes. Several are chained
    /// into one (`add_host`).
    pub hosts: Option<Box<dyn Host + 'o>>,
    /// What the network does before the authorization server answers a
    /// request, when the server was offered something that needs it:
    /// fetch a client's metadata document
    /// (`hosts::fetch_client_document`). A function pointer, so that the
    /// runs that never set it leave its code out.
    pub before_server: Option<fn(&mut Network<'_>, &Request)>,
}

/// A party beyond the four on the network, as a trait object, so that the
/// runs that never have one leave its code out.
pub trait Host {
    /// The party `url` reaches, on the trace, if `url` is this host's.
    fn serves(&self, url: &Url) -> Option<Party>;

    /// The host's answer to `request`. The hosts are out of the `network`
    /// while it answers: it may send requests of its own to the four
    /// parties first (a tool server calling the API for the user), which
    /// the trace then shows before the exchange they serve.
    fn handle(&mut self, network: &mut Network<'_>, request: &Request) -> Response;
}

/// A client that runs in the page (`page_fetch::PageCors`), handed to the
/// network by the run whose scenario has one, as a trait object, so that
/// the runs that never have one (the attack lab's) leave its code out.
pub trait Page {
    /// The page's `fetch` of `request`, recorded on `network`'s trace: the
    /// answer the page may read, or a network error (status 0) when the
    /// browser keeps it from the page.
    fn fetch(
        &mut self,
        network: &mut Network<'_>,
        channel: Channel,
        request: Request,
        explanation: &str,
        rfc_refs: &[RfcRef],
    ) -> Response;

    /// The CORS layer in front of the server at `to`, around `handle`, its
    /// answer to `request`.
    fn layer(&self, to: Party, request: &Request, handle: &mut dyn FnMut() -> Response)
    -> Response;

    /// Why the browser kept the last answer from the page, once.
    fn take_refusal(&mut self) -> Option<String>;
}

impl<'o> Network<'o> {
    /// A network with the two servers and a client whose pages are at
    /// `client_origin`, at `clock`'s time, with an attacker who does
    /// nothing until an attack gives it something to do, and no trace yet.
    pub fn new(
        clock: SimulatedClock,
        rng: Box<dyn Rng + 'o>,
        server: AuthorizationServer,
        api: ResourceServer,
        client_origin: String,
    ) -> Self {
        Self {
            clock,
            rng,
            server,
            api,
            client_origin,
            attacker: AttackerServer::default(),
            next_client_page: None,
            trace: Vec::new(),
            observer: None,
            support: None,
            page: None,
            front: None,
            hosts: None,
            before_server: None,
        }
    }

    /// Puts `host` on the network, beside the hosts it has: a request goes
    /// to the first that serves its URL.
    pub fn add_host(&mut self, host: Box<dyn Host + 'o>) {
        self.hosts = Some(match self.hosts.take() {
            Some(earlier) => Box::new(super::hosts::Chain(earlier, host)),
            None => host,
        });
    }

    /// Gives the run `support` and lets it set up the parties for it: the
    /// server's extensions, the API's checks, the client's public key.
    /// What every run given the support does first, before any exchange.
    pub fn give_support(&mut self, support: Support, client: &Client) {
        self.support = Some(support);
        (support.set_up)(self, client);
    }

    pub(in crate::sim) fn party_at(&self, url: &Url) -> Party {
        // First: an app that claimed the client's URI scheme gets the
        // redirect instead of the client (RFC 8252 section 8.1).
        if self.attacker.answers(url) {
            Party::Attacker
        } else if let Some(party) = self.hosts.as_ref().and_then(|hosts| hosts.serves(url)) {
            party
        } else if url.origin == AUTHORIZATION_SERVER {
            Party::AuthorizationServer
        } else if url.origin == API {
            Party::ResourceServer
        } else if url.origin == self.client_origin {
            Party::Client
        } else {
            Party::ThirdParty
        }
    }

    /// Sends `request` from `from`, records it, and returns the response.
    /// `navigates` marks a top-level navigation of the browser; the flows
    /// pass true only through the helper that also moves the browser, so
    /// the trace and the browser cannot disagree. A request of a client in
    /// the page to another origin is the page's `fetch`, under CORS
    /// ([`Page::fetch`]).
    pub fn send(
        &mut self,
        from: Party,
        channel: Channel,
        navigates: bool,
        mut request: Request,
        explanation: impl Into<String>,
        rfc_refs: &[RfcRef],
    ) -> Response {
        if from == Party::Client
            && request.url.origin != self.client_origin
            && let Some(mut page) = self.page.take()
        {
            let explanation: String = explanation.into();
            let response = page.fetch(self, channel, request, &explanation, rfc_refs);
            self.page = Some(page);
            return response;
        }
        // The fragment is never sent: the request target is the path and
        // query only (RFC 3986 section 3.5, RFC 9112 section 3.2). A
        // navigation keeps it in the address bar, so the trace keeps it
        // beside the request.
        let fragment = request.url.fragment.take().filter(|_| navigates);
        let page = self.page.take();
        let response = self.route(&request, page.as_deref());
        self.page = page;
        self.record(Exchange {
            from,
            to: self.party_at(&request.url),
            channel,
            request,
            response: response.clone(),
            navigates,
            fragment,
            at: self.clock.now(),
            explanation: explanation.into(),
            rfc_refs: rfc_refs.to_vec(),
        });
        response
    }

    /// Why the browser kept the last answer from the page, if it did: the
    /// flow stops there, as the app's `fetch` rejects.
    pub fn refused_to_page(&mut self) -> Result<(), Stop> {
        match self.page.as_mut().and_then(|page| page.take_refusal()) {
            Some(message) => Err(Stop::BlockedByCors(message)),
            None => Ok(()),
        }
    }

    /// The answer of the party at `request`'s origin, through the servers'
    /// CORS layer when the client runs in the `page`, which is out of the
    /// network while the party answers: it may send requests of its own
    /// (the API's introspection), server to server.
    pub(in crate::sim) fn route(&mut self, request: &Request, page: Option<&dyn Page>) -> Response {
        let to = self.party_at(&request.url);
        if to == Party::AuthorizationServer
            && let Some(before) = self.before_server
        {
            before(self, request);
        }
        let hosted = !self.attacker.answers(&request.url)
            && (self.hosts.as_ref()).is_some_and(|hosts| hosts.serves(&request.url).is_some());
        let mut handle = || match to {
            // The hosts are out of the network while one answers: its own
            // requests reach the four parties, not another host.
            _ if hosted => {
                let mut hosts = self.hosts.take();
                let answer = (hosts.as_mut())
                    .map_or_else(|| Response::new(404), |hosts| hosts.handle(self, request));
                self.hosts = hosts;
                answer
            }
            Party::AuthorizationServer => match &mut self.front {
                Some(front) => {
                    front.handle(&mut self.server, request, self.clock.now(), &mut *self.rng)
                }
                None => self
                    .server
                    .handle(request, self.clock.now(), &mut *self.rng),
            },
            Party::ResourceServer => {
                if let Some(support) = self.support {
                    (support.before_api)(self, request);
                }
                let server = &self.server;
                self.api.handle(request, self.clock.now(), |jti| {
                    server.is_access_token_revoked(jti)
                })
            }
            // The client's page: a static app that reads its own URL.
            Party::Client => self.next_client_page.take().unwrap_or_else(|| {
                Response::new(200)
                    .with_header("Content-Type", "text/html; charset=utf-8")
                    .with_body("<!doctype html><title>App</title><p>Signing you in…</p>")
            }),
            Party::Attacker => self.attacker.handle(request),
            // A third-party script, which reports the page it runs on.
            Party::ThirdParty if request.url.path.ends_with(".js") => Response::new(200)
                .with_header("Content-Type", "text/javascript")
                .with_body(
                    "new Image().src = '/collect?page=' + encodeURIComponent(location.href);",
                ),
            Party::Browser | Party::ThirdParty | Party::ToolServer => Response::new(204),
        };
        match page {
            Some(page) => page.layer(to, request, &mut handle),
            None => handle(),
        }
    }

    /// Keeps `exchange` on the trace, after showing it to the observer.
    pub(in crate::sim) fn record(&mut self, exchange: Exchange) {
        if let Some(observer) = &mut self.observer {
            observer(&exchange);
        }
        self.trace.push(exchange);
    }
}

/// A top-level navigation: the browser's address bar changes to the
/// request's URL and history gains it, and the exchange is recorded as a
/// navigation. The only way a flow moves the browser, so the trace's
/// `navigates` and the browser's history always agree.
pub fn navigate(
    network: &mut Network<'_>,
    browser: &mut Browser,
    request: Request,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let request = Request {
        url: request.url.without_dot_segments(),
        ..request
    };
    browser.visit(&request.url);
    from_browser(network, browser, request, true, explanation, rfc_refs)
}

/// A request from the browser: it carries the browser's cookies for the
/// target's origin, and the browser keeps any cookie the response sets.
pub fn from_browser(
    network: &mut Network<'_>,
    browser: &mut Browser,
    request: Request,
    navigates: bool,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    // A browser resolves `.` and `..` before it sends anything (RFC 3986
    // section 5.2.4).
    let request = Request {
        url: request.url.without_dot_segments(),
        ..request
    };
    let url = request.url.clone();
    let response = network.send(
        Party::Browser,
        Channel::Front,
        navigates,
        browser.with_cookies(request),
        explanation,
        rfc_refs,
    );
    browser.accept_cookies(&url, &response);
    response
}

/// The attacker's own browser, on the front channel: its requests carry
/// its own cookies, never the victim's.
pub fn attacker_browses(
    network: &mut Network<'_>,
    own_browser: &mut Browser,
    request: Request,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let url = request.url.clone();
    let response = network.send(
        Party::Attacker,
        Channel::Front,
        false,
        own_browser.with_cookies(request),
        explanation,
        rfc_refs,
    );
    own_browser.accept_cookies(&url, &response);
    response
}
