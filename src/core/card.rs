//! What a result card shows, worked out from the catalogue as plain text and
//! URLs. The browser shell only places it: a card on screen is reused for
//! the next result shown in its place, and compares these fields to touch
//! only the text that changed.

use crate::links::{item_link, safe_image};
use crate::{kind_label, CartLine, Catalogue, Cents, Condition, Item, Listing};

/// Listings shown per card; the rest are summarised. Cards in a grid are
/// one height, so each reserves room for this many.
pub const SHOWN_LISTINGS: usize = 2;

/// One result card's content.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardContent {
    /// The feed's id of the item, when it has one.
    pub item_id: Option<u64>,
    /// Where the card links: the item's own page, else the storefront plus
    /// its path; `None` when neither is a safe http(s) URL.
    pub link: Option<String>,
    /// The first safe http(s) image.
    pub cover: Option<String>,
    /// The item's title, or "Untitled".
    pub title: String,
    /// Artists or authors, comma separated.
    pub creators: String,
    /// Kind (when not a record), variant, label, catalogue number, formats,
    /// year and country, dot separated.
    pub meta: String,
    /// Aggregated catalogues only: the item's shop.
    pub shop: Option<ShopLine>,
    /// The first [`SHOWN_LISTINGS`] listings.
    pub offers: Vec<Offer>,
    /// How many listings are not shown.
    pub hidden_offers: usize,
}

/// The shop line of an aggregated card.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShopLine {
    /// The shop's display name.
    pub name: String,
    /// Country code and "Pickup", dot separated; may be empty.
    pub place: String,
    /// The shop's logo, when it is a safe http(s) image.
    pub logo: Option<String>,
}

/// One listing on a card. Prices stay amounts: the shell formats them in
/// the shop's currency and the shopper's locale.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// New or used.
    pub condition: Condition,
    /// Media/sleeve grades, e.g. "VG+/VG", "NM" or "sleeve VG".
    pub grades: Option<String>,
    /// The price, when the feed gives a usable one.
    pub sale: Option<Cents>,
    /// The compare-at price, only when higher than the sale price.
    pub compare: Option<Cents>,
    /// How many are left, in words: "In stock", "Last one", "3 in stock"...
    pub stock: String,
    /// The listing as it would go in the cart, when it can be bought.
    pub cart_line: Option<CartLine>,
}

/// Where `item` links: its own page, else the shop's `storefront` plus its
/// path. Its own page passes the same rule as a path: on the storefront's
/// origin or no link, whether it came from a feed, a Squarespace product
/// URL or an index restored from the browser's cache (whose checksum
/// proves no origin).
pub fn item_url(item: &Item, storefront: Option<&str>) -> Option<String> {
    item.url
        .as_deref()
        .and_then(|url| item_link(storefront, Some(url)))
        .or_else(|| item_link(storefront, item.path.as_deref()))
}

