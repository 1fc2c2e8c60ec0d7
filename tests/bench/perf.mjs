// Benchmark: cg-inventory against a vanilla-JS and two library baselines
// (MiniSearch; ItemsJS with MiniSearch for text), side by side in one
// headless Chromium, on generated feeds of several sizes served by the local
// emulator. Every figure is measured in the same browser run as its
// baselines, so ratios mean something even on a noisy machine.
//
//   make bench                          (builds first)
//   RUNS=1 SIZES=1000 node tests/bench/perf.mjs   (a quick run, after `make build`)
//
// Environment: RUNS (default 5), SIZES (default 1000,10000,50000), TARGETS
// (contenders, default widget,vanilla,minisearch,itemsjs; the fetch+parse
// reference always runs), LIST_ALL_BUDGET_S (time allowed to list every
// result in the widget, default 120), SCROLL_FRAMES (default 600) and
// SCROLL_BUDGET_S (default 30). BASE_DIST=dir adds the contender "base":
// another build of the widget (say, the last commit's dist/), for an A/B of
// two builds in one run: TARGETS=widget,base BASE_DIST=/tmp/dist-base.
//
// Writes tests/bench/results/perf.json (every sample) and perf.md (tables and
// the goals, met or not). Nothing leaves loopback: the browser
// resolves only localhost and 127.0.0.1.
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ROOT, launchBrowser, pageUrl, startEmulator } from '../e2e/harness.mjs';
import { bundleSize, filesIn } from './lib/bundle.mjs';
import { installProbe } from './lib/page-probe.js';
import { renderMarkdown } from './lib/report.mjs';
import { serveStatic } from './lib/static-server.mjs';
import { blocking, frames, median, percentile } from './lib/stats.mjs';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const RUNS = Number(process.env.RUNS || 5);
const SIZES = (process.env.SIZES || '1000,10000,50000').split(',').map(Number);
const CONTENDERS = (process.env.TARGETS || 'widget,vanilla,minisearch,itemsjs').split(',');
/** The report's file name in results/ (BENCH_OUT=perf-latest-50k for a quick run beside the full one). */
const OUT = process.env.BENCH_OUT || 'perf';
const SCROLL_FRAMES = Number(process.env.SCROLL_FRAMES || 600);
// Scrolling 50,000 listed cards loads and decodes every cover; past a
// few minutes the renderer can run out of memory. A budget keeps the
// figure (frames measured, share of the list reached) and the run alive.
const SCROLL_BUDGET_MS = Number(process.env.SCROLL_BUDGET_S || 30) * 1000;
const STOREFRONT = 'https://shop.example';
const LOAD_TIMEOUT_MS = 180000;
/** An interaction is over once nothing happened for this long. */
const QUIET_MS = 150;
/** After loading, wait this long without a long task (the widget builds sort orders when idle). */
const LOAD_QUIET_MS = 1000;

// What the shopper does, the same for every contender.
const QUERIES = ['bjork', 'miles davis', 'dub'];
const FACETS = ['Genre', 'Format'];
const SORTS = ['price-asc', 'price-desc', 'year-desc', 'title', 'relevance'];
const PRICES = [
  ['Minimum price', '10'],
  ['Maximum price', '30'],
  ['Minimum price', ''],
  ['Maximum price', ''],
];

/**
 * The BASE_DIST page for these settings: deployed with them (pageUrl) when
 * it reads a cg-config block, else (a build from before deploy-time
 * configuration) with them in its URL, as such builds were configured.
 */
function basePageUrl(baseEmulator, params) {
  const deployable = readFileSync(`${process.env.BASE_DIST}/index.html`, 'utf8').includes('id="cg-config"');
  return deployable ? pageUrl(baseEmulator, params) : `${baseEmulator.pageOrigin}/?${new URLSearchParams(params)}`;
}

/** The version in Cargo.toml, which names the embed's folder. */
const crateVersion = () => readFileSync(`${ROOT}Cargo.toml`, 'utf8').match(/^version = "([^"]+)"/m)[1];

