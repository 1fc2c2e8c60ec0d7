//! Deploys of the standalone page: `PUT /__deploys/{name}` configures
//! `--static`'s `index.html` as a partner's deploy step would
//! ([`cg_core::deploy::configure_page`]) and `/deploys/{name}/` serves it,
//! its files beside it; `--page-config` does the same for `/`.

use super::reply::Reply;
use super::state::{lock, State};
use crate::http::Request;
use cg_core::deploy::{configure_page, DeployError};
use serde_json::json;

/// Deploys kept by `PUT /__deploys/{name}`, at most.
const MAX_DEPLOYS: usize = 10_000;

impl State {
    /// `GET /deploys/{name}/{rest}`: the configured page for `""` or
    /// `index.html`, else a file of `--static`.
    pub(super) fn deployed(&self, name: &str, rest: &[&str]) -> Reply {
        match lock(&self.deploys).get(name).cloned() {
            None => Reply::error(404, "no such deploy"),
            Some(config) if matches!(rest, [""] | ["index.html"]) => self.configured_page(&config),
            Some(_) => self.static_reply(&format!("/{}", rest.join("/"))),
        }
    }

    /// `{origin}` in a deploy configuration: this server, as the page's
    /// CDN or API (`http://localhost:PORT`, another origin than the page's
    /// `127.0.0.1`, so requests to it are cross-origin as a real CDN's).
    pub(super) fn fill_origin(&self, config: &str) -> String {
        config.replace("{origin}", &self.local_base)
    }

    /// The standalone page (`index.html` of `--static`) configured with
    /// `config`, as a partner's deploy step writes it.
    pub(super) fn configure(&self, config: &str) -> Result<Vec<u8>, (u16, String)> {
        let Some(root) = &self.config.static_dir else {
            return Err((400, "no --static page to configure".to_string()));
        };
        let index = std::fs::read_to_string(root.join("index.html"))
            .map_err(|e| (404, format!("index.html: {e}")))?;
        configure_page(&index, config)
            .map(String::into_bytes)
            .map_err(|e: DeployError| (400, e.to_string()))
    }

    pub(super) fn configured_page(&self, config: &str) -> Reply {
        match self.configure(config) {
            Ok(page) => Reply::with_body(200, "text/html; charset=utf-8", page)
                .header("Cache-Control", "no-store"),
            // Checked when deployed: only a changed or missing page fails here.
            Err((status, message)) => {
                Reply::error(if status == 400 { 500 } else { status }, &message)
            }
        }
    }

    /// `PUT /__deploys/{name}` with a JSON configuration: the page is
    /// served configured at `/deploys/{name}/`, its files beside it.
    pub(super) fn deploy(&self, name: &str, req: &Request) -> Reply {
        let name_ok = (1..=64).contains(&name.len())
            && !name.starts_with('.')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok {
            return Reply::error(
                400,
                "a deploy name is 1-64 letters, digits, '-', '_' or '.'",
            );
        }
        let Ok(body) = std::str::from_utf8(&req.body) else {
            return Reply::error(400, "the configuration is not UTF-8");
        };
        let config = self.fill_origin(body);
        if let Err((status, message)) = self.configure(&config) {
            return Reply::error(status, &message);
        }
        let mut deploys = lock(&self.deploys);
        if deploys.len() >= MAX_DEPLOYS && !deploys.contains_key(name) {
            return Reply::error(400, "too many deploys");
        }
        deploys.insert(name.to_string(), config);
        Reply::json(200, &json!({ "url": format!("/deploys/{name}/") }))
    }
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><script type=\"module\" src=\"./start.js\"></script></head><body></body></html>";

