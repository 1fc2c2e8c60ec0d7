//! The GraphQL half of the emulator: the documented schema
//! (`schema.graphql`), and apollo-compiler to parse, validate and run
//! requests against it as a real GraphQL server does.
//!
//! A request is refused as a whole (HTTP 400, `{"errors": [...]}`, no
//! `data`) when its document does not parse (`GRAPHQL_PARSE_FAILED`), does
//! not validate against the schema (`GRAPHQL_VALIDATION_FAILED`: an
//! unknown field, argument or input field, a wrong type...), names no
//! operation it holds (`OPERATION_RESOLUTION_FAILURE`) or has variables
//! that do not coerce to their declared types (`BAD_USER_INPUT`).
//!
//! Otherwise the operation runs: each root field is answered by
//! [`RootFields`] as plain JSON, and that JSON is projected onto the
//! request's selection set by apollo-compiler's executor, so the answer has
//! exactly the fields asked for, under their aliases, with fragments,
//! `@skip`/`@include` and `__typename` honoured.

use super::error::{refusal, GqlError};
use apollo_compiler::parser::Parser;
use apollo_compiler::request::coerce_variable_values;
use apollo_compiler::resolvers::{Execution, FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use apollo_compiler::response::{JsonMap, JsonValue, ResponseDataPathSegment};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;

/// The schema's source: the documented API and nothing else.
pub const SCHEMA_SDL: &str = include_str!("../../schema.graphql");

/// Bounds on a request document, so a hostile one cannot exhaust the
/// emulator (the documented operations need a few hundred tokens).
const TOKEN_LIMIT: usize = 20_000;
const RECURSION_LIMIT: usize = 64;

/// Answers the root fields of an operation that passed validation.
pub(crate) trait RootFields {
    /// The value of root field `field` given its coerced `arguments`, as
    /// JSON holding at least the fields the schema declares (extra members
    /// are never sent: only what the selection asks for is).
    fn resolve(&self, field: &str, arguments: &Map<String, Value>) -> Result<Value, GqlError>;
}

/// A request that parsed, validated, and whose variables coerced.
pub(crate) struct Prepared {
    document: Valid<ExecutableDocument>,
    operation_name: Option<String>,
    variables: Valid<JsonMap>,
}

/// The validated schema.
pub(crate) struct Engine {
    schema: Valid<Schema>,
}

/// A request refused as a whole: the HTTP status and body.
pub(crate) type Refused = (u16, Value);

impl Engine {
    /// Loads [`SCHEMA_SDL`]. It is part of the emulator, so an invalid one
    /// is a bug caught by every test.
    pub(crate) fn new() -> Self {
        let schema = Schema::parse_and_validate(SCHEMA_SDL, "schema.graphql")
            .unwrap_or_else(|e| panic!("tests/emulator/schema.graphql is invalid:\n{}", e.errors));
        Self { schema }
    }

    /// Parses and validates `query`, chooses the operation and coerces the
    /// variables: everything a server checks before running anything.
    pub(crate) fn prepare(
        &self,
        query: &str,
        operation_name: Option<&str>,
        variables: &Map<String, Value>,
    ) -> Result<Prepared, Refused> {
        let ast = Parser::new()
            .token_limit(TOKEN_LIMIT)
            .recursion_limit(RECURSION_LIMIT)
            .parse_ast(query, "request.graphql")
            .map_err(|e| refused("GRAPHQL_PARSE_FAILED", diagnostics(&e.errors)))?;
        let document = ast
            .to_executable_validate(&self.schema)
            .map_err(|e| refused("GRAPHQL_VALIDATION_FAILED", diagnostics(&e.errors)))?;
        let operation = document.operations.get(operation_name).map_err(|e| {
            refused(
                "OPERATION_RESOLUTION_FAILURE",
                [json!({ "message": e.message().to_string() })],
            )
        })?;
        let raw: JsonMap = convert(&Value::Object(variables.clone())).unwrap_or_default();
        let variables = coerce_variable_values(&self.schema, operation, &raw).map_err(|e| {
            let error = e.to_graphql_error(&document.sources);
            refused("BAD_USER_INPUT", [to_json(&error)])
        })?;
        Ok(Prepared {
            operation_name: operation.name.as_ref().map(|n| n.to_string()),
            document,
            variables,
        })
    }

    /// Runs a prepared request: the response body (HTTP 200).
    pub(crate) fn execute(&self, prepared: &Prepared, fields: &dyn RootFields) -> Value {
        let Ok(operation) = prepared
            .document
            .operations
            .get(prepared.operation_name.as_deref())
        else {
            return internal_error("the prepared operation went missing");
        };
        let root = Root {
            type_name: operation.object_type().as_str(),
            fields,
            failures: RefCell::default(),
        };
        let response = match Execution::new(&self.schema, &prepared.document)
            .operation(operation)
            .coerced_variable_values(&prepared.variables)
            .execute_sync(&root)
        {
            Ok(response) => response,
            Err(e) => return internal_error(&e.message().to_string()),
        };
        let mut failures = root.failures.into_inner();
        let mut data_null = response.data.is_none();
        let errors: Vec<Value> = response
            .errors
            .iter()
            .map(|error| {
                let mut body = to_json(error);
                // A resolver's own error: put back its code and members,
                // which apollo-compiler's field errors do not carry.
                let key = match error.path.as_slice() {
                    [ResponseDataPathSegment::Field(key)] => Some(key.as_str()),
                    _ => None,
                };
                let failure = key
                    .and_then(|key| failures.iter().position(|(k, _)| k == key))
                    .map(|at| failures.remove(at).1);
                body["extensions"] = match failure {
                    Some(failure) => {
                        data_null |= failure.data_null;
                        // apollo-compiler prefixes "resolver error: ".
                        body["message"] = failure.message.clone().into();
                        Value::Object(failure.extensions())
                    }
                    // Result coercion: the emulator's JSON disagrees with
                    // its schema, a bug of the emulator.
                    None => json!({ "code": "INTERNAL_SERVER_ERROR" }),
                };
                body
            })
            .collect();
        let data = match (&response.data, data_null) {
            (Some(data), false) => serde_json::to_value(data).unwrap_or(Value::Null),
            _ => Value::Null,
        };
        let mut body = json!({ "data": data });
        if !errors.is_empty() {
            body["errors"] = Value::Array(errors);
        }
        body
    }
}

fn refused(code: &str, errors: impl IntoIterator<Item = Value>) -> Refused {
    (400, refusal(code, errors))
}

fn internal_error(message: &str) -> Value {
    json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": "INTERNAL_SERVER_ERROR" } }] })
}

/// Each diagnostic as a GraphQL error: message and locations.
fn diagnostics(list: &apollo_compiler::validation::DiagnosticList) -> Vec<Value> {
    list.iter().map(|d| to_json(&d.to_json())).collect()
}

fn to_json(error: &impl serde::Serialize) -> Value {
    serde_json::to_value(error).unwrap_or(Value::Null)
}

/// Between serde_json's values and apollo-compiler's (serde_json_bytes).
fn convert<T: serde::Serialize, U: serde::de::DeserializeOwned>(value: &T) -> Option<U> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

/// The root object: its fields are the operations.
struct Root<'a> {
    type_name: &'a str,
    fields: &'a dyn RootFields,
    /// The resolvers' errors, by response key, to restore their codes.
    failures: RefCell<Vec<(String, GqlError)>>,
}

