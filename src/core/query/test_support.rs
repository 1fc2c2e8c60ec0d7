//! Catalogues and views shared by the query engine's unit tests.

use super::QueryResult;
use crate::index::Catalogue;
use crate::view_state::ViewState;

/// A catalogue from compact item descriptions.
pub(super) fn catalogue(items: &[&str]) -> Catalogue {
    Catalogue::from_feed(format!("[{}]", items.join(",")).as_bytes()).unwrap()
}

pub(super) fn ids(catalogue: &Catalogue, result: &QueryResult) -> Vec<u64> {
    result
        .items
        .iter()
        .map(|&i| catalogue.item(i).id.unwrap())
        .collect()
}

pub(super) fn view(f: impl FnOnce(&mut ViewState)) -> ViewState {
    let mut view = ViewState::default();
    f(&mut view);
    view
}

pub(super) fn sample() -> Catalogue {
    catalogue(&[
        r#"{"id":1,"listings":[{"id":11,"prices":{"sale":20},"secondHand":true,"options":{"media":"VG"}}],
                "data":{"title":"Homogenic","artists":["Björk"],"genres":["Electronic"],"year":1997,"country":"Iceland"}}"#,
        r#"{"id":5,"listings":[{"id":51,"prices":{"sale":10}}],
                "data":{"title":"Ágætis byrjun","artists":["Sigur Rós"],"genres":["Rock"],"year":1999}}"#,
        r#"{"id":3,"listings":[{"id":31,"prices":{"sale":30},"secondHand":true,"options":[{"name":"Media Condition","value":"Near Mint (NM or M-)"}]},
                               {"id":32,"prices":{"sale":8},"secondHand":false}],
                "data":{"title":"Debut","artists":["Björk"],"genres":["Electronic","Pop"],"country":"UK"}}"#,
        r#"{"id":4,"listings":[{"id":41}],"data":{"title":"","genres":["Rock"],"year":1999}}"#,
    ])
}

/// "Debut" in a label, a whole title and part of a title, in that order.
pub(super) fn three_debuts() -> Catalogue {
    catalogue(&[
        r#"{"id":1,"listings":[{"id":1}],"data":{"title":"Other","artists":["X"],"labels":["Debut Records"]}}"#,
        r#"{"id":2,"listings":[{"id":2}],"data":{"title":"Debut","artists":["Björk"]}}"#,
        r#"{"id":3,"listings":[{"id":3}],"data":{"title":"The Debut Album","artists":["Y"]}}"#,
    ])
}

/// A generated shop: repeated titles, long Unicode titles, missing keys.
pub(super) fn generated(items: usize) -> Catalogue {
    Catalogue::from_feed(
        cg_emulator::generator::generate_feed(items, 3, "http://127.0.0.1:8080").as_bytes(),
    )
    .unwrap()
}
