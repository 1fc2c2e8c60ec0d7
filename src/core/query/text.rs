//! Text search: the items holding every term of the query, each with its
//! relevance score.

use super::filter::Filter;
use crate::index::Catalogue;

/// Finds a term in the search keys by its rarest byte, so the scan stops
/// seldom even for terms that start with a common letter.
struct Finder<'t> {
    term: &'t [u8],
    rare: u8,
    /// Where `rare` is in `term`.
    offset: usize,
}

impl<'t> Finder<'t> {
    fn new(term: &'t str, byte_counts: &[u32]) -> Finder<'t> {
        let term = term.as_bytes();
        let offset = (0..term.len())
            .min_by_key(|&at| byte_counts[term[at] as usize])
            .unwrap_or(0);
        Finder {
            term,
            rare: term[offset],
            offset,
        }
    }

    /// The first occurrence of the term within `hay[from..to]`.
    fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        let mut at_rare = from + self.offset;
        while at_rare < to {
            at_rare += find_byte(&hay[at_rare..to], self.rare)?;
            let at = at_rare - self.offset;
            let end = at + self.term.len();
            if end > to {
                return None;
            }
            if has_at(hay, at, self.term) {
                return Some(at);
            }
            at_rare += 1;
        }
        None
    }
}

impl Finder<'_> {
    /// The relevance points of the term in one item's key, given its first
    /// hit there. `key` is (start, end of the main fields, end).
    fn best_points(
        &self,
        hay: &[u8],
        (start, main_end, end): (usize, usize, usize),
        at: usize,
    ) -> u32 {
        let word_start = at == start || matches!(hay[at - 1], b' ' | b'|');
        let (points, better, limit) = match (at < main_end, word_start) {
            (true, true) => return 5,
            (false, true) => return 2,
            // Hits come in key order, main fields first: after a hit inside
            // a word, only a hit at a word start in the same part scores more.
            (true, false) => (3, 5, main_end),
            (false, false) => (1, 2, end),
        };
        let last = limit.saturating_sub(self.term.len());
        for word in at + 1..=last {
            if matches!(hay[word - 1], b' ' | b'|') && has_at(hay, word, self.term) {
                return better;
            }
        }
        points
    }
}

/// Whether `hay` holds `term` at `at` (which leaves room for it). A plain
/// loop: terms are short, and a call to `memcmp` costs more.
#[inline(always)]
fn has_at(hay: &[u8], at: usize, term: &[u8]) -> bool {
    let hay = &hay[at..at + term.len()];
    let mut k = 0;
    while k < term.len() {
        if hay[k] != term[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The position of the first `byte` in `hay`, eight bytes at a time.
fn find_byte(hay: &[u8], byte: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(byte);
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().unwrap()) ^ pattern;
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == byte)
        .map(|p| at + p)
}

impl Catalogue {
    /// Items holding every term, in catalogue order, with their relevance
    /// scores. The rarest term is searched for over all keys at once (one
    /// byte buffer), each further term only within the items left.
    pub(super) fn text_matches(&self, filter: &Filter) -> Vec<(u32, u32)> {
        let hot = &self.hot;
        let hay = hot.keys.as_bytes();
        let (key_start, title_end, creators_end) = (
            &hot.key_start[..],
            &hot.title_end[..],
            &hot.creators_end[..],
        );
        let mut terms: Vec<Finder> = filter
            .terms
            .iter()
            .map(|t| Finder::new(t, &hot.byte_counts))
            .collect();
        terms.sort_by_key(|f| {
            (
                hot.byte_counts[f.rare as usize],
                std::cmp::Reverse(f.term.len()),
            )
        });
        let fields = |item: usize| {
            let start = key_start[item] as usize;
            (
                start,
                start + creators_end[item] as usize,
                key_start[item + 1] as usize - 1,
            )
        };
        let mut found: Vec<(u32, u32)> = Vec::new();
        let (first, rest) = terms.split_first().expect("a query with terms");
        // The first term, over every key: each hit is found with its item.
        let mut from = 0;
        let mut item = 0;
        while let Some(at) = first.find(hay, from, hay.len()) {
            // Hits come in order: walk on to the item holding this one.
            while key_start[item + 1] as usize <= at {
                item += 1;
            }
            found.push((item as u32, first.best_points(hay, fields(item), at)));
            from = key_start[item + 1] as usize;
        }
        // Each further term, within the items that have the earlier ones.
        for finder in rest {
            found.retain_mut(|(item, score)| {
                let (start, main_end, end) = fields(*item as usize);
                match finder.find(hay, start, end) {
                    Some(at) => {
                        *score += finder.best_points(hay, (start, main_end, end), at);
                        true
                    }
                    None => false,
                }
            });
        }
        // A query that is the whole title or a whole artist ranks first.
        let query = filter.folded_query.as_bytes();
        for (item, score) in &mut found {
            let i = *item as usize;
            let (start, title, creators) = (
                key_start[i] as usize,
                title_end[i] as usize,
                creators_end[i] as usize,
            );
            let is_title = title == query.len() && has_at(hay, start, query);
            let is_creators =
                creators - title - 1 == query.len() && has_at(hay, start + title + 1, query);
            if is_title || is_creators {
                *score += 20;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::super::filter::Filter;
    use super::super::test_support::*;

    #[test]
    fn search_is_case_and_diacritic_insensitive_and_needs_every_term() {
        let c = sample();
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "bjork".into()))),
            [1, 3]
        );
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "BJÖRK debut".into()))),
            [3]
        );
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "agaetis".into()))),
            [5]
        );
        assert!(c
            .query(&view(|v| v.query = "bjork zzz".into()))
            .items
            .is_empty());
    }

    #[test]
    fn search_finds_every_artist_author_and_manufacturer() {
        let c = catalogue(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Signature Slipmat","artists":["Aphex Twin"],"manufacturer":"Technics"}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Liner Notes","artists":["Sun Ra"],"authors":["John Szwed"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"Field Guide","authors":["Toop"],"manufacturer":"Serpent's Tail"}}"#,
        ]);
        for (query, expected) in [
            ("aphex", 1),
            ("technics", 1),
            ("sun ra", 2),
            ("szwed", 2),
            ("toop", 3),
            ("serpent", 3),
        ] {
            assert_eq!(
                ids(&c, &c.query(&view(|v| v.query = query.into()))),
                [expected],
                "{query}"
            );
        }
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "aphex technics".into()))),
            [1],
            "terms may match different creators"
        );
    }

    #[test]
    fn relevance_ranks_title_matches_first_then_keeps_feed_order() {
        let c = three_debuts();
        assert_eq!(
            ids(&c, &c.query(&view(|v| v.query = "debut".into()))),
            [2, 3, 1]
        );
    }

    #[test]
    fn a_term_scores_by_its_best_hit_in_the_item() {
        let c = catalogue(&[
            // Mid-word in the title, then at a word start in the artist: 5.
            r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Cabal","artists":["Bach"]}}"#,
            // Mid-word in the title only: 3; in labels at a word start: 2.
            r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Abba","labels":["Bar Records"]}}"#,
            r#"{"id":3,"listings":[{"id":3}],"data":{"title":"X","labels":["Cab Bar"]}}"#,
            // In labels mid-word only: 1.
            r#"{"id":4,"listings":[{"id":4}],"data":{"title":"Y","labels":["Kebab"]}}"#,
        ]);
        let filter = Filter::new(&c, &view(|v| v.query = "ba".into()));
        assert_eq!(c.text_matches(&filter), [(0, 5), (1, 3), (2, 2), (3, 1)]);
    }
}
