//! The emulator over real sockets (127.0.0.1 only): headers, conditional
//! GET, gzip, CORS, custom feeds, fault injection and the request log.

mod common;

use cg_emulator::server::{start, Config, ServerHandle};
use common::*;
use flate2::read::GzDecoder;
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::time::{Duration, Instant, SystemTime};

const FEED: &str = "/shops/1234/inventory.json";

fn server() -> ServerHandle {
    start(Config {
        port: 0,
        shops: vec![(1234, 200)],
        seed: 5,
        ..Config::default()
    })
    .expect("server starts")
}

#[test]
fn shop_feed_is_served_with_cache_and_cors_headers() {
    let s = server();
    let r = get(s.addr(), FEED);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("Last-Modified, Content-Length, Content-Encoding")
    );
    assert_eq!(r.content_length(), Some(r.body.len()));
    let last_modified = httpdate::parse_http_date(r.header("last-modified").unwrap()).unwrap();
    assert!(last_modified <= SystemTime::now());

    let items: Vec<Value> = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(items.len(), 200);
    let image_prefix = format!("{}/img/", s.url());
    assert!(
        r.text().contains(&image_prefix),
        "images point back at the emulator"
    );

    // The advertised image URL is served as a PNG, as real covers are raster images.
    let image = items
        .iter()
        .find_map(|i| i["data"]["images"][0].as_str())
        .unwrap();
    let img = get(s.addr(), image.strip_prefix(s.url()).unwrap());
    assert_eq!(
        (img.status, img.header("content-type")),
        (200, Some("image/png"))
    );
    assert!(img.body.starts_with(b"\x89PNG"));
    // Logos and older URLs are still served as SVG.
    let logo = get(s.addr(), "/img/logo-1.svg");
    assert_eq!(
        (logo.status, logo.header("content-type")),
        (200, Some("image/svg+xml"))
    );

    // Another shop id is not registered.
    let missing = get(s.addr(), "/shops/4321/inventory.json");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.text(), r#"{"error":"shop not found"}"#);
    assert_eq!(missing.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn if_modified_since_revalidates() {
    let s = server();
    let first = get(s.addr(), FEED);
    let lm = first.header("last-modified").unwrap().to_string();
    let again = request(s.addr(), "GET", FEED, &[("If-Modified-Since", &lm)], b"");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("access-control-allow-origin"), Some("*"));

    let older = httpdate::parse_http_date(&lm).unwrap() - Duration::from_secs(60);
    let stale = request(
        s.addr(),
        "GET",
        FEED,
        &[("If-Modified-Since", &httpdate::fmt_http_date(older))],
        b"",
    );
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body, first.body);
}

#[test]
fn gzip_round_trips_to_the_same_json() {
    let s = server();
    let plain = get(s.addr(), FEED);
    let gz = request(
        s.addr(),
        "GET",
        FEED,
        &[("Accept-Encoding", "gzip, deflate, br")],
        b"",
    );
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("vary"), Some("Accept-Encoding"));
    assert_eq!(gz.content_length(), Some(gz.body.len()));
    assert!(
        gz.body.len() < plain.body.len() / 2,
        "compressed is much smaller"
    );
    let mut decoded = Vec::new();
    GzDecoder::new(&gz.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);
}

#[test]
fn options_preflight_allows_everything() {
    let s = server();
    let r = request(
        s.addr(),
        "OPTIONS",
        FEED,
        &[
            ("Origin", "https://shop.example"),
            ("Access-Control-Request-Method", "GET"),
            (
                "Access-Control-Request-Headers",
                "authorization, commonground-origin",
            ),
        ],
        b"",
    );
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("authorization, commonground-origin")
    );
    assert_eq!(r.header("access-control-max-age"), Some("600"));
    assert!(r.body.is_empty());
}

