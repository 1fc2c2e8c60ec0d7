// What the load profilers share: the page's start-up probe, reading a
// Chrome trace (the renderer's tasks and CPU samples), and the report's
// number formats.

/** Functions listed per task. */
const TOP = Number(process.env.TOP || 5);

export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

/** Frames every task runs through (event dispatch, future polling, glue): they say nothing about the cost. */
export const PLUMBING = /^(real|js-to-wasm|wasm-to-js|wasm_bindgen|js_sys::futures|<core::pin::Pin|<wasm_bindgen_futures|__wbg_adapter|\(root\))/;
/** Browser work inside a task, by trace event name; the profiler shows it as "(program)". */
export const BROWSER_WORK = {
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'pre-paint',
  Paint: 'paint',
  Layerize: 'layerize',
  Commit: 'commit',
  HitTest: 'hit test',
  'IntersectionObserverController::computeIntersections': 'intersections',
  ParseHTML: 'parse HTML',
};

/** Timestamps of the page's start-up, beside the bench probe's milestones. */
export function installStartupProbe() {
  const times = (window.__startup = {});
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      times.wasmInstantiateCalled ??= performance.now();
      return original.apply(this, args).then((result) => {
        times.wasmInstantiated = performance.now();
        return result;
      });
    };
  }
  addEventListener('TrunkApplicationStarted', () => {
    times.appStarted = performance.now();
  });
  /** Resource Timing of the last request whose URL contains `part`. */
  window.__resourceTiming = (part) => {
    const entry = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes(part))
      .at(-1);
    if (!entry) return null;
    const { startTime, requestStart, responseStart, responseEnd, encodedBodySize, decodedBodySize } = entry;
    return { startTime, requestStart, responseStart, responseEnd, encodedBodySize, decodedBodySize };
  };
}

/** Demangled Rust paths without their hash, shortened for a table. */
export function shortName(frame) {
  let name = frame.functionName || '(anonymous)';
  name = name.replace(/::h[0-9a-f]{16}$/, '').replace(/^\$/, '');
  const inWasm = !frame.url || frame.url.startsWith('wasm') || frame.url.endsWith('.wasm');
  if (!inWasm && !name.startsWith('(')) name += ` [${frame.url.split('/').at(-1)}:${frame.lineNumber}]`;
  return name.length > 120 ? `${name.slice(0, 117)}...` : name;
}

/** The renderer main thread's tasks and CPU samples (ts in µs, trace clock). */
export function readTrace(events) {
  const mainThreads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The page's renderer is the one that ran its scripts: the most profile samples.
  const profiles = new Map();
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(`${e.pid}:${e.id}`, { pid: e.pid, tid: e.tid, startTime: e.args.data.startTime, nodes: new Map(), samples: [] });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const profile = profiles.get(`${e.pid}:${e.id}`);
    const data = e.args.data;
    if (!profile || !data.cpuProfile) continue;
    for (const node of data.cpuProfile.nodes ?? []) profile.nodes.set(node.id, node);
    const deltas = data.timeDeltas ?? [];
    let ts = profile.samples.length ? profile.samples.at(-1).ts : profile.startTime;
    (data.cpuProfile.samples ?? []).forEach((id, i) => {
      ts += deltas[i] ?? 0;
      profile.samples.push({ ts, id });
    });
  }
  const isMain = (p) => mainThreads.some((t) => t.pid === p.pid && t.tid === p.tid);
  const profile = [...profiles.values()].filter(isMain).sort((a, b) => b.samples.length - a.samples.length)[0];
  if (!profile) throw new Error('no CPU profile of a renderer main thread in the trace');
  const stacks = new Map();
  const stackOf = (id) => {
    if (!stacks.has(id)) {
      const frames = [];
      for (let node = profile.nodes.get(id); node; node = profile.nodes.get(node.parent)) frames.push(shortName(node.callFrame));
      stacks.set(id, frames.filter((f) => f !== '(root)'));
    }
    return stacks.get(id);
  };
  profile.samples.sort((a, b) => a.ts - b.ts);
  const samples = profile.samples.map((s, i) => {
    const next = profile.samples[i + 1];
    return { ts: s.ts, weight: next ? Math.min(next.ts - s.ts, 5000) : 0, stack: stackOf(s.id) };
  });
  const runTasks = events
    .filter((e) => e.ph === 'X' && e.pid === profile.pid && e.tid === profile.tid && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Only outermost tasks: a nested run loop's tasks are part of their parent's.
  const tasks = [];
  for (const e of runTasks) {
    const last = tasks.at(-1);
    if (last && e.ts < last.ts + last.dur) continue;
    tasks.push({ ts: e.ts, dur: e.dur });
  }
  const browserWork = events.filter((e) => e.ph === 'X' && e.pid === profile.pid && e.tid === profile.tid && BROWSER_WORK[e.name]);
  const anchor = events.find((e) => e.pid === profile.pid && e.name === 'cg-profile-anchor');
  return { samples, tasks, browserWork, anchorTs: anchor?.ts ?? null };
}

