use crate::core::{kind_label, Facet, FacetValue};
use leptos::prelude::*;

/// Values shown before "Show all".
const COLLAPSED_VALUES: usize = 8;

/// One facet as a group of labelled checkboxes with counts.
///
/// Rows are keyed by value name and read their count and state
/// reactively, so a checkbox keeps its node (and keyboard focus) while the
/// counts around it change.
#[component]
pub fn FacetGroup(
    /// Which facet this is.
    facet: Facet,
    /// Its values, most frequent first.
    #[prop(into)]
    values: Signal<Vec<FacetValue>>,
    /// Called with a value's name when its checkbox is toggled.
    #[prop(into)]
    on_toggle: Callback<String>,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let lookup = move |name: &str| values.with(|vs| vs.iter().find(|v| v.name == name).map(|v| (v.count, v.selected)));
    let shown = move || {
        values.with(|vs| {
            let limit = if expanded.get() { usize::MAX } else { COLLAPSED_VALUES };
            // Selected values stay visible even past the limit.
            vs.iter()
                .enumerate()
                .filter(|(i, v)| *i < limit || v.selected)
                .map(|(_, v)| v.name.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !values.with(Vec::is_empty)>
            <fieldset class="cg-facet" part="facet">
                <legend>{facet.label()}</legend>
                <ul class="cg-facet-values">
                    <For each=shown key=|name| name.clone() let:name>
                        {
                            let label = if facet == Facet::Type { kind_label(&name).to_owned() } else { name.clone() };
                            let for_count = name.clone();
                            let for_checked = name.clone();
                            view! {
                                <li>
                                    <label class="cg-check">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || lookup(&for_checked).is_some_and(|(_, s)| s)
                                            on:change=move |_| on_toggle.run(name.clone())
                                        />
                                        <span class="cg-check-label">{label}</span>
                                        <span class="cg-facet-count">
                                            {move || lookup(&for_count).map_or(0, |(c, _)| c)}
                                        </span>
                                    </label>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <Show when=move || values.with(|v| v.len() > COLLAPSED_VALUES)>
                    <button
                        type="button"
                        class="cg-link-button"
                        aria-expanded=move || expanded.get().to_string()
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        {move || {
                            if expanded.get() {
                                "Show fewer".to_owned()
                            } else {
                                format!("Show all {}", values.with(Vec::len))
                            }
                        }}
                    </button>
                </Show>
            </fieldset>
        </Show>
    }
}
