// The markdown report of a perf.mjs run: one table per feed size (median over
// runs, with the range in brackets), then the issue's goals for the largest
// feed, each met or not.
import { spread } from './stats.mjs';

const MB = 1e6;
const KB = 1000;
const ms = (v) => (v === null || v === undefined ? '—' : Math.abs(v) >= 100 ? `${Math.round(v)}` : v.toFixed(1));
const mb = (v) => (v === null || v === undefined ? '—' : (v / MB).toFixed(1));
const ratio = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}×`);
const int = (v) => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en'));
const pct = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} %`);

/** "median (min–max)" over runs, or just the value for one run. */
function cell(values, format) {
  const s = spread(values);
  if (!s) return '—';
  return s.n === 1 || s.min === s.max ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

const get = (object, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), object);

/** The rows of a size's table: label and how to read each contender's samples. */
function rows(result, size) {
  // Failed samples still count for the phases they completed.
  const samples = (name) => result.samples.filter((s) => s.size === size && s.contender === name);
  const values = (name, path) => samples(name).map((s) => get(s, path)).filter((v) => typeof v === 'number');
  // Ratios are per run: a contender and the reference measured minutes apart
  // on a busy machine would not compare.
  const perRun = (name, path, referencePath) =>
    samples(name)
      .map((s) => {
        const reference = samples('probe').find((p) => p.run === s.run);
        const a = get(s, path);
        const b = reference && get(reference, referencePath);
        return typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null;
      })
      .filter((v) => v !== null);
  const feed = result.feeds.find((f) => f.size === size);
  const memoryRatio = (name) =>
    samples(name).map((s) => ((s.memory?.wasmBytes ?? 0) + (s.memory?.jsHeapUsedBytes ?? 0)) / feed.bytes);
  const yesOf = (name, predicate) => {
    const all = samples(name);
    return all.length ? `${all.filter(predicate).length}/${all.length}` : '—';
  };
  const latency = (kind) => (name) => {
    const medians = cell(values(name, `interactions.${kind}.medianMs`), ms);
    const p95s = cell(values(name, `interactions.${kind}.p95Ms`), ms);
    return medians === '—' ? '—' : `${medians} / ${p95s}`;
  };
  const bundle = (name) => {
    const b = result.bundles[name];
    return b ? `${(b.gzip / KB).toFixed(1)} / ${(b.brotli / KB).toFixed(1)}` : '—';
  };
  return [
    ['items shown (count)', (n) => cell(values(n, 'load.count'), int)],
    ['feed download complete (responseEnd), ms', (n) => cell(values(n, 'load.feedResponseEndMs'), ms)],
    ['fetch + JSON.parse done, ms', (n) => (n === 'probe' ? cell(values(n, 'load.parsedMs'), ms) : '')],
    ['first results painted, ms', (n) => cell(values(n, 'load.firstResultsMs'), ms)],
    ['complete count painted, ms', (n) => cell(values(n, 'load.completeMs'), ms)],
    ['complete count ÷ fetch+parse', (n) => cell(perRun(n, 'load.completeMs', 'load.parsedMs'), ratio)],
    ['first results before download complete', (n) => (n === 'probe' ? '' : yesOf(n, (s) => s.load.firstResultsMs < s.load.feedResponseEndMs))],
    ['longest task during load, ms', (n) => cell(values(n, 'load.longestMs'), ms)],
    ['total blocking time during load, ms', (n) => cell(values(n, 'load.totalBlockingMs'), ms)],
    ['typing → paint, median / p95 ms', latency('typing')],
    ['facet → paint, median / p95 ms', latency('facet')],
    ['sort → paint, median / p95 ms', latency('sort')],
    ['price range → paint, median / p95 ms', latency('range')],
    ['longest task during queries, ms', (n) => cell(values(n, 'interactions.tasks.longestMs'), ms)],
    ['wasm linear memory, MB', (n) => cell(values(n, 'memory.wasmBytes'), mb)],
    ['JS heap used after GC, MB', (n) => cell(values(n, 'memory.jsHeapUsedBytes'), mb)],
    ['(wasm + JS heap) ÷ feed size', (n) => cell(memoryRatio(n), ratio)],
    ['largest renderer process RSS, MB', (n) => cell(values(n, 'memory.rendererRssBytes'), mb)],
    ['DOM elements in the widget after load', (n) => cell(values(n, 'elementsAfterLoad'), int)],
    ['results listed for the scroll test', (n) => cell(values(n, 'list.listed'), int)],
    ['DOM elements with those listed', (n) => cell(values(n, 'list.elements'), int)],
    ['scroll top → bottom: frames dropped', (n) => cell(values(n, 'list.scroll.droppedPct'), pct)],
    ['scroll: px per frame', (n) => cell(values(n, 'list.scroll.stepPx'), int)],
    ['scroll: share of the list reached in the budget', (n) => cell(values(n, 'list.scroll.reachedPct'), pct)],
    ['repeat visit → complete count, ms', (n) => cell(values(n, n === 'probe' ? 'repeat.parsedMs' : 'repeat.completeMs'), ms)],
    ['repeat visit: feed revalidated (304)', (n) => yesOf(n, (s) => s.repeat?.revalidated304)],
    ['bundle gzip / brotli, KB', bundle],
  ];
}

