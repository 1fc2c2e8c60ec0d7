//! Components in a real browser (headless Chromium via wasm-bindgen-test):
//! feed text stays text, links stay on the shop, inputs drive the view.
#![cfg(target_arch = "wasm32")]

use cg_inventory::browser::PriceFormat;
use cg_inventory::components::{CatalogueView, DisplayContext};
use cg_inventory::core::{Catalogue, Facet, ViewState};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FEED: &str = r#"[
  {"type":"ReleaseItem","id":1,"path":"/release/1/homogenic","listings":[{"id":11,"prices":{"sale":20,"compare":25}}],
   "data":{"title":"Homogenic","artists":["Björk"],"genres":["Electronic"],"year":1997,"images":["javascript:alert(1)"]}},
  {"type":"ReleaseItem","id":2,"path":"javascript:alert(2)","listings":[{"id":21,"prices":{"sale":12.5},"secondHand":true,"options":{"mediaCondition":"VG+"}}],
   "data":{"title":"<script>window.pwned=1</script>","artists":["<img src=x onerror=window.pwned=2>"],"genres":["Rock"],"images":["https://img.example/2.jpg\" onerror=\"window.pwned=3"]}},
  {"type":"BookItem","id":3,"path":"//evil.example/x","listings":[{"id":31,"prices":{"sale":9}}],
   "data":{"title":"Dub","authors":["Michael Veal"]}},
  "not an item"
]"#;

/// Lets Leptos effects and the browser run.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn mount(
    view: RwSignal<ViewState>,
) -> (
    web_sys::HtmlElement,
    leptos::mount::UnmountHandle<impl Mountable>,
) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let catalogue = Arc::new(Catalogue::from_feed(FEED.as_bytes()).unwrap());
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(DisplayContext {
            storefront: Some("https://shop.example".into()),
            price_format: PriceFormat {
                currency: Some("EUR".into()),
                locale: Some("en-GB".into()),
            },
            on_event: None,
            ..DisplayContext::default()
        });
        view! { <CatalogueView catalogue=catalogue view=view /> }
    });
    (host, handle)
}

fn count_text(host: &web_sys::HtmlElement) -> String {
    host.query_selector("[role=status]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn feed_text_is_rendered_as_text_and_only_shop_links_are_made() {
    let view = RwSignal::new(ViewState::default());
    let (host, _handle) = mount(view);
    tick().await;
    assert_eq!(count_text(&host), "3 items");
    assert!(host.query_selector("script").unwrap().is_none());
    assert!(host.query_selector("img[onerror]").unwrap().is_none());
    let text = host.text_content().unwrap();
    assert!(text.contains("<script>window.pwned=1</script>"));
    assert!(text.contains("1 item could not be read."));
    assert!(
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into())
            .unwrap()
            .is_undefined()
    );

    let links = host.query_selector_all("a[href]").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| {
            links
                .item(i)
                .unwrap()
                .dyn_into::<web_sys::Element>()
                .unwrap()
                .get_attribute("href")
                .unwrap()
        })
        .collect();
    // The javascript: and //evil paths drop the link, not the item.
    assert_eq!(hrefs, ["https://shop.example/release/1/homogenic"]);
    let link = host.query_selector("a.cg-link").unwrap().unwrap();
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener"));
    let images = host.query_selector_all("img").unwrap();
    assert_eq!(
        images.length(),
        0,
        "neither javascript: nor attribute-breaking image URLs are shown"
    );
}

#[wasm_bindgen_test]
async fn typing_and_ticking_a_facet_update_the_view_and_count() {
    let view = RwSignal::new(ViewState::default());
    let (host, _handle) = mount(view);
    tick().await;
    let input: web_sys::HtmlInputElement = host
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(input
        .get_attribute("aria-label")
        .unwrap()
        .contains("Search"));
    input.set_value("BJORK");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(view.get_untracked().query, "BJORK");
    assert_eq!(count_text(&host), "1 item");

    input.set_value("");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    tick().await;
    let boxes = host
        .query_selector_all("fieldset.cg-facet input[type=checkbox]")
        .unwrap();
    let rock = (0..boxes.length())
        .map(|i| {
            boxes
                .item(i)
                .unwrap()
                .dyn_into::<web_sys::HtmlInputElement>()
                .unwrap()
        })
        .find(|b| {
            b.parent_element()
                .unwrap()
                .text_content()
                .unwrap()
                .starts_with("Rock")
        })
        .expect("a Rock checkbox");
    rock.click();
    tick().await;
    assert_eq!(view.get_untracked().selected(Facet::Genre), ["Rock"]);
    assert_eq!(count_text(&host), "1 item");
    assert!(rock.checked());
}

