//! A JSON reader made for the feed's elements, and the lenient field types
//! read with it.
//!
//! serde_json's generic reader was most of the time a cold load spent: each
//! field went through a visitor, each object through a `MapAccess`, each
//! key through an identifier visitor. This reader walks the bytes once and
//! reads each value straight into the lenient type its field wants, with
//! the same results as the serde readers of [`crate::lenient`] (which stay
//! in use for sources read as `serde_json::Value`, and serve as the oracle
//! of this reader's tests):
//!
//! - a value read is read as serde_json's `deserialize_any` reads it: its
//!   strings are checked as UTF-8 and their escapes decoded, its numbers
//!   must fit an `f64`;
//! - a value skipped (an unknown field, an element of a list that is not
//!   wanted) is checked only as serde_json's `IgnoredAny` checks it: its
//!   grammar and escapes, not its UTF-8 or the range of its numbers;
//! - anything else that serde_json rejects (a trailing comma, a control
//!   character in a string, a known field given twice) makes the whole
//!   element unreadable.

use crate::byte_words::{first_marked, splat, zero_bytes, HIGH_BITS};
use crate::lenient::{
    clip_cow, flag_from_text, id_from_float, id_from_text, is_name_key, kept_name,
    number_from_text, Label, LabelKey,
};
use std::borrow::Cow;

/// The element is not JSON the feed's readers accept; it is then counted
/// as unreadable, never read in part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) type Read<T> = Result<T, Malformed>;

/// A JSON number as serde_json classifies it: integers that fit a `u64`
/// (or, when negative, an `i64`) stay integers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum JsonNumber {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl JsonNumber {
    fn as_f64(self) -> f64 {
        match self {
            JsonNumber::Unsigned(n) => n as f64,
            JsonNumber::Signed(n) => n as f64,
            JsonNumber::Float(n) => n,
        }
    }

    /// The number as text, written as serde's visitors write it.
    fn to_text(self) -> String {
        match self {
            JsonNumber::Unsigned(n) => n.to_string(),
            JsonNumber::Signed(n) => n.to_string(),
            JsonNumber::Float(n) => n.to_string(),
        }
    }
}

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

/// The start of a value: scalars whole, containers as their opening
/// bracket (the reader is then inside them).
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Number(JsonNumber),
    Str(Cow<'a, str>),
    ObjectStart,
    ArrayStart,
}

