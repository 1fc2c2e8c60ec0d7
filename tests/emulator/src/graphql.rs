//! Emulation of the Common Ground GraphQL Client API (`POST /graphql`).
//!
//! Not a GraphQL engine: the operation is recognised by its root field
//! (`login`, `register`, `inventoryItems`, `checkoutCreate`,
//! `checkoutUpdateItems`), arguments are read from `variables` only, and
//! every documented field is returned whatever the selection asks for.
//! What it does emulate faithfully is what a client has to get right: the
//! `commonground-origin` header, base64 credentials, JWT sessions that
//! expire, numeric listing ids, listings that sell out, and GraphQL-style
//! errors (HTTP 200 with `errors[].extensions.code`).

use crate::base64;
use crate::clock::{now_ms, year_start_ms};
use crate::prng::{mix64, SplitMix64};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

/// The seeded customer account (always present, survives `/__reset`).
pub const SEED_EMAIL: &str = "buyer@example.com";
/// Password of [`SEED_EMAIL`].
pub const SEED_PASSWORD: &str = "correct horse battery staple";
const SEED_USER_ID: &str = "693af400000051c94884e0a4";
/// Checkouts expire this long after their last update (the spec's example
/// responses show exactly 31 days).
pub const CHECKOUT_TTL_MS: u64 = 31 * 24 * 3600 * 1000;
/// Most items one `inventoryItems` page returns.
pub const MAX_LIMIT: u64 = 100;
/// Request headers the API allows cross-origin.
pub const ALLOWED_HEADERS: &str = "content-type, authorization, commonground-origin";

/// Root fields the emulator answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Login,
    Register,
    InventoryItems,
    CheckoutCreate,
    CheckoutUpdateItems,
}

impl Operation {
    fn from_field(name: &str) -> Option<Self> {
        Some(match name {
            "login" => Self::Login,
            "register" => Self::Register,
            "inventoryItems" => Self::InventoryItems,
            "checkoutCreate" => Self::CheckoutCreate,
            "checkoutUpdateItems" => Self::CheckoutUpdateItems,
            _ => return None,
        })
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Name(String),
    Punct(char),
}

/// Splits GraphQL text into names and punctuation, skipping comments,
/// strings and numbers (enough to find the root selection set).
fn tokens(query: &str) -> Vec<Token> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' {
            let block = chars[i..].starts_with(&['"', '"', '"']);
            i += if block { 3 } else { 1 };
            while i < chars.len() {
                if chars[i] == '\\' {
                    i += 2;
                } else if block && chars[i..].starts_with(&['"', '"', '"']) {
                    i += 3;
                    break;
                } else if !block && (chars[i] == '"' || chars[i] == '\n') {
                    i += 1;
                    break;
                } else {
                    i += 1;
                }
            }
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() || c == '-' {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '.' | '-' | '+'))
            {
                i += 1;
            }
        } else {
            if !c.is_whitespace() && c != ',' {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The first supported root field of the first operation, with the key its
/// result goes under (the alias if one is given).
pub fn detect_operation(query: &str) -> Option<(Operation, String)> {
    let toks = tokens(query);
    let (mut braces, mut parens) = (0i32, 0i32);
    for (i, t) in toks.iter().enumerate() {
        match t {
            Token::Punct('{') => braces += 1,
            Token::Punct('}') => braces -= 1,
            Token::Punct('(') => parens += 1,
            Token::Punct(')') => parens -= 1,
            Token::Name(name) if braces == 1 && parens == 0 => {
                if let Some(op) = Operation::from_field(name) {
                    let alias = match (
                        i.checked_sub(2).map(|j| &toks[j]),
                        i.checked_sub(1).map(|j| &toks[j]),
                    ) {
                        (Some(Token::Name(a)), Some(Token::Punct(':'))) => a.clone(),
                        _ => name.clone(),
                    };
                    return Some((op, alias));
                }
            }
            _ => {}
        }
    }
    None
}

/// A parsed shop feed with a listing index, as `inventoryItems` and the
/// checkout validation need it.
#[derive(Debug, Default)]
pub struct ShopData {
    /// Feed items in feed order.
    pub items: Vec<Value>,
    /// Listing id → (item index, tracked stock quantity).
    pub listings: HashMap<u64, (usize, Option<u64>)>,
}

impl ShopData {
    /// Parses a feed; an unparseable one counts as empty.
    pub fn from_feed(json: &[u8]) -> Self {
        let items: Vec<Value> = serde_json::from_slice(json).unwrap_or_default();
        let mut listings = HashMap::new();
        for (idx, item) in items.iter().enumerate() {
            for l in item["listings"].as_array().into_iter().flatten() {
                if let Some(id) = l["id"].as_u64() {
                    listings.insert(id, (idx, l["stock"]["quantity"].as_u64()));
                }
            }
        }
        Self { items, listings }
    }
}

/// Per-listing flags the feed does not carry, derived from the id so they
/// are stable.
fn one_per_customer(listing_id: u64) -> bool {
    mix64(listing_id ^ 0x0BEC) % 25 == 0
}

fn pre_order(listing_id: u64) -> bool {
    mix64(listing_id ^ 0x9E0) % 40 == 0
}

/// A Mongo-ObjectId-looking id: 8 hex digits of seconds, 16 of `rest`.
fn object_id(secs: u64, rest: u64) -> String {
    format!("{:08x}{rest:016x}", secs as u32)
}

/// A stable ObjectId-like id for a feed entity.
fn stable_id(shop: u64, kind: u64, id: u64) -> String {
    object_id(0x693a_f000, mix64(mix64(shop ^ (kind << 56)) ^ id))
}

/// A GraphQL error.
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
    fn field(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
            extra: Map::new(),
            data_null: false,
        }
    }

    fn request(code: &'static str, message: &str) -> Self {
        Self {
            data_null: true,
            ..Self::field(code, message)
        }
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_string(), value);
        self
    }

    fn bad_input(message: impl Into<String>) -> Self {
        Self::field("BAD_USER_INPUT", message)
    }

    /// The response body for this error, the field answering under `key`.
    pub fn body(&self, key: &str) -> Value {
        let mut extensions = Map::new();
        extensions.insert("code".into(), self.code.into());
        extensions.extend(self.extra.clone());
        let data = if self.data_null {
            Value::Null
        } else {
            json!({ key: null })
        };
        json!({ "data": data, "errors": [{ "message": self.message, "extensions": extensions }] })
    }
}

