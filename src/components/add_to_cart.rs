use crate::core::{Cart, CartLine};
use leptos::prelude::*;

/// Puts one listing in the cart; says how many are already there.
#[component]
pub fn AddToCart(
    /// The buyer's cart.
    #[prop(into)]
    cart: RwSignal<Cart>,
    /// Puts the listing in the cart.
    #[prop(into)]
    on_add: Callback<CartLine>,
    /// The listing, as it would go in the cart.
    line: CartLine,
    /// Names the listing for screen readers, e.g. "Blue Train, Used VG+, €20".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let listing_id = line.listing_id;
    let max = line.max_quantity();
    let in_cart = Memo::new(move |_| cart.with(|c| c.quantity_of(listing_id)));
    let full = move || in_cart.get() >= max;
    let on_click = move |_| on_add.run(line.clone());
    let text = move || match in_cart.get() {
        0 => "Add to cart".to_owned(),
        n if n >= max => format!("In cart ({n}) · all in stock"),
        n => format!("In cart ({n}) · add one"),
    };
    view! {
        <button
            type="button"
            class="cg-add"
            class=("cg-added", move || in_cart.get() > 0)
            disabled=full
            // The visible words first, so a speech user who says them
            // finds the button (WCAG 2.5.3), then which listing it is.
            aria-label=move || format!("{}: {label}", text())
            on:click=on_click
        >
            {text}
        </button>
    }
}
