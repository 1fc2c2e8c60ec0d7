//! The Common Ground Client API (GraphQL) as plain data: the requests the
//! widget sends and the answers it understands. The transport lives in the
//! browser shell; everything that can go wrong is mapped to [`ApiError`]
//! here, where it is tested natively.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use thiserror::Error;

/// The public Client API endpoint.
pub const DEFAULT_API: &str = "https://api-client.common-ground.io/graphql";
/// Names the shop every request is for (the quick-start guide misspells it).
pub const ORIGIN_HEADER: &str = "commonground-origin";
/// Server messages are shown to the buyer; an endless one is cut.
const MAX_MESSAGE_CHARS: usize = 300;

/// The operations the widget uses, for error mapping and request logs.
/// Each is sent exactly as `../shared/spec/` shows it, since a GraphQL
/// server refuses any field, argument or input field its schema lacks.
/// There is no availability query: `inventoryItems` cannot filter by item,
/// and paging through a whole shop to check a cart is the scraping the
/// feed's terms forbid. `checkoutUpdateItems` answers for what is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Login,
    Register,
    CheckoutCreate,
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
    #[serde(rename = "operationName")]
    pub operation_name: &'static str,
    pub query: &'static str,
    pub variables: Value,
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
    #[serde(rename = "listingId")]
    pub listing_id: u64,
    pub quantity: u32,
}

/// `checkoutUpdateItems`: adds `items` to the checkout (the spec's words;
/// see [`Session::checkout_holding`] for why a checkout is sent items once).
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

/// A logged-in buyer, as kept for the browser session. Never the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub jwt: String,
    /// The origin of the API that issued the token: the only one it is sent to.
    #[serde(default)]
    pub api: String,
    /// Milliseconds since the epoch.
    pub expires: i64,
    #[serde(default)]
    pub first_name: Option<String>,
    /// The open checkout created in this session, re-used until it expires.
    #[serde(default)]
    pub checkout: Option<Checkout>,
}

/// The latest expiry taken as a date (the end of year 9999, in epoch
/// milliseconds); anything later, or before 1970, counts as expired rather
/// than as a token that never expires.
pub const MAX_EXPIRES_MS: i64 = 253_402_300_799_999;
/// Longest token kept.
const MAX_JWT_CHARS: usize = 8_192;
/// Longest checkout id kept.
const MAX_CHECKOUT_ID_CHARS: usize = 200;
/// Longest first name kept.
const MAX_NAME_CHARS: usize = 60;

/// Whether something expiring at `expires` is still good at `now_ms`, with
/// `margin_ms` to spare. Saturating: no stored or answered value overflows.
fn unexpired(expires: i64, margin_ms: i64, now_ms: i64) -> bool {
    (0..=MAX_EXPIRES_MS).contains(&expires) && expires.saturating_sub(margin_ms) > now_ms
}

/// An epoch-milliseconds number from JSON, if it is one ([`MAX_EXPIRES_MS`]).
fn epoch_ms(value: f64) -> Option<i64> {
    // `as` saturates (and NaN is 0), so the range check sees any input.
    (value.is_finite() && (0.0..=MAX_EXPIRES_MS as f64).contains(&value)).then_some(value as i64)
}

impl Session {
    /// Sessions this close to expiry count as expired, so a call never
    /// starts with a token that dies on the way.
    pub const EXPIRY_MARGIN_MS: i64 = 30_000;

    /// Whether the session can still be used at `now_ms`.
    pub fn is_valid_at(&self, now_ms: i64) -> bool {
        !self.jwt.is_empty() && unexpired(self.expires, Self::EXPIRY_MARGIN_MS, now_ms)
    }

    /// The open checkout to re-use at `now_ms`, if any.
    pub fn open_checkout(&self, now_ms: i64) -> Option<&Checkout> {
        self.checkout.as_ref().filter(|c| c.is_open_at(now_ms))
    }

