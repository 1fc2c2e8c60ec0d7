//! Strings: scanned eight bytes at a time, borrowed from the bytes when
//! they have no escapes.

use super::{JsonReader, Malformed, Read};
use crate::byte_words::{first_marked, splat, zero_bytes, HIGH_BITS};
use std::borrow::Cow;

/// The high bit of each byte of `word` that ends a run of plain string
/// bytes: a quote, a backslash or a control character (below 0x20).
#[inline(always)]
fn run_ends(word: u64) -> u64 {
    zero_bytes(word ^ splat(b'"'))
        | zero_bytes(word ^ splat(b'\\'))
        | zero_bytes(word & splat(0xE0))
}

/// Where a run of plain string bytes ends, and whether all of it is ASCII.
#[derive(Clone, Copy)]
struct PlainRun {
    end: usize,
    ascii: bool,
}

impl<'a> JsonReader<'a> {
    /// Reads a string after its opening quote: borrowed when it has no
    /// escapes, which is almost always.
    pub(super) fn string(&mut self) -> Read<Cow<'a, str>> {
        let start = self.position;
        let run = self.plain_run(start)?;
        if self.bytes[run.end] == b'"' {
            self.position = run.end + 1;
            return self.text_of(start, run).map(Cow::Borrowed);
        }
        // Runs between escapes are whole UTF-8 sequences (an escape is ASCII).
        let mut text = String::with_capacity(run.end - start + 8);
        let (mut run_start, mut run) = (start, run);
        loop {
            text.push_str(self.text_of(run_start, run)?);
            self.position = run.end + 1;
            if self.bytes[run.end] == b'"' {
                return Ok(Cow::Owned(text));
            }
            text.push(self.escape()?);
            run_start = self.position;
            run = self.plain_run(run_start)?;
        }
    }

    /// The text of a run of plain string bytes from `start`.
    #[inline(always)]
    fn text_of(&self, start: usize, run: PlainRun) -> Read<&'a str> {
        let bytes = &self.bytes[start..run.end];
        if run.ascii {
            // SAFETY: every byte is below 0x80 (`plain_run` checked them
            // all), and ASCII is valid UTF-8. Checking UTF-8 again was a
            // tenth of the time spent reading a feed.
            Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
        } else {
            std::str::from_utf8(bytes).map_err(|_| Malformed)
        }
    }

    /// The run of plain string bytes from `start`, which ends at a quote or
    /// a backslash. Control characters are malformed, as is the end of the
    /// bytes.
    #[inline(always)]
    fn plain_run(&self, start: usize) -> Read<PlainRun> {
        let rest = &self.bytes[start..];
        // Eight bytes at a time, most of a feed's bytes being in strings;
        // the last few one by one. `high` gathers the bytes' high bits.
        let (mut end, mut high) = (0, 0u64);
        while let Some(word) = rest.get(end..end + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let ends = run_ends(word);
            if ends != 0 {
                let length = first_marked(ends);
                high |= word & ((1u64 << (length * 8)) - 1);
                end += length;
                break;
            }
            high |= word;
            end += 8;
        }
        loop {
            let byte = *rest.get(end).ok_or(Malformed)?;
            match byte {
                b'"' | b'\\' => break,
                0..0x20 => return Err(Malformed),
                _ => high |= byte as u64,
            }
            end += 1;
        }
        Ok(PlainRun {
            end: start + end,
            ascii: high & HIGH_BITS == 0,
        })
    }

    /// Reads an escape after its backslash.
    fn escape(&mut self) -> Read<char> {
        Ok(match self.next_raw()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate must be followed by an escaped low one.
                        if self.next_raw()? != b'\\' || self.next_raw()? != b'u' {
                            return Err(Malformed);
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(Malformed);
                        }
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            .ok_or(Malformed)?
                    }
                    _ => char::from_u32(unit).ok_or(Malformed)?,
                }
            }
            _ => return Err(Malformed),
        })
    }

    /// The next byte, whitespace included.
    #[inline(always)]
    fn next_raw(&mut self) -> Read<u8> {
        let byte = *self.bytes.get(self.position).ok_or(Malformed)?;
        self.position += 1;
        Ok(byte)
    }

    fn hex4(&mut self) -> Read<u32> {
        let digits = self
            .bytes
            .get(self.position..self.position + 4)
            .ok_or(Malformed)?;
        let mut unit = 0;
        for &digit in digits {
            unit = unit * 16 + (digit as char).to_digit(16).ok_or(Malformed)?;
        }
        self.position += 4;
        Ok(unit)
    }

    /// Skips a string after its opening quote, checking its escapes'
    /// grammar only.
    pub(super) fn skip_string(&mut self) -> Read<()> {
        loop {
            let end = self.plain_run(self.position)?.end;
            self.position = end + 1;
            if self.bytes[end] == b'"' {
                return Ok(());
            }
            match self.next_raw()? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                b'u' => {
                    self.hex4()?;
                }
                _ => return Err(Malformed),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::reader::Value;

    #[test]
    fn run_ends_finds_exactly_quotes_backslashes_and_control_characters() {
        for at in 0..8 {
            for byte in 0..=255u8 {
                let mut bytes = *b"abcdefgh";
                bytes[at] = byte;
                let ends_here = byte == b'"' || byte == b'\\' || byte < 0x20;
                let expected = if ends_here { 0x80 << (at * 8) } else { 0 };
                assert_eq!(
                    run_ends(u64::from_le_bytes(bytes)),
                    expected,
                    "{byte:#x} at {at}"
                );
            }
        }
        assert_eq!(
            run_ends(u64::from_le_bytes(*b"\x00\"\\\x1f \x7f\x80\xff")),
            0x8080_8080
        );
    }

    #[test]
    fn strings_are_read_in_runs_of_any_length() {
        for length in 0..40 {
            for tail in ["\"", "\\n\"", "\u{e9}\""] {
                let text = "x".repeat(length);
                let json = format!("\"{text}{tail}");
                let mut reader = JsonReader::new(json.as_bytes());
                let expected: String = serde_json::from_str(&json).unwrap();
                assert!(
                    matches!(reader.value(), Ok(Value::Str(read)) if read == expected),
                    "{json}"
                );
                assert!(reader.at_end());
            }
            let control = format!("\"{}\u{1}\"", "x".repeat(length));
            assert!(JsonReader::new(control.as_bytes()).value().is_err());
            let unterminated = format!("\"{}", "x".repeat(length));
            assert!(JsonReader::new(unterminated.as_bytes()).value().is_err());
        }
    }
}
