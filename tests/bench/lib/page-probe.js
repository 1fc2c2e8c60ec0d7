// What the benchmark installs in every page before the page's own scripts
// run (Playwright `addInitScript`). It must stay one self-contained function:
// Playwright sends its source text to the browser.
//
// It records, on `window.__bench`:
// - load milestones: when the result count first shows a number with results
//   listed, and when it shows with no loading indicator left (the load is
//   complete), each with the time the next frame was produced after it;
// - every long task (PerformanceObserver `longtask`, ≥ 50 ms);
// - the WebAssembly memories the page instantiates (for their size);
// - one interaction at a time: from the first input event's timestamp to
//   the next frame after the last input event or result update.
//
// The DOM contract, shared by the widget and the baselines: the count is the
// `[role=status]` element, results are `.cg-results > li` inside `.cg-main`,
// and loading shows a `<progress>`.
export function installProbe() {
  if (window.__bench) return;
  const bench = {
    longTasks: [],
    load: {},
    interaction: null,
  };
  window.__bench = bench;

  /** Calls back with the time just after the next frame: rAF, then a task
   * (the frame's style, layout and paint run between the two). */
  const afterPaint = (callback) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now());
      channel.port2.postMessage(null);
    });
  bench.afterPaint = () => new Promise((resolve) => afterPaint(resolve));

  // Long tasks. The observer is registered before any page script runs.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Images from result cards must not push the feed out of the buffer.
  performance.setResourceTimingBufferSize(100000);

  // WebAssembly memories, whatever loader instantiates the module.
  const memories = new Set();
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    for (const value of Object.values(instance?.exports ?? {})) if (value instanceof WebAssembly.Memory) memories.add(value);
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original === 'function') {
      WebAssembly[name] = function (...args) {
        return original.apply(this, args).then(keep);
      };
    }
  }
  bench.wasmBytes = () => [...memories].reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
  bench.wasmMemories = () => memories.size;

  const readCount = () => {
    const match = document.querySelector('[role=status]')?.textContent.match(/\d+/);
    return match ? Number(match[0]) : null;
  };
  /** Marks a milestone now and completes it with the next frame's time. */
  const mark = (name, count) => {
    const milestone = { at: performance.now(), count, paint: null };
    bench.load[name] = milestone;
    afterPaint((time) => {
      milestone.paint = time;
    });
  };
  const watchLoad = () => {
    if (bench.load.complete) return;
    const count = readCount();
    // Results listed count as first results even before any count shows
    // (the widget previews the first items while the feed still arrives).
    if (!bench.load.firstResults && document.querySelector('.cg-results > li')) mark('firstResults', count);
    if (!(count > 0)) return;
    if (!document.querySelector('progress')) mark('complete', count);
  };

  const inResults = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return Boolean(element?.closest('.cg-main, [role=status]'));
  };
  /** Follows one input's effect to the frame after it. */
  const track = (interaction) => {
    interaction.pending += 1;
    afterPaint((time) => {
      interaction.paint = Math.max(interaction.paint, time);
      interaction.pending -= 1;
    });
  };
  new MutationObserver((records) => {
    watchLoad();
    const interaction = bench.interaction;
    if (interaction && interaction.start !== null && records.some((record) => inResults(record.target))) {
      interaction.lastMutation = performance.now();
      track(interaction);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });

  // Capture listeners on window run before any handler of the page.
  for (const type of ['keydown', 'pointerdown', 'mousedown', 'input', 'change', 'click']) {
    addEventListener(
      type,
      (event) => {
        const interaction = bench.interaction;
        if (!interaction) return;
        if (interaction.start === null) {
          interaction.start = event.timeStamp;
          interaction.seen = performance.now();
          interaction.type = type;
        }
        interaction.lastInput = performance.now();
        track(interaction);
      },
      { capture: true },
    );
  }

  /** Starts measuring the next interaction. */
  bench.arm = () => {
    bench.interaction = { start: null, type: null, lastInput: null, lastMutation: null, pending: 0, paint: 0 };
  };
  /**
   * Resolves once the interaction has gone `quietMs` without input or result
   * update and its last frame is known: the latency is from the first
   * event's timestamp to the frame after the last input or update.
   */
  bench.settle = (quietMs, timeoutMs) =>
    new Promise((resolve) => {
      const interaction = bench.interaction;
      const since = performance.now();
      const check = () => {
        const now = performance.now();
        const lastActivity = Math.max(interaction.lastInput ?? 0, interaction.lastMutation ?? 0);
        const done = interaction.start !== null && interaction.pending === 0 && now - lastActivity >= quietMs;
        if (!done && now - since < timeoutMs) {
          setTimeout(check, 20);
          return;
        }
        bench.interaction = null;
        resolve({
          event: interaction.type,
          latency: interaction.start === null ? null : interaction.paint - interaction.start,
          // How long the event waited for the main thread, and when the results changed.
          inputDelay: interaction.start === null ? null : interaction.seen - interaction.start,
          updatedAfter: interaction.lastMutation === null ? null : interaction.lastMutation - interaction.start,
          changed: interaction.lastMutation !== null,
          timedOut: !done,
        });
      };
      check();
    });

  /** Resolves once no long task has ended for `quietMs` (at most `capMs`), with the time. */
  bench.quiet = (quietMs, capMs) =>
    new Promise((resolve) => {
      const since = performance.now();
      const check = () => {
        const now = performance.now();
        const lastEnd = Math.max(0, ...bench.longTasks.map((t) => t.start + t.duration));
        if (now - lastEnd >= quietMs || now - since >= capMs) resolve(now);
        else setTimeout(check, 50);
      };
      check();
    });

  /** The feed's Resource Timing entry (the last request whose path has `pathPart`). */
  bench.resource = (pathPart) => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes(pathPart));
    const entry = entries[entries.length - 1];
    return entry ? { responseEnd: entry.responseEnd, startTime: entry.startTime, requests: entries.length } : null;
  };

  /** Elements inside the widget's root. */
  bench.elements = (rootSelector) => {
    const root = document.querySelector(rootSelector);
    return root ? root.querySelectorAll('*').length + 1 : null;
  };
  /** Results in the list: a virtualised list says its size on each card
   * (`aria-setsize`); a plain one has them all rendered. */
  bench.listed = () => {
    const card = document.querySelector('.cg-results > li[aria-setsize]');
    return card ? Number(card.getAttribute('aria-setsize')) : document.querySelectorAll('.cg-results > li').length;
  };

  /** rAF timestamps' deltas over up to `frames` frames (or `budgetMs`), calling `onFrame(i)` in each. */
  const frameDeltas = (frames, budgetMs, onFrame) =>
    new Promise((resolve) => {
      const deltas = [];
      const started = performance.now();
      let last = null;
      let i = 0;
      const tick = (time) => {
        if (last !== null) deltas.push(time - last);
        last = time;
        if (i === frames || performance.now() - started > budgetMs) {
          resolve(deltas);
          return;
        }
        onFrame(i);
        i += 1;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });

  /**
   * Scrolls the document from top to bottom in `frames` equal steps, one per
   * frame, stopping early after `budgetMs`, and returns the frame deltas and
   * the idle frame interval measured the same way beforehand.
   */
  bench.scrollThrough = async (frames, budgetMs) => {
    const scroller = document.scrollingElement;
    scroller.scrollTop = 0;
    const idle = await frameDeltas(60, Infinity, () => {});
    const distance = Math.max(0, scroller.scrollHeight - innerHeight);
    const step = distance / frames;
    const started = performance.now();
    const deltas = await frameDeltas(frames, budgetMs, (i) => {
      scroller.scrollTop = Math.round(step * (i + 1));
    });
    return { idle, deltas, distance, step, ms: performance.now() - started, reached: distance ? Math.min(1, scroller.scrollTop / distance) : 1 };
  };
}
