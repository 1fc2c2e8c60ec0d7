//! The emulator's view of an HTTP request: method, raw target, headers and
//! body, as the router reads them. hyper (under axum, see
//! [`crate::server`]) does the wire; this stays plain data so routes are
//! unit-testable without sockets.

/// Largest request body we accept (custom feeds can be ~50 MB).
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// A parsed HTTP request. Header names are stored lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method as sent, e.g. `GET`.
    pub method: String,
    /// Raw request target: path plus optional `?query`.
    pub target: String,
    /// `(lowercased name, value)` pairs in arrival order.
    pub headers: Vec<(String, String)>,
    /// The request body (empty when none was sent).
    pub body: Vec<u8>,
}

impl Request {
    /// A bodiless request, handy for unit tests of the router.
    pub fn new(method: &str, target: &str) -> Self {
        Self {
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path part of the target (before `?`), still percent-encoded.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(p, _)| p)
    }

    /// All decoded values of a query parameter, in order.
    pub fn query_values(&self, key: &str) -> Vec<String> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(k, true) == key).then(|| percent_decode(v, true))
            })
            .collect()
    }
}

/// Decodes `%XX` escapes (and `+` as space when `plus_as_space`), replacing
/// invalid UTF-8 rather than failing: the router only compares the result.
pub fn percent_decode(s: &str, plus_as_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_as_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_percent_decoding() {
        let req = Request::new("GET", "/x?fault=delay-10&fault=no%2Dcors&q=a+b");
        assert_eq!(req.query_values("fault"), vec!["delay-10", "no-cors"]);
        assert_eq!(req.query_values("q"), vec!["a b"]);
        assert_eq!(percent_decode("%E2%82%AC%zz%4", false), "€%zz%4");
    }
}
