//! The feed's one JSON reader: hand-written and streaming, made for the
//! feed's elements.
//!
//! It is hand-written because it was measured faster than serde_json, whose
//! generic reader was most of a cold load's time: each field went through a
//! visitor, each object through a `MapAccess`, each key through an
//! identifier visitor. This reader walks the bytes once and reads each
//! value straight into the lenient type its field wants (`fields`),
//! scanning strings eight bytes at a time (`strings`). Indexing a
//! 10,000-item feed took 970 M instructions against serde's 1,155 M
//! (cachegrind), and a 50,000-item cold load showed its complete count
//! 16 % sooner in the browser (867 against 1,038 ms).
//!
//! It streams, in bounded memory: it reads one element at a time, in place
//! in the download's chunk (the splitter offers it at most
//! [`MAX_ITEM_BYTES`](crate::splitter::MAX_ITEM_BYTES)), borrows every
//! string without escapes instead of copying it, and skips unwanted values
//! with a stack of its own, never recursion, however deep a hostile feed
//! nests.
//!
//! Its results are serde_json's with the serde readers of the feed's field
//! types, which live only in tests (`feed::oracle`) as the oracle this
//! reader is held to:
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

mod fields;
mod numbers;
mod strings;

pub(in crate::feed) use numbers::JsonNumber;

use std::borrow::Cow;

/// The element is not JSON the feed's readers accept; it is then counted
/// as unreadable, never read in part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::feed) struct Malformed;

pub(in crate::feed) type Read<T> = Result<T, Malformed>;

/// The start of a value: scalars whole, containers as their opening
/// bracket (the reader is then inside them).
pub(in crate::feed) enum Value<'a> {
    Null,
    Bool(bool),
    Number(JsonNumber),
    Str(Cow<'a, str>),
    ObjectStart,
    ArrayStart,
}

/// Reads JSON values from bytes, one at a time, borrowing strings without
/// escapes from the bytes.
pub(in crate::feed) struct JsonReader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `bytes`.
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
}
