//! Aggregator mode: reads the partner's shop list, then every listed shop's
//! feed from the CDN, a few at a time, into one catalogue. A shop that fails
//! becomes a notice; it never blocks the others.

use super::loaded::LoadedCatalogue;
use super::retry::with_retries;
use crate::browser::fetch::{fetch_text, stream_body, AfterSlice};
use crate::browser::storage::{self, Store};
use crate::core::shop_list::{ShopInfo, ShopList};
use crate::core::{CatalogueBuilder, LoadError, ShopFeed};
use futures::future::join_all;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use web_sys::RequestCache;

/// Feeds downloaded at the same time: enough to fill the link, few enough
/// that one slow shop does not starve the rest.
const PARALLEL_DOWNLOADS: usize = 4;
/// Where the list's `date` of each shop's last loaded feed is kept.
const DATES_KEY: &str = "cg-inventory:shop-dates";

/// Where one shop's feed has got to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopState {
    Waiting,
    Loading {
        received_bytes: u64,
        total_bytes: Option<u64>,
    },
    Loaded {
        items: usize,
    },
    Failed(String),
}

/// One line of the per-shop progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopProgress {
    pub name: String,
    pub state: ShopState,
}

/// Where the list of shops comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopSource {
    /// A partner URL serving the list (the partner's proxy adds the token),
    /// and the ids of the shops to show from it when not all of them.
    ListUrl { url: String, only: Option<String> },
    /// A fixed set of shop ids.
    Ids(String),
}