/** Self and total time per function over the samples in [from, to) µs. */
export function breakdown(samples, from, to) {
  const self = new Map();
  const total = new Map();
  let sampled = 0;
  for (const s of samples) {
    if (s.ts < from || s.ts >= to) continue;
    sampled += s.weight;
    const leaf = s.stack[0] ?? '(idle)';
    self.set(leaf, (self.get(leaf) ?? 0) + s.weight);
    for (const name of new Set(s.stack.filter((f) => !PLUMBING.test(f)))) total.set(name, (total.get(name) ?? 0) + s.weight);
  }
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, us]) => ({ name, ms: us / 1000 }));
  return { sampledMs: sampled / 1000, self: top(self), total: top(total) };
}

/** CPU time (ms) of the samples in [from, to) µs whose stack has a frame matching `pattern`. */
export function cpuMatching(samples, pattern, from = -Infinity, to = Infinity) {
  let us = 0;
  let first = null;
  let last = null;
  for (const s of samples) {
    if (s.ts < from || s.ts >= to || !s.stack.some((f) => pattern.test(f))) continue;
    us += s.weight;
    first ??= s.ts;
    last = s.ts;
  }
  return { ms: us / 1000, first, last };
}

export const ms = (x) => (x == null || Number.isNaN(x) ? '—' : `${Math.round(x)}`);
export const range = (xs) => {
  const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return '—';
  const median = s[Math.floor((s.length - 1) / 2)];
  return s.length === 1 ? ms(median) : `${ms(median)} (${ms(s[0])}–${ms(s.at(-1))})`;
};

/** Milliseconds of each kind of browser work (style, layout, paint…) inside a task. */
export function browserWorkIn(browserWork, task) {
  const sums = new Map();
  for (const e of browserWork) {
    if (e.ts < task.ts || e.ts >= task.ts + task.dur) continue;
    const kind = BROWSER_WORK[e.name];
    sums.set(kind, (sums.get(kind) ?? 0) + e.dur / 1000);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).filter(([, x]) => x >= 0.5);
}

export function taskLines(task, { samples, browserWork }, toPage) {
  const b = breakdown(samples, task.ts, task.ts + task.dur);
  const lines = [`- task at ${ms(toPage(task.ts))} ms: ${ms(task.dur / 1000)} ms (${ms(b.sampledMs)} ms sampled)`];
  lines.push(`  - self: ${b.self.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
  lines.push(`  - total: ${b.total.map((f) => `${f.name} ${f.ms.toFixed(1)}`).join('; ')}`);
  const work = browserWorkIn(browserWork, task);
  if (work.length) lines.push(`  - browser: ${work.map(([kind, x]) => `${kind} ${x.toFixed(1)}`).join('; ')}`);
  return lines;
}
