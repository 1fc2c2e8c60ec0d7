//! cg-inventory: a Common Ground record shop's live catalogue, searchable on
//! any web page.
//!
//! [`core`] is plain Rust (feed parsing, the catalogue index, queries) and is
//! tested natively. The browser shell around it only exists on `wasm32`:
//!
//! - `app`: the whole widget ([`App`]), wiring hooks and loaders to the
//!   components, and the pages it mounts on;
//! - [`hooks`]: reactive state over the browser (`use_*`, one per file);
//! - [`load`]: loading a catalogue from each kind of source;
//! - [`browser`]: thin wrappers over web-sys (fetch, scheduling, storage,
//!   the URL, number formatting);
//! - [`components`]: the views, which take signals and callbacks.

/// The pure core, a crate of its own (`src/core`, `cg-core`).
pub use cg_core as core;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod load;

#[cfg(target_arch = "wasm32")]
pub use app::{mount_standalone, App};
