//! The Common Ground Client API (GraphQL) as plain data: the requests the
//! widget sends and the answers it understands. The transport lives in the
//! browser shell; everything that can go wrong is mapped to [`ApiError`]
//! here, where it is tested natively.

mod answers;
mod base64;
mod envelope;
mod errors;
mod operations;
mod session;

pub use answers::{parse_checkout, parse_session};
pub use base64::base64;
pub use envelope::parse_response;
pub use errors::ApiError;
pub use operations::{
    checkout_create, checkout_update_items, login, register, CheckoutItemInput, GraphqlRequest,
    Operation,
};
pub use session::{Checkout, Session, MAX_EXPIRES_MS};

/// The public Client API endpoint.
pub const DEFAULT_API: &str = "https://api-client.common-ground.io/graphql";
/// Names the shop every request is for (the quick-start guide misspells it).
pub const ORIGIN_HEADER: &str = "commonground-origin";
/// Server messages are shown to the buyer; an endless one is cut.
const MAX_MESSAGE_CHARS: usize = 300;

/// At most `max` characters of `text`, without control characters.
fn clip(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}
