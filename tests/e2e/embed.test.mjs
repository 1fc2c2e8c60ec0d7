// The <cg-inventory> element and the npm package on pages the widget does
// not control.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBED_PATH, ROOT, launchBrowser, newPage, shownItems, startEmulator, widgetCount } from './harness.mjs';

let emulator, browser, shopItems;

before(async () => {
  emulator = await startEmulator(['--shop', '1234=400']);
  browser = await launchBrowser();
  shopItems = shownItems(await emulator.feedJson('/shops/1234/inventory.json')).length;
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

async function waitForWidgetCount(page, selector, expected) {
  await page.waitForFunction(
    ([sel, n]) => {
      const status = document.querySelector(sel)?.shadowRoot?.querySelector('[role=status]');
      return status && Number((status.textContent.match(/\d+/) || [])[0]) === n;
    },
    [selector, expected],
    { timeout: 30000 },
  );
}

/** Computed styles of the widget's key elements, read inside its shadow root. */
function widgetStyles(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cg-inventory').shadowRoot;
    const pick = (selector, props) => {
      const element = root.querySelector(selector);
      const style = getComputedStyle(element);
      return Object.fromEntries(props.map((p) => [`${selector} ${p}`, style.getPropertyValue(p)]));
    };
    return {
      ...pick('.cg-root', ['font-size', 'font-family', 'color', 'line-height', 'display', 'box-sizing']),
      // Layout widths follow the host's container and are not compared.
      ...pick('.cg-search-input', ['font-size', 'display', 'padding-top', 'box-sizing', 'border-top-width']),
      ...pick('.cg-results', ['display', 'row-gap']),
      ...pick('.cg-card', ['display', 'padding-top', 'background-color']),
      ...pick('a.cg-link', ['color', 'text-decoration-line']),
      ...pick('.cg-title', ['font-size', 'font-weight']),
      ...pick('.cg-clear', ['font-size', 'display']),
      ...pick('fieldset.cg-facet', ['display']),
    };
  });
}

