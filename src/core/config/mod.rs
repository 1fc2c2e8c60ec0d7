//! Where the catalogue comes from and how it is shown. Every setting is
//! the deployer's: element attributes and `mount()` options, or the
//! standalone page's `cg-config` block. A page address may only choose
//! among the shops so configured ([`Config::choose_from_link`]): it never
//! decides where credentials, carts or payments go.

mod link;
mod params;
mod settings;
mod source;

pub use params::{attribute_name, CONFIG_PARAMS};
pub use settings::{Config, Theme, DEFAULT_CDN, DEFAULT_HEADING_LEVEL, DEFAULT_TIMEOUT_SECONDS};
pub use source::{ConfigError, Source};
