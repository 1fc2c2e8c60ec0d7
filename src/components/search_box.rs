use leptos::prelude::*;

/// The catalogue search field.
#[component]
pub fn SearchBox(
    /// The current query text.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text on every keystroke.
    #[prop(into)]
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="cg-search" part="search">
            <input
                type="search"
                class="cg-search-input"
                aria-label="Search the catalogue"
                placeholder="Search title, artist, label, cat. no…"
                autocomplete="off"
                spellcheck="false"
                maxlength="200"
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        </div>
    }
}
