//! Cuts a feed (one JSON array) into its elements as bytes arrive, so items
//! can be read while the download is still running, and so one broken item
//! never sinks the others.

use crate::byte_words::{first_marked, splat, zero_bytes};
use thiserror::Error;

/// Items larger than this are skipped (and counted) instead of buffered:
/// no real item comes close, and it bounds memory on hostile input.
pub const MAX_ITEM_BYTES: usize = 1 << 20;

/// Why a body is not a readable feed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedFormatError {
    /// Nothing but whitespace came.
    #[error("The feed is empty.")]
    Empty,
    /// The body does not start with `[`: the text it starts with, for the message.
    #[error("The feed is not a list of items: it starts with {0}.")]
    NotAnArray(String),
    /// The body ended inside the array.
    #[error("The feed ended before it was complete ({items} items received).")]
    Truncated {
        /// Elements complete before the end.
        items: usize,
    },
}

/// Takes the elements of a feed from a [`FeedSplitter`].
pub trait ElementReader {
    /// Offered each object or array element that begins in a chunk, from
    /// its first byte on (to the end of the chunk, at most
    /// [`MAX_ITEM_BYTES`]): when all of the element is there and this reads
    /// it, its length; the splitter then goes on after it, without scanning
    /// it for its end first. Otherwise `None`, and the element comes to
    /// [`ElementReader::element`] once its end is found.
    fn read_in_place(&mut self, _bytes: &[u8]) -> Option<usize> {
        None
    }

    /// A complete element (not read in place), readable or not.
    fn element(&mut self, bytes: &[u8]);
}

/// A closure as an [`ElementReader`] that takes every element whole.
struct EachElement<F>(F);

impl<F: FnMut(&[u8])> ElementReader for EachElement<F> {
    fn element(&mut self, bytes: &[u8]) {
        (self.0)(bytes)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Start,
    /// Between elements of the array.
    Between,
    /// Inside an object or array element.
    InContainer,
    /// Inside a top-level string element.
    InTopString,
    /// Inside a top-level number, literal or garbage element.
    InScalar,
    /// After the closing `]`.
    Done,
}

/// Incremental splitter of a JSON array into element byte slices.
#[derive(Debug)]
pub struct FeedSplitter {
    state: State,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Bytes of an element that began in an earlier chunk.
    partial: Vec<u8>,
    /// The current element outgrew [`MAX_ITEM_BYTES`] and is being skipped.
    oversized: bool,
    /// Bytes of a UTF-8 byte order mark read so far at the very start.
    bom_bytes: usize,
    elements: usize,
    oversized_elements: usize,
    error: Option<FeedFormatError>,
}

impl Default for FeedSplitter {
    fn default() -> Self {
        Self::new()
    }
}

impl FeedSplitter {
    /// A splitter before the feed's first byte.
    pub fn new() -> Self {
        FeedSplitter {
            state: State::Start,
            depth: 0,
            in_string: false,
            escaped: false,
            partial: Vec::new(),
            oversized: false,
            bom_bytes: 0,
            elements: 0,
            oversized_elements: 0,
            error: None,
        }
    }

    /// Elements emitted so far (readable or not).
    pub fn elements(&self) -> usize {
        self.elements
    }

    /// Elements skipped for being larger than [`MAX_ITEM_BYTES`].
    pub fn oversized_elements(&self) -> usize {
        self.oversized_elements
    }

    /// Whether the closing `]` has been seen.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Feeds the next chunk, calling `on_element` with each complete element.
    pub fn push(
        &mut self,
        chunk: &[u8],
        on_element: impl FnMut(&[u8]),
    ) -> Result<(), FeedFormatError> {
        self.push_to(chunk, &mut EachElement(on_element))
    }

