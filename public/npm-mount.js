// What an npm user writes: load the module, mount into an element, listen.
// (Bundlers resolve `cg-inventory`; this demo imports the embed's full build, which
// exports the same `init` and `mount`.)
import init, { mount } from '../embed/v0.1.0/cg_inventory_full.js';

await init({ module_or_path: new URL('../embed/v0.1.0/cg_inventory_full_bg.wasm', import.meta.url) });
const host = document.querySelector('#widget');
host.addEventListener('cg-ready', (event) => {
  document.title = `${event.detail.items} records`;
});
window.widget = mount(host, {
  feed: '/shops/1234/inventory.json',
  storefront: 'https://www.my-store.com',
  currency: 'EUR',
});
