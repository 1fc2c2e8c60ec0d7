// The <cg-inventory> custom element: the one-tag embed for any page.
//
//   <script type="module" src="https://host/cg-inventory.js"></script>
//   <cg-inventory shop="1234" storefront="https://www.my-store.com" currency="EUR"></cg-inventory>
//
// The wasm module is fetched relative to this script's own URL. Each element
// renders inside its own open shadow root and is independent of the others.
// Nothing is downloaded until the element comes within about a screen of the
// viewport (`eager` loads at once), and with data saving on (Save-Data, 2G)
// not before the visitor asks.
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

/**
 * Resolves once `element` is within about a screen of the viewport, so a
 * widget far down a partner's post costs its visitors nothing (no code, no
 * feed) until they scroll towards it. At once with the `eager` attribute or
 * without IntersectionObserver. `signal` aborts the wait (the element left
 * the page); the promise then never settles.
 */
function nearViewport(element, signal) {
  if (element.hasAttribute('eager') || typeof IntersectionObserver !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    // A root margin of 100% is one viewport height above and below.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        resolve();
      }
    }, { rootMargin: '100% 0px' });
    observer.observe(element);
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  });
}

/** Whether the visitor asked to save data, or is on a 2G connection. */
function savesData() {
  const connection = navigator.connection;
  return Boolean(connection && (connection.saveData || /(^|-)2g$/.test(connection.effectiveType ?? '')));
}

/**
 * With data saving on, resolves when the visitor asks for the catalogue:
 * until then the element shows one button, and neither the code nor the
 * feed is downloaded.
 */
function askedFor(element, signal) {
  if (!savesData()) return Promise.resolve();
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const panel = document.createElement('div');
  panel.setAttribute('part', 'data-saver');
  const note = document.createElement('p');
  note.textContent = 'Data saver is on: the record catalogue loads when you ask for it.';
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('part', 'load-button');
  button.textContent = 'Show the catalogue';
  panel.append(note, button);
  root.replaceChildren(panel);
  return new Promise((resolve) => {
    button.addEventListener('click', () => {
      note.textContent = 'Loading the catalogue…';
      button.disabled = true;
      resolve();
    }, { once: true });
    signal.addEventListener('abort', () => root.replaceChildren(), { once: true });
  });
}

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
  // Aborted on disconnect: stops waiting for the viewport or the button.
  #waiting = null;

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
    this.#waiting?.abort();
    this.#waiting = new AbortController();
    const { signal } = this.#waiting;
    try {
      await nearViewport(this, signal);
      await askedFor(this, signal);
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
    this.#waiting?.abort();
    this.#waiting = null;
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
