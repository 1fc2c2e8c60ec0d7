//! The CDN side: feeds (shop feeds, generated and stored ones) served with
//! `Last-Modified`/304, a cached gzip, `Cache-Control` and CORS, as the real
//! inventory CDN serves them.

use super::faults::Faults;
use super::reply::{Delivery, Reply};
use super::state::{lock, truncate_to_secs, State};
use crate::generator::{generate_feed, generate_shop_feed};
use crate::graphql::ShopData;
use crate::http::Request;
use flate2::{write::GzEncoder, Compression};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

/// Largest `/feeds/gen/{N}.json` we generate (4x the spec's 50,000 cap).
pub(super) const MAX_GENERATED_ITEMS: usize = 200_000;

/// A feed body with its lazily built gzip and its modification time.
pub(super) struct Feed {
    pub(super) json: Arc<Vec<u8>>,
    gzip: OnceLock<Arc<Vec<u8>>>,
    pub(super) last_modified: SystemTime,
}

impl Feed {
    pub(super) fn new(json: Vec<u8>, last_modified: SystemTime) -> Self {
        Self {
            json: Arc::new(json),
            gzip: OnceLock::new(),
            last_modified,
        }
    }

    /// The gzip of the body, compressed once on first use.
    fn gzip(&self) -> Arc<Vec<u8>> {
        self.gzip
            .get_or_init(|| {
                let mut enc = GzEncoder::new(
                    Vec::with_capacity(self.json.len() / 4),
                    Compression::default(),
                );
                enc.write_all(&self.json)
                    .expect("writing to a Vec cannot fail");
                Arc::new(enc.finish().expect("writing to a Vec cannot fail"))
            })
            .clone()
    }
}

/// A feed that is generated on first request and then cached.
pub(super) type LazyFeed = Arc<OnceLock<Arc<Feed>>>;

/// A registered shop: its item count, its feed (generated on first use)
/// and the parsed feed the GraphQL API answers from.
#[derive(Default)]
pub(super) struct ShopEntry {
    pub(super) items: usize,
    pub(super) feed: LazyFeed,
    pub(super) parsed: OnceLock<Arc<ShopData>>,
}

/// CORS headers of a CDN answer: any origin may read it, and the headers
/// the widget looks at.
pub(super) fn with_cors(reply: Reply) -> Reply {
    reply.header("Access-Control-Allow-Origin", "*").header(
        "Access-Control-Expose-Headers",
        "Last-Modified, Content-Length, Content-Encoding",
    )
}

impl State {
    /// Serves a feed with caching headers, conditional GET, gzip and faults.
    /// `lookup` runs only when no fault pre-empts it, so an injected error
    /// never pays for generating a feed. Returns the reply and whether CORS
    /// headers should be added.
    pub(super) fn feed_route(
        &self,
        req: &Request,
        lookup: impl FnOnce() -> Option<Arc<Feed>>,
        missing: &str,
    ) -> (Reply, bool) {
        let faults = match Faults::from_request(req) {
            Ok(f) => f.merged(self.take_path_faults(req.path())),
            Err(msg) => return (Reply::error(400, &msg), true),
        };
        let mut reply = if let Some(r) = faults.preempt() {
            r
        } else if let Some(feed) = lookup() {
            feed_reply(req, &feed, &faults)
        } else {
            Reply::error(404, missing)
        };
        reply.delay = faults.delay;
        (reply, !faults.no_cors)
    }

    pub(super) fn shop_feed(&self, id: u64) -> Option<Arc<Feed>> {
        let shop = self.shops.get(&id)?;
        let feed = shop.feed.get_or_init(|| {
            let json = generate_shop_feed(shop.items, self.config.seed, id, &self.base_url);
            Arc::new(Feed::new(json.into_bytes(), self.started))
        });
        Some(feed.clone())
    }

