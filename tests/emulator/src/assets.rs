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

/// Side of a PNG cover, in pixels.
const COVER_PIXELS: usize = 200;

/// The same cover as [`cover_svg`], as a PNG. Feeds use these: real shops'
/// covers are raster images, which browsers decode off the main thread,
/// whereas every SVG image is parsed into a document of its own on it,
/// which would weigh on every measurement of the page.
pub fn cover_png(name: &str) -> Vec<u8> {
    let h = hash_str(name);
    let hue = (h % 360) as f64;
    let sat = (35 + (h >> 12) % 45) as f64 / 100.0;
    let light = (30 + (h >> 20) % 30) as f64 / 100.0;
    let label_hue = ((h % 360) + 120 + (h >> 28) % 120) % 360;
    let sleeve = hsl_to_rgb(hue, sat, light);
    let label = hsl_to_rgb(label_hue as f64, 0.70, 0.62);
    let scale = 300.0 / COVER_PIXELS as f64;
    // Each row starts with PNG filter type 0 (none).
    let mut raw = Vec::with_capacity(COVER_PIXELS * (1 + 3 * COVER_PIXELS));
    for y in 0..COVER_PIXELS {
        raw.push(0);
        for x in 0..COVER_PIXELS {
            let (dx, dy) = (
                (x as f64 + 0.5) * scale - 150.0,
                (y as f64 + 0.5) * scale - 150.0,
            );
            let r = (dx * dx + dy * dy).sqrt();
            let pixel = match r {
                r if r <= 4.0 => [0xf4, 0xf4, 0xf4],
                r if r <= 38.0 => label,
                r if (83.0..=85.0).contains(&r) => [0x2a, 0x2a, 0x2a],
                r if r <= 112.0 => [0x14, 0x14, 0x14],
                _ => sleeve,
            };
            raw.extend_from_slice(&pixel);
        }
    }
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut deflated, &raw).expect("writing to memory");
    let data = deflated.finish().expect("writing to memory");
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(COVER_PIXELS as u32).to_be_bytes());
    header.extend_from_slice(&(COVER_PIXELS as u32).to_be_bytes());
    // 8 bits per channel, RGB, deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in [
        (b"IHDR", &header[..]),
        (b"IDAT", &data[..]),
        (b"IEND", &[][..]),
    ] {
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(body);
        png.extend_from_slice(kind);
        png.extend_from_slice(body);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    }
    png
}

fn hsl_to_rgb(hue: f64, sat: f64, light: f64) -> [u8; 3] {
    let chroma = (1.0 - (2.0 * light - 1.0).abs()) * sat;
    let h = hue / 60.0;
    let x = chroma * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = light - chroma / 2.0;
    [r, g, b].map(|c| ((c + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// Content type for a static file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
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
    fn png_covers_are_valid_deterministic_and_distinct() {
        let png = cover_png("123");
        assert_eq!(png, cover_png("123"));
        assert_ne!(png, cover_png("124"));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
        // The image data inflates to one filtered row per line.
        let data_len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        assert_eq!(&png[37..41], b"IDAT");
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&png[41..41 + data_len]),
            &mut raw,
        )
        .unwrap();
        assert_eq!(raw.len(), COVER_PIXELS * (1 + 3 * COVER_PIXELS));
        assert!(png.len() < 20_000, "a cover is small: {} bytes", png.len());
    }

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
        assert_eq!(
            resolve_static(root, "/pkg/app.wasm"),
            Some(root.join("pkg/app.wasm"))
        );
        assert_eq!(resolve_static(root, "/../etc/passwd"), None);
        assert_eq!(resolve_static(root, "/a/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve_static(root, "/a\\..\\b"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("a.JS")),
            "text/javascript; charset=utf-8"
        );
    }
}
