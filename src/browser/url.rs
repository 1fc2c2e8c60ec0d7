//! The page URL: its query parameters, and the view kept in them.

use crate::core::view_state::{search_with_view, ViewState};
use leptos::prelude::*;

/// The current page's query parameters as owned pairs.
pub fn query_pairs() -> Vec<(String, String)> {
    let search = window().location().search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    let entries = js_sys::try_iter(&params).ok().flatten();
    for entry in entries.into_iter().flatten().flatten() {
        let pair: js_sys::Array = entry.into();
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            pairs.push((name, value));
        }
    }
    pairs
}

/// The view the page URL describes, and notices about values it ignored.
pub(crate) fn read_view_from_location() -> (ViewState, Vec<String>) {
    let pairs = query_pairs();
    ViewState::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Puts `view` in the page URL, in a new history entry unless `replace`.
pub(crate) fn write_view_to_location(view: &ViewState, replace: bool) {
    let location = window().location();
    let (Ok(href), Ok(search)) = (location.href(), location.search()) else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    let next_search = search_with_view(&search, view);
    if next_search == search {
        return;
    }
    url.set_search(&next_search);
    let Ok(history) = window().history() else {
        return;
    };
    let next = url.href();
    let _ = if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next))
    };
}
