//! The request log tests read at `GET /__log`: one entry per request
//! with the headers that matter to them, oldest dropped first.

use super::reply::{Delivery, Reply};
use super::state::{lock, State};
use crate::http::Request;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

/// Request-log entries kept (oldest dropped first).
const MAX_LOG: usize = 20_000;
/// Request headers copied into the request log.
const LOGGED_HEADERS: &[&str] = &[
    "origin",
    "if-modified-since",
    "accept-encoding",
    "authorization",
    "content-type",
    "commonground-origin",
    "referer",
];

impl State {
    pub(super) fn record(&self, req: &Request, reply: &Reply) {
        let headers: serde_json::Map<String, Value> = LOGGED_HEADERS
            .iter()
            .filter_map(|h| req.header(h).map(|v| (h.to_string(), Value::from(v))))
            .collect();
        let mut entry = json!({
            "seq": self.log_seq.fetch_add(1, Ordering::Relaxed),
            "method": req.method,
            "path": req.target,
            "headers": headers,
            // A hanging request never gets a status.
            "status": (reply.delivery != Delivery::Hang).then_some(reply.status),
        });
        if req.path() == "/graphql" && req.method != "OPTIONS" {
            // Tests assert the variables the client sent (JSON when it is
            // JSON, else the text as received).
            entry["body"] = serde_json::from_slice(&req.body)
                .unwrap_or_else(|_| Value::from(String::from_utf8_lossy(&req.body).into_owned()));
        }
        let mut log = lock(&self.log);
        if log.len() >= MAX_LOG {
            log.pop_front();
        }
        log.push_back(entry);
    }

    pub(super) fn log_reply(&self) -> Reply {
        let entries: Vec<Value> = lock(&self.log).iter().cloned().collect();
        Reply::json(200, &Value::Array(entries)).header("Cache-Control", "no-store")
    }
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn log_skips_control_endpoints() {
        let s = state();
        s.handle(
            &get("/shops/7/inventory.json")
                .with_header("Origin", "https://shop.example")
                .with_header("X-Other", "1"),
        );
        s.handle(&get("/__log"));
        s.handle(
            &Request::new("PUT", "/__feeds/a").with_header("Content-Type", "application/json"),
        );
        let log: Vec<Value> = serde_json::from_slice(&s.handle(&get("/__log")).body).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0]["path"], "/shops/7/inventory.json");
        assert_eq!(log[0]["headers"], json!({"origin": "https://shop.example"}));
        assert_eq!(log[0]["status"], 200);
        assert_eq!(log[1]["method"], "PUT");
        s.handle(&Request::new("POST", "/__reset"));
        assert_eq!(&s.handle(&get("/__log")).body[..], b"[]");
    }
}
