//! Downloads a feed as a stream and indexes it chunk by chunk, reporting
//! progress, so a large catalogue never needs its whole body in memory twice.
//!
//! A repeat visit starts from the compact index saved last time
//! ([`super::saved_index`]): the feed is revalidated (the browser sends
//! `If-Modified-Since` from its HTTP cache) while the index is restored,
//! and when its `Last-Modified` is the saved one the body is never read.
//!
//! Transient failures are retried with a bounded backoff; a download that
//! stalls is abandoned. When no fresh copy can be had, the saved index, or
//! else the copy in the browser's HTTP cache, is shown with its date.

use super::saved_index::{save_index_later, SavedIndex};
use super::stall_timer::StallTimer;
use crate::core::{Catalogue, CatalogueBuilder, LoadError};
use gloo_net::http::Request;
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCache;

/// Waits before the second and third attempts.
const RETRY_DELAYS_MS: [i32; 2] = [1_000, 3_000];
/// Bytes indexed between checks of the time spent.
const SLICE_BYTES: usize = 64 * 1024;
/// The body's first bytes are read in smaller slices: the parser's first
/// calls run cold (the browser compiles the wasm lazily), so the first 64 KB
/// took ~40 ms before the preview could show, in the task that renders it.
const COLD_SLICE_BYTES: usize = 8 * 1024;
const COLD_BYTES: u64 = 128 * 1024;
/// Main-thread time after which indexing yields, so the page stays responsive.
/// Counted across chunks: chunks already queued by the network are read in
/// the same task, so a per-chunk budget let one task index many of them.
const YIELD_AFTER_MS: f64 = 16.0;
/// Least time between two progress reports. A report per chunk (about 650
/// over a 40 MB feed) rewrote the progress text for every frame of the
/// load, which the page then had to lay out and paint.
const PROGRESS_EVERY_MS: f64 = 250.0;

/// How far a download has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub received_bytes: u64,
    /// The body size when the server said it and it still holds (a
    /// compressed transfer reports the compressed size).
    pub total_bytes: Option<u64>,
    pub items: usize,
    /// The attempt under way after a failure (1 for the first retry).
    pub retry: u32,
    /// Pages read, for a paginated source.
    pub pages: u32,
}

/// A loaded catalogue, fresh or from the saved copy.
#[derive(Clone, Debug)]
pub struct LoadedCatalogue {
    pub catalogue: Arc<Catalogue>,
    /// Set when the saved copy stands in: its date and why it was needed.
    pub stale: Option<StaleCopy>,
    /// What the shopper should know about the load (e.g. a shop that failed).
    pub notices: Vec<String>,
}

/// Why and from when a saved copy is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleCopy {
    pub as_of: String,
    pub reason: LoadError,
}

/// Items shown while the rest of the feed is still arriving.
pub const PREVIEW_ITEMS: usize = 24;

/// Fetches `url` and builds its catalogue, updating `progress` as bytes
/// arrive and putting the first [`PREVIEW_ITEMS`] items in `preview` as
/// soon as they are read.
pub async fn load_catalogue(
    url: String,
    timeout_seconds: u32,
    progress: WriteSignal<LoadProgress>,
    preview: WriteSignal<Option<Arc<Catalogue>>>,
) -> Result<LoadedCatalogue, LoadError> {
    // Both at once: the feed's revalidation need not wait for the saved
    // index, nor the index for the network.
    let saved = SavedIndex::restore(&url);
    let fresh = with_retries(|retry| {
        progress.set(LoadProgress {
            retry,
            ..LoadProgress::default()
        });
        download(
            &url,
            RequestCache::Default,
            timeout_seconds,
            retry,
            progress,
            Some(preview),
            Some(&saved),
        )
    })
    .await;
    let error = match fresh {
        Ok(Downloaded::Unchanged(catalogue)) => {
            return Ok(LoadedCatalogue {
                catalogue,
                stale: None,
                notices: Vec::new(),
            })
        }
        Ok(Downloaded::Dated(catalogue, last_modified)) => {
            save_index_later(url, last_modified, catalogue.clone(), move || {
                !progress.is_disposed()
            });
            return Ok(LoadedCatalogue {
                catalogue,
                stale: None,
                notices: Vec::new(),
            });
        }
        Ok(Downloaded::Fresh(catalogue, _)) => {
            return Ok(LoadedCatalogue {
                catalogue,
                stale: None,
                notices: Vec::new(),
            })
        }
        Err(error) => error,
    };
    let attempt = RETRY_DELAYS_MS.len() as u32;
    if error.allows_saved_copy() {
        if let (Some(catalogue), Some(feed_date)) =
            (saved.catalogue().await, saved.feed_date().await)
        {
            let stale = StaleCopy {
                as_of: readable_date(&feed_date),
                reason: error,
            };
            return Ok(LoadedCatalogue {
                catalogue,
                stale: Some(stale),
                notices: Vec::new(),
            });
        }
        // `force-cache` answers from the browser's HTTP cache whatever the
        // copy's age, and only goes to the network when there is none.
        let saved_copy = match download(
            &url,
            RequestCache::ForceCache,
            timeout_seconds,
            attempt,
            progress,
            None,
            None,
        )
        .await
        {
            Ok(Downloaded::Fresh(catalogue, Some(date)) | Downloaded::Dated(catalogue, date)) => {
                Some((catalogue, date))
            }
            _ => None,
        };
        if let Some((catalogue, date)) = saved_copy {
            let stale = StaleCopy {
                as_of: readable_date(&date),
                reason: error,
            };
            return Ok(LoadedCatalogue {
                catalogue,
                stale: Some(stale),
                notices: Vec::new(),
            });
        }
    }
    Err(error)
}

