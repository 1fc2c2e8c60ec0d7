//! Deploy-time configuration of the standalone page.
//!
//! A partner configures the built `index.html` once, when deploying it:
//! [`configure_page`] checks the settings (an invalid or unknown one is an
//! error naming it, never silently dropped), writes them into the page's
//! `<script type="application/json" id="cg-config">` block, and writes a
//! strict Content-Security-Policy `<meta>` computed from them, so the page
//! can only talk to the hosts it is configured for. Both are replaced when
//! present: configuring a configured page gives what configuring the pristine
//! one gives.
//!
//! A `<meta>` policy cannot carry `frame-ancestors` (nor `report-uri` or
//! `sandbox`): browsers ignore them there. A partner who wants the page kept
//! out of other sites' frames sends `Content-Security-Policy:
//! frame-ancestors 'self'` (or `X-Frame-Options`) as an HTTP header.

mod page;
mod policy;
mod settings;
mod tags;

pub use policy::content_security_policy;
pub use settings::{config_block, read_config};

use crate::config::CONFIG_PARAMS;
use page::write_into;
use thiserror::Error;

/// The `id` of the configuration block the standalone page reads.
pub const CONFIG_BLOCK_ID: &str = "cg-config";

/// Why a page cannot be configured.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DeployError {
    /// The configuration does not parse; with the parser's message.
    #[error("the configuration is not JSON: {0}")]
    NotJson(String),
    /// The configuration is JSON, but not an object.
    #[error("the configuration must be a JSON object of settings keyed like the <cg-inventory> attributes")]
    NotAnObject,
    /// Names that are no setting, sorted and clipped.
    #[error("unknown settings: {} (the settings are: {})", .0.join(", "), CONFIG_PARAMS.join(", "))]
    UnknownSettings(Vec<String>),
    /// Settings whose values the page would refuse, by name, sorted.
    #[error("invalid settings: {} (see the README's Configuration section)", .0.join(", "))]
    InvalidSettings(Vec<String>),
    /// The named setting's host cannot be written into a policy exactly.
    #[error("the {0} setting's host cannot be named in a Content-Security-Policy (use a plain DNS name or IPv4 address, in its punycode form)")]
    UnlistableHost(&'static str),
    /// The page has neither a `<head>` nor a charset `<meta>` to write after.
    #[error("the page has no <head> to write the configuration into")]
    NoHead,
}

/// Checks `config_json` and writes it, with the Content-Security-Policy it
/// calls for, into `index_html`.
pub fn configure_page(index_html: &str, config_json: &str) -> Result<String, DeployError> {
    let (settings, config) = read_config(config_json)?;
    let policy = content_security_policy(&config)?;
    let meta = format!(
        r#"<meta http-equiv="Content-Security-Policy" content="{}" />"#,
        escape_attribute(&policy)
    );
    let block = config_block(&settings);
    write_into(index_html, &meta, &block)
}

fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, CONFIG_PARAMS};
    use serde_json::Value;

    const PRISTINE: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>Shop</title>\n    <script type=\"module\" src=\"./start.js\"></script>\n  </head>\n  <body><main id=\"cg-inventory\"></main></body>\n</html>\n";

    /// The configuration block's text, read back as the page reads it.
    fn block_of(page: &str) -> Value {
        let open = format!(r#"<script type="application/json" id="{CONFIG_BLOCK_ID}">"#);
        let start = page.find(&open).expect("a block") + open.len();
        let end = start + page[start..].find("</script>").expect("the block's end");
        serde_json::from_str(&page[start..end]).expect("JSON")
    }

    fn policy_of(page: &str) -> String {
        let open = r#"<meta http-equiv="Content-Security-Policy" content=""#;
        let start = page.find(open).expect("a policy") + open.len();
        page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&")
    }

    fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
        let found = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} in {policy}"));
        found.split(' ').skip(1).collect()
    }

    #[test]
    fn writes_the_block_and_the_policy() {
        let config = r#"{"shop":"1234","cdn":"http://localhost:8080","storefront":"https://www.my-store.com","currency":"EUR","timeout":30}"#;
        let page = configure_page(PRISTINE, config).unwrap();
        assert_eq!(
            block_of(&page),
            serde_json::from_str::<Value>(config).unwrap()
        );
        let (read, notices) = Config::from_deploy_json(&block_of(&page).to_string());
        assert!(notices.is_empty());
        assert_eq!(
            read.feed_url().unwrap(),
            "http://localhost:8080/shops/1234/inventory.json"
        );
        let policy = policy_of(&page);
        assert_eq!(
            policy,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: http://localhost:8080; \
             connect-src 'self' http://localhost:8080 https://api-client.common-ground.io; font-src 'self'; base-uri 'none'; \
             form-action 'none'; object-src 'none'"
        );
        // The policy comes before any script, right after the charset.
        assert!(page.find("Content-Security-Policy").unwrap() < page.find("<title>").unwrap());
        assert!(
            page.contains(
                "    <meta charset=\"utf-8\" />\n    <meta http-equiv=\"Content-Security-Policy\""
            ),
            "{page}"
        );
        assert_eq!(page.matches("Content-Security-Policy").count(), 1);
        assert_eq!(page.matches(CONFIG_BLOCK_ID).count(), 1);
    }

    #[test]
    fn connect_src_follows_the_configuration() {
        let connect = |config: &str| {
            let page = configure_page(PRISTINE, config).unwrap();
            directive(&policy_of(&page), "connect-src")
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            connect("{}"),
            [
                "'self'",
                "https://static.common-ground.io",
                "https://api-client.common-ground.io"
            ]
        );
        assert_eq!(
            connect(
                r#"{"cdn":"https://CDN.Example:443/base/","api":"https://api.example:8443/graphql","origin":"www.my-store.com"}"#
            ),
            ["'self'", "https://cdn.example", "https://api.example:8443"]
        );
        // A relative feed is the page's own origin; a full one is its host.
        assert_eq!(
            connect(r#"{"feed":"/feeds/demo.json"}"#),
            [
                "'self'",
                "https://static.common-ground.io",
                "https://api-client.common-ground.io"
            ]
        );
        assert_eq!(
            connect(
                r#"{"feed":"http://127.0.0.1:9/x.json","shops-url":"https://partner.example/cg/shops.json","inventory-url":"https://p2.example/inv"}"#
            ),
            [
                "'self'",
                "https://static.common-ground.io",
                "http://127.0.0.1:9",
                "https://partner.example",
                "https://p2.example",
                "https://api-client.common-ground.io"
            ]
        );
        // The same host twice is named once; user info is not the host.
        assert_eq!(
            connect(
                r#"{"cdn":"http://localhost:8080","api":"http://localhost:8080/graphql","feed":"http://x@localhost:8080/f"}"#
            ),
            ["'self'", "http://localhost:8080"]
        );
        let page = configure_page(
            PRISTINE,
            r#"{"cdn":"http://localhost:8080","api":"http://127.0.0.1:8080/graphql"}"#,
        )
        .unwrap();
        assert_eq!(
            directive(&policy_of(&page), "img-src"),
            [
                "'self'",
                "https:",
                "http://localhost:8080",
                "http://127.0.0.1:8080"
            ]
        );
        let page = configure_page(PRISTINE, r#"{"cdn":"http://cdn.example"}"#).unwrap();
        assert_eq!(
            directive(&policy_of(&page), "img-src"),
            ["'self'", "https:"],
            "only loopback http images"
        );
    }

    #[test]
    fn configuring_again_replaces_the_block_and_the_policy() {
        let a = r#"{"shop":"1234","cdn":"http://localhost:8080"}"#;
        let b = r#"{"shops-url":"https://partner.example/shops.json","api":"https://api.example/graphql","origin":"www.x.com"}"#;
        let once = configure_page(PRISTINE, a).unwrap();
        assert_eq!(configure_page(&once, a).unwrap(), once, "idempotent");
        let other = configure_page(PRISTINE, b).unwrap();
        assert_eq!(
            configure_page(&other, a).unwrap(),
            once,
            "configuring a configured page is configuring the pristine one"
        );
        assert_eq!(
            configure_page(&configure_page(&once, b).unwrap(), a).unwrap(),
            once
        );
        // Extra copies (a hand-edited page) go; hand-written forms are found.
        let messy = PRISTINE.replace(
            "<title>",
            "<META HTTP-EQUIV='content-security-policy' CONTENT=\"default-src *\">\n    <script id=cg-config type=\"application/json\">{\"shop\":\"1\"}</script>\n    <script type=\"application/json\" id=\"cg-config\">{}</script>\n    <title>",
        );
        let page = configure_page(&messy, a).unwrap();
        assert_eq!(
            (
                page.matches(CONFIG_BLOCK_ID).count(),
                page.to_ascii_lowercase()
                    .matches("content-security-policy")
                    .count()
            ),
            (1, 1),
            "{page}"
        );
        assert_eq!(block_of(&page)["shop"], "1234");
        assert!(!page.contains("default-src *"));
        assert_eq!(configure_page(&page, a).unwrap(), page);
    }

    #[test]
    fn a_value_cannot_break_out_of_the_block() {
        // A relative feed path may hold any printable character.
        let config = r#"{"feed":"/x/</script><script>alert(1)</script><!--&"}"#;
        let page = configure_page(PRISTINE, config).unwrap();
        let block_start = page.find(CONFIG_BLOCK_ID).unwrap();
        let block =
            &page[block_start..block_start + page[block_start..].find("</script>").unwrap()];
        assert!(
            !block.contains("<script") && !block.contains("<!--") && !block.contains('&'),
            "{block}"
        );
        assert_eq!(
            block_of(&page)["feed"],
            "/x/</script><script>alert(1)</script><!--&"
        );
        assert_eq!(
            page.matches("<script").count(),
            2,
            "no script but the block and the page's own"
        );
        // A script's text mentioning the block is not the block.
        let tricky = PRISTINE.replace("</head>", "<script>const s = '<script type=\"application/json\" id=\"cg-config\">';</script>\n  </head>");
        let page = configure_page(&tricky, "{}").unwrap();
        assert!(page.contains("const s = '<script type=\"application/json\" id=\"cg-config\">';"));
    }

    #[test]
    fn hostile_and_invalid_settings_are_errors_naming_them() {
        let err = |config: &str| configure_page(PRISTINE, config).unwrap_err();
        assert_eq!(
            err(r#"{"api":"javascript:alert(1)"}"#),
            DeployError::InvalidSettings(vec!["api".into()])
        );
        assert_eq!(
            err(r#"{"api":"http://evil.example/graphql"}"#),
            DeployError::InvalidSettings(vec!["api".into()]),
            "credentials over plain http"
        );
        assert_eq!(
            err(
                r#"{"shop":["1234"],"cdn":"javascript:x","currency":"EURO","timeout":0,"theme":null}"#
            ),
            DeployError::InvalidSettings(vec![
                "cdn".into(),
                "currency".into(),
                "shop".into(),
                "theme".into(),
                "timeout".into()
            ])
        );
        assert_eq!(
            err(r#"{"shop":"1","tracker":"https://evil.example","Shop":"2"}"#),
            DeployError::UnknownSettings(vec!["Shop".into(), "tracker".into()])
        );
        assert!(err(r#"{"shop":"1","tracker":"x"}"#)
            .to_string()
            .contains("tracker"));
        assert_eq!(err("[]"), DeployError::NotAnObject);
        assert_eq!(err("\"shop\""), DeployError::NotAnObject);
        assert!(matches!(err("{"), DeployError::NotJson(_)));
        assert!(matches!(err(""), DeployError::NotJson(_)));
        // A host a policy cannot name exactly could smuggle in a source or directive.
        for host in [
            "https://a.example;script-src",
            "https://a.example'unsafe-inline'",
            "https://[::1]:8080",
            "https://bücher.example",
        ] {
            let config = serde_json::json!({ "cdn": host }).to_string();
            match configure_page(PRISTINE, &config) {
                Err(DeployError::UnlistableHost("cdn")) | Err(DeployError::InvalidSettings(_)) => {}
                other => panic!("{host}: {other:?}"),
            }
        }
        let long = format!(r#"{{"{}":"x"}}"#, "k".repeat(500));
        assert!(
            err(&long).to_string().len() < 400,
            "an unknown name is clipped"
        );
        assert_eq!(
            configure_page("<p>no head</p>", "{}"),
            Err(DeployError::NoHead)
        );
    }

    #[test]
    fn numbers_and_booleans_are_values() {
        let page = configure_page(
            PRISTINE,
            r#"{"shop":1234,"timeout":30,"url-state":true,"page-cap":5}"#,
        )
        .unwrap();
        let (config, notices) = Config::from_deploy_json(&block_of(&page).to_string());
        assert!(notices.is_empty());
        assert_eq!(
            (
                config.shop.as_deref(),
                config.timeout_seconds,
                config.url_state,
                config.page_cap
            ),
            (Some("1234"), 30, true, 5)
        );
    }

    #[test]
    fn a_page_with_only_a_head_gets_both() {
        let page =
            configure_page("<html><head></head><body></body></html>", r#"{"shop":"1"}"#).unwrap();
        assert!(
            page.starts_with("<html><head>\n  <meta http-equiv=\"Content-Security-Policy\""),
            "{page}"
        );
        assert_eq!(configure_page(&page, r#"{"shop":"1"}"#).unwrap(), page);
    }

    /// The repository's `index.html` carries an empty block and the policy
    /// of the default configuration, in step with this module.
    #[test]
    fn the_source_page_is_configured_for_the_defaults() {
        let index = include_str!("../../../index.html");
        assert_eq!(
            configure_page(index, "{}").unwrap(),
            index,
            "run: cargo run --bin cg-configure -- index.html <(echo '{{}}')"
        );
        assert_eq!(block_of(index), serde_json::json!({}));
    }

    /// The end-to-end harness splits settings from view state with the same list.
    #[test]
    fn the_e2e_harness_knows_every_setting() {
        let harness = include_str!("../../../tests/e2e/harness.mjs");
        let marker = "export const CONFIG_PARAMS = [";
        let start = harness.find(marker).expect("the list") + marker.len();
        let list = &harness[start..start + harness[start..].find("];").unwrap()];
        let mut names: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        let mut params = CONFIG_PARAMS.to_vec();
        names.sort_unstable();
        params.sort_unstable();
        assert_eq!(names, params);
    }
}
