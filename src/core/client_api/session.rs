//! The logged-in buyer and their open checkout, as kept in browser storage
//! between calls: read back leniently, never trusted past their expiry.

use super::clip;
use super::operations::CheckoutItemInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A logged-in buyer, as kept for the browser session. Never the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The token sent as `Authorization: Bearer`.
    pub jwt: String,
    /// The origin of the API that issued the token: the only one it is sent to.
    #[serde(default)]
    pub api: String,
    /// Milliseconds since the epoch.
    pub expires: i64,
    /// The buyer's first name, to greet them by.
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
pub(super) const MAX_JWT_CHARS: usize = 8_192;
/// Longest checkout id kept.
pub(super) const MAX_CHECKOUT_ID_CHARS: usize = 200;
/// Longest first name kept.
pub(super) const MAX_NAME_CHARS: usize = 60;

/// Whether something expiring at `expires` is still good at `now_ms`, with
/// `margin_ms` to spare. Saturating: no stored or answered value overflows.
fn unexpired(expires: i64, margin_ms: i64, now_ms: i64) -> bool {
    (0..=MAX_EXPIRES_MS).contains(&expires) && expires.saturating_sub(margin_ms) > now_ms
}

/// An epoch-milliseconds number from JSON, if it is one ([`MAX_EXPIRES_MS`]).
pub(super) fn epoch_ms(value: f64) -> Option<i64> {
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

    /// The session as JSON, for [`Session::from_storage`] to read back.
    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A checkout as the API describes it, and what the widget sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    /// The checkout's `id`, which its payment page is addressed by.
    pub id: String,
    /// The API's status (`open` while items can be added), when it said.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_api::{parse_checkout, parse_session, ApiError, Operation};

    const API: &str = "https://api.example";

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
}
