//! The buyer's side of the shop: login session, cart and checkout.
//!
//! The cart is written to `localStorage` on every change, so a reload, a
//! login round-trip or a crash loses nothing; the session lives in
//! `sessionStorage` and ends with the tab. Neither ever holds the password.

use super::client_api::{post_graphql, ApiTarget};
use super::storage::{self, Store};
use crate::core::account_scope::AccountScope;
use crate::core::cart::{checkout_url, AddOutcome, Cart, CartLine};
use crate::core::client_api::{
    self, ApiError, Checkout, CheckoutItemInput, GraphqlRequest, Operation, Session,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Titles named in the message about records that are gone.
const NAMED_UNAVAILABLE: usize = 3;

/// What the shop panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Cart,
    /// The login form, with why it was opened (e.g. an expired session).
    Login {
        reason: Option<String>,
    },
}

/// Where the checkout has got to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutStatus {
    Idle,
    /// A step is under way, described for the buyer.
    Working(&'static str),
    Failed(String),
    /// The buyer is being sent to the shop to pay.
    HandedOff(String),
}

/// What the buyer was doing when a login was needed, to carry on after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resume {
    Checkout,
}

/// Settings for [`use_shop_account_with_options`].
#[derive(Clone, Debug)]
pub struct ShopAccountOptions {
    pub target: ApiTarget,
    /// Where this API's and shop's session and cart are kept.
    pub scope: AccountScope,
    pub storefront: Option<String>,
    /// The hand-off URL template with `{checkoutId}`.
    pub checkout_url: Option<String>,
}

/// The buyer's session, cart and checkout for one shop. Cheap to copy.
#[derive(Clone, Copy)]
pub struct ShopAccount {
    pub cart: RwSignal<Cart>,
    pub session: RwSignal<Option<Session>>,
    pub panel: RwSignal<Panel>,
    pub status: RwSignal<CheckoutStatus>,
    /// A message about the cart itself (e.g. lines that could not be restored).
    pub cart_notice: RwSignal<Option<String>>,
    options: StoredValue<ShopAccountOptions>,
    resume: StoredValue<Option<Resume>>,
    /// Fires with the checkout id and URL just before the hand-off.
    on_checkout: StoredValue<Option<Callback<(String, String)>>>,
}

/// The shop account for `options`, restored from storage.
pub fn use_shop_account_with_options(
    options: ShopAccountOptions,
    on_checkout: Option<Callback<(String, String)>>,
) -> ShopAccount {
    let scope = options.scope.clone();
    let (cart, dropped) = read_cart(&scope);
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
        on_checkout: StoredValue::new(on_checkout),
    };
    // Another tab of the same shop changed the cart: show the same cart.
    let cart_key = scope.cart_key();
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
    account
}

/// The saved cart of `scope`. A cart saved by a version that kept carts by
/// shop domain alone is moved under the scoped key once, not lost.
fn read_cart(scope: &AccountScope) -> (Cart, usize) {
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

/// Fired on the window, with the cart's storage key, when a widget saved a cart.
const SAME_PAGE_CART_EVENT: &str = "cg-inventory-cart-saved";

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

    /// Whether a checkout is under way (it cannot start twice).
    pub fn checking_out(&self) -> bool {
        self.status
            .with(|s| matches!(s, CheckoutStatus::Working(_)))
    }

    /// Changes the cart and saves it at once; `None` once the widget is gone.
    fn change_cart<R>(&self, change: impl FnOnce(&mut Cart) -> R) -> Option<R> {
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

    pub fn add(&self, line: CartLine) -> Option<AddOutcome> {
        self.status.set(CheckoutStatus::Idle);
        self.change_cart(|cart| cart.add(line))
    }

    pub fn set_quantity(&self, listing_id: u64, quantity: u32) {
        self.change_cart(|cart| cart.set_quantity(listing_id, quantity));
    }

    pub fn remove(&self, listing_id: u64) {
        self.change_cart(|cart| cart.remove(listing_id));
    }

    /// Removes the listings the shop no longer has, as the buyer agreed.
    pub fn remove_unavailable(&self) {
        self.change_cart(Cart::remove_unavailable);
        self.status.set(CheckoutStatus::Idle);
    }

    /// The session if it can still be used now.
    pub fn valid_session(&self) -> Option<Session> {
        self.session
            .get_untracked()
            .filter(|s| s.is_valid_at(now_ms()))
    }

    /// Keeps `session`, or with `None` clears it everywhere the widget
    /// keeps one for this shop (the key of earlier versions too).
    fn save_session(&self, session: Option<Session>) {
        let scope = self.scope();
        match &session {
            Some(session) => {
                storage::write(Store::Session, &scope.session_key(), &session.to_storage());
            }
            None => {
                storage::remove(Store::Session, &scope.session_key());
                storage::remove(Store::Session, &scope.unscoped_session_key());
            }
        }
        self.session.set(session);
    }

    fn parse_session(&self) -> impl FnOnce(Operation, u16, &str) -> Result<Session, ApiError> {
        let api = self.scope().api().to_owned();
        move |operation, status, body| client_api::parse_session(operation, status, body, &api)
    }

    /// Opens the login form; after a login, `resume` carries on.
    fn ask_login(&self, resume: Option<Resume>, reason: Option<String>) {
        self.resume.set_value(resume);
        self.panel.set(Panel::Login { reason });
    }

    /// Logs in and carries on with what the buyer was doing.
    pub async fn log_in(self, email: String, password: String) -> Result<(), ApiError> {
        let session = self
            .call(
                client_api::login(&email, &password),
                None,
                self.parse_session(),
            )
            .await?;
        self.start_session(session);
        Ok(())
    }

    /// Creates an account, which also logs the buyer in.
    pub async fn register(
        self,
        email: String,
        password: String,
        first_name: String,
        last_name: String,
    ) -> Result<(), ApiError> {
        let request = client_api::register(&email, &password, &first_name, &last_name);
        let session = self.call(request, None, self.parse_session()).await?;
        self.start_session(session);
        Ok(())
    }

    fn start_session(&self, session: Session) {
        self.save_session(Some(session));
        match self.resume.try_update_value(Option::take).flatten() {
            Some(Resume::Checkout) => {
                self.panel.set(Panel::Cart);
                self.checkout();
            }
            None => self.panel.set(Panel::Closed),
        }
    }

    /// Ends the session; the cart stays.
    pub fn log_out(&self) {
        self.save_session(None);
        self.resume.set_value(None);
        self.status.set(CheckoutStatus::Idle);
        if !matches!(self.panel.get_untracked(), Panel::Cart) {
            self.panel.set(Panel::Closed);
        }
    }

    /// Checks the cart out: create a checkout and send it the cart (or re-use the open one that holds this very cart),
    /// then hand the buyer to the shop to pay.
    pub fn checkout(&self) {
        let account = *self;
        spawn_local(async move { account.run_checkout().await });
    }

    async fn run_checkout(self) {
        if self
            .status
            .with_untracked(|s| matches!(s, CheckoutStatus::Working(_)))
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
                if let Some(on_checkout) = self.on_checkout.get_value() {
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
