//! `use_narrow_layout`: whether the widget itself is narrow, whatever the
//! window's width.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{closure::Closure, JsCast};

/// Widths (CSS pixels, the widget's border box) at which the filters stack
/// above the results and fold behind a button.
pub const NARROW_MAX_PX: f64 = 720.0;

/// True while `root` is at most [`NARROW_MAX_PX`] wide.
///
/// The widget's own width, not the window's, decides: a partner page may
/// put it in a narrow column of a wide screen, where a media query would
/// squeeze the results beside the filters. A ResizeObserver reports after
/// layout and before paint, so the first frame is already laid out right.
/// (CSS container queries would do this without script, but they make the
/// widget's width ignore its content, which collapses it in a shrink-to-fit
/// host such as an auto-sized flex item.)
///
/// ```ignore
/// let root = NodeRef::new();
/// let narrow = use_narrow_layout(root);
/// view! { <div node_ref=root class:cg-narrow=move || narrow.get()>"…"</div> }
/// ```
pub fn use_narrow_layout(root: NodeRef<leptos::html::Div>) -> ReadSignal<bool> {
    let (narrow, set_narrow) = signal(false);
    Effect::new(move |_| {
        let Some(element) = root.get() else { return };
        let on_resize = Closure::<dyn FnMut()>::new({
            let element = element.clone();
            move || {
                let now = element.get_bounding_client_rect().width() <= NARROW_MAX_PX;
                // Unchanged widths are frequent (every resize of the page).
                if narrow.try_get_untracked() != Some(now) {
                    let _ = set_narrow.try_set(now);
                }
            }
        });
        let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&element);
        let held = SendWrapper::new((observer, on_resize));
        on_cleanup(move || {
            let (observer, _on_resize) = held.take();
            observer.disconnect();
        });
    });
    narrow
}
