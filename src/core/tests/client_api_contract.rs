//! The widget's Client API requests, exactly as `core::client_api` builds
//! them, run through the emulator's schema-validating GraphQL server: each
//! one parses, validates against the documented schema and runs, and the
//! widget reads each answer. A request with anything the guide does not
//! show (a field, an argument, an input field) is refused with HTTP 400,
//! as the real API refuses it, and the widget calls that a refusal.

use cg_core::client_api::{
    self, checkout_create, checkout_update_items, login, parse_checkout, parse_session, register,
    ApiError, CheckoutItemInput, GraphqlRequest,
};
use cg_emulator::generator::generate_shop_feed;
use cg_emulator::graphql::{GqlRequest, Graphql, ShopData, SEED_EMAIL, SEED_PASSWORD};
use serde_json::{json, Value};
use std::sync::Arc;

const DOMAIN: &str = "www.my-vinyl-store.com";
const SHOP: u64 = 1234;
const API: &str = "https://api-client.common-ground.io";

struct Api {
    graphql: Graphql,
    shop: Arc<ShopData>,
}

impl Api {
    fn new() -> Self {
        let feed = generate_shop_feed(60, 7, SHOP, "http://127.0.0.1:1");
        Self {
            graphql: Graphql::new(vec![(DOMAIN.into(), SHOP)], 3_600_000),
            shop: Arc::new(ShopData::from_feed(feed.as_bytes())),
        }
    }

    /// Sends a body as the widget does: the origin header, the JWT if any.
    fn send(&self, body: &Value, jwt: Option<&str>) -> (u16, Value) {
        let bearer = jwt.map(|t| format!("Bearer {t}"));
        let request = GqlRequest {
            origin: Some(DOMAIN),
            authorization: bearer.as_deref(),
            body,
        };
        let shop = |id: u64| (id == SHOP).then(|| self.shop.clone());
        self.graphql.execute(&request, &shop)
    }

    /// Sends one of the widget's requests, asserting the server ran it.
    fn run(&self, request: &GraphqlRequest, jwt: Option<&str>) -> (u16, String) {
        let body: Value = serde_json::from_str(&request.body()).unwrap();
        let (status, answer) = self.send(&body, jwt);
        assert_eq!(status, 200, "{} refused: {answer}", request.operation_name);
        if let Some(errors) = answer.get("errors") {
            panic!("{} answered errors: {errors}", request.operation_name);
        }
        (status, answer.to_string())
    }

    /// A listing id the shop sells: one of it always fits the stock and
    /// any one-per-customer limit.
    fn some_listing(&self) -> u64 {
        let mut ids: Vec<u64> = self.shop.listings.keys().copied().collect();
        ids.sort_unstable();
        ids[0]
    }
}

#[test]
fn every_request_the_widget_sends_is_valid_and_answered() {
    let api = Api::new();

    let (status, body) = api.run(&login(SEED_EMAIL, SEED_PASSWORD), None);
    let session = parse_session(client_api::Operation::Login, status, &body, API).unwrap();
    assert_eq!(session.first_name.as_deref(), Some("Ada"));

    let (status, body) = api.run(
        &register("grace@example.com", "a long pass phrase", "Grace", "Hopper"),
        None,
    );
    let registered = parse_session(client_api::Operation::Register, status, &body, API).unwrap();
    assert_eq!(registered.first_name.as_deref(), Some("Grace"));

    let (status, body) = api.run(&checkout_create(), Some(&session.jwt));
    let checkout = parse_checkout(client_api::Operation::CheckoutCreate, status, &body).unwrap();

    let items = [CheckoutItemInput {
        listing_id: api.some_listing(),
        quantity: 1,
    }];
    let (status, body) = api.run(
        &checkout_update_items(&checkout.id, &items),
        Some(&session.jwt),
    );
    let updated =
        parse_checkout(client_api::Operation::CheckoutUpdateItems, status, &body).unwrap();
    assert_eq!(updated.id, checkout.id);

    // The server holds what the widget sent.
    let state = api.graphql.state();
    let held = state["checkouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == checkout.id.as_str())
        .unwrap();
    assert_eq!(
        held["items"],
        json!([{ "listingId": items[0].listing_id, "quantity": 1 }])
    );
}

/// The availability query earlier versions sent: `inventoryItems` filtered
/// by `itemIds`, an input field the guide does not show.
fn item_ids_body() -> Value {
    json!({
        "operationName": "Availability",
        "query": "query Availability($filters: InventoryFiltersInput!, $pagination: PaginationInput!) { inventoryItems(filters: $filters, pagination: $pagination) { items { id listings { id } } } }",
        "variables": { "filters": { "stock": "inStock", "itemIds": [1, 2] }, "pagination": { "page": 1, "limit": 2 } },
    })
}

#[test]
fn undocumented_parts_are_refused_and_the_widget_says_so() {
    let api = Api::new();
    let jwt = {
        let (status, body) = api.run(&login(SEED_EMAIL, SEED_PASSWORD), None);
        parse_session(client_api::Operation::Login, status, &body, API)
            .unwrap()
            .jwt
    };
    let undocumented = [
        // an input field in the variables
        (item_ids_body(), "BAD_USER_INPUT"),
        // the same as a literal
        (
            json!({ "query": "query { inventoryItems(filters: { itemIds: [1] }, pagination: {}) { items { id } } }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // a field the guide's checkout does not have
        (
            json!({ "query": "mutation CheckoutCreate { checkoutCreate { id items { listingId quantity } } }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // an argument
        (
            json!({ "query": "mutation { checkoutCreate(note: \"x\") { id } }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // an operation
        (
            json!({ "query": "query { me { email } }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // not GraphQL
        (
            json!({ "query": "mutation { login(" }),
            "GRAPHQL_PARSE_FAILED",
        ),
    ];
    for (body, code) in undocumented {
        let (status, answer) = api.send(&body, Some(&jwt));
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{body}");
        assert!(answer.get("data").is_none(), "{answer}");
        // The widget reads any such answer as a request it must not retry
        // and the buyer cannot fix.
        let read = parse_checkout(
            client_api::Operation::CheckoutCreate,
            status,
            &answer.to_string(),
        );
        assert!(matches!(read, Err(ApiError::Unsupported(_))), "{read:?}");
    }
}

#[test]
fn a_tampered_widget_request_is_refused() {
    // Each of the widget's own documents with one undocumented selection
    // added is refused: the schema is what decides, not the operation name.
    let api = Api::new();
    for request in [
        login(SEED_EMAIL, SEED_PASSWORD),
        checkout_create(),
        checkout_update_items("abc-AbC1d", &[]),
    ] {
        let mut body: Value = serde_json::from_str(&request.body()).unwrap();
        let query = body["query"].as_str().unwrap().to_string();
        let tampered = query.replacen(" _id ", " _id internalNotes ", 1);
        assert_ne!(tampered, query, "{}", request.operation_name);
        body["query"] = tampered.into();
        let (status, answer) = api.send(&body, None);
        assert_eq!(
            (status, answer["errors"][0]["extensions"]["code"].as_str()),
            (400, Some("GRAPHQL_VALIDATION_FAILED")),
            "{}",
            request.operation_name
        );
    }
}
