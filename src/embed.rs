//! The JavaScript API: `mount(element, options)` renders the widget inside
//! the element's open shadow root, with its styles inside that root, and
//! returns a handle with `update(options)` and `destroy()`. The
//! `<cg-inventory>` custom element (`src/js/element.js`) is built on it.

use crate::components::WidgetEvent;
use crate::core::config::attribute_name;
use crate::core::Config;
use crate::App;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The widget's stylesheet, adopted by each shadow root: constructed
/// stylesheets need no `style-src 'unsafe-inline'` under a strict CSP.
const STYLES: &str = include_str!("../style/main.css");

/// A mounted widget.
#[wasm_bindgen]
pub struct WidgetHandle {
    element: web_sys::HtmlElement,
    /// Dropping the Leptos handle unmounts the view and disposes its state.
    mounted: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Re-configures the widget with new options (camelCase attribute names).
    pub fn update(&mut self, options: JsValue) -> Result<(), JsValue> {
        self.mounted = None;
        self.mounted = Some(render(&self.element, &options)?);
        Ok(())
    }

    /// Unmounts the widget and frees its state.
    pub fn destroy(&mut self) {
        self.mounted = None;
        if let Some(root) = self.element.shadow_root() {
            root.set_inner_html("");
        }
    }
}

/// Renders the widget into `element`'s shadow root (created open if needed).
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<WidgetHandle, JsValue> {
    console_error_panic_hook::set_once();
    let mounted = render(&element, &options)?;
    Ok(WidgetHandle {
        element,
        mounted: Some(mounted),
    })
}

fn render(
    element: &web_sys::HtmlElement,
    options: &JsValue,
) -> Result<Box<dyn std::any::Any>, JsValue> {
    let pairs = option_pairs(options);
    let (config, notices) =
        Config::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let root = match element.shadow_root() {
        Some(root) => root,
        None => {
            element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?
        }
    };
    root.set_inner_html("");
    let owner_document = element.owner_document().unwrap_or_else(document);
    if adopt_styles(&root).is_err() {
        // Browsers without constructed stylesheets (Safari before 16.4): a
        // <style> in the shadow root instead, which only a strict
        // `style-src` would refuse there.
        let style = owner_document.create_element("style")?;
        style.set_text_content(Some(STYLES));
        root.append_child(&style)?;
    }
    let container: web_sys::HtmlElement = owner_document.create_element("div")?.unchecked_into();
    container.set_class_name("cg-host");
    root.append_child(&container)?;

    let target = SendWrapper::new(element.clone());
    let on_event = Callback::new(move |event: WidgetEvent| dispatch(&target, event));
    let handle = leptos::mount::mount_to(
        container,
        move || view! { <App config=config config_notices=notices on_event=on_event /> },
    );
    Ok(Box::new(handle))
}

/// Gives `root` the widget's styles as a constructed stylesheet.
fn adopt_styles(root: &web_sys::ShadowRoot) -> Result<(), JsValue> {
    // Setting the property where it does not exist would only add a plain
    // one, and the styles would silently not apply.
    if !js_sys::Reflect::has(root, &"adoptedStyleSheets".into())? {
        return Err(JsValue::from_str("no adoptedStyleSheets"));
    }
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(STYLES)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}

/// Reads a JS options object into attribute-style name/value pairs.
fn option_pairs(options: &JsValue) -> Vec<(String, String)> {
    let Some(object) = options.dyn_ref::<js_sys::Object>() else {
        return Vec::new();
    };
    js_sys::Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let entry: js_sys::Array = entry.unchecked_into();
            let name = entry.get(0).as_string()?;
            let value = entry.get(1);
            let text = value
                .as_string()
                .or_else(|| value.as_f64().map(|n| n.to_string()))
                .or_else(|| {
                    value
                        .as_bool()
                        .map(|b| if b { "on" } else { "off" }.to_owned())
                })?;
            Some((attribute_name(&name), text))
        })
        .collect()
}

/// Fires a `CustomEvent` from the host element; it crosses the shadow
/// boundary so listeners on the page see it.
fn dispatch(element: &web_sys::HtmlElement, event: WidgetEvent) {
    let detail = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
    };
    let name = match event {
        WidgetEvent::Ready { items } => {
            set("items", (items as f64).into());
            "cg-ready"
        }
        WidgetEvent::Error { message } => {
            set("message", message.into());
            "cg-error"
        }
        WidgetEvent::ViewItem { item_id, url } => {
            set(
                "itemId",
                item_id.map_or(JsValue::NULL, |id| (id as f64).into()),
            );
            set("url", url.into());
            "cg-view-item"
        }
        WidgetEvent::Checkout { checkout_id, url } => {
            set("checkoutId", checkout_id.into());
            set("url", url.into());
            "cg-checkout"
        }
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = element.dispatch_event(&event);
    }
}
