//! `use_virtual_grid`: keeps a grid of results down to the rows in view.

use crate::core::virtual_grid::{
    column_count, css_pixels, GridMetrics, Viewport, VisibleWindow, OVERSCAN_ROWS,
};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{closure::Closure, JsCast};

/// Results rendered before the grid has been laid out and measured: enough
/// to measure by, few enough to keep that first render short (the rest of
/// the screen follows in the next frame). The first cards' layout pays for
/// the first text shaped in their fonts, 20–50 ms in Chromium however few
/// there are, and their build for code run the first time: with 8 cards
/// the two made tasks of 60–120 ms.
const UNMEASURED_ITEMS: usize = 2;

/// Cards added per task as the grid first fills the screen after its
/// first measurement. A screenful built in one task, and laid out in the
/// next frame (the first text in each font and size pays for finding the
/// font), made two tasks of 40–80 ms each at the start of a load.
const FILL_STEP_ITEMS: usize = 8;

/// The results of `list` (a CSS grid of equal-height cards, shifted down
/// inside `frame`, which is as tall as all the rows) to render for `count`
/// results: the rows in view plus a margin, measured from the grid's
/// computed columns and its first card.
///
/// Any scrolling ancestor works, not just the window: scroll events are
/// heard in the capture phase, where they reach the window from every
/// scrolling element of the page.
///
/// ```ignore
/// let (frame, list) = (NodeRef::new(), NodeRef::new());
/// let window = use_virtual_grid(frame, list, count);
/// // Render the results in `window.with(|w| w.items.clone())`, moved down
/// // by `w.space_before` inside a frame `w.height` tall.
/// ```
pub fn use_virtual_grid(
    frame: NodeRef<leptos::html::Div>,
    list: NodeRef<leptos::html::Ul>,
    count: Signal<usize>,
) -> Memo<VisibleWindow> {
    let metrics = RwSignal::new(None::<GridMetrics>);
    let viewport = RwSignal::new(Viewport::default());
    // While the grid first fills the screen, the most cards it renders;
    // `None` once it has.
    let fill_limit = RwSignal::new(Some(UNMEASURED_ITEMS));
    let full = Memo::new(move |_| {
        VisibleWindow::compute(
            count.get(),
            metrics.get(),
            viewport.get(),
            OVERSCAN_ROWS,
            UNMEASURED_ITEMS,
        )
    });
    let place = move || {
        if let Some(element) = frame.get_untracked() {
            let now = locate(&element);
            // Only a move to another row changes the window; the memo below
            // drops updates that do not.
            if viewport.get_untracked() != now {
                viewport.set(now);
            }
        }
    };
    let measure = move || {
        if let Some(element) = list.get_untracked() {
            let now = measure(&element);
            if now.is_some() && metrics.get_untracked().is_none() {
                // The first measurement fills the screen in a task of its
                // own: building those cards here, in the frame that lays out
                // the first ones, made one task of both (about 100 ms for
                // the feed's first items). It is taken again then, as the
                // layout may have changed meanwhile.
                set_timeout(
                    move || {
                        let Some(element) = list.try_get_untracked().flatten() else {
                            return;
                        };
                        // Nothing to do once measured, or unmounted.
                        if metrics.try_get_untracked().flatten().is_none() {
                            fill_limit.try_set(Some(UNMEASURED_ITEMS + FILL_STEP_ITEMS));
                            if metrics.try_set(measure(&element)).is_none() {
                                place();
                                fill_in_steps(fill_limit, full);
                            }
                        }
                    },
                    std::time::Duration::ZERO,
                );
                return;
            }
            if now.is_some() && metrics.get_untracked() != now {
                metrics.set(now);
            }
            place();
        }
    };

    // Layout changes (first render, width, the results changing the grid's
    // height) reach a ResizeObserver after layout and before paint.
    Effect::new(move |_| {
        let (Some(element), Some(_)) = (frame.get(), list.get()) else {
            return;
        };
        let on_resize = Closure::<dyn FnMut()>::new(measure);
        let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&element);
        let on_scroll = Closure::<dyn FnMut()>::new(place);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        let window = window();
        for kind in ["scroll", "resize"] {
            let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
                kind,
                on_scroll.as_ref().unchecked_ref(),
                &options,
            );
        }
        let held = SendWrapper::new((observer, on_resize, on_scroll, window));
        on_cleanup(move || {
            let (observer, _on_resize, on_scroll, window) = held.take();
            observer.disconnect();
            for kind in ["scroll", "resize"] {
                let _ = window.remove_event_listener_with_callback_and_bool(
                    kind,
                    on_scroll.as_ref().unchecked_ref(),
                    true,
                );
            }
        });
    });

    Memo::new(move |_| full.get().limited_to(fill_limit.get()))
}

/// Raises `fill_limit` by [`FILL_STEP_ITEMS`] in each task after a frame,
/// so each step is laid out before the next is built, until the `full`
/// window fits; then lifts it.
fn fill_in_steps(fill_limit: RwSignal<Option<usize>>, full: Memo<VisibleWindow>) {
    request_animation_frame(move || {
        set_timeout(
            move || {
                let (Some(Some(limit)), Some(needed)) = (
                    fill_limit.try_get_untracked(),
                    full.try_with_untracked(|w| w.items.len()),
                ) else {
                    return;
                };
                if needed <= limit {
                    fill_limit.set(None);
                } else {
                    fill_limit.set(Some(limit + FILL_STEP_ITEMS));
                    fill_in_steps(fill_limit, full);
                }
            },
            std::time::Duration::ZERO,
        )
    });
}

/// Columns from the computed grid tracks; the pitch from a rendered card
/// plus the row gap (cards are styled to one height).
fn measure(list: &web_sys::Element) -> Option<GridMetrics> {
    let style = window().get_computed_style(list).ok()??;
    let columns = column_count(&style.get_property_value("grid-template-columns").ok()?);
    let gap = css_pixels(&style.get_property_value("row-gap").ok()?);
    let card_height = list
        .first_element_child()?
        .get_bounding_client_rect()
        .height();
    (columns > 0 && card_height > 0.0).then_some(GridMetrics {
        columns,
        row_pitch: card_height + gap,
    })
}

/// Where row 0 is relative to the viewport: the frame's top.
fn locate(frame: &web_sys::Element) -> Viewport {
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    Viewport {
        grid_top: frame.get_bounding_client_rect().top(),
        height,
    }
}
