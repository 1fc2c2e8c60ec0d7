//! Deploy-time configuration of the standalone page.
//!
//! A partner configures the built `index.html` once, when deploying it:
//! [`configure_page`] checks the settings (an invalid or unknown one is an
//! error naming it, never silently dropped), writes them into the page's
//! `<script type="application/json" id="cg-config">` block, and writes a
//! strict Content-Security-Policy `<meta>` computed from them, so the page
//! can only talk to the hosts it is configured for. Both are replaced when
//! present: configuring a configured page gives what configuring the pristine
//! one gives.
//!
//! A `<meta>` policy cannot carry `frame-ancestors` (nor `report-uri` or
//! `sandbox`): browsers ignore them there. A partner who wants the page kept
//! out of other sites' frames sends `Content-Security-Policy:
//! frame-ancestors 'self'` (or `X-Frame-Options`) as an HTTP header.

use crate::config::{Config, CONFIG_PARAMS};
use serde_json::{Map, Value};
use thiserror::Error;

/// The `id` of the configuration block the standalone page reads.
pub const CONFIG_BLOCK_ID: &str = "cg-config";

/// Why a page cannot be configured.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DeployError {
    #[error("the configuration is not JSON: {0}")]
    NotJson(String),
    #[error("the configuration must be a JSON object of settings keyed like the <cg-inventory> attributes")]
    NotAnObject,
    #[error("unknown settings: {} (the settings are: {})", .0.join(", "), CONFIG_PARAMS.join(", "))]
    UnknownSettings(Vec<String>),
    #[error("invalid settings: {} (see the README's Configuration section)", .0.join(", "))]
    InvalidSettings(Vec<String>),
    #[error("the {0} setting's host cannot be named in a Content-Security-Policy (use a plain DNS name or IPv4 address, in its punycode form)")]
    UnlistableHost(&'static str),
    #[error("the page has no <head> to write the configuration into")]
    NoHead,
}

/// Checks `config_json` and writes it, with the Content-Security-Policy it
/// calls for, into `index_html`.
pub fn configure_page(index_html: &str, config_json: &str) -> Result<String, DeployError> {
    let (settings, config) = read_config(config_json)?;
    let policy = content_security_policy(&config)?;
    let meta = format!(
        r#"<meta http-equiv="Content-Security-Policy" content="{}" />"#,
        escape_attribute(&policy)
    );
    let block = config_block(&settings);
    write_into(index_html, &meta, &block)
}

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

/// An unknown setting's name for an error message: at most 40 characters,
/// control characters shown escaped.
fn clip(name: &str) -> String {
    let mut clipped: String = name.chars().take(40).flat_map(char::escape_debug).collect();
    if name.chars().count() > 40 {
        clipped.push('…');
    }
    clipped
}

fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A start tag found in the page.
struct Tag {
    /// Lower-case element name.
    name: String,
    /// Lower-case attribute names with their (raw) values.
    attributes: Vec<(String, String)>,
    start: usize,
    /// Just past the tag's `>`.
    end: usize,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The next start tag at or after `from`, passing over comments, doctypes
/// and end tags.
fn next_tag(html: &str, mut from: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    loop {
        let start = from + html.get(from..)?.find('<')?;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // An unclosed comment runs to the end.
            from = start + 4 + comment.find("-->").map_or(comment.len(), |end| end + 3);
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[start + 1].is_ascii_alphabetic() {
            // `</x>`, `<!doctype>`, `<?…>` or a stray `<`.
            from = start + 1;
            continue;
        }
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let (attributes, end) = read_attributes(html, start + 1 + name_len);
        return Some(Tag {
            name,
            attributes,
            start,
            end,
        });
    }
}

/// Attributes from `at` to the end of the tag, and the index past its `>`.
fn read_attributes(html: &str, mut at: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return (attributes, bytes.len());
        }
        if bytes[at] == b'>' {
            return (attributes, at + 1);
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = String::new();
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_end = html[at + 1..]
                        .find(quote as char)
                        .map_or(bytes.len(), |i| at + 1 + i);
                    value = html[at + 1..value_end].to_owned();
                    at = (value_end + 1).min(bytes.len());
                }
                _ => {
                    let value_start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>'
                    {
                        at += 1;
                    }
                    value = html[value_start..at].to_owned();
                }
            }
        }
        attributes.push((name, value));
    }
}

