// The few statistics the reports use. Medians, not means: one slow outlier (a page-cache miss,
// another process waking up) must not move the headline number.

export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(xs) {
  return xs.length ? Math.min(...xs) : NaN;
}

export function summarize(xs) {
  return { median: median(xs), min: min(xs), max: xs.length ? Math.max(...xs) : NaN, n: xs.length };
}

/** Round-by-round ratios a[i] / b[i] of two contenders' samples from interleave(). */
export function pairedRatios(results, a, b) {
  const xs = results[a]?.samples ?? [];
  const ys = results[b]?.samples ?? [];
  return xs.slice(0, ys.length).map((x, i) => x / ys[i]);
}
