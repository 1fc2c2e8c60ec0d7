//! Sends Client API requests: JSON over POST to the configured endpoint,
//! with the shop's `commonground-origin` header and, for checkout calls,
//! the buyer's token. Answers are read by the core.

use super::stall_timer::StallTimer;
use crate::core::client_api::{ApiError, GraphqlRequest, ORIGIN_HEADER};
use gloo_net::http::Request;

/// Seconds a Client API call may take before the buyer is told.
const TIMEOUT_MS: u32 = 20_000;

/// Where Client API calls go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTarget {
    /// The GraphQL endpoint.
    pub api: String,
    /// The shop domain sent as `commonground-origin`.
    pub origin: String,
}

/// Posts `request`, returning the HTTP status and body text. The token goes
/// in a header only: never in a URL, never logged.
pub async fn post_graphql(
    target: &ApiTarget,
    request: &GraphqlRequest,
    jwt: Option<&str>,
) -> Result<(u16, String), ApiError> {
    let timer = StallTimer::new(TIMEOUT_MS);
    let signal = timer.signal();
    let mut builder = Request::post(&target.api)
        .header("content-type", "application/json")
        .header(ORIGIN_HEADER, &target.origin)
        // Credentials (cookies) of the API host are never needed nor sent.
        .credentials(web_sys::RequestCredentials::Omit)
        .abort_signal(signal.as_ref());
    if let Some(jwt) = jwt.filter(|_| request.operation.needs_session()) {
        builder = builder.header("authorization", &format!("Bearer {jwt}"));
    }
    let failed = |timer: &StallTimer| {
        if timer.fired() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let request = builder
        .body(request.body())
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| failed(&timer))?;
    let status = response.status();
    let body = response.text().await.map_err(|_| failed(&timer))?;
    timer.stop();
    Ok((status, body))
}
