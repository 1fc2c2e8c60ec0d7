//! `use_url_state`: keeps the [`ViewState`] in the page URL, so a link reproduces the view
//! and Back/Forward move between views.
//!
//! Discrete changes (a facet, the sort) push a history entry; typing in the
//! search box replaces the current one, so Back does not replay keystrokes.

use crate::browser::url::{read_view_from_location, write_view_to_location};
use crate::core::ViewState;
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the URL takes the query.
const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// Options for [`use_url_state_with_options`].
#[derive(Clone, Copy, Debug)]
pub struct UseUrlStateOptions {
    /// When off, the view lives only in memory and the URL is never touched.
    pub enabled: bool,
}

impl Default for UseUrlStateOptions {
    fn default() -> Self {
        UseUrlStateOptions { enabled: true }
    }
}

/// What [`use_url_state`] gives.
pub struct UseUrlStateReturn {
    /// The view state, synced with the page URL.
    pub view: RwSignal<ViewState>,
    /// Notices about URL values that were ignored.
    pub notices: Vec<String>,
}

/// The view state, synced with the page URL.
///
/// ```ignore
/// let UseUrlStateReturn { view, notices } = use_url_state();
/// view.update(|v| v.query = "blue train".to_owned()); // the URL follows
/// ```
pub fn use_url_state() -> UseUrlStateReturn {
    use_url_state_with_options(UseUrlStateOptions::default())
}

/// [`use_url_state`] with options.
pub fn use_url_state_with_options(options: UseUrlStateOptions) -> UseUrlStateReturn {
    if !options.enabled {
        return UseUrlStateReturn {
            view: RwSignal::new(ViewState::default()),
            notices: Vec::new(),
        };
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
    UseUrlStateReturn { view, notices }
}
