//! The standalone page, whose whole body is the widget.

use super::App;
use crate::browser::query_pairs;
use crate::core::Config;
use leptos::prelude::*;

/// Mounts the standalone page: its configuration from the page's own
/// `cg-config` block, written by whoever deployed it; from the URL only
/// the view and a choice among the configured shops.
pub fn mount_standalone() {
    console_error_panic_hook::set_once();
    let block = document()
        .get_element_by_id("cg-config")
        .and_then(|block| block.text_content());
    let (mut config, mut config_notices) = match block {
        Some(text) => Config::from_deploy_json(&text),
        None => (Config::default(), Vec::new()),
    };
    let pairs = query_pairs();
    config_notices
        .extend(config.choose_from_link(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
    config.url_state = true;
    let host = document()
        .get_element_by_id("cg-inventory")
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    let app = move || view! { <App config=config config_notices=config_notices /> };
    // Mounting runs the wasm's first functions, which the browser
    // compiles on first call: in a task of its own, apart from finishing
    // the module (one ~120 ms task becomes two shorter ones).
    set_timeout(
        move || match host {
            Some(host) => leptos::mount::mount_to(host, app).forget(),
            None => leptos::mount::mount_to_body(app),
        },
        std::time::Duration::ZERO,
    );
}
