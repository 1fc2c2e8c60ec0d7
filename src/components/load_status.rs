use crate::load::LoadProgress;
use leptos::prelude::*;

/// Download progress while the feed arrives.
#[component]
pub fn LoadStatus(
    /// Bytes and items received so far.
    #[prop(into)]
    progress: Signal<LoadProgress>,
) -> impl IntoView {
    let megabytes = |bytes: u64| format!("{:.1} MB", bytes as f64 / 1_000_000.0);
    view! {
        <div class="cg-loading" part="loading">
            <progress
                aria-label="Loading the inventory"
                max=move || progress.get().total_bytes.map(|t| t.to_string())
                value=move || {
                    let p = progress.get();
                    p.total_bytes.map(|_| p.received_bytes.to_string())
                }
            ></progress>
            <p class="cg-loading-text">
                {move || {
                    let p = progress.get();
                    if p.retry > 0 && p.received_bytes == 0 {
                        return format!("The inventory did not load; trying again (attempt {})…", p.retry + 1);
                    }
                    if p.pages > 0 {
                        return format!("Loading the inventory… page {}, {} items", p.pages, p.items);
                    }
                    match (p.received_bytes, p.total_bytes) {
                        (0, _) => "Loading the inventory…".to_owned(),
                        (received, Some(total)) => {
                            format!("Loading the inventory… {} of {}", megabytes(received), megabytes(total))
                        }
                        (received, None) => format!("Loading the inventory… {} received", megabytes(received)),
                    }
                }}
            </p>
        </div>
    }
}
