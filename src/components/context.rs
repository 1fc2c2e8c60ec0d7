//! What the app provides every component below it: display settings, the
//! host page's event hook and, when the shop takes orders here, the cart.

use crate::browser::PriceFormat;
use crate::core::{Cart, CartLine};
use leptos::prelude::{Callback, RwSignal};

/// What the widget tells its host page about, as DOM events. Hooks for
/// integrators, not telemetry: nothing is ever sent anywhere.
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetEvent {
    /// The catalogue loaded, with this many items.
    Ready { items: usize },
    /// Loading failed, with the message shown to the shopper.
    Error { message: String },
    /// The shopper followed an item's link to the shop.
    ViewItem { item_id: Option<u64>, url: String },
    /// The buyer's cart went to a checkout, and the buyer to the shop to pay.
    Checkout { checkout_id: String, url: String },
}

/// Display settings every component may need, provided once by the app.
#[derive(Clone)]
pub struct DisplayContext {
    /// The shop's storefront URL that items link back to.
    pub storefront: Option<String>,
    /// How prices are written.
    pub price_format: PriceFormat,
    /// Receives [`WidgetEvent`]s, when the host listens.
    pub on_event: Option<Callback<WidgetEvent>>,
    /// The level of the widget's own heading (`heading-level`).
    pub heading_level: u8,
}

impl Default for DisplayContext {
    fn default() -> Self {
        DisplayContext {
            storefront: None,
            price_format: PriceFormat::default(),
            on_event: None,
            heading_level: crate::core::config::DEFAULT_HEADING_LEVEL,
        }
    }
}

/// The cart as the results' add buttons need it, provided by the app when
/// the shop takes orders here (without it, cards have no add button).
#[derive(Clone, Copy)]
pub struct CartControls {
    /// The buyer's cart.
    pub cart: RwSignal<Cart>,
    /// Puts a listing in the cart.
    pub on_add: Callback<CartLine>,
}

/// The cart controls the app provides, if any. Always `None` in a build
/// without checkout, so that build leaves the add buttons' code out.
pub fn use_cart_controls() -> Option<CartControls> {
    #[cfg(feature = "checkout")]
    return leptos::prelude::use_context::<CartControls>();
    #[cfg(not(feature = "checkout"))]
    return None;
}

impl DisplayContext {
    /// The `aria-level` of the headings one below the widget's own: its
    /// cards' titles and its panels' (at most 6, the last level).
    pub fn section_level(&self) -> String {
        (self.heading_level + 1).min(6).to_string()
    }

    /// Tells the host page about `event`, if it listens.
    pub fn emit(&self, event: WidgetEvent) {
        if let Some(on_event) = &self.on_event {
            leptos::prelude::Callable::run(on_event, event);
        }
    }
}