function table(result, size) {
  const names = ['probe', ...result.settings.contenders];
  const lines = [
    `| measure | ${names.map((n) => result.labels[n]).join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
  ];
  for (const [label, read] of rows(result, size)) lines.push(`| ${label} | ${names.map((n) => read(n)).join(' | ')} |`);
  return lines.join('\n');
}

/** The issue's goals, judged on the widget's medians for `size`. */
function goals(result, size) {
  const widget = result.samples.filter((s) => s.size === size && s.contender === 'widget' && s.load);
  if (widget.length === 0) return '_The widget was not measured at this size._';
  const probe = result.samples.filter((s) => s.size === size && s.contender === 'probe' && s.load);
  const feed = result.feeds.find((f) => f.size === size);
  const med = (xs) => spread(xs.filter((v) => typeof v === 'number'))?.median ?? null;
  const worst = (xs) => spread(xs.filter((v) => typeof v === 'number'))?.max ?? null;
  const ratios = widget
    .map((s) => {
      const p = probe.find((q) => q.run === s.run);
      return p ? s.load.completeMs / p.load.parsedMs : null;
    })
    .filter((v) => v !== null);
  const lat = (kind, key) => med(widget.map((s) => s.interactions?.[kind]?.[key]));
  const loadTask = med(widget.map((s) => s.load.longestMs));
  const queryTask = med(widget.map((s) => s.interactions?.tasks.longestMs));
  const memory = med(widget.map((s) => ((s.memory?.wasmBytes ?? 0) + (s.memory?.jsHeapUsedBytes ?? 0)) / feed.bytes));
  const domLoad = worst(widget.map((s) => s.elementsAfterLoad));
  const domAll = worst(widget.map((s) => s.list?.elements));
  const listed = med(widget.map((s) => s.list?.listed));
  const dropped = med(widget.map((s) => s.list?.scroll.droppedPct));
  const reached = med(widget.map((s) => s.list?.scroll.reachedPct));
  const gzip = result.bundles.widget.gzip;
  const repeat = med(widget.map((s) => s.repeat?.completeMs));
  const revalidated = widget.every((s) => s.repeat?.revalidated304);
  const firstLead = med(widget.map((s) => s.load.firstResultsMs - s.load.feedResponseEndMs));
  const verdict = (ok) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**');
  const both = (a, b) => (a === null || b === null ? null : a && b);
  const list = [
    ['complete count painted ≤ 1.0× fetch + JSON.parse (incl. wasm start-up)', `${ratio(med(ratios))}`, verdict(med(ratios) === null ? null : med(ratios) <= 1)],
    ['first results painted before the download completes', `${ms(firstLead)} ms after responseEnd (median; negative = before)`, verdict(firstLead === null ? null : firstLead < 0)],
    ...['typing', 'facet', 'sort', 'range'].map((kind) => {
      const m = lat(kind, 'medianMs');
      const p = lat(kind, 'p95Ms');
      return [`${kind} → paint ≤ 8 ms median, ≤ 16 ms p95`, `${ms(m)} / ${ms(p)} ms`, verdict(m === null ? null : m <= 8 && p <= 16)];
    }),
    ['no main-thread task over 50 ms during load or querying', `longest ${ms(loadTask)} ms (load), ${ms(queryTask)} ms (queries)`, verdict(both(loadTask === null ? null : loadTask <= 50, queryTask === null ? null : queryTask <= 50))],
    ['memory after load ≤ 1× raw feed size (wasm + JS heap)', `${ratio(memory)} of ${mb(feed.bytes)} MB`, verdict(memory === null ? null : memory <= 1)],
    ['widget DOM < 1,500 elements whatever the result count', `${int(domLoad)} after load; ${int(domAll)} with ${int(listed)} results listed`, verdict(domLoad === null || domAll === null ? null : domLoad < 1500 && domAll < 1500)],
    ['scrolling the full list drops ≤ 1 % of frames', `${pct(dropped)} (${pct(reached)} of the list reached in the budget)`, verdict(dropped === null ? null : dropped <= 1 && reached >= 99.9)],
    ['bundle gzip ≤ 200 KB (wasm + js + css)', `${(gzip / KB).toFixed(1)} KB`, verdict(gzip <= 200 * KB)],
    ['repeat visit results ≤ 300 ms, feed revalidated with If-Modified-Since (304)', `${ms(repeat)} ms; 304 in ${widget.filter((s) => s.repeat?.revalidated304).length}/${widget.length} runs`, verdict(repeat === null ? null : repeat <= 300 && revalidated)],
  ];
  return ['| goal | measured | verdict |', '|---|---|---|', ...list.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/**
 * The render floor: typing in the widget's page that only rotates the text
 * of its rendered cards (see perf.mjs), over every size and run.
 */
function renderFloor(result) {
  const floors = result.samples.filter((s) => s.contender === 'widget' && s.renderFloor).map((s) => s.renderFloor);
  if (floors.length === 0) return [];
  return [
    `Render floor in the widget's own page (typing that only rotates the text of its ${cell(floors.map((f) => f.cards), int)} rendered cards; ` +
      'the widget never sees the input, so there is no search and no framework, once per size and run): ' +
      `median ${cell(floors.map((f) => f.medianMs), ms)} ms, p95 ${cell(floors.map((f) => f.p95Ms), ms)} ms. ` +
      'What the browser alone takes to lay out and paint a screen of changed cards in this layout: no implementation of it answers faster.',
    '',
  ];
}

