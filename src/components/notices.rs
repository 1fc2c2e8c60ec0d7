use leptos::prelude::*;

/// Non-fatal things the shopper should know (unreadable items, ignored
/// link parameters).
#[component]
pub fn Notices(
    /// The messages, shown as text.
    #[prop(into)]
    messages: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || !messages.with(Vec::is_empty)>
            <ul class="cg-notices" role="note" part="notices">
                {move || messages.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        </Show>
    }
}
