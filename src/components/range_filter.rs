use leptos::html::Input;
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
    let min_ref = NodeRef::<Input>::new();
    let max_ref = NodeRef::<Input>::new();
    let read = |r: NodeRef<Input>| r.get().map(|i| i.value()).unwrap_or_default();
    let emit = Callback::new(move |_| on_change.run((read(min_ref), read(max_ref))));
    let step = Signal::derive(move || step.get().unwrap_or_else(|| "1".to_owned()));
    let input = move |node_ref: NodeRef<Input>,
                      label: &'static str,
                      pick: fn((String, String)) -> String| {
        view! {
            <input
                type="number"
                inputmode="decimal"
                min="0"
                step=step
                node_ref=node_ref
                aria-label=label
                placeholder=move || bounds.get().map(pick).unwrap_or_default()
                prop:value=move || pick(value.get())
                on:change=move |_| emit.run(())
            />
        }
    };
    view! {
        <fieldset class="cg-facet cg-range" part="facet">
            <legend>{legend}</legend>
            <div class="cg-range-inputs">
                {input(min_ref, labels.0, |b| b.0)}
                <span aria-hidden="true">"–"</span>
                {input(max_ref, labels.1, |b| b.1)}
            </div>
        </fieldset>
    }
}
