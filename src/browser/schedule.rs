//! Giving the page its turn: waits and yields between steps of long work
//! (indexing a feed, restoring or saving an index, idle work).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Lets the page handle input, paint and network tasks, then carries on:
/// `scheduler.postTask` where the browser has it, a task of normal priority
/// that is not clamped to 4 ms as a chain of zero timeouts soon is. Not
/// `scheduler.yield()`: its continuation runs ahead of the network tasks
/// that deliver the body, which slowed a 40 MB download from ~43 to ~17 MB/s.
pub async fn yield_to_page() {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into())
        .ok()
        .filter(JsValue::is_object);
    let post_task = scheduler.as_ref().and_then(|s| {
        js_sys::Reflect::get(s, &"postTask".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    if let (Some(scheduler), Some(post_task)) = (scheduler, post_task) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = post_task.call1(&scheduler, &resolve);
        });
        let _ = JsFuture::from(promise).await;
        return;
    }
    sleep(0).await;
}

/// Waits `ms` milliseconds, letting the browser run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}
