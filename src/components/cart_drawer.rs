use super::{DisplayContext, Heading, WidgetEvent};
use crate::core::links::item_link;
use crate::core::{Cart, CartLine};
use crate::hooks::CheckoutStatus;
use leptos::prelude::*;

/// The cart: its lines, the subtotal and the checkout.
#[component]
pub fn CartDrawer(
    /// The buyer's cart.
    #[prop(into)]
    cart: RwSignal<Cart>,
    /// Whether the buyer is logged in (else checking out asks them to).
    #[prop(into)]
    logged_in: Signal<bool>,
    /// Where the checkout has got to.
    #[prop(into)]
    status: RwSignal<CheckoutStatus>,
    /// A message about the cart itself, e.g. lines that could not be restored.
    #[prop(into)]
    notice: Signal<Option<String>>,
    /// Sets how many of a listing (by id) the cart holds.
    #[prop(into)]
    on_set_quantity: Callback<(u64, u32)>,
    /// Takes a listing (by id) out of the cart.
    #[prop(into)]
    on_remove: Callback<u64>,
    /// Takes out the listings the shop no longer has.
    #[prop(into)]
    on_remove_unavailable: Callback<()>,
    /// Checks the cart out.
    #[prop(into)]
    on_checkout: Callback<()>,
    /// Closes the cart.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let heading_level = display.section_level();
    let ids = Memo::new(move |_| {
        cart.with(|c| c.lines().iter().map(|l| l.listing_id).collect::<Vec<_>>())
    });
    let subtotal = {
        let format = display.price_format.clone();
        move || {
            let (total, unpriced) = cart.with(Cart::subtotal);
            let note = if unpriced {
                " (some prices on request)"
            } else {
                ""
            };
            format!("{}{note}", format.format(total))
        }
    };
    let has_unavailable = move || cart.with(Cart::has_unavailable);
    let empty = move || cart.with(Cart::is_empty);
    let checking_out = move || status.with(CheckoutStatus::is_working);
    let status_view = move || {
        match status.get() {
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
        let failed = status.with(|s| matches!(s, CheckoutStatus::Failed(_))) && !has_unavailable();
        match (checking_out(), logged_in.get(), failed) {
            (true, _, _) => "Checking out…",
            (false, false, _) => "Log in to check out",
            (false, true, true) => "Try again",
            (false, true, false) => "Check out",
        }
    };
    view! {
        <section class="cg-cart" part="cart" aria-label="Cart">
            <Heading class="cg-panel-title" level=heading_level>
                "Your cart"
            </Heading>
            {move || notice.get().map(|n| view! { <p class="cg-notice">{n}</p> })}
            <Show when=move || !empty() fallback=|| view! { <p class="cg-cart-empty">"Your cart is empty."</p> }>
                <ul class="cg-cart-lines">
                    <For each=move || ids.get() key=|id| *id let:listing_id>
                        <CartLineRow cart=cart listing_id=listing_id on_set_quantity=on_set_quantity on_remove=on_remove />
                    </For>
                </ul>
                <p class="cg-subtotal">
                    <span>"Subtotal "</span>
                    <strong>{subtotal.clone()}</strong>
                </p>
                {status_view}
                <div class="cg-form-actions">
                    <Show when=has_unavailable>
                        <button type="button" class="cg-button cg-remove-unavailable" on:click=move |_| on_remove_unavailable.run(())>
                            "Remove unavailable records"
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="cg-button cg-checkout"
                        disabled=move || checking_out() || has_unavailable()
                        on:click=move |_| on_checkout.run(())
                    >
                        {checkout_label}
                    </button>
                </div>
            </Show>
            <button type="button" class="cg-link-button" on:click=move |_| on_close.run(())>
                "Close cart"
            </button>
        </section>
    }
}

/// One cart line; it follows the cart, so quantity and flags stay current.
#[component]
fn CartLineRow(
    /// The buyer's cart.
    cart: RwSignal<Cart>,
    /// The listing this line is for.
    listing_id: u64,
    /// Sets how many of a listing (by id) the cart holds.
    on_set_quantity: Callback<(u64, u32)>,
    /// Takes a listing (by id) out of the cart.
    on_remove: Callback<u64>,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let line = Memo::new(move |_| {
        cart.with(|c| {
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
                        on_set_quantity.run((listing_id, quantity));
                    }
                />
            </label>
            <span class="cg-line-total">{price}</span>
            <button
                type="button"
                class="cg-link-button"
                aria-label=move || format!("Remove {} from the cart", title())
                on:click=move |_| on_remove.run(listing_id)
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
