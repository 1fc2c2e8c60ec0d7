//! The answers of `login`, `register`, `checkoutCreate` and
//! `checkoutUpdateItems`, read into a [`Session`] or a [`Checkout`].

use super::clip;
use super::envelope::parse_response;
use super::errors::ApiError;
use super::operations::Operation;
use super::session::{
    epoch_ms, Checkout, Session, MAX_CHECKOUT_ID_CHARS, MAX_JWT_CHARS, MAX_NAME_CHARS,
};
use serde::Deserialize;
use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.example";

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
}