/// Reads JSON values from bytes, one at a time, borrowing strings without
/// escapes from the bytes.
pub(crate) struct JsonReader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> JsonReader<'a> {
    pub fn new(bytes: &'a [u8]) -> JsonReader<'a> {
        JsonReader { bytes, position: 0 }
    }

    /// Bytes read so far.
    pub fn offset(&self) -> usize {
        self.position
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes.get(self.position) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.position += 1;
        }
        None
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    #[inline(always)]
    fn next_byte(&mut self) -> Read<u8> {
        let byte = self.peek().ok_or(Malformed)?;
        self.position += 1;
        Ok(byte)
    }

    #[inline(always)]
    fn expect(&mut self, wanted: u8) -> Read<()> {
        if self.next_byte()? == wanted {
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn literal(&mut self, rest: &[u8]) -> Read<()> {
        if self.bytes[self.position..].starts_with(rest) {
            self.position += rest.len();
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    /// Reads the start of the next value (see [`Value`]).
    pub fn value(&mut self) -> Read<Value<'a>> {
        Ok(match self.next_byte()? {
            b'{' => Value::ObjectStart,
            b'[' => Value::ArrayStart,
            b'"' => Value::Str(self.string()?),
            b'n' => {
                self.literal(b"ull")?;
                Value::Null
            }
            b't' => {
                self.literal(b"rue")?;
                Value::Bool(true)
            }
            b'f' => {
                self.literal(b"alse")?;
                Value::Bool(false)
            }
            b'-' | b'0'..=b'9' => {
                self.position -= 1;
                Value::Number(self.number()?)
            }
            _ => return Err(Malformed),
        })
    }

    /// Reads the elements of the array the reader is inside, each with
    /// `element`, which must read or skip exactly one value.
    pub fn elements(&mut self, mut element: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(());
        }
        loop {
            element(self)?;
            match self.next_byte()? {
                b',' => {}
                b']' => return Ok(()),
                _ => return Err(Malformed),
            }
        }
    }

    /// Reads the entries of the object the reader is inside: `entry` gets
    /// each key and must read or skip exactly one value.
    pub fn entries(
        &mut self,
        mut entry: impl FnMut(&mut Self, Cow<'a, str>) -> Read<()>,
    ) -> Read<()> {
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(());
        }
        loop {
            self.expect(b'"')?;
            let key = self.string()?;
            self.expect(b':')?;
            entry(self, key)?;
            match self.next_byte()? {
                b',' => {}
                b'}' => return Ok(()),
                _ => return Err(Malformed),
            }
        }
    }

    /// Reads the fields of the object the reader is inside, as serde's
    /// derived readers do: `field` reads the value of a key it knows and
    /// returns its number (below 32); other values are skipped; a known key
    /// given twice is malformed.
    pub fn fields(
        &mut self,
        mut field: impl FnMut(&mut Self, &str) -> Read<Option<u32>>,
    ) -> Read<()> {
        let mut seen = 0u32;
        self.entries(|reader, key| {
            match field(reader, &key)? {
                Some(number) if seen & (1 << number) != 0 => return Err(Malformed),
                Some(number) => seen |= 1 << number,
                None => reader.skip()?,
            }
            Ok(())
        })
    }

    /// Passes over what is left of a value whose start [`JsonReader::value`]
    /// read and that is not wanted: containers are drained as serde's
    /// visitors drain them (keys read, values skipped).
    pub fn drain(&mut self, value: Value<'a>) -> Read<()> {
        match value {
            Value::ObjectStart => self.entries(|reader, _| reader.skip()),
            Value::ArrayStart => self.elements(Self::skip),
            _ => Ok(()),
        }
    }

    /// Skips one value, checking only what serde_json's `IgnoredAny` checks.
    pub fn skip(&mut self) -> Read<()> {
        // Open containers, innermost last: `true` for objects. A stack, not
        // recursion, because hostile feeds nest deeper than any stack.
        let mut open: Vec<bool> = Vec::new();
        loop {
            // One value.
            match self.next_byte()? {
                b'{' if self.peek() == Some(b'}') => self.position += 1,
                b'{' => {
                    open.push(true);
                    self.skip_key()?;
                    continue;
                }
                b'[' if self.peek() == Some(b']') => self.position += 1,
                b'[' => {
                    open.push(false);
                    continue;
                }
                b'"' => self.skip_string()?,
                b'n' => self.literal(b"ull")?,
                b't' => self.literal(b"rue")?,
                b'f' => self.literal(b"alse")?,
                b'-' | b'0'..=b'9' => {
                    self.position -= 1;
                    self.number_grammar()?;
                }
                _ => return Err(Malformed),
            }
            // What follows it: the next value of a container, or its end.
            loop {
                let Some(&in_object) = open.last() else {
                    return Ok(());
                };
                match self.next_byte()? {
                    b',' if in_object => self.skip_key()?,
                    b',' => {}
                    b'}' if in_object => {
                        open.pop();
                        continue;
                    }
                    b']' if !in_object => {
                        open.pop();
                        continue;
                    }
                    _ => return Err(Malformed),
                }
                break;
            }
        }
    }

    /// Skips `"key":`.
    fn skip_key(&mut self) -> Read<()> {
        self.expect(b'"')?;
        self.skip_string()?;
        self.expect(b':')
    }

    /// Reads a string after its opening quote: borrowed when it has no
    /// escapes, which is almost always.
    fn string(&mut self) -> Read<Cow<'a, str>> {
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
    fn skip_string(&mut self) -> Read<()> {
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

    /// Passes over a number, checking its grammar: `-`, then `0` or digits
    /// not starting with `0`, then an optional fraction and exponent, each
    /// with at least one digit. Returns whether it has a fraction or an
    /// exponent.
    fn number_grammar(&mut self) -> Read<bool> {
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
    fn number(&mut self) -> Read<JsonNumber> {
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

/// The lenient field types of [`crate::lenient`], read straight from a
/// [`JsonReader`]: each gives what the serde reader of the same type gives.
impl<'a> JsonReader<'a> {
    /// As `BorrowedText`: strings (clipped), numbers and booleans as text.
    pub fn text(&mut self) -> Read<Option<Cow<'a, str>>> {
        let value = self.value()?;
        Ok(match value {
            Value::Str(text) => Some(clip_cow(text)),
            Value::Number(number) => Some(Cow::Owned(number.to_text())),
            Value::Bool(flag) => Some(Cow::Owned(flag.to_string())),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Number`: numbers and numeric strings, finite only.
    pub fn number_field(&mut self) -> Read<Option<f64>> {
        let value = self.value()?;
        Ok(match value {
            Value::Number(number) => Some(number.as_f64()),
            Value::Str(text) => number_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Id`: non-negative integers below 2^53 when written as floats,
    /// digit strings.
    pub fn id(&mut self) -> Read<Option<u64>> {
        let value = self.value()?;
        Ok(match value {
            Value::Number(JsonNumber::Unsigned(n)) => Some(n),
            Value::Number(JsonNumber::Signed(n)) => u64::try_from(n).ok(),
            Value::Number(JsonNumber::Float(v)) => id_from_float(v),
            Value::Str(text) => id_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Flag`: booleans, 0 and 1, and their usual spellings as text.
    pub fn flag(&mut self) -> Read<Option<bool>> {
        let value = self.value()?;
        Ok(match value {
            Value::Bool(flag) => Some(flag),
            Value::Number(JsonNumber::Unsigned(0)) => Some(false),
            Value::Number(JsonNumber::Unsigned(1)) => Some(true),
            Value::Number(_) => None,
            Value::Str(text) => flag_from_text(&text),
            other => {
                self.drain(other)?;
                None
            }
        })
    }

    /// As `Names`: a list of names or of objects with a name-like key, or
    /// one bare string or object.
    pub fn names(&mut self) -> Read<Vec<Cow<'a, str>>> {
        let mut names = Vec::new();
        match self.value()? {
            Value::Str(text) => names.extend(kept_name(clip_cow(text))),
            Value::ObjectStart => names.extend(self.name_in_object()?.and_then(kept_name)),
            Value::ArrayStart => self.elements(|reader| {
                let value = reader.value()?;
                let name = match value {
                    Value::Str(text) => Some(clip_cow(text)),
                    Value::Number(number) => Some(Cow::Owned(number.to_text())),
                    Value::ObjectStart => reader.name_in_object()?,
                    other => {
                        reader.drain(other)?;
                        None
                    }
                };
                names.extend(name.and_then(kept_name));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(names)
    }

    /// The first non-null name-like value of an object.
    fn name_in_object(&mut self) -> Read<Option<Cow<'a, str>>> {
        let mut found = None;
        self.entries(|reader, key| {
            let value = reader.text()?;
            if found.is_none() && is_name_key(&clip_cow(key)) {
                found = value;
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// As `Labels`: a list of names or of `{name, catno}` objects, or one of them.
    pub fn labels(&mut self) -> Read<Vec<Label<'a>>> {
        let mut labels = Vec::new();
        match self.value()? {
            Value::Str(text) => labels.push((clip_cow(text), None)),
            Value::ObjectStart => labels.extend(self.label_object()?),
            Value::ArrayStart => self.elements(|reader| {
                let label = match reader.value()? {
                    Value::Str(text) => Some((clip_cow(text), None)),
                    Value::ObjectStart => reader.label_object()?,
                    other => {
                        reader.drain(other)?;
                        None
                    }
                };
                labels.extend(label.filter(|(name, _)| !name.trim().is_empty()));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(labels)
    }

    fn label_object(&mut self) -> Read<Option<Label<'a>>> {
        let (mut name, mut catno) = (None, None);
        self.entries(|reader, key| {
            let value = reader.text()?;
            match LabelKey::of(&clip_cow(key)) {
                LabelKey::Name => name = name.take().or(value),
                LabelKey::CatalogueNumber => catno = catno.take().or(value),
                LabelKey::Other => {}
            }
            Ok(())
        })?;
        Ok(name.map(|name| (name, catno)))
    }

    /// As `Options`: a list of `{name, value}` objects or a `{name: value}` map.
    pub fn options(&mut self) -> Read<Vec<(Cow<'a, str>, Cow<'a, str>)>> {
        let mut options = Vec::new();
        match self.value()? {
            Value::ArrayStart => self.elements(|reader| {
                let pair = reader.object(|reader| {
                    let (mut name, mut value) = (None, None);
                    reader.fields(|reader, key| {
                        Ok(match key {
                            "name" => {
                                name = reader.text()?;
                                Some(0)
                            }
                            "value" => {
                                value = reader.text()?;
                                Some(1)
                            }
                            _ => None,
                        })
                    })?;
                    Ok(name.zip(value))
                })?;
                options.extend(pair.flatten());
                Ok(())
            })?,
            Value::ObjectStart => self.entries(|reader, key| {
                let value = reader.text()?;
                options.extend(value.map(|value| (clip_cow(key), value)));
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(options)
    }

    /// As `Object<T>`: reads an object with `read` (inside it); any other
    /// value is absent.
    pub fn object<T>(&mut self, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<Option<T>> {
        match self.value()? {
            Value::ObjectStart => read(self).map(Some),
            other => {
                self.drain(other)?;
                Ok(None)
            }
        }
    }

    /// As `List<T>`: the objects of a list, each read with `read`; other
    /// elements are skipped, and a value that is not a list is empty.
    pub fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut out = Vec::new();
        match self.value()? {
            Value::ArrayStart => self.elements(|reader| {
                out.extend(reader.object(&mut read)?);
                Ok(())
            })?,
            other => self.drain(other)?,
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
