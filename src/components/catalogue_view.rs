use super::{DisplayContext, EmptyState, FacetPanel, Notices, ResultCount, ResultList, SearchBox, SortSelect};
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
    let visible = Signal::derive(move || result.with(|r| r.items.iter().take(shown.get()).copied().collect::<Vec<_>>()));
    let remaining = move || result.with(|r| r.items.len()).saturating_sub(shown.get());
    let load_notices = catalogue.stats.notices();
    // Sort orders are built in idle moments after loading, one per task, so
    // no later click pays for one.
    {
        let catalogue = catalogue.clone();
        leptos::task::spawn_local(async move {
            for sort in SortKey::ALL {
                crate::browser::sleep(0).await;
                catalogue.prepare_sort(sort);
            }
        });
    }

    view! {
        <Notices messages=Signal::stored(load_notices) />
        <div class="cg-toolbar" part="toolbar">
            <SearchBox
                value=Signal::derive(move || view.with(|v| v.query.clone()))
                on_input=move |text: String| view.update(|v| v.query = text)
            />
            <SortSelect
                value=Signal::derive(move || view.with(ViewState::effective_sort))
                on_change=move |key: SortKey| view.update(|v| v.sort = Some(key))
            />
            <ResultCount count=Signal::derive(move || result.with(|r| r.items.len())) />
        </div>
        <div class="cg-body">
            <FacetPanel view=view result=result />
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
