//! Reading the catalogue's items back: decoded for display, and the
//! facts about them the filters need, without a query.

use super::{Catalogue, Facet, HAS_ID, LISTS_STOCK, NO_PRICE, NO_SHOP, UNTRACKED, USED_FLAG};
use crate::feed::{Condition, Item, Listing};
use crate::grade::{grade_from_code, GRADE_SHIFT};

impl Catalogue {
    /// Item `index`, decoded from the compact store. Panics when `index`
    /// is not below [`Catalogue::len`].
    pub fn item(&self, index: u32) -> Item {
        self.get(index)
            .unwrap_or_else(|| panic!("item {index} of a catalogue of {}", self.len()))
    }

    /// Item `index`, decoded from the compact store; `None` past the end.
    /// An item whose stored bytes do not decode (only a snapshot altered
    /// to pass its checks could hold one) reads as an untitled item.
    pub fn get(&self, index: u32) -> Option<Item> {
        let i = index as usize;
        if i >= self.len() {
            return None;
        }
        let decoded = self.store.decode(i, self.hot_fields(i));
        Some(decoded.unwrap_or_else(|| Item {
            kind: "Item".to_owned(),
            ..self.hot_fields(i)
        }))
    }

    /// The fields of item `i` that the hot index holds, the rest left empty.
    fn hot_fields(&self, i: usize) -> Item {
        let hot = &self.hot;
        let flags = hot.item_flags[i];
        let listings = (hot.listing_start[i] as usize..hot.listing_start[i + 1] as usize)
            .map(|at| Listing {
                id: None,
                quantity: Some(hot.listing_quantity[at]).filter(|&q| q != UNTRACKED),
                sale: Some(hot.listing_price[at]).filter(|&p| p != NO_PRICE),
                before_taxes: None,
                compare: None,
                condition: if hot.listing_flags[at] & USED_FLAG != 0 {
                    Condition::Used
                } else {
                    Condition::New
                },
                media_grade: grade_from_code(hot.listing_flags[at] >> GRADE_SHIFT).flatten(),
                sleeve_grade: None,
            })
            .collect();
        Item {
            id: (flags & HAS_ID != 0).then_some(hot.item_id[i]),
            year: Some(hot.year[i]).filter(|&y| y != 0),
            shop: Some(hot.shop[i]).filter(|&s| s != NO_SHOP),
            lists_stock: flags & LISTS_STOCK != 0,
            listings,
            ..Item::default()
        }
    }

    /// Every item in catalogue order, decoded one at a time.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        (0..self.len() as u32).map(|i| self.item(i))
    }

    /// Which listing-level and range filters have any data: both new and
    /// used listings, any price, any year. One pass over flat arrays.
    pub fn filter_data(&self) -> (bool, bool, bool) {
        let hot = &self.hot;
        let used = hot.listing_flags.iter().any(|f| f & USED_FLAG != 0);
        let new = hot.listing_flags.iter().any(|f| f & USED_FLAG == 0);
        let price = hot.listing_price.iter().any(|&p| p != NO_PRICE);
        let year = hot.year.iter().any(|&y| y != 0);
        (used && new, price, year)
    }

    /// The most listings any one item has (cards reserve room for them).
    pub fn most_listings(&self) -> usize {
        self.hot
            .listing_start
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(0)
    }

    /// The value ids of item `index` for `facet`, in id order.
    pub fn values(&self, index: u32, facet: Facet) -> impl Iterator<Item = u32> + '_ {
        let hot = &self.hot;
        let range =
            hot.value_start[index as usize] as usize..hot.value_start[index as usize + 1] as usize;
        let symbols = self.symbols(facet);
        hot.values[range]
            .iter()
            .filter(move |&&v| hot.value_facet[v as usize] == facet as u8)
            .map(move |&v| {
                // Ids within a facet are given in the same order as catalogue-wide ids.
                symbols.global.partition_point(|&g| g < v) as u32
            })
    }

    /// The folded search key of item `index`: `title|creators|labels and
    /// catalogue numbers`.
    #[cfg(test)]
    pub(super) fn search_key(&self, index: usize) -> &str {
        &self.hot.keys
            [self.hot.key_start[index] as usize..self.hot.key_start[index + 1] as usize - 1]
    }

    #[cfg(test)]
    pub(super) fn folded_title(&self, index: usize) -> &str {
        &self.search_key(index)[..self.hot.title_end[index] as usize]
    }

    #[cfg(test)]
    pub(super) fn folded_creators(&self, index: usize) -> &str {
        &self.search_key(index)
            [self.hot.title_end[index] as usize + 1..self.hot.creators_end[index] as usize]
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::{every_kind_of_listing, Item};
    use crate::index::Catalogue;

    #[test]
    fn items_decode_with_every_field() {
        let long_genre = "Ünïcode genre ".repeat(10);
        let full = Item {
            id: Some(u64::MAX),
            kind: "BookItem".into(),
            path: Some("/book/1".into()),
            title: "Dub: Soundscapes".into(),
            artists: vec!["A".into(), String::new()],
            labels: vec!["Label".into()],
            catalogue_numbers: vec!["CAT 1".into(), "CAT1".into()],
            authors: vec!["Michael Veal".into()],
            manufacturers: vec!["Maker".into()],
            publisher: Some("Wesleyan".into()),
            language: Some("en".into()),
            page_count: Some(336),
            formats: vec!["Paperback".into()],
            genres: vec![long_genre.clone(), "Reggae".into()],
            styles: vec!["Dub".into()],
            categories: vec!["Books".into()],
            year: Some(2007),
            country: Some("US".into()),
            discogs_id: Some(0),
            weight_grams: Some(u32::MAX),
            images: vec!["https://img.example/1.jpg".into()],
            description: Some("A study.".into()),
            shop_note: Some("Signed".into()),
            listings: every_kind_of_listing(),
            variant: Some("Green".into()),
            url: Some("https://shop.example/p/1".into()),
            shop: None,
            lists_stock: true,
        };
        let sparse = Item {
            kind: "Item".into(),
            listings: vec![full.listings[1].clone()],
            ..Item::default()
        };
        let catalogue = Catalogue::from_items([
            full.clone(),
            sparse.clone(),
            Item {
                id: Some(7),
                ..full.clone()
            },
        ]);
        assert_eq!(
            catalogue.items().collect::<Vec<_>>(),
            [
                full.clone(),
                sparse,
                Item {
                    id: Some(7),
                    ..full
                }
            ]
        );
        assert_eq!(
            catalogue.store.shared_text_count(),
            16,
            "short repeated texts are stored once; the long genre in each item"
        );
    }
}
