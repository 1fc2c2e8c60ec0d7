use crate::hooks::Panel;
use leptos::prelude::*;

/// The panel under the account bar: the cart, or the login form.
#[component]
pub fn ShopPanel(
    /// What the panel shows.
    #[prop(into)]
    panel: RwSignal<Panel>,
    /// Closes the panel.
    #[prop(into)]
    on_close: Callback<()>,
    /// The cart (a [`super::CartDrawer`]), shown for [`Panel::Cart`].
    #[prop(into)]
    cart: ViewFn,
    /// The login form (a [`super::LoginForm`]) for [`Panel::Login`], given
    /// why it was opened.
    login: impl Fn(Option<String>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    // Escape closes the panel, as it would a dialog.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    };
    let element = NodeRef::<leptos::html::Div>::new();
    // Closing the panel removes the control that closed it (Close, Cancel,
    // Log in, Escape in a field): focus goes back to the account bar's
    // button for what was open, instead of falling to the page.
    Effect::new(move |previous: Option<Panel>| {
        let current = panel.get();
        if let (Some(was), Panel::Closed) = (&previous, &current) {
            let opener = if *was == Panel::Cart {
                ".cg-account .cg-cart-button"
            } else {
                ".cg-account button"
            };
            let bar_has_focus = |panel: &web_sys::HtmlElement| {
                panel
                    .parent_element()
                    .and_then(|root| {
                        root.query_selector(".cg-account:focus-within")
                            .ok()
                            .flatten()
                    })
                    .is_some()
            };
            if let Some(panel) = element.get_untracked().filter(|p| !bar_has_focus(p)) {
                let button = panel
                    .parent_element()
                    .and_then(|root| root.query_selector(opener).ok().flatten());
                if let Some(button) = button
                    .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
                {
                    let _ = button.focus();
                }
            }
        }
        current
    });
    view! {
        <div class="cg-panel" part="panel" node_ref=element on:keydown=on_keydown>
            {move || match panel.get() {
                Panel::Closed => ().into_any(),
                Panel::Cart => cart.run(),
                Panel::Login { reason } => login(reason),
            }}
        </div>
    }
}
