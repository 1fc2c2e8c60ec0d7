// Every feed of the bad-feed corpus (tests/feeds/bad) through the real
// widget: a clear outcome, never a crash, never injected markup.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ROOT, launchBrowser, newPage, pageUrl, startEmulator } from './harness.mjs';

const dir = `${ROOT}tests/feeds/bad/`;
const manifest = JSON.parse(readFileSync(`${dir}cases.json`, 'utf8'));
let emulator, browser;

before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

test('every corpus feed ends in its stated outcome, with no crash and no injected markup', async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.alerts = 0;
    window.alert = () => { window.alerts += 1; };
  });
  let checked = 0;
  for (const { file, expect } of manifest.cases.filter((c) => c.file)) {
    const feed = await emulator.putFeed(file, readFileSync(dir + file));
    await page.goto(await pageUrl(emulator, { feed, storefront: manifest.storefront, timeout: '2' }));
    const outcome = page.locator('[role=status], [role=alert]').first();
    await outcome.waitFor({ timeout: 30000 });
    const text = await outcome.textContent();
    if (expect.error) {
      assert.equal(await outcome.getAttribute('role'), 'alert', `${file}: ${text}`);
      assert.match(text, /could not be read|not a list|empty|ended before/i, file);
    } else {
      assert.equal(Number(text.match(/\d+/)?.[0]), expect.shown, `${file}: ${text}`);
    }
    const injected = await page.evaluate(() => ({
      scripts: document.querySelectorAll('#cg-inventory script').length,
      handlers: [...document.querySelectorAll('#cg-inventory *')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      badLinks: [...document.querySelectorAll('#cg-inventory a[href]')].filter((a) => !/^https?:\/\//.test(a.getAttribute('href'))).length,
      badImages: [...document.querySelectorAll('#cg-inventory img')].filter((i) => !/^https?:\/\//.test(i.getAttribute('src'))).length,
      alerts: window.alerts,
    }));
    assert.deepEqual(injected, { scripts: 0, handlers: 0, badLinks: 0, badImages: 0, alerts: 0 }, file);
    assert.deepEqual(page.errors, [], file);
    checked += 1;
  }
  assert.ok(checked >= 40);
  await page.close();
});
