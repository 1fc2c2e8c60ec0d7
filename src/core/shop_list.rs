//! The partner shop list (`GET /inventory/dumps/list` behind the partner's
//! own proxy): which shops to show, where their feeds are, and which shops
//! must disappear. Read leniently: one bad entry never hides the others.

use crate::lenient::{Flag, Id, Text};
use crate::links::is_http_url;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// Shops one list may name; more is a broken or hostile list.
pub const MAX_SHOPS: usize = 500;

/// A shop that opted in to a public inventory.
#[derive(Clone, Debug, PartialEq)]
pub struct ShopInfo {
    /// The shop's id (numeric in the spec, kept as text).
    pub id: String,
    /// The shop's name as the list gives it (may be empty).
    pub name: String,
    /// The feed's key on the CDN, e.g. `shops/1234/inventory.json`.
    pub key: Option<String>,
    /// When the feed was last regenerated, as the list gives it.
    pub date: Option<String>,
    /// The storefront every item of this shop links back to (http(s) only).
    pub uri: Option<String>,
    /// The logo, when it is an http(s) URL.
    pub logo: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub alpha2: Option<String>,
    /// `(longitude, latitude)` in degrees.
    pub geo: Option<(f64, f64)>,
    /// Whether buyers may collect in person.
    pub pickup: bool,
}

impl ShopInfo {
    /// The feed URL: the CDN host plus the key, or the documented path for
    /// the shop id. A key that is a URL or leaves the CDN's path is ignored,
    /// so a list can never send the widget to another host.
    pub fn feed_url(&self, cdn: &str) -> String {
        let key = self
            .key
            .as_deref()
            .map(|k| k.trim())
            .filter(|k| !k.starts_with("//"))
            .map(|k| k.trim_start_matches('/'))
            .filter(|k| is_plain_key(k));
        match key {
            Some(key) => format!("{cdn}/{key}"),
            None => format!("{cdn}/shops/{}/inventory.json", self.id),
        }
    }

    /// The shop's name for display; its id when the list gives none.
    pub fn display_name(&self) -> String {
        if self.name.is_empty() {
            format!("Shop {}", self.id)
        } else {
            self.name.clone()
        }
    }
}

/// Whether a list's `key` stays under the CDN prefix once a browser has
/// resolved it. Browsers read `%2e` as a dot in a path segment (the URL
/// standard's dot segments include `.%2e` and `%2E%2e`), and some servers
/// decode `%2f` to a slash, so each segment is judged decoded.
fn is_plain_key(key: &str) -> bool {
    let segment_stays = |segment: &str| match crate::links::percent_decode(segment) {
        Some(decoded) => {
            decoded != "."
                && decoded != ".."
                && !decoded.contains(['/', '\\'])
                && !decoded.chars().any(char::is_control)
        }
        None => false,
    };
    !key.is_empty()
        && key.len() <= 512
        && !key.contains("://")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./%~?=&,".contains(&b))
        && key
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .split('/')
            .all(segment_stays)
}

/// The list, with removed shops already taken out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShopList {
    /// The published shops, in the list's order.
    pub shops: Vec<ShopInfo>,
    /// Ids of shops no longer published (`toRemove`).
    pub removed: Vec<String>,
    /// Entries that could not be read (no id, not an object, duplicates).
    pub skipped: usize,
    /// Shops past [`MAX_SHOPS`], not shown.
    pub over_limit: usize,
    /// Those shops: ids picked from the list (`keep_only`) may be among them.
    past_limit: Vec<ShopInfo>,
    /// Ids asked for (the `shops` setting with a list) that the list does
    /// not publish, so are not shown.
    pub unlisted: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawShop {
    id: Id,
    #[serde(rename = "shopName")]
    shop_name: Text,
    key: Text,
    date: Text,
    uri: Text,
    logo: Text,
    alpha2: Text,
    #[serde(rename = "geoLoc")]
    geo_loc: Value,
    pickup: Flag,
}

/// Why a shop list cannot be used at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShopListError {
    /// The text does not parse as JSON.
    #[error("The shop list is not valid JSON.")]
    NotJson,
    /// The JSON is neither an array of shops nor an object holding one.
    #[error("The shop list has no list of shops.")]
    NoShops,
}

