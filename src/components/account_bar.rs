use crate::browser::{Panel, ShopAccount};
use crate::core::Cart;
use leptos::prelude::*;

/// Log in / log out and the cart button, for shops that take orders here.
#[component]
pub fn AccountBar(
    /// The buyer's session and cart.
    account: ShopAccount,
) -> impl IntoView {
    let units = move || account.cart.with(Cart::unit_count);
    let cart_open = move || account.panel.with(|p| *p == Panel::Cart);
    let toggle_cart = move |_| {
        account.panel.update(|p| {
            *p = if *p == Panel::Cart {
                Panel::Closed
            } else {
                Panel::Cart
            }
        })
    };
    // Escape on the cart button closes the cart, as it does inside it.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && account.panel.with_untracked(|p| *p != Panel::Closed) {
            account.panel.set(Panel::Closed);
        }
    };
    let session_view = move || {
        match account.session.get() {
        Some(session) => {
            let greeting = session.first_name.map_or_else(|| "Logged in".to_owned(), |name| format!("Hi {name}"));
            view! {
                <span class="cg-greeting">{greeting}</span>
                <button type="button" class="cg-link-button" on:click=move |_| account.log_out()>
                    "Log out"
                </button>
            }
            .into_any()
        }
        None => view! {
            <button type="button" class="cg-link-button" on:click=move |_| account.panel.set(Panel::Login { reason: None })>
                "Log in"
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <div class="cg-account" part="account" on:keydown=on_keydown>
            {session_view}
            <button
                type="button"
                class="cg-button cg-cart-button"
                aria-expanded=move || cart_open().to_string()
                on:click=toggle_cart
            >
                {move || format!("Cart ({})", units())}
            </button>
        </div>
    }
}
