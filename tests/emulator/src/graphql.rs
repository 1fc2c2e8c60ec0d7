//! Emulation of the Common Ground GraphQL Client API (`POST /graphql`).
//!
//! A real GraphQL server for the documented API only: every request is
//! parsed, validated against `schema.graphql` (the quick-start guide's
//! operations, arguments, input fields and fields, nothing more) and its
//! variables coerced before anything runs, and the answer holds exactly
//! the selection ([`engine`]). Behind the schema it emulates what a client
//! has to get right: the `commonground-origin` header, base64 credentials,
//! JWT sessions that expire, numeric listing ids, listings that sell out,
//! and GraphQL errors (HTTP 200 with `errors[].extensions.code`).

mod engine;
mod error;
mod ids;
mod inventory;

pub use engine::SCHEMA_SDL;
pub use error::GqlError;
pub use inventory::{ShopData, MAX_LIMIT};

use crate::base64;
use crate::clock::now_ms;
use crate::prng::{mix64, SplitMix64};
use engine::{Engine, RootFields};
use ids::{object_id, one_per_customer, stable_id, Entity};
use inventory::{as_integer, inventory_items, Shop};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// The seeded customer account (always present, survives `/__reset`).
pub const SEED_EMAIL: &str = "buyer@example.com";
/// Password of [`SEED_EMAIL`].
pub const SEED_PASSWORD: &str = "correct horse battery staple";
const SEED_USER_ID: &str = "693af400000051c94884e0a4";
/// Checkouts expire this long after their last update (the spec's example
/// responses show exactly 31 days).
pub const CHECKOUT_TTL_MS: u64 = 31 * 24 * 3600 * 1000;
/// Request headers the API allows cross-origin.
pub const ALLOWED_HEADERS: &str = "content-type, authorization, commonground-origin";

fn forbidden_origin() -> GqlError {
    GqlError::request("FORBIDDEN", "Unknown store origin")
}

fn session_invalid() -> GqlError {
    GqlError::request("UNAUTHENTICATED", "Session expired or invalid")
}

fn not_base64() -> GqlError {
    GqlError::bad_input("email and password must be base64-encoded")
}

#[derive(Debug, Clone)]
struct User {
    id: String,
    email: String,
    password: String,
    first_name: Option<String>,
    last_name: Option<String>,
}

impl User {
    fn public(&self) -> Value {
        json!({ "_id": self.id, "email": self.email, "firstName": self.first_name, "lastName": self.last_name })
    }
}

#[derive(Debug, Clone)]
struct Session {
    id: String,
    user_id: String,
    expires: u64,
    /// Set by `/__graphql/expire-sessions`.
    revoked: bool,
}

impl Session {
    fn valid(&self, now: u64) -> bool {
        !self.revoked && self.expires > now
    }
}

#[derive(Debug, Clone)]
struct Checkout {
    oid: String,
    id: String,
    user_id: String,
    shop_id: u64,
    origin_domain: String,
    created: u64,
    updated: u64,
    expires: u64,
    status: &'static str,
    items: Vec<(u64, u64)>,
}

impl Checkout {
    fn to_json(&self) -> Value {
        json!({
            "_id": self.oid,
            "id": self.id,
            "configRef": stable_id(self.shop_id, Entity::CheckoutConfig, 0),
            "origin": "Online",
            "created": self.created,
            "orderId": null,
            "updated": self.updated,
            "expires": self.expires,
            "status": self.status,
            "message": null,
            "useSingleAddress": true,
        })
    }

    /// The items the checkout holds: the API has no field for them, so
    /// only `/__graphql/state` shows them.
    fn items_json(&self) -> Value {
        self.items
            .iter()
            .map(|(l, q)| json!({ "listingId": l, "quantity": q }))
            .collect()
    }
}

struct Inner {
    users: Vec<User>,
    /// By JWT.
    sessions: HashMap<String, Session>,
    checkouts: Vec<Checkout>,
    sold_out: BTreeSet<u64>,
    rng: SplitMix64,
}

impl Inner {
    fn new(rng: SplitMix64) -> Self {
        let seeded = User {
            id: SEED_USER_ID.to_string(),
            email: SEED_EMAIL.to_string(),
            password: SEED_PASSWORD.to_string(),
            first_name: Some("Ada".to_string()),
            last_name: Some("Lovelace".to_string()),
        };
        Self {
            users: vec![seeded],
            sessions: HashMap::new(),
            checkouts: Vec::new(),
            sold_out: BTreeSet::new(),
            rng,
        }
    }

    fn random_id(&mut self, now: u64) -> String {
        let r = self.rng.next_u64();
        object_id(now / 1000, r)
    }