    /// The open checkout that already holds exactly `items` at `now_ms`,
    /// to hand the buyer over to as it is. `checkoutUpdateItems` "adds
    /// items to an existing checkout" (the spec), so a checkout is sent
    /// items once: any other cart gets a new checkout. That is right
    /// whether the API adds or replaces.
    pub fn checkout_holding(&self, items: &[CheckoutItemInput], now_ms: i64) -> Option<Checkout> {
        self.open_checkout(now_ms)
            .filter(|open| !items.is_empty() && open.sent_items == items)
            .cloned()
    }

    /// Reads a stored session for the API at origin `api`. Storage is
    /// input like any other: a session issued by another API is discarded,
    /// so its token is never sent here; without a usable token or expiry
    /// there is no login. Every other field is read leniently and clipped:
    /// a bad name or checkout costs that field, not the login.
    pub fn from_storage(text: &str, api: &str) -> Option<Session> {
        let Value::Object(stored) = serde_json::from_str::<Value>(text).ok()? else {
            return None;
        };
        let jwt = stored
            .get("jwt")?
            .as_str()
            .filter(|jwt| !jwt.is_empty() && jwt.len() <= MAX_JWT_CHARS && jwt.is_ascii())?;
        let issued_by = stored.get("api")?.as_str()?;
        if api.is_empty() || issued_by != api {
            return None;
        }
        let expires = stored
            .get("expires")
            .and_then(Value::as_f64)
            .and_then(epoch_ms)?;
        let first_name = stored
            .get("first_name")
            .and_then(Value::as_str)
            .map(|name| clip(name.trim(), MAX_NAME_CHARS))
            .filter(|n| !n.is_empty());
        let checkout = stored.get("checkout").and_then(Checkout::from_stored);
        Some(Session {
            jwt: jwt.to_owned(),
            api: api.to_owned(),
            expires,
            first_name,
            checkout,
        })
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A checkout as the API describes it, and what the widget sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub expires: Option<i64>,
    /// The items sent to it with `checkoutUpdateItems` (empty when none).
    #[serde(default)]
    pub sent_items: Vec<CheckoutItemInput>,
}

impl Checkout {
    /// Whether items can still be put in this checkout at `now_ms`.
    pub fn is_open_at(&self, now_ms: i64) -> bool {
        let open = self
            .status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("open"));
        open && self
            .expires
            .is_none_or(|e| unexpired(e, Session::EXPIRY_MARGIN_MS, now_ms))
    }

    /// A stored checkout, leniently: `None` without a usable id; a bad
    /// status, expiry or line is dropped on its own.
    fn from_stored(value: &Value) -> Option<Checkout> {
        let id = value
            .get("id")?
            .as_str()
            .filter(|id| !id.is_empty() && id.chars().count() <= MAX_CHECKOUT_ID_CHARS)?;
        if id.chars().any(char::is_control) {
            return None;
        }
        let status = value
            .get("status")
            .and_then(Value::as_str)
            .map(|s| clip(s, 40));
        // A stored expiry that is not a date: the checkout counts as closed.
        let expires = match value.get("expires") {
            None | Some(Value::Null) => None,
            Some(expires) => Some(expires.as_f64().and_then(epoch_ms).unwrap_or(-1)),
        };
        let sent_items = value
            .get("sent_items")
            .and_then(Value::as_array)
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|line| {
                        serde_json::from_value::<CheckoutItemInput>(line.clone()).ok()
                    })
                    .take(crate::cart::MAX_LINES)
                    .collect()
            })
            .unwrap_or_default();
        Some(Checkout {
            id: id.to_owned(),
            status,
            expires,
            sent_items,
        })
    }
}

#[derive(Deserialize)]
struct SessionPayload {
    session: Option<RawSession>,
}

#[derive(Deserialize)]
struct RawSession {
    jwt: Option<String>,
    expires: Option<f64>,
    user: Option<RawUser>,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(rename = "firstName")]
    first_name: Option<String>,
}

