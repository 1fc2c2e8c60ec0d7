//! `use_shop_account`: the buyer's side of the shop: login session, cart
//! and checkout.
//!
//! The cart is written to `localStorage` on every change, so a reload, a
//! login round-trip or a crash loses nothing; the session lives in
//! `sessionStorage` and ends with the tab. Neither ever holds the password.

mod cart;
mod checkout;
mod session;

use crate::browser::storage::{self, Store};
use crate::browser::{post_graphql, ApiTarget};
use crate::core::account_scope::AccountScope;
use crate::core::cart::Cart;
use crate::core::client_api::{ApiError, GraphqlRequest, Operation, Session};
use leptos::prelude::*;

/// What the shop panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Nothing: the panel is closed.
    Closed,
    /// The cart.
    Cart,
    /// The login form, with why it was opened (e.g. an expired session).
    Login {
        /// Why the buyer is asked to log in.
        reason: Option<String>,
    },
}

/// Where the checkout has got to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutStatus {
    /// No checkout under way.
    Idle,
    /// A step is under way, described for the buyer.
    Working(&'static str),
    /// The checkout failed, with the message for the buyer.
    Failed(String),
    /// The buyer is being sent to the shop to pay.
    HandedOff(String),
}

impl CheckoutStatus {
    /// Whether a checkout is under way (it cannot start twice).
    pub fn is_working(&self) -> bool {
        matches!(self, CheckoutStatus::Working(_))
    }
}

/// What the buyer was doing when a login was needed, to carry on after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resume {
    Checkout,
}

/// Settings for [`use_shop_account_with_options`].
#[derive(Clone, Debug)]
pub struct UseShopAccountOptions {
    /// Where Client API calls go.
    pub target: ApiTarget,
    /// Where this API's and shop's session and cart are kept.
    pub scope: AccountScope,
    /// The shop's storefront URL, which the checkout URL may be built on.
    pub storefront: Option<String>,
    /// The hand-off URL template with `{checkoutId}`.
    pub checkout_url: Option<String>,
    /// Fires with the checkout id and URL just before the hand-off.
    pub on_checkout: Option<Callback<(String, String)>>,
}

/// The buyer's session, cart and checkout for one shop. Cheap to copy.
///
/// A handle for the app to wire to its components, which take its signals
/// and callbacks built on its methods.
#[derive(Clone, Copy)]
pub struct ShopAccount {
    /// The cart, as saved.
    pub cart: RwSignal<Cart>,
    /// The buyer's login session, if any.
    pub session: RwSignal<Option<Session>>,
    /// What the shop panel shows.
    pub panel: RwSignal<Panel>,
    /// Where the checkout has got to.
    pub status: RwSignal<CheckoutStatus>,
    /// A message about the cart itself (e.g. lines that could not be restored).
    pub cart_notice: RwSignal<Option<String>>,
    options: StoredValue<UseShopAccountOptions>,
    resume: StoredValue<Option<Resume>>,
}

/// The shop account for `options`, restored from storage, following the
/// cart as other tabs and widgets of the same shop change it.
///
/// ```ignore
/// let account = use_shop_account_with_options(UseShopAccountOptions {
///     target: ApiTarget { api, origin },
///     scope,
///     storefront: None,
///     checkout_url: None,
///     on_checkout: None,
/// });
/// let units = move || account.cart.with(Cart::unit_count);
/// ```
pub fn use_shop_account_with_options(options: UseShopAccountOptions) -> ShopAccount {
    let scope = options.scope.clone();
    let (cart, dropped) = cart::read_cart(&scope);
    // A session kept by shop domain alone names no API: it is never sent.
    storage::remove(Store::Session, &scope.unscoped_session_key());
    let session = storage::read(Store::Session, &scope.session_key())
        .and_then(|t| Session::from_storage(&t, scope.api()))
        .filter(|s| s.is_valid_at(now_ms()));
    let account = ShopAccount {
        cart: RwSignal::new(cart),
        session: RwSignal::new(session),
        panel: RwSignal::new(Panel::Closed),
        status: RwSignal::new(CheckoutStatus::Idle),
        cart_notice: RwSignal::new(
            (dropped > 0).then(|| format!("{dropped} saved cart line(s) could not be restored.")),
        ),
        options: StoredValue::new(options),
        resume: StoredValue::new(None),
    };
    cart::follow_cart_elsewhere(account, scope.cart_key());
    account
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl ShopAccount {
    fn scope(&self) -> AccountScope {
        self.options.with_value(|o| o.scope.clone())
    }

    /// The shop domain and the API host a login goes to, for the form to
    /// name: the buyer sees where their password is sent.
    pub fn signing_in_to(&self) -> (String, String) {
        self.options
            .with_value(|o| (o.scope.shop().to_owned(), o.scope.api_host().to_owned()))
    }

    /// Sends `request`, and reads its answer with `parse` unless the widget
    /// is gone.
    async fn call<T>(
        &self,
        request: GraphqlRequest,
        jwt: Option<&str>,
        parse: impl FnOnce(Operation, u16, &str) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let target = self.options.with_value(|o| o.target.clone());
        let answer = post_graphql(&target, &request, jwt).await;
        // The widget may have been removed while the request was out: then
        // nothing may touch its state, and the caller stops here.
        if self.is_gone() {
            return Err(ApiError::Network);
        }
        let (status, body) = answer?;
        let parsed = parse(request.operation, status, &body);
        if let Some(detail) = parsed.as_ref().err().and_then(ApiError::technical_detail) {
            // The buyer is told checkout is unavailable; the developer, why.
            leptos::logging::warn!(
                "cg-inventory: the Client API refused {}: {detail}",
                request.operation.field()
            );
        }
        parsed
    }

    /// Whether the widget that owned this account was unmounted.
    fn is_gone(&self) -> bool {
        self.options.is_disposed() || self.cart.is_disposed()
    }
}
