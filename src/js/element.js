// The <cg-inventory> custom element: the one-tag embed for any page.
//
//   <script type="module" src="https://host/cg-inventory.js"></script>
//   <cg-inventory shop="1234" storefront="https://www.my-store.com" currency="EUR"></cg-inventory>
//
// The code is fetched relative to this script's own URL. Each element
// renders inside its own open shadow root and is independent of the others.
// Nothing is downloaded until the element comes within about a screen of the
// viewport (`eager` loads at once), and with data saving on (Save-Data, 2G)
// not before the visitor asks.
import * as bundledBuild from './cg_inventory.js';

// The builds this loader chooses between, so that a page pays only for the
// parts its settings use (a blog showing one shop's records downloads no
// checkout, aggregator or paginated-source code): null here, in the npm
// package, which has one full build (imported above; the site's own bundler
// and lock file pin its files). The embed's loader
// (dist/embed/v{version}/cg-inventory.js, written by
// tests/tools/bundle-embed.mjs) has the table filled in, with each build's
// script and wasm file and their Subresource Integrity hashes, so the SRI
// hash of that one script pins everything that runs: a changed file fails
// to load.
const BUILDS = null;

/** A build's script or wasm could not be fetched with its integrity check. */
class IntegrityError extends Error {}

/**
 * The smallest build with every part `element`'s settings use (the keys of
 * BUILDS): `browse` (one shop's feed, items link to the shop), `checkout`
 * (`origin`: login, cart and checkout), `aggregator` (`shops-url` or
 * `shops`), `cursor` (`source="squarespace"`), and `full` for more than
 * one. It mirrors `Config::source` and the app's checkout condition
 * (src/core/config/source.rs, src/app/mod.rs) but never needs to be exact:
 * a setting the widget then ignores as invalid only costs a larger build.
 */
export function buildFor(element) {
  const parts = [];
  if (element.hasAttribute('origin')) parts.push('checkout');
  if (element.hasAttribute('shops-url') || element.hasAttribute('shops')) parts.push('aggregator');
  if ((element.getAttribute('source') ?? '').toLowerCase() === 'squarespace') parts.push('cursor');
  if (parts.length > 1) return 'full';
  return parts[0] ?? 'browse';
}

// Every setting of the widget (`CONFIG_PARAMS` in src/core/config.rs; a
// native test keeps the two lists the same).
const ATTRIBUTES = [
  'shop', 'cdn', 'feed', 'storefront', 'currency', 'locale', 'theme', 'url-state', 'timeout', 'heading-level',
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

// Where each build's script hands its `init` and `mount` to this loader:
// a map from the script's URL to the loader's callback, shared by every
// copy of the loader on the page (two versions, say) through one global
// symbol, so none replaces another's.
const REGISTRY = Symbol.for('cg-inventory.builds');

/** The nonce this loader's own <script> was allowed by, for a nonce-based CSP. */
function ownNonce() {
  return [...document.scripts].find((script) => script.src === import.meta.url)?.nonce ?? '';
}

/**
 * Runs `build`'s script (a wasm-bindgen glue module) with its integrity
 * check, as a <script type="module"> so the browser verifies it, and
 * resolves with the `init` and `mount` it registers.
 */
function importBuild(build) {
  const url = new URL(build.script, import.meta.url).href;
  const registry = (globalThis[REGISTRY] ??= new Map());
  return new Promise((resolve, reject) => {
    registry.set(url, resolve);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = url;
    script.integrity = build.scriptIntegrity;
    script.crossOrigin = 'anonymous';
    script.nonce = ownNonce();
    // A module script's load event fires after it ran: by then it has
    // registered, or it never will (another file was served).
    script.onload = () => reject(new IntegrityError(`${build.script} ran but did not start the widget.`));
    script.onerror = () => reject(new IntegrityError(`${build.script} could not be loaded and verified (${build.scriptIntegrity}): it was changed, or cannot be reached.`));
    document.head.append(script);
  }).finally(() => registry.delete(url));
}

async function fetchVerified(url, integrity) {
  try {
    return await fetch(url, { integrity });
  } catch (error) {
    throw new IntegrityError(`${url.pathname.split('/').pop()} could not be loaded and verified (${integrity}): it was changed, or cannot be reached. ${error}`);
  }
}

const started = new Map();
/**
 * Loads build `name` once for every element on the page that uses it, and
 * resolves with its `mount`.
 */
function start(name) {
  if (!started.has(name)) {
    const build = BUILDS?.[name];
    const loading = build
      ? importBuild(build).then(async ({ init, mount }) => {
          await init({ module_or_path: fetchVerified(new URL(build.wasm, import.meta.url), build.wasmIntegrity) });
          return mount;
        })
      : bundledBuild.default().then(() => bundledBuild.mount);
    // Mounting runs the wasm's first functions, which the browser compiles
    // on first call: a task of its own keeps that apart from finishing the
    // module (one ~120 ms task on the host page becomes two shorter ones).
    const ready = loading.then((mount) => new Promise((resolve) => setTimeout(() => resolve(mount), 0)));
    // A failed download may be retried by the next element (or reconnect).
    ready.catch(() => started.delete(name));
    started.set(name, ready);
  }
  return started.get(name);
}

export class CgInventoryElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #handle = null;
  // The build the handle runs in (a key of BUILDS).
  #build = null;
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

  connectedCallback() {
    this.#start();
  }

  /**
   * Mounts the widget in the build its settings need: once it is near the
   * viewport (and asked for, when saving data), or at once when `restart`
   * (it was already showing, in another build).
   */
  async #start(restart = false) {
    const generation = ++this.#generation;
    this.#waiting?.abort();
    this.#waiting = new AbortController();
    const { signal } = this.#waiting;
    try {
      if (!restart) {
        await nearViewport(this, signal);
        await askedFor(this, signal);
      }
      const build = buildFor(this);
      const mount = await start(build);
      if (generation !== this.#generation || !this.isConnected || this.#handle) return;
      this.#handle = mount(this, this.options);
      this.#build = build;
      // Settings changed while the build loaded may need another one.
      if (BUILDS && buildFor(this) !== build) this.#restart();
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

  #restart() {
    this.disconnectedCallback();
    this.#start(true);
  }

  disconnectedCallback() {
    this.#generation++;
    this.#waiting?.abort();
    this.#waiting = null;
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
      this.#build = null;
    }
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (!this.#handle || oldValue === newValue) return;
    if (BUILDS && buildFor(this) !== this.#build) {
      // The settings now use a part this build lacks (or no longer use
      // the one it was chosen for): start again in the build they need.
      this.#restart();
      return;
    }
    try {
      this.#handle.update(this.options);
    } catch (error) {
      this.#fail(error);
    }
  }
}

if (!customElements.get('cg-inventory')) customElements.define('cg-inventory', CgInventoryElement);

export { default as init, mount } from './cg_inventory.js';
