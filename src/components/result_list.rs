use super::{use_cart_controls, ResultCard};
use crate::core::card::SHOWN_LISTINGS;
use crate::core::virtual_grid::{CardSlots, FLING_GAP_MS};
use crate::core::Catalogue;
use crate::hooks::use_virtual_grid;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

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
    let frame = NodeRef::<leptos::html::Div>::new();
    let list = NodeRef::<leptos::html::Ul>::new();
    // What every card of this catalogue reserves room for.
    let most_listings = catalogue.most_listings();
    let offer_rows = most_listings.clamp(1, SHOWN_LISTINGS);
    let with_foot = most_listings > SHOWN_LISTINGS || catalogue.is_grouped();
    let with_cart = use_cart_controls().is_some();
    let count = Signal::derive(move || items.with(|i| i.len()));
    let window = use_virtual_grid(frame, list, count);
    // Each card has an id and reads the result position it shows from
    // `slots`: a new answer rewrites the cards in view rather than building
    // new ones, scrolling keeps the cards still in view, and a jump reuses
    // them (see `CardSlots`). While the grid flings past, the cards show
    // placeholders; `fling_paused` fills them once the jumps pause.
    let fling_paused = Trigger::new();
    let slots = Memo::new(move |previous: Option<&CardSlots>| {
        fling_paused.track();
        let range = window.with(|w| w.items.clone());
        let holds_focus = list
            .get_untracked()
            .is_some_and(|l| l.matches(":focus-within").unwrap_or(false));
        previous
            .cloned()
            .unwrap_or_default()
            .assign(range, !holds_focus, js_sys::Date::now())
    });
    let flinging = Memo::new(move |_| slots.with(CardSlots::is_flinging));
    let pending_fill = StoredValue::new(None::<TimeoutHandle>);
    let cancel_fill = move || {
        if let Some(handle) = pending_fill.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        // Every jump of a fling moves the fill back.
        slots.track();
        cancel_fill();
        if flinging.get_untracked() {
            let fill = move || {
                pending_fill.try_set_value(None);
                fling_paused.notify();
            };
            pending_fill.set_value(
                set_timeout_with_handle(fill, Duration::from_millis(FLING_GAP_MS as u64)).ok(),
            );
        }
    });
    on_cleanup(cancel_fill);
    let card = move |id: u32| {
        let position = Memo::new(move |_| slots.with(|s| s.position_of(id)));
        let index = Memo::new(move |_| {
            let position = position.get().filter(|_| !flinging.get())?;
            items.with(|all| all.get(position).copied())
        });
        let place = Signal::derive(move || position.get().map_or(0, |p| p + 1));
        view! { <ResultCard catalogue=catalogue.clone() index=index position=place set_size=count /> }
    };
    // A new answer is not scrolled to: the widget never scrolls its host
    // page. The search box and filters sit above the grid, so a shopper
    // changing them is looking at its start anyway.
    // The frame is as tall as every row; the rendered rows are moved into
    // place with a transform, so scrolling changes no size and the page
    // around the grid is never laid out again. Styles are set through the
    // CSSOM, which a strict Content-Security-Policy allows (a `style`
    // attribute it would block).
    view! {
        <div
            class="cg-results-frame"
            node_ref=frame
            style:height=move || window.with(|w| w.height.map(|h| format!("{h}px")).unwrap_or_default())
        >
            <ul
                class="cg-results"
                part="results"
                node_ref=list
                class:cg-with-cart=with_cart
                class:cg-with-foot=with_foot
                aria-busy=move || flinging.get().then_some("true")
                style:--cg-offer-rows=offer_rows.to_string()
                style:transform=move || format!("translateY({}px)", window.with(|w| w.space_before))
            >
                <For each=move || slots.with(CardSlots::ids) key=|id| *id children=card />
            </ul>
        </div>
    }
}
