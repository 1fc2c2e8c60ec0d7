use super::{AddToCart, DisplayContext, WidgetEvent};
use crate::browser::ShopAccount;
use crate::core::links::{item_link, safe_image};
use crate::core::{kind_label, CartLine, Catalogue, Condition, Item, Listing};
use leptos::prelude::*;
use std::sync::Arc;

/// Listings shown per card; the rest are summarised. Cards in a grid are
/// one height, so each reserves room for this many.
pub const SHOWN_LISTINGS: usize = 2;

/// One item: cover, description and its listings, linking to the shop.
///
/// Everything from the feed is rendered as text; only http(s) URLs become
/// links or images. Every line has a fixed height (long text is clamped),
/// so all cards are one height and the virtualised grid can place rows by
/// arithmetic.
#[component]
pub fn ResultCard(
    /// The catalogue holding the item.
    catalogue: Arc<Catalogue>,
    /// The item's position in the catalogue.
    index: u32,
    /// Its place among the results, from 1 (for assistive technology, which
    /// sees only the rendered cards).
    position: usize,
    /// How many results there are.
    #[prop(into)]
    set_size: Signal<usize>,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let Some(item) = catalogue.get(index) else { return ().into_any() };
    let item = &item;
    // Aggregated items link to their own shop, never to a configured one.
    let shop = catalogue.shop_of(item);
    let storefront = if catalogue.shops().is_empty() { display.storefront.as_deref() } else { shop.and_then(|s| s.uri.as_deref()) };
    let link = item.url.clone().or_else(|| item_link(storefront, item.path.as_deref()));
    // Aggregated cards all have a shop line, so they stay one height.
    let shop_line = (!catalogue.shops().is_empty()).then(|| {
        let place = shop.map(|shop| [shop.alpha2.clone(), shop.pickup.then(|| "Pickup".to_owned())].into_iter().flatten().collect::<Vec<_>>().join(" · "));
        let logo = shop.and_then(|s| s.logo.clone()).map(|src| view! { <img class="cg-shop-logo" src=src alt="" width="16" height="16" loading="lazy" /> });
        view! {
            <p class="cg-shop" part="shop">
                {logo}
                <span class="cg-shop-name">{shop.map(|s| s.display_name())}</span>
                {place.filter(|p| !p.is_empty()).map(|place| view! { <span class="cg-shop-place">{place}</span> })}
            </p>
        }
    });
    let image = item.images.iter().find_map(|i| safe_image(i)).map(str::to_owned);
    let title = if item.title.is_empty() { "Untitled".to_owned() } else { item.title.clone() };
    let creators = item.creators().join(", ");
    let meta: Vec<String> = [
        (item.kind != "ReleaseItem").then(|| kind_label(&item.kind).to_owned()),
        item.variant.clone(),
        item.labels.first().cloned(),
        item.catalogue_numbers.first().cloned(),
        (!item.formats.is_empty()).then(|| item.formats.join(", ")),
        item.year.map(|y| y.to_string()),
        item.country.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let cover = match image {
        Some(src) => view! { <img class="cg-cover" src=src alt="" loading="lazy" decoding="async" width="160" height="160" /> }.into_any(),
        None => view! { <div class="cg-cover cg-cover-missing" aria-hidden="true"></div> }.into_any(),
    };
    let heading = view! {
        {cover}
        <h3 class="cg-title">{title}</h3>
    };
    let item_id = item.id;
    let header = match link {
        Some(href) => view! {
            <a
                class="cg-link"
                href=href.clone()
                target="_blank"
                rel="noopener"
                on:click={
                    let display = display.clone();
                    move |_| display.emit(WidgetEvent::ViewItem { item_id, url: href.clone() })
                }
            >
                {heading}
            </a>
        }
        .into_any(),
        None => view! { <div class="cg-link cg-link-missing">{heading}</div> }.into_any(),
    };
    let copies = copies_summary(&catalogue, index, &display);
    let hidden_listings = item.listings.len().saturating_sub(SHOWN_LISTINGS);
    let account = use_context::<ShopAccount>();
    let offers = item.listings.iter().take(SHOWN_LISTINGS).map(|l| offer_row(item, l, &display, account)).collect_view();
    view! {
        <li class="cg-card" part="card" aria-posinset=position aria-setsize=move || set_size.get()>
            {header}
            <p class="cg-artists">{creators}</p>
            {shop_line}
            <p class="cg-meta">{meta.join(" · ")}</p>
            <ul class="cg-offers">{offers}</ul>
            <div class="cg-card-foot">
                {(hidden_listings > 0).then(|| view! { <p class="cg-more-offers">{format!("+{hidden_listings} more")}</p> })}
                {copies}
            </div>
        </li>
    }
    .into_any()
}

/// For a release sold by several shops: "N copies at M shops, from X",
/// opening onto every copy with its shop, condition, price and link.
fn copies_summary(catalogue: &Catalogue, index: u32, display: &DisplayContext) -> Option<impl IntoView> {
    let items = catalogue.copies(index);
    if items.len() < 2 {
        return None;
    }
    let mut shops: Vec<u16> = items.iter().filter_map(|&i| catalogue.item(i).shop).collect();
    shops.sort_unstable();
    shops.dedup();
    let rows: Vec<_> = items
        .iter()
        .flat_map(|&i| {
            let item = catalogue.item(i);
            let shop = catalogue.shop_of(&item);
            let name = shop.map_or_else(|| "A shop".to_owned(), |s| s.display_name());
            let link = item.url.clone().or_else(|| item_link(shop.and_then(|s| s.uri.as_deref()), item.path.as_deref()));
            item.listings.into_iter().map(move |listing| (name.clone(), link.clone(), listing))
        })
        .collect();
    let lowest = rows.iter().filter_map(|(_, _, l)| l.sale).min();
    let from = lowest.map(|p| format!(", from {}", display.price_format.format(p))).unwrap_or_default();
    let summary = format!("{} copies at {} shop{}{from}", rows.len(), shops.len(), if shops.len() == 1 { "" } else { "s" });
    let rows = rows
        .into_iter()
        .map(|(name, link, listing)| {
            let price = listing.sale.map(|p| display.price_format.format(p)).unwrap_or_else(|| "Price on request".to_owned());
            let grade = listing.media_grade.map(|g| format!(" {g}")).unwrap_or_default();
            let detail = format!("{}{grade} · {price}", listing.condition.label());
            let shop = match link {
                Some(href) => view! { <a href=href target="_blank" rel="noopener">{name}</a> }.into_any(),
                None => view! { <span>{name}</span> }.into_any(),
            };
            view! { <li class="cg-copy">{shop}<span class="cg-copy-detail">{detail}</span></li> }
        })
        .collect_view();
    Some(view! {
        <details class="cg-copies" part="copies">
            <summary>{summary}</summary>
            <ul class="cg-copy-list">{rows}</ul>
        </details>
    })
}

fn offer_row(item: &Item, listing: &Listing, display: &DisplayContext, account: Option<ShopAccount>) -> impl IntoView {
    let price = listing.sale.map(|p| display.price_format.format(p)).unwrap_or_else(|| "Price on request".to_owned());
    let compare = listing.compare.map(|p| display.price_format.format(p));
    let grades = match (listing.media_grade, listing.sleeve_grade) {
        (Some(m), Some(s)) => Some(format!("{m}/{s}")),
        (Some(m), None) => Some(m.code().to_owned()),
        (None, Some(s)) => Some(format!("sleeve {s}")),
        (None, None) => None,
    };
    let stock = match listing.quantity {
        None => "In stock".to_owned(),
        Some(0) => "Out of stock".to_owned(),
        Some(1) => "Last one".to_owned(),
        Some(n) => format!("{n} in stock"),
    };
    let used = listing.condition == Condition::Used;
    let add = account.zip(CartLine::new(item, listing)).map(|(account, line)| {
        let label = format!("{}, {}, {price}", line.title, line.detail);
        view! { <AddToCart account=account line=line label=label /> }
    });
    view! {
        <li class="cg-offer">
            <span class="cg-condition" class:cg-used=used>
                {listing.condition.label()}
                {grades.map(|g| view! { <span class="cg-grade">{g}</span> })}
            </span>
            <span class="cg-price">
                {compare.map(|c| view! { <s class="cg-compare">{c}</s> })}
                <span class="cg-sale">{price}</span>
            </span>
            <span class="cg-stock">{stock}</span>
            {add}
        </li>
    }
}
