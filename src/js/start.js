// The standalone page's start-up: what trunk would otherwise inline into
// index.html, as a file of its own so the page's Content-Security-Policy
// needs no 'unsafe-inline' (`script-src 'self'`). Trunk.toml's
// `pattern_script` loads it as `start.js?js=<glue>&wasm=<module>`, with the
// hashed names of this build.
const params = new URL(import.meta.url).searchParams;
const name = (key, suffix) => {
  const value = params.get(key) ?? '';
  // Files beside this one, nothing else.
  if (!/^[\w.-]+$/.test(value) || value.startsWith('.') || !value.endsWith(suffix)) {
    throw new Error(`start.js: bad ${key} parameter`);
  }
  return new URL(value, import.meta.url);
};
const glue = name('js', '.js');
const module = name('wasm', '.wasm');

// The wasm is fetched with the integrity trunk wrote on its preload link, so
// the fetch uses the preloaded response and a changed module fails to load.
const preload = [...document.querySelectorAll('link[rel=preload][as=fetch]')].find((link) => link.href === module.href);
const integrity = preload?.integrity || undefined;

let bindings, wasm;
try {
  bindings = await import(glue.href);
  wasm = await bindings.default({ module_or_path: fetch(module, { integrity }) });
} catch (error) {
  // Never a blank page: say so (a changed module, no WebAssembly, a
  // blocked download), and leave the details to the console.
  const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.textContent = 'The catalogue cannot be shown in this browser.';
  document.getElementById('cg-inventory')?.replaceChildren(note);
  throw error;
}

// As trunk's own start-up does (the benchmarks listen for the event).
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
