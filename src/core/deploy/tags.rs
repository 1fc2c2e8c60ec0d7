//! Finding start tags in a page: just enough HTML scanning to locate the
//! `<head>`, the charset, the policy `<meta>` and the configuration block.

/// A start tag found in the page.
pub(super) struct Tag {
    /// Lower-case element name.
    pub(super) name: String,
    /// Lower-case attribute names with their (raw) values.
    attributes: Vec<(String, String)>,
    /// Where its `<` is.
    pub(super) start: usize,
    /// Just past the tag's `>`.
    pub(super) end: usize,
}

impl Tag {
    /// The raw value of the attribute `name` (lower-case), if present.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The next start tag at or after `from`, passing over comments, doctypes
/// and end tags.
pub(super) fn next_tag(html: &str, mut from: usize) -> Option<Tag> {
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
pub(super) fn past_end_tag(html: &str, name: &str, from: usize) -> usize {
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