    /// `abc-AbC1d`: three lowercase letters, a dash, five letters/digits.
    fn checkout_code(&mut self) -> String {
        const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
        const MIXED: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        loop {
            let mut code: String = (0..3).map(|_| *self.rng.pick(LOWER) as char).collect();
            code.push('-');
            code.extend((0..5).map(|_| *self.rng.pick(MIXED) as char));
            if !self.checkouts.iter().any(|c| c.id == code) {
                return code;
            }
        }
    }

    fn new_session(&mut self, user_idx: usize, origin: &str, ttl_ms: u64, now: u64) -> Value {
        let user = self.users[user_idx].clone();
        let sid = self.random_id(now);
        let expires = now + ttl_ms;
        let header = base64::encode_url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = json!({
            "sub": user.id, "sid": sid, "email": user.email, "origin": origin,
            "iat": now / 1000, "exp": expires / 1000,
        });
        let payload = base64::encode_url(claims.to_string().as_bytes());
        let sig: Vec<u8> = (0..4)
            .flat_map(|_| self.rng.next_u64().to_le_bytes())
            .collect();
        let jwt = format!("{header}.{payload}.{}", base64::encode_url(&sig));
        self.sessions.insert(
            jwt.clone(),
            Session {
                id: sid.clone(),
                user_id: user.id.clone(),
                expires,
                revoked: false,
            },
        );
        let count = self
            .sessions
            .values()
            .filter(|s| s.user_id == user.id && s.valid(now))
            .count();
        json!({
            "session": { "_id": sid, "jwt": jwt, "expires": expires, "user": user.public() },
            "sessionsCount": count,
        })
    }
}

/// Decodes a base64 credential argument (the schema makes it a string).
fn credential(args: &Map<String, Value>, name: &str) -> Result<String, GqlError> {
    args.get(name)
        .and_then(Value::as_str)
        .and_then(base64::decode)
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(not_base64)
}

/// An optional string argument.
fn optional_string(args: &Map<String, Value>, name: &str) -> Option<String> {
    args.get(name).and_then(Value::as_str).map(str::to_string)
}

/// The parsed request the server hands over.
pub struct GqlRequest<'a> {
    /// Value of the `commonground-origin` header.
    pub origin: Option<&'a str>,
    /// Value of the `authorization` header.
    pub authorization: Option<&'a str>,
    /// The JSON body.
    pub body: &'a Value,
}

/// The API's state: accounts, sessions, checkouts, sold-out listings.
pub struct Graphql {
    engine: Engine,
    origins: Vec<(String, u64)>,
    ttl_ms: u64,
    inner: Mutex<Inner>,
}

fn lock(m: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn fresh_rng() -> SplitMix64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    SplitMix64::new(mix64(nanos ^ u64::from(std::process::id()).rotate_left(32)))
}

impl Graphql {
    /// `origins` maps `commonground-origin` values to shop ids; sessions
    /// last `ttl_ms`.
    pub fn new(origins: Vec<(String, u64)>, ttl_ms: u64) -> Self {
        Self {
            engine: Engine::new(),
            origins,
            ttl_ms,
            inner: Mutex::new(Inner::new(fresh_rng())),
        }
    }

    /// Shop id for a `commonground-origin` value.
    pub fn shop_for(&self, origin: &str) -> Option<u64> {
        self.origins
            .iter()
            .find(|(d, _)| d == origin.trim())
            .map(|&(_, id)| id)
    }

    /// Answers a request whose body already parsed as JSON (`shop` fetches
    /// a shop's parsed feed, `None` when the shop has no feed): the HTTP
    /// status and JSON body.
    ///
    /// In order: the `commonground-origin` check (200, `FORBIDDEN`, `data:
    /// null`); the body's shape (400 `BAD_REQUEST`); then the document is
    /// parsed, validated and its variables coerced (400, see [`engine`]);
    /// then the operation runs (200, resolver errors in `errors`).
    pub fn execute(
        &self,
        req: &GqlRequest,
        shop: &dyn Fn(u64) -> Option<Arc<ShopData>>,
    ) -> (u16, Value) {
        let Some((domain, shop_id)) = req
            .origin
            .and_then(|o| self.shop_for(o).map(|id| (o.trim(), id)))
        else {
            return (200, forbidden_origin().body());
        };
        let empty = Map::new();
        let (Some(query), Some(variables), Some(operation_name)) = (
            req.body["query"].as_str(),
            match &req.body["variables"] {
                Value::Null => Some(&empty),
                v => v.as_object(),
            },
            match &req.body["operationName"] {
                Value::Null => Some(None),
                v => v.as_str().map(Some),
            },
        ) else {
            let message = "The body must be a JSON object with a string \"query\", an optional object \"variables\" and an optional string \"operationName\"";
            return (
                400,
                error::refusal("BAD_REQUEST", [json!({ "message": message })]),
            );
        };
        let prepared = match self.engine.prepare(query, operation_name, variables) {
            Ok(prepared) => prepared,
            Err(refused) => return refused,
        };
        let call = Call {
            api: self,
            domain,
            shop_id,
            authorization: req.authorization,
            shop,
            now: now_ms(),
        };
        (200, self.engine.execute(&prepared, &call))
    }

