// The standalone page as a partner deploys it: its settings in the page's
// cg-config block and a Content-Security-Policy that names only the
// configured hosts (cg_inventory::core::deploy, written here by the
// emulator's PUT /__deploys/{name}). No violation in normal use; anything
// else is blocked, and the page keeps working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, STOREFRONT, expectCount, launchBrowser, newPage, pageUrl, resultCount, shownItems, startEmulator } from './harness.mjs';

let emulator, other, browser, items;

before(async () => {
  emulator = await startEmulator(['--shop', '1234=300']);
  // Another origin the page is not configured for.
  other = await startEmulator(['--shop', '1234=10']);
  browser = await launchBrowser();
  items = shownItems(await emulator.feedJson('/shops/1234/inventory.json'));
});

after(async () => {
  await browser?.close();
  emulator?.stop();
  other?.stop();
});

const config = (extra = {}) => ({ shop: '1234', cdn: emulator.cdn, storefront: STOREFRONT, currency: 'EUR', ...extra });

/** A page that records every CSP violation (`window.violations`). */
async function watchedPage() {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
  return page;
}

/** The policy and the configuration block of a served page. */
async function served(url) {
  const response = await fetch(url);
  const html = await response.text();
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
  const block = html.match(/<script type="application\/json" id="cg-config">([^<]*)<\/script>/)?.[1];
  return { response, html, policy, block: block && JSON.parse(block) };
}

const directive = (policy, name) => policy.split(';').map((d) => d.trim().split(' ')).find(([n]) => n === name)?.slice(1);

