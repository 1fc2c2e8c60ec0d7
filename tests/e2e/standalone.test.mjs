// The standalone page, built with trunk, against the emulator's CDN.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STOREFRONT, collectResults, expectCount, fold, launchBrowser, lowestPrice, newPage, pageUrl, resultCount, shownItems, startEmulator,
} from './harness.mjs';

const SHOP = '1234';
let emulator, browser, feed, items;

before(async () => {
  emulator = await startEmulator(['--shop', `${SHOP}=600`, '--shop', '5000=5000']);
  browser = await launchBrowser();
  feed = await emulator.feedJson(`/shops/${SHOP}/inventory.json`);
  items = shownItems(feed);
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

const config = (extra = {}) => ({ shop: SHOP, cdn: emulator.cdn, storefront: STOREFRONT, currency: 'EUR', locale: 'en-GB', ...extra });

async function open(params) {
  const page = await newPage(browser);
  await page.goto(await pageUrl(emulator, params));
  await resultCount(page);
  return page;
}

/** The most common value of a data field across items. */
function mostCommon(field) {
  const counts = new Map();
  for (const item of items) for (const v of new Set(item.data?.[field] ?? [])) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0];
}

describe('standalone page', () => {
  test('shows every item that has a listing, with a live count', async () => {
    const page = await open(config());
    assert.equal(await resultCount(page), items.length);
    assert.ok(items.length < feed.length, 'the generated feed includes items with no listing');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('loads the 5,000-item demo shop', async () => {
    const page = await open(config({ shop: '5000' }));
    const demo = shownItems(await emulator.feedJson('/shops/5000/inventory.json'));
    assert.equal(await resultCount(page), demo.length);
    assert.ok(demo.length > 4500);
    await page.close();
  });

  test('the results are virtualised: a small DOM, every result reachable by scrolling, in order', async () => {
    const page = await open(config());
    const widgetElements = () => page.evaluate(() => document.querySelector('#cg-inventory').querySelectorAll('*').length);
    assert.ok((await widgetElements()) < 1500, 'the DOM after load is small');
    const { results, positions, setSize, mostRendered } = await collectResults(page, (card) => card.querySelector('a.cg-link')?.getAttribute('href'));
    assert.equal(setSize, items.length);
    assert.deepEqual(positions, Array.from({ length: items.length }, (_, i) => i + 1), 'every position once, none skipped');
    assert.deepEqual(new Set(results), new Set(items.map((item) => STOREFRONT + item.path)), 'every item is reached');
    assert.ok(mostRendered <= 64, `at most a few screens of cards exist at once (${mostRendered})`);
    await page.close();
  });

  /** What every card shows, checked against the result at its position and the feed. */
  async function cardsShowTheirResultsIn(page, results, shown) {
    const byHref = new Map(shown.map((item) => [STOREFRONT + item.path, item]));
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll('.cg-card')].map((card) => ({
        position: Number(card.getAttribute('aria-posinset')),
        href: card.querySelector('a.cg-link')?.getAttribute('href'),
        title: card.querySelector('.cg-title').textContent,
        covers: [...card.querySelectorAll('img.cg-cover')].map((img) => img.getAttribute('src')),
        reused: card.cgMark !== undefined && card.cgMark !== Number(card.getAttribute('aria-posinset')),
      })),
    );
    for (const card of cards) {
      assert.equal(card.href, results[card.position - 1], `card ${card.position} shows its result`);
      const item = byHref.get(card.href);
      assert.equal(card.title, item.data.title || 'Untitled');
      assert.ok(card.covers.length <= 1 && card.covers.every((src) => item.data.images.includes(src)), `card ${card.position} has its own cover`);
    }
    return cards;
  }

  const readHref = (card) => card.querySelector('a.cg-link')?.getAttribute('href');
  const settled = (page) => page.waitForFunction(() => !document.querySelector('.cg-results[aria-busy]'));

  test('a jump rewrites the cards in view, each with its own result, and never one holding focus', async () => {
    const page = await open(config());
    const { results } = await collectResults(page, readHref);
    const cardsMatch = () => cardsShowTheirResultsIn(page, results, items);
    const markCards = () => page.evaluate(() => document.querySelectorAll('.cg-card').forEach((c) => (c.cgMark = Number(c.getAttribute('aria-posinset')))));
    const jumpTo = async (fraction) => {
      await markCards();
      await page.evaluate((f) => window.scrollTo(0, f * (document.documentElement.scrollHeight - innerHeight)), fraction);
      await page.waitForFunction(() => [...document.querySelectorAll('.cg-card')].some((c) => c.getBoundingClientRect().bottom > 0 && c.getBoundingClientRect().top < innerHeight));
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      await settled(page);
      return cardsMatch();
    };
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => document.querySelector('.cg-card')?.getAttribute('aria-posinset') === '1');
    const toEnd = await jumpTo(1);
    assert.ok(toEnd.some((c) => c.position === results.length), 'the end shows the last result');
    assert.ok(toEnd.some((c) => c.reused), 'cards from the top were reused at the end, not built again');
    assert.ok((await jumpTo(0.5)).some((c) => c.reused));
    assert.ok((await jumpTo(0)).some((c) => c.position === 1));

    // A card holding keyboard focus is never turned into another result.
    const focused = await page.evaluate(() => {
      const link = document.querySelector('.cg-card a.cg-link');
      link.focus();
      return link.getAttribute('href');
    });
    await jumpTo(1);
    const stillFocused = await page.evaluate(() => {
      const active = document.activeElement;
      return active?.closest?.('.cg-card') ? active.getAttribute('href') : null;
    });
    assert.ok(stillFocused === null || stillFocused === focused, `focus stays on ${focused}, not on ${stillFocused}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a fling shows placeholder cards while it lasts, then every card its own result', async () => {
    const page = await open(config({ shop: '5000' }));
    const demo = shownItems(await emulator.feedJson('/shops/5000/inventory.json'));
    assert.equal(await resultCount(page), demo.length);
    // One jump of a tenth of the list per frame, as a dragged scrollbar does.
    const during = await page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const list = document.querySelector('.cg-results');
      const distance = document.documentElement.scrollHeight - innerHeight;
      const seen = [];
      for (let step = 1; step <= 8; step++) {
        window.scrollTo(0, (step / 10) * distance);
        // The scroll is handled and the cards written before the next frame's callbacks.
        await frame();
        const cards = [...document.querySelectorAll('.cg-card')];
        seen.push({
          busy: list.getAttribute('aria-busy') === 'true',
          filled: cards.filter((c) => c.querySelector('.cg-title').textContent !== '' || c.querySelector('img.cg-cover')).length,
          positioned: cards.every((c) => Number(c.getAttribute('aria-posinset')) > 0),
        });
      }
      return seen;
    });
    assert.equal(during[0].busy, false, 'the first jump shows its results at once');
    assert.ok(during[0].filled > 0);
    for (const [i, frame] of during.slice(1).entries()) {
      assert.ok(frame.busy, `jump ${i + 2} comes within a frame of the last: the list is busy`);
      assert.equal(frame.filled, 0, `jump ${i + 2}: placeholders only, no text or cover`);
      assert.ok(frame.positioned, 'placeholders still say where they are in the results');
    }
    // Once the jumps stop, the cards fill with the results at their positions.
    await settled(page);
    const { results } = await collectResults(page, readHref);
    await page.evaluate(() => window.scrollTo(0, 0.8 * (document.documentElement.scrollHeight - innerHeight)));
    await page.waitForFunction(() => [...document.querySelectorAll('.cg-card')].some((c) => Number(c.getAttribute('aria-posinset')) > 3000));
    await settled(page);
    const cards = await cardsShowTheirResultsIn(page, results, demo);
    assert.ok(cards.length > 0 && cards.every((c) => c.title !== ''));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('5,000 results keep a small DOM wherever the list is scrolled, at any width', async () => {
    const page = await open(config({ shop: '5000' }));
    await resultCount(page);
    const widgetElements = () => page.evaluate(() => document.querySelector('#cg-inventory').querySelectorAll('*').length);
    // Rendered cards cover the viewport whatever its width.
    for (const width of [1280, 700, 380]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => window.scrollTo(0, document.querySelector('.cg-results-frame').getBoundingClientRect().top + scrollY + 40000));
      await page.waitForFunction(() => {
        const cards = [...document.querySelectorAll('.cg-card')].map((c) => c.getBoundingClientRect());
        return cards.some((r) => r.top <= 0) && cards.some((r) => r.bottom >= innerHeight);
      });
      assert.ok((await widgetElements()) < 1500, `the DOM is small at width ${width}`);
    }
    // The end of the list holds the last result.
    const count = await resultCount(page);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction((n) => document.querySelector(`.cg-card[aria-posinset="${n}"]`), count);
    // Back at the search box (the widget itself never scrolls the page), a new answer shows its first results.
    await page.getByRole('searchbox', { name: /Search/ }).fill('a');
    await page.waitForFunction(() => document.querySelector('.cg-card')?.getAttribute('aria-posinset') === '1');
    assert.ok(await page.evaluate(() => document.querySelector('.cg-results-frame').getBoundingClientRect().top >= 0));
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('on a phone the results come first, and the filters unfold behind a button', async () => {
    const page = await open(config());
    await page.setViewportSize({ width: 390, height: 844 });
    await resultCount(page);
    const toggle = page.getByRole('button', { name: /^Filters/ });
    const genre = page.locator('fieldset').filter({ has: page.locator('legend', { hasText: /^Genre$/ }) });
    const firstCardTop = () => page.evaluate(() => document.querySelector('.cg-card').getBoundingClientRect().top);
    await toggle.waitFor({ state: 'visible' });
    assert.ok((await firstCardTop()) < 400, 'a result is in the first half of the screen');
    assert.equal(await genre.isVisible(), false);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await genre.isVisible());
    const before = await resultCount(page);
    await genre.locator('label.cg-check input').first().click();
    await page.waitForFunction((n) => !document.querySelector('[role=status]').textContent.includes(`${n} items`), before);
    assert.equal((await toggle.textContent()).replace(/\s+/g, ' ').trim(), 'Filters (1)');
    // Folding from the foot of the filters goes back to the button, the results just below.
    await page.getByRole('button', { name: 'Show results' }).click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await genre.isVisible(), false);
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('cg-facets-toggle')));
    // Wide layouts always show the filters, and no button.
    await page.setViewportSize({ width: 1280, height: 900 });
    // The widget's width is observed, so the layout follows in the next frame.
    await toggle.waitFor({ state: 'hidden' });
    assert.ok(await genre.isVisible());
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('search ignores case and accents and needs every term', async () => {
    const page = await open(config());
    const search = page.getByRole('searchbox', { name: /Search/ });
    await search.fill('BJORK');
    const matches = items.filter((i) =>
      [i.data?.title, ...(i.data?.artists ?? []), ...(i.data?.labels ?? []).map((l) => l?.name ?? l)].some((f) => fold(f).includes('bjork')),
    );
    assert.ok(matches.length > 0, 'the feed has Björk items');
    await expectCount(page, matches.length);
    const firstCard = await page.locator('.cg-card').first().textContent();
    assert.match(fold(firstCard), /bjork/);
    await search.fill('bjork zzzzqqq');
    await expectCount(page, 0);
    await page.close();
  });

  test('a facet filters, shows its count, and goes into the URL', async () => {
    const [genre, count] = mostCommon('genres');
    const page = await open(config());
    const box = page.getByRole('checkbox', { name: new RegExp(`^${genre.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*${count}$`) });
    await box.check();
    await expectCount(page, count);
    assert.equal(new URL(page.url()).searchParams.getAll('genre').join(), genre);
    await page.close();
  });

  test('the price range keeps items with a listing in range', async () => {
    const page = await open(config());
    const min = 20;
    const max = 40;
    await page.getByRole('spinbutton', { name: 'Minimum price' }).fill(String(min));
    await page.getByRole('spinbutton', { name: 'Maximum price' }).fill(String(max));
    await page.getByRole('spinbutton', { name: 'Maximum price' }).press('Enter');
    const expected = items.filter((i) => i.listings.some((l) => l?.prices?.sale >= min && l?.prices?.sale <= max)).length;
    await expectCount(page, expected);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('price_min'), '20');
    assert.equal(url.searchParams.get('price_max'), '40');
    await page.close();
  });

  test('sorting by price puts the cheapest first and items without a price last', async () => {
    const page = await open(config());
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('price-asc');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'price-asc');
    const expected = items
      .map((item, index) => ({ item, index, price: lowestPrice(item) }))
      .sort((a, b) => (a.price === null) - (b.price === null) || (a.price ?? 0) - (b.price ?? 0) || a.index - b.index)
      .slice(0, 12)
      .map(({ item }) => STOREFRONT + item.path);
    const hrefs = await page.locator('.cg-card a.cg-link').evaluateAll((links) => links.slice(0, 12).map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, expected);
    await page.close();
  });

  test('a URL with view parameters opens exactly that view', async () => {
    const [genre] = mostCommon('genres');
    const page = await open(config({ q: 'a', genre, condition: 'used', sort: 'price-desc', price_min: '10' }));
    const expected = items.filter((i) => {
      const text = [i.data?.title, ...(i.data?.artists ?? i.data?.authors ?? []), ...(i.data?.labels ?? []).map((l) => l?.name ?? l)];
      return (
        (i.data?.genres ?? []).some((g) => fold(g) === fold(genre)) &&
        i.listings.some((l) => l.secondHand === true && l.prices?.sale >= 10) &&
        text.some((t) => fold(t).includes('a'))
      );
    });
    await expectCount(page, expected.length);
    assert.equal(await page.getByRole('searchbox', { name: /Search/ }).inputValue(), 'a');
    assert.equal(await page.getByRole('combobox', { name: 'Sort' }).inputValue(), 'price-desc');
    assert.equal(await page.getByRole('checkbox', { name: /^Used/ }).isChecked(), true);
    assert.equal(await page.getByRole('spinbutton', { name: 'Minimum price' }).inputValue(), '10');
    await page.close();
  });

  test('a typed search reaches the URL once typing pauses, as one history entry', async () => {
    const page = await open(config());
    const search = page.getByRole('searchbox', { name: /Search/ });
    await search.pressSequentially('bjork', { delay: 30 });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'bjork');
    const matches = await resultCount(page);
    assert.ok(matches > 0 && matches < items.length);
    await page.goBack();
    await expectCount(page, items.length);
    assert.equal(await search.inputValue(), '', 'one Back undoes the whole search, not a keystroke');
    await page.goForward();
    await expectCount(page, matches);
    assert.equal(await search.inputValue(), 'bjork');
    await page.close();
  });

  test('Back and Forward move between views', async () => {
    const [genre, count] = mostCommon('genres');
    const page = await open(config());
    const box = page.getByRole('checkbox', { name: new RegExp(`^${genre}`) }).first();
    await box.check();
    await expectCount(page, count);
    await page.goBack();
    await expectCount(page, items.length);
    assert.equal(await box.isChecked(), false);
    await page.goForward();
    await expectCount(page, count);
    assert.equal(await box.isChecked(), true);
    await page.close();
  });

  test('on a link the widget did not write, Back and Forward still work and the page\'s own parameters stay as written', async () => {
    const [genre, count] = mostCommon('genres');
    const page = await newPage(browser);
    // Written by hand, as a partner would: nothing percent-encoded.
    const deployed = await pageUrl(emulator, { shop: SHOP, cdn: emulator.cdn, storefront: STOREFRONT });
    const written = `?shop=${SHOP}&ref=spring+sale%21`;
    await page.goto(`${deployed}${written}`);
    await resultCount(page);
    const entries = () => page.evaluate(() => history.length);
    const start = await entries();
    await page.getByRole('checkbox', { name: new RegExp(`^${genre}`) }).first().check();
    await expectCount(page, count);
    const url = new URL(page.url());
    assert.ok(url.search.startsWith(`${written}&genre=`), `${url.search} keeps the link's own text`);
    await page.goBack();
    await expectCount(page, items.length);
    assert.equal(new URL(page.url()).search, written);
    await page.goForward();
    await expectCount(page, count);
    assert.equal(await entries(), start + 1, 'Back wrote no entry, so Forward still had one');
    await page.close();
  });

  test('covers are fetched without a referrer, so image hosts never see the page or its search', async () => {
    await emulator.reset();
    const page = await open(config({ q: 'a' }));
    await page.locator('img.cg-cover').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('img.cg-cover')].some((img) => img.complete && img.naturalWidth > 0));
    const images = (await emulator.log()).filter((r) => r.path.startsWith('/img/'));
    assert.ok(images.length > 0, 'covers were fetched');
    assert.deepEqual(images.filter((r) => r.headers.referer), [], 'no Referer header');
    await page.close();
  });

  test('every result links to the storefront plus the item path', async () => {
    const page = await open(config());
    const { results: links } = await collectResults(page, (card) => {
      const a = card.querySelector('a.cg-link');
      return a && { href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target') };
    });
    assert.equal(links.length, items.length);
    const paths = new Set(items.map((i) => STOREFRONT + i.path));
    for (const link of links) {
      assert.ok(link && paths.has(link.href), `${link?.href} is storefront + path`);
      assert.match(link.rel, /noopener/);
      assert.equal(link.target, '_blank');
    }
    await page.close();
  });

  test('invalid link parameters are ignored with a notice', async () => {
    const page = await open(config({ sort: 'cheapest', grade: 'XX', year_min: '99999' }));
    assert.equal(await resultCount(page), items.length);
    const notes = await page.getByRole('note').first().textContent();
    assert.match(notes, /invalid sort order/);
    assert.match(notes, /invalid grade/);
    assert.doesNotMatch(notes, /cheapest|XX|99999/, 'notices never quote the link');
    await page.close();
  });

  test('no results shows an empty state that clears the filters', async () => {
    const page = await open(config({ q: 'zzzzqqqq' }));
    assert.equal(await resultCount(page), 0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount(page, items.length);
    await page.close();
  });

  test('a reload revalidates the feed with If-Modified-Since', async () => {
    const page = await open(config());
    await emulator.reset();
    await page.reload();
    await resultCount(page);
    const requests = (await emulator.log()).filter((r) => r.path.startsWith(`/shops/${SHOP}/`) && r.method === 'GET');
    assert.ok(requests.length >= 1);
    assert.ok(requests.some((r) => r.headers['if-modified-since']), 'the browser revalidated the cached feed');
    await page.close();
  });
});

describe('repeat visits', () => {
  const DATE = 'Mon, 02 Nov 2026 10:00:00 GMT';
  const NEWER = 'Tue, 03 Nov 2026 10:00:00 GMT';
  let feedA;
  let feedB;

  before(async () => {
    feedA = await emulator.feedJson(`/shops/${SHOP}/inventory.json`);
    feedB = feedA.slice(0, 100);
  });

  async function putFeed(name, feed, lastModified) {
    const response = await fetch(`${emulator.cdn}/__feeds/${name}`, { method: 'PUT', body: JSON.stringify(feed), headers: { 'last-modified': lastModified } });
    assert.ok(response.ok);
    return `${emulator.cdn}/feeds/${name}`;
  }

  const savedIndexes = (page) => page.evaluate(async () => (await (await caches.open('cg-inventory-index')).keys()).map((r) => r.url));

  /** Polls `check` (in Node) until it is true, for up to 30 s. */
  async function until(check, what) {
    for (let waited = 0; !(await check()); waited += 100) {
      assert.ok(waited < 30000, what);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const waitForSavedIndex = (page) => until(async () => (await savedIndexes(page)).length > 0, 'the index is saved after loading');

  /** A page in a context of its own, so its Cache Storage starts empty. */
  async function pageWithEmptyStorage() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (error) => page.errors.push(error.message));
    return { context, page };
  }

  test('an unchanged feed is revalidated and answered from the saved index, unread', async () => {
    const feed = await putFeed('repeat.json', feedA, DATE);
    const { context, page } = await pageWithEmptyStorage();
    const url = await pageUrl(emulator, config({ feed }));
    await page.goto(url);
    await expectCount(page, shownItems(feedA).length);
    await waitForSavedIndex(page);
    assert.deepEqual(await savedIndexes(page), [feed]);

    // Same date, other bytes: only a read of the saved index shows feed A's count.
    await emulator.reset(); // (which also drops stored feeds)
    await putFeed('repeat.json', feedB, DATE);
    await page.reload();
    await expectCount(page, shownItems(feedA).length);
    const requests = (await emulator.log()).filter((r) => r.path.startsWith('/feeds/repeat.json') && r.method === 'GET');
    assert.equal(requests.length, 1);
    assert.equal(requests[0].headers['if-modified-since'], DATE, 'the feed was revalidated');
    assert.equal(requests[0].status, 304);
    // The saved index still searches, filters and links.
    const plain = shownItems(feedA).find((i) => /^[A-Za-z ]{4,}$/.test(i.data?.title ?? ''));
    await page.getByRole('searchbox', { name: /Search/ }).fill(plain.data.title);
    assert.ok((await page.locator('.cg-card a.cg-link').first().getAttribute('href')).startsWith(STOREFRONT));

    // A newer feed is read in full and replaces the saved index.
    await putFeed('repeat.json', feedB, NEWER);
    await page.goto(url); // (the search is in the URL now)
    await expectCount(page, shownItems(feedB).length);
    const savedDate = () => page.evaluate(async (key) => (await (await caches.open('cg-inventory-index')).match(key))?.headers.get('x-cg-feed-date'), feed);
    await until(async () => (await savedDate()) === NEWER, 'the newer index replaces the saved one');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('an origin keeps the indexes of its three most recent feeds', async () => {
    const { context, page } = await pageWithEmptyStorage();
    const feeds = [];
    for (const n of [1, 2, 3, 4]) {
      const feed = await putFeed(`kept-${n}.json`, feedB, DATE);
      feeds.push(feed);
      await page.goto(await pageUrl(emulator, config({ feed })));
      await expectCount(page, shownItems(feedB).length);
      await until(async () => (await savedIndexes(page)).includes(feed), `feed ${n}'s index is saved`);
    }
    await until(async () => (await savedIndexes(page)).length === 3, 'the oldest index is deleted');
    assert.deepEqual((await savedIndexes(page)).sort(), feeds.slice(1).sort());
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a damaged saved index is dropped and the feed read again', async () => {
    const feed = await putFeed('damaged.json', feedA, DATE);
    const { context, page } = await pageWithEmptyStorage();
    await page.goto(await pageUrl(emulator, config({ feed })));
    await expectCount(page, shownItems(feedA).length);
    await waitForSavedIndex(page);
    // Flip bytes in the middle of the stored index, keeping its date.
    await page.evaluate(async (key) => {
      const cache = await caches.open('cg-inventory-index');
      const stored = await cache.match(key);
      const bytes = new Uint8Array(await stored.arrayBuffer());
      for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] ^= 0x5a;
      await cache.put(key, new Response(bytes, { headers: stored.headers }));
    }, feed);
    await page.reload();
    await expectCount(page, shownItems(feedA).length);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});

describe('loading and errors', () => {
  test('a retry under way says so and cannot be started twice', async () => {
    await emulator.reset();
    const feed = `${emulator.cdn}/feeds/gen/20.json?fault=delay-1500,status-404`;
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, { feed, storefront: STOREFRONT }));
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Retry' }).click();
    const waiting = page.getByRole('button', { name: 'Trying again…' });
    await waiting.waitFor();
    assert.ok(await waiting.isDisabled(), 'a second click starts nothing');
    assert.ok(await page.locator('.cg-loading').isVisible(), 'the load is shown');
    await page.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 30000 });
    assert.match(await alert.textContent(), /not found/i);
    assert.equal((await emulator.log()).filter((r) => r.path.startsWith('/feeds/gen/20.json')).length, 2);
    await page.close();
  });

  test('a shop without a feed says it was not found, with a retry', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config({ shop: '999999' })));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /not found/i);
    await emulator.reset();
    await page.getByRole('button', { name: 'Retry' }).click();
    // Retry fetches the feed again (polled: the alert is already on screen).
    const deadline = Date.now() + 10000;
    while (!(await emulator.log()).some((r) => r.path.startsWith('/shops/999999/'))) {
      assert.ok(Date.now() < deadline, 'Retry fetched the feed again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await alert.waitFor();
    assert.match(await alert.textContent(), /not found/i);
    await page.close();
  });

  test('a server error and a body that is not JSON are explained', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config({ feed: `${emulator.cdn}/shops/${SHOP}/inventory.json?fault=status-503` })));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /HTTP 503/);
    await page.goto(await pageUrl(emulator, config({ feed: `${emulator.cdn}/shops/${SHOP}/inventory.json?fault=not-json` })));
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /not a list of items/);
    assert.ok(await page.getByRole('button', { name: 'Retry' }).isVisible());
    await page.close();
  });

  test('unreadable items are skipped and counted', async () => {
    const good = items.slice(0, 3);
    const body = JSON.stringify([...good, 42, 'text', null]).replace(/\]$/, ', {"id": 1, "listings": [}]');
    const feedUrl = await emulator.putFeed('partly-broken.json', body);
    const page = await open(config({ feed: feedUrl }));
    assert.equal(await resultCount(page), 3);
    assert.match(await page.getByRole('note').first().textContent(), /4 items could not be read/);
    await page.close();
  });

  test('progress is shown while a slow feed arrives', async () => {
    const page = await newPage(browser);
    await page.goto(await pageUrl(emulator, config({ feed: `${emulator.cdn}/shops/5000/inventory.json?fault=slow` })));
    const progress = page.getByRole('progressbar', { name: /Loading/ });
    await progress.waitFor();
    await page.waitForFunction(() => /received|of/.test(document.querySelector('.cg-loading-text')?.textContent ?? ''));
    await page.close();
  });
});