    pub(super) fn generated_feed(&self, items: usize) -> Arc<Feed> {
        // Take the per-size cell under the lock, generate outside it so one
        // big feed does not block requests for others.
        let cell = lock(&self.generated).entry(items).or_default().clone();
        cell.get_or_init(|| {
            let json = generate_feed(items, self.config.seed, &self.base_url);
            Arc::new(Feed::new(json.into_bytes(), self.started))
        })
        .clone()
    }

    pub(super) fn store_feed(&self, name: &str, req: &Request) -> Reply {
        let mut stored = lock(&self.stored);
        // A replaced feed must look modified to a client revalidating with
        // If-Modified-Since, even when replaced within the same second; an
        // explicit Last-Modified request header wins.
        let explicit = req
            .header("last-modified")
            .and_then(|v| httpdate::parse_http_date(v).ok());
        let last_modified = explicit.unwrap_or_else(|| {
            let now = truncate_to_secs(SystemTime::now()).max(self.started);
            match stored.get(name) {
                Some(prev) if prev.last_modified >= now => {
                    prev.last_modified + Duration::from_secs(1)
                }
                _ => now,
            }
        });
        let bytes = req.body.len();
        stored.insert(
            name.to_string(),
            Arc::new(Feed::new(req.body.clone(), last_modified)),
        );
        Reply::json(
            201,
            &json!({
                "name": name,
                "bytes": bytes,
                "url": format!("/feeds/{name}"),
                "lastModified": httpdate::fmt_http_date(last_modified),
            }),
        )
    }
}

/// CORS preflight answer for any path.
pub(super) fn preflight(req: &Request) -> Reply {
    let allow_headers = req
        .header("access-control-request-headers")
        .filter(|h| !h.is_empty())
        .unwrap_or("*");
    Reply::new(204)
        .header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .header("Access-Control-Allow-Headers", allow_headers)
        .header("Access-Control-Max-Age", "600")
}

