//! The emulator's shared state: configuration, feed caches, stored feeds,
//! the request log and the emulated APIs, behind one [`State`] that every
//! route reads. Each concern's routes live in their own file, as `impl
//! State` blocks.

use super::cdn::{Feed, LazyFeed, ShopEntry};
use super::faults::{FailNext, Faults};
use super::Config;
use crate::graphql::Graphql;
use crate::squarespace::Squarespace;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Items in the feed of a `--removed-shop` that is not also a `--shop`.
pub const REMOVED_SHOP_ITEMS: usize = 100;

/// Shared server state: configuration, feed caches, stored custom feeds and
/// the request log.
pub struct State {
    pub(super) config: Config,
    pub(super) base_url: String,
    pub(super) started: SystemTime,
    pub(super) shops: HashMap<u64, ShopEntry>,
    pub(super) generated: Mutex<HashMap<usize, LazyFeed>>,
    pub(super) stored: Mutex<HashMap<String, Arc<Feed>>>,
    pub(super) log: Mutex<VecDeque<Value>>,
    pub(super) log_seq: AtomicU64,
    pub(super) graphql: Graphql,
    pub(super) graphql_fail: Mutex<FailNext>,
    /// The operation (`operationName`) the pending GraphQL failures are
    /// for; any operation when `None`.
    pub(super) graphql_fail_operation: Mutex<Option<String>>,
    /// Shop list: published ids (in list order) and ids to remove.
    pub(super) listed: Vec<u64>,
    pub(super) removed: Vec<u64>,
    pub(super) shop_list: OnceLock<Arc<Feed>>,
    /// `http://localhost:PORT`: host of shop storefronts and logos.
    pub(super) local_base: String,
    pub(super) squarespace: Squarespace,
    pub(super) squarespace_fail: Mutex<FailNext>,
    /// Faults for the next requests of a feed path (`/__faults`): the
    /// faults and how many requests are still to get them.
    pub(super) path_faults: Mutex<HashMap<String, (Faults, u32)>>,
    /// Configured copies of the standalone page (`PUT /__deploys/{name}`):
    /// each deploy's configuration, `{origin}` already filled in.
    pub(super) deploys: Mutex<HashMap<String, String>>,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the
/// critical sections here never leave the data half-updated.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whole seconds only: HTTP dates have no sub-second part, and comparing
/// If-Modified-Since against a finer time would never match.
pub(super) fn truncate_to_secs(t: SystemTime) -> SystemTime {
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
        }
    }

    /// The fixed Last-Modified of generated feeds (server start, whole seconds).
    pub fn started(&self) -> SystemTime {
        self.started
    }
}