impl ShopList {
    /// Reads the list: `{"shops": [...], "toRemove": [...]}`, or a bare
    /// array of shops. `toRemove` may hold ids or shop entries.
    pub fn parse(text: &str) -> Result<ShopList, ShopListError> {
        let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|_| ShopListError::NotJson)?;
        let (entries, removals) = match value {
            Value::Array(entries) => (entries, Vec::new()),
            Value::Object(mut object) => {
                let entries =
                    ["shops", "list", "data"]
                        .iter()
                        .find_map(|k| match object.remove(*k) {
                            Some(Value::Array(a)) => Some(a),
                            _ => None,
                        });
                let removals = match object.remove("toRemove") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                (entries.ok_or(ShopListError::NoShops)?, removals)
            }
            _ => return Err(ShopListError::NoShops),
        };
        let removed: Vec<String> = removals.iter().filter_map(removal_id).collect();
        let removed_set: HashSet<&str> = removed.iter().map(String::as_str).collect();
        let mut seen = HashSet::new();
        let mut list = ShopList::default();
        for entry in entries {
            match serde_json::from_value::<RawShop>(entry)
                .ok()
                .and_then(ShopInfo::from_raw)
            {
                Some(shop) if removed_set.contains(shop.id.as_str()) => {}
                Some(shop) if !seen.insert(shop.id.clone()) => list.skipped += 1,
                Some(shop) if list.shops.len() >= MAX_SHOPS => {
                    list.over_limit += 1;
                    list.past_limit.push(shop);
                }
                Some(shop) => list.shops.push(shop),
                None => list.skipped += 1,
            }
        }
        list.removed = removed;
        Ok(list)
    }

    /// Shops from a fixed, comma-separated list of ids (the `shops`
    /// setting): no names or places, feeds at the documented path.
    pub fn from_ids(ids: &str) -> ShopList {
        let mut list = ShopList::default();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            if list.shops.iter().any(|s| s.id == id) {
                // Named twice: shown once, nothing to tell.
            } else if !is_shop_id(id) {
                list.skipped += 1;
            } else if list.shops.len() >= MAX_SHOPS {
                list.over_limit += 1;
            } else {
                list.shops.push(ShopInfo::bare(id));
            }
        }
        list
    }

    /// Keeps only the shops with these comma-separated ids (the `shops`
    /// setting next to a list): the list still gives their storefronts and
    /// removals. Ids the list does not publish go to `unlisted`.
    pub fn keep_only(&mut self, ids: &str) {
        let wanted: Vec<&str> = ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .collect();
        // Picked from the whole list: the limit is on the shops shown.
        let listed = std::mem::take(&mut self.shops)
            .into_iter()
            .chain(std::mem::take(&mut self.past_limit));
        let mut kept: Vec<ShopInfo> = listed
            .filter(|shop| wanted.contains(&shop.id.as_str()))
            .collect();
        for id in wanted {
            if !kept.iter().any(|s| s.id == id) && !self.unlisted.iter().any(|u| u == id) {
                self.unlisted.push(id.to_owned());
            }
        }
        self.over_limit = kept.len().saturating_sub(MAX_SHOPS);
        kept.truncate(MAX_SHOPS);
        self.shops = kept;
    }

    /// What the shopper should know about the list: shops it names that
    /// are not shown, and why.
    pub fn notices(&self) -> Vec<String> {
        let mut notices = Vec::new();
        if self.skipped > 0 {
            let (entries, verb) = if self.skipped == 1 {
                ("1 entry".to_owned(), "is")
            } else {
                (format!("{} entries", self.skipped), "are")
            };
            notices.push(format!(
                "{entries} of the shop list could not be read and {verb} not shown."
            ));
        }
        if self.over_limit > 0 {
            notices.push(format!("The shop list names more than {MAX_SHOPS} shops; the {} past that limit are not shown.", self.over_limit));
        }
        if !self.unlisted.is_empty() {
            // Counted, not named: the ids may come from a link, whose text
            // is not the page's to show.
            let (shops, verb) = if self.unlisted.len() == 1 {
                ("1 shop".to_owned(), "is")
            } else {
                (format!("{} shops", self.unlisted.len()), "are")
            };
            notices.push(format!(
                "{shops} asked for {verb} not in the shop list, so not shown."
            ));
        }
        notices
    }
}

/// Shop ids: letters, digits, `-` and `_`, nothing that could change a path.
pub fn is_shop_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn removal_id(value: &Value) -> Option<String> {
    let id = match value {
        Value::Object(object) => object.get("id")?,
        other => other,
    };
    let id = match id {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.as_u64()?.to_string(),
        _ => return None,
    };
    is_shop_id(&id).then_some(id)
}

impl ShopInfo {
    /// A shop known only by its id.
    pub fn bare(id: &str) -> ShopInfo {
        ShopInfo {
            id: id.to_owned(),
            name: String::new(),
            key: None,
            date: None,
            uri: None,
            logo: None,
            alpha2: None,
            geo: None,
            pickup: false,
        }
    }

