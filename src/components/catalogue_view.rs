use super::{
    EmptyState, FacetPanel, FilterData, Notices, ResultCount, ResultList, SearchBox, SkipToResults,
    SortSelect,
};
use crate::core::{Catalogue, SortKey, ViewState};
use crate::hooks::use_after_paint;
use leptos::prelude::*;
use std::sync::Arc;

/// A loaded catalogue: search, sort, filters and results.
#[component]
pub fn CatalogueView(
    /// The indexed feed.
    catalogue: Arc<Catalogue>,
    /// The view being shown, shared with the URL.
    view: RwSignal<ViewState>,
) -> impl IntoView {
    let result = {
        let catalogue = catalogue.clone();
        Memo::new(move |_| view.with(|v| catalogue.query(v)))
    };
    let shown = Memo::new(move |_| result.with(|r| Arc::<[u32]>::from(r.shown())));
    // The results and the count paint first; the filters' counts follow.
    let facet_result = use_after_paint(result);
    // Filters and sorts the catalogue has no data for are not offered.
    let data = {
        let (conditions, price, year) = catalogue.filter_data();
        FilterData {
            conditions,
            price,
            year,
        }
    };
    let sorts: Vec<SortKey> = SortKey::ALL
        .into_iter()
        .filter(|&s| catalogue.offers_sort(s))
        .collect();
    #[cfg(feature = "aggregator")]
    let locating = crate::hooks::use_nearest_sort(view, catalogue.offers_sort(SortKey::Nearest));
    // Only an aggregator's shops have places to be near.
    #[cfg(not(feature = "aggregator"))]
    let locating = Signal::stored(None::<String>);
    // The menu shows the order the results are in, which for a sort this
    // catalogue does not offer is relevance; the view (and the URL) keep
    // the sort asked for.
    let sort_in_effect = {
        let catalogue = catalogue.clone();
        Signal::derive(move || view.with(|v| catalogue.sort_in_effect(v)))
    };
    let load_notices = catalogue.stats.notices();
    // No later query pays for building a sort order or for code running
    // the first time.
    {
        let catalogue = catalogue.clone();
        leptos::task::spawn_local(async move {
            crate::browser::prepare_sorts(&catalogue).await;
            crate::browser::warm_up_queries(&catalogue).await;
        });
    }

    let results_area = NodeRef::new();
    view! {
        <Notices messages=Signal::stored(load_notices) />
        {move || locating.get().map(|message| view! { <p class="cg-notice" role="status">{message}</p> })}
        <div class="cg-toolbar" part="toolbar">
            <SearchBox
                value=Signal::derive(move || view.with(|v| v.query.clone()))
                on_input=move |text: String| view.update(|v| v.query = text)
            />
            <SortSelect
                value=sort_in_effect
                options=sorts
                on_change=move |key: SortKey| view.update(|v| v.sort = Some(key))
            />
            <ResultCount count=Signal::derive(move || result.with(|r| r.items.len())) />
            <SkipToResults results=results_area />
        </div>
        <div class="cg-body">
            <FacetPanel view=view result=facet_result data=data />
            <div class="cg-main" node_ref=results_area>
                <Show
                    when=move || result.with(|r| !r.items.is_empty())
                    fallback=move || {
                        view! {
                            <EmptyState on_clear=move |_| view.update(|v| *v = ViewState { sort: v.sort, ..ViewState::default() }) />
                        }
                    }
                >
                    <ResultList catalogue=catalogue.clone() items=shown />
                </Show>
            </div>
        </div>
    }
}