describe('the <cg-inventory> element', () => {
  test('renders and filters inside its shadow root under hostile CSS, styled as on a clean page', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/partner-blog.html`);
    assert.equal(await widgetCount(page, 'cg-inventory'), shopItems);
    const hostile = await widgetStyles(page);
    // The host's --cg-accent themes the widget (it inherits into the root).
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('cg-inventory').shadowRoot.querySelector('.cg-clear')).color), 'rgb(11, 110, 79)');
    // The same page without its hostile stylesheet is the clean reference.
    await page.evaluate(() => document.querySelector('head style').remove());
    const clean = await widgetStyles(page);
    assert.deepEqual(hostile, { ...clean, '.cg-root color': hostile['.cg-root color'] });
    assert.equal(hostile['.cg-root font-size'], '15px');
    // It still filters.
    await page.locator('cg-inventory').getByRole('searchbox', { name: /Search/ }).fill('zzzzqqq');
    await waitForWidgetCount(page, 'cg-inventory', 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("the widget's CSS does not leak into the host page, nor the host URL change", async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/partner-blog.html`);
    const before = await page.evaluate(() => {
      const note = document.querySelector('.host-note');
      return { note: getComputedStyle(note).color, size: getComputedStyle(document.body).fontSize, link: getComputedStyle(note.querySelector('a')).color };
    });
    await widgetCount(page, 'cg-inventory');
    const url = page.url();
    await page.locator('cg-inventory').getByRole('checkbox').first().check();
    const afterLoad = await page.evaluate(() => {
      const note = document.querySelector('.host-note');
      return { note: getComputedStyle(note).color, size: getComputedStyle(document.body).fontSize, link: getComputedStyle(note.querySelector('a')).color };
    });
    assert.deepEqual(afterLoad, before);
    assert.deepEqual(before, { note: 'rgb(0, 128, 0)', size: '32px', link: 'rgb(255, 0, 0)' });
    assert.equal(page.url(), url, 'url-state is off by default in an embed');
    assert.deepEqual(await page.context().cookies(), []);
    assert.equal(await page.evaluate(() => document.cookie), '');
    await page.close();
  });

  test("the widget's own width, not the window's, stacks the filters behind a button", async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/partner-blog.html`);
    assert.equal(await widgetCount(page, 'cg-inventory'), shopItems);
    const widget = page.locator('cg-inventory');
    const toggle = widget.getByRole('button', { name: /^Filters/ });
    const genre = widget.locator('fieldset').filter({ has: page.locator('legend', { hasText: /^Genre$/ }) });
    // The blog's column: its CSS leaves the element itself inline.
    const setWidth = (width) => page.evaluate((w) => { document.querySelector('article').style.width = w; }, width);
    // A narrow column of a wide window.
    await setWidth('600px');
    await toggle.waitFor({ state: 'visible' });
    assert.equal(await genre.isVisible(), false);
    await setWidth('1100px');
    await toggle.waitFor({ state: 'hidden' });
    assert.ok(await genre.isVisible());
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('two instances for two shops keep separate state', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const second = shownItems(await emulator.feedJson('/feeds/gen/300.json')).length;
    assert.equal(await widgetCount(page, '#first'), shopItems);
    assert.equal(await widgetCount(page, '#second'), second);
    assert.match(await page.locator('#first .cg-sale').first().textContent(), /€/);
    await page.locator('#first').getByRole('searchbox', { name: /Search/ }).fill('zzzzqqq');
    await waitForWidgetCount(page, '#first', 0);
    assert.equal(await widgetCount(page, '#second'), second);
    assert.equal(await page.locator('#second').getByRole('searchbox', { name: /Search/ }).inputValue(), '');
    assert.match(await page.locator('#second .cg-root').getAttribute('class'), /cg-theme-dark/);
    const background = (selector) =>
      page.evaluate((s) => getComputedStyle(document.querySelector(s).shadowRoot.querySelector('.cg-root')).backgroundColor, selector);
    assert.equal(await background('#second'), 'rgb(20, 20, 22)', 'theme="dark" gives the dark palette');
    assert.equal(await background('#first'), 'rgb(255, 255, 255)', 'theme="auto" follows the light preference');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background('#first'), 'rgb(20, 20, 22)', 'theme="auto" follows a dark preference');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.match(await page.locator('#second .cg-sale').first().textContent(), /£/);
    await page.close();
  });

  test('attribute changes re-configure it; removal unmounts it', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    await widgetCount(page, '#first');
    const fifty = shownItems(await emulator.feedJson('/feeds/gen/50.json')).length;
    await page.evaluate(() => document.querySelector('#first').setAttribute('feed', '/feeds/gen/50.json'));
    await waitForWidgetCount(page, '#first', fifty);
    await page.evaluate(() => document.querySelector('#first').setAttribute('currency', 'USD'));
    await page.waitForFunction(() => /\$/.test(document.querySelector('#first').shadowRoot.querySelector('.cg-sale')?.textContent ?? ''));
    const removed = await page.evaluate(() => {
      const element = document.querySelector('#first');
      element.remove();
      return { html: element.shadowRoot.innerHTML, children: element.shadowRoot.childElementCount };
    });
    assert.deepEqual(removed, { html: '', children: 0 });
    // Put back, it mounts again.
    await page.evaluate(() => document.body.prepend(Object.assign(document.createElement('cg-inventory'), { id: 'again' })));
    await page.evaluate(() => document.querySelector('#again').setAttribute('feed', '/feeds/gen/50.json'));
    assert.equal(await widgetCount(page, '#again'), fifty);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('every source the README documents is configured by attributes: shop list, shop ids, paginated inventory', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const add = (id, attributes) =>
      page.evaluate(([id, attributes]) => {
        const element = Object.assign(document.createElement('cg-inventory'), { id });
        // Stacked below one another, most are screens down: `eager` loads
        // them without scrolling to each.
        element.setAttribute('eager', '');
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.append(element);
      }, [id, attributes]);
    // Aggregator mode from a partner's shop list, and from shop ids: every card names its shop.
    await add('listed', { 'shops-url': `${emulator.cdn}/partner/shops.json`, cdn: emulator.cdn });
    await add('by-id', { shops: '1234', cdn: emulator.cdn });
    for (const id of ['#listed', '#by-id']) {
      assert.equal(await widgetCount(page, id), shopItems, id);
      assert.match(await page.locator(`${id} .cg-shop-name`).first().textContent(), /Shop 1234/, id);
    }
    // The cursor-paginated inventory, with its product links and page cap.
    const inventory = { source: 'squarespace', 'inventory-url': `${emulator.cdn}/proxy/squarespace/inventory` };
    await add('paged', { ...inventory, 'product-url': `${emulator.pageOrigin}/products/{sku}` });
    assert.equal(await widgetCount(page, '#paged'), 120);
    assert.match(await page.locator('#paged a.cg-link').first().getAttribute('href'), new RegExp(`^${emulator.pageOrigin}/products/`));
    await add('capped', { ...inventory, 'page-cap': '1' });
    await page.locator('#capped .cg-error').waitFor({ timeout: 30000 });
    assert.match(await page.locator('#capped .cg-error').textContent(), /more than 1 page,/);
    // Changing one of them re-configures the widget too.
    await page.evaluate(() => document.querySelector('#capped').setAttribute('page-cap', '10'));
    await waitForWidgetCount(page, '#capped', 120);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a browser without constructed stylesheets (Safari before 16.4) still gets the styles', async () => {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      delete ShadowRoot.prototype.adoptedStyleSheets;
      delete Document.prototype.adoptedStyleSheets;
    });
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    await page.evaluate(() => {
      document.body.replaceChildren();
      const element = document.createElement('cg-inventory');
      element.setAttribute('feed', '/feeds/gen/20.json');
      element.setAttribute('storefront', 'https://shop.example');
      document.body.append(element);
    });
    await page.locator('cg-inventory .cg-card').first().waitFor({ timeout: 30000 });
    const styled = await page.evaluate(() => {
      const root = document.querySelector('cg-inventory').shadowRoot;
      return { style: root.querySelectorAll('style').length, cardDisplay: getComputedStyle(root.querySelector('.cg-results')).display };
    });
    assert.equal(styled.style, 1);
    assert.notEqual(styled.cardDisplay, 'block', 'the grid is laid out by the widget\'s styles');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a widget that cannot start says so instead of leaving a blank space', async () => {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      // As in a browser that cannot compile the widget.
      WebAssembly.instantiateStreaming = WebAssembly.instantiate = () => Promise.reject(new Error('no wasm here'));
    });
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const alert = page.locator('cg-inventory').first().getByRole('alert');
    await alert.waitFor({ timeout: 30000 });
    assert.match(await alert.textContent(), /cannot be shown in this browser/);
    await page.close();
  });

  test('fires cg-ready, cg-error and cg-view-item for the host page', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const events = await page.evaluate(async () => {
      const seen = [];
      const element = document.createElement('cg-inventory');
      for (const name of ['cg-ready', 'cg-error', 'cg-view-item']) element.addEventListener(name, (e) => seen.push({ name, detail: e.detail }));
      // Keep the link click on this page.
      document.addEventListener('click', (e) => e.preventDefault(), true);
      element.setAttribute('feed', '/feeds/gen/20.json');
      element.setAttribute('storefront', 'https://shop.example');
      document.body.append(element);
      const wait = (test) => new Promise((resolve) => { const t = setInterval(() => { if (test()) { clearInterval(t); resolve(); } }, 20); });
      await wait(() => seen.some((e) => e.name === 'cg-ready'));
      element.shadowRoot.querySelector('a.cg-link').click();
      await wait(() => seen.some((e) => e.name === 'cg-view-item'));
      element.setAttribute('feed', '/feeds/missing.json');
      await wait(() => seen.some((e) => e.name === 'cg-error'));
      return seen;
    });
    const ready = events.find((e) => e.name === 'cg-ready');
    assert.equal(ready.detail.items, shownItems(await emulator.feedJson('/feeds/gen/20.json')).length);
    const view = events.find((e) => e.name === 'cg-view-item');
    assert.match(view.detail.url, /^https:\/\/shop\.example\//);
    assert.equal(typeof view.detail.itemId, 'number');
    assert.match(events.find((e) => e.name === 'cg-error').detail.message, /not found/);
    await page.close();
  });
});

describe('the npm package', () => {
  test("the demo page's mount() renders and reports ready", async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/npm-mount.html`);
    assert.equal(await widgetCount(page, '#widget'), shopItems);
    await page.waitForFunction((n) => document.title === `${n} records`, shopItems);
    await page.evaluate(() => window.widget.update({ feed: '/feeds/gen/20.json', storefront: 'https://shop.example' }));
    await waitForWidgetCount(page, '#widget', shownItems(await emulator.feedJson('/feeds/gen/20.json')).length);
    await page.evaluate(() => window.widget.destroy());
    assert.equal(await page.evaluate(() => document.querySelector('#widget').shadowRoot.childElementCount), 0);
    await page.close();
  });

  test('npm pack, install the tarball in a fresh folder, mount from the installed package', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-npm-'));
    try {
      execFileSync('npm', ['pack', '--pack-destination', work, `${ROOT}pkg`], { stdio: 'pipe' });
      const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'site', private: true }));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, tarball)], { cwd: work, stdio: 'pipe' });
      const manifest = JSON.parse(execFileSync('npm', ['ls', '--json'], { cwd: work }).toString());
      assert.ok(manifest.dependencies['cg-inventory'], 'installed');
      writeFileSync(
        join(work, 'index.html'),
        `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><div id="app"></div>
<script type="module">
import init, { mount } from './node_modules/cg-inventory/cg_inventory.js';
await init({ module_or_path: new URL('./node_modules/cg-inventory/cg_inventory_bg.wasm', import.meta.url) });
window.widget = mount(document.querySelector('#app'), { feed: '${emulator.cdn}/shops/1234/inventory.json', storefront: 'https://shop.example' });
</script>
<script type="module" src="./node_modules/cg-inventory/cg-inventory.js"></script>
<cg-inventory id="element" eager origin="www.my-vinyl-store.com" api="${emulator.cdn}/graphql" feed="${emulator.cdn}/shops/1234/inventory.json" storefront="https://shop.example"></cg-inventory>`,
      );
      // A second emulator serves the fresh folder; the feed comes from the first.
      const site = await startEmulator([], { staticDir: work });
      try {
        const page = await newPage(browser);
        await page.goto(`${site.pageOrigin}/index.html`);
        assert.equal(await widgetCount(page, '#app'), shopItems);
        // The package's element runs its one full build: checkout included.
        assert.equal(await widgetCount(page, '#element'), shopItems);
        await page.locator('#element').getByRole('button', { name: /Log in/ }).waitFor({ timeout: 30000 });
        assert.deepEqual(page.errors, []);
        await page.close();
      } finally {
        site.stop();
      }
      const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./node_modules/cg-inventory/package.json"))'], { cwd: work }).toString());
      assert.equal(pkg.type, 'module');
      assert.ok(pkg.exports['.'] && pkg.types && pkg.files.includes('cg_inventory_bg.wasm'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('nothing for visitors who never look', () => {
  /**
   * Opens a host page of `body` beside a copy of the built embed, served by
   * its own emulator (the feed comes from the main one). `page.fetched`
   * lists the URLs the page requested; `init(arg)` runs before the page's scripts.
   */
  async function hostPage(body, init, arg) {
    const work = mkdtempSync(join(tmpdir(), 'cg-lazy-'));
    cpSync(`${ROOT}dist/${EMBED_PATH}`, join(work, EMBED_PATH), { recursive: true });
    writeFileSync(
      join(work, 'host.html'),
      `<!doctype html><meta charset="utf-8"><title>Host</title>
<script type="module" src="/${EMBED_PATH}/cg-inventory.js"></script>
${body}`,
    );
    const site = await startEmulator([], { staticDir: work });
    const page = await newPage(browser);
    page.fetched = [];
    page.on('request', (request) => page.fetched.push(request.url()));
    if (init) await page.addInitScript(init, arg);
    await page.goto(`${site.pageOrigin}/host.html`);
    return { page, done: async () => { await page.close(); site.stop(); rmSync(work, { recursive: true, force: true }); } };
  }

  const feedUrl = () => `${emulator.cdn}/shops/1234/inventory.json`;
  const widget = (attributes = '') => `<cg-inventory ${attributes} feed="${feedUrl()}" storefront="https://shop.example"></cg-inventory>`;
  const downloads = (page) => ({
    wasm: page.fetched.some((url) => url.endsWith('.wasm')),
    feed: page.fetched.some((url) => url.startsWith(feedUrl())),
  });
  // The loader has run (the element is defined), and a moment has passed in
  // which an eager widget would have asked for its code.
  const settled = async (page) => {
    await page.waitForFunction(() => customElements.get('cg-inventory'));
    await page.waitForTimeout(1500);
  };

  test('an embed far below the fold downloads no code and no feed until the visitor scrolls near it', async () => {
    const { page, done } = await hostPage(`<div style="height: 600vh">A long post.</div>${widget()}<p>The end.</p>`);
    try {
      await settled(page);
      assert.deepEqual(downloads(page), { wasm: false, feed: false });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      assert.equal(await widgetCount(page, 'cg-inventory'), shopItems);
      assert.deepEqual(downloads(page), { wasm: true, feed: true });
      assert.deepEqual(page.errors, []);
    } finally {
      await done();
    }
  });

  test('within a screen of the viewport it starts at once, and `eager` loads it wherever it is', async () => {
    for (const [body, why] of [
      [`<div style="height: 150vh"></div>${widget()}`, 'within a screen below the fold'],
      [`<div style="height: 600vh"></div>${widget('eager')}`, 'eager, six screens down'],
    ]) {
      const { page, done } = await hostPage(body);
      try {
        await page.waitForFunction(() => document.querySelector('cg-inventory').shadowRoot?.querySelector('[role=status]'), null, { timeout: 60000 });
        assert.deepEqual(downloads(page), { wasm: true, feed: true }, why);
        assert.equal(await page.evaluate(() => window.scrollY), 0, 'without scrolling');
      } finally {
        await done();
      }
    }
  });

  test('with Save-Data or on 2G it waits for a tap before downloading anything', async () => {
    for (const connection of [{ saveData: true, effectiveType: '4g' }, { saveData: false, effectiveType: '2g' }, { saveData: false, effectiveType: 'slow-2g' }]) {
      const { page, done } = await hostPage(widget('eager'), (value) => {
        Object.defineProperty(Navigator.prototype, 'connection', { configurable: true, get: () => value });
      }, connection);
      try {
        const button = page.locator('cg-inventory').getByRole('button', { name: 'Show the catalogue' });
        await button.waitFor();
        assert.match(await page.locator('cg-inventory [part=data-saver]').textContent(), /Data saver is on/);
        await settled(page);
        assert.deepEqual(downloads(page), { wasm: false, feed: false }, JSON.stringify(connection));
        await button.click();
        assert.equal(await widgetCount(page, 'cg-inventory'), shopItems);
        assert.deepEqual(page.errors, []);
      } finally {
        await done();
      }
    }
  });

  test('an element removed while it waits never loads', async () => {
    const { page, done } = await hostPage(`<div style="height: 600vh"></div>${widget()}`);
    try {
      await settled(page);
      await page.evaluate(() => document.querySelector('cg-inventory').remove());
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(1000);
      assert.deepEqual(downloads(page), { wasm: false, feed: false });
    } finally {
      await done();
    }
  });
});
