//! The sources beyond one shop's feed, each in the build only when its
//! feature is: many shops (`aggregator`) and a cursor-paginated inventory
//! (`cursor`). A build without one says so instead of loading, in words
//! the shopper can pass on; the embed's loader never picks such a build for
//! settings that need the part it lacks.

use crate::core::{LoadError, Source};
use crate::load::{LoadProgress, LoadedCatalogue};
use leptos::prelude::*;

/// How far each shop of an aggregator has loaded (nothing without one).
#[cfg(feature = "aggregator")]
pub(super) type ShopsProgress = Vec<crate::load::ShopProgress>;
/// How far each shop of an aggregator has loaded (nothing without one).
#[cfg(not(feature = "aggregator"))]
pub(super) type ShopsProgress = Vec<()>;

/// Loads every shop of a shop list or a list of ids.
pub(super) async fn load_many_shops(
    source: Source,
    cdn: String,
    timeout_seconds: u32,
    progress: WriteSignal<ShopsProgress>,
) -> Result<LoadedCatalogue, LoadError> {
    #[cfg(feature = "aggregator")]
    {
        use crate::load::{load_shops, ShopSource};
        let source = match source {
            Source::ShopList { url, only } => ShopSource::ListUrl { url, only },
            Source::ShopIds(ids) => ShopSource::Ids(ids),
            // The app passes only the two above; one shop's feed is not many.
            _ => return Err(crate::core::ConfigError::NoShop.into()),
        };
        load_shops(source, cdn, timeout_seconds, progress).await
    }
    #[cfg(not(feature = "aggregator"))]
    {
        let _ = (source, cdn, timeout_seconds, progress);
        Err(LoadError::NotInThisBuild("several shops"))
    }
}

/// Loads a cursor-paginated inventory page by page.
pub(super) async fn load_paged_inventory(
    source: Source,
    timeout_seconds: u32,
    progress: WriteSignal<LoadProgress>,
) -> Result<LoadedCatalogue, LoadError> {
    #[cfg(feature = "cursor")]
    {
        let Source::Squarespace {
            inventory_url,
            product_url,
            page_cap,
        } = source
        else {
            // The app passes only a Squarespace source here.
            return Err(crate::core::ConfigError::NoInventoryUrl.into());
        };
        crate::load::load_squarespace(
            inventory_url,
            product_url,
            page_cap,
            timeout_seconds,
            progress,
        )
        .await
    }
    #[cfg(not(feature = "cursor"))]
    {
        let _ = (source, timeout_seconds, progress);
        Err(LoadError::NotInThisBuild("a paged (Squarespace) inventory"))
    }
}

/// Each shop's progress while an aggregator loads.
pub(super) fn shops_status(shops: ReadSignal<ShopsProgress>) -> impl IntoView {
    #[cfg(feature = "aggregator")]
    return view! { <crate::components::ShopsStatus shops=shops /> };
    #[cfg(not(feature = "aggregator"))]
    {
        let _ = shops;
    }
}
