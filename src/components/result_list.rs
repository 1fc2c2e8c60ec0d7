use super::result_card::SHOWN_LISTINGS;
use super::ResultCard;
use crate::browser::{use_virtual_grid, ShopAccount};
use crate::core::Catalogue;
use leptos::prelude::*;
use std::sync::Arc;

/// The matching items as a grid that renders only the rows in view, so the
/// page stays small and scrolls smoothly whatever the number of results.
#[component]
pub fn ResultList(
    /// The catalogue the positions refer to.
    catalogue: Arc<Catalogue>,
    /// Catalogue positions of every matching item, in order.
    #[prop(into)]
    items: Signal<Arc<[u32]>>,
) -> impl IntoView {
    let list = NodeRef::<leptos::html::Ul>::new();
    // What every card of this catalogue reserves room for.
    let offer_rows = catalogue.most_listings().clamp(1, SHOWN_LISTINGS);
    let with_foot = catalogue.most_listings() > SHOWN_LISTINGS || catalogue.is_grouped();
    let with_cart = use_context::<ShopAccount>().is_some();
    let count = Signal::derive(move || items.with(|i| i.len()));
    let window = use_virtual_grid(list, count);
    let rendered = move || {
        let range = window.with(|w| w.items.clone());
        items.with(|all| all.get(range.clone()).unwrap_or_default().iter().zip(range).map(|(&index, position)| (index, position)).collect::<Vec<_>>())
    };
    // A new answer is read from its start: bring the grid's top back into
    // view when the shopper had scrolled past it.
    Effect::new(move |previous: Option<()>| {
        items.track();
        if previous.is_some() {
            if let Some(element) = list.get_untracked() {
                if element.get_bounding_client_rect().top() < 0.0 {
                    element.scroll_into_view();
                }
            }
        }
    });
    view! {
        <ul
            class="cg-results"
            part="results"
            node_ref=list
            class:cg-with-cart=with_cart
            class:cg-with-foot=with_foot
            // Set through the CSSOM, which a strict Content-Security-Policy
            // allows (a `style` attribute it would block).
            style:--cg-offer-rows=offer_rows.to_string()
            style:padding-top=move || format!("{}px", window.with(|w| w.space_before))
            style:padding-bottom=move || format!("{}px", window.with(|w| w.space_after))
        >
            <For each=rendered key=|(index, _)| *index let:((index, position))>
                <ResultCard catalogue=catalogue.clone() index=index position=position + 1 set_size=count />
            </For>
        </ul>
    }
}
