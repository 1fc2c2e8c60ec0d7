//! Which rows of a virtualised grid of equal-height rows to render, so the
//! page holds a screenful of results whatever their number.

use std::ops::Range;

/// Rows rendered beyond each edge of the viewport, so a scroll or a
/// keyboard step lands on cards that already exist. A row is a card tall
/// (about half a phone screen), so one is enough; each more costs a row of
/// cards in every render.
pub const OVERSCAN_ROWS: usize = 1;

/// The grid's layout as measured in the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridMetrics {
    /// Cards per row.
    pub columns: usize,
    /// Distance from one row's top to the next one's (row height plus gap).
    pub row_pitch: f64,
}

/// Where the grid sits relative to the viewport, in CSS pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Viewport {
    /// The grid's top edge relative to the viewport's top (negative when
    /// scrolled past).
    pub grid_top: f64,
    /// The viewport's height.
    pub height: f64,
}

/// The slice of results to render and the room left for the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisibleWindow {
    /// Positions within the results.
    pub items: Range<usize>,
    /// The height of the rows above the rendered ones.
    pub space_before: f64,
    /// The whole grid's height, once it could be measured.
    pub height: Option<f64>,
}

impl VisibleWindow {
    /// The rows of `count` results under `metrics` that meet `viewport`,
    /// widened by `overscan` rows on each side. Without usable metrics
    /// (nothing laid out yet, or a hidden widget) the first `fallback`
    /// results are rendered, which lets the grid be measured.
    pub fn compute(
        count: usize,
        metrics: Option<GridMetrics>,
        viewport: Viewport,
        overscan: usize,
        fallback: usize,
    ) -> VisibleWindow {
        let usable =
            metrics.filter(|m| m.columns > 0 && m.row_pitch.is_finite() && m.row_pitch >= 1.0);
        let Some(GridMetrics { columns, row_pitch }) = usable else {
            return VisibleWindow {
                items: 0..count.min(fallback),
                ..VisibleWindow::default()
            };
        };
        let rows = count.div_ceil(columns);
        // Rows whose band [row * pitch, (row + 1) * pitch) meets the viewport.
        let seen_from = (-viewport.grid_top).max(0.0);
        let seen_to = (viewport.height.max(0.0) - viewport.grid_top).max(0.0);
        let first_seen = ((seen_from / row_pitch).floor() as usize).min(rows);
        let end_seen = ((seen_to / row_pitch).ceil() as usize).min(rows);
        let first_row = first_seen.saturating_sub(overscan);
        // A grid wholly below or above the viewport still renders its edge
        // rows, so focus and measuring have something to land on.
        let end_row = (end_seen.max(first_seen + 1) + overscan).min(rows);
        let first_row = first_row.min(end_row);
        VisibleWindow {
            items: first_row * columns..(end_row * columns).min(count),
            space_before: first_row as f64 * row_pitch,
            height: Some(rows as f64 * row_pitch),
        }
    }

    /// The window with at most `max_items` results, cut at its end: the
    /// grid keeps its height and the rendered rows their place.
    pub fn limited_to(mut self, max_items: Option<usize>) -> VisibleWindow {
        if let Some(max_items) = max_items {
            self.items.end = self
                .items
                .end
                .min(self.items.start.saturating_add(max_items));
        }
        self
    }
}

/// Which card (by a stable id) shows which result position.
///
/// A card normally keeps its position: while the grid scrolls, cards still
/// in view stay as they are (and keep keyboard focus), cards leaving are
/// dropped and new ones are built for the positions coming in. When the
/// view jumps, so that most of the positions are new (a drag of the
/// scrollbar, a jump to the end, a fast swipe), the cards leaving are
/// reused in order for the new positions instead: rewriting a card's text
/// costs far less than building one.
///
/// A jump that follows another within [`FLING_GAP_MS`] is a fling (the
/// scrollbar dragged, a fast swipe): then the cards show placeholders until
/// the jumps pause. Nobody reads cards replaced in the next frame, and
/// writing every card in every frame took about two frames each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardSlots {
    /// `(card id, result position)`, in position order.
    slots: Vec<(u32, usize)>,
    next_id: u32,
    /// When the last jump happened, in milliseconds.
    jumped_at: Option<f64>,
    flinging: bool,
}

