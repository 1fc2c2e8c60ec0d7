// Every source in the specs: many shops from a partner's shop list in one
// catalogue, and a cursor-paginated (Squarespace-style) inventory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectResults, expectCount, launchBrowser, newPage, pageUrl, resultCount, shownItems, startEmulator } from './harness.mjs';

const SHOPS = { 1001: 300, 1002: 200, 1003: 100 };
const REMOVED = '1004';
const MISSING = '1005';

let emulator, browser, list, feeds;

before(async () => {
  const args = Object.entries(SHOPS).flatMap(([id, n]) => ['--shop', `${id}=${n}`]);
  emulator = await startEmulator([...args, '--shop', `${REMOVED}=50`, '--removed-shop', REMOVED, '--missing-shop', MISSING]);
  browser = await launchBrowser();
  list = await emulator.feedJson('/partner/shops.json');
  feeds = {};
  for (const id of [...Object.keys(SHOPS), REMOVED]) feeds[id] = shownItems(await emulator.feedJson(`/shops/${id}/inventory.json`));
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

const listUrl = () => `${emulator.cdn}/partner/shops.json`;
const feedRequests = async (id) => (await emulator.log()).filter((r) => r.path.startsWith(`/shops/${id}/`));

describe('aggregator: many shops in one catalogue', () => {
  test('counts add up, removed shops never appear, a missing shop is a notice', async () => {
    await emulator.reset();
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    const expected = Object.keys(SHOPS).reduce((sum, id) => sum + feeds[id].length, 0);
    assert.equal(await resultCount(page), expected);
    assert.ok(list.toRemove.some((s) => String(s.id) === REMOVED), 'the emulator lists the removed shop');
    assert.equal((await feedRequests(REMOVED)).length, 0, 'a removed shop is never fetched');
    assert.equal(await page.getByText(`Shop ${REMOVED} Records`).count(), 0);
    const notices = (await page.locator('.cg-notices').allTextContents()).join(' ');
    assert.match(notices, new RegExp(`Shop ${MISSING} Records could not be loaded: .*not found`));
    assert.ok(!page.url().includes('token') && !(await page.content()).includes('partner-secret-token'));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('every result names its shop and links back to that shop', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    await resultCount(page);
    const { results: cards, positions, setSize } = await collectResults(page, (card) => ({
      shop: card.querySelector('.cg-shop-name')?.textContent,
      href: card.querySelector('a.cg-link')?.getAttribute('href'),
    }));
    assert.ok(setSize >= 500);
    assert.deepEqual(positions, Array.from({ length: setSize }, (_, i) => i + 1), 'scrolling reaches every result once');
    const byName = Object.fromEntries(list.shops.map((s) => [s.shopName, s]));
    const seen = new Set();
    for (const card of cards) {
      const shop = byName[card.shop];
      assert.ok(shop, `unknown shop on a card: ${card.shop}`);
      seen.add(card.shop);
      assert.ok(card.href?.startsWith(`${shop.uri}/`), `${card.href} links to ${shop.uri}`);
    }
    assert.ok(seen.size >= 2, 'results from several shops');
    await page.close();
  });

  test('a shop whose feed hangs does not hold up the others', async () => {
    await emulator.reset();
    const page = await newPage(browser);
    const slowList = JSON.stringify({ shops: [...list.shops.slice(0, 2), { ...list.shops[2], key: 'shops/1003/inventory.json?fault=hang' }] });
    const url = await emulator.putFeed('slow-list.json', slowList);
    await page.goto(await pageUrl(emulator, { 'shops-url': url, cdn: emulator.cdn, timeout: '2' }));
    // Progress per shop while the third one hangs.
    const progress = page.locator('.cg-shops-progress li');
    await page.waitForFunction(() => [...document.querySelectorAll('.cg-shops-progress li')].filter((li) => /items$/.test(li.textContent)).length === 2);
    assert.equal(await progress.count(), 3);
    assert.match(await progress.nth(2).textContent(), /Shop 1003 Records\s+loading/);
    await expectCount(page, feeds[1001].length + feeds[1002].length);
    assert.match((await page.locator('.cg-notices').allTextContents()).join(' '), /Shop 1003 Records could not be loaded/);
    await page.close();
  });

  test('a widget removed while loading starts no more downloads', async () => {
    await emulator.reset();
    // Six shops, four downloaded at a time, each feed arriving slowly.
    const shop = list.shops.find((s) => String(s.id) === '1001');
    const shops = [1, 2, 3, 4, 5, 6].map((n) => ({ ...shop, id: 2000 + n, key: `shops/1001/inventory.json?fault=slow&copy=${n}` }));
    const url = await emulator.putFeed('six-slow-shops.json', JSON.stringify({ shops }));
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    await page.evaluate((attributes) => {
      document.body.replaceChildren();
      const element = document.createElement('cg-inventory');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      document.body.append(element);
    }, { 'shops-url': url, cdn: emulator.cdn });
    await page.locator('cg-inventory .cg-shops-progress').waitFor();
    await page.evaluate(() => document.querySelector('cg-inventory').remove());
    // Long enough for the first four to finish and the next two to start.
    await page.waitForTimeout(4000);
    const copies = (await feedRequests(1001)).map((r) => new URL(r.path, emulator.cdn).searchParams.get('copy'));
    assert.deepEqual(copies.sort(), ['1', '2', '3', '4']);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a later visit skips feeds whose date has not changed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    await resultCount(page);
    // A shop indexed on an earlier visit that has since been removed.
    await page.evaluate((id) => {
      const dates = JSON.parse(localStorage.getItem('cg-inventory:shop-dates'));
      localStorage.setItem('cg-inventory:shop-dates', JSON.stringify({ ...dates, [id]: '2026-01-01' }));
    }, REMOVED);
    await emulator.reset();
    await page.reload();
    await resultCount(page);
    for (const id of Object.keys(SHOPS)) assert.equal((await feedRequests(id)).length, 0, `shop ${id} re-downloaded`);
    const dates = JSON.parse(await page.evaluate(() => localStorage.getItem('cg-inventory:shop-dates')));
    assert.deepEqual(Object.keys(dates).sort(), Object.keys(SHOPS).sort(), 'a shop in toRemove is dropped from stored data');
    await context.close();
  });

  test('copies of one release at several shops are one result, opening onto every copy', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    await resultCount(page);
    // Releases listed by more than one shop, from the feeds themselves.
    const shopsOf = new Map();
    for (const id of Object.keys(SHOPS)) {
      for (const item of feeds[id]) {
        if (item.data?.discogsId == null) continue;
        const key = item.data.discogsId;
        shopsOf.set(key, [...(shopsOf.get(key) ?? []), { id, item }]);
      }
    }
    const shared = [...shopsOf.values()].filter((copies) => new Set(copies.map((c) => c.id)).size > 1);
    assert.ok(shared.length > 0, 'the emulator shares releases between shops');
    const singles = Object.keys(SHOPS).reduce((n, id) => n + feeds[id].filter((i) => i.data?.discogsId == null).length, 0);
    assert.equal(Number(await page.locator('.cg-card').first().getAttribute('aria-setsize')), shopsOf.size + singles, 'one card per release');
    const copies = shared[0];
    // Narrow the results to this release, wherever it is in the list.
    await page.getByRole('searchbox', { name: /Search/ }).fill(copies[0].item.data.title);
    const listings = copies.reduce((n, c) => n + c.item.listings.length, 0);
    const summary = page.locator('.cg-copies summary', { hasText: `${listings} copies at ${new Set(copies.map((c) => c.id)).size} shops` });
    assert.ok((await summary.count()) >= 1, `a card summarises ${listings} copies`);
    await summary.first().click();
    const links = await summary.first().locator('xpath=..').locator('.cg-copy a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const { id, item } of copies) {
      const uri = list.shops.find((s) => String(s.id) === id).uri;
      assert.ok(links.includes(`${uri}${item.path}`), `links to ${uri}${item.path}`);
    }
    await page.close();
  });

  test('following a copy\'s link tells the host page (cg-view-item), as a card\'s link does', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const copyOf = Object.keys(SHOPS).flatMap((id) => feeds[id]).find((item) => {
      const id = item.data?.discogsId;
      return id != null && Object.keys(SHOPS).filter((shop) => feeds[shop].some((i) => i.data?.discogsId === id)).length > 1;
    });
    await page.evaluate((attributes) => {
      document.body.replaceChildren();
      window.viewed = [];
      // Keep link clicks on this page (the copies' <summary> still opens).
      document.addEventListener('click', (e) => e.composedPath()[0].closest?.('a') && e.preventDefault(), true);
      const element = document.createElement('cg-inventory');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      element.addEventListener('cg-view-item', (e) => window.viewed.push(e.detail));
      document.body.append(element);
    }, { 'shops-url': listUrl(), cdn: emulator.cdn });
    const root = page.locator('cg-inventory');
    await root.locator('.cg-count').waitFor({ timeout: 60000 });
    await root.getByRole('searchbox', { name: /Search/ }).fill(copyOf.data.title);
    const summary = root.locator('.cg-copies summary').first();
    await summary.click();
    const link = summary.locator('xpath=..').locator('.cg-copy a').first();
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForFunction(() => window.viewed.length === 1);
    assert.equal((await page.evaluate(() => window.viewed[0])).url, href);
    await page.close();
  });

  test('shop facets and the nearest-shop sort, asking for the position only when chosen', async () => {
    const context = await browser.newContext({ geolocation: { latitude: 48.85, longitude: 2.35 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const original = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
      window.positionRequests = 0;
      navigator.geolocation.getCurrentPosition = (...args) => {
        window.positionRequests += 1;
        return original(...args);
      };
    });
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    await resultCount(page);
    const paris = list.shops.find((s) => s.alpha2 === 'FR');
    await page.getByRole('checkbox', { name: new RegExp(`^${paris.shopName}`) }).check();
    await expectCount(page, feeds[paris.id].length);
    await page.getByRole('checkbox', { name: new RegExp(`^${paris.shopName}`) }).uncheck();
    assert.equal(await page.evaluate(() => window.positionRequests), 0, 'no position asked before the sort is chosen');
    await page.getByLabel('Sort').selectOption('nearest');
    await page.waitForFunction(() => window.positionRequests === 1);
    // The shop checkbox is far down the filters; the first result is at the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction((name) => document.querySelector('.cg-card[aria-posinset="1"] .cg-shop-name')?.textContent === name, paris.shopName);
    await context.close();
  });

  test('a link asking for the nearest-shop sort never asks a single shop\'s visitor for their position', async () => {
    const context = await browser.newContext({ geolocation: { latitude: 48.85, longitude: 2.35 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.positionRequests = 0;
      navigator.geolocation.getCurrentPosition = () => {
        window.positionRequests += 1;
      };
    });
    await page.goto(await pageUrl(emulator, { shop: '1001', cdn: emulator.cdn, sort: 'nearest' }));
    assert.equal(await resultCount(page), feeds[1001].length);
    // The position would be asked for as the results show; give it time to happen.
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.positionRequests), 0);
    // The menu shows the order the results are in; the link keeps its sort.
    assert.equal(await page.getByLabel('Sort').inputValue(), 'relevance');
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'nearest');
    await context.close();
  });

  test('a fixed set of shop ids', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { shops: '1001, 1003', cdn: emulator.cdn }));
    assert.equal(await resultCount(page), feeds[1001].length + feeds[1003].length);
    await page.close();
  });

  test('a shop list that fails for a moment (HTTP 503) is retried', async () => {
    await emulator.reset();
    await emulator.armFaults('/partner/shops.json', 'status-503');
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    assert.equal(await resultCount(page), Object.keys(SHOPS).reduce((sum, id) => sum + feeds[id].length, 0));
    const listRequests = (await emulator.log()).filter((r) => r.path === '/partner/shops.json').map((r) => r.status);
    assert.deepEqual(listRequests, [503, 200]);
    await page.close();
  });

  test('a shop cut off mid-download is read again, without false notices', async () => {
    await emulator.reset();
    // Half the feed arrives, then nothing: abandoned after the 2 s timeout.
    await emulator.armFaults('/shops/1002/inventory.json', 'stall');
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn, timeout: '2' }));
    assert.equal(await resultCount(page), Object.keys(SHOPS).reduce((sum, id) => sum + feeds[id].length, 0));
    assert.equal((await feedRequests(1002)).length, 2, 'one retry');
    const notices = (await page.locator('.cg-notices').allTextContents()).join(' ');
    assert.match(notices, new RegExp(`Shop ${MISSING} Records could not be loaded`));
    assert.doesNotMatch(notices, /appeared twice|could not be read|cut short|1002/, 'the retry re-reads what the first try read');
    await page.close();
  });

  test('a shop that fails for good shows none of its items, only a notice', async () => {
    await emulator.reset();
    await emulator.armFaults('/shops/1002/inventory.json', 'stall', 3);
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn, timeout: '2' }));
    await expectCount(page, feeds[1001].length + feeds[1003].length);
    assert.equal((await feedRequests(1002)).length, 3, 'two retries');
    assert.match((await page.locator('.cg-notices').allTextContents()).join(' '), /Shop 1002 Records could not be loaded/);
    await page.close();
  });

  test('a shop whose date changed is downloaded again, even when the browser holds a fresh copy', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const shop = list.shops.find((s) => String(s.id) === '1001');
    const before = feeds[1001].slice(0, 5);
    const after = feeds[1001].slice(0, 7);
    await emulator.putFeed('dated-1001.json', JSON.stringify(before));
    // The real CDN lets browsers keep a feed for about an hour.
    const listWith = (date) => JSON.stringify({ shops: [{ ...shop, key: 'feeds/dated-1001.json?fault=max-age-3600', date }] });
    const url = await emulator.putFeed('dated-list.json', listWith('2026-12-01T06:00:00.000Z'));
    await page.goto(await pageUrl(emulator, { 'shops-url': url, cdn: emulator.cdn }));
    assert.equal(await resultCount(page), 5);
    await emulator.putFeed('dated-1001.json', JSON.stringify(after));
    await emulator.putFeed('dated-list.json', listWith('2026-12-02T06:00:00.000Z'));
    await page.reload();
    assert.equal(await resultCount(page), 7, 'the new feed, not the cached one');
    await context.close();
  });

  test('shop ids with a shop list: only those shops, each linking back', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { shops: '1001,1003', 'shops-url': listUrl(), cdn: emulator.cdn }));
    assert.equal(await resultCount(page), feeds[1001].length + feeds[1003].length);
    const { results: cards } = await collectResults(page, (card) => ({
      shop: card.querySelector('.cg-shop-name')?.textContent,
      href: card.querySelector('a.cg-link')?.getAttribute('href'),
    }));
    const byName = Object.fromEntries(list.shops.map((s) => [s.shopName, s]));
    assert.deepEqual([...new Set(cards.map((c) => String(byName[c.shop]?.id)))].sort(), ['1001', '1003']);
    for (const card of cards) assert.ok(card.href?.startsWith(`${byName[card.shop].uri}/`), `${card.href} links to its shop`);
    assert.equal(await page.locator('.cg-notices').count(), 0);
    await page.close();
  });

  test('shop ids alone: items cannot link back, and the widget says so', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { shops: '1001', cdn: emulator.cdn }));
    assert.equal(await resultCount(page), feeds[1001].length);
    assert.match((await page.locator('.cg-notices').allTextContents()).join(' '), /cannot link/);
    await page.close();
  });

  test('a broken shop list is explained with a retry', async () => {
    const page = await newPage(browser);
    const url = await emulator.putFeed('broken-list.json', '<html>not a list</html>');
    await page.goto(await pageUrl(emulator, { 'shops-url': url, cdn: emulator.cdn }));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /list of shops could not be used/);
    assert.ok(await page.getByRole('button', { name: 'Retry' }).isVisible());
    await page.close();
  });
});

