// Shared set-up for the end-to-end tests: the emulator, Chromium, and
// helpers to read the widget. Nothing here reaches beyond loopback.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STOREFRONT = 'https://shop.example';
/** The crate's version, which names the embed's folder: `dist/embed/v{version}/`. */
export const VERSION = readFileSync(`${ROOT}Cargo.toml`, 'utf8').match(/^version = "([^"]+)"/m)[1];
/** Where the embed is served, relative to the site root. */
export const EMBED_PATH = `embed/v${VERSION}`;

/** Starts the emulator on a free port, serving the built page (dist/) or `staticDir`. */
export async function startEmulator(args = [], { staticDir = `${ROOT}dist` } = {}) {
  const bin = process.env.CG_EMULATOR || `${ROOT}target/release/cg-emulator`;
  const child = spawn(bin, ['serve', '--port', '0', '--static', staticDir, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('emulator did not start')), 30000);
    lines.on('line', (line) => {
      const match = line.match(/listening on (http\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const port = new URL(url).port;
  return {
    /** Where the page is served. */
    pageOrigin: `http://127.0.0.1:${port}`,
    /** The same server under another origin, so feed requests are cross-origin (CORS). */
    cdn: `http://localhost:${port}`,
    async log() {
      return (await fetch(`${url}/__log`)).json();
    },
    async reset() {
      await fetch(`${url}/__reset`, { method: 'POST' });
    },
    /** The next `count` requests of feed path `path` get `fault` (as `?fault=` would). */
    async armFaults(path, fault, count = 1) {
      const query = new URLSearchParams({ path, fault, count: String(count) });
      const response = await fetch(`${url}/__faults?${query}`, { method: 'POST' });
      if (!response.ok) throw new Error(`arm faults on ${path}: ${response.status}`);
    },
    async putFeed(name, body) {
      const response = await fetch(`${url}/__feeds/${name}`, { method: 'PUT', body });
      if (!response.ok) throw new Error(`PUT feed ${name}: ${response.status}`);
      return `http://localhost:${port}/feeds/${name}`;
    },
    async feedJson(path) {
      return (await fetch(`${url}${path}`)).json();
    },
    stop() {
      child.kill();
    },
  };
}

/** Headless Chromium confined to loopback. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    ],
  });
}

/** A page that fails the test on any uncaught error or panic. */
export async function newPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked|RuntimeError|unreachable/.test(message.text())) {
      page.errors.push(message.text());
    }
  });
  return page;
}

/**
 * The settings of the widget (`CONFIG_PARAMS` in src/core/config.rs, the
 * same list as `ATTRIBUTES` in src/js/element.js): a page's deploy-time
 * configuration. Everything else is view state a link may carry.
 */
export const CONFIG_PARAMS = [
  'shops-url', 'shops', 'source', 'inventory-url', 'product-url', 'page-cap',
  'shop', 'cdn', 'feed', 'storefront', 'currency', 'locale', 'theme', 'url-state', 'timeout', 'heading-level',
  'origin', 'api', 'checkout-url',
];

let deploys = 0;

/**
 * Deploys the standalone page with these settings, as a partner would (the
 * emulator writes its cg-config block and Content-Security-Policy:
 * `PUT /__deploys/{name}`), and returns the deploy's URL.
 */
export async function deployPage(emulator, config, name = `t${process.pid}-${++deploys}`) {
  const response = await fetch(`${emulator.pageOrigin}/__deploys/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`deploy ${name}: ${response.status} ${await response.text()}`);
  return new URL((await response.json()).url, emulator.pageOrigin).href;
}

/**
 * The standalone page for these parameters: the settings among them are
 * deployed (a page configured with them), the rest are the link's view state.
 */
export async function pageUrl(emulator, params = {}) {
  const config = {};
  const view = new URLSearchParams();
  for (const [name, value] of params instanceof URLSearchParams ? params : Object.entries(params)) {
    if (CONFIG_PARAMS.includes(name)) config[name] = value;
    else view.append(name, value);
  }
  const query = view.toString();
  return `${await deployPage(emulator, config)}${query ? `?${query}` : ''}`;
}

/** The count shown by the widget inside `selector` (an embed's host, whose shadow root it pierces). */
export async function widgetCount(page, selector) {
  const status = page.locator(`${selector} [role=status]`);
  await status.waitFor({ timeout: 60000 });
  return Number((await status.textContent()).match(/\d+/)[0]);
}

/** The number in the live result count, once the catalogue has loaded. */
export async function resultCount(page) {
  const status = page.locator('[role=status]');
  await status.waitFor({ timeout: 60000 });
  const text = await status.textContent();
  return Number(text.match(/\d+/)[0]);
}

/** Waits until the result count equals `expected`. */
export async function expectCount(page, expected) {
  await page.waitForFunction(
    (n) => {
      const status = document.querySelector('[role=status]');
      return status && Number((status.textContent.match(/\d+/) || [])[0]) === n;
    },
    expected,
    { timeout: 30000 },
  );
}

/**
 * Every result of the virtualised list, in order: scrolls the page down a
 * screen at a time and reads the cards rendered at each step with `read`
 * (run in the page on one card element). Also returns the most cards that
 * existed at once.
 */
export async function collectResults(page, read) {
  // One expression, evaluated as such: the page's Content-Security-Policy
  // allows no `new Function` in it.
  return page.evaluate(`(${collect})(${read})`);
}

/** Runs in the page (see collectResults). */
async function collect(readCard) {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const byPosition = new Map();
  let setSize = 0;
  let mostRendered = 0;
  window.scrollTo(0, 0);
  for (let step = 0; step < 100000; step++) {
    await frame();
    // A fling shows placeholders until the list settles.
    while (document.querySelector('.cg-results[aria-busy]')) await frame();
    const cards = [...document.querySelectorAll('.cg-card')];
    mostRendered = Math.max(mostRendered, cards.length);
    for (const card of cards) {
      setSize = Number(card.getAttribute('aria-setsize'));
      byPosition.set(Number(card.getAttribute('aria-posinset')), readCard(card));
    }
    const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
    if (byPosition.size >= setSize || atBottom) break;
    window.scrollBy(0, window.innerHeight);
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  return { results: positions.map((p) => byPosition.get(p)), positions, setSize, mostRendered };
}

/** Case- and accent-insensitive text, as shoppers expect search to treat it. */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** Items of a feed that have something to buy, in feed order, without repeated ids. */
export function shownItems(feed) {
  const seen = new Set();
  return feed.filter((item) => {
    if (!item || !Array.isArray(item.listings) || item.listings.length === 0) return false;
    if (item.id != null) {
      if (seen.has(item.id)) return false;
      seen.add(item.id);
    }
    return true;
  });
}

/** The lowest sale price of an item, or null. */
export function lowestPrice(item) {
  const prices = item.listings.map((l) => l?.prices?.sale).filter((p) => typeof p === 'number');
  return prices.length ? Math.min(...prices) : null;
}
