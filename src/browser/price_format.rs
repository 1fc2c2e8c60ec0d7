//! Prices in the shop's currency, formatted by the browser's `Intl`.

use crate::core::money::{as_units, plain_amount};
use crate::core::Cents;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// How prices are shown: a currency and locale, or plain two-decimal numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceFormat {
    pub currency: Option<String>,
    pub locale: Option<String>,
}

thread_local! {
    /// The last `Intl.NumberFormat` built, keyed by its settings: building
    /// one is far slower than using it.
    static FORMATTER: RefCell<Option<(PriceFormat, js_sys::Function)>> = const { RefCell::new(None) };
}

impl PriceFormat {
    /// Formats an amount, e.g. `€12.50` for EUR in `en`.
    pub fn format(&self, cents: Cents) -> String {
        let Some(currency) = &self.currency else {
            return plain_amount(cents);
        };
        let formatted = FORMATTER.with(|cell| {
            let mut cached = cell.borrow_mut();
            if cached.as_ref().is_none_or(|(settings, _)| settings != self) {
                *cached = self.build().map(|f| (self.clone(), f));
            }
            let (_, format) = cached.as_ref()?;
            format
                .call1(&JsValue::NULL, &JsValue::from_f64(as_units(cents)))
                .ok()?
                .as_string()
        });
        formatted.unwrap_or_else(|| format!("{} {currency}", plain_amount(cents)))
    }

    /// A bound `format` function, or `None` when the browser rejects the
    /// settings (`Reflect.construct` turns its exception into an error).
    fn build(&self) -> Option<js_sys::Function> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"style".into(), &"currency".into()).ok()?;
        js_sys::Reflect::set(
            &options,
            &"currency".into(),
            &self.currency.as_deref()?.into(),
        )
        .ok()?;
        let locales = js_sys::Array::new();
        if let Some(locale) = &self.locale {
            locales.push(&locale.into());
        }
        let constructor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
            .and_then(|intl| js_sys::Reflect::get(&intl, &"NumberFormat".into()))
            .ok()?
            .into();
        let args = js_sys::Array::of2(&locales, &options);
        let formatter = js_sys::Reflect::construct(&constructor, &args).ok()?;
        js_sys::Reflect::get(&formatter, &"format".into())
            .ok()
            .map(Into::into)
    }
}
