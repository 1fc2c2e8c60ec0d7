//! The facets a shopper filters by, and how a feed's item types are shown.

/// The item-level facets whose values are names from the feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// The feed's item type (`ReleaseItem`, shown as Release).
    Type,
    /// A genre, as Discogs names them.
    Genre,
    /// A style, the finer grain of genres.
    Style,
    /// A format (Vinyl, CD, LP, 12").
    Format,
    /// The country of release.
    Country,
    /// Aggregator mode: the shop an item is from.
    Shop,
    /// Aggregator mode: the shop's country.
    ShopCountry,
    /// Aggregator mode: whether the shop offers in-store collection.
    Pickup,
    /// Sources that list out-of-stock items: in stock or not.
    Stock,
}

/// The value of the pickup facet.
pub const PICKUP_VALUE: &str = "In-store pickup";

/// The stock facet's value of items with a listing available.
pub const IN_STOCK_VALUE: &str = "In stock";

/// The stock facet's value of items with none.
pub const OUT_OF_STOCK_VALUE: &str = "Out of stock";

/// How many facets there are.
pub const FACETS: usize = 9;

impl Facet {
    /// Every facet, in the order of their ids (and of the filters shown).
    pub const ALL: [Facet; FACETS] = [
        Facet::Type,
        Facet::Genre,
        Facet::Style,
        Facet::Format,
        Facet::Country,
        Facet::Shop,
        Facet::ShopCountry,
        Facet::Pickup,
        Facet::Stock,
    ];

    /// The URL parameter that carries this facet's selected values.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::Genre => "genre",
            Facet::Style => "style",
            Facet::Format => "format",
            Facet::Country => "country",
            Facet::Shop => "shop_name",
            Facet::ShopCountry => "shop_country",
            Facet::Pickup => "pickup",
            Facet::Stock => "stock",
        }
    }

    /// The heading shown above the facet's values.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Type => "Type",
            Facet::Genre => "Genre",
            Facet::Style => "Style",
            Facet::Format => "Format",
            Facet::Country => "Country",
            Facet::Shop => "Shop",
            Facet::ShopCountry => "Shop country",
            Facet::Pickup => "Pickup",
            Facet::Stock => "Availability",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// How a feed `type` is shown to shoppers.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "ReleaseItem" => "Release",
        "ProductItem" => "Product",
        "BookItem" => "Book",
        other => other
            .strip_suffix("Item")
            .filter(|s| !s.is_empty())
            .unwrap_or(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_labels() {
        assert_eq!(kind_label("ReleaseItem"), "Release");
        assert_eq!(kind_label("GiftCardItem"), "GiftCard");
        assert_eq!(kind_label("Item"), "Item");
        assert_eq!(kind_label("Widget"), "Widget");
    }
}
