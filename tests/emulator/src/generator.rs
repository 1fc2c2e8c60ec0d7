//! Deterministic generator of realistic Common Ground inventory feeds.
//!
//! The output follows the partner feed spec (a JSON array of items with
//! `type`, `id`, `path`, `descriptions`, `listings`, `data`) and deliberately
//! includes the awkward parts a real shop's feed has: two shapes for labels
//! and for listing `options`, null/absent optional fields, items without
//! listings, an undocumented item type, very long unicode titles, and artist
//! names in several scripts.
//!
//! Shops generated from the same base seed share releases, as real shops
//! stock the same records: about 40% of releases are well-known ones (the
//! same Discogs id in every feed, whatever the seed), and about 30%
//! of the rest come from a catalogue of 400 lesser-known releases that
//! depends on the base seed but not on the shop, so the same artist, title
//! and `discogsId` turn up at several shops.

pub(crate) mod pools;

use crate::prng::{derive_seed, SplitMix64};
use pools::*;
use serde::{Serialize, Serializer};
use std::io::{self, Write};

/// Generates a feed of `items` items as a JSON array string.
///
/// Output is byte-identical for the same `(items, seed, image_base)`.
/// Image URLs are `{image_base}/img/{id}.png` (trailing `/` of the base is
/// ignored), so the emulator can serve them itself.
pub fn generate_feed(items: usize, seed: u64, image_base: &str) -> String {
    feed_string(items, seed, seed, image_base)
}

/// The feed of shop `shop_id` among shops generated from base seed `seed`
/// (what the server serves at `/shops/{id}/inventory.json`): its own items
/// (from `derive_seed(seed, shop_id)`) drawing shared releases from the
/// catalogue of `seed`, so shops of one seed overlap.
pub fn generate_shop_feed(items: usize, seed: u64, shop_id: u64, image_base: &str) -> String {
    feed_string(items, derive_seed(seed, shop_id), seed, image_base)
}

fn feed_string(items: usize, seed: u64, catalogue_seed: u64, image_base: &str) -> String {
    let mut out = Vec::with_capacity(items.saturating_mul(1000));
    write_feed_from(&mut out, items, seed, catalogue_seed, image_base)
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("serde_json only writes UTF-8")
}

/// Streams the same feed as [`generate_feed`] into `out` (used by the CLI so
/// 50,000 items never need to sit in memory twice).
pub fn write_feed<W: Write>(out: W, items: usize, seed: u64, image_base: &str) -> io::Result<()> {
    write_feed_from(out, items, seed, seed, image_base)
}

/// Items from `seed`, shared releases from the catalogue of `catalogue_seed`.
fn write_feed_from<W: Write>(
    mut out: W,
    items: usize,
    seed: u64,
    catalogue_seed: u64,
    image_base: &str,
) -> io::Result<()> {
    let mut gen = Generator::new(seed, image_base);
    gen.shared = shared_catalogue(catalogue_seed);
    let ids = gen.item_ids(items);
    out.write_all(b"[")?;
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        let item = gen.item(id);
        serde_json::to_writer(&mut out, &item).map_err(io::Error::other)?;
    }
    out.write_all(b"]\n")
}

/// A JSON field that can be present, explicitly `null`, or missing entirely;
/// the feed has all three and consumers must treat the last two alike.
#[derive(Debug)]
enum Field<T> {
    Absent,
    Null,
    Value(T),
}

impl<T> Field<T> {
    fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(v) => v.serialize(s),
            Field::Null | Field::Absent => s.serialize_none(),
        }
    }
}

#[derive(Serialize)]
struct Item {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u64,
    path: String,
    #[serde(skip_serializing_if = "Field::is_absent")]
    descriptions: Field<Descriptions>,
    listings: Vec<Listing>,
    data: Data,
}

#[derive(Serialize)]
struct Descriptions {
    main: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    shop: Field<ShopNote>,
}

