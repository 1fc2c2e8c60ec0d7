// The <cg-inventory> custom element: the one-tag embed for any page.
//
//   <script type="module" src="https://host/cg-inventory.js"></script>
//   <cg-inventory shop="1234" storefront="https://www.my-store.com" currency="EUR"></cg-inventory>
//
// The wasm module is fetched relative to this script's own URL. Each element
// renders inside its own open shadow root and is independent of the others.
import init, { mount } from './cg_inventory.js';

// The wasm module's Subresource Integrity hash. null here (the npm package,
// where the site's own bundler and lock file pin the files); the one-file
// embed loader (dist/embed/v{version}/cg-inventory.js, written by
// tests/tools/bundle-embed.mjs) has it filled in, so the SRI hash of that
// one script pins everything that runs: a changed module fails to load.
const WASM_INTEGRITY = null;

/** The module could not be fetched with its integrity check. */
class IntegrityError extends Error {}

async function fetchVerified(url) {
  try {
    return await fetch(url, { integrity: WASM_INTEGRITY });
  } catch (error) {
    throw new IntegrityError(`cg_inventory_bg.wasm could not be loaded and verified (${WASM_INTEGRITY}): it was changed, or cannot be reached. ${error}`);
  }
}

// Every setting of the widget (`CONFIG_PARAMS` in src/core/config.rs; a
// native test keeps the two lists the same).
const ATTRIBUTES = [
  'shop', 'cdn', 'feed', 'storefront', 'currency', 'locale', 'theme', 'url-state', 'timeout',
  'origin', 'api', 'checkout-url',
  'shops-url', 'shops',
  'source', 'inventory-url', 'product-url', 'page-cap',
];
const camelCase = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

let started;
/** Loads the wasm module once for every element on the page. */
function start() {
  const url = new URL('./cg_inventory_bg.wasm', import.meta.url);
  started ??= init({ module_or_path: WASM_INTEGRITY ? fetchVerified(url) : url })
    // Mounting runs the wasm's first functions, which the browser compiles
    // on first call: a task of its own keeps that apart from finishing the
    // module (one ~120 ms task on the host page becomes two shorter ones).
    .then(() => new Promise((resolve) => setTimeout(resolve, 0)));
  return started;
}

export class CgInventoryElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #handle = null;
  // Bumped on every connect and disconnect, so a mount that finishes after
  // the element was removed (or re-added) is dropped.
  #generation = 0;

  /** The element's attributes as mount options. */
  get options() {
    const options = {};
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name);
      if (value !== null) options[camelCase(name)] = value;
    }
    return options;
  }

  async connectedCallback() {
    const generation = ++this.#generation;
    try {
      await start();
      if (generation !== this.#generation || !this.isConnected || this.#handle) return;
      this.#handle = mount(this, this.options);
    } catch (error) {
      // Never a blank space on the page: say so, and tell the host.
      this.#fail(error);
    }
  }

  #fail(error) {
    const message = error instanceof IntegrityError
      ? 'The catalogue cannot be shown: its code could not be loaded and verified.'
      : 'The catalogue cannot be shown in this browser.';
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const note = document.createElement('p');
    note.setAttribute('role', 'alert');
    note.setAttribute('part', 'error');
    note.textContent = message;
    root.replaceChildren(note);
    this.dispatchEvent(new CustomEvent('cg-error', { detail: { message: `${message} ${error}` }, bubbles: true, composed: true }));
  }

  disconnectedCallback() {
    this.#generation++;
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
    }
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (!this.#handle || oldValue === newValue) return;
    try {
      this.#handle.update(this.options);
    } catch (error) {
      this.#fail(error);
    }
  }
}

if (!customElements.get('cg-inventory')) customElements.define('cg-inventory', CgInventoryElement);

export { init, mount };
