// Failing networks, strict pages and privacy: every fault ends in a clear
// message with a retry (or the last good copy), and nothing leaves the
// configured hosts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STOREFRONT, launchBrowser, newPage, pageUrl, resultCount, shownItems, startEmulator } from './harness.mjs';

let site, cdn, browser, items;

before(async () => {
  site = await startEmulator(['--shop', '1234=300']);
  cdn = await startEmulator(['--shop', '1234=300']);
  browser = await launchBrowser();
  items = shownItems(await cdn.feedJson('/shops/1234/inventory.json')).length;
});

after(async () => {
  await browser?.close();
  site?.stop();
  cdn?.stop();
});

const config = (extra = {}) => ({ cdn: cdn.cdn, shop: '1234', storefront: STOREFRONT, timeout: '1', ...extra });

/** Opens the page and waits for the error alert; returns its text. */
async function alertText(page, params) {
  await page.goto(await pageUrl(site, params));
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 30000 });
  assert.ok(await page.getByRole('button', { name: 'Retry' }).isVisible());
  return alert.textContent();
}

async function feedRequests(emulator, fault) {
  return (await emulator.log()).filter((r) => r.path.includes('/inventory.json') && (!fault || r.path.includes(fault)));
}

describe('failing networks', () => {
  test('a server error is retried twice with backoff, then explained', async () => {
    await cdn.reset();
    const page = await newPage(browser);
    const started = Date.now();
    const text = await alertText(page, config({ feed: `${cdn.cdn}/shops/1234/inventory.json?fault=status-503` }));
    assert.match(text, /HTTP 503/);
    assert.equal((await feedRequests(cdn, 'status-503')).length, 3, 'one attempt and two retries');
    assert.ok(Date.now() - started >= 4000, 'retries wait 1 s, then 3 s');
    await page.close();
  });

  test('a slow download shows its first items at once, then the whole catalogue', async () => {
    const page = await newPage(browser);
    // Noted in the page as it happens, so a busy test machine cannot blur the order.
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (window.preview === undefined && document.querySelector('.cg-preview .cg-card')) {
          window.preview = { cards: 0, countShown: !!document.querySelector('.cg-count'), links: document.querySelectorAll('.cg-preview a.cg-link').length };
          // The hidden text that has the cards' fonts found before the first cards.
          const warmUp = document.querySelector('.cg-font-warmup');
          const card = document.querySelector('.cg-preview .cg-card');
          // What picks a font (line height does not).
          const font = (root, selector) => {
            const style = getComputedStyle(root.querySelector(selector));
            return [style.fontFamily, style.fontSize, style.fontWeight, style.fontStyle].join(' ');
          };
          window.preview.warmUp = warmUp && {
            ariaHidden: warmUp.getAttribute('aria-hidden'),
            visibility: getComputedStyle(warmUp).visibility,
            height: warmUp.getBoundingClientRect().height,
            fontsDiffering: ['.cg-title', '.cg-artists', '.cg-meta', '.cg-price', '.cg-stock'].filter((s) => font(warmUp, s) !== font(card, s)),
          };
        }
        // The preview's grid renders a few cards, measures, then fills the screen.
        if (window.preview && !document.querySelector('.cg-count')) {
          window.preview.cards = Math.max(window.preview.cards, document.querySelectorAll('.cg-preview .cg-card').length);
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(await pageUrl(site, config({ feed: `${cdn.cdn}/shops/1234/inventory.json?fault=slow`, timeout: '20' })));
    assert.equal(await resultCount(page), items);
    const preview = await page.evaluate(() => window.preview);
    assert.ok(preview, 'the first items were shown');
    assert.equal(preview.countShown, false, 'the first items arrive before the download completes');
    assert.ok(preview.cards >= 12, `at least a screenful (${preview.cards} cards)`);
    assert.ok(preview.links > 0, 'early items link to the shop too');
    assert.deepEqual(preview.warmUp, { ariaHidden: 'true', visibility: 'hidden', height: 0, fontsDiffering: [] }, 'font warm-up: hidden, in the fonts of the cards');
    assert.equal(await page.locator('.cg-font-warmup').count(), 0, 'the warm-up goes with the loading view');
    assert.equal(await page.locator('.cg-preview').count(), 0);
    await page.close();
  });

  test('a missing shop is not retried', async () => {
    await cdn.reset();
    const page = await newPage(browser);
    assert.match(await alertText(page, config({ shop: '404404' })), /not found/);
    assert.equal((await cdn.log()).filter((r) => r.path.includes('/404404/')).length, 1);
    await page.close();
  });

  test('a server that never answers times out', async () => {
    const page = await newPage(browser);
    assert.match(await alertText(page, config({ feed: `${cdn.cdn}/shops/1234/inventory.json?fault=hang` })), /stopped answering/);
    await page.close();
  });

  test('a refused connection and a CORS refusal are network failures', async () => {
    const page = await newPage(browser);
    assert.match(await alertText(page, config({ feed: 'http://127.0.0.1:9/shops/1/inventory.json' })), /network request failed/);
    assert.match(await alertText(page, config({ feed: `${cdn.cdn}/shops/1234/inventory.json?fault=no-cors` })), /network request failed/);
    await page.close();
  });

  test('a body cut off mid-stream is an interrupted download', async () => {
    const page = await newPage(browser);
    assert.match(await alertText(page, config({ feed: `${cdn.cdn}/shops/1234/inventory.json?fault=truncate` })), /interrupted/);
    await page.close();
  });

  test('Retry loads the catalogue once the server is back', async () => {
    const feed = await cdn.putFeed('flaky.json', 'not json at all');
    const page = await newPage(browser);
    assert.match(await alertText(page, config({ feed })), /not a list of items/);
    await cdn.putFeed('flaky.json', JSON.stringify(await cdn.feedJson('/shops/1234/inventory.json')));
    await page.getByRole('button', { name: 'Retry' }).click();
    assert.equal(await resultCount(page), items);
    await page.close();
  });

  test('with the CDN down, the last good copy is shown with its date', async () => {
    const other = await startEmulator(['--shop', '1234=300']);
    const page = await newPage(browser);
    await page.goto(await pageUrl(site, config({ cdn: other.cdn })));
    assert.equal(await resultCount(page), items);
    // Take the CDN away: the browser's HTTP cache still holds the feed.
    other.stop();
    await page.reload();
    assert.equal(await resultCount(page), items);
    const notice = await page.getByRole('note').filter({ hasText: 'Showing stock as of' }).textContent();
    assert.match(notice, /Showing stock as of .*\d/);
    assert.match(notice, /network request failed/);
    await page.close();
  });

  test('with the CDN down and no copy in the HTTP cache, the saved index is shown with its date', async () => {
    const other = await startEmulator(['--shop', '1234=300']);
    const page = await newPage(browser);
    await page.goto(await pageUrl(site, config({ cdn: other.cdn })));
    assert.equal(await resultCount(page), items);
    const savedDate = () =>
      page.evaluate(async () => {
        const cache = await caches.open('cg-inventory-index');
        const [key] = await cache.keys();
        return key ? (await cache.match(key)).headers.get('x-cg-feed-date') : null;
      });
    for (let waited = 0; !(await savedDate()); waited += 100) {
      assert.ok(waited < 30000, 'the index is saved after loading');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Take the CDN and the HTTP cache's copy away: only the saved index is left.
    other.stop();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await page.reload();
    assert.equal(await resultCount(page), items);
    const notice = await page.getByRole('note').filter({ hasText: 'Showing stock as of' }).textContent();
    assert.match(notice, /network request failed/);
    await page.close();
  });
});

describe('strict pages and privacy', () => {
  test('works under a strict Content-Security-Policy with no violation', async () => {
    const page = await newPage(browser);
    await page.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${site.pageOrigin}/public/strict-csp.html`);
    const status = page.locator('cg-inventory [role=status]');
    await status.waitFor({ timeout: 30000 });
    assert.equal(Number((await status.textContent()).match(/\d+/)[0]), shownItems(await site.feedJson('/shops/1234/inventory.json')).length);
    await page.locator('cg-inventory').getByRole('checkbox').first().check();
    await page.locator('cg-inventory img').first().waitFor();
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('every request goes to the page, the configured CDN or the feed’s own images', async () => {
    const page = await newPage(browser);
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(await pageUrl(site, config({ timeout: '20' })));
    await resultCount(page);
    await page.getByRole('searchbox', { name: /Search/ }).fill('a');
    // Scrolling renders further cards, with their images.
    for (let i = 0; i < 5; i++) await page.evaluate(() => window.scrollBy(0, window.innerHeight));
    await page.waitForTimeout(500);
    const feed = await cdn.feedJson('/shops/1234/inventory.json');
    const imageOrigins = new Set(feed.flatMap((i) => i?.data?.images ?? []).map((u) => new URL(u).origin));
    const allowed = new Set([site.pageOrigin, new URL(cdn.cdn).origin, ...imageOrigins]);
    const origins = new Set(requests.filter((u) => !u.startsWith('data:')).map((u) => new URL(u).origin));
    assert.ok(origins.has(new URL(cdn.cdn).origin));
    for (const origin of origins) assert.ok(allowed.has(origin), `unexpected request to ${origin}`);
    assert.deepEqual(await page.context().cookies(), []);
    await page.close();
  });
});
