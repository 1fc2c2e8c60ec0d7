//! The partner shop list (`GET /inventory/dumps/list` in the real API): one
//! entry of shop metadata per published shop, plus the shops to remove.

use crate::clock::iso8601;
use crate::prng::mix64;
use serde_json::{json, Value};
use std::time::SystemTime;

/// Countries the list cycles through, with a city to place shops near.
const PLACES: &[(&str, f64, f64)] = &[
    ("GB", -0.1276, 51.5072),
    ("FR", 2.3522, 48.8566),
    ("DE", 13.4050, 52.5200),
    ("US", -74.0060, 40.7128),
    ("JP", 139.6917, 35.6895),
];

/// Display name of a shop.
pub fn shop_name(id: u64) -> String {
    format!("Shop {id} Records")
}

/// Rounds to 4 decimals (~10 m), as a stored coordinate would be.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The list entry of the shop at `position` in the list (shops first, then
/// the ones to remove). `base` is the storefront/logo host, e.g.
/// `http://localhost:8080`.
pub fn entry(id: u64, position: usize, base: &str, date: SystemTime) -> Value {
    let (alpha2, lon, lat) = PLACES[position % PLACES.len()];
    // Spread shops of one country apart by their position, and jitter by id.
    let step = (position / PLACES.len()) as f64;
    let jitter = (mix64(id) % 1000) as f64 / 100_000.0;
    json!({
        "id": id,
        "shopName": shop_name(id),
        "key": format!("shops/{id}/inventory.json"),
        "date": iso8601(date),
        "uri": format!("{base}/store/{id}"),
        "logo": format!("{base}/img/logo-{id}.svg"),
        "alpha2": alpha2,
        "geoLoc": [round4(lon + 0.05 * step + jitter), round4(lat + 0.03 * step + jitter)],
        "pickup": position % 2 == 0,
    })
}

/// `{"shops": [...], "toRemove": [...]}`.
pub fn shop_list(published: &[u64], removed: &[u64], base: &str, date: SystemTime) -> Value {
    let shops: Vec<Value> = published
        .iter()
        .enumerate()
        .map(|(i, &id)| entry(id, i, base, date))
        .collect();
    let to_remove: Vec<Value> = removed
        .iter()
        .enumerate()
        .map(|(i, &id)| entry(id, published.len() + i, base, date))
        .collect();
    json!({ "shops": shops, "toRemove": to_remove })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn entries_are_distinct_and_deterministic() {
        let ids: Vec<u64> = (1..=12).collect();
        let list = shop_list(&ids[..10], &ids[10..], "http://localhost:9", UNIX_EPOCH);
        assert_eq!(
            list,
            shop_list(&ids[..10], &ids[10..], "http://localhost:9", UNIX_EPOCH)
        );
        let all: Vec<&Value> = list["shops"]
            .as_array()
            .unwrap()
            .iter()
            .chain(list["toRemove"].as_array().unwrap())
            .collect();
        assert_eq!(all.len(), 12);
        let mut locs: Vec<String> = all.iter().map(|e| e["geoLoc"].to_string()).collect();
        locs.sort();
        locs.dedup();
        assert_eq!(locs.len(), 12);
        assert_eq!(all[0]["alpha2"], "GB");
        assert_eq!(all[5]["alpha2"], "GB");
        assert_eq!(all[4]["alpha2"], "JP");
        assert_eq!(
            (all[0]["pickup"].clone(), all[1]["pickup"].clone()),
            (json!(true), json!(false))
        );
        assert_eq!(all[0]["date"], "1970-01-01T00:00:00.000Z");
        assert_eq!(all[0]["key"], "shops/1/inventory.json");
        assert_eq!(all[11]["uri"], "http://localhost:9/store/12");
        assert_eq!(all[11]["logo"], "http://localhost:9/img/logo-12.svg");
    }
}
