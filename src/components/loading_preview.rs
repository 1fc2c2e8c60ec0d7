use super::ResultList;
use crate::core::Catalogue;
use crate::load::LoadProgress;
use leptos::prelude::*;
use std::sync::Arc;

/// The feed's first items, shown while the rest is still arriving, so a
/// shopper on a slow link sees records at once.
#[component]
pub fn LoadingPreview(
    /// The first items read.
    catalogue: Arc<Catalogue>,
    /// How far the load has got, for the running count.
    #[prop(into)]
    progress: Signal<LoadProgress>,
) -> impl IntoView {
    let items: Arc<[u32]> = (0..catalogue.len() as u32).collect();
    view! {
        <div class="cg-preview" part="preview">
            <p class="cg-preview-count">
                {move || format!("{} items so far; search and filters open once everything has arrived.", progress.get().items)}
            </p>
            <ResultList catalogue=catalogue items=Signal::stored(items) />
        </div>
    }
}
