//! The `cg-emulator` binary: `generate` output and the `serve` startup line.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cg-emulator");

/// Starts `cg-emulator` with `args`, runs `check` against the address its
/// startup line gives, and stops the server whether or not `check` passes.
fn with_server(args: &[&str], check: impl FnOnce(SocketAddr) + std::panic::UnwindSafe) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("cg-emulator listening on http://")
        .map(str::to_string);
    let result = std::panic::catch_unwind(|| check(url.expect("startup line").parse().unwrap()));
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}

#[test]
fn generate_writes_a_json_feed_to_stdout() {
    let out = Command::new(BIN)
        .args([
            "generate",
            "--items",
            "30",
            "--seed",
            "4",
            "--image-base=http://x",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        cg_emulator::generate_feed(30, 4, "http://x")
    );
}

#[test]
fn bad_arguments_fail_with_usage() {
    let out = Command::new(BIN)
        .args(["generate", "--items", "many"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
    assert!(!Command::new(BIN)
        .arg("frobnicate")
        .output()
        .unwrap()
        .status
        .success());
    for bad in [
        ["--origin", "no-shop-id"],
        ["--origin", "=12"],
        ["--session-ttl-ms", "soon"],
        ["--removed-shop", "x"],
        ["--squarespace-items", "-1"],
    ] {
        let out = Command::new(BIN).arg("serve").args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn serve_maps_origins_to_shops() {
    with_server(
        &[
            "--port",
            "0",
            "--shop",
            "77=12",
            "--origin",
            "shop.example=77",
            "--origin=other.example=78",
            "--session-ttl-ms",
            "1000",
        ],
        |addr| {
            let query = r#"{"query":"query($f: InventoryFiltersInput!, $p: PaginationInput!) { inventoryItems(filters: $f, pagination: $p) { items { id } } }","variables":{"f":{},"p":{"page":1,"limit":50}}}"#;
            let ask = |origin: &str| {
                let headers = [
                    ("Content-Type", "application/json"),
                    ("commonground-origin", origin),
                ];
                let r = common::request(addr, "POST", "/graphql", &headers, query.as_bytes());
                serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()
            };
            let count = |origin: &str| {
                ask(origin)["data"]["inventoryItems"]["items"]
                    .as_array()
                    .map(Vec::len)
            };
            assert_eq!(count("shop.example"), Some(12));
            assert_eq!(count("other.example"), Some(0));
            assert_eq!(
                ask("www.my-vinyl-store.com")["errors"][0]["extensions"]["code"],
                "FORBIDDEN"
            );
        },
    );
}

#[test]
fn serve_prints_its_address_and_serves() {
    with_server(
        &["--port", "0", "--shop", "77=12", "--shop", "78=3"],
        |addr| {
            assert_eq!(addr.ip().to_string(), "127.0.0.1");
            let feed = common::get(addr, "/shops/77/inventory.json");
            assert_eq!(
                serde_json::from_slice::<Vec<serde_json::Value>>(&feed.body)
                    .unwrap()
                    .len(),
                12
            );
            assert_eq!(
                common::get(addr, "/shops/1234/inventory.json").status,
                404,
                "--shop replaces the default shop"
            );
        },
    );
}

#[test]
fn serve_shop_list_and_squarespace_flags() {
    with_server(
        &[
            "--port",
            "0",
            "--shop",
            "1=4",
            "--removed-shop",
            "2",
            "--missing-shop=3",
            "--partner-token",
            "pt",
            "--squarespace-key",
            "sk",
            "--squarespace-items",
            "60",
        ],
        |addr| {
            let json =
                |r: common::Response| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap();
            let list = json(common::request(
                addr,
                "GET",
                "/inventory/dumps/list",
                &[("Authorization", "Bearer pt")],
                b"",
            ));
            assert_eq!(
                (
                    list["shops"][0]["id"].as_u64(),
                    list["shops"][1]["id"].as_u64()
                ),
                (Some(1), Some(3))
            );
            assert_eq!(list["toRemove"][0]["id"], 2);
            assert_eq!(common::get(addr, "/shops/3/inventory.json").status, 404);
            assert_eq!(common::get(addr, "/shops/2/inventory.json").status, 200);
            let inv = "/squarespace/1.0/commerce/inventory";
            let first = json(common::request(
                addr,
                "GET",
                inv,
                &[("Authorization", "Bearer sk")],
                b"",
            ));
            let cursor = first["pagination"]["nextPageCursor"]
                .as_str()
                .unwrap()
                .to_string();
            let second = json(common::get(
                addr,
                &format!("/proxy/squarespace/inventory?cursor={cursor}"),
            ));
            assert_eq!(second["inventory"].as_array().unwrap().len(), 10);
        },
    );
}