impl ObjectValue for Root<'_> {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn resolve_field<'b>(
        &'b self,
        info: &'b ResolveInfo<'b>,
    ) -> Result<ResolvedValue<'b>, FieldError> {
        let arguments = convert(info.arguments()).unwrap_or_default();
        match self.fields.resolve(info.field_name(), &arguments) {
            Ok(value) => Ok(resolved(Cow::Owned(value), field_type(info))),
            Err(error) => {
                let key = info.field_selections()[0].response_key().to_string();
                let message = error.message.clone();
                self.failures.borrow_mut().push((key, error));
                Err(FieldError { message })
            }
        }
    }
}

/// A JSON object seen as a GraphQL object of type `type_name`: a field is
/// the member of its name, `null` when absent.
struct JsonObject<'a> {
    type_name: &'a str,
    members: Cow<'a, Map<String, Value>>,
}

impl ObjectValue for JsonObject<'_> {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn resolve_field<'b>(
        &'b self,
        info: &'b ResolveInfo<'b>,
    ) -> Result<ResolvedValue<'b>, FieldError> {
        Ok(match self.members.get(info.field_name()) {
            Some(value) => resolved(Cow::Borrowed(value), field_type(info)),
            None => ResolvedValue::null(),
        })
    }
}

/// The named type of the field being resolved (the element type of a list).
fn field_type<'b>(info: &'b ResolveInfo<'b>) -> &'b str {
    info.field_definition().ty.inner_named_type().as_str()
}

