//! The Content-Security-Policy a configuration calls for: the hosts it
//! talks to, each named exactly.

use super::DeployError;
use crate::config::Config;

/// The page's policy: its own scripts (and WebAssembly), styles and fonts;
/// images from `https:` (the feed's covers and shop logos) and from the
/// page's own origin; connections to the page's origin (the wasm, a relative
/// feed) and to the configured hosts only. The origins of configured `http:`
/// loopback hosts (tests and the demo) are allowed for images too.
pub fn content_security_policy(config: &Config) -> Result<String, DeployError> {
    let mut connect = vec!["'self'".to_owned()];
    let mut images = vec!["'self'".to_owned(), "https:".to_owned()];
    let hosts: [(&'static str, Option<&str>); 5] = [
        ("cdn", Some(config.cdn.as_str())),
        ("feed", config.feed.as_deref()),
        ("shops-url", config.shops_url.as_deref()),
        ("inventory-url", config.inventory_url.as_deref()),
        ("api", Some(config.api.as_str())),
    ];
    for (setting, url) in hosts {
        let Some(url) = url else { continue };
        // A relative URL is the page's own origin: 'self'.
        let Some(origin) = origin_of(url, setting)? else {
            continue;
        };
        if origin.loopback_http && !images.contains(&origin.text) {
            images.push(origin.text.clone());
        }
        if !connect.contains(&origin.text) {
            connect.push(origin.text);
        }
    }
    Ok(format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src {}; connect-src {}; \
         font-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'",
        images.join(" "),
        connect.join(" ")
    ))
}

/// An origin as a CSP source expression.
struct Origin {
    text: String,
    loopback_http: bool,
}

/// The origin of an absolute http(s) URL; `None` for a relative one (the
/// page's own origin). A host that a policy cannot name exactly (characters
/// beyond a DNS name's, an IPv6 literal) is an error.
fn origin_of(url: &str, setting: &'static str) -> Result<Option<Origin>, DeployError> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok(None);
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        // The configuration only accepts http(s) or relative URLs.
        return Err(DeployError::UnlistableHost(setting));
    }
    let authority = &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())];
    // `http://user@host` connects to `host`.
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    };
    let host = host.to_ascii_lowercase();
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !host.starts_with(['-', '.']);
    let port = match port {
        None | Some("") => None,
        Some(port) if port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) => {
            match port.parse::<u16>() {
                Ok(80) if scheme == "http" => None,
                Ok(443) if scheme == "https" => None,
                Ok(port) => Some(port),
                Err(_) => return Err(DeployError::UnlistableHost(setting)),
            }
        }
        Some(_) => return Err(DeployError::UnlistableHost(setting)),
    };
    if !host_ok {
        return Err(DeployError::UnlistableHost(setting));
    }
    let loopback = host == "localhost"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|part| part.parse::<u8>().is_ok()));
    let text = match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    Ok(Some(Origin {
        text,
        loopback_http: loopback && scheme == "http",
    }))
}
