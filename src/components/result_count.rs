use leptos::prelude::*;

/// The live count of matching items, announced to screen readers.
#[component]
pub fn ResultCount(
    /// Items matching the current view.
    #[prop(into)]
    count: Signal<usize>,
) -> impl IntoView {
    view! {
        <p class="cg-count" role="status" aria-live="polite" part="count">
            {move || match count.get() {
                1 => "1 item".to_owned(),
                n => format!("{n} items"),
            }}
        </p>
    }
}
