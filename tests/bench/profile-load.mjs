// Profiles the widget on a large feed: where a cold load spends its time,
// and which functions make each main-thread task over 50 ms, during load
// and during a few interactions (typing, a facet, a sort).
//
//   make build && tests/tools/profile-dist.sh     (a copy of dist/ whose wasm keeps function names)
//   node tests/bench/profile-load.mjs
//
// Environment: ITEMS (default 50000), RUNS (untraced cold loads for the
// timings, default 3; each is paired with a fetch + JSON.parse reference
// load), DIST (the page to serve, default target/dist-profile; dist/ works
// but its profile shows wasm functions by number), TRACE (0 skips the
// traced run), TRACE_OUT (where to keep the raw trace; not kept by default).
//
// The timings come from untraced loads (the profiler slows the page); the
// per-task breakdown from one load under a Chrome trace with the V8 sampling
// profiler. TOP (default 5) sets how many functions each list names.
// Nothing leaves loopback.
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT, launchBrowser, pageUrl, startEmulator } from '../e2e/harness.mjs';
import { installProbe } from './lib/page-probe.js';
import { serveStatic } from './lib/static-server.mjs';
import {
  TRACE_CATEGORIES,
  breakdown,
  cpuMatching,
  installStartupProbe,
  ms,
  range,
  readTrace,
  taskLines,
} from './lib/trace.mjs';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const ITEMS = Number(process.env.ITEMS || 50000);
const RUNS = Number(process.env.RUNS || 3);
const DIST = process.env.DIST || `${ROOT}target/dist-profile`;
const TRACE = process.env.TRACE !== '0';
const LONG_TASK_MS = 50;
const SHOP = '1001';
const FEED_PATH = `/shops/${SHOP}/inventory.json`;
const STOREFRONT = 'https://shop.example';
/** Stack frames that mean the feed is being read and indexed (wasm names are demangled Rust paths). */
const INDEXING = /FeedSplitter|CatalogueBuilder|Item::from_json|accept_element|add_item|index_item/;
const FIRST_RENDER = /catalogue_view/;
async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.addInitScript(installProbe);
  await page.addInitScript(installStartupProbe);
  return page;
}

/** A cold load of `url`: resolves once the count is painted and the page has gone a second without a long task. */
async function coldLoad(page, url, { probe = false } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.goto(url, { waitUntil: 'commit', timeout: 180000 });
  await page.waitForFunction(
    (isProbe) => (isProbe ? Boolean(window.probe) : Boolean(window.__bench?.load.complete?.paint || document.querySelector('[role=alert]'))),
    probe,
    { timeout: 180000, polling: 50 },
  );
  const settled = await page.evaluate(() => window.__bench.quiet(1000, 20000));
  return page.evaluate(
    ([feedPath, settledAt]) => {
      const timing = window.__resourceTiming;
      return {
        settledAt,
        probe: window.probe ? { downloaded: window.probe.downloaded, parsed: window.probe.parsed } : null,
        alert: document.querySelector('[role=alert]')?.textContent ?? null,
        milestones: window.__bench.load,
        startup: window.__startup,
        wasm: timing('.wasm'),
        feed: timing(feedPath),
        longTasks: window.__bench.longTasks.filter((t) => t.start < settledAt),
      };
    },
    [FEED_PATH, settled],
  );
}

/** The figures of one cold load of the widget, in ms from navigation start. */
function loadSplit(seen) {
  const { wasm, feed, startup, milestones } = seen;
  const mb = (bytes) => bytes / 1e6;
  const downloadMs = feed.responseEnd - feed.responseStart;
  return {
    wasmRequested: wasm?.startTime,
    wasmDownloaded: wasm?.responseEnd,
    wasmInstantiated: startup.wasmInstantiated,
    appStarted: startup.appStarted,
    feedRequested: feed.requestStart,
    feedFirstByte: feed.responseStart,
    feedLastByte: feed.responseEnd,
    feedMB: mb(feed.decodedBodySize),
    feedWireMB: mb(feed.encodedBodySize),
    downloadMBps: mb(feed.decodedBodySize) / (downloadMs / 1000),
    firstResultsPaint: milestones.firstResults?.paint,
    completePaint: milestones.complete?.paint,
    count: milestones.complete?.count,
    lastByteToComplete: milestones.complete?.paint - feed.responseEnd,
    longestTask: Math.max(0, ...seen.longTasks.map((t) => t.duration)),
    longTasks: seen.longTasks.map((t) => `${Math.round(t.duration)} at ${Math.round(t.start)}`),
  };
}

// ---- Interactions ------------------------------------------------------------

