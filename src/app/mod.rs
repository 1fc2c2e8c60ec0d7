//! The whole widget, and the pages it mounts on.

#[cfg(feature = "checkout")]
mod account;
mod sources;
mod standalone;

pub use standalone::mount_standalone;

use crate::browser::PriceFormat;
use crate::components::{
    CatalogueView, DisplayContext, ErrorPanel, FontWarmUp, Heading, LoadStatus, LoadingPreview,
    Notices, WidgetEvent,
};
use crate::core::{Config, Source};
use crate::hooks::{
    use_narrow_layout, use_url_state_with_options, UseUrlStateOptions, UseUrlStateReturn,
};
use crate::load::{load_catalogue, LoadProgress};
use leptos::prelude::*;
use sources::{load_many_shops, load_paged_inventory, shops_status, ShopsProgress};

/// The whole widget for one configuration.
#[component]
pub fn App(
    /// Where the feed comes from and how it is shown.
    config: Config,
    /// Notices about configuration values that were ignored.
    #[prop(optional)]
    config_notices: Vec<String>,
    /// Receives the widget's events for the host page.
    #[prop(optional, into)]
    on_event: Option<Callback<WidgetEvent>>,
) -> impl IntoView {
    let display = DisplayContext {
        storefront: config.link_base(),
        price_format: PriceFormat {
            currency: config.currency.clone(),
            locale: config.locale.clone(),
        },
        on_event,
        heading_level: config.heading_level,
    };
    provide_context(display.clone());
    let heading_level = config.heading_level.to_string();
    let source = config.source();
    if let Ok(Source::Feed(url)) = &source {
        crate::load::look_up_saved_index_early(url);
    }
    // Login, cart and checkout only for one Common Ground shop that names its domain.
    let single_shop = matches!(source, Ok(Source::Feed(_)));
    #[cfg(feature = "checkout")]
    let account = config
        .origin
        .clone()
        .filter(|_| single_shop)
        .and_then(|origin| {
            let scope = crate::core::account_scope::AccountScope::new(&config.api, &origin)?;
            let display = display.clone();
            let on_checkout = Callback::new(move |(checkout_id, url): (String, String)| {
                display.emit(WidgetEvent::Checkout { checkout_id, url })
            });
            let account =
                crate::hooks::use_shop_account_with_options(crate::hooks::UseShopAccountOptions {
                    scope,
                    target: crate::browser::ApiTarget {
                        api: config.api.clone(),
                        origin,
                    },
                    storefront: config.storefront.clone(),
                    checkout_url: config.checkout_url.clone(),
                    on_checkout: Some(on_checkout),
                });
            provide_context(account::cart_controls(account));
            Some(account)
        });
    #[cfg(feature = "checkout")]
    let account_view = account.map(account::account_view);
    // A build without checkout shows items with their links only; the
    // settings' notice below says why when a shop was configured for it.
    #[cfg(not(feature = "checkout"))]
    let account_view: Option<()> = None;
    let UseUrlStateReturn {
        view,
        notices: view_notices,
    } = use_url_state_with_options(UseUrlStateOptions {
        enabled: config.url_state,
    });
    let mut notices = config_notices;
    notices.extend(view_notices);
    if config.storefront.is_none() && single_shop {
        notices.push("No storefront is configured, so items cannot link to the shop.".to_owned());
    }
    if matches!(source, Ok(Source::ShopIds(_))) {
        notices.push("Shops given only by id have no storefront address, so items cannot link to their shops. A shop list (shops-url) gives every shop's.".to_owned());
    }
    if cfg!(not(feature = "checkout")) && config.origin.is_some() && single_shop {
        notices.push(
            "Checkout is not part of this build of the widget; items link to the shop.".to_owned(),
        );
    }
    if config.origin.is_some() && !single_shop {
        notices.push("Checkout is only available for a single Common Ground shop; items link to their shops.".to_owned());
    }
    // The page's first `Intl.NumberFormat` loads the locale's data, tens of
    // milliseconds: done while the feed is on its way rather than inside
    // the first render of the results.
    {
        let price_format = display.price_format.clone();
        leptos::task::spawn_local(async move {
            crate::browser::yield_to_page().await;
            let _ = price_format.format(0);
        });
    }
    let (progress, set_progress) = signal(LoadProgress::default());
    let (shops_progress, set_shops_progress) = signal(ShopsProgress::new());
    let (preview, set_preview) = signal(None);
    let timeout_seconds = config.timeout_seconds;
    let cdn = config.cdn.clone();
    let catalogue = LocalResource::new(move || {
        let (source, cdn) = (source.clone(), cdn.clone());
        async move {
            match source? {
                Source::Feed(url) => {
                    load_catalogue(url, timeout_seconds, set_progress, set_preview).await
                }
                many @ (Source::ShopList { .. } | Source::ShopIds(_)) => {
                    load_many_shops(many, cdn, timeout_seconds, set_shops_progress).await
                }
                paged @ Source::Squarespace { .. } => {
                    load_paged_inventory(paged, timeout_seconds, set_progress).await
                }
            }
        }
    });
    // A retry keeps the error on screen until its load ends (the
    // transition shows the last answer): meanwhile the panel says so,
    // with the load's progress.
    let retrying = RwSignal::new(false);
    // Each finished load is announced once to the host page.
    Effect::new(move |_| {
        match catalogue.get() {
            Some(Ok(loaded)) => display.emit(WidgetEvent::Ready {
                items: loaded.catalogue.len(),
            }),
            Some(Err(error)) => display.emit(WidgetEvent::Error {
                message: error.to_string(),
            }),
            None => {}
        }
        retrying.set(false);
    });

    let root = NodeRef::new();
    let narrow = use_narrow_layout(root);

    view! {
        <div class=config.theme.class() class:cg-narrow=move || narrow.get() node_ref=root part="root">
            // The widget's own heading, so its cards' and panels' headings
            // (one level below) sit under it in a screen reader's outline;
            // its level is the host's choice (`heading-level`).
            <Heading class="cg-visually-hidden" level=heading_level>
                "Record catalogue"
            </Heading>
            {account_view}
            <Notices messages=Signal::stored(notices) />
            <Transition fallback=move || {
                view! {
                    <LoadStatus progress=progress />
                    <FontWarmUp />
                    {shops_status(shops_progress)}
                    {move || preview.get().map(|catalogue| view! { <LoadingPreview catalogue=catalogue progress=progress /> })}
                }
            }>
                {move || {
                    catalogue
                        .get()
                        .map(|loaded| match loaded {
                            Ok(loaded) => {
                                let stale = loaded.stale.map(|copy| {
                                    format!("Showing stock as of {}: the latest inventory could not be loaded. {}", copy.as_of, copy.reason)
                                });
                                let load_notices: Vec<String> = stale.into_iter().chain(loaded.notices).collect();
                                view! {
                                    <Notices messages=Signal::stored(load_notices) />
                                    <CatalogueView catalogue=loaded.catalogue view=view />
                                }
                                .into_any()
                            }
                            Err(error) => {
                                let retry = move |_| {
                                    retrying.set(true);
                                    set_progress.set(LoadProgress::default());
                                    catalogue.refetch();
                                };
                                view! {
                                    <ErrorPanel message=error.to_string() on_retry=retry retrying=retrying />
                                    <Show when=move || retrying.get()>
                                        <LoadStatus progress=progress />
                                        {shops_status(shops_progress)}
                                    </Show>
                                }
                                .into_any()
                            }
                        })
                }}
            </Transition>
        </div>
    }
}