    fn login(&self, vars: &Map<String, Value>, domain: &str, now: u64) -> Result<Value, GqlError> {
        let email = credential(vars, "email")?;
        let password = credential(vars, "password")?;
        let mut inner = lock(&self.inner);
        let idx = inner
            .users
            .iter()
            .position(|u| u.email.eq_ignore_ascii_case(email.trim()) && u.password == password)
            .ok_or_else(|| GqlError::field("UNAUTHENTICATED", "Invalid email or password"))?;
        Ok(inner.new_session(idx, domain, self.ttl_ms, now))
    }

    fn register(
        &self,
        vars: &Map<String, Value>,
        domain: &str,
        now: u64,
    ) -> Result<Value, GqlError> {
        let email = credential(vars, "email")?.trim().to_string();
        let password = credential(vars, "password")?;
        let first_name = optional_string(vars, "firstName");
        let last_name = optional_string(vars, "lastName");
        let (local, host) = email.split_once('@').unwrap_or(("", ""));
        if local.is_empty() || !host.contains('.') || email.contains(char::is_whitespace) {
            return Err(GqlError::bad_input("Invalid email address"));
        }
        if password.is_empty() {
            return Err(GqlError::bad_input("Password must not be empty"));
        }
        let mut inner = lock(&self.inner);
        if inner
            .users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(&email))
        {
            return Err(GqlError::bad_input("Account already exists"));
        }
        let id = inner.random_id(now);
        inner.users.push(User {
            id,
            email,
            password,
            first_name,
            last_name,
        });
        let idx = inner.users.len() - 1;
        Ok(inner.new_session(idx, domain, self.ttl_ms, now))
    }

    /// The user id of a valid `Authorization: Bearer <jwt>`.
    fn authenticate(
        inner: &Inner,
        authorization: Option<&str>,
        now: u64,
    ) -> Result<String, GqlError> {
        let token = authorization
            .and_then(|h| h.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim())
            .ok_or_else(session_invalid)?;
        inner
            .sessions
            .get(token)
            .filter(|s| s.valid(now))
            .map(|s| s.user_id.clone())
            .ok_or_else(session_invalid)
    }

    fn checkout_create(
        &self,
        authorization: Option<&str>,
        shop_id: u64,
        domain: &str,
        now: u64,
    ) -> Result<Value, GqlError> {
        let mut inner = lock(&self.inner);
        let user_id = Self::authenticate(&inner, authorization, now)?;
        let checkout = Checkout {
            oid: inner.random_id(now),
            id: inner.checkout_code(),
            user_id,
            shop_id,
            origin_domain: domain.to_string(),
            created: now,
            updated: now,
            expires: now + CHECKOUT_TTL_MS,
            status: "open",
            items: Vec::new(),
        };
        let out = checkout.to_json();
        inner.checkouts.push(checkout);
        Ok(out)
    }

    fn checkout_update(
        &self,
        authorization: Option<&str>,
        vars: &Map<String, Value>,
        shop_id: u64,
        shop: &ShopData,
        now: u64,
    ) -> Result<Value, GqlError> {
        let mut inner = lock(&self.inner);
        let user_id = Self::authenticate(&inner, authorization, now)?;
        let id = vars["id"].as_str().unwrap_or("");
        let idx = inner
            .checkouts
            .iter()
            .position(|c| {
                c.id == id
                    && c.user_id == user_id
                    && c.shop_id == shop_id
                    && c.status == "open"
                    && c.expires > now
            })
            .ok_or_else(|| GqlError::field("NOT_FOUND", "Checkout not found"))?;
        // `[CheckoutItemInput!]`: absent, null or a list of objects, as
        // coerced (a single object was coerced to a list of one).
        let entries = vars["items"].as_array().cloned().unwrap_or_default();
        // The spec: "adds items to an existing checkout". A listing already
        // in it gets the new quantity on top.
        let mut items = inner.checkouts[idx].items.clone();
        let mut seen = HashSet::new();
        for entry in &entries {
            let listing_id = as_integer(&entry["listingId"])
                .ok_or_else(|| GqlError::bad_input("listingId must be the numeric listing id"))?;
            let quantity = as_integer(&entry["quantity"])
                .filter(|&q| q >= 1)
                .ok_or_else(|| {
                    GqlError::bad_input("quantity must be a positive integer")
                        .with("listingId", listing_id.into())
                })?;
            if !seen.insert(listing_id) {
                return Err(GqlError::bad_input(format!(
                    "Listing {listing_id} appears more than once"
                ))
                .with("listingId", listing_id.into()));
            }
            let Some(&(_, stock)) = shop
                .listings
                .get(&listing_id)
                .filter(|_| !inner.sold_out.contains(&listing_id))
            else {
                return Err(GqlError::field(
                    "LISTING_UNAVAILABLE",
                    format!("Listing {listing_id} is no longer available"),
                )
                .with("listingId", listing_id.into()));
            };
            let max = match (stock, one_per_customer(listing_id)) {
                (Some(s), true) => Some(s.min(1)),
                (None, true) => Some(1),
                (s, false) => s,
            };
            let held = items
                .iter()
                .find(|(id, _)| *id == listing_id)
                .map_or(0, |&(_, q)| q);
            if let Some(max) = max.filter(|&m| held + quantity > m) {
                return Err(GqlError::bad_input(format!(
                    "Only {max} of listing {listing_id} available"
                ))
                .with("listingId", listing_id.into())
                .with("available", max.into()));
            }
            match items.iter_mut().find(|(id, _)| *id == listing_id) {
                Some(line) => line.1 += quantity,
                None => items.push((listing_id, quantity)),
            }
        }
        let checkout = &mut inner.checkouts[idx];
        checkout.items = items;
        checkout.updated = now.max(checkout.updated + 1);
        checkout.expires = checkout.updated + CHECKOUT_TTL_MS;
        Ok(checkout.to_json())
    }

    /// `/__graphql/expire-sessions`: every session issued so far expires.
    /// Returns how many were still valid.
    pub fn expire_sessions(&self) -> usize {
        let now = now_ms();
        let mut inner = lock(&self.inner);
        let mut n = 0;
        for s in inner.sessions.values_mut() {
            n += usize::from(s.valid(now));
            s.revoked = true;
        }
        n
    }

    /// `/__graphql/sold-out/{id}`.
    pub fn sell_out(&self, listing_id: u64) {
        lock(&self.inner).sold_out.insert(listing_id);
    }

    /// Back to the seeded account only, no sessions, checkouts or sold-outs.
    pub fn reset(&self) {
        let mut inner = lock(&self.inner);
        let rng = inner.rng.clone();
        *inner = Inner::new(rng);
    }

    /// `/__graphql/state`.
    pub fn state(&self) -> Value {
        let now = now_ms();
        let inner = lock(&self.inner);
        let mut sessions: Vec<&Session> = inner.sessions.values().collect();
        sessions.sort_by(|a, b| a.id.cmp(&b.id));
        json!({
            "users": inner.users.iter().map(User::public).collect::<Vec<_>>(),
            "sessions": sessions.iter().map(|s| json!({
                "_id": s.id, "userId": s.user_id, "expires": s.expires, "valid": s.valid(now),
            })).collect::<Vec<_>>(),
            "checkouts": inner.checkouts.iter().map(|c| {
                let mut v = c.to_json();
                v["items"] = c.items_json();
                v["userId"] = c.user_id.clone().into();
                v["shopId"] = c.shop_id.into();
                v["commongroundOrigin"] = c.origin_domain.clone().into();
                v
            }).collect::<Vec<_>>(),
            "soldOut": inner.sold_out.iter().collect::<Vec<_>>(),
        })
    }
}

