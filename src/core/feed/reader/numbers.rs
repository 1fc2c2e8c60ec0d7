//! Numbers, read as serde_json reads them.

use super::{JsonReader, Malformed, Read};

/// A JSON number as serde_json classifies it: integers that fit a `u64`
/// (or, when negative, an `i64`) stay integers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::feed) enum JsonNumber {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl JsonNumber {
    pub(super) fn as_f64(self) -> f64 {
        match self {
            JsonNumber::Unsigned(n) => n as f64,
            JsonNumber::Signed(n) => n as f64,
            JsonNumber::Float(n) => n,
        }
    }

    /// The number as text, written as serde's visitors write it.
    pub(super) fn to_text(self) -> String {
        match self {
            JsonNumber::Unsigned(n) => n.to_string(),
            JsonNumber::Signed(n) => n.to_string(),
            JsonNumber::Float(n) => n.to_string(),
        }
    }
}

impl JsonReader<'_> {
    /// Passes over a number, checking its grammar: `-`, then `0` or digits
    /// not starting with `0`, then an optional fraction and exponent, each
    /// with at least one digit. Returns whether it has a fraction or an
    /// exponent.
    pub(super) fn number_grammar(&mut self) -> Read<bool> {
        if self.bytes.get(self.position) == Some(&b'-') {
            self.position += 1;
        }
        match self.bytes.get(self.position) {
            Some(b'0') => {
                self.position += 1;
                if self
                    .bytes
                    .get(self.position)
                    .is_some_and(u8::is_ascii_digit)
                {
                    return Err(Malformed);
                }
            }
            Some(b'1'..=b'9') => self.digits()?,
            _ => return Err(Malformed),
        }
        let mut decimal = false;
        if self.bytes.get(self.position) == Some(&b'.') {
            self.position += 1;
            self.digits()?;
            decimal = true;
        }
        if matches!(self.bytes.get(self.position), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.bytes.get(self.position), Some(b'+' | b'-')) {
                self.position += 1;
            }
            self.digits()?;
            decimal = true;
        }
        Ok(decimal)
    }

    /// One or more digits.
    fn digits(&mut self) -> Read<()> {
        let count = self.bytes[self.position..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        self.position += count;
        if count == 0 {
            Err(Malformed)
        } else {
            Ok(())
        }
    }

    /// Reads a number as serde_json does: numbers beyond `f64` are malformed.
    pub(super) fn number(&mut self) -> Read<JsonNumber> {
        let start = self.position;
        let decimal = self.number_grammar()?;
        let text = &self.bytes[start..self.position];
        // ASCII by its grammar.
        let text = std::str::from_utf8(text).map_err(|_| Malformed)?;
        if !decimal {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(digits) => (true, digits),
                None => (false, text),
            };
            if let Ok(magnitude) = digits.parse::<u64>() {
                return Ok(match (negative, magnitude) {
                    (false, magnitude) => JsonNumber::Unsigned(magnitude),
                    // serde_json reads -0 as a float.
                    (true, 0) => JsonNumber::Float(-0.0),
                    (true, magnitude) if magnitude <= 1 << 63 => {
                        JsonNumber::Signed((magnitude as i64).wrapping_neg())
                    }
                    (true, magnitude) => JsonNumber::Float(-(magnitude as f64)),
                });
            }
        }
        let value: f64 = text.parse().map_err(|_| Malformed)?;
        if value.is_finite() {
            Ok(JsonNumber::Float(value))
        } else {
            Err(Malformed)
        }
    }
}