describe('cursor-paginated inventory (Squarespace shape)', () => {
  const config = (extra = {}) => ({
    source: 'squarespace',
    'inventory-url': `${emulator.cdn}/proxy/squarespace/inventory`,
    'product-url': `${emulator.pageOrigin}/products/{sku}`,
    ...extra,
  });
  const pageRequests = async () => (await emulator.log()).filter((r) => r.path.startsWith('/proxy/squarespace/inventory')).map((r) => r.path);

  test('loads every page exactly once', async () => {
    await emulator.reset();
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config()));
    assert.equal(await resultCount(page), 120);
    const requests = await pageRequests();
    assert.equal(requests.length, 3, '120 variants in pages of 50');
    assert.equal(new Set(requests).size, 3, 'no page twice');
    const href = await page.locator('a.cg-link').first().getAttribute('href');
    assert.match(href, new RegExp(`^${emulator.pageOrigin}/products/`));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('an in-stock filter and a stock sort; facets without data are hidden', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config()));
    await resultCount(page);
    const inventory = [];
    let cursor = '';
    do {
      const body = await emulator.feedJson(`/proxy/squarespace/inventory${cursor ? `?cursor=${cursor}` : ''}`);
      inventory.push(...body.inventory);
      cursor = body.pagination.hasNextPage ? body.pagination.nextPageCursor : '';
    } while (cursor);
    const inStock = inventory.filter((v) => v.isUnlimited || v.quantity > 0).length;
    assert.ok(inStock < inventory.length, 'the emulator lists some sold-out variants');
    await page.getByRole('checkbox', { name: /^In stock/ }).check();
    await expectCount(page, inStock);
    for (const legend of ['Genre', 'Format', 'Condition', 'Price', 'Year']) {
      assert.equal(await page.locator('legend', { hasText: new RegExp(`^${legend}$`) }).count(), 0, `${legend} has no data here`);
    }
    await page.getByLabel('Sort').selectOption('stock');
    const first = await page.locator('.cg-card .cg-stock').first().textContent();
    assert.equal(first, 'In stock', 'unlimited stock first');
    await page.close();
  });

  test('a stale cursor restarts once from the first page', async () => {
    await emulator.reset();
    await fetch(`${emulator.pageOrigin}/__squarespace/stale-cursor`, { method: 'POST' });
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config()));
    assert.equal(await resultCount(page), 120, 'nothing counted twice');
    const requests = await pageRequests();
    assert.equal(requests.filter((p) => !p.includes('cursor=')).length, 2, 'the first page again after the stale cursor');
    await page.close();
  });

  test('a cursor loop and a page cap stop with a clear message', async () => {
    await emulator.reset();
    await fetch(`${emulator.pageOrigin}/__squarespace/loop`, { method: 'POST' });
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config()));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /cursor loop/);
    await emulator.reset();
    await page.goto(await pageUrl(emulator, config({ 'page-cap': '2' })));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /more than 2 pages/);
    await page.close();
  });
});
