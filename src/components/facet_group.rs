use crate::core::{kind_label, Facet, FacetValue};
use leptos::prelude::*;

/// Values shown before "Show all".
const COLLAPSED_VALUES: usize = 8;

/// One facet as a group of labelled checkboxes with counts.
///
/// Rows are keyed by their place in the list, not by value: a new answer
/// reorders the values (most frequent first), and rewriting a row's label,
/// count and state costs the browser far less than moving rows about.
/// A checkbox being toggled keeps its value, as a facet's own counts
/// ignore its own selection.
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
    let shown = Memo::new(move |_| {
        values.with(|vs| {
            let limit = if expanded.get() {
                usize::MAX
            } else {
                COLLAPSED_VALUES
            };
            // Selected values stay visible even past the limit.
            vs.iter()
                .enumerate()
                .filter(|(i, v)| *i < limit || v.selected)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        })
    });
    let row = move |slot: usize| {
        let value = Memo::new(move |_| shown.with(|s| s.get(slot).cloned().unwrap_or_default()));
        let label = move || {
            value.with(|v| {
                if facet == Facet::Type {
                    kind_label(&v.name).to_owned()
                } else {
                    v.name.clone()
                }
            })
        };
        view! {
            <li>
                <label class="cg-check">
                    <input
                        type="checkbox"
                        prop:checked=move || value.with(|v| v.selected)
                        on:change=move |_| on_toggle.run(value.with_untracked(|v| v.name.clone()))
                    />
                    <span class="cg-check-label">{label}</span>
                    <span class="cg-facet-count">{move || value.with(|v| v.count)}</span>
                </label>
            </li>
        }
    };
    view! {
        <Show when=move || !values.with(Vec::is_empty)>
            <fieldset class="cg-facet" part="facet">
                <legend>{facet.label()}</legend>
                <ul class="cg-facet-values">
                    <For each=move || 0..shown.with(Vec::len) key=|slot| *slot children=row />
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