/// What a download gave.
enum Downloaded {
    /// The catalogue read, and the body's date (`Last-Modified`, else `Date`).
    Fresh(Arc<Catalogue>, Option<String>),
    /// As `Fresh`, from a body with a `Last-Modified` (whose index can be
    /// saved and revalidated).
    Dated(Arc<Catalogue>, String),
    /// The feed still has the saved index's date: the index, restored.
    Unchanged(Arc<Catalogue>),
}

/// Streams one response into a catalogue, unless it has the date of the
/// `saved` index and that index restores (then its body is not read).
async fn download(
    url: &str,
    cache: RequestCache,
    timeout_seconds: u32,
    retry: u32,
    progress: WriteSignal<LoadProgress>,
    preview: Option<WriteSignal<Option<Arc<Catalogue>>>>,
    saved: Option<&SavedIndex>,
) -> Result<Downloaded, LoadError> {
    let body = open_body(url, cache, timeout_seconds).await?;
    if let (Some(saved), Some(last_modified)) = (saved, &body.last_modified) {
        if saved.feed_date().await.as_ref() == Some(last_modified) {
            // A damaged index is no answer: then the body is read after all.
            if let Some(catalogue) = saved.catalogue().await {
                body.cancel();
                // Restoring was a task of its own; showing it is another.
                yield_to_page().await;
                return Ok(Downloaded::Unchanged(catalogue));
            }
        }
    }
    let (last_modified, date) = (body.last_modified.clone(), body.date.clone());
    let builder = RefCell::new(CatalogueBuilder::new());
    // The first items are read a second time into a small catalogue of their
    // own, shown at once: a few kilobytes parsed twice.
    let mut first_items = preview.map(|signal| (signal, CatalogueBuilder::new()));
    body.read(
        |slice| {
            if progress.is_disposed() {
                return Err(LoadError::Cancelled);
            }
            let mut after = AfterSlice::ReadOn;
            if let Some((signal, mut early)) = first_items.take() {
                // A slice the preview cannot read leaves it to the full load.
                if early.push(slice).is_ok() {
                    if early.len() >= PREVIEW_ITEMS {
                        // Shown in a task of its own: the first render runs
                        // cold (its code compiles on first use), and so
                        // does the parser in this one.
                        let preview = Arc::new(early.finish_items());
                        leptos::task::spawn_local(async move {
                            yield_to_page().await;
                            // Not once the widget is gone.
                            let _ = signal.try_set(Some(preview));
                        });
                        after = AfterSlice::Render;
                    } else {
                        first_items = Some((signal, early));
                    }
                }
            }
            builder.borrow_mut().push(slice).map_err(LoadError::from)?;
            Ok(after)
        },
        |received_bytes, total_bytes| {
            let items = builder.borrow().len();
            progress.set(LoadProgress {
                received_bytes,
                total_bytes,
                items,
                retry,
                pages: 0,
            });
        },
    )
    .await?;
    // The last slice may have used this task's budget: finish in a new one.
    yield_to_page().await;
    let catalogue = Arc::new(builder.into_inner().finish()?);
    Ok(match last_modified {
        Some(last_modified) => Downloaded::Dated(catalogue, last_modified),
        None => Downloaded::Fresh(catalogue, date),
    })
}

