//! The Squarespace-style inventory over real sockets: the key-gated real
//! endpoint, the partner's proxy, cursors, and the paging faults.

mod common;

use cg_emulator::server::{start, Config, ServerHandle};
use common::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

const REAL: &str = "/squarespace/1.0/commerce/inventory";
const PROXY: &str = "/proxy/squarespace/inventory";

fn server() -> ServerHandle {
    start(Config {
        port: 0,
        ..Config::default()
    })
    .expect("server starts")
}

fn json_of(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}

fn invalid_cursor() -> Value {
    json!({"type":"INVALID_REQUEST_ERROR","subtype":null,"message":"The value contained in the cursor parameter is invalid."})
}

fn page(s: &ServerHandle, cursor: Option<&str>) -> Response {
    match cursor {
        None => get(s.addr(), PROXY),
        Some(c) => get(s.addr(), &format!("{PROXY}?cursor={c}")),
    }
}

fn next_cursor(v: &Value) -> Option<String> {
    v["pagination"]["nextPageCursor"]
        .as_str()
        .map(str::to_string)
}

/// Follows cursors from the first page; returns every page's JSON.
fn walk(s: &ServerHandle, limit: usize) -> Vec<Value> {
    let mut pages = vec![json_of(&page(s, None))];
    while let Some(c) = next_cursor(pages.last().unwrap()) {
        assert!(pages.len() < limit, "more than {limit} pages");
        let r = page(s, Some(&c));
        assert_eq!(r.status, 200, "{}", r.text());
        pages.push(json_of(&r));
    }
    pages
}

#[test]
fn real_endpoint_needs_the_secret_key() {
    let s = server();
    for auth in [None, Some("Bearer nope"), Some("squarespace-secret-key")] {
        let headers: Vec<(&str, &str)> =
            auth.map(|a| vec![("Authorization", a)]).unwrap_or_default();
        let r = request(s.addr(), "GET", REAL, &headers, b"");
        assert_eq!(r.status, 401);
        assert_eq!(json_of(&r)["type"], "AUTHORIZATION_ERROR");
        assert_eq!(r.header("access-control-allow-origin"), None);
    }
    let auth = [("Authorization", "Bearer squarespace-secret-key")];
    let first = request(s.addr(), "GET", REAL, &auth, b"");
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("access-control-allow-origin"),
        None,
        "the key must stay server-side"
    );
    let v = json_of(&first);
    let cursor = next_cursor(&v).unwrap();
    assert_eq!(
        v["pagination"]["nextPageUrl"],
        format!("{}{REAL}?cursor={cursor}", s.url())
    );
    let second = json_of(&request(
        s.addr(),
        "GET",
        &format!("{REAL}?cursor={cursor}"),
        &auth,
        b"",
    ));
    assert_eq!(second["inventory"].as_array().unwrap().len(), 50);
    let bad = request(s.addr(), "GET", &format!("{REAL}?cursor=abc"), &auth, b"");
    assert_eq!((bad.status, json_of(&bad)), (400, invalid_cursor()));

    // Proxy and real endpoint serve the same pages and cursors.
    let proxied = json_of(&page(&s, None));
    assert_eq!(proxied["inventory"], v["inventory"]);
    assert_eq!(next_cursor(&proxied), Some(cursor));
}

