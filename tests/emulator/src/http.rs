//! Minimal HTTP/1.1 wire handling on `std::net`.
//!
//! Hand-written rather than using an HTTP server crate because the fault
//! modes need raw control of the socket: announce a Content-Length and then
//! close early, dribble bytes slowly, or hold a request open while watching
//! for the client to disconnect.

use std::io::{self, BufRead, Read, Write};

/// Longest request line or header line we accept.
const MAX_LINE: usize = 16 * 1024;
/// Most header lines we accept in one request.
const MAX_HEADERS: usize = 128;
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
    /// True for HTTP/1.0 requests (which default to closing the connection).
    pub http10: bool,
}

impl Request {
    /// A bodiless request, handy for unit tests of the router.
    pub fn new(method: &str, target: &str) -> Self {
        Self {
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
            http10: false,
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

    /// Whether the connection may be reused after this request.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        }
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

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads one CRLF- (or LF-) terminated line without the terminator.
/// `Ok(None)` on a clean EOF before any byte.
fn read_line<R: BufRead>(r: &mut R) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        return Err(if n > MAX_LINE {
            bad("line too long")
        } else {
            io::ErrorKind::UnexpectedEof.into()
        });
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| bad("header is not UTF-8"))
}

/// Reads the request line and headers. `Ok(None)` when the client closed the
/// connection cleanly between requests.
pub fn read_head<R: BufRead>(r: &mut R) -> io::Result<Option<Request>> {
    // Tolerate stray blank lines between keep-alive requests (RFC 9112 §2.2).
    let line = loop {
        match read_line(r)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if !version.starts_with("HTTP/1.")
        || method.is_empty()
        || !target.starts_with('/') && target != "*"
    {
        return Err(bad("unsupported request line"));
    }
    let mut req = Request::new(method, target);
    req.http10 = version == "HTTP/1.0";
    loop {
        let line = read_line(r)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        if line.is_empty() {
            break;
        }
        if req.headers.len() >= MAX_HEADERS {
            return Err(bad("too many headers"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad("malformed header"))?;
        req.headers
            .push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(Some(req))
}

/// True when the client asked for `100 Continue` before sending its body
/// (curl does this for large uploads).
pub fn expects_continue(req: &Request) -> bool {
    req.header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

/// Reads the body announced by the headers (Content-Length or chunked).
pub fn read_body<R: BufRead>(r: &mut R, req: &Request) -> io::Result<Vec<u8>> {
    if req
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        return read_chunked(r);
    }
    let Some(len) = req.header("content-length") else {
        return Ok(Vec::new());
    };
    let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
    if len > MAX_BODY {
        return Err(bad("body too large"));
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(body)
}

fn read_chunked<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
        if size == 0 {
            // Skip trailers up to the terminating blank line.
            while !read_line(r)?.unwrap_or_default().is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(bad("body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        read_line(r)?; // CRLF after the chunk data
    }
}

/// Standard reason phrase for a status code (any code is allowed on the
/// wire; unknown ones get a generic phrase).
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Content Too Large",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Whether a response with this status never carries a body.
pub fn bodiless(status: u16) -> bool {
    matches!(status, 100..=199 | 204 | 304)
}

/// Serialises a status line and headers. `content_length` is emitted when
/// given and the status allows a body.
pub fn write_head<W: Write>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    content_length: Option<usize>,
    close: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    head.push_str(&format!(
        "Date: {}\r\nServer: cg-emulator\r\n",
        httpdate::fmt_http_date(std::time::SystemTime::now())
    ));
    for (name, value) in headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    if let (Some(len), false) = (content_length, bodiless(status)) {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn parses_head_and_body() {
        let raw = b"PUT /__feeds/a?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Y:  z \r\n\r\nhelloGET / HTTP/1.0\r\n\r\n";
        let mut r = Cursor::new(&raw[..]);
        let req = read_head(&mut r).unwrap().unwrap();
        assert_eq!(req.method, "PUT");
        assert_eq!(req.path(), "/__feeds/a");
        assert_eq!(req.header("x-y"), Some("z"));
        assert_eq!(read_body(&mut r, &req).unwrap(), b"hello");
        let next = read_head(&mut r).unwrap().unwrap();
        assert!(next.http10 && !next.keep_alive());
        assert!(read_head(&mut r).unwrap().is_none());
    }

    #[test]
    fn parses_chunked_body() {
        let raw = b"4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n";
        let req = Request::new("POST", "/").with_header("Transfer-Encoding", "chunked");
        assert_eq!(
            read_body(&mut Cursor::new(&raw[..]), &req).unwrap(),
            b"Wikipedia"
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(read_head(&mut Cursor::new(&b"hello\r\n\r\n"[..])).is_err());
        assert!(read_head(&mut Cursor::new(&b"GET / HTTP/1.1\r\nno colon\r\n\r\n"[..])).is_err());
    }

    #[test]
    fn query_and_percent_decoding() {
        let req = Request::new("GET", "/x?fault=delay-10&fault=no%2Dcors&q=a+b");
        assert_eq!(req.query_values("fault"), vec!["delay-10", "no-cors"]);
        assert_eq!(req.query_values("q"), vec!["a b"]);
        assert_eq!(percent_decode("%E2%82%AC%zz%4", false), "€%zz%4");
    }
}
