//! The settings a partner deploys with: checked one by one, and written
//! as the page's configuration block.

use super::{DeployError, CONFIG_BLOCK_ID};
use crate::config::{Config, CONFIG_PARAMS};
use serde_json::{Map, Value};

/// Reads a deploy configuration: a JSON object whose keys are the element's
/// attribute names and whose values are strings (numbers and booleans are
/// taken too). Every invalid or unknown setting is an error naming it.
pub fn read_config(config_json: &str) -> Result<(Map<String, Value>, Config), DeployError> {
    let value: Value = serde_json::from_str(config_json)
        .map_err(|error| DeployError::NotJson(error.to_string()))?;
    let Value::Object(settings) = value else {
        return Err(DeployError::NotAnObject);
    };
    let mut unknown: Vec<String> = settings
        .keys()
        .filter(|name| !CONFIG_PARAMS.contains(&name.as_str()))
        .map(|name| clip(name))
        .collect();
    unknown.sort_unstable();
    if !unknown.is_empty() {
        return Err(DeployError::UnknownSettings(unknown));
    }
    // One setting at a time, so the error names each invalid one, read
    // exactly as the page will read its block.
    let mut invalid: Vec<String> = settings
        .iter()
        .filter(|(name, value)| {
            let one = Value::Object(Map::from_iter([((*name).clone(), (*value).clone())]));
            !Config::from_deploy_json(&one.to_string()).1.is_empty()
        })
        .map(|(name, _)| name.clone())
        .collect();
    invalid.sort_unstable();
    if !invalid.is_empty() {
        return Err(DeployError::InvalidSettings(invalid));
    }
    let (config, notices) = Config::from_deploy_json(&Value::Object(settings.clone()).to_string());
    if !notices.is_empty() {
        return Err(DeployError::InvalidSettings(notices));
    }
    Ok((settings, config))
}

/// The configuration block: the settings as JSON, with `<`, `>` and `&`
/// (and the JavaScript line separators) escaped, so no value can end the
/// script element or open a comment in it.
pub fn config_block(settings: &Map<String, Value>) -> String {
    let json = Value::Object(settings.clone()).to_string();
    let mut escaped = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    format!(r#"<script type="application/json" id="{CONFIG_BLOCK_ID}">{escaped}</script>"#)
}

/// An unknown setting's name for an error message: at most 40 characters,
/// control characters shown escaped.
fn clip(name: &str) -> String {
    let mut clipped: String = name.chars().take(40).flat_map(char::escape_debug).collect();
    if name.chars().count() > 40 {
        clipped.push('…');
    }
    clipped
}