/// Jumps closer together than this make a fling (see [`CardSlots`]): a
/// few frames, and short enough that cards fill soon after a drag stops.
pub const FLING_GAP_MS: f64 = 150.0;

impl CardSlots {
    /// The cards for the positions in `window`, given the previous cards.
    /// `may_reuse` is false when a card must not change position under the
    /// shopper (one of them holds keyboard focus): then a jump builds new
    /// cards too. `now_ms` is the time in milliseconds, which tells a fling
    /// from a single jump.
    pub fn assign(&self, window: Range<usize>, may_reuse: bool, now_ms: f64) -> CardSlots {
        let old = self.range();
        let shared = window
            .end
            .min(old.end)
            .saturating_sub(window.start.max(old.start));
        // Most cards replaced is a jump, in the smaller of the two windows:
        // growing from the first cards to a screenful replaces none. From
        // or to no cards at all is a new answer, not a jump.
        let jump =
            !old.is_empty() && !window.is_empty() && 2 * shared < window.len().min(old.len());
        let flinging = jump && self.jumped_at.is_some_and(|at| now_ms - at < FLING_GAP_MS);
        let jumped_at = if jump { Some(now_ms) } else { self.jumped_at };
        let mut next_id = self.next_id;
        let leaving = || {
            self.slots
                .iter()
                .filter(|&&(_, p)| !window.contains(&p))
                .map(|&(id, _)| id)
                .collect()
        };
        let mut reusable = if jump && may_reuse {
            leaving()
        } else {
            Vec::new()
        }
        .into_iter();
        let slots = window
            .map(|position| {
                let kept = self
                    .slots
                    .iter()
                    .find(|&&(_, p)| p == position)
                    .map(|&(id, _)| id);
                let id = kept.or_else(|| reusable.next()).unwrap_or_else(|| {
                    next_id = next_id.wrapping_add(1);
                    next_id
                });
                (id, position)
            })
            .collect();
        CardSlots {
            slots,
            next_id,
            jumped_at,
            flinging,
        }
    }

    /// Whether the cards should show placeholders: the grid is flinging
    /// past. Any assignment that is not a jump (the same window again once
    /// the jumps pause, a scroll by less than a screen) ends it.
    pub fn is_flinging(&self) -> bool {
        self.flinging
    }

    /// The card ids, in position order.
    pub fn ids(&self) -> Vec<u32> {
        self.slots.iter().map(|&(id, _)| id).collect()
    }

    /// The position card `id` shows, if it is still in use.
    pub fn position_of(&self, id: u32) -> Option<usize> {
        self.slots
            .iter()
            .find(|&&(card, _)| card == id)
            .map(|&(_, position)| position)
    }

    fn range(&self) -> Range<usize> {
        match (self.slots.first(), self.slots.last()) {
            (Some(&(_, first)), Some(&(_, last))) => first..last + 1,
            _ => 0..0,
        }
    }
}

/// The number of columns in a computed `grid-template-columns` value,
/// which browsers resolve to one length per track ("190px 190px 190px").
pub fn column_count(template: &str) -> usize {
    template
        .split_whitespace()
        .filter(|track| track.ends_with("px"))
        .count()
}

