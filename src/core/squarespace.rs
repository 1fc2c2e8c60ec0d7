//! A cursor-paginated inventory in the Squarespace Commerce shape, read
//! through a partner's proxy (the API key stays on the proxy). Pages are
//! parsed here and the cursor walk is a plain state machine, so loops, page
//! caps and stale cursors are decided and tested natively.

use crate::feed::{Item, Listing};
use crate::lenient::{Flag, Number, Text};
use serde::Deserialize;
use std::collections::HashSet;

/// Pages followed before giving up, unless configured otherwise.
pub const DEFAULT_PAGE_CAP: u32 = 1_000;
/// The item kind shown for this source's items.
pub const ITEM_KIND: &str = "ProductItem";
/// The longest cursor followed, in bytes; a longer one is no cursor.
const MAX_CURSOR_BYTES: usize = 1024;

/// One product variant with its stock.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The variant's id (`variantId`), never empty.
    pub variant_id: String,
    /// The stock-keeping unit, when it has one.
    pub sku: Option<String>,
    /// The product's name, with the variant in brackets: `Tee [Blue]`.
    pub descriptor: String,
    /// Whether stock is not tracked (`isUnlimited`).
    pub is_unlimited: bool,
    /// Units in stock; 0 for a missing or nonsensical count.
    pub quantity: u32,
}

/// One page of the inventory.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct InventoryPage {
    /// The readable variants, in the page's order.
    pub variants: Vec<Variant>,
    /// Whether the page says more follow (`hasNextPage`).
    pub has_next_page: bool,
    /// The cursor of the next page, when the page gives a usable one.
    pub next_cursor: Option<String>,
    /// Entries that were not readable variants.
    pub skipped: usize,
}

/// "1 page", "2 pages".
fn pages(count: u32) -> String {
    format!("{count} page{}", if count == 1 { "" } else { "s" })
}

/// "1 item", "2 items".
fn items(count: usize) -> String {
    format!("{count} item{}", if count == 1 { "" } else { "s" })
}

/// Why the inventory could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The proxy refused the cursor as no longer valid (`INVALID_REQUEST_ERROR`).
    #[error("The inventory's page cursor is no longer valid.")]
    StaleCursor,
    /// A cursor came round again, after this many pages.
    #[error("The inventory's pages lead back to a page already read (a cursor loop), so loading stopped after {}.", pages(*.0))]
    CursorLoop(u32),
    /// More pages than the configured cap, which this carries.
    #[error("The inventory has more than {}, the configured limit, so loading stopped.", pages(*.0))]
    PageCap(u32),
    /// A page says more follow but gives no cursor, in neither
    /// `nextPageCursor` nor `nextPageUrl`: what was read is incomplete.
    #[error(
        "The inventory says more pages follow but gives no cursor to reach them; {} from {} {} read.",
        items(*.items_read), pages(*.pages_read), if *.items_read == 1 { "was" } else { "were" }
    )]
    NoCursor {
        /// Variants read before the walk stopped.
        items_read: usize,
        /// Pages read before the walk stopped.
        pages_read: u32,
    },
    /// A failing HTTP status from the proxy.
    #[error("The inventory service answered HTTP {0}.")]
    Http(u16),
    /// A page that is not the inventory JSON.
    #[error("The inventory service sent a page that is not valid inventory JSON.")]
    NotInventory,
}

