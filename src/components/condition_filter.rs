use crate::core::Condition;
use leptos::prelude::*;

/// New / used checkboxes with counts.
#[component]
pub fn ConditionFilter(
    /// Items per condition, in `Condition::ALL` order.
    #[prop(into)]
    counts: Signal<[u32; 2]>,
    /// The selected conditions.
    #[prop(into)]
    selected: Signal<Vec<Condition>>,
    /// Called when a condition is toggled.
    #[prop(into)]
    on_toggle: Callback<Condition>,
) -> impl IntoView {
    view! {
        <fieldset class="cg-facet" part="facet">
            <legend>"Condition"</legend>
            <ul class="cg-facet-values">
                {Condition::ALL
                    .into_iter()
                    .map(|condition| {
                        view! {
                            <li>
                                <label class="cg-check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || selected.with(|s| s.contains(&condition))
                                        on:change=move |_| on_toggle.run(condition)
                                    />
                                    <span class="cg-check-label">{condition.label()}</span>
                                    <span class="cg-facet-count">{move || counts.get()[condition as usize]}</span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </fieldset>
    }
}