/** The contenders: how to open each on a feed (a URL, or a promise of one). */
function contenders(emulator, statics, baseEmulator) {
  const baseline = (file) => (feed) =>
    `${statics.origin}/${file}?${new URLSearchParams({ feed: feed.url, storefront: STOREFRONT, currency: 'EUR' })}`;
  const baselineFiles = (...vendor) => [`${HERE}baselines/common.js`, `${HERE}baselines/baseline.css`, ...vendor];
  return {
    probe: { label: 'fetch + JSON.parse', probe: true, url: baseline('probe.html'), files: [`${HERE}baselines/probe.html`] },
    widget: {
      label: 'cg-inventory',
      renderFloor: true,
      url: (feed, extra = {}) => pageUrl(emulator, { shop: feed.shop, cdn: emulator.cdn, storefront: STOREFRONT, currency: 'EUR', ...extra }),
      files: filesIn(`${ROOT}dist`, ['.wasm', '.js', '.css']),
    },
    ...(baseEmulator && {
      base: {
        label: 'cg-inventory (BASE_DIST)',
        url: (feed) => basePageUrl(baseEmulator, { shop: feed.shop, cdn: emulator.cdn, storefront: STOREFRONT, currency: 'EUR' }),
        files: filesIn(process.env.BASE_DIST, ['.wasm', '.js', '.css']),
      },
    }),
    vanilla: { label: 'vanilla JS', url: baseline('vanilla.html'), files: [`${HERE}baselines/vanilla.html`, ...baselineFiles()] },
    minisearch: {
      label: 'MiniSearch',
      url: baseline('minisearch.html'),
      files: [`${HERE}baselines/minisearch.html`, ...baselineFiles(VENDOR['/vendor/minisearch.js'])],
    },
    itemsjs: {
      label: 'ItemsJS + MiniSearch',
      url: baseline('itemsjs.html'),
      files: [`${HERE}baselines/itemsjs.html`, ...baselineFiles(VENDOR['/vendor/itemsjs.js'], VENDOR['/vendor/minisearch.js'])],
    },
  };
}

/** The npm libraries, as ES modules, at the URLs the baseline pages import. */
const VENDOR = {
  '/vendor/minisearch.js': `${HERE}node_modules/minisearch/dist/es/index.js`,
  '/vendor/itemsjs.js': `${HERE}node_modules/itemsjs/dist/index.modern.js`,
};

/** Bytes of a body as sent with and without gzip, from the emulator itself. */
function bodyBytes(url, gzip) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One shop per size; asking for each feed once also makes the emulator generate it before timing starts. */
async function prepareFeeds(emulator) {
  const feeds = [];
  for (const [i, size] of SIZES.entries()) {
    const shop = String(1001 + i);
    const path = `/shops/${shop}/inventory.json`;
    const local = `${emulator.pageOrigin}${path}`;
    feeds.push({ size, shop, path, url: `${emulator.cdn}${path}`, bytes: await bodyBytes(local, false), gzipBytes: await bodyBytes(local, true) });
  }
  return feeds;
}

/** The feed requests the emulator saw since its log was last reset. */
async function feedRequests(emulator, feed) {
  return (await emulator.log())
    .filter((r) => r.method === 'GET' && r.path.startsWith(feed.path))
    .map((r) => ({ status: r.status, ifModifiedSince: Boolean(r.headers['if-modified-since']) }));
}

