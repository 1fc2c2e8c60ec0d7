//! Each facet's distinct values, interned as items are indexed.

use super::Facet;
use crate::fast_hash::FastMap;
use crate::fold::{fold, fold_into};

/// The distinct values of one facet, matched case- and accent-insensitively;
/// the first spelling seen is the one shown.
#[derive(Debug, Default)]
pub struct Symbols {
    pub(crate) names: Vec<Box<str>>,
    pub(super) by_key: FastMap<Box<str>, u32>,
    /// The catalogue-wide value id of each of this facet's ids.
    pub(super) global: Vec<u32>,
}

impl Symbols {
    /// The catalogue-wide id of `name`, interning it (as value `next_global`
    /// of facet `facet`) when new. `spellings` holds the ids of the exact
    /// spellings met so far: values repeat item after item, spelt the same,
    /// and those are found without folding them again. `scratch` saves an
    /// allocation per lookup.
    pub(super) fn intern(
        &mut self,
        name: &str,
        spellings: &mut FastMap<Box<str>, u32>,
        scratch: &mut String,
        facet: Facet,
        value_facet: &mut Vec<u8>,
    ) -> u32 {
        if let Some(&global) = spellings.get(name) {
            return global;
        }
        let global = self.intern_folded(name, scratch, facet, value_facet);
        spellings.insert(name.into(), global);
        global
    }

    fn intern_folded(
        &mut self,
        name: &str,
        scratch: &mut String,
        facet: Facet,
        value_facet: &mut Vec<u8>,
    ) -> u32 {
        scratch.clear();
        fold_into(name, scratch);
        if let Some(&id) = self.by_key.get(scratch.as_str()) {
            return self.global[id as usize];
        }
        let id = self.names.len() as u32;
        let global = value_facet.len() as u32;
        value_facet.push(facet as u8);
        self.names.push(name.into());
        self.by_key.insert(scratch.as_str().into(), id);
        self.global.push(global);
        global
    }

    /// The catalogue-wide value id of this facet's value `id`.
    pub(crate) fn global(&self, id: u32) -> u32 {
        self.global[id as usize]
    }

    /// The catalogue-wide value ids of this facet, by id.
    pub(crate) fn globals(&self) -> &[u32] {
        &self.global
    }

    /// The id of a value, looked up the way values are matched.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.by_key.get(fold(name).as_str()).copied()
    }

    /// The display name of a value.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// How many distinct values the facet has.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the facet has no value at all.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use crate::index::tests::feed;
    use crate::index::{Catalogue, Facet};

    #[test]
    fn interns_facet_values_case_and_accent_insensitively() {
        let catalogue = Catalogue::from_feed(&feed(&[
            r#"{"id":1,"listings":[{"id":1}],"data":{"genres":["Électronic","Rock","rock"]}}"#,
            r#"{"id":2,"listings":[{"id":2}],"data":{"genres":["electronic"]}}"#,
        ]))
        .unwrap();
        let genres = catalogue.symbols(Facet::Genre);
        assert_eq!(genres.len(), 2);
        assert_eq!(genres.find("ELECTRONIC"), Some(0));
        assert_eq!(genres.name(0), "Électronic");
        assert_eq!(
            catalogue.values(0, Facet::Genre).collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(catalogue.values(1, Facet::Genre).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn every_spelling_of_a_value_finds_it_again() {
        let items: Vec<String> = ["rock", "Rock", "ROCK", "Rock", "rock", "Jazz", "Röck", "jazz"]
            .iter()
            .enumerate()
            .map(|(i, genre)| format!(r#"{{"id":{i},"listings":[{{"id":{i}}}],"data":{{"genres":["{genre}"],"styles":["{genre}"]}}}}"#))
            .collect();
        let catalogue =
            Catalogue::from_feed(&feed(&items.iter().map(String::as_str).collect::<Vec<_>>()))
                .unwrap();
        for facet in [Facet::Genre, Facet::Style] {
            let symbols = catalogue.symbols(facet);
            assert_eq!(
                (symbols.len(), symbols.name(0), symbols.name(1)),
                (2, "rock", "Jazz")
            );
            let ids: Vec<Vec<u32>> = (0..8)
                .map(|i| catalogue.values(i, facet).collect())
                .collect();
            assert_eq!(ids, [[0], [0], [0], [0], [0], [1], [0], [1]], "{facet:?}");
        }
    }
}
