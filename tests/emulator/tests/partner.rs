//! The partner shop list over real sockets: the token-gated real endpoint,
//! the partner's CORS proxy, removed and missing shops, storefront links.

mod common;

use cg_emulator::server::{start, Config, ServerHandle};
use common::*;
use flate2::read::GzDecoder;
use serde_json::{json, Value};
use std::io::Read;
use std::time::{Duration, UNIX_EPOCH};

fn server() -> ServerHandle {
    start(Config {
        port: 0,
        shops: vec![(1234, 50), (7, 10), (8, 5)],
        removed_shops: vec![99, 8],
        missing_shops: vec![55],
        ..Config::default()
    })
    .expect("server starts")
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}

#[test]
fn real_endpoint_needs_the_partner_token_and_has_no_cors() {
    let s = server();
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("partner-secret-token"),
        Some("Basic partner-secret-token"),
    ] {
        let headers: Vec<(&str, &str)> =
            auth.map(|a| vec![("Authorization", a)]).unwrap_or_default();
        let r = request(s.addr(), "GET", "/inventory/dumps/list", &headers, b"");
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(json_of(&r), json!({ "error": "unauthorized" }));
        assert_eq!(r.header("access-control-allow-origin"), None);
    }
    let r = request(
        s.addr(),
        "GET",
        "/inventory/dumps/list",
        &[("Authorization", "Bearer partner-secret-token")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "a browser must not be able to read it"
    );
    let proxied = get(s.addr(), "/partner/shops.json");
    assert_eq!(json_of(&r), json_of(&proxied));

    let custom = start(Config {
        port: 0,
        partner_token: "t0k".into(),
        ..Config::default()
    })
    .unwrap();
    assert_eq!(
        request(
            custom.addr(),
            "GET",
            "/inventory/dumps/list",
            &[("Authorization", "Bearer t0k")],
            b""
        )
        .status,
        200
    );
    assert_eq!(
        request(
            custom.addr(),
            "GET",
            "/inventory/dumps/list",
            &[("Authorization", "Bearer partner-secret-token")],
            b""
        )
        .status,
        401
    );
}

#[test]
fn shop_list_entries() {
    let s = server();
    let r = get(s.addr(), "/partner/shops.json");
    assert_eq!(r.status, 200);
    let list = json_of(&r);
    let ids = |key: &str| {
        list[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("shops"), [1234, 7, 55]);
    assert_eq!(ids("toRemove"), [99, 8]);

    let port = s.addr().port();
    let last_modified = httpdate::parse_http_date(r.header("last-modified").unwrap()).unwrap();
    let ms = last_modified.duration_since(UNIX_EPOCH).unwrap().as_secs() * 1000;
    let days = (ms / 86_400_000) as i64;
    let (y, m, d) = cg_emulator::clock::civil_from_days(days);
    let secs = ms / 1000 % 86_400;
    let iso = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    );

    let first = &list["shops"][0];
    assert_eq!(
        first,
        &json!({
            "id": 1234,
            "shopName": "Shop 1234 Records",
            "key": "shops/1234/inventory.json",
            "date": iso,
            "uri": format!("http://localhost:{port}/store/1234"),
            "logo": format!("http://localhost:{port}/img/logo-1234.svg"),
            "alpha2": "GB",
            "geoLoc": first["geoLoc"],
            "pickup": true,
        })
    );
    let all: Vec<&Value> = list["shops"]
        .as_array()
        .unwrap()
        .iter()
        .chain(list["toRemove"].as_array().unwrap())
        .collect();
    let alpha2: Vec<&str> = all.iter().map(|e| e["alpha2"].as_str().unwrap()).collect();
    assert_eq!(alpha2, ["GB", "FR", "DE", "US", "JP"]);
    let pickup: Vec<bool> = all.iter().map(|e| e["pickup"].as_bool().unwrap()).collect();
    assert_eq!(pickup, [true, false, true, false, true]);
    let mut locs = Vec::new();
    for e in &all {
        let (lon, lat) = (
            e["geoLoc"][0].as_f64().unwrap(),
            e["geoLoc"][1].as_f64().unwrap(),
        );
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        locs.push(e["geoLoc"].to_string());
    }
    locs.sort();
    locs.dedup();
    assert_eq!(locs.len(), all.len(), "geoLoc distinct per shop");
    // Removed shops keep the same entry shape.
    assert_eq!(
        all[3].as_object().unwrap().keys().collect::<Vec<_>>(),
        first.as_object().unwrap().keys().collect::<Vec<_>>()
    );

    // Keys resolve on the emulator: removed shops' feeds still served
    // (a --shop count, else 100 items), missing shops' feeds 404.
    let count = |id: u64| {
        let r = get(s.addr(), &format!("/shops/{id}/inventory.json"));
        (r.status == 200).then(|| serde_json::from_slice::<Vec<Value>>(&r.body).unwrap().len())
    };
    assert_eq!(
        [count(1234), count(7), count(55), count(99), count(8)],
        [Some(50), Some(10), None, Some(100), Some(5)]
    );

    // Logos and storefront links work (on 127.0.0.1 as on localhost).
    let logo = get(s.addr(), "/img/logo-1234.svg");
    assert_eq!(
        (logo.status, logo.header("content-type")),
        (200, Some("image/svg+xml"))
    );
    let feed: Vec<Value> =
        serde_json::from_slice(&get(s.addr(), "/shops/1234/inventory.json").body).unwrap();
    let path = feed[0]["path"].as_str().unwrap();
    let page = get(s.addr(), &format!("/store/1234{path}"));
    assert_eq!(
        (page.status, page.header("content-type")),
        (200, Some("text/html; charset=utf-8"))
    );
    assert!(page.text().contains("Shop 1234 Records"));
    assert!(!get(s.addr(), "/store/1234/<script>")
        .text()
        .contains("<script>"));
}

