// The embed's loader: the builds it chooses between per element, and the
// integrity hashes that pin each one (tests/tools/bundle-embed.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { EMBED_PATH, ROOT, launchBrowser, newPage, shownItems, startEmulator, widgetCount } from './harness.mjs';

let emulator, browser, shopItems;

/** The embed's builds (tests/tools/build-package.sh), one per kind of settings. */
const BUILD_NAMES = ['aggregator', 'browse', 'checkout', 'cursor', 'full'];
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

before(async () => {
  emulator = await startEmulator(['--shop', '1234=400']);
  browser = await launchBrowser();
  shopItems = shownItems(await emulator.feedJson('/shops/1234/inventory.json')).length;
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

describe('the embed loader pins everything that runs', () => {
  const integrity = () => readFileSync(`${ROOT}dist/${EMBED_PATH}/integrity.txt`, 'utf8').trim();

  /**
   * Serves a copy of the built embed, changed by `tamper(dir)`, with a host
   * page that loads it as the README says (`integrity`, `crossorigin`), and
   * opens that page; `window.cgErrors` collects the element's cg-error events.
   */
  async function hostPage(tamper = () => {}) {
    const work = mkdtempSync(join(tmpdir(), 'cg-embed-'));
    const embed = join(work, EMBED_PATH);
    mkdirSync(embed, { recursive: true });
    cpSync(`${ROOT}dist/${EMBED_PATH}`, embed, { recursive: true });
    tamper(embed);
    writeFileSync(
      join(work, 'host.html'),
      `<!doctype html><meta charset="utf-8"><title>Host</title>
<script type="module" src="/${EMBED_PATH}/cg-inventory.js" integrity="${integrity()}" crossorigin="anonymous"></script>
<cg-inventory feed="${emulator.cdn}/shops/1234/inventory.json" storefront="https://shop.example"></cg-inventory>`,
    );
    const site = await startEmulator([], { staticDir: work });
    const page = await newPage(browser);
    page.logged = [];
    page.on('console', (message) => page.logged.push(message.text()));
    await page.addInitScript(() => {
      window.cgErrors = [];
      document.addEventListener('cg-error', (event) => window.cgErrors.push(event.detail.message));
    });
    await page.goto(`${site.pageOrigin}/host.html`);
    return { page, done: async () => { await page.close(); site.stop(); rmSync(work, { recursive: true, force: true }); } };
  }

  const flipByte = (file) => {
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] ^= 0x01;
    writeFileSync(file, bytes);
  };

  test('the loader, pinned by the integrity build-package.sh printed, runs', async () => {
    assert.match(integrity(), /^sha384-[A-Za-z0-9+/]{64}$/);
    const loader = readFileSync(`${ROOT}dist/${EMBED_PATH}/cg-inventory.js`, 'utf8');
    const files = ['cg-inventory.js', 'integrity.txt'];
    for (const name of BUILD_NAMES) {
      const script = `cg_inventory_${name}.js`;
      const wasm = `cg_inventory_${name}_bg.wasm`;
      for (const file of [script, wasm]) {
        assert.ok(loader.includes(`"./${file}"`), `the loader names ${file}`);
        assert.ok(loader.includes(`"${sri(readFileSync(`${ROOT}dist/${EMBED_PATH}/${file}`))}"`), `the loader holds ${file}'s hash`);
      }
      files.push(script, wasm);
    }
    assert.deepEqual(readdirSync(`${ROOT}dist/${EMBED_PATH}`).sort(), files.sort(), 'the loader and its builds, nothing else');
    const { page, done } = await hostPage();
    try {
      assert.equal(await widgetCount(page, 'cg-inventory'), shopItems);
      assert.deepEqual(await page.evaluate(() => window.cgErrors), []);
      assert.deepEqual(page.errors, []);
    } finally {
      await done();
    }
  });

  for (const [file, what] of [['cg_inventory_browse_bg.wasm', 'wasm module'], ['cg_inventory_browse.js', "build's script"]]) {
    test(`a changed ${what} fails to load, with the element's message and a cg-error, and never runs`, async () => {
      const { page, done } = await hostPage((dir) => flipByte(join(dir, file)));
      try {
        const alert = page.locator('cg-inventory [role=alert]');
        await alert.waitFor({ timeout: 30000 });
        assert.equal(await alert.textContent(), 'The catalogue cannot be shown: its code could not be loaded and verified.');
        await page.waitForFunction(() => window.cgErrors.length > 0);
        assert.match((await page.evaluate(() => window.cgErrors))[0], new RegExp(`${file.replace('.', '\\.')} could not be loaded and verified`));
        assert.ok(page.logged.some((text) => /integrity/i.test(text)), page.logged.join('\n'));
        assert.equal(await page.locator('cg-inventory [role=status]').count(), 0, 'the widget never ran');
        assert.deepEqual(page.errors, []);
      } finally {
        await done();
      }
    });
  }

  test('a changed loader is refused by the browser', async () => {
    const { page, done } = await hostPage((dir) => {
      const file = join(dir, 'cg-inventory.js');
      writeFileSync(file, readFileSync(file, 'utf8').replace('/*! cg-inventory ', '/*! cg-inventory (changed) '));
    });
    try {
      await page.waitForFunction(() => document.readyState === 'complete');
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(() => customElements.get('cg-inventory')), undefined, 'the element was never defined');
      assert.ok(page.logged.some((text) => /integrity/i.test(text)), page.logged.join('\n'));
    } finally {
      await done();
    }
  });
});

