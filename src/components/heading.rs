use leptos::prelude::*;

/// A heading at a level the host page chooses (`heading-level`): an element
/// with `role="heading"` and `aria-level`, because an `<hN>`'s level is its
/// tag, fixed when the view is compiled.
#[component]
pub fn Heading(
    /// The heading's class.
    class: &'static str,
    /// Its level, as `aria-level` writes it (1–6).
    level: String,
    /// Its text.
    children: Children,
) -> impl IntoView {
    leptos::html::div()
        .class(class)
        .role("heading")
        .attr("aria-level", level)
        .child(children())
}
