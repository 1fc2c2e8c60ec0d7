//! What the shopper is looking at: query, sort and filters. It round-trips
//! through URL parameters so a link reproduces the view.

use crate::feed::{Cents, Condition};
use crate::grade::Grade;
use crate::index::Facet;

/// The orders results can be shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Best match first when there is a query; the shop's order otherwise.
    Relevance,
    /// Cheapest listing first.
    PriceAsc,
    /// Dearest listing first.
    PriceDesc,
    /// Latest release year first.
    YearDesc,
    /// Earliest release year first.
    YearAsc,
    /// By title, A to Z.
    Title,
    /// By artist (the creators), A to Z.
    Artist,
    /// Most recently added to the shop first (highest item id).
    Newest,
    /// Most units in stock first (sources that list stock).
    Stock,
    /// The visitor's nearest shops first (aggregated shops with a location).
    Nearest,
}

impl SortKey {
    /// Every sort, in the sort menu's order.
    pub const ALL: [SortKey; 10] = [
        SortKey::Relevance,
        SortKey::PriceAsc,
        SortKey::PriceDesc,
        SortKey::YearDesc,
        SortKey::YearAsc,
        SortKey::Title,
        SortKey::Artist,
        SortKey::Newest,
        SortKey::Stock,
        SortKey::Nearest,
    ];

    /// The URL value, e.g. `price-asc`.
    pub fn code(self) -> &'static str {
        match self {
            SortKey::Relevance => "relevance",
            SortKey::PriceAsc => "price-asc",
            SortKey::PriceDesc => "price-desc",
            SortKey::YearDesc => "year-desc",
            SortKey::YearAsc => "year-asc",
            SortKey::Title => "title",
            SortKey::Artist => "artist",
            SortKey::Newest => "newest",
            SortKey::Stock => "stock",
            SortKey::Nearest => "nearest",
        }
    }

    /// The label shown in the sort menu.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Relevance => "Best match",
            SortKey::PriceAsc => "Price: low to high",
            SortKey::PriceDesc => "Price: high to low",
            SortKey::YearDesc => "Year: newest first",
            SortKey::YearAsc => "Year: oldest first",
            SortKey::Title => "Title A–Z",
            SortKey::Artist => "Artist A–Z",
            SortKey::Newest => "Recently added",
            SortKey::Stock => "Most in stock",
            SortKey::Nearest => "Nearest shop",
        }
    }

    /// The sort a URL value names (its [`SortKey::code`], any case).
    pub fn parse(text: &str) -> Option<SortKey> {
        let text = text.trim();
        SortKey::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(text))
    }
}

/// The whole view: everything the URL carries besides configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    /// The search text as typed (at most 200 characters from a link).
    pub query: String,
    /// `None` means the default: relevance.
    pub sort: Option<SortKey>,
    /// Selected values per [`Facet`], in the order they were selected.
    pub selected: [Vec<String>; crate::index::FACETS],
    /// The conditions allowed (any when empty), in the order selected.
    pub conditions: Vec<Condition>,
    /// The lowest grade a listing must have.
    pub min_grade: Option<Grade>,
    /// The lowest listing price allowed.
    pub price_min: Option<Cents>,
    /// The highest listing price allowed.
    pub price_max: Option<Cents>,
    /// The earliest release year allowed.
    pub year_min: Option<u16>,
    /// The latest release year allowed.
    pub year_max: Option<u16>,
    /// The visitor's position `(longitude, latitude)` for the nearest
    /// sort, once they agreed to share it. Never put in the URL.
    pub near: Option<(f64, f64)>,
}

/// The URL parameters a [`ViewState`] owns; all others are left alone.
pub const VIEW_PARAMS: [&str; 17] = [
    "q",
    "sort",
    "type",
    "genre",
    "style",
    "format",
    "country",
    "shop_name",
    "shop_country",
    "pickup",
    "stock",
    "condition",
    "grade",
    "price_min",
    "price_max",
    "year_min",
    "year_max",
];

/// The page's query string (`search`, with or without its `?`) with the
/// view's parameters in place of any it had. Every other parameter is kept
/// exactly as written, so the host page's own link is not rewritten.
pub fn search_with_view(search: &str, view: &ViewState) -> String {
    let owned_by_view = |parameter: &str| {
        let name = parameter
            .split('=')
            .next()
            .unwrap_or_default()
            .replace('+', " ");
        let name = crate::links::percent_decode(&name).unwrap_or(name);
        VIEW_PARAMS.contains(&name.as_str())
    };
    let kept = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !owned_by_view(p))
        .map(str::to_owned);
    let written = view
        .to_params()
        .into_iter()
        .map(|(name, value)| format!("{name}={}", crate::links::encode_component(&value)));
    let parameters: Vec<String> = kept.chain(written).collect();
    if parameters.is_empty() {
        String::new()
    } else {
        format!("?{}", parameters.join("&"))
    }
}