/// Loads every listed shop into one catalogue.
pub async fn load_shops(
    source: ShopSource,
    cdn: String,
    timeout_seconds: u32,
    progress: WriteSignal<Vec<ShopProgress>>,
) -> Result<LoadedCatalogue, LoadError> {
    let list = match source {
        ShopSource::Ids(ids) => ShopList::from_ids(&ids),
        ShopSource::ListUrl { url, only } => {
            let mut list = ShopList::parse(&fetch_shop_list(&url, timeout_seconds).await?)
                .map_err(|e| LoadError::ShopList(e.to_string()))?;
            if let Some(ids) = only {
                list.keep_only(&ids);
            }
            list
        }
    };
    if list.shops.is_empty() {
        return Err(LoadError::ShopList("it names no shops".to_owned()));
    }
    let mut notices = list.notices();
    let dates = remembered_dates(&list);
    progress.set(
        list.shops
            .iter()
            .map(|s| ShopProgress {
                name: s.display_name(),
                state: ShopState::Waiting,
            })
            .collect(),
    );

    let builder = Rc::new(RefCell::new(CatalogueBuilder::new()));
    builder.borrow_mut().set_shops(list.shops.clone());
    let feeds: Rc<RefCell<Vec<ShopFeed>>> = Rc::new(RefCell::new(
        (0..list.shops.len() as u16).map(ShopFeed::new).collect(),
    ));
    let queue: Rc<RefCell<VecDeque<(u16, ShopInfo)>>> = Rc::new(RefCell::new(
        list.shops
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, s)| (i as u16, s))
            .collect(),
    ));
    let loaded_dates = Rc::new(RefCell::new(HashMap::new()));
    let workers = (0..PARALLEL_DOWNLOADS).map(|_| {
        let (queue, builder, feeds, loaded_dates, cdn, dates) = (
            queue.clone(),
            builder.clone(),
            feeds.clone(),
            loaded_dates.clone(),
            cdn.clone(),
            dates.clone(),
        );
        async move {
            loop {
                // A removed widget starts no more downloads.
                if progress.is_disposed() {
                    break;
                }
                let next = queue.borrow_mut().pop_front();
                let Some((index, shop)) = next else { break };
                let cache = match &shop.date {
                    // Unchanged since the last visit: the browser's copy is used as is.
                    Some(date) if dates.get(&shop.id) == Some(date) => RequestCache::ForceCache,
                    // A new feed: a copy the browser still holds as fresh (the
                    // CDN lets it keep one for an hour) would be the old one.
                    Some(_) => RequestCache::NoCache,
                    None => RequestCache::Default,
                };
                let result = load_shop(
                    &builder,
                    &feeds,
                    index,
                    &shop.feed_url(&cdn),
                    cache,
                    timeout_seconds,
                    progress,
                )
                .await;
                let state = match result {
                    Ok(items) => {
                        if let Some(date) = &shop.date {
                            loaded_dates
                                .borrow_mut()
                                .insert(shop.id.clone(), date.clone());
                        }
                        ShopState::Loaded { items }
                    }
                    Err(error) => {
                        feeds.borrow_mut()[usize::from(index)].fail();
                        ShopState::Failed(error.to_string())
                    }
                };
                set_state(progress, index, state);
            }
        }
    });
    join_all(workers).await;
    if progress.is_disposed() {
        return Err(LoadError::Cancelled);
    }

    let failures: Vec<String> = progress
        .try_update(|shops| {
            shops
                .iter()
                .filter_map(|s| match &s.state {
                    ShopState::Failed(why) => {
                        Some(format!("{} could not be loaded: {why}", s.name))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    save_dates(&list, &loaded_dates.borrow());
    let builder = Rc::try_unwrap(builder)
        .map_err(|_| LoadError::Interrupted)?
        .into_inner();
    if failures.len() == list.shops.len() {
        return Err(LoadError::ShopList(format!(
            "none of the {} shops could be loaded",
            list.shops.len()
        )));
    }
    let (catalogue, cap_notices) = builder.finish_shops(&feeds.borrow());
    notices.extend(failures);
    notices.extend(cap_notices);
    Ok(LoadedCatalogue {
        catalogue: Arc::new(catalogue),
        stale: None,
        notices,
    })
}

/// The shop list's text. A server error or a timeout is retried as a feed's
/// is; any other unsuccessful answer is explained.
async fn fetch_shop_list(url: &str, timeout_seconds: u32) -> Result<String, LoadError> {
    let answer = with_retries(|_| async {
        let (status, text) = fetch_text(url, timeout_seconds).await?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            Err(LoadError::Http(status))
        }
    })
    .await;
    answer.map_err(|error| match error {
        LoadError::Http(status) => {
            LoadError::ShopList(format!("the list server answered HTTP {status}"))
        }
        other => other,
    })
}

/// Streams one shop's feed into the shared builder, with retries; returns
/// its item count. A retry reads the body from the start and passes over
/// what the failed attempt already read.
async fn load_shop(
    builder: &Rc<RefCell<CatalogueBuilder>>,
    feeds: &Rc<RefCell<Vec<ShopFeed>>>,
    index: u16,
    url: &str,
    cache: RequestCache,
    timeout_seconds: u32,
    progress: WriteSignal<Vec<ShopProgress>>,
) -> Result<usize, LoadError> {
    let shop = usize::from(index);
    with_retries(|_| async {
        set_state(
            progress,
            index,
            ShopState::Loading {
                received_bytes: 0,
                total_bytes: None,
            },
        );
        feeds.borrow_mut()[shop].restart();
        stream_body(
            url,
            cache,
            timeout_seconds,
            |slice| {
                if progress.is_disposed() {
                    return Err(LoadError::Cancelled);
                }
                builder
                    .borrow_mut()
                    .push_shop_chunk(&mut feeds.borrow_mut()[shop], slice)?;
                Ok(AfterSlice::ReadOn)
            },
            |received_bytes, total_bytes| {
                set_state(
                    progress,
                    index,
                    ShopState::Loading {
                        received_bytes,
                        total_bytes,
                    },
                )
            },
        )
        .await?;
        builder
            .borrow_mut()
            .finish_shop(&mut feeds.borrow_mut()[shop])?;
        Ok(feeds.borrow()[shop].items())
    })
    .await
}

fn set_state(progress: WriteSignal<Vec<ShopProgress>>, index: u16, state: ShopState) {
    progress.update(|shops| {
        if let Some(shop) = shops.get_mut(usize::from(index)) {
            shop.state = state;
        }
    });
}

/// The `date` of each shop's feed as last loaded, as stored.
fn stored_dates() -> HashMap<String, String> {
    storage::read(Store::Local, DATES_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The stored dates, minus shops in `toRemove`.
fn remembered_dates(list: &ShopList) -> Rc<HashMap<String, String>> {
    Rc::new(
        stored_dates()
            .into_iter()
            .filter(|(id, _)| !list.removed.contains(id))
            .collect(),
    )
}

/// Remembers the dates just loaded; shops in `toRemove` are forgotten.
fn save_dates(list: &ShopList, loaded: &HashMap<String, String>) {
    let mut stored = stored_dates();
    stored.retain(|id, _| !list.removed.contains(id));
    stored.extend(loaded.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Ok(text) = serde_json::to_string(&stored) {
        storage::write(Store::Local, DATES_KEY, &text);
    }
}