fn forbidden_origin() -> GqlError {
    GqlError::request("FORBIDDEN", "Unknown store origin")
}

fn session_invalid() -> GqlError {
    GqlError::request("UNAUTHENTICATED", "Session expired or invalid")
}

fn not_base64() -> GqlError {
    GqlError::bad_input("email and password must be base64-encoded")
}

fn missing_variable(name: &str, ty: &str) -> GqlError {
    GqlError::bad_input(format!(
        "Variable \"${name}\" of required type \"{ty}\" was not provided."
    ))
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
            "configRef": stable_id(self.shop_id, 3, 0),
            "origin": "Online",
            "created": self.created,
            "orderId": null,
            "updated": self.updated,
            "expires": self.expires,
            "status": self.status,
            "message": null,
            "useSingleAddress": true,
            "items": self.items.iter().map(|(l, q)| json!({ "listingId": l, "quantity": q })).collect::<Vec<_>>(),
        })
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

/// Decodes a base64 credential variable.
fn credential(vars: &Map<String, Value>, name: &str) -> Result<String, GqlError> {
    match vars.get(name) {
        None | Some(Value::Null) => Err(missing_variable(name, "String!")),
        Some(Value::String(s)) => base64::decode(s)
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(not_base64),
        Some(_) => Err(not_base64()),
    }
}

fn optional_string(vars: &Map<String, Value>, name: &str) -> Result<Option<String>, GqlError> {
    match vars.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(GqlError::bad_input(format!(
            "Variable \"${name}\" must be a string"
        ))),
    }
}