#[test]
fn proxy_behaves_like_a_feed() {
    let s = server();
    let r = request(
        s.addr(),
        "GET",
        "/partner/shops.json",
        &[("Origin", "https://shop.example")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let lm = r.header("last-modified").unwrap().to_string();
    let again = request(
        s.addr(),
        "GET",
        "/partner/shops.json",
        &[("If-Modified-Since", &lm)],
        b"",
    );
    assert_eq!((again.status, again.body.len()), (304, 0));
    let older =
        httpdate::fmt_http_date(httpdate::parse_http_date(&lm).unwrap() - Duration::from_secs(1));
    assert_eq!(
        request(
            s.addr(),
            "GET",
            "/partner/shops.json",
            &[("If-Modified-Since", &older)],
            b""
        )
        .status,
        200
    );

    let gz = request(
        s.addr(),
        "GET",
        "/partner/shops.json",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    let mut plain = Vec::new();
    GzDecoder::new(&gz.body[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, r.body);

    assert_eq!(
        get(s.addr(), "/partner/shops.json?fault=status-503").status,
        503
    );
    assert_eq!(
        get(s.addr(), "/partner/shops.json?fault=not-json").text(),
        "<html>oops</html>"
    );
    assert_eq!(
        get(s.addr(), "/partner/shops.json?fault=no-cors").header("access-control-allow-origin"),
        None
    );
    let cut = get(s.addr(), "/partner/shops.json?fault=truncate");
    assert_eq!(cut.body.len(), r.body.len() / 2);
    assert_eq!(
        request(s.addr(), "POST", "/partner/shops.json", &[], b"").status,
        405
    );

    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    assert!(
        log.iter()
            .all(|e| e["headers"].get("authorization").is_none()),
        "the proxy needs no token"
    );
}

#[test]
fn default_list_has_the_default_shop() {
    let s = start(Config {
        port: 0,
        shops: vec![(1234, 5)],
        ..Config::default()
    })
    .unwrap();
    let list = json_of(&get(s.addr(), "/partner/shops.json"));
    assert_eq!(list["shops"].as_array().unwrap().len(), 1);
    assert_eq!(list["toRemove"], json!([]));
}
