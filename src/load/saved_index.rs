//! The compact index of the last feed read, kept in the Cache API, so a
//! repeat visit shows results without downloading or parsing the feed when
//! it has not changed (its `Last-Modified` is the key's companion).
//!
//! Everything here is best effort: where the Cache API is missing (an
//! insecure page) or refuses (storage full, private mode), the feed is
//! simply read as on a first visit.

use crate::browser::fetch::chunk_bytes;
use crate::browser::idle_work::prepare_sorts;
use crate::browser::schedule::{sleep, yield_to_page};
use crate::core::{Catalogue, SnapshotLoader, SnapshotWriter};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The Cache API cache holding saved indexes. The snapshot format version
/// is in the stored bytes, so a new build refuses an old index by itself.
const CACHE_NAME: &str = "cg-inventory-index";
/// The stored response's header carrying the feed's `Last-Modified`.
const FEED_DATE_HEADER: &str = "x-cg-feed-date";
/// How long after loading to start saving: the shopper's first
/// interactions come first.
const SAVE_AFTER_MS: i32 = 1_500;
/// Main-thread time spent reading the snapshot before yielding to the page.
const RESTORE_TASK_MS: f64 = 8.0;
/// Main-thread time spent writing the snapshot before yielding to the page.
const SAVE_TASK_MS: f64 = 8.0;
/// Bytes handed to JavaScript per task while saving (a copy of tens of
/// megabytes in one go is a long task).
const SAVE_PART_BYTES: usize = 1 << 20;
/// Parts copied between yields to the page.
const SAVE_PARTS_PER_TASK: usize = 4;
/// Indexes kept per origin, the newest; a page that shows many feeds must
/// not collect a copy of each (one is about half its feed's size).
const MAX_SAVED_INDEXES: u32 = 3;

/// The index saved for one feed, found and restored in the background from
/// the moment it is asked for, so that revalidating the feed never waits
/// for it.
pub(super) struct SavedIndex {
    /// The stored response and its feed date: found without reading its body.
    found: Shared<LocalBoxFuture<'static, Option<Found>>>,
    /// The restored catalogue, `None` without a readable index (a damaged
    /// or outdated one is deleted).
    catalogue: Shared<LocalBoxFuture<'static, Option<Arc<Catalogue>>>>,
}

#[derive(Clone)]
struct Found {
    response: web_sys::Response,
    feed_date: String,
}