/// The session from a `login` or `register` answer of the API at origin
/// `api`, which the session is bound to.
pub fn parse_session(
    operation: Operation,
    status: u16,
    body: &str,
    api: &str,
) -> Result<Session, ApiError> {
    let payload: SessionPayload = parse_response(operation, status, body)?;
    let raw = payload.session.ok_or(ApiError::Malformed)?;
    let jwt = raw
        .jwt
        .filter(|j| !j.is_empty() && j.len() <= MAX_JWT_CHARS && j.is_ascii())
        .ok_or(ApiError::Malformed)?;
    let expires = raw.expires.and_then(epoch_ms).ok_or(ApiError::Malformed)?;
    let first_name = raw
        .user
        .and_then(|u| u.first_name)
        .map(|n| clip(n.trim(), MAX_NAME_CHARS))
        .filter(|n| !n.is_empty());
    Ok(Session {
        jwt,
        api: api.to_owned(),
        expires,
        first_name,
        checkout: None,
    })
}

#[derive(Deserialize)]
struct RawCheckout {
    id: Option<Value>,
    status: Option<String>,
    expires: Option<f64>,
}

/// The checkout from a `checkoutCreate` or `checkoutUpdateItems` answer.
pub fn parse_checkout(operation: Operation, status: u16, body: &str) -> Result<Checkout, ApiError> {
    let raw: RawCheckout = parse_response(operation, status, body)?;
    let id = match raw.id {
        Some(Value::String(id))
            if !id.is_empty()
                && id.chars().count() <= MAX_CHECKOUT_ID_CHARS
                && !id.chars().any(char::is_control) =>
        {
            id
        }
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(ApiError::Malformed),
    };
    // An answered expiry that is not a date: the checkout is not re-used.
    let expires = raw.expires.map(|e| epoch_ms(e).unwrap_or(-1));
    Ok(Checkout {
        id,
        status: raw.status.map(|s| clip(&s, 40)),
        expires,
        sent_items: Vec::new(),
    })
}

/// Everything a Client API call can end in, worded for the buyer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ApiError {
    #[error("That email and password did not match an account at this shop. {0}")]
    LoginRejected(String),
    #[error("Your session has expired. Please log in again to continue.")]
    SessionExpired,
    #[error("Some records in your cart are no longer available.")]
    ListingsUnavailable(Vec<u64>),
    #[error("The checkout could not be found or is closed.")]
    CheckoutClosed,
    #[error("This shop does not accept orders from this site yet ({0}).")]
    Forbidden(String),
    #[error("The shop answered: {0}")]
    Rejected(String),
    #[error("The shop's checkout service is unavailable (HTTP {0}). Please try again.")]
    Http(u16),
    #[error(
        "The shop's checkout service sent an answer that could not be read. Please try again."
    )]
    Malformed,
    #[error(
        "The shop's checkout service could not be reached. Check your connection and try again."
    )]
    Network,
    #[error("The shop's checkout service did not answer in time. Please try again.")]
    Timeout,
    /// The API refused the request itself (HTTP 400, a GraphQL parse or
    /// validation error): the widget's own bug, never the buyer's. The
    /// technical message is for the console only.
    #[error("Checkout is unavailable right now. Your cart is kept; please try again later.")]
    Unsupported(String),
}