impl CardContent {
    /// The card for catalogue item `index`, linking to `storefront` (the
    /// configured shop) unless the catalogue aggregates shops, whose items
    /// link to their own shop. `None` for an index outside the catalogue.
    pub fn new(catalogue: &Catalogue, index: u32, storefront: Option<&str>) -> Option<CardContent> {
        let item = catalogue.get(index)?;
        let aggregated = !catalogue.shops().is_empty();
        let shop = catalogue.shop_of(&item);
        let storefront = if aggregated {
            shop.and_then(|s| s.uri.as_deref())
        } else {
            storefront
        };
        let shop_line = aggregated.then(|| ShopLine {
            name: shop.map(|s| s.display_name()).unwrap_or_default(),
            place: shop
                .map(|shop| {
                    [shop.alpha2.as_deref(), shop.pickup.then_some("Pickup")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default(),
            // Checked again here, as links are: a restored index is untrusted too.
            logo: shop
                .and_then(|s| s.logo.as_deref())
                .and_then(safe_image)
                .map(str::to_owned),
        });
        Some(CardContent {
            item_id: item.id,
            link: item_url(&item, storefront),
            cover: item
                .images
                .iter()
                .find_map(|i| safe_image(i))
                .map(str::to_owned),
            title: if item.title.is_empty() {
                "Untitled".to_owned()
            } else {
                item.title.clone()
            },
            creators: item.creators().join(", "),
            meta: meta_line(&item),
            shop: shop_line,
            offers: item
                .listings
                .iter()
                .take(SHOWN_LISTINGS)
                .map(|listing| Offer::new(&item, listing))
                .collect(),
            hidden_offers: item.listings.len().saturating_sub(SHOWN_LISTINGS),
        })
    }
}

impl Offer {
    fn new(item: &Item, listing: &Listing) -> Offer {
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
        Offer {
            condition: listing.condition,
            grades,
            sale: listing.sale,
            compare: listing.compare,
            stock,
            cart_line: CartLine::new(item, listing),
        }
    }
}

fn meta_line(item: &Item) -> String {
    [
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
    .collect::<Vec<_>>()
    .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop_list::ShopInfo;
    use crate::ShopFeed;
    use crate::{CatalogueBuilder, Grade};

    const STORE: Option<&str> = Some("https://www.my-store.com");

    fn card(item: &str) -> CardContent {
        let catalogue = Catalogue::from_feed(format!("[{item}]").as_bytes()).unwrap();
        CardContent::new(&catalogue, 0, STORE).unwrap()
    }

    #[test]
    fn a_record_links_to_the_storefront_and_summarises_its_listings() {
        let card = card(
            r#"{"id":7,"type":"ReleaseItem","path":"/release/7","listings":[
                {"id":71,"stock":{"quantity":1},"prices":{"sale":20,"compare":25},"secondHand":true,"options":{"media":"VG+","sleeve":"VG"}},
                {"id":72,"stock":{"quantity":4},"prices":{"sale":30}},
                {"id":73,"prices":{"sale":40}}],
              "data":{"title":"Blue Train","artists":["John Coltrane"],"labels":[{"name":"Blue Note","catno":"BLP 1577"}],
                      "formats":["Vinyl","LP"],"year":1958,"country":"US","images":["javascript:alert(1)","https://img.example/7.jpg"]}}"#,
        );
        assert_eq!(card.item_id, Some(7));
        assert_eq!(
            card.link.as_deref(),
            Some("https://www.my-store.com/release/7")
        );
        assert_eq!(card.cover.as_deref(), Some("https://img.example/7.jpg"));
        assert_eq!(card.title, "Blue Train");
        assert_eq!(card.creators, "John Coltrane");
        assert_eq!(card.meta, "Blue Note · BLP 1577 · Vinyl, LP · 1958 · US");
        assert!(card.shop.is_none());
        assert_eq!(card.offers.len(), SHOWN_LISTINGS);
        assert_eq!(card.hidden_offers, 1);
        let used = &card.offers[0];
        assert_eq!(
            (used.condition, used.grades.as_deref(), used.stock.as_str()),
            (Condition::Used, Some("VG+/VG"), "Last one")
        );
        assert_eq!((used.sale, used.compare), (Some(2000), Some(2500)));
        assert_eq!(used.cart_line.as_ref().map(|l| l.listing_id), Some(71));
        assert_eq!(card.offers[1].stock, "4 in stock");
        assert_eq!(card.offers[1].grades, None);
    }

    #[test]
    fn missing_or_unsafe_fields_leave_blanks_not_links() {
        let card = card(
            r#"{"type":"ReleaseItem","path":"javascript:alert(1)","listings":[{"prices":{"sale":5}},{"id":2,"stock":{"quantity":0}}],"data":{"title":"","images":["data:image/png,x"]}}"#,
        );
        assert_eq!(card.link, None);
        assert_eq!(card.cover, None);
        assert_eq!(card.title, "Untitled");
        assert_eq!(card.meta, "");
        assert_eq!(
            card.offers[0].cart_line, None,
            "nothing to buy without a listing id"
        );
        // Only sources that list stock (Squarespace) keep sold-out listings.
        let sold_out = Listing {
            id: Some(2),
            quantity: Some(0),
            ..Listing::default()
        };
        let offer = Offer::new(&Item::default(), &sold_out);
        assert_eq!(
            (offer.stock.as_str(), offer.cart_line),
            ("Out of stock", None)
        );
        assert_eq!(card.hidden_offers, 0);
    }

    #[test]
    fn other_kinds_say_what_they_are_and_show_a_sleeve_only_grade() {
        let card = card(
            r#"{"type":"BookItem","listings":[{"id":1,"secondHand":true,"options":{"sleeve":"Near Mint (NM or M-)"}}],
                "data":{"title":"Ocean of Sound","authors":["David Toop"]}}"#,
        );
        assert_eq!(card.creators, "David Toop");
        assert!(
            card.meta.starts_with(kind_label("BookItem")),
            "{}",
            card.meta
        );
        assert_eq!(
            card.offers[0].grades,
            Some(format!("sleeve {}", Grade::NearMint))
        );
    }

    #[test]
    fn only_http_links_and_logos_reach_a_card_whatever_the_catalogue_holds() {
        // A restored index is untrusted: these could come from a tampered copy.
        let mut builder = CatalogueBuilder::new();
        builder.set_shops(vec![ShopInfo {
            logo: Some("javascript:alert(1)".into()),
            uri: Some("https://shop9.example".into()),
            ..ShopInfo::bare("9")
        }]);
        let listing = Listing {
            id: Some(2),
            quantity: None,
            sale: Some(1000),
            before_taxes: None,
            compare: None,
            condition: Condition::New,
            media_grade: None,
            sleeve_grade: None,
        };
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://shop9.example/own-page",
            "https://evil.example/phish",
            "//evil.example/x",
        ] {
            builder.push_item(Item {
                url: Some(url.into()),
                path: Some("/r/1".into()),
                shop: Some(0),
                listings: vec![listing.clone()],
                ..Item::default()
            });
        }
        let catalogue = builder.finish_items();
        let links: Vec<Option<String>> = (0..5)
            .map(|i| CardContent::new(&catalogue, i, STORE).unwrap().link)
            .collect();
        let fallback = Some("https://shop9.example/r/1".to_owned());
        let own_page = Some("https://shop9.example/own-page".to_owned());
        assert_eq!(
            links,
            [
                fallback.clone(),
                fallback.clone(),
                own_page,
                fallback.clone(),
                fallback
            ],
            "another origin falls back to the shop's own path"
        );
        assert_eq!(
            CardContent::new(&catalogue, 0, STORE)
                .unwrap()
                .shop
                .unwrap()
                .logo,
            None
        );
    }

