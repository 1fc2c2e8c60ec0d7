use super::{DisplayContext, WidgetEvent};
use crate::browser::{CheckoutStatus, Panel, ShopAccount};
use crate::core::links::item_link;
use crate::core::{Cart, CartLine};
use leptos::prelude::*;

/// The cart: its lines, the subtotal and the checkout.
#[component]
pub fn CartDrawer(
    /// The buyer's session and cart.
    account: ShopAccount,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let ids = Memo::new(move |_| {
        account
            .cart
            .with(|c| c.lines().iter().map(|l| l.listing_id).collect::<Vec<_>>())
    });
    let subtotal = {
        let format = display.price_format.clone();
        move || {
            let (total, unpriced) = account.cart.with(Cart::subtotal);
            let note = if unpriced {
                " (some prices on request)"
            } else {
                ""
            };
            format!("{}{note}", format.format(total))
        }
    };
    let has_unavailable = move || account.cart.with(Cart::has_unavailable);
    let empty = move || account.cart.with(Cart::is_empty);
    let logged_in = move || account.session.with(Option::is_some);
    let status = move || {
        match account.status.get() {
        CheckoutStatus::Idle => ().into_any(),
        CheckoutStatus::Working(step) => view! { <p class="cg-checkout-status" role="status">{step}</p> }.into_any(),
        CheckoutStatus::Failed(message) => view! { <p class="cg-checkout-error" role="alert">{message}</p> }.into_any(),
        CheckoutStatus::HandedOff(_) => {
            view! { <p class="cg-checkout-status" role="status">"Taking you to the shop to pay…"</p> }.into_any()
        }
    }
    };
    let checkout_label = move || {
        // A flagged line blocks the checkout until removed, so "Try again" would mislead.
        let failed = account
            .status
            .with(|s| matches!(s, CheckoutStatus::Failed(_)))
            && !has_unavailable();
        match (account.checking_out(), logged_in(), failed) {
            (true, _, _) => "Checking out…",
            (false, false, _) => "Log in to check out",
            (false, true, true) => "Try again",
            (false, true, false) => "Check out",
        }
    };
    view! {
        <section class="cg-cart" part="cart" aria-label="Cart">
            <h2 class="cg-panel-title">"Your cart"</h2>
            {move || account.cart_notice.get().map(|n| view! { <p class="cg-notice">{n}</p> })}
            <Show when=move || !empty() fallback=|| view! { <p class="cg-cart-empty">"Your cart is empty."</p> }>
                <ul class="cg-cart-lines">
                    <For each=move || ids.get() key=|id| *id let:listing_id>
                        <CartLineRow account=account listing_id=listing_id />
                    </For>
                </ul>
                <p class="cg-subtotal">
                    <span>"Subtotal "</span>
                    <strong>{subtotal.clone()}</strong>
                </p>
                {status}
                <div class="cg-form-actions">
                    <Show when=has_unavailable>
                        <button type="button" class="cg-button cg-remove-unavailable" on:click=move |_| account.remove_unavailable()>
                            "Remove unavailable records"
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="cg-button cg-checkout"
                        disabled=move || account.checking_out() || has_unavailable()
                        on:click=move |_| account.checkout()
                    >
                        {checkout_label}
                    </button>
                </div>
            </Show>
            <button type="button" class="cg-link-button" on:click=move |_| account.panel.set(Panel::Closed)>
                "Close cart"
            </button>
        </section>
    }
}

/// One cart line; it follows the cart, so quantity and flags stay current.
#[component]
fn CartLineRow(
    /// The buyer's session and cart.
    account: ShopAccount,
    /// The listing this line is for.
    listing_id: u64,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let line = Memo::new(move |_| {
        account.cart.with(|c| {
            c.lines()
                .iter()
                .find(|l| l.listing_id == listing_id)
                .cloned()
        })
    });
    let current = move || {
        line.get().unwrap_or_else(|| CartLine {
            listing_id,
            ..placeholder()
        })
    };
    let title = move || current().title;
    let link = {
        let storefront = display.storefront.clone();
        move || item_link(storefront.as_deref(), current().path.as_deref())
    };
    let price = {
        let format = display.price_format.clone();
        move || {
            current()
                .total()
                .map_or_else(|| "Price on request".to_owned(), |t| format.format(t))
        }
    };
    view! {
        <li class="cg-cart-line" class:cg-line-unavailable=move || current().unavailable>
            <div class="cg-cart-item">
                {move || match link() {
                    Some(href) => {
                        let display = display.clone();
                        let (item_id, url) = (current().item_id, href.clone());
                        let on_click = move |_| display.emit(WidgetEvent::ViewItem { item_id, url: url.clone() });
                        view! { <a class="cg-cart-title" href=href target="_blank" rel="noopener" on:click=on_click>{title()}</a> }.into_any()
                    }
                    None => view! { <span class="cg-cart-title">{title()}</span> }.into_any(),
                }}
                <span class="cg-artists">{move || current().artists}</span>
                <span class="cg-meta">{move || current().detail}</span>
                <Show when=move || current().unavailable>
                    <strong class="cg-unavailable">"No longer available"</strong>
                </Show>
            </div>
            <label class="cg-quantity">
                <span class="cg-visually-hidden">{move || format!("Quantity of {}", title())}</span>
                <input
                    type="number"
                    min="1"
                    max=move || current().max_quantity().to_string()
                    prop:value=move || current().quantity.to_string()
                    on:change=move |ev| {
                        let quantity = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                        account.set_quantity(listing_id, quantity);
                    }
                />
            </label>
            <span class="cg-line-total">{price}</span>
            <button
                type="button"
                class="cg-link-button"
                aria-label=move || format!("Remove {} from the cart", title())
                on:click=move |_| account.remove(listing_id)
            >
                "Remove"
            </button>
        </li>
    }
}

fn placeholder() -> CartLine {
    CartLine {
        listing_id: 0,
        item_id: None,
        title: String::new(),
        artists: String::new(),
        detail: String::new(),
        unit_price: None,
        quantity: 1,
        stock: None,
        path: None,
        unavailable: false,
    }
}
