//! The errors a resolver answers with: GraphQL field errors carrying
//! `extensions.code`, as the Client API sends them at HTTP 200.

use serde_json::{json, Map, Value};

/// A resolver's error: its message, `extensions.code` and any extra
/// `extensions` members.
#[derive(Debug, Clone, PartialEq)]
pub struct GqlError {
    pub message: String,
    pub code: &'static str,
    /// Extra `extensions` members (e.g. `listingId`).
    pub extra: Map<String, Value>,
    /// Whether the whole `data` is null (request-level errors: origin,
    /// session) rather than just the field (resolver errors).
    pub data_null: bool,
}

impl GqlError {
    /// An error of one field: its key in `data` becomes `null`.
    pub(crate) fn field(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
            extra: Map::new(),
            data_null: false,
        }
    }

    /// An error of the whole request: `data` becomes `null`.
    pub(crate) fn request(code: &'static str, message: &str) -> Self {
        Self {
            data_null: true,
            ..Self::field(code, message)
        }
    }

    /// The same error with one more `extensions` member.
    pub(crate) fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_string(), value);
        self
    }

    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Self::field("BAD_USER_INPUT", message)
    }

    /// `extensions`: the code first, then the extra members.
    pub fn extensions(&self) -> Map<String, Value> {
        let mut extensions = Map::new();
        extensions.insert("code".into(), self.code.into());
        extensions.extend(self.extra.clone());
        extensions
    }

    /// A response body holding only this error, for a request that failed
    /// before any field ran (the origin check).
    pub fn body(&self) -> Value {
        json!({ "data": null, "errors": [{ "message": self.message, "extensions": self.extensions() }] })
    }
}

/// A body refusing the request as a whole: `{"errors": [...]}`, no `data`,
/// each error with `extensions.code` = `code` (sent with HTTP 400).
pub(crate) fn refusal(code: &str, errors: impl IntoIterator<Item = Value>) -> Value {
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|mut error| {
            error["extensions"] = json!({ "code": code });
            error
        })
        .collect();
    json!({ "errors": errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_start_with_the_code() {
        let e = GqlError::field("LISTING_UNAVAILABLE", "Listing 5 is no longer available")
            .with("listingId", 5.into());
        assert_eq!(
            Value::Object(e.extensions()),
            json!({"code":"LISTING_UNAVAILABLE","listingId":5})
        );
        assert_eq!(
            GqlError::request("FORBIDDEN", "Unknown store origin").body(),
            json!({"data":null,"errors":[{"message":"Unknown store origin","extensions":{"code":"FORBIDDEN"}}]})
        );
    }

    #[test]
    fn a_refusal_has_no_data() {
        assert_eq!(
            refusal("GRAPHQL_PARSE_FAILED", [json!({"message": "x"})]),
            json!({"errors":[{"message":"x","extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]})
        );
    }
}
