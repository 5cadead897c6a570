// Runs several measurements turn about (A B C, B C A, C A B …) instead of all of A then all
// of B, so drift on the machine (caches, another process, thermal) hits every contender alike.
import { summarize } from './stats.mjs';

/**
 * cases: [{ key, measure: () => ms }]. Runs each warmup times (discarded), then runs rounds;
 * resolves to { key: { median, min, max, n, samples } }.
 */
export async function interleave(cases, { runs, warmup = 1, progress = () => {} }) {
  // Yielding to the event loop between runs lets a SIGINT/SIGTERM handler clean up promptly.
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  for (let w = 0; w < warmup; w++) {
    for (const c of cases) {
      c.measure();
      await turn();
    }
  }
  const samples = Object.fromEntries(cases.map((c) => [c.key, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < cases.length; j++) {
      const c = cases[(i + j) % cases.length];
      samples[c.key].push(c.measure());
      await turn();
    }
    progress(i + 1, runs);
  }
  return Object.fromEntries(cases.map((c) => [c.key, { ...summarize(samples[c.key]), samples: samples[c.key] }]));
}
