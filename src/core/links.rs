//! The only URLs the widget ever puts in a page: http(s) links to the shop
//! and http(s) images. Everything else from a feed is dropped.

/// Whether `url` is an absolute http or https URL with a host and nothing
/// that could break out of an attribute or smuggle another scheme.
pub fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_ok = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
    host_ok
        && url.chars().all(|c| {
            !c.is_control() && !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | '\\' | '`')
        })
}

/// Whether `url` may receive a buyer's credentials and token: an https
/// URL, or http on this machine's loopback (where tests and the demo run).
/// An authority with user info is refused, since `http://127.0.0.1@host`
/// is `host`.
pub fn is_credential_endpoint(url: &str) -> bool {
    if !is_http_url(url) {
        return false;
    }
    let authority = authority(url);
    if authority.contains('@') {
        return false;
    }
    if url[..5].eq_ignore_ascii_case("https") {
        return true;
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    }
    .to_ascii_lowercase();
    host == "localhost"
        || host == "::1"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|part| part.parse::<u8>().is_ok()))
}

/// The `host[:port]` (with any user info) of an http(s) URL.
fn authority(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[after_scheme..];
    &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())]
}

/// The origin (`scheme://host[:port]`, lower-cased) of an http(s) URL, as
/// a storage scope or a policy source.
pub fn url_origin(url: &str) -> Option<String> {
    is_http_url(url).then(|| origin(url).to_ascii_lowercase())
}

/// `text` percent-encoded for one URL component: everything but RFC 3986
/// unreserved characters, so it can never add a `/`, `?` or `#`.
pub fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    encoded
}

/// `text` with its `%XX` escapes decoded (a `+` stays a `+`); `None` when
/// an escape is broken or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let hex_digit = |byte: u8| char::from(byte).to_digit(16);
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte == b'%' {
            let (&high, &low) = (after.first()?, after.get(1)?);
            bytes.push((hex_digit(high)? * 16 + hex_digit(low)?) as u8);
            rest = &after[2..];
        } else {
            bytes.push(byte);
            rest = after;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The image URL if it is safe to show.
pub fn safe_image(url: &str) -> Option<&str> {
    is_http_url(url.trim()).then(|| url.trim())
}

/// The origin (`scheme://host[:port]`) of an http(s) URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// The storefront link for an item: the shop's URL plus the item's path.
///
/// A path that is not a plain path on the shop (another scheme, another
/// host, `//host`, backslashes, control characters) gives no link at all,
/// so a hostile feed can never point a shopper elsewhere.
pub fn item_link(storefront: Option<&str>, path: Option<&str>) -> Option<String> {
    let path = path?.trim();
    let storefront = storefront
        .map(|s| s.trim().trim_end_matches('/'))
        .filter(|s| is_http_url(s));
    if is_http_url(path) {
        // An absolute path is accepted only when it points at the shop itself.
        let shop = storefront?;
        return (origin(path).eq_ignore_ascii_case(origin(shop))).then(|| path.to_owned());
    }
    let storefront = storefront?;
    if path.is_empty()
        || path.starts_with("//")
        || path.contains('\\')
        || path.chars().any(|c| c.is_control())
    {
        return None;
    }
    let first_segment = path.split(['/', '?', '#']).next().unwrap_or("");
    if first_segment.contains(':') {
        return None; // a scheme such as `javascript:` or `data:`
    }
    let mut link = String::with_capacity(storefront.len() + path.len() + 1);
    link.push_str(storefront);
    if !path.starts_with('/') {
        link.push('/');
    }
    for c in path.chars() {
        match c {
            ' ' => link.push_str("%20"),
            '"' => link.push_str("%22"),
            '<' => link.push_str("%3C"),
            '>' => link.push_str("%3E"),
            '`' => link.push_str("%60"),
            c => link.push(c),
        }
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: Option<&str> = Some("https://www.my-store.com/");

    #[test]
    fn joins_storefront_and_path() {
        assert_eq!(
            item_link(SHOP, Some("/release/1/x")).as_deref(),
            Some("https://www.my-store.com/release/1/x")
        );
        assert_eq!(
            item_link(SHOP, Some("release/1")).as_deref(),
            Some("https://www.my-store.com/release/1")
        );
        assert_eq!(
            item_link(SHOP, Some("/a b")).as_deref(),
            Some("https://www.my-store.com/a%20b")
        );
        assert_eq!(
            item_link(SHOP, Some("/björk")).as_deref(),
            Some("https://www.my-store.com/björk")
        );
        assert_eq!(
            item_link(SHOP, Some("https://www.my-store.com/release/2")).as_deref(),
            Some("https://www.my-store.com/release/2")
        );
    }

    #[test]
    fn drops_links_that_leave_the_shop_or_change_scheme() {
        for path in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<b>",
            "//evil.example/x",
            "https://evil.example/x",
            "\\\\evil",
            "/a\u{0}b",
            "",
            "   ",
            "vbscript:x",
        ] {
            assert_eq!(item_link(SHOP, Some(path)), None, "{path:?}");
        }
        assert_eq!(item_link(None, Some("/release/1")), None);
        assert_eq!(
            item_link(Some("javascript:alert(1)"), Some("/release/1")),
            None
        );
        assert_eq!(item_link(SHOP, None), None);
    }

    #[test]
    fn credentials_go_over_https_or_loopback_only() {
        for good in [
            "https://api-client.common-ground.io/graphql",
            "HTTPS://api.example/graphql",
            "http://127.0.0.1:9/graphql",
            "http://localhost:8080/graphql",
            "http://[::1]:80/g",
        ] {
            assert!(is_credential_endpoint(good), "{good}");
        }
        for bad in [
            "http://evil.example/graphql",
            "http://127.0.0.1@evil.example/graphql",
            "https://user:pw@api.example/graphql",
            "http://127.0.0.1.evil.example/graphql",
            "http://localhost.evil.example/",
            "http://127.1/graphql",
            "javascript:alert(1)",
            "//evil.example/graphql",
        ] {
            assert!(!is_credential_endpoint(bad), "{bad}");
        }
        assert_eq!(
            url_origin("https://API.example:8443/graphql?x").as_deref(),
            Some("https://api.example:8443")
        );
        assert_eq!(url_origin("/relative"), None);
    }

    #[test]
    fn only_http_images() {
        assert_eq!(
            safe_image("https://img.example/a.jpg"),
            Some("https://img.example/a.jpg")
        );
        assert_eq!(
            safe_image("http://127.0.0.1:8080/img/1.svg"),
            Some("http://127.0.0.1:8080/img/1.svg")
        );
        for bad in [
            "javascript:x",
            "data:image/png;base64,AAAA",
            "/relative.png",
            "https://",
            "https://a b",
            "https://x\"onerror=\"",
        ] {
            assert_eq!(safe_image(bad), None, "{bad}");
        }
    }
}
