#[cfg(feature = "checkout")]
use super::AddToCart;
use super::{use_cart_controls, CartControls, DisplayContext, Heading, WidgetEvent};
use crate::core::card::{item_url, CardContent, Offer};
use crate::core::{Catalogue, Condition};
use leptos::prelude::*;
use std::sync::Arc;

/// One place in the results grid: cover, description and listings of the
/// item shown there, linking to the shop.
///
/// A card is not tied to one item: when the answer changes (a keystroke, a
/// filter, a sort) or the grid jumps, it rewrites only the text and
/// attributes that differ instead of being built again, which keeps an
/// answer within a frame or two. Elements that carry state of
/// their own (the cover image, the copies list) are keyed by what they
/// show, so a new item never inherits a previous item's picture or open list.
///
/// Everything from the feed is rendered as text; only http(s) URLs become
/// links or images. Images are fetched without a referrer: the image hosts
/// a feed names never learn which page (or search, in its URL) shows them.
/// Every line has a fixed height (long text is clamped), so all cards are
/// one height and the virtualised grid can place rows by arithmetic.
#[component]
pub fn ResultCard(
    /// The catalogue holding the items.
    catalogue: Arc<Catalogue>,
    /// The catalogue position of the item shown; `None` while the card is
    /// being removed, or is a placeholder while the grid flings past.
    #[prop(into)]
    index: Signal<Option<u32>>,
    /// The shown result's place among the results, from 1 (for assistive
    /// technology, which sees only the rendered cards).
    #[prop(into)]
    position: Signal<usize>,
    /// How many results there are.
    #[prop(into)]
    set_size: Signal<usize>,
) -> impl IntoView {
    let display = use_context::<DisplayContext>().unwrap_or_default();
    let heading_level = display.section_level();
    let cart = use_cart_controls();
    let aggregated = !catalogue.shops().is_empty();
    let grouped = catalogue.is_grouped();
    let content = {
        let catalogue = catalogue.clone();
        let storefront = display.storefront.clone();
        Memo::new(move |_| {
            index
                .get()
                .and_then(|i| CardContent::new(&catalogue, i, storefront.as_deref()))
                .unwrap_or_default()
        })
    };
    let text = move |field: fn(&CardContent) -> &str| move || content.with(|c| field(c).to_owned());
    let on_click = {
        let display = display.clone();
        move |_| {
            let (item_id, link) = content.with_untracked(|c| (c.item_id, c.link.clone()));
            if let Some(url) = link {
                display.emit(WidgetEvent::ViewItem { item_id, url });
            }
        }
    };
    // Aggregated cards all have a shop line, so they stay one height.
    let shop_line = aggregated.then(|| {
        let shop = Memo::new(move |_| content.with(|c| c.shop.clone().unwrap_or_default()));
        view! {
            <p class="cg-shop" part="shop">
                <For each=move || shop.with(|s| s.logo.clone()) key=|src| src.clone() let:src>
                    <img class="cg-shop-logo" src=src alt="" width="16" height="16" loading="lazy" referrerpolicy="no-referrer" />
                </For>
                <span class="cg-shop-name">{move || shop.with(|s| s.name.clone())}</span>
                <span class="cg-shop-place" hidden=move || shop.with(|s| s.place.is_empty())>{move || shop.with(|s| s.place.clone())}</span>
            </p>
        }
    });
    let offers = move || 0..content.with(|c| c.offers.len());
    let offer_view = {
        let display = display.clone();
        move |slot: usize| {
            offer_row(
                Memo::new(move |_| content.with(|c| c.offers.get(slot).cloned())),
                &display,
                cart,
            )
        }
    };
    let hidden_offers = move || content.with(|c| c.hidden_offers);
    // The copies of this release (aggregator mode), built per item.
    let copies_of = move || index.get().filter(|_| grouped);
    let copies_view = move |index: u32| copies_summary(&catalogue, index, &display);
    view! {
        <li class="cg-card" part="card" aria-posinset=move || position.get() aria-setsize=move || set_size.get()>
            <a
                class="cg-link"
                class:cg-link-missing=move || content.with(|c| c.link.is_none())
                href=move || content.with(|c| c.link.clone())
                target="_blank"
                rel="noopener"
                on:click=on_click
            >
                <For each=move || content.with(|c| c.cover.clone()) key=|src| src.clone() let:src>
                    <img class="cg-cover" src=src alt="" loading="lazy" decoding="async" width="160" height="160" referrerpolicy="no-referrer" />
                </For>
                <div class="cg-cover cg-cover-missing" aria-hidden="true" hidden=move || content.with(|c| c.cover.is_some())></div>
                <Heading class="cg-title" level=heading_level.clone()>
                    {text(|c| &c.title)}
                </Heading>
            </a>
            <p class="cg-artists">{text(|c| &c.creators)}</p>
            {shop_line}
            <p class="cg-meta">{text(|c| &c.meta)}</p>
            <ul class="cg-offers">
                <For each=offers key=|slot| *slot children=offer_view />
            </ul>
            <div class="cg-card-foot">
                <p class="cg-more-offers" hidden=move || hidden_offers() == 0>{move || format!("+{} more", hidden_offers())}</p>
                <For each=copies_of key=|index| *index children=copies_view />
            </div>
        </li>
    }
}

