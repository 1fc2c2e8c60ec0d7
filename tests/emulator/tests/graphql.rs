//! The GraphQL Client API emulation over real sockets: origins, CORS,
//! base64 logins, JWT sessions, inventory, checkouts, faults and the log,
//! and requests refused by the schema as a GraphQL server refuses them.

mod common;

use cg_emulator::base64;
use cg_emulator::server::{start, Config, ServerHandle};
use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const ORIGIN: &str = "www.my-vinyl-store.com";
const EMAIL: &str = "buyer@example.com";
const PASSWORD: &str = "correct horse battery staple";

const LOGIN: &str = "mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    session { _id jwt expires user { _id email firstName lastName } }
    sessionsCount
  }
}";
const REGISTER: &str = "mutation Register($email: String!, $password: String!, $firstName: String, $lastName: String) {
  register(email: $email, password: $password, firstName: $firstName, lastName: $lastName) {
    session { _id jwt expires user { _id email firstName lastName } }
    sessionsCount
  }
}";
const INVENTORY: &str = "query GetInventoryItems($filters: InventoryFiltersInput!, $pagination: PaginationInput!) {
  inventoryItems(filters: $filters, pagination: $pagination) {
    items { _id id type uri data { title discogsId } listings { _id id available preOrder secondHand categories onePerCustomer comments } }
  }
}";
const CREATE: &str = "mutation CheckoutCreate { checkoutCreate { _id id configRef origin created orderId updated expires status message useSingleAddress } }";
const UPDATE: &str = "mutation CheckoutUpdateItems($id: String!, $items: [CheckoutItemInput!]) {
  checkoutUpdateItems(id: $id, items: $items) { _id id configRef origin created updated expires status message useSingleAddress }
}";

fn server() -> ServerHandle {
    start(Config {
        port: 0,
        shops: vec![(1234, 300)],
        seed: 5,
        ..Config::default()
    })
    .expect("server starts")
}

fn b64(s: &str) -> String {
    base64::encode(s.as_bytes())
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// One GraphQL POST with the given `commonground-origin` and JWT.
fn post(
    addr: SocketAddr,
    origin: Option<&str>,
    jwt: Option<&str>,
    query: &str,
    variables: Value,
) -> Response {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let bearer = jwt.map(|t| format!("Bearer {t}"));
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Origin", "http://widget.example"),
    ];
    if let Some(o) = origin {
        headers.push(("CommonGround-Origin", o));
    }
    if let Some(b) = &bearer {
        headers.push(("Authorization", b));
    }
    request(addr, "POST", "/graphql", &headers, body.as_bytes())
}

fn gql(addr: SocketAddr, jwt: Option<&str>, query: &str, variables: Value) -> Value {
    let r = post(addr, Some(ORIGIN), jwt, query, variables);
    assert_eq!(r.status, 200, "{}", r.text());
    serde_json::from_slice(&r.body).expect("JSON answer")
}

fn login(addr: SocketAddr) -> String {
    let v = gql(
        addr,
        None,
        LOGIN,
        json!({ "email": b64(EMAIL), "password": b64(PASSWORD) }),
    );
    v["data"]["login"]["session"]["jwt"]
        .as_str()
        .expect("jwt")
        .to_string()
}

fn inventory(addr: SocketAddr, filters: Value, pagination: Value) -> Value {
    let v = gql(
        addr,
        None,
        INVENTORY,
        json!({ "filters": filters, "pagination": pagination }),
    );
    assert!(v.get("errors").is_none(), "{v}");
    v["data"]["inventoryItems"].clone()
}

