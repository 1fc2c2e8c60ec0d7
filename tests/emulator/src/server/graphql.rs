//! The GraphQL Client API's HTTP side: `POST /graphql` with its
//! request-level checks and CORS, routed to the engine in
//! [`crate::graphql`], and the `/__graphql/*` controls tests use.

use super::faults::FailNext;
use super::reply::Reply;
use super::state::{lock, State};
use crate::graphql::{self, GqlRequest, ShopData};
use crate::http::Request;
use serde_json::{json, Value};
use std::sync::Arc;

impl State {
    /// `POST /__graphql/expire-sessions`.
    pub(super) fn graphql_expire_sessions(&self) -> Reply {
        Reply::json(200, &json!({ "expired": self.graphql.expire_sessions() }))
    }

    /// `POST /__graphql/sold-out/{listingId}`.
    pub(super) fn graphql_sold_out(&self, id: &str) -> Reply {
        match id.parse::<u64>() {
            Ok(id) => {
                self.graphql.sell_out(id);
                Reply::json(200, &json!({ "soldOut": id }))
            }
            Err(_) => Reply::error(400, "listing id must be a number"),
        }
    }

    /// `POST /__graphql/fail-next?status=&count=&hang=1&delay=&operation=`.
    pub(super) fn graphql_fail_next(&self, req: &Request) -> Reply {
        match FailNext::from_request(req) {
            Ok(f) => {
                *lock(&self.graphql_fail) = f;
                let operation = req
                    .query_values("operation")
                    .into_iter()
                    .next()
                    .filter(|o| !o.is_empty());
                *lock(&self.graphql_fail_operation) = operation.clone();
                Reply::json(
                    200,
                    &json!({ "failNext": f.to_json(), "operation": operation }),
                )
            }
            Err(msg) => Reply::error(400, &msg),
        }
    }

    /// `GET /__graphql/state`.
    pub(super) fn graphql_state(&self) -> Reply {
        Reply::json(200, &self.graphql.state()).header("Cache-Control", "no-store")
    }

    /// The parsed feed of a shop, for the GraphQL API.
    fn shop_data(&self, id: u64) -> Option<Arc<ShopData>> {
        let feed = self.shop_feed(id)?;
        let shop = self.shops.get(&id)?;
        Some(
            shop.parsed
                .get_or_init(|| Arc::new(ShopData::from_feed(&feed.json)))
                .clone(),
        )
    }

    /// `POST /graphql`: request-level checks, then the API itself.
    pub(super) fn graphql_route(&self, req: &Request) -> Reply {
        let operation = lock(&self.graphql_fail_operation).clone();
        let targeted = operation.is_none_or(|wanted| {
            serde_json::from_slice::<Value>(&req.body)
                .is_ok_and(|body| body["operationName"].as_str() == Some(wanted.as_str()))
        });
        if let Some(fail) = targeted
            .then(|| FailNext::take(&self.graphql_fail))
            .flatten()
        {
            return fail.reply();
        }
        let bad_request = |message: &str| {
            Reply::json(
                400,
                &json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] }),
            )
        };
        let json_type = req.header("content-type").is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
        if !json_type {
            return bad_request("Content-Type must be application/json");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return bad_request("POST body is not valid JSON");
        };
        if !body["query"].is_string() {
            return bad_request("POST body must be a JSON object with a string \"query\"");
        }
        if !(body["variables"].is_object() || body["variables"].is_null()) {
            return bad_request("\"variables\" must be a JSON object");
        }
        let gql = GqlRequest {
            origin: req.header("commonground-origin"),
            authorization: req.header("authorization"),
            body: &body,
        };
        let (status, value) = self.graphql.execute(&gql, &|id| self.shop_data(id));
        Reply::json(status, &value).header("Cache-Control", "no-store")
    }
}

/// CORS headers of the GraphQL API, on its answers and its preflight: the
/// caller's Origin echoed, the three request headers it needs, POST.
pub(super) fn graphql_cors(req: &Request, reply: Reply) -> Reply {
    let reply = reply
        .header(
            "Access-Control-Allow-Origin",
            req.header("origin").unwrap_or("*"),
        )
        .header("Vary", "Origin")
        .header("Access-Control-Allow-Methods", "POST, OPTIONS")
        .header("Access-Control-Allow-Headers", graphql::ALLOWED_HEADERS);
    if reply.status == 204 {
        reply.header("Access-Control-Max-Age", "600")
    } else {
        reply
    }
}
