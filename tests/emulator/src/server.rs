//! The emulator's HTTP server.
//!
//! [`State::route`] maps a parsed [`Request`] to a [`Reply`] description
//! without touching sockets, so routing, headers, conditional requests and
//! fault selection are unit-testable. The connection layer below it only
//! writes replies to the wire (including the deliberately broken deliveries
//! of the fault modes) with one thread per connection, so a slow or hanging
//! response never blocks other requests.

use crate::assets::{content_type, cover_png, cover_svg, resolve_static};
use crate::generator::{generate_feed, generate_shop_feed};
use crate::graphql::{self, GqlRequest, Graphql, ShopData};
use crate::http::{self, percent_decode, Request};
use crate::shops::{shop_list, shop_name};
use crate::squarespace::{self, PageOptions, Squarespace};
use cg_core::deploy::{configure_page, DeployError};
use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long an idle keep-alive connection is kept before we drop it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for `fault=hang`, so a forgotten request cannot pin a thread.
const HANG_LIMIT: Duration = Duration::from_secs(60);
/// Upper bound for `fault=delay-MS`.
const MAX_DELAY_MS: u64 = 120_000;
/// `fault=slow` writes this many bytes per step...
const SLOW_CHUNK: usize = 16 * 1024;
/// ...and pauses this long between steps.
const SLOW_PAUSE: Duration = Duration::from_millis(50);
/// Connections served at once; beyond this new ones get a 503.
const MAX_CONNECTIONS: usize = 512;
/// Request-log entries kept (oldest dropped first).
const MAX_LOG: usize = 20_000;
/// Deploys kept by `PUT /__deploys/{name}`, at most.
const MAX_DEPLOYS: usize = 10_000;
/// Largest `/feeds/gen/{N}.json` we generate (4x the spec's 50,000 cap).
const MAX_GENERATED_ITEMS: usize = 200_000;
/// Items in the feed of a `--removed-shop` that is not also a `--shop`.
pub const REMOVED_SHOP_ITEMS: usize = 100;
/// Request headers copied into the request log.
const LOGGED_HEADERS: &[&str] = &[
    "origin",
    "if-modified-since",
    "accept-encoding",
    "authorization",
    "content-type",
    "commonground-origin",
    "referer",
];

/// Server settings (the `serve` CLI flags).
#[derive(Debug, Clone)]
pub struct Config {
    /// Interface to bind, e.g. `127.0.0.1`.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Directory served for any other GET path, if set.
    pub static_dir: Option<PathBuf>,
    /// Registered shops as `(shop id, item count)`.
    pub shops: Vec<(u64, usize)>,
    /// Base seed; each shop's feed seed is derived from it and the shop id.
    pub seed: u64,
    /// Print one line per request to stderr.
    pub verbose: bool,
    /// GraphQL Client API: `commonground-origin` values and the shop each
    /// maps to (`--origin DOMAIN=SHOPID`).
    pub origins: Vec<(String, u64)>,
    /// Lifetime of a GraphQL session (JWT), in milliseconds.
    pub session_ttl_ms: u64,
    /// Shops listed in the shop list's `toRemove` (their feeds are still
    /// served: a `--shop` count, else [`REMOVED_SHOP_ITEMS`] items).
    pub removed_shops: Vec<u64>,
    /// Shops listed in the shop list whose feed answers 404.
    pub missing_shops: Vec<u64>,
    /// Bearer token `/inventory/dumps/list` requires.
    pub partner_token: String,
    /// Bearer key the emulated Squarespace API requires.
    pub squarespace_key: String,
    /// Variants in the emulated Squarespace inventory.
    pub squarespace_items: usize,
    /// The standalone page's deploy configuration (`--page-config`): a
    /// JSON object of settings written into `index.html` from
    /// `static_dir` when `/` or `/index.html` is served. `{origin}` in it
    /// stands for the server's own `http://localhost:PORT`.
    pub page_config: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_string(),
            port: 8080,
            static_dir: None,
            shops: vec![(1234, 5000)],
            seed: 42,
            verbose: false,
            origins: vec![("www.my-vinyl-store.com".to_string(), 1234)],
            session_ttl_ms: 3_600_000,
            removed_shops: Vec::new(),
            missing_shops: Vec::new(),
            partner_token: "partner-secret-token".to_string(),
            squarespace_key: "squarespace-secret-key".to_string(),
            squarespace_items: 120,
            page_config: None,
        }
    }
}

/// How a reply's bytes go onto the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Headers and the whole body.
    Normal,
    /// Full Content-Length announced, half the body sent, then the
    /// connection is closed.
    Truncate,
    /// The body in 16 KiB steps with 50 ms pauses.
    Slow,
    /// Full Content-Length announced, half the body sent, then nothing more
    /// until the client gives up (a download that stalls midway).
    Stall,
    /// Nothing is sent until the client disconnects (at most 60 s), then the
    /// connection is closed without a response.
    Hang,
}

/// A response description produced by the router.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (Content-Length, Date and Connection are added by
    /// the connection layer).
    pub headers: Vec<(String, String)>,
    /// Body bytes; shared so cached feeds are never copied per request.
    pub body: Arc<Vec<u8>>,
    /// How the body is delivered.
    pub delivery: Delivery,
    /// Wait this long before responding (`fault=delay-MS`).
    pub delay: Option<Duration>,
}

impl Reply {
    pub(crate) fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Arc::new(Vec::new()),
            delivery: Delivery::Normal,
            delay: None,
        }
    }

    pub(crate) fn with_body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut r = Self::new(status).header("Content-Type", content_type);
        r.body = Arc::new(body.into());
        r
    }

    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self::with_body(status, "application/json", value.to_string())
    }

    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::json(status, &json!({ "error": message }))
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// First value of a response header, by case-insensitive name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Fault modes requested with `?fault=` (comma-separated or repeated).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Faults {
    /// `status-NNN`
    pub status: Option<u16>,
    /// `truncate`
    pub truncate: bool,
    /// `slow`
    pub slow: bool,
    /// `delay-MS`
    pub delay: Option<Duration>,
    /// `no-cors`
    pub no_cors: bool,
    /// `not-json`
    pub not_json: bool,
    /// `hang`
    pub hang: bool,
    /// `stall`
    pub stall: bool,
    /// `max-age-SECS`: a cacheable reply (`Cache-Control: max-age`), as the
    /// real CDN sends (about an hour), instead of `no-cache`.
    pub max_age: Option<u64>,
}

impl Faults {
    /// Parses the `fault` query parameters of a request.
    pub fn from_request(req: &Request) -> Result<Faults, String> {
        Self::from_values(&req.query_values("fault"))
    }

    /// Parses `fault` values (each possibly comma-separated).
    pub fn from_values(values: &[String]) -> Result<Faults, String> {
        let mut f = Faults::default();
        for value in values {
            for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match name {
                    "truncate" => f.truncate = true,
                    "slow" => f.slow = true,
                    "no-cors" => f.no_cors = true,
                    "not-json" => f.not_json = true,
                    "hang" => f.hang = true,
                    "stall" => f.stall = true,
                    _ => {
                        if let Some(code) = name.strip_prefix("status-") {
                            match code.parse::<u16>() {
                                // 1xx would be read as an interim response.
                                Ok(c) if (200..=599).contains(&c) => f.status = Some(c),
                                _ => return Err(format!("bad fault status: {name}")),
                            }
                        } else if let Some(secs) = name.strip_prefix("max-age-") {
                            f.max_age = Some(
                                secs.parse()
                                    .map_err(|_| format!("bad fault max-age: {name}"))?,
                            );
                        } else if let Some(ms) = name.strip_prefix("delay-") {
                            let ms: u64 =
                                ms.parse().map_err(|_| format!("bad fault delay: {name}"))?;
                            f.delay = Some(Duration::from_millis(ms.min(MAX_DELAY_MS)));
                        } else {
                            return Err(format!("unknown fault: {name}"));
                        }
                    }
                }
            }
        }
        Ok(f)
    }

    /// These faults plus `other`'s (a switch set by either is on).
    fn merged(self, other: Faults) -> Faults {
        Faults {
            status: self.status.or(other.status),
            truncate: self.truncate || other.truncate,
            slow: self.slow || other.slow,
            delay: self.delay.or(other.delay),
            no_cors: self.no_cors || other.no_cors,
            not_json: self.not_json || other.not_json,
            hang: self.hang || other.hang,
            stall: self.stall || other.stall,
            max_age: self.max_age.or(other.max_age),
        }
    }

    /// The reply of a fault that replaces the content altogether (status,
    /// hang, not-json), if one was asked for.
    fn preempt(&self) -> Option<Reply> {
        if let Some(code) = self.status {
            Some(Reply::with_body(
                code,
                "text/plain; charset=utf-8",
                format!("injected fault: status {code}\n"),
            ))
        } else if self.hang {
            let mut r = Reply::new(200);
            r.delivery = Delivery::Hang;
            Some(r)
        } else if self.not_json {
            Some(Reply::with_body(
                200,
                "text/html; charset=utf-8",
                "<html>oops</html>",
            ))
        } else {
            None
        }
    }
}

