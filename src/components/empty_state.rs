use leptos::prelude::*;

/// Shown when nothing matches, with a way back to everything.
#[component]
pub fn EmptyState(
    /// Called to clear the query and every filter.
    #[prop(into)]
    on_clear: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="cg-empty" part="empty">
            <p>"No items match your search."</p>
            <button type="button" class="cg-button" on:click=move |_| on_clear.run(())>
                "Clear filters"
            </button>
        </div>
    }
}
