//! `use_after_paint`: values that follow another one frame late, so that what the shopper is
//! waiting for paints first.

use leptos::prelude::*;
use std::time::Duration;

/// A copy of `source` that takes each new value only once the browser has
/// painted the frame in which `source` changed.
///
/// Typing changes the results and every facet count together. The results
/// are what the shopper waits for; the counts beside them can follow a
/// frame later, and their text updates and layout then no longer delay the
/// frame that shows the results. Several changes before that paint are
/// taken as one.
///
/// ```ignore
/// let result = Memo::new(move |_| view.with(|v| catalogue.query(v)));
/// // The filters' counts read this one.
/// let facet_result = use_after_paint(result);
/// ```
pub fn use_after_paint<T>(source: Memo<T>) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let painted = RwSignal::new(0u32);
    let waiting = StoredValue::new(false);
    Effect::new(move |_| {
        source.track();
        if waiting.try_get_value().unwrap_or(true) {
            return;
        }
        waiting.set_value(true);
        // An animation frame callback runs just before the paint; a task
        // queued from it runs after.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    waiting.try_set_value(false);
                    painted.try_update(|n| *n = n.wrapping_add(1));
                },
                Duration::ZERO,
            )
        });
    });
    Memo::new(move |_| {
        painted.track();
        source.get_untracked()
    })
}