thread_local! {
    /// Turns a failed lookup into "nothing saved".
    static NO_SAVED_INDEX: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
    /// Lookups started by [`look_up_early`], by feed URL.
    static EARLY_LOOKUPS: std::cell::RefCell<Vec<(String, js_sys::Promise)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts looking up the index saved for `feed_url` now, for the
/// [`SavedIndex::restore`] that follows: the widget calls it before
/// building its first view, so the lookup (~10–20 ms of storage work on a
/// repeat visit) overlaps that build rather than following it.
pub fn look_up_early(feed_url: &str) {
    if let Some(lookup) = look_up(feed_url) {
        // Nobody may await this lookup (the widget can go before it loads):
        // a failure (storage blocked) means no saved index, never an
        // unhandled rejection on the host page.
        let lookup = NO_SAVED_INDEX.with(|no_index| lookup.catch(no_index));
        EARLY_LOOKUPS.with_borrow_mut(|lookups| {
            // One per feed: a widget mounted and gone before loading leaves
            // its lookup for the next.
            lookups.retain(|(url, _)| url != feed_url);
            lookups.push((feed_url.to_owned(), lookup));
        });
    }
}

/// `caches.match(feed_url, { cacheName })`: one call, no cache to open first.
fn look_up(feed_url: &str) -> Option<js_sys::Promise> {
    let caches = cache_storage()?;
    let options = web_sys::CacheQueryOptions::new();
    js_sys::Reflect::set(
        &options,
        &JsValue::from_str("cacheName"),
        &JsValue::from_str(CACHE_NAME),
    )
    .ok()?;
    Some(caches.match_with_str_and_options(feed_url, &options))
}

impl SavedIndex {
    /// Starts looking for the index saved for the feed at `feed_url` and
    /// restoring it.
    pub(super) fn restore(feed_url: &str) -> SavedIndex {
        let feed_url = feed_url.to_owned();
        let found = find(feed_url.clone()).boxed_local().shared();
        let catalogue = {
            let found = found.clone();
            async move { restore(&feed_url, found.await?).await }
                .boxed_local()
                .shared()
        };
        // Run now, not when first awaited.
        leptos::task::spawn_local(catalogue.clone().map(drop));
        SavedIndex { found, catalogue }
    }

    /// The `Last-Modified` of the feed the saved index was built from.
    pub(super) async fn feed_date(&self) -> Option<String> {
        self.found.clone().await.map(|found| found.feed_date)
    }

    /// The saved catalogue, once restored.
    pub(super) async fn catalogue(&self) -> Option<Arc<Catalogue>> {
        self.catalogue.clone().await
    }
}

async fn find(feed_url: String) -> Option<Found> {
    let early = EARLY_LOOKUPS.with_borrow_mut(|lookups| {
        let at = lookups.iter().position(|(url, _)| *url == feed_url)?;
        Some(lookups.swap_remove(at).1)
    });
    let found = JsFuture::from(early.or_else(|| look_up(&feed_url))?)
        .await
        .ok()?;
    let response: web_sys::Response = found.dyn_into().ok()?;
    let feed_date = response.headers().get(FEED_DATE_HEADER).ok().flatten()?;
    Some(Found {
        response,
        feed_date,
    })
}

async fn restore(feed_url: &str, found: Found) -> Option<Arc<Catalogue>> {
    let loaded = read_body(&found.response).await?;
    match loaded.finish() {
        Ok(catalogue) => Some(Arc::new(catalogue)),
        Err(_) => {
            if let Some(cache) = open_cache().await {
                let _ = JsFuture::from(cache.delete_with_str(feed_url)).await;
            }
            None
        }
    }
}

/// The stored snapshot, read as a stream: each chunk is copied into wasm
/// memory and checksummed as it arrives, so that work overlaps the read
/// and only decoding is left after the last byte. (Read whole, the copy
/// and the checksum were ~25 ms of a ~60 ms task at 50,000 items.)
async fn read_body(response: &web_sys::Response) -> Option<SnapshotLoader> {
    let reader: web_sys::ReadableStreamDefaultReader =
        response.body()?.get_reader().dyn_into().ok()?;
    let mut loader = SnapshotLoader::new();
    let mut since = js_sys::Date::now();
    loop {
        let step = JsFuture::from(reader.read()).await.ok()?;
        if js_sys::Reflect::get(&step, &JsValue::from_str("done"))
            .map_or(true, |done| done.is_truthy())
        {
            return Some(loader);
        }
        let chunk = chunk_bytes(js_sys::Reflect::get(&step, &JsValue::from_str("value")).ok()?);
        loader.push_with(chunk.length() as usize, |room| chunk.copy_to(room));
        // Chunks already read by the browser resolve one after another in
        // the same task.
        if js_sys::Date::now() - since > RESTORE_TASK_MS {
            yield_to_page().await;
            since = js_sys::Date::now();
        }
    }
}

/// Saves `catalogue` (read from `feed_url`, dated `feed_date`) in idle
/// moments: first every sort order, in steps, so a restored index
/// needs none built; then the snapshot, a part at a time.
pub(super) fn save_index_later(
    feed_url: String,
    feed_date: String,
    catalogue: Arc<Catalogue>,
    wanted: impl Fn() -> bool + 'static,
) {
    leptos::task::spawn_local(async move {
        sleep(SAVE_AFTER_MS).await;
        // Not for a widget removed meanwhile: its index may never be asked for.
        if !wanted() {
            return;
        }
        prepare_sorts(&catalogue).await;
        let Some(cache) = open_cache().await else {
            return;
        };
        let mut writer = SnapshotWriter::new(&catalogue);
        let mut since = js_sys::Date::now();
        while writer.write_part() {
            if js_sys::Date::now() - since > SAVE_TASK_MS {
                sleep(0).await;
                since = js_sys::Date::now();
            }
        }
        let snapshot = writer.finish();
        // The bytes go to JavaScript in parts, a few per task, and become a
        // Blob, which the cache reads without holding the page up.
        let parts = js_sys::Array::new();
        for (index, part) in snapshot.chunks(SAVE_PART_BYTES).enumerate() {
            if index > 0 && index % SAVE_PARTS_PER_TASK == 0 {
                sleep(0).await;
            }
            parts.push(&js_sys::Uint8Array::from(part));
        }
        drop(snapshot);
        let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) else {
            return;
        };
        let Ok(headers) = web_sys::Headers::new() else {
            return;
        };
        let _ = headers.set(FEED_DATE_HEADER, &feed_date);
        let _ = headers.set("content-type", "application/octet-stream");
        let init = web_sys::ResponseInit::new();
        init.set_headers(&headers);
        let Ok(response) = web_sys::Response::new_with_opt_blob_and_init(Some(&blob), &init) else {
            return;
        };
        if JsFuture::from(cache.put_with_str(&feed_url, &response))
            .await
            .is_ok()
        {
            forget_oldest(&cache, &feed_url).await;
        }
    });
}

/// Deletes the oldest saved indexes beyond [`MAX_SAVED_INDEXES`], never the
/// one at `kept_url` (keys come back oldest first).
async fn forget_oldest(cache: &web_sys::Cache, kept_url: &str) {
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let keys = js_sys::Array::from(&keys);
    let excess = keys.length().saturating_sub(MAX_SAVED_INDEXES);
    for key in keys.iter().take(excess as usize) {
        let Some(url) = js_sys::Reflect::get(&key, &JsValue::from_str("url"))
            .ok()
            .and_then(|u| u.as_string())
        else {
            continue;
        };
        if url != kept_url {
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
        }
    }
}

async fn open_cache() -> Option<web_sys::Cache> {
    JsFuture::from(cache_storage()?.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

fn cache_storage() -> Option<web_sys::CacheStorage> {
    // `caches` is absent on insecure pages; reading it there throws.
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("caches"))
        .ok()?
        .dyn_into()
        .ok()
}
