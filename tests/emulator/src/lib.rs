//! `cg-emulator`: a local stand-in for the Common Ground inventory CDN, used
//! by cg-inventory's tests.
//!
//! - [`generator`] builds realistic, deterministic inventory feeds.
//! - [`server`] serves them over HTTP with caching headers, CORS, gzip,
//!   custom test feeds, fault injection and a request log.
//! - [`graphql`] emulates the GraphQL Client API (`POST /graphql`): logins,
//!   inventory queries and checkouts.
//! - [`shops`] builds the partner shop list; [`squarespace`] emulates
//!   Squarespace's paged inventory API.

pub mod assets;
pub mod base64;
pub mod clock;
pub mod generator;
pub mod graphql;
pub mod http;
pub mod prng;
pub mod server;
pub mod shops;
pub mod squarespace;

pub use generator::generate_feed;
pub use server::{start, Config, ServerHandle};