/// A computed CSS length in pixels ("16px"); `normal` and the like are 0.
pub fn css_pixels(value: &str) -> f64 {
    value
        .trim()
        .strip_suffix("px")
        .and_then(|n| n.trim().parse::<f64>().ok())
        .filter(|n| n.is_finite())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const METRICS: GridMetrics = GridMetrics {
        columns: 4,
        row_pitch: 400.0,
    };

    fn window(count: usize, grid_top: f64, height: f64) -> VisibleWindow {
        VisibleWindow::compute(count, Some(METRICS), Viewport { grid_top, height }, 2, 24)
    }

    #[test]
    fn a_grid_at_the_top_renders_the_rows_in_view_and_the_overscan_below() {
        let w = window(50_000, 100.0, 900.0);
        // Rows 0..2 meet the viewport (800 px of grid in view), two more below.
        assert_eq!(w.items, 0..16);
        assert_eq!(w.space_before, 0.0);
        assert_eq!(w.height, Some(12_500.0 * 400.0));
    }

    #[test]
    fn scrolled_into_the_middle_renders_overscan_on_both_sides() {
        // The viewport shows grid pixels 40,000..40,900: rows 100, 101, 102.
        let w = window(50_000, -40_000.0, 900.0);
        assert_eq!(w.items, 98 * 4..105 * 4);
        assert_eq!(w.space_before, 98.0 * 400.0);
        assert_eq!(w.height, Some(12_500.0 * 400.0));
    }

    #[test]
    fn the_last_row_may_be_partial() {
        let w = window(10, -500.0, 900.0);
        assert_eq!(w.items, 0..10);
        assert_eq!(w.height, Some(3.0 * 400.0));
    }

    #[test]
    fn a_grid_far_below_or_above_the_viewport_renders_only_its_edge() {
        assert_eq!(window(1_000, 5_000.0, 900.0).items, 0..12);
        let above = window(1_000, -1_000_000.0, 900.0);
        assert_eq!(above.items, 248 * 4..250 * 4);
        assert_eq!(above.space_before, 248.0 * 400.0);
    }

    #[test]
    fn without_metrics_the_first_results_are_rendered() {
        let none = VisibleWindow::compute(500, None, Viewport::default(), 2, 24);
        assert_eq!(none.items, 0..24);
        assert_eq!(none.height, None);
        let hidden = VisibleWindow::compute(
            500,
            Some(GridMetrics {
                columns: 0,
                row_pitch: 0.0,
            }),
            Viewport::default(),
            2,
            24,
        );
        assert_eq!(hidden.items, 0..24);
        let nan = VisibleWindow::compute(
            5,
            Some(GridMetrics {
                columns: 3,
                row_pitch: f64::NAN,
            }),
            Viewport::default(),
            2,
            24,
        );
        assert_eq!(nan.items, 0..5);
    }

    #[test]
    fn no_results_render_nothing() {
        let empty = window(0, 0.0, 900.0);
        assert_eq!((empty.items, empty.height), (0..0, Some(0.0)));
    }

    #[test]
    fn the_window_never_exceeds_the_viewport_plus_overscan() {
        for top in (-2_000_000..2_000).step_by(997) {
            let w = window(50_000, top as f64, 900.0);
            assert!(w.items.len() <= (3 + 1 + 2 * 2) * 4, "{top}: {:?}", w.items);
            assert!(w.items.end <= 50_000 && w.items.start <= w.items.end);
        }
    }

    #[test]
    fn a_limited_window_is_cut_at_its_end_and_keeps_its_place() {
        let scrolled = window(1000, -2000.0, 900.0);
        assert!(scrolled.items.len() > 4);
        let limited = scrolled.clone().limited_to(Some(4));
        assert_eq!(
            limited.items,
            scrolled.items.start..scrolled.items.start + 4
        );
        assert_eq!(
            (limited.space_before, limited.height),
            (scrolled.space_before, scrolled.height)
        );
        assert_eq!(scrolled.clone().limited_to(None), scrolled);
        assert_eq!(scrolled.clone().limited_to(Some(10_000)), scrolled);
        assert!(window(0, 0.0, 900.0).limited_to(Some(4)).items.is_empty());
    }

    #[test]
    fn computed_styles_are_read() {
        assert_eq!(column_count("190px 190px 190.5px"), 3);
        assert_eq!(column_count("none"), 0);
        assert_eq!(css_pixels("16px"), 16.0);
        assert_eq!(css_pixels("normal"), 0.0);
    }

    fn positions(slots: &CardSlots) -> Vec<Option<usize>> {
        slots
            .ids()
            .into_iter()
            .map(|id| slots.position_of(id))
            .collect()
    }

    #[test]
    fn scrolling_keeps_the_cards_still_in_view_and_builds_the_rest() {
        let first = CardSlots::default().assign(0..8, true, 0.0);
        assert_eq!(positions(&first), (0..8).map(Some).collect::<Vec<_>>());
        let ids = first.ids();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), 8, "one card per position");

        let scrolled = first.assign(4..12, true, 0.0);
        assert_eq!(
            scrolled.ids()[..4],
            ids[4..],
            "positions 4–7 keep their cards"
        );
        assert!(
            scrolled.ids()[4..].iter().all(|id| !ids.contains(id)),
            "positions 8–11 get new cards"
        );
        assert_eq!(positions(&scrolled), (4..12).map(Some).collect::<Vec<_>>());
        assert_eq!(
            scrolled.position_of(ids[0]),
            None,
            "cards scrolled away are dropped"
        );
    }

    #[test]
    fn a_jump_reuses_the_cards_in_order_unless_one_holds_focus() {
        let first = CardSlots::default().assign(0..8, true, 0.0);
        let jumped = first.assign(400..412, true, 0.0);
        assert_eq!(
            jumped.ids()[..8],
            first.ids()[..],
            "the old cards show the first new positions"
        );
        assert!(jumped.ids()[8..].iter().all(|id| !first.ids().contains(id)));
        assert_eq!(positions(&jumped), (400..412).map(Some).collect::<Vec<_>>());
        let back = jumped.assign(0..4, true, 0.0);
        assert_eq!(
            back.ids()[..],
            jumped.ids()[..4],
            "a shorter window reuses the first cards"
        );

        let focused = first.assign(400..408, false, 0.0);
        assert!(
            focused.ids().iter().all(|id| !first.ids().contains(id)),
            "no card moves under keyboard focus"
        );
    }

    #[test]
    fn the_same_window_keeps_every_card_and_an_empty_one_has_none() {
        let first = CardSlots::default().assign(10..20, true, 0.0);
        assert_eq!(
            first.assign(10..20, true, 0.0),
            first,
            "a new answer in the same window rewrites the cards in place"
        );
        let none = first.assign(0..0, true, 0.0);
        assert!(none.ids().is_empty());
        let again = none.assign(0..3, true, 0.0);
        assert!(
            again.ids().iter().all(|id| !first.ids().contains(id)),
            "ids are never handed out twice"
        );
    }

    #[test]
    fn jumps_in_quick_succession_fling_until_the_jumps_pause() {
        let first = CardSlots::default().assign(0..8, true, 0.0);
        let jumped = first.assign(400..408, true, 1_000.0);
        assert!(
            !jumped.is_flinging(),
            "a single jump shows its cards at once"
        );
        let again = jumped.assign(800..808, true, 1_016.0);
        assert!(
            again.is_flinging(),
            "a second jump a frame later is a fling"
        );
        assert_eq!(again.ids(), first.ids(), "flinging still reuses the cards");
        let on = again.assign(1_200..1_208, true, 1_032.0);
        assert!(on.is_flinging());
        let paused = on.assign(1_200..1_208, true, 1_032.0 + FLING_GAP_MS);
        assert!(
            !paused.is_flinging(),
            "the same window after a pause fills the cards"
        );
        assert_eq!(paused.ids(), on.ids());
        let slow = paused.assign(1_500..1_508, true, 1_032.0 + 2.0 * FLING_GAP_MS);
        assert!(
            !slow.is_flinging(),
            "a jump long after the last one is a single jump"
        );
        let scrolled = on.assign(1_204..1_212, true, 1_040.0);
        assert!(
            !scrolled.is_flinging(),
            "scrolling by half the window or less is no jump"
        );
        let swiped = on.assign(1_206..1_214, true, 1_040.0);
        assert!(
            swiped.is_flinging(),
            "a swipe that replaces most cards in a frame is a fling"
        );
        assert_eq!(
            swiped.ids()[..2],
            on.ids()[6..],
            "positions still in view keep their cards"
        );
        assert_eq!(
            swiped.ids()[2..],
            on.ids()[..6],
            "the cards leaving show the new positions"
        );
        let emptied = on.assign(0..0, true, 1_040.0).assign(0..8, true, 1_050.0);
        assert!(
            !emptied.is_flinging(),
            "a new answer after no results is no jump"
        );
    }

    #[test]
    fn filling_the_screen_from_the_first_cards_is_no_jump() {
        let unmeasured = CardSlots::default().assign(0..2, true, 0.0);
        let measured = unmeasured.assign(0..24, true, 10.0);
        assert_eq!(
            measured.ids()[..2],
            unmeasured.ids()[..],
            "the first cards keep their places"
        );
        let jumped = measured.assign(2_000..2_024, true, 20.0);
        assert!(
            !jumped.is_flinging(),
            "the shopper's first jump right after is a single jump: its results show at once"
        );
        let shrunk = jumped.assign(2_000..2_004, true, 30.0);
        assert!(
            !shrunk.is_flinging(),
            "a narrower window keeping its first cards is no jump"
        );
    }
}
