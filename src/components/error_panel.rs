use leptos::prelude::*;

/// A failure to load, with its explanation and a way to try again.
#[component]
pub fn ErrorPanel(
    /// What went wrong, in the shopper's words.
    #[prop(into)]
    message: String,
    /// Called when the shopper asks to try again.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="cg-error" role="alert" part="error">
            <p class="cg-error-message">{message}</p>
            <button type="button" class="cg-button" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
