//! Fetching over HTTP with the stall timeout: a body read as a stream in
//! slices, with the page given its turn between them, or a small text
//! document read whole. Errors are the core's [`LoadError`]s.

use super::schedule::yield_to_page;
use super::stall_timer::StallTimer;
use crate::core::LoadError;
use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCache;

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

/// What reading a slice asks of the loop that feeds the slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AfterSlice {
    ReadOn,
    /// Something new is on screen: let the page render it now, so its
    /// render is not in the same task as a full budget of indexing.
    Render,
}

/// Fetches `url` and hands its body to `on_slice` as it arrives (see
/// [`OpenBody::read`]): each shop's feed of an aggregator.
#[cfg(feature = "aggregator")]
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
#[cfg(any(feature = "aggregator", feature = "cursor"))]
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