/// A feed body with its lazily built gzip and its modification time.
struct Feed {
    json: Arc<Vec<u8>>,
    gzip: OnceLock<Arc<Vec<u8>>>,
    last_modified: SystemTime,
}

impl Feed {
    fn new(json: Vec<u8>, last_modified: SystemTime) -> Self {
        Self {
            json: Arc::new(json),
            gzip: OnceLock::new(),
            last_modified,
        }
    }

    /// The gzip of the body, compressed once on first use.
    fn gzip(&self) -> Arc<Vec<u8>> {
        self.gzip
            .get_or_init(|| {
                let mut enc = GzEncoder::new(
                    Vec::with_capacity(self.json.len() / 4),
                    Compression::default(),
                );
                enc.write_all(&self.json)
                    .expect("writing to a Vec cannot fail");
                Arc::new(enc.finish().expect("writing to a Vec cannot fail"))
            })
            .clone()
    }
}

/// A feed that is generated on first request and then cached.
type LazyFeed = Arc<OnceLock<Arc<Feed>>>;

/// A registered shop: its item count, its feed (generated on first use)
/// and the parsed feed the GraphQL API answers from.
#[derive(Default)]
struct ShopEntry {
    items: usize,
    feed: LazyFeed,
    parsed: OnceLock<Arc<ShopData>>,
}

/// "Fail the next N requests" state of an emulated API
/// (`/__graphql/fail-next`, `/__squarespace/fail-next`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailNext {
    /// Status to answer with (ignored when `hang`).
    pub status: u16,
    /// Never answer instead.
    pub hang: bool,
    /// Requests still to fail.
    pub remaining: u32,
    /// Wait this long before answering (`&delay=MS`).
    pub delay_ms: u64,
}

impl Default for FailNext {
    fn default() -> Self {
        Self {
            status: 500,
            hang: false,
            remaining: 0,
            delay_ms: 0,
        }
    }
}

impl FailNext {
    /// Parses `?status=NNN&count=N&hang=1&delay=MS` (defaults: 500, 1, no hang, no delay).
    pub fn from_request(req: &Request) -> Result<Self, String> {
        let first = |k: &str| req.query_values(k).into_iter().next();
        let status = match first("status") {
            None => 500,
            Some(v) => match v.parse::<u16>() {
                Ok(c) if (200..=599).contains(&c) => c,
                _ => return Err(format!("status must be 200-599, got {v}")),
            },
        };
        let remaining = match first("count") {
            None => 1,
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| format!("count must be a number, got {v}"))?,
        };
        let hang = first("hang").is_some_and(|v| matches!(v.as_str(), "1" | "true" | ""));
        let delay_ms = match first("delay") {
            None => 0,
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| format!("delay must be a number of ms, got {v}"))?
                .min(MAX_DELAY_MS),
        };
        Ok(Self {
            status,
            hang,
            remaining,
            delay_ms,
        })
    }

    /// Consumes one failure if any is pending.
    fn take(cell: &Mutex<FailNext>) -> Option<FailNext> {
        let mut f = lock(cell);
        (f.remaining > 0).then(|| {
            f.remaining -= 1;
            *f
        })
    }

    fn to_json(self) -> Value {
        json!({ "status": self.status, "hang": self.hang, "count": self.remaining })
    }

    /// The reply a pending failure produces.
    fn reply(self) -> Reply {
        if self.hang {
            let mut r = Reply::new(200);
            r.delivery = Delivery::Hang;
            r
        } else {
            let mut r = Reply::with_body(
                self.status,
                "text/plain; charset=utf-8",
                format!("injected fault: status {}\n", self.status),
            );
            r.delay = (self.delay_ms > 0).then(|| Duration::from_millis(self.delay_ms));
            r
        }
    }
}

/// Shared server state: configuration, feed caches, stored custom feeds and
/// the request log.
pub struct State {
    config: Config,
    base_url: String,
    started: SystemTime,
    shops: HashMap<u64, ShopEntry>,
    generated: Mutex<HashMap<usize, LazyFeed>>,
    stored: Mutex<HashMap<String, Arc<Feed>>>,
    log: Mutex<VecDeque<Value>>,
    log_seq: AtomicU64,
    shutdown: AtomicBool,
    active: AtomicUsize,
    next_conn: AtomicU64,
    connections: Mutex<HashMap<u64, TcpStream>>,
    graphql: Graphql,
    graphql_fail: Mutex<FailNext>,
    /// The operation (`operationName`) the pending GraphQL failures are
    /// for; any operation when `None`.
    graphql_fail_operation: Mutex<Option<String>>,
    /// Shop list: published ids (in list order) and ids to remove.
    listed: Vec<u64>,
    removed: Vec<u64>,
    shop_list: OnceLock<Arc<Feed>>,
    /// `http://localhost:PORT`: host of shop storefronts and logos.
    local_base: String,
    squarespace: Squarespace,
    squarespace_fail: Mutex<FailNext>,
    /// Faults for the next requests of a feed path (`/__faults`): the
    /// faults and how many requests are still to get them.
    path_faults: Mutex<HashMap<String, (Faults, u32)>>,
    /// Configured copies of the standalone page (`PUT /__deploys/{name}`):
    /// each deploy's configuration, `{origin}` already filled in.
    deploys: Mutex<HashMap<String, String>>,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the
/// critical sections here never leave the data half-updated.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whole seconds only: HTTP dates have no sub-second part, and comparing
/// If-Modified-Since against a finer time would never match.
fn truncate_to_secs(t: SystemTime) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

impl State {
    /// Creates the state for a server whose own URL is `base_url` (used as
    /// the image base of generated feeds).
    pub fn new(config: Config, base_url: &str) -> Self {
        let mut shops: HashMap<u64, ShopEntry> = config
            .shops
            .iter()
            .map(|&(id, n)| {
                (
                    id,
                    ShopEntry {
                        items: n,
                        ..ShopEntry::default()
                    },
                )
            })
            .collect();
        for &id in &config.removed_shops {
            shops.entry(id).or_insert_with(|| ShopEntry {
                items: REMOVED_SHOP_ITEMS,
                ..ShopEntry::default()
            });
        }
        for id in &config.missing_shops {
            shops.remove(id);
        }
        let mut removed: Vec<u64> = Vec::new();
        for &id in &config.removed_shops {
            if !removed.contains(&id) {
                removed.push(id);
            }
        }
        let mut listed: Vec<u64> = Vec::new();
        let candidates = config
            .shops
            .iter()
            .map(|s| s.0)
            .filter(|id| !config.missing_shops.contains(id));
        for id in candidates.chain(config.missing_shops.iter().copied()) {
            if !removed.contains(&id) && !listed.contains(&id) {
                listed.push(id);
            }
        }
        let base_url = base_url.trim_end_matches('/');
        let port = base_url
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok());
        let local_base = port.map_or_else(
            || "http://localhost".to_string(),
            |p| format!("http://localhost:{p}"),
        );
        let graphql = Graphql::new(config.origins.clone(), config.session_ttl_ms);
        let squarespace = Squarespace::new(config.squarespace_items, config.seed);
        Self {
            graphql,
            graphql_fail: Mutex::default(),
            graphql_fail_operation: Mutex::default(),
            listed,
            removed,
            shop_list: OnceLock::new(),
            local_base,
            squarespace,
            squarespace_fail: Mutex::default(),
            path_faults: Mutex::default(),
            deploys: Mutex::default(),
            config,
            base_url: base_url.to_string(),
            started: truncate_to_secs(SystemTime::now()),
            shops,
            generated: Mutex::default(),
            stored: Mutex::default(),
            log: Mutex::default(),
            log_seq: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            next_conn: AtomicU64::new(0),
            connections: Mutex::default(),
        }
    }

