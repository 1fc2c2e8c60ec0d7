//! Downloads a feed as a stream and indexes it chunk by chunk, reporting
//! progress, so a large catalogue never needs its whole body in memory twice.

use crate::core::{Catalogue, CatalogueBuilder, LoadError};
use gloo_net::http::Request;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How far a download has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub received_bytes: u64,
    /// The body size when the server said it and it still holds (a
    /// compressed transfer reports the compressed size).
    pub total_bytes: Option<u64>,
    pub items: usize,
}

/// Fetches `url` and builds its catalogue, updating `progress` as bytes arrive.
pub async fn load_catalogue(url: String, progress: WriteSignal<LoadProgress>) -> Result<Arc<Catalogue>, LoadError> {
    progress.set(LoadProgress::default());
    let response = Request::get(&url).send().await.map_err(|_| LoadError::Network)?;
    if !response.ok() {
        return Err(LoadError::from_status(response.status()));
    }
    let total_bytes = response.headers().get("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let mut builder = CatalogueBuilder::new();
    let mut received_bytes = 0u64;
    match response.body() {
        Some(stream) => {
            let reader: web_sys::ReadableStreamDefaultReader =
                stream.get_reader().dyn_into().map_err(|_| LoadError::Interrupted)?;
            let mut buffer = Vec::new();
            loop {
                let step = JsFuture::from(reader.read()).await.map_err(|_| LoadError::Interrupted)?;
                let done = js_sys::Reflect::get(&step, &"done".into()).map(|d| d.is_truthy()).unwrap_or(true);
                if done {
                    break;
                }
                let Ok(value) = js_sys::Reflect::get(&step, &"value".into()) else { break };
                let chunk = js_sys::Uint8Array::new(&value);
                buffer.resize(chunk.length() as usize, 0);
                chunk.copy_to(&mut buffer);
                received_bytes += buffer.len() as u64;
                builder.push(&buffer)?;
                progress.set(LoadProgress {
                    received_bytes,
                    total_bytes: total_bytes.filter(|total| *total >= received_bytes),
                    items: builder.len(),
                });
            }
        }
        None => {
            let bytes = response.binary().await.map_err(|_| LoadError::Interrupted)?;
            builder.push(&bytes)?;
        }
    }
    Ok(Arc::new(builder.finish()?))
}
