//! `inventoryItems`: a shop's feed in the Client API's shape, filtered,
//! sorted and paged as the guide's variables ask.

use super::error::GqlError;
use super::ids::{one_per_customer, pre_order, stable_id, Entity};
use crate::clock::year_start_ms;
use crate::prng::mix64;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

/// Most items one `inventoryItems` page returns.
pub const MAX_LIMIT: u64 = 100;

/// A parsed shop feed with a listing index, as `inventoryItems` and the
/// checkout validation need it.
#[derive(Debug, Default)]
pub struct ShopData {
    /// Feed items in feed order.
    pub items: Vec<Value>,
    /// Listing id → (item index, tracked stock quantity).
    pub listings: HashMap<u64, (usize, Option<u64>)>,
}

impl ShopData {
    /// Parses a feed; an unparseable one counts as empty.
    pub fn from_feed(json: &[u8]) -> Self {
        let items: Vec<Value> = serde_json::from_slice(json).unwrap_or_default();
        let mut listings = HashMap::new();
        for (idx, item) in items.iter().enumerate() {
            for l in item["listings"].as_array().into_iter().flatten() {
                if let Some(id) = l["id"].as_u64() {
                    listings.insert(id, (idx, l["stock"]["quantity"].as_u64()));
                }
            }
        }
        Self { items, listings }
    }
}

/// A JSON number that is a non-negative integer (`12` or `12.0`, not
/// `12.5`, not `"12"`).
pub(crate) fn as_integer(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let f = v.as_f64().filter(|_| v.is_number())?;
    (f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_992.0).then_some(f as u64)
}

/// How the shop is asked for, and what it has sold since its feed.
pub(crate) struct Shop<'a> {
    pub data: &'a ShopData,
    /// The `commonground-origin` domain, the host of every item's `uri`.
    pub domain: &'a str,
    pub id: u64,
    pub sold_out: &'a BTreeSet<u64>,
}

/// The answer to `inventoryItems(filters, pagination)`, given the coerced
/// arguments (the schema has already checked their shapes and types).
pub(crate) fn inventory_items(shop: &Shop, args: &Map<String, Value>) -> Result<Value, GqlError> {
    let empty = Map::new();
    let filters = args["filters"].as_object().unwrap_or(&empty);
    let pagination = args["pagination"].as_object().unwrap_or(&empty);
    let in_stock = match filters.get("stock") {
        None | Some(Value::Null) => false,
        Some(v) if v == "inStock" => true,
        Some(v) if v == "all" => false,
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "filters.stock must be \"inStock\" or \"all\", got {v}"
            )))
        }
    };
    let int = |name: &str, default: u64| match pagination.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => as_integer(v).ok_or_else(|| {
            GqlError::bad_input(format!("pagination.{name} must be a positive integer"))
        }),
    };
    let page = int("page", 1)?;
    let limit = int("limit", 20)?;
    if page < 1 {
        return Err(GqlError::bad_input("pagination.page must be at least 1"));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(GqlError::bad_input(format!(
            "pagination.limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let sort = match pagination.get("sort") {
        None | Some(Value::Null) => "created",
        Some(Value::String(s))
            if matches!(s.as_str(), "created" | "updated" | "id" | "title" | "price") =>
        {
            s.as_str()
        }
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "pagination.sort must be created, updated, id, title or price, got {v}"
            )))
        }
    };
    let descending = match pagination.get("order") {
        None | Some(Value::Null) => false,
        Some(v) if v.as_i64() == Some(1) => false,
        Some(v) if v.as_i64() == Some(-1) => true,
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "pagination.order must be 1 or -1, got {v}"
            )))
        }
    };

    let mut matches: Vec<(usize, Vec<&Value>)> = Vec::new();
    for (idx, item) in shop.data.items.iter().enumerate() {
        let listings: Vec<&Value> = item["listings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|l| {
                !in_stock
                    || !l["id"]
                        .as_u64()
                        .is_some_and(|id| shop.sold_out.contains(&id))
            })
            .collect();
        if in_stock && listings.is_empty() {
            continue;
        }
        matches.push((idx, listings));
    }
    let mut keyed: Vec<((u64, String), usize)> = matches
        .iter()
        .enumerate()
        .map(|(m, (idx, kept))| (sort_key(&shop.data.items[*idx], kept, sort), m))
        .collect();
    keyed.sort();
    if descending {
        keyed.reverse();
    }
    let count = matches.len() as u64;
    let start = ((page - 1).saturating_mul(limit)).min(count) as usize;
    let end = (start + limit as usize).min(matches.len());
    let items: Vec<Value> = keyed[start..end]
        .iter()
        .map(|(_, m)| {
            let (idx, kept) = &matches[*m];
            api_item(&shop.data.items[*idx], kept, shop)
        })
        .collect();
    Ok(json!({ "items": items }))
}

