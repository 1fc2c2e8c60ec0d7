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
    /// Whether the retry asked for is under way: the button waits, so a
    /// second click does not start another load, and the shopper sees that
    /// something happens.
    #[prop(optional, into)]
    retrying: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="cg-error" role="alert" part="error" aria-busy=move || retrying.get().then_some("true")>
            <p class="cg-error-message">{message}</p>
            <button type="button" class="cg-button" disabled=move || retrying.get() on:click=move |_| on_retry.run(())>
                {move || if retrying.get() { "Trying again…" } else { "Retry" }}
            </button>
        </div>
    }
}