#[derive(Serialize)]
struct ShopNote {
    text: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listing {
    id: u64,
    status: &'static str,
    stock: Stock,
    prices: Prices,
    second_hand: bool,
    #[serde(skip_serializing_if = "Field::is_absent")]
    options: Field<Options>,
}

#[derive(Serialize)]
struct Stock {
    quantity: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Prices {
    sale: Money,
    before_taxes: Money,
    #[serde(skip_serializing_if = "Field::is_absent")]
    compare: Field<Money>,
}

/// A price in cents. Whole amounts print as integers (`23`, not `23.0`), as
/// a JavaScript-produced feed would; others as shortest decimals (`12.99`).
#[derive(Debug, Clone, Copy)]
struct Money(u64);

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_u64(self.0 / 100)
        } else {
            // Exact for the shortest-repr float printer: 1299 -> 12.99.
            s.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

/// Listing options come in two shapes across the feed.
#[derive(Serialize)]
#[serde(untagged)]
enum Options {
    /// `[{"name": "Media Condition", "value": "Very Good Plus (VG+)"}, …]`
    List(Vec<NameValue>),
    /// `{"mediaCondition": "VG+", "sleeveCondition": "G+"}` (possibly `{}`)
    Map(ConditionMap),
}

#[derive(Serialize)]
struct NameValue {
    name: &'static str,
    value: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConditionMap {
    #[serde(skip_serializing_if = "Option::is_none")]
    media_condition: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sleeve_condition: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Data {
    Release(ReleaseData),
    Product(ProductData),
    Book(BookData),
    Other(OtherData),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleaseData {
    title: String,
    #[serde(skip_serializing_if = "Field::is_absent")]
    artists: Field<Vec<String>>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    labels: Field<Vec<LabelEntry>>,
    discogs_id: Field<u64>,
    formats: &'static [&'static str],
    genres: Vec<&'static str>,
    styles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    year: Field<u16>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    country: Field<&'static str>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    weight: Field<u32>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    images: Field<Vec<String>>,
}

/// Labels are plain strings in most items and objects in ~30%.
#[derive(Serialize)]
#[serde(untagged)]
enum LabelEntry {
    Name(&'static str),
    Full { name: &'static str, catno: String },
}

#[derive(Serialize)]
struct ProductData {
    title: String,
    manufacturer: &'static str,
    categories: &'static [&'static str],
    #[serde(skip_serializing_if = "Field::is_absent")]
    images: Field<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BookData {
    title: String,
    authors: &'static [&'static str],
    publisher: &'static str,
    language: &'static str,
    page_count: u32,
    #[serde(skip_serializing_if = "Field::is_absent")]
    images: Field<Vec<String>>,
}

#[derive(Serialize)]
struct OtherData {
    title: &'static str,
}

/// Missing rate for optional fields, per mille (~3%).
const MISSING: u64 = 30;
/// First listing id; listing ids are 13-digit like the real feed's.
const LISTING_ID_BASE: u64 = 1_765_470_890_000;

/// Share (per mille) of otherwise random releases taken from the shared
/// catalogue instead.
const SHARED_SHARE: u64 = 300;
/// Releases in a shared catalogue.
const SHARED_RELEASES: usize = 400;

/// A release of the shared catalogue.
#[derive(Debug, Clone)]
struct SharedRelease {
    artist: String,
    title: String,
    genre: usize,
    discogs_id: u64,
}

/// The shared catalogue of a base seed (independent of any shop).
fn shared_catalogue(seed: u64) -> Vec<SharedRelease> {
    let mut g = Generator::new(derive_seed(seed, 0xCA7A_1064), "");
    (0..SHARED_RELEASES)
        .map(|_| {
            let artist = g.artist_name();
            let title = g.title();
            let genre = g.rng.index(GENRES.len());
            SharedRelease {
                artist,
                title,
                genre,
                discogs_id: g.rng.range(100_000, 33_000_000),
            }
        })
        .collect()
}

struct Generator<'a> {
    rng: SplitMix64,
    image_base: &'a str,
    next_listing: u64,
    /// Shared releases and a separate stream for choosing them, so the main
    /// stream (and thus the rest of the feed) is unaffected by the choice.
    shared: Vec<SharedRelease>,
    shared_rng: SplitMix64,
}

impl<'a> Generator<'a> {
    fn new(seed: u64, image_base: &'a str) -> Self {
        Self {
            rng: SplitMix64::new(derive_seed(seed, 0xFEED)),
            image_base: image_base.trim_end_matches('/'),
            next_listing: LISTING_ID_BASE,
            shared: Vec::new(),
            shared_rng: SplitMix64::new(derive_seed(seed, 0x5AED)),
        }
    }

    /// Unique, roughly increasing item ids, locally shuffled so the feed is
    /// not in perfect id order (as in a real export).
    fn item_ids(&mut self, n: usize) -> Vec<u64> {
        let mut ids = Vec::with_capacity(n);
        let mut id = 100_000 + self.rng.below(400_000);
        for _ in 0..n {
            id += 1 + self.rng.below(6);
            ids.push(id);
        }
        for i in 0..n.saturating_sub(1) {
            if self.rng.per_mille(80) {
                let span = (n - 1 - i).min(3) as u64;
                let j = i + 1 + self.rng.below(span) as usize;
                ids.swap(i, j);
            }
        }
        ids
    }

    /// `Value(v)` most of the time; otherwise `null` or absent (~3% total).
    fn maybe<T>(&mut self, v: T) -> Field<T> {
        match self.rng.below(1000) {
            r if r < MISSING / 2 => Field::Null,
            r if r < MISSING => Field::Absent,
            _ => Field::Value(v),
        }
    }

    fn item(&mut self, id: u64) -> Item {
        match self.rng.below(1000) {
            0..=849 => self.release(id),
            850..=949 => self.product(id),
            950..=994 => self.book(id),
            _ => self.other(id),
        }
    }

    fn release(&mut self, id: u64) -> Item {
        let (mut artists, mut title, genre, discogs_id) = if self.rng.per_mille(400) {
            let a = self.rng.pick(ARTISTS);
            let t = *self.rng.pick(a.titles);
            // Known releases get a stable Discogs id so the same release can
            // appear several times in a feed, as real shops list copies.
            let did = hash_str(a.name) ^ hash_str(t).rotate_left(17);
            (
                vec![a.name.to_string()],
                t.to_string(),
                genre_index(a.genre),
                1_000_000 + did % 30_000_000,
            )
        } else {
            let artist = self.artist_name();
            let title = self.title();
            let (genre, did) = (
                self.rng.index(GENRES.len()),
                self.rng.range(100_000, 33_000_000),
            );
            if !self.shared.is_empty() && self.shared_rng.per_mille(SHARED_SHARE) {
                let r = &self.shared[self.shared_rng.index(self.shared.len())];
                (
                    vec![r.artist.clone()],
                    r.title.clone(),
                    r.genre,
                    r.discogs_id,
                )
            } else {
                (vec![artist], title, genre, did)
            }
        };
        if self.rng.per_mille(50) {
            artists.push(self.artist_name());
        }
        if self.rng.per_mille(10) {
            title = self.long_title(&title);
        }

        let format = self.format();
        let mut year = if self.rng.per_mille(500) {
            self.rng.range(1955, 2026)
        } else {
            self.rng.range(2005, 2026)
        } as u16;
        if year < format.since {
            year = format.since + self.rng.below(10) as u16;
        }

        let mut genres = vec![GENRES[genre].name];
        if self.rng.per_mille(150) {
            let other = self.rng.index(GENRES.len());
            if other != genre {
                genres.push(GENRES[other].name);
            }
        }
        let styles = if self.rng.per_mille(MISSING) {
            Vec::new()
        } else {
            self.styles(genre)
        };

        let labels = self.labels();
        let first_label = labels.first().map(|l| match l {
            LabelEntry::Name(n) | LabelEntry::Full { name: n, .. } => *n,
        });
        // Every format weighs at least 60 g, so the ±20 g jitter stays positive.
        let weight = format.grams - 20 + self.rng.below(41) as u32;
        let slug = slugify(&format!("{} {}", artists.join(" "), title));
        let lead_artist = artists[0].clone();

        let artists = match self.rng.below(1000) {
            r if r < 10 => Field::Null,
            r if r < 20 => Field::Absent,
            r if r < MISSING => Field::Value(Vec::new()),
            _ => Field::Value(artists),
        };
        let descriptions = self.descriptions(Some((&lead_artist, &title, year, first_label)));
        let listings = self.listings(Kind::Release(format.grams));
        let data = ReleaseData {
            discogs_id: if self.rng.per_mille(20) {
                Field::Null
            } else {
                Field::Value(discogs_id)
            },
            artists,
            labels: self.maybe(labels),
            formats: format.descriptors,
            genres,
            styles,
            year: self.maybe(year),
            country: {
                let c = *self.rng.pick(COUNTRIES);
                self.maybe(c)
            },
            weight: self.maybe(weight),
            images: self.images(id),
            title,
        };
        Item {
            kind: "ReleaseItem",
            id,
            path: format!("/release/{id}/{slug}"),
            descriptions,
            listings,
            data: Data::Release(data),
        }
    }

    fn product(&mut self, id: u64) -> Item {
        let (name, manufacturer, categories) = *self.rng.pick(PRODUCTS);
        let title = format!("{name}{}", self.rng.pick(PRODUCT_VARIANTS));
        let price_band = match categories.get(1).copied() {
            Some("Turntables") => (199, 249),
            Some("Headphones") => (99, 169),
            Some("Cartridges") => (49, 119),
            _ => (4, 30),
        };
        let descriptions = self.descriptions(None);
        let listings = self.listings(Kind::Fixed(price_band));
        Item {
            kind: "ProductItem",
            id,
            path: format!("/product/{id}/{}", slugify(&title)),
            descriptions,
            listings,
            data: Data::Product(ProductData {
                images: self.images(id),
                title,
                manufacturer,
                categories,
            }),
        }
    }

    fn book(&mut self, id: u64) -> Item {
        let (name, authors, publisher, language, pages) = *self.rng.pick(BOOKS);
        let title = format!("{name}{}", self.rng.pick(BOOK_VARIANTS));
        let descriptions = self.descriptions(None);
        let listings = self.listings(Kind::Fixed((9, 35)));
        Item {
            kind: "BookItem",
            id,
            path: format!("/book/{id}/{}", slugify(&title)),
            descriptions,
            listings,
            data: Data::Book(BookData {
                images: self.images(id),
                title,
                authors,
                publisher,
                language,
                page_count: pages,
            }),
        }
    }

    /// An item type the spec does not list, with a minimal data block.
    fn other(&mut self, id: u64) -> Item {
        let (kind, title) = *self.rng.pick(UNKNOWN_TYPES);
        let listings = self.listings(Kind::Fixed((10, 50)));
        Item {
            kind,
            id,
            path: format!("/item/{id}"),
            descriptions: Field::Absent,
            listings,
            data: Data::Other(OtherData { title }),
        }
    }

    fn artist_name(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(7) {
            0 | 1 => format!("{} {}", r.pick(FIRST_NAMES), r.pick(LAST_NAMES)),
            2 => format!("The {} {}", r.pick(ADJECTIVES), r.pick(NOUNS)),
            3 => format!("{} {}", r.pick(ADJECTIVES), r.pick(NOUNS)),
            4 => format!("DJ {}", r.pick(FIRST_NAMES)),
            5 => {
                let group = [
                    "Trio",
                    "Quartet",
                    "Ensemble",
                    "Sound System",
                    "Orchestra",
                    "Collective",
                ];
                format!(
                    "{} {} {}",
                    r.pick(FIRST_NAMES),
                    r.pick(LAST_NAMES),
                    r.pick(&group)
                )
            }
            _ => format!("{} & {}", r.pick(LAST_NAMES), r.pick(LAST_NAMES)),
        }
    }

    fn title(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(10) {
            0 | 1 => format!("{} {}", r.pick(ADJECTIVES), r.pick(NOUNS)),
            2 => format!("{} of {}", r.pick(NOUNS), r.pick(PLACES)),
            3 => format!("Live at {}", r.pick(PLACES)),
            4 => format!("{} Sessions", r.pick(PLACES)),
            5 => format!("{} EP", r.pick(NOUNS)),
            6 => format!(
                "{} {}, Vol. {}",
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.range(1, 4)
            ),
            7 => format!("{} / {}", r.pick(NOUNS), r.pick(NOUNS)),
            8 => format!(
                "{} {} ({} Remixes)",
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(FIRST_NAMES)
            ),
            _ => r.pick(NOUNS).to_string(),
        }
    }

    /// A 300+ character title mixing scripts, like the box-set listings that
    /// break naive layouts.
    fn long_title(&mut self, base: &str) -> String {
        let target = 300 + self.rng.below(120) as usize;
        let mut t = format!("{base} –");
        while t.chars().count() < target {
            let phrase = if self.rng.per_mille(300) {
                self.rng.pick(PLACES)
            } else {
                self.rng.pick(LONG_TITLE_PHRASES)
            };
            t.push(' ');
            t.push_str(phrase);
            t.push_str(" ·");
        }
        t.pop();
        t.trim_end().to_string()
    }

    /// A format, weighted by how much shelf space each typically has.
    fn format(&mut self) -> &'static Format {
        let total: u64 = FORMATS.iter().map(|f| f.share).sum();
        let mut roll = self.rng.below(total);
        for f in FORMATS {
            if roll < f.share {
                return f;
            }
            roll -= f.share;
        }
        &FORMATS[0]
    }

    fn styles(&mut self, genre: usize) -> Vec<&'static str> {
        let pool = GENRES[genre].styles;
        let n = 1 + self.rng.below(3) as usize;
        let mut out: Vec<&'static str> = Vec::with_capacity(n);
        for _ in 0..n {
            let s = *self.rng.pick(pool);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    fn labels(&mut self) -> Vec<LabelEntry> {
        let count = if self.rng.per_mille(850) { 1 } else { 2 };
        let full = self.rng.per_mille(300);
        (0..count)
            .map(|_| {
                let l = self.rng.pick(LABELS);
                if full {
                    LabelEntry::Full {
                        name: l.name,
                        catno: format!("{}{}", l.prefix, self.rng.range(1, 999)),
                    }
                } else {
                    LabelEntry::Name(l.name)
                }
            })
            .collect()
    }

    fn images(&mut self, id: u64) -> Field<Vec<String>> {
        let urls = match self.rng.below(100) {
            0..=4 => Vec::new(),
            5..=59 => vec![format!("{}/img/{id}.png", self.image_base)],
            _ => vec![
                format!("{}/img/{id}.png", self.image_base),
                format!("{}/img/{id}-back.png", self.image_base),
            ],
        };
        self.maybe(urls)
    }

    fn descriptions(
        &mut self,
        release: Option<(&str, &str, u16, Option<&str>)>,
    ) -> Field<Descriptions> {
        let main = match self.rng.below(10) {
            0 | 1 => Field::Null,
            2 => Field::Value(String::new()),
            _ => {
                let mut text = (*self.rng.pick(DESCRIPTION_OPENERS)).to_string();
                if let Some((artist, title, year, label)) = release {
                    text.push_str(&format!(" {title} by {artist}, first released in {year}"));
                    if let Some(label) = label {
                        text.push_str(&format!(" on {label}"));
                    }
                    text.push('.');
                }
                if self.rng.per_mille(500) {
                    text.push(' ');
                    let more = *self.rng.pick(DESCRIPTION_OPENERS);
                    text.push_str(more);
                }
                Field::Value(text)
            }
        };
        let shop = match self.rng.below(10) {
            0..=3 => {
                let pool = if release.is_some() && self.rng.per_mille(600) {
                    USED_NOTES
                } else {
                    NEW_NOTES
                };
                let text = *self.rng.pick(pool);
                Field::Value(ShopNote { text })
            }
            4..=6 => Field::Null,
            _ => Field::Absent,
        };
        self.maybe(Descriptions { main, shop })
    }

    fn listings(&mut self, kind: Kind) -> Vec<Listing> {
        let count = match self.rng.below(100) {
            0..=1 => 0, // consumers must hide items with nothing to sell
            2..=71 => 1,
            72..=91 => 2,
            _ => 3,
        };
        (0..count).map(|_| self.listing(kind)).collect()
    }

    fn listing(&mut self, kind: Kind) -> Listing {
        self.next_listing += 1 + self.rng.below(4);
        let second_hand = matches!(kind, Kind::Release(_)) && self.rng.per_mille(600);
        let sale = self.sale_cents(kind, second_hand);
        let compare = if self.rng.per_mille(150) {
            let bump = sale * (10 + self.rng.below(40)) / 100;
            Field::Value(Money((sale + bump).max(sale + 100)))
        } else if self.rng.per_mille(MISSING) {
            Field::Absent
        } else {
            Field::Null
        };
        let quantity = if self.rng.per_mille(200) {
            None
        } else if second_hand && self.rng.per_mille(900) {
            Some(1)
        } else {
            Some(self.rng.range(1, 5) as u32)
        };
        let options = if second_hand {
            self.condition_options()
        } else {
            self.new_options()
        };
        Listing {
            id: self.next_listing,
            status: "published",
            stock: Stock { quantity },
            prices: Prices {
                sale: Money(sale),
                // Prices include 20% VAT; round half up to the cent.
                before_taxes: Money((sale * 10 + 6) / 12),
                compare,
            },
            second_hand,
            options,
        }
    }

    /// Sale price in cents, 4.99–250.00, with shop-like endings.
    fn sale_cents(&mut self, kind: Kind, second_hand: bool) -> u64 {
        let (lo, hi) = match kind {
            Kind::Fixed(band) => band,
            Kind::Release(_) if second_hand => {
                if self.rng.per_mille(20) {
                    (80, 249)
                } else {
                    (4, 45)
                }
            }
            Kind::Release(grams) => match grams {
                0..=80 => (5, 12),
                81..=120 => (8, 16),
                121..=240 => (10, 18),
                241..=400 => (18, 40),
                401..=1000 => (30, 55),
                _ => (60, 249),
            },
        };
        let pounds = self.rng.range(lo, hi);
        let ending = *self.rng.pick(&[99, 99, 99, 50, 0, 49]);
        (pounds * 100 + ending).clamp(499, 25_000)
    }

    fn grade(&mut self) -> usize {
        let total: u64 = GRADE_WEIGHTS.iter().sum();
        let mut roll = self.rng.below(total);
        for (i, w) in GRADE_WEIGHTS.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        GRADE_WEIGHTS.len() - 1
    }

    /// Media/sleeve condition, half in the list shape, half in the map shape.
    fn condition_options(&mut self) -> Field<Options> {
        if self.rng.per_mille(20) {
            return Field::Absent;
        }
        let media = GRADES[self.grade()];
        // Generic/plain sleeves are not graded on the Goldmine scale.
        let sleeve = if self.rng.per_mille(30) {
            ("Generic", "Generic")
        } else {
            GRADES[self.grade()]
        };
        let options = if self.rng.per_mille(500) {
            Options::List(vec![
                NameValue {
                    name: "Media Condition",
                    value: media.0,
                },
                NameValue {
                    name: "Sleeve Condition",
                    value: sleeve.0,
                },
            ])
        } else {
            Options::Map(ConditionMap {
                media_condition: Some(media.1),
                sleeve_condition: Some(sleeve.1),
            })
        };
        Field::Value(options)
    }

    fn new_options(&mut self) -> Field<Options> {
        match self.rng.below(3) {
            0 => Field::Value(Options::List(Vec::new())),
            1 => Field::Value(Options::Map(ConditionMap {
                media_condition: None,
                sleeve_condition: None,
            })),
            _ => Field::Absent,
        }
    }
}

/// What a listing is for, which drives its price band.
#[derive(Clone, Copy)]
enum Kind {
    /// A release, with its format's weight in grams.
    Release(u32),
    /// A fixed price band in whole pounds.
    Fixed((u64, u64)),
}

/// FNV-1a, used for stable ids and colours derived from names.
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Storefront-style slug: lowercase, Latin diacritics folded to ASCII,
/// letters of other scripts kept, everything else collapsed to `-`.
pub fn slugify(s: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut out = String::with_capacity(s.len().min(4 * MAX_CHARS));
    let mut chars = 0;
    let mut dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        let piece: &str = if let Some(f) = fold_latin(c) {
            f
        } else if c.is_alphanumeric() {
            c.encode_utf8(&mut buf)
        } else {
            dash = !out.is_empty();
            continue;
        };
        if dash {
            out.push('-');
            dash = false;
        }
        out.push_str(piece);
        chars += piece.chars().count();
        if chars >= MAX_CHARS {
            break;
        }
    }
    if out.is_empty() {
        out.push_str("item");
    }
    out
}

/// ASCII spelling of common Latin letters with diacritics.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'į' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_latin_and_keep_other_scripts() {
        assert_eq!(slugify("Björk Debut"), "bjork-debut");
        assert_eq!(
            slugify("Sigur Rós – Ágætis byrjun"),
            "sigur-ros-agaetis-byrjun"
        );
        assert_eq!(slugify("Кино Группа крови"), "кино-группа-крови");
        assert_eq!(slugify("Lee \"Scratch\" Perry"), "lee-scratch-perry");
        assert_eq!(slugify("( )"), "item");
    }

    #[test]
    fn money_prints_like_prices() {
        assert_eq!(serde_json::to_string(&Money(1299)).unwrap(), "12.99");
        assert_eq!(
            serde_json::to_string(&Money((1299 * 10 + 6) / 12)).unwrap(),
            "10.83"
        );
        assert_eq!(serde_json::to_string(&Money(2300)).unwrap(), "23");
        assert_eq!(serde_json::to_string(&Money(1250)).unwrap(), "12.5");
    }

    #[test]
    fn ids_are_unique_but_not_sorted() {
        let mut g = Generator::new(3, "");
        let ids = g.item_ids(2000);
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        assert_ne!(sorted, ids);
    }
}
