//! What the router answers: a [`Reply`] describes a response (status,
//! headers, body, how it reaches the wire) without touching a socket.

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// How a reply's bytes go onto the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Headers and the whole body.
    Normal,
    /// Full Content-Length announced, half the body sent, then the
    /// connection is closed.
    Truncate,
    /// The body in 16 KiB steps with 50 ms pauses.
    Slow,
    /// Full Content-Length announced, half the body sent, then nothing more
    /// until the client gives up (a download that stalls midway).
    Stall,
    /// Nothing is sent until the client disconnects (at most 60 s), then the
    /// connection is closed without a response.
    Hang,
}

/// A response description produced by the router.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (Content-Length, Date and Connection are added by
    /// the connection layer).
    pub headers: Vec<(String, String)>,
    /// Body bytes; shared so cached feeds are never copied per request.
    pub body: Arc<Vec<u8>>,
    /// How the body is delivered.
    pub delivery: Delivery,
    /// Wait this long before responding (`fault=delay-MS`).
    pub delay: Option<Duration>,
}

impl Reply {
    pub(crate) fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Arc::new(Vec::new()),
            delivery: Delivery::Normal,
            delay: None,
        }
    }

    pub(crate) fn with_body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut r = Self::new(status).header("Content-Type", content_type);
        r.body = Arc::new(body.into());
        r
    }

    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self::with_body(status, "application/json", value.to_string())
    }

    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::json(status, &json!({ "error": message }))
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// First value of a response header, by case-insensitive name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