/// The key `pagination.sort` orders by.
fn sort_key(item: &Value, kept: &[&Value], sort: &str) -> (u64, String) {
    let id = item["id"].as_u64().unwrap_or(0);
    match sort {
        "title" => (
            0,
            item["data"]["title"].as_str().unwrap_or("").to_lowercase(),
        ),
        "price" => {
            let cents = kept
                .iter()
                .filter_map(|l| l["prices"]["sale"].as_f64())
                .map(|p| (p * 100.0).round() as u64)
                .min();
            (cents.unwrap_or(u64::MAX), format!("{id:020}"))
        }
        _ => (id, String::new()),
    }
}

/// A feed item in the Client API's shape: the guide's fields, no others.
fn api_item(item: &Value, listings: &[&Value], shop: &Shop) -> Value {
    let id = item["id"].as_u64().unwrap_or(0);
    let d = &item["data"];
    let catno = d["labels"]
        .as_array()
        .and_then(|ls| ls.iter().find_map(|l| l["catno"].as_str()))
        .map(str::to_string);
    let release_date = d["year"].as_i64().map(year_start_ms);
    let note = item["descriptions"]["shop"]["text"].as_str();
    let listings: Vec<Value> = listings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lid = l["id"].as_u64().unwrap_or(0);
            json!({
                "_id": stable_id(shop.id, Entity::Listing, lid),
                "id": lid,
                "available": lid.saturating_sub(mix64(lid) % 3_600_000),
                "preOrder": pre_order(lid),
                "secondHand": l["secondHand"].as_bool().unwrap_or(false),
                "categories": [],
                "onePerCustomer": one_per_customer(lid),
                "comments": if i == 0 { note } else { None },
            })
        })
        .collect();
    json!({
        "_id": stable_id(shop.id, Entity::Item, id),
        "id": id,
        "type": item["type"],
        "uri": format!("https://{}{}", shop.domain, item["path"].as_str().unwrap_or("")),
        "data": {
            "title": d["title"],
            "cat": catno,
            "type": null,
            "manufacturer": d["manufacturer"],
            "discogsId": d["discogsId"],
            "assetLink": null,
            "weight": d["weight"],
            "genres": d["genres"],
            "styles": d["styles"],
            "country": d["country"],
            "releaseDate": release_date,
            "subtitle": null,
            "authors": d["authors"],
            "publisher": d["publisher"],
            "publishedDate": null,
            "pageCount": d["pageCount"],
            "categories": d["categories"],
            "language": d["language"],
            "format": null,
        },
        "listings": listings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_only() {
        assert_eq!(as_integer(&json!(1765470890000u64)), Some(1765470890000));
        assert_eq!(as_integer(&json!(3.0)), Some(3));
        assert_eq!(as_integer(&json!(3.5)), None);
        assert_eq!(as_integer(&json!("3")), None);
        assert_eq!(as_integer(&json!(-3)), None);
    }
}