#[test]
fn custom_feeds_store_any_bytes() {
    let s = server();
    let body: &[u8] = b"[{\"type\":\"ReleaseItem\",\"id\":1}] \xff\xfe not valid utf-8";
    let put = request(
        s.addr(),
        "PUT",
        "/__feeds/broken.json",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(put.status, 201);
    let r = get(s.addr(), "/feeds/broken.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("last-modified").is_some());

    // Same semantics as shop feeds: gzip and faults apply.
    let gz = request(
        s.addr(),
        "GET",
        "/feeds/broken.json",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    let mut decoded = Vec::new();
    GzDecoder::new(&gz.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, body);
    assert_eq!(
        get(s.addr(), "/feeds/broken.json?fault=status-502").status,
        502
    );

    assert_eq!(get(s.addr(), "/feeds/nothing-here").status, 404);
    let generated = get(s.addr(), "/feeds/gen/25.json");
    assert_eq!(
        serde_json::from_slice::<Vec<Value>>(&generated.body)
            .unwrap()
            .len(),
        25
    );
}

#[test]
fn large_upload_with_expect_continue() {
    let s = server();
    let body = vec![b'x'; 300_000];
    let mut stream = connect(s.addr());
    let head = format!(
        "PUT /__feeds/big HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut r = BufReader::new(stream.try_clone().unwrap());
    let (interim, _) = read_head(&mut r);
    assert_eq!(interim, 100);
    stream.write_all(&body).unwrap();
    let (status, _) = read_head(&mut r);
    assert_eq!(status, 201);
    assert_eq!(get(s.addr(), "/feeds/big").body.len(), body.len());
}

#[test]
fn fault_status_not_json_and_no_cors() {
    let s = server();
    let r = get(s.addr(), &format!("{FEED}?fault=status-500"));
    assert_eq!(r.status, 500);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("*"),
        "errors stay readable cross-origin"
    );

    let r = get(s.addr(), &format!("{FEED}?fault=not-json"));
    assert_eq!((r.status, r.text().as_str()), (200, "<html>oops</html>"));

    let r = get(s.addr(), &format!("{FEED}?fault=no-cors"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), None);

    assert_eq!(get(s.addr(), &format!("{FEED}?fault=nonsense")).status, 400);
}

#[test]
fn fault_truncate_sends_less_than_content_length() {
    let s = server();
    let full = get(s.addr(), FEED).body;
    let r = request(
        s.addr(),
        "GET",
        &format!("{FEED}?fault=truncate"),
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), None, "truncate never gzips");
    assert_eq!(r.content_length(), Some(full.len()));
    assert_eq!(r.body.len(), full.len() / 2);
    assert_eq!(r.body, &full[..full.len() / 2]);
}

#[test]
fn fault_delay_does_not_block_other_requests() {
    let s = server();
    get(s.addr(), FEED); // warm the cache
    let addr = s.addr();
    let started = Instant::now();
    let slow = std::thread::spawn(move || get(addr, &format!("{FEED}?fault=delay-700")));
    std::thread::sleep(Duration::from_millis(100));
    let quick_start = Instant::now();
    assert_eq!(get(s.addr(), FEED).status, 200);
    assert!(
        quick_start.elapsed() < Duration::from_millis(600),
        "served while the delayed request waits"
    );
    let delayed = slow.join().unwrap();
    assert_eq!(delayed.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(700));
}

#[test]
fn fault_slow_still_delivers_everything() {
    let s = server();
    let full = get(s.addr(), FEED).body;
    let started = Instant::now();
    let r = request(
        s.addr(),
        "GET",
        &format!("{FEED}?fault=slow"),
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, full);
    let pauses = full.len().div_ceil(16 * 1024) - 1;
    assert!(started.elapsed() >= Duration::from_millis(50 * pauses as u64));
}

#[test]
fn fault_hang_holds_the_request_until_the_client_leaves() {
    let s = server();
    let mut stream = connect(s.addr());
    stream
        .set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    send(&mut stream, "GET", &format!("{FEED}?fault=hang"), &[], b"");
    let mut buf = [0u8; 16];
    let err = stream
        .read(&mut buf)
        .expect_err("no response while hanging");
    assert!(matches!(
        err.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
    // Other requests are unaffected, and shutdown does not wait for the hang.
    assert_eq!(get(s.addr(), FEED).status, 200);
    drop(stream);
    let t = Instant::now();
    s.shutdown();
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn keep_alive_serves_several_requests_per_connection() {
    let s = server();
    let mut stream = connect(s.addr());
    let mut r = BufReader::new(stream.try_clone().unwrap());
    send(&mut stream, "GET", FEED, &[], b"");
    let first = read_response(&mut r, false);
    send(&mut stream, "HEAD", FEED, &[], b"");
    let head = read_response(&mut r, true);
    send(&mut stream, "GET", "/img/1.svg", &[], b"");
    let img = read_response(&mut r, false);
    assert_eq!((first.status, head.status, img.status), (200, 200, 200));
    assert_eq!(head.content_length(), Some(first.body.len()));
}

#[test]
fn malformed_requests_get_400() {
    let s = server();
    let mut stream = connect(s.addr());
    stream.write_all(b"NONSENSE\r\n\r\n").unwrap();
    let mut r = BufReader::new(stream);
    let (status, _) = read_head(&mut r);
    assert_eq!(status, 400);
}

#[test]
fn request_log_records_requests() {
    let s = server();
    let lm = httpdate::fmt_http_date(SystemTime::now());
    request(
        s.addr(),
        "GET",
        FEED,
        &[
            ("Origin", "https://shop.example"),
            ("Accept-Encoding", "gzip"),
            ("If-Modified-Since", &lm),
            ("Authorization", "Bearer t0ken"),
            ("CommonGround-Origin", "https://shop.example"),
            ("X-Not-Logged", "1"),
        ],
        b"",
    );
    get(s.addr(), &format!("{FEED}?fault=status-503"));
    request(
        s.addr(),
        "PUT",
        "/__feeds/x",
        &[("Content-Type", "application/json")],
        b"[]",
    );

    let log: Vec<Value> = serde_json::from_slice(&get(s.addr(), "/__log").body).unwrap();
    assert_eq!(
        log.len(),
        3,
        "the /__log request itself is not logged: {log:?}"
    );
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], FEED);
    assert_eq!(log[0]["status"], 304);
    let headers = &log[0]["headers"];
    assert_eq!(headers["origin"], "https://shop.example");
    assert_eq!(headers["authorization"], "Bearer t0ken");
    assert_eq!(headers["commonground-origin"], "https://shop.example");
    assert_eq!(headers["accept-encoding"], "gzip");
    assert_eq!(headers["if-modified-since"], lm.as_str());
    assert!(headers.get("x-not-logged").is_none());
    assert_eq!(log[1]["path"], format!("{FEED}?fault=status-503"));
    assert_eq!(log[1]["status"], 503);
    assert_eq!(
        (
            log[2]["method"].as_str(),
            log[2]["headers"]["content-type"].as_str()
        ),
        (Some("PUT"), Some("application/json"))
    );

    assert_eq!(request(s.addr(), "POST", "/__reset", &[], b"").status, 204);
    assert_eq!(get(s.addr(), "/__log").text(), "[]");
    assert_eq!(
        get(s.addr(), "/feeds/x").status,
        404,
        "reset also drops stored feeds"
    );
}
