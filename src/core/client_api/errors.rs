//! [`ApiError`]: everything a Client API call can end in.

use thiserror::Error;

/// Everything a Client API call can end in, worded for the buyer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ApiError {
    /// `login` or `register` was refused as unauthenticated; with the
    /// server's message (empty for a bare HTTP 401).
    #[error("That email and password did not match an account at this shop. {0}")]
    LoginRejected(String),
    /// The token was refused: the buyer must log in again.
    #[error("Your session has expired. Please log in again to continue.")]
    SessionExpired,
    /// Listings in the cart are gone; the listing ids the API named
    /// (possibly none).
    #[error("Some records in your cart are no longer available.")]
    ListingsUnavailable(Vec<u64>),
    /// `checkoutUpdateItems` found no open checkout with that id.
    #[error("The checkout could not be found or is closed.")]
    CheckoutClosed,
    /// The shop refuses this origin (`FORBIDDEN`, HTTP 403); with the
    /// server's message or the status.
    #[error("This shop does not accept orders from this site yet ({0}).")]
    Forbidden(String),
    /// Any other GraphQL error, with the server's message, clipped and
    /// stripped of control characters.
    #[error("The shop answered: {0}")]
    Rejected(String),
    /// A failing HTTP status without a GraphQL answer to explain it.
    #[error("The shop's checkout service is unavailable (HTTP {0}). Please try again.")]
    Http(u16),
    #[error(
        "The shop's checkout service sent an answer that could not be read. Please try again."
    )]
    /// A successful status with an answer that is not the expected JSON.
    Malformed,
    #[error(
        "The shop's checkout service could not be reached. Check your connection and try again."
    )]
    /// The request never got an answer (set by the browser transport).
    Network,
    /// No answer within the time allowed (set by the browser transport).
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
