//! Everything that can stop a catalogue from loading, worded for shoppers.

use crate::config::ConfigError;
use crate::splitter::FeedFormatError;
use thiserror::Error;

/// Why the catalogue could not be shown. Every variant reaches the shopper
/// as its message, next to a retry button.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LoadError {
    /// The configuration names nothing to load.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The feed's server answered 404: no such shop, or no public feed.
    #[error("This shop's inventory was not found (HTTP 404). Check the shop id; the shop may not publish a public inventory.")]
    NotFound,
    /// Any other failing HTTP status, which this carries.
    #[error(
        "The inventory server answered with an error (HTTP {0}). Please try again in a moment."
    )]
    Http(u16),
    /// The request failed before any answer.
    #[error("The inventory could not be downloaded: the network request failed. Check your connection and try again.")]
    Network,
    /// The answer broke off part-way.
    #[error("The download of the inventory was interrupted. Please try again.")]
    Interrupted,
    /// No byte arrived for the configured timeout.
    #[error("The inventory server stopped answering. Please try again in a moment.")]
    Timeout,
    /// The feed arrived but is not one the reader understands.
    #[error("The inventory could not be read. {0}")]
    Format(#[from] FeedFormatError),
    /// The aggregator's shop list is unusable; with the reason.
    #[error("The list of shops could not be used: {0}.")]
    ShopList(String),
    /// A cursor-paginated inventory failed.
    #[error("The inventory could not be loaded. {0}")]
    Source(#[from] crate::squarespace::SourceError),
    /// The settings ask for a source this build of the widget was made
    /// without (the embed's loader picks a build per mode); names it.
    #[error("This copy of the catalogue widget cannot show {0}: it was built without that part. The site that shows it needs to load the widget's full build.")]
    NotInThisBuild(&'static str),
    /// The widget was removed while loading: the load stops, and no one
    /// sees this.
    #[error("The widget was removed before the inventory had loaded.")]
    Cancelled,
}

impl LoadError {
    /// Whether trying again soon may succeed (network trouble, timeouts,
    /// server errors), as opposed to a missing shop or a broken feed.
    pub fn is_transient(&self) -> bool {
        match self {
            LoadError::Network | LoadError::Interrupted | LoadError::Timeout => true,
            LoadError::Http(status) => *status >= 500 || *status == 408 || *status == 429,
            LoadError::Source(error) => {
                matches!(error, crate::squarespace::SourceError::Http(status) if *status >= 500 || *status == 408 || *status == 429)
            }
            LoadError::Config(_)
            | LoadError::NotFound
            | LoadError::Format(_)
            | LoadError::ShopList(_)
            | LoadError::NotInThisBuild(_)
            | LoadError::Cancelled => false,
        }
    }

    /// Whether a previously saved copy of the feed may stand in: not when
    /// the shop is gone (a 404 means it no longer publishes) or misconfigured.
    pub fn allows_saved_copy(&self) -> bool {
        !matches!(
            self,
            LoadError::NotFound
                | LoadError::Config(_)
                | LoadError::NotInThisBuild(_)
                | LoadError::Cancelled
        )
    }

    /// The error for an unsuccessful HTTP status.
    pub fn from_status(status: u16) -> LoadError {
        if status == 404 || status == 410 {
            LoadError::NotFound
        } else {
            LoadError::Http(status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened() {
        assert!(LoadError::from_status(404)
            .to_string()
            .contains("not found"));
        assert!(LoadError::from_status(503).to_string().contains("HTTP 503"));
        let format = LoadError::from(FeedFormatError::NotAnArray("HTML or XML markup".into()));
        assert_eq!(format.to_string(), "The inventory could not be read. The feed is not a list of items: it starts with HTML or XML markup.");
        assert!(LoadError::from(ConfigError::NoShop)
            .to_string()
            .contains("cg-config"));
    }

    #[test]
    fn only_transient_failures_are_retried() {
        for error in [
            LoadError::Network,
            LoadError::Timeout,
            LoadError::Interrupted,
            LoadError::Http(503),
            LoadError::Http(429),
        ] {
            assert!(error.is_transient(), "{error:?}");
        }
        for error in [
            LoadError::NotFound,
            LoadError::Http(403),
            LoadError::Format(FeedFormatError::Empty),
        ] {
            assert!(!error.is_transient(), "{error:?}");
        }
        assert!(!LoadError::NotFound.allows_saved_copy());
        assert!(
            !LoadError::Cancelled.is_transient() && !LoadError::Cancelled.allows_saved_copy(),
            "a removed widget stops"
        );
        assert!(
            LoadError::Http(500).allows_saved_copy()
                && LoadError::Format(FeedFormatError::Empty).allows_saved_copy()
        );
    }
}
