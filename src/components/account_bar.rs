use crate::core::client_api::Session;
use crate::core::Cart;
use crate::hooks::Panel;
use leptos::prelude::*;

/// Log in / log out and the cart button, for shops that take orders here.
#[component]
pub fn AccountBar(
    /// The buyer's cart, whose units the cart button counts.
    #[prop(into)]
    cart: RwSignal<Cart>,
    /// The buyer's login session, if any.
    #[prop(into)]
    session: RwSignal<Option<Session>>,
    /// What the shop panel under the bar shows.
    #[prop(into)]
    panel: RwSignal<Panel>,
    /// Asks for the shop panel to show another thing.
    #[prop(into)]
    on_panel_change: Callback<Panel>,
    /// Ends the buyer's session.
    #[prop(into)]
    on_log_out: Callback<()>,
) -> impl IntoView {
    let units = move || cart.with(Cart::unit_count);
    let cart_open = move || panel.with(|p| *p == Panel::Cart);
    let toggle_cart = move |_| {
        let next = if panel.with_untracked(|p| *p == Panel::Cart) {
            Panel::Closed
        } else {
            Panel::Cart
        };
        on_panel_change.run(next);
    };
    // Escape on the cart button closes the cart, as it does inside it.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && panel.with_untracked(|p| *p != Panel::Closed) {
            on_panel_change.run(Panel::Closed);
        }
    };
    let session_view = move || {
        match session.get() {
        Some(session) => {
            let greeting = session.first_name.map_or_else(|| "Logged in".to_owned(), |name| format!("Hi {name}"));
            view! {
                <span class="cg-greeting">{greeting}</span>
                <button type="button" class="cg-link-button" on:click=move |_| on_log_out.run(())>
                    "Log out"
                </button>
            }
            .into_any()
        }
        None => view! {
            <button type="button" class="cg-link-button" on:click=move |_| on_panel_change.run(Panel::Login { reason: None })>
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