describe('the deployed standalone page', () => {
  test('carries its settings and a policy naming only its hosts', async () => {
    const url = await pageUrl(emulator, config({ q: 'x' }));
    const { response, html, policy, block } = await served(url);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(block, config(), 'the settings, and not the view state');
    assert.ok(!html.includes('<script type="module">'), 'no inline script');
    assert.equal(directive(policy, 'default-src').join(' '), "'none'");
    assert.equal(directive(policy, 'script-src').join(' '), "'self' 'wasm-unsafe-eval'");
    assert.equal(directive(policy, 'style-src').join(' '), "'self'");
    assert.deepEqual(directive(policy, 'connect-src'), ["'self'", emulator.cdn, 'https://api-client.common-ground.io']);
    assert.deepEqual(directive(policy, 'img-src'), ["'self'", 'https:', emulator.cdn]);
    for (const name of ['base-uri', 'form-action', 'object-src']) assert.equal(directive(policy, name).join(' '), "'none'", name);
    // The page's own settings block cannot be broken out of.
    const hostile = await pageUrl(emulator, config({ feed: '/feeds/</script><script>alert(1)</script>' }));
    const page = await served(hostile);
    assert.equal(page.block.feed, '/feeds/</script><script>alert(1)</script>');
    assert.ok(!page.html.includes('<script>alert(1)'));
  });

  test('an invalid setting is refused at deploy time, naming it', async () => {
    const response = await fetch(`${emulator.pageOrigin}/__deploys/bad`, { method: 'PUT', body: JSON.stringify({ shop: '1234', api: 'javascript:alert(1)' }) });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /invalid settings: api/);
    const unknown = await fetch(`${emulator.pageOrigin}/__deploys/bad`, { method: 'PUT', body: JSON.stringify({ shop: '1234', tracker: 'https://evil.example' }) });
    assert.equal(unknown.status, 400);
    assert.match((await unknown.json()).error, /unknown settings: tracker/);
    assert.equal((await fetch(`${emulator.pageOrigin}/deploys/bad/`)).status, 404, 'nothing was deployed');
  });

  test('loads, searches and filters under its policy with no violation', async () => {
    const page = await watchedPage();
    await page.goto(await pageUrl(emulator, config()));
    assert.equal(await resultCount(page), items.length);
    const word = items.map((i) => i.data?.title?.split(' ')[0]).find((w) => w && /^[A-Za-z]{4,}$/.test(w));
    await page.getByRole('searchbox', { name: /Search/ }).fill(word);
    await page.waitForFunction((w) => document.querySelector('.cg-card .cg-title')?.textContent.toLowerCase().includes(w.toLowerCase()) ?? false, word);
    await page.getByRole('searchbox', { name: /Search/ }).fill('');
    await expectCount(page, items.length);
    await page.getByRole('checkbox').first().check();
    await page.locator('img.cg-cover').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('img.cg-cover')].some((img) => img.complete && img.naturalWidth > 0));
    // The virtualised list styles rows through the CSSOM, which CSP allows.
    for (let i = 0; i < 3; i++) await page.evaluate(() => window.scrollBy(0, window.innerHeight));
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the login form and the cart work under the policy with no violation', async () => {
    const page = await watchedPage();
    await page.goto(await pageUrl(emulator, config({ origin: 'www.my-vinyl-store.com', api: `${emulator.cdn}/graphql` })));
    await resultCount(page);
    await page.locator('.cg-account').getByRole('button', { name: 'Log in' }).click();
    const form = page.locator('form.cg-login');
    await form.getByLabel('Email').fill('buyer@example.com');
    await form.getByLabel('Password').fill('correct horse battery staple');
    await form.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Hi Ada').waitFor();
    await page.getByRole('button', { name: /^Add to cart:/ }).first().click();
    await page.waitForFunction(() => document.querySelector('.cg-cart-button')?.textContent === 'Cart (1)');
    await page.locator('.cg-cart-button').click();
    await page.getByRole('button', { name: 'Check out' }).waitFor();
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a connection or an image outside the policy is blocked, and the page keeps working', async () => {
    await other.reset();
    const page = await watchedPage();
    await page.goto(await pageUrl(emulator, config()));
    await resultCount(page);
    const outcome = await page.evaluate((url) => fetch(url).then(() => 'fetched', (error) => `blocked: ${error.name}`), `${other.pageOrigin}/shops/1234/inventory.json`);
    assert.equal(outcome, 'blocked: TypeError');
    await page.evaluate((src) => {
      const img = document.createElement('img');
      img.src = src;
      document.body.append(img);
    }, `${other.pageOrigin}/img/1.png`);
    await page.waitForFunction(() => window.violations.length >= 2);
    const violations = await page.evaluate(() => window.violations);
    assert.deepEqual(violations.map((v) => v.directive).sort(), ['connect-src', 'img-src']);
    assert.ok(violations.every((v) => v.blocked.startsWith(other.pageOrigin)), JSON.stringify(violations));
    assert.deepEqual(await other.log(), [], 'nothing reached the other host');
    // Still searching.
    await page.getByRole('searchbox', { name: /Search/ }).fill('zzzzqqqq');
    await expectCount(page, 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a link cannot widen the policy or move the catalogue', async () => {
    await other.reset();
    const page = await watchedPage();
    const url = new URL(await pageUrl(emulator, config()));
    url.searchParams.set('cdn', other.cdn);
    url.searchParams.set('feed', `${other.cdn}/shops/1234/inventory.json`);
    await page.goto(url.href);
    assert.equal(await resultCount(page), items.length);
    assert.match(await page.locator('.cg-notices').first().textContent(), /Settings in the page address were ignored/);
    assert.deepEqual(await other.log(), []);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    await page.close();
  });

  test('a changed wasm module does not run: the page says it cannot be shown', async () => {
    // A copy of the built page whose module differs from the one its
    // preload link's integrity names.
    const work = mkdtempSync(join(tmpdir(), 'cg-tampered-'));
    try {
      cpSync(`${ROOT}dist`, work, { recursive: true, filter: (source) => !source.includes(`${ROOT}dist/embed`) });
      const wasm = join(work, readdirSync(work).find((f) => f.endsWith('_bg.wasm')));
      const bytes = readFileSync(wasm);
      bytes[bytes.length - 100] ^= 0x01;
      writeFileSync(wasm, bytes);
      const site = await startEmulator(['--page-config', JSON.stringify({ shop: '1234', cdn: emulator.cdn, storefront: STOREFRONT })], { staticDir: work });
      try {
        const page = await watchedPage();
        const logged = [];
        page.on('console', (message) => logged.push(message.text()));
        await page.goto(`${site.pageOrigin}/`);
        await page.getByRole('alert').waitFor({ timeout: 30000 });
        assert.ok(logged.some((text) => /integrity/i.test(text) && /_bg\.wasm/.test(text)), `refused for its integrity: ${logged.join('\n')}`);
        assert.match(await page.getByRole('alert').textContent(), /cannot be shown/);
        assert.equal(await page.locator('[role=status]').count(), 0, 'the widget never ran');
        assert.deepEqual(await page.evaluate(() => window.violations), []);
        await page.close();
      } finally {
        site.stop();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
