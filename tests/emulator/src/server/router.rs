//! The router: maps a parsed [`Request`] to a [`Reply`] without touching a
//! socket, so routing, headers, conditional requests and fault selection
//! are unit-testable. Each route's work is in its concern's file.

use super::cdn::{preflight, with_cors, MAX_GENERATED_ITEMS};
use super::faults::FailNext;
use super::graphql::graphql_cors;
use super::partner::storefront;
use super::reply::Reply;
use super::state::{lock, State};
use super::static_files::{image, is_image};
use crate::http::{percent_decode, Request};

impl State {
    /// Routes a request and records it in the request log (except the log's
    /// own control endpoints).
    pub fn handle(&self, req: &Request) -> Reply {
        let reply = self.route(req);
        let path = req.path();
        if path != "/__log" && path != "/__reset" && !path.starts_with("/__deploys/") {
            self.record(req, &reply);
        }
        if self.config.verbose {
            eprintln!(
                "{} {} -> {} {:?}",
                req.method, req.target, reply.status, reply.delivery
            );
        }
        reply
    }

    /// Maps a request to a reply. No socket I/O; the only side effects are
    /// on the emulator's own state (stored feeds, log reset, feed caches).
    pub fn route(&self, req: &Request) -> Reply {
        if req.method == "OPTIONS" {
            return if req.path() == "/graphql" {
                graphql_cors(req, Reply::new(204))
            } else {
                preflight(req)
            };
        }
        let method = req.method.as_str();
        let readable = method == "GET" || method == "HEAD";
        let writes = method == "PUT" || method == "POST";
        let post = method == "POST";
        let segments: Vec<&str> = req.path().trim_start_matches('/').split('/').collect();

        let (reply, cors) = match segments.as_slice() {
            ["__log"] if readable => (self.log_reply(), true),
            ["__reset"] if post => (self.reset(), true),
            ["inventory", "dumps", "list"] if readable => (self.dumps_list(req), false),
            ["partner", "shops.json"] if readable => {
                self.feed_route(req, || Some(self.shop_list_feed()), "not found")
            }
            ["store", id, ..] if readable => (storefront(id, req.path()), true),
            ["squarespace", "1.0", "commerce", "inventory"] if readable => {
                self.squarespace_route(req, false)
            }
            ["proxy", "squarespace", "inventory"] if readable => self.squarespace_route(req, true),
            ["__squarespace", "stale-cursor"] if post => (self.squarespace_stale_cursor(), true),
            ["__squarespace", "loop"] if post => (self.squarespace_loop(), true),
            ["__squarespace", "fail-next"] if post => (self.squarespace_fail_next(req), true),
            ["__squarespace", "state"] if readable => (self.squarespace_state_reply(), true),
            ["graphql"] if post => (graphql_cors(req, self.graphql_route(req)), false),
            ["graphql"] => (
                graphql_cors(
                    req,
                    Reply::error(405, "method not allowed").header("Allow", "POST, OPTIONS"),
                ),
                false,
            ),
            ["__graphql", "expire-sessions"] if post => (self.graphql_expire_sessions(), true),
            ["__graphql", "sold-out", id] if post => (self.graphql_sold_out(id), true),
            ["__graphql", "fail-next"] if post => (self.graphql_fail_next(req), true),
            ["__graphql", "state"] if readable => (self.graphql_state(), true),
            ["__faults"] if post => (self.arm_path_faults(req), true),
            ["__deploys", name] if writes => (self.deploy(&percent_decode(name, false), req), true),
            ["deploys", name] if readable => {
                // The page's relative asset URLs need the trailing slash.
                let query = req
                    .target
                    .split_once('?')
                    .map_or(String::new(), |(_, q)| format!("?{q}"));
                (
                    Reply::new(308).header("Location", format!("/deploys/{name}/{query}")),
                    true,
                )
            }
            ["deploys", name, rest @ ..] if readable => {
                (self.deployed(&percent_decode(name, false), rest), true)
            }
            [""] | ["index.html"]
                if readable
                    && self.config.page_config.is_some()
                    && self.config.static_dir.is_some() =>
            {
                let config = self.fill_origin(self.config.page_config.as_deref().unwrap_or("{}"));
                (self.configured_page(&config), true)
            }
            ["__feeds", name] if !name.is_empty() && writes => {
                (self.store_feed(&percent_decode(name, false), req), true)
            }
            ["shops", id, "inventory.json"] if readable => self.feed_route(
                req,
                || id.parse().ok().and_then(|id| self.shop_feed(id)),
                "shop not found",
            ),
            ["feeds", "gen", file] if readable && file.ends_with(".json") => {
                let count = file.trim_end_matches(".json").parse::<usize>();
                match count {
                    Ok(n) if n <= MAX_GENERATED_ITEMS => {
                        self.feed_route(req, || Some(self.generated_feed(n)), "feed not found")
                    }
                    _ => (
                        Reply::error(400, "item count must be a number up to 200000"),
                        true,
                    ),
                }
            }
            ["feeds", name] if readable => {
                let name = percent_decode(name, false);
                self.feed_route(
                    req,
                    || lock(&self.stored).get(&name).cloned(),
                    "feed not found",
                )
            }
            ["img", name] if readable && is_image(name) => (image(name), true),
            ["__log"]
            | ["__reset"]
            | ["__faults"]
            | ["__feeds", _]
            | ["__deploys", _]
            | ["shops", _, "inventory.json"]
            | ["feeds", ..]
            | ["__graphql", ..]
            | ["__squarespace", ..]
            | ["partner", "shops.json"]
            | ["inventory", "dumps", "list"]
            | ["proxy", "squarespace", "inventory"] => (
                Reply::error(405, "method not allowed")
                    .header("Allow", "GET, HEAD, POST, PUT, OPTIONS"),
                true,
            ),
            _ if readable => (self.static_reply(req.path()), true),
            _ => (Reply::error(404, "not found"), true),
        };
        if cors {
            with_cors(reply)
        } else {
            reply
        }
    }

    /// `POST /__reset`: the log, stored feeds, armed faults and API state
    /// go; deploys stay, so a test's page reloads as it was.
    fn reset(&self) -> Reply {
        lock(&self.log).clear();
        lock(&self.stored).clear();
        self.graphql.reset();
        *lock(&self.graphql_fail) = FailNext::default();
        *lock(&self.graphql_fail_operation) = None;
        self.squarespace.reset();
        *lock(&self.squarespace_fail) = FailNext::default();
        lock(&self.path_faults).clear();
        Reply::new(204)
    }
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn images_and_unknown_paths() {
        let s = state();
        let r = s.route(&get("/img/123-back.svg"));
        assert_eq!(r.header_value("content-type"), Some("image/svg+xml"));
        assert_eq!(r.header_value("cache-control"), Some("max-age=86400"));
        assert_eq!(s.route(&get("/nope")).status, 404);
        assert_eq!(
            s.route(&Request::new("DELETE", "/shops/1234/inventory.json"))
                .status,
            405
        );
        assert_eq!(s.route(&get("/")).status, 200);
    }
}