/// One listing of the card's item: condition and grades, price, stock and,
/// for a logged-in buyer, a button that puts it in the cart.
fn offer_row(
    offer: Memo<Option<Offer>>,
    display: &DisplayContext,
    cart: Option<CartControls>,
) -> impl IntoView {
    let price_format = display.price_format.clone();
    let price = Memo::new(move |_| {
        offer
            .with(|o| o.as_ref().and_then(|o| o.sale))
            .map(|p| price_format.format(p))
            .unwrap_or_else(|| "Price on request".to_owned())
    });
    let price_format = display.price_format.clone();
    let compare = Memo::new(move |_| {
        offer
            .with(|o| o.as_ref().and_then(|o| o.compare))
            .map(|p| price_format.format(p))
    });
    let grades = move || offer.with(|o| o.as_ref().and_then(|o| o.grades.clone()));
    // The button belongs to one listing: its count and label are that
    // listing's, so it is built again for another.
    #[cfg(feature = "checkout")]
    let add = cart.map(|CartControls { cart, on_add }| {
        let cart_line = move || offer.with(|o| o.as_ref().and_then(|o| o.cart_line.clone()));
        let button = move |line: crate::core::CartLine| {
            let label = format!("{}, {}, {}", line.title, line.detail, price.get_untracked());
            view! { <AddToCart cart=cart on_add=on_add line=line label=label /> }
        };
        view! { <For each=cart_line key=|line| line.listing_id children=button /> }
    });
    #[cfg(not(feature = "checkout"))]
    let add: Option<()> = cart.map(|_| ());
    view! {
        <li class="cg-offer">
            <span class="cg-condition" class:cg-used=move || offer.with(|o| o.as_ref().is_some_and(|o| o.condition == Condition::Used))>
                {move || offer.with(|o| o.as_ref().map_or("", |o| o.condition.label()))}
                <span class="cg-grade" hidden=move || grades().is_none()>{move || grades().unwrap_or_default()}</span>
            </span>
            <span class="cg-price">
                <s class="cg-compare" hidden=move || compare.with(Option::is_none)>{move || compare.get().unwrap_or_default()}</s>
                <span class="cg-sale">{move || price.get()}</span>
            </span>
            <span class="cg-stock">{move || offer.with(|o| o.as_ref().map(|o| o.stock.clone()).unwrap_or_default())}</span>
            {add}
        </li>
    }
}

/// For a release sold by several shops: "N copies at M shops, from X",
/// opening onto every copy with its shop, condition, price and link.
fn copies_summary(
    catalogue: &Catalogue,
    index: u32,
    display: &DisplayContext,
) -> Option<impl IntoView> {
    let items = catalogue.copies(index);
    if items.len() < 2 {
        return None;
    }
    let mut shops: Vec<u16> = items
        .iter()
        .filter_map(|&i| catalogue.item(i).shop)
        .collect();
    shops.sort_unstable();
    shops.dedup();
    let rows: Vec<_> = items
        .iter()
        .flat_map(|&i| {
            let item = catalogue.item(i);
            let shop = catalogue.shop_of(&item);
            let name = shop.map_or_else(|| "A shop".to_owned(), |s| s.display_name());
            let link = item_url(&item, shop.and_then(|s| s.uri.as_deref()));
            let item_id = item.id;
            item.listings
                .into_iter()
                .map(move |listing| (name.clone(), link.clone(), item_id, listing))
        })
        .collect();
    let lowest = rows.iter().filter_map(|(_, _, _, l)| l.sale).min();
    let from = lowest
        .map(|p| format!(", from {}", display.price_format.format(p)))
        .unwrap_or_default();
    let summary = format!(
        "{} copies at {} shop{}{from}",
        rows.len(),
        shops.len(),
        if shops.len() == 1 { "" } else { "s" }
    );
    let rows = rows
        .into_iter()
        .map(|(name, link, item_id, listing)| {
            let price = listing.sale.map(|p| display.price_format.format(p)).unwrap_or_else(|| "Price on request".to_owned());
            let grade = listing.media_grade.map(|g| format!(" {g}")).unwrap_or_default();
            let detail = format!("{}{grade} · {price}", listing.condition.label());
            let shop = match link {
                Some(href) => {
                    let (display, url) = (display.clone(), href.clone());
                    let on_click = move |_| display.emit(WidgetEvent::ViewItem { item_id, url: url.clone() });
                    view! { <a href=href target="_blank" rel="noopener" on:click=on_click>{name}</a> }.into_any()
                }
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
