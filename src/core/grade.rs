//! Goldmine media grades, as second-hand record listings carry them.

use std::fmt;

/// A Goldmine grade; the derived order runs from worst to best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// P: barely plays.
    Poor,
    /// F: plays through, with noise.
    Fair,
    /// G: plays, with surface noise and wear.
    Good,
    /// G+: some wear, plays without skipping.
    GoodPlus,
    /// VG: marks and light noise.
    VeryGood,
    /// VG+: light signs of play, some call it Excellent.
    VeryGoodPlus,
    /// NM (or M-): nearly perfect.
    NearMint,
    /// M: perfect, usually sealed.
    Mint,
}

impl Grade {
    /// Best first, the order shown to shoppers.
    pub const ALL_BEST_FIRST: [Grade; 8] = [
        Grade::Mint,
        Grade::NearMint,
        Grade::VeryGoodPlus,
        Grade::VeryGood,
        Grade::GoodPlus,
        Grade::Good,
        Grade::Fair,
        Grade::Poor,
    ];

    /// The short code used in URLs and badges, e.g. `VG+`.
    pub fn code(self) -> &'static str {
        match self {
            Grade::Mint => "M",
            Grade::NearMint => "NM",
            Grade::VeryGoodPlus => "VG+",
            Grade::VeryGood => "VG",
            Grade::GoodPlus => "G+",
            Grade::Good => "G",
            Grade::Fair => "F",
            Grade::Poor => "P",
        }
    }

    /// The full name, e.g. `Very Good Plus`.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Mint => "Mint",
            Grade::NearMint => "Near Mint",
            Grade::VeryGoodPlus => "Very Good Plus",
            Grade::VeryGood => "Very Good",
            Grade::GoodPlus => "Good Plus",
            Grade::Good => "Good",
            Grade::Fair => "Fair",
            Grade::Poor => "Poor",
        }
    }

    /// Reads a grade as shops write it: `VG+`, `Very Good Plus (VG+)`,
    /// `Near Mint (NM or M-)`, `vg plus`, `EX`. The code in parentheses wins
    /// when there is one.
    pub fn parse(text: &str) -> Option<Grade> {
        if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
            if open < close {
                return Self::parse_plain(&text[open + 1..close])
                    .or_else(|| Self::parse_plain(&text[..open]));
            }
        }
        Self::parse_plain(text)
    }

    /// Reads a grade from a URL parameter, where form decoding may have
    /// turned the `+` of `VG+` into a trailing space.
    pub fn parse_url_value(text: &str) -> Option<Grade> {
        let trimmed = text.trim();
        if text.ends_with(' ') && !trimmed.is_empty() {
            if let Some(grade) = Self::parse_plain(&format!("{trimmed}+")) {
                return Some(grade);
            }
        }
        Self::parse(trimmed)
    }

    fn parse_plain(text: &str) -> Option<Grade> {
        // The text without whitespace, in ASCII upper case: only its length
        // and first bytes are compared, so only those are kept.
        let mut compact = ShortText::<6>::default();
        // That without `-`, `_` and `.` either, in Unicode upper case (`ß`
        // is `SS`); no grade's name is longer than 12 bytes.
        let mut normalised = ShortText::<12>::default();
        for ch in text.chars().filter(|c| !c.is_whitespace()) {
            compact.push(ch.to_ascii_uppercase());
            if !matches!(ch, '-' | '_' | '.') {
                ch.to_uppercase().for_each(|upper| normalised.push(upper));
            }
        }
        // `M-` is Near Mint; the normalised text lost its minus.
        if compact.is(b"M-") || compact.starts_with(b"NMORM-") {
            return Some(Grade::NearMint);
        }
        Some(match normalised.kept()? {
            b"M" | b"MINT" | b"SEALED" => Grade::Mint,
            b"NM" | b"NEARMINT" | b"NMORM" | b"NM/M" | b"MINTMINUS" => Grade::NearMint,
            b"VG+" | b"VGPLUS" | b"VERYGOODPLUS" | b"VERYGOOD+" | b"EX" | b"EXCELLENT" => {
                Grade::VeryGoodPlus
            }
            b"VG" | b"VERYGOOD" => Grade::VeryGood,
            b"G+" | b"GPLUS" | b"GOODPLUS" | b"GOOD+" => Grade::GoodPlus,
            b"G" | b"GOOD" => Grade::Good,
            b"F" | b"FAIR" => Grade::Fair,
            b"P" | b"POOR" => Grade::Poor,
            _ => return None,
        })
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The catalogue's listing flags: the media grade, as `grade + 1` (0: none),
/// starts at this bit.
pub(crate) const GRADE_SHIFT: u8 = 1;

/// The code of the best grade, [`Grade::Mint`]; codes run from 0 up to it.
pub(crate) const MAX_GRADE_CODE: u8 = 8;

/// A listing's media grade as a small number that orders like the grade;
/// 0 for none.
pub(crate) fn grade_code(grade: Option<Grade>) -> u8 {
    grade.map_or(0, |g| g as u8 + 1)
}

/// The grade of a [`grade_code`]; `None` for a code no grade has.
pub(crate) fn grade_from_code(code: u8) -> Option<Option<Grade>> {
    match code {
        0 => Some(None),
        // `ALL_BEST_FIRST` runs from code 8 down to code 1.
        1..=MAX_GRADE_CODE => Some(Some(
            Grade::ALL_BEST_FIRST[(MAX_GRADE_CODE - code) as usize],
        )),
        _ => None,
    }
}

/// The first `N` bytes of a text built a character at a time, and its
/// whole length: grades are read without allocating.
struct ShortText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Default for ShortText<N> {
    fn default() -> Self {
        ShortText {
            bytes: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> ShortText<N> {
    fn push(&mut self, ch: char) {
        let mut utf8 = [0; 4];
        for &byte in ch.encode_utf8(&mut utf8).as_bytes() {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = byte;
            }
            self.len += 1;
        }
    }

    /// The whole text, if it fitted.
    fn kept(&self) -> Option<&[u8]> {
        self.bytes.get(..self.len)
    }

    fn is(&self, text: &[u8]) -> bool {
        self.kept() == Some(text)
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.len >= prefix.len() && self.bytes.starts_with(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goldmine_order() {
        let mut sorted = Grade::ALL_BEST_FIRST;
        sorted.sort();
        sorted.reverse();
        assert_eq!(sorted, Grade::ALL_BEST_FIRST);
        assert!(Grade::Mint > Grade::NearMint && Grade::NearMint > Grade::VeryGoodPlus);
        assert!(Grade::VeryGood > Grade::GoodPlus && Grade::Fair > Grade::Poor);
    }

    #[test]
    fn parses_codes_and_names() {
        let cases = [
            ("M", Grade::Mint),
            ("Mint (M)", Grade::Mint),
            ("Near Mint (NM or M-)", Grade::NearMint),
            ("M-", Grade::NearMint),
            ("nm", Grade::NearMint),
            ("Very Good Plus (VG+)", Grade::VeryGoodPlus),
            ("VG+", Grade::VeryGoodPlus),
            ("vg plus", Grade::VeryGoodPlus),
            ("Very Good (VG)", Grade::VeryGood),
            ("VG", Grade::VeryGood),
            ("Good Plus (G+)", Grade::GoodPlus),
            ("G", Grade::Good),
            ("Fair (F)", Grade::Fair),
            ("Poor", Grade::Poor),
        ];
        for (text, grade) in cases {
            assert_eq!(Grade::parse(text), Some(grade), "{text:?}");
        }
    }

    #[test]
    fn url_values_restore_a_plus_lost_to_form_decoding() {
        assert_eq!(Grade::parse_url_value("VG "), Some(Grade::VeryGoodPlus));
        assert_eq!(Grade::parse_url_value("G "), Some(Grade::GoodPlus));
        assert_eq!(Grade::parse_url_value("VG"), Some(Grade::VeryGood));
        assert_eq!(Grade::parse_url_value("VG+"), Some(Grade::VeryGoodPlus));
        assert_eq!(Grade::parse_url_value("M "), Some(Grade::Mint));
    }

    #[test]
    fn rejects_what_is_not_a_grade() {
        for text in ["", " ", "Generic", "XX", "(", "VG++", "<b>VG</b>"] {
            assert_eq!(Grade::parse(text), None, "{text:?}");
        }
    }

    /// Grades as first written, normalising into new strings: reading
    /// without allocating must agree with it on any text.
    fn parse_by_allocating(text: &str) -> Option<Grade> {
        fn plain(text: &str) -> Option<Grade> {
            let normalised: String = text
                .trim()
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_' && *c != '.')
                .flat_map(char::to_uppercase)
                .collect();
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.eq_ignore_ascii_case("M-")
                || compact.to_ascii_uppercase().starts_with("NMORM-")
            {
                return Some(Grade::NearMint);
            }
            Some(match normalised.as_str() {
                "M" | "MINT" | "SEALED" => Grade::Mint,
                "NM" | "NEARMINT" | "NMORM" | "NM/M" | "MINTMINUS" => Grade::NearMint,
                "VG+" | "VGPLUS" | "VERYGOODPLUS" | "VERYGOOD+" | "EX" | "EXCELLENT" => {
                    Grade::VeryGoodPlus
                }
                "VG" | "VERYGOOD" => Grade::VeryGood,
                "G+" | "GPLUS" | "GOODPLUS" | "GOOD+" => Grade::GoodPlus,
                "G" | "GOOD" => Grade::Good,
                "F" | "FAIR" => Grade::Fair,
                "P" | "POOR" => Grade::Poor,
                _ => return None,
            })
        }
        if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
            if open < close {
                return plain(&text[open + 1..close]).or_else(|| plain(&text[..open]));
            }
        }
        plain(text)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, ..Default::default() })]
        #[test]
        fn reads_as_the_allocating_definition(
            text in "((Very|very|VERY|Near|near|Good|good|Mint|mint|Plus|plus|Sealed|ex|EXCELLENT|or|M|m|N|n|V|v|G|g|P|F|NM|VG|\\+|-|_|\\.|/|\\(|\\)| |\t|\u{a0}|\u{b}|ß|ı|ſ|ﬀ|İ|ǅ|é|Ｍ){0,8})",
        ) {
            proptest::prop_assert_eq!(Grade::parse(&text), parse_by_allocating(&text), "{:?}", text);
        }
    }

    #[test]
    fn unicode_upper_case_is_kept() {
        // Dotless ı upper-cases to I, and ſ (long s) to S: as before, they read as ASCII letters.
        assert_eq!(Grade::parse("Mınt"), Some(Grade::Mint));
        assert_eq!(Grade::parse("ſealed"), Some(Grade::Mint));
        assert_eq!(
            Grade::parse("Very Good Plus Plus"),
            None,
            "longer than any grade"
        );
        assert_eq!(Grade::parse(" m - "), Some(Grade::NearMint));
        assert_eq!(Grade::parse("NM or M- (sealed?)"), Some(Grade::NearMint));
    }

    #[test]
    fn grade_codes_order_like_grades_and_read_back() {
        assert_eq!(grade_code(None), 0);
        assert_eq!(grade_code(Some(Grade::Mint)), MAX_GRADE_CODE);
        for code in 0..=u8::MAX {
            match grade_from_code(code) {
                Some(grade) => assert_eq!(grade_code(grade), code),
                None => assert!(code > MAX_GRADE_CODE, "{code}"),
            }
        }
        let mut codes: Vec<u8> = Grade::ALL_BEST_FIRST.map(|g| grade_code(Some(g))).into();
        codes.reverse();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn codes_round_trip() {
        for grade in Grade::ALL_BEST_FIRST {
            assert_eq!(Grade::parse(grade.code()), Some(grade));
            assert_eq!(Grade::parse(grade.name()), Some(grade));
        }
    }
}