/// A JSON number that is a non-negative integer (`12` or `12.0`, not
/// `12.5`, not `"12"`).
fn as_integer(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let f = v.as_f64().filter(|_| v.is_number())?;
    (f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_992.0).then_some(f as u64)
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

    /// Answers a request whose body already parsed as a JSON object with a
    /// string `query`. `shop` fetches a shop's parsed feed (`None` when the
    /// shop has no feed). Returns the HTTP status and JSON body.
    pub fn execute(
        &self,
        req: &GqlRequest,
        shop: &dyn Fn(u64) -> Option<std::sync::Arc<ShopData>>,
    ) -> (u16, Value) {
        let query = req.body["query"].as_str().unwrap_or("");
        let empty = Map::new();
        let vars = req.body["variables"].as_object().unwrap_or(&empty);
        let Some((domain, shop_id)) = req
            .origin
            .and_then(|o| self.shop_for(o).map(|id| (o.trim(), id)))
        else {
            return (200, forbidden_origin().body(""));
        };
        let Some((op, key)) = detect_operation(query) else {
            let message = "Cannot query this operation: the emulator answers login, register, inventoryItems, checkoutCreate and checkoutUpdateItems";
            return (
                400,
                json!({ "errors": [{ "message": message, "extensions": { "code": "GRAPHQL_VALIDATION_FAILED" } }] }),
            );
        };
        let now = now_ms();
        let result = match op {
            Operation::Login => self.login(vars, domain, now),
            Operation::Register => self.register(vars, domain, now),
            Operation::InventoryItems => {
                let data = shop(shop_id).unwrap_or_default();
                let sold_out = lock(&self.inner).sold_out.clone();
                inventory_items(&data, vars, domain, shop_id, &sold_out)
            }
            Operation::CheckoutCreate => {
                self.checkout_create(req.authorization, shop_id, domain, now)
            }
            Operation::CheckoutUpdateItems => {
                let data = shop(shop_id).unwrap_or_default();
                self.checkout_update(req.authorization, vars, shop_id, &data, now)
            }
        };
        match result {
            Ok(value) => (200, json!({ "data": { key: value } })),
            Err(e) => (200, e.body(&key)),
        }
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
        let first_name = optional_string(vars, "firstName")?;
        let last_name = optional_string(vars, "lastName")?;
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
        let id = match vars.get("id") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => return Err(missing_variable("id", "String!")),
            Some(_) => return Err(GqlError::bad_input("Variable \"$id\" must be a string")),
        };
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
        let entries = match vars.get("items") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => {
                return Err(GqlError::bad_input(
                    "Variable \"$items\" must be a list of CheckoutItemInput",
                ))
            }
        };
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
                v["userId"] = c.user_id.clone().into();
                v["shopId"] = c.shop_id.into();
                v["commongroundOrigin"] = c.origin_domain.clone().into();
                v
            }).collect::<Vec<_>>(),
            "soldOut": inner.sold_out.iter().collect::<Vec<_>>(),
        })
    }
}

/// Sort keys `inventoryItems` understands.
fn sort_key(shop: &ShopData, idx: usize, kept: &[&Value], sort: &str) -> (u64, String) {
    let item = &shop.items[idx];
    let id = item["id"].as_u64().unwrap_or(0);
    match sort {
        "title" => (
            0,
            item["data"]["title"].as_str().unwrap_or("").to_lowercase(),
        ),
        "price" => {
            let cents = kept
                .iter()
                .filter_map(|l| l["prices"]["sale"].as_f64())
                .map(|p| (p * 100.0).round() as u64)
                .min();
            (cents.unwrap_or(u64::MAX), format!("{id:020}"))
        }
        _ => (id, String::new()),
    }
}

