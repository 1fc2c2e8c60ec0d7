// Every source in the specs: many shops from a partner's shop list in one
// catalogue, and a cursor-paginated (Squarespace-style) inventory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectCount, launchBrowser, newPage, pageUrl, resultCount, shownItems, startEmulator } from './harness.mjs';

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
    await page.goto(pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
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
    await page.goto(pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn, 'page-size': '500' }));
    await resultCount(page);
    const cards = await page.locator('.cg-card').evaluateAll((cards) =>
      cards.map((card) => ({ shop: card.querySelector('.cg-shop-name')?.textContent, href: card.querySelector('a.cg-link')?.getAttribute('href') })),
    );
    assert.ok(cards.length >= 500);
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
    await page.goto(pageUrl(emulator, { 'shops-url': url, cdn: emulator.cdn, timeout: '2' }));
    await expectCount(page, feeds[1001].length + feeds[1002].length);
    assert.match((await page.locator('.cg-notices').allTextContents()).join(' '), /Shop 1003 Records could not be loaded/);
    await page.close();
  });

  test('a later visit skips feeds whose date has not changed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pageUrl(emulator, { 'shops-url': listUrl(), cdn: emulator.cdn }));
    await resultCount(page);
    await emulator.reset();
    await page.reload();
    await resultCount(page);
    for (const id of Object.keys(SHOPS)) assert.equal((await feedRequests(id)).length, 0, `shop ${id} re-downloaded`);
    await context.close();
  });

  test('a fixed set of shop ids', async () => {
    const page = await newPage(browser);
    await page.goto(pageUrl(emulator, { shops: '1001, 1003', cdn: emulator.cdn }));
    assert.equal(await resultCount(page), feeds[1001].length + feeds[1003].length);
    await page.close();
  });

  test('a broken shop list is explained with a retry', async () => {
    const page = await newPage(browser);
    const url = await emulator.putFeed('broken-list.json', '<html>not a list</html>');
    await page.goto(pageUrl(emulator, { 'shops-url': url, cdn: emulator.cdn }));
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
    await page.goto(pageUrl(emulator, config()));
    assert.equal(await resultCount(page), 120);
    const requests = await pageRequests();
    assert.equal(requests.length, 3, '120 variants in pages of 50');
    assert.equal(new Set(requests).size, 3, 'no page twice');
    const href = await page.locator('a.cg-link').first().getAttribute('href');
    assert.match(href, new RegExp(`^${emulator.pageOrigin}/products/`));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a stale cursor restarts once from the first page', async () => {
    await emulator.reset();
    await fetch(`${emulator.pageOrigin}/__squarespace/stale-cursor`, { method: 'POST' });
    const page = await newPage(browser);
    await page.goto(pageUrl(emulator, config()));
    assert.equal(await resultCount(page), 120, 'nothing counted twice');
    const requests = await pageRequests();
    assert.equal(requests.filter((p) => !p.includes('cursor=')).length, 2, 'the first page again after the stale cursor');
    await page.close();
  });

  test('a cursor loop and a page cap stop with a clear message', async () => {
    await emulator.reset();
    await fetch(`${emulator.pageOrigin}/__squarespace/loop`, { method: 'POST' });
    const page = await newPage(browser);
    await page.goto(pageUrl(emulator, config()));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /cursor loop/);
    await emulator.reset();
    await page.goto(pageUrl(emulator, config({ 'page-cap': '2' })));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /more than 2 pages/);
    await page.close();
  });
});