/// Values one facet may have selected from a link: far more than a
/// shopper ticks, few enough that a hostile link of thousands cannot make
/// every query and the filter list slow.
pub const MAX_LINK_VALUES_PER_FACET: usize = 100;

impl ViewState {
    /// Reads the view from URL parameters. Values that make no sense are
    /// ignored, each with a notice for the shopper.
    pub fn from_params<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ViewState, Vec<String>) {
        let mut view = ViewState::default();
        let mut notices = Vec::new();
        // What kinds of value were invalid, each named once and never
        // quoted: a link's text is not the page's to show.
        let mut invalid_kinds: Vec<String> = Vec::new();
        let mut invalid = |kind: &str, _value: &str| {
            if !invalid_kinds.iter().any(|k| k == kind) {
                invalid_kinds.push(kind.to_owned());
            }
        };
        let mut past_cap = [0usize; crate::index::FACETS];
        for (name, value) in params {
            match name {
                "q" => view.query = value.chars().take(200).collect(),
                "sort" => match SortKey::parse(value) {
                    Some(key) => view.sort = Some(key),
                    None => invalid("sort order", value),
                },
                "condition" => match Condition::parse(value) {
                    Some(c) if !view.conditions.contains(&c) => view.conditions.push(c),
                    Some(_) => {}
                    None => invalid("condition", value),
                },
                "grade" => match Grade::parse_url_value(value) {
                    Some(grade) => view.min_grade = Some(grade),
                    None => invalid("grade", value),
                },
                "price_min" | "price_max" => match parse_price(value) {
                    Some(cents) if name == "price_min" => view.price_min = Some(cents),
                    Some(cents) => view.price_max = Some(cents),
                    None => invalid("price", value),
                },
                "year_min" | "year_max" => match value
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|y| (1000..=2200).contains(y))
                {
                    Some(year) if name == "year_min" => view.year_min = Some(year),
                    Some(year) => view.year_max = Some(year),
                    None => invalid("year", value),
                },
                other => {
                    if let Some(facet) = Facet::ALL.into_iter().find(|f| f.param() == other) {
                        let value = value.trim();
                        if value.is_empty() || value.chars().count() > 200 {
                            invalid(facet.label(), value);
                        } else if view.selected(facet).len() >= MAX_LINK_VALUES_PER_FACET {
                            past_cap[facet.index()] += usize::from(!view.is_selected(facet, value));
                        } else {
                            view.toggle_on(facet, value);
                        }
                    }
                }
            }
        }
        notices.extend(
            invalid_kinds
                .iter()
                .map(|kind| format!("Ignored an invalid {kind} in the link.")),
        );
        for facet in Facet::ALL.into_iter().filter(|f| past_cap[f.index()] > 0) {
            notices.push(format!(
                "The link selects more than {MAX_LINK_VALUES_PER_FACET} values of “{}”; the other {} were ignored.",
                facet.label(),
                past_cap[facet.index()]
            ));
        }
        if let (Some(min), Some(max)) = (view.price_min, view.price_max) {
            if min > max {
                notices
                    .push("Ignored a price range whose minimum is above its maximum.".to_owned());
                (view.price_min, view.price_max) = (None, None);
            }
        }
        if let (Some(min), Some(max)) = (view.year_min, view.year_max) {
            if min > max {
                notices.push("Ignored a year range whose start is after its end.".to_owned());
                (view.year_min, view.year_max) = (None, None);
            }
        }
        (view, notices)
    }

    /// The URL parameters for this view, in a stable order, defaults omitted.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.query.trim().is_empty() {
            params.push(("q", self.query.clone()));
        }
        if let Some(sort) = self.sort {
            params.push(("sort", sort.code().to_owned()));
        }
        for facet in Facet::ALL {
            params.extend(
                self.selected(facet)
                    .iter()
                    .map(|v| (facet.param(), v.clone())),
            );
        }
        params.extend(
            self.conditions
                .iter()
                .map(|c| ("condition", c.code().to_owned())),
        );
        params.extend(self.min_grade.map(|g| ("grade", g.code().to_owned())));
        params.extend(self.price_min.map(|p| ("price_min", format_price_param(p))));
        params.extend(self.price_max.map(|p| ("price_max", format_price_param(p))));
        params.extend(self.year_min.map(|y| ("year_min", y.to_string())));
        params.extend(self.year_max.map(|y| ("year_max", y.to_string())));
        params
    }

    /// The sort in effect: relevance unless one was chosen.
    pub fn effective_sort(&self) -> SortKey {
        self.sort.unwrap_or(SortKey::Relevance)
    }

    /// The values of `facet` selected, in the order they were selected.
    pub fn selected(&self, facet: Facet) -> &[String] {
        &self.selected[facet.index()]
    }

    /// Whether `value` (exactly as spelt) of `facet` is selected.
    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        self.selected(facet).iter().any(|v| v == value)
    }

    /// Selects or deselects one facet value.
    pub fn toggle(&mut self, facet: Facet, value: &str) {
        let values = &mut self.selected[facet.index()];
        if let Some(at) = values.iter().position(|v| v == value) {
            values.remove(at);
        } else {
            values.push(value.to_owned());
        }
    }

    fn toggle_on(&mut self, facet: Facet, value: &str) {
        if !self.is_selected(facet, value) {
            self.selected[facet.index()].push(value.to_owned());
        }
    }

    /// Selects or deselects a condition.
    pub fn toggle_condition(&mut self, condition: Condition) {
        if let Some(at) = self.conditions.iter().position(|c| *c == condition) {
            self.conditions.remove(at);
        } else {
            self.conditions.push(condition);
        }
    }

    /// Whether any filter (not the query or sort) is active.
    pub fn has_filters(&self) -> bool {
        self.filter_count() > 0
    }

    /// Filters in effect: each selected value and condition, the grade, and
    /// the price and year ranges (one each, whichever bounds they have).
    pub fn filter_count(&self) -> usize {
        self.selected.iter().map(Vec::len).sum::<usize>()
            + self.conditions.len()
            + usize::from(self.min_grade.is_some())
            + usize::from(self.price_min.is_some() || self.price_max.is_some())
            + usize::from(self.year_min.is_some() || self.year_max.is_some())
    }

    /// Removes every filter, keeping the query and the sort.
    pub fn clear_filters(&mut self) {
        *self = ViewState {
            query: std::mem::take(&mut self.query),
            sort: self.sort,
            ..ViewState::default()
        };
    }
}

