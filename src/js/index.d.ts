/** Options of `mount()`: the `<cg-inventory>` attributes in camelCase. */
export interface CgInventoryOptions {
  /** The shop's id; the feed is `{cdn}/shops/{shop}/inventory.json`. */
  shop?: string;
  /** The CDN host. Default `https://static.common-ground.io`. */
  cdn?: string;
  /** A full feed URL, overriding `shop` and `cdn`. */
  feed?: string;
  /** The shop's storefront URL; every item links to it plus the item path. */
  storefront?: string;
  /** ISO 4217 currency code for prices; without it prices are plain numbers. */
  currency?: string;
  /** BCP 47 locale for number formatting. */
  locale?: string;
  /** Colour scheme; `auto` (default) follows `prefers-color-scheme`. */
  theme?: 'light' | 'dark' | 'auto';
  /** Keep the view in the page URL (default off for embeds). */
  urlState?: boolean | 'on' | 'off';
  /** Seconds without a byte from the CDN before a download is abandoned (1–300, default 20). */
  timeout?: number | string;
  /** The level (1–5) of the widget's own heading; its cards' and panels' headings are one below. Default 2. */
  headingLevel?: number | string;
  /** The shop's configured domain, sent as `commonground-origin`; enables login, cart and checkout. */
  origin?: string;
  /** The Client API (GraphQL) endpoint. Default `https://api-client.common-ground.io/graphql`. */
  api?: string;
  /** Where the buyer pays: an http(s) URL with a `{checkoutId}` placeholder. Default `{storefront}/checkout/{checkoutId}`. */
  checkoutUrl?: string;
  /** Aggregator mode: a URL on the partner's own server serving the Common Ground shop list (the partner token stays there). */
  shopsUrl?: string;
  /** Comma-separated shop ids (`1234,5678`): with `shopsUrl`, only these shops of the list; alone, a small fixed set whose items cannot link back (no list gives their storefronts). */
  shops?: string;
  /** `squarespace` reads the cursor-paginated inventory at `inventoryUrl` instead of a feed. Default `feed`. */
  source?: 'feed' | 'squarespace';
  /** The partner's proxy of the Squarespace-style inventory endpoint (it adds the secret API key). */
  inventoryUrl?: string;
  /** Product page template for that inventory: `{sku}` and/or `{variantId}` are filled in. */
  productUrl?: string;
  /** Pages of that inventory followed at most (1–100,000, default 1,000). */
  pageCap?: number | string;
}

/** A mounted widget. */
export interface WidgetHandle {
  /** Re-configures the widget. */
  update(options: CgInventoryOptions): void;
  /** Unmounts the widget and frees its state. */
  destroy(): void;
  /** Releases the handle itself (after `destroy()`). */
  free(): void;
}

/** `cg-ready`: the catalogue loaded. */
export type CgReadyEvent = CustomEvent<{ items: number }>;
/** `cg-error`: loading failed, with the message shown to the shopper. */
export type CgErrorEvent = CustomEvent<{ message: string }>;
/** `cg-view-item`: the shopper followed an item's link to the shop. */
export type CgViewItemEvent = CustomEvent<{ itemId: number | null; url: string }>;
/** `cg-checkout`: the cart went to a checkout; the buyer is being sent to `url` to pay. */
export type CgCheckoutEvent = CustomEvent<{ checkoutId: string; url: string }>;

declare global {
  interface HTMLElementEventMap {
    'cg-ready': CgReadyEvent;
    'cg-error': CgErrorEvent;
    'cg-view-item': CgViewItemEvent;
    'cg-checkout': CgCheckoutEvent;
  }
  interface HTMLElementTagNameMap {
    'cg-inventory': CgInventoryElement;
  }
}

/** The `<cg-inventory>` element class (registered on import of `cg-inventory/element`). */
export declare class CgInventoryElement extends HTMLElement {
  readonly options: CgInventoryOptions;
}

/** Loads the wasm module; call once before `mount()`. */
export default function init(input?: { module_or_path?: string | URL | Request | BufferSource | WebAssembly.Module }): Promise<unknown>;

/** Renders the widget inside `element`'s open shadow root. */
export function mount(element: HTMLElement, options: CgInventoryOptions): WidgetHandle;
