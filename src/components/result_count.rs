use leptos::prelude::*;
use std::time::Duration;

/// How long the view must stay unchanged before its count is announced:
/// typing "radiohead" announces one count, not nine.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(700);

/// The count of matching items: shown at once, and announced to screen
/// readers (politely) once the shopper pauses.
#[component]
pub fn ResultCount(
    /// Items matching the current view. Every change of the view (each
    /// keystroke, even one that keeps the count) restarts the pause.
    #[prop(into)]
    count: Signal<usize>,
) -> impl IntoView {
    let text = |n: usize| match n {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    };
    let (announced, set_announced) = signal(String::new());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let cancel = move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        let n = count.get();
        cancel();
        let announce = move || {
            pending.try_set_value(None);
            set_announced.try_set(text(n));
        };
        pending.set_value(set_timeout_with_handle(announce, ANNOUNCE_AFTER).ok());
    });
    on_cleanup(cancel);
    view! {
        // A status (a screen reader's "read the status line" finds it),
        // but not live: the announcement below is.
        <p class="cg-count" role="status" aria-live="off" part="count">
            {move || text(count.get())}
        </p>
        <p class="cg-visually-hidden" aria-live="polite" aria-atomic="true">
            {announced}
        </p>
    }
}
