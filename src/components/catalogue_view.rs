use super::{DisplayContext, EmptyState, FacetPanel, FilterData, Notices, ResultCount, ResultList, SearchBox, SortSelect};
use crate::browser::use_nearest_sort;
use crate::core::{Catalogue, SortKey, ViewState};
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
    let page_size = use_context::<DisplayContext>().map_or(48, |d| d.page_size.max(1));
    let result = {
        let catalogue = catalogue.clone();
        Memo::new(move |_| view.with(|v| catalogue.query(v)))
    };
    let shown = RwSignal::new(page_size);
    // A new answer starts again from its first page.
    Effect::new(move |_| {
        result.track();
        shown.set(page_size);
    });
    let visible = Signal::derive(move || result.with(|r| r.shown().iter().take(shown.get()).copied().collect::<Vec<_>>()));
    let remaining = move || result.with(|r| r.shown().len()).saturating_sub(shown.get());
    // Filters and sorts the catalogue has no data for are not offered.
    let data = {
        let (conditions, price, year) = catalogue.filter_data();
        FilterData { conditions, price, year }
    };
    let sorts: Vec<SortKey> = SortKey::ALL.into_iter().filter(|&s| catalogue.offers_sort(s)).collect();
    let locating = use_nearest_sort(view);
    let load_notices = catalogue.stats.notices();
    // Sort orders are built in idle moments after loading, one per task, so
    // no later click pays for one.
    {
        let catalogue = catalogue.clone();
        leptos::task::spawn_local(async move {
            for sort in SortKey::ALL.into_iter().filter(|&s| catalogue.offers_sort(s)) {
                crate::browser::sleep(0).await;
                catalogue.prepare_sort(sort);
            }
        });
    }

    view! {
        <Notices messages=Signal::stored(load_notices) />
        {move || locating.get().map(|message| view! { <p class="cg-notice" role="status">{message}</p> })}
        <div class="cg-toolbar" part="toolbar">
            <SearchBox
                value=Signal::derive(move || view.with(|v| v.query.clone()))
                on_input=move |text: String| view.update(|v| v.query = text)
            />
            <SortSelect
                value=Signal::derive(move || view.with(ViewState::effective_sort))
                options=sorts
                on_change=move |key: SortKey| view.update(|v| v.sort = Some(key))
            />
            <ResultCount count=Signal::derive(move || result.with(|r| r.items.len())) />
        </div>
        <div class="cg-body">
            <FacetPanel view=view result=result data=data />
            <div class="cg-main">
                <Show
                    when=move || result.with(|r| !r.items.is_empty())
                    fallback=move || {
                        view! {
                            <EmptyState on_clear=move |_| view.update(|v| *v = ViewState { sort: v.sort, ..ViewState::default() }) />
                        }
                    }
                >
                    <ResultList catalogue=catalogue.clone() items=visible />
                    <Show when=move || { remaining() > 0 }>
                        <button
                            type="button"
                            class="cg-button cg-show-more"
                            on:click=move |_| shown.update(|n| *n += page_size)
                        >
                            {move || format!("Show more ({} left)", remaining())}
                        </button>
                    </Show>
                </Show>
            </div>
        </div>
    }
}