    /// The fixed Last-Modified of generated feeds (server start, whole seconds).
    pub fn started(&self) -> SystemTime {
        self.started
    }

    /// Routes a request and records it in the request log (except the log's
    /// own control endpoints).
    pub fn handle(&self, req: &Request) -> Reply {
        let reply = self.route(req);
        let path = req.path();
        if path != "/__log" && path != "/__reset" && !path.starts_with("/__deploys/") {
            self.record(req, &reply);
        }
        if self.config.verbose {
            eprintln!(
                "{} {} -> {} {:?}",
                req.method, req.target, reply.status, reply.delivery
            );
        }
        reply
    }

    fn record(&self, req: &Request, reply: &Reply) {
        let headers: serde_json::Map<String, Value> = LOGGED_HEADERS
            .iter()
            .filter_map(|h| req.header(h).map(|v| (h.to_string(), Value::from(v))))
            .collect();
        let mut entry = json!({
            "seq": self.log_seq.fetch_add(1, Ordering::Relaxed),
            "method": req.method,
            "path": req.target,
            "headers": headers,
            // A hanging request never gets a status.
            "status": (reply.delivery != Delivery::Hang).then_some(reply.status),
        });
        if req.path() == "/graphql" && req.method != "OPTIONS" {
            // Tests assert the variables the client sent (JSON when it is
            // JSON, else the text as received).
            entry["body"] = serde_json::from_slice(&req.body)
                .unwrap_or_else(|_| Value::from(String::from_utf8_lossy(&req.body).into_owned()));
        }
        let mut log = lock(&self.log);
        if log.len() >= MAX_LOG {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Maps a request to a reply. No socket I/O; the only side effects are
    /// on the emulator's own state (stored feeds, log reset, feed caches).
    pub fn route(&self, req: &Request) -> Reply {
        if req.method == "OPTIONS" {
            return if req.path() == "/graphql" {
                graphql_cors(req, Reply::new(204))
            } else {
                preflight(req)
            };
        }
        let method = req.method.as_str();
        let readable = method == "GET" || method == "HEAD";
        let segments: Vec<&str> = req.path().trim_start_matches('/').split('/').collect();

        let (reply, cors) = match segments.as_slice() {
            ["__log"] if readable => (self.log_reply(), true),
            ["__reset"] if method == "POST" => {
                lock(&self.log).clear();
                lock(&self.stored).clear();
                self.graphql.reset();
                *lock(&self.graphql_fail) = FailNext::default();
                *lock(&self.graphql_fail_operation) = None;
                self.squarespace.reset();
                *lock(&self.squarespace_fail) = FailNext::default();
                lock(&self.path_faults).clear();
                (Reply::new(204), true)
            }
            ["inventory", "dumps", "list"] if readable => {
                // The real API: token required, and no CORS so a browser
                // can never read it (the token must not reach one).
                if bearer(req) == Some(self.config.partner_token.as_str()) {
                    (
                        Reply::json(200, &self.shop_list_json())
                            .header("Cache-Control", "no-store"),
                        false,
                    )
                } else {
                    (
                        Reply::error(401, "unauthorized").header("WWW-Authenticate", "Bearer"),
                        false,
                    )
                }
            }
            ["partner", "shops.json"] if readable => {
                self.feed_route(req, || Some(self.shop_list_feed()), "not found")
            }
            ["store", id, ..] if readable => (storefront(id, req.path()), true),
            ["squarespace", "1.0", "commerce", "inventory"] if readable => {
                self.squarespace_route(req, false)
            }
            ["proxy", "squarespace", "inventory"] if readable => self.squarespace_route(req, true),
            ["__squarespace", "stale-cursor"] if method == "POST" => {
                self.squarespace.arm_stale_cursor();
                (Reply::json(200, &self.squarespace_state()), true)
            }
            ["__squarespace", "loop"] if method == "POST" => {
                self.squarespace.set_loop();
                (Reply::json(200, &self.squarespace_state()), true)
            }
            ["__squarespace", "fail-next"] if method == "POST" => match FailNext::from_request(req)
            {
                Ok(f) => {
                    *lock(&self.squarespace_fail) = f;
                    (Reply::json(200, &json!({ "failNext": f.to_json() })), true)
                }
                Err(msg) => (Reply::error(400, &msg), true),
            },
            ["__squarespace", "state"] if readable => (
                Reply::json(200, &self.squarespace_state()).header("Cache-Control", "no-store"),
                true,
            ),
            ["graphql"] if method == "POST" => (graphql_cors(req, self.graphql_route(req)), false),
            ["graphql"] => (
                graphql_cors(
                    req,
                    Reply::error(405, "method not allowed").header("Allow", "POST, OPTIONS"),
                ),
                false,
            ),
            ["__graphql", "expire-sessions"] if method == "POST" => (
                Reply::json(200, &json!({ "expired": self.graphql.expire_sessions() })),
                true,
            ),
            ["__graphql", "sold-out", id] if method == "POST" => match id.parse::<u64>() {
                Ok(id) => {
                    self.graphql.sell_out(id);
                    (Reply::json(200, &json!({ "soldOut": id })), true)
                }
                Err(_) => (Reply::error(400, "listing id must be a number"), true),
            },
            ["__graphql", "fail-next"] if method == "POST" => match FailNext::from_request(req) {
                Ok(f) => {
                    *lock(&self.graphql_fail) = f;
                    let operation = req
                        .query_values("operation")
                        .into_iter()
                        .next()
                        .filter(|o| !o.is_empty());
                    *lock(&self.graphql_fail_operation) = operation.clone();
                    (
                        Reply::json(
                            200,
                            &json!({ "failNext": f.to_json(), "operation": operation }),
                        ),
                        true,
                    )
                }
                Err(msg) => (Reply::error(400, &msg), true),
            },
            ["__graphql", "state"] if readable => (
                Reply::json(200, &self.graphql.state()).header("Cache-Control", "no-store"),
                true,
            ),
            ["__faults"] if method == "POST" => (self.arm_path_faults(req), true),
            ["__deploys", name] if method == "PUT" || method == "POST" => {
                (self.deploy(&percent_decode(name, false), req), true)
            }
            ["deploys", name] if readable => {
                // The page's relative asset URLs need the trailing slash.
                let query = req
                    .target
                    .split_once('?')
                    .map_or(String::new(), |(_, q)| format!("?{q}"));
                (
                    Reply::new(308).header("Location", format!("/deploys/{name}/{query}")),
                    true,
                )
            }
            ["deploys", name, rest @ ..] if readable => {
                let name = percent_decode(name, false);
                match lock(&self.deploys).get(&name).cloned() {
                    None => (Reply::error(404, "no such deploy"), true),
                    Some(config) if matches!(rest, [""] | ["index.html"]) => {
                        (self.configured_page(&config), true)
                    }
                    Some(_) => (self.static_reply(&format!("/{}", rest.join("/"))), true),
                }
            }
            [""] | ["index.html"]
                if readable
                    && self.config.page_config.is_some()
                    && self.config.static_dir.is_some() =>
            {
                let config = self.fill_origin(self.config.page_config.as_deref().unwrap_or("{}"));
                (self.configured_page(&config), true)
            }
            ["__feeds", name] if !name.is_empty() && (method == "PUT" || method == "POST") => {
                (self.store_feed(&percent_decode(name, false), req), true)
            }
            ["shops", id, "inventory.json"] if readable => self.feed_route(
                req,
                || id.parse().ok().and_then(|id| self.shop_feed(id)),
                "shop not found",
            ),
            ["feeds", "gen", file] if readable && file.ends_with(".json") => {
                let count = file.trim_end_matches(".json").parse::<usize>();
                match count {
                    Ok(n) if n <= MAX_GENERATED_ITEMS => {
                        self.feed_route(req, || Some(self.generated_feed(n)), "feed not found")
                    }
                    _ => (
                        Reply::error(400, "item count must be a number up to 200000"),
                        true,
                    ),
                }
            }
            ["feeds", name] if readable => {
                let name = percent_decode(name, false);
                self.feed_route(
                    req,
                    || lock(&self.stored).get(&name).cloned(),
                    "feed not found",
                )
            }
            ["img", name] if readable && name.ends_with(".png") => {
                let reply =
                    Reply::with_body(200, "image/png", cover_png(name.trim_end_matches(".png")))
                        .header("Cache-Control", "max-age=86400");
                (reply, true)
            }
            ["img", name] if readable && name.ends_with(".svg") => {
                let reply = Reply::with_body(
                    200,
                    "image/svg+xml",
                    cover_svg(name.trim_end_matches(".svg")),
                )
                .header("Cache-Control", "max-age=86400");
                (reply, true)
            }
            ["__log"]
            | ["__reset"]
            | ["__faults"]
            | ["__feeds", _]
            | ["__deploys", _]
            | ["shops", _, "inventory.json"]
            | ["feeds", ..]
            | ["__graphql", ..]
            | ["__squarespace", ..]
            | ["partner", "shops.json"]
            | ["inventory", "dumps", "list"]
            | ["proxy", "squarespace", "inventory"] => (
                Reply::error(405, "method not allowed")
                    .header("Allow", "GET, HEAD, POST, PUT, OPTIONS"),
                true,
            ),
            _ if readable => (self.static_reply(req.path()), true),
            _ => (Reply::error(404, "not found"), true),
        };
        if cors {
            reply.header("Access-Control-Allow-Origin", "*").header(
                "Access-Control-Expose-Headers",
                "Last-Modified, Content-Length, Content-Encoding",
            )
        } else {
            reply
        }
    }

    /// Serves a feed with caching headers, conditional GET, gzip and faults.
    /// `lookup` runs only when no fault pre-empts it, so an injected error
    /// never pays for generating a feed. Returns the reply and whether CORS
    /// headers should be added.
    fn feed_route(
        &self,
        req: &Request,
        lookup: impl FnOnce() -> Option<Arc<Feed>>,
        missing: &str,
    ) -> (Reply, bool) {
        let faults = match Faults::from_request(req) {
            Ok(f) => f.merged(self.take_path_faults(req.path())),
            Err(msg) => return (Reply::error(400, &msg), true),
        };
        let mut reply = if let Some(r) = faults.preempt() {
            r
        } else if let Some(feed) = lookup() {
            feed_reply(req, &feed, &faults)
        } else {
            Reply::error(404, missing)
        };
        reply.delay = faults.delay;
        (reply, !faults.no_cors)
    }

    /// `POST /__faults?path=P&fault=F&count=N`: the next N (default 1)
    /// requests of feed path P get faults F, as if asked with `?fault=F`,
    /// for URLs a test does not write itself (a shop's feed, the shop list).
    fn arm_path_faults(&self, req: &Request) -> Reply {
        let first = |k: &str| req.query_values(k).into_iter().next();
        let Some(path) = first("path").filter(|p| p.starts_with('/')) else {
            return Reply::error(400, "path must be given and start with /");
        };
        let faults = match Faults::from_request(req) {
            Ok(f) if f != Faults::default() => f,
            Ok(_) => return Reply::error(400, "fault must be given"),
            Err(msg) => return Reply::error(400, &msg),
        };
        let count = match first("count").map(|c| c.parse::<u32>()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => return Reply::error(400, "count must be a number"),
        };
        let mut armed = lock(&self.path_faults);
        if count == 0 {
            armed.remove(&path);
        } else {
            armed.insert(path.clone(), (faults, count));
        }
        Reply::json(200, &json!({ "path": path, "count": count }))
    }

    /// Consumes one request's worth of the faults armed for `path`.
    fn take_path_faults(&self, path: &str) -> Faults {
        let mut armed = lock(&self.path_faults);
        let Some((faults, remaining)) = armed.get_mut(path) else {
            return Faults::default();
        };
        let faults = faults.clone();
        *remaining -= 1;
        if *remaining == 0 {
            armed.remove(path);
        }
        faults
    }

    fn shop_feed(&self, id: u64) -> Option<Arc<Feed>> {
        let shop = self.shops.get(&id)?;
        let feed = shop.feed.get_or_init(|| {
            let json = generate_shop_feed(shop.items, self.config.seed, id, &self.base_url);
            Arc::new(Feed::new(json.into_bytes(), self.started))
        });
        Some(feed.clone())
    }

    fn shop_list_json(&self) -> Value {
        shop_list(&self.listed, &self.removed, &self.local_base, self.started)
    }

    /// The shop list as a feed (`/partner/shops.json`), built once.
    fn shop_list_feed(&self) -> Arc<Feed> {
        self.shop_list
            .get_or_init(|| {
                Arc::new(Feed::new(
                    self.shop_list_json().to_string().into_bytes(),
                    self.started,
                ))
            })
            .clone()
    }

    fn squarespace_state(&self) -> Value {
        let mut state = self.squarespace.state();
        state["failNext"] = lock(&self.squarespace_fail).to_json();
        state
    }

    /// The Squarespace inventory API (`proxy == false`: the real endpoint,
    /// key required, no CORS, no faults) or the partner's proxy in front of
    /// it (no key, CORS, faults).
    fn squarespace_route(&self, req: &Request, proxy: bool) -> (Reply, bool) {
        let cursor = req.query_values("cursor").into_iter().next();
        if !proxy {
            if bearer(req) != Some(self.config.squarespace_key.as_str()) {
                return (
                    Reply::json(401, &squarespace::unauthorized_body())
                        .header("WWW-Authenticate", "Bearer"),
                    false,
                );
            }
            let url = format!("{}/squarespace/1.0/commerce/inventory", self.base_url);
            let reply = match self
                .squarespace
                .page(cursor.as_deref(), &url, PageOptions::default())
            {
                Ok(page) => Reply::json(200, &page),
                Err(e) => Reply::json(400, &e),
            };
            return (reply.header("Cache-Control", "no-store"), false);
        }
        if let Some(fail) = FailNext::take(&self.squarespace_fail) {
            return (fail.reply(), true);
        }
        let mut opts = PageOptions {
            looping: self.squarespace.looping(),
            stale: false,
        };
        let mut generic = Vec::new();
        for value in req.query_values("fault") {
            for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match name {
                    "loop" => opts.looping = true,
                    "stale-cursor" => opts.stale = true,
                    other => generic.push(other.to_string()),
                }
            }
        }
        let faults = match Faults::from_values(&generic) {
            Ok(f) => f,
            Err(msg) => return (Reply::error(400, &msg), true),
        };
        let mut reply = if let Some(r) = faults.preempt() {
            r
        } else {
            if cursor.as_deref().is_some_and(|c| !c.is_empty())
                && self.squarespace.fire_stale_cursor()
            {
                opts.stale = true;
            }
            let url = format!("{}/proxy/squarespace/inventory", self.base_url);
            let mut r = match self.squarespace.page(cursor.as_deref(), &url, opts) {
                Ok(page) => Reply::json(200, &page),
                Err(e) => Reply::json(400, &e),
            };
            r.delivery = if faults.truncate {
                Delivery::Truncate
            } else if faults.slow {
                Delivery::Slow
            } else {
                Delivery::Normal
            };
            r.header("Cache-Control", "no-store")
        };
        reply.delay = faults.delay;
        (reply, !faults.no_cors)
    }

    /// The parsed feed of a shop, for the GraphQL API.
    fn shop_data(&self, id: u64) -> Option<Arc<ShopData>> {
        let feed = self.shop_feed(id)?;
        let shop = self.shops.get(&id)?;
        Some(
            shop.parsed
                .get_or_init(|| Arc::new(ShopData::from_feed(&feed.json)))
                .clone(),
        )
    }

    /// `POST /graphql`: request-level checks, then the API itself.
    fn graphql_route(&self, req: &Request) -> Reply {
        let operation = lock(&self.graphql_fail_operation).clone();
        let targeted = operation.is_none_or(|wanted| {
            serde_json::from_slice::<Value>(&req.body)
                .is_ok_and(|body| body["operationName"].as_str() == Some(wanted.as_str()))
        });
        if let Some(fail) = targeted
            .then(|| FailNext::take(&self.graphql_fail))
            .flatten()
        {
            return fail.reply();
        }
        let bad_request = |message: &str| {
            Reply::json(
                400,
                &json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] }),
            )
        };
        let json_type = req.header("content-type").is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
        if !json_type {
            return bad_request("Content-Type must be application/json");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return bad_request("POST body is not valid JSON");
        };
        if !body["query"].is_string() {
            return bad_request("POST body must be a JSON object with a string \"query\"");
        }
        if !(body["variables"].is_object() || body["variables"].is_null()) {
            return bad_request("\"variables\" must be a JSON object");
        }
        let gql = GqlRequest {
            origin: req.header("commonground-origin"),
            authorization: req.header("authorization"),
            body: &body,
        };
        let (status, value) = self.graphql.execute(&gql, &|id| self.shop_data(id));
        Reply::json(status, &value).header("Cache-Control", "no-store")
    }

    fn generated_feed(&self, items: usize) -> Arc<Feed> {
        // Take the per-size cell under the lock, generate outside it so one
        // big feed does not block requests for others.
        let cell = lock(&self.generated).entry(items).or_default().clone();
        cell.get_or_init(|| {
            let json = generate_feed(items, self.config.seed, &self.base_url);
            Arc::new(Feed::new(json.into_bytes(), self.started))
        })
        .clone()
    }

    fn store_feed(&self, name: &str, req: &Request) -> Reply {
        let mut stored = lock(&self.stored);
        // A replaced feed must look modified to a client revalidating with
        // If-Modified-Since, even when replaced within the same second; an
        // explicit Last-Modified request header wins.
        let explicit = req
            .header("last-modified")
            .and_then(|v| httpdate::parse_http_date(v).ok());
        let last_modified = explicit.unwrap_or_else(|| {
            let now = truncate_to_secs(SystemTime::now()).max(self.started);
            match stored.get(name) {
                Some(prev) if prev.last_modified >= now => {
                    prev.last_modified + Duration::from_secs(1)
                }
                _ => now,
            }
        });
        let bytes = req.body.len();
        stored.insert(
            name.to_string(),
            Arc::new(Feed::new(req.body.clone(), last_modified)),
        );
        Reply::json(
            201,
            &json!({
                "name": name,
                "bytes": bytes,
                "url": format!("/feeds/{name}"),
                "lastModified": httpdate::fmt_http_date(last_modified),
            }),
        )
    }

    /// `{origin}` in a deploy configuration: this server, as the page's
    /// CDN or API (`http://localhost:PORT`, another origin than the page's
    /// `127.0.0.1`, so requests to it are cross-origin as a real CDN's).
    fn fill_origin(&self, config: &str) -> String {
        config.replace("{origin}", &self.local_base)
    }

    /// The standalone page (`index.html` of `--static`) configured with
    /// `config`, as a partner's deploy step writes it.
    fn configure(&self, config: &str) -> Result<Vec<u8>, (u16, String)> {
        let Some(root) = &self.config.static_dir else {
            return Err((400, "no --static page to configure".to_string()));
        };
        let index = std::fs::read_to_string(root.join("index.html"))
            .map_err(|e| (404, format!("index.html: {e}")))?;
        configure_page(&index, config)
            .map(String::into_bytes)
            .map_err(|e: DeployError| (400, e.to_string()))
    }

    fn configured_page(&self, config: &str) -> Reply {
        match self.configure(config) {
            Ok(page) => Reply::with_body(200, "text/html; charset=utf-8", page)
                .header("Cache-Control", "no-store"),
            // Checked when deployed: only a changed or missing page fails here.
            Err((status, message)) => {
                Reply::error(if status == 400 { 500 } else { status }, &message)
            }
        }
    }

    /// `PUT /__deploys/{name}` with a JSON configuration: the page is
    /// served configured at `/deploys/{name}/`, its files beside it.
    fn deploy(&self, name: &str, req: &Request) -> Reply {
        let name_ok = (1..=64).contains(&name.len())
            && !name.starts_with('.')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok {
            return Reply::error(
                400,
                "a deploy name is 1-64 letters, digits, '-', '_' or '.'",
            );
        }
        let Ok(body) = std::str::from_utf8(&req.body) else {
            return Reply::error(400, "the configuration is not UTF-8");
        };
        let config = self.fill_origin(body);
        if let Err((status, message)) = self.configure(&config) {
            return Reply::error(status, &message);
        }
        let mut deploys = lock(&self.deploys);
        if deploys.len() >= MAX_DEPLOYS && !deploys.contains_key(name) {
            return Reply::error(400, "too many deploys");
        }
        deploys.insert(name.to_string(), config);
        Reply::json(200, &json!({ "url": format!("/deploys/{name}/") }))
    }

    fn log_reply(&self) -> Reply {
        let entries: Vec<Value> = lock(&self.log).iter().cloned().collect();
        Reply::json(200, &Value::Array(entries)).header("Cache-Control", "no-store")
    }

    fn static_reply(&self, url_path: &str) -> Reply {
        let Some(root) = &self.config.static_dir else {
            return if url_path == "/" {
                Reply::with_body(200, "text/plain; charset=utf-8", HELP)
            } else {
                Reply::error(404, "not found")
            };
        };
        let Some(file) = resolve_static(root, url_path) else {
            return Reply::error(400, "bad path");
        };
        match std::fs::read(&file) {
            Ok(bytes) => {
                // A page is never kept: a redeploy or rebuild shows at once.
                let kind = content_type(&file);
                let cache = if kind.starts_with("text/html") {
                    "no-store"
                } else {
                    "no-cache"
                };
                Reply::with_body(200, kind, bytes).header("Cache-Control", cache)
            }
            Err(_) => Reply::error(404, "not found"),
        }
    }

    fn shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Sleeps up to `d`, waking early when the server shuts down.
    fn pause(&self, d: Duration) {
        let end = Instant::now() + d;
        while !self.shutting_down() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            thread::sleep(left.min(Duration::from_millis(50)));
        }
    }
}