#[derive(Deserialize)]
struct RawPage {
    inventory: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pagination: RawPagination,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawPagination {
    #[serde(rename = "hasNextPage")]
    has_next_page: Flag,
    #[serde(rename = "nextPageCursor")]
    next_page_cursor: Text,
    /// Not [`Text`], which clips long texts: a clipped URL could hold a cut
    /// cursor that still decodes.
    #[serde(rename = "nextPageUrl")]
    next_page_url: serde_json::Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawVariant {
    #[serde(rename = "variantId")]
    variant_id: Text,
    sku: Text,
    descriptor: Text,
    #[serde(rename = "isUnlimited")]
    is_unlimited: Flag,
    quantity: Number,
}

#[derive(Deserialize)]
struct RawError {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Reads one answer of the proxy.
pub fn parse_page(status: u16, body: &str) -> Result<InventoryPage, SourceError> {
    if status == 400 {
        let stale = serde_json::from_str::<RawError>(body)
            .is_ok_and(|e| e.kind.as_deref() == Some("INVALID_REQUEST_ERROR"));
        return Err(if stale {
            SourceError::StaleCursor
        } else {
            SourceError::Http(400)
        });
    }
    if !(200..300).contains(&status) {
        return Err(SourceError::Http(status));
    }
    let raw: RawPage = serde_json::from_str(body.trim_start_matches('\u{feff}'))
        .map_err(|_| SourceError::NotInventory)?;
    let entries = raw.inventory.ok_or(SourceError::NotInventory)?;
    let mut page = InventoryPage {
        has_next_page: raw.pagination.has_next_page.0.unwrap_or(false),
        next_cursor: next_cursor(raw.pagination),
        ..InventoryPage::default()
    };
    for entry in entries {
        match serde_json::from_value::<RawVariant>(entry)
            .ok()
            .and_then(Variant::from_raw)
        {
            Some(variant) => page.variants.push(variant),
            None => page.skipped += 1,
        }
    }
    Ok(page)
}

/// The cursor of the next page: `nextPageCursor`, or else the `cursor`
/// parameter of `nextPageUrl`. The URL itself is never fetched: it is the
/// API's own host, whose secret key only the proxy holds.
fn next_cursor(pagination: RawPagination) -> Option<String> {
    let usable = |cursor: &String| !cursor.is_empty() && cursor.len() <= MAX_CURSOR_BYTES;
    pagination.next_page_cursor.0.filter(usable).or_else(|| {
        pagination
            .next_page_url
            .as_str()
            .and_then(cursor_in_url)
            .filter(usable)
    })
}

/// The first `cursor` query parameter of `url`, percent-decoded (`+` stays
/// `+`: cursors are tokens, not form text); `None` when absent or not
/// decodable to UTF-8.
fn cursor_in_url(url: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    let encoded = query
        .split('&')
        .find_map(|parameter| parameter.strip_prefix("cursor="))?;
    crate::links::percent_decode(encoded)
}

impl Variant {
    fn from_raw(raw: RawVariant) -> Option<Variant> {
        let variant_id = raw.variant_id.0.filter(|v| !v.trim().is_empty())?;
        let quantity = raw
            .quantity
            .0
            .filter(|q| *q > 0.0)
            .map_or(0, |q| q.min(f64::from(u32::MAX)) as u32);
        Some(Variant {
            variant_id,
            sku: raw.sku.0.filter(|s| !s.trim().is_empty()),
            descriptor: raw.descriptor.0.unwrap_or_default(),
            is_unlimited: raw.is_unlimited.0.unwrap_or(false),
            quantity,
        })
    }

    /// Whether the variant can be bought now.
    pub fn in_stock(&self) -> bool {
        self.is_unlimited || self.quantity > 0
    }

    /// The item for this variant: the descriptor's title, its bracketed
    /// part as the variant, the SKU as a catalogue number, stock from
    /// `isUnlimited`/`quantity`, and the product page from `product_url`
    /// (a template with `{sku}` and `{variantId}`), when it is http(s).
    pub fn to_item(&self, product_url: Option<&str>) -> Item {
        let (title, variant) = split_descriptor(&self.descriptor);
        let url = product_url.and_then(|template| fill_product_url(template, self));
        Item {
            kind: ITEM_KIND.to_owned(),
            title: title.to_owned(),
            variant: variant.map(str::to_owned),
            catalogue_numbers: self.sku.iter().cloned().collect(),
            url,
            lists_stock: true,
            listings: vec![Listing {
                id: None,
                quantity: if self.is_unlimited {
                    None
                } else {
                    Some(self.quantity)
                },
                ..Listing::default()
            }],
            ..Item::default()
        }
    }
}

/// `"Olive Oil w/ Decanter [Green]"` → `("Olive Oil w/ Decanter", Some("Green"))`.
pub fn split_descriptor(descriptor: &str) -> (&str, Option<&str>) {
    let trimmed = descriptor.trim();
    if let (Some(open), true) = (trimmed.rfind('['), trimmed.ends_with(']')) {
        let title = trimmed[..open].trim_end();
        let variant = trimmed[open + 1..trimmed.len() - 1].trim();
        if !title.is_empty() {
            return (title, (!variant.is_empty()).then_some(variant));
        }
    }
    (trimmed, None)
}

fn fill_product_url(template: &str, variant: &Variant) -> Option<String> {
    let encode = crate::links::encode_component;
    if template.contains("{sku}") && variant.sku.is_none() {
        return None;
    }
    let url = template
        .replace("{sku}", &encode(variant.sku.as_deref().unwrap_or("")))
        .replace("{variantId}", &encode(&variant.variant_id));
    crate::links::is_http_url(&url).then_some(url)
}

/// What to fetch next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Fetch the page at this cursor (`None`: the first page).
    Fetch(Option<String>),
    /// The last page has been read.
    Done,
}

/// Follows the next page's cursor until `hasNextPage` is false, refusing
/// loops, endless inventories and "more pages" without a cursor, and
/// restarting once on a stale cursor.
#[derive(Clone, Debug)]
pub struct CursorWalk {
    page_cap: u32,
    pages: u32,
    /// Variants read so far (since the last restart), for the error when
    /// the walk cannot go on.
    items: usize,
    seen: HashSet<String>,
    restarted: bool,
}

impl CursorWalk {
    /// A walk that reads at most `page_cap` pages (at least one).
    pub fn new(page_cap: u32) -> CursorWalk {
        CursorWalk {
            page_cap: page_cap.max(1),
            pages: 0,
            items: 0,
            seen: HashSet::new(),
            restarted: false,
        }
    }

    /// The first request.
    pub fn start(&self) -> Step {
        Step::Fetch(None)
    }

    /// Pages read so far (since the last restart).
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// After a page arrived: the next step, or why the walk must stop.
    pub fn after_page(&mut self, page: &InventoryPage) -> Result<Step, SourceError> {
        self.pages += 1;
        self.items += page.variants.len();
        if !page.has_next_page {
            return Ok(Step::Done);
        }
        // Stopping here would show part of the inventory as all of it.
        let Some(cursor) = page.next_cursor.clone() else {
            return Err(SourceError::NoCursor {
                items_read: self.items,
                pages_read: self.pages,
            });
        };
        if !self.seen.insert(cursor.clone()) {
            return Err(SourceError::CursorLoop(self.pages));
        }
        if self.pages >= self.page_cap {
            return Err(SourceError::PageCap(self.page_cap));
        }
        Ok(Step::Fetch(Some(cursor)))
    }

    /// After a stale-cursor answer: start again from the first page, once.
    /// The caller drops what it read so far.
    pub fn after_stale_cursor(&mut self) -> Result<Step, SourceError> {
        if self.restarted {
            return Err(SourceError::StaleCursor);
        }
        self.restarted = true;
        self.pages = 0;
        self.items = 0;
        self.seen.clear();
        Ok(Step::Fetch(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(cursor: Option<&str>, more: bool) -> InventoryPage {
        InventoryPage {
            has_next_page: more,
            next_cursor: cursor.map(str::to_owned),
            ..InventoryPage::default()
        }
    }

    #[test]
    fn reads_the_documented_page() {
        let body = r#"{"inventory":[
            {"variantId":"185db2da","sku":"OO-DEC-GRN","descriptor":"Extra Virgin Olive Oil w/ Decanter [Green]","isUnlimited":false,"quantity":34},
            {"variantId":"7eb25f50","sku":"CACAO","descriptor":"100% Cacao Wafers [Organic, 2lb Bag]","isUnlimited":true,"quantity":50},
            {"sku":"no-id"}, 5],
            "pagination":{"hasNextPage":true,"nextPageCursor":"b342f536","nextPageUrl":"https://x"}}"#;
        let page = parse_page(200, body).unwrap();
        assert_eq!(page.variants.len(), 2);
        assert_eq!(page.skipped, 2);
        assert_eq!(
            (page.has_next_page, page.next_cursor.as_deref()),
            (true, Some("b342f536"))
        );
        let item = page.variants[0].to_item(Some("https://shop.example/p/{sku}?v={variantId}"));
        assert_eq!(
            (item.title.as_str(), item.variant.as_deref()),
            ("Extra Virgin Olive Oil w/ Decanter", Some("Green"))
        );
        assert_eq!(item.catalogue_numbers, vec!["OO-DEC-GRN".to_owned()]);
        assert_eq!(
            item.url.as_deref(),
            Some("https://shop.example/p/OO-DEC-GRN?v=185db2da")
        );
        assert_eq!(item.listings[0].quantity, Some(34));
        assert_eq!(
            page.variants[1].to_item(None).listings[0].quantity,
            None,
            "unlimited stock is always available"
        );
    }

    #[test]
    fn a_page_without_a_cursor_field_takes_the_cursor_of_next_page_url() {
        let with = |pagination: &str| {
            parse_page(
                200,
                &format!(r#"{{"inventory":[],"pagination":{pagination}}}"#),
            )
            .unwrap()
        };
        let only_url = with(
            r#"{"hasNextPage":true,"nextPageCursor":null,"nextPageUrl":"https://api.squarespace.com/1.0/commerce/inventory?cursor=b342f536"}"#,
        );
        assert_eq!(
            (only_url.has_next_page, only_url.next_cursor.as_deref()),
            (true, Some("b342f536"))
        );
        let cursor_of = |url: &str| {
            with(&format!(
                r#"{{"hasNextPage":true,"nextPageUrl":{}}}"#,
                serde_json::json!(url)
            ))
            .next_cursor
        };
        assert_eq!(
            cursor_of("https://x/inventory?limit=50&cursor=a%2Bb%2F%3D%3D&x=1#top").as_deref(),
            Some("a+b/=="),
            "percent-decoded"
        );
        assert_eq!(
            cursor_of("https://x/inventory?cursor=a+b").as_deref(),
            Some("a+b"),
            "a token: `+` is no space"
        );
        assert_eq!(
            cursor_of("https://x/inventory?cursor=%C3%A9").as_deref(),
            Some("é")
        );
        for unusable in [
            "",
            "?cursor=",
            "?page=2",
            "?xcursor=a",
            "#cursor=a",
            "?cursor=%zz",
            "?cursor=%FF",
            "?cursor=%4",
            "?cursor=%+1",
        ] {
            assert_eq!(
                cursor_of(&format!("https://x/inventory{unusable}")),
                None,
                "{unusable}"
            );
        }
        assert_eq!(
            cursor_of(&format!("https://x/?cursor={}", "c".repeat(1024))).map(|c| c.len()),
            Some(1024)
        );
        assert_eq!(
            cursor_of(&format!("https://x/?cursor={}", "c".repeat(1025))),
            None,
            "the cursor field's limit"
        );
        assert_eq!(
            cursor_of(&format!("https://x/?cursor={}", "%41".repeat(1024))).map(|c| c.len()),
            Some(1024),
            "the limit is on the decoded cursor"
        );
        let long_url = format!(
            "https://x/?padding={}&cursor={}",
            "p".repeat(1500),
            "c".repeat(800)
        );
        assert_eq!(
            cursor_of(&long_url).map(|c| c.len()),
            Some(800),
            "a long URL is read whole, never as a cut cursor"
        );
        let both = with(
            r#"{"hasNextPage":true,"nextPageCursor":"field","nextPageUrl":"https://x/?cursor=url"}"#,
        );
        assert_eq!(
            both.next_cursor.as_deref(),
            Some("field"),
            "the cursor field comes first"
        );
        for neither in [
            r#"{"hasNextPage":true,"nextPageCursor":"","nextPageUrl":null}"#,
            r#"{"hasNextPage":true,"nextPageUrl":5}"#,
        ] {
            assert_eq!(with(neither).next_cursor, None, "{neither}");
        }
    }

    #[test]
    fn errors() {
        let stale = r#"{"type":"INVALID_REQUEST_ERROR","subtype":null,"message":"The value contained in the cursor parameter is invalid."}"#;
        assert_eq!(parse_page(400, stale), Err(SourceError::StaleCursor));
        assert_eq!(parse_page(400, "bad"), Err(SourceError::Http(400)));
        assert_eq!(parse_page(503, ""), Err(SourceError::Http(503)));
        assert_eq!(parse_page(200, "<html>"), Err(SourceError::NotInventory));
        assert_eq!(
            parse_page(200, r#"{"items":[]}"#),
            Err(SourceError::NotInventory)
        );
        assert_eq!(
            parse_page(200, r#"{"inventory":[]}"#).unwrap(),
            InventoryPage::default()
        );
    }

    #[test]
    fn descriptors() {
        assert_eq!(
            split_descriptor("Artist – Title [LP, Black]"),
            ("Artist – Title", Some("LP, Black"))
        );
        assert_eq!(split_descriptor("Plain"), ("Plain", None));
        assert_eq!(
            split_descriptor("[Only brackets]"),
            ("[Only brackets]", None)
        );
        assert_eq!(split_descriptor("Empty []"), ("Empty", None));
        assert_eq!(split_descriptor(" a [b] c "), ("a [b] c", None));
    }

    #[test]
    fn product_urls_are_http_only() {
        let variant = Variant {
            variant_id: "v 1".into(),
            sku: None,
            descriptor: "x".into(),
            is_unlimited: false,
            quantity: 0,
        };
        assert_eq!(
            variant
                .to_item(Some("https://s.example/{variantId}"))
                .url
                .as_deref(),
            Some("https://s.example/v%201")
        );
        assert_eq!(
            variant.to_item(Some("https://s.example/{sku}")).url,
            None,
            "no SKU to fill in"
        );
        assert_eq!(variant.to_item(Some("javascript:{variantId}")).url, None);
        assert!(!variant.in_stock());
    }

    #[test]
    fn the_walk_follows_cursors_to_the_end() {
        let mut walk = CursorWalk::new(10);
        assert_eq!(walk.start(), Step::Fetch(None));
        assert_eq!(
            walk.after_page(&page(Some("a"), true)),
            Ok(Step::Fetch(Some("a".into())))
        );
        assert_eq!(
            walk.after_page(&page(Some("b"), true)),
            Ok(Step::Fetch(Some("b".into())))
        );
        assert_eq!(walk.after_page(&page(None, false)), Ok(Step::Done));
        assert_eq!(walk.pages(), 3);
    }

    #[test]
    fn loops_and_caps_stop_the_walk() {
        let mut walk = CursorWalk::new(10);
        walk.after_page(&page(Some("a"), true)).unwrap();
        walk.after_page(&page(Some("b"), true)).unwrap();
        assert_eq!(
            walk.after_page(&page(Some("a"), true)),
            Err(SourceError::CursorLoop(3))
        );
        let mut capped = CursorWalk::new(2);
        capped.after_page(&page(Some("a"), true)).unwrap();
        assert_eq!(
            capped.after_page(&page(Some("b"), true)),
            Err(SourceError::PageCap(2))
        );
        assert!(SourceError::PageCap(2)
            .to_string()
            .contains("more than 2 pages,"));
        assert!(SourceError::PageCap(1)
            .to_string()
            .contains("more than 1 page,"));
        assert!(SourceError::CursorLoop(1)
            .to_string()
            .ends_with("after 1 page."));
    }

    #[test]
    fn more_pages_without_a_cursor_end_the_walk_with_an_error() {
        let mut walk = CursorWalk::new(10);
        let mut first = page(Some("a"), true);
        first.variants = vec![
            Variant {
                variant_id: "v".into(),
                sku: None,
                descriptor: "x".into(),
                is_unlimited: true,
                quantity: 0
            };
            50
        ];
        walk.after_page(&first).unwrap();
        let mut last = page(None, true);
        last.variants = first.variants[..3].to_vec();
        assert_eq!(
            walk.after_page(&last),
            Err(SourceError::NoCursor {
                items_read: 53,
                pages_read: 2
            })
        );
        let neither = parse_page(200, r#"{"inventory":[],"pagination":{"hasNextPage":true,"nextPageCursor":null,"nextPageUrl":null}}"#).unwrap();
        assert_eq!(
            CursorWalk::new(10).after_page(&neither),
            Err(SourceError::NoCursor {
                items_read: 0,
                pages_read: 1
            })
        );
        assert_eq!(walk.after_stale_cursor(), Ok(Step::Fetch(None)));
        assert_eq!(
            walk.after_page(&last),
            Err(SourceError::NoCursor {
                items_read: 3,
                pages_read: 1
            }),
            "counted since the restart"
        );
    }

    #[test]
    fn the_missing_cursor_error_says_what_was_read() {
        assert_eq!(
            SourceError::NoCursor { items_read: 53, pages_read: 2 }.to_string(),
            "The inventory says more pages follow but gives no cursor to reach them; 53 items from 2 pages were read."
        );
        assert!(SourceError::NoCursor {
            items_read: 1,
            pages_read: 1
        }
        .to_string()
        .ends_with("; 1 item from 1 page was read."));
        assert!(SourceError::NoCursor {
            items_read: 0,
            pages_read: 1
        }
        .to_string()
        .ends_with("; 0 items from 1 page were read."));
    }

    #[test]
    fn a_stale_cursor_restarts_once() {
        let mut walk = CursorWalk::new(10);
        walk.after_page(&page(Some("a"), true)).unwrap();
        assert_eq!(walk.after_stale_cursor(), Ok(Step::Fetch(None)));
        assert_eq!(walk.pages(), 0);
        assert_eq!(
            walk.after_page(&page(Some("a"), true)),
            Ok(Step::Fetch(Some("a".into()))),
            "cursors seen before the restart are fine"
        );
        assert_eq!(walk.after_stale_cursor(), Err(SourceError::StaleCursor));
    }
}
