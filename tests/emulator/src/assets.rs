//! Cover art placeholders and static-file helpers.

use crate::generator::hash_str;
use crate::http::percent_decode;
use std::path::{Path, PathBuf};

/// A small deterministic SVG "record cover": a coloured square with a black
/// disc and a coloured centre label. Colours derive from `name`, so every
/// item gets its own recognisable cover without storing any images.
pub fn cover_svg(name: &str) -> String {
    let h = hash_str(name);
    let hue = h % 360;
    let sat = 35 + (h >> 12) % 45;
    let light = 30 + (h >> 20) % 30;
    let label_hue = (hue + 120 + (h >> 28) % 120) % 360;
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">"##,
            r##"<rect width="300" height="300" fill="hsl({hue},{sat}%,{light}%)"/>"##,
            r##"<circle cx="150" cy="150" r="112" fill="#141414"/>"##,
            r##"<circle cx="150" cy="150" r="84" fill="none" stroke="#2a2a2a" stroke-width="2"/>"##,
            r##"<circle cx="150" cy="150" r="38" fill="hsl({label_hue},70%,62%)"/>"##,
            r##"<circle cx="150" cy="150" r="4" fill="#f4f4f4"/></svg>"##,
        ),
        hue = hue,
        sat = sat,
        light = light,
        label_hue = label_hue
    )
}

/// Content type for a static file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path onto a file under `root`, or `None` if the path tries to
/// escape it (`..`, backslashes, NUL) once percent-decoded. `/` and
/// directory paths map to their `index.html`.
pub fn resolve_static(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path, false);
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut path = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => path.push(s),
        }
    }
    if decoded.ends_with('/') || path.is_dir() {
        path.push("index.html");
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_are_deterministic_and_distinct() {
        assert_eq!(cover_svg("123"), cover_svg("123"));
        assert_ne!(cover_svg("123"), cover_svg("124"));
        assert!(cover_svg("x").starts_with("<svg"));
    }

    #[test]
    fn static_paths_cannot_escape_root() {
        let root = Path::new("/srv/site");
        assert_eq!(resolve_static(root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve_static(root, "/pkg/app.wasm"), Some(root.join("pkg/app.wasm")));
        assert_eq!(resolve_static(root, "/../etc/passwd"), None);
        assert_eq!(resolve_static(root, "/a/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve_static(root, "/a\\..\\b"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("a.JS")), "text/javascript; charset=utf-8");
    }
}