    #[test]
    fn an_items_own_url_on_another_origin_is_never_a_link() {
        // A Squarespace product URL, or an item of a tampered restored index.
        let item = |url: &str| Item {
            url: Some(url.into()),
            ..Item::default()
        };
        let shop = Some("https://www.my-store.com");
        assert_eq!(
            item_url(&item("https://www.my-store.com/p/1"), shop).as_deref(),
            Some("https://www.my-store.com/p/1")
        );
        for foreign in [
            "https://evil.example/p/1",
            "http://www.my-store.com/p/1",
            "https://www.my-store.com.evil.example/p",
            "https://evil.example",
        ] {
            assert_eq!(item_url(&item(foreign), shop), None, "{foreign}");
        }
        assert_eq!(
            item_url(&item("https://www.my-store.com/p/1"), None),
            None,
            "no site configured: no link"
        );
    }

    #[test]
    fn an_aggregated_item_links_to_its_own_shop_and_names_it() {
        let mut builder = CatalogueBuilder::new();
        builder.set_shops(vec![ShopInfo {
            name: "Shop 9".into(),
            uri: Some("https://shop9.example".into()),
            alpha2: Some("GB".into()),
            pickup: true,
            logo: Some("https://shop9.example/logo.png".into()),
            ..ShopInfo::bare("9")
        }]);
        let mut shop_feed = ShopFeed::new(0);
        builder
            .push_shop_chunk(
                &mut shop_feed,
                br#"[{"id":1,"path":"/r/1","listings":[{"id":2}],"data":{"title":"X"}}]"#,
            )
            .unwrap();
        builder.finish_shop(&mut shop_feed).unwrap();
        let catalogue = builder.finish_items();
        let card = CardContent::new(&catalogue, 0, STORE).unwrap();
        assert_eq!(
            card.link.as_deref(),
            Some("https://shop9.example/r/1"),
            "never the configured storefront"
        );
        let shop = card.shop.unwrap();
        assert_eq!(
            (
                shop.name.as_str(),
                shop.place.as_str(),
                shop.logo.as_deref()
            ),
            (
                "Shop 9",
                "GB · Pickup",
                Some("https://shop9.example/logo.png")
            )
        );
        assert_eq!(CardContent::new(&catalogue, 1, STORE), None);
    }
}