/** Navigates and waits until the page is loaded (count painted, or the probe parsed) and then quiet. */
async function load(page, url) {
  // The old document is marked so that waiting cannot end on its milestones.
  await page.evaluate(() => {
    window.benchOldDocument = true;
  });
  await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
  const loaded = () =>
    !window.benchOldDocument && Boolean(window.probe || window.__bench?.load.complete?.paint || document.querySelector('[role=alert]'));
  await page.waitForFunction(loaded, null, { timeout: LOAD_TIMEOUT_MS, polling: 100 });
  const settledAt = await page.evaluate(([quiet, cap]) => window.__bench.quiet(quiet, cap), [LOAD_QUIET_MS, 20000]);
  return page.evaluate(
    ([settled, feedPath]) => ({
      settledAt: settled,
      probe: window.probe ?? null,
      alert: document.querySelector('[role=alert]')?.textContent ?? null,
      milestones: window.__bench.load,
      feed: window.__bench.resource(feedPath),
      tasks: window.__bench.longTasks.filter((t) => t.start < settled),
    }),
    [settledAt, '/shops/'],
  );
}

/** Load figures from what `load` saw. */
function loadFigures(seen) {
  const figures = {
    // The feed is cross-origin without Timing-Allow-Origin: only its start and end are known.
    feedRequestMs: seen.feed?.startTime ?? null,
    feedResponseEndMs: seen.feed?.responseEnd ?? null,
    ...blocking(seen.tasks),
  };
  if (seen.probe) {
    figures.downloadedMs = seen.probe.downloaded;
    figures.parsedMs = seen.probe.parsed;
    figures.count = seen.probe.items;
  } else {
    figures.firstResultsMs = seen.milestones.firstResults?.paint ?? null;
    figures.completeMs = seen.milestones.complete?.paint ?? null;
    figures.count = seen.milestones.complete?.count ?? null;
  }
  if (seen.alert) figures.error = seen.alert;
  return figures;
}

/** Heap after a full garbage collection, wasm linear memory, DOM counters and the renderer's resident memory. */
async function memory(page, cdp, browserCdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => ({ bytes: window.__bench.wasmBytes(), memories: window.__bench.wasmMemories() }));
  return {
    jsHeapUsedBytes: heap.usedSize,
    jsHeapTotalBytes: heap.totalSize,
    backingStoreBytes: heap.backingStorageSize ?? null,
    wasmBytes: wasm.memories ? wasm.bytes : null,
    domNodes: dom.nodes,
    rendererRssBytes: await largestRendererRss(browserCdp),
  };
}

/**
 * Resident memory of the largest renderer process. Only one page is open at a
 * time, so that is the page's (the others are spare or idle renderers).
 */
