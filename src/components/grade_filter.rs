use crate::core::Grade;
use leptos::prelude::*;

/// The minimum media grade, best grades first, with counts.
#[component]
pub fn GradeFilter(
    /// Items with a listing of at least each grade (`Grade::ALL_BEST_FIRST` order).
    #[prop(into)]
    counts: Signal<[u32; 8]>,
    /// The minimum grade chosen, if any.
    #[prop(into)]
    value: Signal<Option<Grade>>,
    /// Called with the new minimum.
    #[prop(into)]
    on_change: Callback<Option<Grade>>,
) -> impl IntoView {
    view! {
        <label class="cg-field" part="facet">
            <span class="cg-field-label">"Minimum media grade"</span>
            <select
                aria-label="Minimum media grade"
                prop:value=move || value.get().map_or("", |g| g.code())
                on:change=move |ev| on_change.run(Grade::parse(&event_target_value(&ev)))
            >
                <option value="" selected=move || value.get().is_none()>
                    "Any grade"
                </option>
                {Grade::ALL_BEST_FIRST
                    .into_iter()
                    .enumerate()
                    .map(|(i, grade)| {
                        view! {
                            <option value=grade.code() selected=move || value.get() == Some(grade)>
                                {move || {
                                    let better = if grade == Grade::Mint { "" } else { " or better" };
                                    format!("{} ({}){better} · {}", grade.name(), grade.code(), counts.get()[i])
                                }}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
