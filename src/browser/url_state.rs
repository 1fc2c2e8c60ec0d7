//! Keeps the [`ViewState`] in the page URL, so a link reproduces the view
//! and Back/Forward move between views.
//!
//! Discrete changes (a facet, the sort) push a history entry; typing in the
//! search box replaces the current one, so Back does not replay keystrokes.

use crate::core::view_state::{search_with_view, ViewState};
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the URL takes the query.
const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// Options for [`use_url_state_with_options`].
#[derive(Clone, Copy, Debug)]
pub struct UrlStateOptions {
    /// When off, the view lives only in memory and the URL is never touched.
    pub enabled: bool,
}

impl Default for UrlStateOptions {
    fn default() -> Self {
        UrlStateOptions { enabled: true }
    }
}

/// The view state, synced with the page URL. Also returns notices about
/// URL values that were ignored.
pub fn use_url_state() -> (RwSignal<ViewState>, Vec<String>) {
    use_url_state_with_options(UrlStateOptions::default())
}

/// [`use_url_state`] with options.
pub fn use_url_state_with_options(options: UrlStateOptions) -> (RwSignal<ViewState>, Vec<String>) {
    if !options.enabled {
        return (RwSignal::new(ViewState::default()), Vec::new());
    }
    let (initial, notices) = read_view_from_location();
    let view = RwSignal::new(initial);
    // The first keystroke of a search pushes an entry; the rest replace it.
    let mut typing = false;
    // Replacing the entry costs the browser a few milliseconds, so while the
    // shopper types it waits until typing pauses, off the path from a
    // keystroke to its answer on screen. Anything else is written at once.
    let pending_replace = StoredValue::new(None::<TimeoutHandle>);
    // A view taken from the URL on Back or Forward is already in the URL:
    // writing it again would push an entry and cut off the Forward ones.
    let from_history = StoredValue::new(false);
    let cancel_pending = move || {
        if let Some(handle) = pending_replace.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };

    Effect::new(move |previous: Option<ViewState>| {
        let current = view.get();
        if let Some(previous) = previous {
            if from_history
                .try_update_value(std::mem::take)
                .unwrap_or(false)
            {
                cancel_pending();
                typing = false;
            } else if previous != current {
                let typing_only = ViewState {
                    query: current.query.clone(),
                    ..previous.clone()
                } == current;
                cancel_pending();
                if typing_only && typing {
                    let write = move || {
                        pending_replace.try_set_value(None);
                        if let Some(view) = view.try_get_untracked() {
                            write_view_to_location(&view, true);
                        }
                    };
                    let handle = set_timeout_with_handle(write, TYPING_PAUSE).ok();
                    pending_replace.set_value(handle);
                } else {
                    write_view_to_location(&current, false);
                }
                typing = typing_only;
            }
        }
        current
    });
    on_cleanup(cancel_pending);

    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let (from_url, _) = read_view_from_location();
        if view.get_untracked() != from_url {
            from_history.set_value(true);
            view.set(from_url);
        }
    });
    on_cleanup(move || handle.remove());
    (view, notices)
}

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

fn read_view_from_location() -> (ViewState, Vec<String>) {
    let pairs = query_pairs();
    ViewState::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn write_view_to_location(view: &ViewState, replace: bool) {
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
