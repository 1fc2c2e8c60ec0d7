// Profiles the widget's repeat visit on a large feed: one cold load saves
// the compact index (in idle time after loading); then each repeat visit, a
// new navigation to the same URL in the same page, revalidates the feed
// (304) and restores the saved index. Prints when each step of a repeat
// visit happened, the memory after it, and, from one visit under a Chrome
// trace, the main thread's tasks until the complete count with the
// functions that took their time.
//
//   make build && tests/tools/profile-dist.sh     (a copy of dist/ whose wasm keeps function names)
//   node tests/bench/profile-repeat.mjs
//
// Environment: ITEMS (default 50000), RUNS (untraced repeat visits, default
// 5), DIST (the page to serve, default target/dist-profile; dist/ works but
// its profile shows wasm functions by number), TRACE (0 skips the traced
// visit), TASK_MS (the shortest task listed from the trace, default 10),
// REPORT_OUT (a file to write the report to). The page's own
// `performance.mark`s are listed beside the milestones. Nothing leaves
// loopback.
import { existsSync, writeFileSync } from 'node:fs';
import { ROOT, launchBrowser, pageUrl, startEmulator } from '../e2e/harness.mjs';
import { installProbe } from './lib/page-probe.js';
import { TRACE_CATEGORIES, breakdown, installStartupProbe, ms, range, readTrace, taskLines } from './lib/trace.mjs';

const ITEMS = Number(process.env.ITEMS || 50000);
const RUNS = Number(process.env.RUNS || 5);
const DIST = process.env.DIST || `${ROOT}target/dist-profile`;
const TRACE = process.env.TRACE !== '0';
/** Tasks listed from the traced visit: shorter ones are only in the totals. */
const LISTED_TASK_MS = Number(process.env.TASK_MS || 10);
const SHOP = '1001';
const FEED_PATH = `/shops/${SHOP}/inventory.json`;
const STOREFRONT = 'https://shop.example';
/** The widget's Cache API cache of saved indexes. */
const INDEX_CACHE = 'cg-inventory-index';

/** Navigates `page` to `url` and resolves once the count is complete and a second passed without a long task. */
async function visit(page, url) {
  // The old document is marked so that waiting cannot end on its milestones.
  await page.evaluate(() => {
    window.benchOldDocument = true;
  });
  await page.goto(url, { waitUntil: 'commit', timeout: 180000 });
  await page.waitForFunction(() => !window.benchOldDocument && Boolean(window.__bench?.load.complete?.paint || document.querySelector('[role=alert]')), null, {
    timeout: 180000,
    polling: 20,
  });
  const settledAt = await page.evaluate(() => window.__bench.quiet(1000, 20000));
  return page.evaluate(
    ([feedPath, settled]) => {
      const timing = window.__resourceTiming;
      return {
        settledAt: settled,
        alert: document.querySelector('[role=alert]')?.textContent ?? null,
        milestones: window.__bench.load,
        startup: window.__startup,
        wasm: timing('.wasm'),
        feed: timing(feedPath),
        marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, at: m.startTime })),
        longTasks: window.__bench.longTasks.filter((t) => t.start < settled).map((t) => Math.round(t.duration)),
      };
    },
    [FEED_PATH, settledAt],
  );
}

