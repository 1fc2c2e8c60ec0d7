//! The emulator's HTTP server.
//!
//! [`State::route`] maps a parsed [`Request`](crate::http::Request) to a
//! [`Reply`] description without touching sockets, so routing, headers,
//! conditional requests and fault selection are unit-testable; each
//! concern's routes are in their own file (`cdn`, `partner`,
//! `squarespace`, `graphql`, `deploys`, `static_files`, `log`, `faults`).
//! [`serve`] puts it on the wire with axum and hyper, and [`delivery`]
//! writes replies, including the deliberately broken deliveries of the
//! fault modes, which [`conn`] gives the control of the connection they need.

mod cdn;
mod conn;
mod delivery;
mod deploys;
mod faults;
mod graphql;
mod log;
mod partner;
mod reply;
mod router;
mod serve;
mod squarespace;
mod state;
mod static_files;

pub use faults::{FailNext, Faults};
pub use reply::{Delivery, Reply};
pub use serve::{start, ServerHandle};
pub use state::{State, REMOVED_SHOP_ITEMS};

use std::path::PathBuf;

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

/// What the router's unit tests share: a small server state and requests.
#[cfg(test)]
mod test_support {
    pub(super) use super::{start, Config, Delivery, Faults, Reply, State};
    pub(super) use crate::http::Request;
    pub(super) use serde_json::{json, Value};
    pub(super) use std::io;
    pub(super) use std::path::PathBuf;
    pub(super) use std::sync::Arc;
    pub(super) use std::time::Duration;

    pub(super) fn state() -> State {
        State::new(
            Config {
                port: 0,
                shops: vec![(1234, 40), (7, 3)],
                ..Config::default()
            },
            "http://127.0.0.1:9",
        )
    }

    pub(super) fn get(target: &str) -> Request {
        Request::new("GET", target)
    }
}