    /// Feeds the next chunk, handing each element to `reader`.
    pub fn push_to(
        &mut self,
        chunk: &[u8],
        reader: &mut impl ElementReader,
    ) -> Result<(), FeedFormatError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let mut i = 0;
        // Where the current element starts in this chunk; an element carried
        // over from the previous chunk continues from its first byte.
        let in_element = matches!(
            self.state,
            State::InContainer | State::InTopString | State::InScalar
        );
        let mut start: Option<usize> = in_element.then_some(0);
        while i < chunk.len() {
            let byte = chunk[i];
            match self.state {
                State::Start => {
                    const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
                    if self.bom_bytes < BOM.len() && byte == BOM[self.bom_bytes] {
                        self.bom_bytes += 1;
                        i += 1;
                        continue;
                    }
                    self.bom_bytes = BOM.len();
                    if byte == b'[' {
                        self.state = State::Between;
                    } else if !byte.is_ascii_whitespace() {
                        let error = FeedFormatError::NotAnArray(describe_start(&chunk[i..]));
                        self.error = Some(error.clone());
                        return Err(error);
                    }
                }
                State::Between => match byte {
                    b']' => self.state = State::Done,
                    b',' => {}
                    b if b.is_ascii_whitespace() => {}
                    b'{' | b'[' => {
                        let available = &chunk[i..chunk.len().min(i + MAX_ITEM_BYTES)];
                        if let Some(length) = reader
                            .read_in_place(available)
                            .filter(|&l| l > 0 && l <= available.len())
                        {
                            self.elements += 1;
                            i += length;
                            continue;
                        }
                        self.begin(&mut start, i, State::InContainer);
                        self.depth = 1;
                    }
                    b'"' => self.begin(&mut start, i, State::InTopString),
                    _ => self.begin(&mut start, i, State::InScalar),
                },
                State::InContainer => {
                    match self.container_end(&chunk[i..]) {
                        Some(length) => {
                            i += length;
                            self.end(chunk, &mut start, i, reader);
                        }
                        None => i = chunk.len(),
                    }
                    continue;
                }
                State::InTopString => {
                    if self.escaped {
                        self.escaped = false;
                    } else if byte == b'\\' {
                        self.escaped = true;
                    } else if byte == b'"' {
                        self.end(chunk, &mut start, i + 1, reader);
                    }
                }
                State::InScalar => {
                    if byte == b',' || byte == b']' || byte.is_ascii_whitespace() {
                        self.end(chunk, &mut start, i, reader);
                        continue; // the delimiter is read again in `Between`
                    }
                }
                State::Done => return Ok(()),
            }
            i += 1;
        }
        if let Some(from) = start {
            self.keep_partial(&chunk[from..]);
        }
        Ok(())
    }

    /// Signals the end of the body.
    pub fn finish(&mut self) -> Result<(), FeedFormatError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        match self.state {
            State::Done => Ok(()),
            State::Start => Err(FeedFormatError::Empty),
            _ => Err(FeedFormatError::Truncated {
                items: self.elements,
            }),
        }
    }

    /// Reads on inside an object or array element (one not read in place:
    /// cut by a chunk's end, or unreadable): the length of `bytes` up to
    /// and including the bracket that closes the element, or `None` when it
    /// goes on past them. The state is kept in locals while scanning.
    fn container_end(&mut self, bytes: &[u8]) -> Option<usize> {
        let (mut depth, mut in_string, mut escaped) = (self.depth, self.in_string, self.escaped);
        let mut i = 0;
        let end = loop {
            let Some(&byte) = bytes.get(i) else {
                break None;
            };
            if escaped {
                escaped = false;
                i += 1;
            } else if in_string {
                // Strings are most of a feed: jump to their end.
                let Some(offset) = find_quote_or_backslash(&bytes[i..]) else {
                    break None;
                };
                i += offset;
                if bytes[i] == b'\\' {
                    escaped = true;
                } else {
                    in_string = false;
                }
                i += 1;
            } else {
                i += 1;
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break Some(i);
                        }
                    }
                    _ => {}
                }
            }
        };
        (self.depth, self.in_string, self.escaped) = (depth, in_string, escaped);
        end
    }

    fn begin(&mut self, start: &mut Option<usize>, at: usize, state: State) {
        *start = Some(at);
        self.state = state;
        self.in_string = false;
        self.escaped = false;
        self.oversized = false;
        self.partial.clear();
    }

    fn keep_partial(&mut self, bytes: &[u8]) {
        if self.oversized {
            return;
        }
        if self.partial.len() + bytes.len() > MAX_ITEM_BYTES {
            self.oversized = true;
            self.partial = Vec::new();
        } else {
            self.partial.extend_from_slice(bytes);
        }
    }

    fn end(
        &mut self,
        chunk: &[u8],
        start: &mut Option<usize>,
        end: usize,
        reader: &mut impl ElementReader,
    ) {
        let from = start.take().unwrap_or(0);
        self.state = State::Between;
        self.elements += 1;
        if self.partial.is_empty() && !self.oversized {
            if end - from > MAX_ITEM_BYTES {
                self.oversized_elements += 1;
            } else {
                reader.element(&chunk[from..end]);
            }
            return;
        }
        self.keep_partial(&chunk[from..end]);
        if self.oversized {
            self.oversized_elements += 1;
        } else {
            reader.element(&self.partial);
        }
        self.partial.clear();
        self.oversized = false;
    }
}