/// What reading a slice asks of the loop that feeds the slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AfterSlice {
    ReadOn,
    /// Something new is on screen: let the page render it now, so its
    /// render is not in the same task as a full budget of indexing.
    Render,
}

/// Fetches `url` and hands its body to `on_slice` as it arrives (see
/// [`OpenBody::read`]).
pub(crate) async fn stream_body(
    url: &str,
    cache: RequestCache,
    timeout_seconds: u32,
    on_slice: impl FnMut(&[u8]) -> Result<AfterSlice, LoadError>,
    on_progress: impl FnMut(u64, Option<u64>),
) -> Result<(), LoadError> {
    open_body(url, cache, timeout_seconds)
        .await?
        .read(on_slice, on_progress)
        .await
}

/// A response whose body is not read yet.
pub(crate) struct OpenBody {
    /// Stopped until the body is read: the wait is not the network's.
    stall: StallTimer,
    stream: web_sys::ReadableStream,
    /// The body's size, when the server said it.
    total_bytes: Option<u64>,
    pub(crate) last_modified: Option<String>,
    /// `Last-Modified`, else `Date`.
    pub(crate) date: Option<String>,
}

/// Fetches `url` up to its headers; an error status is an error.
pub(crate) async fn open_body(
    url: &str,
    cache: RequestCache,
    timeout_seconds: u32,
) -> Result<OpenBody, LoadError> {
    let stall = StallTimer::new(timeout_seconds * 1000);
    let signal = stall.signal();
    let request = Request::get(url).cache(cache).abort_signal(signal.as_ref());
    let response = request.send().await.map_err(|_| {
        if stall.fired() {
            LoadError::Timeout
        } else {
            LoadError::Network
        }
    })?;
    stall.stop();
    let response: web_sys::Response = response.into();
    if !response.ok() {
        return Err(LoadError::from_status(response.status()));
    }
    let headers = response.headers();
    let total_bytes = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    let last_modified = headers.get("last-modified").ok().flatten();
    let Some(stream) = response.body() else {
        return Err(LoadError::Interrupted);
    };
    let date = last_modified
        .clone()
        .or_else(|| headers.get("date").ok().flatten());
    Ok(OpenBody {
        stall,
        stream,
        total_bytes,
        last_modified,
        date,
    })
}

impl OpenBody {
    /// Leaves the body unread.
    pub(crate) fn cancel(self) {
        let _ = self.stream.cancel();
    }

    /// Hands the body to `on_slice` in slices of at most [`SLICE_BYTES`] as
    /// it arrives, yielding to the page between slices, and reports bytes
    /// received (and the total, when known and still true) after the first
    /// chunk, then at most every [`PROGRESS_EVERY_MS`], and at the end.
    pub(crate) async fn read(
        self,
        mut on_slice: impl FnMut(&[u8]) -> Result<AfterSlice, LoadError>,
        mut on_progress: impl FnMut(u64, Option<u64>),
    ) -> Result<(), LoadError> {
        let OpenBody {
            stall,
            stream,
            total_bytes,
            ..
        } = self;
        let reader: web_sys::ReadableStreamDefaultReader = stream
            .get_reader()
            .dyn_into()
            .map_err(|_| LoadError::Interrupted)?;
        let mut received_bytes = 0u64;
        // Time spent on the body since the page last ran. Waiting for the network
        // is not counted: a read that waits may resume in a new task, and then
        // the count only makes the next yield come a little early.
        let mut busy_ms = 0.0;
        let mut reported = (0u64, f64::NEG_INFINITY);
        let total_so_far = |received: u64| total_bytes.filter(|total| *total >= received);
        loop {
            stall.restart();
            let step = JsFuture::from(reader.read()).await.map_err(|_| {
                if stall.fired() {
                    LoadError::Timeout
                } else {
                    LoadError::Interrupted
                }
            })?;
            let mut since = js_sys::Date::now();
            if js_sys::Reflect::get(&step, &"done".into()).map_or(true, |d| d.is_truthy()) {
                break;
            }
            let Ok(value) = js_sys::Reflect::get(&step, &"value".into()) else {
                break;
            };
            // Copied into fresh memory: resizing a kept buffer first zeroed it,
            // 25 ms over a 40 MB feed in a profile.
            let buffer = chunk_bytes(value).to_vec();
            let mut indexed_bytes = received_bytes;
            received_bytes += buffer.len() as u64;
            // A chunk can be megabytes on a fast link: index it in slices and
            // let the page breathe between them.
            let mut rest = buffer.as_slice();
            while !rest.is_empty() {
                let slice_bytes = if indexed_bytes < COLD_BYTES {
                    COLD_SLICE_BYTES
                } else {
                    SLICE_BYTES
                };
                let (slice, tail) = rest.split_at(slice_bytes.min(rest.len()));
                rest = tail;
                indexed_bytes += slice.len() as u64;
                let after = match on_slice(slice) {
                    Ok(after) => after,
                    Err(error) => {
                        // Nothing more of this body is wanted: stop the download too.
                        let _ = reader.cancel();
                        return Err(error);
                    }
                };
                let now = js_sys::Date::now();
                busy_ms += now - since;
                since = now;
                if busy_ms > YIELD_AFTER_MS || after == AfterSlice::Render {
                    stall.stop();
                    yield_to_page().await;
                    stall.restart();
                    busy_ms = 0.0;
                    since = js_sys::Date::now();
                }
            }
            let now = js_sys::Date::now();
            if now - reported.1 >= PROGRESS_EVERY_MS {
                on_progress(received_bytes, total_so_far(received_bytes));
                reported = (received_bytes, now);
            }
            busy_ms += js_sys::Date::now() - since;
        }
        if reported.0 != received_bytes {
            on_progress(received_bytes, total_so_far(received_bytes));
        }
        stall.stop();
        Ok(())
    }
}

