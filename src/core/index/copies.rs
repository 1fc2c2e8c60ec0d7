//! Copies of one release across shops, grouped so each is one result.

use super::Catalogue;
use crate::fast_hash::FastMap;

/// Items grouped by Discogs release id, so one release sold by several
/// shops is one result. Only aggregated catalogues are grouped.
#[derive(Debug, Default)]
pub(crate) struct Copies {
    /// Per item: its group (items without a Discogs id are alone in theirs).
    pub(crate) group_of: Vec<u32>,
    /// Per group: its first item.
    pub(super) first: Vec<u32>,
    /// Per item: the next copy of its release ([`NO_COPY`] for the last),
    /// so a group's members are a chain from its first item, in
    /// catalogue order, without a list per group.
    pub(super) next_copy: Vec<u32>,
}

/// [`Copies::next_copy`] of the last copy of a release.
pub(crate) const NO_COPY: u32 = u32::MAX;

/// What grouping copies needs only while loading.
#[derive(Debug, Default)]
pub(super) struct CopiesBuilder {
    by_discogs_id: FastMap<u64, u32>,
    /// Per group: its last item so far, where the chain is extended.
    last: Vec<u32>,
}

impl Copies {
    pub(super) fn add(
        &mut self,
        building: &mut CopiesBuilder,
        index: u32,
        discogs_id: Option<u64>,
    ) {
        let known = discogs_id.and_then(|id| building.by_discogs_id.get(&id).copied());
        let group = match known {
            Some(group) => {
                let last = &mut building.last[group as usize];
                self.next_copy[*last as usize] = index;
                *last = index;
                group
            }
            None => {
                let group = self.first.len() as u32;
                self.first.push(index);
                building.last.push(index);
                if let Some(id) = discogs_id {
                    building.by_discogs_id.insert(id, group);
                }
                group
            }
        };
        self.group_of.push(group);
        self.next_copy.push(NO_COPY);
    }

    /// How many groups there are.
    pub(crate) fn len(&self) -> usize {
        self.first.len()
    }

    pub(super) fn shrink(&mut self) {
        self.group_of.shrink_to_fit();
        self.first.shrink_to_fit();
        self.next_copy.shrink_to_fit();
    }

    /// Heap bytes held.
    pub(super) fn bytes(&self) -> usize {
        4 * (self.group_of.capacity() + self.first.capacity() + self.next_copy.capacity())
    }
}

impl Catalogue {
    /// Whether results are grouped by release (aggregator mode).
    pub fn is_grouped(&self) -> bool {
        !self.shops.is_empty()
    }

    /// Every copy of the release item `index` is, across shops, in
    /// catalogue order (just `index` for a release sold once).
    pub fn copies(&self, index: u32) -> Vec<u32> {
        let copies = &self.copies;
        let first = copies
            .group_of
            .get(index as usize)
            .and_then(|&g| copies.first.get(g as usize));
        let Some(&first) = first else {
            return vec![index];
        };
        // Chains only move forward (checked on loading a snapshot), so this ends.
        let mut members = vec![first];
        while let Some(&next) = copies
            .next_copy
            .get(*members.last().expect("starts with the first") as usize)
        {
            if next == NO_COPY {
                break;
            }
            members.push(next);
        }
        members
    }

    pub(crate) fn copy_groups(&self) -> &Copies {
        &self.copies
    }
}
