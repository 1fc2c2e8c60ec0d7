// Shared set-up for the end-to-end tests: the emulator, Chromium, and
// helpers to read the widget. Nothing here reaches beyond loopback.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STOREFRONT = 'https://shop.example';

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

/** The standalone page's URL for these parameters. */
export function pageUrl(emulator, params) {
  return `${emulator.pageOrigin}/?${new URLSearchParams(params)}`;
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
  return page.evaluate(async (readSource) => {
    const readCard = new Function('card', `return (${readSource})(card);`);
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
  }, read.toString());
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
