//! The browser's Web Storage (keys: `core::account_scope`). Storage can be missing or refuse
//! writes (private windows, blocked cookies, full quota): every failure
//! leaves the widget working from memory.

use leptos::prelude::*;

/// Which storage a value lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// Survives reloads and restarts: the cart.
    Local,
    /// Ends with the tab: the login session.
    #[cfg(feature = "checkout")]
    Session,
}

fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = window();
    match store {
        Store::Local => window.local_storage(),
        #[cfg(feature = "checkout")]
        Store::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

pub fn read(store: Store, key: &str) -> Option<String> {
    storage(store)?.get_item(key).ok().flatten()
}

/// Saves `value`; `false` when the browser refused.
pub fn write(store: Store, key: &str, value: &str) -> bool {
    storage(store).is_some_and(|s| s.set_item(key, value).is_ok())
}

#[cfg(feature = "checkout")]
pub fn remove(store: Store, key: &str) {
    if let Some(storage) = storage(store) {
        let _ = storage.remove_item(key);
    }
}
