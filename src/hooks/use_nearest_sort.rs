//! `use_nearest_sort`: the nearest-shop sort needs the visitor's position: it is asked for only
//! when that sort is chosen, and never stored or sent anywhere.

use crate::core::{SortKey, ViewState};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Asks for the visitor's position when the view's sort becomes
/// "nearest" and the catalogue `offers` that sort (it has located shops),
/// and puts it in the view. Never asks otherwise, whatever a link says.
/// Returns a message for the visitor while asking or when no position can
/// be had.
///
/// ```ignore
/// let locating = use_nearest_sort(view, catalogue.offers_sort(SortKey::Nearest));
/// view! { {move || locating.get().map(|message| view! { <p role="status">{message}</p> })} }
/// ```
pub fn use_nearest_sort(view: RwSignal<ViewState>, offers: bool) -> Signal<Option<String>> {
    let message = RwSignal::new(None::<String>);
    let asked = StoredValue::new(false);
    // Kept here, so a view rebuilt from the URL or cleared of filters gets
    // the position back without asking again.
    let known = StoredValue::new(None::<(f64, f64)>);
    Effect::new(move |_| {
        let wants =
            offers && view.with(|v| v.effective_sort() == SortKey::Nearest && v.near.is_none());
        if !wants {
            return;
        }
        if let Some(near) = known.get_value() {
            view.update(|v| v.near = Some(near));
            return;
        }
        if asked.get_value() {
            return;
        }
        asked.set_value(true);
        message.set(Some("Finding the shops nearest to you…".to_owned()));
        let unavailable = move || {
            let _ = message.try_set(Some(
                "Your location is needed to sort by the nearest shop; shops are shown in their usual order.".to_owned(),
            ));
        };
        let Some(geolocation) = window().navigator().geolocation().ok() else {
            unavailable();
            return;
        };
        let on_position = Closure::once_into_js(move |position: JsValue| {
            let coords =
                js_sys::Reflect::get(&position, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
            let read = |name: &str| {
                js_sys::Reflect::get(&coords, &name.into())
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            match (read("longitude"), read("latitude")) {
                (Some(lon), Some(lat)) => {
                    let _ = message.try_set(None);
                    let _ = known.try_set_value(Some((lon, lat)));
                    let _ = view.try_update(|v| v.near = Some((lon, lat)));
                }
                _ => unavailable(),
            }
        });
        let on_error = Closure::once_into_js(move |_: JsValue| unavailable());
        if geolocation
            .get_current_position_with_error_callback(
                on_position.unchecked_ref(),
                Some(on_error.unchecked_ref()),
            )
            .is_err()
        {
            unavailable();
        }
    });
    message.into()
}
