//! Files of `--static` (the built widget), the placeholder images feeds
//! link to, and the help text at `/` without `--static`.

use super::reply::Reply;
use super::state::State;
use crate::assets::{content_type, cover_png, cover_svg, resolve_static};

impl State {
    pub(super) fn static_reply(&self, url_path: &str) -> Reply {
        let Some(root) = &self.config.static_dir else {
            return if url_path == "/" {
                Reply::with_body(200, "text/plain; charset=utf-8", HELP)
            } else {
                Reply::error(404, "not found")
            };
        };
        let Some(file) = resolve_static(root, url_path) else {
            return Reply::error(400, "bad path");
        };
        match std::fs::read(&file) {
            Ok(bytes) => {
                // A page is never kept: a redeploy or rebuild shows at once.
                let kind = content_type(&file);
                let cache = if kind.starts_with("text/html") {
                    "no-store"
                } else {
                    "no-cache"
                };
                Reply::with_body(200, kind, bytes).header("Cache-Control", cache)
            }
            Err(_) => Reply::error(404, "not found"),
        }
    }
}

/// Whether `/img/{file}` names a placeholder cover.
pub(super) fn is_image(file: &str) -> bool {
    file.ends_with(".png") || file.ends_with(".svg")
}

/// `GET /img/{name}.png` or `{name}.svg`: a placeholder cover, its colours
/// derived from the name.
pub(super) fn image(file: &str) -> Reply {
    let reply = if file.ends_with(".png") {
        Reply::with_body(200, "image/png", cover_png(file.trim_end_matches(".png")))
    } else {
        Reply::with_body(
            200,
            "image/svg+xml",
            cover_svg(file.trim_end_matches(".svg")),
        )
    };
    reply.header("Cache-Control", "max-age=86400")
}

const HELP: &str = "cg-emulator: Common Ground inventory feed emulator\n\n\
GET  /shops/{id}/inventory.json   generated shop feed\n\
GET  /feeds/gen/{N}.json           generated feed of N items\n\
PUT  /__feeds/{name}               store a custom feed (raw body)\n\
GET  /feeds/{name}                 serve a stored feed\n\
GET  /img/{name}.svg               placeholder cover art\n\
GET  /__log, POST /__reset         request log / reset log, stored feeds, API state (not deploys)\n\
PUT  /__deploys/{name}             deploy the --static index.html with a JSON configuration ({origin} = this server)\n\
GET  /deploys/{name}/              the configured page (its files beside it, from --static)\n\
POST /graphql                      GraphQL Client API (login, register, inventoryItems, checkout*)\n\
GET  /inventory/dumps/list         partner shop list (Authorization: Bearer partner token)\n\
GET  /partner/shops.json           the same list through the partner's proxy (CORS, no token)\n\
GET  /store/{id}/...               shop storefront pages\n\
GET  /squarespace/1.0/commerce/inventory?cursor=  Squarespace inventory (Bearer key)\n\
GET  /proxy/squarespace/inventory?cursor=         the same through the partner's proxy\n\
POST /__squarespace/stale-cursor|loop|fail-next?status=&count=&hang=1, GET /__squarespace/state\n\
POST /__graphql/expire-sessions|sold-out/{listingId}|fail-next?status=&count=&hang=1, GET /__graphql/state\n\
?fault=status-NNN|truncate|slow|delay-MS|no-cors|not-json|hang on feed URLs\n";

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn static_files() {
        let dir = std::env::temp_dir().join(format!("cg-emulator-static-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("pkg/app.wasm"), b"\0asm").unwrap();
        let s = State::new(
            Config {
                static_dir: Some(dir.clone()),
                ..Config::default()
            },
            "http://x",
        );
        let index = s.route(&get("/"));
        assert_eq!(
            (index.status, index.header_value("content-type")),
            (200, Some("text/html; charset=utf-8"))
        );
        assert_eq!(
            index.header_value("cache-control"),
            Some("no-store"),
            "a page is never kept"
        );
        assert_eq!(
            s.route(&get("/pkg/app.wasm")).header_value("content-type"),
            Some("application/wasm")
        );
        assert_eq!(s.route(&get("/pkg/missing.js")).status, 404);
        assert_eq!(s.route(&get("/pkg/%2e%2e/%2e%2e/etc/passwd")).status, 400);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
