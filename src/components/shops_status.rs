use crate::load::{ShopProgress, ShopState};
use leptos::prelude::*;

/// Per-shop progress while an aggregated catalogue loads.
#[component]
pub fn ShopsStatus(
    /// Each listed shop and where its feed has got to.
    #[prop(into)]
    shops: Signal<Vec<ShopProgress>>,
) -> impl IntoView {
    let line = |shop: &ShopProgress| match &shop.state {
        ShopState::Waiting => "waiting".to_owned(),
        ShopState::Loading {
            received_bytes: 0, ..
        } => "loading…".to_owned(),
        ShopState::Loading {
            received_bytes,
            total_bytes: Some(total),
        } => {
            format!(
                "loading… {}%",
                (received_bytes * 100 / (*total).max(1)).min(100)
            )
        }
        ShopState::Loading {
            received_bytes,
            total_bytes: None,
        } => format!("loading… {:.1} MB", *received_bytes as f64 / 1e6),
        ShopState::Loaded { items } => format!("{items} items"),
        ShopState::Failed(why) => format!("failed: {why}"),
    };
    view! {
        <Show when=move || shops.with(|s| !s.is_empty())>
            <ul class="cg-shops-progress" part="shops-progress" aria-label="Shops">
                {move || {
                    shops
                        .get()
                        .iter()
                        .map(|shop| {
                            let failed = matches!(shop.state, ShopState::Failed(_));
                            view! {
                                <li class:cg-shop-failed=failed>
                                    <span class="cg-shop-name">{shop.name.clone()}</span>
                                    " "
                                    <span class="cg-shop-state">{line(shop)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}
