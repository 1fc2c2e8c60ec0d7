//! Which faults a request asks for: `?fault=` on feed URLs, faults armed
//! for a path with `POST /__faults`, and the "fail the next N requests"
//! state of the emulated APIs. How a fault reaches the wire (half a body,
//! no answer, a slow one) is [`super::delivery`]'s business.

use super::reply::{Delivery, Reply};
use super::state::{lock, State};
use crate::http::Request;
use serde_json::{json, Value};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bound for `fault=delay-MS`.
pub(super) const MAX_DELAY_MS: u64 = 120_000;

/// Fault modes requested with `?fault=` (comma-separated or repeated).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Faults {
    /// `status-NNN`
    pub status: Option<u16>,
    /// `truncate`
    pub truncate: bool,
    /// `slow`
    pub slow: bool,
    /// `delay-MS`
    pub delay: Option<Duration>,
    /// `no-cors`
    pub no_cors: bool,
    /// `not-json`
    pub not_json: bool,
    /// `hang`
    pub hang: bool,
    /// `stall`
    pub stall: bool,
    /// `max-age-SECS`: a cacheable reply (`Cache-Control: max-age`), as the
    /// real CDN sends (about an hour), instead of `no-cache`.
    pub max_age: Option<u64>,
}

impl Faults {
    /// Parses the `fault` query parameters of a request.
    pub fn from_request(req: &Request) -> Result<Faults, String> {
        Self::from_values(&req.query_values("fault"))
    }

    /// Parses `fault` values (each possibly comma-separated).
    pub fn from_values(values: &[String]) -> Result<Faults, String> {
        let mut f = Faults::default();
        for value in values {
            for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match name {
                    "truncate" => f.truncate = true,
                    "slow" => f.slow = true,
                    "no-cors" => f.no_cors = true,
                    "not-json" => f.not_json = true,
                    "hang" => f.hang = true,
                    "stall" => f.stall = true,
                    _ => {
                        if let Some(code) = name.strip_prefix("status-") {
                            match code.parse::<u16>() {
                                // 1xx would be read as an interim response.
                                Ok(c) if (200..=599).contains(&c) => f.status = Some(c),
                                _ => return Err(format!("bad fault status: {name}")),
                            }
                        } else if let Some(secs) = name.strip_prefix("max-age-") {
                            f.max_age = Some(
                                secs.parse()
                                    .map_err(|_| format!("bad fault max-age: {name}"))?,
                            );
                        } else if let Some(ms) = name.strip_prefix("delay-") {
                            let ms: u64 =
                                ms.parse().map_err(|_| format!("bad fault delay: {name}"))?;
                            f.delay = Some(Duration::from_millis(ms.min(MAX_DELAY_MS)));
                        } else {
                            return Err(format!("unknown fault: {name}"));
                        }
                    }
                }
            }
        }
        Ok(f)
    }

    /// These faults plus `other`'s (a switch set by either is on).
    pub(super) fn merged(self, other: Faults) -> Faults {
        Faults {
            status: self.status.or(other.status),
            truncate: self.truncate || other.truncate,
            slow: self.slow || other.slow,
            delay: self.delay.or(other.delay),
            no_cors: self.no_cors || other.no_cors,
            not_json: self.not_json || other.not_json,
            hang: self.hang || other.hang,
            stall: self.stall || other.stall,
            max_age: self.max_age.or(other.max_age),
        }
    }

    /// The reply of a fault that replaces the content altogether (status,
    /// hang, not-json), if one was asked for.
    pub(super) fn preempt(&self) -> Option<Reply> {
        if let Some(code) = self.status {
            Some(Reply::with_body(
                code,
                "text/plain; charset=utf-8",
                format!("injected fault: status {code}\n"),
            ))
        } else if self.hang {
            let mut r = Reply::new(200);
            r.delivery = Delivery::Hang;
            Some(r)
        } else if self.not_json {
            Some(Reply::with_body(
                200,
                "text/html; charset=utf-8",
                "<html>oops</html>",
            ))
        } else {
            None
        }
    }
}

/// "Fail the next N requests" state of an emulated API
/// (`/__graphql/fail-next`, `/__squarespace/fail-next`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailNext {
    /// Status to answer with (ignored when `hang`).
    pub status: u16,
    /// Never answer instead.
    pub hang: bool,
    /// Requests still to fail.
    pub remaining: u32,
    /// Wait this long before answering (`&delay=MS`).
    pub delay_ms: u64,
}

impl Default for FailNext {
    fn default() -> Self {
        Self {
            status: 500,
            hang: false,
            remaining: 0,
            delay_ms: 0,
        }
    }
}