#[wasm_bindgen_test]
async fn keystrokes_are_applied_after_the_input_event_the_last_text_once() {
    let view = RwSignal::new(ViewState::default());
    let (host, _handle) = mount(view);
    tick().await;
    let queries = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        let query = view.with(|v| v.query.clone());
        queries.update(|all| all.push(query));
    });
    tick().await;
    let input: web_sys::HtmlInputElement = host
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    for text in ["h", "ho", "hom"] {
        input.set_value(text);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    }
    // Not within the input event: the results change in a task of their own.
    assert_eq!(view.get_untracked().query, "");
    tick().await;
    assert_eq!(view.get_untracked().query, "hom");
    assert_eq!(
        queries.get_untracked(),
        ["", "hom"],
        "one update, with the last text"
    );
    assert_eq!(count_text(&host), "1 item");
}

#[wasm_bindgen_test]
async fn an_empty_result_offers_to_clear_filters() {
    let view = RwSignal::new(ViewState {
        query: "no such record".into(),
        ..ViewState::default()
    });
    let (host, _handle) = mount(view);
    tick().await;
    assert_eq!(count_text(&host), "0 items");
    let clear: web_sys::HtmlElement = host
        .query_selector(".cg-empty button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(clear.text_content().unwrap(), "Clear filters");
    clear.click();
    tick().await;
    assert_eq!(count_text(&host), "3 items");
}

#[wasm_bindgen_test]
fn prices_use_the_browser_currency_formatting() {
    let euro = PriceFormat {
        currency: Some("EUR".into()),
        locale: Some("de-DE".into()),
    };
    assert_eq!(euro.format(1250).replace('\u{a0}', " "), "12,50 €");
    let plain = PriceFormat::default();
    assert_eq!(plain.format(1250), "12.50");
    // A currency the browser rejects falls back to plain numbers with the code.
    let odd = PriceFormat {
        currency: Some("EUR".into()),
        locale: Some("x-invalid-locale-tag-".into()),
    };
    assert!(odd.format(100).contains("1"));
}

/// A lookup of the saved index that nobody awaits (a widget gone before it
/// loaded) and that fails (storage blocked, as in some private windows)
/// must not show up on the host page as an unhandled promise rejection.
#[wasm_bindgen_test]
async fn a_failed_early_lookup_of_the_saved_index_is_not_an_unhandled_rejection() {
    let window = web_sys::window().unwrap();
    let unhandled = js_sys::Array::new();
    let on_unhandled = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new({
        let unhandled = unhandled.clone();
        move |event: web_sys::Event| {
            // Kept from the test runner's console; counted here.
            event.prevent_default();
            unhandled.push(&event);
        }
    });
    window
        .add_event_listener_with_callback(
            "unhandledrejection",
            on_unhandled.as_ref().unchecked_ref(),
        )
        .unwrap();
    let failing_match = js_sys::Function::new_no_args(
        "const original = CacheStorage.prototype.match;
         CacheStorage.prototype.match = () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError'));
         return () => { CacheStorage.prototype.match = original; };",
    );
    let restore_match: js_sys::Function = failing_match
        .call0(&JsValue::NULL)
        .unwrap()
        .dyn_into()
        .unwrap();
    cg_inventory::load::look_up_saved_index_early("https://cdn.example/shops/1/inventory.json");
    // A rejection is reported as unhandled after the microtasks that could
    // have handled it; two tasks later it would have been.
    tick().await;
    tick().await;
    restore_match.call0(&JsValue::NULL).unwrap();
    window
        .remove_event_listener_with_callback(
            "unhandledrejection",
            on_unhandled.as_ref().unchecked_ref(),
        )
        .unwrap();
    assert_eq!(
        unhandled.length(),
        0,
        "the failed lookup was reported as an unhandled rejection"
    );
}