const HELP: &str = "cg-emulator: Common Ground inventory feed emulator\n\n\
GET  /shops/{id}/inventory.json   generated shop feed\n\
GET  /feeds/gen/{N}.json           generated feed of N items\n\
PUT  /__feeds/{name}               store a custom feed (raw body)\n\
GET  /feeds/{name}                 serve a stored feed\n\
GET  /img/{name}.svg               placeholder cover art\n\
GET  /__log, POST /__reset         request log / reset log, stored feeds, API state (not deploys)\n\
PUT  /__deploys/{name}             deploy the --static index.html with a JSON configuration ({origin} = this server)\n\
GET  /deploys/{name}/              the configured page (its files beside it, from --static)\n\
POST /graphql                      GraphQL Client API (login, register, inventoryItems, checkout*)\n\
GET  /inventory/dumps/list         partner shop list (Authorization: Bearer partner token)\n\
GET  /partner/shops.json           the same list through the partner's proxy (CORS, no token)\n\
GET  /store/{id}/...               shop storefront pages\n\
GET  /squarespace/1.0/commerce/inventory?cursor=  Squarespace inventory (Bearer key)\n\
GET  /proxy/squarespace/inventory?cursor=         the same through the partner's proxy\n\
POST /__squarespace/stale-cursor|loop|fail-next?status=&count=&hang=1, GET /__squarespace/state\n\
POST /__graphql/expire-sessions|sold-out/{listingId}|fail-next?status=&count=&hang=1, GET /__graphql/state\n\
?fault=status-NNN|truncate|slow|delay-MS|no-cors|not-json|hang on feed URLs\n";

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(req: &Request) -> Option<&str> {
    let (scheme, token) = req.header("authorization")?.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// A shop's storefront page on the emulator (`/store/{id}/...`), so item
/// links (`uri` + `path`) lead somewhere.
fn storefront(id: &str, path: &str) -> Reply {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let name = id
        .parse::<u64>()
        .map_or_else(|_| "Unknown shop".to_string(), shop_name);
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{name}</title><h1>{name}</h1><p>Storefront page <code>{}</code></p>\n",
        escape(&percent_decode(path, false))
    );
    Reply::with_body(200, "text/html; charset=utf-8", body).header("Cache-Control", "no-cache")
}