#[test]
fn proxy_pages_through_the_whole_inventory_once() {
    let s = server();
    let pages = walk(&s, 10);
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["inventory"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(
        pages[2]["pagination"],
        json!({ "hasNextPage": false, "nextPageCursor": null, "nextPageUrl": null })
    );
    let c = next_cursor(&pages[0]).unwrap();
    assert_eq!(pages[0]["pagination"]["hasNextPage"], true);
    assert_eq!(
        pages[0]["pagination"]["nextPageUrl"],
        format!("{}{PROXY}?cursor={c}", s.url())
    );
    assert!(
        c.len() >= 16 && c.bytes().all(|b| b.is_ascii_hexdigit()),
        "opaque cursor {c}"
    );

    let variants: Vec<&Value> = pages
        .iter()
        .flat_map(|p| p["inventory"].as_array().unwrap())
        .collect();
    let ids: HashSet<&str> = variants
        .iter()
        .map(|v| v["variantId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 120);
    for v in &variants {
        assert!(
            v["sku"].is_string()
                && v["descriptor"].is_string()
                && v["isUnlimited"].is_boolean()
                && v["quantity"].is_u64()
        );
    }
    assert!(variants.iter().any(|v| v["isUnlimited"] == true));
    assert!(variants.iter().any(|v| v["quantity"] == 0));
    assert!(variants
        .iter()
        .any(|v| v["descriptor"].as_str().unwrap().contains(" – ")
            && v["descriptor"].as_str().unwrap().ends_with(']')));
    assert!(variants
        .iter()
        .any(|v| !v["descriptor"].as_str().unwrap().contains('[')));

    // Stable: the same walk gives the same pages.
    assert_eq!(walk(&s, 10), pages);

    let r = page(&s, None);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let bad = page(&s, Some("0123456789abcdef0123456789abcdef"));
    assert_eq!((bad.status, json_of(&bad)), (400, invalid_cursor()));
    assert_eq!(bad.header("access-control-allow-origin"), Some("*"));

    // The log shows each page's path and query, once per fetch.
    request(s.addr(), "POST", "/__reset", &[], b"");
    walk(&s, 10);
    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    let paths: Vec<&str> = log.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[0], PROXY);
    assert_eq!(
        paths[1],
        format!("{PROXY}?cursor={}", next_cursor(&pages[0]).unwrap())
    );
    assert_eq!(
        paths[2],
        format!("{PROXY}?cursor={}", next_cursor(&pages[1]).unwrap())
    );
}

#[test]
fn stale_cursor_invalidates_earlier_cursors_once() {
    let s = server();
    let first = json_of(&page(&s, None));
    let c1 = next_cursor(&first).unwrap();
    let r = request(s.addr(), "POST", "/__squarespace/stale-cursor", &[], b"");
    assert_eq!(json_of(&r)["staleCursorArmed"], true);
    // A request without a cursor does not trigger it.
    assert_eq!(json_of(&page(&s, None)), first);
    let stale = page(&s, Some(&c1));
    assert_eq!((stale.status, json_of(&stale)), (400, invalid_cursor()));
    let state = json_of(&get(s.addr(), "/__squarespace/state"));
    assert_eq!(
        (
            state["staleCursorArmed"].clone(),
            state["generation"].clone()
        ),
        (json!(false), json!(1))
    );
    // The old cursor stays invalid; a restart gets new cursors that work.
    assert_eq!(page(&s, Some(&c1)).status, 400);
    let pages = walk(&s, 10);
    assert_eq!(pages.len(), 3);
    assert_ne!(next_cursor(&pages[0]).unwrap(), c1);
    assert_eq!(pages[0]["inventory"], first["inventory"]);

    // As a query fault: every request with a cursor, nothing else.
    let c = next_cursor(&pages[0]).unwrap();
    assert_eq!(
        get(s.addr(), &format!("{PROXY}?fault=stale-cursor")).status,
        200
    );
    let r = get(s.addr(), &format!("{PROXY}?fault=stale-cursor&cursor={c}"));
    assert_eq!((r.status, json_of(&r)), (400, invalid_cursor()));
    assert_eq!(
        page(&s, Some(&c)).status,
        200,
        "the query fault invalidates nothing"
    );
}

#[test]
fn loop_points_the_last_page_back() {
    let s = server();
    let c1 = next_cursor(&json_of(&page(&s, None))).unwrap();
    let c2 = next_cursor(&json_of(&page(&s, Some(&c1)))).unwrap();
    assert_eq!(
        json_of(&page(&s, Some(&c2)))["pagination"]["hasNextPage"],
        false
    );
    request(s.addr(), "POST", "/__squarespace/loop", &[], b"");
    let last = json_of(&page(&s, Some(&c2)));
    assert_eq!(last["pagination"]["hasNextPage"], true);
    assert_eq!(next_cursor(&last), Some(c1.clone()));
    assert_eq!(
        last["pagination"]["nextPageUrl"],
        format!("{}{PROXY}?cursor={c1}", s.url())
    );
    // Only the proxy loops; the real endpoint does not.
    let real = request(
        s.addr(),
        "GET",
        &format!("{REAL}?cursor={c2}"),
        &[("Authorization", "Bearer squarespace-secret-key")],
        b"",
    );
    assert_eq!(json_of(&real)["pagination"]["hasNextPage"], false);

    request(s.addr(), "POST", "/__reset", &[], b"");
    assert_eq!(
        json_of(&page(&s, Some(&c2)))["pagination"]["hasNextPage"],
        false
    );
    let looped = json_of(&get(s.addr(), &format!("{PROXY}?cursor={c2}&fault=loop")));
    assert_eq!(next_cursor(&looped), Some(c1));
}

#[test]
fn fail_next_and_query_faults() {
    let s = server();
    let r = request(
        s.addr(),
        "POST",
        "/__squarespace/fail-next?status=502&count=2",
        &[],
        b"",
    );
    assert_eq!(
        json_of(&r),
        json!({ "failNext": { "status": 502, "hang": false, "count": 2 } })
    );
    for _ in 0..2 {
        let r = page(&s, None);
        assert_eq!(r.status, 502);
        assert!(serde_json::from_slice::<Value>(&r.body).is_err());
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(page(&s, None).status, 200);

    request(
        s.addr(),
        "POST",
        "/__squarespace/fail-next?hang=1",
        &[],
        b"",
    );
    let mut stream = connect(s.addr());
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    send(&mut stream, "GET", PROXY, &[], b"");
    assert!(
        std::io::Read::read(&mut stream, &mut [0u8; 8]).is_err(),
        "no answer while hanging"
    );
    drop(stream);
    assert_eq!(page(&s, None).status, 200);

    assert_eq!(
        get(s.addr(), &format!("{PROXY}?fault=status-500")).status,
        500
    );
    assert_eq!(
        get(s.addr(), &format!("{PROXY}?fault=no-cors")).header("access-control-allow-origin"),
        None
    );
    assert_eq!(
        get(s.addr(), &format!("{PROXY}?fault=not-json")).text(),
        "<html>oops</html>"
    );
    let full = page(&s, None).body;
    let cut = get(s.addr(), &format!("{PROXY}?fault=truncate"));
    assert_eq!(
        (cut.content_length(), cut.body.len()),
        (Some(full.len()), full.len() / 2)
    );
    assert_eq!(get(s.addr(), &format!("{PROXY}?fault=bogus")).status, 400);

    request(
        s.addr(),
        "POST",
        "/__squarespace/fail-next?count=5",
        &[],
        b"",
    );
    request(s.addr(), "POST", "/__squarespace/stale-cursor", &[], b"");
    request(s.addr(), "POST", "/__squarespace/loop", &[], b"");
    request(s.addr(), "POST", "/__reset", &[], b"");
    let state = json_of(&get(s.addr(), "/__squarespace/state"));
    assert_eq!(
        state,
        json!({ "items": 120, "pageSize": 50, "pages": 3, "generation": 0, "loop": false, "staleCursorArmed": false,
                "failNext": { "status": 500, "hang": false, "count": 0 } })
    );
    assert_eq!(page(&s, None).status, 200);
}

#[test]
fn inventory_size_is_configurable() {
    for (items, sizes) in [
        (0, vec![0]),
        (50, vec![50]),
        (100, vec![50, 50]),
        (101, vec![50, 50, 1]),
    ] {
        let s = start(Config {
            port: 0,
            squarespace_items: items,
            ..Config::default()
        })
        .unwrap();
        let pages = walk(&s, 10);
        let got: Vec<usize> = pages
            .iter()
            .map(|p| p["inventory"].as_array().unwrap().len())
            .collect();
        assert_eq!(got, sizes, "{items} items");
    }
    // A one-page inventory loops back to itself.
    let s = start(Config {
        port: 0,
        squarespace_items: 10,
        ..Config::default()
    })
    .unwrap();
    request(s.addr(), "POST", "/__squarespace/loop", &[], b"");
    let p = json_of(&page(&s, None));
    let c = next_cursor(&p).unwrap();
    assert_eq!(json_of(&page(&s, Some(&c)))["inventory"], p["inventory"]);
}
