//! The GraphQL answer envelope: the operation's `data` field, or the
//! typed error its `errors[]` (or its HTTP status) stand for.

use super::errors::ApiError;
use super::operations::Operation;
use super::{clip, MAX_MESSAGE_CHARS};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_api::{parse_checkout, parse_session};

    const API: &str = "https://api.example";

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