/// One request's context: the root fields it may run.
struct Call<'a> {
    api: &'a Graphql,
    /// The `commonground-origin` domain.
    domain: &'a str,
    shop_id: u64,
    authorization: Option<&'a str>,
    shop: &'a dyn Fn(u64) -> Option<Arc<ShopData>>,
    now: u64,
}

impl RootFields for Call<'_> {
    fn resolve(&self, field: &str, args: &Map<String, Value>) -> Result<Value, GqlError> {
        let api = self.api;
        match field {
            "login" => api.login(args, self.domain, self.now),
            "register" => api.register(args, self.domain, self.now),
            "inventoryItems" => {
                let data = (self.shop)(self.shop_id).unwrap_or_default();
                let sold_out = lock(&api.inner).sold_out.clone();
                let shop = Shop {
                    data: &data,
                    domain: self.domain,
                    id: self.shop_id,
                    sold_out: &sold_out,
                };
                inventory_items(&shop, args)
            }
            "checkoutCreate" => {
                api.checkout_create(self.authorization, self.shop_id, self.domain, self.now)
            }
            "checkoutUpdateItems" => {
                let data = (self.shop)(self.shop_id).unwrap_or_default();
                api.checkout_update(self.authorization, args, self.shop_id, &data, self.now)
            }
            // The schema has no other root field, so validation refused it.
            other => Err(GqlError::field(
                "INTERNAL_SERVER_ERROR",
                format!("no resolver for {other}"),
            )),
        }
    }
}
