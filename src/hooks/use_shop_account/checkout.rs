//! The checkout: a checkout created and sent the cart (or the open one
//! that holds this very cart re-used), then the buyer handed to the shop
//! to pay.

use super::{now_ms, CheckoutStatus, Resume, ShopAccount};
use crate::core::cart::{checkout_url, Cart};
use crate::core::client_api::{self, ApiError, Checkout, CheckoutItemInput, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Titles named in the message about records that are gone.
const NAMED_UNAVAILABLE: usize = 3;

impl ShopAccount {
    /// Checks the cart out: create a checkout and send it the cart (or re-use the open one that holds this very cart),
    /// then hand the buyer to the shop to pay.
    pub fn checkout(&self) {
        let account = *self;
        spawn_local(async move { account.run_checkout().await });
    }

    async fn run_checkout(self) {
        if self.status.with_untracked(CheckoutStatus::is_working)
            || self.cart.with_untracked(Cart::is_empty)
        {
            return;
        }
        let Some(session) = self.valid_session() else {
            let reason = self
                .session
                .get_untracked()
                .map(|_| ApiError::SessionExpired.to_string());
            self.session.set(None);
            self.ask_login(
                Some(Resume::Checkout),
                reason.or_else(|| Some("Log in to check out. Your cart is kept.".to_owned())),
            );
            return;
        };
        let outcome = self.checkout_steps(session).await;
        if self.is_gone() {
            return;
        }
        match outcome {
            Ok((checkout_id, url)) => {
                self.status.set(CheckoutStatus::HandedOff(url.clone()));
                if let Some(on_checkout) = self.options.with_value(|o| o.on_checkout) {
                    on_checkout.run((checkout_id, url.clone()));
                }
                let _ = window().location().assign(&url);
            }
            Err(ApiError::SessionExpired) => {
                self.save_session(None);
                self.status.set(CheckoutStatus::Idle);
                self.ask_login(
                    Some(Resume::Checkout),
                    Some(ApiError::SessionExpired.to_string()),
                );
            }
            Err(ApiError::ListingsUnavailable(ids)) => {
                self.change_cart(|cart| cart.mark_unavailable(&ids));
                let gone: Vec<String> = self.cart.with_untracked(|cart| {
                    cart.lines()
                        .iter()
                        .filter(|l| l.unavailable)
                        .map(|l| l.title.clone())
                        .collect()
                });
                // Without ids to flag, the cart is kept as it is.
                let message = match gone.len() {
                    0 => "Your cart could not be checked out: the shop says something in it is no longer available, without saying what. Your cart is kept.".to_owned(),
                    n => {
                        let mut named = gone.iter().take(NAMED_UNAVAILABLE).map(|t| format!("“{t}”")).collect::<Vec<_>>().join(", ");
                        if n > NAMED_UNAVAILABLE {
                            named.push_str(&format!(" and {} more", n - NAMED_UNAVAILABLE));
                        }
                        format!("No longer available: {named}. They are marked below: remove them to continue.")
                    }
                };
                self.status.set(CheckoutStatus::Failed(message));
            }
            Err(error) => self.status.set(CheckoutStatus::Failed(error.to_string())),
        }
    }

    async fn checkout_steps(self, mut session: Session) -> Result<(String, String), ApiError> {
        let cart = self.cart.get_untracked();
        if cart.has_unavailable() {
            return Err(ApiError::ListingsUnavailable(Vec::new()));
        }
        // Availability is the checkout's own answer: `checkoutUpdateItems`
        // refuses what is gone (see `client_api::Operation`).
        self.status
            .set(CheckoutStatus::Working("Preparing your checkout…"));
        let items = cart.checkout_items();
        let checkout = match session.checkout_holding(&items, now_ms()) {
            Some(holding_the_cart) => holding_the_cart,
            None => self.new_checkout(&mut session, &items).await?,
        };
        let url = self
            .options
            .with_value(|o| {
                checkout_url(
                    o.checkout_url.as_deref(),
                    o.storefront.as_deref(),
                    &checkout.id,
                )
            })
            .ok_or_else(|| {
                ApiError::Rejected("this site has no checkout page configured.".to_owned())
            })?;
        Ok((checkout.id, url))
    }

    /// Creates a checkout and sends it `items`. It is remembered in the
    /// session only once the update succeeded: an update that failed, or
    /// whose answer never came (the widget was removed meanwhile), may have
    /// added some items, so that checkout is never sent items again.
    async fn new_checkout(
        &self,
        session: &mut Session,
        items: &[CheckoutItemInput],
    ) -> Result<Checkout, ApiError> {
        let created = self
            .call(
                client_api::checkout_create(),
                Some(&session.jwt),
                client_api::parse_checkout,
            )
            .await?;
        let update = client_api::checkout_update_items(&created.id, items);
        let updated = self
            .call(update, Some(&session.jwt), client_api::parse_checkout)
            .await?;
        let checkout = Checkout {
            status: updated.status.or(created.status),
            // The update moves the expiry on.
            expires: updated.expires.or(created.expires),
            sent_items: items.to_vec(),
            id: created.id,
        };
        session.checkout = Some(checkout.clone());
        self.save_session(Some(session.clone()));
        Ok(checkout)
    }
}
