//! Building a catalogue from feed bytes as they arrive, one feed or
//! several shops' side by side.

use super::append::{add_item, Scratch};
use super::shop_feed::{Resume, ShopFeed};
use super::stats::{is_or_are, item_count};
use super::{Catalogue, LoadStats, MAX_AGGREGATED_ITEMS, MAX_ITEMS};
use crate::fast_hash::FastSet;
use crate::feed::{BorrowedItem, Item};
use crate::shop_list::ShopInfo;
use crate::splitter::{ElementReader, FeedFormatError, FeedSplitter};

impl Catalogue {
    /// Indexes already-parsed items (skipping those with no listing).
    pub fn from_items(items: impl IntoIterator<Item = Item>) -> Catalogue {
        let mut builder = CatalogueBuilder::new();
        for item in items {
            builder.add(item);
        }
        builder.catalogue
    }

    /// Reads and indexes a whole feed body.
    pub fn from_feed(bytes: &[u8]) -> Result<Catalogue, FeedFormatError> {
        let mut builder = CatalogueBuilder::new();
        builder.push(bytes)?;
        builder.finish()
    }
}

/// Builds a [`Catalogue`] from feed bytes as they arrive.
#[derive(Debug, Default)]
pub struct CatalogueBuilder {
    splitter: FeedSplitter,
    catalogue: Catalogue,
    /// `(shop, item id)` of the items kept, so a repeated item is shown once.
    item_ids: FastSet<(u16, u64)>,
    scratch: Scratch,
}