/// CORS headers of the GraphQL API, on its answers and its preflight: the
/// caller's Origin echoed, the three request headers it needs, POST.
fn graphql_cors(req: &Request, reply: Reply) -> Reply {
    let reply = reply
        .header(
            "Access-Control-Allow-Origin",
            req.header("origin").unwrap_or("*"),
        )
        .header("Vary", "Origin")
        .header("Access-Control-Allow-Methods", "POST, OPTIONS")
        .header("Access-Control-Allow-Headers", graphql::ALLOWED_HEADERS);
    if reply.status == 204 {
        reply.header("Access-Control-Max-Age", "600")
    } else {
        reply
    }
}

/// CORS preflight answer for any path.
fn preflight(req: &Request) -> Reply {
    let allow_headers = req
        .header("access-control-request-headers")
        .filter(|h| !h.is_empty())
        .unwrap_or("*");
    Reply::new(204)
        .header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .header("Access-Control-Allow-Headers", allow_headers)
        .header("Access-Control-Max-Age", "600")
}

/// True if the client asked for gzip (and did not refuse it with `q=0`).
fn accepts_gzip(req: &Request) -> bool {
    req.header("accept-encoding").is_some_and(|v| {
        v.split(',').any(|part| {
            let mut bits = part.split(';').map(str::trim);
            let coding = bits.next().unwrap_or("");
            let refused = bits.any(|p| {
                p.replace(' ', "").eq_ignore_ascii_case("q=0") || p.eq_ignore_ascii_case("q=0.0")
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
}

/// True if If-Modified-Since is at or after the feed's Last-Modified.
fn not_modified(req: &Request, last_modified: SystemTime) -> bool {
    req.header("if-modified-since")
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| since >= last_modified)
}

/// The 200/304 reply for an existing feed.
fn feed_reply(req: &Request, feed: &Feed, faults: &Faults) -> Reply {
    let mut reply = Reply::new(200)
        .header("Content-Type", "application/json")
        .header("Last-Modified", httpdate::fmt_http_date(feed.last_modified))
        .header(
            "Cache-Control",
            faults
                .max_age
                .map_or_else(|| "no-cache".to_owned(), |secs| format!("max-age={secs}")),
        )
        .header("Vary", "Accept-Encoding");
    // The broken deliveries must actually happen when a test asks for them,
    // so they bypass revalidation and compression.
    let raw = faults.truncate || faults.slow || faults.stall;
    if !raw && not_modified(req, feed.last_modified) {
        reply.status = 304;
        return reply;
    }
    if !raw && accepts_gzip(req) {
        reply.body = feed.gzip();
        reply = reply.header("Content-Encoding", "gzip");
    } else {
        reply.body = feed.json.clone();
    }
    reply.delivery = if faults.stall {
        Delivery::Stall
    } else if faults.truncate {
        Delivery::Truncate
    } else if faults.slow {
        Delivery::Slow
    } else {
        Delivery::Normal
    };
    reply
}

/// A running server. Dropping it (or calling [`ServerHandle::shutdown`])
/// stops accepting and closes open connections.
pub struct ServerHandle {
    addr: SocketAddr,
    url: String,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound socket address (with the real port when 0 was requested).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://host:port` of the server, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks until the server stops (the CLI uses this to run forever).
    pub fn wait(mut self) {
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }

    /// Stops the server and waits for the accept loop to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(accept) = self.accept.take() else {
            return;
        };
        self.state.shutdown.store(true, Ordering::SeqCst);
        // Wake the blocking accept() with a throwaway connection.
        let _ = TcpStream::connect_timeout(&loopback(self.addr), Duration::from_secs(1));
        for stream in lock(&self.state.connections).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let _ = accept.join();
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The address to reach a server bound to `addr` from this machine.
fn loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

/// Binds and starts the server in background threads.
pub fn start(config: Config) -> io::Result<ServerHandle> {
    let listener = TcpListener::bind((config.host.as_str(), config.port))?;
    let addr = listener.local_addr()?;
    let reach = loopback(addr);
    let url = match reach.ip() {
        IpAddr::V4(ip) => format!("http://{ip}:{}", reach.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", reach.port()),
    };
    let state = Arc::new(State::new(config, &url));
    if let Some(page_config) = &state.config.page_config {
        // Refused at start, not on the first page view.
        configure_page("<head></head>", &state.fill_origin(page_config)).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("--page-config: {e}"))
        })?;
    }
    let accept_state = state.clone();
    let accept = thread::Builder::new()
        .name("cg-emulator-accept".into())
        .spawn(move || accept_loop(listener, accept_state))?;
    Ok(ServerHandle {
        addr,
        url,
        state,
        accept: Some(accept),
    })
}

fn accept_loop(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        if state.shutting_down() {
            break;
        }
        let Ok(mut stream) = stream else {
            // e.g. out of file descriptors: back off instead of spinning.
            thread::sleep(Duration::from_millis(20));
            continue;
        };
        if state.active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let body = br#"{"error":"too many connections"}"#;
            let _ = http::write_head(&mut stream, 503, &[], Some(body.len()), true)
                .and_then(|_| stream.write_all(body));
            continue;
        }
        let conn = Connection::register(&state, &stream);
        let conn_state = state.clone();
        let spawned = thread::Builder::new()
            .name("cg-emulator-conn".into())
            .spawn(move || {
                let _conn = conn; // unregisters on exit, even on panic
                let _ = serve_connection(stream, &conn_state);
            });
        if spawned.is_err() {
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Registration of a live connection, so shutdown can close it; removed on
/// drop.
struct Connection {
    id: u64,
    state: Arc<State>,
}

impl Connection {
    fn register(state: &Arc<State>, stream: &TcpStream) -> Self {
        let id = state.next_conn.fetch_add(1, Ordering::SeqCst);
        state.active.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            lock(&state.connections).insert(id, clone);
        }
        Self {
            id,
            state: state.clone(),
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        lock(&self.state.connections).remove(&self.id);
        self.state.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves requests on one connection until it closes. I/O errors (client
/// gone, reset, timeout) just end the connection.
fn serve_connection(stream: TcpStream, state: &State) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    while !state.shutting_down() {
        let mut req = match http::read_head(&mut reader) {
            Ok(Some(req)) => req,
            Ok(None) => break,
            Err(e) => return reject_malformed(&mut writer, &e),
        };
        if http::expects_continue(&req) {
            writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        req.body = match http::read_body(&mut reader, &req) {
            Ok(body) => body,
            Err(e) => return reject_malformed(&mut writer, &e),
        };
        let reply = state.handle(&req);
        if !deliver(&mut reader, &mut writer, &req, reply, state)? {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
    Ok(())
}

/// Answers an unparseable request with 400 (only when it was a protocol
/// error; I/O errors mean the client is gone).
fn reject_malformed(writer: &mut TcpStream, e: &io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::InvalidData {
        let body = format!("{}", json!({ "error": e.to_string() }));
        let headers = [("Content-Type".to_string(), "application/json".to_string())];
        http::write_head(writer, 400, &headers, Some(body.len()), true)?;
        writer.write_all(body.as_bytes())?;
    }
    let _ = writer.shutdown(Shutdown::Both);
    Ok(())
}

/// Writes a reply. Returns whether the connection may serve another request.
fn deliver(
    reader: &mut BufReader<TcpStream>,
    w: &mut TcpStream,
    req: &Request,
    reply: Reply,
    state: &State,
) -> io::Result<bool> {
    if let Some(d) = reply.delay {
        state.pause(d);
    }
    let send_body = req.method != "HEAD" && !http::bodiless(reply.status);
    let body = reply.body.as_slice();
    let keep = req.keep_alive() && !state.shutting_down();
    match reply.delivery {
        Delivery::Hang => {
            hang(reader, state);
            Ok(false)
        }
        Delivery::Normal => {
            http::write_head(w, reply.status, &reply.headers, Some(body.len()), !keep)?;
            if send_body {
                w.write_all(body)?;
            }
            w.flush()?;
            Ok(keep)
        }
        Delivery::Truncate => {
            http::write_head(w, reply.status, &reply.headers, Some(body.len()), true)?;
            if send_body {
                w.write_all(&body[..body.len() / 2])?;
            }
            w.flush()?;
            Ok(false)
        }
        Delivery::Stall => {
            http::write_head(w, reply.status, &reply.headers, Some(body.len()), true)?;
            if send_body {
                w.write_all(&body[..body.len() / 2])?;
            }
            w.flush()?;
            hang(reader, state);
            Ok(false)
        }
        Delivery::Slow => {
            http::write_head(w, reply.status, &reply.headers, Some(body.len()), !keep)?;
            w.flush()?;
            if send_body {
                for (i, chunk) in body.chunks(SLOW_CHUNK).enumerate() {
                    if i > 0 {
                        state.pause(SLOW_PAUSE);
                    }
                    w.write_all(chunk)?;
                    w.flush()?;
                }
            }
            Ok(keep)
        }
    }
}

/// Holds the request open until the client disconnects, the server stops,
/// or [`HANG_LIMIT`] passes.
fn hang(reader: &mut BufReader<TcpStream>, state: &State) {
    let stream = reader.get_mut();
    if stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .is_err()
    {
        return;
    }
    let deadline = Instant::now() + HANG_LIMIT;
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline && !state.shutting_down() {
        match stream.read(&mut buf) {
            Ok(0) => return, // client went away
            Ok(_) => {}      // pipelined bytes; we will not answer them anyway
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State::new(
            Config {
                port: 0,
                shops: vec![(1234, 40), (7, 3)],
                ..Config::default()
            },
            "http://127.0.0.1:9",
        )
    }

    fn get(target: &str) -> Request {
        Request::new("GET", target)
    }

    #[test]
    fn shop_feed_has_caching_and_cors_headers() {
        let s = state();
        let r = s.route(&get("/shops/1234/inventory.json"));
        assert_eq!(r.status, 200);
        assert_eq!(r.header_value("content-type"), Some("application/json"));
        assert_eq!(r.header_value("cache-control"), Some("no-cache"));
        assert_eq!(r.header_value("access-control-allow-origin"), Some("*"));
        assert_eq!(
            r.header_value("last-modified"),
            Some(httpdate::fmt_http_date(s.started()).as_str())
        );
        let items: Vec<Value> = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(items.len(), 40);
        assert!(String::from_utf8_lossy(&r.body).contains("http://127.0.0.1:9/img/"));
        // Cached: the same bytes come back.
        assert!(Arc::ptr_eq(
            &r.body,
            &s.route(&get("/shops/1234/inventory.json")).body
        ));
    }

    #[test]
    fn conditional_get_and_gzip() {
        let s = state();
        let lm = httpdate::fmt_http_date(s.started());
        let r = s.route(&get("/shops/7/inventory.json").with_header("If-Modified-Since", &lm));
        assert_eq!(r.status, 304);
        let older = httpdate::fmt_http_date(s.started() - Duration::from_secs(5));
        assert_eq!(
            s.route(&get("/shops/7/inventory.json").with_header("If-Modified-Since", &older))
                .status,
            200
        );
        let gz = s.route(
            &get("/shops/7/inventory.json").with_header("Accept-Encoding", "br, gzip;q=0.8"),
        );
        assert_eq!(gz.header_value("content-encoding"), Some("gzip"));
        assert_eq!(&gz.body[..2], &[0x1f, 0x8b]);
        let refused =
            s.route(&get("/shops/7/inventory.json").with_header("Accept-Encoding", "gzip;q=0"));
        assert_eq!(refused.header_value("content-encoding"), None);
    }

    #[test]
    fn unknown_shop_is_404_json() {
        let r = state().route(&get("/shops/999/inventory.json"));
        assert_eq!(r.status, 404);
        assert_eq!(&r.body[..], br#"{"error":"shop not found"}"#);
        assert_eq!(r.header_value("access-control-allow-origin"), Some("*"));
    }

    #[test]
    fn preflight_echoes_requested_headers() {
        let s = state();
        let r = s.route(
            &Request::new("OPTIONS", "/anything")
                .with_header("Access-Control-Request-Headers", "authorization"),
        );
        assert_eq!(r.status, 204);
        assert_eq!(
            r.header_value("access-control-allow-headers"),
            Some("authorization")
        );
        assert_eq!(r.header_value("access-control-max-age"), Some("600"));
        let bare = s.route(&Request::new("OPTIONS", "/"));
        assert_eq!(bare.header_value("access-control-allow-headers"), Some("*"));
    }

    #[test]
    fn faults_are_parsed_and_applied() {
        let s = state();
        let f = Faults::from_request(&get("/x?fault=delay-250,no-cors&fault=truncate")).unwrap();
        assert_eq!(f.delay, Some(Duration::from_millis(250)));
        assert!(f.no_cors && f.truncate && !f.slow);
        assert!(Faults::from_request(&get("/x?fault=explode")).is_err());

        let r = s.route(&get("/shops/1234/inventory.json?fault=status-503"));
        assert_eq!(r.status, 503);
        let r = s.route(&get("/shops/1234/inventory.json?fault=no-cors"));
        assert_eq!(
            (r.status, r.header_value("access-control-allow-origin")),
            (200, None)
        );
        let r = s.route(&get("/shops/1234/inventory.json?fault=not-json"));
        assert_eq!(&r.body[..], b"<html>oops</html>");
        let lm = httpdate::fmt_http_date(s.started());
        let r = s.route(
            &get("/shops/1234/inventory.json?fault=truncate")
                .with_header("Accept-Encoding", "gzip")
                .with_header("If-Modified-Since", &lm),
        );
        assert_eq!(
            (r.status, r.delivery, r.header_value("content-encoding")),
            (200, Delivery::Truncate, None)
        );
        assert_eq!(
            s.route(&get("/feeds/x?fault=hang")).delivery,
            Delivery::Hang
        );
        assert_eq!(
            s.route(
                &get("/shops/1234/inventory.json?fault=stall")
                    .with_header("If-Modified-Since", &lm)
            )
            .delivery,
            Delivery::Stall
        );
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json?fault=bogus"))
                .status,
            400
        );
    }

    #[test]
    fn faults_armed_for_a_path_hit_its_next_requests_only() {
        let s = state();
        let arm = |query: &str| s.route(&Request::new("POST", &format!("/__faults?{query}")));
        assert_eq!(
            arm("path=/shops/1234/inventory.json&fault=status-503&count=2").status,
            200
        );
        assert_eq!(
            arm("path=/partner/shops.json").status,
            400,
            "a fault is needed"
        );
        assert_eq!(arm("path=nope&fault=truncate").status, 400);
        assert_eq!(
            s.route(&get("/shops/7/inventory.json")).status,
            200,
            "other paths are untouched"
        );
        let statuses: Vec<u16> = (0..3)
            .map(|_| s.route(&get("/shops/1234/inventory.json")).status)
            .collect();
        assert_eq!(statuses, [503, 503, 200]);

        arm("path=/shops/1234/inventory.json&fault=max-age-3600");
        let cached = s.route(&get("/shops/1234/inventory.json"));
        assert_eq!(cached.header_value("cache-control"), Some("max-age=3600"));
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json"))
                .header_value("cache-control"),
            Some("no-cache")
        );
        arm("path=/shops/1234/inventory.json&fault=truncate");
        s.route(&Request::new("POST", "/__reset"));
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json")).delivery,
            Delivery::Normal,
            "a reset disarms"
        );
    }

    #[test]
    fn stored_feeds_round_trip_and_change_last_modified() {
        let s = state();
        assert_eq!(s.route(&get("/feeds/mine.json")).status, 404);
        let put =
            s.route(&Request::new("PUT", "/__feeds/mine.json").with_body(&b"\xff not json"[..]));
        assert_eq!(put.status, 201);
        let first = s.route(&get("/feeds/mine.json"));
        assert_eq!(&first.body[..], b"\xff not json");
        let lm1 = first.header_value("last-modified").unwrap().to_string();
        s.route(&Request::new("POST", "/__feeds/mine.json").with_body("[]"));
        let second = s.route(&get("/feeds/mine.json").with_header("If-Modified-Since", &lm1));
        assert_eq!(
            second.status, 200,
            "a replaced feed is never 304 against the old date"
        );
        assert_eq!(&second.body[..], b"[]");
        s.route(&Request::new("POST", "/__reset"));
        assert_eq!(s.route(&get("/feeds/mine.json")).status, 404);
    }

    #[test]
    fn generated_feed_route() {
        let s = state();
        let r = s.route(&get("/feeds/gen/5.json"));
        assert_eq!(
            serde_json::from_slice::<Vec<Value>>(&r.body).unwrap().len(),
            5
        );
        assert_eq!(s.route(&get("/feeds/gen/999999999.json")).status, 400);
    }

    #[test]
    fn log_skips_control_endpoints() {
        let s = state();
        s.handle(
            &get("/shops/7/inventory.json")
                .with_header("Origin", "https://shop.example")
                .with_header("X-Other", "1"),
        );
        s.handle(&get("/__log"));
        s.handle(
            &Request::new("PUT", "/__feeds/a").with_header("Content-Type", "application/json"),
        );
        let log: Vec<Value> = serde_json::from_slice(&s.handle(&get("/__log")).body).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0]["path"], "/shops/7/inventory.json");
        assert_eq!(log[0]["headers"], json!({"origin": "https://shop.example"}));
        assert_eq!(log[0]["status"], 200);
        assert_eq!(log[1]["method"], "PUT");
        s.handle(&Request::new("POST", "/__reset"));
        assert_eq!(&s.handle(&get("/__log")).body[..], b"[]");
    }

    #[test]
    fn images_and_unknown_paths() {
        let s = state();
        let r = s.route(&get("/img/123-back.svg"));
        assert_eq!(r.header_value("content-type"), Some("image/svg+xml"));
        assert_eq!(r.header_value("cache-control"), Some("max-age=86400"));
        assert_eq!(s.route(&get("/nope")).status, 404);
        assert_eq!(
            s.route(&Request::new("DELETE", "/shops/1234/inventory.json"))
                .status,
            405
        );
        assert_eq!(s.route(&get("/")).status, 200);
    }

    #[test]
    fn static_files() {
        let dir = std::env::temp_dir().join(format!("cg-emulator-static-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("pkg/app.wasm"), b"\0asm").unwrap();
        let s = State::new(
            Config {
                static_dir: Some(dir.clone()),
                ..Config::default()
            },
            "http://x",
        );
        let index = s.route(&get("/"));
        assert_eq!(
            (index.status, index.header_value("content-type")),
            (200, Some("text/html; charset=utf-8"))
        );
        assert_eq!(
            index.header_value("cache-control"),
            Some("no-store"),
            "a page is never kept"
        );
        assert_eq!(
            s.route(&get("/pkg/app.wasm")).header_value("content-type"),
            Some("application/wasm")
        );
        assert_eq!(s.route(&get("/pkg/missing.js")).status, 404);
        assert_eq!(s.route(&get("/pkg/%2e%2e/%2e%2e/etc/passwd")).status, 400);
        std::fs::remove_dir_all(dir).unwrap();
    }

    const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><script type=\"module\" src=\"./start.js\"></script></head><body></body></html>";

    fn page_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cg-emulator-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), PAGE).unwrap();
        std::fs::write(dir.join("start.js"), "export {};").unwrap();
        dir
    }

    fn text(reply: &Reply) -> String {
        String::from_utf8(reply.body.to_vec()).unwrap()
    }

    #[test]
    fn the_page_config_is_written_into_the_served_page() {
        let dir = page_dir("page-config");
        let config = Config {
            static_dir: Some(dir.clone()),
            page_config: Some(r#"{"shop":"1234","cdn":"{origin}","api":"{origin}/graphql","origin":"www.my-vinyl-store.com"}"#.into()),
            ..Config::default()
        };
        let s = State::new(config, "http://127.0.0.1:9");
        for path in ["/", "/index.html"] {
            let page = s.route(&get(path));
            assert_eq!(
                (page.status, page.header_value("cache-control")),
                (200, Some("no-store"))
            );
            let html = text(&page);
            assert!(html.contains(r#"<script type="application/json" id="cg-config">{"api":"http://localhost:9/graphql","cdn":"http://localhost:9","origin":"www.my-vinyl-store.com","shop":"1234"}</script>"#), "{html}");
            assert!(
                html.contains("connect-src 'self' http://localhost:9;"),
                "{html}"
            );
        }
        assert_eq!(
            text(&s.route(&get("/start.js"))),
            "export {};",
            "other files as they are"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn deploys_serve_configured_pages_with_their_files() {
        let dir = page_dir("deploys");
        let s = State::new(
            Config {
                static_dir: Some(dir.clone()),
                ..Config::default()
            },
            "http://127.0.0.1:9",
        );
        let put = |name: &str, body: &str| {
            s.handle(
                &Request::new("PUT", &format!("/__deploys/{name}"))
                    .with_body(body.as_bytes().to_vec()),
            )
        };
        let ok = put(
            "shop-a",
            r#"{"shop":"1234","cdn":"{origin}","storefront":"https://shop.example"}"#,
        );
        assert_eq!(
            (ok.status, text(&ok)),
            (200, r#"{"url":"/deploys/shop-a/"}"#.to_string())
        );
        let page = s.route(&get("/deploys/shop-a/?q=bjork"));
        assert_eq!(
            (page.status, page.header_value("cache-control")),
            (200, Some("no-store"))
        );
        assert!(text(&page).contains(
            r#"{"cdn":"http://localhost:9","shop":"1234","storefront":"https://shop.example"}"#
        ));
        assert!(text(&s.route(&get("/deploys/shop-a/index.html"))).contains("cg-config"));
        assert_eq!(
            text(&s.route(&get("/deploys/shop-a/start.js"))),
            "export {};"
        );
        assert_eq!(
            s.route(&get("/deploys/shop-a/%2e%2e/%2e%2e/etc/passwd"))
                .status,
            400
        );
        let redirect = s.route(&get("/deploys/shop-a?q=x"));
        assert_eq!(
            (redirect.status, redirect.header_value("location")),
            (308, Some("/deploys/shop-a/?q=x"))
        );
        assert_eq!(s.route(&get("/deploys/nope/")).status, 404);
        // The plain page is served as built.
        assert_eq!(text(&s.route(&get("/"))), PAGE);

        // Invalid settings are refused, naming them; the deploy is unchanged.
        let bad = put("shop-a", r#"{"api":"javascript:alert(1)","shop":"1"}"#);
        assert_eq!(bad.status, 400);
        assert!(
            text(&bad).contains("invalid settings: api"),
            "{}",
            text(&bad)
        );
        assert_eq!(put("shop-a", r#"{"tracker":"x"}"#).status, 400);
        assert_eq!(put("shop-a", "not json").status, 400);
        assert_eq!(put("%2e%2e", "{}").status, 400);
        assert_eq!(put("a%2Fb", "{}").status, 400);
        assert!(text(&s.route(&get("/deploys/shop-a/"))).contains("storefront"));

        // Redeploying replaces; a reset keeps deploys; deploys are not logged.
        assert_eq!(put("shop-a", r#"{"shop":"5"}"#).status, 200);
        s.handle(&Request::new("POST", "/__reset"));
        assert!(text(&s.route(&get("/deploys/shop-a/"))).contains(r#"{"shop":"5"}"#));
        let log: Vec<Value> = serde_json::from_slice(&s.handle(&get("/__log")).body).unwrap();
        assert!(log.is_empty(), "{log:?}");
        std::fs::remove_dir_all(dir).unwrap();

        let no_static = State::new(Config::default(), "http://x");
        assert_eq!(
            no_static
                .route(&Request::new("PUT", "/__deploys/a").with_body(&b"{}"[..]))
                .status,
            400
        );
    }

    #[test]
    fn an_invalid_page_config_stops_the_server_from_starting() {
        let config = Config {
            port: 0,
            page_config: Some(r#"{"cdn":"ftp://x"}"#.into()),
            ..Config::default()
        };
        let error = start(config).err().expect("refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("cdn"), "{error}");
    }
}