/// A JSON value as the executor takes it: objects as [`JsonObject`]s of
/// the field's type, arrays as lists of it, anything else as a leaf the
/// executor checks against the field's scalar type.
fn resolved<'b>(value: Cow<'b, Value>, type_name: &'b str) -> ResolvedValue<'b> {
    match value {
        Cow::Borrowed(Value::Object(members)) => ResolvedValue::object(JsonObject {
            type_name,
            members: Cow::Borrowed(members),
        }),
        Cow::Owned(Value::Object(members)) => ResolvedValue::object(JsonObject {
            type_name,
            members: Cow::Owned(members),
        }),
        Cow::Borrowed(Value::Array(elements)) => ResolvedValue::list(
            elements
                .iter()
                .map(move |e| resolved(Cow::Borrowed(e), type_name)),
        ),
        Cow::Owned(Value::Array(elements)) => ResolvedValue::list(
            elements
                .into_iter()
                .map(move |e| resolved(Cow::Owned(e), type_name)),
        ),
        leaf => ResolvedValue::Leaf(convert::<Value, JsonValue>(&leaf).unwrap_or(JsonValue::Null)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Root fields answering fixed JSON, or an error for `checkoutCreate`.
    struct Fixed;

    impl RootFields for Fixed {
        fn resolve(&self, field: &str, arguments: &Map<String, Value>) -> Result<Value, GqlError> {
            match field {
                "login" => Ok(json!({
                    "session": { "_id": "s1", "jwt": arguments["email"], "expires": 1773247501000u64,
                                 "user": { "_id": "u1", "email": "a@b.c", "firstName": "Ada", "lastName": null },
                                 "secret": "never sent" },
                    "sessionsCount": 1,
                })),
                "checkoutCreate" => Err(GqlError::request(
                    "UNAUTHENTICATED",
                    "Session expired or invalid",
                )),
                "checkoutUpdateItems" => Err(GqlError::field("NOT_FOUND", "Checkout not found")
                    .with("id", arguments["id"].clone())
                    .with("items", arguments.get("items").cloned().unwrap_or_default())),
                _ => Ok(json!({ "sessionsCount": "many" })),
            }
        }
    }

    fn run(query: &str, variables: Value) -> Result<Value, Refused> {
        let engine = Engine::new();
        let vars = variables.as_object().cloned().unwrap_or_default();
        let prepared = engine.prepare(query, None, &vars)?;
        Ok(engine.execute(&prepared, &Fixed))
    }

    fn code(refused: &Refused) -> (u16, &str) {
        (
            refused.0,
            refused.1["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or(""),
        )
    }

    #[test]
    fn the_answer_has_exactly_the_selection() {
        let body = run(
            r#"mutation M($e: String!) { me: login(email: $e, password: "p") {
                 __typename ...S session @include(if: true) { expires user { firstName @skip(if: true) email } } } }
               fragment S on LoginResult { sessionsCount }"#,
            json!({ "e": "x" }),
        )
        .unwrap();
        assert_eq!(
            body,
            json!({ "data": { "me": { "__typename": "LoginResult", "sessionsCount": 1,
                "session": { "expires": 1773247501000u64, "user": { "email": "a@b.c" } } } } })
        );
    }

    #[test]
    fn refusals_name_their_stage() {
        let parse = run("mutation { login(", json!({})).unwrap_err();
        assert_eq!(code(&parse), (400, "GRAPHQL_PARSE_FAILED"));
        assert!(parse.1.get("data").is_none());
        for invalid in [
            // an undocumented field, argument, input field, operation
            "mutation { checkoutCreate { id items { listingId } } }",
            "mutation { checkoutCreate(shop: 1) { id } }",
            r#"query { inventoryItems(filters: { itemIds: [1] }, pagination: {}) { items { id } } }"#,
            "query { availability { id } }",
            // a variable of the wrong type for its argument
            "mutation ($id: Int!) { checkoutUpdateItems(id: $id) { id } }",
            // a required argument left out
            "query { inventoryItems(filters: {}) { items { id } } }",
        ] {
            let refused = run(invalid, json!({})).unwrap_err();
            assert_eq!(
                code(&refused),
                (400, "GRAPHQL_VALIDATION_FAILED"),
                "{invalid}"
            );
        }
        let q = "mutation ($items: [CheckoutItemInput!]) { checkoutUpdateItems(id: \"a\", items: $items) { id } }";
        for bad in [
            json!({ "items": [{ "listingId": 1, "quantity": 1, "itemIds": [] }] }),
            json!({ "items": [{ "listingId": 1 }] }),
            json!({ "items": [{ "listingId": 1, "quantity": "1" }] }),
        ] {
            let refused = run(q, bad.clone()).unwrap_err();
            assert_eq!(code(&refused), (400, "BAD_USER_INPUT"), "{bad}");
        }
        let two = "query A { inventoryItems(filters: {}, pagination: {}) { items { id } } } mutation B { checkoutCreate { id } }";
        let refused = run(two, json!({})).unwrap_err();
        assert_eq!(code(&refused), (400, "OPERATION_RESOLUTION_FAILURE"));
    }

    #[test]
    fn resolver_errors_keep_their_code_and_members() {
        let body = run(
            r#"mutation { c: checkoutUpdateItems(id: "abc") { id } }"#,
            json!({}),
        )
        .unwrap();
        assert_eq!(body["data"], json!({ "c": null }));
        assert_eq!(body["errors"][0]["message"], "Checkout not found");
        assert_eq!(
            body["errors"][0]["extensions"],
            json!({ "code": "NOT_FOUND", "id": "abc", "items": null })
        );
        assert_eq!(body["errors"][0]["path"], json!(["c"]));
        // Literal arguments reach the resolver coerced: a listing id beyond
        // 32 bits intact, one object as a list of one.
        let body = run(
            r#"mutation { checkoutUpdateItems(id: "x", items: { listingId: 1765470890000, quantity: 2 }) { id } }"#,
            json!({}),
        )
        .unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["items"],
            json!([{ "listingId": 1765470890000u64, "quantity": 2 }])
        );
        let body = run("mutation { checkoutCreate { id } }", json!({})).unwrap();
        assert_eq!(body["data"], Value::Null);
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }

    #[test]
    fn json_that_breaks_the_schema_is_the_emulators_bug() {
        // `sessionsCount` is an Int; the fixed answer holds a string.
        let body = run(
            r#"mutation { register(email: "e", password: "p") { sessionsCount } }"#,
            json!({}),
        )
        .unwrap();
        assert_eq!(
            body["data"],
            json!({ "register": { "sessionsCount": null } })
        );
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "INTERNAL_SERVER_ERROR"
        );
    }
}
