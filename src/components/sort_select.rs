use crate::core::SortKey;
use leptos::prelude::*;

/// The sort order menu.
#[component]
pub fn SortSelect(
    /// The sort in effect.
    #[prop(into)]
    value: Signal<SortKey>,
    /// The sorts offered (those the catalogue has data for).
    #[prop(optional)]
    options: Option<Vec<SortKey>>,
    /// Called with the chosen sort.
    #[prop(into)]
    on_change: Callback<SortKey>,
) -> impl IntoView {
    view! {
        <label class="cg-sort">
            <span class="cg-sort-label" aria-hidden="true">"Sort"</span>
            <select
                aria-label="Sort"
                prop:value=move || value.get().code()
                on:change=move |ev| {
                    if let Some(key) = SortKey::parse(&event_target_value(&ev)) {
                        on_change.run(key);
                    }
                }
            >
                {options
                    .unwrap_or_else(|| SortKey::ALL.to_vec())
                    .into_iter()
                    .map(|key| {
                        view! {
                            <option value=key.code() selected=move || value.get() == key>
                                {key.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