impl FailNext {
    /// Parses `?status=NNN&count=N&hang=1&delay=MS` (defaults: 500, 1, no hang, no delay).
    pub fn from_request(req: &Request) -> Result<Self, String> {
        let first = |k: &str| req.query_values(k).into_iter().next();
        let status = match first("status") {
            None => 500,
            Some(v) => match v.parse::<u16>() {
                Ok(c) if (200..=599).contains(&c) => c,
                _ => return Err(format!("status must be 200-599, got {v}")),
            },
        };
        let remaining = match first("count") {
            None => 1,
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| format!("count must be a number, got {v}"))?,
        };
        let hang = first("hang").is_some_and(|v| matches!(v.as_str(), "1" | "true" | ""));
        let delay_ms = match first("delay") {
            None => 0,
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| format!("delay must be a number of ms, got {v}"))?
                .min(MAX_DELAY_MS),
        };
        Ok(Self {
            status,
            hang,
            remaining,
            delay_ms,
        })
    }

    /// Consumes one failure if any is pending.
    pub(super) fn take(cell: &Mutex<FailNext>) -> Option<FailNext> {
        let mut f = lock(cell);
        (f.remaining > 0).then(|| {
            f.remaining -= 1;
            *f
        })
    }

    pub(super) fn to_json(self) -> Value {
        json!({ "status": self.status, "hang": self.hang, "count": self.remaining })
    }

    /// The reply a pending failure produces.
    pub(super) fn reply(self) -> Reply {
        if self.hang {
            let mut r = Reply::new(200);
            r.delivery = Delivery::Hang;
            r
        } else {
            let mut r = Reply::with_body(
                self.status,
                "text/plain; charset=utf-8",
                format!("injected fault: status {}\n", self.status),
            );
            r.delay = (self.delay_ms > 0).then(|| Duration::from_millis(self.delay_ms));
            r
        }
    }
}

impl State {
    /// `POST /__faults?path=P&fault=F&count=N`: the next N (default 1)
    /// requests of feed path P get faults F, as if asked with `?fault=F`,
    /// for URLs a test does not write itself (a shop's feed, the shop list).
    pub(super) fn arm_path_faults(&self, req: &Request) -> Reply {
        let first = |k: &str| req.query_values(k).into_iter().next();
        let Some(path) = first("path").filter(|p| p.starts_with('/')) else {
            return Reply::error(400, "path must be given and start with /");
        };
        let faults = match Faults::from_request(req) {
            Ok(f) if f != Faults::default() => f,
            Ok(_) => return Reply::error(400, "fault must be given"),
            Err(msg) => return Reply::error(400, &msg),
        };
        let count = match first("count").map(|c| c.parse::<u32>()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => return Reply::error(400, "count must be a number"),
        };
        let mut armed = lock(&self.path_faults);
        if count == 0 {
            armed.remove(&path);
        } else {
            armed.insert(path.clone(), (faults, count));
        }
        Reply::json(200, &json!({ "path": path, "count": count }))
    }

    /// Consumes one request's worth of the faults armed for `path`.
    pub(super) fn take_path_faults(&self, path: &str) -> Faults {
        let mut armed = lock(&self.path_faults);
        let Some((faults, remaining)) = armed.get_mut(path) else {
            return Faults::default();
        };
        let faults = faults.clone();
        *remaining -= 1;
        if *remaining == 0 {
            armed.remove(path);
        }
        faults
    }
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn faults_are_parsed_and_applied() {
        let s = state();
        let f = Faults::from_request(&get("/x?fault=delay-250,no-cors&fault=truncate")).unwrap();
        assert_eq!(f.delay, Some(Duration::from_millis(250)));
        assert!(f.no_cors && f.truncate && !f.slow);
        assert!(Faults::from_request(&get("/x?fault=explode")).is_err());

        let r = s.route(&get("/shops/1234/inventory.json?fault=status-503"));
        assert_eq!(r.status, 503);
        let r = s.route(&get("/shops/1234/inventory.json?fault=no-cors"));
        assert_eq!(
            (r.status, r.header_value("access-control-allow-origin")),
            (200, None)
        );
        let r = s.route(&get("/shops/1234/inventory.json?fault=not-json"));
        assert_eq!(&r.body[..], b"<html>oops</html>");
        let lm = httpdate::fmt_http_date(s.started());
        let r = s.route(
            &get("/shops/1234/inventory.json?fault=truncate")
                .with_header("Accept-Encoding", "gzip")
                .with_header("If-Modified-Since", &lm),
        );
        assert_eq!(
            (r.status, r.delivery, r.header_value("content-encoding")),
            (200, Delivery::Truncate, None)
        );
        assert_eq!(
            s.route(&get("/feeds/x?fault=hang")).delivery,
            Delivery::Hang
        );
        assert_eq!(
            s.route(
                &get("/shops/1234/inventory.json?fault=stall")
                    .with_header("If-Modified-Since", &lm)
            )
            .delivery,
            Delivery::Stall
        );
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json?fault=bogus"))
                .status,
            400
        );
    }

    #[test]
    fn faults_armed_for_a_path_hit_its_next_requests_only() {
        let s = state();
        let arm = |query: &str| s.route(&Request::new("POST", &format!("/__faults?{query}")));
        assert_eq!(
            arm("path=/shops/1234/inventory.json&fault=status-503&count=2").status,
            200
        );
        assert_eq!(
            arm("path=/partner/shops.json").status,
            400,
            "a fault is needed"
        );
        assert_eq!(arm("path=nope&fault=truncate").status, 400);
        assert_eq!(
            s.route(&get("/shops/7/inventory.json")).status,
            200,
            "other paths are untouched"
        );
        let statuses: Vec<u16> = (0..3)
            .map(|_| s.route(&get("/shops/1234/inventory.json")).status)
            .collect();
        assert_eq!(statuses, [503, 503, 200]);

        arm("path=/shops/1234/inventory.json&fault=max-age-3600");
        let cached = s.route(&get("/shops/1234/inventory.json"));
        assert_eq!(cached.header_value("cache-control"), Some("max-age=3600"));
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json"))
                .header_value("cache-control"),
            Some("no-cache")
        );
        arm("path=/shops/1234/inventory.json&fault=truncate");
        s.route(&Request::new("POST", "/__reset"));
        assert_eq!(
            s.route(&get("/shops/1234/inventory.json")).delivery,
            Delivery::Normal,
            "a reset disarms"
        );
    }
}