    fn from_raw(raw: RawShop) -> Option<ShopInfo> {
        let id = raw
            .id
            .0
            .map(|id| id.to_string())
            .filter(|id| is_shop_id(id))?;
        let http = |text: Text| {
            text.0
                .map(|t| t.trim().to_owned())
                .filter(|t| is_http_url(t))
        };
        let alpha2 = raw
            .alpha2
            .0
            .map(|a| a.trim().to_ascii_uppercase())
            .filter(|a| a.len() == 2 && a.bytes().all(|b| b.is_ascii_uppercase()));
        Some(ShopInfo {
            id,
            name: raw
                .shop_name
                .0
                .map(|n| n.trim().to_owned())
                .unwrap_or_default(),
            key: raw.key.0,
            date: raw.date.0.map(|d| d.trim().chars().take(64).collect()),
            uri: http(raw.uri),
            logo: http(raw.logo),
            alpha2,
            geo: geo(&raw.geo_loc),
            pickup: raw.pickup.0.unwrap_or(false),
        })
    }
}

/// `[longitude, latitude]`, or `{lng|lon, lat}`, within range.
fn geo(value: &Value) -> Option<(f64, f64)> {
    let (lon, lat) = match value {
        Value::Array(pair) if pair.len() == 2 => (pair[0].as_f64()?, pair[1].as_f64()?),
        Value::Object(o) => (
            o.get("lng").or_else(|| o.get("lon"))?.as_f64()?,
            o.get("lat")?.as_f64()?,
        ),
        _ => return None,
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

/// Great-circle distance in kilometres between two `(longitude, latitude)`
/// points (haversine; the Earth as a sphere is plenty for "nearest shop").
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{"shops":[
        {"id":1234,"shopName":"Vinyl Corner","key":"shops/1234/inventory.json","date":"2026-11-22T04:00:00.000Z",
         "uri":"https://www.vinyl-corner.example","logo":"https://cdn.example/logo.svg","alpha2":"gb","geoLoc":[-0.1276,51.5072],"pickup":true},
        {"id":"77","shopName":"<b>Bold</b>","uri":"javascript:alert(1)","logo":"data:image/svg+xml,x","alpha2":"France","geoLoc":[500,1]},
        {"id":9,"shopName":"Gone"},
        {"shopName":"no id"},
        "junk",
        {"id":1234,"shopName":"duplicate"}
    ],"toRemove":[{"id":9,"shopName":"Gone"},"12",{"id":null}]}"#;

    #[test]
    fn reads_the_documented_shape() {
        let list = ShopList::parse(LIST).unwrap();
        assert_eq!(list.shops.len(), 2);
        let shop = &list.shops[0];
        assert_eq!(
            (shop.id.as_str(), shop.name.as_str()),
            ("1234", "Vinyl Corner")
        );
        assert_eq!(
            shop.uri.as_deref(),
            Some("https://www.vinyl-corner.example")
        );
        assert_eq!(shop.alpha2.as_deref(), Some("GB"));
        assert_eq!(shop.geo, Some((-0.1276, 51.5072)));
        assert!(shop.pickup);
        assert_eq!(
            shop.feed_url("https://static.common-ground.io"),
            "https://static.common-ground.io/shops/1234/inventory.json"
        );
        assert_eq!(list.removed, vec!["9".to_owned(), "12".to_owned()]);
        assert_eq!(list.skipped, 3, "no id, not an object, duplicate");
    }

    #[test]
    fn removed_shops_never_appear() {
        let list = ShopList::parse(LIST).unwrap();
        assert!(list.shops.iter().all(|s| s.id != "9"));
    }

    #[test]
    fn hostile_entries_lose_their_bad_fields_not_the_shop() {
        let list = ShopList::parse(LIST).unwrap();
        let shop = &list.shops[1];
        assert_eq!(shop.name, "<b>Bold</b>", "kept as text, rendered as text");
        assert_eq!(
            (
                shop.uri.as_deref(),
                shop.logo.as_deref(),
                shop.alpha2.as_deref(),
                shop.geo
            ),
            (None, None, None, None)
        );
        assert_eq!(
            shop.feed_url("https://cdn.example"),
            "https://cdn.example/shops/77/inventory.json"
        );
    }

    #[test]
    fn keys_cannot_leave_the_cdn() {
        let mut shop = ShopInfo::bare("5");
        for key in [
            "https://evil.example/x.json",
            "//evil.example/x",
            "../../x",
            "shops/5/../../x",
            "a b",
            "shops/%2e%2e/%2E%2E/x",
            "shops/.%2e/x",
            "shops/%2E./x",
            "shops/%2e/x",
            "shops/..%2fx",
            "shops/%2e%2e%2f%2e%2e%2fx",
            "shops/%5c..%5cx",
            "shops/%zz",
        ] {
            shop.key = Some(key.to_owned());
            assert_eq!(
                shop.feed_url("https://cdn.example"),
                "https://cdn.example/shops/5/inventory.json",
                "{key}"
            );
        }
        shop.key = Some("/dumps/5/inventory-2026.json".to_owned());
        assert_eq!(
            shop.feed_url("https://cdn.example"),
            "https://cdn.example/dumps/5/inventory-2026.json"
        );
    }

    #[test]
    fn other_shapes() {
        assert_eq!(
            ShopList::parse(r#"[{"id":1},{"id":2}]"#)
                .unwrap()
                .shops
                .len(),
            2
        );
        assert_eq!(
            ShopList::parse(r#"{"data":[{"id":1}]}"#)
                .unwrap()
                .shops
                .len(),
            1
        );
        assert_eq!(ShopList::parse("{"), Err(ShopListError::NotJson));
        assert_eq!(
            ShopList::parse(r#"{"toRemove":[]}"#),
            Err(ShopListError::NoShops)
        );
        assert_eq!(ShopList::parse("42"), Err(ShopListError::NoShops));
        assert_eq!(
            ShopList::parse(r#"{"shops":[{"id":1,"geoLoc":{"lng":2.35,"lat":48.85}}]}"#)
                .unwrap()
                .shops[0]
                .geo,
            Some((2.35, 48.85))
        );
    }

    #[test]
    fn fixed_ids() {
        let list = ShopList::from_ids(" 1234, 99 ,,../x,1234");
        assert_eq!(
            list.shops.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            vec!["1234", "99"]
        );
        assert_eq!(list.skipped, 1, "a repeated id is no fault");
    }

    #[test]
    fn ids_next_to_a_list_pick_shops_from_it() {
        let text = r#"{"shops":[{"id":1,"uri":"https://one.example"},{"id":2},{"id":3,"uri":"https://three.example"}],"toRemove":[{"id":4}]}"#;
        let mut list = ShopList::parse(text).unwrap();
        list.keep_only("3, 1,4, 9,9");
        assert_eq!(
            list.shops
                .iter()
                .map(|s| (s.id.as_str(), s.uri.as_deref()))
                .collect::<Vec<_>>(),
            [
                ("1", Some("https://one.example")),
                ("3", Some("https://three.example"))
            ]
        );
        assert_eq!(list.unlisted, ["4", "9"], "a removed shop stays removed");
        assert_eq!(
            list.notices(),
            ["2 shops asked for are not in the shop list, so not shown."]
        );
    }

    #[test]
    fn shops_not_shown_are_explained() {
        let entries: Vec<String> = (0..MAX_SHOPS + 2)
            .map(|i| format!(r#"{{"id":{i}}}"#))
            .chain(["7".to_owned(), "{}".to_owned(), r#"{"id":1}"#.to_owned()])
            .collect();
        let list = ShopList::parse(&format!("[{}]", entries.join(","))).unwrap();
        assert_eq!(
            (list.shops.len(), list.over_limit, list.skipped),
            (MAX_SHOPS, 2, 3)
        );
        assert_eq!(
            list.notices(),
            [
                "3 entries of the shop list could not be read and are not shown.".to_owned(),
                format!("The shop list names more than {MAX_SHOPS} shops; the 2 past that limit are not shown."),
            ]
        );
        // Ids picked from the list may be past the limit of a whole list.
        let mut picked = list.clone();
        picked.keep_only(&format!("1, {}, {}", MAX_SHOPS + 1, MAX_SHOPS + 7));
        assert_eq!(
            picked
                .shops
                .iter()
                .map(|s| s.id.clone())
                .collect::<Vec<_>>(),
            ["1".to_owned(), (MAX_SHOPS + 1).to_string()]
        );
        assert_eq!(
            picked.notices(),
            [
                "3 entries of the shop list could not be read and are not shown.".to_owned(),
                "1 shop asked for is not in the shop list, so not shown.".to_owned(),
            ]
        );
        let one = ShopList::parse(r#"[{"id":1},{}]"#).unwrap();
        assert_eq!(
            one.notices(),
            ["1 entry of the shop list could not be read and is not shown."]
        );
        assert!(ShopList::parse(r#"[{"id":1}]"#)
            .unwrap()
            .notices()
            .is_empty());
    }

    #[test]
    fn distances() {
        let london = (-0.1276, 51.5072);
        let paris = (2.3522, 48.8566);
        let d = distance_km(london, paris);
        assert!((d - 343.5).abs() < 2.0, "{d}");
        assert_eq!(distance_km(paris, paris), 0.0);
    }
}
