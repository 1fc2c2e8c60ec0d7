// Buyers check out: login against the emulated Client API, a cart that
// survives reloads and re-logins, and exactly the documented GraphQL calls.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, pageUrl, startEmulator } from './harness.mjs';

const ORIGIN = 'www.my-vinyl-store.com';
const EMAIL = 'buyer@example.com';
const PASSWORD = 'correct horse battery staple';
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let emulator, browser, storefront, api;
/** Session and cart keys name the API's origin and the shop domain. */
const sessionKey = () => `cg-inventory:session:${ORIGIN}@${emulator.cdn}`;
const cartKey = () => `cg-inventory:cart:${ORIGIN}@${emulator.cdn}`;

before(async () => {
  emulator = await startEmulator(['--shop', '1234=200']);
  browser = await launchBrowser();
  storefront = `${emulator.pageOrigin}/store/1234`;
  api = `${emulator.cdn}/graphql`;
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

beforeEach(() => emulator.reset());

const config = (extra = {}) => ({ shop: '1234', cdn: emulator.cdn, storefront, currency: 'EUR', origin: ORIGIN, api, ...extra });

async function admin(path) {
  const response = await fetch(`${emulator.pageOrigin}${path}`, { method: 'POST' });
  assert.ok(response.ok, `${path}: ${response.status}`);
}

async function graphqlLog() {
  return (await emulator.log()).filter((r) => r.path.startsWith('/graphql') && r.method === 'POST');
}

/** Opens the widget and waits for the catalogue. */
async function open(page, extra) {
  await page.goto(await pageUrl(emulator, config(extra)));
  await page.locator('.cg-count').waitFor({ timeout: 60000 });
}

/** Fills and sends the login form (opening it if needed). */
async function logIn(page, password = PASSWORD) {
  const form = page.locator('form.cg-login');
  if (!(await form.isVisible())) await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
  await form.getByLabel('Email').fill(EMAIL);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
}

const cartButton = (page) => page.locator('.cg-cart-button');

/** Adds the first `count` listings shown that are not in the cart yet; returns the cart's listing ids. */
async function addListings(page, count) {
  for (let i = 0; i < count; i++) {
    await page.getByRole('button', { name: /^Add to cart:/ }).filter({ hasText: 'Add to cart' }).first().click();
  }
  await assert.doesNotReject(page.waitForFunction((n) => document.querySelector('.cg-cart-button')?.textContent === `Cart (${n})`, count));
  return storedCart(page);
}

async function storedCart(page) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) || '{"lines":[]}').lines, cartKey());
}

