use super::ResultCard;
use crate::core::Catalogue;
use leptos::prelude::*;
use std::sync::Arc;

/// The matching items, one page at a time.
#[component]
pub fn ResultList(
    /// The catalogue the positions refer to.
    catalogue: Arc<Catalogue>,
    /// Catalogue positions of the items to show, in order.
    #[prop(into)]
    items: Signal<Vec<u32>>,
) -> impl IntoView {
    view! {
        <ul class="cg-results" part="results">
            <For each=move || items.get() key=|index| *index let:index>
                <ResultCard catalogue=catalogue.clone() index=index />
            </For>
        </ul>
    }
}
