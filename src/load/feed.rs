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

use super::loaded::{LoadProgress, LoadedCatalogue, StaleCopy};
use super::retry::{with_retries, RETRY_DELAYS_MS};
use super::saved_index::{save_index_later, SavedIndex};
use crate::browser::fetch::{open_body, AfterSlice};
use crate::browser::schedule::yield_to_page;
use crate::core::{Catalogue, CatalogueBuilder, LoadError};
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::RequestCache;

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

/// An HTTP date as the visitor's browser writes dates.
fn readable_date(http_date: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(http_date));
    if date.get_time().is_nan() {
        return http_date.to_owned();
    }
    date.to_locale_string("default", &JsValue::UNDEFINED).into()
}