/** The widget's long tasks in each run: when they started, and during which step of the queries. */
function longTasks(result, size) {
  const widget = result.samples.filter((s) => s.size === size && s.contender === 'widget' && s.load);
  const list = (tasks, where) => (tasks?.length ? tasks.map((t) => `${t.ms} ms ${where(t)}`).join(', ') : 'none');
  const rows = widget.map(
    (s) =>
      `| ${s.run + 1} | ${list(s.load.tasks, (t) => `at ${t.atMs}`)} | ${list(s.interactions?.tasks.tasks, (t) => `(${t.step})`)} | ${list(s.repeat?.tasks, (t) => `at ${t.atMs}`)} |`,
  );
  return [
    `Long tasks of the widget at ${int(size)} items, per run (ms from navigation start for loads):`,
    '',
    '| run | cold load | queries | repeat visit |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function renderMarkdown(result) {
  const sizes = result.settings.sizes;
  const goalSize = sizes.includes(50000) ? 50000 : Math.max(...sizes);
  const failures = result.samples.filter((s) => s.failure || s.pageErrors?.length);
  const parts = [
    `# Performance: cg-inventory against baselines (${result.date.slice(0, 10)})`,
    '',
    `${result.machine.busy ? `**${result.machine.busy}** ` : ''}Machine: ${result.machine.cpus} × ${result.machine.cpuModel}; load average at the end ${result.machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' / ')}. ` +
      `Browser: headless Chromium ${result.browser}. ${result.settings.runs} run(s) per size, all contenders interleaved in each run, in one browser; ` +
      `the run took ${Math.round(result.durationS / 60)} min. Cells are the median over runs with the range in brackets.`,
    '',
    'Feeds (generated by the emulator, served with gzip, `Last-Modified` and `Cache-Control: no-cache`):',
    '',
    '| items | raw | gzip on the wire |',
    '|---|---|---|',
    ...result.feeds.map((f) => `| ${int(f.size)} | ${mb(f.bytes)} MB | ${mb(f.gzipBytes)} MB |`),
    '',
    `Floor of the input → paint method (typing into a page whose handler only rewrites the count, once per run): ` +
      `median ${cell(result.floor.map((f) => f.medianMs), ms)} ms, p95 ${cell(result.floor.map((f) => f.p95Ms), ms)} ms. ` +
      'Even no work waits for the next frame, about half a frame (8 ms) on average.',
    '',
    ...renderFloor(result),
  ];
  for (const size of sizes) parts.push(`## ${int(size)} items`, '', table(result, size), '');
  parts.push(`## Goals (issue 5), ${int(goalSize)} items`, '', goals(result, goalSize), '', longTasks(result, goalSize), '');
  parts.push(
    '## How each figure is measured',
    '',
    '- Times are milliseconds from the navigation start of the page (`performance.now()`), measured in the page.',
    '- **fetch + JSON.parse**: a page that only does `fetch(feed)`, `response.text()` and `JSON.parse`, on the same URL, in the same browser, in the same run. Every contender\'s load is divided by it.',
    '- **first results / complete count painted**: a MutationObserver installed before the page\'s scripts notes when a result is first listed (the widget lists its first items while the feed still arrives), and when the `role=status` count shows a non-zero number with no `<progress>` left; the time is the end of the next frame (requestAnimationFrame, then a task). **responseEnd** is the feed\'s Resource Timing entry.',
    '- **long tasks**: PerformanceObserver `longtask`. The load window runs from navigation until 1 s without a long task after the count is complete (the widget builds sort orders in idle time after loading); total blocking time is the sum of each task\'s part over 50 ms in that window. Playwright enables DevTools\' Network domain on every page, and with it Chromium decodes a whole text response into a string for the inspector when its body ends, in a task of its own: at 10,000 items that is a 35–65 ms task when the 8 MB feed\'s last byte arrives, in every contender\'s load (`devtools-decode-check.mjs` shows it only with the Network domain on). The 40 MB feed is over DevTools\' per-resource buffer and is not decoded.',
    '- **input → paint**: Playwright types one character at a time into the search box, clicks facet checkboxes (two values of Genre and of Format: on, on, off, off), selects sort orders, and types a price then presses Enter. In the page, a capture listener takes the first input event\'s `timeStamp`; the end is the frame after the last input event or result update (a mutation under `.cg-main` or the count), once 150 ms pass quietly. The frame end is requestAnimationFrame then a MessageChannel task, which approximates the paint (it includes style, layout and paint on the main thread, not rasterisation or the compositor). Event Timing was not used: it rounds to 8 ms.',
    '- **memory**: after a forced garbage collection (CDP `HeapProfiler.collectGarbage`): the V8 heap in use (CDP `Runtime.getHeapUsage`), the WebAssembly linear memory (the `byteLength` of every exported `WebAssembly.Memory`, found by wrapping `WebAssembly.instantiate*` before the page runs), and the resident memory of the largest renderer process (CDP `SystemInfo.getProcessInfo` and `/proc/PID/status`; one page is open at a time). Wasm memory is reserved linear memory (it never shrinks), not bytes in use.',
    `- **DOM and scrolling**: elements under \`#cg-inventory\`. The widget's list is virtualised: every result is in it and only the rows in view are rendered, so "results listed" is the whole result count (its cards' \`aria-setsize\`) and the DOM is counted before and after scrolling to the end (the larger is shown). The baselines render their first 50 results only. The scroll test sets \`scrollTop\` once per frame, top to bottom in equal steps (${result.settings.scrollFrames} frames, stopping after ${Math.round(result.settings.scrollBudgetMs / 1000)} s), and counts rAF deltas over 1.5× the idle frame interval as dropped frames (main-thread frames; real wheel scrolling is mostly handled by the compositor). Each step jumps past every rendered card, which the widget treats as a fling (a dragged scrollbar): after the first jump its cards are placeholders, with the list \`aria-busy\`, until the jumps pause for 150 ms, when they fill with their results.`,
    '- **repeat visit**: a second navigation to the same URL in the same browser context after the cold one; the emulator\'s `/__log` shows whether the feed was revalidated with `If-Modified-Since` and answered 304. Pages and scripts have no caching headers on either server, so they are fetched again for every contender.',
    '- **bundle**: gzip -9 and brotli 11 (Node\'s zlib) of the wasm, js and css the page loads; the baselines\' own code is not minified; the libraries are their published ES builds.',
    '',
  );
  if (failures.length) {
    parts.push('## Failures and page errors', '');
    for (const s of failures) parts.push(`- ${s.size} items, run ${s.run + 1}, ${s.contender}: ${s.failure ?? ''} ${(s.pageErrors ?? []).join('; ')}`);
    parts.push('');
  }
  return parts.join('\n');
}