/// Reads a price typed by a person or carried in a URL (`12`, `12.5`, `12,50`).
pub fn parse_price(text: &str) -> Option<Cents> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    let cents = (value * 100.0).round();
    (0.0..=1e11).contains(&cents).then_some(cents as Cents)
}

/// A price as a URL value: `12`, `12.5`, `12.99`.
pub fn format_price_param(cents: Cents) -> String {
    let (units, rest) = (cents / 100, cents % 100);
    match rest {
        0 => units.to_string(),
        r if r % 10 == 0 => format!("{units}.{}", r / 10),
        r => format!("{units}.{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> (ViewState, Vec<String>) {
        ViewState::from_params(query.iter().copied())
    }

    #[test]
    fn round_trips_every_parameter() {
        let (view, notices) = parse(&[
            ("q", "björk debut"),
            ("sort", "price-desc"),
            ("type", "ReleaseItem"),
            ("genre", "Electronic"),
            ("genre", "Rock"),
            ("style", "Techno"),
            ("format", "LP"),
            ("country", "UK"),
            ("condition", "used"),
            ("grade", "VG+"),
            ("price_min", "5"),
            ("price_max", "12.5"),
            ("year_min", "1970"),
            ("year_max", "1999"),
        ]);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(view.selected(Facet::Genre), ["Electronic", "Rock"]);
        assert_eq!((view.price_min, view.price_max), (Some(500), Some(1250)));
        assert_eq!(view.min_grade, Some(Grade::VeryGoodPlus));
        let params = view.to_params();
        let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(ViewState::from_params(borrowed).0, view);
        assert_eq!(
            params.iter().find(|(k, _)| *k == "price_max").unwrap().1,
            "12.5"
        );
    }

    #[test]
    fn invalid_values_are_ignored_with_a_notice() {
        let (view, notices) = parse(&[
            ("sort", "cheapest"),
            ("condition", "mint"),
            ("grade", "XX"),
            ("price_min", "-3"),
            ("price_max", "abc"),
            ("year_min", "0"),
            ("year_max", "99999"),
            ("genre", ""),
            ("unrelated", "kept elsewhere"),
        ]);
        assert_eq!(view, ViewState::default());
        assert_eq!(
            notices.len(),
            6,
            "one notice per kind of value: {notices:?}"
        );
        assert!(notices[0].contains("sort order") && !notices[0].contains("cheapest"));
    }

    #[test]
    fn inverted_ranges_are_ignored() {
        let (view, notices) = parse(&[
            ("price_min", "20"),
            ("price_max", "10"),
            ("year_min", "2000"),
            ("year_max", "1990"),
        ]);
        assert_eq!(
            (view.price_min, view.price_max, view.year_min, view.year_max),
            (None, None, None, None)
        );
        assert_eq!(notices.len(), 2);
    }

    #[test]
    fn a_plus_lost_to_form_decoding_is_restored() {
        assert_eq!(
            parse(&[("grade", "VG ")]).0.min_grade,
            Some(Grade::VeryGoodPlus)
        );
    }

    #[test]
    fn notices_never_quote_the_link() {
        let long = "<script>".repeat(100);
        let (_, notices) = parse(&[
            ("sort", &long),
            ("grade", "Call 555"),
            ("year_min", "Call 555"),
        ]);
        assert_eq!(
            notices,
            [
                "Ignored an invalid sort order in the link.",
                "Ignored an invalid grade in the link.",
                "Ignored an invalid year in the link."
            ]
        );
    }

    #[test]
    fn toggles_and_clears() {
        let mut view = ViewState {
            query: "dub".into(),
            sort: Some(SortKey::Title),
            ..ViewState::default()
        };
        view.toggle(Facet::Genre, "Reggae");
        view.toggle_condition(Condition::Used);
        view.min_grade = Some(Grade::VeryGood);
        assert!(view.has_filters());
        view.toggle(Facet::Format, "LP");
        // A range counts once, with one bound or both.
        view.price_max = Some(2000);
        view.year_min = Some(1970);
        view.year_max = Some(1979);
        assert_eq!(view.filter_count(), 6);
        view.toggle(Facet::Genre, "Reggae");
        assert!(view.selected(Facet::Genre).is_empty());
        view.clear_filters();
        assert!(!view.has_filters());
        assert_eq!(
            (view.query.as_str(), view.sort),
            ("dub", Some(SortKey::Title))
        );
    }

    #[test]
    fn prices() {
        assert_eq!(parse_price("12,50"), Some(1250));
        assert_eq!(parse_price(" 7 "), Some(700));
        assert_eq!(parse_price("1e3"), None);
        assert_eq!(parse_price("NaN"), None);
        assert_eq!(format_price_param(1299), "12.99");
        assert_eq!(format_price_param(1200), "12");
        assert_eq!(format_price_param(5), "0.05");
    }

    #[test]
    fn the_view_rewrites_only_its_own_parameters() {
        let mut view = ViewState::default();
        view.toggle(Facet::Genre, "Hip Hop");
        view.query = "a&b".into();
        let host = "?shop=1234&cdn=http://localhost:8080&ref=a+b%20c&genre=Rock&%71=old&x";
        assert_eq!(
            search_with_view(host, &view),
            "?shop=1234&cdn=http://localhost:8080&ref=a+b%20c&x&q=a%26b&genre=Hip%20Hop"
        );
        let (read, notices) = ViewState::from_params([("q", "a&b"), ("genre", "Hip Hop")]);
        assert_eq!((read, notices), (view.clone(), Vec::new()));
        assert_eq!(
            search_with_view("?q=x&genre=Rock", &ViewState::default()),
            ""
        );
        assert_eq!(search_with_view("", &view), "?q=a%26b&genre=Hip%20Hop");
    }

    #[test]
    fn a_link_with_thousands_of_values_selects_a_bounded_number() {
        let genres: Vec<String> = (0..50_000).map(|i| format!("Genre {i}")).collect();
        let mut params: Vec<(&str, &str)> = genres.iter().map(|g| ("genre", g.as_str())).collect();
        params.extend(std::iter::repeat_n(("sort", "sideways"), 1_000));
        let (view, notices) = ViewState::from_params(params);
        assert_eq!(view.selected(Facet::Genre).len(), MAX_LINK_VALUES_PER_FACET);
        assert_eq!(view.selected(Facet::Genre)[0], "Genre 0");
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!(notices[0], "Ignored an invalid sort order in the link.");
        assert_eq!(
            notices[1],
            format!(
                "The link selects more than 100 values of “{}”; the other 49900 were ignored.",
                Facet::Genre.label()
            )
        );
        let (again, _) = ViewState::from_params([("genre", "Rock"), ("genre", "Rock")]);
        assert_eq!(again.selected(Facet::Genre), ["Rock"]);
    }
}