/// The position of the first `"` or `\\` in `bytes`, eight bytes at a time.
fn find_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("chunks of 8 bytes"));
        let found = zero_bytes(word ^ splat(b'"')) | zero_bytes(word ^ splat(b'\\'));
        if found != 0 {
            return Some(at + first_marked(found));
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|offset| at + offset)
}

/// A short, safe description of what a non-array body starts with.
fn describe_start(bytes: &[u8]) -> String {
    match bytes.first() {
        Some(b'{') => "a JSON object".to_owned(),
        Some(b'<') => "HTML or XML markup".to_owned(),
        Some(b'"') => "a JSON string".to_owned(),
        Some(b) if b.is_ascii_digit() || *b == b'-' => "a number".to_owned(),
        Some(b'n' | b't' | b'f') => "a JSON literal".to_owned(),
        _ => "unexpected characters".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `body` delivered in chunks of `chunk` bytes.
    fn split(body: &[u8], chunk: usize) -> (Vec<String>, Result<(), FeedFormatError>) {
        let mut splitter = FeedSplitter::new();
        let mut out = Vec::new();
        for part in body.chunks(chunk.max(1)) {
            if let Err(e) = splitter.push(part, |el| {
                out.push(String::from_utf8_lossy(el).into_owned())
            }) {
                return (out, Err(e));
            }
        }
        let end = splitter.finish();
        (out, end)
    }

    #[test]
    fn splits_elements_at_every_chunk_size() {
        let body = br#" [ {"a":"x,]}\"{"} , [1,[2]] ,"s\"]" , 12 ,null,{"b":{"c":[]}} ] "#;
        let expected = vec![
            r#"{"a":"x,]}\"{"}"#,
            "[1,[2]]",
            r#""s\"]""#,
            "12",
            "null",
            r#"{"b":{"c":[]}}"#,
        ];
        for chunk in 1..body.len() + 1 {
            let (elements, end) = split(body, chunk);
            assert_eq!(elements, expected, "chunk size {chunk}");
            assert_eq!(end, Ok(()));
        }
    }

    #[test]
    fn empty_array_and_bom() {
        assert_eq!(split(b"[]", 1), (vec![], Ok(())));
        assert_eq!(
            split(b"\xEF\xBB\xBF[{}]", 2),
            (vec!["{}".to_owned()], Ok(()))
        );
        assert_eq!(split(b" \n\t[ ] ", 3), (vec![], Ok(())));
    }

    #[test]
    fn rejects_what_is_not_an_array() {
        assert_eq!(split(b"", 4).1, Err(FeedFormatError::Empty));
        assert_eq!(split(b"   ", 4).1, Err(FeedFormatError::Empty));
        assert_eq!(
            split(br#"{"items":[]}"#, 4).1,
            Err(FeedFormatError::NotAnArray("a JSON object".into()))
        );
        assert_eq!(
            split(b"<html>", 4).1,
            Err(FeedFormatError::NotAnArray("HTML or XML markup".into()))
        );
        assert_eq!(
            split(b"42", 4).1,
            Err(FeedFormatError::NotAnArray("a number".into()))
        );
    }

    #[test]
    fn reports_truncation_and_keeps_what_came_before() {
        let (elements, end) = split(br#"[{"a":1},{"b":2},{"c":"#, 5);
        assert_eq!(elements, vec![r#"{"a":1}"#, r#"{"b":2}"#]);
        assert_eq!(end, Err(FeedFormatError::Truncated { items: 2 }));
        assert_eq!(
            split(b"[{}", 2).1,
            Err(FeedFormatError::Truncated { items: 1 })
        );
    }

    #[test]
    fn tolerates_missing_and_trailing_commas() {
        let (elements, end) = split(b"[{}{},]", 1);
        assert_eq!((elements.len(), end), (2, Ok(())));
    }

    #[test]
    fn skips_oversized_elements() {
        let big = format!("[{{\"t\":\"{}\"}},{{}}]", "x".repeat(MAX_ITEM_BYTES + 10));
        for chunk in [64 * 1024, big.len()] {
            let mut splitter = FeedSplitter::new();
            let mut seen = Vec::new();
            for part in big.as_bytes().chunks(chunk) {
                splitter.push(part, |el| seen.push(el.len())).unwrap();
            }
            splitter.finish().unwrap();
            assert_eq!(seen, vec![2]);
            assert_eq!((splitter.elements(), splitter.oversized_elements()), (2, 1));
        }
    }

    proptest::proptest! {
        #[test]
        fn finds_the_first_quote_or_backslash(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\');
            proptest::prop_assert_eq!(find_quote_or_backslash(&bytes), expected);
        }

        #[test]
        fn any_bytes_split_the_same_at_any_chunk_size(
            bytes in proptest::collection::vec(proptest::sample::select(b"{}[]\"\\a1, \n\xc3\xa9".to_vec()), 0..200),
            chunk in 2usize..64,
        ) {
            // In one-byte chunks no string is skipped over: the definition, byte by byte.
            let body = [b"[".as_slice(), &bytes].concat();
            proptest::prop_assert_eq!(split(&body, chunk), split(&body, 1));
        }

        #[test]
        fn splits_any_array_into_its_elements_at_any_chunk_size(
            elements in proptest::collection::vec(json_element(), 0..8),
            chunk in 1usize..48,
        ) {
            let texts: Vec<String> = elements.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
            let body = format!("[{}]", texts.join(","));
            let (split_elements, end) = split(body.as_bytes(), chunk);
            proptest::prop_assert_eq!(end, Ok(()));
            proptest::prop_assert_eq!(split_elements, texts);
        }
    }

    /// Objects and arrays whose strings are full of brackets, quotes and backslashes.
    fn json_element() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            "[a-z\\[\\]{}\"\\\\,: ]{0,20}".prop_map(Value::String),
            any::<i32>().prop_map(Value::from),
            Just(Value::Null),
        ];
        let nested = leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(("[a-z\\\\\"{]{0,6}", inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        });
        prop_oneof![
            proptest::collection::vec(nested.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z\\\\\"}]{0,6}", nested), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    }

    /// Reads in place each element that is valid JSON and wholly there,
    /// noting every element either way.
    #[derive(Default)]
    struct InPlace {
        elements: Vec<String>,
        read_in_place: usize,
        longest_offer: usize,
    }

    impl ElementReader for InPlace {
        fn read_in_place(&mut self, bytes: &[u8]) -> Option<usize> {
            self.longest_offer = self.longest_offer.max(bytes.len());
            let mut values =
                serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
            values.next()?.ok()?;
            let length = values.byte_offset();
            self.elements
                .push(String::from_utf8_lossy(&bytes[..length]).into_owned());
            self.read_in_place += 1;
            Some(length)
        }

        fn element(&mut self, bytes: &[u8]) {
            self.elements
                .push(String::from_utf8_lossy(bytes).into_owned());
        }
    }

    #[test]
    fn elements_read_in_place_are_the_elements_found_by_scanning() {
        let body = br#" [ {"a":"x,]}\"{"} , [1,[2]] ,"s\"]" , 12 ,{"broken":},null,{"b":{"c":[]}}, {"cut": "#;
        for chunk in 1..body.len() + 1 {
            let (scanned, scanned_end) = split(body, chunk);
            let (mut splitter, mut reader) = (FeedSplitter::new(), InPlace::default());
            for part in body.chunks(chunk) {
                splitter.push_to(part, &mut reader).unwrap();
            }
            assert_eq!(reader.elements, scanned, "chunk size {chunk}");
            assert_eq!(splitter.finish(), scanned_end);
            if chunk == body.len() {
                assert_eq!(
                    reader.read_in_place, 3,
                    "the complete, valid objects and arrays"
                );
            }
        }
    }

    #[test]
    fn an_element_past_the_size_cap_is_never_offered_whole() {
        let body = format!("[{{\"t\":\"{}\"}},{{}}]", "x".repeat(MAX_ITEM_BYTES + 10));
        let (mut splitter, mut reader) = (FeedSplitter::new(), InPlace::default());
        splitter.push_to(body.as_bytes(), &mut reader).unwrap();
        splitter.finish().unwrap();
        assert_eq!(reader.longest_offer, MAX_ITEM_BYTES);
        assert_eq!(reader.elements, ["{}"]);
        assert_eq!((splitter.elements(), splitter.oversized_elements()), (2, 1));
    }

    #[test]
    fn ignores_what_follows_the_array() {
        assert_eq!(split(b"[{}] trailing", 3), (vec!["{}".to_owned()], Ok(())));
    }
}
