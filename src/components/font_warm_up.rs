use leptos::prelude::*;

/// Hidden text in each font and size a result card uses, laid out while
/// the feed loads. The first text laid out in a font and size makes the
/// browser find that font (in Chromium on Linux, a round trip to the
/// browser process for each): 20–40 ms that otherwise fell in the frame
/// of the first results, making it a long task. Rendered with the card's
/// own classes, so it follows the stylesheet.
#[component]
pub fn FontWarmUp() -> impl IntoView {
    // Letters, digits and the symbols cards show (a currency sign, the
    // ellipsis of a cut line).
    const SAMPLE: &str = "Aa1 €$£ …";
    view! {
        <ul class="cg-font-warmup" aria-hidden="true">
            <li class="cg-card">
                <div class="cg-title">{SAMPLE}</div>
                <p class="cg-artists">{SAMPLE}</p>
                <p class="cg-meta">{SAMPLE}</p>
                <ul class="cg-offers">
                    <li class="cg-offer">
                        <span class="cg-condition">{SAMPLE}<span class="cg-grade">{SAMPLE}</span></span>
                        <span class="cg-price"><s class="cg-compare">{SAMPLE}</s>{SAMPLE}</span>
                        <span class="cg-stock">{SAMPLE}</span>
                    </li>
                </ul>
            </li>
        </ul>
    }
}