/// True if the client asked for gzip (and did not refuse it with `q=0`).
fn accepts_gzip(req: &Request) -> bool {
    req.header("accept-encoding").is_some_and(|v| {
        v.split(',').any(|part| {
            let mut bits = part.split(';').map(str::trim);
            let coding = bits.next().unwrap_or("");
            let refused = bits.any(|p| {
                p.replace(' ', "").eq_ignore_ascii_case("q=0") || p.eq_ignore_ascii_case("q=0.0")
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
}

/// True if If-Modified-Since is at or after the feed's Last-Modified.
fn not_modified(req: &Request, last_modified: SystemTime) -> bool {
    req.header("if-modified-since")
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| since >= last_modified)
}

/// The 200/304 reply for an existing feed.
fn feed_reply(req: &Request, feed: &Feed, faults: &Faults) -> Reply {
    let mut reply = Reply::new(200)
        .header("Content-Type", "application/json")
        .header("Last-Modified", httpdate::fmt_http_date(feed.last_modified))
        .header(
            "Cache-Control",
            faults
                .max_age
                .map_or_else(|| "no-cache".to_owned(), |secs| format!("max-age={secs}")),
        )
        .header("Vary", "Accept-Encoding");
    // The broken deliveries must actually happen when a test asks for them,
    // so they bypass revalidation and compression.
    let raw = faults.truncate || faults.slow || faults.stall;
    if !raw && not_modified(req, feed.last_modified) {
        reply.status = 304;
        return reply;
    }
    if !raw && accepts_gzip(req) {
        reply.body = feed.gzip();
        reply = reply.header("Content-Encoding", "gzip");
    } else {
        reply.body = feed.json.clone();
    }
    reply.delivery = if faults.stall {
        Delivery::Stall
    } else if faults.truncate {
        Delivery::Truncate
    } else if faults.slow {
        Delivery::Slow
    } else {
        Delivery::Normal
    };
    reply
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn shop_feed_has_caching_and_cors_headers() {
        let s = state();
        let r = s.route(&get("/shops/1234/inventory.json"));
        assert_eq!(r.status, 200);
        assert_eq!(r.header_value("content-type"), Some("application/json"));
        assert_eq!(r.header_value("cache-control"), Some("no-cache"));
        assert_eq!(r.header_value("access-control-allow-origin"), Some("*"));
        assert_eq!(
            r.header_value("last-modified"),
            Some(httpdate::fmt_http_date(s.started()).as_str())
        );
        let items: Vec<Value> = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(items.len(), 40);
        assert!(String::from_utf8_lossy(&r.body).contains("http://127.0.0.1:9/img/"));
        // Cached: the same bytes come back.
        assert!(Arc::ptr_eq(
            &r.body,
            &s.route(&get("/shops/1234/inventory.json")).body
        ));
    }

    #[test]
    fn conditional_get_and_gzip() {
        let s = state();
        let lm = httpdate::fmt_http_date(s.started());
        let r = s.route(&get("/shops/7/inventory.json").with_header("If-Modified-Since", &lm));
        assert_eq!(r.status, 304);
        let older = httpdate::fmt_http_date(s.started() - Duration::from_secs(5));
        assert_eq!(
            s.route(&get("/shops/7/inventory.json").with_header("If-Modified-Since", &older))
                .status,
            200
        );
        let gz = s.route(
            &get("/shops/7/inventory.json").with_header("Accept-Encoding", "br, gzip;q=0.8"),
        );
        assert_eq!(gz.header_value("content-encoding"), Some("gzip"));
        assert_eq!(&gz.body[..2], &[0x1f, 0x8b]);
        let refused =
            s.route(&get("/shops/7/inventory.json").with_header("Accept-Encoding", "gzip;q=0"));
        assert_eq!(refused.header_value("content-encoding"), None);
    }

    #[test]
    fn unknown_shop_is_404_json() {
        let r = state().route(&get("/shops/999/inventory.json"));
        assert_eq!(r.status, 404);
        assert_eq!(&r.body[..], br#"{"error":"shop not found"}"#);
        assert_eq!(r.header_value("access-control-allow-origin"), Some("*"));
    }

    #[test]
    fn preflight_echoes_requested_headers() {
        let s = state();
        let r = s.route(
            &Request::new("OPTIONS", "/anything")
                .with_header("Access-Control-Request-Headers", "authorization"),
        );
        assert_eq!(r.status, 204);
        assert_eq!(
            r.header_value("access-control-allow-headers"),
            Some("authorization")
        );
        assert_eq!(r.header_value("access-control-max-age"), Some("600"));
        let bare = s.route(&Request::new("OPTIONS", "/"));
        assert_eq!(bare.header_value("access-control-allow-headers"), Some("*"));
    }

    #[test]
    fn stored_feeds_round_trip_and_change_last_modified() {
        let s = state();
        assert_eq!(s.route(&get("/feeds/mine.json")).status, 404);
        let put =
            s.route(&Request::new("PUT", "/__feeds/mine.json").with_body(&b"\xff not json"[..]));
        assert_eq!(put.status, 201);
        let first = s.route(&get("/feeds/mine.json"));
        assert_eq!(&first.body[..], b"\xff not json");
        let lm1 = first.header_value("last-modified").unwrap().to_string();
        s.route(&Request::new("POST", "/__feeds/mine.json").with_body("[]"));
        let second = s.route(&get("/feeds/mine.json").with_header("If-Modified-Since", &lm1));
        assert_eq!(
            second.status, 200,
            "a replaced feed is never 304 against the old date"
        );
        assert_eq!(&second.body[..], b"[]");
        s.route(&Request::new("POST", "/__reset"));
        assert_eq!(s.route(&get("/feeds/mine.json")).status, 404);
    }

    #[test]
    fn generated_feed_route() {
        let s = state();
        let r = s.route(&get("/feeds/gen/5.json"));
        assert_eq!(
            serde_json::from_slice::<Vec<Value>>(&r.body).unwrap().len(),
            5
        );
        assert_eq!(s.route(&get("/feeds/gen/999999999.json")).status, 400);
    }
}