async function largestRendererRss(browserCdp) {
  try {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    const sizes = processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => {
        const match = readFileSync(`/proc/${p.id}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
        return match ? Number(match[1]) * 1024 : 0;
      });
    return sizes.length ? Math.max(...sizes) : null;
  } catch {
    return null;
  }
}

/** Runs `action` and returns the in-page measurement of its input → next paint, and when the step began and ended. */
async function timed(page, action, label = '') {
  const from = await page.evaluate(() => {
    window.__bench.arm();
    return performance.now();
  });
  await action();
  const settled = await page.evaluate(([quiet, timeout]) => window.__bench.settle(quiet, timeout), [QUIET_MS, 30000]);
  return { ...settled, label, from, to: await page.evaluate(() => performance.now()) };
}

/** The first `n` value names of a facet group, as shown. */
async function facetValues(page, legend, n) {
  const group = page.locator('fieldset').filter({ has: page.locator('legend', { hasText: new RegExp(`^${legend}$`) }) });
  return (await group.locator('.cg-check-label').allTextContents()).slice(0, n);
}

function facetCheckbox(page, legend, value) {
  const exact = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .locator('fieldset')
    .filter({ has: page.locator('legend', { hasText: exact(legend) }) })
    .locator('label.cg-check')
    .filter({ has: page.locator('.cg-check-label', { hasText: exact(value) }) })
    .locator('input');
}

/** Typing, facets, sorting and price ranges, each step measured input → next paint. */
async function interact(page) {
  const steps = { typing: [], facet: [], sort: [], range: [] };
  const from = await page.evaluate(() => performance.now());
  const search = page.locator('input[aria-label="Search the catalogue"]');
  for (const query of QUERIES) {
    await search.click();
    for (const char of query) steps.typing.push(await timed(page, () => page.keyboard.type(char), `type ${char}`));
    await page.keyboard.press('Control+A');
    steps.typing.push(await timed(page, () => page.keyboard.press('Backspace'), 'clear'));
  }
  for (const legend of FACETS) {
    const values = await facetValues(page, legend, 2);
    // On, on, off, off.
    for (const value of [...values, ...values]) steps.facet.push(await timed(page, () => facetCheckbox(page, legend, value).click(), `${legend} ${value}`));
  }
  const sort = page.locator('select[aria-label="Sort"]');
  for (const key of SORTS) steps.sort.push(await timed(page, () => sort.selectOption(key), `sort ${key}`));
  for (const [label, value] of PRICES) {
    // Typed like a shopper (a range applies on Enter), then Enter is measured.
    const input = page.locator(`input[aria-label="${label}"]`);
    await input.click();
    await page.keyboard.press('Control+A');
    if (value) await page.keyboard.type(value);
    else await page.keyboard.press('Backspace');
    steps.range.push(await timed(page, () => page.keyboard.press('Enter'), `${label} ${value}`));
  }
  const to = await page.evaluate(() => performance.now());
  const all = [...steps.typing, ...steps.facet, ...steps.sort, ...steps.range];
  const stepAt = (start) => all.find((s) => s.from <= start && start < s.to)?.label ?? 'between steps';
  const tasks = (await page.evaluate(([a, b]) => window.__bench.longTasks.filter((t) => t.start >= a && t.start < b), [from, to])).map((t) => ({
    ...t,
    step: stepAt(t.start),
  }));
  const summary = (samples) => {
    const latencies = samples.map((s) => s.latency);
    return {
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 95),
      samples: samples.length,
      unchanged: samples.filter((s) => !s.changed).length,
      timedOut: samples.filter((s) => s.timedOut).length,
      latencies,
    };
  };
  return {
    typing: summary(steps.typing),
    facet: summary(steps.facet),
    sort: summary(steps.sort),
    range: summary(steps.range),
    tasks: blocking(tasks),
  };
}

/** A second navigation in the same browser context: the feed comes from the HTTP cache, revalidated. */
async function repeatVisit(page, emulator, url, feed) {
  await emulator.reset();
  const seen = await load(page, url);
  const requests = await feedRequests(emulator, feed);
  return {
    ...loadFigures(seen),
    feedRequests: requests,
    revalidated304: requests.some((r) => r.status === 304 && r.ifModifiedSince),
  };
}

/**
 * Counts the DOM with every result in the list (the widget's list is
 * virtualised: all results are in it, only those in view are rendered),
 * scrolls the whole list, and counts the DOM again at its end.
 */
async function listAndScroll(page) {
  const listed = await page.evaluate(() => window.__bench.listed());
  const before = await page.evaluate(() => window.__bench.elements('#cg-inventory'));
  const scroll = await page.evaluate(([n, budget]) => window.__bench.scrollThrough(n, budget), [SCROLL_FRAMES, SCROLL_BUDGET_MS]);
  const after = await page.evaluate(() => window.__bench.elements('#cg-inventory'));
  return {
    listed,
    elements: Math.max(before, after),
    scroll: { ...frames(scroll), distancePx: scroll.distance, stepPx: scroll.step, ms: scroll.ms, reachedPct: 100 * scroll.reached },
  };
}

/** One contender on one feed: a cold load and everything measured after it. */
async function measure(context, browserCdp, emulator, name, contender, feed, run) {
  const page = await context.newPage();
  const errors = [];
  let crashed = false;
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('crash', () => {
    crashed = true;
  });
  await page.addInitScript(installProbe);
  const cdp = await context.newCDPSession(page);
  const sample = { contender: name, size: feed.size, run };
  const url = await contender.url(feed);
  // Each phase keeps what it measured; a failure (a renderer crash, a
  // timeout) is recorded against the phase and ends the sample there.
  const phases = [
    ['load', async () => {
      // Cold: nothing cached from an earlier contender or run, neither in
      // the HTTP cache nor in Cache Storage (the widget's saved index).
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'cache_storage' });
      await emulator.reset();
      sample.load = loadFigures(await load(page, url));
      sample.load.feedRequests = await feedRequests(emulator, feed);
    }],
    ['memory', async () => {
      sample.memory = await memory(page, cdp, browserCdp);
    }],
    ['interactions', async () => {
      if (contender.probe) return;
      sample.elementsAfterLoad = await page.evaluate(() => window.__bench.elements('#cg-inventory'));
      sample.interactions = await interact(page);
    }],
    ['render floor', async () => {
      if (contender.renderFloor) sample.renderFloor = await measureRenderFloor(page);
    }],
    ['repeat', async () => {
      sample.repeat = await repeatVisit(page, emulator, url, feed);
    }],
    ['list', async () => {
      if (!contender.probe) sample.list = await listAndScroll(page);
    }],
  ];
  try {
    for (const [phase, run] of phases) {
      try {
        await run();
      } catch (error) {
        sample.failure = `${phase}: ${crashed ? 'the renderer crashed' : String(error?.message ?? error).split('\n')[0]}`;
        break;
      }
    }
  } finally {
    sample.pageErrors = errors;
    await page.close().catch(() => {});
  }
  return sample;
}

/**
 * The floor of the input → paint method: typing into a page whose handler
 * only rewrites the count. A trivial update still waits for the next frame.
 */
async function measureFloor(context, statics) {
  const page = await context.newPage();
  try {
    await page.addInitScript(installProbe);
    await page.goto(`${statics.origin}/floor.html`);
    const search = page.locator('input[aria-label="Search the catalogue"]');
    await search.click();
    const samples = [];
    for (const char of QUERIES.join(' ')) samples.push(await timed(page, () => page.keyboard.type(char)));
    const latencies = samples.map((s) => s.latency);
    return { medianMs: median(latencies), p95Ms: percentile(latencies, 95), samples: samples.length };
  } finally {
    await page.close();
  }
}

/**
 * The render floor, in the widget's own page after its interactions: typing
 * that only rotates the text of the rendered result cards among them (the
 * widget never sees the input: no search, no framework, no new elements).
 * What the browser alone takes to lay out and paint a screen of changed
 * cards in this layout; no implementation of it can answer faster.
 */
async function measureRenderFloor(page) {
  const cards = await page.evaluate(() => {
    const root = document.querySelector('#cg-inventory')?.shadowRoot ?? document;
    const cards = [...root.querySelectorAll('.cg-results > li')];
    const textsOf = (card) => {
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) });
      const nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      return nodes;
    };
    const nodes = cards.map(textsOf);
    const original = nodes.map((card) => card.map((node) => node.data));
    const count = document.querySelector('[role=status]');
    let shift = 0;
    // After the probe's capture listener (registered first), before the widget's.
    addEventListener(
      'input',
      (event) => {
        event.stopImmediatePropagation();
        shift += 1;
        nodes.forEach((card, i) => {
          const from = original[(i + shift) % original.length];
          card.forEach((node, j) => {
            if (j < from.length) node.data = from[j];
          });
        });
        if (count) count.textContent = `${shift} items`;
      },
      { capture: true },
    );
    return cards.length;
  });
  const search = page.locator('input[aria-label="Search the catalogue"]');
  await search.click();
  const samples = [];
  for (const char of QUERIES.join(' ')) samples.push(await timed(page, () => page.keyboard.type(char)));
  const latencies = samples.map((s) => s.latency);
  return { cards, medianMs: median(latencies), p95Ms: percentile(latencies, 95), samples: samples.length, unchanged: samples.filter((s) => !s.changed).length };
}

/** One unrecorded load of every page first: the first navigations of a new browser pay for process and cache start-up. */
async function warmUp(context, all, names, feed) {
  for (const name of ['probe', ...names]) {
    const page = await context.newPage();
    try {
      await page.addInitScript(installProbe);
      await load(page, await all[name].url(feed));
    } finally {
      await page.close();
    }
  }
}

/** Rotates the order each run, so no contender is always first. */
const rotated = (names, run) => names.map((_, i) => names[(i + run) % names.length]);

async function main() {
  const emulator = await startEmulator(SIZES.flatMap((size, i) => ['--shop', `${1001 + i}=${size}`]));
  const statics = await serveStatic({ '/': `${HERE}baselines/`, ...VENDOR });
  // Another build of the widget (e.g. the last commit's dist/), served from
  // its own origin, so two builds are compared in one run.
  const baseEmulator = process.env.BASE_DIST ? await startEmulator([], { staticDir: process.env.BASE_DIST }) : null;
  const browser = await launchBrowser();
  try {
    const all = contenders(emulator, statics, baseEmulator);
    const names = CONTENDERS.filter((name) => {
      if (!all[name]) throw new Error(`unknown contender ${name}; known: ${Object.keys(all).join(', ')}`);
      return name !== 'probe';
    });
    const feeds = await prepareFeeds(emulator);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const browserCdp = await browser.newBrowserCDPSession();
    await warmUp(context, all, names, feeds[0]);
    const samples = [];
    const floor = [];
    const started = Date.now();
    for (const feed of feeds) {
      // The first browser request for a feed is slower than the next ones,
      // whoever makes it: one unrecorded fetch + parse of it first.
      await warmUp(context, all, [], feed);
      for (let run = 0; run < RUNS; run += 1) {
        floor.push({ size: feed.size, run, ...(await measureFloor(context, statics)) });
        for (const name of rotated(['probe', ...names], run)) {
          const sample = await measure(context, browserCdp, emulator, name, all[name], feed, run);
          samples.push(sample);
          const loaded = `${Math.round(sample.load?.completeMs ?? sample.load?.parsedMs ?? NaN)} ms`;
          const done = sample.failure ? `${loaded}, FAILED in ${sample.failure}` : loaded;
          console.log(`${feed.size} items, run ${run + 1}/${RUNS}, ${name}: ${done}`);
        }
      }
    }
    const result = {
      date: new Date().toISOString(),
      durationS: Math.round((Date.now() - started) / 1000),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageAtEnd: loadavg(), busy: process.env.BENCH_MACHINE_NOTE ?? null },
      browser: browser.version(),
      settings: { runs: RUNS, sizes: SIZES, contenders: names, scrollFrames: SCROLL_FRAMES, scrollBudgetMs: SCROLL_BUDGET_MS, quietMs: QUIET_MS },
      feeds,
      bundles: Object.fromEntries(Object.entries(all).map(([name, c]) => [name, bundleSize(c.files)])),
      // The embed's versioned folder (tests/tools/build-package.sh): the
      // loader and, per build it chooses from, that build's script and wasm.
      embedBundles: Object.fromEntries(['browse', 'checkout', 'aggregator', 'cursor', 'full'].map((build) => [
        build,
        bundleSize(['cg-inventory.js', `cg_inventory_${build}.js`, `cg_inventory_${build}_bg.wasm`].map((name) => `${ROOT}dist/embed/v${crateVersion()}/${name}`)),
      ])),
      labels: Object.fromEntries(Object.entries(all).map(([name, c]) => [name, c.label])),
      floor,
      samples,
    };
    writeFileSync(`${HERE}results/${OUT}.json`, `${JSON.stringify(result, null, 1)}\n`);
    const markdown = renderMarkdown(result);
    writeFileSync(`${HERE}results/${OUT}.md`, markdown);
    console.log(`\n${markdown}`);
  } finally {
    await browser.close();
    await statics.close();
    emulator.stop();
    baseEmulator?.stop();
  }
}

await main();
