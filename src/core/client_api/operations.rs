//! The GraphQL documents the widget sends, each exactly as the spec shows
//! it, and the request bodies built from them.

use super::base64::base64;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The operations the widget uses, for error mapping and request logs.
/// Each is sent exactly as `../shared/spec/` shows it, since a GraphQL
/// server refuses any field, argument or input field its schema lacks.
/// There is no availability query: `inventoryItems` cannot filter by item,
/// and paging through a whole shop to check a cart is the scraping the
/// feed's terms forbid. `checkoutUpdateItems` answers for what is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Logs a buyer in with email and password.
    Login,
    /// Creates a buyer's account and logs them in.
    Register,
    /// Opens an empty checkout for the logged-in buyer.
    CheckoutCreate,
    /// Puts the cart's lines into a checkout.
    CheckoutUpdateItems,
}

impl Operation {
    /// The root field holding the answer in `data`.
    pub fn field(self) -> &'static str {
        match self {
            Operation::Login => "login",
            Operation::Register => "register",
            Operation::CheckoutCreate => "checkoutCreate",
            Operation::CheckoutUpdateItems => "checkoutUpdateItems",
        }
    }

    /// Whether the call needs `Authorization: Bearer <jwt>`.
    pub fn needs_session(self) -> bool {
        matches!(
            self,
            Operation::CheckoutCreate | Operation::CheckoutUpdateItems
        )
    }
}

/// One GraphQL request body.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphqlRequest {
    /// The operation's name in the document, sent as `operationName`.
    #[serde(rename = "operationName")]
    pub operation_name: &'static str,
    /// The GraphQL document, exactly as the spec shows it.
    pub query: &'static str,
    /// The document's variables, as a JSON object.
    pub variables: Value,
    /// Which operation this is, for reading the answer (not sent).
    #[serde(skip)]
    pub operation: Operation,
}

impl GraphqlRequest {
    /// The JSON body to POST.
    pub fn body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

// The selections of the quick-start guide, shared by the operations that
// return them (macros, so `concat!` can build each query at compile time).
macro_rules! session_fields {
    () => {
        "session { _id jwt expires user { _id email firstName lastName } } sessionsCount"
    };
}
macro_rules! checkout_fields {
    () => {
        "_id id configRef origin created updated expires status message useSingleAddress"
    };
}

/// `login`: email and password are sent base64-encoded, as the API requires.
pub fn login(email: &str, password: &str) -> GraphqlRequest {
    const QUERY: &str = concat!(
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ",
        session_fields!(),
        " } }"
    );
    GraphqlRequest {
        operation_name: "Login",
        query: QUERY,
        variables: json!({ "email": base64(email.trim()), "password": base64(password) }),
        operation: Operation::Login,
    }
}

/// `register`: like [`login`], plus the buyer's name. The spec names the
/// mutation without spelling it out; these arguments are the one
/// assumption (README, and the emulator's schema).
pub fn register(email: &str, password: &str, first_name: &str, last_name: &str) -> GraphqlRequest {
    const QUERY: &str = concat!(
        "mutation Register($email: String!, $password: String!, $firstName: String, $lastName: String) { ",
        "register(email: $email, password: $password, firstName: $firstName, lastName: $lastName) { ",
        session_fields!(),
        " } }"
    );
    GraphqlRequest {
        operation_name: "Register",
        query: QUERY,
        variables: json!({
            "email": base64(email.trim()),
            "password": base64(password),
            "firstName": first_name.trim(),
            "lastName": last_name.trim(),
        }),
        operation: Operation::Register,
    }
}

/// `checkoutCreate`: an empty, open checkout for the logged-in buyer.
pub fn checkout_create() -> GraphqlRequest {
    const QUERY: &str = concat!(
        "mutation CheckoutCreate { checkoutCreate { ",
        checkout_fields!(),
        " } }"
    );
    GraphqlRequest {
        operation_name: "CheckoutCreate",
        query: QUERY,
        variables: json!({}),
        operation: Operation::CheckoutCreate,
    }
}

/// One line sent to `checkoutUpdateItems`: the numeric listing id, never `_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutItemInput {
    /// The listing's numeric id, sent as `listingId`.
    #[serde(rename = "listingId")]
    pub listing_id: u64,
    /// How many of it.
    pub quantity: u32,
}

/// `checkoutUpdateItems`: adds `items` to the checkout (the spec's words;
/// see [`Session::checkout_holding`](super::Session::checkout_holding)
/// for why a checkout is sent items once).
pub fn checkout_update_items(checkout_id: &str, items: &[CheckoutItemInput]) -> GraphqlRequest {
    const QUERY: &str = concat!(
        "mutation CheckoutUpdateItems($id: String!, $items: [CheckoutItemInput!]) { ",
        "checkoutUpdateItems(id: $id, items: $items) { ",
        checkout_fields!(),
        " } }"
    );
    GraphqlRequest {
        operation_name: "CheckoutUpdateItems",
        query: QUERY,
        variables: json!({ "id": checkout_id, "items": items }),
        operation: Operation::CheckoutUpdateItems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn login_sends_base64_credentials_and_keeps_the_password_exact() {
        let request = login(" buyer@example.com ", " pass word ");
        assert_eq!(request.variables["email"], base64("buyer@example.com"));
        assert_eq!(
            request.variables["password"],
            base64(" pass word "),
            "spaces are part of a password"
        );
        let body: Value = serde_json::from_str(&request.body()).unwrap();
        assert_eq!(body["operationName"], "Login");
        assert!(body["query"]
            .as_str()
            .unwrap()
            .contains("login(email: $email, password: $password)"));
        assert!(!request.body().contains("pass word"));
    }

    #[test]
    fn checkout_items_use_numeric_listing_ids() {
        let request = checkout_update_items(
            "abc-AbC1d",
            &[CheckoutItemInput {
                listing_id: 1_765_470_890_000,
                quantity: 2,
            }],
        );
        assert!(request
            .body()
            .contains(r#""items":[{"listingId":1765470890000,"quantity":2}]"#));
        assert_eq!(request.variables["id"], "abc-AbC1d");
        assert!(checkout_create().body().contains(r#""variables":{}"#));
    }
}
