use super::{ConditionFilter, FacetGroup, GradeFilter, RangeFilter};
use crate::core::view_state::{format_price_param, parse_price};
use crate::core::{Facet, QueryResult, ViewState};
use leptos::prelude::*;

/// Which filters the catalogue has data for; the others are not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterData {
    /// Both new and used listings exist.
    pub conditions: bool,
    pub price: bool,
    pub year: bool,
}

impl Default for FilterData {
    fn default() -> Self {
        FilterData {
            conditions: true,
            price: true,
            year: true,
        }
    }
}

/// Every filter: the name facets, condition, grade, price and year ranges.
#[component]
pub fn FacetPanel(
    /// The view the filters edit.
    view: RwSignal<ViewState>,
    /// The current answer, for counts and bounds.
    #[prop(into)]
    result: Signal<QueryResult>,
    /// Which filters have data in this catalogue.
    #[prop(optional)]
    data: Option<FilterData>,
) -> impl IntoView {
    let data = data.unwrap_or_default();
    let shows_conditions = move || data.conditions || view.with(|v| !v.conditions.is_empty());
    let shows_price =
        move || data.price || view.with(|v| v.price_min.is_some() || v.price_max.is_some());
    let shows_year =
        move || data.year || view.with(|v| v.year_min.is_some() || v.year_max.is_some());
    let facet_groups = Facet::ALL
        .into_iter()
        .enumerate()
        .map(|(i, facet)| {
            // A memo: every row reads it, and it must not be rebuilt per read.
            let values = Memo::new(move |_| {
                result.with(|r| r.facets.get(i).map(|f| f.1.clone()).unwrap_or_default())
            });
            view! {
                <FacetGroup
                    facet=facet
                    values=values
                    on_toggle=move |name: String| view.update(|v| v.toggle(facet, &name))
                />
            }
        })
        .collect_view();
    let has_grades = move || {
        result.with(|r| r.grades.iter().any(|c| *c > 0)) || view.with(|v| v.min_grade.is_some())
    };
    let year_text = |year: Option<u16>| year.map(|y| y.to_string()).unwrap_or_default();
    let price_text = |cents: Option<i64>| cents.map(format_price_param).unwrap_or_default();

    // On a narrow layout the filters fold away behind this button, so a
    // phone shows results first rather than screens of checkboxes; wide
    // layouts hide the button and always show the filters (see the styles).
    let unfolded = RwSignal::new(false);
    let filter_count = move || view.with(ViewState::filter_count);
    let toggle = NodeRef::<leptos::html::Button>::new();
    // Folding from the foot of the filters brings the shopper back to the
    // button, and the results just below it.
    let fold = move |_| {
        unfolded.set(false);
        if let Some(button) = toggle.get_untracked() {
            let _ = button.focus();
        }
    };

    view! {
        <section class="cg-facets" class:cg-facets-open=move || unfolded.get() aria-label="Filters" part="filters">
            <button
                type="button"
                class="cg-button cg-facets-toggle"
                node_ref=toggle
                aria-expanded=move || unfolded.get().to_string()
                on:click=move |_| unfolded.update(|open| *open = !*open)
            >
                "Filters"
                <span class="cg-facets-toggle-count" hidden=move || filter_count() == 0>
                    {move || format!(" ({})", filter_count())}
                </span>
            </button>
            <button
                type="button"
                class="cg-button cg-clear"
                prop:disabled=move || !view.with(ViewState::has_filters)
                on:click=move |_| view.update(ViewState::clear_filters)
            >
                "Clear all filters"
            </button>
            {facet_groups}
            <Show when=shows_conditions>
                <ConditionFilter
                    counts=Signal::derive(move || result.with(|r| r.conditions))
                    selected=Signal::derive(move || view.with(|v| v.conditions.clone()))
                    on_toggle=move |c| view.update(|v| v.toggle_condition(c))
                />
            </Show>
            <Show when=has_grades>
                <GradeFilter
                    counts=Signal::derive(move || result.with(|r| r.grades))
                    value=Signal::derive(move || view.with(|v| v.min_grade))
                    on_change=move |grade| view.update(|v| v.min_grade = grade)
                />
            </Show>
            <Show when=shows_price>
            <RangeFilter
                legend="Price"
                labels=("Minimum price", "Maximum price")
                step="0.01"
                value=Signal::derive(move || view.with(|v| (price_text(v.price_min), price_text(v.price_max))))
                bounds=Signal::derive(move || {
                    result.with(|r| r.price_bounds.map(|(lo, hi)| (price_text(Some(lo)), price_text(Some(hi)))))
                })
                on_change=move |(min, max): (String, String)| {
                    view.update(|v| {
                        v.price_min = parse_price(&min);
                        v.price_max = parse_price(&max);
                    })
                }
            />
            </Show>
            <Show when=shows_year>
            <RangeFilter
                legend="Year"
                labels=("Earliest year", "Latest year")
                value=Signal::derive(move || view.with(|v| (year_text(v.year_min), year_text(v.year_max))))
                bounds=Signal::derive(move || {
                    result.with(|r| r.year_bounds.map(|(lo, hi)| (lo.to_string(), hi.to_string())))
                })
                on_change=move |(min, max): (String, String)| {
                    let year = |text: &str| text.trim().parse::<u16>().ok().filter(|y| (1000..=2200).contains(y));
                    view.update(|v| {
                        v.year_min = year(&min);
                        v.year_max = year(&max);
                    })
                }
            />
            </Show>
            <button type="button" class="cg-button cg-facets-done" on:click=fold>
                "Show results"
            </button>
        </section>
    }
}
