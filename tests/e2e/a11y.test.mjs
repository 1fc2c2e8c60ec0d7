// The accessibility audit: axe-core over the widget in every state a
// shopper meets, in the standalone page (the whole page) and in an embed
// (the widget's shadow root only: the host page owns its landmarks and
// its level-one heading). WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best
// practices; any violation fails the test, naming the rule and the node.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOST_PAGE_RULES, axeViolations, insideWidget } from './axe.mjs';
import { launchBrowser, newPage, pageUrl, startEmulator } from './harness.mjs';

const ORIGIN = 'www.my-vinyl-store.com';
const EMAIL = 'buyer@example.com';
const PASSWORD = 'correct horse battery staple';

let emulator, browser;

before(async () => {
  emulator = await startEmulator(['--shop', '1234=300']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

beforeEach(() => emulator.reset());

const settings = (extra = {}) => ({ shop: '1234', cdn: emulator.cdn, storefront: `${emulator.pageOrigin}/store/1234`, currency: 'EUR', ...extra });
const withCheckout = (extra = {}) => settings({ origin: ORIGIN, api: `${emulator.cdn}/graphql`, ...extra });

/**
 * The two ways the widget reaches a shopper: `open(settings)` shows it with
 * those settings, and `audit(page)` runs axe where that way's rules apply.
 */
const WAYS = {
  'standalone page': {
    async open(config) {
      const page = await newPage(browser);
      await page.goto(await pageUrl(emulator, config));
      return page;
    },
    audit: (page) => axeViolations(page),
  },
  embed: {
    async open(config) {
      const page = await newPage(browser);
      await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
      await page.evaluate((attributes) => {
        const heading = Object.assign(document.createElement('h1'), { textContent: 'A partner blog' });
        const element = document.createElement('cg-inventory');
        element.id = 'audited';
        element.setAttribute('eager', '');
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.replaceChildren(heading, element);
      }, config);
      return page;
    },
    audit: (page) => axeViolations(page, insideWidget('#audited'), HOST_PAGE_RULES),
  },
};

const loaded = (page) => page.locator('.cg-count').waitFor({ timeout: 60000 });

/** Loaded in a 390 px wide window, where the filters fold behind a button. */
async function narrow(page) {
  await page.setViewportSize({ width: 390, height: 800 });
  await loaded(page);
}

async function logIn(page) {
  await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
  const form = page.locator('form.cg-login');
  await form.getByLabel('Email').fill(EMAIL);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Hi Ada').waitFor({ timeout: 30000 });
}

async function addTwoToCart(page) {
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: /^Add to cart:/ }).filter({ hasText: 'Add to cart' }).first().click();
  await page.locator('.cg-cart-button', { hasText: 'Cart (2)' }).waitFor();
}

/** Each state: the settings it needs, and how to reach it once the page is open. */
const STATES = {
  'loading, with the preview shown': {
    config: () => settings({ shop: undefined, feed: `${emulator.cdn}/shops/1234/inventory.json?fault=stall`, timeout: '30' }),
    reach: (page) => page.locator('.cg-preview .cg-card').first().waitFor({ timeout: 30000 }),
  },
  loaded: { config: settings, reach: loaded },
  'results filtered': {
    config: settings,
    async reach(page) {
      await loaded(page);
      await page.locator('fieldset.cg-facet input[type=checkbox]').first().check();
      await page.getByRole('searchbox', { name: /Search/ }).fill('a');
      await page.locator('.cg-clear').first().waitFor();
    },
  },
  'zero results': {
    config: settings,
    async reach(page) {
      await loaded(page);
      await page.getByRole('searchbox', { name: /Search/ }).fill('zzzzqqqxx');
      await page.locator('.cg-empty').waitFor();
    },
  },
  'a load error': {
    config: () => settings({ shop: '999999' }),
    reach: (page) => page.locator('.cg-error').waitFor({ timeout: 30000 }),
  },
  'narrow, filters folded': {
    config: settings,
    async reach(page) {
      await narrow(page);
      await page.getByRole('button', { name: /^Filters/ }).waitFor();
    },
  },
  'narrow, filters unfolded': {
    config: settings,
    async reach(page) {
      await narrow(page);
      await page.getByRole('button', { name: /^Filters/ }).click();
      await page.getByRole('button', { name: 'Show results' }).waitFor();
    },
  },
  'a facet\'s "Show all" open': {
    config: settings,
    async reach(page) {
      await loaded(page);
      await page.getByRole('button', { name: /^Show all/ }).first().click();
      await page.getByRole('button', { name: 'Show fewer' }).first().waitFor();
    },
  },
  'dark theme, default palette': {
    config: () => settings({ theme: 'dark' }),
    reach: loaded,
  },
  'login panel': {
    config: withCheckout,
    async reach(page) {
      await loaded(page);
      await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
      await page.locator('form.cg-login').waitFor();
    },
  },
  'cart drawer with items': {
    config: withCheckout,
    async reach(page) {
      await loaded(page);
      await logIn(page);
      await addTwoToCart(page);
      await page.locator('.cg-cart-button').click();
      await page.getByRole('button', { name: 'Check out' }).waitFor();
    },
  },
  'a checkout error': {
    config: withCheckout,
    async reach(page) {
      await loaded(page);
      await logIn(page);
      await addTwoToCart(page);
      const response = await fetch(`${emulator.pageOrigin}/__graphql/fail-next?status=500&count=1`, { method: 'POST' });
      assert.ok(response.ok);
      await page.locator('.cg-cart-button').click();
      await page.getByRole('button', { name: 'Check out' }).click();
      await page.locator('.cg-checkout-error').waitFor();
    },
  },
  'aggregator mode': {
    config: () => settings({ shop: undefined, storefront: undefined, 'shops-url': `${emulator.cdn}/partner/shops.json` }),
    async reach(page) {
      await loaded(page);
      await page.locator('.cg-shop-name').first().waitFor();
    },
  },
};

for (const [way, { open, audit }] of Object.entries(WAYS)) {
  describe(`no axe violations in any state: ${way}`, () => {
    for (const [state, { config, reach }] of Object.entries(STATES)) {
      test(state, async () => {
        const values = Object.fromEntries(Object.entries(config()).filter(([, value]) => value !== undefined));
        const page = await open(values);
        try {
          await reach(page);
          assert.deepEqual(await audit(page), []);
          assert.deepEqual(page.errors, []);
        } finally {
          await page.close();
        }
      });
    }
  });
}

/** The focused element, through open shadow roots. */
const deepFocus = (page) =>
  page.evaluate(() => {
    let focused = document.activeElement;
    while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
    const card = focused?.closest('.cg-card');
    return {
      tag: focused?.tagName,
      type: focused?.getAttribute('type') ?? null,
      label: focused?.getAttribute('aria-label') ?? focused?.labels?.[0]?.textContent?.trim() ?? null,
      className: String(focused?.className ?? ''),
      text: focused?.textContent?.trim(),
      card: card?.getAttribute('aria-posinset') ?? null,
    };
  });

for (const [way, { open }] of Object.entries(WAYS)) {
  describe(`the keyboard reaches the first result from the search box: ${way}`, () => {
    for (const filtered of [false, true]) {
      test(filtered ? 'with filters in effect' : 'with no filter in effect', async () => {
        const page = await open(settings());
        try {
          await loaded(page);
          if (filtered) {
            await page.locator('fieldset.cg-facet input[type=checkbox]').first().check();
            await page.locator('.cg-clear').first().waitFor();
          }
          await page.getByRole('searchbox', { name: /Search/ }).focus();
          let tabs = 0;
          while ((await deepFocus(page)).text !== 'Skip to results' && tabs < 5) {
            await page.keyboard.press('Tab');
            tabs++;
          }
          assert.equal((await deepFocus(page)).text, 'Skip to results', `reached within ${tabs} Tab presses`);
          assert.ok(tabs <= 5, `${tabs} Tab presses`);
          const skip = page.getByRole('button', { name: 'Skip to results' });
          assert.ok((await skip.boundingBox()).width > 20, 'seen while it has focus');
          await page.keyboard.press('Enter');
          const focused = await deepFocus(page);
          assert.equal(focused.card, '1', `the first result has focus: ${JSON.stringify(focused)}`);
          assert.equal(focused.tag, 'A');
          // Out of sight again once focus has moved on.
          assert.ok((await skip.boundingBox()).width <= 1);
          assert.deepEqual(page.errors, []);
        } finally {
          await page.close();
        }
      });
    }
  });
}

for (const [way, { open }] of Object.entries(WAYS)) {
  test(`the result count is announced once typing pauses, not on every keystroke: ${way}`, async () => {
    const page = await open(settings());
    try {
      await loaded(page);
      await page.waitForTimeout(900);
      // Every change of the live region, with its time.
      await page.evaluate(() => {
        const root = document.querySelector('#audited')?.shadowRoot ?? document;
        const region = root.querySelector('.cg-count ~ [aria-live=polite]');
        window.announced = [];
        new MutationObserver(() => window.announced.push({ at: performance.now(), text: region.textContent })).observe(region, { childList: true, characterData: true, subtree: true });
      });
      const search = page.getByRole('searchbox', { name: /Search/ });
      await search.pressSequentially('the', { delay: 80 });
      const typedAt = await page.evaluate(() => performance.now());
      assert.deepEqual(await page.evaluate(() => window.announced), [], 'nothing while typing');
      await page.waitForFunction(() => window.announced.length > 0, null, { timeout: 5000 });
      await page.waitForTimeout(900);
      const announced = await page.evaluate(() => window.announced);
      const shown = await page.locator('.cg-count').textContent();
      assert.equal(announced.length, 1, JSON.stringify(announced));
      assert.equal(announced[0].text, shown);
      assert.ok(announced[0].at - typedAt >= 550, `announced ${Math.round(announced[0].at - typedAt)} ms after the last keystroke`);
      assert.equal(await page.locator('.cg-count').getAttribute('aria-live'), 'off', 'the visible count itself is not live');
    } finally {
      await page.close();
    }
  });
}

/**
 * Presses `key` until the focused element (through shadow roots)
 * satisfies `wanted`, at most `limit` times; returns how many presses it took.
 */
async function pressUntil(page, key, wanted, limit = 80) {
  for (let presses = 0; presses <= limit; presses++) {
    if (wanted(await deepFocus(page))) return presses;
    await page.keyboard.press(key);
  }
  assert.fail(`${key} ${limit} times never reached it; focus is on ${JSON.stringify(await deepFocus(page))}`);
}

test('a buyer shops with the keyboard alone: search, a facet, a price range, the sort, two copies in the cart, login and checkout', async () => {
  const page = await WAYS['standalone page'].open(withCheckout());
  try {
    await loaded(page);
    const count = async () => Number((await page.locator('.cg-count').textContent()).match(/\d+/)[0]);
    const all = await count();
    // Into the page and onto the search box, from the top.
    await page.keyboard.press('Tab');
    await pressUntil(page, 'Tab', (f) => f.className.includes('cg-search-input'));
    await page.keyboard.type('a');
    await page.waitForFunction((n) => Number(document.querySelector('.cg-count').textContent.match(/\d+/)[0]) < n, all);
    const searched = await count();
    // A facet value: Space on its checkbox.
    await pressUntil(page, 'Tab', (f) => f.type === 'checkbox');
    await page.keyboard.press('Space');
    await page.waitForFunction((n) => Number(document.querySelector('.cg-count').textContent.match(/\d+/)[0]) < n, searched);
    assert.equal(await page.locator('fieldset.cg-facet input:checked').count(), 1);
    // A minimum price, typed and confirmed with Enter.
    await pressUntil(page, 'Tab', (f) => f.label === 'Minimum price', 200);
    const cheapest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('.cg-sale')].map((e) => Number(e.textContent.replace(/[^\d.]/g, '')))));
    await page.keyboard.type(String(Math.floor(cheapest) + 1));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.has('price_min'), null, { timeout: 10000 });
    const faceted = await count();
    assert.ok(faceted <= searched);
    // Back up to the sort order with Shift+Tab, and change it with an arrow key.
    await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'SELECT' && f.label === 'Sort', 200);
    const sortBefore = await page.evaluate(() => document.querySelector('.cg-sort select').value);
    // (On Linux an arrow key opens the list; Enter picks the option.)
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((before) => document.querySelector('.cg-sort select').value !== before, sortBefore, { timeout: 10000 });
    assert.equal(await count(), faceted, 'a sort keeps the results');
    // To the results, and two copies into the cart.
    await pressUntil(page, 'Tab', (f) => f.text === 'Skip to results');
    await page.keyboard.press('Enter');
    assert.equal((await deepFocus(page)).card, '1');
    for (let added = 0; added < 2; added++) {
      await pressUntil(page, 'Tab', (f) => f.tag === 'BUTTON' && f.text === 'Add to cart');
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction(() => document.querySelector('.cg-cart-button')?.textContent === 'Cart (2)');
    // Log in: back up to the account bar, Enter, type, Enter.
    await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'BUTTON' && f.text === 'Log in', 200);
    await page.keyboard.press('Enter');
    await page.locator('form.cg-login').waitFor();
    // The form puts focus in its first field.
    assert.equal((await deepFocus(page)).type, 'email');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText('Hi Ada').waitFor({ timeout: 30000 });
    // The cart, then the checkout.
    await pressUntil(page, 'Tab', (f) => f.tag === 'BUTTON' && f.text === 'Cart (2)', 200);
    await page.keyboard.press('Enter');
    await pressUntil(page, 'Tab', (f) => f.tag === 'BUTTON' && f.text === 'Check out', 40);
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.keyboard.press('Enter')]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

test('the widget\'s headings start at the level the host sets, its cards one below', async () => {
  const levels = (page) =>
    page.evaluate(() => {
      const root = document.querySelector('#audited').shadowRoot;
      return [...root.querySelectorAll('[role=heading]')].slice(0, 3).map((h) => [h.textContent.trim().slice(0, 20) === 'Record catalogue', h.getAttribute('aria-level')]);
    });
  for (const [attribute, own, cards] of [[null, '2', '3'], ['3', '3', '4'], ['1', '1', '2']]) {
    const page = await WAYS.embed.open(settings(attribute ? { 'heading-level': attribute } : {}));
    try {
      await loaded(page);
      assert.deepEqual(await levels(page), [[true, own], [false, cards], [false, cards]], `heading-level=${attribute}`);
      // A host whose outline the widget's fits: h1, then h2 above a level-3 widget.
      if (attribute === '3') {
        await page.evaluate(() => document.querySelector('#audited').before(Object.assign(document.createElement('h2'), { textContent: 'Our shop' })));
        assert.deepEqual(await WAYS.embed.audit(page), []);
      }
    } finally {
      await page.close();
    }
  }
});
