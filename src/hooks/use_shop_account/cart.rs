//! The cart: saved on every change, and followed as other tabs and other
//! widgets of the same shop change it.

use super::{CheckoutStatus, ShopAccount};
use crate::browser::storage::{self, Store};
use crate::core::account_scope::AccountScope;
use crate::core::cart::{AddOutcome, Cart, CartLine};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Fired on the window, with the cart's storage key, when a widget saved a cart.
const SAME_PAGE_CART_EVENT: &str = "cg-inventory-cart-saved";

/// The saved cart of `scope`. A cart saved by a version that kept carts by
/// shop domain alone is moved under the scoped key once, not lost.
pub(super) fn read_cart(scope: &AccountScope) -> (Cart, usize) {
    let key = scope.cart_key();
    let text = storage::read(Store::Local, &key).or_else(|| {
        let unscoped = scope.unscoped_cart_key();
        let text = storage::read(Store::Local, &unscoped)?;
        if storage::write(Store::Local, &key, &text) {
            storage::remove(Store::Local, &unscoped);
        }
        Some(text)
    });
    text.map_or_else(Default::default, |t| Cart::from_storage(&t))
}

/// Keeps `account`'s cart (saved under `cart_key`) the one other tabs and
/// other widgets of the page last saved, until the owner is cleaned up.
pub(super) fn follow_cart_elsewhere(account: ShopAccount, cart_key: String) {
    // Another tab of the same shop changed the cart: show the same cart.
    let listener = {
        let cart_key = cart_key.clone();
        window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(cart_key.as_str()) {
                let (cart, _) = event
                    .new_value()
                    .map_or_else(Default::default, |t| Cart::from_storage(&t));
                account.cart.set(cart);
            }
        })
    };
    // Another widget of the same shop on this page changed it (a page gets
    // no `storage` event for its own writes): read it again, so neither
    // widget saves over the other's lines.
    let same_page = window_event_listener_untyped(SAME_PAGE_CART_EVENT, move |event| {
        let detail = event
            .dyn_ref::<web_sys::CustomEvent>()
            .and_then(|e| e.detail().as_string());
        if detail.as_deref() == Some(cart_key.as_str()) {
            if let Some(text) = storage::read(Store::Local, &cart_key) {
                account.cart.set(Cart::from_storage(&text).0);
            }
        }
    });
    on_cleanup(move || {
        listener.remove();
        same_page.remove();
    });
}

impl ShopAccount {
    /// Changes the cart and saves it at once; `None` once the widget is gone.
    pub(super) fn change_cart<R>(&self, change: impl FnOnce(&mut Cart) -> R) -> Option<R> {
        let result = self.cart.try_update(change)?;
        let key = self.scope().cart_key();
        let saved = self
            .cart
            .with_untracked(|cart| storage::write(Store::Local, &key, &cart.to_storage()));
        if saved {
            let init = web_sys::CustomEventInit::new();
            init.set_detail(&key.into());
            if let Ok(event) =
                web_sys::CustomEvent::new_with_event_init_dict(SAME_PAGE_CART_EVENT, &init)
            {
                let _ = window().dispatch_event(&event);
            }
        } else {
            self.cart_notice.set(Some(
                "This browser would not save the cart; it is kept until the page is closed."
                    .to_owned(),
            ));
        }
        Some(result)
    }

    /// Puts `line` in the cart; a full cart says so in the cart's notice.
    pub fn add(&self, line: CartLine) -> Option<AddOutcome> {
        self.status.set(CheckoutStatus::Idle);
        let outcome = self.change_cart(|cart| cart.add(line));
        if outcome == Some(AddOutcome::CartFull) {
            self.cart_notice.set(Some("The cart is full.".to_owned()));
        }
        outcome
    }

    /// Sets how many of a listing the cart holds.
    pub fn set_quantity(&self, listing_id: u64, quantity: u32) {
        self.change_cart(|cart| cart.set_quantity(listing_id, quantity));
    }

    /// Takes a listing out of the cart.
    pub fn remove(&self, listing_id: u64) {
        self.change_cart(|cart| cart.remove(listing_id));
    }

    /// Removes the listings the shop no longer has, as the buyer agreed.
    pub fn remove_unavailable(&self) {
        self.change_cart(Cart::remove_unavailable);
        self.status.set(CheckoutStatus::Idle);
    }
}