    fn page_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cg-emulator-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), PAGE).unwrap();
        std::fs::write(dir.join("start.js"), "export {};").unwrap();
        dir
    }

    fn text(reply: &Reply) -> String {
        String::from_utf8(reply.body.to_vec()).unwrap()
    }

    #[test]
    fn the_page_config_is_written_into_the_served_page() {
        let dir = page_dir("page-config");
        let config = Config {
            static_dir: Some(dir.clone()),
            page_config: Some(r#"{"shop":"1234","cdn":"{origin}","api":"{origin}/graphql","origin":"www.my-vinyl-store.com"}"#.into()),
            ..Config::default()
        };
        let s = State::new(config, "http://127.0.0.1:9");
        for path in ["/", "/index.html"] {
            let page = s.route(&get(path));
            assert_eq!(
                (page.status, page.header_value("cache-control")),
                (200, Some("no-store"))
            );
            let html = text(&page);
            assert!(html.contains(r#"<script type="application/json" id="cg-config">{"api":"http://localhost:9/graphql","cdn":"http://localhost:9","origin":"www.my-vinyl-store.com","shop":"1234"}</script>"#), "{html}");
            assert!(
                html.contains("connect-src 'self' http://localhost:9;"),
                "{html}"
            );
        }
        assert_eq!(
            text(&s.route(&get("/start.js"))),
            "export {};",
            "other files as they are"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn deploys_serve_configured_pages_with_their_files() {
        let dir = page_dir("deploys");
        let s = State::new(
            Config {
                static_dir: Some(dir.clone()),
                ..Config::default()
            },
            "http://127.0.0.1:9",
        );
        let put = |name: &str, body: &str| {
            s.handle(
                &Request::new("PUT", &format!("/__deploys/{name}"))
                    .with_body(body.as_bytes().to_vec()),
            )
        };
        let ok = put(
            "shop-a",
            r#"{"shop":"1234","cdn":"{origin}","storefront":"https://shop.example"}"#,
        );
        assert_eq!(
            (ok.status, text(&ok)),
            (200, r#"{"url":"/deploys/shop-a/"}"#.to_string())
        );
        let page = s.route(&get("/deploys/shop-a/?q=bjork"));
        assert_eq!(
            (page.status, page.header_value("cache-control")),
            (200, Some("no-store"))
        );
        assert!(text(&page).contains(
            r#"{"cdn":"http://localhost:9","shop":"1234","storefront":"https://shop.example"}"#
        ));
        assert!(text(&s.route(&get("/deploys/shop-a/index.html"))).contains("cg-config"));
        assert_eq!(
            text(&s.route(&get("/deploys/shop-a/start.js"))),
            "export {};"
        );
        assert_eq!(
            s.route(&get("/deploys/shop-a/%2e%2e/%2e%2e/etc/passwd"))
                .status,
            400
        );
        let redirect = s.route(&get("/deploys/shop-a?q=x"));
        assert_eq!(
            (redirect.status, redirect.header_value("location")),
            (308, Some("/deploys/shop-a/?q=x"))
        );
        assert_eq!(s.route(&get("/deploys/nope/")).status, 404);
        // The plain page is served as built.
        assert_eq!(text(&s.route(&get("/"))), PAGE);

        // Invalid settings are refused, naming them; the deploy is unchanged.
        let bad = put("shop-a", r#"{"api":"javascript:alert(1)","shop":"1"}"#);
        assert_eq!(bad.status, 400);
        assert!(
            text(&bad).contains("invalid settings: api"),
            "{}",
            text(&bad)
        );
        assert_eq!(put("shop-a", r#"{"tracker":"x"}"#).status, 400);
        assert_eq!(put("shop-a", "not json").status, 400);
        assert_eq!(put("%2e%2e", "{}").status, 400);
        assert_eq!(put("a%2Fb", "{}").status, 400);
        assert!(text(&s.route(&get("/deploys/shop-a/"))).contains("storefront"));

        // Redeploying replaces; a reset keeps deploys; deploys are not logged.
        assert_eq!(put("shop-a", r#"{"shop":"5"}"#).status, 200);
        s.handle(&Request::new("POST", "/__reset"));
        assert!(text(&s.route(&get("/deploys/shop-a/"))).contains(r#"{"shop":"5"}"#));
        let log: Vec<Value> = serde_json::from_slice(&s.handle(&get("/__log")).body).unwrap();
        assert!(log.is_empty(), "{log:?}");
        std::fs::remove_dir_all(dir).unwrap();

        let no_static = State::new(Config::default(), "http://x");
        assert_eq!(
            no_static
                .route(&Request::new("PUT", "/__deploys/a").with_body(&b"{}"[..]))
                .status,
            400
        );
    }
}