describe('each element loads only the build its settings use', () => {
  /** The builds whose wasm `page` downloaded, by name. */
  const downloaded = (page) => [...new Set(page.fetched.map((url) => url.match(/cg_inventory_([a-z]+)_bg\.wasm$/)?.[1]).filter(Boolean))].sort();

  async function twoShops() {
    const page = await newPage(browser);
    page.fetched = [];
    page.on('request', (request) => page.fetched.push(request.url()));
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    return page;
  }

  test('the build for each kind of settings: the smallest with every part they use', async () => {
    const page = await twoShops();
    const settings = [
      [{ feed: '/f.json' }, 'browse'],
      [{ shop: '1234', storefront: 'https://s.example' }, 'browse'],
      [{ shop: '1234', origin: 'www.s.example' }, 'checkout'],
      [{ source: 'feed', feed: '/f.json', origin: 'www.s.example' }, 'checkout'],
      [{ 'shops-url': '/shops.json' }, 'aggregator'],
      [{ shops: '1234,5678' }, 'aggregator'],
      [{ source: 'Squarespace', 'inventory-url': '/inventory' }, 'cursor'],
      [{ 'shops-url': '/shops.json', origin: 'www.s.example' }, 'full'],
      [{ source: 'squarespace', shops: '1234' }, 'full'],
    ];
    const chosen = await page.evaluate(async ([path, all]) => {
      const { buildFor } = await import(`/${path}/cg-inventory.js`);
      return all.map(([attributes]) => {
        const element = document.createElement('div');
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        return buildFor(element);
      });
    }, [EMBED_PATH, settings]);
    assert.deepEqual(chosen, settings.map(([, build]) => build));
    await page.close();
  });

  test('two shops that only link out share the browse build; checkout, added later, loads its own, and a changed setting switches builds', async () => {
    const page = await twoShops();
    assert.equal(await widgetCount(page, '#first'), shopItems);
    await widgetCount(page, '#second');
    assert.deepEqual(downloaded(page), ['browse'], 'one build, fetched once, for both');
    assert.equal(page.fetched.filter((url) => url.endsWith('cg_inventory_browse_bg.wasm')).length, 1);
    assert.equal(await page.locator('#first').getByRole('button', { name: 'Log in' }).count(), 0, 'no checkout in a browse build');

    // A third element, for a shop that takes orders here.
    await page.evaluate((api) => {
      const element = document.createElement('cg-inventory');
      for (const [name, value] of Object.entries({ id: 'orders', eager: '', feed: '/shops/1234/inventory.json', storefront: 'https://www.my-store.com', origin: 'www.my-vinyl-store.com', api })) element.setAttribute(name, value);
      document.body.prepend(element);
    }, `${emulator.cdn}/graphql`);
    await page.locator('#orders').getByRole('button', { name: 'Log in' }).waitFor({ timeout: 30000 });
    assert.equal(await widgetCount(page, '#orders'), shopItems);
    assert.deepEqual(downloaded(page), ['browse', 'checkout']);

    // The first shop starts taking orders: it restarts in the checkout build.
    await page.evaluate((api) => {
      const first = document.querySelector('#first');
      first.setAttribute('api', api);
      first.setAttribute('origin', 'www.my-vinyl-store.com');
    }, `${emulator.cdn}/graphql`);
    await page.locator('#first').getByRole('button', { name: 'Log in' }).waitFor({ timeout: 30000 });
    assert.equal(await widgetCount(page, '#first'), shopItems);
    // And back: without `origin` it is a browse widget again.
    await page.evaluate(() => document.querySelector('#first').removeAttribute('origin'));
    await page.waitForFunction(() => !document.querySelector('#first').shadowRoot.querySelector('[part~=account]'));
    assert.equal(await widgetCount(page, '#first'), shopItems);
    assert.equal(await widgetCount(page, '#second'), shownItems(await emulator.feedJson('/feeds/gen/300.json')).length);
    assert.deepEqual(downloaded(page), ['browse', 'checkout'], 'each build downloaded once');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