impl CatalogueBuilder {
    /// A builder with no items yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the next chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FeedFormatError> {
        let Self {
            splitter,
            catalogue,
            item_ids,
            scratch,
        } = self;
        splitter.push_to(
            chunk,
            &mut Elements {
                catalogue,
                item_ids,
                scratch,
                shop: None,
                full_at: MAX_ITEMS,
                resume: None,
            },
        )
    }

    /// Aggregator mode: the shops whose feeds will be read.
    pub fn set_shops(&mut self, shops: Vec<ShopInfo>) {
        self.catalogue.shops = shops;
    }

    /// Aggregator mode: reads the next chunk of one shop's feed (feeds
    /// arrive side by side, each with a reader of its own).
    pub fn push_shop_chunk(
        &mut self,
        feed: &mut ShopFeed,
        chunk: &[u8],
    ) -> Result<(), FeedFormatError> {
        let (stats_before, len_before) = (self.catalogue.stats.clone(), self.catalogue.len());
        // Only this shop adds items during the call, so its own cap and the
        // catalogue's are one length to stop at.
        let full_at = MAX_AGGREGATED_ITEMS.min(len_before + MAX_ITEMS.saturating_sub(feed.kept));
        let Self {
            catalogue,
            item_ids,
            scratch,
            ..
        } = self;
        let ShopFeed {
            shop,
            splitter,
            position,
            taken,
            ..
        } = feed;
        let resume = Resume { position, taken };
        let result = splitter.push_to(
            chunk,
            &mut Elements {
                catalogue,
                item_ids,
                scratch,
                shop: Some(*shop),
                full_at,
                resume: Some(resume),
            },
        );
        feed.stats.add(&self.catalogue.stats.since(&stats_before));
        feed.kept += self.catalogue.len() - len_before;
        result
    }

    /// Aggregator mode: ends one shop's body, as [`CatalogueBuilder::finish`] does.
    pub fn finish_shop(&mut self, feed: &mut ShopFeed) -> Result<(), FeedFormatError> {
        let result = match feed.splitter.finish() {
            Ok(()) => Ok(()),
            Err(FeedFormatError::Truncated { items }) if items > 0 => {
                self.catalogue.stats.truncated = true;
                feed.stats.truncated = true;
                Ok(())
            }
            Err(error) => Err(error),
        };
        let oversized = feed.splitter.oversized_elements();
        for stats in [&mut self.catalogue.stats, &mut feed.stats] {
            stats.unreadable += oversized;
            stats.elements += oversized;
        }
        result
    }

    /// Aggregator mode: ends the catalogue once every shop's feed is read.
    /// The items of shops that failed are taken out again (a shop is shown
    /// whole or not at all), and items past the caps are explained per
    /// shop, in the returned notices, instead of as one feed's.
    pub fn finish_shops(mut self, feeds: &[ShopFeed]) -> (Catalogue, Vec<String>) {
        let mut notices = Vec::new();
        let mut over_all_cap = 0;
        let mut failed = Vec::new();
        // Every element of an aggregated catalogue was counted for its shop:
        // the counts are those of the shops shown, caps apart (their
        // notices below name the cap).
        let mut stats = LoadStats::default();
        for feed in feeds {
            if feed.failed {
                if feed.kept > 0 {
                    failed.push(feed.shop);
                }
                continue;
            }
            stats.add(&LoadStats {
                over_cap: 0,
                ..feed.stats.clone()
            });
            if feed.stats.over_cap > 0 && feed.kept >= MAX_ITEMS {
                let name = self
                    .catalogue
                    .shops
                    .get(usize::from(feed.shop))
                    .map_or_else(String::new, ShopInfo::display_name);
                let over = feed.stats.over_cap;
                notices.push(format!(
                    "{name} lists more than {MAX_ITEMS} items; {} past that limit {} not shown.",
                    item_count(over),
                    is_or_are(over)
                ));
            } else {
                over_all_cap += feed.stats.over_cap;
            }
        }
        if over_all_cap > 0 {
            notices.push(format!(
                "The shops list more than {MAX_AGGREGATED_ITEMS} items together; {} past that limit {} not shown.",
                item_count(over_all_cap),
                is_or_are(over_all_cap)
            ));
        }
        if failed.is_empty() {
            self.catalogue.stats = stats;
            self.catalogue.shrink();
            return (self.catalogue, notices);
        }
        // Another shop's items were indexed in between, so the failed
        // shops' items are not a tail to cut: the rest are indexed anew.
        let mut rebuilt = CatalogueBuilder::new();
        rebuilt.set_shops(self.catalogue.shops.clone());
        for item in self
            .catalogue
            .items()
            .filter(|item| !item.shop.is_some_and(|shop| failed.contains(&shop)))
        {
            add_item(
                &mut rebuilt.catalogue,
                &mut rebuilt.item_ids,
                &mut rebuilt.scratch,
                BorrowedItem::borrowing(&item),
            );
        }
        rebuilt.catalogue.stats = stats;
        rebuilt.catalogue.shrink();
        (rebuilt.catalogue, notices)
    }

    /// Adds an item that did not come from feed bytes (another source).
    pub fn push_item(&mut self, item: Item) {
        if self.catalogue.len() >= MAX_ITEMS {
            self.catalogue.stats.elements += 1;
            self.catalogue.stats.over_cap += 1;
            return;
        }
        self.add(item);
    }

    /// Ends a catalogue built only from [`CatalogueBuilder::push_item`] and
    /// shop feeds (no body of its own to finish).
    pub fn finish_items(mut self) -> Catalogue {
        self.catalogue.shrink();
        self.catalogue
    }

    /// Items indexed so far.
    pub fn len(&self) -> usize {
        self.catalogue.len()
    }

    /// Whether no item was indexed yet.
    pub fn is_empty(&self) -> bool {
        self.catalogue.is_empty()
    }

    /// Ends the body. A body cut short still gives the items read so far
    /// (with `stats.truncated` set), unless there are none.
    pub fn finish(mut self) -> Result<Catalogue, FeedFormatError> {
        match self.splitter.finish() {
            Ok(()) => {}
            Err(FeedFormatError::Truncated { items }) if items > 0 => {
                self.catalogue.stats.truncated = true
            }
            Err(error) => return Err(error),
        }
        self.catalogue.stats.unreadable += self.splitter.oversized_elements();
        self.catalogue.stats.elements += self.splitter.oversized_elements();
        self.catalogue.shrink();
        Ok(self.catalogue)
    }

    fn add(&mut self, item: Item) {
        self.catalogue.stats.elements += 1;
        add_item(
            &mut self.catalogue,
            &mut self.item_ids,
            &mut self.scratch,
            BorrowedItem::borrowing(&item),
        );
    }

    /// The catalogue of the items indexed so far, to query while loading.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

