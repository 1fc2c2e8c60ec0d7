//! The partner's shop list: the real, token-gated endpoint
//! (`/inventory/dumps/list`), the partner's CORS proxy in front of it
//! (`/partner/shops.json`, served as a feed) and the shops' storefront
//! pages the list links to.

use super::cdn::Feed;
use super::reply::Reply;
use super::state::State;
use crate::http::{percent_decode, Request};
use crate::shops::{shop_list, shop_name};
use serde_json::Value;
use std::sync::Arc;

impl State {
    /// `GET /inventory/dumps/list`, the real API: token required, and no
    /// CORS so a browser can never read it (the token must not reach one).
    pub(super) fn dumps_list(&self, req: &Request) -> Reply {
        if bearer(req) == Some(self.config.partner_token.as_str()) {
            Reply::json(200, &self.shop_list_json()).header("Cache-Control", "no-store")
        } else {
            Reply::error(401, "unauthorized").header("WWW-Authenticate", "Bearer")
        }
    }

    pub(super) fn shop_list_json(&self) -> Value {
        shop_list(&self.listed, &self.removed, &self.local_base, self.started)
    }

    /// The shop list as a feed (`/partner/shops.json`), built once.
    pub(super) fn shop_list_feed(&self) -> Arc<Feed> {
        self.shop_list
            .get_or_init(|| {
                Arc::new(Feed::new(
                    self.shop_list_json().to_string().into_bytes(),
                    self.started,
                ))
            })
            .clone()
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub(super) fn bearer(req: &Request) -> Option<&str> {
    let (scheme, token) = req.header("authorization")?.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// A shop's storefront page on the emulator (`/store/{id}/...`), so item
/// links (`uri` + `path`) lead somewhere.
pub(super) fn storefront(id: &str, path: &str) -> Reply {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let name = id
        .parse::<u64>()
        .map_or_else(|_| "Unknown shop".to_string(), shop_name);
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{name}</title><h1>{name}</h1><p>Storefront page <code>{}</code></p>\n",
        escape(&percent_decode(path, false))
    );
    Reply::with_body(200, "text/html; charset=utf-8", body).header("Cache-Control", "no-cache")
}
