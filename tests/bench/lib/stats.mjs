// Small statistics over benchmark samples. Percentiles are nearest-rank, so
// every reported figure is a value that was actually measured.

const sorted = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);

/** The p-th percentile (0–100), nearest rank; null without samples. */
export function percentile(xs, p) {
  const s = sorted(xs);
  if (s.length === 0) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const median = (xs) => percentile(xs, 50);
export const max = (xs) => (sorted(xs).length ? sorted(xs).at(-1) : null);

/** Median and range over runs: `{ median, min, max, n }`, or null without samples. */
export function spread(xs) {
  const s = sorted(xs);
  if (s.length === 0) return null;
  return { median: median(s), min: s[0], max: s.at(-1), n: s.length };
}

/** Longest duration and total blocking time (the part of each task over 50 ms). */
export function blocking(tasks) {
  return {
    longestMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    totalBlockingMs: tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
    count: tasks.length,
    // Each long task, so a reader can tell which step it belonged to.
    tasks: tasks.map((t) => ({ atMs: Math.round(t.start), ms: Math.round(t.duration), ...(t.step ? { step: t.step } : {}) })),
  };
}

/**
 * Frame statistics from rAF deltas. A frame is "dropped" when its delta is
 * over 1.5× the idle frame interval, i.e. at least one vsync was missed.
 */
export function frames({ idle, deltas }) {
  const interval = median(idle) ?? 1000 / 60;
  const late = deltas.filter((d) => d > interval * 1.5);
  return {
    frames: deltas.length,
    intervalMs: interval,
    droppedPct: deltas.length ? (100 * late.length) / deltas.length : null,
    missedVsyncs: late.reduce((sum, d) => sum + Math.round(d / interval) - 1, 0),
    p95Ms: percentile(deltas, 95),
    maxMs: max(deltas),
  };
}