/// Takes the elements of a feed (of shop `shop` in aggregator mode) into the catalogue.
struct Elements<'b> {
    catalogue: &'b mut Catalogue,
    item_ids: &'b mut FastSet<(u16, u64)>,
    scratch: &'b mut Scratch,
    shop: Option<u16>,
    /// The catalogue length at which items are counted, not kept.
    full_at: usize,
    /// A shop's feed, read again after a failed attempt.
    resume: Option<Resume<'b>>,
}

impl Elements<'_> {
    /// Counts an element, keeping its item if it is one.
    fn take(&mut self, item: Option<BorrowedItem>) {
        self.catalogue.stats.elements += 1;
        match item {
            Some(item) => add_item(
                self.catalogue,
                self.item_ids,
                self.scratch,
                BorrowedItem {
                    shop: self.shop,
                    ..item
                },
            ),
            None => self.catalogue.stats.unreadable += 1,
        }
    }
}

impl ElementReader for Elements<'_> {
    fn read_in_place(&mut self, bytes: &[u8]) -> Option<usize> {
        // A full catalogue only counts elements, once their end is found,
        // and an element an earlier attempt took is only passed over.
        let seen = self.resume.as_ref().is_some_and(|r| *r.position < *r.taken);
        if self.catalogue.len() >= self.full_at || seen {
            return None;
        }
        let (item, length) = BorrowedItem::from_json_prefix(bytes)?;
        if let Some(resume) = &mut self.resume {
            resume.pass_over();
        }
        self.take(item);
        Some(length)
    }

    fn element(&mut self, element: &[u8]) {
        if self.resume.as_mut().is_some_and(Resume::pass_over) {
            return;
        }
        if self.catalogue.len() >= self.full_at {
            self.catalogue.stats.elements += 1;
            self.catalogue.stats.over_cap += 1;
            return;
        }
        self.take(BorrowedItem::from_json(element));
    }
}

#[cfg(test)]
mod tests {
    use crate::index::tests::feed;
    use crate::index::{Catalogue, LoadStats, MAX_ITEMS};
    use crate::splitter::FeedFormatError;

    #[test]
    fn counts_what_it_could_not_show() {
        let good = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":10}],"data":{"title":"A"}}"#,
            r#"{"id":2,"listings":[],"data":{"title":"No listings"}}"#,
            r#"{"id":1,"listings":[{"id":11}],"data":{"title":"Duplicate"}}"#,
            "42",
            r#"{"id":3,"listings":[{"id":12}],"data":{"title":"B","year":{"broken":}}}"#,
        ]))
        .unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(
            good.stats,
            LoadStats {
                elements: 5,
                unreadable: 2,
                without_listings: 1,
                duplicates: 1,
                over_cap: 0,
                truncated: false
            }
        );
    }

    #[test]
    fn a_cut_body_keeps_the_items_before_the_cut() {
        let catalogue =
            Catalogue::from_feed(br#"[{"id":1,"listings":[{"id":10}]},{"id":2,"list"#).unwrap();
        assert_eq!(catalogue.len(), 1);
        assert!(catalogue.stats.truncated);
        assert_eq!(
            Catalogue::from_feed(br#"[{"id":1,"li"#).unwrap_err(),
            FeedFormatError::Truncated { items: 0 }
        );
    }

    #[test]
    fn caps_the_number_of_items() {
        let items: Vec<String> = (0..MAX_ITEMS + 3)
            .map(|i| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}]}}"#))
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let catalogue = Catalogue::from_feed(&feed(&refs)).unwrap();
        assert_eq!(catalogue.len(), MAX_ITEMS);
        assert_eq!(catalogue.stats.over_cap, 3);
    }
}