/** Waits until the widget has saved the index of the feed it loaded. */
async function indexSaved(page) {
  const saved = () => page.evaluate(async (name) => (await (await caches.open(name)).keys()).length > 0, INDEX_CACHE);
  const since = Date.now();
  while (!(await saved())) {
    if (Date.now() - since > 120000) throw new Error('the index was not saved within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Wasm linear memory and JS heap after a full garbage collection, MB. */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmBytes = await page.evaluate(() => window.__bench.wasmBytes());
  return { wasmMB: wasmBytes / 1e6, jsHeapMB: heap.usedSize / 1e6 };
}

/** The figures of one repeat visit, in ms from navigation start. */
function visitSplit(seen) {
  const { wasm, feed, startup, milestones } = seen;
  return {
    wasmRequested: wasm?.startTime,
    wasmDownloaded: wasm?.responseEnd,
    wasmInstantiated: startup.wasmInstantiated,
    appStarted: startup.appStarted,
    feedRequested: feed?.requestStart,
    feedAnswered: feed?.responseStart,
    completePaint: milestones.complete?.paint,
    count: milestones.complete?.count,
  };
}

async function main() {
  if (!existsSync(`${DIST}/index.html`)) throw new Error(`${DIST} has no page: run make build && tests/tools/profile-dist.sh, or set DIST`);
  const emulator = await startEmulator(['--shop', `${SHOP}=${ITEMS}`], { staticDir: DIST });
  const browser = await launchBrowser();
  const out = [];
  const log = (line = '') => {
    out.push(line);
    console.log(line);
  };
  try {
    // The emulator generates the feed on first request: not timed.
    await (await fetch(`${emulator.pageOrigin}${FEED_PATH}`)).arrayBuffer();
    // The feed from the page's origin: a cross-origin response without
    // Timing-Allow-Origin hides its timings.
    const url = await pageUrl(emulator, { shop: SHOP, cdn: emulator.pageOrigin, storefront: STOREFRONT, currency: 'EUR' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(installProbe);
    await page.addInitScript(installStartupProbe);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Storage.clearDataForOrigin', { origin: emulator.pageOrigin, storageTypes: 'cache_storage' });

    const cold = await visit(page, url);
    if (cold.alert) throw new Error(`the widget failed: ${cold.alert}`);
    const coldMemory = await memory(page, cdp);
    await indexSaved(page);
    console.error(`cold load: complete ${ms(cold.milestones.complete?.paint)} ms; index saved`);

    const splits = [];
    const memories = [];
    const marks = new Map();
    const statuses = [];
    for (let run = 0; run < RUNS; run += 1) {
      await emulator.reset();
      const seen = await visit(page, url);
      if (seen.alert) throw new Error(`the widget failed: ${seen.alert}`);
      splits.push({ ...visitSplit(seen), longTasks: seen.longTasks });
      for (const mark of seen.marks) marks.set(mark.name, [...(marks.get(mark.name) ?? []), mark.at]);
      splits.at(-1).marks = seen.marks;
      memories.push(await memory(page, cdp));
      const feedRequests = (await emulator.log()).filter((r) => r.method === 'GET' && r.path.startsWith(FEED_PATH));
      statuses.push(feedRequests.map((r) => r.status).join('+'));
      console.error(`repeat visit ${run + 1}/${RUNS}: complete ${ms(splits.at(-1).completePaint)} ms, feed ${statuses.at(-1)}`);
    }

    log(`# Repeat visit profile: ${ITEMS} items`);
    log();
    log(`Cold load first (complete count at ${ms(cold.milestones.complete?.paint)} ms), then ${RUNS} repeat visits; median (range), ms from navigation start.`);
    log(`Feed answers per visit: ${statuses.join(', ')}.`);
    log();
    log('| step | ms |');
    log('|---|---|');
    const rows = [
      ['wasm requested', 'wasmRequested'],
      ['wasm downloaded', 'wasmDownloaded'],
      ['wasm compiled + instantiated', 'wasmInstantiated'],
      ['app started (mounted)', 'appStarted'],
      ['feed requested', 'feedRequested'],
      ['feed answered', 'feedAnswered'],
    ];
    for (const [label, key] of rows) log(`| ${label} | ${range(splits.map((s) => s[key]))} |`);
    for (const [name, times] of marks) log(`| mark \`${name}\` | ${range(times)} |`);
    log(`| **complete count painted** | **${range(splits.map((s) => s.completePaint))}** |`);
    log(`| app started → complete count | ${range(splits.map((s) => s.completePaint - s.appStarted))} |`);
    log();
    if (marks.size) {
      log('Marks per visit, ms:');
      log();
      for (const split of splits) log(`- ${split.marks.map((m) => `${m.name} ${ms(m.at)}`).join(', ')}, complete ${ms(split.completePaint)}`);
      log();
    }
    log(`Complete count per visit, ms: ${splits.map((s) => ms(s.completePaint)).join(', ')}; from app start: ${splits.map((s) => ms(s.completePaint - s.appStarted)).join(', ')}.`);
    log(`Count shown: ${[...new Set(splits.map((s) => s.count))].join(', ')}. Long tasks per visit (ms): ${splits.map((s) => `[${s.longTasks.join(', ')}]`).join(' ')}`);
    log();
    log(`Memory after GC, MB: cold load wasm ${coldMemory.wasmMB.toFixed(1)}, JS heap ${coldMemory.jsHeapMB.toFixed(1)};` +
      ` after a repeat visit wasm ${range(memories.map((m) => m.wasmMB))}, JS heap ${range(memories.map((m) => m.jsHeapMB))}.`);

    if (TRACE) {
      await emulator.reset();
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const seen = await visit(page, url);
      await page.evaluate(() => performance.mark('cg-profile-anchor'));
      const anchorNow = await page.evaluate(() => performance.getEntriesByName('cg-profile-anchor').at(-1).startTime);
      const raw = await browser.stopTracing();
      const trace = readTrace(JSON.parse(raw.toString()).traceEvents);
      if (trace.anchorTs == null) throw new Error('the anchor mark is not in the trace');
      const toTrace = (now) => trace.anchorTs + (now - anchorNow) * 1000;
      const toPage = (ts) => anchorNow + (ts - trace.anchorTs) / 1000;
      const complete = seen.milestones.complete?.paint;
      const [from, to] = [toTrace(0), toTrace(complete)];
      const whole = breakdown(trace.samples, from, to);
      log();
      log(`## Traced repeat visit (profiler on, so slower): complete count at ${ms(complete)} ms`);
      log();
      log(`- main thread CPU sampled until then: ${ms(whole.sampledMs)} ms`);
      log(`  - self: ${whole.self.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
      log(`  - total: ${whole.total.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
      log();
      log(`### Tasks over ${LISTED_TASK_MS} ms until the complete count`);
      log();
      const tasks = trace.tasks.filter((t) => t.dur >= LISTED_TASK_MS * 1000 && t.ts + t.dur > from && t.ts < to);
      if (!tasks.length) log('none');
      for (const task of tasks) for (const line of taskLines(task, trace, toPage)) log(line);
    }
    if (errors.length) log(`\npage errors: ${errors.join(' | ')}`);
    if (process.env.REPORT_OUT) writeFileSync(process.env.REPORT_OUT, `${out.join('\n')}\n`);
  } finally {
    await browser.close();
    emulator.stop();
  }
}

await main();
