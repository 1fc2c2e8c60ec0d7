use super::{CartDrawer, LoginForm};
use crate::browser::{Panel, ShopAccount};
use leptos::prelude::*;

/// The panel under the account bar: the cart, or the login form.
#[component]
pub fn ShopPanel(
    /// The buyer's session and cart.
    account: ShopAccount,
) -> impl IntoView {
    // Escape closes the panel, as it would a dialog.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            account.panel.set(Panel::Closed);
        }
    };
    view! {
        <div class="cg-panel" part="panel" on:keydown=on_keydown>
            {move || match account.panel.get() {
                Panel::Closed => ().into_any(),
                Panel::Cart => view! { <CartDrawer account=account /> }.into_any(),
                Panel::Login { reason } => view! { <LoginForm account=account reason=reason /> }.into_any(),
            }}
        </div>
    }
}
