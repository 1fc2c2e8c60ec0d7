//! What loading met along the way, and the notices it gives shoppers.

use super::MAX_ITEMS;

/// What loading a feed met along the way; shown to shoppers as notices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Elements of the feed array.
    pub elements: usize,
    /// Elements that were not readable items.
    pub unreadable: usize,
    /// Readable items with no listing to buy, not shown.
    pub without_listings: usize,
    /// Items whose id appeared earlier in the feed, not shown twice.
    pub duplicates: usize,
    /// Items past the [`MAX_ITEMS`] cap.
    pub over_cap: usize,
    /// The body ended before the closing `]`.
    pub truncated: bool,
}

impl LoadStats {
    /// What `self` counted since `earlier`.
    pub(super) fn since(&self, earlier: &LoadStats) -> LoadStats {
        LoadStats {
            elements: self.elements - earlier.elements,
            unreadable: self.unreadable - earlier.unreadable,
            without_listings: self.without_listings - earlier.without_listings,
            duplicates: self.duplicates - earlier.duplicates,
            over_cap: self.over_cap - earlier.over_cap,
            truncated: self.truncated && !earlier.truncated,
        }
    }

    pub(super) fn add(&mut self, other: &LoadStats) {
        self.elements += other.elements;
        self.unreadable += other.unreadable;
        self.without_listings += other.without_listings;
        self.duplicates += other.duplicates;
        self.over_cap += other.over_cap;
        self.truncated |= other.truncated;
    }

    /// What loading skipped, said plainly for shoppers.
    pub fn notices(&self) -> Vec<String> {
        let mut notices = Vec::new();
        if self.truncated {
            notices.push(
                "The inventory download was cut short; showing the items received.".to_owned(),
            );
        }
        if self.unreadable > 0 {
            notices.push(format!(
                "{} could not be read.",
                item_count(self.unreadable)
            ));
        }
        if self.duplicates > 0 {
            notices.push(format!(
                "{} appeared twice in the feed and {} shown once.",
                item_count(self.duplicates),
                is_or_are(self.duplicates)
            ));
        }
        if self.over_cap > 0 {
            notices.push(format!(
                "The feed has more than {MAX_ITEMS} items; {} past that limit {} not shown.",
                item_count(self.over_cap),
                is_or_are(self.over_cap)
            ));
        }
        notices
    }
}

/// "1 item", "2 items".
pub(super) fn item_count(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// The verb for [`item_count`]`(n)`.
pub(super) fn is_or_are(n: usize) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_name_what_was_skipped() {
        let stats = LoadStats {
            unreadable: 3,
            duplicates: 1,
            over_cap: 2,
            truncated: true,
            ..LoadStats::default()
        };
        let notices = stats.notices();
        assert_eq!(notices.len(), 4);
        assert!(notices.contains(&"3 items could not be read.".to_owned()));
        assert!(LoadStats::default().notices().is_empty());
        assert_eq!(
            LoadStats {
                unreadable: 1,
                ..LoadStats::default()
            }
            .notices(),
            ["1 item could not be read."]
        );
    }
}