async function timed(page, label, action) {
  const from = await page.evaluate(() => performance.now());
  await page.evaluate(() => window.__bench.arm());
  await action();
  const settled = await page.evaluate(() => window.__bench.settle(150, 30000));
  const to = await page.evaluate(() => performance.now());
  return { label, from, to, latency: settled.latency };
}

async function interact(page) {
  const steps = [];
  const search = page.locator('input[aria-label="Search the catalogue"]');
  await search.click();
  for (const char of 'miles') steps.push(await timed(page, `type "${char}"`, () => page.keyboard.type(char)));
  await page.keyboard.press('Control+A');
  steps.push(await timed(page, 'clear the query', () => page.keyboard.press('Backspace')));
  const genre = page.locator('fieldset').filter({ has: page.locator('legend', { hasText: /^Genre$/ }) }).locator('label.cg-check input').first();
  steps.push(await timed(page, 'tick the first genre', () => genre.click()));
  steps.push(await timed(page, 'untick it', () => genre.click()));
  const sort = page.locator('select[aria-label="Sort"]');
  for (const key of ['price-asc', 'title', 'relevance']) steps.push(await timed(page, `sort by ${key}`, () => sort.selectOption(key)));
  // The benchmark's scroll test: a jump of many rows every frame, so each
  // frame renders a new window of cards.
  steps.push(
    await timed(page, 'scroll 60 frames, 1/60 of the list each', () =>
      page.evaluate(async () => {
        const scroller = document.scrollingElement;
        const step = (scroller.scrollHeight - innerHeight) / 600;
        for (let i = 1; i <= 60; i++) {
          scroller.scrollTop = Math.round(step * i);
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      }),
    ),
  );
  return steps;
}

async function main() {
  if (!existsSync(`${DIST}/index.html`)) throw new Error(`${DIST} has no page: run make build && tests/tools/profile-dist.sh, or set DIST`);
  const emulator = await startEmulator(['--shop', `${SHOP}=${ITEMS}`], { staticDir: DIST });
  const statics = await serveStatic({ '/': `${HERE}baselines/` });
  const browser = await launchBrowser();
  const out = [];
  const log = (line = '') => {
    out.push(line);
    console.log(line);
  };
  try {
    // The feed is fetched from the page's own origin: a cross-origin
    // response without Timing-Allow-Origin hides its first byte and sizes.
    const feedUrl = `${emulator.pageOrigin}${FEED_PATH}`;
    // The emulator generates the feed on first request: not timed.
    await (await fetch(`${emulator.pageOrigin}${FEED_PATH}`)).arrayBuffer();
    const widgetUrl = await pageUrl(emulator, { shop: SHOP, cdn: emulator.pageOrigin, storefront: STOREFRONT, currency: 'EUR' });
    const probeUrl = `${statics.origin}/probe.html?${new URLSearchParams({ feed: feedUrl })}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // One unrecorded load of each: the first navigations pay for process start-up.
    for (const [url, probe] of [[probeUrl, true], [widgetUrl, false]]) {
      const page = await newPage(context);
      await coldLoad(page, url, { probe });
      await page.close();
    }

    const splits = [];
    const references = [];
    for (let run = 0; run < RUNS; run += 1) {
      const probePage = await newPage(context);
      references.push((await coldLoad(probePage, probeUrl, { probe: true })).probe.parsed);
      await probePage.close();
      const page = await newPage(context);
      const seen = await coldLoad(page, widgetUrl);
      if (seen.alert) throw new Error(`the widget failed: ${seen.alert}`);
      splits.push(loadSplit(seen));
      if (page.errors.length) log(`page errors: ${page.errors.join(' | ')}`);
      await page.close();
      console.error(`run ${run + 1}/${RUNS}: complete ${ms(splits.at(-1).completePaint)} ms, fetch+parse ${ms(references.at(-1))} ms`);
    }

    const rows = [
      ['wasm requested', 'wasmRequested'],
      ['wasm downloaded', 'wasmDownloaded'],
      ['wasm compiled + instantiated', 'wasmInstantiated'],
      ['app started (mounted)', 'appStarted'],
      ['feed requested', 'feedRequested'],
      ['feed first byte', 'feedFirstByte'],
      ['feed last byte', 'feedLastByte'],
      ['first results painted', 'firstResultsPaint'],
      ['complete count painted', 'completePaint'],
      ['last byte → complete count', 'lastByteToComplete'],
      ['longest task during load', 'longestTask'],
    ];
    log(`# Load profile: ${ITEMS} items (${splits[0]?.feedMB.toFixed(1)} MB, ${splits[0]?.feedWireMB.toFixed(1)} MB on the wire)`);
    log();
    log(`Untraced cold loads: ${RUNS}; median (range), ms from navigation start.`);
    log();
    log('| step | ms |');
    log('|---|---|');
    for (const [label, key] of rows) log(`| ${label} | ${range(splits.map((s) => s[key]))} |`);
    log(`| fetch + JSON.parse reference | ${range(references)} |`);
    log(`| complete ÷ fetch+parse | ${range(splits.map((s, i) => (100 * s.completePaint) / references[i]))} % |`);
    log(`| feed download, MB/s (decoded) | ${range(splits.map((s) => s.downloadMBps))} |`);
    log();
    log(`Long tasks per run (duration at start, ms): ${splits.map((s) => `[${s.longTasks.join(', ')}]`).join(' ')}`);

    if (TRACE) {
      const page = await newPage(context);
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const seen = await coldLoad(page, widgetUrl);
      await page.evaluate(() => performance.mark('cg-profile-anchor'));
      const anchorNow = await page.evaluate(() => performance.getEntriesByName('cg-profile-anchor')[0].startTime);
      const steps = await interact(page);
      const raw = await browser.stopTracing();
      await page.close();
      if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, raw);
      const trace = readTrace(JSON.parse(raw.toString()).traceEvents);
      const { samples, tasks, anchorTs } = trace;
      if (anchorTs == null) throw new Error('the anchor mark is not in the trace');
      const toTrace = (now) => anchorTs + (now - anchorNow) * 1000;
      const toPage = (ts) => anchorNow + (ts - anchorTs) / 1000;
      const split = loadSplit(seen);
      const loadEnd = toTrace(seen.settledAt);
      const long = (from, to) => tasks.filter((t) => t.dur >= LONG_TASK_MS * 1000 && t.ts >= from && t.ts < to);

      log();
      log(`## Traced load (profiler on, so slower): complete count at ${ms(split.completePaint)} ms, feed last byte at ${ms(split.feedLastByte)} ms`);
      log();
      const indexing = cpuMatching(samples, INDEXING, -Infinity, loadEnd);
      const mainBusy = breakdown(samples, -Infinity, loadEnd);
      log(`- main thread CPU sampled during load: ${ms(mainBusy.sampledMs)} ms`);
      log(
        `- feed parse + index CPU: ${ms(indexing.ms)} ms → ${(split.feedMB / (indexing.ms / 1000)).toFixed(1)} MB/s` +
          ` (download ${split.downloadMBps.toFixed(1)} MB/s); first indexing sample at ${ms(toPage(indexing.first))} ms, last at ${ms(toPage(indexing.last))} ms`,
      );
      const render = cpuMatching(samples, FIRST_RENDER, -Infinity, loadEnd);
      log(`- catalogue view construction (stack has ${FIRST_RENDER.source}): ${ms(render.ms)} ms CPU, at ${ms(toPage(render.first))}–${ms(toPage(render.last))} ms`);
      const finishing = breakdown(samples, toTrace(split.feedLastByte), toTrace(split.completePaint));
      log(`- after the last byte until the complete count (${ms(split.lastByteToComplete)} ms): ${ms(finishing.sampledMs)} ms sampled`);
      log(`  - self: ${finishing.self.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
      log(`  - total: ${finishing.total.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
      log(`- whole load, self: ${mainBusy.self.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
      log();
      log(`### Tasks over ${LONG_TASK_MS} ms during load`);
      log();
      const loadTasks = long(-Infinity, loadEnd);
      if (!loadTasks.length) log('none');
      for (const task of loadTasks) for (const line of taskLines(task, trace, toPage)) log(line);
      log();
      log(`### Interactions (input → next paint, and tasks over ${LONG_TASK_MS} ms)`);
      for (const step of steps) {
        log();
        log(`- ${step.label}: ${ms(step.latency)} ms`);
        const cpu = breakdown(trace.samples, toTrace(step.from), toTrace(step.to));
        log(`  - CPU sampled ${ms(cpu.sampledMs)} ms; self: ${cpu.self.slice(0, 8).map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
        log(`  - total: ${cpu.total.slice(0, 12).map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
        for (const task of long(toTrace(step.from), toTrace(step.to))) for (const line of taskLines(task, trace, toPage)) log(`  ${line}`);
      }
    }
    if (process.env.REPORT_OUT) writeFileSync(process.env.REPORT_OUT, `${out.join('\n')}\n`);
  } finally {
    await browser.close();
    await statics.close();
    emulator.stop();
  }
}

await main();
