use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A button, seen only while it has focus, that takes the keyboard past the
/// filters to the first result (or, with none, the empty state's button):
/// without it the first result is one Tab per facet value away from the
/// search box. A button, not a `#fragment` link: a fragment would change
/// the host page's URL and cannot reach into a shadow root.
#[component]
pub fn SkipToResults(
    /// The element holding the results.
    results: NodeRef<Div>,
) -> impl IntoView {
    let on_click = move |_| {
        let first = results
            .get_untracked()
            .and_then(|area| {
                area.query_selector("a[href], button:not([disabled])")
                    .ok()
                    .flatten()
            })
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(first) = first {
            let _ = first.focus();
        }
    };
    view! {
        <button type="button" class="cg-button cg-skip" part="skip" on:click=on_click>
            "Skip to results"
        </button>
    }
}
