use crate::browser::ShopAccount;
use crate::core::cart::AddOutcome;
use crate::core::CartLine;
use leptos::prelude::*;

/// Puts one listing in the cart; says how many are already there.
#[component]
pub fn AddToCart(
    /// The buyer's session and cart.
    account: ShopAccount,
    /// The listing, as it would go in the cart.
    line: CartLine,
    /// Names the listing for screen readers, e.g. "Blue Train, Used VG+, €20".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let listing_id = line.listing_id;
    let max = line.max_quantity();
    let in_cart = Memo::new(move |_| account.cart.with(|c| c.quantity_of(listing_id)));
    let full = move || in_cart.get() >= max;
    let on_click = move |_| {
        if account.add(line.clone()) == Some(AddOutcome::CartFull) {
            account
                .cart_notice
                .set(Some("The cart is full.".to_owned()));
        }
    };
    view! {
        <button
            type="button"
            class="cg-add"
            class=("cg-added", move || in_cart.get() > 0)
            disabled=full
            aria-label=move || format!("Add to cart: {label}")
            on:click=on_click
        >
            {move || match in_cart.get() {
                0 => "Add to cart".to_owned(),
                n if n >= max => format!("In cart ({n}) · all in stock"),
                n => format!("In cart ({n}) · add one"),
            }}
        </button>
    }
}