/// A chunk a body's reader gave, as the `Uint8Array` it is.
/// (`new Uint8Array(chunk)` would copy it first.)
pub(crate) fn chunk_bytes(chunk: JsValue) -> js_sys::Uint8Array {
    chunk
        .dyn_into()
        .unwrap_or_else(|other: JsValue| js_sys::Uint8Array::new(&other))
}

/// Fetches a small text document (a shop list, an inventory page) with the
/// stall timeout, returning its status and body.
pub(crate) async fn fetch_text(
    url: &str,
    timeout_seconds: u32,
) -> Result<(u16, String), LoadError> {
    let stall = StallTimer::new(timeout_seconds * 1000);
    let signal = stall.signal();
    let failed = |stall: &StallTimer| {
        if stall.fired() {
            LoadError::Timeout
        } else {
            LoadError::Network
        }
    };
    let response = Request::get(url)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| failed(&stall))?;
    let status = response.status();
    let text = response.text().await.map_err(|_| failed(&stall))?;
    stall.stop();
    Ok((status, text))
}

/// Runs `attempt` (given the retry number, 0 first) until it succeeds,
/// fails for good, or has been retried after each of [`RETRY_DELAYS_MS`].
pub(crate) async fn with_retries<T, F: std::future::Future<Output = Result<T, LoadError>>>(
    mut attempt: impl FnMut(u32) -> F,
) -> Result<T, LoadError> {
    let mut retry = 0;
    loop {
        match attempt(retry).await {
            Err(error) if error.is_transient() && (retry as usize) < RETRY_DELAYS_MS.len() => {
                sleep(RETRY_DELAYS_MS[retry as usize]).await;
                retry += 1;
            }
            result => return result,
        }
    }
}

/// Lets the page handle input, paint and network tasks, then carries on:
/// `scheduler.postTask` where the browser has it, a task of normal priority
/// that is not clamped to 4 ms as a chain of zero timeouts soon is. Not
/// `scheduler.yield()`: its continuation runs ahead of the network tasks
/// that deliver the body, which slowed a 40 MB download from ~43 to ~17 MB/s.
pub async fn yield_to_page() {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into())
        .ok()
        .filter(JsValue::is_object);
    let post_task = scheduler.as_ref().and_then(|s| {
        js_sys::Reflect::get(s, &"postTask".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    if let (Some(scheduler), Some(post_task)) = (scheduler, post_task) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = post_task.call1(&scheduler, &resolve);
        });
        let _ = JsFuture::from(promise).await;
        return;
    }
    sleep(0).await;
}

/// Waits `ms` milliseconds, letting the browser run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// An HTTP date as the visitor's browser writes dates.
fn readable_date(http_date: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(http_date));
    if date.get_time().is_nan() {
        return http_date.to_owned();
    }
    date.to_locale_string("default", &JsValue::UNDEFINED).into()
}
