//! The base64 the API wants credentials in.
//!
//! Hand-written rather than the `base64` crate, because the crate is not
//! free in the bundle: with `base64` 0.22 (`default-features = false,
//! features = ["alloc"]`, `STANDARD.encode`) in its place, the widget's
//! release wasm grew by 2,657 bytes gzip (1,031,951 to 1,034,608; without
//! its custom sections 566,583 to 568,556, +1,973), against a budget of
//! about 100 bytes. Its general-purpose engine (configurable alphabets
//! and padding, a block-unrolled encoder) is far more than two short
//! credentials need.
//! The browser's `btoa` is out of reach here: the core has no browser
//! access. The RFC 4648 test vectors below keep this one honest.

/// Standard base64 (RFC 4648, padded) of the UTF-8 bytes of `text`.
pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let sextet = |shift: u32| ALPHABET[((n >> shift) & 63) as usize] as char;
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain), encoded);
        }
        assert_eq!(base64("é€"), "w6nigqw=");
    }
}
