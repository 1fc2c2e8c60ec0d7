use leptos::prelude::*;

/// A pair of number inputs for a minimum and a maximum.
///
/// Values are applied on `change` (Enter, blur or the spinner), not on every
/// keystroke, so a half-typed number never filters the list.
#[component]
pub fn RangeFilter(
    /// The group's heading, e.g. "Price".
    legend: &'static str,
    /// Accessible names of the two inputs, e.g. "Minimum price".
    labels: (&'static str, &'static str),
    /// The current minimum and maximum as text (empty when unset).
    #[prop(into)]
    value: Signal<(String, String)>,
    /// The lowest and highest values available, shown as placeholders.
    #[prop(into)]
    bounds: Signal<Option<(String, String)>>,
    /// Step of the inputs, e.g. "0.01" for prices.
    #[prop(optional, into)]
    step: MaybeProp<String>,
    /// Called with the new minimum and maximum text.
    #[prop(into)]
    on_change: Callback<(String, String)>,
) -> impl IntoView {
    let min_ref = NodeRef::<leptos::html::Input>::new();
    let max_ref = NodeRef::<leptos::html::Input>::new();
    let emit = move |_| {
        let read = |r: NodeRef<leptos::html::Input>| r.get().map(|i| i.value()).unwrap_or_default();
        on_change.run((read(min_ref), read(max_ref)));
    };
    let step = move || step.get().unwrap_or_else(|| "1".to_owned());
    view! {
        <fieldset class="cg-facet cg-range" part="facet">
            <legend>{legend}</legend>
            <div class="cg-range-inputs">
                <input
                    type="number"
                    inputmode="decimal"
                    min="0"
                    step=step
                    node_ref=min_ref
                    aria-label=labels.0
                    placeholder=move || bounds.get().map(|b| b.0).unwrap_or_default()
                    prop:value=move || value.get().0
                    on:change=emit
                />
                <span aria-hidden="true">"–"</span>
                <input
                    type="number"
                    inputmode="decimal"
                    min="0"
                    step=step
                    node_ref=max_ref
                    aria-label=labels.1
                    placeholder=move || bounds.get().map(|b| b.1).unwrap_or_default()
                    prop:value=move || value.get().1
                    on:change=emit
                />
            </div>
        </fieldset>
    }
}