describe('login, cart and checkout', () => {
  test('a wrong password shows an error and stores nothing', async () => {
    const page = await newPage(browser);
    await open(page);
    await logIn(page, 'wrong password');
    const alert = page.locator('form.cg-login [role=alert]');
    await page.waitForFunction(() => document.querySelector('form.cg-login [role=alert]')?.textContent.length > 0);
    assert.match(await alert.textContent(), /did not match/);
    const [login] = await graphqlLog();
    assert.equal(login.headers['commonground-origin'], ORIGIN);
    assert.deepEqual(login.body.variables, { email: b64(EMAIL), password: b64('wrong password') });
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href);
    assert.ok(!stored.includes('wrong password') && !stored.includes(b64('wrong password')), 'the password is never stored or put in the URL');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('login, two listings, a reload, then checkout with exactly the documented requests', async () => {
    const page = await newPage(browser);
    await open(page);
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    const session = await page.evaluate((key) => sessionStorage.getItem(key), sessionKey());
    assert.ok(session && !session.includes(PASSWORD), 'the session is kept, the password is not');

    const lines = await addListings(page, 2);
    assert.equal(lines.length, 2);
    await page.reload();
    await page.locator('.cg-count').waitFor();
    assert.equal(await cartButton(page).textContent(), 'Cart (2)', 'a reload keeps the cart');
    await page.getByText('Hi Ada').waitFor();

    const earlier = (await graphqlLog()).length;
    await cartButton(page).click();
    assert.equal(await page.locator('.cg-cart-line').count(), 2);
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Check out' }).click()]);

    const calls = (await graphqlLog()).slice(earlier);
    // No availability query: `inventoryItems` has no filter by item, and
    // paging a whole shop is scraping. The emulator validates every request
    // against the documented schema, so each answered 200.
    assert.deepEqual(calls.map((c) => c.body.operationName), ['CheckoutCreate', 'CheckoutUpdateItems']);
    assert.deepEqual(calls.map((c) => c.status), [200, 200], 'every request valid against the documented schema');
    for (const call of calls) assert.equal(call.headers['commonground-origin'], ORIGIN);
    const jwt = JSON.parse(session).jwt;
    assert.equal(calls[0].headers.authorization, `Bearer ${jwt}`);
    assert.equal(calls[1].headers.authorization, `Bearer ${jwt}`);
    const state = await (await fetch(`${emulator.pageOrigin}/__graphql/state`)).json();
    const checkoutId = calls[1].body.variables.id;
    assert.deepEqual(
      calls[1].body.variables.items,
      lines.map((l) => ({ listingId: l.listing_id, quantity: 1 })),
      'numeric listing ids and quantities',
    );
    assert.ok(calls[1].body.variables.items.every((i) => Number.isInteger(i.listingId)));
    assert.equal(page.url(), `${storefront}/checkout/${checkoutId}`, 'handed to the shop to pay');
    assert.ok(JSON.stringify(state).includes(checkoutId));
    assert.ok(!calls.some((c) => c.path.includes(jwt)), 'the token is never in a URL');
    assert.deepEqual(page.errors, []);

    // `checkoutUpdateItems` adds items (the spec), so a checkout is never sent its items twice.
    const heldBy = async (id) => {
      const checkouts = (await (await fetch(`${emulator.pageOrigin}/__graphql/state`)).json()).checkouts;
      return checkouts.find((c) => c.id === id).items;
    };
    const cartItems = (cart) => cart.map((l) => ({ listingId: l.listing_id, quantity: 1 }));
    const backToTheWidget = async () => {
      await page.goBack();
      await page.locator('.cg-count').waitFor();
    };
    const checkOutAgain = async () => {
      const before = (await graphqlLog()).length;
      await cartButton(page).click();
      await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Check out' }).click()]);
      return (await graphqlLog()).slice(before).map((c) => c.body);
    };

    // Back from the shop's payment page with the same cart: the open checkout already holds it.
    await backToTheWidget();
    const same = await checkOutAgain();
    assert.deepEqual(same.map((b) => b.operationName), [], 'no second checkoutCreate, and nothing added twice');
    assert.equal(page.url(), `${storefront}/checkout/${checkoutId}`);
    assert.deepEqual(await heldBy(checkoutId), cartItems(lines));

    // A changed cart gets a checkout of its own, holding exactly the new cart.
    await backToTheWidget();
    await page.getByRole('button', { name: /^Add to cart:/ }).filter({ hasText: 'Add to cart' }).first().click();
    await page.waitForFunction(() => document.querySelector('.cg-cart-button')?.textContent === 'Cart (3)');
    const more = await storedCart(page);
    const changed = await checkOutAgain();
    assert.deepEqual(changed.map((b) => b.operationName), ['CheckoutCreate', 'CheckoutUpdateItems']);
    const newId = changed[1].variables.id;
    assert.notEqual(newId, checkoutId);
    assert.deepEqual(await heldBy(newId), cartItems(more));
    assert.deepEqual(await heldBy(checkoutId), cartItems(lines), 'the old checkout is left as it was');
    await page.close();
  });

  test('an expired session mid-checkout asks to log in again, then completes with the cart intact', async () => {
    const page = await newPage(browser);
    await open(page, { 'checkout-url': `${emulator.pageOrigin}/pay?c={checkoutId}` });
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    const lines = await addListings(page, 2);
    await admin('/__graphql/expire-sessions');
    await cartButton(page).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    const form = page.locator('form.cg-login');
    await form.waitFor();
    assert.match(await form.textContent(), /session has expired/);
    assert.equal(await cartButton(page).textContent(), 'Cart (2)');
    await Promise.all([page.waitForURL(/\/pay\?c=/, { timeout: 30000 }), logIn(page)]);
    const calls = await graphqlLog();
    const update = calls.filter((c) => c.body.operationName === 'CheckoutUpdateItems').at(-1);
    assert.deepEqual(update.body.variables.items, lines.map((l) => ({ listingId: l.listing_id, quantity: 1 })));
    assert.ok(calls.filter((c) => c.body.operationName === 'Login').length === 2, 'logged in again');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a sold-out listing is flagged and removed only when the buyer agrees', async () => {
    const page = await newPage(browser);
    await open(page);
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    const lines = await addListings(page, 2);
    await admin(`/__graphql/sold-out/${lines[1].listing_id}`);
    await cartButton(page).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.locator('.cg-unavailable').waitFor();
    // The checkout's own answer names the listing: its record is named and marked.
    assert.match(await page.locator('.cg-checkout-error').textContent(), new RegExp(`^No longer available: “${escapeRegExp(lines[1].title)}”`));
    assert.equal(await page.locator('.cg-cart-line').count(), 2, 'nothing removed without the buyer');
    assert.equal((await storedCart(page)).filter((l) => l.unavailable).length, 1);
    assert.ok(await page.getByRole('button', { name: 'Check out' }).isDisabled());
    await page.getByRole('button', { name: 'Remove unavailable records' }).click();
    assert.equal(await page.locator('.cg-cart-line').count(), 1);
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Check out' }).click()]);
    const update = (await graphqlLog()).filter((c) => c.body.operationName === 'CheckoutUpdateItems').at(-1);
    assert.deepEqual(update.body.variables.items, [{ listingId: lines[0].listing_id, quantity: 1 }]);
    await page.close();
  });

  test('a failing API is explained and the checkout can be tried again', async () => {
    const page = await newPage(browser);
    await open(page);
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    await addListings(page, 1);
    await admin('/__graphql/fail-next?status=500&count=1');
    await cartButton(page).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.locator('.cg-checkout-error').waitFor();
    assert.match(await page.locator('.cg-checkout-error').textContent(), /HTTP 500/);
    assert.equal(await cartButton(page).textContent(), 'Cart (1)');
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Try again' }).click()]);
    await page.close();
  });

  test('a new buyer registers, is logged in, and logging out ends the session but keeps the cart', async () => {
    const page = await newPage(browser);
    await open(page);
    await addListings(page, 1);
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
    const form = page.locator('form.cg-login');
    await form.getByRole('button', { name: 'Create an account' }).click();
    await form.getByLabel('Email').fill('grace@example.com');
    await form.getByLabel('Password').fill('hopper 1906');
    await form.getByLabel('First name').fill('Grace');
    await form.getByLabel('Last name').fill('Hopper');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Hi Grace').waitFor();
    const [register] = (await graphqlLog()).filter((c) => c.body.operationName === 'Register');
    assert.deepEqual(register.body.variables, { email: b64('grace@example.com'), password: b64('hopper 1906'), firstName: 'Grace', lastName: 'Hopper' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), sessionKey()), null);
    assert.equal(await cartButton(page).textContent(), 'Cart (1)');
    await page.close();
  });

  test('the embed takes origin, api and checkout-url as attributes and tells the host about the checkout', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const events = [];
    await page.exposeFunction('recordCheckout', (detail) => events.push(detail));
    await page.evaluate((attributes) => {
      document.body.replaceChildren();
      window.viewed = [];
      const element = document.createElement('cg-inventory');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      element.addEventListener('cg-checkout', (e) => window.recordCheckout(e.detail));
      element.addEventListener('cg-view-item', (e) => window.viewed.push(e.detail));
      document.body.append(element);
    }, { ...config(), 'checkout-url': `${emulator.pageOrigin}/paid/{checkoutId}` });
    const root = page.locator('cg-inventory');
    await root.locator('.cg-count').waitFor({ timeout: 60000 });
    await root.getByRole('button', { name: /^Add to cart:/ }).first().click();
    await logIn(page);
    await root.getByText('Hi Ada').waitFor();
    await root.locator('.cg-cart-button').click();
    // A cart line's link tells the host too (the click is kept on this page).
    const title = root.locator('a.cg-cart-title').first();
    const href = await title.getAttribute('href');
    await page.evaluate(() => document.addEventListener('click', (e) => e.composedPath()[0].closest?.('a') && e.preventDefault(), { capture: true, once: true }));
    await title.click();
    await page.waitForFunction(() => window.viewed.length === 1);
    assert.equal((await page.evaluate(() => window.viewed[0])).url, href);
    await Promise.all([page.waitForURL(/\/paid\//, { timeout: 30000 }), root.getByRole('button', { name: 'Check out' }).click()]);
    assert.equal(events.length, 1);
    assert.equal(page.url(), events[0].url);
    assert.ok(events[0].url.endsWith(events[0].checkoutId));
    await page.close();
  });

  test('a widget removed while its checkout is on the way stops cleanly and never re-uses that checkout', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    const mountElement = (attributes) =>
      page.evaluate((attributes) => {
        document.body.replaceChildren();
        const element = document.createElement('cg-inventory');
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.append(element);
      }, attributes);
    await mountElement(config());
    const root = page.locator('cg-inventory');
    await root.locator('.cg-count').waitFor({ timeout: 60000 });
    await root.getByRole('button', { name: /^Add to cart:/ }).first().click();
    await logIn(page);
    await root.getByText('Hi Ada').waitFor();
    // The update's answer comes only after the widget is gone.
    await admin('/__graphql/fail-next?status=500&delay=1500&operation=CheckoutUpdateItems');
    await root.locator('.cg-cart-button').click();
    await root.getByRole('button', { name: 'Check out' }).click();
    await page.waitForFunction(async (url) => {
      const log = await (await fetch(url)).json();
      return log.some((r) => r.body?.operationName === 'CheckoutUpdateItems');
    }, `${emulator.pageOrigin}/__log`);
    await page.evaluate(() => document.querySelector('cg-inventory').remove());
    await page.waitForTimeout(2500);
    assert.deepEqual(page.errors, [], 'nothing runs on a removed widget');
    const session = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), sessionKey());
    assert.equal(session.checkout ?? null, null, 'a checkout whose update never answered is not remembered');

    await mountElement(config({ 'checkout-url': `${emulator.pageOrigin}/paid/{checkoutId}` }));
    await root.locator('.cg-count').waitFor({ timeout: 60000 });
    await root.getByText('Hi Ada').waitFor();
    const before = (await graphqlLog()).length;
    await root.locator('.cg-cart-button').click();
    await Promise.all([page.waitForURL(/\/paid\//, { timeout: 30000 }), root.getByRole('button', { name: 'Check out' }).click()]);
    const calls = (await graphqlLog()).slice(before).map((c) => c.body.operationName);
    assert.deepEqual(calls, ['CheckoutCreate', 'CheckoutUpdateItems'], 'a new checkout');
    await page.close();
  });

  test('the cart and the login form give focus back when they close, and Escape closes them', async () => {
    const page = await newPage(browser);
    await open(page);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    const cart = cartButton(page);
    await cart.click();
    assert.equal(await cart.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Escape');
    assert.equal(await cart.getAttribute('aria-expanded'), 'false', 'Escape on the cart button closes the cart');
    await cart.click();
    await page.getByRole('button', { name: 'Close cart' }).click();
    assert.equal(await focused(), 'Cart (0)');
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
    await page.locator('form.cg-login').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await focused(), 'Log in');
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    assert.equal(await focused(), 'Log out', 'after logging in, focus is on the account bar');
    await page.close();
  });

  test('two widgets of one shop on a page share one cart, and neither saves over the other', async () => {
    const page = await newPage(browser);
    await page.goto(`${emulator.pageOrigin}/public/two-shops.html`);
    await page.evaluate((attributes) => {
      document.body.replaceChildren();
      for (const id of ['a', 'b']) {
        const element = Object.assign(document.createElement('cg-inventory'), { id });
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.append(element);
      }
    }, config());
    const [a, b] = [page.locator('#a'), page.locator('#b')];
    for (const widget of [a, b]) await widget.locator('.cg-count').waitFor({ timeout: 60000 });
    await a.getByRole('button', { name: /^Add to cart:/ }).nth(0).click();
    await b.locator('.cg-cart-button', { hasText: 'Cart (1)' }).waitFor();
    await b.getByRole('button', { name: /^Add to cart:/ }).filter({ hasText: 'Add to cart' }).first().click();
    await a.locator('.cg-cart-button', { hasText: 'Cart (2)' }).waitFor();
    assert.equal((await storedCart(page)).length, 2, 'both lines are saved');
    await page.close();
  });

  test('without an origin the widget is browse and link-out only', async () => {
    const page = await newPage(browser);
    await open(page, { origin: '' });
    assert.equal(await page.locator('.cg-account, .cg-add').count(), 0);
    assert.ok((await page.locator('a.cg-link').count()) > 0, 'items still link to the shop');
    await page.close();
  });

  test('a request the API refuses as invalid is the widget\'s problem: the buyer keeps the cart and can retry', async () => {
    const page = await newPage(browser);
    const consoleMessages = [];
    page.on('console', (message) => consoleMessages.push(message.text()));
    await open(page);
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    await addListings(page, 1);
    // One update goes out asking for a field the guide's checkout does not
    // have, as a widget with that bug would send it. The emulator validates
    // against the documented schema and refuses it as a whole, as GraphQL
    // servers do (HTTP 400, GRAPHQL_VALIDATION_FAILED).
    let refusedOnce = false;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON();
      if (!refusedOnce && body?.operationName === 'CheckoutUpdateItems') {
        refusedOnce = true;
        const query = body.query.replace('useSingleAddress', 'useSingleAddress items { listingId quantity }');
        assert.notEqual(query, body.query);
        return route.continue({ postData: JSON.stringify({ ...body, query }) });
      }
      return route.continue();
    });
    const earlier = (await graphqlLog()).length;
    await cartButton(page).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.locator('.cg-checkout-error').waitFor();
    assert.match(await page.locator('.cg-checkout-error').textContent(), /^Checkout is unavailable right now/);
    assert.doesNotMatch(await page.locator('.cg-checkout-error').textContent(), /items|GRAPHQL|type/, 'no technical message for the buyer');
    assert.ok(refusedOnce, 'the update was sent with the undocumented field');
    const refusal = (await graphqlLog()).slice(earlier).find((c) => c.body.operationName === 'CheckoutUpdateItems');
    assert.equal(refusal.status, 400, 'the emulator itself refused it');
    assert.ok(consoleMessages.some((m) => m.includes('GRAPHQL_VALIDATION_FAILED')), 'the technical message goes to the console');
    assert.equal(await cartButton(page).textContent(), 'Cart (1)', 'the cart is kept');
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Try again' }).click()]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the login form names the shop and the API host the buyer signs in to', async () => {
    const page = await newPage(browser);
    await open(page);
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
    const where = await page.locator('form.cg-login .cg-login-where').textContent();
    assert.ok(where.includes(ORIGIN) && where.includes(new URL(emulator.cdn).host), where);
    await page.close();
  });

  test('a phishing link cannot move the login, the token, the storefront or the payment page', async () => {
    const page = await newPage(browser);
    const evil = 'https://evil.example';
    const link = new URL(await pageUrl(emulator, config()));
    for (const [name, value] of Object.entries({
      api: `${evil}/graphql`,
      origin: 'other-shop.com',
      'checkout-url': `${evil}/pay/{checkoutId}`,
      storefront: evil,
      cdn: evil,
      feed: `${evil}/x.json`,
      currency: 'USD',
    })) {
      link.searchParams.set(name, value);
    }
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(link.href);
    await page.locator('.cg-count').waitFor({ timeout: 60000 });
    const notices = await page.locator('.cg-notices').first().textContent();
    assert.match(notices, /Settings in the page address were ignored/);
    assert.ok(!notices.includes('evil'), 'the notice does not repeat the link');
    const links = await page.locator('a.cg-link[href]').evaluateAll((anchors) => anchors.map((a) => a.href));
    assert.ok(links.length > 0 && links.every((href) => href.startsWith(storefront)), 'items link to the configured storefront');
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    await addListings(page, 1);
    await cartButton(page).click();
    await Promise.all([page.waitForURL(/\/checkout\//, { timeout: 30000 }), page.getByRole('button', { name: 'Check out' }).click()]);
    assert.ok(page.url().startsWith(`${storefront}/checkout/`), 'paid at the configured storefront');
    assert.ok(!requests.some((url) => new URL(url).hostname.endsWith('evil.example')), 'nothing went to the link\'s hosts');
    const logins = (await graphqlLog()).filter((c) => c.body.operationName === 'Login');
    assert.equal(logins.length, 1, 'the credentials went to the configured API');
    assert.equal(logins[0].headers['commonground-origin'], ORIGIN);
    await page.close();
  });

  test('a token is only sent to the API that issued it', async () => {
    const page = await newPage(browser);
    await open(page);
    await logIn(page);
    await page.getByText('Hi Ada').waitFor();
    await addListings(page, 1);
    // The same shop domain behind another API endpoint (another origin of
    // the same emulator): the stored session must not be restored there.
    const otherApi = `${emulator.pageOrigin}/graphql`;
    await page.goto(await pageUrl(emulator, config({ api: otherApi })));
    await page.locator('.cg-count').waitFor({ timeout: 60000 });
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByText('Hi Ada').count(), 0, 'not logged in at another API');
    assert.equal(await cartButton(page).textContent(), 'Cart (0)', 'the cart is scoped to its API too');
    const before = (await graphqlLog()).length;
    await addListings(page, 1);
    await cartButton(page).click();
    await page.getByRole('button', { name: 'Log in to check out' }).click();
    await page.locator('form.cg-login').waitFor();
    const sent = (await graphqlLog()).slice(before);
    assert.ok(sent.every((c) => !c.headers.authorization), 'no token was sent to the other API');
    await page.close();
  });

  test('a cart saved under the shop domain alone is moved once, not lost; an unscoped session is never used', async () => {
    const page = await newPage(browser);
    await open(page);
    await addListings(page, 1);
    const saved = await page.evaluate((key) => localStorage.getItem(key), cartKey());
    await page.evaluate(
      ({ scoped, saved, origin }) => {
        localStorage.removeItem(scoped);
        localStorage.setItem(`cg-inventory:cart:${origin}`, saved);
        sessionStorage.setItem(`cg-inventory:session:${origin}`, JSON.stringify({ jwt: 'old.unscoped.token', expires: Date.now() + 3600000, first_name: 'Old' }));
      },
      { scoped: cartKey(), saved, origin: ORIGIN },
    );
    await page.reload();
    await page.locator('.cg-count').waitFor();
    assert.equal(await cartButton(page).textContent(), 'Cart (1)', 'the cart came back');
    assert.equal(await page.evaluate((origin) => localStorage.getItem(`cg-inventory:cart:${origin}`), ORIGIN), null, 'moved, not copied');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), cartKey()), saved);
    assert.equal(await page.getByText('Hi Old').count(), 0);
    assert.equal(await page.evaluate((origin) => sessionStorage.getItem(`cg-inventory:session:${origin}`), ORIGIN), null, 'the unscoped session is cleared');
    await page.close();
  });
});
