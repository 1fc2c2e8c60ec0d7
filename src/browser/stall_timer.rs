//! Aborts a request after a stretch of silence.

use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Aborts a fetch when no byte has arrived for a while.
pub struct StallTimer {
    controller: Option<web_sys::AbortController>,
    fired: Rc<Cell<bool>>,
    handle: Cell<Option<i32>>,
    callback: Closure<dyn FnMut()>,
    timeout_ms: i32,
}

impl StallTimer {
    pub fn new(timeout_ms: u32) -> StallTimer {
        let controller = web_sys::AbortController::new().ok();
        let fired = Rc::new(Cell::new(false));
        let callback = {
            let controller = controller.clone();
            let fired = fired.clone();
            Closure::<dyn FnMut()>::new(move || {
                fired.set(true);
                if let Some(controller) = &controller {
                    controller.abort();
                }
            })
        };
        let timer = StallTimer {
            controller,
            fired,
            handle: Cell::new(None),
            callback,
            timeout_ms: timeout_ms as i32,
        };
        timer.restart();
        timer
    }

    /// The signal to abort with; `None` where `AbortController` is missing,
    /// in which case a stalled download simply waits.
    pub fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    pub fn restart(&self) {
        self.stop();
        let handle = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                self.callback.as_ref().unchecked_ref(),
                self.timeout_ms,
            )
            .ok();
        self.handle.set(handle);
    }

    pub fn stop(&self) {
        if let Some(handle) = self.handle.take() {
            window().clear_timeout_with_handle(handle);
        }
    }

    /// Whether this timer aborted the request.
    pub fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for StallTimer {
    fn drop(&mut self) {
        self.stop();
    }
}