impl ApiError {
    /// Whether trying the same call again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Http(_) | ApiError::Malformed | ApiError::Network | ApiError::Timeout
        )
    }

    /// What the developer console should get besides the buyer's message.
    pub fn technical_detail(&self) -> Option<&str> {
        match self {
            ApiError::Unsupported(detail) => Some(detail),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<Value>,
    errors: Option<Vec<GraphqlError>>,
}

#[derive(Deserialize)]
struct GraphqlError {
    message: Option<String>,
    extensions: Option<Extensions>,
}

#[derive(Deserialize)]
struct Extensions {
    code: Option<String>,
    #[serde(rename = "listingId")]
    listing_id: Option<Value>,
}

/// Reads a GraphQL answer: the `operation`'s field from `data`, or the
/// typed error that explains why there is none. Any `errors[]` entry fails
/// the call, with or without `data`: a half-done checkout is not done.
pub fn parse_response<T: DeserializeOwned>(
    operation: Operation,
    status: u16,
    body: &str,
) -> Result<T, ApiError> {
    let Ok(envelope) = serde_json::from_str::<Envelope>(body) else {
        return Err(if (200..300).contains(&status) {
            ApiError::Malformed
        } else {
            http_error(operation, status)
        });
    };
    if let Some(errors) = envelope.errors.filter(|e| !e.is_empty()) {
        if let Some(refused) = refused_request(status, &errors) {
            return Err(refused);
        }
        return Err(map_errors(operation, status, &errors));
    }
    if !(200..300).contains(&status) {
        return Err(http_error(operation, status));
    }
    let field = envelope
        .data
        .and_then(|mut data| data.get_mut(operation.field()).map(Value::take))
        .filter(|v| !v.is_null());
    field
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or(ApiError::Malformed)
}

/// Codes with which GraphQL servers refuse a document before running it.
const REFUSED_DOCUMENT_CODES: [&str; 3] = [
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_REQUEST",
];

/// The error for a request the server refused as a whole: HTTP 400 with
/// GraphQL errors (parse, validation and variable coercion all answer so),
/// or a parse or validation code whatever the status. A resolver's
/// `BAD_USER_INPUT` at HTTP 200 ("Account already exists") is not one.
fn refused_request(status: u16, errors: &[GraphqlError]) -> Option<ApiError> {
    let refused = status == 400
        || errors.iter().any(|e| {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.code.as_deref())
                .unwrap_or("");
            REFUSED_DOCUMENT_CODES
                .iter()
                .any(|refused| refused.eq_ignore_ascii_case(code))
        });
    refused.then(|| {
        let first = &errors[0];
        let code = first
            .extensions
            .as_ref()
            .and_then(|x| x.code.as_deref())
            .unwrap_or("no code");
        let message = clip(
            first.message.as_deref().unwrap_or("").trim(),
            MAX_MESSAGE_CHARS,
        );
        ApiError::Unsupported(format!("HTTP {status}, {}: {message}", clip(code, 60)))
    })
}

fn http_error(operation: Operation, status: u16) -> ApiError {
    match status {
        400 => ApiError::Unsupported(format!(
            "HTTP 400 from {} without GraphQL errors",
            operation.field()
        )),
        401 if operation.needs_session() => ApiError::SessionExpired,
        401 => ApiError::LoginRejected(String::new()),
        403 => ApiError::Forbidden(format!("HTTP {status}")),
        _ => ApiError::Http(status),
    }
}

fn map_errors(operation: Operation, status: u16, errors: &[GraphqlError]) -> ApiError {
    let code_of = |e: &GraphqlError| {
        e.extensions
            .as_ref()
            .and_then(|x| x.code.as_deref())
            .unwrap_or("")
            .to_ascii_uppercase()
    };
    let unavailable: Vec<u64> = errors
        .iter()
        .filter(|e| code_of(e) == "LISTING_UNAVAILABLE")
        .filter_map(|e| e.extensions.as_ref()?.listing_id.as_ref()?.as_u64())
        .collect();
    if errors.iter().any(|e| code_of(e) == "LISTING_UNAVAILABLE") {
        return ApiError::ListingsUnavailable(unavailable);
    }
    let first = &errors[0];
    let message = clip(
        first.message.as_deref().unwrap_or("").trim(),
        MAX_MESSAGE_CHARS,
    );
    let unauthenticated = errors.iter().any(|e| code_of(e) == "UNAUTHENTICATED") || status == 401;
    match operation {
        Operation::Login | Operation::Register if unauthenticated => {
            ApiError::LoginRejected(message)
        }
        Operation::Login | Operation::Register if code_of(first) == "BAD_USER_INPUT" => {
            ApiError::Rejected(message)
        }
        _ if unauthenticated => ApiError::SessionExpired,
        _ if code_of(first) == "FORBIDDEN" || status == 403 => ApiError::Forbidden(message),
        Operation::CheckoutUpdateItems if code_of(first) == "NOT_FOUND" => ApiError::CheckoutClosed,
        _ if message.is_empty() => ApiError::Rejected("an unexplained error".to_owned()),
        _ => ApiError::Rejected(message),
    }
}