fn inventory_items(
    shop: &ShopData,
    vars: &Map<String, Value>,
    domain: &str,
    shop_id: u64,
    sold_out: &BTreeSet<u64>,
) -> Result<Value, GqlError> {
    let filters = match vars.get("filters") {
        Some(Value::Object(f)) => f,
        None | Some(Value::Null) => {
            return Err(missing_variable("filters", "InventoryFiltersInput!"))
        }
        Some(_) => {
            return Err(GqlError::bad_input(
                "Variable \"$filters\" must be an InventoryFiltersInput object",
            ))
        }
    };
    let pagination = match vars.get("pagination") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => return Err(missing_variable("pagination", "PaginationInput!")),
        Some(_) => {
            return Err(GqlError::bad_input(
                "Variable \"$pagination\" must be a PaginationInput object",
            ))
        }
    };
    let in_stock = match filters.get("stock") {
        None | Some(Value::Null) => false,
        Some(v) if v == "inStock" => true,
        Some(v) if v == "all" => false,
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "filters.stock must be \"inStock\" or \"all\", got {v}"
            )))
        }
    };
    let item_ids: Option<HashSet<u64>> = match filters.get("itemIds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ids)) => Some(
            ids.iter()
                .map(as_integer)
                .collect::<Option<_>>()
                .ok_or_else(|| GqlError::bad_input("filters.itemIds must be a list of integers"))?,
        ),
        Some(_) => {
            return Err(GqlError::bad_input(
                "filters.itemIds must be a list of integers",
            ))
        }
    };
    let int = |name: &str, default: u64| match pagination.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => as_integer(v).ok_or_else(|| {
            GqlError::bad_input(format!("pagination.{name} must be a positive integer"))
        }),
    };
    let page = int("page", 1)?;
    let limit = int("limit", 20)?;
    if page < 1 {
        return Err(GqlError::bad_input("pagination.page must be at least 1"));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(GqlError::bad_input(format!(
            "pagination.limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let sort = match pagination.get("sort") {
        None | Some(Value::Null) => "created",
        Some(Value::String(s))
            if matches!(s.as_str(), "created" | "updated" | "id" | "title" | "price") =>
        {
            s.as_str()
        }
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "pagination.sort must be created, updated, id, title or price, got {v}"
            )))
        }
    };
    let descending = match pagination.get("order") {
        None | Some(Value::Null) => false,
        Some(v) if v.as_i64() == Some(1) => false,
        Some(v) if v.as_i64() == Some(-1) => true,
        Some(v) => {
            return Err(GqlError::bad_input(format!(
                "pagination.order must be 1 or -1, got {v}"
            )))
        }
    };

    let mut matches: Vec<(usize, Vec<&Value>)> = Vec::new();
    for (idx, item) in shop.items.iter().enumerate() {
        if let Some(ids) = &item_ids {
            if !item["id"].as_u64().is_some_and(|id| ids.contains(&id)) {
                continue;
            }
        }
        let listings: Vec<&Value> = item["listings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|l| !in_stock || !l["id"].as_u64().is_some_and(|id| sold_out.contains(&id)))
            .collect();
        if in_stock && listings.is_empty() {
            continue;
        }
        matches.push((idx, listings));
    }
    let mut keyed: Vec<((u64, String), usize)> = matches
        .iter()
        .enumerate()
        .map(|(m, (idx, kept))| (sort_key(shop, *idx, kept, sort), m))
        .collect();
    keyed.sort();
    if descending {
        keyed.reverse();
    }
    let count = matches.len() as u64;
    let start = ((page - 1) * limit).min(count) as usize;
    let end = (start + limit as usize).min(matches.len());
    let items: Vec<Value> = keyed[start..end]
        .iter()
        .map(|(_, m)| {
            let (idx, kept) = &matches[*m];
            map_item(&shop.items[*idx], kept, domain, shop_id, sold_out)
        })
        .collect();
    Ok(json!({
        "items": items,
        "pagination": { "page": page, "limit": limit, "count": count, "pages": count.div_ceil(limit) },
    }))
}

