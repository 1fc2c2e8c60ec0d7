//! A cursor-paginated inventory (Squarespace Commerce shape) read through
//! the partner's proxy, page by page, into a catalogue.

use super::loaded::{LoadProgress, LoadedCatalogue};
use super::retry::with_retries;
use crate::browser::fetch::fetch_text;
use crate::core::squarespace::{parse_page, CursorWalk, SourceError, Step};
use crate::core::{CatalogueBuilder, LoadError};
use leptos::prelude::*;
use std::sync::Arc;

/// Follows the inventory's cursors from the first page to the last.
pub async fn load_squarespace(
    inventory_url: String,
    product_url: Option<String>,
    page_cap: u32,
    timeout_seconds: u32,
    progress: WriteSignal<LoadProgress>,
) -> Result<LoadedCatalogue, LoadError> {
    let mut walk = CursorWalk::new(page_cap);
    let mut step = walk.start();
    let mut variants = Vec::new();
    let mut skipped = 0;
    while let Step::Fetch(cursor) = step {
        if progress.is_disposed() {
            return Err(LoadError::Cancelled);
        }
        let url = page_url(&inventory_url, cursor.as_deref());
        let answer = with_retries(|_| async {
            let (status, body) = fetch_text(&url, timeout_seconds).await?;
            parse_page(status, &body).map_err(LoadError::from)
        })
        .await;
        step = match answer {
            Ok(page) => {
                skipped += page.skipped;
                let next = walk.after_page(&page)?;
                variants.extend(page.variants);
                next
            }
            Err(LoadError::Source(SourceError::StaleCursor)) => {
                // The inventory changed under the cursor: read it again from the start.
                variants.clear();
                skipped = 0;
                walk.after_stale_cursor()?
            }
            Err(error) => return Err(error),
        };
        progress.try_set(LoadProgress {
            items: variants.len(),
            pages: walk.pages(),
            ..LoadProgress::default()
        });
    }
    let mut builder = CatalogueBuilder::new();
    for variant in &variants {
        builder.push_item(variant.to_item(product_url.as_deref()));
    }
    let mut catalogue = builder.finish_items();
    catalogue.stats.unreadable += skipped;
    catalogue.stats.elements += skipped;
    Ok(LoadedCatalogue {
        catalogue: Arc::new(catalogue),
        stale: None,
        notices: Vec::new(),
    })
}

/// The proxy URL for a page: the first page without a cursor.
fn page_url(base: &str, cursor: Option<&str>) -> String {
    match cursor {
        None => base.to_owned(),
        Some(cursor) => {
            let separator = if base.contains('?') { '&' } else { '?' };
            format!(
                "{base}{separator}cursor={}",
                crate::core::links::encode_component(cursor)
            )
        }
    }
}