/// At most `max` characters of `text`, without control characters.
fn clip(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}

/// Standard base64 (RFC 4648, padded) of the UTF-8 bytes of `text`.
pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let sextet = |shift: u32| ALPHABET[((n >> shift) & 63) as usize] as char;
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.example";

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain), encoded);
        }
        assert_eq!(base64("é€"), "w6nigqw=");
    }

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

    #[test]
    fn parses_the_documented_login_answer() {
        let body = r#"{"data":{"login":{"session":{"_id":"6","jwt":"eyJ.a.b","expires":1773247501000,
            "user":{"_id":"u","email":"e","firstName":"First","lastName":"Last"}},"sessionsCount":1}}}"#;
        let session = parse_session(Operation::Login, 200, body, API).unwrap();
        assert_eq!(session.jwt, "eyJ.a.b");
        assert_eq!(session.api, API, "bound to the API that issued it");
        assert_eq!(session.expires, 1_773_247_501_000);
        assert_eq!(session.first_name.as_deref(), Some("First"));
        assert!(session.is_valid_at(1_773_247_501_000 - 60_000));
        assert!(
            !session.is_valid_at(1_773_247_501_000 - 10_000),
            "inside the safety margin"
        );
    }

    #[test]
    fn parses_the_documented_checkout_answer() {
        let body = r#"{"data":{"checkoutCreate":{"_id":"693a","id":"abc-AbC1d","configRef":"0f","origin":"Online",
            "created":1765473025596,"orderId":null,"updated":1765473025596,"expires":1768151425596,"status":"open",
            "message":null,"useSingleAddress":true}}}"#;
        let checkout = parse_checkout(Operation::CheckoutCreate, 200, body).unwrap();
        assert_eq!(checkout.id, "abc-AbC1d");
        assert!(checkout.is_open_at(1_765_473_025_596));
        assert!(!checkout.is_open_at(1_768_151_425_596));
        let closed = Checkout {
            status: Some("completed".into()),
            ..checkout
        };
        assert!(!closed.is_open_at(0));
    }

    fn error_body(code: &str, message: &str) -> String {
        format!(
            r#"{{"data":null,"errors":[{{"message":"{message}","extensions":{{"code":"{code}"}}}}]}}"#
        )
    }

    #[test]
    fn maps_graphql_errors_to_typed_errors() {
        let bad_login = parse_session(
            Operation::Login,
            200,
            &error_body("UNAUTHENTICATED", "Invalid email or password"),
            API,
        );
        assert_eq!(
            bad_login,
            Err(ApiError::LoginRejected("Invalid email or password".into()))
        );
        let expired = parse_checkout(
            Operation::CheckoutCreate,
            200,
            &error_body("UNAUTHENTICATED", "jwt expired"),
        );
        assert_eq!(expired, Err(ApiError::SessionExpired));
        let forbidden = parse_checkout(
            Operation::CheckoutCreate,
            200,
            &error_body("FORBIDDEN", "Unknown store origin"),
        );
        assert_eq!(
            forbidden,
            Err(ApiError::Forbidden("Unknown store origin".into()))
        );
        let closed = parse_checkout(
            Operation::CheckoutUpdateItems,
            200,
            &error_body("NOT_FOUND", "no"),
        );
        assert_eq!(closed, Err(ApiError::CheckoutClosed));
        let other = parse_checkout(
            Operation::CheckoutCreate,
            200,
            &error_body("INTERNAL", "boom"),
        );
        assert_eq!(other, Err(ApiError::Rejected("boom".into())));
    }

    #[test]
    fn errors_fail_the_call_even_with_data() {
        let body = r#"{"data":{"checkoutUpdateItems":{"id":"c"}},"errors":[{"message":"Listing 5 is no longer available",
            "extensions":{"code":"LISTING_UNAVAILABLE","listingId":5}},{"message":"x","extensions":{"code":"LISTING_UNAVAILABLE","listingId":6}}]}"#;
        assert_eq!(
            parse_checkout(Operation::CheckoutUpdateItems, 200, body),
            Err(ApiError::ListingsUnavailable(vec![5, 6]))
        );
    }

    #[test]
    fn http_failures_and_unreadable_bodies() {
        assert_eq!(
            parse_checkout(Operation::CheckoutCreate, 500, "<html>oops</html>"),
            Err(ApiError::Http(500))
        );
        assert_eq!(
            parse_checkout(Operation::CheckoutCreate, 401, ""),
            Err(ApiError::SessionExpired)
        );
        assert_eq!(
            parse_checkout(Operation::CheckoutCreate, 200, "not json"),
            Err(ApiError::Malformed)
        );
        assert_eq!(
            parse_checkout(
                Operation::CheckoutCreate,
                200,
                r#"{"data":{"checkoutCreate":null}}"#
            ),
            Err(ApiError::Malformed)
        );
        assert_eq!(
            parse_checkout(
                Operation::CheckoutCreate,
                200,
                r#"{"data":{"checkoutCreate":{"id":[]}}}"#
            ),
            Err(ApiError::Malformed)
        );
        assert_eq!(
            parse_session(
                Operation::Login,
                200,
                r#"{"data":{"login":{"session":{"jwt":"","expires":1}}}}"#,
                API
            ),
            Err(ApiError::Malformed)
        );
        assert_eq!(
            parse_checkout(Operation::CheckoutCreate, 502, r#"{"data":null}"#),
            Err(ApiError::Http(502))
        );
        assert!(ApiError::Http(503).is_transient() && !ApiError::SessionExpired.is_transient());
    }

    #[test]
    fn server_messages_are_clipped_and_stripped() {
        let long = "x".repeat(5000);
        let Err(ApiError::Rejected(message)) = parse_checkout(
            Operation::CheckoutCreate,
            200,
            &error_body("E", &format!("a\\u0007{long}")),
        ) else {
            panic!("expected a rejection");
        };
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS);
        assert!(message.starts_with("ax"));
    }

    #[test]
    fn stored_sessions_round_trip_and_junk_is_logged_out() {
        let session = Session {
            jwt: "a.b.c".into(),
            api: API.into(),
            expires: 10_000_000,
            first_name: Some("Ada".into()),
            checkout: Some(Checkout {
                id: "c1".into(),
                status: Some("open".into()),
                expires: Some(20_000_000),
                sent_items: vec![CheckoutItemInput {
                    listing_id: 7,
                    quantity: 2,
                }],
            }),
        };
        assert_eq!(
            Session::from_storage(&session.to_storage(), API),
            Some(session.clone())
        );
        let earlier = r#"{"jwt":"a.b.c","api":"https://api.example","expires":10000000,"checkout":{"id":"c1","status":"open","expires":20000000}}"#;
        assert_eq!(
            Session::from_storage(earlier, API)
                .and_then(|s| s.checkout)
                .map(|c| c.sent_items),
            Some(Vec::new()),
            "a session stored before items were kept"
        );
        assert_eq!(session.open_checkout(0).map(|c| c.id.as_str()), Some("c1"));
        assert_eq!(session.open_checkout(20_000_000), None);
        for junk in [
            "",
            "null",
            "{}",
            r#"{"jwt":""}"#,
            r#"{"jwt":5,"expires":1}"#,
            "[1,2]",
            r#"{"jwt":"a.b.c","expires":10000000}"#,
        ] {
            assert_eq!(Session::from_storage(junk, API), None, "{junk}");
        }
        assert!(!session.to_storage().to_lowercase().contains("password"));
    }

    #[test]
    fn a_checkout_is_sent_its_items_once() {
        let line = |listing_id, quantity| CheckoutItemInput {
            listing_id,
            quantity,
        };
        let cart = vec![line(1, 1), line(2, 3)];
        let open = |sent_items: Vec<CheckoutItemInput>| Checkout {
            id: "c1".into(),
            status: Some("open".into()),
            expires: Some(20_000_000),
            sent_items,
        };
        let session = |checkout: Option<Checkout>| Session {
            jwt: "a.b.c".into(),
            api: API.into(),
            expires: 30_000_000,
            first_name: None,
            checkout,
        };

        assert_eq!(session(None).checkout_holding(&cart, 0), None);
        assert_eq!(
            session(Some(open(cart.clone()))).checkout_holding(&cart, 0),
            Some(open(cart.clone()))
        );
        for changed in [
            vec![],
            vec![line(1, 1)],
            vec![line(1, 1), line(2, 4)],
            vec![line(1, 1), line(2, 3), line(9, 1)],
        ] {
            assert_eq!(
                session(Some(open(changed))).checkout_holding(&cart, 0),
                None,
                "a changed cart is never added on top"
            );
        }
        assert_eq!(
            session(Some(open(Vec::new()))).checkout_holding(&[], 0),
            None,
            "an empty cart has nothing to check out"
        );
        assert_eq!(
            session(Some(open(cart.clone()))).checkout_holding(&cart, 20_000_000),
            None,
            "expired"
        );
        let paid = Checkout {
            status: Some("completed".into()),
            ..open(cart.clone())
        };
        assert_eq!(session(Some(paid)).checkout_holding(&cart, 0), None);
    }

    #[test]
    fn a_session_issued_by_another_api_is_never_restored() {
        // A link (or a page configured with another endpoint) must not get
        // the token of the API the buyer logged in to.
        let stored = Session {
            jwt: "real.token.x".into(),
            api: API.into(),
            expires: 10_000_000,
            first_name: Some("Ada".into()),
            checkout: None,
        }
        .to_storage();
        assert!(Session::from_storage(&stored, API).is_some());
        for other in [
            "https://evil.example",
            "http://api.example",
            "https://api.example:8443",
            "",
        ] {
            assert_eq!(Session::from_storage(&stored, other), None, "{other}");
        }
    }

    #[test]
    fn expiry_arithmetic_saturates_and_nonsense_counts_as_expired() {
        let at = |expires: i64| Session {
            jwt: "a.b.c".into(),
            api: API.into(),
            expires,
            first_name: None,
            checkout: None,
        };
        for expires in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX, MAX_EXPIRES_MS + 1] {
            assert!(!at(expires).is_valid_at(1_000), "{expires}");
            let checkout = Checkout {
                id: "c".into(),
                status: None,
                expires: Some(expires),
                sent_items: Vec::new(),
            };
            assert!(!checkout.is_open_at(1_000), "{expires}");
        }
        assert!(at(MAX_EXPIRES_MS).is_valid_at(1_000));
        // From storage and from the API: huge, negative, fractional-huge.
        for expires in [
            "-1e300",
            "1e300",
            "-9223372036854775808",
            "9223372036854775807",
            "1.8e19",
            "-0.5e1",
        ] {
            let stored = format!(r#"{{"jwt":"a.b.c","api":"{API}","expires":{expires}}}"#);
            assert_eq!(
                Session::from_storage(&stored, API),
                None,
                "stored {expires}"
            );
            let answer = format!(
                r#"{{"data":{{"login":{{"session":{{"jwt":"a.b.c","expires":{expires}}}}}}}}}"#
            );
            assert_eq!(
                parse_session(Operation::Login, 200, &answer, API),
                Err(ApiError::Malformed),
                "answered {expires}"
            );
            let checkout = parse_checkout(
                Operation::CheckoutCreate,
                200,
                &format!(r#"{{"data":{{"checkoutCreate":{{"id":"c","expires":{expires}}}}}}}"#),
            )
            .unwrap();
            assert!(
                !checkout.is_open_at(0),
                "a checkout answered with expiry {expires} is not re-used"
            );
        }
    }

    #[test]
    fn a_stored_session_is_clipped_and_a_bad_field_costs_only_that_field() {
        let huge = "x".repeat(1_000_000);
        let stored = format!(
            r#"{{"jwt":"a.b.c","api":"{API}","expires":10000000,"first_name":"{huge}","checkout":{{"id":"{huge}","status":"open"}}}}"#
        );
        let session = Session::from_storage(&stored, API).expect("still logged in");
        assert_eq!(
            session.first_name.map(|n| n.chars().count()),
            Some(MAX_NAME_CHARS)
        );
        assert_eq!(
            session.checkout, None,
            "a 1 MB checkout id is not a checkout"
        );
        let bad_fields = [
            r#""first_name":5"#,
            r#""first_name":{"x":1}"#,
            r#""checkout":"c1""#,
            r#""checkout":{"id":7}"#,
            r#""checkout":{"id":"c1","status":5,"expires":"soon","sent_items":[{"listingId":"x"},{"listingId":3,"quantity":1}]}"#,
        ];
        for field in bad_fields {
            let stored = format!(r#"{{"jwt":"a.b.c","api":"{API}","expires":10000000,{field}}}"#);
            let session = Session::from_storage(&stored, API)
                .unwrap_or_else(|| panic!("{field} logged the buyer out"));
            assert_eq!(session.jwt, "a.b.c");
        }
        let lenient = Session::from_storage(
            &format!(
                r#"{{"jwt":"a.b.c","api":"{API}","expires":10000000,{}}}"#,
                bad_fields[4]
            ),
            API,
        )
        .unwrap();
        let checkout = lenient.checkout.unwrap();
        assert_eq!(
            checkout.sent_items,
            vec![CheckoutItemInput {
                listing_id: 3,
                quantity: 1
            }]
        );
        assert!(
            !checkout.is_open_at(0),
            "an expiry that is not a date closes the checkout"
        );
        assert_eq!(
            Session::from_storage(
                &format!(r#"{{"jwt":"{huge}","api":"{API}","expires":10000000}}"#),
                API
            ),
            None
        );
    }

    #[test]
    fn a_request_the_server_refuses_is_the_widgets_bug_not_the_buyers() {
        let validation = r#"{"errors":[{"message":"Field \"itemIds\" is not defined by type \"InventoryFiltersInput\".","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#;
        let coercion = r#"{"errors":[{"message":"Variable \"$items\" got invalid value","extensions":{"code":"BAD_USER_INPUT"}}]}"#;
        for (status, body) in [
            (400, validation),
            (200, validation),
            (400, coercion),
            (400, ""),
        ] {
            let error = parse_checkout(Operation::CheckoutUpdateItems, status, body).unwrap_err();
            assert!(
                matches!(error, ApiError::Unsupported(_)),
                "{status} {body}: {error:?}"
            );
            assert!(error
                .to_string()
                .starts_with("Checkout is unavailable right now"));
            assert!(
                !error.to_string().contains("itemIds"),
                "the technical message is not the buyer's"
            );
        }
        let detail = parse_checkout(Operation::CheckoutCreate, 400, validation).unwrap_err();
        assert!(
            detail.technical_detail().unwrap().contains("itemIds"),
            "for the console"
        );
        // A resolver's own input error is still the shop's answer.
        let exists = parse_session(
            Operation::Register,
            200,
            &error_body("BAD_USER_INPUT", "Account already exists"),
            API,
        );
        assert_eq!(
            exists,
            Err(ApiError::Rejected("Account already exists".into()))
        );
    }
}
