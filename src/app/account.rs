//! The shop account wired to the components that show it: the account bar,
//! the shop panel (cart or login form) and the cards' add buttons, each
//! given signals and callbacks rather than the account itself.
//!
//! The account's state goes to them as its own `RwSignal`s, which they only
//! read (every change is a callback): a read-only wrapper per type
//! (`ReadSignal`, `Signal`) grew the bundle by 1.2 and 2.5 KB gzip.

use crate::components::{AccountBar, CartControls, CartDrawer, Credentials, LoginForm, ShopPanel};
use crate::core::client_api::ApiError;
use crate::core::CartLine;
use crate::hooks::{Panel, ShopAccount};
use futures::future::{FutureExt, LocalBoxFuture};
use leptos::prelude::*;

/// What the cards' add buttons need of `account`.
pub(super) fn cart_controls(account: ShopAccount) -> CartControls {
    CartControls {
        cart: account.cart,
        on_add: Callback::new(move |line: CartLine| {
            account.add(line);
        }),
    }
}

/// The account bar and, under it, the shop panel, for `account`.
pub(super) fn account_view(account: ShopAccount) -> impl IntoView {
    let (cart, panel) = (account.cart, account.panel);
    let set_panel = Callback::new(move |panel: Panel| account.panel.set(panel));
    let close = Callback::new(move |()| account.panel.set(Panel::Closed));
    let status = account.status;
    let cart_drawer = move || {
        view! {
            <CartDrawer
                cart=cart
                logged_in=Signal::derive(move || account.session.with(Option::is_some))
                status=status
                notice=account.cart_notice
                on_set_quantity=move |(listing_id, quantity)| account.set_quantity(listing_id, quantity)
                on_remove=move |listing_id| account.remove(listing_id)
                on_remove_unavailable=move |()| account.remove_unavailable()
                on_checkout=move |()| account.checkout()
                on_close=close
            />
        }
        .into_any()
    };
    let (shop, api_host) = account.signing_in_to();
    let login = move |reason: Option<String>| {
        view! {
            <LoginForm
                shop=shop.clone()
                api_host=api_host.clone()
                reason=reason
                on_submit=move |credentials| log_in(account, credentials)
                on_cancel=close
            />
        }
        .into_any()
    };
    view! {
        <AccountBar
            cart=cart
            session=account.session
            panel=panel
            on_panel_change=set_panel
            on_log_out=move |()| account.log_out()
        />
        <ShopPanel panel=panel on_close=close cart=cart_drawer login=login />
    }
}

/// Logs in or registers with `credentials`, as the login form asks.
fn log_in(
    account: ShopAccount,
    credentials: Credentials,
) -> LocalBoxFuture<'static, Result<(), ApiError>> {
    match credentials {
        Credentials::LogIn { email, password } => account.log_in(email, password).boxed_local(),
        Credentials::Register {
            email,
            password,
            first_name,
            last_name,
        } => account
            .register(email, password, first_name, last_name)
            .boxed_local(),
    }
}
