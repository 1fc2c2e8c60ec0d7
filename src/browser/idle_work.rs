//! Work done ahead of the shopper in idle moments after loading, in steps
//! between which the page runs.

use super::schedule::sleep;
use crate::core::{Catalogue, SortKey};

/// Items sorted and merged per step: about 10 ms in the browser at 50,000
/// items, where a whole order at once was a task of ~60 ms.
const ITEMS_PER_STEP: usize = 8_192;

/// Builds the order of every sort `catalogue` offers, a step per task, so
/// no later click on a sort pays for its order.
pub async fn prepare_sorts(catalogue: &Catalogue) {
    for sort in SortKey::ALL
        .into_iter()
        .filter(|&s| catalogue.offers_sort(s))
    {
        loop {
            sleep(0).await;
            if catalogue.prepare_sort_part(sort, ITEMS_PER_STEP) {
                break;
            }
        }
    }
}

/// Runs each kind of query once, a task each, and drops the answers (see
/// [`Catalogue::warm_up_views`]): the first keystroke and the first facet
/// click were each ~20 ms slower than the next ones, compiling the code
/// they ran.
pub async fn warm_up_queries(catalogue: &Catalogue) {
    for view in catalogue.warm_up_views() {
        sleep(0).await;
        drop(catalogue.query(&view));
    }
}