/// Index just past the end tag `</name…>` at or after `from` (ASCII case
/// insensitive), or the end of the page.
fn past_end_tag(html: &str, name: &str, from: usize) -> usize {
    let lower = html[from..].to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(i) => {
            let close = from + i;
            html[close..]
                .find('>')
                .map_or(html.len(), |j| close + j + 1)
        }
        None => html.len(),
    }
}

/// The whitespace that indents the line `at` is on.
fn indent_at(html: &str, at: usize) -> &str {
    let line_start = html[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &html[line_start..at];
    if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        indent
    } else {
        ""
    }
}

/// `start` moved back over the whitespace before it, through its line
/// break, when only whitespace precedes it on its line.
fn with_leading_line(html: &str, start: usize) -> usize {
    let before = &html[..start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix('\n') {
        Some(rest) => rest.strip_suffix('\r').unwrap_or(rest).len(),
        None => start,
    }
}

/// Writes the policy `meta` and the configuration `block` into the page,
/// replacing those it has (and dropping any extra copies).
fn write_into(html: &str, meta: &str, block: &str) -> Result<String, DeployError> {
    let mut policies = Vec::new();
    let mut blocks = Vec::new();
    let mut charset = None;
    let mut head = None;
    let mut from = 0;
    while let Some(tag) = next_tag(html, from) {
        from = tag.end;
        match tag.name.as_str() {
            "script" | "style" | "template" | "textarea" | "title" => {
                // Raw text: nothing in it is a tag.
                let end = past_end_tag(html, &tag.name, tag.end);
                if tag.name == "script" && tag.attribute("id") == Some(CONFIG_BLOCK_ID) {
                    blocks.push(tag.start..end);
                }
                from = end;
            }
            "meta"
                if tag
                    .attribute("http-equiv")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy")) =>
            {
                policies.push(tag.start..tag.end);
            }
            "meta" if charset.is_none() && tag.attribute("charset").is_some() => {
                charset = Some(tag.start..tag.end)
            }
            "head" if head.is_none() => head = Some(tag.start..tag.end),
            _ => {}
        }
    }
    // Edits as (range, text), applied from the end.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let extra = |ranges: &[std::ops::Range<usize>],
                 edits: &mut Vec<(std::ops::Range<usize>, String)>| {
        for range in ranges.iter().skip(1) {
            edits.push((
                with_leading_line(html, range.start)..range.end,
                String::new(),
            ));
        }
    };
    extra(&policies, &mut edits);
    extra(&blocks, &mut edits);
    match (policies.first(), blocks.first()) {
        (Some(policy), Some(existing)) => {
            edits.push((policy.clone(), meta.to_owned()));
            edits.push((existing.clone(), block.to_owned()));
        }
        (Some(policy), None) => {
            let indent = indent_at(html, policy.start);
            edits.push((policy.clone(), format!("{meta}\n{indent}{block}")));
        }
        (None, existing) => {
            let (at, indent) = match (&charset, &head) {
                (Some(charset), _) => (charset.end, indent_at(html, charset.start).to_owned()),
                (None, Some(head)) => (head.end, format!("{}  ", indent_at(html, head.start))),
                (None, None) => return Err(DeployError::NoHead),
            };
            match existing {
                Some(existing) => {
                    edits.push((at..at, format!("\n{indent}{meta}")));
                    edits.push((existing.clone(), block.to_owned()));
                }
                None => edits.push((at..at, format!("\n{indent}{meta}\n{indent}{block}"))),
            }
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut page = html.to_owned();
    for (range, text) in edits {
        page.replace_range(range, &text);
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRISTINE: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>Shop</title>\n    <script type=\"module\" src=\"./start.js\"></script>\n  </head>\n  <body><main id=\"cg-inventory\"></main></body>\n</html>\n";

    /// The configuration block's text, read back as the page reads it.
    fn block_of(page: &str) -> Value {
        let open = format!(r#"<script type="application/json" id="{CONFIG_BLOCK_ID}">"#);
        let start = page.find(&open).expect("a block") + open.len();
        let end = start + page[start..].find("</script>").expect("the block's end");
        serde_json::from_str(&page[start..end]).expect("JSON")
    }

    fn policy_of(page: &str) -> String {
        let open = r#"<meta http-equiv="Content-Security-Policy" content=""#;
        let start = page.find(open).expect("a policy") + open.len();
        page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&")
    }

    fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
        let found = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} in {policy}"));
        found.split(' ').skip(1).collect()
    }

    #[test]
    fn writes_the_block_and_the_policy() {
        let config = r#"{"shop":"1234","cdn":"http://localhost:8080","storefront":"https://www.my-store.com","currency":"EUR","timeout":30}"#;
        let page = configure_page(PRISTINE, config).unwrap();
        assert_eq!(
            block_of(&page),
            serde_json::from_str::<Value>(config).unwrap()
        );
        let (read, notices) = Config::from_deploy_json(&block_of(&page).to_string());
        assert!(notices.is_empty());
        assert_eq!(
            read.feed_url().unwrap(),
            "http://localhost:8080/shops/1234/inventory.json"
        );
        let policy = policy_of(&page);
        assert_eq!(
            policy,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: http://localhost:8080; \
             connect-src 'self' http://localhost:8080 https://api-client.common-ground.io; font-src 'self'; base-uri 'none'; \
             form-action 'none'; object-src 'none'"
        );
        // The policy comes before any script, right after the charset.
        assert!(page.find("Content-Security-Policy").unwrap() < page.find("<title>").unwrap());
        assert!(
            page.contains(
                "    <meta charset=\"utf-8\" />\n    <meta http-equiv=\"Content-Security-Policy\""
            ),
            "{page}"
        );
        assert_eq!(page.matches("Content-Security-Policy").count(), 1);
        assert_eq!(page.matches(CONFIG_BLOCK_ID).count(), 1);
    }

    #[test]
    fn connect_src_follows_the_configuration() {
        let connect = |config: &str| {
            let page = configure_page(PRISTINE, config).unwrap();
            directive(&policy_of(&page), "connect-src")
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            connect("{}"),
            [
                "'self'",
                "https://static.common-ground.io",
                "https://api-client.common-ground.io"
            ]
        );
        assert_eq!(
            connect(
                r#"{"cdn":"https://CDN.Example:443/base/","api":"https://api.example:8443/graphql","origin":"www.my-store.com"}"#
            ),
            ["'self'", "https://cdn.example", "https://api.example:8443"]
        );
        // A relative feed is the page's own origin; a full one is its host.
        assert_eq!(
            connect(r#"{"feed":"/feeds/demo.json"}"#),
            [
                "'self'",
                "https://static.common-ground.io",
                "https://api-client.common-ground.io"
            ]
        );
        assert_eq!(
            connect(
                r#"{"feed":"http://127.0.0.1:9/x.json","shops-url":"https://partner.example/cg/shops.json","inventory-url":"https://p2.example/inv"}"#
            ),
            [
                "'self'",
                "https://static.common-ground.io",
                "http://127.0.0.1:9",
                "https://partner.example",
                "https://p2.example",
                "https://api-client.common-ground.io"
            ]
        );
        // The same host twice is named once; user info is not the host.
        assert_eq!(
            connect(
                r#"{"cdn":"http://localhost:8080","api":"http://localhost:8080/graphql","feed":"http://x@localhost:8080/f"}"#
            ),
            ["'self'", "http://localhost:8080"]
        );
        let page = configure_page(
            PRISTINE,
            r#"{"cdn":"http://localhost:8080","api":"http://127.0.0.1:8080/graphql"}"#,
        )
        .unwrap();
        assert_eq!(
            directive(&policy_of(&page), "img-src"),
            [
                "'self'",
                "https:",
                "http://localhost:8080",
                "http://127.0.0.1:8080"
            ]
        );
        let page = configure_page(PRISTINE, r#"{"cdn":"http://cdn.example"}"#).unwrap();
        assert_eq!(
            directive(&policy_of(&page), "img-src"),
            ["'self'", "https:"],
            "only loopback http images"
        );
    }

    #[test]
    fn configuring_again_replaces_the_block_and_the_policy() {
        let a = r#"{"shop":"1234","cdn":"http://localhost:8080"}"#;
        let b = r#"{"shops-url":"https://partner.example/shops.json","api":"https://api.example/graphql","origin":"www.x.com"}"#;
        let once = configure_page(PRISTINE, a).unwrap();
        assert_eq!(configure_page(&once, a).unwrap(), once, "idempotent");
        let other = configure_page(PRISTINE, b).unwrap();
        assert_eq!(
            configure_page(&other, a).unwrap(),
            once,
            "configuring a configured page is configuring the pristine one"
        );
        assert_eq!(
            configure_page(&configure_page(&once, b).unwrap(), a).unwrap(),
            once
        );
        // Extra copies (a hand-edited page) go; hand-written forms are found.
        let messy = PRISTINE.replace(
            "<title>",
            "<META HTTP-EQUIV='content-security-policy' CONTENT=\"default-src *\">\n    <script id=cg-config type=\"application/json\">{\"shop\":\"1\"}</script>\n    <script type=\"application/json\" id=\"cg-config\">{}</script>\n    <title>",
        );
        let page = configure_page(&messy, a).unwrap();
        assert_eq!(
            (
                page.matches(CONFIG_BLOCK_ID).count(),
                page.to_ascii_lowercase()
                    .matches("content-security-policy")
                    .count()
            ),
            (1, 1),
            "{page}"
        );
        assert_eq!(block_of(&page)["shop"], "1234");
        assert!(!page.contains("default-src *"));
        assert_eq!(configure_page(&page, a).unwrap(), page);
    }

    #[test]
    fn a_value_cannot_break_out_of_the_block() {
        // A relative feed path may hold any printable character.
        let config = r#"{"feed":"/x/</script><script>alert(1)</script><!--&"}"#;
        let page = configure_page(PRISTINE, config).unwrap();
        let block_start = page.find(CONFIG_BLOCK_ID).unwrap();
        let block =
            &page[block_start..block_start + page[block_start..].find("</script>").unwrap()];
        assert!(
            !block.contains("<script") && !block.contains("<!--") && !block.contains('&'),
            "{block}"
        );
        assert_eq!(
            block_of(&page)["feed"],
            "/x/</script><script>alert(1)</script><!--&"
        );
        assert_eq!(
            page.matches("<script").count(),
            2,
            "no script but the block and the page's own"
        );
        // A script's text mentioning the block is not the block.
        let tricky = PRISTINE.replace("</head>", "<script>const s = '<script type=\"application/json\" id=\"cg-config\">';</script>\n  </head>");
        let page = configure_page(&tricky, "{}").unwrap();
        assert!(page.contains("const s = '<script type=\"application/json\" id=\"cg-config\">';"));
    }

    #[test]
    fn hostile_and_invalid_settings_are_errors_naming_them() {
        let err = |config: &str| configure_page(PRISTINE, config).unwrap_err();
        assert_eq!(
            err(r#"{"api":"javascript:alert(1)"}"#),
            DeployError::InvalidSettings(vec!["api".into()])
        );
        assert_eq!(
            err(r#"{"api":"http://evil.example/graphql"}"#),
            DeployError::InvalidSettings(vec!["api".into()]),
            "credentials over plain http"
        );
        assert_eq!(
            err(
                r#"{"shop":["1234"],"cdn":"javascript:x","currency":"EURO","timeout":0,"theme":null}"#
            ),
            DeployError::InvalidSettings(vec![
                "cdn".into(),
                "currency".into(),
                "shop".into(),
                "theme".into(),
                "timeout".into()
            ])
        );
        assert_eq!(
            err(r#"{"shop":"1","tracker":"https://evil.example","Shop":"2"}"#),
            DeployError::UnknownSettings(vec!["Shop".into(), "tracker".into()])
        );
        assert!(err(r#"{"shop":"1","tracker":"x"}"#)
            .to_string()
            .contains("tracker"));
        assert_eq!(err("[]"), DeployError::NotAnObject);
        assert_eq!(err("\"shop\""), DeployError::NotAnObject);
        assert!(matches!(err("{"), DeployError::NotJson(_)));
        assert!(matches!(err(""), DeployError::NotJson(_)));
        // A host a policy cannot name exactly could smuggle in a source or directive.
        for host in [
            "https://a.example;script-src",
            "https://a.example'unsafe-inline'",
            "https://[::1]:8080",
            "https://bücher.example",
        ] {
            let config = serde_json::json!({ "cdn": host }).to_string();
            match configure_page(PRISTINE, &config) {
                Err(DeployError::UnlistableHost("cdn")) | Err(DeployError::InvalidSettings(_)) => {}
                other => panic!("{host}: {other:?}"),
            }
        }
        let long = format!(r#"{{"{}":"x"}}"#, "k".repeat(500));
        assert!(
            err(&long).to_string().len() < 400,
            "an unknown name is clipped"
        );
        assert_eq!(
            configure_page("<p>no head</p>", "{}"),
            Err(DeployError::NoHead)
        );
    }

    #[test]
    fn numbers_and_booleans_are_values() {
        let page = configure_page(
            PRISTINE,
            r#"{"shop":1234,"timeout":30,"url-state":true,"page-cap":5}"#,
        )
        .unwrap();
        let (config, notices) = Config::from_deploy_json(&block_of(&page).to_string());
        assert!(notices.is_empty());
        assert_eq!(
            (
                config.shop.as_deref(),
                config.timeout_seconds,
                config.url_state,
                config.page_cap
            ),
            (Some("1234"), 30, true, 5)
        );
    }

    #[test]
    fn a_page_with_only_a_head_gets_both() {
        let page =
            configure_page("<html><head></head><body></body></html>", r#"{"shop":"1"}"#).unwrap();
        assert!(
            page.starts_with("<html><head>\n  <meta http-equiv=\"Content-Security-Policy\""),
            "{page}"
        );
        assert_eq!(configure_page(&page, r#"{"shop":"1"}"#).unwrap(), page);
    }

    /// The repository's `index.html` carries an empty block and the policy
    /// of the default configuration, in step with this module.
    #[test]
    fn the_source_page_is_configured_for_the_defaults() {
        let index = include_str!("../../index.html");
        assert_eq!(
            configure_page(index, "{}").unwrap(),
            index,
            "run: cargo run --bin cg-configure -- index.html <(echo '{{}}')"
        );
        assert_eq!(block_of(index), serde_json::json!({}));
    }

    /// The end-to-end harness splits settings from view state with the same list.
    #[test]
    fn the_e2e_harness_knows_every_setting() {
        let harness = include_str!("../../tests/e2e/harness.mjs");
        let marker = "export const CONFIG_PARAMS = [";
        let start = harness.find(marker).expect("the list") + marker.len();
        let list = &harness[start..start + harness[start..].find("];").unwrap()];
        let mut names: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        let mut params = CONFIG_PARAMS.to_vec();
        names.sort_unstable();
        params.sort_unstable();
        assert_eq!(names, params);
    }
}