/// A feed item in the Client API's shape.
fn map_item(
    item: &Value,
    listings: &[&Value],
    domain: &str,
    shop_id: u64,
    sold_out: &BTreeSet<u64>,
) -> Value {
    let id = item["id"].as_u64().unwrap_or(0);
    let d = &item["data"];
    let catno = d["labels"]
        .as_array()
        .and_then(|ls| ls.iter().find_map(|l| l["catno"].as_str()))
        .map(str::to_string);
    let release_date = d["year"].as_i64().map(year_start_ms);
    let note = item["descriptions"]["shop"]["text"].as_str();
    let listings: Vec<Value> = listings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lid = l["id"].as_u64().unwrap_or(0);
            let quantity = if sold_out.contains(&lid) {
                json!(0)
            } else {
                l["stock"]["quantity"].clone()
            };
            let mut prices =
                json!({ "sale": l["prices"]["sale"], "beforeTaxes": l["prices"]["beforeTaxes"] });
            prices["compare"] = l["prices"]["compare"].clone();
            json!({
                "_id": stable_id(shop_id, 2, lid),
                "id": lid,
                "available": lid.saturating_sub(mix64(lid) % 3_600_000),
                "preOrder": pre_order(lid),
                "secondHand": l["secondHand"].as_bool().unwrap_or(false),
                "categories": [],
                "onePerCustomer": one_per_customer(lid),
                "comments": if i == 0 { note } else { None },
                "stock": { "quantity": quantity },
                "prices": prices,
            })
        })
        .collect();
    json!({
        "_id": stable_id(shop_id, 1, id),
        "id": id,
        "type": item["type"],
        "uri": format!("https://{domain}{}", item["path"].as_str().unwrap_or("")),
        "data": {
            "title": d["title"].clone(),
            "cat": catno,
            "type": null,
            "manufacturer": d["manufacturer"].clone(),
            "discogsId": d["discogsId"].clone(),
            "assetLink": null,
            "weight": d["weight"].clone(),
            "genres": d["genres"].clone(),
            "styles": d["styles"].clone(),
            "country": d["country"].clone(),
            "releaseDate": release_date,
            "subtitle": null,
            "authors": d["authors"].clone(),
            "publisher": d["publisher"].clone(),
            "publishedDate": null,
            "pageCount": d["pageCount"].clone(),
            "categories": d["categories"].clone(),
            "language": d["language"].clone(),
            "format": null,
        },
        "listings": listings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_field() {
        let login = "mutation Login($email: String!, $password: String!) {\n login(email: $email, password: $password) { session { _id } sessionsCount } }";
        assert_eq!(
            detect_operation(login),
            Some((Operation::Login, "login".into()))
        );
        let q = "query GetInventoryItems($filters: InventoryFiltersInput!, $pagination: PaginationInput!) { inventoryItems(filters: $filters, pagination: $pagination) { items { id } } }";
        assert_eq!(
            detect_operation(q),
            Some((Operation::InventoryItems, "inventoryItems".into()))
        );
        assert_eq!(
            detect_operation("mutation { co: checkoutCreate { id } }"),
            Some((Operation::CheckoutCreate, "co".into()))
        );
        assert_eq!(
            detect_operation(
                "# login\nmutation checkoutCreate { checkoutUpdateItems(id: \"login\") { id } }"
            ),
            Some((Operation::CheckoutUpdateItems, "checkoutUpdateItems".into()))
        );
        // Names below the root or in variables do not count.
        assert_eq!(detect_operation("query { me { login } }"), None);
        assert_eq!(
            detect_operation("query($login: String) { viewer { id } }"),
            None
        );
        assert_eq!(detect_operation(""), None);
    }

    #[test]
    fn error_bodies() {
        let e = GqlError::field("LISTING_UNAVAILABLE", "Listing 5 is no longer available")
            .with("listingId", 5.into());
        assert_eq!(
            e.body("checkoutUpdateItems"),
            json!({"data":{"checkoutUpdateItems":null},"errors":[{"message":"Listing 5 is no longer available","extensions":{"code":"LISTING_UNAVAILABLE","listingId":5}}]})
        );
        assert_eq!(
            session_invalid().body("x"),
            json!({"data":null,"errors":[{"message":"Session expired or invalid","extensions":{"code":"UNAUTHENTICATED"}}]})
        );
    }

    #[test]
    fn integers_only() {
        assert_eq!(as_integer(&json!(1765470890000u64)), Some(1765470890000));
        assert_eq!(as_integer(&json!(3.0)), Some(3));
        assert_eq!(as_integer(&json!(3.5)), None);
        assert_eq!(as_integer(&json!("3")), None);
        assert_eq!(as_integer(&json!(-3)), None);
    }
}