fn error_code(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

/// The answer without its errors' `locations` and `path`, for comparing
/// whole bodies.
fn brief(mut v: Value) -> Value {
    for e in v["errors"].as_array_mut().into_iter().flatten() {
        let e = e.as_object_mut().unwrap();
        e.remove("locations");
        e.remove("path");
    }
    v
}

/// A request the server refuses as a whole: its status and first code.
fn refused(addr: SocketAddr, jwt: Option<&str>, query: &str, variables: Value) -> (u16, String) {
    let r = post(addr, Some(ORIGIN), jwt, query, variables);
    let v: Value = serde_json::from_slice(&r.body).expect("JSON answer");
    assert!(v.get("data").is_none(), "a refusal has no data: {v}");
    (r.status, error_code(&v).to_string())
}

/// The shop's whole feed, as the CDN serves it.
fn feed(addr: SocketAddr) -> Vec<Value> {
    serde_json::from_slice(&get(addr, "/shops/1234/inventory.json").body).unwrap()
}

/// Every item `inventoryItems` answers for `filters`, page after page.
fn all_items(addr: SocketAddr, filters: Value) -> Vec<Value> {
    let mut items = Vec::new();
    for page in 1.. {
        let answer = inventory(addr, filters.clone(), json!({ "page": page, "limit": 100 }));
        let batch = answer["items"].as_array().unwrap().clone();
        if batch.is_empty() {
            return items;
        }
        items.extend(batch);
    }
    unreachable!()
}

/// Every documented `data` field of every item, by item id.
fn full_data(addr: SocketAddr) -> HashMap<u64, serde_json::Map<String, Value>> {
    const FULL: &str = "query($f: InventoryFiltersInput!, $p: PaginationInput!) { inventoryItems(filters: $f, pagination: $p) { items { id data { title cat type manufacturer discogsId assetLink weight genres styles country releaseDate subtitle authors publisher publishedDate pageCount categories language format } } } }";
    let mut out = HashMap::new();
    for page in 1.. {
        let v = gql(
            addr,
            None,
            FULL,
            json!({ "f": {}, "p": { "page": page, "limit": 100 } }),
        );
        assert!(v.get("errors").is_none(), "{v}");
        let items = v["data"]["inventoryItems"]["items"].as_array().unwrap();
        if items.is_empty() {
            return out;
        }
        for item in items {
            out.insert(
                item["id"].as_u64().unwrap(),
                item["data"].as_object().unwrap().clone(),
            );
        }
    }
    unreachable!()
}

/// The checkout's items, which only `/__graphql/state` shows.
fn checkout_items(addr: SocketAddr, id: &str) -> Value {
    let state: Value = serde_json::from_slice(&get(addr, "/__graphql/state").body).unwrap();
    state["checkouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["items"].clone())
        .unwrap_or(Value::Null)
}

#[test]
fn preflight_and_answers_allow_the_api_headers_for_any_origin() {
    let s = server();
    let r = request(
        s.addr(),
        "OPTIONS",
        "/graphql",
        &[
            ("Origin", "https://shop.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,authorization,commonground-origin",
            ),
        ],
        b"",
    );
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("content-type, authorization, commonground-origin")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert_eq!(r.header("vary"), Some("Origin"));

    let answer = post(s.addr(), Some(ORIGIN), None, LOGIN, json!({}));
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://widget.example")
    );
    assert_eq!(answer.header("content-type"), Some("application/json"));
}

#[test]
fn origin_header_must_name_a_configured_store() {
    let s = server();
    let forbidden = json!({"data":null,"errors":[{"message":"Unknown store origin","extensions":{"code":"FORBIDDEN"}}]});
    for origin in [
        None,
        Some("www.other-store.com"),
        Some("https://www.my-vinyl-store.com"),
    ] {
        let r = post(
            s.addr(),
            origin,
            None,
            INVENTORY,
            json!({ "filters": {}, "pagination": { "page": 1, "limit": 1 } }),
        );
        assert_eq!(r.status, 200);
        assert_eq!(
            serde_json::from_slice::<Value>(&r.body).unwrap(),
            forbidden,
            "origin {origin:?}"
        );
    }
    let v = gql(
        s.addr(),
        None,
        INVENTORY,
        json!({ "filters": {}, "pagination": { "page": 1, "limit": 1 } }),
    );
    assert_eq!(
        v["data"]["inventoryItems"]["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn login_returns_a_session_with_a_fresh_jwt() {
    let s = server();
    let before = now_ms();
    let v = gql(
        s.addr(),
        None,
        LOGIN,
        json!({ "email": b64(EMAIL), "password": b64(PASSWORD) }),
    );
    let session = &v["data"]["login"]["session"];
    assert_eq!(
        session["user"],
        json!({"_id": "693af400000051c94884e0a4", "email": EMAIL, "firstName": "Ada", "lastName": "Lovelace"})
    );
    assert_eq!(v["data"]["login"]["sessionsCount"], 1);
    assert_eq!(session["_id"].as_str().unwrap().len(), 24);
    let expires = session["expires"].as_u64().unwrap();
    assert!(
        (before + 3_600_000..=now_ms() + 3_600_000).contains(&expires),
        "expires {expires}"
    );

    let jwt = session["jwt"].as_str().unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    for p in &parts {
        assert!(
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "base64url: {p}"
        );
    }
    let mut padded = parts[1].replace('-', "+").replace('_', "/");
    while padded.len() % 4 != 0 {
        padded.push('=');
    }
    let claims: Value = serde_json::from_slice(&base64::decode(&padded).unwrap()).unwrap();
    assert_eq!(claims["sub"], "693af400000051c94884e0a4");
    assert_eq!(claims["exp"], expires / 1000);

    // Another login: another token, two live sessions. Email case does not matter.
    let again = gql(
        s.addr(),
        None,
        LOGIN,
        json!({ "email": b64("Buyer@Example.com"), "password": b64(PASSWORD) }),
    );
    assert_ne!(
        again["data"]["login"]["session"]["jwt"].as_str().unwrap(),
        jwt
    );
    assert_eq!(again["data"]["login"]["sessionsCount"], 2);
}

#[test]
fn credentials_must_be_base64_and_right() {
    let s = server();
    let wrong = gql(
        s.addr(),
        None,
        LOGIN,
        json!({ "email": b64(EMAIL), "password": b64("Tr0ub4dor&3") }),
    );
    assert_eq!(
        wrong,
        json!({"data":{"login":null},"errors":[{"message":"Invalid email or password",
            "locations":[{"line":2,"column":3}],"path":["login"],"extensions":{"code":"UNAUTHENTICATED"}}]})
    );
    let unknown = gql(
        s.addr(),
        None,
        LOGIN,
        json!({ "email": b64("nobody@example.com"), "password": b64(PASSWORD) }),
    );
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");

    let not_encoded = json!({"data":{"login":null},"errors":[{"message":"email and password must be base64-encoded","extensions":{"code":"BAD_USER_INPUT"}}]});
    assert_eq!(
        brief(gql(
            s.addr(),
            None,
            LOGIN,
            json!({ "email": EMAIL, "password": PASSWORD })
        )),
        not_encoded
    );
    assert_eq!(
        brief(gql(
            s.addr(),
            None,
            LOGIN,
            json!({ "email": b64(EMAIL), "password": PASSWORD })
        )),
        not_encoded
    );
    // URL-safe / unpadded base64 is not what the API takes.
    let unpadded = b64(EMAIL).trim_end_matches('=').to_string();
    assert_ne!(unpadded, b64(EMAIL));
    assert_eq!(
        brief(gql(
            s.addr(),
            None,
            LOGIN,
            json!({ "email": unpadded, "password": b64(PASSWORD) })
        )),
        not_encoded
    );
    // A variable missing or of the wrong type: the request is refused.
    for vars in [
        json!({ "email": b64(EMAIL) }),
        json!({ "email": b64(EMAIL), "password": null }),
        json!({ "email": b64(EMAIL), "password": 12 }),
    ] {
        assert_eq!(
            refused(s.addr(), None, LOGIN, vars.clone()),
            (400, "BAD_USER_INPUT".into()),
            "{vars}"
        );
    }
}

#[test]
fn register_creates_an_account_once() {
    let s = server();
    let vars = json!({ "email": b64("new@example.com"), "password": b64("s3cret pass"), "firstName": "Grace", "lastName": "Hopper" });
    let v = gql(s.addr(), None, REGISTER, vars.clone());
    let reg = &v["data"]["register"];
    assert_eq!(reg["session"]["user"]["email"], "new@example.com");
    assert_eq!(reg["session"]["user"]["firstName"], "Grace");
    assert_eq!(reg["sessionsCount"], 1);
    assert_eq!(
        reg["session"]["jwt"].as_str().unwrap().split('.').count(),
        3
    );

    let dup = gql(s.addr(), None, REGISTER, vars);
    assert_eq!(
        brief(dup),
        json!({"data":{"register":null},"errors":[{"message":"Account already exists","extensions":{"code":"BAD_USER_INPUT"}}]})
    );
    let seeded = gql(
        s.addr(),
        None,
        REGISTER,
        json!({ "email": b64(EMAIL), "password": b64("x") }),
    );
    assert_eq!(seeded["errors"][0]["message"], "Account already exists");
    let plain = gql(
        s.addr(),
        None,
        REGISTER,
        json!({ "email": "x@example.com", "password": b64("x") }),
    );
    assert_eq!(
        plain["errors"][0]["message"],
        "email and password must be base64-encoded"
    );

    let new_login = json!({ "email": b64("new@example.com"), "password": b64("s3cret pass") });
    let logged = gql(s.addr(), None, LOGIN, new_login.clone());
    assert_eq!(
        logged["data"]["login"]["session"]["user"]["lastName"],
        "Hopper"
    );
    assert_eq!(logged["data"]["login"]["sessionsCount"], 2);

    // Reset forgets registered accounts but keeps the seeded one.
    assert_eq!(request(s.addr(), "POST", "/__reset", &[], b"").status, 204);
    assert_eq!(
        error_code(&gql(s.addr(), None, LOGIN, new_login)),
        "UNAUTHENTICATED"
    );
    login(s.addr());
}

#[test]
fn inventory_items_mirror_the_shop_feed_in_the_api_shape() {
    let s = server();
    let feed = feed(s.addr());
    let page = inventory(
        s.addr(),
        json!({}),
        json!({ "sort": "created", "order": 1, "page": 1, "limit": 100 }),
    );
    assert_eq!(all_items(s.addr(), json!({})).len(), 300);
    let full_data = full_data(s.addr());
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    let mut ids: Vec<u64> = feed.iter().map(|i| i["id"].as_u64().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(
        items
            .iter()
            .map(|i| i["id"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        ids[..100]
    );

    for item in items {
        // Exactly the selection: no field it did not ask for.
        let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["_id", "data", "id", "listings", "type", "uri"]);
        let source = feed.iter().find(|f| f["id"] == item["id"]).unwrap();
        assert_eq!(item["_id"].as_str().unwrap().len(), 24);
        assert_eq!(item["type"], source["type"]);
        assert_eq!(
            item["uri"],
            format!("https://{ORIGIN}{}", source["path"].as_str().unwrap())
        );
        let data = item["data"].as_object().unwrap();
        let mut keys: Vec<&String> = data.keys().collect();
        keys.sort();
        assert_eq!(keys, ["discogsId", "title"], "exactly the selection");
        let full = &full_data[&item["id"].as_u64().unwrap()];
        for field in [
            "title",
            "cat",
            "type",
            "manufacturer",
            "discogsId",
            "assetLink",
            "weight",
            "genres",
            "styles",
            "country",
            "releaseDate",
            "subtitle",
            "authors",
            "publisher",
            "publishedDate",
            "pageCount",
            "categories",
            "language",
            "format",
        ] {
            assert!(full.contains_key(field), "data.{field}");
        }
        assert_eq!(data["title"], source["data"]["title"]);
        if source["type"] == "ReleaseItem" {
            assert_eq!(data["discogsId"], source["data"]["discogsId"]);
            if let Some(year) = source["data"]["year"].as_i64() {
                let date = full["releaseDate"].as_i64().unwrap();
                assert_eq!(
                    cg_emulator::clock::civil_from_days(date / 86_400_000),
                    (year, 1, 1)
                );
            }
        }
        let listings = item["listings"].as_array().unwrap();
        assert_eq!(listings.len(), source["listings"].as_array().unwrap().len());
        for (l, src) in listings.iter().zip(source["listings"].as_array().unwrap()) {
            assert_eq!(l["id"], src["id"]);
            assert!(l["_id"].is_string() && l["available"].is_u64() && l["preOrder"].is_boolean());
            assert!(
                l["categories"].is_array()
                    && l["onePerCustomer"].is_boolean()
                    && l.get("comments").is_some()
            );
            assert_eq!(l["secondHand"], src["secondHand"]);
            assert_eq!(
                l.as_object().unwrap().len(),
                8,
                "the guide's 8 listing fields"
            );
        }
    }

    let last = inventory(s.addr(), json!({}), json!({ "page": 3, "limit": 100 }));
    assert_eq!(last["items"].as_array().unwrap().len(), 100);
    let beyond = inventory(s.addr(), json!({}), json!({ "page": 4, "limit": 100 }));
    assert_eq!(beyond["items"], json!([]));
    let desc = inventory(
        s.addr(),
        json!({}),
        json!({ "sort": "created", "order": -1, "page": 1, "limit": 1 }),
    );
    assert_eq!(desc["items"][0]["id"], *ids.last().unwrap());

    let too_many = gql(
        s.addr(),
        None,
        INVENTORY,
        json!({ "filters": {}, "pagination": { "page": 1, "limit": 101 } }),
    );
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
    assert_eq!(too_many["data"], json!({ "inventoryItems": null }));
    // A required variable missing, an undocumented input field, a wrong
    // type: refused before anything runs.
    for vars in [
        json!({ "pagination": { "page": 1, "limit": 5 } }),
        json!({ "filters": { "itemIds": [1] }, "pagination": { "limit": 5 } }),
        json!({ "filters": {}, "pagination": { "limit": "5" } }),
        json!({ "filters": {}, "pagination": { "order": 1.5 } }),
    ] {
        assert_eq!(
            refused(s.addr(), None, INVENTORY, vars.clone()),
            (400, "BAD_USER_INPUT".into()),
            "{vars}"
        );
    }
    // Fields the guide does not show cannot be asked for.
    for query in [
        "query { inventoryItems(filters: {}, pagination: {}) { items { id } pagination { count } } }",
        "query { inventoryItems(filters: {}, pagination: {}) { items { listings { id stock { quantity } } } } }",
        "query { inventoryItems(filters: {}, pagination: {}) { items { listings { prices { sale } } } } }",
        "query { inventoryItems(filters: { itemIds: [1] }, pagination: {}) { items { id } } }",
    ] {
        assert_eq!(
            refused(s.addr(), None, query, json!({})),
            (400, "GRAPHQL_VALIDATION_FAILED".into()),
            "{query}"
        );
    }
    assert_eq!(
        error_code(&gql(
            s.addr(),
            None,
            INVENTORY,
            json!({ "filters": {"stock": "yes"}, "pagination": { "limit": 5 } })
        )),
        "BAD_USER_INPUT"
    );
}

#[test]
fn the_in_stock_filter_follows_sold_out_listings() {
    let s = server();
    let feed = feed(s.addr());
    let with_listings = feed
        .iter()
        .filter(|i| !i["listings"].as_array().unwrap().is_empty())
        .count();
    let in_stock = all_items(s.addr(), json!({ "stock": "inStock" }));
    assert_eq!(
        in_stock.len(),
        with_listings,
        "items without listings are not in stock"
    );
    assert_eq!(
        all_items(s.addr(), json!({ "stock": "all" })).len(),
        feed.len()
    );

    // One item with a single listing, one with two.
    let single = feed
        .iter()
        .find(|i| i["listings"].as_array().unwrap().len() == 1)
        .unwrap();
    let double = feed
        .iter()
        .find(|i| i["listings"].as_array().unwrap().len() == 2)
        .unwrap();
    let gone = [
        single["listings"][0]["id"].as_u64().unwrap(),
        double["listings"][1]["id"].as_u64().unwrap(),
    ];
    for id in gone {
        let r = request(
            s.addr(),
            "POST",
            &format!("/__graphql/sold-out/{id}"),
            &[],
            b"",
        );
        assert_eq!(
            (r.status, r.text()),
            (200, format!(r#"{{"soldOut":{id}}}"#))
        );
    }
    let after = all_items(s.addr(), json!({ "stock": "inStock" }));
    assert_eq!(after.len(), with_listings - 1);
    assert!(!after.iter().any(|i| i["id"] == single["id"]));
    let remaining = after.iter().find(|i| i["id"] == double["id"]).unwrap()["listings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0]["id"], double["listings"][0]["id"]);
    // Without the stock filter the sold-out listing is still listed.
    let all = all_items(s.addr(), json!({}));
    let listed = all.iter().find(|i| i["id"] == single["id"]).unwrap();
    assert_eq!(listed["listings"][0]["id"], gone[0]);
}

#[test]
fn checkout_flow() {
    let s = server();
    let unauthenticated = json!({"data":null,"errors":[{"message":"Session expired or invalid","extensions":{"code":"UNAUTHENTICATED"}}]});
    assert_eq!(
        brief(gql(s.addr(), None, CREATE, json!({}))),
        unauthenticated
    );
    assert_eq!(
        brief(gql(s.addr(), Some("not-a-token"), CREATE, json!({}))),
        unauthenticated
    );

    let jwt = login(s.addr());
    let before = now_ms();
    let created = gql(s.addr(), Some(&jwt), CREATE, json!({}))["data"]["checkoutCreate"].clone();
    let id = created["id"].as_str().unwrap().to_string();
    let b = id.as_bytes();
    assert!(
        b.len() == 9
            && b[..3].iter().all(u8::is_ascii_lowercase)
            && b[3] == b'-'
            && b[4..].iter().all(u8::is_ascii_alphanumeric),
        "{id}"
    );
    assert_eq!(created["status"], "open");
    assert_eq!(created["origin"], "Online");
    assert_eq!(
        (
            created["orderId"].clone(),
            created["message"].clone(),
            created["useSingleAddress"].clone()
        ),
        (Value::Null, Value::Null, json!(true))
    );
    let c = created["created"].as_u64().unwrap();
    assert!(c >= before && created["updated"] == created["created"]);
    assert_eq!(created["expires"].as_u64().unwrap() - c, 31 * 86_400_000);
    let other =
        gql(s.addr(), Some(&jwt), CREATE, json!({}))["data"]["checkoutCreate"]["id"].clone();
    assert_ne!(other, created["id"]);

    // A listing tracked with stock 1, and one with more (stock is in the
    // feed; the API's listings do not show it).
    let one_each: Vec<u64> = all_items(s.addr(), json!({}))
        .iter()
        .flat_map(|i| i["listings"].as_array().unwrap().clone())
        .filter(|l| l["onePerCustomer"] == true)
        .map(|l| l["id"].as_u64().unwrap())
        .collect();
    let listings: Vec<Value> = feed(s.addr())
        .iter()
        .flat_map(|i| i["listings"].as_array().unwrap().clone())
        .filter(|l| !one_each.contains(&l["id"].as_u64().unwrap()))
        .collect();
    let one = listings
        .iter()
        .find(|l| l["stock"]["quantity"] == 1)
        .unwrap();
    let lid = one["id"].as_u64().unwrap();
    let one_id = feed(s.addr())
        .iter()
        .find(|i| {
            i["listings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["id"] == lid)
        })
        .map(|i| i["id"].as_u64().unwrap())
        .unwrap();
    let one_oid = all_items(s.addr(), json!({}))
        .iter()
        .find(|i| i["id"] == one_id)
        .unwrap()["listings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == lid)
        .unwrap()["_id"]
        .clone();

    // One line sent to the checkout.
    let add = |listing: Value, quantity: u64| {
        gql(
            s.addr(),
            Some(&jwt),
            UPDATE,
            json!({ "id": id, "items": [{ "listingId": listing, "quantity": quantity }] }),
        )
    };
    std::thread::sleep(Duration::from_millis(5));
    let updated = add(json!(lid), 1);
    let u = &updated["data"]["checkoutUpdateItems"];
    assert_eq!(u["id"], id.as_str());
    assert!(
        u.get("items").is_none(),
        "the guide's checkout has no items field"
    );
    assert_eq!(
        checkout_items(s.addr(), &id),
        json!([{ "listingId": lid, "quantity": 1 }])
    );
    assert!(u["updated"].as_u64().unwrap() > c);
    assert_eq!(
        u["expires"].as_u64().unwrap() - u["updated"].as_u64().unwrap(),
        31 * 86_400_000
    );

    // Items are added, as the spec says: the same listing again adds to its quantity.
    let roomy = listings
        .iter()
        .find(|l| l["stock"]["quantity"].as_u64().is_some_and(|q| q >= 2))
        .unwrap();
    let roomy_id = roomy["id"].as_u64().unwrap();
    for expected in [1, 2] {
        let r = add(json!(roomy_id), 1);
        assert!(r.get("errors").is_none(), "{r}");
        assert_eq!(
            checkout_items(s.addr(), &id),
            json!([{ "listingId": lid, "quantity": 1 }, { "listingId": roomy_id, "quantity": expected }])
        );
    }
    let past_stock = add(json!(lid), 1);
    assert_eq!(
        past_stock["errors"][0]["extensions"]["available"], 1,
        "1 held plus 1 more is past a stock of 1"
    );

    let bad_id = json!({"data":{"checkoutUpdateItems":null},"errors":[{"message":"listingId must be the numeric listing id","extensions":{"code":"BAD_USER_INPUT"}}]});
    for listing_id in [
        json!(lid.to_string()),
        json!(lid as f64 + 0.5),
        one_oid.clone(),
    ] {
        let r = add(listing_id.clone(), 1);
        assert_eq!(brief(r), bad_id, "listingId {listing_id}");
    }
    // Input the schema refuses: a null listingId, no quantity, a
    // quantity beyond Int, an undocumented input field, no checkout id.
    for vars in [
        json!({ "id": id, "items": [{ "listingId": null, "quantity": 1 }] }),
        json!({ "id": id, "items": [{ "listingId": lid }] }),
        json!({ "id": id, "items": [{ "listingId": lid, "quantity": 1u64 << 40 }] }),
        json!({ "id": id, "items": [{ "listingId": lid, "quantity": 1, "price": 0 }] }),
        json!({ "items": [] }),
    ] {
        assert_eq!(
            refused(s.addr(), Some(&jwt), UPDATE, vars.clone()),
            (400, "BAD_USER_INPUT".into()),
            "{vars}"
        );
    }
    // The guide's checkout has no `items` field to read back.
    assert_eq!(
        refused(
            s.addr(),
            Some(&jwt),
            "mutation { checkoutCreate { id items { listingId } } }",
            json!({})
        ),
        (400, "GRAPHQL_VALIDATION_FAILED".into())
    );
    let too_many = add(json!(lid), 2);
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
    assert_eq!(too_many["errors"][0]["extensions"]["available"], 1);
    let zero = add(json!(lid), 0);
    assert_eq!(error_code(&zero), "BAD_USER_INPUT");

    let nonexistent = add(json!(123), 1);
    assert_eq!(
        brief(nonexistent),
        json!({"data":{"checkoutUpdateItems":null},"errors":[{"message":"Listing 123 is no longer available","extensions":{"code":"LISTING_UNAVAILABLE","listingId":123}}]})
    );
    request(
        s.addr(),
        "POST",
        &format!("/__graphql/sold-out/{lid}"),
        &[],
        b"",
    );
    let sold = add(json!(lid), 1);
    assert_eq!(
        sold["errors"][0]["extensions"],
        json!({ "code": "LISTING_UNAVAILABLE", "listingId": lid })
    );
    assert_eq!(
        sold["errors"][0]["message"],
        format!("Listing {lid} is no longer available")
    );

    // Someone else's checkout, or an unknown one, is not found.
    let reg = gql(
        s.addr(),
        None,
        REGISTER,
        json!({ "email": b64("eve@example.com"), "password": b64("pw") }),
    );
    let eve = reg["data"]["register"]["session"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    for (token, checkout) in [(&eve, id.as_str()), (&jwt, "zzz-00000")] {
        let r = gql(
            s.addr(),
            Some(token),
            UPDATE,
            json!({ "id": checkout, "items": [] }),
        );
        assert_eq!(r["data"], json!({ "checkoutUpdateItems": null }));
        assert_eq!(error_code(&r), "NOT_FOUND");
    }

    let state: Value = serde_json::from_slice(&get(s.addr(), "/__graphql/state").body).unwrap();
    assert_eq!(state["soldOut"], json!([lid]));
    let users = state["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert!(
        users.iter().all(|u| u.get("password").is_none()) && !state.to_string().contains(PASSWORD)
    );
    let stored = state["checkouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert_eq!(
        stored["items"],
        json!([{ "listingId": lid, "quantity": 1 }, { "listingId": roomy_id, "quantity": 2 }]),
        "failed updates add nothing"
    );
    assert_eq!(stored["userId"], "693af400000051c94884e0a4");
    assert_eq!(state["checkouts"].as_array().unwrap().len(), 2);

    request(s.addr(), "POST", "/__reset", &[], b"");
    let state: Value = serde_json::from_slice(&get(s.addr(), "/__graphql/state").body).unwrap();
    assert_eq!(
        (
            state["checkouts"].clone(),
            state["soldOut"].clone(),
            state["sessions"].clone()
        ),
        (json!([]), json!([]), json!([]))
    );
    assert_eq!(state["users"].as_array().unwrap().len(), 1);
    assert_eq!(
        brief(gql(s.addr(), Some(&jwt), CREATE, json!({}))),
        unauthenticated,
        "reset drops sessions"
    );
}

#[test]
fn sessions_expire_after_the_ttl_or_on_demand() {
    let s = start(Config {
        port: 0,
        shops: vec![(1234, 20)],
        session_ttl_ms: 300,
        ..Config::default()
    })
    .unwrap();
    let jwt = login(s.addr());
    assert!(
        gql(s.addr(), Some(&jwt), CREATE, json!({}))["data"]["checkoutCreate"]["id"].is_string()
    );
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        error_code(&gql(s.addr(), Some(&jwt), CREATE, json!({}))),
        "UNAUTHENTICATED"
    );

    let s = server();
    let jwt = login(s.addr());
    let r = request(s.addr(), "POST", "/__graphql/expire-sessions", &[], b"");
    assert_eq!((r.status, r.text()), (200, r#"{"expired":1}"#.to_string()));
    let v = gql(s.addr(), Some(&jwt), CREATE, json!({}));
    assert_eq!(v["errors"][0]["message"], "Session expired or invalid");
    let fresh = login(s.addr());
    assert!(gql(s.addr(), Some(&fresh), CREATE, json!({}))["data"]["checkoutCreate"].is_object());
    let count = gql(
        s.addr(),
        None,
        LOGIN,
        json!({ "email": b64(EMAIL), "password": b64(PASSWORD) }),
    )["data"]["login"]["sessionsCount"]
        .clone();
    assert_eq!(count, 2, "expired sessions are not counted");
}

#[test]
fn fail_next_answers_an_error_status_then_recovers() {
    let s = server();
    let r = request(
        s.addr(),
        "POST",
        "/__graphql/fail-next?status=503&count=2",
        &[],
        b"",
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&r.body).unwrap(),
        json!({ "failNext": { "status": 503, "hang": false, "count": 2 }, "operation": null })
    );
    for _ in 0..2 {
        let r = post(s.addr(), Some(ORIGIN), None, LOGIN, json!({}));
        assert_eq!(r.status, 503);
        assert!(
            serde_json::from_slice::<Value>(&r.body).is_err(),
            "not JSON: {}",
            r.text()
        );
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("http://widget.example")
        );
    }
    login(s.addr());
    assert_eq!(
        request(s.addr(), "POST", "/__graphql/fail-next?status=99", &[], b"").status,
        400
    );

    request(s.addr(), "POST", "/__graphql/fail-next?hang=1", &[], b"");
    let mut stream = connect(s.addr());
    stream
        .set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    let body = json!({ "query": LOGIN, "variables": {} }).to_string();
    send(
        &mut stream,
        "POST",
        "/graphql",
        &[
            ("Content-Type", "application/json"),
            ("commonground-origin", ORIGIN),
        ],
        body.as_bytes(),
    );
    let mut buf = [0u8; 16];
    let started = Instant::now();
    assert!(
        std::io::Read::read(&mut stream, &mut buf).is_err(),
        "no answer while hanging"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    drop(stream);
    login(s.addr());
    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    let graphql: Vec<&Value> = log.iter().filter(|e| e["path"] == "/graphql").collect();
    assert_eq!(
        graphql
            .iter()
            .map(|e| e["status"].clone())
            .collect::<Vec<_>>(),
        [json!(503), json!(503), json!(200), Value::Null, json!(200)]
    );
}

#[test]
fn fail_next_can_wait_for_one_operation() {
    let s = server();
    let r = request(
        s.addr(),
        "POST",
        "/__graphql/fail-next?status=502&operation=CheckoutCreate",
        &[],
        b"",
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&r.body).unwrap()["operation"],
        "CheckoutCreate"
    );
    let named = |name: &str, query: &str, jwt: Option<&str>| {
        let variables = json!({ "email": b64(EMAIL), "password": b64(PASSWORD) });
        let variables = if name == "Login" {
            variables
        } else {
            json!({})
        };
        let body =
            json!({ "operationName": name, "query": query, "variables": variables }).to_string();
        let bearer = jwt.map(|t| format!("Bearer {t}"));
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("commonground-origin", ORIGIN),
        ];
        headers.extend(bearer.as_deref().map(|b| ("Authorization", b)));
        request(s.addr(), "POST", "/graphql", &headers, body.as_bytes()).status
    };
    let jwt = login(s.addr());
    assert_eq!(
        named("Login", LOGIN, None),
        200,
        "another operation is answered"
    );
    assert_eq!(named("CheckoutCreate", CREATE, Some(&jwt)), 502);
    assert_eq!(named("CheckoutCreate", CREATE, Some(&jwt)), 200, "once");
}

#[test]
fn log_records_bodies_and_api_headers() {
    let s = server();
    let jwt = login(s.addr());
    gql(s.addr(), Some(&jwt), CREATE, json!({}));
    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0]["body"]["variables"],
        json!({ "email": b64(EMAIL), "password": b64(PASSWORD) })
    );
    assert!(log[0]["body"]["query"]
        .as_str()
        .unwrap()
        .contains("login(email: $email"));
    assert_eq!(log[0]["headers"]["commonground-origin"], ORIGIN);
    assert!(log[0]["headers"].get("authorization").is_none());
    assert_eq!(log[1]["headers"]["authorization"], format!("Bearer {jwt}"));
    assert_eq!(log[1]["body"]["variables"], json!({}));

    request(
        s.addr(),
        "POST",
        "/graphql",
        &[("Content-Type", "application/json")],
        b"{oops",
    );
    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    assert_eq!(log[2]["body"], "{oops");
    assert_eq!(log[2]["status"], 400);
    assert!(get(s.addr(), "/shops/1234/inventory.json").status == 200);
    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    assert!(
        log[3].get("body").is_none(),
        "only /graphql entries carry a body"
    );
}

#[test]
fn malformed_requests_are_rejected_like_a_graphql_server() {
    let s = server();
    let bad = |r: Response| {
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        (r.status, error_code(&v).to_string())
    };
    let q = json!({ "query": LOGIN }).to_string();
    assert_eq!(
        bad(request(
            s.addr(),
            "POST",
            "/graphql",
            &[("commonground-origin", ORIGIN)],
            q.as_bytes()
        )),
        (400, "BAD_REQUEST".into())
    );
    let json_ct = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("commonground-origin", ORIGIN),
    ];
    assert_eq!(
        bad(request(s.addr(), "POST", "/graphql", &json_ct, b"[1")),
        (400, "BAD_REQUEST".into())
    );
    assert_eq!(
        bad(request(
            s.addr(),
            "POST",
            "/graphql",
            &json_ct,
            br#"{"variables":{}}"#
        )),
        (400, "BAD_REQUEST".into())
    );
    let other = json!({ "query": "query { viewer { id } }" }).to_string();
    assert_eq!(
        bad(request(
            s.addr(),
            "POST",
            "/graphql",
            &json_ct,
            other.as_bytes()
        )),
        (400, "GRAPHQL_VALIDATION_FAILED".into())
    );
    assert_eq!(get(s.addr(), "/graphql").status, 405);
    // Aliases are honoured.
    let aliased = gql(s.addr(), None, "mutation($email: String!, $password: String!) { me: login(email: $email, password: $password) { sessionsCount } }", json!({ "email": b64(EMAIL), "password": b64(PASSWORD) }));
    assert_eq!(aliased["data"]["me"]["sessionsCount"], 1);
}

#[test]
fn each_origin_maps_to_its_own_shop() {
    let s = start(Config {
        port: 0,
        shops: vec![(1, 10), (2, 20)],
        origins: vec![
            ("one.example".into(), 1),
            ("two.example".into(), 2),
            ("empty.example".into(), 3),
        ],
        ..Config::default()
    })
    .unwrap();
    for (origin, count) in [
        ("one.example", 10),
        ("two.example", 20),
        ("empty.example", 0),
    ] {
        let r = post(
            s.addr(),
            Some(origin),
            None,
            INVENTORY,
            json!({ "filters": {}, "pagination": { "page": 1, "limit": 100 } }),
        );
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        let page = &v["data"]["inventoryItems"];
        assert_eq!(
            page["items"].as_array().map(Vec::len),
            Some(count),
            "{origin}"
        );
        if let Some(item) = page["items"].get(0) {
            assert!(item["uri"]
                .as_str()
                .unwrap()
                .starts_with(&format!("https://{origin}/")));
        }
    }
    assert_eq!(
        error_code(&gql(s.addr(), None, LOGIN, json!({}))),
        "FORBIDDEN",
        "the default origin is replaced"
    );

    // A checkout belongs to the store it was created at.
    let r = post(
        s.addr(),
        Some("one.example"),
        None,
        LOGIN,
        json!({ "email": b64(EMAIL), "password": b64(PASSWORD) }),
    );
    let jwt = serde_json::from_slice::<Value>(&r.body).unwrap()["data"]["login"]["session"]["jwt"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(s.addr(), Some("one.example"), Some(&jwt), CREATE, json!({}));
    let id =
        serde_json::from_slice::<Value>(&r.body).unwrap()["data"]["checkoutCreate"]["id"].clone();
    let r = post(
        s.addr(),
        Some("two.example"),
        Some(&jwt),
        UPDATE,
        json!({ "id": id, "items": [] }),
    );
    assert_eq!(
        error_code(&serde_json::from_slice(&r.body).unwrap()),
        "NOT_FOUND"
    );
    let r = post(
        s.addr(),
        Some("one.example"),
        Some(&jwt),
        UPDATE,
        json!({ "id": id, "items": [] }),
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&r.body).unwrap()["data"]["checkoutUpdateItems"]["id"],
        id
    );
}
